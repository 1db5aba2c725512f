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
from gui import i18n

@pytest.fixture(scope="module")
def shipped():
    return {lesson.key: lesson for lesson in lessons.load_all()}


# -- files -------------------------------------------------------------------------------------

def test_the_menu_follows_each_files_order_and_every_term_has_a_lesson(shipped):
    """Lessons are found in their folder: the menu is sorted by each file's "order" (no two
    alike), and each of the article's four terms is taught by a lesson."""
    ordered = lessons.load_all()
    orders = [lesson.order for lesson in ordered]
    assert orders == sorted(set(orders))
    assert {lesson.key for lesson in ordered} == {
        path.stem for path in lessons.LESSONS_DIR.glob("*.json")} == set(shipped)
    assert set(lessons.TERMS) <= {lesson.term for lesson in ordered}


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
    assert {key for key, lesson in shipped.items() if lesson.log_y} == {
        "learning_rate", "batch_size", "stability_limit", "noise_scale"}


def test_step_configs_are_merged_over_the_base(shipped):
    lesson = shipped["learning_rate"]
    rates = [step.config.learning_rate for step in lesson.steps]
    assert rates == [0.01, 0.5, 0.95, 1.5, 0.05, 0.5]
    plane = lesson.steps[:4]
    assert {step.config.dataset for step in plane} == {"plane"}
    assert all(step.config.hidden_layers == () for step in plane)
    # the xor pair keeps the base's optimizer, noise and full batch of 320
    assert {(s.config.optimizer, s.config.noise, s.config.batch_size)
            for s in lesson.steps[4:]} == {("sgd", 0.1, 320)}
    assert lesson.step("near_limit").config.learning_rate == 0.95
    with pytest.raises(ConfigError, match="no step 'huge'.*too_small, good"):
        lesson.step("huge")


def _write(tmp_path, data, name="custom.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _valid_data():
    """The learning-rate lesson's file without its claims (tests/test_lesson_claims.py checks
    those), so a test may drop or rename steps."""
    data = json.loads((lessons.LESSONS_DIR / "learning_rate.json").read_text(encoding="utf-8"))
    del data["claims"]
    return data


def test_a_new_lesson_is_a_new_file(tmp_path):
    for path in lessons.LESSONS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    data = _valid_data()
    data["order"], data["steps"] = 9, data["steps"][:1]
    _write(tmp_path, data, "zz_extra.json")
    keys = [lesson.key for lesson in lessons.load_all(tmp_path)]
    assert keys[-1] == "zz_extra"
    assert len(keys) == len(list(lessons.LESSONS_DIR.glob("*.json"))) + 1


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
     r"custom\.json: base\.hidden_layers" + r"\[0\]" * 10 + r" is nested deeper than 12 levels"),
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
        lesson.key for lesson in lessons.load_all()]
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
    shipped_keys = [lesson.key for lesson in lessons.load_all()]
    monkeypatch.setattr(lessons, "LESSONS_DIR", tmp_path)
    window = make_window()
    assert list(window.lesson_actions) == shipped_keys
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


# -- what each lesson shows: its claims, measured on seeds 0-9 in tests/test_lesson_claims.py;
# here only what is not a measured run

def test_loss_lesson_integer_labels_take_a_third_of_the_one_hot_memory(shipped):
    """The sparse step's "a third of the memory for three classes (a tenth for ten)"."""
    labels = lessons.run_lesson_step(shipped["loss_functions"].step("sparse"),
                                     epochs=1).trainer.dataset.y_train
    assert labels.nbytes * 3 == np.eye(3)[labels].nbytes
    digits = datasets.load("digits", validation_split=0.2, seed=0).y_train
    assert digits.nbytes * 10 == np.eye(10)[digits].nbytes


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
                    keep_run=lambda lesson, step: self.calls.append(("keep", lesson, step)),
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
        lesson.key for lesson in lessons.load_all()]
    panel.set_lesson("epochs")
    button = panel.findChild(QtWidgets.QPushButton, "lessonStep_early_stopping")
    button.click()
    lesson = shipped["epochs"]
    assert recorder.calls == [("views", lesson.plots, "epoch"), ("pace", 30.0),
                              ("apply", lesson.step("early_stopping").config), ("start",)]
    assert "조기" not in panel.status.text() and "Early stopping" in panel.status.text()
    panel.run_finished("early_stopping")
    assert recorder.calls[-1] == ("keep", "epochs", "early_stopping")
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
    i18n.set_language("ko")
    text = panel.text.toPlainText()
    for part in (lesson.title("ko"), lesson.question("ko"), lesson.try_next[2]("ko"),
                 "지켜볼 점", "다음에 해 볼 것"):
        assert part in text
    assert lesson.intro("en") not in text
    assert panel.lesson_combo.itemText(2) == shipped["batch_size"].title("ko")
    assert panel.step_buttons["too_small"].text() == "너무 작게 (0.01)"
    assert "초당 10단계" in panel.status.text()
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
    from PySide6 import QtWidgets

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
        assert window.x_axis_combo.currentData() == panel.x_axis(step.key)
        # only the lesson's plots are shown (more room for them), the loss scale it asks for
        assert [name for name, action in window.plot_actions.items() if action.isChecked()] == [
            name for name in window.plot_actions
            if name in panel.lesson.plots or name == "batchLossPlot"]
        assert window.findChild(QtWidgets.QCheckBox, "logYCheck").isChecked() == panel.lesson.log_y
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


def _same_as_headless(lesson, runs):
    """Each kept run is the headless run of its step (seed 0) that the claims measure: the
    same batch losses step by step and the same ending, so the claims hold in the window."""
    for step in lesson.steps:
        headless = lessons.run_lesson_step(step).history
        kept = runs[step.key]
        np.testing.assert_allclose(kept.steps["batch_loss"], headless.batch_loss, rtol=1e-5,
                                   err_msg=step.key)
        diverged_at = kept.outcome.diverged and "step" in kept.outcome.params
        assert diverged_at == (headless.diverged is not None)
        assert (kept.outcome.key == "early_stopping") == (headless.stop_reason == "early_stopping")


#: In the window at full speed a lesson takes 3-10 s (measured on 2 cores; the learning-rate
#: lesson's 6,600-step xor pair is most of its time): by default the learning-rate lesson runs
#: in Korean and the epochs lesson in English (one of each language, about 10 s of CPU); every
#: other pair is a slow variant (``python -m pytest -m slow tests/test_lessons.py``).
_DEFAULT_WINDOW_RUNS = {("learning_rate", "ko"), ("epochs", "en")}
_WINDOW_LESSONS = [pytest.param(key, language, marks=() if (key, language)
                                in _DEFAULT_WINDOW_RUNS else pytest.mark.slow)
                   for key in (lesson.key for lesson in lessons.load_all())
                   for language in ("en", "ko")]


@pytest.mark.gui
@pytest.mark.parametrize("key, language", _WINDOW_LESSONS)
def test_each_lesson_runs_from_the_menu_and_shows_its_point(make_window, qtbot, messages,
                                                            key, language):
    """The real window, its Lessons menu and its lesson panel: every step of the lesson is
    pressed, trained at full speed and kept; its claim holds on the kept runs, in English
    and in Korean."""
    window = make_window()
    runs, statuses = drive_lesson(window, qtbot, key, language)
    _same_as_headless(window.lesson_panel.lesson, runs)
    kept_word = "비교용으로 보관했습니다" if language == "ko" else "kept for comparison"
    assert all(kept_word in text.lower() for text in statuses.values()), statuses
    # a step meant to diverge says so in the panel; a box is for what nobody meant
    diverging = [k for k, run in runs.items() if run.outcome.diverged]
    assert all(window.lesson_panel.expects_divergence(k) for k in diverging), diverging
    assert messages == []


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
    # a loss no lesson uses is set on its registry entry's dataset; so is an optimizer with a rate
    assert seen_configs == (set(losses.names()) - seen_lessons) | set(lessons.OPTIMIZER_RATES)
    with pytest.raises(ConfigError, match="no lesson teaches term 'noise'"):
        lessons.try_it("term", "noise")
    with pytest.raises(ConfigError, match="optimizer 'sgdx' is unknown; valid: sgd"):
        lessons.try_it("optimizer", "sgdx")
    with pytest.raises(ConfigError, match="kind 'layer' is unknown"):
        lessons.try_it("layer", "dense")


@pytest.mark.parametrize("kind, name", [(kind, name) for kind, name in _every_entry()
                                        if kind != "term"
                                        and lessons.try_it(kind, name).config is not None])
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


def test_a_lesson_file_changed_on_disk_is_read_anew(tmp_path):
    """Lessons are parsed once a process for the same contents (each window scans the
    folder); a file whose contents change is parsed again, and a broken one still fails."""
    path = tmp_path / "epochs.json"
    shutil.copy(lessons.LESSONS_DIR / "epochs.json", path)
    first = lessons.load(path)
    assert lessons.load(path) == first
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"]["en"] = "Epochs, edited"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert lessons.load(path).title.en == "Epochs, edited"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="epochs.json is not valid JSON"):
        lessons.load(path)
