"""Saving pictures: every plot and the window as PNG (decoded, sized, not blank) and SVG."""

import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from conftest import wait_until

pytestmark = pytest.mark.gui
PLOTS = ("batchLossPlot", "epochLossPlot", "accuracyPlot", "learningRatePlot", "dataPlot")


def distinct_colours(path):
    image = QtGui.QImage(str(path))
    assert not image.isNull()
    image = image.convertToFormat(QtGui.QImage.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint32,
                         count=image.bytesPerLine() * image.height() // 4)
    return image, len(np.unique(data))


@pytest.fixture(scope="module")
def trained(shared_window):
    """A window after a short run, so every plot has something to show: one for the module,
    as its tests save what it shows (the zoom test zooms in and back out)."""
    window = shared_window
    window.panel.set_value("epochs", 15)
    window.start_pause()
    wait_until(lambda: window.state == "ended", 15000)
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


def test_bad_target_or_extension_is_refused(shared_window, tmp_path):
    window = shared_window  # refused before anything is drawn or written
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
    plot.getPlotItem().vb.enableAutoRange()  # back out, for the module's next tests
    if extension == "png":
        assert image_bytes(at_once) == image_bytes(settled)
    else:
        assert at_once.read_text() == settled.read_text()


# -- the SVG is the PNG's picture (issue 14, item 2) ---------------------------------------------

CURVE = (200, 30, 30)


def rgb_array(image):
    image = image.convertToFormat(QtGui.QImage.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8,
                         count=image.bytesPerLine() * image.height())
    rows = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width()]
    return rows[..., 2::-1].astype(int)  # BGRA in memory -> RGB


def axes_and_data_boxes(pixels):
    """(axis left x, axis right x, axis bottom y) and the curve's (x0, x1, y0, y1) in pixels."""
    dark = pixels.max(axis=2) < 160  # an antialiased 1 px line may be mid-grey
    bottom = int(np.argmax(dark.sum(axis=1)))  # the x axis: the longest dark row
    columns = np.flatnonzero(dark[bottom])
    left = int(np.argmax(dark.sum(axis=0)))  # the y axis: the longest dark column
    red = (np.abs(pixels - CURVE).sum(axis=2) < 90)
    ys, xs = np.nonzero(red)
    return (left, int(columns.max()), bottom), (xs.min(), xs.max(), ys.min(), ys.max())


def rendered_svg(path, size):
    from PySide6 import QtSvg
    renderer = QtSvg.QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QtGui.QImage(size, QtGui.QImage.Format_ARGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def test_the_svg_shows_the_data_inside_its_axes_as_the_png_does(qtbot, tmp_path):
    import pyqtgraph as pg

    from gui.export import save_image
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    x = np.linspace(0, 100, 400)
    plot.plot(x, np.sin(x / 9) * 40 + 50, pen=pg.mkPen(CURVE, width=3))
    plot.getPlotItem().vb.setRange(xRange=(0, 100), yRange=(0, 100), padding=0)
    qtbot.wait(50)
    save_image(plot, tmp_path / "p.png")
    save_image(plot, tmp_path / "p.svg")
    png = QtGui.QImage(str(tmp_path / "p.png"))
    boxes = {"png": axes_and_data_boxes(rgb_array(png)),
             "svg": axes_and_data_boxes(rgb_array(rendered_svg(tmp_path / "p.svg", png.size())))}
    for (left, right, bottom), (x0, x1, y0, y1) in boxes.values():
        # the curve spans the whole x range, so it ends where the x axis does
        assert left - 3 <= x0 and x1 <= right + 3 and abs(x1 - right) <= 3
        assert y1 <= bottom + 3
    assert np.abs(np.subtract(boxes["png"][0], boxes["svg"][0])).max() <= 3
    assert np.abs(np.subtract(boxes["png"][1], boxes["svg"][1])).max() <= 3


def external_renderer(name):
    """The command line that renders an SVG file to a PNG with tool ``name``, or None when the
    tool is not installed (a stand-in ``convert`` without ImageMagick does not count)."""
    import shutil
    import subprocess
    if name == "imagemagick":
        for command in ("magick", "convert"):
            path = shutil.which(command)
            if path is None:
                continue
            version = subprocess.run([path, "-version"], capture_output=True, text=True,
                                     timeout=30)
            if "ImageMagick" in version.stdout and "not installed" not in version.stdout:
                # at 4x and scaled down, as one gets a fair picture from it: at 1x its own
                # renderer widens every fill by about half a pixel (a 10x10 square: 122 dark
                # pixels, rsvg 109), so thin glyph strokes came out half again as heavy
                return lambda svg, png: [path, "-density", "384", "-background", "white",
                                         str(svg), "-resize", "25%", str(png)]
        return None
    path = shutil.which("rsvg-convert")
    if path is None:
        return None
    return lambda svg, png: [path, "-b", "white", "-o", str(png), str(svg)]


def stroke_thickness(pixels):
    """The curve's median height in each pixel column it crosses (its stroke, seen across)."""
    red = (np.abs(pixels - CURVE).sum(axis=2) < 90)
    counts = red.sum(axis=0)
    return float(np.median(counts[counts > 0]))


@pytest.mark.parametrize("renderer", ["imagemagick", "rsvg"])
def test_the_svg_draws_curves_at_their_width_in_other_renderers(qtbot, tmp_path, renderer):
    """Qt writes a cosmetic pen as vector-effect="non-scaling-stroke" under the data's
    transform; ImageMagick's own renderer ignores the effect and drew the 3 px curve hundreds
    of pixels thick. Rendered by another program, the saved SVG's curve has the PNG's
    thickness and bounding box within a few pixels."""
    import subprocess

    import pyqtgraph as pg

    from gui.export import save_image
    command = external_renderer(renderer)
    if command is None:
        pytest.skip(f"{renderer} is not installed")
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    x = np.linspace(0, 100, 400)
    plot.plot(x, np.sin(x / 9) * 40 + 50, pen=pg.mkPen(CURVE, width=3))
    plot.getPlotItem().vb.setRange(xRange=(0, 100), yRange=(0, 100), padding=0)
    qtbot.wait(50)
    save_image(plot, tmp_path / "p.png")
    save_image(plot, tmp_path / "p.svg")
    # the drawing at the PNG's pixel size (its width and height are in mm for print)
    svg = (tmp_path / "p.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(svg)
    assert root.get("viewBox") == "0 0 600 400"
    sized = tmp_path / "sized.svg"
    sized.write_text(svg.replace(f'width="{root.get("width")}"', 'width="600"', 1)
                     .replace(f'height="{root.get("height")}"', 'height="400"', 1),
                     encoding="utf-8")
    subprocess.run(command(sized, tmp_path / "other.png"), check=True, timeout=120,
                   capture_output=True)
    png = rgb_array(QtGui.QImage(str(tmp_path / "p.png")))
    other = rgb_array(QtGui.QImage(str(tmp_path / "other.png")))
    assert other.shape == png.shape
    thickness = {"png": stroke_thickness(png), renderer: stroke_thickness(other)}
    assert 2 <= thickness["png"] <= 12, thickness
    assert abs(thickness["png"] - thickness[renderer]) <= 2, thickness
    png_box, other_box = axes_and_data_boxes(png), axes_and_data_boxes(other)
    assert np.abs(np.subtract(png_box[1], other_box[1])).max() <= 3, (png_box, other_box)
    assert np.abs(np.subtract(png_box[0], other_box[0])).max() <= 3, (png_box, other_box)


def test_the_window_svg_shows_what_the_png_shows(trained, tmp_path):
    """The whole window as SVG, rendered, against its PNG: QSvgGenerator has no clipping, and
    the menu bar's clipped background fill used to cover every menu title (the strip was
    blank), the group boxes got stray lines. Now the widgets are their picture and the plots
    vectors over it: the menu bar's strip and the whole picture match the PNG."""
    trained.save_image(str(tmp_path / "w.png"))
    trained.save_image(str(tmp_path / "w.svg"))
    png = QtGui.QImage(str(tmp_path / "w.png"))
    svg = rgb_array(rendered_svg(tmp_path / "w.svg", png.size()))
    png = rgb_array(png)
    bar = trained.menuBar().geometry()
    strip = (slice(bar.top(), bar.bottom() + 1), slice(bar.left(), bar.right() + 1))
    # the titles are there: as many dark (text) pixels in the strip as in the PNG's
    dark_png = int((png[strip].max(axis=2) < 100).sum())
    dark_svg = int((svg[strip].max(axis=2) < 100).sum())
    assert dark_png > 100 and abs(dark_svg - dark_png) <= 0.1 * dark_png, (dark_png, dark_svg)
    assert np.abs(svg - png).mean() < 3.0
    root = ElementTree.parse(tmp_path / "w.svg").getroot()
    texts = " ".join(" ".join(e.itertext()) for e in root.iter()
                     if e.tag.rsplit("}", 1)[-1] == "text")
    assert "Batch loss" in texts and "Data and model" in texts  # the plots are vectors


@pytest.mark.parametrize("renderer", ["imagemagick", "rsvg"])
def test_korean_texts_of_an_svg_render_without_the_apps_font(qtbot, tmp_path, renderer):
    """Korean titles, labels and legends are outlines in the SVG (other programs do not have
    the font the app ships, and drew them as boxes); rendered by another program, the title's
    strip has about as much ink as the PNG's; Latin text stays text."""
    import subprocess

    from gui import i18n
    from gui.export import save_image
    from gui.plots import EpochPlot
    command = external_renderer(renderer)
    if command is None:
        pytest.skip(f"{renderer} is not installed")
    i18n.set_language("ko")
    try:
        plot = EpochPlot("epochLossPlot", i18n.tr("Epoch loss"), i18n.tr("loss"),
                         mark_best=True)
        qtbot.addWidget(plot)
        plot.resize(500, 300)
        plot.show()
        plot.append(np.linspace(1, 0.1, 20), np.linspace(1, 0.2, 20))
        plot.set_best_epoch(17)
        plot.redraw()
        qtbot.wait(50)
        save_image(plot, tmp_path / "k.png")
        save_image(plot, tmp_path / "k.svg")
    finally:
        i18n.set_language("en")
    svg = (tmp_path / "k.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(svg)
    texts = ["".join(e.itertext()) for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "text"]
    assert not [text for text in texts if any(ord(c) > 255 for c in text)]
    assert "0.2" in texts or any("0.2" in text for text in texts)  # tick labels stay text
    sized = tmp_path / "sized.svg"
    sized.write_text(svg.replace(f'width="{root.get("width")}"', 'width="500"', 1)
                     .replace(f'height="{root.get("height")}"', 'height="300"', 1),
                     encoding="utf-8")
    subprocess.run(command(sized, tmp_path / "other.png"), check=True, timeout=120,
                   capture_output=True)
    png = rgb_array(QtGui.QImage(str(tmp_path / "k.png")))
    other = rgb_array(QtGui.QImage(str(tmp_path / "other.png")))
    title = plot.getPlotItem().titleLabel.sceneBoundingRect().toRect()
    strip = (slice(title.top(), title.bottom()), slice(title.left(), title.right()))
    ink = [int((image[strip].max(axis=2) < 128).sum()) for image in (png, other)]
    assert ink[0] > 30 and abs(ink[0] - ink[1]) <= 0.25 * ink[0], ink


def test_baking_keeps_the_order_and_the_uncosmetic_elements():
    """The post-processing itself: a cosmetic polyline under a scaling group gets page
    coordinates and a group of its own; a filled rect in the same group keeps the transform,
    before it, as Qt painted them."""
    from gui.export import bake_cosmetic_strokes
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><g>'
           b'<g stroke="red" stroke-width="2" transform="matrix(2,0,0,-10,5,90)">'
           b'<rect x="0" y="0" width="1" height="1"/>'
           b'<polyline vector-effect="non-scaling-stroke" points="0,0 10,5"/>'
           b'<path vector-effect="non-scaling-stroke" d="M0,1 L10,2 Z"/></g></g></svg>')
    root = ElementTree.fromstring(bake_cosmetic_strokes(svg))
    groups = root.findall("{http://www.w3.org/2000/svg}g/{http://www.w3.org/2000/svg}g")
    assert [g.get("transform") for g in groups] == ["matrix(2,0,0,-10,5,90)",
                                                      "matrix(1,0,0,1,0,0)"]
    assert [g.get("stroke-width") for g in groups] == ["2", "2"]
    assert groups[0][0].tag.endswith("rect")
    polyline, path = groups[1]
    assert polyline.get("points") == "5,90 25,40"
    assert path.get("d") == "M 5,80 L 25,70 Z"


# -- saving fails loudly (issue 15, item 5) ------------------------------------------------------

@pytest.fixture
def small_plot(qtbot):
    import pyqtgraph as pg
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.plot([0, 1, 2], [1, 0, 1])
    plot.show()
    return plot


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_an_unwritable_path_is_an_oserror_naming_it(small_plot, tmp_path, extension):
    from gui.export import save_image
    path = tmp_path / "no such folder" / f"plot.{extension}"
    with pytest.raises(OSError, match="no such folder"):
        save_image(small_plot, path)


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_other(small_plot, tmp_path,
                                                               monkeypatch, extension):
    import os

    from gui import export
    path = tmp_path / f"plot.{extension}"
    path.write_bytes(b"the good copy")

    def full_disk(descriptor):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match=f"plot.{extension}.*No space left"):
        export.save_image(small_plot, path)
    assert path.read_bytes() == b"the good copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    monkeypatch.undo()
    export.save_image(small_plot, path)
    assert path.stat().st_size > 100


@pytest.mark.parametrize("width", [-5, 0, 10 ** 6, 2.5, "wide"])
def test_a_bad_width_is_a_valueerror_and_paints_nothing(small_plot, tmp_path, capfd, width):
    from gui.export import save_image
    with pytest.raises(ValueError, match="width"):
        save_image(small_plot, tmp_path / "plot.png", width)
    assert not list(tmp_path.iterdir())
    assert "QPainter" not in capfd.readouterr().err


def test_the_window_passes_a_failed_save_on(shared_window, tmp_path):
    window = shared_window  # the save fails: nothing in the window changes
    path = str(tmp_path / "missing" / "plot.png")
    with pytest.raises(OSError, match="missing"):
        window.save_image(path, "batchLossPlot")


def test_a_saved_image_gets_a_new_files_permissions_not_the_temporary_files(qtbot, tmp_path):
    """Images went through a second, private atomic writer whose mkstemp file kept mode 0600
    (a headless sweep.png no one else could read); they now share engine.atomic's."""
    import os
    import stat
    from gui.export import write_atomically
    plain = tmp_path / "plain"
    plain.write_bytes(b"")  # a plain open(path, "w"): the mode a new file gets (umask applied)
    new_file_mode = stat.S_IMODE(os.stat(plain).st_mode)
    plain.unlink()
    path = tmp_path / "plot.png"
    write_atomically(path, b"\x89PNG data")
    assert stat.S_IMODE(os.stat(path).st_mode) == new_file_mode
    os.chmod(path, 0o640)
    write_atomically(path, b"\x89PNG again")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640  # an existing file keeps its mode
    assert path.read_bytes() == b"\x89PNG again"
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]
