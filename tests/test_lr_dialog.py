"""The range test's dialog: what it shows for each kind of result, in English and Korean."""

import math

import numpy as np
import pytest

from engine.lr_finder import LRFinderResult

pytestmark = pytest.mark.gui

LRS = np.geomspace(1e-7, 10, 50)
CURVE = np.concatenate([np.full(40, 0.7), np.linspace(0.7, 0.3, 8), [2.0, 9.0]])


@pytest.fixture
def dialog(qtbot):
    from gui.lr_dialog import LRFinderDialog
    widget = LRFinderDialog()
    qtbot.addWidget(widget)
    return widget


def region_of(dialog):
    region, = [item for item in dialog.plot.getPlotItem().items
               if item.objectName() == "lrFallingRange"]
    return region


def texts(dialog):
    from PySide6 import QtWidgets
    button = dialog.findChild(QtWidgets.QPushButton, "useSuggestedLrButton")
    label = dialog.findChild(QtWidgets.QLabel, "lrFinderExplanation")
    return button, label.text()


def test_a_stepped_down_suggestion_names_both_rates_and_can_be_used(dialog, qtbot):
    result = LRFinderResult(LRS, CURVE, CURVE, 0.5, (0.1, 3.0), 2.0, "stepped_down")
    dialog.show_result(result)
    button, text = texts(dialog)
    assert "Suggested: 0.5" in text and "falls fastest at 2" in text and "0.1 to 3" in text
    np.testing.assert_allclose(region_of(dialog).getRegion(), np.log10([0.1, 3.0]))
    assert region_of(dialog).isVisible() and dialog.suggestion_line.isVisible()
    # the loss axis stops a little above the start, not at the blow-up's 9
    low, high = dialog.plot.getPlotItem().viewRange()[1]
    assert low < 0.3 and 0.7 < high < 1.0
    with qtbot.waitSignal(dialog.useRate, timeout=1000) as signal:
        button.click()
    assert signal.args == [0.5]


def test_no_suggestion_disables_use_and_says_why(dialog):
    result = LRFinderResult(LRS, np.full(50, 0.7), np.full(50, 0.7), math.nan,
                            (math.nan, math.nan), math.nan, "no_fall")
    dialog.show_result(result)
    button, text = texts(dialog)
    assert not button.isEnabled()
    assert "No suggestion: the smoothed loss did not fall" in text
    assert not dialog.suggestion_line.isVisible() and not region_of(dialog).isVisible()


def test_the_reason_is_korean_in_korean(dialog):
    from gui import i18n
    result = LRFinderResult(LRS, CURVE, CURVE, 0.5, (0.1, 3.0), 0.5, "steepest")
    i18n.set_language("ko")
    try:
        dialog.show_result(result)
        _, text = texts(dialog)
        assert "제안: 0.5" in text and "0.1~3" in text and "Suggested" not in text
    finally:
        i18n.set_language("en")
