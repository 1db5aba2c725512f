"""The headless run's ``loss.png``: batch and epoch losses drawn by pyqtgraph, offscreen.

Also home of :func:`ema_debiased`, the smoothing TensorBoard applies to scalar curves.
"""

from __future__ import annotations

import os

import numpy as np


def ema_debiased(values, weight):
    """TensorBoard's smoothing: an exponential moving average divided by ``1 - weight**n``.

    ``s_n = (w s_{n-1} + (1 - w) v_n)`` from ``s_0 = 0``, reported as ``s_n / (1 - w**n)`` so the
    start is not pulled toward 0. Non-finite values are carried through as NaN. Vectorised in
    blocks: within a block the recurrence has the closed form ``w**t * (s_0 + (1 - w) *
    cumsum(v_i / w**i))``, and the block length keeps ``w**-t`` far from overflow.

    Parameters
    ----------
    values : ndarray, shape (n,)
    weight : float in [0, 1)

    Returns
    -------
    ndarray, shape (n,), float64
    """
    values = np.asarray(values, dtype=np.float64)
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"smoothing weight must be in [0, 1), got {weight!r}")
    if weight == 0.0 or values.size == 0:
        return values.copy()
    block = max(1, min(4096, int(200.0 / -np.log10(weight))))
    out = np.empty_like(values)
    state = 0.0
    for start in range(0, values.size, block):
        chunk = values[start:start + block]
        powers = weight ** np.arange(1, chunk.size + 1)
        running = powers * (state + (1.0 - weight) * np.cumsum(chunk / powers))
        out[start:start + chunk.size] = running
        state = running[-1]
    steps = np.arange(1, values.size + 1)
    return out / -np.expm1(steps * np.log(weight))


CURVE_COLORS = {"raw": (31, 119, 180, 70), "train": (31, 119, 180), "val": (214, 39, 40),
                "marker": (120, 120, 120), "best": (44, 160, 44)}


def _style(plot, xlabel, ylabel):
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLabel("bottom", xlabel)
    plot.setLabel("left", ylabel)
    plot.getAxis("left").enableAutoSIPrefix(False)


def save_loss_png(history, path, title="", width=1200, smoothing=0.6):
    """Render ``history``'s batch loss (raw and smoothed) and epoch losses to a PNG file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from pyqtgraph.exporters import ImageExporter
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    layout = pg.GraphicsLayoutWidget()
    layout.resize(width, int(width * 0.6))
    if title:
        layout.addLabel(title, row=0, col=0)
    batch_plot = layout.addPlot(row=1, col=0, title="Loss per batch")
    epoch_plot = layout.addPlot(row=2, col=0, title="Loss per epoch")
    for plot, xlabel in ((batch_plot, "step"), (epoch_plot, "epoch")):
        _style(plot, xlabel, "loss")

    steps, losses = history.step, history.batch_loss.astype(np.float64)
    finite = np.isfinite(losses)
    batch_plot.plot(steps[finite], losses[finite], pen=pg.mkPen(CURVE_COLORS["raw"], width=1))
    if finite.any():
        batch_plot.plot(steps[finite], ema_debiased(losses[finite], smoothing),
                        pen=pg.mkPen(CURVE_COLORS["train"], width=2), name="smoothed")
    for event in history.events:
        line = pg.InfiniteLine(event.step, angle=90, label=event.label(),
                               pen=pg.mkPen(CURVE_COLORS["marker"], style=QtCore.Qt.PenStyle.DashLine),
                               labelOpts={"position": 0.9, "color": CURVE_COLORS["marker"]})
        batch_plot.addItem(line)

    epochs = np.arange(1, history.n_epochs + 1)
    epoch_plot.addLegend(offset=(-10, 10))
    symbol = "o" if history.n_epochs <= 60 else None
    epoch_plot.plot(epochs, history.train_loss, pen=pg.mkPen(CURVE_COLORS["train"], width=2),
                    symbol=symbol, symbolSize=5, name="train")
    if not np.all(np.isnan(history.val_loss)):
        epoch_plot.plot(epochs, history.val_loss, pen=pg.mkPen(CURVE_COLORS["val"], width=2),
                        symbol=symbol, symbolSize=5, symbolBrush=CURVE_COLORS["val"],
                        name="validation")
    best = history.best_epoch
    if best is not None:
        epoch_plot.addItem(pg.InfiniteLine(best, angle=90, label=f"best epoch {best}",
                                           pen=pg.mkPen(CURVE_COLORS["best"], style=QtCore.Qt.PenStyle.DashLine),
                                           labelOpts={"position": 0.5, "color": CURVE_COLORS["best"]}))
    if history.diverged is not None:
        batch_plot.setTitle(f"Loss per batch — diverged at step {history.diverged.step}")
    layout.show()
    app.processEvents()
    exporter = ImageExporter(layout.scene())
    exporter.parameters()["width"] = width
    exporter.export(path)
    layout.close()
    layout.deleteLater()
    app.processEvents()
