"""What the worker reports about the current run, shown: its progress goes to the session,
its end and failures to the status bar, a message box or the lesson panel.

Why apart from the window: each report is a small decision (is this the current run? was the
divergence the lesson's point? a box or a status message?), and none of it is composition.
"""

import functools

from gui import glossary, messages
from gui.i18n import tr
from gui.status import ended_text


class RunReports:
    """The handlers of ``window``'s worker messages (Progress, RunEnd, Failed); ``window``
    gives its session, jobs, status bar, plots, lesson panel, run status and show_message."""

    def __init__(self, window):
        self.window = window
        for kind, handler in ((messages.Progress, self.progress),
                              (messages.RunEnd, self.run_ended),
                              (messages.Failed, self.failed)):
            window.jobs.on(kind, handler)

    def progress(self, progress):
        window = self.window
        if not window.session.apply_progress(progress):
            return
        for notice in progress.chunk.notices or ():  # e.g. accuracy stuck at chance: said
            window.statusBar().showMessage(tr(notice.message), 15000)

    def run_ended(self, end):
        window = self.window
        session = window.session
        if session.run is None or end.run_id != session.run.run_id:
            return
        lesson = window.lesson_panel
        expected = end.reason == "diverged" and lesson.expects_divergence()
        session.end_run(end.run_id, end.reason, end.message, end.diverged_step)
        run = session.run
        if end.reason == "diverged":
            at = end.diverged_step or run.step_count
            window.plots["batchLossPlot"].add_marker(at, tr("diverged at step {step}", step=at))
        if expected:  # the lesson step's result, said where the lesson is: no box to dismiss
            window.run_status.say(functools.partial(lesson.result_text,
                                                    result=lesson.last_result), 30000)
        elif end.reason == "diverged":
            window.show_message("warning", tr("Training diverged"),
                                tr("{message}\n\nThe curves up to that batch are kept. {advice}",
                                   message=end.message,
                                   advice=glossary.text('divergence', window.language)))
        elif end.reason in ("finished", "early_stopping"):
            window.run_status.say(functools.partial(ended_text, run, end.reason), 15000)
        elif end.reason == "error":
            window.show_message("critical", tr("Training error"), tr(end.message))
        window.run_status.update()

    def failed(self, failed):
        window = self.window
        if failed.title == "Cannot apply the change":
            window.statusBar().showMessage(tr(failed.message), 8000)
        else:
            window.show_message("critical", tr(failed.title), tr(failed.message))


__all__ = ["RunReports"]
