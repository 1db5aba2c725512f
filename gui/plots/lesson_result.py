"""A lesson's result, drawn from its own kept runs: what its text says, as one chart.

The main result of several lessons was in prose only (issue 22): "0.95 needs more steps than
0.5", "accuracy falls with the batch", "restore-best is not patience". Each chart here reads
the lesson's kept runs (one per step, as the lesson scene tracks them) and plots one number per
run, the number its claims state:

- learning rate: steps to come within 10 % of the floor (the lowest final batch loss of the
  runs on the lesson's first dataset) against the rate, log x; a diverged run as a cross at
  the top; the stability limit 2 / lambda_max and the fastest rate 2 / (lambda_min +
  lambda_max) marked, both from the Hessian the engine's instruments measure; beside it the
  first weight against the step for each run that did not diverge (0.95's zig-zag);
- batch size: final validation accuracy against the batch size, one line per strategy;
- epochs: the validation loss of the weights each run ends with, at the epoch they come from
  (restore-best's weights come from its best epoch, patience's from its last); for a run with
  an L2 penalty also its data part, the loss without the penalty (the plotted loss includes
  it, which put the L2 run level with the plain one);
- loss functions: final validation accuracy per loss.

``values`` holds what is drawn (label -> (x, y)), ``traces`` the weight traces (label ->
(steps, first weight)), for the tests and the report.

The weight traces and the data part need what kept runs do not store (every step's weights,
the final weights): the run is trained again from its configuration (the engine is seeded,
so the replay is the same run) and used only if its recorded losses equal the kept run's. A
replay costs 0.01-0.2 s CPU for these lessons' models and is done once per run.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from engine import Trainer, instruments, losses
from gui import i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.model.labels import text as label_text
from gui.plots.menu_texts import retranslate_menus
from gui.plots.style import VAL_COLOR

TITLES = {
    "learning_rate": QT_TR_NOOP("Steps to within 10% of the floor, by learning rate"),
    "batch_size": QT_TR_NOOP("Final validation accuracy by batch size"),
    "epochs": QT_TR_NOOP("Validation loss of the weights each run ends with"),
    "loss_functions": QT_TR_NOOP("Final validation accuracy by loss"),
}
AXES = {
    "learning_rate": (QT_TR_NOOP("learning rate"), QT_TR_NOOP("steps")),
    "batch_size": (QT_TR_NOOP("batch size"), QT_TR_NOOP("validation accuracy")),
    "epochs": (QT_TR_NOOP("epoch the weights come from"), QT_TR_NOOP("validation loss")),
    "loss_functions": (QT_TR_NOOP("loss"), QT_TR_NOOP("validation accuracy")),
}
DIVERGED = QT_TR_NOOP("diverged")
LIMIT = QT_TR_NOOP("limit {rate:.3g}")
OPTIMUM = QT_TR_NOOP("fastest {rate:.3g}")
TRACE_TITLE = QT_TR_NOOP("First weight at each step")
TRACE_AXES = (QT_TR_NOOP("step"), QT_TR_NOOP("weight w1"))
DATA_PART = QT_TR_NOOP("{label}: without the penalty")
OPTIMUM_COLOR = (44, 160, 44)
#: Qt's "no maximum" width (QWIDGETSIZE_MAX).
NO_MAXIMUM = 16777215
#: A replay is trusted when its losses equal the kept run's to this relative tolerance (the
#: kept arrays may be stored in float32).
REPLAY_RTOL = 1e-5
#: Pixels between a label and the view's edge, another label or its point.
LABEL_GAP = 2.0
#: How far up and down (in label heights) a label looks for a free place.
LABEL_REACH = 8
#: Where along a marker line (0 bottom, 1 top) its name may go, in order of preference.
LINE_LABEL_PLACES = (0.5, 0.8, 0.2, 0.65, 0.35, 0.9, 0.1)
#: Half the size of a point's symbol (px), kept clear of labels.
POINT_PX = 5.0
#: A label further than this (px) from its point gets a line to it.
LEADER_PX = 6.0
#: Pixels between two tick labels of the x axis.
TICK_GAP = 6.0
#: Lessons whose chart puts runs side by side, one a place, rather than against a value.
SIDE_BY_SIDE = frozenset({"loss_functions"})
#: Within this factor of the floor a run has "arrived" (the lesson's question says 10 %).
WITHIN = 0.1


def _strategy(config):
    parts = [config.optimizer]
    if config.linear_scaling:
        parts.append(tr("linear scaling"))
    return " + ".join(parts)


class LessonResultPlot(i18n.Retranslating, pg.PlotWidget):
    """The result chart of the lesson shown (objectName ``lessonResultPlot``)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonResultPlot")
        self.setBackground("w")
        self.values = {}
        self.traces = {}
        self.limit = self.optimum = None
        self._curvatures = {}  # lesson key -> (lambda_min, lambda_max) or None, computed once
        self._replays = {}  # (run key, what) -> what a replay of the run gave
        self._labels = []  # (TextItem, its point in view coordinates), placed apart
        self._ticks = []  # (x in view coordinates, text) at the values the runs used
        self.leaders = pg.PlotCurveItem()  # lines from points to their labels set apart
        # the chart and, for the learning rate, the weight trace beside it in one scene
        self.charts = pg.GraphicsLayout()
        self.setCentralItem(self.charts)
        self.charts.addItem(self.plotItem, 0, 0)
        # the trace stays in the scene (Qt deletes it with the chart): hidden, it is given no
        # width rather than taken out, which would leave it to the garbage collector
        self.trace = pg.PlotItem()
        self.trace.hideButtons()
        self.charts.addItem(self.trace, 0, 1)
        self.charts.layout.setColumnStretchFactor(0, 3)
        self.charts.layout.setColumnStretchFactor(1, 2)
        self._show_trace(False)
        self._shown = None  # (lesson, runs) drawn last
        retranslate_menus(self)
        # values as they are: the epochs chart's losses 0.3-0.6 read "300-600 (x0.001)"
        self.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
        # the places are in pixels: another size or range needs them again (the view maps
        # a new range once it paints: placed at once, a label used the last lesson's)
        self.getPlotItem().vb.sigResized.connect(self._place_labels)
        self.getPlotItem().vb.sigTransformChanged.connect(self._place_labels)

    def retranslate(self):
        """The chart drawn again in the current language (its texts are made as it draws)."""
        retranslate_menus(self)
        if self._shown is not None:
            self.show_runs(*self._shown)

    def show_runs(self, lesson, runs, language=None):
        """Draw ``lesson``'s chart from ``runs`` ({step key: KeptRun}); hidden without one."""
        self._shown = (lesson, runs)
        item = self.getPlotItem()
        item.clear()
        self.values, self.traces, self.limit, self.optimum = {}, {}, None, None
        self._labels = []
        self.leaders = pg.PlotCurveItem(pen=pg.mkPen(150, 150, 150, width=1))
        item.addItem(self.leaders, ignoreBounds=True)
        self._show_trace(False)
        draw = getattr(self, f"_draw_{lesson.key}", None) if lesson is not None else None
        if draw is None:
            self.hide()
            return
        item.setTitle(tr(TITLES[lesson.key], language), size="9pt")
        x_name, y_name = AXES[lesson.key]
        item.setLabel("bottom", tr(x_name, language))
        item.setLabel("left", tr(y_name, language))
        item.setLogMode(x=lesson.key in ("learning_rate", "batch_size"), y=False)
        draw(lesson, runs, language)
        # ticks at the values the runs used (a log axis's minor labels piled up: "0.03 0.04 ...")
        xs = sorted({x for x, _ in self.values.values()})
        log_x = item.ctrl.logXCheck.isChecked()
        # a chart of runs side by side (one loss each) has no x values: its axis read "1 ... 6";
        # each point's label names its run
        self._ticks = [] if lesson.key in SIDE_BY_SIDE else [
            (math.log10(x) if log_x else x, f"{x:g}") for x in xs if x > 0 or not log_x]
        item.getAxis("bottom").setTicks(
            [self._ticks] if xs or lesson.key in SIDE_BY_SIDE else None)
        item.getViewBox().autoRange(padding=0.12)  # room for the labels at the points
        self.show()
        self._place_labels()

    def _point(self, label, x, y, color, symbol="o"):
        self.values[label] = (float(x), float(y))
        item = self.getPlotItem()
        # a scatter and a text take view coordinates: log10 of x on a log axis
        x = math.log10(x) if item.ctrl.logXCheck.isChecked() else x
        item.addItem(pg.ScatterPlotItem([x], [y], symbol=symbol, size=9, brush=pg.mkBrush(*color),
                                        pen=pg.mkPen(*color)))
        self._add_label(label, color, x, y)

    def _add_label(self, text, color, x, y):
        """A text naming the point (x, y) in view coordinates, placed by :meth:`_place_labels`."""
        label = pg.TextItem(text, color=color, anchor=(0, 0))
        label.setPos(x, y)
        self.getPlotItem().addItem(label, ignoreBounds=True)
        self._labels.append((label, QtCore.QPointF(x, y)))

    def _place_labels(self, *_args):
        """Each point's label beside its point, inside the chart's view and apart from the
        other labels and the marker lines' names, in pixels: the first free place of those
        to its right and left, level with it, then higher and lower; failing those, the
        free place nearest to it, joined to it by a thin line.

        Labels at fixed offsets ran past the chart's top ("Too small (0.01)" cut) and
        touched each other (the epochs chart's three runs at epoch 100). A label with no
        free place at all (a chart too small for its names) is hidden: its point stays, and
        the run table names the runs."""
        view = self.getPlotItem().vb
        box = view.sceneBoundingRect().adjusted(LABEL_GAP, LABEL_GAP, -LABEL_GAP, -LABEL_GAP)
        if box.width() < 1 or box.height() < 1:
            return
        self._thin_ticks()
        # the points first: a label over another run's point hid it
        taken = []
        for _label, point in self._labels:
            spot = view.mapViewToScene(point)
            taken.append(QtCore.QRectF(spot.x() - POINT_PX, spot.y() - POINT_PX,
                                       2 * POINT_PX, 2 * POINT_PX))
        # a marker line's name along its line where it covers no point nor another name
        # ("limit 0.988" lay under the 0.95 run's point)
        for line in self.getPlotItem().items:
            if not isinstance(line, pg.InfiniteLine) or line.label is None:
                continue
            for position in LINE_LABEL_PLACES:
                line.label.setPosition(position)
                rect = line.label.sceneBoundingRect()
                if box.contains(rect) and not any(
                        rect.adjusted(-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP)
                        .intersects(other) for other in taken):
                    break
            taken.append(line.label.sceneBoundingRect())
        leaders = []
        for label, point in self._labels:
            spot = view.mapViewToScene(point)
            rect = label.boundingRect()  # pixels: a TextItem ignores the view's scaling
            width, height = rect.width(), rect.height()
            place = None
            for left, top in itertools.chain(_candidates(spot, width, height),
                                             _anywhere(spot, width, height, box)):
                if (left < box.left() or top < box.top() or left + width > box.right()
                        or top + height > box.bottom()):
                    continue
                candidate = QtCore.QRectF(left, top, width, height)
                if not any(candidate.adjusted(-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP)
                           .intersects(other) for other in taken):
                    place = candidate
                    break
            label.setVisible(place is not None)
            if place is None:
                continue
            taken.append(place)
            label.setPos(view.mapSceneToView(place.topLeft()))
            if not place.adjusted(-LEADER_PX, -LEADER_PX, LEADER_PX, LEADER_PX).contains(spot):
                # far from its point: a thin line says whose name it is
                edge = QtCore.QPointF(min(max(spot.x(), place.left()), place.right()),
                                      min(max(spot.y(), place.top()), place.bottom()))
                leaders += [view.mapSceneToView(spot), view.mapSceneToView(edge)]
        self.leaders.setData([p.x() for p in leaders], [p.y() for p in leaders],
                             connect="pairs")

    def _thin_ticks(self):
        """The x ticks at the runs' values, less those too close to the one before to be
        read apart (0.95 and 1.5 on the learning rate's log axis printed "0.951.5")."""
        if not self._ticks:
            return
        view = self.getPlotItem().vb
        metrics = QtGui.QFontMetricsF(self.getPlotItem().getAxis("bottom").font())
        kept, right = [], -math.inf
        for value, text in self._ticks:
            middle = view.mapViewToScene(QtCore.QPointF(value, 0)).x()
            half = metrics.horizontalAdvance(text) / 2
            if middle - half >= right + TICK_GAP:
                kept.append((value, text))
                right = middle + half
        self.getPlotItem().getAxis("bottom").setTicks([kept])

    def labels(self):
        """The point labels shown (pyqtgraph TextItems), for their geometry."""
        return [label for label, _point in self._labels if label.isVisible()]

    def _draw_learning_rate(self, lesson, runs, language):
        dataset = lesson.steps[0].config.dataset
        runs = {key: run for key, run in runs.items() if run.config.dataset == dataset}
        finals = [float(run.steps["batch_loss"][-1]) for run in runs.values()
                  if not run.outcome.diverged and len(run.steps["batch_loss"])]
        if not finals:
            return
        floor = min(finals)
        top = max(run.n_steps for run in runs.values()) + 1
        for key, run in runs.items():
            rate = run.config.learning_rate
            name = label_text(run.label, language)
            if run.outcome.diverged:
                self._point(f"{name}: {tr(DIVERGED, language)}", rate, top, VAL_COLOR, "x")
                continue
            below = np.flatnonzero(run.steps["batch_loss"] <= (1 + WITHIN) * floor)
            steps = below[0] + 1 if len(below) else run.n_steps + 1
            self._point(name, rate, steps, run.color)
        curvatures = self._curvature_range(lesson)
        if curvatures is not None:
            low, high = curvatures
            self.limit, self.optimum = 2.0 / high, 2.0 / (low + high)
            for rate, text, color, position in ((self.limit, LIMIT, VAL_COLOR, 0.5),
                                                 (self.optimum, OPTIMUM, OPTIMUM_COLOR, 0.8)):
                self.getPlotItem().addItem(pg.InfiniteLine(
                    math.log10(rate), angle=90,
                    pen=pg.mkPen(*color, style=pg.QtCore.Qt.DashLine),
                    label=tr(text, language, rate=rate),
                    labelOpts={"position": position, "color": color}))
        self._draw_traces(runs, language)

    def _curvature_range(self, lesson):
        """(lambda_min, lambda_max) of the Hessian of the first step's loss, for a linear model
        with the mean squared error (a quadratic: one Hessian everywhere); None otherwise.

        The Hessian is built column by column from the engine's exact Hessian-vector products
        (instruments.Curvature, on the rows the sharpness instrument probes): a few weights."""
        if lesson.key not in self._curvatures:
            config = lesson.steps[0].config
            found = None
            if not config.hidden_layers and losses.canonical_name(
                    config.loss) == "mean_squared_error":
                trainer = Trainer(config)
                curvature = instruments.Curvature(trainer, instruments.probe_rows(trainer))
                size = trainer.model.flat_params.size
                hessian = np.stack([curvature.hvp(column) for column in np.eye(size)], axis=1)
                eigenvalues = np.linalg.eigvalsh(0.5 * (hessian + hessian.T))
                found = (float(eigenvalues[0]), float(eigenvalues[-1]))
            self._curvatures[lesson.key] = found
        return self._curvatures[lesson.key]

    def _draw_traces(self, runs, language):
        """The first weight after each step of every run that did not diverge (replayed)."""
        for run in runs.values():
            if run.outcome.diverged:
                continue
            params = self._replay(run, "params")
            if params is None:
                continue
            steps = np.arange(len(params))
            self.traces[label_text(run.label, language)] = (steps, params[:, 0])
            self.trace.plot(steps, params[:, 0], pen=pg.mkPen(*run.color, width=2))
        if not self.traces:
            return
        self.trace.setTitle(tr(TRACE_TITLE, language), size="9pt")
        self.trace.setLabel("bottom", tr(TRACE_AXES[0], language))
        self.trace.setLabel("left", tr(TRACE_AXES[1], language))
        self._show_trace(True)

    def _show_trace(self, shown):
        if not shown:
            self.trace.clear()
        self.trace.setMaximumWidth(NO_MAXIMUM if shown else 0)
        self.trace.setVisible(shown)

    def _replay(self, run, what):
        """Train ``run`` again from its configuration: its weights after every step
        (``what`` "params", row 0 the initial weights) or its final trainer ("trainer").
        None when the replay's losses differ from the kept run's (a run changed while it
        trained, or stopped by hand), so nothing is drawn that the run did not do."""
        key = (run.key, run.store_id, what)
        if key not in self._replays:
            self._replays[key] = None
            if not run.live_from:
                trainer = Trainer(run.config)
                params = [trainer.model.get_weights()]
                for _ in range(run.n_steps):
                    if trainer.finished:
                        break
                    trainer.step()
                    if what == "params":
                        params.append(trainer.model.get_weights())
                recorded = np.asarray(run.steps["batch_loss"], dtype=float)
                replayed = np.asarray(trainer.history.batch_loss, dtype=float)
                if replayed.shape == recorded.shape and np.allclose(
                        replayed, recorded, rtol=REPLAY_RTOL, atol=0.0):
                    self._replays[key] = np.array(params) if what == "params" else trainer
        return self._replays[key]

    def _draw_batch_size(self, lesson, runs, language):
        by_strategy = {}
        for run in runs.values():
            accuracy = run.final("val_accuracy")
            if math.isfinite(accuracy):
                by_strategy.setdefault(_strategy(run.config), []).append(
                    (run.config.batch_size, accuracy, run))
        item = self.getPlotItem()
        strategies = []
        for name, points in by_strategy.items():
            points.sort(key=lambda p: p[0])
            color = points[0][2].color
            item.plot([p[0] for p in points], [p[1] for p in points], pen=pg.mkPen(*color))
            strategies.append((name, color, math.log10(points[-1][0]), points[-1][1]))
            for batch, accuracy, run in points:
                name = label_text(run.label, language)
                if run.outcome.diverged:
                    self._point(f"{name}: {tr(DIVERGED, language)}", batch, accuracy,
                                VAL_COLOR, "x")
                else:
                    self._point(name, batch, accuracy, run.color)
        # each strategy named at its line's largest batch, placed after the runs' names
        # (labels are placed in order: where room runs out, a line's name gives way first)
        for strategy in strategies:
            self._add_label(*strategy)

    def _draw_epochs(self, lesson, runs, language):
        for run in runs.values():
            val = run.epochs.get("val_loss")
            if val is None or not len(val):
                continue
            restored = run.config.restore_best_weights and run.best_epoch
            epoch = int(run.best_epoch) if restored else len(val)
            self._point(label_text(run.label, language), epoch, val[epoch - 1], run.color,
                        "s" if restored else "o")
            if run.config.l2 and not restored:
                self._draw_data_part(run, epoch, float(val[epoch - 1]), language)

    def _draw_data_part(self, run, epoch, total, language):
        """The L2 run's validation loss without the penalty, below its total, joined to it."""
        trainer = self._replay(run, "trainer")
        if trainer is None:
            return
        data = trainer.dataset
        loss = losses.get(trainer.config.loss)
        y_val = np.asarray(data.y_val, dtype=float).reshape(len(data.y_val), -1)
        part = float(loss(y_val, trainer.predict(data.x_val)))
        self.getPlotItem().plot([epoch, epoch], [total, part],
                                pen=pg.mkPen(*run.color, style=pg.QtCore.Qt.DotLine))
        self._point(tr(DATA_PART, language, label=label_text(run.label, language)), epoch, part,
                    run.color, "d")

    def _draw_loss_functions(self, lesson, runs, language):
        for index, run in enumerate(runs.values()):
            accuracy = run.final("val_accuracy")
            if math.isfinite(accuracy):
                self._point(label_text(run.label, language), index + 1, accuracy, run.color)


def _candidates(spot, width, height):
    """Top-left corners for a label of ``width`` x ``height`` px naming the point at scene
    position ``spot``: right of it and left of it, level with it, then half a label higher
    and lower at a time, up to LABEL_REACH steps."""
    for shift in range(2 * LABEL_REACH + 1):
        offset = (shift + 1) // 2 * (height + LABEL_GAP) / 2 * (-1 if shift % 2 else 1)
        beside = POINT_PX + 2 * LABEL_GAP  # clear of its own point
        for left in (spot.x() + beside, spot.x() - beside - width):
            yield left, spot.y() - height / 2 + offset


def _anywhere(spot, width, height, box):
    """Every place for the label inside ``box`` on a grid of half its height and a few
    pixels across, nearest to the point at ``spot`` first: where the places beside the
    point are all taken (nine batch-size runs end at two batch sizes)."""
    places = [(left, top)
              for top in np.arange(box.top(), box.bottom() - height + 1e-9, height / 2)
              for left in np.arange(box.left(), box.right() - width + 1e-9, 8.0)]
    return sorted(places, key=lambda place: math.hypot(place[0] + width / 2 - spot.x(),
                                                       place[1] + height / 2 - spot.y()))
