"""Remembered settings: last control values, window geometry, folders, language, plot options.

A thin layer over ``QSettings`` that reads every value with ``type=`` and falls back to the
default when a value is missing, of the wrong type or the whole file is unreadable, so a
corrupt settings file never stops the app from opening.
"""

import json

from PySide6 import QtCore

ORGANIZATION = "LossLab"
APPLICATION = "LossLab"


class Settings:
    """Typed access to a ``QSettings`` store.

    Parameters
    ----------
    store : QtCore.QSettings or None
        The store to use; None opens the user's LossLab settings. Tests pass
        ``QSettings(path, QSettings.IniFormat)`` for a temporary file.
    """

    def __init__(self, store=None):
        self.store = store if store is not None else QtCore.QSettings(ORGANIZATION, APPLICATION)
        self._own_store = store is not None
        self.usable = self.store.status() == QtCore.QSettings.NoError

    def read(self, key, default, kind):
        """The value of ``key`` converted to ``kind``; ``default`` if absent or unreadable."""
        if not self.usable or not self.store.contains(key):
            return default
        if not self._plausible(self.store.value(key), kind):
            return default
        try:
            value = self.store.value(key, default, type=kind)
        except (TypeError, ValueError, RuntimeError):
            return default
        return value if isinstance(value, kind) else default

    @staticmethod
    def _plausible(raw, kind):
        """Qt turns unreadable numbers into 0 and anything into a bool; check first."""
        if kind is bool:
            return isinstance(raw, bool) or str(raw).lower() in ("true", "false", "1", "0")
        if kind in (int, float):
            try:
                number = float(raw)
            except (TypeError, ValueError):
                return False
            return kind is float or number.is_integer()
        return True

    def write(self, key, value):
        self.store.setValue(key, value)

    def read_config(self):
        """The last control values as a dict (empty if none or unreadable)."""
        text = self.read("controls/config", "", str)
        try:
            values = json.loads(text) if text else {}
        except json.JSONDecodeError:
            return {}
        return values if isinstance(values, dict) else {}

    def write_config(self, values):
        self.write("controls/config", json.dumps(values))

    def section_open(self, key, default):
        """Whether the control panel's section ``key`` was left open (``default`` if never
        set)."""
        return self.read(f"controls/open/{key}", default, bool)

    def set_section_open(self, key, open_):
        self.write(f"controls/open/{key}", bool(open_))

    def folder(self, purpose):
        """Last folder used for ``purpose`` ("image", "config", "csv", "history")."""
        return self.read(f"folders/{purpose}", "", str)

    def set_folder(self, purpose, path):
        self.write(f"folders/{purpose}", str(QtCore.QFileInfo(str(path)).absolutePath()))

    def data_folder(self, name):
        """Where the app keeps data ``name`` (kept runs): the user's app data folder, or,
        for a settings file given explicitly (tests, portable use), a folder beside it."""
        if self._own_store:
            base = QtCore.QFileInfo(self.store.fileName()).absolutePath()
        else:
            base = QtCore.QStandardPaths.writableLocation(
                QtCore.QStandardPaths.AppDataLocation)
        return str(QtCore.QDir(base).filePath(name))

    def sync(self):
        self.store.sync()
