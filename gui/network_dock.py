"""The network view in the window: a dock of its own, shown from View > Network.

:func:`install` puts a :class:`~gui.network_view.NetworkView` in a dock beside the lessons'
(hidden at start, as they are: shown at start it took the plots' width at the window's
minimum size), binds it to the session and redraws it on the frame clock's slow tick, the
data view's rate. The worker computes the pictures with each data view only while the dock is
shown (the worker command ``show_network``), and right away when it is shown.

A click on a neuron shows its picture large in the data plot (surface or curve; the digits'
weights and the histograms have no place there) and frames the neuron; the data plot keeps
showing that neuron as the model trains, also across a new model that has it, until the neuron
is clicked again.
"""

from PySide6 import QtCore, QtWidgets

from gui import glossary, i18n
from gui import worker as jobs
from gui.network_view import NetworkView

DOCK_NAME = "networkDock"
#: The dock's width when first shown: room for three or four columns of legible neurons.
DOCK_WIDTH = 460


class NetworkDock(QtWidgets.QDockWidget):
    """The dock holding the network view (``view``) of ``window``."""

    def __init__(self, window):
        super().__init__(glossary.label("network_view"), window)
        self.setObjectName(DOCK_NAME)
        self._window = window
        self.view = NetworkView()
        self.setWidget(self.view)
        self._model_view = None  # the data view the worker sent last, shown again on unselect
        self._sized = False
        self.view.bind(window.session)
        window.session.run_started.connect(self._new_run)
        window.session.progressed.connect(self._progressed)
        window.clock.on_slow(self.view.redraw)
        self.view.neuronClicked.connect(self._clicked)
        self.visibilityChanged.connect(self._shown)

    def changeEvent(self, event):
        if i18n.is_language_change(event):  # its View-menu action takes the title too
            self.setWindowTitle(glossary.label("network_view"))
        super().changeEvent(event)

    def _shown(self, visible):
        if visible and not self._sized and not self.isFloating():
            self._sized = True
            self._window.resizeDocks([self], [DOCK_WIDTH], QtCore.Qt.Orientation.Horizontal)
        worker = self._window.worker
        if worker.closing.is_set():  # the window is closing: its docks hide, its worker is gone
            return
        worker.command(jobs.show_network(visible))
        if visible and self._window.session.run is not None:
            worker.submit(jobs.refresh_view)  # the pictures now, not at the next view

    def _new_run(self, _run):
        """A new model (Reset, a new setting, or Step on an untrained run): the selected neuron
        stays selected, shown large again once the new model has one like it."""
        self._model_view = None

    def _progressed(self, _run, progress):
        """After the data plot took ``progress``'s view: the selected neuron's instead."""
        if progress.view is not None:
            self._model_view = progress.view
        selected = self.view.selected()
        if selected is not None and progress.network is not None:
            neuron = progress.network.data_view(*selected)
            if neuron is not None:
                self._window.plots["dataPlot"].show_view(neuron)

    def _clicked(self, layer, index):
        data_plot = self._window.plots["dataPlot"]
        if self.view.selected() == (layer, index):
            self.view.set_selected(None)
            if self._model_view is not None:
                data_plot.show_view(self._model_view)
        else:
            neuron = self.view.pictures.data_view(layer, index)
            if neuron is None:
                return
            self.view.set_selected(layer, index)
            data_plot.show_view(neuron)
        data_plot.redraw()


def install(window):
    """Add the network dock to ``window`` (a ``gui.MainWindow`` whose worker has started) and
    its toggle to the View menu; return the dock."""
    dock = NetworkDock(window)
    window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
    action = dock.toggleViewAction()
    action.setObjectName("networkViewAction")
    window.menus["view"].addAction(action)
    dock.hide()
    return dock
