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


@pytest.mark.parametrize("target", ["batchLossPlot", "epochLossPlot", "learningRatePlot"])
def test_svg_of_a_curve_plot_has_its_axes_and_legend_as_text_not_bitmaps(trained, tmp_path,
                                                                       target):
    path = tmp_path / "plot.svg"
    trained.save_image(str(path), target)
    elements = list(ElementTree.parse(path).getroot().iter())
    if target != "epochLossPlot":  # its epoch markers are symbols, which pyqtgraph blits
        assert not [e for e in elements if e.tag.rsplit("}", 1)[-1] == "image"]
    texts = " ".join(" ".join(e.itertext()) for e in elements
                     if e.tag.rsplit("}", 1)[-1] == "text")
    title, x_label = {"batchLossPlot": ("Batch loss", "step"),
                      "epochLossPlot": ("Epoch loss", "epoch"),
                      "learningRatePlot": ("Learning rate", "step")}[target]
    assert title in texts and x_label in texts
    assert any(character.isdigit() for character in texts)  # tick labels


def test_bad_target_or_extension_is_refused(window, tmp_path):
    with pytest.raises(ValueError, match="target"):
        window.save_image(str(tmp_path / "x.png"), "noSuchPlot")
    with pytest.raises(ValueError, match=".png or .svg"):
        window.save_image(str(tmp_path / "x.jpg"))


def image_bytes(path):
    image = QtGui.QImage(str(path)).convertToFormat(QtGui.QImage.Format_RGB32)
    return image.size(), bytes(image.constBits())


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_a_plot_saved_right_after_a_zoom_shows_the_zoomed_axes(trained, qtbot, tmp_path,
                                                                extension):
    # Axes repaint on screen from a pixmap cache; a picture saved before the next screen paint
    # must not take a stale axis from it.
    plot = trained.plots["batchLossPlot"]
    plot.getPlotItem().vb.setXRange(3, 7, padding=0)  # no event processing before saving
    at_once = tmp_path / f"at_once.{extension}"
    trained.save_image(str(at_once), "batchLossPlot")
    qtbot.wait(200)
    settled = tmp_path / f"settled.{extension}"
    trained.save_image(str(settled), "batchLossPlot")
    if extension == "png":
        assert image_bytes(at_once) == image_bytes(settled)
    else:
        assert at_once.read_text() == settled.read_text()
