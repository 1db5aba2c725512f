"""The window's layout after a short run, measured (tests/layout_audit.py), at 1440x900,
1024x700 and the declared minimum size, in English and Korean: one set of run buttons, always
visible; every plot inside the window and wholly on screen, its view box at least
MIN_VIEW_WIDTH x MIN_VIEW_HEIGHT (140 x 80 px); no text of a plot clipped or overlapping
another (tick labels, axis labels, titles, legend entries, best-epoch label, markers),
including the tick labels of a log axis."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtWidgets

import layout_audit
from gui.main_window import MINIMUM_SIZE
from gui.plots import registry

pytestmark = pytest.mark.gui

SIZES = ((1440, 900), (1024, 700), MINIMUM_SIZE)
RUN_BUTTONS = ("startButton", "stepButton", "stopButton", "resetButton")


def short_run(window, qtbot, epochs=8):
    """A short run of the default training to its end (the plots hold data and a best
    epoch), and a marker on the batch plot."""
    window.panel.set_value("epochs", epochs)
    assert window.reset(quiet=True)
    window.start_pause()
    qtbot.waitUntil(lambda: window.state == "ended", timeout=30000)
    window.plots["batchLossPlot"].add_marker(int(window.plots["batchLossPlot"].steps.view[-1] // 2), "lr 0.3 → 0.1")
    window.redraw_now()
    window.redraw_now()
    assert len(window.plots["epochLossPlot"].train) == epochs


def sized(window, size):
    window.resize(*size)
    layout_audit.settle(window)
    assert (window.width(), window.height()) == tuple(size)


def test_one_visible_set_of_run_buttons_and_the_minimum_size_held(window):
    """Exactly one visible widget of each run-button name, inside the window and wholly on
    screen, at 1440x900 and at the declared minimum size (the panel scrolls; the buttons are
    the toolbar's), and the window does not shrink below that size."""
    assert (window.minimumWidth(), window.minimumHeight()) == MINIMUM_SIZE
    for size in ((1440, 900), MINIMUM_SIZE):
        sized(window, size)
        for name in RUN_BUTTONS:
            widgets = [widget for widget in window.findChildren(QtWidgets.QWidget, name)
                       if widget.isVisible()]
            assert len(widgets) == 1, (name, widgets)
            button = widgets[0]
            assert isinstance(button, QtWidgets.QAbstractButton)
            corner = button.mapTo(window, QtCore.QPoint(0, 0))
            assert QtCore.QRect(corner, button.size()) & window.rect() == QtCore.QRect(
                corner, button.size()), name
            assert layout_audit.on_screen(button).size() == button.size(), name
            # not inside something that scrolls it away (the control panel)
            ancestor = button.parentWidget()
            while ancestor is not None:
                assert not isinstance(ancestor, QtWidgets.QAbstractScrollArea), name
                ancestor = ancestor.parentWidget()
            twins = [other for other in window.findChildren(QtWidgets.QAbstractButton)
                     if other.isVisible() and other.text() == button.text()]
            assert twins == [button], (name, [twin.objectName() for twin in twins])
    toolbar = window.findChild(QtWidgets.QToolBar, "runToolBar")
    assert not toolbar.toggleViewAction().isVisible()  # not hidden from a context menu
    window.resize(600, 400)
    layout_audit.settle(window)
    assert (window.width(), window.height()) == MINIMUM_SIZE


@pytest.mark.parametrize("language", ["en", "ko"])
def test_plots_are_readable_at_every_size(window, qtbot, language):
    window.set_language(language)
    short_run(window, qtbot)
    assert window.plots["epochLossPlot"].best_text  # the best epoch is marked, and measured below
    measured = {}
    for size in SIZES:
        sized(window, size)
        problems = layout_audit.audit(window)
        measured[size] = layout_audit.view_sizes(window)
        assert problems == [], f"{size}:\n" + "\n".join(problems)
    # the measurement sees every plot shown at start (the instrument views wait for View >
    # Plots), with its tick labels
    shown = {entry.name for entry in registry.PLOTS if entry.shown}
    assert set(measured[MINIMUM_SIZE]) == shown
    for name in shown:
        axis = window.plots[name].getPlotItem().getAxis("left")
        assert len(layout_audit.axis_tick_texts(axis)) >= 2


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_four_terms_are_readable_without_scrolling_at_every_size(window, language):
    """Loss, batch size, epochs and learning rate (issue 23): wholly on screen at 1440x900
    and at the minimum size, outside the panel's scrolling part, each with its label
    whole and its glossary tooltip."""
    window.set_language(language)
    for size in ((1440, 900), MINIMUM_SIZE):
        sized(window, size)
        for name in ("lossCombo", "batchSizeSpin", "epochsSpin", "learningRateSpin"):
            widget = window.findChild(QtWidgets.QWidget, name)
            assert widget.isVisible(), (size, name)
            assert layout_audit.on_screen(widget).size() == widget.size(), (size, name)
            ancestor = widget.parentWidget()
            while ancestor is not None:
                assert not isinstance(ancestor, QtWidgets.QAbstractScrollArea), (size, name)
                ancestor = ancestor.parentWidget()
            label = window.panel.labels[next(field for field, control in
                                             window.panel.widgets.items() if control is widget)]
            assert label.isVisible() and label.width() >= label.sizeHint().width(), name
            assert layout_audit.on_screen(label).size() == label.size(), (size, name)
            assert widget.toolTip().startswith(f"<b>{label.text()}</b><br>"), name


def test_log_axis_tick_labels_do_not_pile_up(window, qtbot):
    """A loss falling over decades on the log-y batch plot: at every size its labels (minor
    ticks 2-9 of each decade among them) never overlap, and at least two are shown."""
    window.findChild(QtWidgets.QCheckBox, "logYCheck").setChecked(True)
    plot = window.plots["batchLossPlot"]
    plot.reset()
    steps = np.arange(1, 3001)
    plot.append(steps, np.ones(len(steps), np.int64), (3.0 * 0.997 ** steps).astype(np.float32))
    plot.redraw()
    for size in SIZES:
        sized(window, size)
        texts = layout_audit.axis_tick_texts(plot.getPlotItem().getAxis("left"))
        assert len(texts) >= 2, size
        tick_texts = [("tick", rect, text) for rect, text in texts]
        assert layout_audit.overlaps(tick_texts) == [], (size, [t for _, _, t in tick_texts])
        assert layout_audit.audit(window) == [], size


def test_the_audit_finds_overlaps_and_small_views(window, qtbot):
    """The measurement itself: a legend entry moved onto the title is an overlap, a view box
    squeezed under the minimum is reported."""
    short_run(window, qtbot, epochs=2)
    sized(window, (1440, 900))
    assert layout_audit.audit(window) == []
    plot = window.plots["accuracyPlot"]
    title = plot.getPlotItem().titleLabel.item
    label = plot.getPlotItem().legend.items[0][1]
    delta = (title.mapToScene(title.boundingRect().center())
             - label.item.mapToScene(label.item.boundingRect().center()))
    label.item.moveBy(delta.x(), delta.y())
    found = layout_audit.audit(window)
    assert any(line.startswith("accuracyPlot: title 'Accuracy' overlaps legend")
               for line in found), found
    window.panel.setMinimumWidth(1300)
    sized(window, (1440, 900))
    assert any("view box" in line for line in layout_audit.audit(window))


def test_pyqtgraph_alone_would_pile_log_axis_labels(qtbot):
    """Why gui.plots spreads tick labels: a loss from 3 down to 0.7 on a log axis 60 px tall,
    and pyqtgraph labels 0.6, 0.7, 0.8, 0.9, 1, 2, 3 on top of each other; the app's axis
    leaves out the crowded minor ones and keeps the rest."""
    from gui import plots
    bare, ours = pg.PlotWidget(), pg.PlotWidget()
    plots.style_plot(ours, "probe", "probe", "x", "y")
    steps = np.arange(1, 3001)
    found, shown = [], []
    for widget in (bare, ours):
        qtbot.addWidget(widget)
        widget.resize(300, 130)
        widget.plot(steps, 3.0 * 0.9995 ** steps)
        widget.getPlotItem().setLogMode(y=True)
        widget.show()
        widget.grab()
        texts = [("tick", rect, text) for rect, text in
                 layout_audit.axis_tick_texts(widget.getPlotItem().getAxis("left"))]
        found.append(layout_audit.overlaps(texts))
        shown.append([text for _, _, text in texts])
    assert found[0], shown[0]
    assert not found[1] and len(shown[1]) >= 3, shown[1]


def test_many_kept_runs_and_lars_stay_readable_at_every_size(window, qtbot):
    """Seven kept runs with long labels and a LARS run (trust ratios on a right axis): the
    legends give way ("+N more", long names cut with "…") instead of squeezing the views to
    nothing (view boxes of 0 px were measured) or stretching a plot past its widget, and the
    learning-rate plot keeps a readable view at 1024 px."""
    window.panel.set_value("epochs", 1)
    for dataset, loss in (("moons", "binary_crossentropy"), ("moons", "hinge"),
                          ("moons", "squared_hinge"), ("moons", "mean_squared_error"),
                          ("blobs", "categorical_crossentropy"),
                          ("blobs", "sparse_categorical_crossentropy"),
                          ("sine", "mean_squared_error")):
        window.panel.set_value("dataset", dataset)
        window.panel.set_value("loss", loss)
        window.panel.set_value("hidden_layers", (16, 16) if dataset == "sine" else (8, 8))
        assert window.reset(quiet=True)
        window.start_pause()
        qtbot.waitUntil(lambda: window.state == "ended", timeout=30000)
        window.keep_run()
    assert len(window.session.kept) == 7
    window.panel.set_value("dataset", "circle")
    window.panel.set_value("loss", "binary_crossentropy")
    window.panel.set_value("optimizer", "lars")
    short_run(window, qtbot, epochs=3)
    for size in SIZES:
        sized(window, size)
        assert layout_audit.audit(window) == [], size
    legend = window.plots["epochLossPlot"].getPlotItem().legend
    assert legend.hidden_count > 0
    texts = [getattr(label, "full_text", label.text) for _sample, label in legend.items]
    assert texts[-1] == f"+{legend.hidden_count} more (see Runs)"  # the whole, before "…"
    assert any(text.startswith("best epoch") for text in texts)  # essential entries stay
    trust = window.plots["learningRatePlot"].getPlotItem().getAxis("right")
    assert trust.isVisible() and trust.tickStrings([-4.0, 0.0, 2.0], 1, 1) == ["10⁻⁴", "1",
                                                                               "10²"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_lesson_dock_open_leaves_the_plots_readable_at_every_size(window, qtbot,
                                                                        language):
    """Issue 24 #8: a lesson, landscape or explorer dock beside the plots left them 90 px
    view boxes and "valida…" legends at 1440 x 900, slivers at 1024 x 640. At each tested
    size, with each dock open, the dock is shown (floating beside the window where docked it
    would squeeze the plots), the audit finds nothing and no current-run legend entry is cut."""
    window.set_language(language)
    short_run(window, qtbot, epochs=3)
    docks = window.lesson_docks
    for size in SIZES:
        for name, dock in docks.items():
            for other in docks.values():
                other.hide()
            sized(window, size)
            dock.show()
            layout_audit.settle(window)
            assert dock.isVisible() and dock.width() >= 300, (size, name)
            problems = layout_audit.audit(window)
            assert problems == [], f"{size} {name}:\n" + "\n".join(problems)
            cut = [(plot_name, label.text) for plot_name, plot in window.plots.items()
                   if plot.isVisible() for _sample, label in plot.getPlotItem().legend.items
                   if "…" in label.text]
            assert cut == [], (size, name, cut)
    for dock in docks.values():
        dock.hide()
