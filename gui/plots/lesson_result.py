"""A lesson's result, drawn from its own kept runs: what its text says, as one chart.

The main result of several lessons was in prose only (issue 22): "0.95 needs more steps than
0.5", "accuracy falls with the batch", "restore-best is not patience". Each chart here reads
the lesson's kept runs (one per step, as the lesson scene tracks them) and plots one number per
run, the number its claims state:

- learning rate: steps to come within 10 % of the floor (the lowest final batch loss of the
  runs on the lesson's first dataset) against the rate, log x; a diverged run as a cross at
  the top; the stability limit 2 / largest curvature (engine.lesson_claims' measure) marked;
- batch size: final validation accuracy against the batch size, one line per strategy;
- epochs: the validation loss of the weights each run ends with, at the epoch they come from
  (restore-best's weights come from its best epoch, patience's from its last);
- loss functions: final validation accuracy per loss.

``values`` holds what is drawn (label -> (x, y)), for the tests and the report.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from engine import Trainer
from engine import lesson_claims
from engine.lessons import StepRun
from gui.i18n import QT_TR_NOOP, tr
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
#: Within this factor of the floor a run has "arrived" (the lesson's question says 10 %).
WITHIN = 0.1


def _strategy(config):
    parts = [config.optimizer]
    if config.linear_scaling:
        parts.append(tr("linear scaling"))
    return " + ".join(parts)


class LessonResultPlot(pg.PlotWidget):
    """The result chart of the lesson shown (objectName ``lessonResultPlot``)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonResultPlot")
        self.setBackground("w")
        self.values = {}
        self.limit = None
        self._limits = {}  # lesson key -> stability limit, computed once

    def show_runs(self, lesson, runs, language=None):
        """Draw ``lesson``'s chart from ``runs`` ({step key: KeptRun}); hidden without one."""
        item = self.getPlotItem()
        item.clear()
        self.values, self.limit = {}, None
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
        item.getAxis("bottom").setTicks(
            [[(math.log10(x) if log_x else x, f"{x:g}") for x in xs if x > 0 or not log_x]]
            if xs else None)
        item.getViewBox().autoRange(padding=0.12)  # room for the labels at the points
        self.show()

    def _point(self, label, x, y, color, symbol="o"):
        self.values[label] = (float(x), float(y))
        item = self.getPlotItem()
        # a scatter and a text take view coordinates: log10 of x on a log axis
        x = math.log10(x) if item.ctrl.logXCheck.isChecked() else x
        item.addItem(pg.ScatterPlotItem([x], [y], symbol=symbol, size=9, brush=pg.mkBrush(*color),
                                        pen=pg.mkPen(*color)))
        text = pg.TextItem(label, color=color, anchor=(0, 1))
        text.setPos(x, y)
        item.addItem(text)

    def _draw_learning_rate(self, lesson, runs, language):
        dataset = lesson.steps[0].config.dataset
        runs = {key: run for key, run in runs.items() if run.config.dataset == dataset}
        finals = [float(run.steps["batch_loss"][-1]) for run in runs.values()
                  if not run.outcome.startswith("diverged") and len(run.steps["batch_loss"])]
        if not finals:
            return
        floor = min(finals)
        top = max(run.n_steps for run in runs.values()) + 1
        for key, run in runs.items():
            rate = run.config.learning_rate
            if run.outcome.startswith("diverged"):
                self._point(f"{run.label}: {tr(DIVERGED, language)}", rate, top, VAL_COLOR, "x")
                continue
            below = np.flatnonzero(run.steps["batch_loss"] <= (1 + WITHIN) * floor)
            steps = below[0] + 1 if len(below) else run.n_steps + 1
            self._point(run.label, rate, steps, run.color)
        self.limit = self._stability_limit(lesson)
        if self.limit is not None:
            line = pg.InfiniteLine(math.log10(self.limit), angle=90,
                                   pen=pg.mkPen(*VAL_COLOR, style=pg.QtCore.Qt.DashLine),
                                   label=tr(LIMIT, language, rate=self.limit),
                                   labelOpts={"position": 0.5, "color": VAL_COLOR})
            self.getPlotItem().addItem(line)

    def _stability_limit(self, lesson):
        """2 / the largest curvature of the first step's linear MSE (None for a net)."""
        if lesson.key not in self._limits:
            config = lesson.steps[0].config
            limit = None
            if not config.hidden_layers and config.loss in ("mean_squared_error", "mse"):
                measure = lesson_claims.MEASURES["stability_limit"]
                limit = measure.read(StepRun(Trainer(config), None), None)
            self._limits[lesson.key] = limit
        return self._limits[lesson.key]

    def _draw_batch_size(self, lesson, runs, language):
        by_strategy = {}
        for run in runs.values():
            accuracy = run.final("val_accuracy")
            if math.isfinite(accuracy):
                by_strategy.setdefault(_strategy(run.config), []).append(
                    (run.config.batch_size, accuracy, run))
        item = self.getPlotItem()
        for name, points in by_strategy.items():
            points.sort(key=lambda p: p[0])
            color = points[0][2].color
            # the strategy named at its line's largest batch (points carry the steps' names)
            item.plot([p[0] for p in points], [p[1] for p in points], pen=pg.mkPen(*color))
            end = pg.TextItem(name, color=color, anchor=(1, 0))
            end.setPos(math.log10(points[-1][0]), points[-1][1])
            item.addItem(end)
            for batch, accuracy, run in points:
                if run.outcome.startswith("diverged"):
                    self._point(f"{run.label}: {tr(DIVERGED, language)}", batch, accuracy,
                                VAL_COLOR, "x")
                else:
                    self._point(run.label, batch, accuracy, run.color)

    def _draw_epochs(self, lesson, runs, language):
        for run in runs.values():
            val = run.epochs.get("val_loss")
            if val is None or not len(val):
                continue
            restored = run.config.restore_best_weights and run.best_epoch
            epoch = int(run.best_epoch) if restored else len(val)
            self._point(run.label, epoch, val[epoch - 1], run.color, "s" if restored else "o")

    def _draw_loss_functions(self, lesson, runs, language):
        for index, run in enumerate(runs.values()):
            accuracy = run.final("val_accuracy")
            if math.isfinite(accuracy):
                self._point(run.label, index + 1, accuracy, run.color)
