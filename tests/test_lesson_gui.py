"""Lessons in the window as a learner meets them (issue 22): a divergence that is the step's
point is a result, not an error; the panel's buttons stay put."""

import pytest

pytestmark = pytest.mark.gui


def _run_step(window, qtbot, lesson, step):
    window.lesson_actions[lesson].trigger()
    panel = window.lesson_panel
    panel.step_buttons[step].click()
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # max: the test need not watch
    qtbot.waitUntil(lambda: panel.running_step is None, timeout=30000)
    window.redraw_now()
    return panel


@pytest.mark.parametrize("language", ["en", "ko"])
def test_expected_divergence_is_a_marker_and_a_sentence_not_a_box(make_window, qtbot, messages,
                                                                   language):
    """The learning-rate lesson's "Too large (1.5)" diverges by design: no message box, a
    marker at the step on the batch-loss plot, the sentence in the panel and the status bar,
    and the run kept."""
    from gui.i18n import tr
    window = make_window()
    window.set_language(language)
    kept = len(window.session.kept)
    panel = _run_step(window, qtbot, "learning_rate", "too_large")
    assert panel.expects_divergence("too_large") and not panel.expects_divergence("good")
    assert messages == []
    run = window.session.run
    assert run.outcome == "diverged" and 3 <= run.diverged_step <= 6
    at = run.diverged_step
    markers = window.plots["batchLossPlot"].markers
    assert [step for step, _line in markers] == [at]
    assert markers[0][1].label.toPlainText() == tr("diverged at step {step}", language, step=at)
    sentence = panel.status.text()
    assert f" {at}" in sentence and panel.lesson.step("too_large").label(language) in sentence
    assert ("발산" in sentence) if language == "ko" else ("diverged at step" in sentence)
    assert window.statusBar().currentMessage() == sentence
    assert len(window.session.kept) == kept + 1
    assert panel.step_buttons["too_large"].text().startswith("✓ ")


def test_unexpected_divergence_still_opens_the_box(make_window, qtbot, messages):
    """A rate the lesson did not mean to diverge (the user's own 1.5 on "Good") is an error
    worth a box, with the same marker."""
    window = make_window()
    window.lesson_actions["learning_rate"].trigger()
    panel = window.lesson_panel
    panel.step_buttons["good"].click()
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)
    qtbot.waitUntil(lambda: panel.running_step is None, timeout=30000)
    window.panel.set_values({"learning_rate": 1.5})
    window.reset(quiet=True)
    window.start_pause()
    qtbot.waitUntil(lambda: any(m[1] == "Training diverged" for m in messages), timeout=30000)
    window.redraw_now()
    assert [step for step, _ in window.plots["batchLossPlot"].markers] == [
        window.session.run.diverged_step]


def test_lesson_buttons_stay_put_when_the_status_wraps(make_window, qtbot):
    """The status line keeps room for its longest sentence: a long status does not move the
    step buttons (issue 22: they moved up 14 px and the next click missed)."""
    from PySide6 import QtCore
    from gui.i18n import tr
    from gui.lesson_panel import TEXT
    window = make_window()
    window.lesson_actions["learning_rate"].trigger()
    panel = window.lesson_panel
    window.lessons_dock.resize(300, window.lessons_dock.height())
    qtbot.waitUntil(lambda: panel.step_buttons["good"].isVisible(), timeout=5000)

    def tops():
        QtCore.QCoreApplication.processEvents()
        return [button.mapTo(panel, QtCore.QPoint(0, 0)).y()
                for button in panel.step_buttons.values()]

    before = tops()
    panel.status.setText("short")
    short = tops()
    panel.status.setText(tr(TEXT["expected_divergence"], "en", step="Too large (1.5)", at=4))
    assert tops() == short == before
    assert panel.status.heightForWidth(panel.status.width()) <= panel.status.height()
