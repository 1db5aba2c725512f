"""Export as Keras script: the file compiles, says what LossLab trains, and carries its data.

When keras is importable, the exported model with LossLab's initial weights gives LossLab's
loss on the same batch (skipped otherwise; keras is not a dependency).
"""

import importlib.util

import numpy as np
import pytest

from engine import Trainer, TrainingConfig, losses, optimizers, schedules
from engine.keras_export import export_data, keras_script, write_keras_script

DATASET_FOR = {"binary": "circle", "multiclass": "blobs", "regression": "sine",
               "counts": "counts"}


def fitting_dataset(loss):
    tasks = losses.get(loss).tasks
    for task in ("binary", "multiclass", "regression", "counts"):
        if task in tasks:
            return DATASET_FOR[task]
    raise AssertionError(loss)


@pytest.mark.parametrize("loss", losses.names())
def test_every_loss_exports_under_its_keras_3_name(loss):
    config = TrainingConfig(dataset=fitting_dataset(loss), loss=loss, n_samples=60)
    source = keras_script(config)
    compile(source, "exported.py", "exec")
    assert f"loss='{losses.get(loss).keras_name}'" in source


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_every_optimizer_exports(optimizer):
    config = TrainingConfig(optimizer=optimizer, n_samples=60, learning_rate=0.05)
    source = keras_script(config)
    compile(source, "exported.py", "exec")
    expected = {"sgd": "keras.optimizers.SGD(learning_rate=schedule)",
                "momentum": "keras.optimizers.SGD(learning_rate=schedule, momentum=0.9)",
                "nesterov": "keras.optimizers.SGD(learning_rate=schedule, momentum=0.9, "
                            "nesterov=True)",
                "rmsprop": "keras.optimizers.RMSprop(learning_rate=schedule)",
                "adam": "keras.optimizers.Adam(learning_rate=schedule)",
                "adamw": "keras.optimizers.AdamW(learning_rate=schedule)",
                "adagrad": "keras.optimizers.Adagrad(learning_rate=schedule)",
                "lamb": "keras.optimizers.Lamb(learning_rate=schedule)",
                "lars": "LARS(learning_rate=schedule)"}[optimizer]
    assert expected in source
    assert ("class LARS(keras.optimizers.Optimizer)" in source) == (optimizer == "lars")


def test_optimizer_hyperparameters_and_lars_names():
    source = keras_script(TrainingConfig(optimizer="lars", momentum=0.8, weight_decay=1e-4,
                                         trust_coef=0.002, epsilon=1e-6, exclude_bias=True,
                                         n_samples=60))
    assert ("LARS(learning_rate=schedule, eps=1e-06, exclude_bias=True, "
            "lars_weight_decay=0.0001, momentum=0.8, trust_coef=0.002)") in source
    adam = keras_script(TrainingConfig(optimizer="adam", beta_1=0.8, n_samples=60))
    assert "keras.optimizers.Adam(learning_rate=schedule, beta_1=0.8)" in adam


@pytest.mark.parametrize("schedule", schedules.names())
def test_schedules_warmup_and_linear_scaling(schedule):
    config = TrainingConfig(schedule=schedule, decay_steps=40, decay_rate=0.5, warmup_epochs=2,
                            linear_scaling=True, base_batch_size=16, batch_size=32,
                            n_samples=100)
    source = keras_script(config)
    compile(source, "exported.py", "exec")
    steps = Trainer(config).steps_per_epoch  # 80 training samples at 32: 3 steps
    assert f"Warmup(learning_rate, {2 * steps}, " in source
    assert "learning_rate = learning_rate * BATCH_SIZE / 16" in source
    if schedule == "constant":
        assert f"Warmup(learning_rate, {2 * steps}, learning_rate)" in source
    else:
        assert "(learning_rate, 40" in source


def test_decay_epochs_are_converted_to_steps_for_the_batch_size():
    config = TrainingConfig(schedule="cosine", decay_epochs=4.0, batch_size=16, n_samples=100)
    steps = Trainer(config).steps_per_epoch
    assert f"CosineDecay(learning_rate, {4 * steps})" in keras_script(config)


def test_model_batch_epochs_and_early_stopping_are_written():
    config = TrainingConfig(dataset="digits", loss="categorical_crossentropy",
                            hidden_layers=(32, 16), activation="relu", init="he_normal",
                            batch_size=64, epochs=7, l2=1e-3, early_stopping_patience=4,
                            restore_best_weights=True, dtype="float32", init_seed=11)
    source = keras_script(config)
    assert "for width in [32, 16]:" in source
    assert "activation='relu'" in source and "activation='softmax'" in source
    assert source.count("kernel_initializer='he_normal'") == 2
    assert source.count("keras.regularizers.L2(0.001)") == 2
    assert "BATCH_SIZE = 64" in source and "EPOCHS = 7" in source
    assert "patience=4, restore_best_weights=True" in source
    assert "keras.config.set_floatx('float32')" in source
    assert "keras.utils.set_random_seed(11)" in source
    assert "metrics=['accuracy']" in source


def test_until_stopped_becomes_a_large_epoch_count():
    source = keras_script(TrainingConfig(n_samples=60, epochs=None))
    assert "EPOCHS = 1000000  # LossLab: until stopped" in source


def test_write_keras_script_saves_lossLab_split_labels_and_weights(tmp_path):
    config = TrainingConfig(dataset="digits", loss="sparse_categorical_crossentropy",
                            hidden_layers=(8,), seed=3)
    script, data_path = write_keras_script(config, tmp_path / "digits_run.py")
    assert data_path == str(tmp_path / "digits_run.npz")
    source = (tmp_path / "digits_run.py").read_text()
    compile(source, script, "exec")
    assert "'digits_run.npz'" in source
    trainer = Trainer(config)
    with np.load(data_path) as data:
        np.testing.assert_array_equal(data["x_train"], trainer.dataset.x_train)
        np.testing.assert_array_equal(data["y_val"], trainer.dataset.y_val)
        assert data["y_train"].dtype == np.int64  # sparse: integer labels
        assert int(data["n_weights"]) == 4
        np.testing.assert_array_equal(data["weight_0"], trainer.model.kernels[0])
        np.testing.assert_array_equal(data["weight_3"], trainer.model.biases[1])


def test_labels_are_encoded_for_the_loss():
    onehot = export_data(TrainingConfig(dataset="blobs", loss="categorical_crossentropy",
                                        n_samples=60))
    assert onehot["y_train"].shape[1] == 3
    np.testing.assert_array_equal(onehot["y_train"].sum(axis=1), 1.0)
    binary = export_data(TrainingConfig(dataset="circle", n_samples=60))
    assert binary["y_train"].shape[1] == 1


def write_csv(path, rows=57, seed=1):
    """A small CSV dataset: a wide-ranged column, a plain one, a constant one, text classes."""
    rng = np.random.default_rng(seed)
    lines = ["a,b,c,label"] + [f"{rng.normal() * 100:.4f},{rng.normal():.4f},3,"
                               f"{('cat', 'dog', 'owl')[i % 3]}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n\n")
    return path


def exec_script(script):
    """The exported script as a module (its ``main`` is not called)."""
    spec = importlib.util.spec_from_file_location("exported_run", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("loss", ["categorical_crossentropy", "sparse_categorical_crossentropy"])
def test_a_csv_dataset_is_read_from_its_path_with_lossLabs_split(loss, tmp_path, monkeypatch):
    """CSV by path: the script reads the file itself (the .npz holds only the weights) and gets
    LossLab's split, standardisation and label encoding exactly."""
    import sys
    import types
    if importlib.util.find_spec("keras") is None:  # the loading needs numpy only
        monkeypatch.setitem(sys.modules, "keras", types.ModuleType("keras"))
    data_file = write_csv(tmp_path / "animals.csv")
    config = TrainingConfig(dataset=f"csv:{data_file}", loss=loss, seed=4,
                            validation_split=0.25)
    (tmp_path / "out").mkdir()
    script, weights = write_keras_script(config, tmp_path / "out" / "run.py")
    source = (tmp_path / "out" / "run.py").read_text()
    assert f"CSV_PATH = {str(data_file)!r}" in source
    with np.load(weights) as saved:
        assert "x_train" not in saved.files and int(saved["n_weights"]) == 6
    data = exec_script(script).load_data()
    trainer = Trainer(config)
    arrays = (*trainer.arrays("train"), *trainer.arrays("val"))
    for name, ours in zip(("x_train", "y_train", "x_val", "y_val"), arrays):
        assert data[name].dtype == ours.dtype
        np.testing.assert_array_equal(data[name], ours)
    np.testing.assert_array_equal(data["weight_0"], trainer.model.kernels[0])


def test_built_in_data_stays_in_the_npz():
    source = keras_script(TrainingConfig(dataset="iris", loss="categorical_crossentropy"))
    assert "CSV_PATH" not in source and "return dict(np.load(" in source


needs_keras = pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                                 reason="keras is not installed")


def first_batch_losses(config, script):
    """(Keras's, LossLab's) loss on the first training rows, both from LossLab's weights."""
    module = exec_script(script)
    data = module.load_data()
    model = module.build_model(data)
    model.compile(loss=config.loss)
    batch = slice(0, config.batch_size)
    keras_loss = model.evaluate(data["x_train"][batch], data["y_train"][batch],
                                batch_size=config.batch_size, verbose=0)
    trainer = Trainer(config)
    x_train, y_train = trainer.arrays("train")
    outputs = trainer.predict(x_train[batch])
    return keras_loss, losses.get(config.loss)(y_train[batch], outputs), module


@needs_keras
@pytest.mark.parametrize("dtype, activation, tolerance", [
    # float64 with relu agrees to rounding (measured 2e-16 with JAX); JAX's tanh is accurate
    # to about 3e-8 even in float64 (measured: outputs 3e-8 apart, the loss 2e-9), so tanh is
    # compared in float32, where both sides round at 1e-7
    ("float64", "relu", 1e-12), ("float32", "tanh", 1e-5)])
def test_keras_gives_lossLab_loss_for_the_same_weights(dtype, activation, tolerance, tmp_path):
    config = TrainingConfig(dataset="blobs", loss="categorical_crossentropy", n_samples=90,
                            epochs=1, batch_size=16, dtype=dtype, activation=activation)
    script, _ = write_keras_script(config, tmp_path / "run.py")
    keras_loss, ours, module = first_batch_losses(config, script)
    assert keras_loss == pytest.approx(ours, rel=tolerance)
    history = module.main()
    assert len(history.history["loss"]) == 1


@needs_keras
@pytest.mark.parametrize("changes", [
    {"optimizer": "lars", "learning_rate": 1.0, "momentum": 0.9, "exclude_bias": True,
     "warmup_epochs": 1.0, "linear_scaling": True},
    {"optimizer": "adam", "learning_rate": 0.01, "schedule": "cosine", "decay_epochs": 2.0},
    {"loss": "sparse_categorical_crossentropy", "optimizer": "momentum"},
])
def test_a_csv_run_with_lars_warmup_or_a_schedule_trains_in_keras(changes, tmp_path):
    """The script's own classes (LARS, Warmup) and the CSV loader run under real Keras: the
    first batch's loss matches LossLab's, one epoch trains, and the loss stays finite."""
    settings = {"dataset": f"csv:{write_csv(tmp_path / 'animals.csv', rows=120)}",
                "loss": "categorical_crossentropy", "batch_size": 16, "epochs": 1,
                "hidden_layers": (8,), "activation": "relu", **changes}
    config = TrainingConfig(**settings)
    script, _ = write_keras_script(config, tmp_path / "run.py")
    keras_loss, ours, module = first_batch_losses(config, script)
    assert keras_loss == pytest.approx(ours, rel=1e-12)
    history = module.main()
    assert len(history.history["loss"]) == 1
    assert np.isfinite(history.history["loss"][0]) and np.isfinite(history.history["val_loss"][0])


@pytest.mark.parametrize("l1, l2, regularizer", [
    (0.001, 0.0, "keras.regularizers.L1(0.001)"),
    (0.0, 0.002, "keras.regularizers.L2(0.002)"),
    (0.001, 0.002, "keras.regularizers.L1L2(l1=0.001, l2=0.002)"),
])
def test_l1_and_l2_export_as_kerass_kernel_regularizers(l1, l2, regularizer):
    config = TrainingConfig(hidden_layers=(4, 3), n_samples=60, l1=l1, l2=l2)
    source = keras_script(config)
    compile(source, "exported.py", "exec")
    # every Dense layer's kernel, the output layer's too, as LossLab's penalty covers
    assert source.count(f"kernel_regularizer={regularizer}") == 2
    assert source.count("kernel_regularizer=") == 2


def test_no_penalty_exports_no_regularizer():
    assert "kernel_regularizer" not in keras_script(TrainingConfig(n_samples=60))


@needs_keras
def test_keras_adds_lossLabs_l1_l2_penalty(tmp_path):
    config = TrainingConfig(dataset="blobs", loss="categorical_crossentropy", n_samples=90,
                            epochs=1, batch_size=16, activation="relu", l1=0.003, l2=0.002)
    script, _ = write_keras_script(config, tmp_path / "run.py")
    keras_loss, data_loss, _ = first_batch_losses(config, script)
    penalty = Trainer(config).model.penalty()
    assert penalty > 0.01 * data_loss
    assert keras_loss == pytest.approx(data_loss + penalty, rel=1e-12)


@needs_keras
def test_one_full_batch_sgd_step_with_l1_l2_moves_kerass_weights_as_lossLabs(tmp_path):
    """The penalty's gradient too: one step on the whole training set (so the order of rows
    does not matter) leaves Keras's weights where LossLab's are. Kernels start away from 0,
    where the backends' subgradients of |w| differ (the engine uses 0 there). relu, as JAX's
    float64 tanh is off by ~3e-8 (see above)."""
    import keras
    config = TrainingConfig(dataset="blobs", loss="categorical_crossentropy", n_samples=90,
                            epochs=1, batch_size=10 ** 6, activation="relu", l1=0.01, l2=0.005,
                            learning_rate=0.5)
    script, _ = write_keras_script(config, tmp_path / "run.py")
    module = exec_script(script)
    data = module.load_data()
    model = module.build_model(data)
    model.compile(loss=config.loss, optimizer=keras.optimizers.SGD(learning_rate=0.5))
    trainer = Trainer(config)
    assert all(np.all(np.abs(kernel) > 0) for kernel in trainer.model.kernels)
    model.train_on_batch(data["x_train"], data["y_train"])
    trainer.step()
    theirs = model.get_weights()
    ours = [weight for pair in zip(trainer.model.kernels, trainer.model.biases)
            for weight in pair]
    assert len(theirs) == len(ours) == 6
    for keras_weight, our_weight in zip(theirs, ours):
        np.testing.assert_allclose(keras_weight, our_weight, rtol=1e-9, atol=1e-12)
