"""The status bar's run fields: epoch, step, loss, speed and ETA (objectNames
``epochStatusLabel`` ...), and the progress bar of a run under way (``progressBar``).

The speed is the current one (steps per second over the last few progress messages), not the
run's average; a stopped or finished run shows its average and how long it took.
"""

import collections
import time

from PySide6 import QtWidgets

from gui.i18n import tr
from gui.model.plan import duration, plan
from gui.session import RunState

FIELDS = (("epoch", 110), ("step", 100), ("loss", 120), ("speed", 110), ("eta", 90))


class RunStatus:
    """The run's fields in ``window``'s status bar, read from its session and jobs."""

    def __init__(self, window):
        self.window = window
        bar = window.statusBar()
        self.labels = {}
        for key, width in FIELDS:
            label = QtWidgets.QLabel()
            label.setObjectName(f"{key}StatusLabel")
            label.setMinimumWidth(width)
            bar.addPermanentWidget(label)
            self.labels[key] = label
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setTextVisible(True)
        bar.addPermanentWidget(self.progress_bar)
        self.progress_bar.hide()
        self.samples = collections.deque(maxlen=64)  # (time, step count) per message
        window.session.run_started.connect(lambda _run: self.samples.clear())
        window.session.progressed.connect(
            lambda _run, progress: self.samples.append((time.perf_counter(),
                                                        progress.step_count)))

    def fit_started(self, step_count):
        """A fit starts at ``step_count``: the current speed counts from here."""
        self.samples.clear()
        self.samples.append((time.perf_counter(), step_count))

    def recent_rate(self):
        """Steps/s over the last few progress messages (the speed now, not the average)."""
        samples = self.samples
        if len(samples) >= 2:
            (t0, s0), (t1, s1) = samples[0], samples[-1]
            if t1 > t0:
                return (s1 - s0) / (t1 - t0)
        return 0.0

    def update(self):
        """Show the current run's fields (empty without a run)."""
        window = self.window
        run = window.session.run
        labels = self.labels
        if run is None:
            for label in labels.values():
                label.setText("")
            self.progress_bar.setValue(0)
            self.progress_bar.hide()
            return
        epochs = run.facts.epochs  # None: until stopped, so epochs done and no ETA
        samples = run.steps["samples"].view
        planned = plan(run.step_count, float(samples[-1]) if len(samples) else 0.0, run.epoch,
                       epochs, run.facts.n_train,
                       run.live.get("batch_size", run.config.batch_size))
        loss = run.last_loss
        texts = {
            "epoch": (tr("epoch {epoch}", epoch=run.epoch) if epochs is None else
                      tr("epoch {epoch}/{epochs}", epoch=min(run.epoch, epochs),
                         epochs=epochs)),
            "step": tr("step {step:,}", step=run.step_count),
            "loss": tr("loss {loss:.4g}", loss=loss) if loss == loss else tr("loss –"),
        }
        if window.jobs.fit_active:
            rate = self.recent_rate()
            remaining = planned.remaining or 0
            texts["speed"] = tr("{rate:,.0f} steps/s", rate=rate) if rate else tr("– steps/s")
            texts["eta"] = (tr("until stopped") if epochs is None else
                            tr("ETA {duration}", duration=duration(remaining / rate)) if rate
                            else tr("ETA –"))
        elif run.wall_seconds > 0:
            # a stopped or finished run shows how fast it went and how long it took
            texts["speed"] = tr("{rate:,.0f} steps/s", rate=run.steps_per_second)
            texts["eta"] = tr("took {duration}", duration=duration(run.wall_seconds))
        else:
            texts["speed"], texts["eta"] = tr("– steps/s"), tr("ETA –")
        for key, text in texts.items():
            if labels[key].text() != text:
                labels[key].setText(text)
        self.progress_bar.setValue(0 if epochs is None else int(1000 * planned.fraction))
        # only a run under way shows its bar: an ended run's 100 % said nothing the message
        # does not, and its 180 px cut the message off at 1024 px
        ongoing = window.session.state in (RunState.RUNNING, RunState.PAUSED) and epochs
        if self.progress_bar.isVisibleTo(window) != bool(ongoing):
            self.progress_bar.setVisible(bool(ongoing))


__all__ = ["RunStatus", "duration"]
