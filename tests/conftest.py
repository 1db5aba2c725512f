"""Shared test setup.

Qt runs offscreen, and Qt's settings go to a temporary folder, both set before any Qt import.
Qt itself is imported only by the fixtures GUI tests use, so engine tests never load it.
"""

import contextlib
import fcntl
import functools
import gc
import glob
import multiprocessing
import os
import signal
import sys
import tempfile
import weakref

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Compiled modules are kept between runs (in __pycache__, which git ignores), as Python does by
# default, also where the environment turns that off (PYTHONDONTWRITEBYTECODE): there each
# pytest-xdist worker compiled and assertion-rewrote every module again at each run (its
# collection took 5.0 s of CPU; 1.5 s with the compiled files). The processes tests start
# read the files written here.
sys.dont_write_bytecode = False


def _numpy_on_one_blas_thread():
    """Load NumPy with its BLAS on one thread, in this process only.

    Under ``-n 2`` two workers share two cores, and each one's OpenBLAS kept a second thread
    spinning between products: the lesson, landscape and learning-rate-finder tests took
    86 s of CPU (143 s wall) with two BLAS threads a worker and 57 s (100 s) with one,
    back to back. BLAS reads the count when it loads; the variables are removed again, so
    the processes tests start (a fresh interpreter that checks the engine's own thread
    counts) get the library's default.
    """
    added = [name for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
             if name not in os.environ]
    for name in added:
        os.environ[name] = "1"
    try:
        import numpy  # noqa: F401 - loads BLAS now, with the count above
    finally:
        for name in added:
            del os.environ[name]


if "PYTEST_XDIST_WORKER" in os.environ and "numpy" not in sys.modules:
    _numpy_on_one_blas_thread()
# QSettings on Linux writes under XDG_CONFIG_HOME: never the user's real settings.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="losslab-test-config-")


class _QThreadRegistry:
    """Every QThread created from Python, held weakly, so a test's leftovers are found without
    scanning all objects.

    ``gc.get_objects()`` after every test cost 35 s of a 66 s run. Instead ``QThread.__init__``
    is wrapped the first time a test has loaded Qt (subclasses reach it through ``super()``);
    the threads created before that are found by one scan, then.
    """

    def __init__(self):
        self.threads = weakref.WeakSet()
        self.shared = weakref.WeakSet()  # the threads of a module's shared window
        self.installed = False

    def install(self):
        from PySide6.QtCore import QThread
        for obj in gc.get_objects():  # once: threads made before the wrapper existed
            if isinstance(obj, QThread):
                self.threads.add(obj)
        original = QThread.__init__
        threads = self.threads

        @functools.wraps(original)
        def init(thread, *args, **kwargs):
            original(thread, *args, **kwargs)
            threads.add(thread)
        QThread.__init__ = init
        self.installed = True

    def running(self):
        if "PySide6.QtCore" not in sys.modules:
            return []
        if not self.installed:
            self.install()
        from PySide6.QtCore import QThread
        main = QThread.currentThread()
        running = []
        for thread in list(self.threads):
            try:
                if thread is not main and thread not in self.shared and thread.isRunning():
                    running.append(thread)
            except RuntimeError:  # the C++ thread object is already deleted
                continue
        return running


qthreads = _QThreadRegistry()


def live_child_processes():
    """Child processes of this test process that are still running (not zombies): those
    multiprocessing started (a sweep's workers) and any other (a subprocess left behind)."""
    children = {child.pid: child for child in multiprocessing.active_children()}
    for task in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        try:
            with open(task) as handle:
                pids = [int(pid) for pid in handle.read().split()]
        except OSError:
            continue
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as handle:
                    state = handle.read().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in ("Z", "X"):
                children.setdefault(pid, None)
    for pid in _multiprocessing_helpers() | shared_processes:
        children.pop(pid, None)
    return children


def _multiprocessing_helpers():
    """multiprocessing's own long-lived helpers (resource tracker, fork server): they live as
    long as the test process by design."""
    from multiprocessing import forkserver, resource_tracker
    return {getattr(resource_tracker._resource_tracker, "_pid", None),
            getattr(forkserver._forkserver, "_forkserver_pid", None)} - {None}


@pytest.fixture(autouse=True)
def no_dangling_qthread_or_process():
    """Fail any test that leaves a QThread or a child process running (and stop them)."""
    yield
    running = qthreads.running()
    for thread in running:
        thread.quit()
        thread.wait(5000)
    children = live_child_processes()
    for pid, child in children.items():
        if child is not None:
            child.terminate()
            child.join(5)
        else:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    assert not running, f"test left {len(running)} QThread(s) running"
    assert not children, f"test left {len(children)} child process(es) running: {sorted(children)}"


@pytest.fixture(scope="session")
def workers_lock_path(tmp_path_factory):
    """A file the pytest-xdist workers of this run share (their temporary folders' parent,
    which pytest keeps per run), or None in a run without workers."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return None
    return tmp_path_factory.getbasetemp().parent / "alone.lock"


@pytest.fixture(autouse=True)
def alone_when_marked(request, workers_lock_path):
    """Under pytest-xdist (``-n 2``), a test marked ``alone`` runs while no test runs
    in the other worker: it times a whole process (close to exit within 2 s), which a busy
    neighbour on two cores made take 2-4 s. Every other test holds the lock shared."""
    path = workers_lock_path
    if path is None or request.node.get_closest_marker("alone_child") is not None:
        yield
        return
    alone = request.node.get_closest_marker("alone") is not None
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def alone_lock(workers_lock_path, tmp_path_factory):
    """For a test marked ``alone_child``: the path of a lock (str) that the processes the test
    starts take exclusively (``fcntl.flock``) for their timed part only: the workers' lock,
    so the other worker runs tests while such a process starts up (the test itself holds no
    lock, which would keep its own process waiting); without workers, a lock of its own, so
    processes started together still take turns."""
    if workers_lock_path is not None:
        return str(workers_lock_path)
    return str(tmp_path_factory.mktemp("alone") / "alone.lock")


#: Child processes a module's fixture keeps across its tests (their pids): not a test's
#: leftovers. The fixture ends them.
shared_processes = set()


@pytest.fixture(scope="session")
def kept_processes():
    """The set a module's fixture adds the pids of its processes to (and removes them from
    once it has ended them), so the test that starts them is not failed for leaving them."""
    return shared_processes


@pytest.fixture(autouse=True)
def english_afterwards():
    """A test may switch the process-wide language (gui.i18n.set_language); the next one
    starts in English."""
    yield
    i18n = sys.modules.get("gui.i18n")
    if i18n is not None and i18n.language() != i18n.DEFAULT_LANGUAGE:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def plot_menus_owned_by_their_plots():
    """pyqtgraph's menus belong to their plots (gui.qt_owner) in every test that makes a plot,
    as in the app (gui.app.run installs it), also when no module that installs it on import
    was loaded."""
    if "pyqtgraph" in sys.modules:
        from gui import qt_owner
        qt_owner.install()
    yield


@pytest.fixture(autouse=True)
def test_widgets_held_until_deleted(request):
    """A widget a test hands to ``qtbot.addWidget`` is held here until Qt has deleted it.

    pytest-qt holds such widgets weakly: a plot made on its own (no Qt parent), no longer
    referenced once the test function returned, was cyclic garbage until pytest-qt closed it,
    and a garbage collection in between deleted its view while its scene's items still
    referred to each other (a segfault in pytest-qt's event processing, in
    ``QGraphicsScene::itemsBoundingRect``; with ``gc.disable()`` the same run passed). Held,
    it is closed by pytest-qt, then deleted here, while the interpreter runs."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    qtbot = request.getfixturevalue("qtbot")
    held = []
    add_widget = qtbot.addWidget

    def add_and_hold(widget, **options):
        held.append(widget)
        return add_widget(widget, **options)
    qtbot.addWidget = add_and_hold
    yield
    from PySide6 import QtCore, QtWidgets
    import shiboken6
    for widget in held:
        if shiboken6.isValid(widget):
            widget.deleteLater()  # pytest-qt closed it (a second close fails on PlotWidget)
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    held.clear()


@pytest.fixture
def csv_parses():
    """``engine.datasets.csv_parses``: how often each CSV dataset was parsed, counted from an
    empty cache, as in a new process."""
    from engine import datasets
    datasets.clear_csv_cache()
    yield datasets.csv_parses
    datasets.clear_csv_cache()


@pytest.fixture
def loss_registry():
    """``engine.losses``' registry restored after the test, which may register a throwaway
    loss (``losses.register``)."""
    from engine import losses
    with losses.restoring_registry():
        yield


@pytest.fixture
def settings_path(tmp_path):
    """Path of a per-test INI settings file."""
    return str(tmp_path / "losslab-settings.ini")


@pytest.fixture
def messages(monkeypatch):
    """Record message boxes instead of showing them (a modal box would block the test)."""
    from PySide6.QtWidgets import QMessageBox
    shown = []
    for kind in ("warning", "critical", "information", "question"):
        def record(parent, title, text, *args, _kind=kind, **kwargs):
            shown.append((_kind, title, text))
            return QMessageBox.Ok
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(
        lambda parent, title, text: shown.append(("about", title, text))))
    return shown


def delete_windows(windows):
    """Close the ``windows`` still open and let Qt delete them all now (a closed window
    deletes itself, and everything it parents, once the event loop runs): no test leaves
    one for the garbage collector, nor for the next test's event processing."""
    import shiboken6
    from PySide6 import QtCore, QtWidgets
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


@pytest.fixture
def make_window(qtbot, settings_path, messages):
    """Factory for main windows using a temporary settings file; all closed and deleted at
    teardown.

    ``full_speed`` (the default) sets the pace control to "max": the app's default pace (30
    steps/s, for watching) would make every test that trains wait for it. Tests of the pace
    itself pass ``full_speed=False``."""
    from PySide6.QtCore import QSettings
    from gui import MainWindow
    windows = []

    def make(path=settings_path, full_speed=True):
        window = MainWindow(QSettings(path, QSettings.IniFormat))
        if full_speed:
            window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # "max"
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window, timeout=5000)
        windows.append(window)
        return window

    yield make
    delete_windows(windows)


@pytest.fixture
def window(make_window):
    """One shown main window."""
    return make_window()


def wait_until(condition, timeout_ms):
    """Run the event loop until ``condition()`` holds; fail after ``timeout_ms``."""
    from PySide6 import QtCore, QtWidgets
    deadline = QtCore.QDeadlineTimer(timeout_ms)
    while not condition():
        assert not deadline.hasExpired(), f"timed out after {timeout_ms} ms"
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One shown main window for the tests of a module that only read it or save what it
    shows: building a window takes most of such a test's time. Message boxes are recorded,
    not shown; its worker thread is expected to run between tests; closed and deleted after
    the module's last test."""
    from PySide6 import QtCore, QtWidgets
    from gui import MainWindow
    path = str(tmp_path_factory.mktemp("shared-window") / "losslab-settings.ini")
    with pytest.MonkeyPatch.context() as patch:
        for kind in ("warning", "critical", "information", "question"):
            patch.setattr(QtWidgets.QMessageBox, kind,
                          staticmethod(lambda *args, **kwargs: QtWidgets.QMessageBox.Ok))
        window = MainWindow(QtCore.QSettings(path, QtCore.QSettings.IniFormat))
        pace = window.findChild(QtWidgets.QComboBox, "paceCombo")
        pace.setCurrentIndex(pace.count() - 1)  # "max", as make_window
        window.resize(1280, 800)
        window.show()
        wait_until(window.isVisible, 5000)
        for thread in window.findChildren(QtCore.QThread):
            qthreads.shared.add(thread)
        yield window
        delete_windows([window])


def pytest_sessionfinish(session, exitstatus):
    """Delete every widget the tests left (pytest-qt's ``deleteLater`` of the last test's
    widgets never reaches an event loop) while the interpreter runs, as the app does at exit
    (gui.qt_owner): PySide's own clean-up would delete them with Python half gone. Each
    pytest-xdist worker does this for the widgets it made."""
    if "PySide6.QtWidgets" in sys.modules:
        from gui import qt_owner
        qt_owner.dispose_all()


def pytest_collection_modifyitems(config, items):
    """Skip ``@pytest.mark.slow`` tests unless a ``-m`` expression was given (``-m slow``)."""
    if config.option.markexpr:
        return
    skip = pytest.mark.skip(reason="slow stress variant: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
