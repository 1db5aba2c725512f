"""Run labels and outcomes as data: what a run is called and how it ended, as keys and values,
put into words only where they are shown, in the language shown.

The session used to write a label as English text ("batch 16 · lr 0.3→1.5") and the run table
parsed it back with regular expressions to translate its words; a run kept in English then
stayed English after a switch to Korean, and a lesson's run kept the step's name in the
language it was kept in (issues 20 and 24). Here a :class:`Label` is a tuple of parts, each a
``(key, value)`` pair:

- ``(field, ends)``: a ``TrainingConfig`` field and the values the run used, one, or two when
  the field changed during the run ("lr 0.3→1.5"). ``ends`` of ``batch_size`` may hold
  ``("full_batch", rows)`` for a batch of every training row ("full batch (1438)");
- ``("lesson_step", (lesson key, step key))``: a lesson's step, shown by the step's short
  label in the current language;
- ``("text", text)``: a name given as text (typed, or saved by an older version), shown as it
  is.

An :class:`Outcome` is a key ("finished", "stopped", "early_stopping", "diverged", or the
current run's state "ready", "running", "paused") and its parameters (``{"step": 36}``); an
outcome saved by an older version as text it cannot name is ``("text", {"text": ...})``.

:func:`text` and :func:`outcome_text` are the one place either becomes words. This module
loads no Qt (gui.i18n translates through Qt only for a language other than English).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from gui import glossary
from gui.i18n import QT_TR_NOOP, tr
from gui.i18n import language as current_language

#: The word a label names a field by ("batch 512 · lr 0.1"); other fields by their glossary
#: label ("momentum 0.9", "warm-up epochs 2"), in the language shown.
SHORT_NAMES = {"batch_size": QT_TR_NOOP("batch"), "learning_rate": QT_TR_NOOP("lr"),
               "hidden_layers": QT_TR_NOOP("layers"), "weight_decay": QT_TR_NOOP("wd"),
               "early_stopping_patience": QT_TR_NOOP("patience"),
               "validation_split": QT_TR_NOOP("val"), "n_samples": QT_TR_NOOP("samples")}
# Fields whose value alone names them ("lars", "hinge", "circle").
BARE_VALUES = ("optimizer", "loss", "dataset", "activation", "schedule")
#: A batch of every training row ("full batch (1438)").
FULL_BATCH = QT_TR_NOOP("full batch ({rows})")
#: Hidden layers: none (a linear model).
NO_LAYERS = QT_TR_NOOP("none")
SEPARATOR = " · "
CHANGED = "→"
#: Outcomes by key, as shown (English sources).
OUTCOMES = {"finished": QT_TR_NOOP("finished"), "stopped": QT_TR_NOOP("stopped"),
            "early_stopping": QT_TR_NOOP("early stopping"),
            "diverged": QT_TR_NOOP("diverged"), "ready": QT_TR_NOOP("ready"),
            "running": QT_TR_NOOP("running"), "paused": QT_TR_NOOP("paused")}
DIVERGED_AT = QT_TR_NOOP("diverged at step {step}")


@dataclass(frozen=True)
class Label:
    """What a run is called, as parts (see the module's text); ``str()`` is its English
    text (CSV exports, logs)."""

    parts: tuple = ()

    @classmethod
    def of_text(cls, text):
        """A label that is a given name, shown as it is."""
        return cls((("text", str(text)),))

    @classmethod
    def of_step(cls, lesson, step):
        """A lesson step's run: shown by the step's short label."""
        return cls((("lesson_step", (str(lesson), str(step))),))

    def to_json(self):
        return [[key, _json(value)] for key, value in self.parts]

    @classmethod
    def from_json(cls, saved):
        """A label from :meth:`to_json`'s list; ValueError for anything else."""
        if not isinstance(saved, list) or not all(
                isinstance(part, list) and len(part) == 2 and isinstance(part[0], str)
                for part in saved):
            raise ValueError(f"a label is a list of [key, value] pairs, not {saved!r}")
        return cls(tuple((key, _frozen(value)) for key, value in saved))

    def __str__(self):
        return text(self, "en")


@dataclass(frozen=True)
class Outcome:
    """How a run ended (or where the current one is): a key of :data:`OUTCOMES` or "text",
    and its parameters."""

    key: str
    params: dict = field(default_factory=dict)

    @classmethod
    def of_run(cls, reason, diverged_step=None):
        """The outcome of a run that ended for ``reason`` (a worker's or a saved run's: None
        for a run that did not end by itself, which counts as stopped)."""
        if reason == "diverged" and diverged_step:
            return cls("diverged", {"step": int(diverged_step)})
        return cls(reason or "stopped")

    @classmethod
    def from_saved(cls, saved, text_form=""):
        """The outcome saved as :meth:`to_json` (``saved``), else one written by an older
        version as text (``text_form``): a known word is that outcome, any other text is
        shown as it is."""
        if isinstance(saved, dict) and isinstance(saved.get("key"), str) \
                and isinstance(saved.get("params", {}), dict):
            return cls(saved["key"], dict(saved.get("params", {})))
        known = {str(outcome_text(cls(key), "en")): key for key in OUTCOMES}
        text_form = str(text_form or "")
        return cls(known[text_form]) if text_form in known else cls("text", {"text": text_form})

    @property
    def diverged(self):
        return self.key == "diverged"

    def to_json(self):
        return {"key": self.key, "params": dict(self.params)}

    def __str__(self):
        return outcome_text(self, "en")


def text(label, language=None):
    """``label`` in ``language`` (default: the current one): "batch 16 · lr 0.3→1.5",
    "전체 배치 (1438) · 학습률 0.3"; a lesson step by its short label."""
    return SEPARATOR.join(_part_text(key, value, language) for key, value in label.parts)


def outcome_text(outcome, language=None):
    """``outcome`` in ``language`` (default: the current one): "finished", "diverged at step
    36"; an outcome saved as text, as it is."""
    if outcome.key == "text":
        return str(outcome.params.get("text", ""))
    if outcome.key == "diverged" and outcome.params.get("step"):
        return tr(DIVERGED_AT, language, step=outcome.params["step"])
    return tr(OUTCOMES[outcome.key], language) if outcome.key in OUTCOMES else outcome.key


def _part_text(key, value, language):
    if key == "text":
        return value
    if key == "lesson_step":
        return step_label(*value, language=language)
    ends = value
    if key == "batch_size" and any(_full(end) for end in ends):
        return CHANGED.join(tr(FULL_BATCH, language, rows=end[1]) if _full(end)
                            else f"{tr(SHORT_NAMES[key], language)} {end}" for end in ends)
    if ends == (True,):  # a switch on reads as its bare name
        return _field_name(key, language)
    values = CHANGED.join(_value_text(end, language) for end in ends)
    if key in BARE_VALUES:
        return values
    return f"{_field_name(key, language)} {values}"


def _field_name(key, language):
    """What a label calls field ``key``: its short name, else its glossary label in lower
    case ("momentum", "warm-up epochs"; a sweep's labels read "warmup_epochs 2" in Korean
    too), else the field's own name."""
    if key in SHORT_NAMES:
        return tr(SHORT_NAMES[key], language)
    if key not in glossary.TERMS:
        return key
    name = glossary.label(key, language)
    if name[-1:].isdigit():  # "beta 1 0.9" would run the name into its value
        return key
    return name[:1].lower() + name[1:] if name[1:2].islower() else name  # "LARS" stays


def _full(end):
    return isinstance(end, tuple) and len(end) == 2 and end[0] == "full_batch"


def _value_text(value, language):
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "-".join(str(v) for v in value) or tr(NO_LAYERS, language)
    return str(value)


def _json(value):
    return [_json(v) for v in value] if isinstance(value, tuple) else value


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


# -- lesson steps' names ---------------------------------------------------------------------

_lessons = {}  # lesson key -> engine.lessons.Lesson, registered by who shows them


def register_lessons(lessons):
    """Name the steps of ``lessons`` (``engine.lessons.Lesson``) by their labels: the lesson
    panel registers the lessons it shows; the shipped ones are known without it."""
    for lesson in lessons:
        _lessons[lesson.key] = lesson


@functools.lru_cache(maxsize=1)
def _shipped():
    from engine import lessons

    return {lesson.key: lesson for lesson in lessons.scan().lessons}


def step_label(lesson, step, language=None):
    """The short label of step ``step`` of lesson ``lesson`` in ``language`` (default: the
    current one); the step's key when no lesson known has it (a lesson file since removed)."""
    found = _lessons.get(lesson) or _shipped().get(lesson)
    for known in (found.steps if found is not None else ()):
        if known.key == step:
            return known.label(language or current_language())
    return step
