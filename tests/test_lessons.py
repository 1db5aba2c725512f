"""Lessons: the files load and validate, and each lesson's claim holds on the engine's history.

Each claim a lesson's text makes is asserted on headless runs of its own steps, on several
seeds, so a lesson cannot drift from what the learner will see. Qt-free.
"""

import json
import shutil

import numpy as np
import pytest

from engine import ConfigError, Trainer, TrainingConfig, datasets, lessons, losses, optimizers
from engine.config import OPTIMIZER_FIELDS

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def shipped():
    return {lesson.key: lesson for lesson in lessons.load_all()}


def _final_val_accuracy(run):
    return float(run.history.val_accuracy[-1])


# -- files -------------------------------------------------------------------------------------

def test_the_four_lessons_ship_in_menu_order(shipped):
    ordered = [lesson.key for lesson in lessons.load_all()]
    assert ordered == ["learning_rate", "epochs", "batch_size", "loss_functions"]
    assert [shipped[k].term for k in ordered] == ["learning_rate", "epochs", "batch_size",
                                                  "loss"]


def test_every_text_exists_in_both_languages(shipped):
    for lesson in shipped.values():
        texts = [lesson.title, lesson.intro, lesson.watch, lesson.question, *lesson.try_next]
        texts += [t for step in lesson.steps for t in (step.label, step.watch)]
        for text in texts:
            assert text("en").strip() and text("ko").strip()
            assert text("ko") != text("en") or text("en").isascii()
        # Korean text is Korean: Hangul in every paragraph that is not a loss name
        for text in [lesson.title, lesson.intro, lesson.watch, lesson.question]:
            assert any("\uac00" <= ch <= "\ud7a3" for ch in text("ko"))


def test_lessons_whose_point_spans_decades_ask_for_a_log_scale(shipped):
    assert {key for key, lesson in shipped.items() if lesson.log_y} == {"learning_rate",
                                                                       "batch_size"}


def test_step_configs_are_merged_over_the_base(shipped):
    lesson = shipped["learning_rate"]
    rates = [step.config.learning_rate for step in lesson.steps]
    assert rates == [0.01, 0.5, 0.95, 1.5]
    assert {step.config.dataset for step in lesson.steps} == {"plane"}
    assert all(step.config.hidden_layers == () for step in lesson.steps)
    assert lesson.step("near_limit").config.learning_rate == 0.95
    with pytest.raises(ConfigError, match="no step 'huge'.*too_small, good"):
        lesson.step("huge")


def _write(tmp_path, data, name="custom.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _valid_data():
    return json.loads((lessons.LESSONS_DIR / "learning_rate.json").read_text(encoding="utf-8"))


def test_a_new_lesson_is_a_new_file(tmp_path):
    for path in lessons.LESSONS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    data = _valid_data()
    data["order"], data["steps"] = 9, data["steps"][:1]
    _write(tmp_path, data, "zz_extra.json")
    keys = [lesson.key for lesson in lessons.load_all(tmp_path)]
    assert keys[-1] == "zz_extra" and len(keys) == 5


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("question"), r"lesson file custom\.json: missing key question"),
    (lambda d: d.update(colour="red"), r"custom\.json: unknown key colour"),
    (lambda d: d["title"].pop("ko"), r"custom\.json: title must be an object with non-empty "
                                     r"'en' and 'ko'"),
    (lambda d: d.update(x_axis="minutes"), r"x_axis must be one of step, epoch"),
    (lambda d: d.update(plots=["fooPlot"]), r"plots must be a non-empty list of"),
    (lambda d: d.update(pace=-1), r"pace must be steps per second"),
    (lambda d: d["steps"][2]["config"].update(learning_rate=-1),
     r"custom\.json: steps\[2\]\.config: learning_rate must be in"),
    (lambda d: d["steps"][1]["config"].update(loss="hinge"),
     r"steps\[1\]\.config: loss 'hinge' does not fit dataset 'plane'"),
    (lambda d: d["steps"][0]["config"].update(colour=1),
     r"steps\[0\]\.config: unknown configuration field"),
    (lambda d: d["steps"][3].pop("watch"), r"missing key steps\[3\]\.watch"),
    (lambda d: d["steps"][3].update(key="good"), r"step keys must be unique; repeated: good"),
    (lambda d: d["try_next"][1].update(ko=""), r"try_next\[1\] must be an object"),
    (lambda d: d["steps"][0]["label"].update(en="   "),
     r"steps\[0\]\.label must be an object with non-empty 'en' and 'ko' texts; the 'en' text "
     r"is empty"),
    (lambda d: d["steps"][2]["watch"].pop("en"), r"steps\[2\]\.watch .*'en' text is missing"),
    (lambda d: d["intro"].update(ko=7), r"intro .*'ko' text is empty or not a string \(got 7"),
    (lambda d: d["question"].update(kr="질문"), r"question .*unknown language 'kr'"),
    (lambda d: d.update(watch="only English"), r"watch .*got str 'only English'"),
    (lambda d: d.update(steps=[]), r"steps must be a non-empty list"),
    (lambda d: d.update(log_y="yes"), r"custom\.json: log_y must be true or false, got 'yes'"),
])
def test_a_broken_file_names_the_file_and_the_key(tmp_path, change, message):
    data = _valid_data()
    change(data)
    with pytest.raises(ConfigError, match=message):
        lessons.load(_write(tmp_path, data))


@pytest.mark.parametrize("text, message", [
    # issue 25: these were accepted, or raised RecursionError with no file name
    ('{"order": 1' + "0" * 400 + "}", r"custom\.json: order must be a whole number from 0 to "
                                      r"1000000, got 1000.*\(401 characters\)"),
    ('{"order": 1, "pace": 1e308}', r"custom\.json: pace must be steps per second \(> 0 and at "
                                    r"most 1000\.0\) or null for full speed, got 1e\+308"),
    ('{"order": 1, "pace": 1e999}', r"custom\.json: pace must be .* got inf"),
    ('{"order": 1, "title": ' + "[" * 100000 + "]" * 100000 + "}",
     r"lesson file custom\.json: nested deeper than Python's JSON decoder can read"),
    ('{"order": 1, "base": {"hidden_layers": ' + "[" * 500 + "]" * 500 + "}}",
     r"custom\.json: base\.hidden_layers\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\] is nested "
     r"deeper than 12 levels"),
    ('{"order": ' + "9" * 5000 + "}", r"lesson file custom\.json cannot be read: Exceeds the "
                                      r"limit \(4300 digits\)"),
])
def test_hostile_numbers_and_nesting_are_refused_with_the_file_and_key(tmp_path, text, message):
    data = _valid_data()
    path = tmp_path / "custom.json"
    # the hostile key replaces the valid file's own, so the check under test is the one hit
    head = json.dumps({k: v for k, v in data.items() if k not in text})[1:-1]
    path.write_text(text[:-1] + ", " + head + "}", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        lessons.load(path)


def test_one_bad_file_is_skipped_and_named_the_rest_load(tmp_path):
    for path in lessons.LESSONS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    (tmp_path / "broken.json").write_text('{"order": 1,', encoding="utf-8")
    _write(tmp_path, {**_valid_data(), "pace": 1e308}, "fast.json")
    catalogue = lessons.scan(tmp_path)
    assert [lesson.key for lesson in catalogue.lessons] == [
        "learning_rate", "epochs", "batch_size", "loss_functions"]
    assert len(catalogue.problems) == 2
    assert catalogue.problems[0].startswith("lesson file broken.json is not valid JSON")
    assert catalogue.problems[1].startswith("lesson file fast.json: pace must be")
    # strict loading, for the tests and the command line, still stops at the first
    with pytest.raises(ConfigError, match="broken.json"):
        lessons.load_all(tmp_path)
    assert lessons.scan(tmp_path / "nowhere").problems[0].startswith("lessons folder ")
    # the shipped lessons all load
    assert lessons.scan().problems == ()


@pytest.mark.gui
def test_the_window_opens_beside_a_bad_lesson_file_and_names_it(make_window, tmp_path,
                                                               monkeypatch):
    for path in lessons.LESSONS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    (tmp_path / "broken.json").write_text('{"order": ' + "[" * 5000, encoding="utf-8")
    monkeypatch.setattr(lessons, "LESSONS_DIR", tmp_path)
    window = make_window()
    assert list(window.lesson_actions) == ["learning_rate", "epochs", "batch_size",
                                           "loss_functions"]
    text = window.lesson_panel.text.toPlainText()
    assert "Lesson files not loaded" in text and "broken.json" in text
    window.set_language("ko")
    assert "불러오지 못한 수업 파일" in window.lesson_panel.text.toPlainText()
    assert lessons.try_it("term", "epochs").lesson.key == "epochs"


def test_unreadable_files_are_config_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{\"order\": 1,", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lesson file bad\.json is not valid JSON: line 1"):
        lessons.load(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        lessons.load(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match="must hold a JSON object"):
        lessons.load(_write(tmp_path, [1, 2]))
    with pytest.raises(ConfigError, match="lessons folder .* does not exist"):
        lessons.load_all(tmp_path / "nowhere")


# -- lesson 1: learning rate -------------------------------------------------------------------

def _sign_changes(values):
    """How often consecutive differences of ``values`` change sign, per column."""
    diffs = np.diff(values, axis=0)
    return np.sum(np.sign(diffs[1:]) != np.sign(diffs[:-1]), axis=0)


@pytest.mark.parametrize("seed", SEEDS)
def test_learning_rate_lesson_shows_crawl_converge_zigzag_explode(shipped, seed):
    lesson = shipped["learning_rate"]
    # the diverging run goes through fit(), as the app runs it: it checks the weights'
    # size at each epoch's end (here every step), which step() alone skips at full batch
    runs = {step.key: lessons.run_lesson_step(step, seed=seed,
                                              record_params=step.key != "too_large")
            for step in lesson.steps}
    floor = runs["good"].history.batch_loss[-1]
    # the noise floor: the best any linear model can do on this data
    assert floor == pytest.approx(runs["near_limit"].history.batch_loss[-1], rel=0.05)
    # too small crawls: after all 60 steps still far above the floor
    assert runs["too_small"].history.batch_loss[-1] > 8 * floor
    # good: at the floor within 20 steps
    assert runs["good"].history.batch_loss[19] < 1.2 * floor
    assert not np.any(_sign_changes(runs["good"].params) > 3)
    # near the limit: every weight's change flips sign at almost every step (zig-zag)
    near = _sign_changes(runs["near_limit"].params)
    assert np.all(near >= 50), near  # of 58 possible
    assert runs["near_limit"].history.diverged is None
    # the question's numbers: near the limit arrives later (within 10% of the floor at steps
    # 23-35 on seeds 0-2, against 9-12 for 0.5)
    arrival = {key: int(np.argmax(runs[key].history.batch_loss < 1.1 * floor)) + 1
               for key in ("good", "near_limit")}
    assert 8 <= arrival["good"] <= 12 and 22 <= arrival["near_limit"] <= 35
    assert arrival["near_limit"] > 1.8 * arrival["good"]  # measured 1.9-3.5x
    # too large: the engine flags the divergence and stops the run early
    large = runs["too_large"].history
    assert large.diverged is not None and large.n_steps < 60
    assert "learning rate" in large.diverged.message


def test_learning_rate_lesson_limit_is_about_099(shipped):
    """The intro's 0.99: 2 / the largest curvature of the MSE on the training data."""
    step = shipped["learning_rate"].step("good")
    for seed in SEEDS:
        data = datasets.load("plane", noise=0.1, validation_split=0.2, seed=seed)
        x = np.hstack([data.x_train, np.ones((len(data.x_train), 1))])
        hessian = 2.0 / len(x) * x.T @ x
        limit = 2.0 / np.linalg.eigvalsh(hessian).max()
        assert 0.98 < limit < 1.0
        assert step.config.batch_size == len(x)  # full batch, as the intro says


# -- lesson 2: epochs and overfitting ----------------------------------------------------------

def _data_val_loss(trainer):
    """The validation crossentropy without the l2 penalty."""
    data = trainer.dataset
    predicted = trainer.predict(data.x_val)
    return float(losses.get(trainer.config.loss)(data.y_val[:, None].astype(float), predicted))


@pytest.mark.parametrize("seed", SEEDS)
def test_epochs_lesson_validation_turns_up_while_training_falls(shipped, seed):
    lesson = shipped["epochs"]
    plain = lessons.run_lesson_step(lesson.step("overfit"), seed=seed)
    history = plain.history
    assert plain.trainer.n_train == 60 and len(plain.trainer.dataset.x_val) == 240
    best = int(np.argmin(history.val_loss)) + 1
    assert 15 <= best <= 40 and history.n_epochs == 100
    # measured on seeds 0-2: 25-81% above the best by the last epoch
    assert history.val_loss[-1] > 1.2 * history.val_loss[best - 1]
    # measured: the last epoch's training loss is 0.38-0.70 of its value at the best epoch
    assert history.train_loss[-1] < 0.8 * history.train_loss[best - 1]
    # the accuracy barely moves: the lesson points at the loss
    assert abs(history.val_accuracy[-1] - history.val_accuracy[best - 1]) < 0.05

    stopped = lessons.run_lesson_step(lesson.step("early_stopping"), seed=seed).history
    assert stopped.stop_reason == "early_stopping"
    assert stopped.n_epochs == best + 10
    assert stopped.val_loss[-1] < history.val_loss[-1]

    restored = lessons.run_lesson_step(lesson.step("restore_best"), seed=seed)
    assert restored.history.n_epochs == best + 10
    assert restored.trainer.evaluate("val")["loss"] == pytest.approx(
        float(np.min(restored.history.val_loss)), rel=1e-9)
    assert restored.trainer.evaluate("val")["loss"] < stopped.val_loss[-1]

    l2 = lessons.run_lesson_step(lesson.step("l2"), seed=seed)
    l2_best = float(np.min(l2.history.val_loss))
    assert l2.history.val_loss[-1] < 1.05 * l2_best  # hardly turns up (measured <= 4%)
    assert _data_val_loss(l2.trainer) < _data_val_loss(plain.trainer)


def test_try_next_claims_of_the_first_two_lessons_hold(shipped):
    """The "try next" texts are claims too: checked here on seed 0 (the 1200-sample variant,
    +2-5% against +25-81%, was measured by hand: it is too slow for this file)."""
    slightly_large = lessons.run_lesson_step(shipped["learning_rate"].step("too_large"),
                                             learning_rate=1.05).history
    losses_seen = slightly_large.batch_loss
    assert losses_seen[1] < losses_seen[0]  # falls first
    growth = losses_seen[4:] / losses_seen[3:-1]
    assert np.all((growth > 1.15) & (growth < 1.35))  # then about a quarter more each step
    assert slightly_large.diverged is not None and slightly_large.n_steps > 5
    overfit = shipped["epochs"].step("overfit")
    for changes in ({"noise": 0.1}, {"hidden_layers": (8, 8)}):
        history = lessons.run_lesson_step(overfit, **changes).history
        assert int(np.argmin(history.val_loss)) + 1 >= 95, changes  # no turn-up


# -- lesson 3: batch size ----------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_batch_size_lesson_accuracy_falls_with_batch_at_fixed_rate(shipped, seed):
    lesson = shipped["batch_size"]
    run = {step.key: lessons.run_lesson_step(step, seed=seed) for step in lesson.steps}
    acc = {key: _final_val_accuracy(r) for key, r in run.items()}
    steps = {key: r.history.n_steps for key, r in run.items()}
    assert steps["batch_32"] == 450 and steps["batch_512"] == 30 and steps["batch_full"] == 10
    # at fixed lr and epochs: accuracy falls as the batch grows
    assert acc["batch_32"] > 0.95
    assert acc["batch_32"] > acc["batch_512"] + 0.03 > acc["batch_full"] + 0.1
    # at equal steps it does not
    assert steps["equal_steps"] == 450
    assert acc["equal_steps"] > acc["batch_32"] - 0.02
    # linear scaling with warm-up recovers batch 256, then breaks down at full batch
    assert run["linear_256"].history.learning_rate[-1] == pytest.approx(1.6)
    assert acc["linear_256"] > acc["batch_32"] - 0.02
    assert run["linear_full"].history.learning_rate[-1] == pytest.approx(0.2 * 1438 / 32)
    assert run["linear_full"].history.diverged is not None
    assert run["linear_full"].history.n_steps < 10
    # LARS keeps the rate that broke scaled SGD stable, but gains no small-batch accuracy;
    # adam does better at full batch
    assert run["lars_full"].history.diverged is None
    assert run["lars_full"].history.learning_rate[-1] == pytest.approx(9.0, rel=0.01)
    assert 0.4 < acc["lars_full"] < acc["batch_32"] - 0.3
    assert acc["adam_full"] > acc["lars_full"] + 0.1


# -- lesson 4: loss functions ------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_loss_lesson_hinge_reaches_zero_crossentropy_does_not(shipped, seed):
    lesson = shipped["loss_functions"]
    binary = ("crossentropy", "hinge", "squared_hinge", "mse")
    runs = {key: lessons.run_lesson_step(lesson.step(key), seed=seed) for key in binary}
    accuracies = [_final_val_accuracy(runs[key]) for key in binary]
    assert min(accuracies) > 0.95 and max(accuracies) - min(accuracies) < 0.03
    per_point = {}
    for key in binary:
        trainer = runs[key].trainer
        data = trainer.dataset
        per_point[key] = losses.get(trainer.config.loss).per_sample(
            data.y_train[:, None].astype(float), trainer.predict(data.x_train))
    assert np.mean(per_point["hinge"] == 0.0) > 0.5
    assert np.mean(per_point["squared_hinge"] == 0.0) > 0.5
    assert per_point["crossentropy"].min() > 0.0
    assert per_point["mse"].min() > 0.0


def test_loss_lesson_sparse_and_categorical_give_the_same_numbers(shipped):
    lesson = shipped["loss_functions"]
    sparse = lessons.run_lesson_step(lesson.step("sparse"))
    categorical = lessons.run_lesson_step(lesson.step("categorical"))
    np.testing.assert_allclose(sparse.history.batch_loss, categorical.history.batch_loss,
                               rtol=1e-12)
    np.testing.assert_array_equal(sparse.history.val_accuracy,
                                  categorical.history.val_accuracy)
    labels = sparse.trainer.dataset.y_train
    one_hot = np.eye(3)[labels]
    assert labels.nbytes * 3 == one_hot.nbytes  # the text's "a third of the memory"


def test_loss_lesson_regression_fits_the_sine(shipped):
    run = lessons.run_lesson_step(shipped["loss_functions"].step("regression"))
    data = run.trainer.dataset
    assert run.trainer.task == "regression"
    # the fit follows the noise-free curve, closer than the noise scatters around it
    fit_error = run.trainer.predict(data.x_val)[:, 0] - np.sin(data.x_val[:, 0])
    noise = data.y_val - np.sin(data.x_val[:, 0])
    assert np.sqrt(np.mean(fit_error ** 2)) < 0.5 * np.sqrt(np.mean(noise ** 2))


def test_run_lesson_step_records_the_parameter_path(shipped):
    step = shipped["learning_rate"].step("good")
    run = lessons.run_lesson_step(step, record_params=True, epochs=5)
    assert run.params.shape == (6, 3)
    assert run.history.n_steps == 5
    np.testing.assert_array_equal(run.params[-1], run.trainer.model.get_weights())
    # row 0 is the trainer's initial weights: a fresh trainer starts there
    from engine import Trainer
    np.testing.assert_array_equal(run.params[0], Trainer(step.config).model.get_weights())
    assert isinstance(step.config, TrainingConfig)


# -- the lesson panel (Qt; imported inside the tests so the engine tests above need no Qt) ----

class Recorder:
    """The panel's callbacks, recording what it asked for, in order."""

    def __init__(self):
        self.calls = []

    def callbacks(self):
        return dict(apply_config=lambda config: self.calls.append(("apply", config)),
                    start=lambda: self.calls.append(("start",)),
                    keep_run=lambda label: self.calls.append(("keep", label)),
                    set_pace=lambda pace: self.calls.append(("pace", pace)),
                    show_views=lambda plots, axis: self.calls.append(("views", plots, axis)))


@pytest.mark.gui
def test_panel_step_button_applies_config_then_starts_and_keeps_the_run(qtbot, shipped):
    from PySide6 import QtWidgets

    from gui.lesson_panel import LessonPanel
    recorder = Recorder()
    panel = LessonPanel(**recorder.callbacks())
    qtbot.addWidget(panel)
    assert panel.objectName() == "lessonPanel"
    assert [panel.lesson_combo.itemData(i) for i in range(panel.lesson_combo.count())] == [
        "learning_rate", "epochs", "batch_size", "loss_functions"]
    panel.set_lesson("epochs")
    button = panel.findChild(QtWidgets.QPushButton, "lessonStep_early_stopping")
    button.click()
    lesson = shipped["epochs"]
    assert recorder.calls == [("views", lesson.plots, "epoch"), ("pace", 30.0),
                              ("apply", lesson.step("early_stopping").config), ("start",)]
    assert "조기" not in panel.status.text() and "Early stopping" in panel.status.text()
    panel.run_finished("early_stopping")
    assert recorder.calls[-1] == ("keep", "Epochs: when more training hurts: "
                                          "Early stopping (patience 10)")
    assert button.text().startswith("✓ ")
    assert "kept for comparison" in panel.status.text()
    # a run the learner stopped is not kept, and a finish with no lesson run is ignored
    panel.run_step("l2")
    panel.run_finished("stopped")
    assert recorder.calls[-1][0] == "start"
    panel.run_finished("finished")
    assert recorder.calls[-1][0] == "start"


@pytest.mark.gui
def test_panel_shows_the_lesson_text_in_both_languages(qtbot, shipped):
    from gui.lesson_panel import LessonPanel, lesson_for_term
    panel = LessonPanel(**Recorder().callbacks())
    qtbot.addWidget(panel)
    lesson = shipped["learning_rate"]
    text = panel.text.toPlainText()
    for part in (lesson.title("en"), lesson.question("en"), lesson.try_next[0]("en"),
                 lesson.steps[0].watch("en"), "What to watch", "Try next"):
        assert part in text
    panel.set_language("ko")
    text = panel.text.toPlainText()
    for part in (lesson.title("ko"), lesson.question("ko"), lesson.try_next[2]("ko"),
                 "지켜볼 점", "다음에 해 볼 것"):
        assert part in text
    assert lesson.intro("en") not in text
    assert panel.lesson_combo.itemText(2) == shipped["batch_size"].title("ko")
    assert panel.step_buttons["too_small"].text() == "너무 작게 (0.01)"
    assert "초당 10걸음" in panel.status.text()
    with pytest.raises(ValueError, match="lesson 'nope' is unknown; lessons: learning_rate"):
        panel.set_lesson("nope")
    # the glossary's "Try it": the lesson teaching a term
    assert lesson_for_term("batch_size").key == "batch_size"
    assert lesson_for_term("poisson") is None


def apply_lesson_config(window, config):
    """The wiring the report gives the window's owner: set every control, then reset."""
    window.panel.set_batch_limit(config.batch_size)  # the previous dataset's limit must not clip
    window.panel.set_values(config.to_dict())
    return window.reset(quiet=True)


def _effective(config):
    """The config with unset optimizer fields at the optimizer's defaults (the controls show
    sgd's momentum as 0.0 where a lesson leaves it None: the same optimizer)."""
    defaults = optimizers.hyperparameters(config.optimizer)
    return config.replace(**{name: defaults[name] for name in OPTIMIZER_FIELDS
                             if getattr(config, name) is None and name in defaults})


@pytest.mark.gui
def test_every_lesson_step_sets_the_real_windows_controls_exactly(window, shipped):
    for lesson in shipped.values():
        for step in lesson.steps:
            assert apply_lesson_config(window, step.config), (lesson.key, step.key)
            assert _effective(window.current_config()) == _effective(step.config), (
                lesson.key, step.key)


def drive_lesson(window, qtbot, key, language="en"):
    """Open lesson ``key`` from the Lessons menu of the real window, in ``language``, and
    press each of its step buttons in turn, training at full speed; returns the kept runs by
    step key and what the panel's status said after each."""
    def choose(combo, value):
        combo.setCurrentIndex(combo.findData(value))

    window.set_language(language)
    window.lesson_actions[key].trigger()
    panel = window.lesson_panel
    assert panel.lesson.key == key and not window.lessons_dock.isHidden()
    before = len(window.session.kept)
    statuses = {}
    for step in panel.lesson.steps:
        panel.step_buttons[step.key].click()
        # the panel set the lesson's pace and x axis; the test need not watch
        assert window.pace == (step.pace or panel.lesson.pace)
        assert window.x_axis_combo.currentData() == panel.lesson.x_axis
        # only the lesson's plots are shown (more room for them), the loss scale it asks for
        assert [name for name, action in window.plot_actions.items() if action.isChecked()] == [
            name for name in window.plot_actions
            if name in panel.lesson.plots or name == "batchLossPlot"]
        assert window.log_check.isChecked() == panel.lesson.log_y
        choose(window.pace_combo, None)
        qtbot.waitUntil(lambda: panel.running_step is None, timeout=60000)
        statuses[step.key] = panel.status.text()
        assert panel.step_buttons[step.key].text().startswith("✓ ")
    kept = window.session.kept[before:]
    assert len(kept) == len(panel.lesson.steps)
    runs = {step.key: run for step, run in zip(panel.lesson.steps, kept)}
    for step in panel.lesson.steps:
        assert runs[step.key].config.learning_rate == step.config.learning_rate
        assert runs[step.key].config.batch_size == step.config.batch_size
    return runs, statuses


def _best(run):
    return int(np.argmin(run.epochs["val_loss"])) + 1


def _claims_learning_rate(runs):
    final = {key: run.steps["batch_loss"][-1] for key, run in runs.items()}
    floor = final["good"]
    assert final["near_limit"] == pytest.approx(floor, rel=0.05)
    assert final["too_small"] > 8 * floor
    assert runs["good"].steps["batch_loss"][19] < 1.2 * floor
    assert runs["too_large"].outcome.startswith("diverged at step ")
    assert len(runs["too_large"].steps["batch_loss"]) < 60


def _claims_epochs(runs):
    overfit = runs["overfit"].epochs
    best = _best(runs["overfit"])
    assert 15 <= best <= 40 and len(overfit["val_loss"]) == 100
    assert overfit["val_loss"][-1] > 1.2 * overfit["val_loss"][best - 1]
    assert overfit["train_loss"][-1] < 0.8 * overfit["train_loss"][best - 1]
    for key in ("early_stopping", "restore_best"):
        assert runs[key].outcome == "early stopping"
        assert len(runs[key].epochs["val_loss"]) == best + 10
        assert runs[key].epochs["val_loss"][-1] < overfit["val_loss"][-1]
    l2 = runs["l2"].epochs["val_loss"]
    assert l2[-1] < 1.05 * np.min(l2)


def _claims_batch_size(runs):
    acc = {key: run.epochs["val_accuracy"][-1] for key, run in runs.items()}
    assert acc["batch_32"] > 0.95
    assert acc["batch_32"] > acc["batch_512"] + 0.03 > acc["batch_full"] + 0.1
    assert acc["equal_steps"] > acc["batch_32"] - 0.02
    assert acc["linear_256"] > acc["batch_32"] - 0.02
    assert runs["linear_full"].outcome.startswith("diverged at step ")
    assert runs["lars_full"].outcome == "finished"
    assert 0.4 < acc["lars_full"] < acc["batch_32"] - 0.3
    assert acc["adam_full"] > acc["lars_full"] + 0.1


def _claims_loss_functions(runs):
    binary = [runs[key].epochs["val_accuracy"][-1]
              for key in ("crossentropy", "hinge", "squared_hinge", "mse")]
    assert min(binary) > 0.95 and max(binary) - min(binary) < 0.03
    np.testing.assert_allclose(runs["sparse"].steps["batch_loss"],
                               runs["categorical"].steps["batch_loss"], rtol=1e-6)
    regression = runs["regression"].epochs["val_loss"]
    assert regression[-1] < 0.5 * regression[0]
    assert all(run.outcome == "finished" for run in runs.values())


CLAIMS = {"learning_rate": _claims_learning_rate, "epochs": _claims_epochs,
          "batch_size": _claims_batch_size, "loss_functions": _claims_loss_functions}


#: In the window at full speed a lesson takes 2-6 s (measured on 2 cores): by default the
#: learning-rate lesson runs in both languages and the epochs lesson in Korean (about 5 s in
#: all, the suite's budget); every other pair is a slow variant (``python -m pytest -m slow
#: tests/test_lessons.py``, about 20 s).
_DEFAULT_WINDOW_RUNS = {("learning_rate", "en"), ("learning_rate", "ko"), ("epochs", "ko")}
_WINDOW_LESSONS = [pytest.param(key, language, marks=() if (key, language)
                                in _DEFAULT_WINDOW_RUNS else pytest.mark.slow)
                   for key in CLAIMS for language in ("en", "ko")]


@pytest.mark.gui
@pytest.mark.parametrize("key, language", _WINDOW_LESSONS)
def test_each_lesson_runs_from_the_menu_and_shows_its_point(make_window, qtbot, messages,
                                                            key, language):
    """The real window, its Lessons menu and its lesson panel: every step of the lesson is
    pressed, trained at full speed and kept; its claim holds on the kept runs, in English
    and in Korean."""
    window = make_window()
    runs, statuses = drive_lesson(window, qtbot, key, language)
    CLAIMS[key](runs)
    kept_word = "비교용으로 보관했습니다" if language == "ko" else "kept for comparison"
    assert all(kept_word in text for text in statuses.values()), statuses
    diverging = [k for k, run in runs.items() if run.outcome.startswith("diverged")]
    title = "학습이 발산했습니다" if language == "ko" else "Training diverged"
    assert sum(m[1] == title for m in messages) == len(diverging)


def test_command_line_prints_what_each_step_showed(tmp_path, capsys):
    data = _valid_data()
    data["base"]["epochs"] = 5
    data["steps"] = [data["steps"][1], data["steps"][3]]
    path = _write(tmp_path, data)
    assert lessons.main([str(path), "--seeds", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "custom: Learning rate: the size of each step"
    assert lines[1].startswith("  good seed 0: 5 steps, last batch loss ")
    assert lines[4].startswith("  too_large seed 1: 5 steps")
    assert len(lines) == 5
    bad = _write(tmp_path, {"order": 1}, "bad.json")
    with pytest.raises(SystemExit) as exit_info:
        lessons.main([str(bad)])
    assert exit_info.value.code == 2
    assert "lesson file bad.json: missing key base" in capsys.readouterr().err


# -- the glossary's "Try it" ---------------------------------------------------------------------

def _every_entry():
    return ([("term", term) for term in lessons.TERMS]
            + [("loss", name) for name in losses.names()]
            + [("optimizer", name) for name in optimizers.names()])


def test_try_it_opens_a_lesson_using_the_entry_or_settings_with_it(shipped):
    seen_lessons, seen_configs = set(), set()
    for kind, name in _every_entry():
        shown = lessons.try_it(kind, name)
        assert (shown.kind, shown.name) == (kind, name)
        if kind == "term":
            assert shown.lesson.term == name and shown.step is None and shown.config is None
        elif shown.lesson is not None:
            # a loss or optimizer: the lesson on its own knob, and the step using it
            field = shown.step.config.loss if kind == "loss" else shown.step.config.optimizer
            assert losses.canonical_name(field) == name if kind == "loss" else field == name
            assert shown.lesson.step(shown.step.key) is shown.step
            seen_lessons.add(name)
        else:
            assert shown.config == shown.config.validate()
            field = shown.config.loss if kind == "loss" else shown.config.optimizer
            assert field == name and shown.dataset == shown.config.dataset
            seen_configs.add(name)
    assert {"hinge", "mean_squared_error", "sgd", "lars", "adam"} <= seen_lessons
    assert lessons.try_it("loss", "mean_squared_error").lesson.key == "loss_functions"
    assert lessons.try_it("optimizer", "adam").step.key == "adam_full"
    assert lessons.try_it("loss", "mse").name == "mean_squared_error"  # aliases too
    assert seen_configs == set(lessons.LOSS_DATASETS) | set(lessons.OPTIMIZER_RATES)
    with pytest.raises(ConfigError, match="no lesson teaches term 'noise'"):
        lessons.try_it("term", "noise")
    with pytest.raises(ConfigError, match="optimizer 'sgdx' is unknown; valid: sgd"):
        lessons.try_it("optimizer", "sgdx")
    with pytest.raises(ConfigError, match="kind 'layer' is unknown"):
        lessons.try_it("layer", "dense")


@pytest.mark.parametrize("kind, name", [(kind, name) for kind, name in _every_entry()
                                        if name in lessons.LOSS_DATASETS
                                        or name in lessons.OPTIMIZER_RATES])
def test_try_it_settings_learn(kind, name):
    """A "Try it" without a lesson sets a configuration that learns: the validation loss
    falls by a fifth or more, classification ends at 95 % or better, nothing diverges."""
    config = lessons.try_it(kind, name).config
    history = Trainer(config).fit()
    assert history.diverged is None
    first, last = float(history.val_loss[0]), float(history.val_loss[-1])
    assert last < first - 0.2 * abs(first), (first, last)
    if datasets.info(config.dataset).task in ("binary", "multiclass"):
        assert history.val_accuracy[-1] >= 0.95


@pytest.mark.gui
def test_glossary_try_it_links_every_entry_and_each_one_works(window, qtbot):
    from engine.lessons import try_it
    from gui.glossary_dialog import GlossaryDialog, try_it_entries
    assert sorted(try_it_entries()) == sorted(_every_entry())
    dialog = GlossaryDialog("en", window, try_it=window.try_glossary_entry)
    qtbot.addWidget(dialog)
    assert sorted(dialog.links()) == sorted(_every_entry())
    assert dialog.browser.toPlainText().count("Try it") == len(_every_entry())
    for kind, name in _every_entry():
        window.lessons_dock.hide()
        dialog.follow(kind, name)
        expected = try_it(kind, name)
        message = window.statusBar().currentMessage()
        if expected.lesson is not None:
            assert window.lesson_panel.lesson.key == expected.lesson.key, (kind, name)
            assert not window.lessons_dock.isHidden()
            part = expected.step.label("en") if expected.step else expected.lesson.title("en")
            assert part in message, (kind, name, message)
        else:
            config = window.current_config()
            assert config.validate() == config
            assert (config.dataset, config.loss, config.optimizer) == (
                expected.config.dataset, expected.config.loss, expected.config.optimizer)
            assert config.learning_rate == expected.config.learning_rate
            assert message.startswith("Try it: ") and expected.dataset in message, message
            assert window.session.state != "running"  # set, not started
    window.set_language("ko")
    window.try_glossary_entry("optimizer", "adagrad")
    assert window.statusBar().currentMessage().startswith("직접 해 보기: circle")


@pytest.mark.gui
def test_each_lesson_dock_fits_a_1440_pixel_window(make_window, qtbot):
    """Shown, the lesson docks must not widen the window (the landscape's controls in one
    row once made it 1727 px wide at a requested 1440, pushing it off a laptop screen)."""
    window = make_window()
    window.resize(1440, 900)
    qtbot.waitUntil(lambda: window.width() == 1440, timeout=5000)
    for name in window.lesson_docks:
        window.open_lesson_dock(name)
        qtbot.wait(50)
        assert window.minimumSizeHint().width() <= 1440, name
        assert window.width() == 1440, name
