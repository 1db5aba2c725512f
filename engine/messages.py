"""Messages the engine writes in English, with the template and the fields they were made from.

The engine stays Qt-free and monolingual. A message a learner may read in the app (a
configuration error, the divergence and chance-level notices, a worker that died) is a
:class:`Message`: a ``str`` -- its English text, so the command line, saved files and tests
read it as before -- that also keeps its ``template`` (a plain English format string, marked
for the GUI's catalogue with ``QT_TRANSLATE_NOOP("engine", ...)`` where it is declared) and its
``fields``. The GUI translates the template and formats it with the fields (a field that is a
Message is translated in turn; names, paths and numbers are shown as they are): it never
parses the English back.

An exception carries its message as its one argument (``ConfigError(Message(...))``), so
``str(error)`` is the English text and :func:`of` finds the message again.
"""

from __future__ import annotations

from .texts import QT_TRANSLATE_NOOP


#: How ``str()`` shows an OSError with an error number.
ERRNO = "[Errno {errno}] {problem}"
#: What :func:`failure` says, by the exception's type (others: "{kind}: {problem}").
FAILURES = {"ConfigError": QT_TRANSLATE_NOOP("engine", "ConfigError: {problem}"),
            "ValueError": QT_TRANSLATE_NOOP("engine", "ValueError: {problem}")}


class Message(str):
    """``template.format(**fields)``, remembering ``template`` and ``fields``.

    String operations (``+``, slicing) give plain strings: build a longer message with
    another Message (:func:`join`), not by concatenation.
    """

    def __new__(cls, template, /, **fields):
        self = super().__new__(cls, template.format(**fields))
        self.template = template
        self.fields = fields
        return self

    def __getnewargs_ex__(self):
        # pickled (a sweep's worker processes send their errors back): made again from
        # its template and fields, not from its English text
        return (self.template,), dict(self.fields)


def join(*parts, separator=" "):
    """One Message of ``parts`` (Messages or plain texts) between ``separator``s (sentences
    by a space, a list by ", "), each part translated on its own; empty parts are left
    out."""
    parts = [part for part in parts if part]
    if len(parts) == 1 and isinstance(parts[0], Message):
        return parts[0]
    template = separator.join(f"{{part{index}}}" for index in range(len(parts)))
    return Message(template, **{f"part{index}": part for index, part in enumerate(parts)})


def failure(error):
    """What a failed run or job says: the exception's type and its message ("ConfigError:
    ..."), the message kept as the engine made it."""
    kind = type(error).__name__
    return Message(FAILURES.get(kind, "{kind}: {problem}"), kind=kind,
                   problem=of(error) or str(error))


def of(value):
    """The Message ``value`` is or carries (an exception whose one argument is a Message, an
    OSError whose ``strerror`` is one: "[Errno 13] ..."); None for anything else (a plain
    text, an exception made from one)."""
    if isinstance(value, OSError) and isinstance(value.strerror, Message):
        return Message(ERRNO, errno=value.errno, problem=value.strerror)
    if isinstance(value, BaseException):
        value = value.args[0] if len(value.args) == 1 else None
    return value if isinstance(value, Message) else None


__all__ = ["Message", "failure", "join", "of"]
