"""The lesson panel: a guided experiment's text beside the plots, and a button per run.

A lesson (``engine.lessons``, one JSON file each) says what to run, what to look at, and what to
ask oneself; this panel shows that text in the current language and turns each step into a
button. The panel knows nothing of the main window: it is given plain callables --
``apply_config(config)`` sets the controls (and resets), ``start()`` starts the run,
``keep_run(lesson key, step key)`` keeps the finished run for comparison, and optionally
``set_pace(steps per second or None)`` and ``show_views(plot objectNames, x axis)`` -- and is told
``run_finished(outcome)`` when a run ends. Each step's finished run is kept, so after a lesson
its runs sit side by side in the run table.
"""

from __future__ import annotations

import html
from typing import NamedTuple

from PySide6 import QtCore, QtGui, QtWidgets

from engine import lessons as engine_lessons
from gui import i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.model import labels
from gui.setup_share import mime_data
from gui.plots.lesson_result import LessonResultPlot

#: The panel's texts (English; Korean in the catalogue).
TEXT = {
    "watch": QT_TR_NOOP("What to watch"),
    "question": QT_TR_NOOP("A question"),
    "try_next": QT_TR_NOOP("Try next"),
    "steps": QT_TR_NOOP("Runs: each button sets the controls and starts"),
    "running": QT_TR_NOOP("Running: {step}"),
    "kept": QT_TR_NOOP("{step}: {outcome}, kept for comparison"),
    "expected_divergence": QT_TR_NOOP(
        "{step}: diverged at step {at}, as this step is meant to: the rate is past what the "
        "loss's curvature allows, so each update overshoots further. Kept for comparison."),
    "not_kept": QT_TR_NOOP("{step}: {outcome}, not kept"),
    "pace": QT_TR_NOOP("Pace: {pace} steps per second"),
    "full_speed": QT_TR_NOOP("Pace: full speed"),
    "problems": QT_TR_NOOP("Lesson files not loaded"),
    "copy": QT_TR_NOOP("Copy"),
    "copy_tip": QT_TR_NOOP("Copy this step's setup: the headless command line and its JSON "
                           "(Edit > Paste Setup applies it)"),
    "copied": QT_TR_NOOP("{step}: setup copied (the command line and its JSON)"),
}
#: How a lesson step's run ended, as the status line says it.
OUTCOMES = {
    "finished": QT_TR_NOOP("finished"),
    "early_stopping": QT_TR_NOOP("stopped early"),
    "diverged": QT_TR_NOOP("diverged"),
    "stopped": QT_TR_NOOP("stopped by you"),
    "error": QT_TR_NOOP("failed"),
}
#: Outcomes whose run is kept: everything a step was meant to show, including divergence.
KEPT_OUTCOMES = ("finished", "early_stopping", "diverged")
#: The result chart's height range (px): a chart under the text, above the buttons (at 110
#: px its axes and title left the points a 20-px strip, and "Too small (0.01)" was cut).
RESULT_HEIGHT = (170, 360)
#: The lesson text's least height (px): it scrolls.
TEXT_MIN_HEIGHT = 60
#: A lesson with more steps than this lays their buttons out in two columns (the batch-size
#: lesson's nine rows took 250 px of a 640-px panel, leaving its chart none).
ONE_COLUMN_STEPS = 5
#: A step this many times longer (in epochs) than the lesson's typical step is shown on steps.
SQUASH_RATIO = 3
#: The lines the status keeps room for (the expected-divergence sentence at a 300-px dock).
STATUS_LINES = 4


class StepResult(NamedTuple):
    """How a lesson step's run ended: what the panel's status (and the status bar) says of it,
    in whichever language is shown."""

    lesson: object  # engine.lessons.Lesson
    step: str
    outcome: str
    diverged_step: object = None


def lesson_for_term(term, lessons=None):
    """The first lesson teaching glossary ``term`` (e.g. "learning_rate"), or None."""
    for lesson in (engine_lessons.scan().lessons if lessons is None else lessons):
        if lesson.term == term:
            return lesson
    return None


class LessonPanel(i18n.Retranslating, QtWidgets.QWidget):
    """Lessons: choose one, read it, run its steps.

    Parameters
    ----------
    apply_config : callable(TrainingConfig)
    start : callable()
    keep_run : callable(str, str)
        Called with the lesson's key and the step's key when a step's run ends (the run is
        named by the step's short label, in the language shown).
    opened : callable(str), optional
        Called with a lesson's key when it is chosen (``set_lesson`` or the combo box).
    set_pace : callable(float or None), optional
    show_views : callable(tuple of str, str), optional
        The lesson's plots (objectNames) and x axis ("step", "epoch", "samples", "seconds").
    set_log_y : callable(bool), optional
        The batch loss on a log scale or not, as the lesson asks.
    lessons : list of engine.lessons.Lesson, optional
        Default: every lesson shipped in ``gui/lessons/`` that loads; a file that does not is
        skipped and its problem shown under the lesson text (``problems``).
    """

    def __init__(self, apply_config, start, keep_run, set_pace=None, show_views=None,
                 lessons=None, parent=None, set_log_y=None, opened=None):
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self._apply_config, self._start, self._keep_run = apply_config, start, keep_run
        self._set_pace, self._show_views = set_pace, show_views
        self._set_log_y = set_log_y
        self._opened = opened
        catalogue = engine_lessons.scan() if lessons is None else None
        self.lessons = list(catalogue.lessons if catalogue else lessons)
        labels.register_lessons(self.lessons)  # their runs are named by their steps' labels
        self.problems = catalogue.problems if catalogue else ()
        self.lesson = None
        self.running_step = None
        self.last_result = None  # the StepResult the status says
        self.step_buttons = {}
        self.copy_buttons = {}
        self.results = {}
        layout = QtWidgets.QVBoxLayout(self)
        self.lesson_combo = QtWidgets.QComboBox()
        self.lesson_combo.setObjectName("lessonCombo")
        for lesson in self.lessons:
            self.lesson_combo.addItem("", lesson.key)
        layout.addWidget(self.lesson_combo)
        self.text = QtWidgets.QTextBrowser()
        self.text.setObjectName("lessonText")
        self.text.setOpenExternalLinks(False)
        self.text.setMinimumHeight(TEXT_MIN_HEIGHT)
        layout.addWidget(self.text, stretch=1)
        self.result = LessonResultPlot()
        # the text gives way first (it scrolls), then the chart down to its minimum
        self.result.setMinimumHeight(RESULT_HEIGHT[0])
        self.result.setMaximumHeight(RESULT_HEIGHT[1])
        self.result.hide()
        layout.addWidget(self.result, stretch=1)
        self.steps_label = QtWidgets.QLabel()
        self.steps_label.setWordWrap(True)
        layout.addWidget(self.steps_label)
        self.steps_box = QtWidgets.QGridLayout()
        layout.addLayout(self.steps_box)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("lessonStatus")
        self.status.setWordWrap(True)
        # room for the longest status kept, whether it wraps or not: the buttons above must
        # not move between a click and the next (a wrapping line moved them up 14 px)
        self.status.setAlignment(QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)
        self.status.setFixedHeight(self.status.fontMetrics().lineSpacing() * STATUS_LINES + 6)
        layout.addWidget(self.status)
        self.lesson_combo.currentIndexChanged.connect(self._lesson_chosen)
        self.lesson_combo.activated.connect(lambda _index: self._open())
        if self.lessons:
            self._lesson_chosen(0)
        self.retranslate()

    # -- public --------------------------------------------------------------------------------

    def set_lesson(self, key):
        """Show lesson ``key`` (its file name without ``.json``)."""
        keys = [lesson.key for lesson in self.lessons]
        if key not in keys:
            raise ValueError(f"lesson {key!r} is unknown; lessons: {', '.join(keys)}")
        self.lesson_combo.setCurrentIndex(keys.index(key))
        self._open()

    def retranslate(self):
        """Show the lesson, its buttons and the status in the current language."""
        language = i18n.language()
        for index, lesson in enumerate(self.lessons):
            self.lesson_combo.setItemText(index, lesson.title(language))
        self.steps_label.setText(self._text("steps"))
        for key, button in self.step_buttons.items():
            step = self.lesson.step(key)
            button.setText(self._button_text(step))
            button.setToolTip(step.watch(language))
            self.copy_buttons[key].setText(self._text("copy"))
            self.copy_buttons[key].setToolTip(self._text("copy_tip"))
        self._show_text()
        self._show_status()

    def run_step(self, key):
        """Set the controls for step ``key`` of the current lesson and start its run."""
        step = self.lesson.step(key)
        self.running_step = key
        self.results.pop(key, None)
        if self._show_views is not None:
            self._show_views(self.lesson.plots, self.x_axis(key))
        if self._set_log_y is not None:
            self._set_log_y(self.lesson.log_y)
        if self._set_pace is not None:
            self._set_pace(step.pace if step.pace is not None else self.lesson.pace)
        self._apply_config(step.config)
        self._show_status()
        self._start()

    def copy_step(self, key):
        """Put step ``key``'s setup on the clipboard (as Edit > Copy Setup does)."""
        step = self.lesson.step(key)
        QtGui.QGuiApplication.clipboard().setMimeData(mime_data(step.config))
        self.status.setText(self._text("copied", step=step.label(self.language)))

    def show_results(self, runs):
        """Draw the lesson's result chart from its kept runs ({step key: KeptRun})."""
        self.result.show_runs(self.lesson, runs, self.language)

    def expects_divergence(self, key=None, lesson=None):
        """True when step ``key`` (default: the running step) of ``lesson`` (default: the one
        shown) is meant to diverge: its lesson claims it does, as it is (a claim on a variant
        of the step does not count). Such a run's end is the step's result, not an error."""
        key = self.running_step if key is None else key
        lesson = self.lesson if lesson is None else lesson
        if lesson is None or key is None:
            return False
        return any(claim.measure == "diverged" and key in claim.steps and not claim.changes
                   and (claim.low or 0) >= 1 for claim in lesson.claims)

    def x_axis(self, key):
        """The x axis step ``key`` is shown on: the lesson's, or "step" for a step that trains
        for many more epochs than the others (the batch-size lesson's 150 epochs of 512 beside
        10 of 32 drew the others in 1/15 of the width on samples; at equal steps, the point of
        that step, steps are the fair axis)."""
        epochs = sorted(step.config.epochs for step in self.lesson.steps)
        typical = epochs[len(epochs) // 2]
        if self.lesson.step(key).config.epochs > SQUASH_RATIO * typical:
            return "step"
        return self.lesson.x_axis

    def run_finished(self, outcome, diverged_step=None):
        """The window's run ended with ``outcome`` ("finished", "early_stopping",
        "diverged", "stopped", "error"); a lesson step's run is kept unless it was stopped.
        ``diverged_step`` is where a diverged run was stopped (said when that was the point)."""
        key, self.running_step = self.running_step, None
        if key is None:
            return
        self.results[key] = outcome
        self.last_result = StepResult(self.lesson, key, outcome, diverged_step)
        if outcome in KEPT_OUTCOMES:
            # named by the step's own label, short: the lesson's scene shows its runs alone,
            # so the title (which cut the part that differs off in the legends) says nothing
            self._keep_run(self.lesson.key, key)
        self.step_buttons[key].setText(self._button_text(self.lesson.step(key)))
        self._show_status()

    def result_text(self, language=None, result=None):
        """What the status says of ``result`` (a :class:`StepResult`; default: the last
        step's), in ``language`` (default: the panel's); the pace while no step has ended
        since the lesson was chosen."""
        language = language or self.language
        result = self.last_result if result is None else result
        if result is None:
            pace = self.lesson.pace
            return (tr(TEXT["full_speed"], language) if pace is None
                    else tr(TEXT["pace"], language, pace=f"{pace:g}"))
        step = result.lesson.step(result.step).label(language)
        if result.outcome == "diverged" and self.expects_divergence(result.step, result.lesson):
            return tr(TEXT["expected_divergence"], language, step=step,
                      at=result.diverged_step or "?")
        template = "kept" if result.outcome in KEPT_OUTCOMES else "not_kept"
        return tr(TEXT[template], language, step=step,
                  outcome=tr(OUTCOMES.get(result.outcome, OUTCOMES["error"]), language))

    # -- internals -----------------------------------------------------------------------------

    def _text(self, key, **params):
        return tr(TEXT[key], self.language, **params)

    def _open(self):
        if self._opened is not None:
            self._opened(self.lesson.key)

    def _lesson_chosen(self, index):
        self.lesson = self.lessons[index]
        self.running_step = None
        self.last_result = None
        self.results = {}
        for button in self.step_buttons.values():
            row = button.parentWidget()  # the step's row: its button and its copy button
            self.steps_box.removeWidget(row)
            row.hide()  # deleteLater acts only once the event loop runs
            row.deleteLater()
        self.step_buttons, self.copy_buttons = {}, {}
        columns = 2 if len(self.lesson.steps) > ONE_COLUMN_STEPS else 1
        for column in range(2):
            self.steps_box.setColumnStretch(column, 1 if column < columns else 0)
        for index, step in enumerate(self.lesson.steps):
            row = QtWidgets.QWidget(self)
            line = QtWidgets.QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            button = QtWidgets.QPushButton(self._button_text(step))
            button.setObjectName(f"lessonStep_{step.key}")
            button.setToolTip(step.watch(self.language))
            button.clicked.connect(lambda _checked=False, k=step.key: self.run_step(k))
            copy = QtWidgets.QToolButton()
            copy.setObjectName(f"lessonCopy_{step.key}")
            copy.setText(self._text("copy"))
            copy.setToolTip(self._text("copy_tip"))
            copy.clicked.connect(lambda _checked=False, k=step.key: self.copy_step(k))
            line.addWidget(button, 1)
            line.addWidget(copy)
            self.steps_box.addWidget(row, index // columns, index % columns)
            self.step_buttons[step.key] = button
            self.copy_buttons[step.key] = copy
        self._show_text()
        self._show_status()

    def _button_text(self, step):
        mark = "✓ " if self.results.get(step.key) in KEPT_OUTCOMES else ""
        return mark + step.label(self.language)

    def _show_text(self):
        esc = html.escape
        problems = (f"<h4>{esc(self._text('problems'))}</h4><ul>"
                    + "".join(f"<li>{esc(problem)}</li>" for problem in self.problems)
                    + "</ul>") if self.problems else ""
        if self.lesson is None:
            self.text.setHtml(problems)
            return
        lang = self.language
        lesson = self.lesson
        steps = "".join(f"<li><b>{esc(step.label(lang))}</b>: {esc(step.watch(lang))}</li>"
                        for step in lesson.steps)
        tries = "".join(f"<li>{esc(text(lang))}</li>" for text in lesson.try_next)
        self.text.setHtml(
            f"<h3>{esc(lesson.title(lang))}</h3><p>{esc(lesson.intro(lang))}</p>"
            f"<h4>{esc(self._text('watch'))}</h4><p>{esc(lesson.watch(lang))}</p><ul>{steps}</ul>"
            f"<h4>{esc(self._text('question'))}</h4><p>{esc(lesson.question(lang))}</p>"
            f"<h4>{esc(self._text('try_next'))}</h4><ul>{tries}</ul>{problems}")

    def _show_status(self):
        if self.lesson is None:
            return
        if self.running_step is not None:
            step = self.lesson.step(self.running_step)
            self.status.setText(self._text("running", step=step.label(self.language)))
            return
        self.status.setText(self.result_text())
