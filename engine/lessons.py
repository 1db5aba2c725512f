"""Lessons as data: guided experiments, one JSON file each, loaded and checked here.

A lesson teaches one term of the article (loss function, batch size, epoch, learning rate) by
runs the learner starts and compares, not by a wall of text. Everything that makes a lesson --
its configurations, the plots and x axis to show, the pace, and its text in English and Korean
(what to watch, a question, what to try next) -- lives in a file under ``gui/lessons/``, so a
new lesson is a new file and no code. This module is Qt-free: the GUI's lesson panel and the
headless tests read lessons through it, and the tests run every step through
:func:`run_lesson_step` to check that the lesson shows what its text claims.

File format (every key required unless marked optional)::

    {
      "order": 1,                              # position in the Lessons menu
      "term": "learning_rate",                 # glossary key of the term it teaches
      "title":    {"en": "...", "ko": "..."},
      "intro":    {"en": "...", "ko": "..."},
      "watch":    {"en": "...", "ko": "..."},  # what to look at while it runs
      "question": {"en": "...", "ko": "..."},
      "try_next": [{"en": "...", "ko": "..."}, ...],
      "plots": ["batchLossPlot", ...],         # objectNames of the plots to show
      "x_axis": "step",                        # step | epoch | samples | seconds
      "pace": 20,                              # steps per second, or null for full speed
      "log_y": true,                           # optional: the batch loss on a log scale
      "base": {TrainingConfig fields},         # shared by every step (the headless format)
      "steps": [{"key": "too_small",
                 "label": {"en": "...", "ko": "..."},
                 "watch": {"en": "...", "ko": "..."},
                 "config": {TrainingConfig fields}}, ...],  # merged over "base"
      "claims": [{"measure": "final_val_accuracy", "steps": ["batch_512"],
                  "range": [0.88, 0.94], ...}, ...]        # optional: engine.lesson_claims
    }

A step may also carry ``"pace"`` (overrides the lesson's). The claims are the numbers the
texts state, measured by :func:`check_claims` on seeds 0-9 (``python -m engine.lessons --claims
--seeds 10``). Errors are :class:`ConfigError` naming the file and the key: ``lesson file
lr.json: steps[2].config: learning_rate must be ...``. The app loads lessons with :func:`scan`,
which skips a broken file and names it, so one bad file cannot keep the window from opening.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import lesson_claims
from .config import TrainingConfig
from .errors import ConfigError
from .trainer import Trainer

#: The folder of the lessons shipped with LossLab.
LESSONS_DIR = Path(__file__).resolve().parent.parent / "gui" / "lessons"
LANGUAGES = ("en", "ko")
#: The views a lesson may ask for (the GUI contract's objectNames).
PLOTS = ("batchLossPlot", "epochLossPlot", "accuracyPlot", "learningRatePlot", "dataPlot",
         "landscapePlot", "lossExplorer", "sharpnessPlot", "noiseScalePlot",
         "lossHistogramPlot", "layerNormsPlot")
X_AXES = ("step", "epoch", "samples", "seconds")
_LESSON_KEYS = {"order", "term", "title", "intro", "watch", "question", "try_next", "plots",
                "x_axis", "pace", "base", "steps"}
#: ``log_y``: the batch loss on a log scale (a crawl and a divergence in one picture);
#: ``claims``: what the text states, measured (engine.lesson_claims).
_OPTIONAL_LESSON_KEYS = {"log_y", "claims"}
_STEP_KEYS = {"key", "label", "watch", "config"}
_OPTIONAL_STEP_KEYS = {"pace"}
#: Limits of a lesson file: the deepest a lesson's JSON goes is 5 levels (a claim's range in
#: ``claims``); the menu order and the pace get sane bounds (the app's fastest pace is 1000).
MAX_DEPTH = 12
MAX_ORDER = 10**6
MAX_PACE = 1000.0


@dataclass(frozen=True)
class Text:
    """One sentence or paragraph in every language."""

    en: str
    ko: str

    def __call__(self, language="en"):
        """The text in ``language`` ("en" or "ko"); English for an unknown code."""
        return self.ko if language == "ko" else self.en


@dataclass(frozen=True)
class LessonStep:
    """One run of a lesson: a button in the panel."""

    key: str
    label: Text
    watch: Text
    config: TrainingConfig
    pace: float | None


@dataclass(frozen=True)
class Lesson:
    """A lesson file, checked: its text, its views and its steps' configurations."""

    key: str
    path: Path
    order: int
    term: str
    title: Text
    intro: Text
    watch: Text
    question: Text
    try_next: tuple
    plots: tuple
    x_axis: str
    pace: float | None
    steps: tuple
    log_y: bool = False
    claims: tuple = ()

    def text_at(self, place):
        """The text at ``place``: "intro", "watch", "question", "title", "try_next.N" or
        "steps.KEY.label" / "steps.KEY.watch" (ConfigError if there is none)."""
        parts = place.split(".")
        if len(parts) == 1 and parts[0] in ("title", "intro", "watch", "question"):
            return getattr(self, parts[0])
        if len(parts) == 2 and parts[0] == "try_next" and parts[1].isdigit() \
                and int(parts[1]) < len(self.try_next):
            return self.try_next[int(parts[1])]
        if len(parts) == 3 and parts[0] == "steps" and parts[2] in ("label", "watch"):
            return getattr(self.step(parts[1]), parts[2])
        raise ConfigError(f"lesson {self.key!r} has no text {place!r}; texts are title, intro, "
                          f"watch, question, try_next.N, steps.KEY.label, steps.KEY.watch")

    def step(self, key):
        """The step called ``key`` (ConfigError listing the keys if there is none)."""
        for step in self.steps:
            if step.key == key:
                return step
        raise ConfigError(f"lesson {self.key!r} has no step {key!r}; steps: "
                          f"{', '.join(s.key for s in self.steps)}")


# ----------------------------------------------------------------------------------------------
# Loading and validation
# ----------------------------------------------------------------------------------------------

def load(path):
    """Read and check one lesson file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Lesson

    Raises
    ------
    ConfigError
        The file cannot be read, is not JSON, or a key is missing, unknown or invalid; the
        message names the file and the key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"lesson file {path.name} does not exist ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"lesson file {path.name} cannot be read: {exc}") from None
    return _parse_text(str(path), text)


@functools.lru_cache(maxsize=64)
def _parse_text(path, text):
    """The lesson in ``text``, the contents of the file at ``path``: parsed once a process
    for the same contents (lessons are frozen). Each new window's Lessons menu scans the
    folder, and checking every step's configuration cost a window 0.08 s of its 0.45 s."""
    path = Path(path)
    where = f"lesson file {path.name}"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where} is not valid JSON: line {exc.lineno}, column {exc.colno}: "
                          f"{exc.msg}") from None
    except ValueError as exc:
        # an integer of more digits than Python converts (4300 by default)
        raise ConfigError(f"{where} cannot be read: {exc}") from None
    except RecursionError:
        # the decoder recurses once per level: a few thousand nested brackets exhaust the stack
        raise ConfigError(f"{where}: nested deeper than Python's JSON decoder can read; a "
                          f"lesson is at most {MAX_DEPTH} levels deep") from None
    return parse(data, path)


def parse(data, path):
    """A :class:`Lesson` from the decoded JSON ``data`` of the file at ``path``."""
    path = Path(path)
    where = f"lesson file {path.name}"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must hold a JSON object, got {type(data).__name__}")
    _check_depth(where, data)
    _check_keys(where, "", data, _LESSON_KEYS, _OPTIONAL_LESSON_KEYS)
    log_y = data.get("log_y", False)
    if not isinstance(log_y, bool):
        raise ConfigError(f"{where}: log_y must be true or false, got {log_y!r}")
    order = data["order"]
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
        raise ConfigError(f"{where}: order must be a whole number from 0 to {MAX_ORDER}, got "
                          f"{_short(order)}")
    term = data["term"]
    if not isinstance(term, str) or not term:
        raise ConfigError(f"{where}: term must be a glossary key such as 'learning_rate', "
                          f"got {term!r}")
    try_next = data["try_next"]
    if not isinstance(try_next, list) or not try_next:
        raise ConfigError(f"{where}: try_next must be a non-empty list of texts")
    plots = data["plots"]
    if (not isinstance(plots, list) or not plots
            or not all(isinstance(p, str) and p in PLOTS for p in plots)):
        raise ConfigError(f"{where}: plots must be a non-empty list of {', '.join(PLOTS)}; "
                          f"got {plots!r}")
    if data["x_axis"] not in X_AXES:
        raise ConfigError(f"{where}: x_axis must be one of {', '.join(X_AXES)}, got "
                          f"{data['x_axis']!r}")
    base = data["base"]
    if not isinstance(base, dict):
        raise ConfigError(f"{where}: base must be a JSON object of configuration fields")
    steps = data["steps"]
    if not isinstance(steps, list) or not steps:
        raise ConfigError(f"{where}: steps must be a non-empty list")
    parsed_steps = tuple(_parse_step(where, i, step, base) for i, step in enumerate(steps))
    keys = [step.key for step in parsed_steps]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ConfigError(f"{where}: step keys must be unique; repeated: "
                          f"{', '.join(duplicates)}")
    claims = lesson_claims.parse_claims(where, data.get("claims", []), keys)
    lesson = Lesson(
        key=path.stem, path=path, order=order, term=term,
        title=_text(where, "title", data["title"]), intro=_text(where, "intro", data["intro"]),
        watch=_text(where, "watch", data["watch"]),
        question=_text(where, "question", data["question"]),
        try_next=tuple(_text(where, f"try_next[{i}]", t) for i, t in enumerate(try_next)),
        plots=tuple(plots), x_axis=data["x_axis"], pace=_pace(where, "pace", data["pace"]),
        steps=parsed_steps, log_y=log_y, claims=claims)
    for index, claim in enumerate(claims):
        for place in claim.stated_in:
            try:
                lesson.text_at(place)
            except ConfigError as exc:
                raise ConfigError(f"{where}: claims[{index}].stated_in: {exc}") from None
        for key in claim.steps if claim.changes else ():
            try:
                lesson.step(key).config.replace(**dict(claim.changes)).validate()
            except (ConfigError, TypeError, ValueError) as exc:
                raise ConfigError(f"{where}: claims[{index}].changes: {exc}") from None
    return lesson


@dataclass(frozen=True)
class Catalogue:
    """The lessons of a folder that load, in menu order, and one message per file that does
    not (its ConfigError: the file and the key)."""

    lessons: tuple
    problems: tuple


def scan(folder=None):
    """Every lesson of ``folder`` (default :data:`LESSONS_DIR`) that loads; a broken file is
    skipped and named in ``problems``, so one bad file cannot keep the others (or the
    window) from opening.

    Returns
    -------
    Catalogue
    """
    folder = Path(LESSONS_DIR if folder is None else folder)
    if not folder.is_dir():
        return Catalogue((), (f"lessons folder {folder} does not exist",))
    loaded, problems = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            loaded.append(load(path))
        except ConfigError as exc:
            problems.append(str(exc))
    ordered = sorted(loaded, key=lambda lesson: (lesson.order, lesson.key))
    return Catalogue(tuple(ordered), tuple(problems))


def load_all(folder=None):
    """Every ``*.json`` lesson in ``folder`` (default :data:`LESSONS_DIR`), in their
    ``order``; strict, for the tests and the command line.

    Raises
    ------
    ConfigError
        The folder is missing or a file is broken (the first problem :func:`scan` found): a
        shipped lesson that cannot be shown is a bug to fix. The app uses :func:`scan`.
    """
    catalogue = scan(folder)
    if catalogue.problems:
        raise ConfigError(catalogue.problems[0])
    return list(catalogue.lessons)


def _check_keys(where, prefix, data, required, optional=frozenset()):
    missing = sorted(required - set(data))
    if missing:
        raise ConfigError(f"{where}: missing key {prefix}{missing[0]}"
                          + (f" (and {', '.join(missing[1:])})" if missing[1:] else ""))
    unknown = sorted(set(data) - required - optional)
    if unknown:
        raise ConfigError(f"{where}: unknown key {prefix}{unknown[0]}; valid keys: "
                          f"{', '.join(sorted(required | optional))}")


def _text(where, key, value):
    """A :class:`Text` from ``{"en": ..., "ko": ...}``: every language present, a non-blank
    string, and no other key (a misspelt language would otherwise go unseen)."""
    problem = None
    if not isinstance(value, dict):
        problem = f"got {type(value).__name__} {value!r:.60}"
    else:
        missing = [lang for lang in LANGUAGES if lang not in value]
        unknown = sorted(str(k) for k in value if k not in LANGUAGES)
        blank = [lang for lang in LANGUAGES if lang in value
                 and not (isinstance(value[lang], str) and value[lang].strip())]
        if missing:
            problem = f"the {', '.join(map(repr, missing))} text is missing"
        elif unknown:
            problem = f"unknown language {', '.join(map(repr, unknown))}"
        elif blank:
            problem = (f"the {', '.join(map(repr, blank))} text is empty or not a string "
                       f"(got {value[blank[0]]!r:.40})")
    if problem is not None:
        raise ConfigError(f"{where}: {key} must be an object with non-empty 'en' and 'ko' "
                          f"texts; {problem}")
    return Text(value["en"], value["ko"])


def _pace(where, key, value):
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not 0 < value <= MAX_PACE):
        raise ConfigError(f"{where}: {key} must be steps per second (> 0 and at most "
                          f"{MAX_PACE}) or null for full speed, got {_short(value)}")
    return float(value)


def _short(value):
    """``value`` for a message, cut short: a 400-digit order must not fill the status bar."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...{text[-8:]} ({len(text)} characters)"


def _check_depth(where, data):
    """Refuse nesting deeper than :data:`MAX_DEPTH`, naming the key path where it starts.

    Iterative, so that a file nested a few hundred levels (which the decoder still reads)
    cannot reach the recursion limit in a later ``repr`` or check."""
    pending = [(data, "", 1)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(f"{where}: {path or 'the file'} is nested deeper than "
                              f"{MAX_DEPTH} levels")
        if isinstance(value, dict):
            items = ((f"{path}.{key}" if path else str(key), item)
                     for key, item in value.items())
        elif isinstance(value, list):
            items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
        else:
            continue
        pending.extend((item, item_path, depth + 1) for item_path, item in items)


def _parse_step(where, index, step, base):
    prefix = f"steps[{index}]."
    if not isinstance(step, dict):
        raise ConfigError(f"{where}: steps[{index}] must be a JSON object")
    _check_keys(where, prefix, step, _STEP_KEYS, _OPTIONAL_STEP_KEYS)
    key = step["key"]
    if not isinstance(key, str) or not key.isidentifier():
        raise ConfigError(f"{where}: {prefix}key must be a name such as 'too_small', got "
                          f"{key!r}")
    if not isinstance(step["config"], dict):
        raise ConfigError(f"{where}: {prefix}config must be a JSON object of configuration "
                          f"fields")
    try:
        config = TrainingConfig.from_dict({**base, **step["config"]}).validate()
    except ConfigError as exc:
        raise ConfigError(f"{where}: {prefix}config: {exc}") from None
    return LessonStep(key=key, label=_text(where, prefix + "label", step["label"]),
                      watch=_text(where, prefix + "watch", step["watch"]), config=config,
                      pace=_pace(where, prefix + "pace", step.get("pace")))


# ----------------------------------------------------------------------------------------------
# "Try it": the lesson or the settings that show a glossary entry
# ----------------------------------------------------------------------------------------------

#: The glossary's entries that have a "Try it": the four terms of the article, every loss and
#: every optimizer (their kinds).
TRY_KINDS = ("term", "loss", "optimizer")
TERMS = ("loss", "batch_size", "epochs", "learning_rate")
#: Optimizers no lesson uses: the rate that learns ``circle`` with its suggested settings
#: (the preset's 0.3 is plain SGD's; these have their own scale).
OPTIMIZER_RATES = {
    "momentum": 0.03, "nesterov": 0.03, "rmsprop": 0.01, "adamw": 0.01, "adagrad": 0.1,
    "lamb": 0.01,
}
OPTIMIZER_DATASET = "circle"
#: Where a loss or an optimizer is looked for first: the lessons on its own knob.
PREFERRED_TERMS = {"loss": ("loss",), "optimizer": ("learning_rate", "batch_size")}


@dataclass(frozen=True)
class TryIt:
    """What a glossary entry's "Try it" shows: a lesson (and the step featuring the entry),
    or a configuration to set on the controls (``config``, built on ``dataset``'s suggested
    settings)."""

    kind: str
    name: str
    lesson: Lesson | None = None
    step: LessonStep | None = None
    config: TrainingConfig | None = None
    dataset: str | None = None


def try_it(kind, name, lessons=None):
    """The lesson or configuration showing glossary entry ``name`` of ``kind``.

    Parameters
    ----------
    kind : {"term", "loss", "optimizer"}
    name : str
        A term of :data:`TERMS` (its glossary key), a loss or an optimizer name.
    lessons : list of Lesson, optional
        Default: every shipped lesson that loads (:func:`scan`).

    Returns
    -------
    TryIt
        A term opens the lesson teaching it; a loss or optimizer opens the first lesson with a
        step using it (that step named), else a configuration that learns with it.

    Raises
    ------
    ConfigError
        An unknown kind or name (the message lists the valid ones).
    """
    from . import losses, optimizers, presets

    lessons = scan().lessons if lessons is None else lessons
    if kind == "term":
        for lesson in lessons:
            if lesson.term == name:
                return TryIt(kind, name, lesson=lesson)
        raise ConfigError(f"no lesson teaches term {name!r}; lessons teach "
                          f"{', '.join(lesson.term for lesson in lessons)}")
    if kind == "loss":
        name = losses.canonical_name(name)
        uses = lambda config: losses.canonical_name(config.loss) == name  # noqa: E731
        dataset = losses.get(name).try_dataset  # a loss no lesson uses is set on it
        changes = {"loss": name}
    elif kind == "optimizer":
        if name not in optimizers.names():
            raise ConfigError(f"optimizer {name!r} is unknown; valid: "
                              f"{', '.join(optimizers.names())}")
        uses = lambda config: config.optimizer == name  # noqa: E731
        dataset = OPTIMIZER_DATASET
        changes = {"optimizer": name, "learning_rate": OPTIMIZER_RATES.get(name)}
    else:
        raise ConfigError(f"Try it kind {kind!r} is unknown; valid: {', '.join(TRY_KINDS)}")
    # the lessons about the entry's own knob first: MSE is shown by the loss lesson's step,
    # not by the learning-rate lesson, which merely uses it
    first = PREFERRED_TERMS[kind]
    ordered = sorted(lessons, key=lambda lesson: (first.index(lesson.term)
                                                  if lesson.term in first else len(first)))
    for lesson in ordered:
        for step in lesson.steps:
            if uses(step.config):
                return TryIt(kind, name, lesson=lesson, step=step)
    if not dataset or changes.get("learning_rate", 0) is None:
        raise ConfigError(f"no lesson uses {kind} {name!r} and no settings are known for it")
    base = dict(presets.suggested(dataset).changes)
    config = TrainingConfig(**{**base, **changes}).validate()
    return TryIt(kind, name, config=config, dataset=dataset)


# ----------------------------------------------------------------------------------------------
# Running a step without a window
# ----------------------------------------------------------------------------------------------

@dataclass
class StepRun:
    """What a headless step produced: the trainer (its history) and, if asked, every set of
    parameters the run went through (row 0 = the initial weights, row i = after step i)."""

    trainer: Trainer
    params: np.ndarray | None

    @property
    def history(self):
        return self.trainer.history


def run_lesson_step(step, seed=None, record_params=False, **changes):
    """Train one lesson step to its end, headless, as the app would (at full speed).

    Parameters
    ----------
    step : LessonStep
    seed : int, optional
        Replaces the step's seed (the tests run each claim on several seeds).
    record_params : bool
        Keep the flat parameter vector after every step (for small models: the lr lesson's
        zig-zag, the landscape's path).
    **changes
        Other configuration fields to replace, e.g. ``epochs=5``.

    Returns
    -------
    StepRun
    """
    if seed is not None:
        changes["seed"] = seed
    config = step.config.replace(**changes) if changes else step.config
    trainer = Trainer(config)
    if not record_params:
        trainer.fit()
        return StepRun(trainer, None)
    params = [trainer.model.get_weights()]
    while not trainer.finished:
        trainer.step()
        params.append(trainer.model.get_weights())
    return StepRun(trainer, np.array(params))


class RunCache:
    """The runs a lesson's claims read, each trained once: by seed, step, the claim's
    ``changes`` and whether the parameters are recorded. Claims on the same steps share
    runs, so measuring every claim costs one run per step, seed and variant."""

    def __init__(self, lesson):
        self.lesson = lesson
        self._runs = {}

    def __call__(self, seed, key, changes=(), record_params=False):
        index = (seed, key, changes, record_params)
        if index not in self._runs:
            self._runs[index] = run_lesson_step(self.lesson.step(key), seed=seed,
                                                record_params=record_params, **dict(changes))
        return self._runs[index]

    def __len__(self):
        return len(self._runs)


#: The seeds every number a lesson states is measured on ("Numbers a lesson states are
#: measured on seeds 0-9, not tuned to a few").
CLAIM_SEEDS = tuple(range(10))


def check_claims(lesson, seeds=CLAIM_SEEDS, slow=True, runs=None):
    """Every claim of ``lesson`` measured on ``seeds``.

    Parameters
    ----------
    lesson : Lesson
    seeds : sequence of int
    slow : bool
        Include the claims marked slow.
    runs : RunCache, optional
        Runs to share with other callers (default: a new cache).

    Returns
    -------
    list of engine.lesson_claims.Result
        In the file's order; ``result.holds`` says whether each claim held.
    """
    runs = RunCache(lesson) if runs is None else runs
    return [lesson_claims.check(claim, seeds, runs) for claim in lesson.claims
            if slow or not claim.slow]


def describe(run):
    """One line of what a step's run showed: steps, final batch loss, best validation epoch,
    final validation accuracy, and how it ended."""
    history = run.history
    parts = [f"{history.n_steps} steps", f"last batch loss {history.batch_loss[-1]:.4g}"]
    val = history.val_loss
    if len(val) and np.isfinite(val).any():
        best = int(np.nanargmin(val)) + 1
        parts.append(f"best val epoch {best}/{history.n_epochs} "
                     f"(val loss {val[best - 1]:.4g} -> {val[-1]:.4g})")
    if len(history.val_accuracy) and np.isfinite(history.val_accuracy[-1]):
        parts.append(f"val accuracy {history.val_accuracy[-1]:.3f}")
    if history.diverged is not None:
        parts.append(f"diverged at step {history.diverged.step}")
    elif history.stop_reason == "early_stopping":
        parts.append("stopped early")
    return ", ".join(parts)


def main(argv=None):
    """``python -m engine.lessons [FILE.json ...] [--seeds N] [--claims]``: run every step of
    the lessons (default: all shipped) on seeds 0..N-1 and print what each showed, or with
    ``--claims`` each claim's measured range and whether it holds -- how a lesson's numbers
    are measured before its text states them."""
    import argparse
    parser = argparse.ArgumentParser(prog="python -m engine.lessons", description=main.__doc__)
    parser.add_argument("files", nargs="*", help="lesson files (default: every shipped one)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    parser.add_argument("--claims", action="store_true",
                        help="measure each lesson's claims instead of describing each step")
    args = parser.parse_args(argv)
    try:
        chosen = [load(path) for path in args.files] if args.files else load_all()
    except ConfigError as exc:
        parser.exit(2, f"error: {exc}\n")
    failed = False
    for lesson in chosen:
        print(f"{lesson.key}: {lesson.title('en')}")
        if args.claims:
            results = check_claims(lesson, seeds=range(args.seeds))
            for result in results:
                print(f"  {result.summary()}")
            failed = failed or not all(result.holds for result in results)
            continue
        for step in lesson.steps:
            for seed in range(args.seeds):
                print(f"  {step.key} seed {seed}: {describe(run_lesson_step(step, seed=seed))}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Lesson", "LessonStep", "Text", "StepRun", "TryIt", "Catalogue", "LESSONS_DIR",
           "PLOTS", "X_AXES", "TERMS", "TRY_KINDS", "MAX_DEPTH", "MAX_ORDER", "MAX_PACE", "load",
           "load_all", "scan", "parse", "try_it", "run_lesson_step", "RunCache", "CLAIM_SEEDS",
           "check_claims",
           "describe", "main"]
