"""The instruments (engine.instruments): exact Hessian-vector products, sharpness, the stability
limit, the gradient noise scale, per-example losses and layer norms, each checked against an
independent computation: finite differences, brute force, or an analytic case."""

import math

import numpy as np
import pytest

from engine import Run, Trainer, TrainingConfig, activations, losses
from engine.callbacks import Streamer
from engine.datasets import Dataset
from engine.instruments import (Curvature, InstrumentCallback, layer_norms, loss_histogram,
                                noise_scale, per_example_losses, probe_rows, sharpness,
                                stability_limit)

TINY = dict(n_samples=24, validation_split=0.0, hidden_layers=(3, 2), seed=3)


def exact_hessian(trainer, step=1e-5):
    """The full Hessian by central differences of the gradient (one column per weight)."""
    weights = trainer.model.get_weights()
    columns = []
    for j in range(weights.size):
        shifted = []
        for sign in (1.0, -1.0):
            moved = weights.copy()
            moved[j] += sign * step
            trainer.model.set_weights(moved)
            shifted.append(Curvature(trainer).gradient())
        columns.append((shifted[0] - shifted[1]) / (2 * step))
    trainer.model.set_weights(weights)
    return np.stack(columns, axis=1)


def r_op_hessian(trainer):
    curvature = Curvature(trainer)
    size = trainer.model.flat_params.size
    return np.stack([curvature.hvp(column) for column in np.eye(size)], axis=1)


def assert_hessians_agree(trainer):
    expected = exact_hessian(trainer)
    got = r_op_hessian(trainer)
    scale = np.abs(expected).max()
    assert scale > 0
    assert np.abs(got - expected).max() <= 1e-6 * scale
    return got


def _moved_off_init(trainer, epochs=2):
    """A few epochs of training, so outputs and margins are not where they start."""
    trainer.update(epochs=epochs)
    trainer.fit()
    return trainer


@pytest.mark.parametrize("activation", activations.names())
def test_hvp_equals_the_exact_hessian_for_every_activation(activation):
    for fields in (dict(dataset="plane", loss="mse"),
                   dict(dataset="blobs", loss="categorical_crossentropy", l2=0.01)):
        trainer = Trainer(TrainingConfig(**TINY, **fields, activation=activation,
                                         learning_rate=0.01))
        assert_hessians_agree(trainer)


#: a value other than the default for each loss option, so every option's form is checked
OPTION_VALUES = {"from_logits": True, "label_smoothing": 0.1}
#: the dataset a loss is checked on: the first of these tasks it suits. Regression before
#: the others: 0/1 or zero count targets put Keras's epsilon into MAPE's divisor, gradients of
#: 1e9 whose rounding central differences of the gradient cannot see through.
TASK_DATASETS = {"regression": "plane", "counts": "counts", "multiclass": "blobs",
                 "binary": "circle"}


def loss_cases():
    """Every registered loss, then once with each of its options set and once behind
    another output its formula allows (the first listed besides the implied one: the
    probability form of a crossentropy, not fused with its output)."""
    cases = []
    for name in losses.names():
        loss = losses.get(name)
        task = next(task for task in TASK_DATASETS if task in loss.tasks)
        fields = dict(loss=name, dataset=TASK_DATASETS[task])
        cases.append(pytest.param(fields, id=name))
        for option in losses.options(name):
            cases.append(pytest.param(dict(fields, **{option: OPTION_VALUES[option]}),
                                      id=f"{name}-{option}"))
        implied = loss.output_activation(task)
        other = [a for a in loss.output_activations or () if a != implied][:1]
        for activation in other:
            cases.append(pytest.param(dict(fields, output_activation=activation),
                                      id=f"{name}-{activation}"))
    return cases


def test_every_loss_option_has_a_value_to_check():
    options = {option for name in losses.names() for option in losses.options(name)}
    assert options <= set(OPTION_VALUES), (
        f"loss option(s) {sorted(options - set(OPTION_VALUES))} need a value in OPTION_VALUES")


@pytest.mark.parametrize("fields", loss_cases())
def test_hvp_equals_the_exact_hessian_for_every_loss(fields):
    trainer = Trainer(TrainingConfig(**TINY, activation="tanh", l2=0.001, learning_rate=0.01,
                                     **fields))
    if "output_activation" in fields:  # the loss reads the outputs, not fused logits
        assert not trainer.fused and trainer.model.activations[-1].name == \
            fields["output_activation"]
    assert_hessians_agree(_moved_off_init(trainer))


def test_hvp_in_float32_is_close_to_float64():
    config = TrainingConfig(**TINY, dataset="blobs", loss="categorical_crossentropy")
    single = Trainer(config.replace(dtype="float32"))
    double = Trainer(config)
    single.model.set_weights(double.model.get_weights())
    vector = np.random.default_rng(1).standard_normal(double.model.flat_params.size)
    expected = Curvature(double).hvp(vector)
    got = Curvature(single).hvp(vector.astype(np.float32))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-4 * np.abs(expected).max())


# -- sharpness and the stability limit ------------------------------------------------------------

PLANE = dict(dataset="plane", loss="mse", hidden_layers=(), optimizer="sgd")


def test_sharpness_of_linear_regression_is_the_top_eigenvalue_of_the_analytic_hessian():
    trainer = Trainer(TrainingConfig(**PLANE))
    x, _ = trainer.arrays("train")
    design = np.hstack([x, np.ones((x.shape[0], 1))])
    analytic = 2.0 / x.shape[0] * design.T @ design  # Keras's MSE: mean over the rows
    top = np.linalg.eigvalsh(analytic)[-1]
    assert sharpness(trainer) == pytest.approx(top, rel=1e-6)
    # the learning-rate lesson's "largest stable rate about 0.99" is 2 / this
    assert 2.0 / top == pytest.approx(0.99, abs=0.01)


@pytest.mark.parametrize("factor", [0.5, 0.8, 0.95, 1.05, 1.2, 1.5])
def test_a_rate_above_the_limit_diverges_and_below_it_does_not(factor):
    """Full-batch gradient descent on linear regression (convex, constant Hessian): stable
    exactly while lr < 2 / sharpness."""
    probe = Trainer(TrainingConfig(**PLANE))
    limit_rate = 2.0 / sharpness(probe)
    config = TrainingConfig(**PLANE, learning_rate=factor * limit_rate,
                            batch_size=probe.n_train, epochs=300)
    trainer = Trainer(config)
    history = trainer.fit()
    start = history.batch_loss[0]
    if factor < 1:
        assert history.diverged is None and history.batch_loss[-1] < start
        assert stability_limit(trainer) > sharpness(trainer)
    else:
        assert history.diverged is not None
        assert stability_limit(trainer) < sharpness(trainer)


def test_stability_limits_by_optimizer():
    base = TrainingConfig(**PLANE, learning_rate=0.1)
    assert stability_limit(Trainer(base)) == pytest.approx(20.0)
    momentum = Trainer(base.replace(optimizer="momentum", momentum=0.9))
    assert stability_limit(momentum) == pytest.approx((2 + 2 * 0.9) / 0.1)
    nesterov = Trainer(base.replace(optimizer="nesterov", momentum=0.9))
    assert stability_limit(nesterov) == pytest.approx((2 + 2 * 0.9) / (2.8 * 0.1))
    assert stability_limit(Trainer(base.replace(optimizer="adam"))) is None


def test_momentum_limit_matches_divergence_on_a_quadratic():
    """Heavy ball (beta 0.5) on linear regression: stable at 0.9 and 0.95 of (2 + 2 beta) /
    lambda, diverged at 1.05 and 1.1. (With beta 0.9 the transient of a run at 0.9 of the
    limit already rises past the divergence watch's 4x: measured, so beta 0.5 here.)"""
    probe = Trainer(TrainingConfig(**PLANE))
    top = sharpness(probe)
    for factor, diverges in ((0.9, False), (0.95, False), (1.05, True), (1.1, True)):
        rate = factor * (2 + 2 * 0.5) / top
        config = TrainingConfig(**dict(PLANE, optimizer="momentum"), momentum=0.5,
                                learning_rate=rate, batch_size=probe.n_train, epochs=400)
        trainer = Trainer(config)
        history = trainer.fit()
        assert (history.diverged is not None) == diverges
        assert (stability_limit(trainer) < top) == diverges


def test_nesterov_limit_matches_divergence_on_a_quadratic():
    """Keras's Nesterov form on linear regression: stable below (2 + 2 beta) / ((1 + 2 beta)
    lr), diverged above (its stable region on a quadratic, derived in stability_limit)."""
    probe = Trainer(TrainingConfig(**PLANE))
    top = sharpness(probe)
    for factor, diverges in ((0.9, False), (0.95, False), (1.05, True), (1.1, True)):
        rate = factor * (2 + 2 * 0.5) / ((1 + 2 * 0.5) * top)
        config = TrainingConfig(**dict(PLANE, optimizer="nesterov"), momentum=0.5,
                                learning_rate=rate, batch_size=probe.n_train, epochs=400)
        trainer = Trainer(config)
        history = trainer.fit()
        assert (history.diverged is not None) == diverges
        assert (stability_limit(trainer) < top) == diverges


# -- noise scale ---------------------------------------------------------------------------------

def brute_force_noise_scale(trainer):
    """One backward pass per example through the model's own backward."""
    model = trainer.model
    x, y = trainer.arrays("train")
    per_example = []
    for j in range(x.shape[0]):
        outputs = model.forward(x[j:j + 1])
        _, grad = trainer.loss.value_and_gradient(y[j:j + 1], outputs[-1], validate=False)
        l2, model.l2 = model.l2, 0.0
        model.backward(x[j:j + 1], outputs, grad)
        model.l2 = l2
        per_example.append(model.flat_grads.copy())
    per_example = np.array(per_example)
    mean = per_example.mean(axis=0)
    penalty = np.zeros_like(mean)
    penalty[:sum(k.size for k in model.kernels)] = 2 * model.l2 * np.concatenate(
        [k.ravel() for k in model.kernels])
    trace = ((per_example - mean) ** 2).sum() / (x.shape[0] - 1)
    full = mean + penalty
    return trace / (full @ full)


@pytest.mark.parametrize("fields", [
    dict(dataset="circle", loss="binary_crossentropy", activation="tanh"),
    dict(dataset="blobs", loss="categorical_crossentropy", activation="relu", l2=0.01),
    dict(dataset="plane", loss="mse", activation="elu"),
    dict(dataset="blobs", loss="hinge", activation="sigmoid", output_activation="linear"),
], ids=lambda f: f["loss"])
def test_noise_scale_equals_brute_force(fields):
    trainer = _moved_off_init(Trainer(TrainingConfig(n_samples=60, validation_split=0.0,
                                                     hidden_layers=(5, 4), **fields)))
    assert noise_scale(trainer) == pytest.approx(brute_force_noise_scale(trainer), rel=1e-9)


def test_noise_scale_of_linear_regression_with_known_noise():
    """y = x.w* + b* + noise (sigma), x ~ N(0, I_d): at weights off by (dw, db) the per-example
    MSE gradient is 2 r (x, 1) with r = x.dw + db - noise, G = 2 (dw, db) and E|g|^2 =
    4 ((d + 3)|dw|^2 + (d + 1)(db^2 + sigma^2)) (Gaussian fourth moments), so B_simple ->
    ((d + 2)|dw|^2 + d db^2 + (d + 1) sigma^2) / (|dw|^2 + db^2) as n grows."""
    d, n, sigma = 3, 1_000_000, 0.5
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d))
    w_true, b_true = np.array([1.0, -2.0, 0.5]), 0.3
    y = x @ w_true + b_true + sigma * rng.standard_normal(n)
    data = Dataset(name="known-noise", task="regression", x_train=x, y_train=y,
                   x_val=np.empty((0, d)), y_val=np.empty(0), class_names=(),
                   feature_names=tuple(f"x{i}" for i in range(d)), n_features=d, n_classes=0,
                   description="linear regression with known noise")
    trainer = Trainer(TrainingConfig(dataset="plane", loss="mse", hidden_layers=(),
                                     validation_split=0.0), dataset=data)
    dw, db = np.array([1.0, 0.5, -0.5]), 0.5
    trainer.model.set_weights(np.concatenate([w_true + dw, [b_true + db]]))
    off = dw @ dw + db * db
    expected = ((d + 2) * dw @ dw + d * db * db + (d + 1) * sigma ** 2) / off
    measured = noise_scale(trainer, probe=np.arange(n))
    # sampling error: |G|^2 from 1M rows is off by about 2 sqrt(B / n) = 0.5 % (one sigma)
    assert measured == pytest.approx(expected, rel=0.02)


def test_noise_scale_grows_on_digits_over_training():
    """Measured (seed 0): on digits ((32,) relu, sgd 0.1, batch 32) B_simple is 39.7 at the
    start and 1,913 after 10 epochs (48x); asserted: more than 10x."""
    trainer = Trainer(TrainingConfig(dataset="digits", loss="categorical_crossentropy",
                                     hidden_layers=(32,), activation="relu", optimizer="sgd",
                                     learning_rate=0.1, batch_size=32, epochs=10, seed=0))
    start = noise_scale(trainer)
    trainer.fit()
    end = noise_scale(trainer)
    assert end > 10 * start


def test_the_probe_is_the_whole_set_up_to_2000_rows_else_a_fixed_subset():
    small = Trainer(TrainingConfig(dataset="circle"))
    np.testing.assert_array_equal(probe_rows(small), np.arange(small.n_train))
    big = Trainer(TrainingConfig(dataset="circle", n_samples=5000, validation_split=0.2))
    rows = probe_rows(big)
    assert rows.size == 2000 and np.unique(rows).size == 2000
    np.testing.assert_array_equal(rows, probe_rows(big))


# -- per-example losses and norms -----------------------------------------------------------------

SEPARABLE = dict(dataset="blobs", hidden_layers=(16,), activation="relu", optimizer="adam",
                 learning_rate=0.01, batch_size=16, epochs=60, seed=0, noise=0.0)


def test_hinge_reaches_exactly_zero_on_a_separable_set_and_crossentropy_never_does():
    hinge = Trainer(TrainingConfig(**SEPARABLE, loss="hinge"))
    hinge.fit()
    hinge_losses = per_example_losses(hinge)
    assert np.mean(hinge_losses == 0) > 0.5
    crossentropy = Trainer(TrainingConfig(**SEPARABLE, loss="categorical_crossentropy"))
    crossentropy.fit()
    ce_losses = per_example_losses(crossentropy)
    assert np.count_nonzero(ce_losses == 0) == 0 and np.all(ce_losses > 0)
    counts = loss_histogram(hinge_losses)
    assert counts[0] == np.count_nonzero(hinge_losses == 0)
    assert counts.sum() == hinge_losses.size


def test_per_example_losses_average_to_the_evaluated_loss():
    trainer = _moved_off_init(Trainer(TrainingConfig(dataset="circle", l2=0.0)))
    for split in ("train", "val"):
        assert per_example_losses(trainer, split).mean() == pytest.approx(
            trainer.evaluate(split)["loss"], rel=1e-12)


def test_layer_norms_of_sgd_are_the_rate_times_the_gradient():
    trainer = _moved_off_init(Trainer(TrainingConfig(dataset="circle", optimizer="sgd",
                                                     learning_rate=0.05)))
    weights = trainer.model.get_weights()
    norms = layer_norms(trainer)
    assert list(norms) == trainer.model.param_names
    gradient = Curvature(trainer).gradient()
    curvature = Curvature(trainer)
    for name, piece, w in zip(trainer.model.param_names, curvature.split_list(gradient),
                              curvature.split_list(weights)):
        entry = norms[name]
        assert entry["gradient"] == pytest.approx(np.linalg.norm(piece), rel=1e-12)
        assert entry["update"] == pytest.approx(0.05 * np.linalg.norm(piece), rel=1e-9)
        assert entry["weight"] == pytest.approx(np.linalg.norm(w), rel=1e-12)
        assert entry["ratio"] == pytest.approx(entry["update"] / entry["weight"])
    np.testing.assert_array_equal(trainer.model.get_weights(), weights)  # nothing changed


def test_instruments_leave_the_trainer_as_it_was():
    trainer = _moved_off_init(Trainer(TrainingConfig(dataset="circle", optimizer="adam")))
    weights = trainer.model.get_weights()
    steps = trainer.step_count
    reference = Trainer(TrainingConfig(dataset="circle", optimizer="adam"))
    _moved_off_init(reference)
    for measure in (sharpness, noise_scale, layer_norms, per_example_losses):
        measure(trainer)
    np.testing.assert_array_equal(trainer.model.get_weights(), weights)
    assert trainer.step_count == steps
    trainer.update(epochs=3)
    reference.update(epochs=3)
    np.testing.assert_array_equal(trainer.fit().batch_loss, reference.fit().batch_loss)
    assert math.isfinite(trainer.history.batch_loss[-1])


# -- the instrument callback: cadence, history, stream, files --------------------------------------

CIRCLE = dict(dataset="circle", batch_size=32, epochs=3, seed=2)


def test_every_n_steps_measures_at_the_start_every_n_and_the_end():
    trainer = Trainer(TrainingConfig(**CIRCLE))
    callback = InstrumentCallback(("sharpness", "noise_scale"), every=5)
    history = trainer.fit(callbacks=[callback])
    table = history.instruments
    expected = list(range(0, history.n_steps + 1, 5))
    assert table.step.tolist() == expected
    # the values are those of the weights after that many steps
    replay = Trainer(TrainingConfig(**CIRCLE))
    for _ in range(10):
        replay.step()
    row = expected.index(10)
    assert table["noise_scale"][row] == pytest.approx(noise_scale(replay), rel=1e-12)
    assert table["sharpness"][row] == pytest.approx(sharpness(replay), rel=1e-3)
    assert table["stability_limit"][row] == pytest.approx(2 / trainer.config.learning_rate)
    assert table.epoch[row] == replay.history.n_epochs


def test_every_epoch_measures_at_the_start_and_each_epoch_end():
    trainer = Trainer(TrainingConfig(**CIRCLE))
    history = trainer.fit(callbacks=[InstrumentCallback(every="epoch")])
    table = history.instruments
    assert table.epoch.tolist() == [0, 1, 2, 3]
    assert table.step.tolist() == [0, *(trainer.steps_per_epoch * e for e in (1, 2, 3))]
    names = trainer.model.param_names
    assert {"sharpness", "stability_limit", "noise_scale", "loss_zero_fraction",
            "loss_bin_0", f"{names[0]}/weight", f"{names[-1]}/ratio"} <= set(table.columns)
    bins = [table[f"loss_bin_{i}"] for i in range(len(loss_histogram([1.0])))]
    np.testing.assert_array_equal(np.sum(bins, axis=0), trainer.n_train)
    assert np.all(np.isfinite(table["sharpness"]))


def test_measurements_are_streamed_with_the_chunks_and_saved_with_the_run(tmp_path):
    trainer = Trainer(TrainingConfig(**CIRCLE))
    streamed = []
    history = trainer.fit(callbacks=[InstrumentCallback(every=7),
                                     Streamer(lambda chunk, epochs: streamed.append(chunk))])
    rows = [c.instruments for c in streamed if c.instruments]
    table = history.instruments
    for name in ("step", "epoch", "sharpness", "noise_scale", "loss_zero_fraction"):
        joined = np.concatenate([r[name] for r in rows])
        expected = getattr(table, name) if name in ("step", "epoch") else table[name]
        np.testing.assert_array_equal(joined, expected)
    Run.from_trainer(trainer).save(tmp_path / "run")
    loaded = Run.load(tmp_path / "run").history.instruments
    assert loaded.columns == table.columns
    np.testing.assert_array_equal(loaded.step, table.step)
    for name in table.columns:
        np.testing.assert_array_equal(loaded[name], table[name])


def test_a_run_without_instruments_writes_no_instruments_file(tmp_path):
    trainer = Trainer(TrainingConfig(**CIRCLE))
    trainer.fit()
    written = Run.from_trainer(trainer).save(tmp_path / "run")
    assert not any(path.endswith("instruments.csv") for path in written)
    assert len(Run.load(tmp_path / "run").history.instruments) == 0


@pytest.mark.alone  # the cadence follows measured costs: a busy neighbour worker skews them
def test_auto_cadence_measures_cheap_instruments_more_often_than_expensive_ones():
    """Each instrument has its own share of the time budget: the per-example losses (a
    forward pass) fit many times into a 40-epoch run at batch 8, the sharpness (dozens of
    Hessian-vector products) at most as often. The costs themselves, and the order of
    instruments whose costs are close, are measured by tests/benchmarks/instrument_cost.py,
    not asserted here: the noise scale (0.23-0.32 ms a measurement here) against the losses
    (0.15-0.22 ms) came out 7 to 5 once in a serial full run on a loaded machine."""
    trainer = Trainer(TrainingConfig(dataset="circle", batch_size=8, epochs=40, seed=0))
    trainer.fit(callbacks=[InstrumentCallback()])
    table = trainer.history.instruments

    def count(column):
        return int(np.count_nonzero(~np.isnan(table[column]))) if column in table.columns else 0

    assert count("loss_zero_fraction") >= 3
    assert count("loss_zero_fraction") >= count("sharpness")
    assert count("noise_scale") >= count("sharpness")
    assert set(table.epoch) <= set(range(1, 41))  # at epoch ends only


def test_headless_instruments_flags_write_instruments_csv(tmp_path, capsys):
    import main
    out = tmp_path / "run"
    status = main.main(["--headless", "--dataset", "circle", "--epochs", "2", "--quiet",
                        "--instruments", "sharpness,noise_scale,losses,norms",
                        "--instrument-every", "10", "--out", str(out)])
    assert status == 0
    header = (out / "instruments.csv").read_text().splitlines()[0].split(",")
    assert header[:5] == ["step", "epoch", "sharpness", "stability_limit", "noise_scale"]
    assert "loss_zero_fraction" in header and "dense_1/kernel/ratio" in header
    # the default cadence on a run too short for it says so instead of writing nothing quietly
    capsys.readouterr()
    status = main.main(["--headless", "--dataset", "circle", "--epochs", "1", "--quiet",
                        "--instruments", "sharpness", "--out", str(tmp_path / "short")])
    assert status == 0
    assert "sharpness not measured" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main.main(["--headless", "--instruments", "curvature", "--out", str(out)])
    assert stopped.value.code == 2
    assert "unknown instrument(s) curvature; valid: sharpness, noise_scale, losses, norms" in \
        capsys.readouterr().err
    with pytest.raises(SystemExit):
        main.main(["--headless", "--instrument-every", "0", "--out", str(out)])
    assert "positive number of steps" in capsys.readouterr().err
