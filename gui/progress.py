"""The status bar's progress for a long file job (Export History, Export Runs): what is being
written, how far it got, and Cancel.

Non-modal on purpose: the window stays usable while the worker writes, and a test drives it
without a dialog to dismiss. The writing itself is atomic (``engine/atomic.py``), so Cancel
leaves a file already at the path as it was.
"""

from PySide6 import QtCore, QtWidgets

from gui.i18n import tr


class JobProgress(QtWidgets.QWidget):
    """A label, a bar (0-100 %) and a Cancel button; hidden while nothing is written.

    ``cancelRequested`` is emitted when Cancel is pressed; the caller tells the worker.
    """

    cancelRequested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("jobProgress")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QtWidgets.QLabel()
        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("exportProgressBar")
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(140)
        self.cancel_button = QtWidgets.QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("cancelExportButton")
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.path = None
        self.hide()

    def start(self, path):
        """Show the progress of writing ``path`` from 0 %."""
        self.path = path
        self.label.setText(tr("Exporting {name}", name=QtCore.QFileInfo(path).fileName()))
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.show()

    def set_fraction(self, fraction):
        self.bar.setValue(int(round(100 * min(max(fraction, 0.0), 1.0))))

    def finish(self):
        self.path = None
        self.hide()
