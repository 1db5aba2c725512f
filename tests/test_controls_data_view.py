"""The data plot's toggles (issue 23, as TensorFlow Playground's "Show test data" and
"Discretize output"): the validation points on or off, and the output drawn as flat regions
with a hard boundary instead of shading by the model's confidence."""

import numpy as np
import pytest
from PySide6 import QtWidgets

pytestmark = pytest.mark.gui


@pytest.fixture
def window(shared_window):
    """The module's one window, handed to each test as a new one would be: every test trains
    its own run, so only the toggles and the language are put back. Building a window per
    test was most of this file's CPU time."""
    window = shared_window
    yield window
    window.findChild(QtWidgets.QCheckBox, "discretizeCheck").setChecked(False)
    window.findChild(QtWidgets.QCheckBox, "showValidationCheck").setChecked(True)
    if window.language != "en":
        window.set_language("en")


def trained(window, qtbot, dataset, loss, epochs=3):
    window.panel.set_value("dataset", dataset)
    window.panel.set_value("loss", loss)
    window.panel.set_value("epochs", epochs)
    assert window.reset(quiet=True)
    window.start_pause()
    qtbot.waitUntil(lambda: window.state == "ended", timeout=30000)
    plot = window.plots["dataPlot"]

    def drawn():
        window.redraw_now()
        return plot.view is not None
    qtbot.waitUntil(drawn, timeout=10000)
    assert plot.view.mode == "surface"
    return plot


def colours(plot):
    image = plot.image.image
    return {tuple(pixel) for pixel in image.reshape(-1, image.shape[-1])}


@pytest.mark.parametrize("dataset, loss, classes", [
    ("circle", "binary_crossentropy", 2), ("blobs", "categorical_crossentropy", 3)])
def test_discretize_draws_one_flat_colour_per_predicted_class(window, qtbot, dataset, loss,
                                                               classes):
    plot = trained(window, qtbot, dataset, loss)
    check = window.findChild(QtWidgets.QCheckBox, "discretizeCheck")
    assert not check.isChecked() and check.text() == "Discretize" and check.toolTip()
    shaded = plot.image.image.copy()
    assert len(colours(plot)) > 2 * classes  # shading by confidence: many tints
    check.click()
    labels = plot.view.labels
    flat = plot.image.image
    assert len(colours(plot)) == len(np.unique(labels)) <= classes
    for label in np.unique(labels):  # one colour per predicted class, exactly its pixels
        region = flat[labels == label]
        assert (region == region[0]).all()
    check.click()
    assert np.array_equal(plot.image.image, shaded)


def test_a_regression_surface_discretizes_into_bands(window, qtbot):
    from gui.plots.data import BANDS
    plot = trained(window, qtbot, "plane", "mean_squared_error")
    window.findChild(QtWidgets.QCheckBox, "discretizeCheck").setChecked(True)
    assert 1 <= len(colours(plot)) <= BANDS
    low, high = plot.geometry.value_range
    band = np.clip(np.floor((plot.view.values - low) / (high - low) * BANDS), 0, BANDS - 1)
    for index in np.unique(band):  # each band one colour
        region = plot.image.image[band == index]
        assert (region == region[0]).all()


def test_validation_points_can_be_hidden(window, qtbot):
    plot = trained(window, qtbot, "moons", "binary_crossentropy", epochs=1)
    check = window.findChild(QtWidgets.QCheckBox, "showValidationCheck")
    assert check.isChecked() and plot.val_points.isVisible() and len(plot.val_points.data)
    check.click()
    assert not plot.val_points.isVisible() and plot.train_points.isVisible()
    # a new dataset keeps the choice
    window.panel.set_value("dataset", "circle")
    assert window.reset(quiet=True)
    assert not plot.val_points.isVisible()
    check.click()
    assert plot.val_points.isVisible()


def test_the_toggles_speak_korean(window):
    window.set_language("ko")
    try:
        assert window.findChild(QtWidgets.QCheckBox, "showValidationCheck").text() == (
            "검증 데이터 점")
        assert window.findChild(QtWidgets.QCheckBox, "discretizeCheck").text() == "경계만 표시"
    finally:
        window.set_language("en")
