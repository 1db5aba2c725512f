"""The network view in the window: its dock from View > Network, pictures from the worker
only while shown, Save Image, and a clicked neuron shown large in the data view."""

import numpy as np
import pytest

pytestmark = pytest.mark.gui


def pixel(image, x, y):
    colour = image.pixelColor(round(x), round(y))
    return np.array([colour.red(), colour.green(), colour.blue()])


def test_the_window_shows_the_network_in_a_dock_from_the_view_menu(make_window, qtbot, tmp_path):
    from PySide6 import QtCore, QtGui, QtWidgets
    window = make_window()
    dock = window.findChild(QtWidgets.QDockWidget, "networkDock")
    action = window.findChild(QtGui.QAction, "networkViewAction")
    view = window.findChild(QtWidgets.QWidget, "networkView")
    assert dock.isHidden() and action in window.menus["view"].actions()
    assert action.text() == "Network" and view.pictures is None
    action.trigger()
    assert dock.isVisible()
    # shown, it asks the worker for the current model's pictures at once
    qtbot.waitUntil(lambda: view.pictures is not None, timeout=10000)
    assert [layer.size for layer in view.pictures.layers] == [2, 8, 8, 1]
    first = view.pictures
    window.step()
    qtbot.waitUntil(lambda: view.pictures is not first, timeout=10000)
    # Save Image: the view as a PNG of its size, its pictures in it
    path = tmp_path / "network.png"
    window.save_image(str(path), "networkView")
    image = QtGui.QImage(str(path))
    assert (image.width(), image.height()) == (view.width(), view.height())
    offset = view.canvas.mapTo(view, QtCore.QPoint(0, 0))
    rect = view.neuron_rect(3, 0)
    middle = view.pictures.layers[3].images[0][36, 36].astype(int)
    assert np.abs(pixel(image, offset.x() + rect.center().x(),
                        offset.y() + rect.center().y()) - middle).max() <= 24
    # hidden, the worker computes no pictures
    sent = []
    window.session.progressed.connect(lambda _run, progress: sent.append(progress.network))
    action.trigger()
    assert dock.isHidden()
    window.step()
    qtbot.waitUntil(lambda: len(sent) > 0, timeout=10000)
    window.step()
    count = len(sent)
    qtbot.waitUntil(lambda: len(sent) > count, timeout=10000)
    # a message already under way when the dock closed may still carry pictures (seen once in
    # a full run); from the first without them on, the worker computes none
    first_without = [picture is None for picture in sent].index(True)
    assert sent[first_without:] == [None] * (len(sent) - first_without)
    assert sent[-1] is None


def test_clicking_a_neuron_shows_it_large_in_the_data_view_until_clicked_again(
        make_window, qtbot):
    from PySide6 import QtCore, QtGui, QtWidgets
    window = make_window()
    window.findChild(QtGui.QAction, "networkViewAction").trigger()
    view = window.findChild(QtWidgets.QWidget, "networkView")
    data_plot = window.plots["dataPlot"]
    qtbot.waitUntil(lambda: view.pictures is not None and data_plot.view is not None,
                    timeout=10000)
    model = data_plot.view
    click = view.neuron_rect(1, 4).center().toPoint()
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=click)
    assert view.selected() == (1, 4)
    np.testing.assert_array_equal(data_plot.view.values, view.pictures.data_view(1, 4).values)
    # the data view follows the neuron as the model trains
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 1, timeout=10000)
    window.redraw_now()
    assert not np.array_equal(data_plot.view.values, model.values)
    np.testing.assert_array_equal(data_plot.view.values, view.pictures.data_view(1, 4).values)
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=click)
    assert view.selected() is None
    assert data_plot.view.labels is not None  # the model's decision surface again
