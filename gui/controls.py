"""The control panel, built from one spec table (:data:`SPECS`).

Each row says which ``TrainingConfig`` field a control edits, its kind, range, step, default,
objectName and whether a running trainer can take the change live (and when) or whether it
needs a new model (Reset). Labels and tooltips come from :mod:`gui.glossary`.
"""

import math
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from engine import activations, datasets, losses, optimizers, schedules
from engine.config import incompatibility
from gui import glossary
from gui.i18n import tr

OPTIMIZER_FIELDS = ("momentum", "rho", "beta_1", "beta_2", "epsilon", "weight_decay",
                    "trust_coef")
OPEN_CSV = "Open CSV…"
VALUE_ROLE = QtCore.Qt.UserRole
REASON_ROLE = QtCore.Qt.UserRole + 1


@dataclass(frozen=True)
class ControlSpec:
    """One control: the config ``field`` it edits and how.

    ``kind`` is "choice", "int", "float", "log" (log-scale stepping), "layers" or "bool".
    ``live`` is None when the change needs a new model, else when a running trainer applies
    it ("next batch", "next epoch", "now"). Optimizer hyperparameters default to None: the
    chosen optimizer's own default is filled in when it is selected.
    """

    field: str
    group: str
    kind: str
    object_name: str
    default: object
    minimum: float = 0
    maximum: float = 1
    step: float = 1
    decimals: int = 0
    live: str = None


SPECS = (
    ControlSpec("dataset", "data", "choice", "datasetCombo", "circle"),
    ControlSpec("noise", "data", "float", "noiseSpin", 0.1, 0.0, 1.0, 0.05, 2),
    ControlSpec("validation_split", "data", "float", "validationSplitSpin", 0.2, 0.0, 0.9,
                0.05, 2),
    ControlSpec("n_samples", "data", "int", "samplesSpin", 0, 0, 100000, 50),
    ControlSpec("hidden_layers", "model", "layers", "hiddenLayersEdit", "8, 8"),
    ControlSpec("activation", "model", "choice", "activationCombo", "tanh"),
    ControlSpec("output_activation", "model", "choice", "outputActivationCombo", "auto"),
    ControlSpec("dtype", "model", "choice", "dtypeCombo", "float64"),
    ControlSpec("seed", "model", "int", "seedSpin", 0, 0, 2**31 - 1, 1),
    ControlSpec("loss", "training", "choice", "lossCombo", "binary_crossentropy"),
    ControlSpec("optimizer", "training", "choice", "optimizerCombo", "sgd"),
    ControlSpec("learning_rate", "training", "log", "learningRateSpin", 0.03, 1e-6, 10.0,
                live="next batch"),
    ControlSpec("momentum", "training", "float", "momentumSpin", None, 0.0, 0.999, 0.05, 3,
                live="next batch"),
    ControlSpec("rho", "training", "float", "rhoSpin", None, 0.0, 0.9999, 0.01, 4,
                live="next batch"),
    ControlSpec("beta_1", "training", "float", "beta1Spin", None, 0.0, 0.9999, 0.01, 4,
                live="next batch"),
    ControlSpec("beta_2", "training", "float", "beta2Spin", None, 0.0, 0.99999, 0.001, 5,
                live="next batch"),
    ControlSpec("epsilon", "training", "log", "epsilonSpin", None, 1e-12, 1.0,
                live="next batch"),
    ControlSpec("weight_decay", "training", "float", "weightDecaySpin", None, 0.0, 1.0, 0.0001,
                5, live="next batch"),
    ControlSpec("trust_coef", "training", "log", "trustCoefSpin", None, 1e-6, 1.0,
                live="next batch"),
    ControlSpec("schedule", "training", "choice", "scheduleCombo", "constant"),
    ControlSpec("decay_steps", "training", "int", "decayStepsSpin", 1000, 1, 10_000_000, 100),
    ControlSpec("decay_rate", "training", "float", "decayRateSpin", 0.5, 0.0, 1.0, 0.05, 3),
    ControlSpec("warmup_epochs", "training", "int", "warmupSpin", 0, 0, 1000, 1),
    ControlSpec("linear_scaling", "training", "bool", "linearScalingCheck", False),
    ControlSpec("batch_size", "training", "int", "batchSizeSpin", 32, 1, 100000, 1,
                live="next epoch"),
    ControlSpec("epochs", "training", "int", "epochsSpin", 50, 1, 1_000_000, 1, live="now"),
    ControlSpec("l2", "training", "float", "l2Spin", 0.0, 0.0, 1.0, 0.0001, 5,
                live="next batch"),
    ControlSpec("early_stopping_patience", "training", "int", "patienceSpin", 0, 0, 10000, 1,
                live="now"),
)
SPEC_BY_FIELD = {spec.field: spec for spec in SPECS}
GROUPS = ("data", "model", "training")


def choices(field):
    """The values a choice control offers (the engine's registries)."""
    if field == "dataset":
        return datasets.names()
    if field == "loss":
        return losses.names()
    if field == "optimizer":
        return optimizers.names()
    if field == "activation":
        return activations.names()
    if field == "output_activation":
        return ["auto", *activations.names()]
    if field == "schedule":
        return schedules.names()
    if field == "dtype":
        return ["float64", "float32"]
    raise KeyError(field)


class LogSpinBox(QtWidgets.QDoubleSpinBox):
    """A spin box for rates: arrows step through 1, 2, 5, 10, 20, 50... (×/÷ on a log scale).

    The text is shown compactly ("0.03", "1e-05") and accepts scientific notation.
    """

    MANTISSAS = (1.0, 2.0, 5.0)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setKeyboardTracking(False)
        self.setAccelerated(False)

    def stepBy(self, steps):
        value = self.value()
        for _ in range(abs(steps)):
            value = self._neighbour(value, up=steps > 0)
        self.setValue(min(max(value, self.minimum()), self.maximum()))

    def _neighbour(self, value, up):
        if value <= 0:
            return self.minimum()
        exponent = math.floor(math.log10(value))
        grid = [m * 10.0 ** e for e in range(exponent - 1, exponent + 2) for m in self.MANTISSAS]
        if up:
            return min(g for g in grid if g > value * (1 + 1e-9))
        return max(g for g in grid if g < value * (1 - 1e-9))

    def textFromValue(self, value):
        return f"{value:.4g}"

    def valueFromText(self, text):
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text, position):
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            allowed = set("0123456789.eE-+")
            if stripped == "" or set(stripped) <= allowed:
                return QtGui.QValidator.Intermediate, text, position
            return QtGui.QValidator.Invalid, text, position
        if self.minimum() <= value <= self.maximum():
            return QtGui.QValidator.Acceptable, text, position
        return QtGui.QValidator.Intermediate, text, position


class ControlPanel(QtWidgets.QWidget):
    """All training knobs plus the run buttons, grouped as Data, Model and Training.

    Signals
    -------
    valueChanged(str, object)
        A control's field and its new value (after the user or :meth:`set_values`).
    regenerateRequested()
        The "New data" button.
    """

    valueChanged = QtCore.Signal(str, object)
    regenerateRequested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.language = glossary.DEFAULT_LANGUAGE
        self.widgets = {}
        self.labels = {}
        self.groups = {}
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        self.run_box = QtWidgets.QGroupBox()
        run_layout = QtWidgets.QGridLayout(self.run_box)
        run_layout.setContentsMargins(6, 6, 6, 6)
        self.buttons = {}
        for index, (key, name) in enumerate((("start", "startButton"), ("step", "stepButton"),
                                             ("stop", "stopButton"), ("reset", "resetButton"))):
            button = QtWidgets.QPushButton()
            button.setObjectName(name)
            button.setFocusPolicy(QtCore.Qt.TabFocus)
            self.buttons[key] = button
            run_layout.addWidget(button, index // 2, index % 2)
        layout.addWidget(self.run_box)
        forms = {}
        for group in GROUPS:
            box = QtWidgets.QGroupBox()
            form = QtWidgets.QFormLayout(box)
            form.setContentsMargins(6, 6, 6, 6)
            form.setHorizontalSpacing(8)
            form.setVerticalSpacing(4)
            form.setFieldGrowthPolicy(QtWidgets.QFormLayout.AllNonFixedFieldsGrow)
            self.groups[group] = box
            forms[group] = form
            layout.addWidget(box)
        for spec in SPECS:
            widget = self._build(spec)
            widget.setObjectName(spec.object_name)
            label = QtWidgets.QLabel()
            label.setBuddy(widget)
            self.widgets[spec.field] = widget
            self.labels[spec.field] = label
            forms[spec.group].addRow(label, widget)
            if spec.field == "n_samples":
                self.regenerate_button = QtWidgets.QPushButton()
                self.regenerate_button.setObjectName("regenerateButton")
                self.regenerate_button.clicked.connect(self.regenerateRequested)
                forms[spec.group].addRow("", self.regenerate_button)
        self.pending_label = QtWidgets.QLabel()
        self.pending_label.setObjectName("pendingLabel")
        self.pending_label.setWordWrap(True)
        self.pending_label.setStyleSheet(
            "QLabel { background: #fff4ce; border: 1px solid #e0b400; border-radius: 3px;"
            " padding: 4px; color: #5a4500; }")
        self.pending_label.hide()
        layout.addWidget(self.pending_label)
        layout.addStretch(1)
        self.set_values({spec.field: spec.default for spec in SPECS})
        self._show_optimizer_fields(self.value("optimizer"), reset_defaults=True)
        self.set_language(self.language)
        self.refresh_compatibility()

    # -- building ----------------------------------------------------------------------------

    def _build(self, spec):
        if spec.kind == "choice":
            widget = QtWidgets.QComboBox()
            widget.setMaxVisibleItems(20)
            for value in choices(spec.field):
                widget.addItem(value, value)
            if spec.field == "dataset":
                widget.insertSeparator(widget.count())
                widget.addItem(tr(OPEN_CSV), OPEN_CSV)
            widget.currentIndexChanged.connect(
                lambda _index, field=spec.field: self._on_change(field))
            return widget
        if spec.kind == "int":
            widget = QtWidgets.QSpinBox()
            widget.setRange(int(spec.minimum), int(spec.maximum))
            widget.setSingleStep(int(spec.step))
            widget.setKeyboardTracking(False)
            widget.setAccelerated(True)
            if spec.field == "n_samples":
                widget.setSpecialValueText(glossary.ui_text("default_samples"))
            widget.valueChanged.connect(lambda _v, field=spec.field: self._on_change(field))
            return widget
        if spec.kind in ("float", "log"):
            widget = LogSpinBox() if spec.kind == "log" else QtWidgets.QDoubleSpinBox()
            if spec.kind == "float":
                widget.setDecimals(spec.decimals)
                widget.setSingleStep(spec.step)
                widget.setKeyboardTracking(False)
            widget.setRange(spec.minimum, spec.maximum)
            widget.valueChanged.connect(lambda _v, field=spec.field: self._on_change(field))
            return widget
        if spec.kind == "layers":
            widget = QtWidgets.QLineEdit()
            widget.setValidator(QtGui.QRegularExpressionValidator(
                QtCore.QRegularExpression(r"^\s*(\d+\s*(,\s*\d+\s*)*)?,?\s*$")))
            widget.setPlaceholderText("e.g. 8, 8")
            widget.editingFinished.connect(lambda field=spec.field: self._on_change(field))
            return widget
        widget = QtWidgets.QCheckBox()
        widget.toggled.connect(lambda _v, field=spec.field: self._on_change(field))
        return widget

    # -- values ------------------------------------------------------------------------------

    def value(self, field):
        """The control's current value as a TrainingConfig field value."""
        spec = SPEC_BY_FIELD[field]
        widget = self.widgets[field]
        if spec.kind == "choice":
            return widget.currentData(VALUE_ROLE)
        if spec.kind == "int":
            value = widget.value()
            return None if field == "n_samples" and value == 0 else value
        if spec.kind in ("float", "log"):
            return float(widget.value())
        if spec.kind == "layers":
            return widget.text()
        return widget.isChecked()

    def set_value(self, field, value):
        """Set one control without treating it as the user's change of a different field."""
        spec = SPEC_BY_FIELD[field]
        widget = self.widgets[field]
        if spec.kind == "choice":
            if field == "dataset" and isinstance(value, str) and value.startswith("csv:"):
                self.add_csv(value[4:], select=True)
                return
            index = widget.findData(value, VALUE_ROLE)
            if index < 0:
                raise ValueError(f"{field}: {value!r} is not one of the choices")
            widget.setCurrentIndex(index)
        elif spec.kind in ("int", "float", "log"):
            number = 0 if value is None else (int(value) if spec.kind == "int" else float(value))
            if not widget.minimum() <= number <= widget.maximum():
                raise ValueError(f"{field}: {value!r} is outside {widget.minimum()}.."
                                 f"{widget.maximum()}")
            widget.setValue(number)
        elif spec.kind == "layers":
            text = value if isinstance(value, str) else ", ".join(str(v) for v in value)
            widget.setText(text)
            self._on_change(field)
        else:
            widget.setChecked(bool(value))

    def set_values(self, values):
        """Set many fields; ``None`` optimizer hyperparameters keep the optimizer's defaults."""
        if "optimizer" in values:
            self.set_value("optimizer", values["optimizer"])
        for field, value in values.items():
            if field in SPEC_BY_FIELD and field != "optimizer" and not (
                    field in OPTIMIZER_FIELDS and value is None):
                self.set_value(field, value)

    def config_kwargs(self):
        """All fields as keyword arguments for ``TrainingConfig`` (unused hyperparameters None)."""
        kwargs = {spec.field: self.value(spec.field) for spec in SPECS}
        accepted = optimizers.hyperparameters(kwargs["optimizer"])
        for field in OPTIMIZER_FIELDS:
            if field not in accepted:
                kwargs[field] = None
        return kwargs

    def add_csv(self, path, select=True):
        """Add dataset entry "csv:PATH" (shown by file name) and optionally select it."""
        combo = self.widgets["dataset"]
        value = f"csv:{path}"
        index = combo.findData(value, VALUE_ROLE)
        if index < 0:
            index = combo.count() - 1
            combo.insertItem(index, f"csv: {QtCore.QFileInfo(path).fileName()}", value)
            combo.setItemData(index, path, QtCore.Qt.ToolTipRole)
        if select:
            combo.setCurrentIndex(index)

    def set_batch_limit(self, n_train):
        """Batch size may go up to the whole training set (full batch)."""
        self.widgets["batch_size"].setMaximum(max(1, int(n_train)))

    # -- reactions ---------------------------------------------------------------------------

    def _on_change(self, field):
        if field == "optimizer":
            self._show_optimizer_fields(self.value("optimizer"), reset_defaults=True)
        if field in ("dataset", "loss"):
            self.refresh_compatibility()
        if field == "schedule":
            constant = self.value("schedule") == "constant"
            for name in ("decay_steps", "decay_rate"):
                self.widgets[name].setEnabled(not constant)
        self.valueChanged.emit(field, self.value(field))

    def _show_optimizer_fields(self, optimizer, reset_defaults=False):
        defaults = optimizers.hyperparameters(optimizer)
        for field in OPTIMIZER_FIELDS:
            present = field in defaults
            self.widgets[field].setVisible(present)
            self.labels[field].setVisible(present)
            if present and reset_defaults and defaults[field] is not None:
                widget = self.widgets[field]
                widget.blockSignals(True)
                widget.setValue(float(defaults[field]))
                widget.blockSignals(False)

    def refresh_compatibility(self):
        """Mark losses that cannot train on the chosen dataset and datasets the loss can't use.

        The reason is each item's tooltip; marked items stay selectable so the user can read
        why (Start then explains instead of failing).
        """
        dataset = self.value("dataset")
        loss = self.value("loss")
        warning = self.style().standardIcon(QtWidgets.QStyle.SP_MessageBoxWarning)
        loss_combo = self.widgets["loss"]
        for index in range(loss_combo.count()):
            name = loss_combo.itemData(index, VALUE_ROLE)
            self._mark(loss_combo, index, self._reason(dataset, name), warning,
                       glossary.loss_note(name, self.language))
        dataset_combo = self.widgets["dataset"]
        for index in range(dataset_combo.count()):
            name = dataset_combo.itemData(index, VALUE_ROLE)
            if not name or name == OPEN_CSV:
                continue
            tip = name[4:] if name.startswith("csv:") else tr(datasets.info(name).description)
            self._mark(dataset_combo, index, self._reason(name, loss), warning, tip)

    @staticmethod
    def _reason(dataset, loss):
        if not dataset or dataset == OPEN_CSV or not loss:
            return None
        try:
            return incompatibility(dataset, loss)
        except ValueError as error:
            return str(error)

    @staticmethod
    def _mark(combo, index, reason, icon, tip):
        combo.setItemData(index, reason, REASON_ROLE)
        combo.setItemData(index, QtGui.QColor(150, 40, 40) if reason else None,
                          QtCore.Qt.ForegroundRole)
        combo.setItemIcon(index, icon if reason else QtGui.QIcon())
        combo.setItemData(index, tr("✗ {reason}", reason=reason) if reason else tip,
                          QtCore.Qt.ToolTipRole)

    def incompatibility_reason(self):
        """Why the chosen dataset and loss cannot train together, or None."""
        return self._reason(self.value("dataset"), self.value("loss"))

    def show_pending(self, fields):
        """Show (or hide, for an empty list) the note listing changes that wait for Reset."""
        if not fields:
            self.pending_label.hide()
            return
        names = ", ".join(glossary.label(field, self.language) for field in fields)
        self.pending_label.setText(glossary.ui_text("pending", self.language).format(
            fields=names))
        self.pending_label.show()

    # -- language ----------------------------------------------------------------------------

    def set_language(self, language):
        """Relabel every control and tooltip in ``language`` ("en" or "ko")."""
        self.language = language
        for group, box in self.groups.items():
            box.setTitle(glossary.ui_text(f"group_{group}", language))
        self.run_box.setTitle(glossary.ui_text("group_run", language))
        for field, widget in self.widgets.items():
            tip = glossary.tooltip(field, language)
            spec = SPEC_BY_FIELD[field]
            if spec.live:
                tip += tr("<br><i>live: {when}</i>", when=tr(spec.live))
            widget.setToolTip(tip)
            self.labels[field].setToolTip(tip)
            self.labels[field].setText(glossary.label(field, language))
        for key, button in self.buttons.items():
            button.setToolTip(glossary.tooltip(key, language))
        self.regenerate_button.setText(glossary.label("regenerate", language))
        self.regenerate_button.setToolTip(glossary.tooltip("regenerate", language))
        self.widgets["n_samples"].setSpecialValueText(glossary.ui_text("default_samples",
                                                                       language))
        self.refresh_compatibility()
