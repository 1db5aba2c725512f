"""pyqtgraph's own texts on a plot's right-click menus, in the current language.

pyqtgraph writes them once, when a plot is made, through ``QCoreApplication.translate`` with
its own contexts ("ViewBox", "PlotItem", "GraphicsScene"), so our catalogue serves them; it
never writes them again. A plot's ``retranslate`` calls :func:`retranslate_menus`. The forms
inside its axis and plot-option submenus (Qt Designer files) are not translated.
"""

import pyqtgraph as pg

from gui.i18n import QT_TR_NOOP, QT_TRANSLATE_NOOP, tr

EXPORT = QT_TRANSLATE_NOOP("GraphicsScene", "Export...")
VIEW_BOX = (QT_TRANSLATE_NOOP("ViewBox", "ViewBox options"),
            QT_TRANSLATE_NOOP("ViewBox", "View All"),
            QT_TRANSLATE_NOOP("ViewBox", "Mouse Mode"),
            QT_TRANSLATE_NOOP("ViewBox", "3 button"),
            QT_TRANSLATE_NOOP("ViewBox", "1 button"))
#: ViewBoxMenu writes f"{axis} {translate('ViewBox', 'axis')}"; these are the whole titles
AXES = (QT_TR_NOOP("X axis"), QT_TR_NOOP("Y axis"))
PLOT_OPTIONS = QT_TRANSLATE_NOOP("PlotItem", "Plot Options")
#: The plot-option submenus, in pyqtgraph's order
PLOT_SUBMENUS = (QT_TRANSLATE_NOOP("PlotItem", "Transforms"),
                 QT_TRANSLATE_NOOP("PlotItem", "Downsample"),
                 QT_TRANSLATE_NOOP("PlotItem", "Average"),
                 QT_TRANSLATE_NOOP("PlotItem", "Alpha"),
                 QT_TRANSLATE_NOOP("PlotItem", "Grid"),
                 QT_TRANSLATE_NOOP("PlotItem", "Points"))


def retranslate_menus(view):
    """The right-click menus of ``view`` (a pyqtgraph GraphicsView) and of its scene's view
    boxes and plot items in the current language."""
    scene = view.scene()
    for action in getattr(scene, "contextMenu", ()):
        action.setText(tr(EXPORT, context="GraphicsScene"))
    for item in scene.items():
        if isinstance(item, pg.ViewBox) and item.menu is not None:
            _view_box_menu(item.menu)
        elif isinstance(item, pg.PlotItem) and item.ctrlMenu is not None:
            menu = item.ctrlMenu
            menu.setTitle(tr(PLOT_OPTIONS, context="PlotItem"))
            submenus = [action.menu() for action in menu.actions() if action.menu() is not None]
            for submenu, title in zip(submenus, PLOT_SUBMENUS):
                submenu.setTitle(tr(title, context="PlotItem"))


def _view_box_menu(menu):
    title, view_all, mouse_mode, three_button, one_button = (
        tr(text, context="ViewBox") for text in VIEW_BOX)
    menu.setTitle(title)
    menu.viewAll.setText(view_all)
    submenus = [action.menu() for action in menu.actions() if action.menu() is not None]
    for submenu, text in zip(submenus, AXES + (mouse_mode,)):
        submenu.setTitle(tr(text) if text in AXES else text)
    menu.mouseModes[0].setText(three_button)
    menu.mouseModes[1].setText(one_button)


__all__ = ["retranslate_menus"]
