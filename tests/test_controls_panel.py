"""The control panel's shape (issue 23): the article's four terms in a group that never
scrolls away, the other settings in collapsible sections whose open/closed state is
remembered, the Playground's quick list of learning rates, "full" as a batch size, and Qt's
form conventions (the wheel scrolls the panel, Tab follows it)."""

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine import TrainingConfig
from tests.conftest import wait_until

pytestmark = pytest.mark.gui

TERMS = (("lossCombo", "Loss"), ("batchSizeSpin", "Batch size"), ("epochsSpin", "Epochs"),
         ("learningRateSpin", "Learning rate"))
SECTIONS = ("data", "model", "optimizer", "schedule", "regularisation")
PLAYGROUND_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]


@pytest.fixture
def window(shared_window):
    """The module's window, as a new one is shown: active (a window another test showed since
    took the focus; a Tab sent to no focused widget crashes), at its size, the panel
    scrolled to its top."""
    shared_window.resize(1280, 800)
    shared_window.activateWindow()
    wait_until(shared_window.isActiveWindow, 5000)
    shared_window.panel.findChild(QtWidgets.QScrollArea, "controlScroll").verticalScrollBar(
    ).setValue(0)
    QtWidgets.QApplication.processEvents()
    return shared_window


def scroll_ancestor(widget):
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def test_the_four_terms_share_one_group_above_the_scrolling_sections(window):
    group = window.findChild(QtWidgets.QGroupBox, "fourTermsGroup")
    assert group is not None and group.title() == "The four terms"
    for name, label in TERMS:
        widget = window.findChild(QtWidgets.QWidget, name)
        assert group.isAncestorOf(widget), name
        assert scroll_ancestor(widget) is None, name  # it cannot scroll away
        assert widget.toolTip().startswith(f"<b>{label}</b><br>"), name
    for key in SECTIONS:
        section = window.findChild(QtWidgets.QWidget, f"{key}Section")
        assert section is not None and scroll_ancestor(section) is not None, key
    titles = [window.findChild(QtWidgets.QToolButton, f"{key}SectionButton").text()
              for key in SECTIONS]
    assert titles == ["Data", "Model", "Optimizer", "Schedule", "Regularisation"]
    # every other control is in a section
    panel = window.panel
    for field, widget in panel.widgets.items():
        term = widget.objectName() in dict(TERMS)
        assert term or any(window.findChild(QtWidgets.QWidget, f"{key}Section").isAncestorOf(
            widget) for key in SECTIONS), field


def test_sections_open_and_close_and_are_remembered(make_window, settings_path):
    first = make_window()
    schedule = first.findChild(QtWidgets.QToolButton, "scheduleSectionButton")
    data = first.findChild(QtWidgets.QToolButton, "dataSectionButton")
    assert data.isChecked() and first.findChild(QtWidgets.QWidget, "datasetCombo").isVisible()
    data.click()
    assert not data.isChecked()
    assert not first.findChild(QtWidgets.QWidget, "datasetCombo").isVisible()
    if not schedule.isChecked():
        schedule.click()
    assert first.findChild(QtWidgets.QWidget, "scheduleCombo").isVisible()
    first.close()
    second = make_window(settings_path)
    assert not second.findChild(QtWidgets.QToolButton, "dataSectionButton").isChecked()
    assert not second.findChild(QtWidgets.QWidget, "datasetCombo").isVisible()
    assert second.findChild(QtWidgets.QToolButton, "scheduleSectionButton").isChecked()
    assert second.findChild(QtWidgets.QWidget, "scheduleCombo").isVisible()
    # a closed section's settings still count
    second.panel.set_value("dataset", "moons")
    assert TrainingConfig(**second.panel.config_kwargs()).dataset == "moons"


def test_the_learning_rate_offers_the_playground_list_beside_exact_entry(window):
    button = window.findChild(QtWidgets.QToolButton, "learningRateListButton")
    assert button is not None and button.toolTip()
    actions = button.menu().actions()
    assert [action.data() for action in actions] == PLAYGROUND_RATES
    assert [action.text() for action in actions][:3] == ["1e-05", "0.0001", "0.001"]
    actions[-2].trigger()
    assert window.panel.value("learning_rate") == 3.0
    spin = window.findChild(QtWidgets.QDoubleSpinBox, "learningRateSpin")
    spin.lineEdit().selectAll()
    spin.lineEdit().insert("0.0123")
    spin.interpretText()
    assert window.panel.value("learning_rate") == pytest.approx(0.0123)


def test_batch_size_accepts_full_and_shows_what_is_used_without_widening(window, qtbot):
    spin = window.findChild(QtWidgets.QSpinBox, "batchSizeSpin")
    panel_width = window.panel.minimumSizeHint().width()
    note = window.findChild(QtWidgets.QLabel, "batchUseLabel")
    assert not note.isVisible()
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "full")
    qtbot.keyClick(spin.lineEdit(), QtCore.Qt.Key_Return)
    assert spin.text() == "full"
    assert window.panel.value("batch_size") == spin.maximum()
    assert window.reset(quiet=True)
    n_train = window.panel.effective_batch_size()
    assert n_train < spin.maximum()
    assert note.isVisible() and note.text() == f"(uses {n_train} = all training rows)"
    assert spin.suffix() == ""
    assert window.panel.minimumSizeHint().width() == panel_width
    # the four terms stay wholly inside the panel
    for name, _label in TERMS:
        widget = window.findChild(QtWidgets.QWidget, name)
        right = widget.mapTo(window.panel, QtCore.QPoint(widget.width(), 0)).x()
        assert right <= window.panel.width(), name
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "32")
    qtbot.keyClick(spin.lineEdit(), QtCore.Qt.Key_Return)
    assert window.panel.value("batch_size") == 32 and not note.isVisible()


def wheel(widget, delta=-120):
    """One notch of the mouse wheel over the middle of ``widget``."""
    centre = QtCore.QPointF(widget.width() / 2, widget.height() / 2)
    event = QtGui.QWheelEvent(centre, widget.mapToGlobal(centre), QtCore.QPoint(0, 0),
                              QtCore.QPoint(0, delta), QtCore.Qt.NoButton,
                              QtCore.Qt.NoModifier, QtCore.Qt.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(widget, event)


@pytest.mark.parametrize("name", ["noiseSpin", "activationCombo", "learningRateSpin"])
def test_the_wheel_over_an_unfocused_control_scrolls_the_panel_not_the_value(window, name):
    window.resize(1024, 640)
    for key in SECTIONS:
        button = window.findChild(QtWidgets.QToolButton, f"{key}SectionButton")
        if not button.isChecked():
            button.click()
    QtWidgets.QApplication.processEvents()
    widget = window.findChild(QtWidgets.QWidget, name)
    window.findChild(QtWidgets.QWidget, "resetButton").setFocus()
    bar = window.panel.findChild(QtWidgets.QScrollArea, "controlScroll").verticalScrollBar()
    assert bar.maximum() > 0
    before, position = window.panel.config_kwargs(), bar.value()
    assert widget.focusPolicy() == QtCore.Qt.StrongFocus
    wheel(widget)
    assert window.panel.config_kwargs() == before
    if scroll_ancestor(widget) is not None:
        assert bar.value() > position
    widget.setFocus()
    assert widget.hasFocus()
    wheel(widget)
    assert window.panel.config_kwargs() != before  # a focused control takes the wheel


def test_tab_follows_the_panel_and_reaches_every_control(window):
    window.resize(1024, 640)
    for key in SECTIONS:
        button = window.findChild(QtWidgets.QToolButton, f"{key}SectionButton")
        if not button.isChecked():
            button.click()
    QtWidgets.QApplication.processEvents()
    panel = window.panel
    first = window.findChild(QtWidgets.QWidget, "lossCombo")
    first.setFocus()
    visited = [first]
    for _ in range(200):
        QtWidgets.QApplication.sendEvent(
            QtWidgets.QApplication.focusWidget(),
            QtGui.QKeyEvent(QtCore.QEvent.KeyPress, QtCore.Qt.Key_Tab, QtCore.Qt.NoModifier))
        current = QtWidgets.QApplication.focusWidget()
        if current is first or not panel.isAncestorOf(current):
            break
        visited.append(current)
    # each focusable control once, from the top of the panel down
    controls = [widget for widget in panel.findChildren(QtWidgets.QWidget)
                if widget.isVisibleTo(panel) and widget.isEnabled()
                and widget.focusPolicy() & QtCore.Qt.TabFocus
                and isinstance(widget, (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox,
                                        QtWidgets.QAbstractButton, QtWidgets.QLineEdit))
                and not isinstance(widget.parentWidget(), QtWidgets.QAbstractSpinBox)]
    assert set(controls) <= set(visited), sorted(
        w.objectName() for w in set(controls) - set(visited))
    tops = [widget.mapTo(panel, QtCore.QPoint(0, 0)).y() + (
        panel.scroll.verticalScrollBar().value() if scroll_ancestor(widget) else 0)
        for widget in visited]
    assert tops == sorted(tops), str(list(zip([w.objectName() for w in visited], tops)))


SCALED_CHECK = r"""
import json, sys
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication([])
from gui.main_window import MainWindow, MINIMUM_SIZE
window = MainWindow(QtCore.QSettings(sys.argv[1], QtCore.QSettings.IniFormat))
window.show()
problems = []
for language in ("en", "ko"):
    window.set_language(language)
    window.resize(*MINIMUM_SIZE)
    for _ in range(5):
        app.processEvents()
    panel = window.panel
    for widget in panel.findChildren(QtWidgets.QWidget):
        if not widget.isVisible() or widget.parentWidget() is None:
            continue
        if isinstance(widget, (QtWidgets.QLabel, QtWidgets.QAbstractButton,
                               QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox)):
            name = f"{language} {widget.objectName() or type(widget).__name__}"
            if isinstance(widget, QtWidgets.QLabel) and widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    problems.append(f"{name}: wrapped text cut")
            elif widget.width() < widget.minimumSizeHint().width():
                problems.append(f"{name}: {widget.width()} < {widget.minimumSizeHint().width()}")
            if widget.height() < widget.minimumSizeHint().height():
                problems.append(f"{name}: height {widget.height()}")
            right = widget.mapTo(panel, QtCore.QPoint(widget.width(), 0)).x()
            if right > panel.width():
                problems.append(f"{name}: past the panel's edge")
    for name in ("lossCombo", "batchSizeSpin", "epochsSpin", "learningRateSpin"):
        widget = window.findChild(QtWidgets.QWidget, name)
        bottom = widget.mapTo(window, QtCore.QPoint(0, widget.height())).y()
        if not widget.isVisible() or bottom > window.height():
            problems.append(f"{language} {name}: not in view")
print(json.dumps({"ratio": window.devicePixelRatioF(), "problems": problems}))
window.close()
"""


def test_at_twice_the_scale_nothing_in_the_panel_is_clipped(tmp_path):
    """QT_SCALE_FACTOR=2 (a high-DPI screen): every label, button, spin box and drop-down of
    the panel is at least its minimum size and inside the panel, and the four terms are in
    view, in English and Korean (a process of its own: the scale is read at start-up)."""
    import json
    import os
    import subprocess
    import sys
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", SCALED_CHECK, str(tmp_path / "s.ini")],
                          env=env, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ratio"] == 2.0
    assert result["problems"] == []
