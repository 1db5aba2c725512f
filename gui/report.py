"""The headless run's ``loss.png``: the app's own batch-loss and epoch-loss plots, offscreen.

The same widgets the window shows (:class:`gui.plots.BatchLossPlot`, :class:`gui.plots.EpochPlot`)
are filled from a finished :class:`engine.History` and grabbed into one picture, so a scripted
run looks exactly like a screenshot of the app.
"""

from __future__ import annotations

import os

import numpy as np


def save_loss_png(history, path, title="", width=1200):
    """Render ``history``'s batch loss (raw, smoothed, change markers) above its epoch losses."""
    if not os.environ.get("QT_QPA_PLATFORM"):  # set but empty, Qt looks for a screen: abort
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6 import QtCore, QtWidgets

    from gui.export import widget_png_bytes, write_atomically
    from gui.plots import BatchLossPlot, EpochPlot

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    page = QtWidgets.QWidget()
    page.setStyleSheet("background: white;")
    layout = QtWidgets.QVBoxLayout(page)
    if title:
        heading = QtWidgets.QLabel(title)
        heading.setStyleSheet("font-size: 11pt; color: black;")
        layout.addWidget(heading)

    batch = BatchLossPlot()
    batch.append(history.step, history.epoch, history.batch_loss.astype(np.float64))
    batch.set_expected_steps(history.n_steps)
    for event in history.events:
        batch.add_marker(event.step, event.label())
    if history.diverged is not None:
        batch.getPlotItem().setTitle(
            f"Batch loss — diverged at step {history.diverged.step}", size="10pt")
    epochs = EpochPlot("epochLossPlot", "Epoch loss", "loss", mark_best=True)
    epochs.append(history.train_loss, history.val_loss)
    epochs.set_expected_epochs(history.n_epochs)
    epochs.set_best_epoch(history.best_epoch)
    layout.addWidget(batch, stretch=3)
    layout.addWidget(epochs, stretch=2)

    page.resize(width, int(width * 0.62))
    # laid out and painted once, never shown: showing a window on the offscreen platform
    # prints "This plugin does not support propagateSizeHints()" (headless --quiet is quiet)
    page.grab()
    app.processEvents()
    batch.redraw()
    epochs.redraw()
    app.processEvents()
    page.grab()  # the axes take their labels' widths as they paint; the layout follows
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    write_atomically(path, widget_png_bytes(page))
    page.close()
    page.deleteLater()
    app.processEvents()
