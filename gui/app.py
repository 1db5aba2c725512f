"""Application entry point: ``run(argv)`` creates the QApplication and shows the window."""

import sys

from PySide6 import QtWidgets

from gui.main_window import MainWindow
from gui.settings import APPLICATION, ORGANIZATION


def run(argv=None):
    """Show LossLab's main window and run the event loop; return the exit status."""
    argv = list(sys.argv if argv is None else argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("LossLab")
    window = MainWindow()
    window.show()
    status = app.exec()
    window.shutdown()
    return status
