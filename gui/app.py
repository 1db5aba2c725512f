"""Application entry point: ``run(argv)`` creates the QApplication and shows the window.

Closing exits promptly whatever runs: the window stops the worker (every job stops within one
batch) and waits at most ``gui.main_window.CLOSE_TIMEOUT_S``. A single batch of a huge model can take longer;
the process then ends with the window's status without waiting for that batch (settings and
kept runs are saved before, in ``closeEvent``), since Qt aborts a process whose QThread is
still running at exit.
"""

import os
import sys

import shiboken6
from PySide6 import QtWidgets

from gui import qt_owner
from gui.settings import APPLICATION, ORGANIZATION


def finish(window, status):
    """Return ``status`` once ``window``'s worker has stopped (closing waited for it) and the
    window is deleted; if a batch outlasted that wait, end the process now with ``status``.

    A closed window has deleted itself already (``gui.qt_owner.delete_on_close``); one still
    open (the event loop ended another way) is deleted here, before the interpreter
    finalises, never by Qt's clean-up at exit."""
    if shiboken6.isValid(window) and not window.shutdown(0.0):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    qt_owner.dispose(window)
    return status


def run(argv=None):
    """Show LossLab's main window and run the event loop; return the exit status."""
    from gui.main_window import MainWindow
    argv = list(sys.argv if argv is None else argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("LossLab")
    qt_owner.install()
    window = MainWindow()
    window.show()
    return finish(window, app.exec())
