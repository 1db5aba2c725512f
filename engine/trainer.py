"""The trainer: mini-batch training with live knob changes, epochs, history and divergence.

One trainer is one run: ``Trainer(config)`` builds the data, the model, the loss and the
optimizer; ``step()`` trains one batch, ``fit()`` runs to the end (or until stopped) and
streams per-batch results in NumPy chunks, and ``update()`` changes knobs while it runs -- from
any thread.

How a batch is trained, as Keras does it: the loss is computed on the current weights (plus
the L1 and L2 penalties), then the gradient step is applied; the recorded batch loss is the loss the
batch saw. Each epoch visits the training data in a fresh seeded permutation; the last partial
batch is used, not dropped. An epoch's training loss and accuracy are running values over its
batches, as Keras reports them (no extra pass over the training data); the validation split is
evaluated once at the end of each epoch.

A sigmoid output with binary crossentropy, or a softmax output with (sparse) categorical
crossentropy, is trained as a linear output with ``from_logits=True`` -- the same maths in a
numerically stable form, as Keras does when it finds the logits behind a sigmoid or softmax
(``_keras_logits``); predictions still apply the activation.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from . import activations, datasets, losses, optimizers, spec
from .callbacks import ChanceWatch, Divergence, EarlyStopping, LambdaCallback, overrides
from .config import TrainingConfig
from .errors import ConfigError
from .history import Diverged, Event, History, Notice
from .messages import Message, join
from .model import MLP
from .schedules import Schedule
from .texts import QT_TRANSLATE_NOOP
from .threads import BlasThreads, threads_for

#: Fields that ``update()`` may change during a run, and when they take effect.
LIVE_FIELDS = spec.live_fields()
_FUSED = {("binary_crossentropy", "sigmoid"), ("categorical_crossentropy", "softmax"),
          ("sparse_categorical_crossentropy", "softmax")}
#: Longest single sleep of a paced wait: a pause or a pace change is seen within this time.
PACE_WAIT_SLICE = 0.02
#: A paced run that falls further behind its schedule than this (or one interval, if longer)
#: restarts the schedule instead of training a burst of overdue steps to catch up.
PACE_CATCH_UP = 0.1
# The divergence message and its advice: engine messages (engine.messages), marked for the
# GUI's catalogue.
DIVERGED_MESSAGE = QT_TRANSLATE_NOOP(
    "engine", "The {what} at step {step} (learning rate {lr:g}): the learning rate is probably "
              "too high. Each step jumped past the minimum, and the loss and the weights kept "
              "growing. Try a 10x lower learning rate ({lower:g}) and reset.")
LARGE_BATCH_ADVICE = QT_TRANSLATE_NOOP(
    "engine", "With a large batch ({batch}) a high rate needs a warm-up: set warmup epochs "
              "(e.g. 5) so the rate grows to its target.")
SCALING_ADVICE = QT_TRANSLATE_NOOP(
    "engine", "Linear scaling multiplied the rate by {factor:g} (batch {batch} / base {base}): "
              "warm up, or scale less (a larger base batch size).")
LARS_RELU_ADVICE = QT_TRANSLATE_NOOP(
    "engine", "With LARS and ReLU, too high a rate also kills the ReLUs (they output 0 for "
              "every input and stop learning): lower the learning rate.")
LOSS_NAN = QT_TRANSLATE_NOOP("engine", "loss became NaN")
LOSS_INFINITE = QT_TRANSLATE_NOOP("engine", "loss became infinite")
GRADIENT_NOT_FINITE = QT_TRANSLATE_NOOP("engine", "gradient became NaN or infinite")
#: A batch of at least this many samples counts as large for the divergence advice: the size
#: from which Goyal et al. (2017) needed a warm-up with linearly scaled rates.
LARGE_BATCH = 256


@dataclass(frozen=True)
class BatchResult:
    step: int
    epoch: int
    loss: float
    learning_rate: float


@dataclass(frozen=True)
class BatchChunk:
    """Per-batch results since the previous chunk, as arrays of equal length; ``instruments``:
    the instrument measurements recorded since then (``InstrumentTable.rows``: ``step``,
    ``epoch`` and one array per column), ``{}`` when none were."""

    step: np.ndarray
    epoch: np.ndarray
    loss: np.ndarray
    learning_rate: np.ndarray
    events: list
    trust_ratio: np.ndarray = None
    samples: np.ndarray = None
    seconds: np.ndarray = None
    notices: list = field(default_factory=list)
    instruments: dict = field(default_factory=dict)


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    train_loss: float
    val_loss: float
    train_accuracy: float
    val_accuracy: float
    seconds: float


def _running(param, value):
    """A live field's value as a running trainer holds it: an int or a float for those
    kinds (a config may hold a NumPy number), None (epochs: until stopped) as it is."""
    if value is None:
        return None
    return {"int": int, "float": float}.get(param.kind, lambda same: same)(value)


class Trainer:
    """Train an MLP on a dataset as ``config`` says.

    Parameters
    ----------
    config : TrainingConfig
        Validated here; an invalid config raises :class:`ConfigError`.
    dataset : engine.datasets.Dataset, optional
        Data already loaded for this config (the GUI reuses it between resets); by default
        the trainer loads ``config.dataset``.
    """

    def __init__(self, config, dataset=None):
        if not isinstance(config, TrainingConfig):
            raise ConfigError(f"Trainer needs a TrainingConfig, got {type(config).__name__}")
        config.validate()
        self.config = config
        self.dataset = dataset if dataset is not None else datasets.load(
            config.dataset, noise=config.noise, validation_split=config.validation_split,
            seed=config.seed if config.data_seed is None else config.data_seed,
            n_samples=config.n_samples, label_column=config.label_column)
        task = self.dataset.task
        loss_name = losses.canonical_name(config.loss)
        options = config.loss_kwargs()
        logits = options.pop("from_logits", False)
        probe = losses.get(loss_name, **options)
        self.encoding = probe.encoding(task)
        # from_logits with an automatic (or linear) output: the model outputs logits, which
        # is the fused form below; with an explicit activation the loss reads its outputs as
        # logits (the classic double-sigmoid mistake, shown as it is)
        implied = config.output_activation == "auto" or (
            logits and config.output_activation == "linear")
        self.output_activation = (probe.output_activation(task) if implied
                                  else config.output_activation)
        self.fused = (loss_name, self.output_activation) in _FUSED and (implied or not logits)
        self.loss = (losses.get(loss_name, from_logits=True, **options)
                     if self.fused or logits else probe)
        self._final_activation = activations.get(self.output_activation)
        self.decision_threshold = probe.decision_threshold

        dtype = np.dtype(np.float64 if config.dtype == "float64" else np.float32)
        self._x_train = np.ascontiguousarray(self.dataset.x_train, dtype=dtype)
        self._x_val = np.ascontiguousarray(self.dataset.x_val, dtype=dtype)
        self._y_train = self._encode(self.dataset.y_train, dtype)
        self._y_val = self._encode(self.dataset.y_val, dtype)
        n_outputs = (max(self.dataset.n_classes, 2) if self.encoding == "sparse"
                     else self._y_train.shape[1])
        config.check_size(self._x_train.shape[0], self._x_train.shape[1], n_outputs)
        self.model = MLP(self._x_train.shape[1], n_outputs, config.hidden_layers,
                         config.activation, "linear" if self.fused else self.output_activation,
                         config.init, config.l2, config.dtype,
                         config.seed if config.init_seed is None else config.init_seed,
                         l1=config.l1)
        self.optimizer = optimizers.get(config.optimizer, learning_rate=config.learning_rate,
                                        **config.optimizer_kwargs())
        self._params, self._grads = self.model.params, self.model.grads
        self._optimizer_lr = self.optimizer.learning_rate
        self.schedule = Schedule(config.schedule, config.decay_steps, config.decay_rate, 0)
        # the live fields this trainer holds (spec: held_by="trainer"): base_learning_rate,
        # batch_size, epochs, patience
        for param in spec.PARAMS:
            if param.held_by == "trainer":
                setattr(self, param.held_as, _running(param, getattr(config, param.name)))
        self._rng = np.random.default_rng(config.seed + 1)
        self.trust_tracked = config.optimizer in ("lars", "lamb")
        self.history = History(n_trust=len(self._params) if self.trust_tracked else 0)
        self.step_count = 0
        self.samples_seen = 0
        self.epoch = 0
        # training seconds: those of finished stretches plus the running one (since _resumed_at)
        self._clock = time.monotonic
        self._seconds_before = 0.0
        self._resumed_at = None
        self._position = self.n_train  # forces a new epoch on the first batch
        self._epoch_loss_sum = 0.0
        self._epoch_batches = 0
        self._epoch_correct = 0
        self._epoch_started = 0.0
        self._labels_train = (np.asarray(self.dataset.y_train, dtype=np.int64)
                              if self.is_classification else None)
        self._x_epoch = np.empty_like(self._x_train)
        self._y_epoch = np.empty_like(self._y_train)
        self._labels_epoch = (None if self._labels_train is None
                              else np.empty_like(self._labels_train))
        # the model's raw output is compared with this: logits (fused) or activated values
        self._raw_threshold = 0.0 if self.fused else self.decision_threshold
        self._pending = {}
        self._lock = threading.Lock()
        self._pace = None
        self._pace_changed = False
        self._wake = threading.Event()
        self._unsent_events = []
        self._unsent_notices = []
        self._sent = 0
        self._instruments_sent = 0
        self.stop_training = False
        # the run's own rules, whoever drives it (fit or step), in the order their epoch-end
        # notices and checks come: chance level, early stopping, then the weight check; a fit
        # adds its caller's callbacks after them
        self._divergence = Divergence(self._loss_floor(loss_name, probe))
        self._early_stopping = EarlyStopping(restore_best_weights=config.restore_best_weights)
        self._own_callbacks = [self._early_stopping, self._divergence]
        if self._labels_train is not None and self.n_train:
            share = float(np.bincount(self._labels_train).max()) / self.n_train
            self._own_callbacks.insert(0, ChanceWatch(share))
        for callback in self._own_callbacks:
            callback.set_trainer(self)
        self._use_callbacks(())

    # -- data ----------------------------------------------------------------------------------

    @property
    def n_train(self):
        return self._x_train.shape[0]

    @property
    def task(self):
        return self.dataset.task

    @property
    def is_classification(self):
        return self.dataset.task in losses.CLASSIFICATION

    def _encode(self, y, dtype):
        """Labels as the loss wants them: (n, k) in the model's dtype, or for the sparse loss
        the integer class ids (n,), which it reads by index (no one-hot copy)."""
        if self.encoding == "sparse":
            return np.ascontiguousarray(np.asarray(y, dtype=np.int64))
        if self.encoding in ("binary", "values"):
            return np.ascontiguousarray(np.asarray(y, dtype=dtype)[:, None])
        n_classes = max(self.dataset.n_classes, 2)
        return np.ascontiguousarray(np.eye(n_classes, dtype=dtype)[np.asarray(y, dtype=int)])

    def _loss_floor(self, loss_name, probe):
        """A lower bound of the mean loss, for the losses that go below 0: cosine proximity's
        is -1; Poisson's, reached by predicting every count exactly, depends on the counts.
        0 for the others."""
        if loss_name == "cosine_proximity":
            return -1.0
        if loss_name != "poisson" or self.n_train == 0:
            return 0.0
        exact = probe.per_sample(self._y_train, self._y_train, validate=False)
        return min(0.0, float(exact.mean()))

    def arrays(self, split="train"):
        """``(x, y)`` of a split as the model and the loss see them: x in the model's dtype,
        y encoded for the loss (one-hot, a column, or class ids for the sparse loss)."""
        if split not in ("train", "val"):
            raise ConfigError(f"split must be 'train' or 'val', got {split!r}")
        if split == "train":
            return self._x_train, self._y_train
        return self._x_val, self._y_val

    @property
    def label_bytes(self):
        """Bytes of the label arrays the trainer trains and validates on."""
        return self._y_train.nbytes + self._y_val.nbytes

    @property
    def batch_size(self):
        """Rows per batch: the configured size, at most the training set's rows."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, size):
        self._batch_size = min(size, self.n_train)
        self._set_warmup()  # warm-up and decay periods are counted in epochs

    @property
    def steps_per_epoch(self):
        return -(-self.n_train // self.batch_size)

    @property
    def finished(self):
        """True once the configured epochs are done, or the run diverged or stopped early.

        With ``epochs`` None (train until stopped) only divergence or early stopping finish
        a run.
        """
        if self.history.diverged is not None or self.history.stop_reason == "early_stopping":
            return True
        if self.epochs is None:
            return False
        return self.epoch >= self.epochs and self._position >= self.n_train

    # -- learning rate -------------------------------------------------------------------------

    def _set_warmup(self):
        """Warm-up (and, with decay_epochs, the decay period) from epochs to steps at the
        current batch size, so both mean the same share of training at any batch size."""
        steps = -(-self.n_train // self.batch_size)
        self.schedule.warmup_steps = int(round(self.config.warmup_epochs * steps))
        if self.config.decay_epochs is not None:
            self.schedule.decay_steps = max(1, int(round(self.config.decay_epochs * steps)))

    def current_learning_rate(self):
        """The learning rate the next batch will use (schedule, warmup and scaling applied)."""
        base = self.base_learning_rate
        if self.config.linear_scaling:
            base *= self.batch_size / self.config.base_batch_size
        return self.schedule(self.step_count, base)

    # -- live changes --------------------------------------------------------------------------

    def update(self, **changes):
        """Change knobs during a run, from any thread.

        Each field applies when its spec row's ``live`` says (learning rate, optimizer
        hyperparameters, l1 and l2 from the next batch, batch size from the next epoch, epochs
        and patience at once), set where its ``held_by`` says. Each applied change is recorded
        as an :class:`Event`. Fields that need a new model raise ConfigError.
        """
        for name, value in changes.items():
            if name not in LIVE_FIELDS:
                raise ConfigError(
                    f"{name} cannot change during a run: it needs a new model, so it applies "
                    f"on reset. Live fields: {', '.join(sorted(LIVE_FIELDS))}")
        self.config.replace(**changes).validate_fields(changes)
        with self._lock:
            for name, value in changes.items():
                if LIVE_FIELDS[name] == "now":
                    self._record_change(name, value, self.step_count + 1)
                else:
                    self._pending[name] = value

    def _apply_pending(self, at_epoch_start):
        with self._lock:
            ready = {name: value for name, value in self._pending.items()
                     if at_epoch_start or LIVE_FIELDS[name] != "next epoch"}
            for name, value in ready.items():
                del self._pending[name]
                self._record_change(name, value, self.step_count + 1)

    def _record_change(self, name, value, step):
        """Apply one live change (caller holds the lock) and record it if it changed."""
        old = self._set_live(name, value)
        if old != value:
            event = Event(step, name, old, value)
            self.history.events.append(event)
            self._unsent_events.append(event)

    def _set_live(self, name, value):
        """Set live field ``name`` where its spec row says it is held; return the old value."""
        param = spec.get(name)
        holder = {"trainer": self, "model": self.model, "optimizer": self.optimizer}[
            param.held_by]
        old = getattr(holder, param.held_as)
        setattr(holder, param.held_as, _running(param, value))
        return old

    # -- training ------------------------------------------------------------------------------

    def _begin_epoch(self):
        if self._pending:
            self._apply_pending(at_epoch_start=True)
        self.epoch += 1
        order = self._rng.permutation(self.n_train)
        # gathered into buffers reused every epoch: batches are then contiguous slices, and a
        # fresh multi-megabyte array per epoch would cost page faults on large datasets
        np.take(self._x_train, order, axis=0, out=self._x_epoch)
        np.take(self._y_train, order, axis=0, out=self._y_epoch)
        if self._labels_train is not None:
            np.take(self._labels_train, order, out=self._labels_epoch)
        self._position = 0
        self._epoch_loss_sum = 0.0
        self._epoch_batches = 0
        self._epoch_correct = 0
        self._epoch_started = time.perf_counter()
        self.history.begin_epoch()

    def train_batch(self, learning_rate=None):
        """Train one batch; return its loss. Handles epoch boundaries on both sides.

        The core that :meth:`step` and :meth:`fit` drive, without their bookkeeping (the
        finished check, the training clock, chunks, pace, stop and pause): the LR range test
        drives it, and tests/benchmarks/pace_speed.py measures full speed against it.
        ``learning_rate`` forces this batch's rate (the LR range test) and skips the
        callbacks' ``on_batch_loss`` (the smoothed-loss divergence rule among them).
        """
        if self._position >= self.n_train:
            self._begin_epoch()
        elif self._pending:
            self._apply_pending(at_epoch_start=False)
        start = self._position
        end = min(start + self.batch_size, self.n_train)
        x, y = self._x_epoch[start:end], self._y_epoch[start:end]
        self._position = end
        model = self.model
        outputs = model.forward(x)
        loss, grad = self.loss.value_and_gradient(y, outputs[-1], validate=False)
        if model.l1 or model.l2:
            loss += model.penalty()
        lr = self.current_learning_rate() if learning_rate is None else learning_rate
        self.step_count += 1
        self.samples_seen += end - start
        self.history.record_batch(loss, lr, self.samples_seen, self.training_seconds())
        if not math.isfinite(loss):
            self.diverge(Message(LOSS_NAN if np.isnan(loss) else LOSS_INFINITE),
                         loss, lr)
            return loss
        # a forced rate is the LR range test's sweep (engine.lr_finder), which drives the loss
        # up on purpose and has its own stop rule
        if learning_rate is None:
            for hook in self._batch_hooks:
                hook(loss, end - start)
            if self.history.diverged is not None:
                return loss
        if self._labels_train is not None:
            self._epoch_correct += self._count_correct(outputs[-1], start, end)
        model.backward(x, outputs, grad)
        if lr != self._optimizer_lr:
            self.optimizer.learning_rate = self._optimizer_lr = lr
        try:
            self.optimizer.apply(self._params, self._grads)
        except ValueError:
            self.diverge(Message(GRADIENT_NOT_FINITE), loss, lr)
            return loss
        if self.trust_tracked:
            self.history.record_trust(self.optimizer.trust_ratios)
        self._epoch_loss_sum += loss
        self._epoch_batches += 1
        if end >= self.n_train:
            self._end_epoch()
        return loss

    def training_seconds(self):
        """Seconds spent training since the run began: inside ``fit`` (pace waits included,
        pauses excluded) and inside ``step`` calls."""
        if self._resumed_at is None:
            return self._seconds_before
        return self._seconds_before + (self._clock() - self._resumed_at)

    @contextlib.contextmanager
    def off_the_clock(self):
        """Time spent inside is not training time (``history.seconds``, the pace's
        schedule aside): what a callback measures without training, for instance."""
        running = self._resumed_at is not None
        if running:
            self._pause_clock()
        try:
            yield
        finally:
            if running:
                self._resume_clock(self._clock)

    def _resume_clock(self, clock):
        self._clock = clock
        self._resumed_at = clock()

    def _pause_clock(self):
        if self._resumed_at is not None:
            self._seconds_before += self._clock() - self._resumed_at
            self._resumed_at = None

    def _count_correct(self, output, start, end):
        """Correct predictions of this batch, from the forward pass the loss used."""
        if output.shape[1] == 1:
            predicted = output[:, 0] > self._raw_threshold
        else:
            predicted = output.argmax(axis=1)
        return int(np.count_nonzero(predicted == self._labels_epoch[start:end]))

    def diverge(self, what, loss, lr=None):
        """End the run as diverged at this step: ``what`` happened (a phrase, "loss became
        NaN"), with the advice for this config; ``lr`` defaults to the last step's."""
        lr = float(self.history.learning_rate[-1] if lr is None else lr)
        parts = [Message(DIVERGED_MESSAGE, what=what, step=self.step_count, lr=lr,
                         lower=float(f"{self.base_learning_rate / 10:.3g}"))]
        if self.batch_size >= LARGE_BATCH:
            parts.append(Message(LARGE_BATCH_ADVICE, batch=self.batch_size))
        if self.config.linear_scaling and self.batch_size > self.config.base_batch_size:
            base = self.config.base_batch_size
            parts.append(Message(SCALING_ADVICE, factor=self.batch_size / base,
                                 batch=self.batch_size, base=base))
        if self.config.optimizer == "lars" and self.config.activation == "relu":
            parts.append(Message(LARS_RELU_ADVICE))
        self.history.diverged = Diverged(self.step_count, float(loss), join(*parts))
        self.history.stop_reason = "diverged"

    def _end_epoch(self):
        val = self.evaluate("val")
        seconds = time.perf_counter() - self._epoch_started
        mean_loss = self._epoch_loss_sum / max(self._epoch_batches, 1)
        train_accuracy = (self._epoch_correct / self.n_train
                          if self._labels_train is not None else None)
        self.history.record_epoch(mean_loss, val["loss"], train_accuracy, val["accuracy"],
                                  seconds)
        self.optimizer.flush_subnormals()
        result = EpochResult(self.epoch, mean_loss,
                             np.nan if val["loss"] is None else val["loss"],
                             np.nan if train_accuracy is None else train_accuracy,
                             np.nan if val["accuracy"] is None else val["accuracy"], seconds)
        for callback in self._epoch_callbacks:
            callback.on_epoch_end(result)

    @property
    def restored_epoch(self):
        """The epoch whose weights early stopping restored (restore_best_weights), else None."""
        return self._early_stopping.restored_epoch

    def notify(self, kind, message):
        """Say something a learner should know (a :class:`Notice` at this step): kept in the
        history and sent with the next chunk."""
        notice = Notice(self.step_count, kind, message)
        self.history.notices.append(notice)
        with self._lock:
            self._unsent_notices.append(notice)

    def step(self):
        """Train exactly one batch and return its :class:`BatchResult`.

        Raises ConfigError when the run has already finished (or diverged).
        """
        if self.finished:
            raise ConfigError("the run is finished; reset to train again (or raise epochs)")
        self._resume_clock(time.monotonic)
        try:
            with np.errstate(all="ignore"):
                loss = self.train_batch()
        finally:
            self._pause_clock()
        if self._position < self.n_train:  # at an epoch's end the epoch hooks checked them
            self._divergence.check_weights()
        return BatchResult(self.step_count, self.epoch, float(loss),
                           float(self.history.learning_rate[-1]))

    # -- pace --------------------------------------------------------------------------------

    def set_pace(self, steps_per_second):
        """Train at most ``steps_per_second`` steps a second (None: full speed), from any thread.

        Applies at the next batch of a running ``fit`` (a wait in progress is cut short), with
        no reset. The pace is a property of the run's execution, not of its config.
        """
        if steps_per_second is not None:
            if (isinstance(steps_per_second, bool)
                    or not isinstance(steps_per_second, (int, float))
                    or not math.isfinite(steps_per_second) or steps_per_second <= 0):
                raise ConfigError(f"pace must be a positive number of steps per second or "
                                  f"None (full speed), got {steps_per_second!r}")
            steps_per_second = float(steps_per_second)
        with self._lock:
            self._pace = steps_per_second
            self._pace_changed = True
            self._wake.set()

    @property
    def pace(self):
        """Steps per second the run is held to, or None for full speed."""
        return self._pace

    def _wait_until(self, due, clock, sleep, stop, pause):
        """Sleep until ``clock() >= due``; False if stop, pause or a pace change cut it short.

        The wait is made of slices of at most ``PACE_WAIT_SLICE`` seconds so that a pause or a
        pace change is seen within one slice; the default sleep waits on ``stop`` itself (or
        on the trainer's wake-up event), so it releases the GIL and a stop ends it at once.
        """
        while True:
            remaining = due - clock()
            if remaining <= 0:
                return True
            if ((stop is not None and stop.is_set()) or (pause is not None and pause.is_set())
                    or self._pace_changed):
                return False
            sleep(min(remaining, PACE_WAIT_SLICE))

    # -- fit -----------------------------------------------------------------------------------

    def fit(self, callbacks=None, on_batches=None, on_epoch=None, stop=None, pause=None,
            chunk_seconds=1 / 30, pace=None, clock=time.monotonic, sleep=None):
        """Train until the epochs are done, ``stop`` is set, a callback stops it, or the run
        diverges.

        Parameters
        ----------
        callbacks : list of engine.callbacks.Callback, optional
            Their hooks are called from this thread, after the trainer's own callbacks
            (divergence, chance level, early stopping): ``on_batches`` about every
            ``chunk_seconds`` with the new batches, and once at the end. At a pace of ``1 /
            chunk_seconds`` steps per second or slower (30 and below by default) it is called
            after every batch, so a plot can draw each step; faster, the batches arrive in
            chunks as at full speed.
        on_batches : callable(BatchChunk), optional
            A function as a callback's ``on_batches`` (after ``callbacks``).
        on_epoch : callable(EpochResult), optional
            A function as a callback's ``on_epoch_end`` (after ``callbacks``).
        stop, pause : threading.Event, optional
            Polled between batches; while ``pause`` is set the run waits (``stop`` still ends
            it).
        pace : float, optional
            Steps per second, as :meth:`set_pace` (which may change it during the run); None
            keeps the trainer's pace (full speed unless ``set_pace`` said otherwise).
        clock : callable() -> float
            Seconds, monotonic: the pace's schedule, the chunk timing and ``history.seconds``
            read it. Tests pass a fake one.
        sleep : callable(seconds), optional
            How a paced or paused run waits; by default ``stop.wait`` (or an internal event's), which
            releases the GIL and wakes at once on stop. Tests pass a fake one.

        Returns
        -------
        History

        Notes
        -----
        The pace keeps a schedule: step *n* is due one interval after step *n - 1* was due,
        not after it finished, so the cost of a step does not slow the mean rate, and a late
        wake-up is made up by the next steps. A run that falls more than
        ``max(interval, PACE_CATCH_UP)`` seconds behind (a step slower than the pace, a
        pause) restarts its schedule from now rather than racing to catch up. Full speed
        (pace None) runs the unpaced loop: one attribute test per batch.
        """
        if pace is not None:
            self.set_pace(pace)
        if sleep is None:
            sleep = (stop if stop is not None else self._wake).wait
        callbacks = list(callbacks or ())
        if on_batches is not None or on_epoch is not None:
            callbacks.append(LambdaCallback(on_batches=on_batches, on_epoch_end=on_epoch))
        for callback in callbacks:
            callback.set_trainer(self)
        self._use_callbacks(callbacks)
        try:
            with np.errstate(all="ignore"):
                return self._fit(callbacks, stop, pause, chunk_seconds, clock, sleep)
        finally:
            self._use_callbacks(())

    def _use_callbacks(self, extra):
        """The hooks the next batches call: the trainer's own callbacks, then ``extra``."""
        every = self._own_callbacks + list(extra)
        self._batch_hooks = [c.on_batch_loss for c in every if overrides(c, "on_batch_loss")]
        self._chunk_callbacks = [c for c in every if overrides(c, "on_batches")]
        self._epoch_callbacks = [c for c in every if overrides(c, "on_epoch_end")]

    def _fit(self, callbacks, stop, pause, chunk_seconds, clock, sleep):
        next_send = clock() + chunk_seconds
        self.stop_training = False
        self._pace_changed = True
        interval = due = None
        every_batch = False
        # BLAS on one thread for small products (engine.threads), set again if the batch size
        # changes live, and the library's own count back however the run ends
        blas = BlasThreads()
        self._resume_clock(clock)
        try:
            blas.set(threads_for(self.batch_size, self.model.layer_sizes))
            sized_for = self.batch_size
            # the callbacks' own work runs with the training's BLAS threads, too
            for callback in callbacks:
                callback.on_train_begin()
            while not self.finished:
                if self.stop_training or (stop is not None and stop.is_set()):
                    self.history.stop_reason = "stopped"
                    break
                if pause is not None and pause.is_set():
                    self._send()
                    self._pause_clock()
                    while pause.is_set() and not (stop is not None and stop.is_set()):
                        sleep(PACE_WAIT_SLICE)
                    self._resume_clock(clock)
                    due = None
                    continue
                if self._pace_changed:
                    with self._lock:
                        self._pace_changed = False
                        self._wake.clear()
                        pace = self._pace
                    new_interval = None if pace is None else 1.0 / pace
                    if due is not None and new_interval is not None:
                        due += new_interval - interval  # the previous step's time + the new one
                    elif new_interval is None:
                        due = None
                    interval = new_interval
                    every_batch = interval is not None and interval >= chunk_seconds
                if interval is not None:
                    now = clock()
                    if due is None or now - due > max(interval, PACE_CATCH_UP):
                        due = now
                    if not self._wait_until(due, clock, sleep, stop, pause):
                        continue
                    due += interval
                self.train_batch()
                if self.batch_size != sized_for:
                    blas.set(threads_for(self.batch_size, self.model.layer_sizes))
                    sized_for = self.batch_size
                if every_batch or clock() >= next_send:
                    self._send()
                    next_send = clock() + chunk_seconds
            if self.history.stop_reason is None and self.finished:
                self.history.stop_reason = "finished"
            for callback in callbacks:
                callback.on_train_end()
        finally:
            self._pause_clock()
            blas.restore()
        self._send()
        return self.history

    def take_chunk(self):
        """The batches (and events) recorded since the last chunk, as a :class:`BatchChunk`."""
        start, end = self._sent, self.history.n_steps
        self._sent = end
        with self._lock:
            events, self._unsent_events = self._unsent_events, []
            notices, self._unsent_notices = self._unsent_notices, []
        history = self.history
        trust = None if history.trust_ratio is None else history.trust_ratio[start:end].copy()
        measured = len(history.instruments)
        instruments = (history.instruments.rows(self._instruments_sent, measured)
                       if measured > self._instruments_sent else {})
        self._instruments_sent = measured
        return BatchChunk(np.arange(start + 1, end + 1, dtype=np.int64),
                          history.epoch[start:end] if end > start else np.empty(0, np.int64),
                          history.batch_loss[start:end].astype(np.float64),
                          history.learning_rate[start:end].astype(np.float64), events, trust,
                          history.samples[start:end].copy(), history.seconds[start:end].copy(),
                          notices, instruments)

    def _send(self):
        """The callbacks' ``on_batches`` with one chunk of what is new, if anything is."""
        if (self.history.n_steps > self._sent or self._unsent_events or self._unsent_notices
                or len(self.history.instruments) > self._instruments_sent):
            chunk = self.take_chunk()
            for callback in self._chunk_callbacks:
                callback.on_batches(chunk)

    # -- inference -----------------------------------------------------------------------------

    def predict(self, x):
        """Model outputs after the output activation, shape (n, k)."""
        with np.errstate(all="ignore"):  # a blown-up model predicts inf/NaN, silently
            outputs = self.model.predict(np.asarray(x, dtype=self.model.dtype))
            return self._final_activation.forward(outputs) if self.fused else outputs

    def classify(self, x, outputs=None):
        """Predicted class ids (n,) for a classification dataset.

        ``outputs``: ``predict(x)`` when the caller already has it, to skip a second pass.
        """
        if not self.is_classification:
            raise ConfigError(f"dataset '{self.config.dataset}' is a {self.task} task; "
                              f"it has no classes to predict")
        return self._decide(self.predict(x) if outputs is None else np.asarray(outputs))

    def _decide(self, outputs):
        if outputs.shape[1] == 1:
            return (outputs[:, 0] > self.decision_threshold).astype(np.int64)
        return outputs.argmax(axis=1)

    def evaluate(self, split="val"):
        """Loss (with the L1 and L2 penalties, as Keras reports it) and accuracy on a split.

        Returns ``{"loss": float or None, "accuracy": float or None}``; None where the split is
        empty or the task has no classes.
        """
        if split not in ("train", "val"):
            raise ConfigError(f"split must be 'train' or 'val', got {split!r}")
        with np.errstate(all="ignore"):  # a blown-up model evaluates to NaN, silently
            return self._evaluate(split)

    def _evaluate(self, split):
        x, y = (self._x_train, self._y_train) if split == "train" else (self._x_val, self._y_val)
        labels = self.dataset.y_train if split == "train" else self.dataset.y_val
        if x.shape[0] == 0:
            return {"loss": None, "accuracy": None}
        outputs = self.model.predict(x)
        if not np.all(np.isfinite(outputs)):
            return {"loss": float("nan"), "accuracy": None}
        value = float(self.loss.per_sample(y, outputs, validate=False).mean())
        value += self.model.penalty()
        accuracy = None
        if self.is_classification:
            if self.fused:
                outputs = self._final_activation.forward(outputs)
            predicted = self._decide(outputs)
            accuracy = float(np.mean(predicted == np.asarray(labels, dtype=np.int64)))
        return {"loss": value, "accuracy": accuracy}
