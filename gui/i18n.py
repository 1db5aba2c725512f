"""Translations and fonts: every user-visible string in English and Korean.

Why Qt's own system. LossLab is a Qt application, and Qt's translators already work with
``.ts`` catalogues: Qt Linguist edits them, ``pyside6-lupdate`` extracts the strings from our
Python sources (it ships with PySide6-Essentials and parses Python), ``pyside6-lrelease``
compiles them into the ``.qm`` files that :class:`QtCore.QTranslator` loads, and Qt's own
dialog buttons ("Close", "OK") come translated from PySide6's ``qtbase_ko.qm``. A second
catalogue format (gettext) would have split the translators' work in two.

The catalogue: ``gui/translations/losslab_ko.ts`` (source; English text is the key, so an
English string needs no entry) and ``losslab_ko.qm`` (compiled, loaded at run time). After
adding or changing strings::

    pyside6-lupdate gui engine -extensions py -locations none -no-obsolete \\
        -ts gui/translations/losslab_ko.ts
    # translate the new entries (Qt Linguist, or the XML by hand), then
    pyside6-lrelease gui/translations/losslab_ko.ts -qm gui/translations/losslab_ko.qm

``tests/test_i18n.py`` fails when a string in the code has no finished translation or the
``.qm`` is older than the ``.ts``.

The API, small on purpose:

- ``tr("Saved {path}", path=path)``: the text in the current language, formatted with
  ``str.format``. Import it by name (``from gui.i18n import tr``) and call it with a literal
  first argument: that is what lupdate looks for (a call written ``i18n.tr`` lands in another
  context). Strings in tables are marked with :func:`QT_TR_NOOP` and translated when shown.
- ``set_language("ko")`` switches the language: it installs the translators on the
  application, and Qt sends every widget a LanguageChange event. Each widget that shows text
  relabels itself in its ``changeEvent`` (``if is_language_change(event): self.retranslate()``,
  Qt Designer's ``retranslateUi`` pattern); its ``retranslate`` also relabels what it owns that
  is no widget (actions, menus, the status line's message, pyqtgraph's items). A widget made
  later takes the current language when it is built.
- Engine messages stay English in the engine (it must not know about Qt or languages). The
  texts of its registries (a loss's note and formula, a dataset's description, class names and
  suggestion) are marked where they are declared (:mod:`engine.texts`), and :func:`tr` finds
  them in the catalogue's engine context. A message it raises or reports is an
  :class:`engine.messages.Message`: its English text that keeps its template (marked with
  ``QT_TRANSLATE_NOOP("engine", ...)`` where the engine declares it) and its fields. The GUI
  translates the template and formats it with the fields (:func:`message_text`); ``tr`` does
  this for such a message and for its parameters, so ``tr("Cannot start: {reason}",
  reason=error)`` needs nothing more. Nothing is parsed back from English.

English needs no Qt at all: this module imports QtCore only when a translation is looked up or
installed, so Qt-free modules (the session) may use the glossary.
"""

import collections
import weakref
from pathlib import Path

from engine import messages
from engine import texts as engine_texts

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
SOURCE_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
#: Hangul fallback font (SIL OFL 1.1, licence in the same folder). NanumGothic is the usual
#: Korean UI face and the hinted TrueType one among the Nanum fonts, which keeps it sharp at
#: 9-10 pt; regular only (4.7 MB): Qt synthesises bold, and hanja are not needed.
HANGUL_FONT = FONTS_DIR / "NanumGothic.ttf"
ENGINE_CONTEXT = "engine"
#: Formatted results kept for relabelling (static strings are kept without limit: the
#: catalogue bounds them); enough for every status field, marker and dialog text shown at once.
FORMATTED_MEMORY = 2048


def QT_TR_NOOP(text):  # noqa: N802 - the name lupdate recognises
    """Mark ``text`` for translation (lupdate extracts it) without translating it now."""
    return text


def QT_TRANSLATE_NOOP(context, text):  # noqa: N802 - the name lupdate recognises
    """Mark ``text`` for translation in ``context`` without translating it now."""
    return text


#: Titles gui/worker.py sends in its Failed messages (shown through tr()).
WORKER_TITLES = (QT_TR_NOOP("Cannot apply the change"), QT_TR_NOOP("Cannot export the history"),
                 QT_TR_NOOP("Training error"))

_state = {"language": DEFAULT_LANGUAGE}
_translators = {}
_installed = []
_fonts = {}
_static_sources = {}
_formatted_sources = collections.OrderedDict()
_shown = weakref.WeakKeyDictionary()


# -- looking up ----------------------------------------------------------------------------------

def language():
    """The current language code."""
    return _state["language"]


def tr(text, language=None, context="", **params):
    """Return ``text`` in ``language`` (default: the current one), formatted with ``params``.

    ``text`` may also be an engine message (an ``engine.messages.Message``, or an exception
    carrying one): it is translated from its template and fields (:func:`message_text`). A
    text of an engine registry (a loss's note, a dataset's description) is found in the
    catalogue's engine context. A text the catalogue does not know is returned as it is.
    Parameters that are engine messages are translated the same way; other values (names,
    paths, numbers) are formatted as they are.
    """
    language = language or _state["language"]
    if messages.of(text) is not None:
        return message_text(text, language)
    translated = _lookup(context, str(text), language)
    if translated is None and context == "" and str(text) in engine_texts.MARKED:
        translated = _lookup(ENGINE_CONTEXT, str(text), language)
    if translated is None:
        translated = str(text)
    if params:
        values = {name: message_text(value, language) if messages.of(value) is not None
                  else value for name, value in params.items()}
        result = translated.format(**values)
        _remember_formatted(result, (context, str(text), params))
    else:
        result = translated
        _static_sources[result] = (context, str(text), None)
    return result


def message_text(message, language=None):
    """An engine message (an ``engine.messages.Message``, or an exception carrying one) in
    ``language``: its template translated (the catalogue's engine context) and formatted with
    its fields, each field that is a message translated in turn. Anything else is shown as
    its English text (an exception raised with a plain string, a message read back from a
    file)."""
    language = language or _state["language"]
    found = messages.of(message)
    if found is None:
        return str(message)
    # the engine's templates are in the engine context; the GUI's own (QT_TR_NOOP) in ""
    template = (_lookup(ENGINE_CONTEXT, found.template, language)
                or _lookup("", found.template, language) or found.template)
    return template.format(**{
        name: message_text(value, language) if messages.of(value) is not None else value
        for name, value in found.fields.items()})


def _lookup(context, text, language):
    """The catalogue's translation of ``text``, the text itself in English, None if absent."""
    if language == SOURCE_LANGUAGE:
        return text
    translated = translator(language).translate(context, text)
    return translated or None


def has_translation(text, language, context=""):
    """True if the catalogue of ``language`` translates ``text`` (in ``context``)."""
    return language == SOURCE_LANGUAGE or _lookup(context, text, language) is not None


def translator(language):
    """The ``QTranslator`` holding LossLab's catalogue for ``language`` (loaded once)."""
    if language not in _translators:
        from PySide6 import QtCore

        loaded = QtCore.QTranslator()
        path = TRANSLATIONS_DIR / f"losslab_{language}.qm"
        if not loaded.load(str(path)):
            raise FileNotFoundError(f"no compiled catalogue for language {language!r}: {path}")
        _translators[language] = loaded
    return _translators[language]


def _remember_formatted(result, source):
    _formatted_sources[result] = source
    _formatted_sources.move_to_end(result)
    while len(_formatted_sources) > FORMATTED_MEMORY:
        _formatted_sources.popitem(last=False)


def source_of(text):
    """``(context, source, params)`` of a text :func:`tr` returned, or None if it did not."""
    return _formatted_sources.get(text) or _static_sources.get(text)


# -- switching -----------------------------------------------------------------------------------

def set_language(code):
    """Make ``code`` the current language: install its translators (Qt's way).

    Installing or removing a translator makes Qt post every widget a LanguageChange event;
    each widget that shows text relabels itself in its ``changeEvent`` (the ``retranslateUi``
    pattern of Qt Designer), and a widget's ``retranslate`` also relabels what it owns that
    is no widget (actions, menus, pyqtgraph's items). The same language again relabels too
    (English installs no translator, so the event is sent here; Qt merges it with the posted
    ones). The posted events are delivered here, at once: no frame shows a half-translated
    window, and a caller (a test) reads the new texts on return.
    """
    if code not in LANGUAGES:
        raise ValueError(f"language {code!r} is unknown; valid: {', '.join(LANGUAGES)}")
    _state["language"] = code
    app = install()
    if app is not None:
        from PySide6 import QtCore

        change = QtCore.QEvent.Type.LanguageChange
        QtCore.QCoreApplication.sendEvent(app, QtCore.QEvent(change))
        QtCore.QCoreApplication.sendPostedEvents(None, change)


def relabel(widget):
    """Label a new ``widget`` (a window just built) and everything it holds in the current
    language.

    With the current language's translators in place, Qt's LanguageChange is sent to this
    widget alone (a widget passes it on to its children): a switch relabels every window, a
    new window needs only its own texts. Relabelling every window for each new one cost a new
    window 0.08 s for itself and 0.08 s for each other window alive. Translators not in place
    yet (the first window, or a language set before the application existed) are installed
    by :func:`set_language`, which relabels everything."""
    if _state.get("installed") != _state["language"]:
        set_language(_state["language"])
        return
    from PySide6 import QtCore

    QtCore.QCoreApplication.sendEvent(widget,
                                      QtCore.QEvent(QtCore.QEvent.Type.LanguageChange))


class Retranslating:
    """A widget that relabels itself when the language changes: Qt's LanguageChange event
    calls its ``retranslate()`` (Qt Designer's ``retranslateUi`` pattern), which sets every
    text it shows, and what it owns that is no widget, in the current language. Listed
    before the Qt class among a widget's bases."""

    @property
    def language(self):
        """The current language: the texts this widget makes are in it."""
        return language()

    def changeEvent(self, event):
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)


def is_language_change(event):
    """True for Qt's LanguageChange event (a widget's ``changeEvent`` then retranslates)."""
    from PySide6 import QtCore

    return event.type() == QtCore.QEvent.Type.LanguageChange


def install(app=None):
    """Fonts and the current language's translators (ours and Qt's) on the application.

    Returns the application, or None when there is none yet. Installing a translator makes Qt
    send every widget a LanguageChange event, so Qt's own buttons relabel themselves.
    """
    from PySide6 import QtCore

    app = app or QtCore.QCoreApplication.instance()
    if app is None:
        return None
    install_fonts(app)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    code = _state["language"]
    if code != SOURCE_LANGUAGE:
        qt_own = QtCore.QTranslator(app)
        folder = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.TranslationsPath)
        if qt_own.load(f"qtbase_{code}", folder):
            _installed.append(qt_own)
        _installed.append(translator(code))
        for loaded in _installed:
            app.installTranslator(loaded)
    _state["installed"] = code
    return app


def install_fonts(app):
    """Load the shipped Hangul font and make it the fallback of the application's font.

    Latin text keeps the default font: the Hangul family is a substitution of the default
    font's real family, which Qt consults only for characters that family lacks. (Substituting
    the generic "Sans Serif", or listing both families, would draw Latin in NanumGothic too.)
    Returns the loaded families; safe to call more than once.
    """
    from PySide6 import QtGui

    if not isinstance(app, QtGui.QGuiApplication):
        return []
    if "families" not in _fonts:
        font_id = QtGui.QFontDatabase.addApplicationFont(str(HANGUL_FONT))
        _fonts["families"] = (QtGui.QFontDatabase.applicationFontFamilies(font_id)
                              if font_id >= 0 else [])
    families = _fonts["families"]
    if families:
        default_family = QtGui.QFontInfo(app.font()).family()
        if default_family not in families:
            QtGui.QFont.insertSubstitutions(default_family, families)
    return families


# -- relabelling pyqtgraph's items --------------------------------------------------------------

def relabel_plot_items(view):
    """Relabel the texts :func:`tr` produced on the items of ``view``'s scene (a pyqtgraph
    view): titles and legend entries (LabelItem), axis labels, infinite-line labels and free
    text items. pyqtgraph's items are no widgets, so no LanguageChange reaches them: the
    plot's ``retranslate`` calls this. Texts that did not come from :func:`tr` (run labels,
    numbers) are left alone.
    """
    import pyqtgraph as pg

    for item in view.scene().items():
        if isinstance(item, pg.LabelItem):
            _relabel(item, "text", lambda item=item: item.text, item.setText)
        elif isinstance(item, pg.AxisItem):
            def set_axis_label(text, axis=item):
                axis.labelText = text
                axis._updateLabel()  # setLabel() would also reset units and SI ranges

            _relabel(item, "label", lambda axis=item: axis.labelText, set_axis_label)
        elif isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None:
            _relabel(item, "label", lambda label=item.label: label.format, item.label.setFormat)
        elif isinstance(item, pg.TextItem) and not isinstance(item, pg.InfLineLabel):
            _relabel(item, "text", item.toPlainText, item.setPlainText)


def _relabel(owner, slot, get, set_):
    """Replace the text ``get()`` returns by its source in the current language.

    The source is what :func:`tr` was given; it is remembered per ``owner`` and ``slot``,
    because two sources may share a translation ("Learning rate" and "learning rate" are
    both 학습률) and only the item knows which one it showed.
    """
    text = get()
    if not isinstance(text, str) or not text:
        return
    shown = _shown.setdefault(owner, {})
    remembered = shown.get(slot)
    source = remembered[1] if remembered and remembered[0] == text else source_of(text)
    if source is None:
        return
    context, original, params = source
    new = tr(original, context=context, **(params or {}))
    shown[slot] = (new, source)
    if new != text:
        set_(new)
