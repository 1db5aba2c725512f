"""The status bar's run fields: epoch, step, loss, speed and ETA (objectNames
``epochStatusLabel`` ...), and the progress bar of a run under way (``progressBar``).

The speed is the current one (steps per second over the last few progress messages), not the
run's average; a stopped or finished run shows its average and how long it took.

:meth:`RunStatus.say` shows a message made from data (a finished run's summary, the name of a
run just kept) so that a language switch tells it again in the new language while it is shown:
a text put in the status bar as words stayed in the language it was written in (issue 24).
"""

import collections
import time

from PySide6 import QtWidgets

from gui import glossary
from gui.i18n import tr
from gui.model.labels import text as label_text
from gui.model.plan import duration, plan
from gui.session import RunState

FIELDS = (("epoch", 110), ("step", 100), ("loss", 120), ("speed", 110), ("eta", 90))


def ended_text(run, reason, language=None):
    """What the status bar says when ``run`` (a ``gui.session.CurrentRun``) ended by itself
    (``reason`` "finished" or "early_stopping"), in ``language`` (default: the current one)."""
    what = (tr("Early stopping: the validation loss stopped improving.", language)
            if reason == "early_stopping" else tr("Training finished.", language))
    text = tr("{what} {steps:,} steps in {duration}, {rate:,.0f} steps/s.", language, what=what,
              steps=run.step_count, duration=duration(run.wall_seconds),
              rate=run.steps_per_second)
    if run.notices:  # said during the run: a short run's end must not hide it
        text += " " + tr(run.notices[-1].message, language)
    return text


def kept_text(kept, language=None):
    """What the status bar says when ``kept`` (a ``gui.session.KeptRun``) was kept."""
    return glossary.ui_text("kept", language).format(label=label_text(kept.label, language))


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
        self.bar = bar
        self.said = None  # (render, text shown, when it ends) of the message last said
        self.samples = collections.deque(maxlen=64)  # (time, step count) per message
        window.session.run_started.connect(lambda _run: self.samples.clear())
        window.session.progressed.connect(
            lambda _run, progress: self.samples.append((time.perf_counter(),
                                                        progress.step_count)))

    def say(self, render, timeout_ms):
        """Show ``render(language)`` (None: the current language) in the status bar for
        ``timeout_ms``; told again in the new language when the language changes while it is
        still shown."""
        text = render(None)
        self.said = (render, text, time.monotonic() + timeout_ms / 1000)
        self.bar.showMessage(text, timeout_ms)

    def retranslate(self):
        """The fields, and the message :meth:`say` showed, in the current language for the
        rest of its time (nothing when another message replaced it or its time is up). The
        window's ``retranslate`` calls this: the status line holds texts made from data."""
        self.update()
        if self.said is None:
            return
        render, text, ends = self.said
        left = int((ends - time.monotonic()) * 1000)
        if left <= 0 or self.bar.currentMessage() != text:
            self.said = None
            return
        text = render(None)
        self.said = (render, text, ends)
        self.bar.showMessage(text, left)

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


__all__ = ["RunStatus", "duration", "ended_text", "kept_text"]
