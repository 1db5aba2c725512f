"""The loss explorer: each loss and its gradient as one output of the model sweeps its range.

The article says a loss is "the difference between prediction and truth" the network is trained
to make small; this view shows what that difference looks like for each loss. Pick a target --
0 or 1 for a binary label, one class of three as a one-hot row, or a number for regression --
and the selected losses are drawn, overlaid with a legend, with their gradients below (the
slope that training follows) and the formula of each.

Two x axes (:data:`AXES`). By default every loss is drawn against the model's *raw output* z,
what its last layer computes before any output activation: the logit for the crossentropies
(trained from logits, as the engine's trainer does), the margin's z for the hinges (t·z with
t = ±1), the raw prediction for regression. On that one axis the losses are comparable, and the
gradient drawn, dL/dz, is the one backpropagation carries into the net: crossentropy's p − y
(never steeper than 1), hinge's step, squared error's line. The other axis is the prediction
after the output activation (for classes, the probability), where a crossentropy's slope runs
to infinity near 0.

Every value is ``engine.losses`` (and ``engine.activations`` for the output activation) on
that single output, so the picture is the engine's own maths: where a formula clips or
converts labels (Keras's epsilon, hinge's 0/1 -> -1/+1), the curve shows it.

For three classes the raw sweep is the true class's logit with the other two at 0, and the
probability sweep the true class's probability ``p`` with the other two sharing ``1 - p``; the
gradient drawn is the slope of the curve, the directional derivative along that path.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine import activations, losses
from gui import glossary, i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.plots import cache_painting
from gui.plots.menu_texts import retranslate_menus

#: Points per curve.
SAMPLES = 401
N_CLASSES = 3
#: What each kind of target offers: the losses that fit it, those selected at first, and the
#: prediction range swept (regression: around the target).
MODES = {
    "binary": {
        "losses": ("binary_crossentropy", "hinge", "squared_hinge", "mean_squared_error",
                   "mean_absolute_error"),
        "selected": ("binary_crossentropy", "hinge", "mean_squared_error"),
        "range": (-1.0, 2.0),
    },
    "categorical": {
        "losses": ("categorical_crossentropy", "sparse_categorical_crossentropy",
                   "categorical_hinge", "kullback_leibler_divergence", "mean_squared_error",
                   "poisson", "cosine_proximity"),
        "selected": ("categorical_crossentropy", "categorical_hinge", "mean_squared_error"),
        "range": (0.0, 1.0),
    },
    "regression": {
        "losses": ("mean_squared_error", "mean_absolute_error",
                   "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
                   "poisson"),
        "selected": ("mean_squared_error", "mean_absolute_error"),
        "range": (-3.0, 3.0),
    },
}
#: The x axes: the model's raw output (before the output activation), or the prediction.
AXES = ("raw", "prediction")
#: The raw output's sweep per kind of target (regression: around the target).
RAW_RANGES = {"binary": (-5.0, 5.0), "categorical": (-5.0, 5.0), "regression": (-3.0, 3.0)}
#: The engine's task for each kind of target (regression losses made for counts: "counts").
TASKS = {"binary": "binary", "categorical": "multiclass", "regression": "regression"}
#: Where a loss's formula is defined in the prediction (outside: not drawn).
DOMAINS = {"binary_crossentropy": (0.0, 1.0), "poisson": (0.0, np.inf),
           "categorical_crossentropy": (1e-3, 1.0), "sparse_categorical_crossentropy": (1e-3, 1.0),
           "kullback_leibler_divergence": (1e-3, 1.0)}
COLORS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189),
          (140, 86, 75), (227, 119, 194))
#: The explorer's texts (English; Korean in the catalogue).
TEXT = {
    "target": QT_TR_NOOP("Target"),
    "binary_0": QT_TR_NOOP("binary: y = 0"),
    "binary_1": QT_TR_NOOP("binary: y = 1"),
    "class": QT_TR_NOOP("3 classes: one-hot of class {k}"),
    "regression": QT_TR_NOOP("regression: y = number"),
    "value": QT_TR_NOOP("Target value"),
    "losses": QT_TR_NOOP("Losses"),
    "loss_axis": QT_TR_NOOP("loss"),
    "gradient_axis": QT_TR_NOOP("gradient ∂L/∂ŷ"),
    "prediction": QT_TR_NOOP("prediction ŷ"),
    "axis": QT_TR_NOOP("x axis"),
    "axis_raw": QT_TR_NOOP("raw output z (logit, margin)"),
    "axis_prediction": QT_TR_NOOP("prediction ŷ (probability)"),
    "raw_binary": QT_TR_NOOP("raw output z: the logit; hinge's margin is t·z"),
    "raw_categorical": QT_TR_NOOP("raw output z of the true class (the others 0)"),
    "raw_regression": QT_TR_NOOP("raw prediction z"),
    "raw_gradient_axis": QT_TR_NOOP("gradient ∂L/∂z"),
    "explain_raw": QT_TR_NOOP("Each curve is the engine's loss against the model's raw output "
                              "z, before any sigmoid or softmax: what the last layer computes. "
                              "Below, its gradient ∂L/∂z, what backpropagation carries into "
                              "the net: crossentropy's p − y never exceeds 1 in size; hinge's "
                              "is a step, −1 until the margin reaches 1, then exactly 0; "
                              "squared error's keeps growing with the distance."),
    "probability": QT_TR_NOOP("predicted probability of the true class"),
    "loss_title": QT_TR_NOOP("Loss for one prediction"),
    "gradient_title": QT_TR_NOOP("Its gradient: what training follows"),
    "explain": QT_TR_NOOP("Each curve is the engine's loss for a single prediction against the "
                          "chosen target. Where the loss is flat (gradient 0) training stops "
                          "pushing that point; where it is steep, a wrong prediction is pushed "
                          "hard."),
}


def formula(name, language=None):
    """The formula of loss ``name`` for one sample, its words in ``language`` (carried by
    the loss's registry entry, engine.losses)."""
    return glossary.loss_formula(name, language)


def from_logits(name):
    """Whether the trainer computes loss ``name`` from the logits behind its sigmoid or
    softmax (Keras's from_logits form): its raw output is then the logit itself."""
    return "from_logits" in losses.options(name)


def targets():
    """The target choices: (key, mode, value) -- value is the label, class or number."""
    choices = [("binary_0", "binary", 0), ("binary_1", "binary", 1)]
    choices += [(f"class_{k}", "categorical", k) for k in range(N_CLASSES)]
    choices.append(("regression", "regression", None))
    return choices


def curve(name, mode, target, x):
    """Loss and gradient of ``name`` at each sweep position ``x`` (n,).

    Parameters
    ----------
    name : str
        A loss from ``MODES[mode]["losses"]``.
    mode : {"binary", "categorical", "regression"}
    target : int or float
        The label (0/1), the true class (0..2) or the target number.
    x : ndarray, shape (n,)
        Predictions (binary, regression) or the true class's probability (categorical).

    Returns
    -------
    values, gradients : ndarray, shape (n,)
        NaN outside the loss's domain. The gradient is d(loss)/d(x): for one output the
        engine's gradient, for three classes its dot product with the path's direction.
    """
    x = np.asarray(x, dtype=np.float64)
    low, high = DOMAINS.get(name, (-np.inf, np.inf))
    inside = (x >= low) & (x <= high)
    values = np.full(x.shape, np.nan)
    gradients = np.full(x.shape, np.nan)
    if not inside.any():
        return values, gradients
    loss = losses.get(name)
    points = x[inside]
    n = points.shape[0]
    if mode == "categorical":
        k = int(target)
        direction = np.full(N_CLASSES, -0.5)
        direction[k] = 1.0
        y_pred = np.repeat(((1.0 - points) / 2.0)[:, None], N_CLASSES, axis=1)
        y_pred[:, k] = points
        y_true = (np.full(n, k) if name == "sparse_categorical_crossentropy"
                  else np.repeat(np.eye(N_CLASSES)[k][None], n, axis=0))
        values[inside] = loss.per_sample(y_true, y_pred)
        # the engine's gradient is of the batch mean: times n, each point's own gradient
        gradients[inside] = (loss.gradient(y_true, y_pred) * n) @ direction
    else:
        y_true = np.full((n, 1), float(target))
        y_pred = points[:, None]
        values[inside] = loss.per_sample(y_true, y_pred)
        gradients[inside] = loss.gradient(y_true, y_pred)[:, 0] * n
    return values, gradients


def raw_pipeline(name, mode):
    """``(loss, activation name)``: how the engine's trainer turns the raw output into the
    loss for ``name`` on a ``mode`` target (the output activation "auto" picks)."""
    if from_logits(name):
        return losses.get(name, from_logits=True), "linear"
    loss = losses.get(name)
    task = TASKS[mode]
    if task not in loss.tasks:
        task = "counts"  # poisson, squared log error: regression of counts
    return loss, loss.output_activation(task)


def raw_curve(name, mode, target, z):
    """Loss and its gradient with respect to the raw output at each sweep position ``z``.

    Parameters
    ----------
    name, mode, target : as :func:`curve`
    z : ndarray, shape (n,)
        The raw output (binary, regression) or the true class's raw output, the other two at
        0 (categorical).

    Returns
    -------
    values, gradients : ndarray, shape (n,)
        The engine's loss of the activated output, and dL/dz through the engine's output
        activation (the trainer's backward pass for one row).
    """
    z = np.asarray(z, dtype=np.float64)
    loss, activation_name = raw_pipeline(name, mode)
    activation = activations.get(activation_name)
    n = z.shape[0]
    if mode == "categorical":
        k = int(target)
        raw = np.zeros((n, N_CLASSES))
        raw[:, k] = z
        y_true = (np.full(n, k) if name == "sparse_categorical_crossentropy"
                  else np.repeat(np.eye(N_CLASSES)[k][None], n, axis=0))
    else:
        raw = z[:, None].copy()
        y_true = np.full((n, 1), float(target))
    y_pred = activation.forward(raw.copy())
    values = loss.per_sample(y_true, y_pred)
    # the engine's gradient is of the batch mean: times n, each row's own gradient
    gradients = activation.backward(loss.gradient(y_true, y_pred) * n, y_pred)
    return values, gradients[:, int(target) if mode == "categorical" else 0]


def _fit_y(plot, arrays):
    """Show the middle 96% of the drawn values: a crossentropy's steep wall near 0 (its
    gradient reaches -1e7 at the clip) would otherwise flatten every other curve."""
    finite = [a[np.isfinite(a)] for a in arrays]
    finite = np.concatenate(finite) if finite else np.empty(0)
    if finite.size == 0:
        plot.setYRange(0.0, 1.0)
        return
    low, high = np.percentile(finite, [2, 98])
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    plot.setYRange(low, high, padding=0.08)


class LossExplorer(i18n.Retranslating, QtWidgets.QWidget):
    """Selected losses and their gradients over one prediction, for a chosen target.

    ``set_target(key, value=None)`` picks a target (see :func:`targets`; ``value`` is the
    regression number), ``set_losses(names)`` the curves; ``curves()`` returns what is drawn.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lossExplorer")
        self.mode, self.target = "binary", 1
        self.axis = "raw"
        self._items = {}
        layout = QtWidgets.QHBoxLayout(self)
        side = QtWidgets.QVBoxLayout()
        self.target_label = QtWidgets.QLabel()
        self.target_combo = QtWidgets.QComboBox()
        self.target_combo.setObjectName("lossExplorerTarget")
        for key, _mode, _value in targets():
            self.target_combo.addItem("", key)
        self.value_label = QtWidgets.QLabel()
        self.value_spin = QtWidgets.QDoubleSpinBox()
        self.value_spin.setObjectName("lossExplorerValue")
        self.value_spin.setRange(-100.0, 100.0)
        self.value_spin.setDecimals(2)
        self.value_spin.setSingleStep(0.5)
        self.value_spin.setValue(1.0)
        self.axis_label = QtWidgets.QLabel()
        self.axis_combo = QtWidgets.QComboBox()
        self.axis_combo.setObjectName("lossExplorerAxis")
        for key in AXES:
            self.axis_combo.addItem("", key)
        self.losses_label = QtWidgets.QLabel()
        self.loss_list = QtWidgets.QListWidget()
        self.loss_list.setObjectName("lossExplorerLosses")
        self.formulas = QtWidgets.QLabel()
        self.formulas.setObjectName("lossExplorerFormulas")
        self.formulas.setWordWrap(True)
        self.formulas.setTextFormat(QtCore.Qt.RichText)
        self.explanation = QtWidgets.QLabel()
        self.explanation.setWordWrap(True)
        for widget in (self.target_label, self.target_combo, self.value_label,
                       self.value_spin, self.axis_label, self.axis_combo, self.losses_label,
                       self.loss_list, self.explanation):
            side.addWidget(widget)
        side_widget = QtWidgets.QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(330)
        layout.addWidget(side_widget)
        plots = QtWidgets.QVBoxLayout()
        self.value_plot = self._make_plot("lossExplorerValuePlot", legend=True)
        # the same colours as above: a second legend would only cover the gradients
        self.gradient_plot = self._make_plot("lossExplorerGradientPlot", legend=False)
        self.gradient_plot.setXLink(self.value_plot)
        plots.addWidget(self.value_plot, stretch=3)
        plots.addWidget(self.gradient_plot, stretch=2)
        plots.addWidget(self.formulas)
        layout.addLayout(plots, stretch=1)
        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self.value_spin.valueChanged.connect(self._value_changed)
        self.axis_combo.currentIndexChanged.connect(
            lambda _i: self.set_axis(self.axis_combo.currentData()))
        self.loss_list.itemChanged.connect(lambda _item: self.redraw())
        self._fill_losses()
        self.retranslate()
        self.target_combo.setCurrentIndex(1)

    @staticmethod
    def _make_plot(object_name, legend):
        plot = pg.PlotWidget()
        plot.setObjectName(object_name)
        plot.setBackground("w")
        item = plot.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        if legend:
            item.addLegend(offset=(-10, 10))
        cache_painting(item.getAxis("left"), item.getAxis("bottom"))
        return plot

    # -- public --------------------------------------------------------------------------------

    def retranslate(self):
        """Show every text in the current language."""
        language = i18n.language()
        for plot in (self.value_plot, self.gradient_plot):
            retranslate_menus(plot)
        t = self._text
        self.target_label.setText(t("target"))
        for index, (key, mode, value) in enumerate(targets()):
            text = (tr(TEXT["class"], language, k=value) if mode == "categorical"
                    else t(key))
            self.target_combo.setItemText(index, text)
        self.value_label.setText(t("value"))
        self.axis_label.setText(t("axis"))
        for index, key in enumerate(AXES):
            self.axis_combo.setItemText(index, t(f"axis_{key}"))
        self.losses_label.setText(t("losses"))
        self.explanation.setText(t("explain_raw" if self.axis == "raw" else "explain"))
        for row in range(self.loss_list.count()):
            item = self.loss_list.item(row)
            item.setToolTip(glossary.loss_note(item.data(QtCore.Qt.UserRole), language))
        self._label_axes()
        self._show_formulas()

    def set_target(self, key, value=None):
        """Choose the target by key ("binary_0", "binary_1", "class_0".., "regression")."""
        keys = [k for k, _m, _v in targets()]
        if key not in keys:
            raise ValueError(f"target {key!r} is unknown; valid: {', '.join(keys)}")
        if value is not None:
            self.value_spin.setValue(float(value))
        self.target_combo.setCurrentIndex(keys.index(key))

    def set_axis(self, axis):
        """Draw against the raw output ("raw", the default) or the prediction ("prediction")."""
        if axis not in AXES:
            raise ValueError(f"x axis {axis!r} is unknown; valid: {', '.join(AXES)}")
        self.axis = axis
        self.axis_combo.blockSignals(True)
        self.axis_combo.setCurrentIndex(AXES.index(axis))
        self.axis_combo.blockSignals(False)
        self.explanation.setText(self._text("explain_raw" if axis == "raw" else "explain"))
        self._label_axes()
        self.redraw()

    def set_losses(self, names):
        """Select exactly ``names`` among the losses the current target offers."""
        offered = MODES[self.mode]["losses"]
        unknown = [n for n in names if n not in offered]
        if unknown:
            raise ValueError(f"loss(es) {', '.join(unknown)} do not fit a {self.mode} target; "
                             f"valid: {', '.join(offered)}")
        self.loss_list.blockSignals(True)
        for row in range(self.loss_list.count()):
            item = self.loss_list.item(row)
            checked = item.data(QtCore.Qt.UserRole) in names
            item.setCheckState(QtCore.Qt.Checked if checked else QtCore.Qt.Unchecked)
        self.loss_list.blockSignals(False)
        self.redraw()

    def offered_losses(self):
        """The losses the current target offers, in the list's order."""
        return list(MODES[self.mode]["losses"])

    def selected_losses(self):
        return [self.loss_list.item(row).data(QtCore.Qt.UserRole)
                for row in range(self.loss_list.count())
                if self.loss_list.item(row).checkState() == QtCore.Qt.Checked]

    def sweep_range(self):
        """The (low, high) the x axis sweeps for the current target and axis."""
        low, high = (RAW_RANGES if self.axis == "raw" else
                     {mode: MODES[mode]["range"] for mode in MODES})[self.mode]
        if self.mode == "regression":
            return self.target + low, self.target + high
        return low, high

    def curves(self):
        """What is drawn: ``{loss name: (x, values, gradients)}`` read back from the plots."""
        drawn = {}
        for name, (value_item, gradient_item) in self._items.items():
            x, values = value_item.getOriginalDataset()
            _x, gradients = gradient_item.getOriginalDataset()
            drawn[name] = (np.asarray(x), np.asarray(values), np.asarray(gradients))
        return drawn

    def redraw(self):
        """Draw the selected losses for the current target (one curve pair per loss)."""
        for value_item, gradient_item in self._items.values():
            self.value_plot.removeItem(value_item)
            self.gradient_plot.removeItem(gradient_item)
        self._items = {}
        low, high = self.sweep_range()
        x = np.linspace(low, high, SAMPLES)
        offered = MODES[self.mode]["losses"]
        drawn_values, drawn_gradients = [], []
        for name in self.selected_losses():
            pen = pg.mkPen(COLORS[offered.index(name) % len(COLORS)], width=2)
            values, gradients = (raw_curve if self.axis == "raw" else curve)(
                name, self.mode, self.target, x)
            value_item = self.value_plot.plot(x, values, pen=pen, name=name, connect="finite")
            gradient_item = self.gradient_plot.plot(x, gradients, pen=pen, name=name,
                                                    connect="finite")
            self._items[name] = (value_item, gradient_item)
            drawn_values.append(values)
            drawn_gradients.append(gradients)
        self.value_plot.setXRange(low, high, padding=0.02)
        _fit_y(self.value_plot, drawn_values)
        _fit_y(self.gradient_plot, drawn_gradients)
        self._show_formulas()

    # -- internals -----------------------------------------------------------------------------

    def _target_chosen(self, index):
        _key, mode, value = targets()[index]
        changed_mode = mode != self.mode
        self.mode = mode
        self.target = self.value_spin.value() if mode == "regression" else value
        self.value_spin.setEnabled(mode == "regression")
        if changed_mode:
            self._fill_losses()
        self._label_axes()
        self.redraw()

    def _value_changed(self, value):
        if self.mode == "regression":
            self.target = float(value)
            self.redraw()

    def _fill_losses(self):
        self.loss_list.blockSignals(True)
        self.loss_list.clear()
        selected = MODES[self.mode]["selected"]
        for name in MODES[self.mode]["losses"]:
            item = QtWidgets.QListWidgetItem(name)
            item.setData(QtCore.Qt.UserRole, name)
            item.setFlags(item.flags() | QtCore.Qt.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.Checked if name in selected else QtCore.Qt.Unchecked)
            item.setToolTip(glossary.loss_note(name, self.language))
            self.loss_list.addItem(item)
        self.loss_list.blockSignals(False)

    def _text(self, key):
        return tr(TEXT[key], self.language)

    def _label_axes(self):
        t = self._text
        if self.axis == "raw":
            x_label = t(f"raw_{self.mode}")
        else:
            x_label = t("probability") if self.mode == "categorical" else t("prediction")
        self.value_plot.setTitle(t("loss_title"), color="k")
        self.gradient_plot.setTitle(t("gradient_title"), color="k")
        self.value_plot.setLabel("left", t("loss_axis"))
        self.gradient_plot.setLabel("left", t("raw_gradient_axis" if self.axis == "raw"
                                              else "gradient_axis"))
        self.value_plot.setLabel("bottom", x_label)
        self.gradient_plot.setLabel("bottom", x_label)

    def _output_of(self, name):
        """How the raw output z becomes the loss's ŷ (raw axis only): "ŷ = sigmoid(z): "."""
        if self.axis != "raw":
            return ""
        activation = raw_pipeline(name, self.mode)[1]
        if from_logits(name):
            activation = losses.get(name).output_activation(TASKS[self.mode])
        return "" if activation == "linear" else f"ŷ = {activation}(z): "

    def _show_formulas(self):
        rows = [f"<b>{name}</b>: {self._output_of(name)}"
                f"{html.escape(formula(name, self.language))}<br>"
                f"<i>{glossary.loss_note(name, self.language)}</i>"
                for name in self.selected_losses()]
        self.formulas.setText("<br>".join(rows))
