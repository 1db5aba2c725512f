"""The window's file commands: open a CSV dataset, load and save a config, save an image,
open runs, export the history and the kept runs (on the worker thread, with progress and
Cancel in the status bar).

:class:`FileCommands` is what the File menu's rows of :mod:`gui.actions` call
(``files.load_config`` ...); it reads the window's public parts (settings, controls,
session, jobs, status bar) and says what went wrong through ``window.show_message``.
"""

import json
import threading

from PySide6 import QtCore, QtWidgets

from engine import ConfigError, TrainingConfig
from engine.atomic import write_text
from gui import glossary, messages
from gui import worker as jobs
from gui.controls import OPEN_CSV
from gui.export import IMAGE_FILTER
from gui.i18n import tr
from gui.open_run import RunOpener
from gui.plots import registry
from gui.progress import JobProgress


class SaveImageDialog(QtWidgets.QDialog):
    """Asks what to save (a plot or the whole window) and the PNG width."""

    def __init__(self, targets, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Save Image"))
        form = QtWidgets.QFormLayout(self)
        self.target_combo = QtWidgets.QComboBox()
        for name, title in targets:
            self.target_combo.addItem(title, name)
        self.width_spin = QtWidgets.QSpinBox()
        self.width_spin.setRange(0, 10000)
        self.width_spin.setSingleStep(100)
        self.width_spin.setSpecialValueText(tr("as on screen"))
        self.width_spin.setSuffix(tr(" px"))
        form.addRow(tr("Save"), self.target_combo)
        form.addRow(tr("PNG width"), self.width_spin)
        form.addRow(QtWidgets.QLabel(tr("The file extension chooses the format: .png or .svg.")))
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Ok
                                             | QtWidgets.QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class FileCommands:
    """File > … for ``window`` (a ``MainWindow``); its export progress (objectName
    ``jobProgress``) sits in the window's status bar."""

    def __init__(self, window):
        self.window = window
        self.cancel_flag = None
        self.progress = JobProgress()  # an export's progress and Cancel, shown while it runs
        self.progress.cancelRequested.connect(self.cancel_export)
        window.statusBar().addPermanentWidget(self.progress)
        self.run_opener = RunOpener(window, window.session, window.settings, self.progress,
                                    window.show_message)
        window.panel.valueChanged.connect(self._on_value_changed)

    def _on_value_changed(self, field, value):
        """The dataset list's "Open CSV…" entry opens a file."""
        if field == "dataset" and value == OPEN_CSV:
            self.open_csv()

    def open_runs(self, folder=None):
        """File > Open Run: a run folder (a headless ``--out`` folder, or one saved by the
        app) as a kept run; a folder of such folders opens each of them. Read on the worker
        with progress and Cancel (:mod:`gui.open_run`); True when the reading started."""
        window = self.window
        if not folder:
            folder = QtWidgets.QFileDialog.getExistingDirectory(
                window, tr("Open Run"), window.settings.folder("runs"))
            if not folder:
                return False
        return self.run_opener.open(folder, window.jobs.submit)

    def export_runs(self, path=None):
        """File > Export Runs: every kept run in one long CSV, with a per-epoch CSV beside it
        (``NAME.csv`` and ``NAME-epochs.csv``), each written atomically."""
        window = self.window
        if not window.session.kept:
            window.statusBar().showMessage(glossary.ui_text("kept_nothing", window.language), 5000)
            return False
        if not path:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                window, "Export Runs", window.settings.folder("history"), "CSV (*.csv)")
            if not path:
                return False
        root = path[:-4] if path.lower().endswith(".csv") else path
        self._submit_export(f"{root}.csv", tr("Exporting the runs to {path}…", path=path),
                            lambda cancel, handlers: jobs.ExportRuns(
            list(window.session.kept), f"{root}.csv", f"{root}-epochs.csv", cancel, handlers))
        window.settings.set_folder("history", path)
        return True

    def open_csv(self, path=None):
        """Pick a CSV file (or take ``path``, a dropped one) and use it as the dataset
        ("csv:PATH")."""
        window = self.window
        if not path:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(
                window, tr("Open CSV"), window.settings.folder("csv"),
                tr("CSV files (*.csv);;All files (*)"))
        if not path:  # cancelled: the list shows the draft's dataset again
            window.panel.show_draft("dataset")
            return
        window.settings.set_folder("csv", path)
        window.panel.add_csv(path, select=True)

    def load_config(self, path=None):
        """Load a JSON config (the headless format) into the controls and reset."""
        window = self.window
        if not path:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(
                window, tr("Load Config"), window.settings.folder("config"),
                tr("JSON config (*.json);;All files (*)"))
            if not path:
                return False
        try:  # checked whole, then shown whole: a bad file changes no control
            window.panel.apply_config(TrainingConfig.from_json(path))
        except (ConfigError, ValueError) as error:
            window.show_message("warning", tr("Cannot load config"), tr(error))
            return False
        window.settings.set_folder("config", path)
        return window.reset()

    def save_config(self, path=None):
        """Save the controls as a JSON config (loadable by ``main.py --config``)."""
        window = self.window
        try:
            config = window.current_config()
        except (ConfigError, ValueError) as error:
            window.show_message("warning", tr("Cannot save config"), tr(error))
            return False
        if not path:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                window, tr("Save Config"), window.settings.folder("config"),
                tr("JSON config (*.json)"))
            if not path:
                return False
        try:
            write_text(path, json.dumps(config.to_dict(), indent=2) + "\n")
        except OSError as error:
            window.show_message("warning", tr("Cannot save config"), f"{path}: {tr(error)}")
            return False
        window.settings.set_folder("config", path)
        return True

    def export_history(self, path=None):
        """Write the run's per-batch history as CSV, on the worker thread (the message when
        it is written, or why not, arrives as a worker message)."""
        window = self.window
        if window.session.run is None:
            return False
        if not path:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                window, tr("Export History"), window.settings.folder("history"), tr("CSV (*.csv)"))
            if not path:
                return False
        self._submit_export(path, tr("Exporting the history to {path}…", path=path),
                            lambda cancel, handlers: jobs.ExportHistory(path, cancel, handlers))
        window.settings.set_folder("history", path)
        return True

    def _submit_export(self, path, status, make_job):
        """Send an export job with its own cancel flag (it stops a running fit first, and
        Start continues it afterwards)."""
        window = self.window
        self.cancel_flag = threading.Event()
        self.progress.start(path)
        window.statusBar().showMessage(status)
        window.jobs.submit(make_job(self.cancel_flag, {
            messages.ExportProgress: self._on_export_progress,
            messages.Exported: self._on_exported}))

    def cancel_export(self):
        """The progress's Cancel: the export stops within one chunk of rows; the file already
        at its path, if any, stays as it was."""
        if self.cancel_flag is not None:
            self.cancel_flag.set()
            self.progress.cancel_button.setEnabled(False)

    def _on_export_progress(self, progress):
        if self.progress.path != progress.path:
            self.progress.start(progress.path)
        self.progress.set_fraction(progress.fraction)

    def _on_exported(self, exported):
        window = self.window
        self.progress.finish()
        self.cancel_flag = None
        if exported.outcome == "cancelled":
            window.statusBar().showMessage(tr("Export cancelled; {path} is unchanged.",
                                            path=exported.path), 8000)
        elif exported.outcome == "failed":
            window.statusBar().clearMessage()
            window.show_message("critical", tr(exported.title), tr(exported.message))
        else:
            window.statusBar().showMessage(tr("Exported {rows:,} steps to {path}",
                                            rows=exported.rows, path=exported.path), 8000)

    def save_image_dialog(self):
        """File > Save Image…: choose a plot or the window, a width, then a file."""
        window = self.window
        targets = [(None, tr("Whole window"))] + [
            (entry.name, glossary.label(entry.term)) for entry in registry.PLOTS
            if window.plots[entry.name].isVisible()]
        if window.network_dock.isVisible():
            targets.append(("networkView", glossary.label("network_view")))
        dialog = SaveImageDialog(targets, window)
        last_target = window.settings.read("export/target", "", str) or None
        index = dialog.target_combo.findData(last_target)
        dialog.target_combo.setCurrentIndex(max(index, 0))
        dialog.width_spin.setValue(window.settings.read("export/width", 0, int))
        if dialog.exec() != QtWidgets.QDialog.Accepted:
            return False
        target = dialog.target_combo.currentData()
        width = dialog.width_spin.value() or None
        name = target or "losslab"
        start = QtCore.QDir(window.settings.folder("image") or QtCore.QDir.homePath())
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            window, tr("Save Image"), start.filePath(f"{name}.png"), tr(IMAGE_FILTER))
        if not path:
            return False
        if not path.lower().endswith((".png", ".svg")):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        window.settings.write("export/target", target or "")
        window.settings.write("export/width", width or 0)
        try:
            window.save_image(path, target, width)
        except (OSError, ValueError) as error:
            window.show_message("warning", tr("Cannot save image"), tr(error))
            return False
        window.settings.set_folder("image", path)
        window.statusBar().showMessage(tr("Saved {path}", path=path), 5000)
        return True



__all__ = ["FileCommands", "SaveImageDialog"]
