"""A training setup as text to share: the headless command line and the ``--config`` JSON.

Edit > Copy Setup puts both on the clipboard; Edit > Paste Setup reads either back
(:func:`parse`). Reading applies the checks ``main.py`` applies to ``--config`` and flags
(:meth:`TrainingConfig.from_dict`, each field's spec check, then
:meth:`TrainingConfig.validate`), so a pasted setup is valid exactly when the headless run
would accept it. No Qt here: the texts are tested without a window.
"""

from __future__ import annotations

import json
import shlex

from engine import ConfigError, TrainingConfig, spec
from engine.config import parse_json
from engine.messages import Message
from gui.i18n import QT_TR_NOOP

#: The command that a copied command line starts with.
PROGRAM = ("python", "main.py", "--headless")
#: Always written, even at their defaults: the setup reads whole at a glance (the dataset and
#: the article's four terms).
ALWAYS = ("dataset", "loss", "batch_size", "epochs", "learning_rate", "optimizer")
#: Flags of main.py that are not part of a setup: skipped when pasted (with their value).
_RUN_FLAGS = {"--headless": False, "--quiet": False, "--out": True, "--pace": True,
              "--instruments": True, "--instrument-every": True}
#: Flags that a single setup cannot carry: a clear refusal instead of a silent skip.
_REFUSED = {
    "--config": QT_TR_NOOP("--config names a file on another computer: paste the file's JSON "
                           "instead"),
    "--sweep": QT_TR_NOOP("{flag} belongs to a sweep, which is many setups: paste the setup "
                          "of one run"),
}
_REFUSED["--strategies"] = _REFUSED["--seeds"] = _REFUSED["--sweep"]
EMPTY = QT_TR_NOOP("The clipboard holds no setup: copy one first (Edit > Copy Setup).")
NOT_A_COMMAND = QT_TR_NOOP("The setup is not a command line: {problem}")
NO_FLAGS = QT_TR_NOOP("The setup is neither a JSON object nor a command line with flags.")
STRAY_WORD = QT_TR_NOOP("Unexpected word {word} in the command line (each setting is --flag "
                        "value).")
UNKNOWN_FLAG = QT_TR_NOOP("Unknown flag {flag}.")
NO_VALUE_TAKEN = QT_TR_NOOP("{field}: {flag} takes no value (write {flag} or --no-{name}).")
VALUE_NEEDED = QT_TR_NOOP("{field}: {flag} needs a value.")


class SetupError(ConfigError):
    """A setup text that cannot be read: the English message, and its template and fields
    (``ConfigError.template``, ``.fields``) for the window to show it in the user's
    language."""

    def __init__(self, template, **fields):
        super().__init__(Message(template, **fields))


def to_json(config):
    """The ``--config`` file's text of ``config`` (every field)."""
    return json.dumps(config.to_dict(), indent=2)


def _flag(name):
    return "--" + name.replace("_", "-")


def _word(param, value):
    if value is None:
        return param.none_word
    if param.kind == "layers":
        return ",".join(str(units) for units in value)
    if param.kind == "float":
        return repr(float(value))
    return str(value)


def command_line(config):
    """The headless command that trains ``config``: the fields that differ from their
    defaults, and always :data:`ALWAYS`."""
    words = list(PROGRAM)
    for param in spec.PARAMS:
        value = getattr(config, param.name)
        if param.name not in ALWAYS and value == param.default:
            continue
        if param.kind == "bool":
            words.append(_flag(param.name) if value else "--no-" + param.name.replace("_", "-"))
        else:
            words += [_flag(param.name), _word(param, value)]
    return " ".join(shlex.quote(word) for word in words)


def clipboard_text(config):
    """The clipboard's plain text: the command line, a blank line, the JSON."""
    return f"{command_line(config)}\n\n{to_json(config)}\n"


def parse(text):
    """The :class:`TrainingConfig` in ``text``: a JSON object (a ``--config`` file's text),
    a headless command line, or the two as :func:`clipboard_text` writes them (the JSON is
    read, it holds every field).

    Raises
    ------
    ConfigError
        The text is neither, or names a bad field or value (the message names it).
    """
    text = text.strip()
    if not text:
        raise SetupError(EMPTY)
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.lstrip().startswith("{"):
            data = parse_json("\n".join(lines[number:]), "the setup")
            return TrainingConfig.from_dict(data).validate()
    return _from_command(text)


def _from_command(text):
    try:
        words = shlex.split(text.replace("\\\n", " ").replace("\\\r\n", " "))
    except ValueError as error:
        raise SetupError(NOT_A_COMMAND, problem=str(error)) from None
    while words and not words[0].startswith("--"):
        words.pop(0)  # the program: python, main.py, a path, ...
    if not words:
        raise SetupError(NO_FLAGS)
    values = {}
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        flag, has_value, attached = word.partition("=")
        if not flag.startswith("--"):
            raise SetupError(STRAY_WORD, word=spec.show(word))
        if flag in _REFUSED:
            raise SetupError(_REFUSED[flag], flag=flag)
        if flag in _RUN_FLAGS:
            index += int(_RUN_FLAGS[flag] and not has_value)
            continue
        name = flag[2:].replace("-", "_")
        negated = name.startswith("no_") and name not in spec.names()
        param = _param(name[3:] if negated else name, flag)
        if param.kind == "bool":
            if has_value:
                raise SetupError(NO_VALUE_TAKEN, field=param.name, flag=flag, name=flag[2:])
            values[param.name] = not negated
            continue
        if negated:
            raise SetupError(UNKNOWN_FLAG, flag=flag)
        if not has_value:
            if index >= len(words):
                raise SetupError(VALUE_NEEDED, field=param.name, flag=flag)
            attached = words[index]
            index += 1
        values[param.name] = _value(param, attached)
    return TrainingConfig.from_dict(values).validate()


def _param(name, flag):
    try:
        return spec.get(name)
    except ConfigError:
        raise SetupError(UNKNOWN_FLAG, flag=flag) from None


def _value(param, text):
    """A flag's text as the field's value, checked by the spec (as main.py's flags are)."""
    if param.optional and text.strip().lower() in ("none", param.none_word):
        return None
    if param.kind in ("int", "float"):
        try:
            number = int(text) if param.kind == "int" else float(text)
        except ValueError:
            raise ConfigError(f"{param.name} must be {param.expected()}, got "
                              f"{spec.show(text)}") from None
        return param.check(number)
    return param.check(text)


__all__ = ["SetupError", "command_line", "clipboard_text", "parse", "to_json"]
