"""LossLab's desktop interface (PySide6 + pyqtgraph) over the NumPy engine."""

from gui.main_window import MainWindow

__all__ = ["MainWindow"]
