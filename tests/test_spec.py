"""The parameter spec (engine/spec.py) and everything derived from it.

One Param per TrainingConfig field; the CLI flags, the control panel, the live rules and the
ranges all agree with it; strict config files; loss options and optimizer flags that change
the numbers as Keras's options do; validation without file reads; the size estimate.
"""

import dataclasses
import json
import math
import os
import re

import numpy as np
import pytest

import main
from engine import ConfigError, Trainer, TrainingConfig, datasets, losses, optimizers, spec
from engine import trainer as trainer_module
from engine.config import MAX_BYTES, OPTIMIZER_FIELDS


def _config_flags_in_help():
    """``{flag: its entry's text}`` for the flags ``--help`` lists under the TrainingConfig
    groups (an entry's lines joined with single spaces)."""
    flags = {}
    for section in re.split(r"\n(?=\S)", main.build_parser().format_help()):
        if section.splitlines()[0].endswith("(TrainingConfig fields):"):
            for entry in re.split(r"\n(?=  -)", section)[1:]:
                flags[entry.split()[0].rstrip(",")] = " ".join(entry.split())
    return flags


def _valid_text(param):
    """A value of ``param`` as a flag's text."""
    if param.kind == "choice":
        return param.valid_choices()[0]
    if param.kind == "layers":
        return "8,8"
    if param.kind == "text":
        return "label"
    return str(param.maximum if param.low_open else param.minimum)


# -- one declaration per field ----------------------------------------------------------------

def test_every_config_field_has_exactly_one_param():
    names = [param.name for param in spec.PARAMS]
    assert len(names) == len(set(names))
    assert names == [field.name for field in dataclasses.fields(TrainingConfig)]
    for param in spec.PARAMS:
        field = next(f for f in dataclasses.fields(TrainingConfig) if f.name == param.name)
        assert field.default == param.default
        assert param.group in spec.GROUPS and param.help
        assert param.live in (None, *spec.LIVE_WHEN)
        assert param.check(param.default) == param.default


def test_cli_flags_are_the_spec():
    listed = _config_flags_in_help()
    assert set(listed) == {"--" + name.replace("_", "-") for name in spec.names()}
    parser = main.build_parser()
    for param in spec.PARAMS:
        flag = "--" + param.name.replace("_", "-")
        if param.kind == "bool":
            negative = "--no-" + flag[2:]
            assert listed[flag].startswith(f"{flag}, {negative} ")
            assert vars(parser.parse_args([flag]))[param.name] is True
            assert vars(parser.parse_args([negative]))[param.name] is False
        else:
            assert param.name in vars(parser.parse_args([flag, _valid_text(param)]))
        if param.kind == "choice":
            assert all(choice in listed[flag] for choice in param.valid_choices())


def test_help_lists_nothing_by_hand():
    source = open(main.__file__, encoding="utf-8").read()
    assert "13 Keras losses" not in source and "sgd, momentum" not in source
    assert "_HELP" not in source
    controls = os.path.join(os.path.dirname(main.__file__), "gui", "controls.py")
    assert "OPTIMIZER_FIELDS =" not in open(controls, encoding="utf-8").read()


def test_live_fields_are_the_spec():
    assert trainer_module.LIVE_FIELDS == spec.live_fields()
    assert set(OPTIMIZER_FIELDS) == {p.name for p in spec.PARAMS if p.applies == "optimizer"}


#: a value of each kind no field has by default, valid for every live field of the kind
NEW_VALUE = {"int": 7, "float": 0.05}


@pytest.mark.parametrize("param", [p for p in spec.PARAMS if p.live], ids=lambda p: p.name)
def test_a_live_change_applies_when_and_where_its_spec_row_says(param):
    fields = dict(dataset="circle", n_samples=100, batch_size=16, epochs=3)
    if param.applies == "optimizer":
        fields["optimizer"] = param.applies_to()[0]
    trainer = Trainer(TrainingConfig(**fields))
    holder = {"trainer": trainer, "model": trainer.model, "optimizer": trainer.optimizer}[
        param.held_by]
    old, new = getattr(holder, param.held_as), param.check(NEW_VALUE[param.kind])
    assert old != new
    trainer.step()
    trainer.update(**{param.name: new})
    if param.live != "now":
        assert getattr(holder, param.held_as) == old and not trainer.history.events
    trainer.step()
    if param.live == "next epoch":  # a whole epoch more at the old value
        assert getattr(holder, param.held_as) == old
        while trainer.epoch < 2:
            trainer.step()
    applied = 2 if param.live != "next epoch" else trainer.step_count
    assert getattr(holder, param.held_as) == new
    event = trainer.history.events[-1]
    assert (event.step, event.field, event.old, event.new) == (applied, param.name, old, new)


def test_a_control_sits_in_its_rows_section_and_a_live_row_says_where_it_is_held():
    assert {p.section for p in spec.controls()} == set(spec.SECTIONS)
    with pytest.raises(ValueError, match="'gradient_scale' has a control but no panel "
                                         "section; give it section= one of terms, data"):
        spec.Param("gradient_scale", "float", 1.0, "training", "a throwaway", "float",
                   "gradientScaleSpin", 0.0, 10.0)
    with pytest.raises(ValueError, match="'gradient_scale': a live field says where a running "
                                         "trainer holds it"):
        spec.Param("gradient_scale", "float", 1.0, "training", "a throwaway", "float",
                   "gradientScaleSpin", 0.0, 10.0, live="next batch", section="optimizer")


@pytest.mark.parametrize("param", [p for p in spec.PARAMS if p.kind in ("int", "float")],
                         ids=lambda p: p.name)
def test_cli_and_config_share_each_range(param, tmp_path):
    parser = main.build_parser()
    flag = "--" + param.name.replace("_", "-")
    low, high = param.minimum, param.maximum
    good = [v for v in (low, high) if not (v == low and param.low_open)
            and not (v == high and param.high_open)]
    bad = [high * 2 + 1 if param.kind == "int" else high * 1.5 + 1,
           low - 1 if param.kind == "int" else low - 0.5]
    if param.low_open:
        bad.append(low)
    for value in good:
        value = int(value) if param.kind == "int" else value
        assert getattr(parser.parse_args([flag, repr(value)]), param.name) == value
        param.check(value)
    for value in bad:
        value = int(value) if param.kind == "int" else value
        with pytest.raises(SystemExit):
            parser.parse_args([flag, repr(value)])
        with pytest.raises(ConfigError, match=param.name):
            TrainingConfig.from_dict({param.name: value})


@pytest.mark.parametrize("param", [p for p in spec.PARAMS
                                   if p.applies == "optimizer" and p.kind == "float"],
                         ids=lambda p: p.name)
def test_optimizer_ranges_are_ones_every_optimizer_accepts(param):
    for name in param.applies_to():
        for value in (param.minimum, param.maximum):
            optimizer = optimizers.get(name, **{param.name: value})
            attribute = "epsilon" if param.name == "epsilon" else param.name
            assert getattr(optimizer, attribute) == value


def test_applies_to_comes_from_the_registries():
    assert spec.get("amsgrad").applies_to() == ["adam", "adamw"]
    assert spec.get("centered").applies_to() == ["rmsprop"]
    assert set(spec.get("exclude_bias").applies_to()) == {"lars", "lamb"}
    assert set(spec.get("from_logits").applies_to()) == {
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"}
    assert set(spec.get("label_smoothing").applies_to()) == {
        "binary_crossentropy", "categorical_crossentropy"}
    with pytest.raises(ConfigError, match="amsgrad does not apply to the sgd optimizer; it "
                                          "applies to adam, adamw"):
        TrainingConfig(amsgrad=True).validate_fields()
    with pytest.raises(ConfigError, match="label_smoothing does not apply to the hinge loss"):
        TrainingConfig(loss="hinge", label_smoothing=0.1).validate_fields()


# -- strict files -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({"epochs": [1, 2]}, r"epochs must be a whole number .* got \[1, 2\] \(list\)"),
    ({"hidden_layers": 8}, r"hidden_layers must be a list .* got 8 \(whole number\)"),
    ({"loss": ["hinge"]}, r"loss must be one of .* got \['hinge'\] \(list\)"),
    ({"epochs": "30"}, r"epochs must be a whole number .* got '30' \(text\)"),
    ({"batch_size": 5.5}, r"batch_size must be a whole number .* got 5.5 \(number\)"),
    ({"linear_scaling": "yes"}, r"linear_scaling must be true or false, got 'yes' \(text\)"),
    ({"seed": 10**4999}, r"seed must be a whole number from 0 to 2147483647, got a "
                                r"whole number of about 5000 digits"),
    ({"seed": -1}, "seed must be a whole number from 0"),
    ({"epochs": 1_000_001}, "epochs must be a whole number from 1 to 1000000"),
    ({"learning_rate": True}, r"learning_rate must be a number .* got True \(boolean\)"),
    ({"label_smoothing": 1.0}, r"label_smoothing must be in \[0, 1\), got 1.0"),
    ({"hidden_layers": [8] * 11}, "at most 10 hidden layers, got 11"),
    ({"dataset": "csv:"}, "dataset 'csv:' is unknown"),
])
def test_from_dict_is_strict_with_one_line_messages(data, message):
    with pytest.raises(ConfigError, match=message) as caught:
        TrainingConfig.from_dict(data)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 400


def test_from_dict_keeps_valid_values_exactly():
    config = TrainingConfig.from_dict({"epochs": None, "learning_rate": 1, "hidden_layers":
                                       [4, 2], "decay_epochs": 2.5, "from_logits": True})
    assert config.epochs is None and config.learning_rate == 1.0
    assert isinstance(config.learning_rate, float) and config.hidden_layers == (4, 2)
    assert TrainingConfig.from_dict(config.to_dict()) == config


def test_config_files_with_bom_deep_nesting_and_huge_numbers(tmp_path):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({"epochs": 3}).encode())
    assert TrainingConfig.from_json(bom).epochs == 3
    deep = tmp_path / "deep.json"
    deep.write_text('{"epochs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ConfigError, match="nested too deeply"):
        TrainingConfig.from_json(deep)
    huge = tmp_path / "huge.json"
    huge.write_text('{"seed": ' + "9" * 5000 + "}")
    with pytest.raises(ConfigError, match=f"config file {huge} is not a valid configuration"):
        TrainingConfig.from_json(huge)


def test_cli_epochs_inf_means_until_stopped():
    args = main.build_parser().parse_args(["--epochs", "inf"])
    assert args.epochs is None
    assert main.config_from(args).epochs is None
    with pytest.raises(SystemExit):
        main.build_parser().parse_args(["--epochs", "1e18"])


# -- validation reads no file -------------------------------------------------------------------

def _write_csv(path, rows=200, regression=False):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2))
    lines = ["a,b,label"] + [f"{a:.5f},{b:.5f},{a - b if regression else int(a + b > 0)}"
                             for a, b in x]
    path.write_text("\n".join(lines) + "\n")
    return f"csv:{path}"


def test_field_checks_read_no_file(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validate_fields read a dataset")
    monkeypatch.setattr(datasets, "info", refuse)
    TrainingConfig(dataset="csv:/no/such/file.csv").validate_fields()


def test_live_updates_validate_only_the_changed_fields(tmp_path, monkeypatch):
    name = _write_csv(tmp_path / "data.csv")
    trainer = Trainer(TrainingConfig(dataset=name, epochs=2))
    calls = []
    monkeypatch.setattr(datasets, "info", lambda *a, **k: calls.append(a))
    for rate in (0.01, 0.02, 0.05):
        trainer.update(learning_rate=rate)
    trainer.step()
    assert calls == [] and trainer.base_learning_rate == 0.05
    with pytest.raises(ConfigError, match="learning_rate must be in"):
        trainer.update(learning_rate=1e4)


# -- loss options and optimizer flags change the numbers as Keras's do ---------------------------

def test_label_smoothing_reaches_the_loss_with_keras_values():
    y, p = np.array([[1.0], [0.0]]), np.array([[0.9], [0.2]])
    loss = losses.get("binary_crossentropy", **TrainingConfig(label_smoothing=0.1).loss_kwargs())
    # by hand: targets 0.95 / 0.05; -(0.95 ln 0.9 + 0.05 ln 0.1) and -(0.05 ln 0.2 + 0.95 ln 0.8)
    expected = (-(0.95 * math.log(0.9) + 0.05 * math.log(0.1))
                - (0.05 * math.log(0.2) + 0.95 * math.log(0.8))) / 2
    assert loss(y, p) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.2538400069474207, rel=1e-12)


def test_trainer_trains_with_label_smoothing():
    config = TrainingConfig(n_samples=60, label_smoothing=0.2, validation_split=0.0)
    trainer = Trainer(config)
    assert trainer.fused and trainer.loss.label_smoothing == 0.2
    p = trainer.predict(trainer.dataset.x_train)[:, 0]
    y = trainer.dataset.y_train * 0.8 + 0.1
    expected = float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    assert trainer.evaluate("train")["loss"] == pytest.approx(expected, rel=1e-9)
    plain = Trainer(config.replace(label_smoothing=0.0))
    assert plain.evaluate("train")["loss"] != pytest.approx(expected, rel=1e-6)


def test_from_logits_with_a_sigmoid_output_applies_it_twice():
    config = TrainingConfig(n_samples=60, output_activation="sigmoid", from_logits=True,
                            validation_split=0.0)
    trainer = Trainer(config)
    assert not trainer.fused and trainer.loss.from_logits
    s = trainer.predict(trainer.dataset.x_train)[:, 0]  # after the model's sigmoid
    y = trainer.dataset.y_train
    expected = float(np.mean(np.logaddexp(0.0, s) - s * y))  # Keras: sigmoid applied again
    assert trainer.evaluate("train")["loss"] == pytest.approx(expected, rel=1e-12)
    assert expected > 0.45  # sigmoid(s) stays in (0.5, 0.73): the loss cannot get small


def test_from_logits_with_the_automatic_output_is_the_fused_form():
    base = TrainingConfig(n_samples=60, epochs=2)
    auto, logits = Trainer(base), Trainer(base.replace(from_logits=True))
    assert logits.fused and logits.output_activation == "sigmoid"
    np.testing.assert_array_equal(auto.fit().batch_loss, logits.fit().batch_loss)


@pytest.mark.parametrize("optimizer, flag, extra", [
    ("adam", "amsgrad", {}), ("rmsprop", "centered", {}), ("sgd", "nesterov",
                                                           {"momentum": 0.9}),
    ("lars", "exclude_bias", {}),
])
def test_optimizer_flags_reach_the_optimizer_and_change_the_run(optimizer, flag, extra):
    base = TrainingConfig(n_samples=60, epochs=3, optimizer=optimizer, learning_rate=0.05,
                          **extra)
    on = Trainer(base.replace(**{flag: True}))
    assert getattr(on.optimizer, flag) is True
    off = Trainer(base)
    assert getattr(off.optimizer, flag) is False
    # AMSGrad differs only once v falls below its maximum: small but real differences
    assert not np.array_equal(on.fit().batch_loss, off.fit().batch_loss)


def test_sgd_with_nesterov_flag_is_the_nesterov_preset():
    base = TrainingConfig(n_samples=60, epochs=2, learning_rate=0.05)
    flagged = Trainer(base.replace(optimizer="sgd", momentum=0.9, nesterov=True)).fit()
    preset = Trainer(base.replace(optimizer="nesterov")).fit()
    np.testing.assert_array_equal(flagged.batch_loss, preset.batch_loss)
    assert TrainingConfig(optimizer="nesterov").optimizer_kwargs() == {}  # preset kept


# -- sizes --------------------------------------------------------------------------------------

def test_estimate_counts_parameters_and_steps():
    config = TrainingConfig(hidden_layers=(8, 8), batch_size=32, epochs=10)
    estimate = config.estimate(n_train=100, n_features=2, n_outputs=1)
    assert estimate["parameters"] == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1)
    assert estimate["steps"] == 10 * 4
    assert config.replace(epochs=None).estimate(100, 2, 1)["steps"] is None
    # sgd: parameters, gradients, momentum and two scratch buffers, 8 bytes each, + data
    assert estimate["bytes"] > 5 * 105 * 8


def test_absurd_models_are_refused_with_the_estimate():
    config = TrainingConfig(hidden_layers=(4096,) * 10, optimizer="adam")
    with pytest.raises(ConfigError, match=r"about 151,\d{3},\d{3} parameters and \d+\.\d GB of "
                                          r"memory, above the 4.0 GB"):
        Trainer(config)
    assert config.estimate(160, 2, 1)["bytes"] > MAX_BYTES
    assert TrainingConfig(hidden_layers=(512, 512)).check_size(1000, 64, 10)["bytes"] < 2**30


# -- the control panel ---------------------------------------------------------------------------

@pytest.fixture
def panel(qtbot):
    from gui.controls import ControlPanel
    widget = ControlPanel()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.gui
def test_controls_are_the_spec(panel):
    from gui.controls import OPEN_CSV, SECTIONS, TERMS
    controlled = [p for p in spec.PARAMS if p.widget]
    # the article's four terms lead the panel, then each section's fields: every control of
    # the spec once, in the order the panel shows them
    shown = list(TERMS) + [field for _, fields in SECTIONS for field in fields]
    assert list(panel.widgets) == shown
    assert sorted(shown) == sorted(p.name for p in controlled)
    for param in controlled:
        widget = panel.widgets[param.name]
        assert widget.objectName() == param.object_name
        if param.widget == "choice":
            items = [widget.itemData(i) for i in range(widget.count()) if widget.itemData(i)]
            extra = [OPEN_CSV] if param.name == "dataset" else []
            assert items == param.valid_choices() + extra
        elif param.widget in ("int", "float", "log"):
            assert widget.maximum() == pytest.approx(
                param.maximum - (10.0 ** -param.decimals if param.high_open else 0))
            if param.optional and param.applies is None and param.name != "epochs":
                # one step below the minimum stands for None ("= seed", "default")
                low = param.minimum - 1 if param.widget == "int" else param.minimum
                assert widget.minimum() == low and widget.specialValueText()
            else:
                assert widget.minimum() == param.minimum
            if param.widget == "float":
                assert widget.decimals() == param.decimals
    for name in ("datasetCombo", "lossCombo", "optimizerCombo", "activationCombo",
                 "scheduleCombo", "batchSizeSpin", "epochsSpin", "learningRateSpin",
                 "hiddenLayersEdit", "seedSpin", "untilPausedCheck"):
        assert panel.findChild(object, name) is not None, name
    # the optimizer's own default is filled in (sgd: momentum 0)
    assert TrainingConfig(**panel.config_kwargs()).validate() == TrainingConfig(momentum=0.0)


@pytest.mark.gui
def test_options_show_where_they_apply(panel):
    def shown(field):
        return not panel.widgets[field].isHidden()
    panel.set_value("optimizer", "adam")
    assert shown("amsgrad") and not shown("centered") and not shown("nesterov")
    panel.set_value("optimizer", "rmsprop")
    assert shown("centered") and not shown("amsgrad")
    panel.set_value("optimizer", "lars")
    assert shown("exclude_bias") and shown("trust_coef")
    panel.set_value("optimizer", "nesterov")
    nesterov = panel.widgets["nesterov"]
    assert shown("nesterov") and nesterov.isChecked() and not nesterov.isEnabled()
    assert TrainingConfig(**panel.config_kwargs()).optimizer_kwargs() == {"momentum": 0.9}
    assert shown("from_logits") and shown("label_smoothing")  # binary crossentropy
    panel.set_value("loss", "sparse_categorical_crossentropy")
    assert shown("from_logits") and not shown("label_smoothing")
    panel.set_value("loss", "hinge")
    assert not shown("from_logits") and not shown("label_smoothing")


@pytest.mark.gui
def test_until_stopped_means_epochs_none(panel, qtbot):
    with qtbot.waitSignal(panel.valueChanged, timeout=1000) as signal:
        panel.until_paused.setChecked(True)
    assert signal.args == ["epochs", None] and panel.value("epochs") is None
    assert not panel.widgets["epochs"].isEnabled()
    panel.set_value("epochs", 12)
    assert panel.value("epochs") == 12 and not panel.until_paused.isChecked()
    panel.set_value("epochs", None)
    assert panel.until_paused.isChecked()


@pytest.mark.gui
def test_batch_size_is_kept_and_the_one_used_is_shown(panel):
    panel.set_value("batch_size", 256)
    panel.set_batch_limit(120)
    assert panel.value("batch_size") == 256 and panel.effective_batch_size() == 120
    from PySide6 import QtWidgets
    used = panel.findChild(QtWidgets.QLabel, "batchUseLabel")
    # the batch in use is a line of its own under the box: a suffix widened the panel
    assert "120" in used.text() and not used.isHidden()
    assert panel.widgets["batch_size"].suffix() == ""
    panel.set_batch_limit(800)
    assert panel.value("batch_size") == 256 and used.isHidden()


@pytest.mark.gui
def test_batch_size_survives_a_small_dataset_in_the_window(qtbot, window):
    window.panel.set_value("batch_size", 256)
    window.panel.set_value("dataset", "iris")
    qtbot.waitUntil(lambda: window.trainer is not None
                    and window.trainer.config.dataset == "iris", timeout=5000)
    assert window.panel.value("batch_size") == 256
    window.panel.set_value("dataset", "circle")
    qtbot.waitUntil(lambda: window.trainer.config.dataset == "circle", timeout=5000)
    assert window.panel.value("batch_size") == 256
    assert window.trainer.config.batch_size == 256


@pytest.mark.gui
def test_loss_popup_shows_whole_names(panel):
    combo = panel.widgets["loss"]
    metrics = combo.view().fontMetrics()
    longest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.itemText(combo.count() - 1) and longest > 0
    assert combo.view().minimumWidth() >= longest + combo.iconSize().width()


@pytest.mark.gui
def test_apply_config_is_whole_or_nothing(panel, qtbot):
    changes = []
    panel.valueChanged.connect(lambda field, value: changes.append((field, value)))
    config = TrainingConfig(dataset="digits", loss="categorical_crossentropy",
                            optimizer="adam", beta_1=0.8, amsgrad=True, batch_size=1000,
                            epochs=None, learning_rate=0.002, seed=7)
    panel.set_batch_limit(120)  # the previous dataset's size does not judge the new batch
    panel.apply_config(config)
    assert TrainingConfig(**panel.config_kwargs()) == config.replace(
        **{k: v for k, v in panel.config_kwargs().items() if getattr(config, k) is None
           and k in OPTIMIZER_FIELDS})
    assert panel.value("batch_size") == 1000 and panel.value("epochs") is None
    fields = [field for field, _ in changes]
    assert len(fields) == len(set(fields))  # one burst: each changed field once
    assert {"dataset", "loss", "optimizer", "beta_1", "amsgrad", "batch_size", "epochs",
            "learning_rate", "seed"} <= set(fields)
    before, changes[:] = panel.config_kwargs(), []
    with pytest.raises(ConfigError, match="batch_size must be a whole number"):
        panel.apply_config({"dataset": "xor", "learning_rate": 0.5, "batch_size": 0})
    assert panel.config_kwargs() == before and changes == []


@pytest.mark.gui
def test_compatibility_marks_read_each_csv_once(panel, tmp_path, monkeypatch):
    name = _write_csv(tmp_path / "rows.csv", regression=True)
    reads = []
    original = datasets.info
    monkeypatch.setattr(datasets, "info", lambda *a, **k: reads.append(a) or original(*a, **k))
    panel.add_csv(name[4:], select=True)
    for loss in ("hinge", "mean_absolute_error", "binary_crossentropy", "mean_squared_error"):
        panel.set_value("loss", loss)
    csv_reads = [a for a in reads if a[0] == name]
    assert len(csv_reads) == 1
    assert panel.incompatibility_reason() is None
    panel.set_value("loss", "hinge")
    assert "is a regression dataset" in panel.incompatibility_reason()
    assert len([a for a in reads if a[0] == name]) == 1
