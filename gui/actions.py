"""The window's actions, declared once.

Each :class:`Action` row says everything about one command of the window: its objectName
(the GUI contract's name, found with ``findChild(QAction, id)``), its text, shortcut, the menu
and group it sits in, its place on the run toolbar, its icon and tooltip, and the command it
calls. :func:`build` makes the ``QAction`` s, the menus and the toolbar from the table, and
:func:`retranslate` gives them their texts and tooltips in the current language; nothing else
lists the actions. This is the pattern of napari's app-model actions (an action is data; the
menus and keybindings are built from it).

The command is the dotted name of a method of the window (``"experiments.open_sweep"``; the
run buttons call the run commands, ``"commands.start_pause"``, :mod:`gui.model.commands`),
looked up when the action fires: the table stays plain data, and the window's parts may be
built after its actions. A command may also be a callable ``command(window)``: a job's row
builds its job (:class:`gui.worker.Job`) and sends it with ``window.jobs.submit``.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from gui import glossary
from gui.i18n import QT_TR_NOOP, tr
from gui.session import RunState

#: The menu bar's menus in order: (key, title, objectName).
MENUS = (
    ("file", QT_TR_NOOP("&File"), "fileMenu"),
    ("edit", QT_TR_NOOP("&Edit"), "editMenu"),
    ("run", QT_TR_NOOP("&Run"), "runMenu"),
    ("data", QT_TR_NOOP("&Data"), "dataMenu"),
    ("view", QT_TR_NOOP("&View"), "viewMenu"),
    ("help", QT_TR_NOOP("&Help"), "helpMenu"),
    ("lessons", QT_TR_NOOP("Lessons"), "lessonsMenu"),
)


@dataclass(frozen=True)
class Action:
    """One command of the window.

    ``menu`` is ``(menu key, group)``: a menu shows its actions in table order, with a
    separator between groups. ``toolbar`` is ``(group, order)`` on the run toolbar (None: not
    on it), ``button`` the objectName of its toolbar button. ``term`` names the glossary entry
    whose rich tooltip the action shows; ``tip`` is a tooltip of its own.
    """

    id: str
    text: str
    command: object
    menu: tuple = None
    shortcut: object = None
    toolbar: tuple = None
    button: str = None
    icon: str = None
    term: str = None
    tip: str = None
    checkable: bool = False
    role: object = None


_KEYS = QtGui.QKeySequence.StandardKey
ACTIONS = (
    Action("openCsvAction", QT_TR_NOOP("Open CSV…"), "files.open_csv", ("file", 0), _KEYS.Open),
    Action("loadConfigAction", QT_TR_NOOP("Load Config…"), "files.load_config", ("file", 0)),
    Action("saveConfigAction", QT_TR_NOOP("Save Config…"), "files.save_config", ("file", 0)),
    Action("saveImageAction", QT_TR_NOOP("Save Image…"), "files.save_image_dialog", ("file", 1),
           _KEYS.Save, toolbar=(2, 0), icon="SP_DialogSaveButton"),
    Action("openRunAction", QT_TR_NOOP("Open Run…"), "files.open_runs", ("file", 1)),
    Action("exportKerasAction", QT_TR_NOOP("Export as Keras script…"),
           "experiments.export_keras", ("file", 1),
           tip=QT_TR_NOOP("Write a Python script that trains the same model with Keras 3 (same "
                          "layers, loss, optimizer, schedule, batch size, epochs and data).")),
    Action("exportHistoryAction", QT_TR_NOOP("Export History CSV…"), "files.export_history",
           ("file", 1)),
    Action("exportRunsAction", QT_TR_NOOP("Export Runs…"), "files.export_runs", ("file", 1)),
    Action("quitAction", QT_TR_NOOP("Quit"), "close", ("file", 2), "Ctrl+Q",
           role=QtGui.QAction.MenuRole.QuitRole),
    Action("copySetupAction", QT_TR_NOOP("Copy Setup"), "setup_share.copy_setup", ("edit", 0),
           "Ctrl+Shift+C",
           tip=QT_TR_NOOP("Put the whole configuration on the clipboard: the headless command "
                          "line and the JSON of main.py --config.")),
    Action("pasteSetupAction", QT_TR_NOOP("Paste Setup"), "setup_share.paste_setup",
           ("edit", 0), "Ctrl+Shift+V",
           tip=QT_TR_NOOP("Apply a setup from the clipboard (a command line or a JSON config), "
                          "whole or not at all, and build its model.")),
    # Start from the toolbar or the menu always starts; the Space key (the window's own
    # shortcut) gives way to a focused text field.
    Action("startAction", QT_TR_NOOP("Start"), "commands.start_pause", ("run", 0), toolbar=(0, 0),
           button="startButton", icon="SP_MediaPlay", term="start"),
    Action("stepAction", QT_TR_NOOP("Step"), "commands.step", ("run", 0), toolbar=(0, 1),
           button="stepButton", icon="SP_MediaSeekForward", term="step"),
    Action("stopAction", QT_TR_NOOP("Stop"), "commands.stop", ("run", 0), QtCore.Qt.Key.Key_Escape,
           toolbar=(0, 2), button="stopButton", icon="SP_MediaStop", term="stop"),
    Action("resetAction", QT_TR_NOOP("Reset"), "commands.reset", ("run", 0), "Ctrl+R", toolbar=(0, 3),
           button="resetButton", icon="SP_BrowserReload", term="reset"),
    Action("keepRunAction", QT_TR_NOOP("Keep Run"), "commands.keep", ("run", 1), "Ctrl+K",
           toolbar=(1, 0), icon="SP_DialogApplyButton"),
    Action("removeRunAction", QT_TR_NOOP("Remove Selected Run"), "runs.remove_selected",
           ("run", 1)),
    Action("clearKeptAction", QT_TR_NOOP("Clear Kept Runs"), "runs.clear", ("run", 1)),
    Action("findLrAction", QT_TR_NOOP("Find Learning Rate…"), "lr_finding.find", ("run", 2),
           "Ctrl+L"),
    Action("sweepAction", QT_TR_NOOP("Sweep…"), "experiments.open_sweep", ("run", 2),
           "Ctrl+Shift+R",
           tip=QT_TR_NOOP("Train the model many times over a list of values of one setting "
                          "(batch size, learning rate, …), with strategies and seeds, in worker "
                          "processes; the runs race on the plots and each becomes a kept run.")),
    Action("suggestedSettingsAction", QT_TR_NOOP("Suggested Settings"),
           "commands.apply_suggested", ("data", 0)),
    Action("logYAction", QT_TR_NOOP("Log-scale batch loss"), "set_log_y",
           ("view", 0), checkable=True),
    Action("glossaryAction", QT_TR_NOOP("Glossary"), "show_glossary", ("help", 0),
           _KEYS.HelpContents),
    Action("aboutAction", QT_TR_NOOP("About LossLab"), "show_about", ("help", 0)),
    Action("landscapeAction", QT_TR_NOOP("Loss Landscape"), "lessons.show_landscape", ("lessons", 1),
           "Ctrl+Shift+G",
           tip=QT_TR_NOOP("The loss surface of a model with two numbers and the optimizer's "
                          "path over it, step by step")),
    Action("lossExplorerAction", QT_TR_NOOP("Loss Explorer"), "lessons.show_loss_explorer",
           ("lessons", 1), "Ctrl+Shift+E",
           tip=QT_TR_NOOP("Each loss and its gradient for one prediction, against a target "
                          "you choose")),
    Action("bringBackRunsAction", QT_TR_NOOP("Bring Back Set-Aside Runs"), "lessons.bring_back_runs",
           ("lessons", 2),
           tip=QT_TR_NOOP("Show again the kept runs that opening a lesson set aside (a lesson "
                          "shows its own runs only; nothing was deleted)")),
)


def _trigger(window, spec):
    command = spec.command

    def run(checked=False):
        if callable(command):  # a job's row: it builds the job and submits it
            return command(window)
        target = operator.attrgetter(command)(window)
        return target(checked) if spec.checkable else target()

    return run


def build(window):
    """The table's ``QAction`` s on ``window`` (each with its shortcut and command), the menu
    bar's menus and the run toolbar. Returns ``(actions by id, menus by key, toolbar)``."""
    actions = {}
    style = window.style()
    for spec in ACTIONS:
        action = QtGui.QAction(window)
        action.setObjectName(spec.id)
        action.setCheckable(spec.checkable)
        if spec.shortcut is not None:
            action.setShortcut(QtGui.QKeySequence(spec.shortcut))
        if spec.icon is not None:
            action.setIcon(style.standardIcon(getattr(QtWidgets.QStyle.StandardPixmap,
                                                      spec.icon)))
        if spec.role is not None:
            action.setMenuRole(spec.role)
        action.triggered.connect(_trigger(window, spec))
        window.addAction(action)
        actions[spec.id] = action
    menus = {}
    bar = window.menuBar()
    for key, _title, name in MENUS:
        menu = menus[key] = bar.addMenu("")
        menu.setObjectName(name)
        menu.setToolTipsVisible(True)
        group = None
        for spec in ACTIONS:
            if spec.menu is None or spec.menu[0] != key:
                continue
            if group is not None and spec.menu[1] != group:
                menu.addSeparator()
            group = spec.menu[1]
            menu.addAction(actions[spec.id])
    toolbar = QtWidgets.QToolBar(window)
    toolbar.setObjectName("runToolBar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    # The one set of run buttons (the control panel scrolls; the toolbar stays in view and
    # cannot be hidden from its context menu).
    toolbar.toggleViewAction().setVisible(False)
    window.addToolBar(toolbar)
    placed = sorted((spec for spec in ACTIONS if spec.toolbar is not None),
                    key=lambda spec: spec.toolbar)
    for spec in placed:
        toolbar.addAction(actions[spec.id])
        if spec.button is not None:
            toolbar.widgetForAction(actions[spec.id]).setObjectName(spec.button)
        if spec is placed[-1] or placed[placed.index(spec) + 1].toolbar[0] != spec.toolbar[0]:
            toolbar.addSeparator()
    return actions, menus, toolbar


def retranslate(actions, menus, toolbar, language=None):
    """The actions' texts and tooltips, the menus' titles and the toolbar's title in
    ``language`` (None: the current one); the window's ``retranslate`` calls this."""
    for spec in ACTIONS:
        action = actions.get(spec.id)
        if action is None:  # a row added after this window was built (a test's)
            continue
        action.setText(tr(spec.text, language))
        if spec.term is not None:
            action.setToolTip(glossary.tooltip(spec.term, language))
        elif spec.tip is not None:
            action.setToolTip(tr(spec.tip, language))
    for key, title, _name in MENUS:
        menus[key].setTitle(tr(title, language))
    toolbar.setWindowTitle(tr("Run", language))



def show_run_state(actions, state, run, language=None):
    """The Start action's text and icon (Start, Pause, Resume or Continue) and which of Step
    and Stop are enabled, for the session's ``state`` and current ``run``."""
    running = state == RunState.RUNNING
    if running:
        text, icon = glossary.ui_text("pause", language), "SP_MediaPause"
    elif state == RunState.PAUSED:
        text, icon = glossary.ui_text("resume", language), "SP_MediaPlay"
    elif run is not None and run.step_count > 0 and not run.finished:
        text, icon = glossary.ui_text("continue", language), "SP_MediaPlay"
    else:
        text, icon = glossary.label("start", language), "SP_MediaPlay"
    start = actions["startAction"]
    start.setText(text)
    start.setIcon(start.parent().style().standardIcon(
        getattr(QtWidgets.QStyle.StandardPixmap, icon)))
    actions["stepAction"].setEnabled(not running)
    actions["stopAction"].setEnabled(state in (RunState.RUNNING, RunState.PAUSED))


__all__ = ["Action", "ACTIONS", "MENUS", "build", "retranslate", "show_run_state"]
