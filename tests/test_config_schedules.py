"""TrainingConfig validation and JSON round trip; schedules; the LR range test."""

import json
import math

import numpy as np
import pytest

from engine import ConfigError, Trainer, TrainingConfig, schedules
from engine.config import parse_hidden_layers
from engine.lr_finder import find_lr


# -- config -----------------------------------------------------------------------------------

def test_json_round_trip_keeps_every_field(tmp_path):
    config = TrainingConfig(dataset="blobs", loss="kld", optimizer="lars", momentum=0.8,
                            trust_coef=0.002, hidden_layers=(16, 4), schedule="cosine",
                            warmup_epochs=2, linear_scaling=True, dtype="float32", seed=9)
    path = tmp_path / "run.json"
    config.to_json(path)
    assert json.loads(path.read_text())["hidden_layers"] == [16, 4]
    assert TrainingConfig.from_json(path) == config


def test_hidden_layers_accepts_text_lists_and_empty():
    assert TrainingConfig(hidden_layers="8, 8").hidden_layers == (8, 8)
    assert TrainingConfig(hidden_layers=[4]).hidden_layers == (4,)
    assert parse_hidden_layers("") == ()
    assert parse_hidden_layers("16;16") == (16, 16)
    with pytest.raises(ConfigError, match="'0' in '8, 0' is not a positive whole number"):
        parse_hidden_layers("8, 0")


@pytest.mark.parametrize("changes, message", [
    ({"activation": "swish"}, "activation 'swish' is unknown; valid: linear, relu"),
    ({"optimizer": "adamax"}, "optimizer 'adamax' is unknown; valid: sgd, momentum"),
    ({"schedule": "cyclic"}, "schedule 'cyclic' is unknown"),
    ({"batch_size": 0}, "batch_size must be a whole number from 1 to 1000000, got 0"),
    ({"epochs": 2.5}, r"epochs must be a whole number from 1 to 1000000, or null \(train "
                      r"until stopped\), got 2.5 \(number\)"),
    ({"learning_rate": 0.0}, r"learning_rate must be in \[1e-07, 1000\], got 0.0"),
    ({"learning_rate": float("nan")}, "learning_rate must be a finite number, got nan"),
    ({"validation_split": 0.95}, r"validation_split must be in \[0, 0.9\], got 0.95"),
    ({"noise": -0.1}, r"noise must be in \[0, 1\], got -0.1"),
    ({"hidden_layers": (8, 0)}, "hidden_layers must be a list of up to 10 layer sizes from 1 "
                                "to 4096.*; 0 in"),
    ({"dtype": "float16"}, "dtype 'float16' is unknown; valid: float64, float32"),
    ({"trust_coef": 0.01}, "trust_coef does not apply to the sgd optimizer"),
    ({"dataset": "mnist"}, "dataset 'mnist'"),
])
def test_invalid_fields_name_the_field_and_value(changes, message):
    with pytest.raises(ConfigError, match=message):
        TrainingConfig(**changes).validate()


def test_from_dict_rejects_unknown_keys_and_bad_json(tmp_path):
    with pytest.raises(ConfigError, match="unknown configuration field.s. lr; valid fields"):
        TrainingConfig.from_dict({"lr": 0.1})
    bad = tmp_path / "bad.json"
    bad.write_text('{"epochs": 3,,}')
    with pytest.raises(ConfigError, match=r"is not valid JSON: line 1, column 14"):
        TrainingConfig.from_json(bad)
    with pytest.raises(ConfigError, match="must be a JSON object"):
        TrainingConfig.from_dict([1, 2])


def test_optimizer_fields_reach_the_optimizer():
    trainer = Trainer(TrainingConfig(optimizer="adam", beta_1=0.5, epsilon=1e-4, n_samples=40))
    assert trainer.optimizer.beta_1 == 0.5 and trainer.optimizer.epsilon == 1e-4
    assert trainer.optimizer.beta_2 == 0.999  # Keras default when the field is None


# -- schedules (Keras 3 formulas) ----------------------------------------------------------

@pytest.mark.parametrize("name, step, expected", [
    ("constant", 500, 0.1),
    # ExponentialDecay: lr * rate ** (step / decay_steps)
    ("exponential", 500, 0.1 * 0.5 ** 0.5),
    # staircase: lr * rate ** floor(step / decay_steps)
    ("step", 1999, 0.1 * 0.5 ** 1),
    ("step", 2000, 0.1 * 0.5 ** 2),
    # InverseTimeDecay: lr / (1 + rate * step / decay_steps)
    ("inverse_time", 500, 0.1 / (1 + 0.5 * 0.5)),
    # CosineDecay, alpha 0: lr * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))
    ("cosine", 250, 0.1 * 0.5 * (1 + math.cos(math.pi * 0.25))),
    ("cosine", 5000, 0.0),
])
def test_schedule_formulas(name, step, expected):
    schedule = schedules.Schedule(name, decay_steps=1000, decay_rate=0.5)
    assert schedule(step, 0.1) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_warmup_is_linear_then_hands_over_to_the_schedule():
    schedule = schedules.Schedule("cosine", decay_steps=10, warmup_steps=4)
    lrs = [schedule(step, 1.0) for step in range(6)]
    np.testing.assert_allclose(lrs[:4], [0.25, 0.5, 0.75, 1.0])
    assert lrs[4] == 1.0  # cosine at its own step 0
    assert lrs[5] == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.1)))


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "cyclic"}, "schedule 'cyclic' is unknown"),
    ({"name": "exponential", "decay_rate": 1.5}, r"must be in \(0, 1\], got 1.5"),
    ({"decay_steps": 0}, "decay_steps must be a positive integer, got 0"),
])
def test_bad_schedules(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        schedules.Schedule(**kwargs)


# -- LR range test ----------------------------------------------------------------------------

def test_lr_finder_sweeps_exponentially_and_suggests_a_sane_rate():
    config = TrainingConfig(dataset="circle", optimizer="sgd", batch_size=10 ** 6)
    result = find_lr(config, num_steps=200)
    assert result.lrs[0] == pytest.approx(1e-7)
    ratios = result.lrs[1:] / result.lrs[:-1]
    np.testing.assert_allclose(ratios, (10 / 1e-7) ** (1 / 199), rtol=1e-9)
    # the sweep stops once the smoothed loss passes 4x its best, before reaching lr = 10
    assert result.losses[-1] > 4 * result.losses.min() or result.lrs.size == 200
    # circle trains at full batch with SGD between ~0.3 and ~3
    assert 0.1 < result.suggestion < 5
    assert result.lrs[0] <= result.steepest <= result.lrs[-1]


def test_lr_finder_leaves_the_callers_trainer_untouched():
    config = TrainingConfig(dataset="circle", n_samples=80)
    trainer = Trainer(config)
    trainer.step()
    before = trainer.model.get_weights()
    find_lr(config, num_steps=30, trainer=trainer)
    np.testing.assert_array_equal(trainer.model.get_weights(), before)
    assert trainer.step_count == 1


def test_lr_finder_rejects_bad_ranges():
    with pytest.raises(ConfigError, match="need 0 < start_lr < end_lr"):
        find_lr(TrainingConfig(), start_lr=1.0, end_lr=0.1)
    with pytest.raises(ConfigError, match="num_steps must be at least 10"):
        find_lr(TrainingConfig(), num_steps=3)


@pytest.mark.parametrize("loss, activation", [
    ("poisson", "linear"), ("poisson", "tanh"), ("categorical_crossentropy", "linear"),
    ("sparse_categorical_crossentropy", "tanh"),
])
def test_output_activations_outside_a_losses_domain_are_refused(loss, activation):
    dataset = "counts" if loss == "poisson" else "blobs"
    with pytest.raises(ConfigError, match=f"loss '{loss}' needs .*output activation "
                                          f"'{activation}' can produce values where it is "
                                          f"undefined"):
        TrainingConfig(dataset=dataset, loss=loss, output_activation=activation).validate()


def test_explicit_output_activation_that_fits_trains():
    trainer = Trainer(TrainingConfig(dataset="counts", loss="poisson",
                                     output_activation="exponential", n_samples=60))
    assert trainer.output_activation == "exponential"
    assert np.isfinite(trainer.step().loss)
