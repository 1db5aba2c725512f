"""The control panel, built from the engine's parameter spec (:mod:`engine.spec`).

Every control is a :class:`engine.spec.Param` with a ``widget``: its kind, range, step,
decimals, objectName, section, live rule and which optimizers or losses it applies to all come
from there; this module only turns them into Qt widgets. Labels and tooltips come from
:mod:`gui.glossary`.

Rules the panel applies, all derived from the spec:

- a control whose param ``applies`` to some optimizers or losses is shown only for those
  (an optimizer flag that the chosen optimizer has on by itself, such as the "nesterov"
  preset's, is shown checked and disabled);
- an optional number (None = a default) is shown with a special text at one step below its
  minimum ("= seed", "default"); ``epochs`` None is the ``untilPausedCheck`` box beside it;
- the batch size is never rewritten to fit a dataset: the requested value stays, and the
  control says what is used when the training set is smaller;
- which losses fit which dataset is judged from one cached dataset description per entry,
  so no CSV file is re-read for each loss.

The values themselves live in a :class:`gui.model.draft.Draft` (the configuration being
edited), bound both ways: a widget edit sets the draft, and a draft change (Paste Setup, a
preset, a lesson, loading settings) shows on its widget. The rules above read the draft.
"""

import math

from PySide6 import QtCore, QtGui, QtWidgets

from engine import ConfigError, datasets, spec
from engine.config import TrainingConfig
from engine.messages import Message
from gui import glossary, i18n
from gui.i18n import QT_TRANSLATE_NOOP, tr
from gui.model.draft import DECAY_FIELDS, Draft

OPEN_CSV = "Open CSV…"
#: Why a config file's values cannot be shown (engine.messages), beside the engine's.
NOT_A_CHOICE = QT_TRANSLATE_NOOP("engine", "{field}: {value} is not one of the choices")
OUTSIDE = QT_TRANSLATE_NOOP("engine", "{field}: {value} is outside {low}..{high}")
VALUE_ROLE = QtCore.Qt.UserRole
REASON_ROLE = QtCore.Qt.UserRole + 1

#: The params with a control, in panel order (each has .field, .live, .object_name, ...).
SPECS = spec.controls()
SPEC_BY_FIELD = {param.name: param for param in SPECS}
#: The article's four terms (the spec's section "terms"), in its order: one group at the top
#: of the panel that never scrolls away.
TERMS = ("loss", "batch_size", "epochs", "learning_rate")
#: The sections open in a first session (later, each is as the user left it).
OPEN_SECTIONS = ("data", "model", "optimizer")
#: TensorFlow Playground's learning rates, offered beside the exact entry.
QUICK_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: The batch size's word for "every training row" (as in sweeps).
FULL = "full"


#: ``(section key, fields)`` in panel order, below the four terms: each control sits in its
#: param's ``section``.
SECTIONS = tuple((key, tuple(param.name for param in SPECS if param.section == key))
                 for key in spec.SECTIONS if key != "terms")
#: Special texts of optional numbers, shown at the value below the minimum (ui_text keys).
_NONE_TEXT = {"n_samples": "default_samples", "data_seed": "same_as_seed",
              "init_seed": "same_as_seed", "decay_epochs": "decay_in_steps"}


def choices(field):
    """The values a choice control offers (the engine's registries)."""
    return spec.get(field).valid_choices()


def _sentinel(param):
    """The widget value standing for None of an optional number."""
    if param.widget == "int":
        return int(param.minimum) - 1
    return float(param.minimum)


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


class BatchSpinBox(QtWidgets.QSpinBox):
    """The batch size: a number, or "full" (its maximum: every training row, whatever the
    dataset), as sweeps write it."""

    def textFromValue(self, value):
        return FULL if value == self.maximum() else super().textFromValue(value)

    def valueFromText(self, text):
        if text.strip().lower() == FULL:
            return self.maximum()
        return super().valueFromText(text)

    def validate(self, text, position):
        word = text.strip().lower()
        if word and FULL.startswith(word) and not word.isdigit():
            state = (QtGui.QValidator.Acceptable if word == FULL
                     else QtGui.QValidator.Intermediate)
            return state, text, position
        return super().validate(text, position)


class Section(QtWidgets.QWidget):
    """A titled group of controls that opens and closes from its header button
    (objectName ``<key>SectionButton``); the section itself is ``<key>Section``."""

    def __init__(self, key, parent=None):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"{key}Section")
        self.button = QtWidgets.QToolButton()
        self.button.setObjectName(f"{key}SectionButton")
        self.button.setCheckable(True)
        self.button.setChecked(True)
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(QtCore.Qt.ToolButtonTextBesideIcon)
        self.button.setArrowType(QtCore.Qt.DownArrow)
        self.button.setSizePolicy(QtWidgets.QSizePolicy.Expanding,
                                  QtWidgets.QSizePolicy.Fixed)
        font = self.button.font()
        font.setBold(True)
        self.button.setFont(font)
        self.body = QtWidgets.QFrame()
        self.body.setFrameShape(QtWidgets.QFrame.StyledPanel)
        self.form = _form(self.body)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.button)
        layout.addWidget(self.body)
        self.button.toggled.connect(self._show)

    def set_open(self, open_):
        self.button.setChecked(bool(open_))

    def _show(self, open_):
        self.button.setArrowType(QtCore.Qt.DownArrow if open_ else QtCore.Qt.RightArrow)
        self.body.setVisible(open_)


def _form(parent):
    form = QtWidgets.QFormLayout(parent)
    form.setContentsMargins(6, 6, 6, 6)
    form.setHorizontalSpacing(8)
    form.setVerticalSpacing(4)
    form.setFieldGrowthPolicy(QtWidgets.QFormLayout.AllNonFixedFieldsGrow)
    return form


class ControlPanel(i18n.Retranslating, QtWidgets.QWidget):
    """All training knobs: the four terms of the article in a group that never scrolls away,
    the other settings in collapsible sections below it (:data:`SECTIONS`), scrolled.

    The run buttons (Start, Step, Stop, Reset) are the window's toolbar: one set, always in
    view, where a set inside this (scrolling) panel could scroll away.

    The mouse wheel over the sections scrolls them; it changes a spin box or drop-down only
    once the user has clicked or tabbed into it (a wheel passing over a control must not
    change a setting).

    Parameters
    ----------
    draft : gui.model.draft.Draft, optional
        The configuration the controls show and edit (a new one by default).

    Signals
    -------
    valueChanged(str, object)
        A field of the draft and its new value (after the user, :meth:`set_values`,
        :meth:`apply_config` or any other change of the draft); also ``("dataset", OPEN_CSV)``
        when the dataset list's "Open CSV…" entry is chosen (the draft keeps its dataset).
    regenerateRequested()
        The "New data" button.
    """

    valueChanged = QtCore.Signal(str, object)
    regenerateRequested = QtCore.Signal()

    def __init__(self, draft=None, parent=None):
        super().__init__(parent)
        self.draft = Draft() if draft is None else draft
        self.widgets = {}
        self.labels = {}
        self.sections = {}
        self._showing = False  # a draft value is being shown: the widget's signal is not an edit
        self._batch_limit = None
        self._settings = None
        focus_chain = []
        self.terms_box = QtWidgets.QGroupBox()
        self.terms_box.setObjectName("fourTermsGroup")
        forms = {"terms": _form(self.terms_box)}
        body = QtWidgets.QWidget()
        body_layout = QtWidgets.QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(6)
        for key, _fields in SECTIONS:
            section = self.sections[key] = Section(key)
            forms[key] = section.form
            body_layout.addWidget(section)
        body_layout.addStretch(1)
        for key, fields in (("terms", TERMS), *SECTIONS):
            if key != "terms":
                focus_chain.append(self.sections[key].button)
            for field in fields:
                param = SPEC_BY_FIELD[field]
                widget = self._build(param)
                widget.setObjectName(param.object_name)
                label = QtWidgets.QLabel()
                label.setBuddy(widget)
                self.widgets[field] = widget
                self.labels[field] = label
                forms[key].addRow(label, self._row(param, widget))
                focus_chain.append(widget)
                if field == "epochs":
                    focus_chain.append(self.until_paused)
                if field == "learning_rate":
                    focus_chain.append(self.rate_list_button)
                if field == "n_samples":
                    self.regenerate_button = QtWidgets.QPushButton()
                    self.regenerate_button.setObjectName("regenerateButton")
                    self.regenerate_button.clicked.connect(self.regenerateRequested)
                    forms[key].addRow("", self.regenerate_button)
                    focus_chain.append(self.regenerate_button)
        self.pending_label = QtWidgets.QLabel()
        self.pending_label.setObjectName("pendingLabel")
        self.pending_label.setWordWrap(True)
        self.pending_label.setStyleSheet(
            "QLabel { background: #fff4ce; border: 1px solid #e0b400; border-radius: 3px;"
            " padding: 4px; color: #5a4500; }")
        self.pending_label.hide()
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setObjectName("controlScroll")
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        # Tab goes from the last control back to the first, not to the scroll area (which
        # scrolls to whichever control takes the focus)
        self.scroll.setFocusPolicy(QtCore.Qt.NoFocus)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addWidget(self.terms_box)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.scroll, 1)
        for first, second in zip(focus_chain, focus_chain[1:]):
            QtWidgets.QWidget.setTabOrder(first, second)
        self._wheel_guard = _WheelGuard(self.scroll, self)
        for widget in focus_chain:
            if isinstance(widget, (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox)):
                widget.setFocusPolicy(QtCore.Qt.StrongFocus)
                widget.installEventFilter(self._wheel_guard)
        for param in SPECS:
            self._show(param.name, self.draft[param.name])
        self.draft.changed.connect(self._on_draft_changed)
        self._apply_rules()
        self.retranslate()
        self._fit_width()

    def _fit_width(self):
        """Wide enough for the widest section (all are open when this measures) and the
        scroll bar."""
        widest = max(self.scroll.widget().sizeHint().width(), self.terms_box.sizeHint().width())
        bar = self.style().pixelMetric(QtWidgets.QStyle.PM_ScrollBarExtent)
        self.scroll.setMinimumWidth(widest + bar + 4)

    def remember_sections(self, settings):
        """Open or close each section as ``settings`` (a :class:`gui.settings.Settings`)
        remembers, and remember each change there from now on."""
        self._settings = settings
        for key, section in self.sections.items():
            section.set_open(settings.section_open(key, key in OPEN_SECTIONS))
            section.button.toggled.connect(
                lambda open_, k=key: self._settings.set_section_open(k, open_))

    # -- building ----------------------------------------------------------------------------

    def _build(self, param):
        field = param.name
        if param.widget == "choice":
            widget = QtWidgets.QComboBox()
            widget.setMaxVisibleItems(20)
            for value in choices(field):
                widget.addItem(value, value)
            if field == "dataset":
                widget.insertSeparator(widget.count())
                widget.addItem("", OPEN_CSV)
            widget.currentIndexChanged.connect(lambda _index, f=field: self._on_widget(f))
            self._fit_popup(widget)
            return widget
        if param.widget == "int":
            widget = BatchSpinBox() if field == "batch_size" else QtWidgets.QSpinBox()
            low = _sentinel(param) if param.optional and field != "epochs" else param.minimum
            widget.setRange(int(low), int(param.maximum))
            widget.setSingleStep(int(param.step))
            widget.setKeyboardTracking(False)
            widget.setAccelerated(True)
            widget.valueChanged.connect(lambda _v, f=field: self._on_widget(f))
            return widget
        if param.widget in ("float", "log"):
            widget = LogSpinBox() if param.widget == "log" else QtWidgets.QDoubleSpinBox()
            if param.widget == "float":
                widget.setDecimals(param.decimals)
                widget.setSingleStep(param.step)
                widget.setKeyboardTracking(False)
            high = param.maximum
            if param.high_open:
                high -= 10.0 ** -param.decimals
            widget.setRange(param.minimum, high)
            widget.valueChanged.connect(lambda _v, f=field: self._on_widget(f))
            return widget
        if param.widget == "layers":
            widget = QtWidgets.QLineEdit()
            widget.setValidator(QtGui.QRegularExpressionValidator(
                QtCore.QRegularExpression(r"^\s*(\d+\s*(,\s*\d+\s*)*)?,?\s*$")))
            widget.editingFinished.connect(lambda f=field: self._on_widget(f))
            return widget
        widget = QtWidgets.QCheckBox()
        widget.toggled.connect(lambda _v, f=field: self._on_widget(f))
        return widget

    def _row(self, param, widget):
        """The form's field widget: the control, or the control with its companions (epochs'
        "until stopped", the learning rate's quick list, the batch size's note of the size
        in use, on a line of its own so that it never widens the panel)."""
        if param.name == "batch_size":
            self.batch_use_label = QtWidgets.QLabel()
            self.batch_use_label.setObjectName("batchUseLabel")
            self.batch_use_label.setWordWrap(True)
            self.batch_use_label.setSizePolicy(QtWidgets.QSizePolicy.Ignored,
                                               QtWidgets.QSizePolicy.Preferred)
            self.batch_use_label.hide()
            row = QtWidgets.QWidget()
            box = QtWidgets.QVBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(self.batch_use_label)
            return row
        if param.name == "epochs":
            self.until_paused = QtWidgets.QCheckBox()
            self.until_paused.setObjectName("untilPausedCheck")
            self.until_paused.toggled.connect(lambda _v: self._on_widget("epochs"))
            companion = self.until_paused
        elif param.name == "learning_rate":
            companion = self.rate_list_button = self._rate_list(widget)
        else:
            return widget
        row = QtWidgets.QWidget()
        box = QtWidgets.QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget, 1)
        box.addWidget(companion)
        return row

    def _rate_list(self, spin):
        """The Playground's learning rates, one click each, beside the exact entry."""
        button = QtWidgets.QToolButton()
        button.setObjectName("learningRateListButton")
        button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        button.setArrowType(QtCore.Qt.DownArrow)
        menu = QtWidgets.QMenu(button)
        menu.setObjectName("learningRateListMenu")
        for rate in QUICK_RATES:
            action = menu.addAction(f"{rate:g}")
            action.setData(rate)
            action.triggered.connect(lambda _checked=False, r=rate: spin.setValue(r))
        button.setMenu(menu)
        return button

    @staticmethod
    def _fit_popup(combo):
        """Make the drop-down list wide enough for its longest item (whole names)."""
        metrics = combo.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
                     default=0)
        icon = combo.iconSize().width() + 8
        margin = combo.view().style().pixelMetric(QtWidgets.QStyle.PM_ScrollBarExtent) + 24
        combo.view().setMinimumWidth(widest + icon + margin)

    # -- values ------------------------------------------------------------------------------

    def value(self, field):
        """The control's current value as a TrainingConfig field value."""
        param = SPEC_BY_FIELD[field]
        widget = self.widgets[field]
        if param.widget == "choice":
            return widget.currentData(VALUE_ROLE)
        if field == "epochs":
            return None if self.until_paused.isChecked() else widget.value()
        if param.widget in ("int", "float", "log"):
            number = widget.value()
            if param.optional and field not in optimizers_fields() and number <= _sentinel(
                    param):
                return None
            return int(number) if param.widget == "int" else float(number)
        if param.widget == "layers":
            return widget.text()
        return widget.isChecked()

    def set_value(self, field, value):
        """Set one field of the draft (shown on its control).

        Raises
        ------
        ValueError
            The value is invalid (the spec's ConfigError) or outside what its control shows.
        """
        if SPEC_BY_FIELD[field].widget == "layers":
            self.draft.edit(field, value)  # as typed: an invalid list is said at Reset
            return
        value = self.draft.normal(field, value)
        self._check_shown(field, value)
        self.draft.set(field, value)

    def _check_shown(self, field, value):
        """ValueError when ``field``'s control cannot show ``value`` (a checked value)."""
        param = SPEC_BY_FIELD[field]
        widget = self.widgets[field]
        if param.widget == "choice":
            if not (field == "dataset" and value.startswith(spec.CSV_PREFIX)) and widget.findData(
                    value, VALUE_ROLE) < 0:
                raise ValueError(Message(NOT_A_CHOICE, field=field, value=repr(value)))
        elif param.widget in ("int", "float", "log") and value is not None:
            if not widget.minimum() <= value <= widget.maximum():
                raise ValueError(Message(OUTSIDE, field=param.name, value=repr(value),
                                         low=widget.minimum(), high=widget.maximum()))

    def _controls_values(self, values):
        """The fields of ``values`` that have a control, checked and showable, in the order
        the draft takes them; None optimizer hyperparameters keep the optimizer's defaults."""
        checked = {}
        for field, value in values.items():
            if field not in SPEC_BY_FIELD or (field in optimizers_fields() and value is None):
                continue
            if SPEC_BY_FIELD[field].widget != "layers":
                value = self.draft.normal(field, value)
                self._check_shown(field, value)
            checked[field] = value
        return checked

    def set_values(self, values):
        """Set many fields of the draft at once, or none (ValueError naming the first value
        that cannot be shown); ``None`` optimizer hyperparameters keep the optimizer's
        defaults."""
        self.draft.update(self._controls_values(values))

    def apply_config(self, config):
        """Show ``config`` in every control at once, or change nothing.

        The config's fields are checked first (reading no file), then whether each control
        can show its value; the draft then takes them all, and ``valueChanged`` is emitted for
        each field that changed, in spec order.

        Raises
        ------
        ConfigError
            The config is invalid or a value cannot be shown.
        """
        if not isinstance(config, TrainingConfig):
            config = TrainingConfig.from_dict(config)
        config.validate_fields()
        try:
            values = self._controls_values({param.name: getattr(config, param.name)
                                            for param in SPECS})
        except (ValueError, TypeError, OverflowError) as error:
            raise ConfigError(f"configuration cannot be shown: {error}") from None
        self.draft.update(values, reset_optimizer=True)

    def config_kwargs(self):
        """The controls' fields of the draft as keyword arguments for ``TrainingConfig``
        (:meth:`gui.model.draft.Draft.kwargs`: fields that do not apply get their defaults)."""
        kwargs = self.draft.kwargs()
        return {param.name: kwargs[param.name] for param in SPECS}

    def add_csv(self, path, select=True):
        """Add dataset entry "csv:PATH" (shown by file name) and optionally select it.

        Adding a path again forgets its cached description (the file may have changed).
        """
        value = f"csv:{path}"
        self.draft.forget_dataset(value)
        self._csv_entry(path)
        if select:
            self.draft.set("dataset", value)

    def _csv_entry(self, path):
        """The dataset list's index of "csv:PATH", added if new."""
        combo = self.widgets["dataset"]
        value = f"csv:{path}"
        index = combo.findData(value, VALUE_ROLE)
        if index < 0:
            index = combo.count() - 1
            combo.insertItem(index, f"csv: {QtCore.QFileInfo(path).fileName()}", value)
            combo.setItemData(index, path, QtCore.Qt.ToolTipRole)
            self._fit_popup(combo)
        return index

    def set_batch_limit(self, n_train):
        """The training set has ``n_train`` rows: a larger batch size uses all of them.

        The requested batch size is kept (and saved); the control shows the one in use.
        """
        self._batch_limit = max(1, int(n_train))
        self._show_batch_use()

    def effective_batch_size(self):
        """The batch size a run uses: the requested one, at most the training rows."""
        requested = self.draft["batch_size"]
        return requested if self._batch_limit is None else min(requested, self._batch_limit)

    def _show_batch_use(self):
        """A note "(uses 120 = all training rows)" under the batch size when the batch is
        larger than the data (a line of its own: a suffix widened the panel)."""
        used = self.effective_batch_size()
        if used < self.draft["batch_size"]:
            self.batch_use_label.setText(
                glossary.ui_text("batch_uses", self.language).format(n=used))
            self.batch_use_label.show()
        else:
            self.batch_use_label.hide()

    # -- reactions ---------------------------------------------------------------------------

    def _on_widget(self, field):
        """A control was edited: its value goes to the draft (the dataset list's "Open CSV…"
        is a request, not a value)."""
        if self._showing:
            return
        value = self.value(field)
        if field == "dataset" and value == OPEN_CSV:
            self.valueChanged.emit(field, value)  # gui.files opens the file
            return
        self.draft.edit(field, value)

    def _on_draft_changed(self, field, value):
        if field in self.widgets:
            self._show(field, value)
        if field == "batch_size":
            self._show_batch_use()
        if field in ("dataset", "loss"):
            self.refresh_compatibility()
        if field in ("optimizer", "loss", "schedule", "linear_scaling", "epochs"):
            self._apply_rules()
        self.valueChanged.emit(field, value)

    def show_draft(self, field):
        """Show the draft's value of ``field`` again (the dataset list after a cancelled
        "Open CSV…")."""
        self._show(field, self.draft[field])

    def _show(self, field, value):
        """Show ``value`` (as the draft holds it) on ``field``'s control, not as an edit."""
        param = SPEC_BY_FIELD[field]
        widget = self.widgets[field]
        self._showing = True
        try:
            if param.widget == "choice":
                if field == "dataset" and value.startswith(spec.CSV_PREFIX):
                    index = self._csv_entry(value[len(spec.CSV_PREFIX):])
                else:
                    index = widget.findData(value, VALUE_ROLE)
                widget.setCurrentIndex(index)
            elif field == "epochs":
                if value is not None:
                    widget.setValue(int(value))
                self.until_paused.setChecked(value is None)
            elif param.widget in ("int", "float", "log"):
                if value is not None:
                    widget.setValue(value)
                elif field not in optimizers_fields():  # hidden until its optimizer is chosen
                    widget.setValue(_sentinel(param) if param.optional else param.default)
            elif param.widget == "layers":
                widget.setText(value if isinstance(value, str)
                               else ", ".join(str(v) for v in value))
            else:
                widget.setChecked(bool(value))
        finally:
            self._showing = False

    def _apply_rules(self):
        """Show the controls that apply to the chosen loss and optimizer; enable those the
        other settings use (:meth:`gui.model.draft.Draft.enabled`)."""
        draft = self.draft
        for param in SPECS:
            if param.applies is not None:
                present = draft.applies(param.name)
                self.widgets[param.name].setVisible(present)
                self.labels[param.name].setVisible(present)
        for name in (*DECAY_FIELDS, "base_batch_size", "epochs", *optimizers_fields()):
            self.widgets[name].setEnabled(draft.enabled(name))
        self._show_batch_use()

    def dataset_task(self, dataset):
        """The task of a dataset entry (:meth:`gui.model.draft.Draft.dataset_task`)."""
        return self.draft.dataset_task(dataset)

    def refresh_compatibility(self):
        """Mark losses that cannot train on the chosen dataset and datasets the loss can't use.

        The reason is each item's tooltip; marked items stay selectable so the user can read
        why (Start then explains instead of failing).
        """
        dataset = self.draft["dataset"]
        loss = self.draft["loss"]
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

    def _reason(self, dataset, loss):
        if not dataset or dataset == OPEN_CSV or not loss:
            return None
        return self.draft.incompatibility(dataset, loss)

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
        return self.draft.incompatibility()

    def show_pending(self, fields, reason=None):
        """Show the note listing changes that wait for Reset, and ``reason`` (why the settings
        cannot train) below it; hidden when there is neither."""
        parts = []
        if fields:
            names = ", ".join(glossary.label(field, self.language) for field in fields)
            parts.append(glossary.ui_text("pending", self.language).format(fields=names))
        if reason:
            parts.append(glossary.ui_text("incompatible", self.language).format(
                reason=tr(reason)))
        self.pending_label.setText("\n\n".join(parts))
        self.pending_label.setVisible(bool(parts))

    # -- language ----------------------------------------------------------------------------

    def retranslate(self):
        """Relabel every control and tooltip in the current language."""
        language = i18n.language()
        datasets_combo = self.widgets["dataset"]
        datasets_combo.setItemText(datasets_combo.findData(OPEN_CSV), tr(OPEN_CSV))
        self.widgets["hidden_layers"].setPlaceholderText(tr("e.g. 8, 8"))
        self.terms_box.setTitle(glossary.ui_text("group_terms", language))
        for key, section in self.sections.items():
            section.button.setText(glossary.ui_text(f"group_{key}", language))
        self.rate_list_button.setToolTip(glossary.ui_text("rate_list_tip", language))
        self.rate_list_button.setAccessibleName(glossary.ui_text("rate_list_tip", language))
        for field, widget in self.widgets.items():
            param = SPEC_BY_FIELD[field]
            tip = glossary.tooltip(param.glossary_key, language)
            if param.live:
                tip += tr("<br><i>live: {when}</i>", when=tr(param.live))
            widget.setToolTip(tip)
            self.labels[field].setToolTip(tip)
            self.labels[field].setText(glossary.label(param.glossary_key, language))
            if field in _NONE_TEXT:
                widget.setSpecialValueText(glossary.ui_text(_NONE_TEXT[field], language))
        self.regenerate_button.setText(glossary.label("regenerate", language))
        self.regenerate_button.setToolTip(glossary.tooltip("regenerate", language))
        self.until_paused.setText(glossary.ui_text("until_paused", language))
        self.until_paused.setToolTip(glossary.ui_text("until_paused_tip", language))
        self._show_batch_use()
        self.refresh_compatibility()


def optimizers_fields():
    """The controls that are optimizer hyperparameters (from the spec)."""
    return [param.name for param in SPECS if param.applies == "optimizer"]


class _WheelGuard(QtCore.QObject):
    """Event filter: a wheel over a spin box or drop-down without keyboard focus scrolls the
    panel instead of changing the setting (Qt's convention for forms in a scroll area)."""

    def __init__(self, scroll, parent):
        super().__init__(parent)
        self.scroll = scroll

    def eventFilter(self, watched, event):
        if event.type() == QtCore.QEvent.Wheel and not watched.hasFocus():
            if self.scroll.isAncestorOf(watched):
                QtCore.QCoreApplication.sendEvent(self.scroll.verticalScrollBar(), event)
            return True
        return False
