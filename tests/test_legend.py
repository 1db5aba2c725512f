"""The plots' row legend (gui/plots/legend.py): entries cut with "…" still follow the language,
and after any sequence of changes every label shown is an entry's, laid out, named as given."""

import random

import numpy as np
import pyqtgraph as pg
import pytest

from gui import i18n
from gui.i18n import tr
from gui.plots.legend import side_legend

pytestmark = pytest.mark.gui


def legend_in(qtbot, width, height=300):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, side_legend(widget.getPlotItem())


def test_a_name_cut_with_an_ellipsis_is_translated_when_the_language_changes(qtbot):
    """Issue 24 #7/#8: "valida…" stayed English in Korean (a cut name is no text tr made).
    The plot relabels its legend when Qt tells it of the change (a live plot's retranslate)."""
    from gui.plots import LivePlot
    widget = LivePlot()
    qtbot.addWidget(widget)
    widget.resize(120, 300)
    widget.show()
    qtbot.waitExposed(widget)
    legend = side_legend(widget.getPlotItem())
    item = widget.getPlotItem()
    curves = [item.plot([0, 1], [0, 1]), item.plot([0, 1], [1, 0])]
    legend.addItem(curves[0], tr("train"))
    legend.addItem(curves[1], tr("validation"))
    legend.fit_columns()
    label = legend.items[1][1]
    assert label.text.endswith("…") and label.toolTip() == "validation"
    korean = tr("validation", "ko")
    try:
        i18n.set_language("ko")
        assert shows(label, korean), label.text
    finally:
        i18n.set_language("en")
    assert shows(label, "validation"), label.text


def shows(label, name):
    """``label`` shows ``name``, whole or cut with "…"."""
    return label.text == name or (label.text.endswith("…") and name.startswith(label.text[:-1]))


def test_after_any_changes_every_label_shown_is_an_entrys_and_named_as_given(qtbot):
    """Adds, removals, renames, resizes and clears in a seeded random order: no label or
    sample left visible outside the entries (a stray fragment), each shown entry in the
    layout, each label's whole name the name given."""
    widget, legend = legend_in(qtbot, 500)
    names = ["train", "validation", "best epoch 12", "upper moon",
             "Learning rate: the size of each step: Too small (0.01)"]
    rng = random.Random(24)
    curves, given = [], {}
    for _ in range(300):
        op = rng.random()
        if op < 0.3 or not curves:
            curve = pg.PlotDataItem([0, 1], [0, 1])
            curves.append(curve)
            given[id(curve)] = rng.choice(names)
            (legend.add_spare if rng.random() < 0.5 else legend.addItem)(curve, given[id(curve)])
        elif op < 0.45:
            curve = rng.choice(curves)
            legend.removeItem(curve)
            curves.remove(curve)
        elif op < 0.65:
            curve = rng.choice(curves)
            given[id(curve)] = rng.choice(names)
            legend.rename(curve, given[id(curve)])
        elif op < 0.8:
            widget.resize(rng.randint(150, 900), rng.randint(100, 600))
            qtbot.wait(1)
        elif op < 0.85:
            legend.clear()
            curves = []
        else:
            curve = rng.choice(curves)
            given[id(curve)] = rng.choice(names)
            legend.addItem(curve, given[id(curve)])
        shown_labels = {id(label) for _sample, label in legend.items}
        shown_samples = {id(sample) for sample, _label in legend.items}
        laid = {id(legend.layout.itemAt(i)) for i in range(legend.layout.count())}
        for child in legend.childItems():
            if child.isVisible() and isinstance(child, pg.LabelItem):
                assert id(child) in shown_labels, child.text
            if child.isVisible() and isinstance(child, pg.graphicsItems.LegendItem.ItemSample):
                assert id(child) in shown_samples
        for sample, label in legend.items:
            assert id(label) in laid and id(sample) in laid and label.isVisible()
            if any(sample.item is curve for curve in curves):
                whole = label.full_text if label.text == label.shown_text else label.text
                assert whole == given[id(sample.item)]



def test_the_windows_legends_stay_translated_with_runs_hidden_behind_more(window, qtbot):
    """A kept run hidden behind "+N more" (1024 x 640) is renamed on a language change, which
    relays the legend out: its other entries keep the names the window translated ("train"
    had come back in English)."""
    i18n.set_language("en")
    window.panel.set_value("epochs", 2)
    for batch in (16, 64):
        window.panel.set_value("batch_size", batch)
        assert window.reset(quiet=True)
        window.start_pause()
        qtbot.waitUntil(lambda: window.state == "ended", timeout=30000)
        if batch == 16:
            window.keep_run()
    window.resize(1024, 640)
    qtbot.wait(200)
    window.redraw_now()
    legend = window.plots["epochLossPlot"].getPlotItem().legend
    assert legend.hidden_count > 0
    try:
        window.set_language("ko")
        texts = [label.text for _sample, label in legend.items]
        assert shows(legend.items[0][1], tr("train")) and tr("train") != "train", texts
        assert shows(legend.items[1][1], tr("validation")), texts
    finally:
        window.set_language("en")


def screen_and_fresh(widget, rect):
    """``rect`` of ``widget`` as its last paints left it on screen (the offscreen platform's
    backing store) and as a full repaint draws it now."""
    from PySide6 import QtGui
    app = QtGui.QGuiApplication.instance()
    app.processEvents()
    rgb = QtGui.QImage.Format.Format_RGB32
    screen = widget.screen().grabWindow(widget.winId()).toImage().convertToFormat(rgb)
    fresh = widget.grab().toImage().convertToFormat(rgb)
    return screen.copy(rect), fresh.copy(rect)


def test_a_legend_sample_repaints_when_its_curve_takes_or_drops_symbols(qtbot):
    """Issue 24 #5 (legend fragments): the epoch plots draw dots on their curves up to 40
    epochs. The legend's samples took the dots only at the next full repaint (resize,
    language switch), and kept them past 40 epochs: the screen showed a sample the legend no
    longer had. After each redraw the screen's legend is what a full repaint draws."""
    from gui.plots import accuracy_plot
    plot = accuracy_plot()
    qtbot.addWidget(plot)
    plot.resize(500, 260)
    plot.show()
    qtbot.waitExposed(plot)
    for epochs in (5, 41):
        plot.append(np.full(epochs - len(plot.train), 0.7), np.full(epochs - len(plot.val), 0.6))
        plot.redraw()
        legend = plot.getPlotItem().legend
        rect = plot.mapFromScene(legend.sceneBoundingRect()).boundingRect()

        def settled():
            # the queued repaint may land mid-comparison on a loaded machine (a fixed 20 ms
            # wait failed once in a full run), so three equal looks in a row; a stale sample
            # never catches up
            return all(screen == fresh for screen, fresh in
                       (screen_and_fresh(plot, rect) for _ in range(3)))
        assert wait_for(qtbot, settled), f"the legend on screen is stale after {epochs} epochs"


def wait_for(qtbot, condition, timeout_ms=3000):
    """Whether ``condition()`` became true within ``timeout_ms`` (the event loop running)."""
    try:
        qtbot.waitUntil(condition, timeout=timeout_ms)
    except qtbot.TimeoutError:
        return False
    return True
