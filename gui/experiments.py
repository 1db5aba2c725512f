"""The window's experiment commands: Run > Sweep… and File > Export as Keras script….

:class:`Experiments` (its actions are rows of gui.actions' table) opens the sweep dialog
(``gui.sweep_dialog.SweepDialog``) on the controls' configuration, races its runs live on the
window's plots (``gui.race.SweepRace``) at the window's pace, and writes the Keras script
(``engine.keras_export``). The window keeps one of these and calls :meth:`shutdown` when it
closes, so a sweep's processes end with it.
"""

from __future__ import annotations

import os

from PySide6 import QtWidgets

from engine import ConfigError
from engine.keras_export import write_keras_script
from gui.i18n import tr
from gui.race import SweepRace
from gui.sweep_dialog import SweepDialog

#: Closing the window waits this long for a sweep's processes to stop before ending them.
CLOSE_WAIT_S = 0.8


class Experiments:
    """Run > Sweep… and File > Export as Keras script… for ``window`` (a ``MainWindow``)."""

    def __init__(self, window):
        self.window = window
        self.dialog = None
        self.race = SweepRace(window.session, window.clock, window)
        window.pace_combo.currentIndexChanged.connect(self._on_pace)

    # -- sweeps --------------------------------------------------------------------------------

    def open_sweep(self):
        """Run > Sweep…: the sweep dialog on the controls' settings (raised if it is open)."""
        window = self.window
        if self.dialog is not None and self.dialog.running:
            self._show()
            return self.dialog
        try:
            config = window.current_config()
        except (ConfigError, ValueError) as error:
            window.show_message("warning", tr("Cannot start the sweep"), tr(error))
            return None
        if self.dialog is None:
            self.dialog = SweepDialog(config, parent=window, pace=window.pace)
            self.race.attach(self.dialog)
        else:
            self.dialog.base_config = config
            self.dialog.set_pace(window.pace)
        self._show()
        return self.dialog

    def _show(self):
        """Show the dialog; one already open comes to the front (a new one is in front)."""
        if self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
        self.dialog.show()

    def _on_pace(self, _index=None):
        if self.dialog is not None:
            self.dialog.set_pace(self.window.pace)

    def shutdown(self, timeout=CLOSE_WAIT_S):
        """Cancel a running sweep; its processes are ended if they outlast ``timeout``."""
        if self.dialog is not None and self.dialog.runner is not None:
            if self.dialog.runner.shutdown(timeout):
                self.dialog.join_waiter(0.2)
        self.race.stop()
        self.window.overlays.stop()

    # -- Keras ---------------------------------------------------------------------------------

    def export_keras(self, path=None):
        """File > Export as Keras script…: the controls' run as a Keras 3 script (and its
        data beside it), each file written atomically; True when written."""
        window = self.window
        try:
            config = window.current_config()
        except (ConfigError, ValueError) as error:
            window.show_message("warning", tr("Cannot export the Keras script"), tr(error))
            return False
        if not path:
            start = os.path.join(window.settings.folder("keras") or os.path.expanduser("~"),
                                 "losslab_keras.py")
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                window, tr("Export as Keras script…"), start, tr("Python script (*.py)"))
            if not path:
                return False
        if not path.lower().endswith(".py"):
            path += ".py"
        try:
            script, data = write_keras_script(config, path)
        except (OSError, ValueError) as error:  # ConfigError is a ValueError
            window.show_message("warning", tr("Cannot export the Keras script"),
                            tr("{path}: {problem}", path=path, problem=error))
            return False
        window.settings.set_folder("keras", path)
        text = tr("Wrote {script} and its data {data}. Run it with: python {name}",
                  script=script, data=data, name=os.path.basename(script))
        window.show_message("information", tr("Keras script exported"), text)
        window.statusBar().showMessage(text, 10000)
        return True


__all__ = ["Experiments"]
