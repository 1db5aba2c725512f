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
  them in the catalogue's engine context. Other messages are translated by template: :data:`ENGINE_MESSAGES` holds the engine's message formats with
  named fields; a message that matches one is translated and its fields translated in turn
  (nested templates, words such as task names, comma-separated lists). ``tr`` does this for its
  string and exception parameters, so ``tr("Cannot start: {reason}", reason=error)`` needs
  nothing more; :func:`engine_message` does it for a bare message.

English needs no Qt at all: this module imports QtCore only when a translation is looked up or
installed, so Qt-free modules (the session) may use the glossary.
"""

import collections
import re
import string
import weakref
from pathlib import Path

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


#: The engine's messages (engine/*.py), as format strings with named fields. The engine keeps
#: its wording; when it changes, tests/test_i18n.py's engine-message test names the message.
ENGINE_MESSAGES = (
    QT_TRANSLATE_NOOP("engine", "worker process {pid} died ({what}) while running this task"),
    QT_TRANSLATE_NOOP("engine", "worker process {pid} was ended before its task finished"),
    QT_TRANSLATE_NOOP("engine", "killed by {signal}"),
    QT_TRANSLATE_NOOP("engine", "exit status {status}"),
    QT_TRANSLATE_NOOP("engine", "no exit status"),
    QT_TRANSLATE_NOOP("engine", "Accuracy has stayed at chance level ({accuracy}; always guessing "
                                "the most common class gives {chance}) for {epochs} epochs while "
                                "the loss swings between {low} and {high}: the network is not "
                                "learning. The learning rate ({lr}) is probably too high for it "
                                "to settle; try 3-10x lower."),
    QT_TRANSLATE_NOOP("engine", "loss '{loss}' does not fit dataset '{dataset}': '{dataset}' is "
                                "{kind} dataset and '{loss}' suits {suited} tasks."),
    QT_TRANSLATE_NOOP("engine", "loss '{loss}' does not fit dataset '{dataset}': '{dataset}' is "
                                "{kind} dataset and '{loss}' suits {suited} tasks"),
    QT_TRANSLATE_NOOP("engine", "output_activation: {problem}"),
    QT_TRANSLATE_NOOP("engine", "loss {name} is unknown; valid losses: {valid} (aliases: "
                                "{aliases})"),
    QT_TRANSLATE_NOOP("engine", "loss '{loss}' does not suit a {task} task; it suits {suited}"),
    QT_TRANSLATE_NOOP("engine", "loss '{loss}' needs {needs}; output activation '{activation}' "
                                "can produce values where it is undefined (NaN). Use one of: "
                                "{valid}"),
    QT_TRANSLATE_NOOP("engine", "The loss became {what} at step {step}: the learning rate "
                                "({lr}) is probably too high. The weights jumped past the "
                                "minimum and kept growing. Lower the learning rate (try 10x "
                                "smaller) and reset."),
    QT_TRANSLATE_NOOP("engine", "meaningless (weights beyond {limit})"),
    QT_TRANSLATE_NOOP("engine", "The {what} at step {step} (learning rate {lr}): the learning rate "
                                "is probably too high. Each step jumped past the minimum, and the "
                                "loss and the weights kept growing. Try a 10x lower learning rate "
                                "({lower}) and reset.{advice}"),
    QT_TRANSLATE_NOOP("engine", "loss rose to {loss} (smoothed {smoothed}, more than {factor}x "
                                "its best smoothed value {best})"),
    QT_TRANSLATE_NOOP("engine", "weights grew beyond {limit}"),
    QT_TRANSLATE_NOOP("engine", "With a large batch ({batch}) a high rate needs a warm-up: set "
                                "warmup epochs (e.g. 5) so the rate grows to its target."),
    QT_TRANSLATE_NOOP("engine", "Linear scaling multiplied the rate by {factor} (batch {batch} / "
                                "base {base}): warm up, or scale less (a larger base batch size)."),
    QT_TRANSLATE_NOOP("engine", "a whole number from {low} to {high}"),
    QT_TRANSLATE_NOOP("engine", "a number in {interval}"),
    QT_TRANSLATE_NOOP("engine", "one of {valid}"),
    QT_TRANSLATE_NOOP("engine", "the loss blew up at once: at step {step} of the range test, "
                                "learning rate {lr}, the loss {what}. The test needs a few steps "
                                "of falling loss at small rates. Lower start_lr (now {start_lr}, "
                                "try 100x smaller); if the loss is already huge at the first "
                                "step, check the data and the loss (e.g. unscaled targets)."),
    QT_TRANSLATE_NOOP("engine", "had risen from {first} to {last}"),
    QT_TRANSLATE_NOOP("engine", "{field} {old} → {new}"),
    QT_TRANSLATE_NOOP("engine", "hidden_layers must be positive layer sizes (1..4096) such as "
                                "'8, 8', got {value}"),
    QT_TRANSLATE_NOOP("engine", "hidden_layers: at most 10 hidden layers, got {count}"),
    QT_TRANSLATE_NOOP("engine", "hidden_layers: {part} in {text} is not a positive whole "
                                "number; write sizes separated by commas, e.g. '8, 8'"),
    QT_TRANSLATE_NOOP("engine", "{name} must be a finite number, got {value}"),
    QT_TRANSLATE_NOOP("engine", "{name} must be in {range}, got {value}"),
    QT_TRANSLATE_NOOP("engine", "{name} must be a whole number >= {low}, got {value}"),
    # last of the "must be" forms: it matches any of them
    QT_TRANSLATE_NOOP("engine", "{name} must be {expected}, got {value}"),
    QT_TRANSLATE_NOOP("engine", "{name} {value} is unknown; valid: {valid}"),
    QT_TRANSLATE_NOOP("engine", "{name} does not apply to the {optimizer} optimizer; it takes "
                                "{accepted}"),
    QT_TRANSLATE_NOOP("engine", "config file {path} does not exist"),
    QT_TRANSLATE_NOOP("engine", "config file {path} is not valid JSON: line {line}, column "
                                "{column}: {problem}"),
    QT_TRANSLATE_NOOP("engine", "config file {path} cannot be read: {problem}"),
    QT_TRANSLATE_NOOP("engine", "a configuration must be a JSON object, got {kind}"),
    QT_TRANSLATE_NOOP("engine", "unknown configuration field(s) {unknown}; valid fields: "
                                "{valid}"),
    QT_TRANSLATE_NOOP("engine", "unknown configuration field(s) {unknown}"),
    QT_TRANSLATE_NOOP("engine", "{where}: file {path} not found"),
    QT_TRANSLATE_NOOP("engine", "{where}: {path} is not a file"),
    QT_TRANSLATE_NOOP("engine", "{where}: file {path} is empty; it needs a header row and data"),
    QT_TRANSLATE_NOOP("engine", "{where}: file {path} has a header but no data rows"),
    QT_TRANSLATE_NOOP("engine", "{where}: line {line}, column {column}: {problem}"),
    # gui/export.py's errors: Qt-free too, and shown in the same message boxes
    QT_TRANSLATE_NOOP("engine", "[Errno {errno}] could not save {path}: {problem}"),
    QT_TRANSLATE_NOOP("engine", "image width must be a whole number of pixels from 1 to {high}; "
                                "received {width}"),
    QT_TRANSLATE_NOOP("engine", "cannot save an image as {extension}: use .png or .svg"),
    # gui/worker.py's failures name the exception's type before the message
    QT_TRANSLATE_NOOP("engine", "ConfigError: {problem}"),
    QT_TRANSLATE_NOOP("engine", "ValueError: {problem}"),
    # gui/controls.py's, for a config file whose values the controls cannot show
    QT_TRANSLATE_NOOP("engine", "{field}: {value} is not one of the choices"),
    QT_TRANSLATE_NOOP("engine", "{field}: {value} is outside {low}..{high}"),
    # engine/spec.py's field checks; "or null" before the phrases it ends
    QT_TRANSLATE_NOOP("engine", "{name} must be {expected}, got {value} ({kind})"),
    QT_TRANSLATE_NOOP("engine", "{name} must be {expected}, got {value}"),
    QT_TRANSLATE_NOOP("engine", "{base}, or null ({meaning})"),
    QT_TRANSLATE_NOOP("engine", "{name} does not apply to the {owner} {what}; it applies to "
                                "{valid}"),
    QT_TRANSLATE_NOOP("engine", "hidden_layers must be {expected}; {size} in {value} is not"),
    QT_TRANSLATE_NOOP("engine", "{where} is nested too deeply to be a configuration"),
    QT_TRANSLATE_NOOP("engine", "{where} is not a valid configuration: {problem}"),
    QT_TRANSLATE_NOOP("engine", "hidden_layers {layers} with batch_size {batch}: about "
                                "{parameters} parameters and {memory} of memory, above the "
                                "{limit} this app allows; use fewer or smaller layers"),
    QT_TRANSLATE_NOOP("engine", "a whole number from {low} to {high}"),
    QT_TRANSLATE_NOOP("engine", "a number in {range}"),
    QT_TRANSLATE_NOOP("engine", "one of {valid}"),
    QT_TRANSLATE_NOOP("engine", "a list of up to {count} layer sizes from {low} to {high}, "
                                "such as [8, 8] or '8, 8'"),
)

#: Words and phrases that appear as fields of engine messages.
ENGINE_WORDS = (
    QT_TRANSLATE_NOOP("engine", "a binary classification"),
    QT_TRANSLATE_NOOP("engine", "a multi-class classification"),
    QT_TRANSLATE_NOOP("engine", "a regression"),
    QT_TRANSLATE_NOOP("engine", "a count-regression"),
    QT_TRANSLATE_NOOP("engine", "binary"),
    QT_TRANSLATE_NOOP("engine", "multiclass"),
    QT_TRANSLATE_NOOP("engine", "regression"),
    QT_TRANSLATE_NOOP("engine", "counts"),
    QT_TRANSLATE_NOOP("engine", "non-finite"),
    QT_TRANSLATE_NOOP("engine", "infinite"),
    QT_TRANSLATE_NOOP("engine", "non-finite in its gradient"),
    QT_TRANSLATE_NOOP("engine", "was not a finite number"),
    QT_TRANSLATE_NOOP("engine", "loss became NaN"),
    QT_TRANSLATE_NOOP("engine", "loss became infinite"),
    QT_TRANSLATE_NOOP("engine", "gradient became NaN or infinite"),
    QT_TRANSLATE_NOOP("engine", "With LARS and ReLU, too high a rate also kills the ReLUs (they "
                                "output 0 for every input and stop learning): lower the learning "
                                "rate."),
    QT_TRANSLATE_NOOP("engine", "true or false"),
    QT_TRANSLATE_NOOP("engine", "a text"),
    # Python's json module, quoted in "not valid JSON" messages
    QT_TRANSLATE_NOOP("engine", "Expecting value"),
    QT_TRANSLATE_NOOP("engine", "Expecting property name enclosed in double quotes"),
    QT_TRANSLATE_NOOP("engine", "Expecting ',' delimiter"),
    QT_TRANSLATE_NOOP("engine", "Expecting ':' delimiter"),
    QT_TRANSLATE_NOOP("engine", "Extra data"),
    QT_TRANSLATE_NOOP("engine", "lr"),
    QT_TRANSLATE_NOOP("engine", "batch"),
    QT_TRANSLATE_NOOP("engine", "epochs"),
    QT_TRANSLATE_NOOP("engine", "wd"),
    QT_TRANSLATE_NOOP("engine", "patience"),
    QT_TRANSLATE_NOOP("engine", "true or false"),
    QT_TRANSLATE_NOOP("engine", "a text"),
    QT_TRANSLATE_NOOP("engine", "whole number"),
    QT_TRANSLATE_NOOP("engine", "number"),
    QT_TRANSLATE_NOOP("engine", "text"),
    QT_TRANSLATE_NOOP("engine", "list"),
    QT_TRANSLATE_NOOP("engine", "boolean"),
    QT_TRANSLATE_NOOP("engine", "object"),
    QT_TRANSLATE_NOOP("engine", "optimizer"),
    QT_TRANSLATE_NOOP("engine", "loss"),
    QT_TRANSLATE_NOOP("engine", "train until stopped"),
    QT_TRANSLATE_NOOP("engine", "use seed"),
    QT_TRANSLATE_NOOP("engine", "the dataset's default size"),
    QT_TRANSLATE_NOOP("engine", "the optimizer's Keras default"),
    QT_TRANSLATE_NOOP("engine", "use decay_steps"),
    QT_TRANSLATE_NOOP("engine", "the last column"),
)

#: Titles gui/worker.py sends in its Failed messages (shown through tr()).
WORKER_TITLES = (QT_TR_NOOP("Cannot apply the change"), QT_TR_NOOP("Cannot export the history"),
                 QT_TR_NOOP("Training error"))

#: Fields of engine messages that are prose (translated); the others are names, paths and
#: numbers, shown as the engine wrote them (a dataset called "regression" stays so).
TRANSLATED_FIELDS = frozenset({"kind", "suited", "task", "needs", "what", "problem", "field",
                               "advice", "expected", "base", "meaning"})

_state = {"language": DEFAULT_LANGUAGE}
_translators = {}
_installed = []
_fonts = {}
_static_sources = {}
_formatted_sources = collections.OrderedDict()
_template_cache = {}
_shown = weakref.WeakKeyDictionary()


# -- looking up ----------------------------------------------------------------------------------

def language():
    """The current language code."""
    return _state["language"]


def tr(text, language=None, context="", **params):
    """Return ``text`` in ``language`` (default: the current one), formatted with ``params``.

    A text the catalogue does not know is tried as an engine message, then returned as it is.
    String and exception parameters are translated as engine messages (a path or a number
    matches no template and stays as it is).
    """
    language = language or _state["language"]
    translated = _lookup(context, str(text), language)
    if translated is None and context == "":
        translated = engine_message(str(text), language)
    if params:
        values = {name: _parameter(value, language) for name, value in params.items()}
        result = translated.format(**values)
        _remember_formatted(result, (context, str(text), params))
    else:
        result = translated
        _static_sources[result] = (context, str(text), None)
    return result


def engine_message(message, language=None):
    """Translate a message written by the engine (see :data:`ENGINE_MESSAGES`).

    Returns the message unchanged when no template matches or the language is English.
    """
    language = language or _state["language"]
    message = str(message)
    if language == SOURCE_LANGUAGE:
        return message
    if message in engine_texts.MARKED:  # a registry entry's text, not a message to match
        return _lookup(ENGINE_CONTEXT, message, language) or message
    for template in ENGINE_MESSAGES:
        fields = _match(template, message)
        if fields is None:
            continue
        translated = _lookup(ENGINE_CONTEXT, template, language)
        if translated is None:
            return message
        return translated.format(**{
            name: _engine_field(value, language) if name in TRANSLATED_FIELDS else value
            for name, value in fields.items()})
    return message


def _engine_field(value, language):
    """A field of an engine message: a nested message, a known word, or a list of them."""
    if value.startswith(" "):  # a sentence appended to the message ("... reset. With ...")
        return " " + _engine_field(value[1:], language)
    if not value:
        return value
    word = _lookup(ENGINE_CONTEXT, value, language)
    if word is not None:
        return word
    nested = engine_message(value, language)
    if nested != value:
        return nested
    if ", " in value:
        return ", ".join(_engine_field(part, language) for part in value.split(", "))
    return value


def _parameter(value, language):
    if isinstance(value, (str, BaseException)):
        return engine_message(str(value), language)
    return value


def _match(template, message):
    """The named fields of ``message`` if it has the form of ``template``, else None."""
    pattern = _template_cache.get(template)
    if pattern is None:
        parts, seen = [], set()
        for literal, name, _spec, _conversion in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name is None:
                continue
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
        pattern = _template_cache[template] = re.compile("".join(parts), re.DOTALL)
    found = pattern.fullmatch(message)
    return None if found is None else found.groupdict()


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
