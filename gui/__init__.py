"""LossLab's desktop interface (PySide6 + pyqtgraph) over the NumPy engine.

``MainWindow`` is imported on first use (module ``__getattr__``), so ``import gui.session``
-- the app's Qt-free state -- loads no Qt.
"""

__all__ = ["MainWindow"]


def __getattr__(name):
    if name == "MainWindow":
        from gui.main_window import MainWindow
        return MainWindow
    raise AttributeError(f"module 'gui' has no attribute {name!r}")
