"""Help > Glossary: every term, loss and optimizer, each teaching entry with a "Try it".

"Try it" turns a definition into something seen: the four terms of the article open the lesson
that teaches them; a loss or an optimizer opens the lesson with a step using it, or -- when no
lesson does -- sets it on a dataset it suits (that dataset's suggested settings) and says so in
the status bar. What each entry opens is decided Qt-free by :func:`engine.lessons.try_it`; this
module shows the links and carries the choice out on the window.
"""

from __future__ import annotations

import html

from PySide6 import QtWidgets

from engine import lessons as engine_lessons
from engine import losses, optimizers
from gui import glossary
from gui.i18n import QT_TR_NOOP, tr

#: The scheme of the "Try it" links: ``try:KIND:NAME``.
SCHEME = "try"
TRY_IT = QT_TR_NOOP("Try it")


def try_it_entries():
    """``(kind, name)`` of every glossary entry that has a "Try it", in the dialog's order."""
    return ([("term", term) for term in engine_lessons.TERMS]
            + [("loss", name) for name in losses.names()]
            + [("optimizer", name) for name in optimizers.names()])


def _link(kind, name, language):
    return f'<a href="{SCHEME}:{kind}:{name}">{html.escape(tr(TRY_IT, language))}</a>'


class GlossaryDialog(QtWidgets.QDialog):
    """Every term of the glossary in the chosen language, and the notes on each loss and
    optimizer; ``try_it(kind, name)`` is called (after the dialog closes) when a "Try it" link
    is followed."""

    def __init__(self, language, parent=None, try_it=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Glossary"))
        self.resize(640, 640)
        self._try_it = try_it
        layout = QtWidgets.QVBoxLayout(self)
        self.browser = QtWidgets.QTextBrowser()
        self.browser.setObjectName("glossaryBrowser")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        with_try = {name for kind, name in try_it_entries() if kind == "term"}
        parts = []
        for key in sorted(glossary.TERMS, key=lambda k: glossary.label(k, language).lower()):
            link = f" {_link('term', key, language)}" if key in with_try else ""
            parts.append(f"<h3>{glossary.label(key, language)}</h3>"
                         f"<p>{glossary.text(key, language)}{link}</p>")
        parts.append(tr("<h2>Losses</h2>"))
        for name in losses.names():
            parts.append(f"<p><b>{name}</b>: {glossary.loss_note(name, language)} "
                         f"{_link('loss', name, language)}</p>")
        parts.append(tr("<h2>Optimizers</h2>"))
        for name in glossary.OPTIMIZER_NOTES:
            parts.append(f"<p><b>{name}</b>: {glossary.optimizer_note(name, language)} "
                         f"{_link('optimizer', name, language)}</p>")
        self.browser.setHtml("".join(parts))
        layout.addWidget(self.browser)
        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def links(self):
        """``(kind, name)`` of every "Try it" link the page shows, in page order."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                href = fragment.charFormat().anchorHref()
                if href.startswith(SCHEME + ":") and (not found or found[-1] != _parse(href)):
                    found.append(_parse(href))
                iterator += 1
            block = block.next()
        return found

    def follow(self, kind, name):
        """What clicking the "Try it" of (``kind``, ``name``) does: close, then try it."""
        self.accept()
        if self._try_it is not None:
            self._try_it(kind, name)

    def _follow(self, url):
        parsed = _parse(url.toString())
        if parsed is not None:
            self.follow(*parsed)


def _parse(href):
    parts = href.split(":", 2)
    if len(parts) != 3 or parts[0] != SCHEME:
        return None
    return parts[1], parts[2]


def try_entry(window, kind, name):
    """Carry out the "Try it" of glossary entry (``kind``, ``name``) on ``window``.

    A lesson is opened in the lesson panel (the status bar names the step that shows the
    entry); a configuration is set on the controls (a new model, not started) and the status
    bar says which dataset it is on and why. Returns the :class:`engine.lessons.TryIt`.
    """
    shown = engine_lessons.try_it(kind, name, window.lesson_panel.lessons)
    if shown.lesson is not None:
        window.open_lesson(shown.lesson.key)
        language = window.language
        lesson = shown.lesson.title(language)
        if shown.step is not None:
            message = tr("Lesson \u201c{lesson}\u201d: its step \u201c{step}\u201d shows {name}. "
                         "Press it to run.", lesson=lesson, step=shown.step.label(language),
                         name=name)
        else:
            message = tr("Lesson \u201c{lesson}\u201d opened: its steps show {term}.",
                         lesson=lesson, term=glossary.label(name))
        window.statusBar().showMessage(message, 15000)
        return shown
    if window.apply_lesson_config(shown.config):
        if kind == "loss":
            message = tr("Try it: loss {name} on {dataset}, with the suggested settings for "
                         "{dataset}. Press Start to train.", name=name, dataset=shown.dataset)
        else:
            message = tr("Try it: optimizer {name} at learning rate {rate} on {dataset}, with "
                         "the suggested settings for {dataset}. Press Start to train.",
                         name=name, rate=f"{shown.config.learning_rate:g}",
                         dataset=shown.dataset)
        window.statusBar().showMessage(message, 15000)
    return shown


__all__ = ["GlossaryDialog", "try_entry", "try_it_entries"]
