"""Many kept runs (a sweep keeps dozens in seconds): each change costs what it changes.

The run table adds and removes rows in place, a legend that is already full only counts a new
run, a relabel renames curves instead of making them anew, a kept run's curve is a light
``RunCurve`` that follows the log axis, and an SVG holds no bitmap for an empty scatter.
"""

import numpy as np
import pytest

from gui.model.labels import Label, Outcome
from gui.runs import CURRENT_KEY, RunTable


def row(key, label, val_accuracy=0.5):
    return {"key": key, "label": Label.of_text(label), "color": (10, 20, 30), "visible": True,
            "train_loss": 0.3, "val_loss": 0.4, "train_accuracy": 0.9,
            "val_accuracy": val_accuracy, "best_epoch": 3, "steps": 100, "wall_seconds": 1.0,
            "steps_per_second": 100.0, "outcome": Outcome("finished")}


def texts(table, column=1):
    return [table.item(index, column).text() for index in range(table.rowCount())]


def test_the_run_table_adds_and_removes_rows_in_place_in_the_order_given(qtbot):
    table = RunTable()
    qtbot.addWidget(table)
    current = row(CURRENT_KEY, "batch 8")  # the table marks the current run
    table.fill([row(1, "batch 16"), row(2, "batch 32"), current])
    first = table.item(0, 1)
    table.fill([row(1, "batch 16"), row(2, "batch 32"), row(3, "batch 64"), current])
    # the new run's row goes before the current run's, and the old rows keep their items
    assert texts(table) == ["batch 16", "batch 32", "batch 64", "▶ batch 8"]
    assert table.item(0, 1) is first
    table.fill([row(1, "batch 16"), row(3, "batch 64"), current])
    assert texts(table) == ["batch 16", "batch 64", "▶ batch 8"]
    assert table.item(0, 1) is first
    assert table.keys() == [1, 3, CURRENT_KEY]
    with pytest.raises(ValueError, match="repeat a key"):
        table.fill([row(1, "a"), row(1, "b")])


def test_a_sorted_run_table_sorts_a_new_run_in(qtbot):
    from PySide6 import QtCore
    table = RunTable()
    qtbot.addWidget(table)
    table.fill([row(1, "a", 0.9), row(2, "b", 0.1)])
    assert texts(table) == ["a", "b"]  # unsorted until a header is clicked
    table.sortByColumn(5, QtCore.Qt.AscendingOrder)  # val acc
    assert texts(table) == ["b", "a"]
    table.fill([row(1, "a", 0.9), row(2, "b", 0.1), row(3, "c", 0.5)])
    assert texts(table) == ["b", "c", "a"]


def many_runs_plot(qtbot, runs):
    from gui.plots import EpochPlot
    plot = EpochPlot("epochLossPlot", "Epoch loss", "loss")
    qtbot.addWidget(plot)
    plot.resize(500, 260)
    plot.show()
    qtbot.waitExposed(plot)
    with plot.batch_runs():
        for index in range(runs):
            plot.add_run(index, f"run {index}", (index * 40 % 255, 90, 160))
            plot.set_run_data(index, np.linspace(1, 0.1, 10) + index / 100)
    return plot


def test_a_full_legend_counts_a_new_run_without_laying_out_its_rows(qtbot, monkeypatch):
    plot = many_runs_plot(qtbot, 30)
    legend = plot.getPlotItem().legend
    hidden = legend.hidden_count
    assert hidden > 0
    layouts = []
    # private: laying the rows out again leaves them as they were; only counting the calls
    # sees the work this test says is not done
    real = type(legend)._relayout  # private: as above
    monkeypatch.setattr(type(legend), "_relayout",  # private: as above
                        lambda self: (layouts.append(1), real(self))[1])
    plot.add_run(30, "run 30", (1, 2, 3))
    assert legend.hidden_count == hidden + 1 and not layouts
    more = [label.text for _sample, label in legend.items][-1]
    assert more == f"+{hidden + 1} more (see Runs)"
    plot.remove_run(29)  # not shown either: counted out
    assert legend.hidden_count == hidden and not layouts
    assert [label.text for _sample, label in legend.items][-1] == f"+{hidden} more (see Runs)"
    plot.remove_run(0)  # a shown one: the rows are laid out again
    assert layouts and legend.hidden_count == hidden - 1
    names = [label.text for _sample, label in legend.items]
    assert "run 0" not in names and names[0] == "train"


def test_renaming_a_run_keeps_its_curves(qtbot):
    plot = many_runs_plot(qtbot, 3)
    curves = list(plot.runs[1].items)
    plot.rename_run(1, "batch 512")
    assert plot.runs[1].items == curves
    assert "batch 512" in [label.text for _sample, label in plot.getPlotItem().legend.items]


def test_a_run_curve_follows_the_log_axis_and_keeps_its_bounds(qtbot):
    from gui.plots import RunCurve
    curve = RunCurve()
    curve.setData(np.array([1.0, 2.0, 3.0, 4.0]), np.array([10.0, 0.0, -1.0, 1000.0]))
    assert curve.dataBounds(1) == (-1.0, 1000.0)
    curve.setLogMode(False, True)
    _x, y = curve.getData()
    np.testing.assert_array_equal(y[[0, 3]], [1.0, 3.0])
    assert np.isnan(y[1]) and np.isnan(y[2])  # at or below zero: no point on a log axis
    assert curve.dataBounds(1) == (1.0, 3.0)
    curve.setLogMode(False, False)
    np.testing.assert_array_equal(curve.getData()[1], [10.0, 0.0, -1.0, 1000.0])
    # a partial range asks pyqtgraph (the cache holds the whole extent only)
    assert curve.dataBounds(1, frac=1.0, orthoRange=(0.5, 1.5)) == (10.0, 10.0)


def test_a_plots_svg_has_no_bitmap_for_its_empty_scatters(qtbot, tmp_path):
    """The curves' empty scatter items and the best epoch's star are drawn as vectors:
    cached, each was a view-sized transparent bitmap (ImageMagick's renderer refused it)."""
    from gui.export import save_image
    from gui.plots import EpochPlot
    plot = EpochPlot("epochLossPlot", "Epoch loss", "loss", mark_best=True)
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    plot.append(np.linspace(1, 0.1, 20), np.linspace(1, 0.2, 20))
    plot.set_best_epoch(17)
    plot.redraw()
    save_image(plot, tmp_path / "plot.svg")
    svg = (tmp_path / "plot.svg").read_text(encoding="utf-8")
    assert "<image" not in svg
    assert svg.count("<path") > 5


def test_a_small_plot_whose_essential_entries_fill_its_legend_counts_no_hidden_runs(qtbot):
    """At the window's minimum size the epoch plot's legend had room for two lines: train,
    validation and the best epoch took them, and a "+0 more (see Runs)" entry followed."""
    from gui.plots import EpochPlot
    plot = EpochPlot("epochLossPlot", "Epoch loss", "loss", mark_best=True)
    qtbot.addWidget(plot)
    plot.resize(200, 140)
    plot.show()
    qtbot.waitExposed(plot)
    plot.append(np.linspace(1, 0.1, 6), np.linspace(1, 0.2, 6))
    plot.set_best_epoch(6)
    plot.redraw()
    legend = plot.getPlotItem().legend
    assert legend.max_rows() * max(legend.columnCount, 1) < 3  # the essentials overflow
    names = [label.text for _sample, label in legend.items]
    assert legend.hidden_count == 0 and not any("more" in name for name in names), names
    plot.add_run(1, "batch 8", (1, 2, 3))  # a kept run has no room: it is counted
    names = [label.text for _sample, label in legend.items]
    assert legend.hidden_count == 1 and names[-1].startswith("+1 more")


def test_a_lessons_runs_are_all_listed_in_the_legend_and_other_runs_give_way(qtbot):
    """Issue 22: in a lesson the legend lists every run of the lesson (no "+N more" for
    them: the legend takes another line) while it leaves the plot more than half its height;
    runs outside a lesson still give way."""
    from engine import TrainingConfig
    from gui.plots import EpochPlot
    from gui.plots.clock import FrameClock
    from gui.plots.drawer import RunOverlays
    from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, KeptRun, Session
    plot = EpochPlot("epochLossPlot", "Epoch loss", "loss")
    qtbot.addWidget(plot)
    plot.resize(500, 600)
    plot.show()
    qtbot.waitExposed(plot)
    session = Session()
    RunOverlays([plot], FrameClock({}, plot)).bind(session.runs)
    steps = {name: np.arange(1.0, 11.0) for name in STEP_COLUMNS}
    epochs = {name: np.linspace(1, 0.1, 10) for name in EPOCH_COLUMNS}
    runs = session.add_kept_runs(
        KeptRun(0, TrainingConfig(batch_size=8 + index), steps, epochs, "finished", 1.0, 10.0,
                color=(index * 40 % 255, 90, 160), name=f"lesson run {index}")
        for index in range(24))
    legend = plot.getPlotItem().legend
    assert legend.hidden_count > 0  # outside a lesson: the rows are full, the rest counted
    session.runs.set_scene(True, {run.key for run in runs})
    names = [label.text for _sample, label in legend.items]
    assert legend.hidden_count == 0 and not any("more" in name for name in names)
    assert [name for name in names if name.startswith("lesson run")] == [
        str(run.label) for run in runs]
    assert all(sample.isVisible() and label.isVisible() for sample, label in legend.items)
    # a short plot (the minimum window size): listing every run would hide the plot (14
    # runs of the batch-size lesson did); the legend takes under half and counts the rest
    plot.resize(500, 200)
    qtbot.waitUntil(lambda: legend.hidden_count > 0, timeout=3000)
    qtbot.waitUntil(lambda: legend.boundingRect().height() <= 0.5 * plot.height(), timeout=3000)
    assert any("more" in label.text for _sample, label in legend.items)
    plot.resize(500, 600)
    qtbot.waitUntil(lambda: legend.hidden_count == 0, timeout=3000)
    session.runs.set_scene(False)  # the lesson's runs listed no more: they give way again
    assert legend.hidden_count > 0
