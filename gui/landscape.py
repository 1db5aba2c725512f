"""The learning-rate landscape: a two-number model's loss surface and the optimizer's path.

The article describes the learning rate in words: the step taken against the gradient. With a
model of only two trainable numbers the whole loss is a surface one can draw, and every step is
a dot on it. Three maps are offered (:data:`VARIANTS`): a weight and a bias (``y = w·x + b`` on
``sine``), two weights with the bias held fixed (``y = w1·x1 + w2·x2 + b`` on ``plane``, the
second input shrunk to a quarter so the valley is long and narrow), and a made-up surface with
two basins (:mod:`engine.landscape_surface`, labelled as such: no lesson model has two), where
a small rate settles in the nearer, worse basin and a rate too large for that basin's curvature
leaves it for the deeper one. Plain gradient descent walks
downhill and, as the rate nears the limit, zig-zags across the valley; momentum overshoots and
swings back; Adam's steps are scaled per coordinate, so it first heads diagonally whatever the
slope; beyond the limit the path leaves the map. The demonstration list sets each of these up.

Every point of the surface is the engine's own loss on the training data: a
:class:`engine.Trainer` for the model, its two numbers set to the grid point, its
``evaluate("train")``. The path is that same trainer's parameters after each ``step()`` (the
fixed bias is put back after each step, so only the two weights move); on the made-up surface
the path is the engine's optimizer applied to the surface's own gradient. The steps run on the GUI
thread, one per timer tick: a step of this model on a few hundred points costs tens of
microseconds, far below a frame, and the pace is a handful of steps per second.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine import ConfigError, Trainer, TrainingConfig, datasets, instruments, optimizers
from engine import landscape_surface
from gui import i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.plots import cache_painting
from gui.plots.menu_texts import retranslate_menus

#: The weight+bias model: a straight line fitted to sin(x), full batch.
DEFAULT_CONFIG = TrainingConfig(dataset="sine", hidden_layers=(), loss="mean_squared_error",
                                optimizer="sgd", learning_rate=0.2, batch_size=240, epochs=500,
                                seed=0)
#: Where its path starts (weight, bias): away from the valley floor on both axes.
DEFAULT_START = (-1.2, 1.4)
#: The two-weights model: a plane fitted to ``plane``'s points, full batch, bias held fixed.
TWO_WEIGHTS_CONFIG = TrainingConfig(dataset="plane", hidden_layers=(),
                                    loss="mean_squared_error", optimizer="sgd",
                                    learning_rate=1.0, batch_size=320, epochs=500, seed=0)
#: The second input is multiplied by this: its weight's curvature falls by its square (16x),
#: which makes the valley long and narrow, the shape where the optimizers differ most.
SECOND_INPUT_SCALE = 0.25
TWO_WEIGHTS_START = (-1.0, 1.0)
#: Inside the made-up surface's narrow basin, where its well is steep.
TWO_BASINS_START = (-1.35, -0.75)
#: The made-up surface's map: half its width, around the midpoint of its two basins.
TWO_BASINS_HALF_WIDTH = 2.0
GRID = 101
#: The optimizer choices: key -> configuration fields.
OPTIMIZERS = {
    "gd": {"optimizer": "sgd", "momentum": None},
    "momentum": {"optimizer": "sgd", "momentum": 0.9},
    "adam": {"optimizer": "adam", "momentum": None},
    "rmsprop": {"optimizer": "rmsprop", "momentum": None},
}
OPTIMIZER_LABELS = {
    "gd": QT_TR_NOOP("gradient descent (sgd)"),
    "momentum": QT_TR_NOOP("sgd + momentum 0.9"),
    "adam": QT_TR_NOOP("adam"),
    "rmsprop": QT_TR_NOOP("rmsprop"),
}
#: The path counts as gone once it is this many map widths from the centre.
GONE = 50.0
BANDS = 14
#: The arrows at the current point: minus the gradient, and gradient descent's step.
GRADIENT_COLOR = (230, 60, 40)
STEP_COLOR = (40, 220, 240)


@dataclasses.dataclass(frozen=True)
class Variant:
    """A model with two free numbers: its config, start, axis labels, texts and demos.

    ``fixed_bias`` holds the bias at its least-squares value (the path then moves the two
    weights only); ``second_input_scale`` multiplies the second input column of the data.
    ``demos`` are ``(label, optimizer key, rate)``: each sets up one thing to see. With
    ``surface`` the map is :mod:`engine.landscape_surface`, not a model's loss: ``config``
    then only carries the optimizer, its rate and the number of steps.
    """

    config: TrainingConfig
    start: tuple
    fixed_bias: bool
    second_input_scale: float
    name: str
    axes: tuple
    title: str
    explain: str
    demos: tuple
    surface: bool = False


VARIANTS = {
    "weight_bias": Variant(
        config=DEFAULT_CONFIG, start=DEFAULT_START, fixed_bias=False, second_input_scale=1.0,
        name=QT_TR_NOOP("weight and bias: y = w·x + b on sine"),
        axes=(QT_TR_NOOP("weight w"), QT_TR_NOOP("bias b")),
        title=QT_TR_NOOP("Training loss of y = w·x + b, and the optimizer's path"),
        explain=QT_TR_NOOP("Colours are the loss (darker = lower, bands on a log scale). Each "
                           "dot is one step: the learning rate times minus the gradient. For "
                           "gradient descent on this data the largest stable rate is about "
                           "0.3: try 0.1, 0.28 and 0.32."),
        demos=((QT_TR_NOOP("gradient descent, small rate (0.05): straight downhill"), "gd", 0.05),
               (QT_TR_NOOP("gradient descent near the limit (0.28): zig-zag"), "gd", 0.28),
               (QT_TR_NOOP("momentum 0.9 (0.05): overshoots and swings back"), "momentum", 0.05),
               (QT_TR_NOOP("adam (0.1): equal steps per coordinate"), "adam", 0.1),
               (QT_TR_NOOP("gradient descent too large (0.32): leaves the map"), "gd", 0.32))),
    "two_weights": Variant(
        config=TWO_WEIGHTS_CONFIG, start=TWO_WEIGHTS_START, fixed_bias=True,
        second_input_scale=SECOND_INPUT_SCALE,
        name=QT_TR_NOOP("two weights, bias fixed: y = w1·x1 + w2·x2 + b on plane"),
        axes=(QT_TR_NOOP("weight w1"), QT_TR_NOOP("weight w2")),
        title=QT_TR_NOOP("Training loss of y = w1·x1 + w2·x2 + b (b fixed), and the path"),
        explain=QT_TR_NOOP("The second input is shrunk to a quarter, so the valley is 16 times "
                           "less curved along w2 than along w1: a long, narrow valley. Gradient "
                           "descent is stable up to a rate of about 2.8 (set by the steep w1 "
                           "axis) yet crawls along w2; momentum overshoots along w1 and gains "
                           "speed along w2; Adam steps about as far along both axes."),
        demos=((QT_TR_NOOP("gradient descent, small rate (1.0): no overshoot, slow along w2"),
                "gd", 1.0),
               (QT_TR_NOOP("gradient descent near the limit (2.7): zig-zag across the valley"),
                "gd", 2.7),
               (QT_TR_NOOP("momentum 0.9 (0.3): overshoots the valley floor"), "momentum", 0.3),
               (QT_TR_NOOP("adam (0.1): equal steps per coordinate"), "adam", 0.1),
               (QT_TR_NOOP("gradient descent too large (3.0): leaves the map"), "gd", 3.0))),
    "two_basins": Variant(
        config=TrainingConfig(dataset="plane", hidden_layers=(), optimizer="sgd",
                              learning_rate=0.05, epochs=300, seed=0),
        start=TWO_BASINS_START, fixed_bias=False, second_input_scale=1.0, surface=True,
        name=QT_TR_NOOP("two basins: a made-up surface, not a model's loss"),
        axes=(QT_TR_NOOP("number p1"), QT_TR_NOOP("number p2")),
        title=QT_TR_NOOP("A made-up loss with two basins, and the path"),
        explain=QT_TR_NOOP("Not a network's loss: the lessons' models have no second basin "
                           "(the plane's valley is convex; on xor a small and a large rate end "
                           "at the same loss). Drawn to show how a rate can decide where a "
                           "path ends: the narrow basin near the start curves about 12 "
                           "(limit 2/12 ≈ 0.16), the wide one 0.3. A rate of 0.05 settles in "
                           "the narrow, worse basin; 0.3 is too large for it and goes on to "
                           "the deep one (from each of 10 starts in the narrow basin)."),
        demos=((QT_TR_NOOP("gradient descent, small rate (0.05): stuck in the near basin"),
                "gd", 0.05),
               (QT_TR_NOOP("gradient descent, larger rate (0.3): leaves it for the deep "
                           "basin"), "gd", 0.3),
               (QT_TR_NOOP("adam (0.1): stays in the near basin"), "adam", 0.1))),
}
TEXT = {
    "model": QT_TR_NOOP("Model"),
    "demo": QT_TR_NOOP("Show"),
    "demo_none": QT_TR_NOOP("(choose a demonstration)"),
    "optimizer": QT_TR_NOOP("Optimizer"),
    "rate": QT_TR_NOOP("Learning rate"),
    "pace": QT_TR_NOOP("Steps per second"),
    "start": QT_TR_NOOP("Start"),
    "pause": QT_TR_NOOP("Pause"),
    "step": QT_TR_NOOP("Step"),
    "reset": QT_TR_NOOP("Back to start"),
    "status": QT_TR_NOOP("step {step}: loss {loss}, {first} = {a}, {second} = {b}"),
    "gone": QT_TR_NOOP("The path left the map at step {step}: this learning rate is too large "
                       "for the valley, each step lands higher up the other side "
                       "(divergence)."),
    "gradient_arrow": QT_TR_NOOP("−∇L (downhill), length {length}"),
    "step_arrow": QT_TR_NOOP("step η·(−∇L), η = {rate}: length {length}"),
}


def _axis_symbol(label):
    """'weight w1' -> 'w1': the symbol a status line names."""
    return label.rsplit(" ", 1)[-1]


def variant_dataset(variant):
    """The variant's data: the engine's dataset, its second input scaled if asked."""
    config = variant.config
    seed = config.seed if config.data_seed is None else config.data_seed
    data = datasets.load(config.dataset, noise=config.noise,
                         validation_split=config.validation_split, seed=seed,
                         n_samples=config.n_samples, label_column=config.label_column)
    if variant.second_input_scale == 1.0:
        return data
    scale = np.ones(data.n_features)
    scale[1] = variant.second_input_scale
    return dataclasses.replace(data, x_train=data.x_train * scale, x_val=data.x_val * scale)


def _least_squares(dataset):
    """The least-squares (kernel..., bias) of the training data."""
    x = dataset.x_train
    design = np.column_stack([x, np.ones(len(x))])
    solution, *_ = np.linalg.lstsq(design, dataset.y_train, rcond=None)
    return solution


class TwoNumbers:
    """A trainer whose model has exactly two free numbers, and how to read and set them.

    The model's numbers are its kernel then its bias; with ``fixed_bias`` the bias is held at
    ``bias`` (put back after each step) and the two kernel weights are the free numbers.
    """

    def __init__(self, config, dataset=None, fixed_bias=None):
        self.trainer = Trainer(config, dataset)
        count = self.trainer.model.flat_params.size
        free = count - (fixed_bias is not None)
        if free != 2:
            raise ConfigError(
                f"the landscape needs a model with two trainable numbers (one input, no hidden "
                f"layer, one output: a weight and a bias; or two inputs with the bias fixed); "
                f"dataset '{config.dataset}' with hidden_layers {config.hidden_layers!r} has "
                f"{count}" + (", one of them fixed" if fixed_bias is not None else ""))
        self.fixed_bias = fixed_bias
        if fixed_bias is not None:
            self.trainer.model.flat_params[-1] = fixed_bias

    def get(self):
        return self.trainer.model.get_weights()[:2].astype(np.float64)

    def set(self, point):
        flat = self.trainer.model.get_weights()
        flat[:2] = point
        if self.fixed_bias is not None:
            flat[-1] = self.fixed_bias
        self.trainer.model.set_weights(flat)

    def step(self):
        self.trainer.step()
        if self.fixed_bias is not None:
            self.trainer.model.flat_params[-1] = self.fixed_bias

    def gradient(self):
        """The gradient of the training loss with respect to the two free numbers at the
        current point (the engine's :class:`engine.instruments.Curvature` on all training
        rows, the same loss the surface draws)."""
        return instruments.Curvature(self.trainer).gradient()[:2].astype(np.float64)

    @property
    def step_count(self):
        return self.trainer.step_count

    @property
    def finished(self):
        return self.trainer.finished

    @property
    def diverged(self):
        """The engine's divergence message, or None."""
        diverged = self.trainer.history.diverged
        return None if diverged is None else diverged.message

    def loss_at(self, points):
        """The engine's training loss at each row of ``points`` (n, 2); the trainer's own
        numbers are put back afterwards."""
        saved = self.trainer.model.get_weights()
        values = np.empty(len(points))
        try:
            for i, point in enumerate(points):
                self.set(point)
                values[i] = self.trainer.evaluate("train")["loss"]
        finally:
            self.trainer.model.set_weights(saved)
        return values


class SurfaceNumbers:
    """The two numbers of :mod:`engine.landscape_surface`, moved by the engine's optimizer
    (``config``'s optimizer, rate, momentum), up to ``config.epochs`` steps; the same
    interface as :class:`TwoNumbers`."""

    trainer = None

    def __init__(self, config):
        self.optimizer = optimizers.get(config.optimizer, learning_rate=config.learning_rate,
                                        **config.optimizer_kwargs())
        self.max_steps = config.epochs
        self.point = np.zeros(2)
        self.step_count = 0

    def get(self):
        return self.point.copy()

    def set(self, point):
        self.point = np.array(point, dtype=np.float64)

    def step(self):
        self.optimizer.apply([self.point], [landscape_surface.gradient(self.point)])
        self.step_count += 1

    def gradient(self):
        return landscape_surface.gradient(self.point)

    @property
    def finished(self):
        return self.step_count >= self.max_steps

    diverged = None

    def loss_at(self, points):
        return landscape_surface.value(np.asarray(points, dtype=np.float64))


def two_number_trainer(config):
    """A trainer for ``config``, which must have exactly two trainable numbers.

    Raises ConfigError otherwise (the surface of more numbers cannot be drawn in a plane).
    """
    return TwoNumbers(config).trainer


def loss_at(trainer, points):
    """The engine's training loss at each (weight, bias) row of ``points`` (n, 2) of a
    weight+bias trainer; its own parameters are put back afterwards."""
    numbers = TwoNumbers.__new__(TwoNumbers)
    numbers.trainer, numbers.fixed_bias = trainer, None
    return numbers.loss_at(points)


def arrow_angle(vector):
    """The ArrowItem angle (degrees) that points its head along ``vector`` (data x, y).

    An ArrowItem with angle 0 points left and is drawn in screen pixels, whose y runs down;
    the map's aspect is locked, so a data direction keeps its angle on screen.
    """
    return 180.0 - float(np.degrees(np.arctan2(vector[1], vector[0])))


class Arrow:
    """A line from a point along a vector, with a head at its end (both on ``plot_item``)."""

    def __init__(self, plot_item, color, name, width):
        self.line = pg.PlotDataItem(pen=pg.mkPen(*color, width=width), name=name)
        self.head = pg.ArrowItem(headLen=14, tipAngle=35, tailLen=None,
                                 pen=pg.mkPen(*color), brush=pg.mkBrush(*color))
        plot_item.addItem(self.line)
        plot_item.addItem(self.head)

    def set(self, start, vector):
        """Draw it from ``start`` along ``vector``; hidden when either is not finite."""
        start, vector = np.asarray(start, float), np.asarray(vector, float)
        shown = bool(np.all(np.isfinite(start)) and np.all(np.isfinite(vector)))
        if shown:
            end = start + vector
            self.line.setData([start[0], end[0]], [start[1], end[1]])
            self.head.setPos(*end)
            self.head.setStyle(angle=arrow_angle(vector))
        else:
            self.line.setData([], [])
        self.line.setVisible(shown)
        self.head.setVisible(shown and bool(np.any(vector)))

    def drawn(self):
        """``(start, vector)`` read back from the drawn line, or None when hidden."""
        x, y = self.line.getOriginalDataset()
        if x is None or len(x) != 2 or not self.line.isVisible():
            return None
        return np.array([x[0], y[0]]), np.array([x[1] - x[0], y[1] - y[0]])


class LandscapePlot(i18n.Retranslating, QtWidgets.QWidget):
    """Filled loss contours of a two-number model and the optimizer's path, live.

    Parameters
    ----------
    config : TrainingConfig, optional
        A weight+bias model (default: the "weight_bias" variant's).
    start : (float, float), optional
        The (weight, bias) the path starts from.
    """

    def __init__(self, parent=None, config=None, start=DEFAULT_START):
        super().__init__(parent)
        self.setObjectName("landscapePlot")
        self.variant_key = "weight_bias"
        self._path = []
        self._arrow_lengths = None
        self._gone_at = self._left_at = None
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self.step)
        self._build()
        self._load_variant(VARIANTS["weight_bias"], config or DEFAULT_CONFIG, start)
        self.retranslate()

    # -- building ------------------------------------------------------------------------------

    def _build(self):
        layout = QtWidgets.QVBoxLayout(self)
        self.variant_label = QtWidgets.QLabel()
        self.variant_combo = QtWidgets.QComboBox()
        self.variant_combo.setObjectName("landscapeVariant")
        for key in VARIANTS:
            self.variant_combo.addItem("", key)
        self.demo_label = QtWidgets.QLabel()
        self.demo_combo = QtWidgets.QComboBox()
        self.demo_combo.setObjectName("landscapeDemo")
        self.optimizer_label = QtWidgets.QLabel()
        self.optimizer_combo = QtWidgets.QComboBox()
        self.optimizer_combo.setObjectName("landscapeOptimizer")
        for key in OPTIMIZERS:
            self.optimizer_combo.addItem("", key)
        for combo in (self.variant_combo, self.demo_combo, self.optimizer_combo):
            # long choices must not widen the dock (and the window) past the screen: the
            # combo shows what fits, its list the whole text
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.setSizePolicy(QtWidgets.QSizePolicy.Expanding,
                                QtWidgets.QSizePolicy.Fixed)
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
        # a grid of two columns of label + control, so the dock stays narrow
        grid = QtWidgets.QGridLayout()
        grid.addWidget(self.variant_label, 0, 0)
        grid.addWidget(self.variant_combo, 0, 1, 1, 3)
        grid.addWidget(self.demo_label, 1, 0)
        grid.addWidget(self.demo_combo, 1, 1, 1, 3)
        grid.addWidget(self.optimizer_label, 2, 0)
        grid.addWidget(self.optimizer_combo, 2, 1)
        grid.addWidget(self.rate_label, 2, 2)
        grid.addWidget(self.rate_spin, 2, 3)
        grid.addWidget(self.pace_label, 3, 2)
        grid.addWidget(self.pace_spin, 3, 3)
        buttons = QtWidgets.QHBoxLayout()
        for button in (self.start_button, self.step_button, self.reset_button):
            buttons.addWidget(button)
        grid.addLayout(buttons, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

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
        # the legend names the arrows with their lengths (it only lists named items)
        self.legend = item.addLegend(offset=(-8, 8), brush=pg.mkBrush(255, 255, 255, 210),
                                     labelTextColor="k")
        # the step is drawn thinner, over the gradient: at a rate of 1 the two coincide
        self.gradient_arrow = Arrow(item, GRADIENT_COLOR, "gradient", width=5)
        self.step_arrow = Arrow(item, STEP_COLOR, "step", width=2)
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
        self.variant_combo.currentIndexChanged.connect(
            lambda _i: self.set_variant(self.variant_combo.currentData()))
        self.demo_combo.activated.connect(self._demo_chosen)
        self.optimizer_combo.currentIndexChanged.connect(lambda _i: self.reset())
        self.rate_spin.valueChanged.connect(lambda _v: self.reset())
        self.pace_spin.valueChanged.connect(self._set_interval)
        self._set_interval(self.pace_spin.value())

    # -- public --------------------------------------------------------------------------------

    def set_variant(self, key):
        """Show variant ``key`` ("weight_bias", "two_weights" or "two_basins") from its
        start."""
        if key not in VARIANTS:
            raise ValueError(f"landscape variant {key!r} is unknown; valid: "
                             f"{', '.join(VARIANTS)}")
        if key == self.variant_key and self._path:
            return
        self.variant_key = key
        self.variant_combo.blockSignals(True)
        self.variant_combo.setCurrentIndex(list(VARIANTS).index(key))
        self.variant_combo.blockSignals(False)
        variant = VARIANTS[key]
        self._load_variant(variant, variant.config, variant.start)
        self.retranslate()

    def set_config(self, config):
        """Draw the surface of ``config``'s weight+bias model and reset the path.

        The optimizer and rate controls take the config's values where they match a choice.
        """
        self.variant_key = "weight_bias"
        self._load_variant(VARIANTS["weight_bias"], config, self._start)
        self.retranslate()

    def show_demo(self, index):
        """Demonstration ``index`` of the current variant: its optimizer and rate, from the
        start (see :attr:`Variant.demos`)."""
        _label, optimizer, rate = self.variant.demos[index]
        self.timer.stop()
        for widget in (self.optimizer_combo, self.rate_spin):
            widget.blockSignals(True)
        self.optimizer_combo.setCurrentIndex(list(OPTIMIZERS).index(optimizer))
        self.rate_spin.setValue(rate)
        for widget in (self.optimizer_combo, self.rate_spin):
            widget.blockSignals(False)
        self.reset()
        self.demo_combo.setCurrentIndex(index + 1)

    def retranslate(self):
        """Every text in the current language (after a language change or a new variant)."""
        language = i18n.language()
        retranslate_menus(self.plot)
        for index, key in enumerate(OPTIMIZERS):
            self.optimizer_combo.setItemText(index, tr(OPTIMIZER_LABELS[key], language))
        for index, variant in enumerate(VARIANTS.values()):
            self.variant_combo.setItemText(index, tr(variant.name, language))
        self._fill_demos()
        self.variant_label.setText(self._text("model"))
        self.demo_label.setText(self._text("demo"))
        self.optimizer_label.setText(self._text("optimizer"))
        self.rate_label.setText(self._text("rate"))
        self.pace_label.setText(self._text("pace"))
        self.step_button.setText(self._text("step"))
        self.reset_button.setText(self._text("reset"))
        self.plot.setTitle(tr(self.variant.title, language), color="k")
        self.plot.setLabel("bottom", tr(self.variant.axes[0], language))
        self.plot.setLabel("left", tr(self.variant.axes[1], language))
        self.explanation.setText(tr(self.variant.explain, language))
        self._label_arrows()
        self._show_state()

    def surface(self):
        """``(first, second, losses)``: the grid axes (GRID,) and the losses (GRID, GRID),
        ``losses[i, j]`` at ``(first[i], second[j])``."""
        if self._losses is None:
            self._fill_surface()
        return self._weights, self._biases, self._losses

    def path(self):
        """The two free numbers after each step so far, row 0 the start: ndarray (n, 2)."""
        return np.array(self._path)

    def gradient(self):
        """The gradient of the loss the map draws with respect to its two numbers at the
        current point (a model's: the engine's :class:`engine.instruments.Curvature` on all
        training rows)."""
        return self.numbers.gradient()

    def arrows(self):
        """What the arrows at the current point show, read back from the drawn lines:
        ``{"gradient": (start, -grad L), "step": (start, rate * -grad L)}``, a value None
        while hidden (the path has left the numbers' finite range)."""
        return {"gradient": self.gradient_arrow.drawn(), "step": self.step_arrow.drawn()}

    @property
    def trainer(self):
        """The model's trainer (None on the made-up surface)."""
        return self.numbers.trainer

    @property
    def minimum(self):
        """The lowest point of the map: the least-squares point of the two free numbers (the
        map's centre), or the made-up surface's deep basin."""
        return self._minima[0]

    @property
    def minima(self):
        """Every basin's lowest point, the deepest first: (n, 2)."""
        return self._minima.copy()

    @property
    def left_map_at(self):
        """The first step whose dot lies outside the drawn map, or None."""
        return self._left_at

    @property
    def diverged(self):
        """True once the run has ended by diverging: the engine flagged it, or the path went
        :data:`GONE` map widths away."""
        return self._gone_at is not None or self.numbers.diverged is not None

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
        self.numbers.step()
        point = self.numbers.get()
        self._path.append(point)
        distance = np.max(np.abs(point - self._centre)) if np.all(np.isfinite(point)) else np.inf
        if distance > self._half_width and self._left_at is None:
            self._left_at = self.numbers.step_count
        if distance > GONE * self._half_width:
            self._gone_at = self.numbers.step_count
        if self._finished():
            self.timer.stop()
        self._draw_path()
        self._show_state()

    def reset(self):
        """A new trainer with the chosen optimizer and rate, at the start point."""
        self.timer.stop()
        choice = OPTIMIZERS[self.optimizer_combo.currentData()]
        config = self.config.replace(learning_rate=float(self.rate_spin.value()), **choice)
        self.numbers = self._numbers(config)
        self.numbers.set(self._start)
        self._path = [self.numbers.get()]
        self._gone_at = self._left_at = None
        self._draw_path()
        self._show_state()

    # -- internals -----------------------------------------------------------------------------

    def _text(self, key):
        return tr(TEXT[key], self.language)

    def _numbers(self, config):
        if self.variant.surface:
            return SurfaceNumbers(config)
        return TwoNumbers(config, self._dataset, self._fixed_bias)

    def _load_variant(self, variant, config, start):
        self.variant = variant
        self._start = np.asarray(start, dtype=np.float64)
        if variant.surface:
            self._dataset = self._fixed_bias = None
            near, far = landscape_surface.minima()
            self._minima = np.array([far, near])  # the deepest first
            self._centre = 0.5 * (near + far)
        else:
            self._dataset = variant_dataset(dataclasses.replace(variant, config=config))
            solution = _least_squares(self._dataset)
            self._fixed_bias = float(solution[-1]) if variant.fixed_bias else None
            self._centre = solution[:2] if variant.fixed_bias else solution
            self._minima = self._centre[None, :]
        self.config = config
        self.numbers = self._numbers(config)
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

    def _fill_demos(self):
        self.demo_combo.blockSignals(True)
        current = self.demo_combo.currentIndex()
        self.demo_combo.clear()
        self.demo_combo.addItem(self._text("demo_none"), -1)
        for index, (label, _optimizer, _rate) in enumerate(self.variant.demos):
            self.demo_combo.addItem(tr(label, self.language), index)
        self.demo_combo.setCurrentIndex(max(current, 0) if current < self.demo_combo.count()
                                        else 0)
        self.demo_combo.blockSignals(False)

    def _demo_chosen(self, combo_index):
        index = self.demo_combo.itemData(combo_index)
        if index is not None and index >= 0:
            self.show_demo(index)

    def _finished(self):
        return self._gone_at is not None or self.numbers.finished

    def _set_interval(self, steps_per_second):
        self.timer.setInterval(int(round(1000 / steps_per_second)))

    def _draw_surface(self):
        """The map's extent now; its GRID x GRID losses (about 0.6 s of engine evaluations)
        when the view is first shown or :meth:`surface` is asked, so a window whose landscape
        dock stays closed never pays for it at start-up."""
        self._half_width = (TWO_BASINS_HALF_WIDTH if self.variant.surface else
                            1.25 * float(np.max(np.abs(self._start - self._centre))))
        low, high = self._centre - self._half_width, self._centre + self._half_width
        self._weights = np.linspace(low[0], high[0], GRID)
        self._biases = np.linspace(low[1], high[1], GRID)
        self._losses = None
        self.minimum_marker.setData(self._minima[:, 0], self._minima[:, 1])
        self.plot.setXRange(low[0], high[0], padding=0.02)
        self.plot.setYRange(low[1], high[1], padding=0.02)
        if self.isVisible():
            self._fill_surface()

    def showEvent(self, event):
        if self._losses is None:
            self._fill_surface()
        super().showEvent(event)

    def _fill_surface(self):
        low = np.array([self._weights[0], self._biases[0]])
        high = np.array([self._weights[-1], self._biases[-1]])
        grid_w, grid_b = np.meshgrid(self._weights, self._biases, indexing="ij")
        points = np.column_stack([grid_w.ravel(), grid_b.ravel()])
        self._losses = self.numbers.loss_at(points).reshape(GRID, GRID)
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

    def _draw_path(self):
        path = self.path()
        self.path_curve.setData(path[:, 0], path[:, 1])
        self._draw_arrows()

    def _draw_arrows(self):
        """-grad L and the step rate * (-grad L) from the current point, lengths in the
        legend. The step is plain gradient descent's: with momentum or Adam the dot that
        follows lands elsewhere, and the gap between the two is what those optimizers add."""
        point = self._path[-1]
        downhill = -self.gradient() if np.all(np.isfinite(point)) else np.full(2, np.nan)
        rate = float(self.rate_spin.value())
        self.gradient_arrow.set(point, downhill)
        self.step_arrow.set(point, rate * downhill)
        self._arrow_lengths = (float(np.hypot(*downhill)), rate)
        self._label_arrows()

    def _label_arrows(self):
        if self._arrow_lengths is None:
            return
        length, rate = self._arrow_lengths
        texts = {"gradient": tr(TEXT["gradient_arrow"], self.language, length=f"{length:.3g}"),
                 "step": tr(TEXT["step_arrow"], self.language, rate=f"{rate:g}",
                            length=f"{rate * length:.3g}")}
        self.legend.clear()
        for key, arrow in (("gradient", self.gradient_arrow), ("step", self.step_arrow)):
            if arrow.line.isVisible():
                self.legend.addItem(arrow.line, texts[key])

    def _show_state(self):
        self.start_button.setText(self._text("pause" if self.running else "start"))
        self.start_button.setEnabled(not self._finished())
        self.step_button.setEnabled(not self._finished())
        if self.diverged:
            parts = []
            if self._left_at is not None:
                parts.append(tr(TEXT["gone"], self.language, step=self._left_at))
            if self.numbers.diverged is not None:
                parts.append(i18n.message_text(self.numbers.diverged, self.language))
            self.status.setText("\n".join(parts))
            return
        a, b = self._path[-1]
        loss = float(self.numbers.loss_at([self._path[-1]])[0])
        first, second = (_axis_symbol(axis) for axis in self.variant.axes)
        self.status.setText(tr(TEXT["status"], self.language, step=len(self._path) - 1,
                               loss=f"{loss:.4g}", first=first, second=second,
                               a=f"{a:.3f}", b=f"{b:.3f}"))
