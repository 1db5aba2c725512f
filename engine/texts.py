"""English texts of the engine's registries, marked for the GUI's translation catalogue.

A loss's note and formula, a dataset's description, class names and suggested settings are
written in English where the entry is declared. The engine stays Qt-free and monolingual:
:func:`QT_TRANSLATE_NOOP` returns its text unchanged and records it in :data:`MARKED`.
``pyside6-lupdate`` finds the calls by that name (the README's command scans ``engine/`` as
well as ``gui/``) and puts the texts in the catalogue's ``engine`` context, where the GUI's
:func:`gui.i18n.tr` finds a text of :data:`MARKED` when it is shown.
"""

from __future__ import annotations

#: Every text marked so far (the registries mark theirs when their module is imported).
MARKED: set[str] = set()


def QT_TRANSLATE_NOOP(context, text):  # noqa: N802 - the name lupdate recognises
    """Mark ``text`` for translation in ``context`` ("engine"); returns it unchanged."""
    MARKED.add(text)
    return text


__all__ = ["MARKED", "QT_TRANSLATE_NOOP"]
