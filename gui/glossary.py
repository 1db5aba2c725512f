"""Teaching texts for every control and term (English here, Korean in the catalogue).

One entry per term: a short label for the control panel and a tooltip-sized explanation. The
facts of a loss (note, formula) and of a dataset (description, class names, why its suggested
settings work) live with their registry entries in the engine; the functions below translate
them from there. The texts are LossLab's own; the facts about the four knobs follow the Korean article in
``shared/reference/deep-learning-terms-ko.txt`` (loss, batch size + LARS, epochs, learning rate).

The tables hold the English source texts, marked with ``QT_TR_NOOP`` so ``pyside6-lupdate``
puts them in ``gui/translations/losslab_ko.ts`` beside every other string of the app; the
functions below translate them when asked (see :mod:`gui.i18n` for the catalogue and how to
update it). Adding a language means one more ``.ts`` file and a code in ``LANGUAGES``;
:func:`missing_translations` lists the gaps so a test keeps every language complete.
"""

from engine import ConfigError, datasets, losses, texts
from gui import i18n
from gui.i18n import DEFAULT_LANGUAGE, LANGUAGES, QT_TR_NOOP  # noqa: F401 - re-exported

TERMS = {
    # --- Data ------------------------------------------------------------------------------------
    "dataset": {
        "label": QT_TR_NOOP("Dataset"),
        "text": QT_TR_NOOP("The examples the network learns from. 2-D toy sets (circle, xor, "
                           "moons, spiral...) show the decision surface; sine is a 1-D "
                           "regression; iris and digits are real classification sets shown as a "
                           "confusion matrix. \"Open CSV…\" loads your own table (last column = "
                           "target)."),
    },
    "noise": {
        "label": QT_TR_NOOP("Noise"),
        "text": QT_TR_NOOP("How much random jitter is added to the generated points. More noise "
                           "makes the classes overlap, so a perfect fit becomes memorising "
                           "(overfitting)."),
    },
    "validation_split": {
        "label": QT_TR_NOOP("Validation split"),
        "text": QT_TR_NOOP("Fraction of the examples held back and never trained on. The "
                           "validation loss measures how well the model generalises; when it "
                           "rises while the training loss keeps falling, the model is "
                           "overfitting."),
    },
    "n_samples": {
        "label": QT_TR_NOOP("Samples"),
        "text": QT_TR_NOOP("How many examples to generate (0 = the dataset's default). Few "
                           "samples make overfitting easy to see."),
    },
    # --- Model -----------------------------------------------------------------------------------
    "hidden_layers": {
        "label": QT_TR_NOOP("Hidden layers"),
        "text": QT_TR_NOOP("Units per hidden layer, comma separated: \"8, 8\" is two layers of "
                           "8 neurons; empty means no hidden layer (a linear model). More units "
                           "can fit more complex shapes, and overfit more easily."),
    },
    "activation": {
        "label": QT_TR_NOOP("Activation"),
        "text": QT_TR_NOOP("The non-linearity applied after each hidden layer (tanh, relu, "
                           "sigmoid, ...). Without it, stacked layers collapse into one "
                           "straight-line model."),
    },
    "output_activation": {
        "label": QT_TR_NOOP("Output activation"),
        "text": QT_TR_NOOP("The function on the last layer. \"auto\" picks what the loss "
                           "expects: sigmoid for binary crossentropy, softmax for categorical "
                           "losses, linear for regression."),
    },
    "seed": {
        "label": QT_TR_NOOP("Seed"),
        "text": QT_TR_NOOP("Seed of the random numbers for data, initial weights and shuffling. "
                           "The same seed and settings give exactly the same run."),
    },
    # --- Training --------------------------------------------------------------------------------
    "loss": {
        "label": QT_TR_NOOP("Loss"),
        "text": QT_TR_NOOP("The loss function is the goal of training: a number that measures "
                           "how far the predictions are from the true values, and the weights "
                           "are moved to make it smaller. Usual picks: binary_crossentropy for "
                           "two classes, categorical_crossentropy for several, "
                           "mean_squared_error for numbers."),
    },
    "optimizer": {
        "label": QT_TR_NOOP("Optimizer"),
        "text": QT_TR_NOOP("The rule that turns gradients into weight updates. sgd takes plain "
                           "steps; momentum and nesterov add inertia; rmsprop, adam, adamw and "
                           "adagrad adapt the step per weight; lars and lamb scale each layer's "
                           "step by a trust ratio so very large batches train stably."),
    },
    "learning_rate": {
        "label": QT_TR_NOOP("Learning rate"),
        "text": QT_TR_NOOP("How far each update moves the weights against the gradient. Large: "
                           "fast, but it can overshoot the minimum or diverge (the loss "
                           "explodes to infinity). Small: slow, and it may settle in a poor "
                           "local minimum. The arrows multiply or divide on a log scale (1, 2, "
                           "5, 10...). Applies from the next batch while training."),
    },
    "momentum": {
        "label": QT_TR_NOOP("Momentum"),
        "text": QT_TR_NOOP("Fraction of the previous update kept in the next one (0 = none). It "
                           "smooths the path and speeds up travel along shallow valleys."),
    },
    "rho": {
        "label": QT_TR_NOOP("Rho"),
        "text": QT_TR_NOOP("RMSprop's decay of the running average of squared gradients: close "
                           "to 1 means a long memory."),
    },
    "beta_1": {
        "label": QT_TR_NOOP("Beta 1"),
        "text": QT_TR_NOOP("Adam-family decay of the average gradient (the momentum part)."),
    },
    "beta_2": {
        "label": QT_TR_NOOP("Beta 2"),
        "text": QT_TR_NOOP("Adam-family decay of the average squared gradient (the per-weight "
                           "scale)."),
    },
    "epsilon": {
        "label": QT_TR_NOOP("Epsilon"),
        "text": QT_TR_NOOP("A tiny number added to denominators so no step divides by zero."),
    },
    "weight_decay": {
        "label": QT_TR_NOOP("Weight decay"),
        "text": QT_TR_NOOP("Shrinks every weight a little each step (AdamW, LAMB, LARS), a "
                           "brake against overfitting."),
    },
    "trust_coef": {
        "label": QT_TR_NOOP("Trust coefficient"),
        "text": QT_TR_NOOP("LARS (Layer-wise Adaptive Rate Scaling) scales each layer's step by "
                           "trust_coef × ‖w‖ / ‖g‖, so layers with small gradients still move "
                           "and large batches stay stable. The trust ratios are drawn on the "
                           "learning-rate plot."),
    },
    "schedule": {
        "label": QT_TR_NOOP("Schedule"),
        "text": QT_TR_NOOP("How the learning rate changes over time: constant, or decaying "
                           "(step, exponential, cosine...). A smaller rate late in training "
                           "lets the loss settle into the minimum. Changing it needs a Reset."),
    },
    "warmup_epochs": {
        "label": QT_TR_NOOP("Warm-up epochs"),
        "text": QT_TR_NOOP("Epochs over which the learning rate ramps up from near zero. "
                           "Large-batch training uses it to avoid an explosive start."),
    },
    "batch_size": {
        "label": QT_TR_NOOP("Batch size"),
        "text": QT_TR_NOOP("Examples per update. The data is split into batches instead of used "
                           "all at once; a larger batch means fewer, smoother updates per "
                           "epoch. Too large can hurt accuracy because optimisation and "
                           "generalisation get harder, and it interacts with the learning rate "
                           "(LARS was made for this). Applies from the next epoch while "
                           "training."),
    },
    "epochs": {
        "label": QT_TR_NOOP("Epochs"),
        "text": QT_TR_NOOP("How many passes over the whole training set. One epoch = every "
                           "example seen once. More epochs usually lower the training loss, but "
                           "the model can overfit: watch the validation curve and the "
                           "best-epoch marker. Applies immediately while training."),
    },
    "l1": {
        "label": QT_TR_NOOP("L1 penalty"),
        "text": QT_TR_NOOP("Adds l1 × (sum of absolute weights) to the loss (Keras's L1; with "
                           "an L2 penalty as well, L1L2). Each step pulls every weight towards "
                           "zero by the same amount, whatever its size, so weights that matter "
                           "little shrink to about zero: a sparse network that uses few "
                           "connections. "
                           "Applies from the next batch."),
    },
    "l2": {
        "label": QT_TR_NOOP("L2 penalty"),
        "text": QT_TR_NOOP("Adds l2 × (sum of squared weights) to the loss, pulling weights "
                           "towards zero; a classic cure for overfitting. Applies from the next "
                           "batch."),
    },
    "decay_steps": {
        "label": QT_TR_NOOP("Decay steps"),
        "text": QT_TR_NOOP("Steps over which a decaying schedule shrinks the learning rate by "
                           "the decay rate (step, exponential, inverse_time), or the length of "
                           "the cosine decay."),
    },
    "decay_rate": {
        "label": QT_TR_NOOP("Decay rate"),
        "text": QT_TR_NOOP("Factor the learning rate is multiplied by every decay-steps "
                           "interval (0.5 halves it)."),
    },
    "linear_scaling": {
        "label": QT_TR_NOOP("Linear scaling"),
        "text": QT_TR_NOOP("Multiply the learning rate by batch size / base batch size (32), "
                           "the usual rule for keeping large-batch training comparable to small "
                           "batches."),
    },
    "early_stopping_patience": {
        "label": QT_TR_NOOP("Early stopping"),
        "text": QT_TR_NOOP("Stop when the validation loss has not improved for this many epochs "
                           "(0 = never). A direct answer to overfitting from too many epochs."),
    },
    "dtype": {
        "label": QT_TR_NOOP("Precision"),
        "text": QT_TR_NOOP("Number format of weights and data: float64 (exact) or float32 "
                           "(faster for large layers, what GPUs use)."),
    },
    "regenerate": {
        "label": QT_TR_NOOP("New data"),
        "text": QT_TR_NOOP("Draw a new sample of the dataset (next seed) and reset the model."),
    },
    # --- Run and plots ---------------------------------------------------------------------------
    "start": {
        "label": QT_TR_NOOP("Start"),
        "text": QT_TR_NOOP("Start training (Space). While running it pauses; while paused it "
                           "resumes."),
    },
    "stop": {
        "label": QT_TR_NOOP("Stop"),
        "text": QT_TR_NOOP("Stop training (Esc). The model and curves stay; Start continues "
                           "from here."),
    },
    "step": {
        "label": QT_TR_NOOP("Step"),
        "text": QT_TR_NOOP("Train exactly one batch, to watch a single update."),
    },
    "reset": {
        "label": QT_TR_NOOP("Reset"),
        "text": QT_TR_NOOP("Build a new model with the current settings (Ctrl+R): fresh "
                           "weights, empty curves. Pending changes (dataset, loss, layers...) "
                           "take effect here."),
    },
    "smoothing": {
        "label": QT_TR_NOOP("Smoothing"),
        "text": QT_TR_NOOP("Exponential moving average of the batch loss, debiased like "
                           "TensorBoard (0 = raw, 0.99 = very smooth). The faint curve is the "
                           "raw loss."),
    },
    "log_y": {
        "label": QT_TR_NOOP("Log y"),
        "text": QT_TR_NOOP("Logarithmic loss axis: equal ratios look equal, so slow progress "
                           "late in training stays visible. Non-positive losses (cosine) are "
                           "not drawn."),
    },
    "batch_loss_plot": {
        "label": QT_TR_NOOP("Batch loss"),
        "text": QT_TR_NOOP("Loss of every mini-batch. Noisy because each batch is a different "
                           "sample; vertical labelled lines mark live knob changes, light lines "
                           "epoch starts."),
    },
    "epoch_loss_plot": {
        "label": QT_TR_NOOP("Epoch loss"),
        "text": QT_TR_NOOP("Training vs validation loss after each epoch. The gap between them "
                           "is overfitting; the marker shows the epoch with the lowest "
                           "validation loss."),
    },
    "accuracy_plot": {
        "label": QT_TR_NOOP("Accuracy"),
        "text": QT_TR_NOOP("Fraction of correctly classified examples, training and validation."),
    },
    "learning_rate_plot": {
        "label": QT_TR_NOOP("Learning rate"),
        "text": QT_TR_NOOP("Learning rate used at each batch (schedules, warm-up and live "
                           "changes). For LARS and LAMB also each layer's trust ratio (right "
                           "axis, logarithmic): the factor ‖w‖ / ‖g‖ (times the trust "
                           "coefficient) by which that layer's step is scaled, so every layer "
                           "moves by a similar fraction of its weights."),
    },
    "data_plot": {
        "label": QT_TR_NOOP("Data and model"),
        "text": QT_TR_NOOP("What the model has learned: the decision surface behind the "
                           "training (filled) and validation (ring) points, the fitted curve "
                           "for 1-D regression, or a confusion matrix (rows true, columns "
                           "predicted)."),
    },
    "sharpness_plot": {
        "label": QT_TR_NOOP("Curvature"),
        "text": QT_TR_NOOP("Sharpness: the largest curvature (top Hessian eigenvalue) of the "
                           "training loss, measured during the run. Gradient descent is stable "
                           "only while the sharpness stays below 2 / learning rate ((2 + 2 "
                           "momentum) / rate with momentum): the dashed line. A run whose "
                           "sharpness crosses it (marked x) oscillates or blows up; a live rate "
                           "change moves the line. Not drawn for adaptive optimizers, whose "
                           "limit is on a rescaled curvature."),
    },
    "noise_scale_plot": {
        "label": QT_TR_NOOP("Noise scale"),
        "text": QT_TR_NOOP("The gradient noise scale B_simple (log axis): how noisy one "
                           "example's gradient is against the mean gradient. It predicts the "
                           "critical batch size: a batch below it trains almost proportionally "
                           "faster when made bigger; batch sizes in the shaded region above it "
                           "spend samples for little gain. The line is the run's batch size. "
                           "It usually grows as training goes on."),
    },
    "loss_histogram_plot": {
        "label": QT_TR_NOOP("Per-example losses"),
        "text": QT_TR_NOOP("How the training examples' losses are spread, at the last "
                           "measurement (bars) and at the start (grey outline): log-spaced bins "
                           "and one for losses of exactly 0. Hinge-type losses put examples "
                           "past the margin at exactly 0 (the legend gives their share); "
                           "crossentropy never reaches 0. The mean loss hides all this."),
    },
    "layer_norms_plot": {
        "label": QT_TR_NOOP("Layer norms"),
        "text": QT_TR_NOOP("For each weight array (W1 = first layer's kernel, b1 its biases): "
                           "the norm of its weights |w|, of its gradient |g| and the fraction "
                           "|update| / |w| by which one step moves it (log axis). When these "
                           "differ by orders of magnitude between layers, one learning rate "
                           "cannot suit them all: LARS's motivation, whose trust ratios (the "
                           "learning-rate plot) rescale each layer's step."),
    },
    "network_view": {
        "label": QT_TR_NOOP("Network"),
        "text": QT_TR_NOOP("The model itself: inputs, hidden layers and outputs as columns of "
                           "neurons. Each neuron's picture is its output over the data view's "
                           "plane (for digits, a first-layer neuron's 64 weights as an 8x8 "
                           "image; otherwise the histogram of its outputs). Lines are weights: "
                           "blue positive, orange negative, thicker when larger. Big layers show "
                           "their strongest neurons and \"+N\" for the rest; a neuron with many "
                           "inputs draws its strongest connections. Hover for values, click a "
                           "neuron to see its picture large."),
    },
    "lr_finder": {
        "label": QT_TR_NOOP("Learning-rate range test"),
        "text": QT_TR_NOOP("A short trial run whose learning rate grows from 1e-7 to 10, batch "
                           "by batch, while the smoothed loss is recorded. On the left the rate "
                           "is too small and the loss barely moves; on the right it is too "
                           "large and the loss explodes. A good rate lies where the loss falls "
                           "steadily. Your model is not changed."),
    },
    # --- Glossary-only terms ---------------------------------------------------------------------
    "crossentropy": {
        "label": QT_TR_NOOP("Crossentropy"),
        "text": QT_TR_NOOP("From information theory: a measure of the difference between two "
                           "probability distributions. Training with it pulls the predicted "
                           "distribution towards the true one."),
    },
    "hinge": {
        "label": QT_TR_NOOP("Hinge"),
        "text": QT_TR_NOOP("The loss of support vector machines: it rewards a margin. An SVM "
                           "looks for the boundary that stays as far as possible from the "
                           "closest points of each class; use hinge losses for that kind of "
                           "model."),
    },
    "sparse": {
        "label": QT_TR_NOOP("Sparse labels"),
        "text": QT_TR_NOOP("sparse_categorical_crossentropy takes the true class as one integer "
                           "(0, 1, 2, 3...) instead of a one-hot row that is almost all zeros "
                           "(a sparse row). It suits examples that belong to exactly one class; "
                           "it is not more accurate than categorical_crossentropy, only lighter "
                           "on memory and time."),
    },
    "overfitting": {
        "label": QT_TR_NOOP("Overfitting"),
        "text": QT_TR_NOOP("The model fits the training examples, noise included, instead of "
                           "the pattern behind them: training loss keeps falling while "
                           "validation loss rises. Fewer epochs, more data, L2 or a smaller "
                           "model help."),
    },
    "divergence": {
        "label": QT_TR_NOOP("Divergence"),
        "text": QT_TR_NOOP("The loss grows without bound until it is no longer a finite number. "
                           "The usual cause is a learning rate too large for the problem: each "
                           "step jumps past the minimum to a worse point. Lower the learning "
                           "rate and Reset."),
    },
    # -- fields declared in engine/spec.py in the second wave (spec helper) --
    "init": {
        "label": QT_TR_NOOP("Initialiser"),
        "text": QT_TR_NOOP("How the starting weights are drawn: Glorot suits tanh and sigmoid, He "
                           "suits relu."),
    },
    "data_seed": {
        "label": QT_TR_NOOP("Data seed"),
        "text": QT_TR_NOOP("Random seed of the data and its split; empty uses Seed. Change it to "
                           "see another sample of the same problem."),
    },
    "init_seed": {
        "label": QT_TR_NOOP("Weights seed"),
        "text": QT_TR_NOOP("Random seed of the initial weights; empty uses Seed. Change it alone "
                           "to see how much a run depends on its start."),
    },
    "from_logits": {
        "label": QT_TR_NOOP("From logits"),
        "text": QT_TR_NOOP("The model outputs raw scores (logits) and the loss applies "
                           "sigmoid/softmax itself, as Keras's from_logits=True. With an explicit "
                           "sigmoid output this applies it twice: a classic mistake."),
    },
    "label_smoothing": {
        "label": QT_TR_NOOP("Label smoothing"),
        "text": QT_TR_NOOP("Moves every target towards the uniform distribution by this fraction "
                           "(0.1: a 1 becomes 0.95 for two classes), so the model stops pushing "
                           "its scores to infinity."),
    },
    "amsgrad": {
        "label": QT_TR_NOOP("AMSGrad"),
        "text": QT_TR_NOOP("Adam divides by the largest second-moment estimate seen so far, so its"
                           " steps never grow again."),
    },
    "centered": {
        "label": QT_TR_NOOP("Centered"),
        "text": QT_TR_NOOP("RMSprop divides by the gradient's variance instead of its mean "
                           "square."),
    },
    "nesterov": {
        "label": QT_TR_NOOP("Nesterov"),
        "text": QT_TR_NOOP("Momentum that looks ahead: the step uses where the momentum is about "
                           "to carry the weights."),
    },
    "exclude_bias": {
        "label": QT_TR_NOOP("Exclude biases"),
        "text": QT_TR_NOOP("LARS/Lamb: biases skip the trust ratio and weight decay, as most "
                           "large-batch recipes do."),
    },
    "decay_epochs": {
        "label": QT_TR_NOOP("Decay epochs"),
        "text": QT_TR_NOOP("The schedule's decay period in epochs, turned into steps for the "
                           "batch size; off uses Decay steps."),
    },
    "base_batch_size": {
        "label": QT_TR_NOOP("Base batch size"),
        "text": QT_TR_NOOP("The batch size the learning rate was tuned for; linear scaling "
                           "multiplies the rate by batch size / this."),
    },
    "restore_best_weights": {
        "label": QT_TR_NOOP("Restore best"),
        "text": QT_TR_NOOP("When early stopping ends a run, go back to the weights of the epoch "
                           "with the best validation loss."),
    },
}

# Words of the interface that are not glossary terms.
UI_TEXT = {
    "group_data": QT_TR_NOOP("Data"),
    "group_model": QT_TR_NOOP("Model"),
    "group_terms": QT_TR_NOOP("The four terms"),
    "group_optimizer": QT_TR_NOOP("Optimizer"),
    "group_schedule": QT_TR_NOOP("Schedule"),
    "group_regularisation": QT_TR_NOOP("Regularisation"),
    "rate_list_tip": QT_TR_NOOP("Quick list of learning rates, 0.00001 to 10 (as in "
                                "TensorFlow Playground)"),
    "pending": QT_TR_NOOP("Pending until Reset: {fields}. Training goes on with the current "
                          "model; press Reset (Ctrl+R) to build a new one with these settings."),
    "incompatible": QT_TR_NOOP("Cannot start with these settings: {reason}"),
    "default_samples": QT_TR_NOOP("default"),
    "pause": QT_TR_NOOP("Pause"),
    "resume": QT_TR_NOOP("Resume"),
    "continue": QT_TR_NOOP("Continue"),
    "smoothing": QT_TR_NOOP("Smoothing"),
    "use_suggested_lr": QT_TR_NOOP("Use suggested rate"),
    "finding_lr": QT_TR_NOOP("Running the learning-rate range test…"),
    "same_as_seed": QT_TR_NOOP("= seed"),
    "decay_in_steps": QT_TR_NOOP("off (steps)"),
    "until_paused": QT_TR_NOOP("until stopped"),
    "until_paused_tip": QT_TR_NOOP("Train until you press Stop, with no epoch limit."),
    "batch_uses": QT_TR_NOOP("(uses {n} = all training rows)"),
    "runs_dock": QT_TR_NOOP("Runs"),
    "x_axis": QT_TR_NOOP("x axis"),
    "x_step": QT_TR_NOOP("step"),
    "x_epoch": QT_TR_NOOP("epoch"),
    "x_samples": QT_TR_NOOP("samples seen"),
    "x_seconds": QT_TR_NOOP("wall time"),
    "pace": QT_TR_NOOP("Pace"),
    "pace_max": QT_TR_NOOP("max"),
    "pace_unit": QT_TR_NOOP("{pace} steps/s"),
    "kept_nothing": QT_TR_NOOP("Nothing to keep yet: train a few steps first."),
    "kept": QT_TR_NOOP("Kept run: {label}"),
}

# Short per-optimizer notes shown in the glossary (Help > Glossary), each with its "Try it".
OPTIMIZER_NOTES = {
    "sgd": QT_TR_NOOP("Plain gradient descent: each weight moves by the learning rate times "
                      "minus its gradient."),
    "momentum": QT_TR_NOOP("SGD with momentum 0.9: a running sum of past steps, so it speeds "
                           "up along shallow valleys and overshoots across steep ones."),
    "nesterov": QT_TR_NOOP("Momentum that looks ahead: the gradient is taken where the "
                           "momentum is about to carry the weights, which damps the "
                           "overshoot."),
    "rmsprop": QT_TR_NOOP("Divides each weight's step by a running average of its squared "
                          "gradients, so steep and flat directions move at a similar pace."),
    "adam": QT_TR_NOOP("Momentum plus RMSprop's per-weight scaling, with a bias correction "
                       "for the first steps; a robust default at rates near 0.001-0.01."),
    "adamw": QT_TR_NOOP("Adam with weight decay applied to the weights directly, not through "
                        "the gradient."),
    "adagrad": QT_TR_NOOP("Divides each step by the root of all squared gradients so far: "
                          "steps only ever shrink, fast at first, then slower."),
    "lamb": QT_TR_NOOP("Adam's update scaled per layer by a trust ratio (weight norm over "
                       "update norm), made for very large batches."),
    "lars": QT_TR_NOOP("SGD with momentum whose step is scaled per layer by a trust ratio "
                       "(weight norm over gradient norm), made for very large batches."),
}

# When a change made during training takes effect (gui/controls.py's ``live`` values).
LIVE_WHEN = (QT_TR_NOOP("next batch"), QT_TR_NOOP("next epoch"), QT_TR_NOOP("now"))


def label(key, language=None):
    """Return the control label of glossary entry ``key`` in ``language`` (None: current)."""
    return i18n.tr(TERMS[key]["label"], language)


def text(key, language=None):
    """Return the explanation of glossary entry ``key`` in ``language``."""
    return i18n.tr(TERMS[key]["text"], language)


def tooltip(key, language=None):
    """Return a rich-text tooltip: bold label, then the explanation, wrapped by Qt."""
    return f"<b>{label(key, language)}</b><br>{text(key, language)}"


def ui_text(key, language=None):
    """Return interface string ``key`` in ``language``."""
    return i18n.tr(UI_TEXT[key], language)


def _loss(name):
    try:
        return losses.get(name)
    except ConfigError:
        return None


def loss_note(name, language=None):
    """Return the one-line note of loss ``name`` from its registry entry (empty string for
    unknown names)."""
    loss = _loss(name)
    return i18n.tr(loss.summary, language) if loss is not None and loss.summary else ""


def loss_formula(name, language=None):
    """Return the formula of loss ``name`` for one sample, its words in ``language`` (empty
    string for unknown names)."""
    loss = _loss(name)
    return i18n.tr(loss.formula, language) if loss is not None and loss.formula else ""


def dataset_description(name, language=None):
    """Return the one-sentence description of dataset ``name`` (a CSV file's is generated
    from its columns and stays English)."""
    return i18n.tr(datasets.info(name).description, language)


def suggestion_why(name, language=None):
    """Return why the suggested settings of built-in dataset ``name`` learn it."""
    return i18n.tr(datasets.preset(name).why, language)


def optimizer_note(name, language=None):
    """Return the one-line note for optimizer ``name`` (empty string for unknown names)."""
    note = OPTIMIZER_NOTES.get(name)
    return i18n.tr(note, language) if note else ""


def sources():
    """Every English text of the tables, as ``(table, key, part, text)``."""
    found = [("TERMS", key, part, entry[part]) for key, entry in TERMS.items()
             for part in ("label", "text")]
    found += [("UI_TEXT", key, "ui_text", value) for key, value in UI_TEXT.items()]
    found += [("OPTIMIZER_NOTES", key, "optimizer_note", value)
              for key, value in OPTIMIZER_NOTES.items()]
    found += [("LIVE_WHEN", value, "live", value) for value in LIVE_WHEN]
    # the engine's registries: each loss's note and formula, each dataset's description, class
    # names and suggestion (engine/texts.py), translated in the catalogue's engine context
    found += [("engine", value, "registry", value) for value in sorted(texts.MARKED)]
    return found


def missing_translations():
    """List ``(entry, part, language)`` for every text that is empty or has no translation."""
    missing = []
    for table, key, part, source in sources():
        context = i18n.ENGINE_CONTEXT if table == "engine" else ""
        for language in LANGUAGES:
            if not source.strip() or (language != i18n.SOURCE_LANGUAGE
                                      and not i18n.has_translation(source, language, context)):
                missing.append((key, part, language))
    return missing
