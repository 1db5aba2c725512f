"""Run > Sweep…: train one model many times over a field's values, and plot what came out.

The dialog (``sweepDialog``) is standalone: it takes a base :class:`engine.TrainingConfig` and
optionally a ``concurrent.futures.Executor``, and runs an :class:`engine.sweep.SweepRunner`
(worker processes by default; never the GUI thread). The runner's callbacks arrive on its
monitor thread and are passed on through queued Qt signals, so the dialog only touches widgets
on the GUI thread. ``sweepStarted(runner)``, ``runChunk(index, chunk)`` and
``runFinished(run)`` let the main window draw the race live and keep each finished run
(``gui.race``).

The result plot (``sweepPlot``) shows the final validation accuracy (classification) or loss
against the swept value -- log x when the values are positive and span 10x or more -- one line
per strategy with error bars over seeds, diverged runs as red crosses at the bottom.
:func:`save_sweep_png` renders the same plot offscreen for the headless ``sweep.png``.

Texts go through Qt's catalogue (``gui.i18n.tr``), in English and Korean like the rest of the app.
"""

from __future__ import annotations

import math
import os
import threading

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from engine.errors import ConfigError
from engine.sweep import STRATEGIES, Sweep, SweepRunner, numeric_fields, parse_values
from gui import i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.plots.menu_texts import retranslate_menus

STRATEGY_COLORS = {"fixed": (31, 119, 180), "linear": (255, 127, 14), "lars": (44, 160, 44),
                   "adam": (148, 103, 189)}
DIVERGED_COLOR = (214, 39, 40)

#: The strategies' names on the check boxes and in the plot's legend.
STRATEGY_NAMES = {"fixed": QT_TR_NOOP("fixed learning rate"),
                  "linear": QT_TR_NOOP("linear scaling + warm-up"),
                  "lars": QT_TR_NOOP("LARS"), "adam": QT_TR_NOOP("Adam")}
#: The result plot's y label per metric.
METRIC_NAMES = {"val_accuracy": QT_TR_NOOP("final validation accuracy"),
                "val_loss": QT_TR_NOOP("final validation loss")}
#: The form's row labels.
FORM_LABELS = {"field": QT_TR_NOOP("Field"), "values": QT_TR_NOOP("Values"),
               "strategies": QT_TR_NOOP("Strategies"), "seeds": QT_TR_NOOP("Seeds")}


def _log_x_fits(xs):
    xs = [x for x in xs if math.isfinite(x)]
    return bool(xs) and min(xs) > 0 and max(xs) / min(xs) >= 10


class SweepPlot(pg.PlotWidget):
    """The sweep's result: the metric against the swept value, one line per strategy."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sweepPlot")
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.2)
        item.getAxis("left").enableAutoSIPrefix(False)
        item.getAxis("bottom").enableAutoSIPrefix(False)
        self.legend = item.addLegend(offset=(-10, -10), labelTextSize="8pt")
        self.curves = {}
        self.error_bars = {}
        self.diverged_marks = None
        self.log_x = False
        self.result = None
        self._label_axes("batch_size", "val_accuracy")

    @property
    def language(self):
        """The current language (gui.i18n); the dialog draws this plot again when it changes."""
        return i18n.language()

    def _label_axes(self, field_name, metric):
        item = self.getPlotItem()
        item.setLabel("bottom", field_name)
        item.setLabel("left", tr(METRIC_NAMES[metric], self.language))
        item.setTitle(tr("Sweep result", self.language), size="10pt")

    def clear_result(self):
        """Remove every line, bar and mark."""
        item = self.getPlotItem()
        for curve in self.curves.values():
            item.removeItem(curve)
        for bars in self.error_bars.values():
            item.removeItem(bars)
        if self.diverged_marks is not None:
            item.removeItem(self.diverged_marks)
        self.curves, self.error_bars, self.diverged_marks = {}, {}, None
        self.legend.clear()
        self.result = None

    def show_result(self, result):
        """Draw an :class:`engine.sweep.SweepResult` (finished runs; the rest are skipped)."""
        self.clear_result()
        self.result = result
        item = self.getPlotItem()
        metric = result.metric
        self._label_axes(result.sweep.field, metric)
        summary = result.summary(metric)
        xs = [row["x"] for rows in summary.values() for row in rows]
        self.log_x = _log_x_fits(xs)
        item.setLogMode(x=self.log_x, y=False)
        self._tick_at_values(summary)
        lows = []
        for strategy, rows in summary.items():
            drawn = [row for row in rows if math.isfinite(row["mean"])]
            if not drawn:
                continue
            x = np.array([row["x"] for row in drawn])
            mean = np.array([row["mean"] for row in drawn])
            std = np.array([row["std"] for row in drawn])
            lows.append(float(np.min(mean - std)))
            color = STRATEGY_COLORS[strategy]
            curve = item.plot(x, mean, pen=pg.mkPen(color, width=2), symbol="o", symbolSize=7,
                              symbolBrush=pg.mkBrush(color), symbolPen=pg.mkPen(color),
                              name=tr(STRATEGY_NAMES[strategy], self.language))
            self.curves[strategy] = curve
            bars = pg.ErrorBarItem(x=np.log10(x) if self.log_x else x, y=mean, height=2 * std,
                                   beam=0.04 if self.log_x else 0.0, pen=pg.mkPen(color))
            item.addItem(bars)
            self.error_bars[strategy] = bars
        diverged_x = [run.x for run in result.runs if run.completed and run.diverged]
        if diverged_x:
            bottom = min(lows) if lows else 0.0
            self.diverged_marks = item.plot(
                diverged_x, [bottom] * len(diverged_x), pen=None, symbol="x", symbolSize=12,
                symbolBrush=pg.mkBrush(DIVERGED_COLOR), symbolPen=pg.mkPen(DIVERGED_COLOR),
                name=tr("diverged", self.language))
        item.enableAutoRange()


    def _tick_at_values(self, summary):
        """One labelled tick per swept value ("full (1437)" for the whole set), so a log axis
        does not crowd itself with minor labels."""
        ticks = {}
        for rows in summary.values():
            for row in rows:
                label = (f"{row['value']} ({row['x']:g})" if isinstance(row["value"], str)
                         else f"{row['x']:g}")
                ticks[math.log10(row["x"]) if self.log_x else row["x"]] = label
        self.getPlotItem().getAxis("bottom").setTicks([sorted(ticks.items()), []]
                                                      if ticks else None)


def save_sweep_png(result, path, width=900):
    """Render ``result``'s plot offscreen and save it as PNG (the headless ``sweep.png``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.export import save_image

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    plot = SweepPlot()
    plot.resize(int(width), int(width * 0.6))
    plot.show_result(result)
    plot.show()
    app.processEvents()
    save_image(plot, path, width)
    plot.close()
    plot.deleteLater()
    # processEvents() leaves deferred deletions alone: the plot would stay a top-level widget
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)


class _Bridge(QtCore.QObject):
    """Signals the runner's monitor thread emits; queued to the dialog's thread."""

    progress = QtCore.Signal(object)
    chunk = QtCore.Signal(int, object)
    run = QtCore.Signal(object)
    ended = QtCore.Signal()


class SweepDialog(i18n.Retranslating, QtWidgets.QDialog):
    """Run > Sweep…: choose a field, its values, strategies and seeds; run; see the result.

    Parameters
    ----------
    base_config : TrainingConfig
        Everything that is not swept.
    executor : concurrent.futures.Executor, optional
        Where the runs go; default a process pool (one process per core).
    pace : float, optional
        Steps per second for each run while someone watches the race (None: full speed);
        :meth:`set_pace` changes it during a sweep.

    Signals
    -------
    sweepStarted(object)
        The ``engine.sweep.SweepRunner`` of a sweep that starts (its ``points`` say what runs).
    runChunk(int, object)
        A running run's new batches and epochs (``engine.sweep.RunChunk``), keyed by its index.
    runFinished(object)
        An ``engine.sweep.RunResult`` as each run ends.
    sweepFinished(object)
        The ``engine.sweep.SweepResult`` (also after a cancel, with the runs kept).
    """

    sweepStarted = QtCore.Signal(object)
    runChunk = QtCore.Signal(int, object)
    runFinished = QtCore.Signal(object)
    sweepFinished = QtCore.Signal(object)

    def __init__(self, base_config, executor=None, parent=None, pace=None):
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.base_config = base_config
        self.executor = executor
        self.pace = pace
        self.runner = None
        self.result = None
        self.resize(760, 620)
        self._bridge = _Bridge()
        self._bridge.progress.connect(self._on_progress, QtCore.Qt.QueuedConnection)
        self._bridge.chunk.connect(self.runChunk, QtCore.Qt.QueuedConnection)
        self._bridge.run.connect(self.runFinished, QtCore.Qt.QueuedConnection)
        self._bridge.ended.connect(self._on_ended, QtCore.Qt.QueuedConnection)
        self._build()
        self.retranslate()

    def _build(self):
        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        self.field_combo = QtWidgets.QComboBox(objectName="sweepFieldCombo")
        self.field_combo.addItems(numeric_fields())
        self.field_combo.setCurrentText("batch_size")
        self.values_edit = QtWidgets.QLineEdit("8,32,128,512,full", objectName="sweepValuesEdit")
        strategies = QtWidgets.QHBoxLayout()
        self.strategy_checks = {}
        for name in STRATEGIES:
            check = QtWidgets.QCheckBox(objectName=f"sweepStrategy_{name}")
            check.setChecked(name in ("fixed", "linear", "lars"))
            strategies.addWidget(check)
            self.strategy_checks[name] = check
        self.seeds_spin = QtWidgets.QSpinBox(objectName="sweepSeedsSpin")
        self.seeds_spin.setRange(1, 100)
        self.seeds_spin.setValue(3)
        self.labels = {key: QtWidgets.QLabel() for key in FORM_LABELS}
        form.addRow(self.labels["field"], self.field_combo)
        form.addRow(self.labels["values"], self.values_edit)
        form.addRow(self.labels["strategies"], strategies)
        form.addRow(self.labels["seeds"], self.seeds_spin)
        layout.addLayout(form)
        row = QtWidgets.QHBoxLayout()
        self.start_button = QtWidgets.QPushButton(objectName="sweepStartButton")
        self.cancel_button = QtWidgets.QPushButton(objectName="sweepCancelButton")
        self.cancel_button.setEnabled(False)
        self.progress_bar = QtWidgets.QProgressBar(objectName="sweepProgressBar")
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress_bar, stretch=1)
        layout.addLayout(row)
        # why runs failed (a worker process died): said in the dialog, which stays usable
        self.message_label = QtWidgets.QLabel(objectName="sweepMessageLabel", wordWrap=True)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.plot = SweepPlot()
        layout.addWidget(self.plot, stretch=1)
        buttons = QtWidgets.QHBoxLayout()
        self.save_csv_button = QtWidgets.QPushButton(objectName="sweepSaveCsvButton")
        self.save_image_button = QtWidgets.QPushButton(objectName="sweepSaveImageButton")
        self.save_csv_button.setEnabled(False)
        self.save_image_button.setEnabled(False)
        buttons.addWidget(self.save_csv_button)
        buttons.addWidget(self.save_image_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_csv_button.clicked.connect(self._ask_save_csv)
        self.save_image_button.clicked.connect(self._ask_save_image)

    def retranslate(self):
        """Show every text in the current language (the plot's too: it is drawn here)."""
        language = i18n.language()
        retranslate_menus(self.plot)
        self.setWindowTitle(tr("Sweep", language))
        for key, label in self.labels.items():
            label.setText(tr(FORM_LABELS[key], language))
        self.values_edit.setToolTip(tr(
            "Comma-separated values (full = the whole training set for batch_size), or "
            "log:START:STOP:N for N log-spaced values.", language))
        for name, check in self.strategy_checks.items():
            check.setText(tr(STRATEGY_NAMES[name], language))
        self.start_button.setText(tr("Start sweep", language))
        self.cancel_button.setText(tr("Cancel", language))
        self.save_csv_button.setText(tr("Save results as CSV…", language))
        self.save_image_button.setText(tr("Save plot image…", language))
        if self.result is not None:  # a sweep ended: what the bar and the label say of it
            self._show_outcome()
        if self.plot.result is not None:
            self.plot.show_result(self.plot.result)
        else:
            self.plot._label_axes(self.field_combo.currentText(), "val_accuracy")

    # -- running -----------------------------------------------------------------------------

    def sweep(self):
        """The :class:`engine.sweep.Sweep` the controls describe (ConfigError if invalid)."""
        field_name = self.field_combo.currentText()
        strategies = tuple(name for name, check in self.strategy_checks.items()
                           if check.isChecked())
        if not strategies:
            raise ConfigError(tr("Choose at least one strategy.", self.language))
        values = parse_values(field_name, self.values_edit.text())
        return Sweep(self.base_config, field_name, values, strategies, self.seeds_spin.value())

    def start(self):
        """Start the sweep the controls describe; a bad setting is shown, not raised."""
        if self.runner is not None and not self.runner.done:
            return
        try:
            sweep = self.sweep()
            bridge = self._bridge
            self.runner = SweepRunner(sweep, self.executor,
                                      on_progress=bridge.progress.emit,
                                      on_chunk=bridge.chunk.emit, on_run=bridge.run.emit,
                                      pace=self.pace)
        except ValueError as exc:  # ConfigError is a ValueError
            QtWidgets.QMessageBox.warning(self, tr("Cannot start the sweep", self.language),
                                          tr(exc, self.language))
            return
        self.result = None
        self.plot.clear_result()
        self.message_label.hide()
        self.progress_bar.setRange(0, sweep.size)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(tr("{done}/{total} runs", self.language, done=0,
                                       total=sweep.size))
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.save_csv_button.setEnabled(False)
        self.save_image_button.setEnabled(False)
        self.sweepStarted.emit(self.runner)
        self._run_in_background()

    def _run_in_background(self):
        """Start the runner (process startup takes a while) and wait for it, on a helper
        thread; the end comes back through the queued ``ended`` signal."""
        runner = self.runner
        bridge = self._bridge

        def wait():
            try:
                runner.start()
                runner.wait()
            except Exception:  # noqa: BLE001 -- kept in runner and shown by _on_ended
                pass
            try:
                bridge.ended.emit()
            except RuntimeError:  # the app is closing and took the dialog with it
                pass

        self._waiter = threading.Thread(target=wait, name="sweep-dialog-wait", daemon=True)
        self._waiter.start()

    def set_pace(self, pace):
        """Steps per second for the runs (None: full speed), from now on."""
        self.pace = pace
        if self.runner is not None and not self.runner.done:
            self.runner.set_pace(pace)

    @property
    def running(self):
        """True while a sweep runs (started and not yet ended)."""
        return self.runner is not None and not self.runner.done

    def cancel(self):
        """Stop every run promptly; the finished ones are kept and plotted."""
        if self.runner is not None:
            self.runner.cancel()
            self.cancel_button.setEnabled(False)

    def wait(self, timeout=None):
        """Block until the running sweep has ended (tests, closing); True if it has."""
        return self.runner is None or self.runner.wait(timeout) is not None

    def _on_progress(self, progress):
        self.progress_bar.setMaximum(progress.total)
        self.progress_bar.setValue(progress.done)
        if progress.eta is None:
            label = tr("{done}/{total} runs", self.language, done=progress.done,
                       total=progress.total)
        else:
            label = tr("{done}/{total} runs, about {eta} left", self.language,
                       done=progress.done, total=progress.total,
                       eta=_duration(progress.eta, self.language))
        self.progress_bar.setFormat(label)

    def _on_ended(self):
        runner = self.runner
        if runner is None or not runner.done:
            return
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if runner.error is not None:
            QtWidgets.QMessageBox.warning(self, tr("Cannot start the sweep", self.language),
                                          tr(runner.error, self.language))
            return
        self.result = runner.result
        self.plot.show_result(self.result)
        self._show_outcome()
        self.save_csv_button.setEnabled(True)
        self.save_image_button.setEnabled(True)
        self.sweepFinished.emit(self.result)

    def _show_outcome(self):
        """How the sweep ended, and why runs failed, in the current language."""
        done = len([r for r in self.result.runs if r.completed])
        self.progress_bar.setFormat(
            tr("Cancelled: {done} runs kept", self.language, done=done)
            if self.result.cancelled else
            tr("Finished: {done} runs in {seconds:.1f} s", self.language, done=done,
               seconds=self.result.seconds))
        failed = self.result.failed
        if failed:
            self.message_label.setText(tr(
                "{failed} of {total} runs failed; the finished runs are kept. {reason}",
                self.language, failed=len(failed), total=len(self.result.runs),
                reason=failed[0].message))
            self.message_label.show()

    # -- saving ------------------------------------------------------------------------------

    def save_csv(self, path):
        """Write the results (one row per run) to ``path``, atomically."""
        self.result.to_csv(path)

    def save_image(self, path, width=None):
        """Save the result plot as PNG or SVG, by the extension of ``path``."""
        from gui.export import save_image
        save_image(self.plot, path, width)

    def _ask_save_csv(self):
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, tr("Save results as CSV…", self.language), "sweep.csv", tr("CSV (*.csv)"))
        if path:
            self._save(self.save_csv, path)

    def _ask_save_image(self):
        from gui.export import IMAGE_FILTER
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, tr("Save plot image…", self.language), "sweep.png", tr(IMAGE_FILTER))
        if path:
            self._save(self.save_image, path)

    def _save(self, save, path):
        try:
            save(path)
        except (OSError, ValueError) as exc:
            QtWidgets.QMessageBox.warning(self, tr("Sweep", self.language),
                                          tr(exc, self.language))

    def closeEvent(self, event):
        """Closing mid-sweep cancels it and waits for the workers to exit."""
        self.shutdown()
        super().closeEvent(event)

    def reject(self):
        self.shutdown()
        super().reject()

    def shutdown(self, timeout=30):
        """Cancel a running sweep and wait (up to ``timeout`` s) for it to end."""
        if self.runner is not None and not self.runner.done:
            self.runner.cancel()
            self.runner.wait(timeout)
        self.join_waiter()

    def join_waiter(self, timeout=1.0):
        """Let the helper thread that waited for the sweep end (it only signals the end)."""
        waiter = getattr(self, "_waiter", None)
        if waiter is not None and waiter is not threading.current_thread():
            waiter.join(timeout)


def _duration(seconds, language):
    if seconds < 60:
        return tr("{s} s", language, s=f"{seconds:.0f}")
    return tr("{m} min {s} s", language, m=f"{seconds // 60:.0f}", s=f"{seconds % 60:.0f}")


__all__ = ["SweepDialog", "SweepPlot", "save_sweep_png", "STRATEGY_NAMES"]
