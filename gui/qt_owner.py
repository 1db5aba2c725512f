"""Who deletes each Qt object: Qt, at a moment the app chooses, never the garbage collector.

A Qt object made from Python without a Qt parent is deleted when its Python wrapper is freed.
When that wrapper sits in a reference cycle (pyqtgraph's items all do), "freed" means "when
the cycle collector next runs": at any allocation, inside any Qt call that runs Python.
pyqtgraph makes such objects for every plot: each ``PlotItem``'s "Plot Options" menu and each
``ViewBox``'s menu, parentless top-level widgets (about 150 a window), kept only by their
item. Once the window was deleted, the collector deleted them later from wherever it ran;
in the full suite that was inside Qt's own loops over the widgets (a segfault in about one run
in eight, and a "pure virtual method called" abort).

:func:`install` makes each such menu belong to its item: it is deleted at once when Qt
deletes the item (with its scene, with its window), and the collector never deletes it.
:func:`delete_on_close` makes a top-level window delete itself, and everything it parents,
when it closes. :func:`dispose` closes and deletes a window now; at exit, every main window
still alive is disposed of before PySide's own clean-up runs.
"""

import atexit
import functools

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

#: Objects Qt deletes with their owner, by id: held here so the collector cannot delete them.
_held = {}
_installed = False


def delete_with(obj, owner):
    """``obj`` (a parentless QObject) is deleted when ``owner`` (a QObject) is, never before."""
    key = id(obj)
    _held[key] = obj
    owner.destroyed.connect(functools.partial(_delete, key))


def _delete(key, *_args):
    obj = _held.pop(key, None)
    if obj is not None and shiboken6.isValid(obj):
        shiboken6.delete(obj)


def held():
    """The objects that wait for their owner's deletion (a window's plots hold about 20)."""
    return list(_held.values())


def install():
    """Give every pyqtgraph menu made from now on to its plot item (safe to call again).

    pyqtgraph makes the menus in its constructors with no parent and no hook; a menu cannot
    have an item as its Qt parent (only a widget can parent a widget), so the item's
    ``destroyed`` signal deletes it. Written against pyqtgraph 0.13.7-0.14.0 (the
    requirements pin the versions tested): ``ViewBoxMenu(view)`` and ``PlotItem.ctrlMenu``.
    """
    global _installed
    if _installed:
        return
    from pyqtgraph.graphicsItems.PlotItem.PlotItem import PlotItem
    from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu

    menu_init = ViewBoxMenu.__init__

    @functools.wraps(menu_init)
    def view_box_menu_init(menu, view, *args, **kwargs):
        menu_init(menu, view, *args, **kwargs)
        delete_with(menu, view)

    plot_init = PlotItem.__init__

    @functools.wraps(plot_init)
    def plot_item_init(item, *args, **kwargs):
        plot_init(item, *args, **kwargs)
        delete_with(item.ctrlMenu, item)

    ViewBoxMenu.__init__ = view_box_menu_init
    PlotItem.__init__ = plot_item_init
    # atexit runs its functions last registered first: this one before PySide's clean-up
    atexit.register(_dispose_open_windows)
    _installed = True


def delete_on_close(window, delete=True):
    """``window`` is deleted (and all it parents) by the event loop once it has closed.

    Without it a closed window lives as long as the process: its children's signals hold
    Python callables that hold the window, references the collector cannot see (31 MB a
    window, issue 25 item 12). Called from ``closeEvent`` (``delete`` False keeps it)."""
    window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose, delete)


def _dispose_open_windows():
    """Top-level widgets still alive when the interpreter exits are closed and deleted."""
    dispose_all()


def dispose_all():
    """Close and delete every top-level widget now, while the interpreter still runs.

    Main windows go through :func:`dispose` (their workers stop first); any other top-level
    widget (a plot, a dialog, a network view made on its own, one whose ``deleteLater`` never
    reached an event loop) is deleted too: PySide's clean-up at exit would otherwise delete
    it, and its pyqtgraph items' Python overrides would run in a finalising interpreter (the
    full test suite ended with a segfault, exit 139, after its last test)."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        return
    release_clipboard()
    for widget in app.topLevelWidgets():
        if isinstance(widget, QtWidgets.QMainWindow) and shiboken6.isValid(widget):
            dispose(widget)
    for widget in app.topLevelWidgets():
        if shiboken6.isValid(widget) and _left_to_python(widget):
            widget.close()
            widget.deleteLater()
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


def _left_to_python(widget):
    """Whether ``widget`` would otherwise be deleted by PySide's clean-up at exit with Python
    code to run: a parentless window that nothing here holds, of a Python class or holding one.

    A plot's own menus, their submenus and option forms are not: Qt deletes them with their
    plot (or their owner when plain Qt classes do, with no Python to run). Deleting them first,
    in ``topLevelWidgets``' order (a hash's, different each run), crashed a stand-alone plot's
    destructor at exit in 8 runs of 12 (gdb: ``~QWidget`` -> ``QGraphicsScene::clear`` ->
    ``~QGraphicsWidget``)."""
    if widget.parent() is not None or any(widget is obj for obj in _held.values()):
        return False
    return any(map(_python_class, [widget, *widget.findChildren(QtCore.QObject)]))


def _python_class(obj):
    return not type(obj).__module__.startswith(("PySide6.", "shiboken6"))


def release_clipboard():
    """Hand the clipboard a copy of Copy Setup's contents made in C++ (the same text).

    The ``QMimeData`` Copy Setup made from Python belongs to the platform's clipboard, which
    deletes it in a C++ exit handler after the interpreter has gone; its Python wrapper is then
    told so with no interpreter, and the process crashed (gdb: ``QtGui`` exit handler ->
    ``Shiboken::Object::destroy`` -> ``_PyErr_Fetch`` with no thread state; exit 139 after
    the test suite's summary). The text form holds the command and the JSON, which Paste Setup
    reads, so nothing copied is lost."""
    clipboard = QtGui.QGuiApplication.clipboard()
    data = clipboard.mimeData() if clipboard is not None else None
    if data is not None and data.hasFormat("application/json"):
        clipboard.setText(data.text())


def dispose(window):
    """Close ``window`` (if it is not closed yet) and let Qt delete it now, with its scenes and
    their items, while the interpreter still runs.

    Left to the end of the process, PySide's clean-up at exit deletes the scenes, their items
    call Python overrides (a layout request reaches ``sizeHint``) from an interpreter being
    finalised, and the process crashed (issue 25 item 13). A window that stays open when
    asked to close (its worker inside a long batch) is not deleted: Qt would abort."""
    if window is not None and shiboken6.isValid(window):
        window.close()
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
