"""The configuration draft (gui.model.draft), without Qt: one field per spec parameter,
checked by the spec, evented, and the TrainingConfig it gives."""

import pytest

from engine import ConfigError, TrainingConfig, optimizers, spec
from gui.model.draft import Draft


def _recorder(draft):
    seen = []
    draft.changed.connect(lambda field, value: seen.append((field, value)))
    return seen


def test_one_field_per_spec_parameter_with_the_spec_defaults():
    draft = Draft()
    assert list(draft.values()) == spec.names()
    config = draft.to_config()
    default = TrainingConfig()
    assert config == default.replace(momentum=0.0)  # sgd's own momentum, as the panel shows it
    assert config.validate() is config


def test_a_change_fires_the_field_event_and_changed_once():
    draft = Draft()
    seen = _recorder(draft)
    rates = []
    draft.events.learning_rate.connect(rates.append)
    assert draft.set("learning_rate", 0.01) == ["learning_rate"]
    assert draft["learning_rate"] == 0.01
    assert seen == [("learning_rate", 0.01)]
    assert rates == [0.01]
    assert draft.set("learning_rate", 0.01) == []  # unchanged: no event
    assert seen == [("learning_rate", 0.01)]


@pytest.mark.parametrize("field, value, words", [
    ("learning_rate", 0.0, ["learning_rate", "[1e-07, 1000]", "0.0"]),
    ("batch_size", 0, ["batch_size", "whole number from 1", "0"]),
    ("loss", "hinges", ["loss", "'hinges'", "unknown"]),
    ("epochs", 2.5, ["epochs", "2.5"]),
    ("nesterov", "yes", ["nesterov", "true or false", "'yes'"]),
])
def test_an_invalid_value_is_refused_with_the_fields_message_and_nothing_changes(field, value,
                                                                                  words):
    draft = Draft()
    seen = _recorder(draft)
    before = draft.values()
    with pytest.raises(ConfigError) as raised:
        draft.set(field, value)
    for word in words:
        assert word in str(raised.value)
    assert draft.values() == before
    assert seen == []


def test_an_unknown_field_names_the_valid_ones():
    with pytest.raises(ConfigError, match="unknown configuration field 'lr'.*learning_rate"):
        Draft().set("lr", 0.1)
    with pytest.raises(ConfigError, match="unknown configuration field"):
        Draft()["lr"]


def test_what_the_user_typed_is_kept_and_to_config_says_why_it_is_invalid():
    draft = Draft()
    seen = _recorder(draft)
    assert draft.edit("hidden_layers", "8, 0") == ["hidden_layers"]
    assert draft["hidden_layers"] == "8, 0"
    assert "hidden_layers" in draft.error("hidden_layers")
    with pytest.raises(ConfigError, match="hidden_layers.*0"):
        draft.to_config()
    assert draft.edit("hidden_layers", "16, 4") == ["hidden_layers"]
    assert draft.error("hidden_layers") is None
    assert draft["hidden_layers"] == (16, 4)
    assert draft.to_config().hidden_layers == (16, 4)
    assert seen == [("hidden_layers", "8, 0"), ("hidden_layers", (16, 4))]


def test_a_loss_alias_is_held_by_its_canonical_name():
    draft = Draft(values={"dataset": "sine"})
    draft.set("loss", "mse")
    assert draft["loss"] == "mean_squared_error"


def test_numbers_are_kept_at_their_controls_precision():
    draft = Draft()
    draft.set("noise", 0.123)
    assert draft["noise"] == 0.12  # the noise control shows two decimals
    draft.set("learning_rate", 0.0123456789012345)
    assert draft["learning_rate"] == 0.012345678901
    with pytest.raises(ConfigError, match="label_smoothing must be in \\[0, 1\\)"):
        draft.set("label_smoothing", 0.999)  # two decimals: 1.0, outside [0, 1)


def test_another_optimizer_brings_its_own_defaults_unless_given():
    draft = Draft()
    seen = _recorder(draft)
    draft.set("optimizer", "adam")
    adam = optimizers.hyperparameters("adam")
    assert draft["beta_1"] == adam["beta_1"] and draft["epsilon"] == adam["epsilon"]
    fields = [field for field, _value in seen]
    assert fields[0] == "optimizer" and "beta_1" in fields and "beta_2" in fields
    assert draft.to_config().momentum is None  # sgd's momentum does not apply to adam
    draft.update({"optimizer": "sgd", "momentum": 0.9})
    assert draft["momentum"] == 0.9
    assert draft.to_config().beta_1 is None


def test_a_flag_the_optimizer_has_on_by_itself_is_locked_and_left_default():
    draft = Draft()
    draft.set("optimizer", "nesterov")
    assert draft["nesterov"] is True
    assert draft.locked("nesterov") and not draft.enabled("nesterov")
    assert draft.to_config().nesterov is False  # "nesterov" stays Nesterov by itself
    assert not draft.locked("momentum")


def test_enabled_follows_the_settings_that_use_a_field():
    draft = Draft()
    assert not draft.enabled("decay_rate") and not draft.enabled("base_batch_size")
    draft.update({"schedule": "exponential", "linear_scaling": True, "epochs": None})
    assert draft.enabled("decay_rate") and draft.enabled("base_batch_size")
    assert not draft.enabled("epochs")
    assert draft.applies("momentum") and draft.applies("label_smoothing")
    draft.set("loss", "hinge")
    assert not draft.applies("label_smoothing") and not draft.applies("from_logits")


def test_update_is_all_or_nothing_and_emits_after_every_value_is_in():
    draft = Draft()
    seen = []
    draft.changed.connect(lambda field, value: seen.append((field, draft.values())))
    with pytest.raises(ConfigError, match="batch_size"):
        draft.update({"learning_rate": 0.01, "batch_size": -1})
    assert draft["learning_rate"] == 0.3 and seen == []
    draft.update({"learning_rate": 0.01, "batch_size": 64})
    assert [field for field, _ in seen] == ["learning_rate", "batch_size"]
    assert all(values["batch_size"] == 64 for _field, values in seen)  # consistent at once


def test_apply_takes_a_whole_config_or_nothing():
    draft = Draft()
    config = TrainingConfig(dataset="xor", loss="hinge", optimizer="adam", learning_rate=0.01,
                            batch_size=8, epochs=None, hidden_layers=(4,), seed=3)
    draft.apply(config)
    assert draft.to_config() == config.replace(beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                                                 amsgrad=False)
    before = draft.values()
    with pytest.raises(ConfigError, match="batch_size"):
        draft.apply({**config.to_dict(), "batch_size": 0})
    with pytest.raises(ConfigError, match="unknown configuration field"):
        draft.apply({"learning_rat": 0.1})
    assert draft.values() == before


def test_to_config_says_why_the_loss_cannot_train_on_the_dataset():
    draft = Draft(values={"dataset": "sine"})
    assert "regression" in draft.incompatibility()
    with pytest.raises(ConfigError, match="regression"):
        draft.to_config()
    draft.set("loss", "mean_squared_error")
    assert draft.incompatibility() is None
    assert draft.to_config().loss == "mean_squared_error"


def test_a_csv_datasets_task_is_read_once_until_forgotten(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    path.write_text("x,y,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n")
    from engine import datasets
    calls = []
    real = datasets.info
    monkeypatch.setattr(datasets, "info", lambda name: calls.append(name) or real(name))
    draft = Draft()
    dataset = f"csv:{path}"
    draft.set("dataset", dataset)
    assert draft.incompatibility() is None
    assert draft.incompatibility(loss="hinge") is None
    assert calls == [dataset]
    draft.forget_dataset(dataset)
    draft.incompatibility()
    assert calls == [dataset, dataset]
