"""Saving pictures: every plot and the window as PNG (decoded, sized, not blank) and SVG."""

import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

pytestmark = pytest.mark.gui
PLOTS = ("batchLossPlot", "epochLossPlot", "accuracyPlot", "learningRatePlot", "dataPlot")


def distinct_colours(path):
    image = QtGui.QImage(str(path))
    assert not image.isNull()
    image = image.convertToFormat(QtGui.QImage.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint32,
                         count=image.bytesPerLine() * image.height() // 4)
    return image, len(np.unique(data))


@pytest.fixture
def trained(window, qtbot):
    """A window after a short run, so every plot has something to show."""
    window.panel.set_value("epochs", 15)
    window.start_pause()
    qtbot.waitUntil(lambda: window.state == "ended", timeout=15000)
    assert window.last_message is None
    return window


@pytest.mark.parametrize("target", PLOTS)
def test_each_plot_saves_as_png_of_its_size(trained, tmp_path, target):
    path = tmp_path / f"{target}.png"
    trained.save_image(str(path), target)
    image, colours = distinct_colours(path)
    widget = trained.findChild(QtWidgets.QWidget, target)
    assert abs(image.width() - widget.width()) <= 1
    assert colours >= 8


def test_png_width_option_scales(trained, tmp_path):
    path = tmp_path / "wide.png"
    trained.save_image(str(path), "batchLossPlot", width=1600)
    image, colours = distinct_colours(path)
    assert image.width() == 1600
    assert colours >= 8


def test_window_saves_as_png(trained, tmp_path):
    path = tmp_path / "window.png"
    trained.save_image(str(path))
    image, colours = distinct_colours(path)
    assert (image.width(), image.height()) == (trained.width(), trained.height())
    assert colours >= 50
    half = tmp_path / "half.png"
    trained.save_image(str(half), width=trained.width() // 2)
    assert QtGui.QImage(str(half)).width() == trained.width() // 2


@pytest.mark.parametrize("target", [None, "batchLossPlot", "dataPlot"])
def test_svg_is_a_parseable_drawing(trained, tmp_path, target):
    path = tmp_path / "picture.svg"
    trained.save_image(str(path), target)
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg")
    drawn = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("path", "polyline",
                                                                     "image", "rect")]
    assert len(drawn) > 10


def test_bad_target_or_extension_is_refused(window, tmp_path):
    with pytest.raises(ValueError, match="target"):
        window.save_image(str(tmp_path / "x.png"), "noSuchPlot")
    with pytest.raises(ValueError, match=".png or .svg"):
        window.save_image(str(tmp_path / "x.jpg"))
