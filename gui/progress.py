"""The status bar's progress for a long file job (Export History, Export Runs): what is being
written, how far it got, and Cancel.

Non-modal on purpose: the window stays usable while the worker writes, and a test drives it
without a dialog to dismiss. The writing itself is atomic (``engine/atomic.py``), so Cancel
leaves a file already at the path as it was.
"""

from PySide6 import QtCore, QtWidgets

from gui import i18n
from gui.i18n import QT_TR_NOOP, tr

#: What the label says while a file is written (``{name}``: the file's name).
EXPORTING = QT_TR_NOOP("Exporting {name}")


class JobProgress(i18n.Retranslating, QtWidgets.QWidget):
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
        self.cancel_button = QtWidgets.QPushButton()
        self.cancel_button.setObjectName("cancelExportButton")
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.path = None
        self.what = EXPORTING
        self.hide()
        self.retranslate()

    def retranslate(self):
        self.cancel_button.setText(tr("Cancel"))
        if self.path is not None:
            self.label.setText(tr(self.what, name=QtCore.QFileInfo(self.path).fileName()))

    def start(self, path, what=EXPORTING):
        """Show the progress of ``path`` from 0 %; ``what`` (a marked text with ``{name}``,
        the file's name) says what is done with it."""
        self.path, self.what = path, what
        self.retranslate()
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.show()

    def set_fraction(self, fraction):
        self.bar.setValue(int(round(100 * min(max(fraction, 0.0), 1.0))))

    def finish(self):
        self.path = None
        self.hide()
