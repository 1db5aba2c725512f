"""Labels and outcomes in the window: everything already shown -- the run table, the legends,
the curves' end labels, the status bar's message of a finished run, the lesson's result
chart -- reads in the language chosen, whenever the run was kept (issue 24 item 7, issue 22:
a run kept in English stayed English after a switch to Korean)."""

import pytest
from PySide6 import QtGui, QtWidgets

from gui.i18n import tr
from gui.lesson_panel import TEXT
from gui.model.labels import outcome_text, text
from gui.status import ended_text

pytestmark = pytest.mark.gui


def _train(window, qtbot, **values):
    """A run of the controls' settings (with ``values``), trained to its end."""
    window.panel.set_values(values)
    window.reset(quiet=True)
    window.start_pause()
    qtbot.waitUntil(lambda: window.session.state == "ended", timeout=30000)
    window.redraw_now()


def _run_step(window, qtbot, lesson, step):
    window.lesson_actions[lesson].trigger()
    panel = window.lesson_panel
    panel.step_buttons[step].click()
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # max: the test need not watch
    qtbot.waitUntil(lambda: panel.running_step is None, timeout=30000)
    window.redraw_now()


def _table(window):
    """The run table's (run, outcome) cells by row."""
    table = window.findChild(QtWidgets.QTableWidget, "runTable")
    return [(table.item(row, 1).text(), table.item(row, table.columnCount() - 1).text())
            for row in range(table.rowCount())]


def _legend(window, name="batchLossPlot"):
    return {label.text for _sample, label in window.plots[name].getPlotItem().legend.items}


def _shown_everywhere(window, kept, language):
    """``kept``'s label in ``language`` in its table row, the legends and at its curves'
    ends, and its outcome in the table."""
    label = text(kept.label, language)
    assert (label, outcome_text(kept.outcome, language)) in _table(window)
    for name in ("batchLossPlot", "epochLossPlot"):
        assert label in _legend(window, name)
        assert window.plots[name].end_labels.texts()[kept.key] == label


def test_a_language_switch_relabels_the_table_legends_end_labels_and_the_finished_message(
        make_window, qtbot):
    window = make_window()
    # room in the legends for both kept runs in English too (at 1280 px the epoch plot's
    # legend lays "train", "validation", "best epoch 2" in one column and counts the runs)
    window.resize(1800, 1000)
    for batch in (8, 64):
        _train(window, qtbot, dataset="circle", batch_size=batch, epochs=2)
        window.findChild(QtGui.QAction, "keepRunAction").trigger()
    _train(window, qtbot, dataset="circle", batch_size=32, epochs=2)
    run = window.session.run
    finished = ended_text(run, "finished", "en")
    assert window.statusBar().currentMessage() == finished
    assert finished.startswith("Training finished.")
    first, second = window.session.kept
    for language in ("ko", "en", "ko"):
        window.set_language(language)
        window.redraw_now()
        for kept in (first, second):
            _shown_everywhere(window, kept, language)
        assert window.statusBar().currentMessage() == ended_text(run, "finished", language)
        assert ("▶ " + text(window.session.relabel(), language),
                outcome_text(first.outcome, language)) in _table(window)
    assert text(first.label, "ko").startswith("배치 8")
    assert window.statusBar().currentMessage().startswith(tr("Training finished.", "ko"))
    window.set_language("en")
    assert window.statusBar().currentMessage() == finished


def test_a_kept_runs_message_is_told_again_in_the_new_language(make_window, qtbot):
    window = make_window()
    _train(window, qtbot, dataset="circle", batch_size=400, epochs=2)
    kept = window.keep_run()
    assert window.statusBar().currentMessage() == f"Kept run: {text(kept.label, 'en')}"
    window.set_language("ko")
    assert window.statusBar().currentMessage() == tr("Kept run: {label}", "ko",
                                                     label=text(kept.label, "ko"))
    assert "전체 배치" in window.statusBar().currentMessage()
    window.statusBar().showMessage("something else")
    window.set_language("en")  # a message said since is left as it is
    assert window.statusBar().currentMessage() == "something else"


def test_a_lesson_run_kept_in_english_reads_in_korean_after_a_switch_and_a_restart(
        make_window, settings_path, qtbot):
    window = make_window()
    _run_step(window, qtbot, "learning_rate", "good")
    kept = window.session.kept[-1]
    assert text(kept.label, "en") == "Good (0.5)"
    _shown_everywhere(window, kept, "en")
    window.set_language("ko")
    window.redraw_now()
    korean = window.lesson_panel.lesson.step("good").label("ko")
    assert text(kept.label, "ko") == korean != "Good (0.5)"
    _shown_everywhere(window, kept, "ko")
    assert korean in window.lesson_panel.result.values
    # the panel still says how the step ended, now in Korean (it fell back to the pace)
    assert window.lesson_panel.status.text() == tr(TEXT["kept"], "ko", step=korean,
                                                   outcome=tr("finished", "ko"))
    window.close()
    again = make_window(settings_path)  # reopens in Korean, the kept runs loaded
    again.redraw_now()
    reloaded = again.session.kept[-1]
    assert reloaded.lesson_step == ("learning_rate", "good")
    _shown_everywhere(again, reloaded, "ko")
    again.set_language("en")
    again.redraw_now()
    _shown_everywhere(again, reloaded, "en")


def test_runs_a_lesson_set_aside_stay_aside_after_a_restart_and_bring_back_still_works(
        make_window, settings_path, qtbot):
    """Issue 22: which runs a lesson set aside was lost at a restart, so they came back
    hidden and Bring Back had nothing to bring; the lesson's own runs lost their lesson."""
    window = make_window()
    _train(window, qtbot, dataset="circle", epochs=2)
    window.findChild(QtGui.QAction, "keepRunAction").trigger()
    by_hand = window.session.kept[-1].key
    _run_step(window, qtbot, "learning_rate", "good")
    _run_step(window, qtbot, "learning_rate", "good")  # the first "good" is superseded
    assert "Good (0.5)" in window.lesson_panel.result.values
    window.close()
    again = make_window(settings_path)
    runs = {kept.key: kept for kept in again.session.kept}
    assert len(runs) == 3 and not any(kept.visible for kept in list(runs.values())[:2])
    assert by_hand not in again.plots["batchLossPlot"].runs  # still set aside, not greyed
    again.lesson_actions["learning_rate"].trigger()
    again.redraw_now()
    assert list(again.lesson_panel.result.values) == ["Good (0.5)"]
    again.findChild(QtGui.QAction, "bringBackRunsAction").trigger()
    assert all(kept.visible for kept in again.session.kept)
    assert set(again.plots["batchLossPlot"].runs) == set(runs)
    again.close()
    third = make_window(settings_path)  # brought back stays back
    assert all(kept.visible for kept in third.session.kept)


def test_a_lessons_expected_divergence_is_told_again_in_the_new_language(make_window, qtbot):
    window = make_window()
    _run_step(window, qtbot, "learning_rate", "too_large")
    sentence = window.lesson_panel.status.text()
    assert "diverged at step" in sentence and window.statusBar().currentMessage() == sentence
    window.set_language("ko")
    korean = window.lesson_panel.status.text()
    assert "발산" in korean and window.statusBar().currentMessage() == korean
    window.set_language("en")
    assert window.statusBar().currentMessage() == sentence


def test_a_sweeps_racing_runs_are_renamed_when_the_language_changes(make_window, qtbot):
    """Runs drawn while a sweep races (not kept yet) are named in the new language too: the
    window's drawer of runs renames them when Qt tells the window of the change."""
    import numpy as np

    from engine import TrainingConfig
    from gui.model.labels import Label
    window = make_window()
    plot = window.plots["epochLossPlot"]
    session = window.session
    racing = session.add_racing(Label((("batch_size", (8,)),)), (255, 127, 14),
                                TrainingConfig(batch_size=8))
    racing.extend({}, {"train_loss": np.linspace(1, 0.1, 10),
                       "val_loss": np.linspace(1.1, 0.2, 10)})
    session.runs.grow([racing])
    window.clock.race()  # the race tick draws it, a plot at a time
    names = lambda: {label.text for _sample, label in plot.getPlotItem().legend.items}  # noqa: E731
    qtbot.waitUntil(lambda: "batch 8" in names(), timeout=5000)
    window.set_language("ko")
    assert "배치 8" in names() and "batch 8" not in names()
    window.set_language("en")
    assert "batch 8" in names()
