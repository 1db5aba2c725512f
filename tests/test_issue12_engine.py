"""Engine changes the issue-12 demonstrations need: integer labels for the sparse loss, early
stopping that restores the best weights, separate data and initialisation seeds, warm-up and
decay counted in epochs, and LARS/Lamb's exclude_bias reaching the optimizer.
"""

import numpy as np
import pytest

from engine import ConfigError, Trainer, TrainingConfig, losses
from engine.gradcheck import check_gradient

DIGITS = dict(dataset="digits", hidden_layers=(16,), activation="relu", epochs=2,
              learning_rate=0.1)


# ---- sparse labels ---------------------------------------------------------------------------

def test_sparse_loss_trains_on_integer_labels_with_a_tenth_of_the_bytes():
    sparse = Trainer(TrainingConfig(**DIGITS, loss="sparse_categorical_crossentropy"))
    onehot = Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy"))
    _, labels = sparse.arrays("train")
    assert labels.dtype == np.int64 and labels.ndim == 1
    n_labels = sparse.dataset.y_train.shape[0] + sparse.dataset.y_val.shape[0]
    assert sparse.label_bytes == 8 * n_labels
    assert onehot.label_bytes == 8 * 10 * n_labels  # float64 one-hot rows, 10 classes
    assert sparse.model.layer_sizes == onehot.model.layer_sizes


def test_sparse_and_categorical_train_the_same_run():
    histories = [Trainer(TrainingConfig(**DIGITS, loss=name)).fit() for name in
                 ("sparse_categorical_crossentropy", "categorical_crossentropy")]
    np.testing.assert_allclose(histories[0].batch_loss, histories[1].batch_loss, rtol=1e-6)
    np.testing.assert_allclose(histories[0].val_loss, histories[1].val_loss, rtol=1e-10)


@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_gather_matches_the_onehot_formula_and_finite_differences(from_logits):
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 5, size=7)
    y_pred = rng.normal(size=(7, 5)) if from_logits else rng.uniform(0.05, 1.0, size=(7, 5))
    sparse = losses.get("sparse_categorical_crossentropy", from_logits=from_logits)
    dense = losses.get("categorical_crossentropy", from_logits=from_logits)
    onehot = np.eye(5)[ids]
    np.testing.assert_allclose(sparse.per_sample(ids, y_pred), dense.per_sample(onehot, y_pred),
                               rtol=1e-13)
    value, gradient = sparse.value_and_gradient(ids, y_pred)
    dense_value, dense_gradient = dense.value_and_gradient(onehot, y_pred)
    assert value == pytest.approx(dense_value, rel=1e-13)
    np.testing.assert_allclose(gradient, dense_gradient, rtol=1e-12, atol=1e-15)
    error = check_gradient(lambda p: sparse(ids, p), lambda p: sparse.gradient(ids, p), y_pred)
    assert error < 1e-6


def test_sparse_gradient_is_zero_where_the_probability_is_clipped():
    # the true class's probability 1e-9 is below eps = 1e-7: the clipped loss is flat there
    y_pred = np.array([[1e-9, 1.0 - 1e-9]])
    loss = losses.get("sparse_categorical_crossentropy")
    np.testing.assert_array_equal(loss.gradient(np.array([0]), y_pred), [[0.0, 0.0]])
    assert loss(np.array([0]), y_pred) == pytest.approx(-np.log(1e-7))


# ---- early stopping restores the best weights --------------------------------------------------

# batch 32 pinned: at the default batch (16) this net keeps improving for all 200 epochs
OVERFIT = dict(dataset="digits", loss="categorical_crossentropy", hidden_layers=(64,),
               activation="relu", learning_rate=0.3, epochs=200, early_stopping_patience=3,
               n_samples=300, seed=1, batch_size=32)


def test_restore_best_weights_goes_back_to_the_best_epoch():
    trainer = Trainer(TrainingConfig(**OVERFIT, restore_best_weights=True))
    history = trainer.fit()
    assert history.stop_reason == "early_stopping"
    best = int(np.argmin(history.val_loss))
    assert trainer.restored_epoch == best + 1 < history.n_epochs
    assert trainer.evaluate("val")["loss"] == pytest.approx(history.val_loss[best], rel=1e-12)
    notice = history.notices[-1]
    assert notice.kind == "restored_best_weights" and f"epoch {best + 1}" in notice.message


def test_without_restore_the_last_weights_stay():
    trainer = Trainer(TrainingConfig(**OVERFIT))
    history = trainer.fit()
    assert history.stop_reason == "early_stopping" and trainer.restored_epoch is None
    assert trainer.evaluate("val")["loss"] == pytest.approx(history.val_loss[-1], rel=1e-12)
    assert history.val_loss[-1] > history.val_loss.min()


# ---- two seeds ---------------------------------------------------------------------------------

def test_data_seed_moves_the_split_and_init_seed_the_weights():
    base = Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy", seed=0))
    other_split = Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy", seed=0,
                                         data_seed=5))
    other_init = Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy", seed=0,
                                        init_seed=5))
    np.testing.assert_array_equal(base.model.get_weights(), other_split.model.get_weights())
    assert not np.array_equal(base.dataset.y_val, other_split.dataset.y_val)
    np.testing.assert_array_equal(base.dataset.x_val, other_init.dataset.x_val)
    assert not np.array_equal(base.model.get_weights(), other_init.model.get_weights())
    same = Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy", seed=5))
    np.testing.assert_array_equal(same.dataset.x_val, other_split.dataset.x_val)
    np.testing.assert_array_equal(same.model.get_weights(), other_init.model.get_weights())


# ---- warm-up and decay in epochs ---------------------------------------------------------------

def test_warmup_and_decay_epochs_become_steps_at_the_current_batch_size():
    config = TrainingConfig(**DIGITS, loss="categorical_crossentropy", batch_size=32,
                            warmup_epochs=0.5, schedule="cosine", decay_epochs=3.0)
    trainer = Trainer(config)
    steps = trainer.steps_per_epoch
    assert steps == -(-trainer.n_train // 32)
    assert trainer.schedule.warmup_steps == round(0.5 * steps)
    assert trainer.schedule.decay_steps == 3 * steps
    trainer.step()
    trainer.update(batch_size=512)
    while trainer.epoch == 1:
        trainer.step()
    big = -(-trainer.n_train // 512)
    assert (trainer.schedule.warmup_steps, trainer.schedule.decay_steps) == (round(0.5 * big),
                                                                            3 * big)


def test_without_decay_epochs_decay_steps_stay_steps():
    trainer = Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy",
                                     schedule="exponential", decay_steps=77))
    assert trainer.schedule.decay_steps == 77


# ---- exclude_bias ------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", ["lars", "lamb"])
def test_exclude_bias_reaches_the_optimizer_and_the_recorded_trust_ratios(optimizer):
    config = TrainingConfig(**{**DIGITS, "learning_rate": 1.0, "epochs": 1},
                            loss="categorical_crossentropy", optimizer=optimizer,
                            exclude_bias=True)
    trainer = Trainer(config)
    assert trainer.optimizer.exclude_bias is True
    history = trainer.fit()
    n_layers = trainer.model.n_layers
    trust = history.trust_ratio
    np.testing.assert_array_equal(trust[:, n_layers:], 1.0)  # the biases
    assert np.all(trust[1:, :n_layers] != 1.0)               # the kernels


def test_exclude_bias_on_an_optimizer_without_it_is_refused():
    with pytest.raises(ConfigError, match="exclude_bias does not apply to the sgd optimizer"):
        Trainer(TrainingConfig(**DIGITS, loss="categorical_crossentropy", optimizer="sgd",
                               exclude_bias=True))
