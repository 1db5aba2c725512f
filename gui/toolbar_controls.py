"""The run toolbar's two drop-downs: the pace (``paceCombo``: steps per second, or full speed)
and the plots' x axis (``xAxisCombo``: step, epoch, samples, seconds)."""

from PySide6 import QtWidgets

from gui import glossary
from gui.runs import X_MODES
from gui.window_settings import PACES


class ToolbarControls:
    """The pace and x-axis drop-downs on ``toolbar``; ``on_pace(pace)`` and
    ``on_x_axis(mode)`` are called when they change."""

    def __init__(self, toolbar, on_pace, on_x_axis):
        self.pace_label = QtWidgets.QLabel()
        self.pace_combo = QtWidgets.QComboBox()
        self.pace_combo.setObjectName("paceCombo")
        for pace in PACES:
            self.pace_combo.addItem(str(pace), pace)
        self.pace_combo.currentIndexChanged.connect(
            lambda _index: on_pace(self.pace_combo.currentData()))
        self.x_axis_label = QtWidgets.QLabel()
        self.x_axis_combo = QtWidgets.QComboBox()
        self.x_axis_combo.setObjectName("xAxisCombo")
        for mode in X_MODES:
            self.x_axis_combo.addItem(mode, mode)
        self.x_axis_combo.currentIndexChanged.connect(
            lambda _index: on_x_axis(self.x_axis_combo.currentData()))
        for widget in (self.pace_label, self.pace_combo, None, self.x_axis_label,
                       self.x_axis_combo):
            toolbar.addSeparator() if widget is None else toolbar.addWidget(widget)

    def set_pace(self, pace):
        """Choose ``pace`` (one of :data:`gui.window_settings.PACES`)."""
        self.pace_combo.setCurrentIndex(self.pace_combo.findData(pace))

    def retranslate(self):
        """The labels and items in the current language (the window's ``retranslate`` calls
        this: the toolbar is the window's)."""
        self.pace_label.setText(" " + glossary.ui_text("pace") + " ")
        self.x_axis_label.setText(" " + glossary.ui_text("x_axis") + " ")
        for index, pace in enumerate(PACES):
            self.pace_combo.setItemText(index, glossary.ui_text("pace_max") if pace is None
                                        else glossary.ui_text("pace_unit").format(pace=pace))
        for index, mode in enumerate(X_MODES):
            self.x_axis_combo.setItemText(index, glossary.ui_text(f"x_{mode}"))


__all__ = ["ToolbarControls"]
