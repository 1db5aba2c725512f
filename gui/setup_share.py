"""Edit > Copy Setup and Edit > Paste Setup: the whole configuration through the clipboard.

Copy puts one setup on the clipboard in two forms (:mod:`gui.setup_text`): plain text with the
headless command line and the ``--config`` JSON, and the JSON alone as ``application/json``.
Paste reads either form, or a command line or JSON typed anywhere else, checks it whole as
``main.py --config`` would, and then shows it in every control at once and builds its model;
a bad setup changes nothing and the status bar names the problem (no message box: pasting is
a quick gesture, and the clipboard is still there to fix).
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from engine import ConfigError
from gui import setup_text
from gui.i18n import tr

JSON_MIME = "application/json"
#: How long the status bar shows the outcome, in ms.
MESSAGE_MS = 12000


def mime_data(config):
    """The clipboard contents of ``config``'s setup (the caller or the clipboard owns it)."""
    data = QtCore.QMimeData()
    data.setText(setup_text.clipboard_text(config))
    data.setData(JSON_MIME, QtCore.QByteArray(setup_text.to_json(config).encode("utf-8")))
    return data


def read_mime(data):
    """The setup text in clipboard contents ``data``: its JSON if it has one, else its text."""
    if data is not None and data.hasFormat(JSON_MIME):
        return bytes(data.data(JSON_MIME)).decode("utf-8", errors="replace")
    return data.text() if data is not None and data.hasText() else ""


def error_text(error):
    """A paste's error in the current language."""
    if isinstance(error, setup_text.SetupError):
        return tr(error.template, **error.fields)
    return tr(error)


class SetupShare:
    """Copy Setup and Paste Setup of ``window`` (a ``MainWindow``; its actions are rows of
    gui.actions' table)."""

    def __init__(self, window):
        self.window = window

    def copy_setup(self):
        """Edit > Copy Setup. Returns the config copied, or None (the panel's settings are
        not a valid setup: the status bar says why)."""
        window = self.window
        try:
            config = window.current_config()
        except (ConfigError, ValueError) as error:
            window.statusBar().showMessage(
                tr("Cannot copy the setup: {reason}", reason=error_text(error)), MESSAGE_MS)
            return None
        QtGui.QGuiApplication.clipboard().setMimeData(mime_data(config))
        window.statusBar().showMessage(
            tr("Setup copied: the headless command line and its JSON (paste it with Edit > "
               "Paste Setup, in main.py --config, or as flags)."), MESSAGE_MS)
        return config

    def paste_setup(self, text=None):
        """Edit > Paste Setup: apply the clipboard's setup (or ``text``) whole, or nothing.

        Returns True when the setup was applied and its model built.
        """
        window = self.window
        if text is None:
            text = read_mime(QtGui.QGuiApplication.clipboard().mimeData())
        try:
            config = setup_text.parse(text)
            window.panel.apply_config(config)
        except (ConfigError, ValueError) as error:
            window.statusBar().showMessage(
                tr("Cannot paste the setup: {reason}", reason=error_text(error)), MESSAGE_MS)
            return False
        built = window.reset(quiet=True)
        if built:
            window.statusBar().showMessage(tr("Setup pasted."), MESSAGE_MS)
        return built


__all__ = ["JSON_MIME", "SetupShare", "error_text", "mime_data", "read_mime"]
