"""Run > Find Learning Rate: the LR range test from the current model's weights (a job on the
worker; a running fit stops first), its result in a dialog that can set the draft's rate."""

from engine import spec
from gui import glossary, messages
from gui import worker as jobs
from gui.i18n import tr
from gui.lr_dialog import LRFinderDialog


class LRFinding:
    """The LR finder of ``window`` (its session, commands, draft, jobs and status bar); the
    dialog (``dialog``) is made the first time a result arrives."""

    def __init__(self, window):
        self.window = window
        self.dialog = None

    def find(self):
        """Start the range test (a new model first when none is usable)."""
        window = self.window
        if window.session.run is None or window.commands.rebuild_pending:
            if not window.reset():
                return
        window.statusBar().showMessage(glossary.ui_text("finding_lr", window.language))
        window.jobs.submit(jobs.FindLearningRate({messages.LrFound: self._on_found}))

    def _on_found(self, found):
        window = self.window
        window.statusBar().clearMessage()
        if found.result.stopped:
            return
        if self.dialog is None:
            self.dialog = LRFinderDialog(window)
            self.dialog.useRate.connect(self.use_rate)
        self.dialog.show_result(found.result)
        self.dialog.show()

    def use_rate(self, rate):
        """The finder's suggestion in the draft, clamped (with a message) to the spec's
        range."""
        param = spec.get("learning_rate")
        low, high = param.minimum, param.maximum
        if not low <= rate <= high:
            clamped = min(max(rate, low), high)
            self.window.statusBar().showMessage(
                tr("The suggested rate {rate:.3g} is outside the control's range "
                   "({low:g} to {high:g}); using {clamped:g}.", rate=rate, low=low, high=high,
                   clamped=clamped), 8000)
            rate = clamped
        self.window.draft.set("learning_rate", rate)


__all__ = ["LRFinding"]
