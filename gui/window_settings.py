"""What the window remembers between sessions: the draft's values, its geometry and splitter,
the language, the batch plot's smoothing and log scale, the pace, the x axis and the kept runs
(:class:`gui.settings.Settings` stores them)."""

import sys

from PySide6 import QtCore

from engine.presets import DEFAULT_PACE
from gui.controls import SPEC_BY_FIELD
from gui.i18n import tr

#: The pace control's choices in steps per second; None trains at full speed ("max").
PACES = (1, 3, 10, 30, 100, 300, 1000, None)


def restore(window):
    """Give ``window``'s draft, geometry and options their remembered values (a remembered
    value that is no longer valid is skipped), and load its kept runs."""
    settings = window.settings
    values = settings.read_config()
    if "optimizer" in values:  # first: choosing it resets its hyperparameters
        _restore_field(window, "optimizer", values["optimizer"])
    for field, value in values.items():
        if field in SPEC_BY_FIELD and field != "optimizer" and value is not None:
            _restore_field(window, field, value)
    geometry = settings.read("window/geometry", QtCore.QByteArray(), QtCore.QByteArray)
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    splitter = settings.read("window/splitter", QtCore.QByteArray(), QtCore.QByteArray)
    if not splitter.isEmpty():
        window.splitter.restoreState(splitter)
    batch = window.plot_controls["batchLossPlot"]
    smoothing = settings.read("plots/smoothing", 60, int)
    batch.smoothing_slider.setValue(min(max(smoothing, 0), 99))
    batch.log_check.setChecked(settings.read("plots/log_y", False, bool))
    remembered = settings.read("run/pace", "", str)
    names = ["max" if pace is None else str(pace) for pace in PACES]
    window.pace_combo.setCurrentIndex(names.index(remembered) if remembered in names
                                      else PACES.index(DEFAULT_PACE))
    index = window.x_axis_combo.findData(settings.read("plots/x_axis", "step", str))
    window.x_axis_combo.setCurrentIndex(max(index, 0))
    problems = window.session.load_kept(settings.data_folder("kept-runs"))
    if problems:
        # in the saved language: it is installed only after the settings are restored
        window.statusBar().showMessage(tr(
            "Some kept runs could not be read: {problems}", window.language,
            problems=problems_text(problems, window.language)), 30000)


def _restore_field(window, field, value):
    try:
        window.panel.set_value(field, value)
    except (ValueError, TypeError, OverflowError):
        return


def save(window):
    """Remember ``window``'s draft, geometry, language and plot options, and save its kept
    runs (a run that cannot be saved is said on stderr: the window is closing)."""
    settings = window.settings
    values = window.draft.kwargs()
    settings.write_config({name: values[name] for name in SPEC_BY_FIELD})
    settings.write("window/geometry", window.saveGeometry())
    settings.write("window/splitter", window.splitter.saveState())
    settings.write("language", window.language)
    batch = window.plot_controls["batchLossPlot"]
    settings.write("plots/smoothing", batch.smoothing_slider.value())
    settings.write("plots/log_y", batch.log_check.isChecked())
    settings.write("run/pace", str(window.pace or "max"))
    settings.write("plots/x_axis", window.x_axis_combo.currentData())
    for problem in window.session.save_kept(settings.data_folder("kept-runs")):
        print(f"LossLab: {problem}", file=sys.stderr)
    window.session.close_kept()
    settings.sync()


def problems_text(problems, language=None):
    """The kept-run store's problems (``gui.model.store.Problem``) in ``language`` (default:
    the current one)."""
    return "; ".join(tr(problem.template, language, **problem.params) for problem in problems)


__all__ = ["PACES", "problems_text", "restore", "save"]
