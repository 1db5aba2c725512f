"""The learning-rate landscape: a two-number model's loss surface and the optimizer's path.

The article describes the learning rate in words: the step taken against the gradient. With a
model of only two trainable numbers -- one input, a weight and a bias, no hidden layer -- the
whole loss is a surface one can draw, and every step is a dot on it. Plain gradient descent
walks downhill and, as the rate nears the limit, zig-zags across the valley; momentum overshoots
and swings back; Adam's steps are scaled per coordinate, so it heads along the axes first;
beyond the limit the path leaves the map.

Every point of the surface is the engine's own loss on the training data: a
:class:`engine.Trainer` for the model, its two numbers set to the grid point, its
``evaluate("train")``. The path is that same trainer's parameters after each ``step()``. The
steps run on the GUI thread, one per timer tick: a step of this model on 240 points costs tens
of microseconds, far below a frame, and the pace is a handful of steps per second.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine import ConfigError, Trainer, TrainingConfig
from gui import glossary, i18n
from gui.plots import cache_painting

#: The model drawn unless told otherwise: a straight line fitted to sin(x), full batch.
DEFAULT_CONFIG = TrainingConfig(dataset="sine", hidden_layers=(), loss="mean_squared_error",
                                optimizer="sgd", learning_rate=0.2, batch_size=240, epochs=500,
                                seed=0)
#: Where the path starts (weight, bias): away from the valley floor on both axes.
DEFAULT_START = (-1.2, 1.4)
GRID = 101
#: The optimizer choices: label key -> configuration fields.
OPTIMIZERS = {
    "gd": {"optimizer": "sgd", "momentum": None},
    "momentum": {"optimizer": "sgd", "momentum": 0.9},
    "adam": {"optimizer": "adam", "momentum": None},
    "rmsprop": {"optimizer": "rmsprop", "momentum": None},
}
#: The path counts as gone once it is this many map widths from the centre.
GONE = 50.0
BANDS = 14
TEXT = {
    "gd": {"en": "gradient descent (sgd)", "ko": "경사 하강법 (sgd)"},
    "momentum": {"en": "sgd + momentum 0.9", "ko": "sgd + 모멘텀 0.9"},
    "adam": {"en": "adam", "ko": "adam"},
    "rmsprop": {"en": "rmsprop", "ko": "rmsprop"},
    "optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "rate": {"en": "Learning rate", "ko": "학습률"},
    "pace": {"en": "Steps per second", "ko": "초당 걸음 수"},
    "start": {"en": "Start", "ko": "시작"},
    "pause": {"en": "Pause", "ko": "일시 정지"},
    "step": {"en": "Step", "ko": "한 걸음"},
    "reset": {"en": "Reset", "ko": "처음으로"},
    "weight": {"en": "weight w", "ko": "가중치 w"},
    "bias": {"en": "bias b", "ko": "편향 b"},
    "title": {"en": "Loss surface of y = w·x + b on the training data, and the optimizer's path",
              "ko": "학습 데이터에서 y = w·x + b의 손실 곡면과 옵티마이저의 경로"},
    "status": {"en": "step {step}: loss {loss:.4g}, w = {w:.3f}, b = {b:.3f}",
               "ko": "{step}걸음: 손실 {loss:.4g}, w = {w:.3f}, b = {b:.3f}"},
    "gone": {"en": "The path left the map at step {step}: this learning rate is too large for "
                   "the valley, each step lands higher up the other side (divergence).",
             "ko": "{step}걸음에서 경로가 지도 밖으로 나갔습니다. 이 골짜기에 비해 학습률이 너무 "
                   "커서 걸음마다 반대편의 더 높은 곳에 떨어집니다(발산)."},
    "explain": {
        "en": "Colours are the loss (darker = lower, bands on a log scale). Each dot is one "
              "step: the learning rate times minus the gradient. For gradient descent on this "
              "data the largest stable rate is about 0.3: try 0.1, 0.28 and 0.32.",
        "ko": "색은 손실입니다(어두울수록 낮고, 띠는 로그 눈금). 점 하나가 한 걸음이며, 그 "
              "크기는 학습률 곱하기 기울기의 반대 방향입니다. 이 데이터에서 경사 하강법의 가장 큰 "
              "안정 학습률은 약 0.3입니다. 0.1, 0.28, 0.32를 차례로 넣어 보세요.",
    },
}


def two_number_trainer(config):
    """A trainer for ``config``, which must have exactly two trainable numbers.

    Raises ConfigError otherwise (the surface of more numbers cannot be drawn in a plane).
    """
    trainer = Trainer(config)
    count = trainer.model.flat_params.size
    if count != 2:
        raise ConfigError(f"the landscape needs a model with two trainable numbers (one input, "
                          f"no hidden layer, one output: a weight and a bias); "
                          f"dataset '{config.dataset}' with hidden_layers "
                          f"{config.hidden_layers!r} has {count}")
    return trainer


def loss_at(trainer, points):
    """The engine's training loss at each (weight, bias) row of ``points`` (n, 2).

    The trainer's own parameters are put back afterwards.
    """
    saved = trainer.model.get_weights()
    values = np.empty(len(points))
    try:
        for i, point in enumerate(points):
            trainer.model.set_weights(point)
            values[i] = trainer.evaluate("train")["loss"]
    finally:
        trainer.model.set_weights(saved)
    return values


def _minimum(trainer):
    """The least-squares (w, b) of the training data: only to centre the map on the valley."""
    x = trainer.dataset.x_train[:, 0]
    design = np.column_stack([x, np.ones_like(x)])
    solution, *_ = np.linalg.lstsq(design, trainer.dataset.y_train, rcond=None)
    return solution


class LandscapePlot(QtWidgets.QWidget):
    """Filled loss contours of a two-number model and the optimizer's path, live.

    Parameters
    ----------
    config : TrainingConfig, optional
        A model with two trainable numbers (default: :data:`DEFAULT_CONFIG`).
    start : (float, float), optional
        The (weight, bias) the path starts from.
    """

    def __init__(self, parent=None, config=None, start=DEFAULT_START,
                 language=glossary.DEFAULT_LANGUAGE):
        super().__init__(parent)
        self.setObjectName("landscapePlot")
        self.language = language
        self._start = np.asarray(start, dtype=np.float64)
        self._path = []
        self._gone_at = None
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self.step)
        self._build()
        self.set_config(DEFAULT_CONFIG if config is None else config)
        self.set_language(language)

    # -- building ------------------------------------------------------------------------------

    def _build(self):
        layout = QtWidgets.QVBoxLayout(self)
        controls = QtWidgets.QHBoxLayout()
        self.optimizer_label = QtWidgets.QLabel()
        self.optimizer_combo = QtWidgets.QComboBox()
        self.optimizer_combo.setObjectName("landscapeOptimizer")
        for key in OPTIMIZERS:
            self.optimizer_combo.addItem("", key)
        self.rate_label = QtWidgets.QLabel()
        self.rate_spin = QtWidgets.QDoubleSpinBox()
        self.rate_spin.setObjectName("landscapeRate")
        self.rate_spin.setDecimals(3)
        self.rate_spin.setRange(0.001, 10.0)
        self.rate_spin.setSingleStep(0.01)
        self.pace_label = QtWidgets.QLabel()
        self.pace_spin = QtWidgets.QSpinBox()
        self.pace_spin.setObjectName("landscapePace")
        self.pace_spin.setRange(1, 60)
        self.pace_spin.setValue(8)
        self.start_button = QtWidgets.QPushButton()
        self.start_button.setObjectName("landscapeStart")
        self.step_button = QtWidgets.QPushButton()
        self.step_button.setObjectName("landscapeStep")
        self.reset_button = QtWidgets.QPushButton()
        self.reset_button.setObjectName("landscapeReset")
        for widget in (self.optimizer_label, self.optimizer_combo, self.rate_label,
                       self.rate_spin, self.pace_label, self.pace_spin, self.start_button,
                       self.step_button, self.reset_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout.addLayout(controls)

        self.plot = pg.PlotWidget()
        self.plot.setObjectName("landscapeView")
        self.plot.setBackground("w")
        item = self.plot.getPlotItem()
        item.setAspectLocked(True)
        item.hideButtons()
        cache_painting(item.getAxis("left"), item.getAxis("bottom"))
        self.image = pg.ImageItem()
        item.addItem(self.image)
        self.contours = []
        self.minimum_marker = pg.ScatterPlotItem(symbol="+", size=14,
                                                 pen=pg.mkPen("w", width=2))
        item.addItem(self.minimum_marker)
        self.path_curve = pg.PlotDataItem(pen=pg.mkPen(255, 255, 255, width=2), symbol="o",
                                          symbolSize=5, symbolBrush=(255, 200, 40),
                                          symbolPen=pg.mkPen(40, 40, 40))
        item.addItem(self.path_curve)
        layout.addWidget(self.plot, stretch=1)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("landscapeStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.explanation = QtWidgets.QLabel()
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)

        self.start_button.clicked.connect(self.toggle)
        self.step_button.clicked.connect(self.step)
        self.reset_button.clicked.connect(self.reset)
        self.optimizer_combo.currentIndexChanged.connect(lambda _i: self.reset())
        self.rate_spin.valueChanged.connect(lambda _v: self.reset())
        self.pace_spin.valueChanged.connect(self._set_interval)
        self._set_interval(self.pace_spin.value())

    # -- public --------------------------------------------------------------------------------

    def set_config(self, config):
        """Draw the surface of ``config``'s model (two trainable numbers) and reset the path.

        The optimizer and rate controls take the config's values where they match a choice.
        """
        self.trainer = two_number_trainer(config)
        self.config = config
        self.rate_spin.blockSignals(True)
        self.rate_spin.setValue(config.learning_rate)
        self.rate_spin.blockSignals(False)
        key = "momentum" if config.optimizer == "sgd" and config.momentum else (
            "gd" if config.optimizer == "sgd" else config.optimizer)
        if key in OPTIMIZERS:
            self.optimizer_combo.blockSignals(True)
            self.optimizer_combo.setCurrentIndex(list(OPTIMIZERS).index(key))
            self.optimizer_combo.blockSignals(False)
        self._draw_surface()
        self.reset()

    def set_language(self, language):
        self.language = language
        for index, key in enumerate(OPTIMIZERS):
            self.optimizer_combo.setItemText(index, self._text(key))
        self.optimizer_label.setText(self._text("optimizer"))
        self.rate_label.setText(self._text("rate"))
        self.pace_label.setText(self._text("pace"))
        self.step_button.setText(self._text("step"))
        self.reset_button.setText(self._text("reset"))
        self.plot.setTitle(self._text("title"), color="k")
        self.plot.setLabel("bottom", self._text("weight"))
        self.plot.setLabel("left", self._text("bias"))
        self.explanation.setText(self._text("explain"))
        self._show_state()

    def surface(self):
        """``(weights, biases, losses)``: the grid axes (GRID,) and the losses (GRID, GRID),
        ``losses[i, j]`` at ``(weights[i], biases[j])``."""
        return self._weights, self._biases, self._losses

    def path(self):
        """The (weight, bias) after each step so far, row 0 the start: ndarray (n, 2)."""
        return np.array(self._path)

    @property
    def running(self):
        return self.timer.isActive()

    def toggle(self):
        """Start stepping at the chosen pace, or pause."""
        if self.timer.isActive():
            self.timer.stop()
        elif not self._finished():
            self.timer.start()
        self._show_state()

    def step(self):
        """One optimizer step on the trainer; the path gains a dot."""
        if self._finished():
            self.timer.stop()
            self._show_state()
            return
        self.trainer.step()
        point = self.trainer.model.get_weights()
        self._path.append(point)
        if np.max(np.abs(point - self._centre)) > GONE * self._half_width or not np.all(
                np.isfinite(point)):
            self._gone_at = self.trainer.step_count
        if self._finished():
            self.timer.stop()
        self._draw_path()
        self._show_state()

    def reset(self):
        """A new trainer with the chosen optimizer and rate, at the start point."""
        self.timer.stop()
        choice = OPTIMIZERS[self.optimizer_combo.currentData()]
        config = self.config.replace(learning_rate=float(self.rate_spin.value()), **choice)
        self.trainer = two_number_trainer(config)
        self.trainer.model.set_weights(self._start)
        self._path = [self.trainer.model.get_weights()]
        self._gone_at = None
        self._draw_path()
        self._show_state()

    # -- internals -----------------------------------------------------------------------------

    def _text(self, key):
        return TEXT[key][self.language]

    def _finished(self):
        return (self._gone_at is not None or self.trainer.finished)

    def _set_interval(self, steps_per_second):
        self.timer.setInterval(int(round(1000 / steps_per_second)))

    def _draw_surface(self):
        self._centre = _minimum(self.trainer)
        self._half_width = 1.25 * float(np.max(np.abs(self._start - self._centre)))
        low, high = self._centre - self._half_width, self._centre + self._half_width
        self._weights = np.linspace(low[0], high[0], GRID)
        self._biases = np.linspace(low[1], high[1], GRID)
        grid_w, grid_b = np.meshgrid(self._weights, self._biases, indexing="ij")
        points = np.column_stack([grid_w.ravel(), grid_b.ravel()])
        self._losses = loss_at(self.trainer, points).reshape(GRID, GRID)
        # filled contours: the log loss quantised into bands, one colour each
        log_loss = np.log10(self._losses)
        edges = np.linspace(log_loss.min(), log_loss.max(), BANDS + 1)
        bands = np.clip(np.digitize(log_loss, edges[1:-1]), 0, BANDS - 1).astype(np.float64)
        colormap = pg.colormap.get("viridis")
        self.image.setImage(bands, levels=(0, BANDS - 1),
                            lut=colormap.getLookupTable(0.0, 1.0, BANDS))
        step = (high - low) / (GRID - 1)
        self.image.setRect(QtCore.QRectF(low[0] - step[0] / 2, low[1] - step[1] / 2,
                                         (high - low)[0] + step[0], (high - low)[1] + step[1]))
        for contour in self.contours:
            self.plot.removeItem(contour)
        self.contours = []
        for level in edges[1:-1]:
            contour = pg.IsocurveItem(data=log_loss, level=level,
                                      pen=pg.mkPen(255, 255, 255, 90, width=1))
            contour.setParentItem(self.image)
            self.contours.append(contour)
        self.minimum_marker.setData([self._centre[0]], [self._centre[1]])
        self.plot.setXRange(low[0], high[0], padding=0.02)
        self.plot.setYRange(low[1], high[1], padding=0.02)

    def _draw_path(self):
        path = self.path()
        self.path_curve.setData(path[:, 0], path[:, 1])

    def _show_state(self):
        self.start_button.setText(self._text("pause" if self.running else "start"))
        self.start_button.setEnabled(not self._finished())
        self.step_button.setEnabled(not self._finished())
        if self._gone_at is not None:
            self.status.setText(self._text("gone").format(step=self._gone_at))
            return
        history = self.trainer.history
        if history.diverged is not None:
            self.status.setText(i18n.engine_message(history.diverged.message, self.language))
            return
        w, b = self._path[-1]
        loss = float(loss_at(self.trainer, [self._path[-1]])[0])
        self.status.setText(self._text("status").format(step=len(self._path) - 1, loss=loss,
                                                        w=w, b=b))
