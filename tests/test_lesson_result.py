"""The lesson result chart (lessonResultPlot) draws what the lessons' texts leave to words:
the fastest rate 2/(lambda_min + lambda_max) beside the limit 2/lambda_max, the weights'
zig-zag as a trace against the step, and the L2 run's validation loss without its penalty.
Each number is checked against an independent computation on seed 0."""

import dataclasses

import numpy as np
import pytest

from engine import datasets, lesson_claims
from engine.lessons import run_lesson_step
from gui.model.labels import text as label_text

pytestmark = pytest.mark.gui


def _run_step(window, qtbot, lesson, step):
    window.lesson_actions[lesson].trigger()
    panel = window.lesson_panel
    panel.step_buttons[step].click()
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # max: no need to watch
    qtbot.waitUntil(lambda: panel.running_step is None, timeout=30000)
    window.redraw_now()
    return panel


def _plane_curvatures(config):
    """The eigenvalues of the MSE Hessian of a linear model on the plane: 2/n [X 1]^T [X 1]."""
    data = datasets.load(config.dataset, noise=config.noise,
                         validation_split=config.validation_split, seed=config.seed)
    x = np.column_stack([data.x_train, np.ones(len(data.x_train))])
    return np.linalg.eigvalsh(2.0 / len(x) * x.T @ x)


def _flips(weights):
    """The fraction of steps at which the weight's change flips sign."""
    change = np.sign(np.diff(weights))
    return float(np.mean(change[1:] != change[:-1]))


def test_the_learning_rate_chart_marks_the_fastest_rate_and_traces_the_zigzag(make_window,
                                                                             qtbot):
    window = make_window()
    for step in ("good", "near_limit", "too_large"):
        panel = _run_step(window, qtbot, "learning_rate", step)
    chart = window.lesson_panel.result
    eigenvalues = _plane_curvatures(panel.lesson.step("good").config)
    assert chart.limit == pytest.approx(2.0 / eigenvalues[-1], rel=1e-9)
    assert chart.optimum == pytest.approx(2.0 / (eigenvalues[0] + eigenvalues[-1]), rel=1e-9)
    assert 0.77 <= chart.optimum <= 0.775  # seed 0: 0.772, between 0.5 and 0.95
    assert set(chart.traces) == {"Good (0.5)", "Near the limit (0.95)"}  # not the diverged
    for label, key in (("Good (0.5)", "good"), ("Near the limit (0.95)", "near_limit")):
        steps, weights = chart.traces[label]
        replay = run_lesson_step(panel.lesson.step(key), record_params=True).params[:, 0]
        np.testing.assert_array_equal(steps, np.arange(61))
        np.testing.assert_allclose(weights, replay, rtol=1e-12)
    assert _flips(chart.traces["Good (0.5)"][1]) == 0.0  # steadily one way
    assert _flips(chart.traces["Near the limit (0.95)"][1]) >= 0.88  # the zig-zag
    assert chart.trace.isVisible()
    window.lesson_actions["epochs"].trigger()
    assert chart.traces == {} and not chart.trace.isVisible()


def test_a_run_the_replay_does_not_reproduce_gets_no_trace(make_window, qtbot):
    """A kept run whose recorded losses a replay of its configuration does not give (a knob
    turned while it trained, say) is not traced: nothing is drawn that the run did not do."""
    window = make_window()
    panel = _run_step(window, qtbot, "learning_rate", "good")
    chart = panel.result
    runs = window.lesson_scene.runs_of("learning_rate")
    (key, run), = runs.items()
    steps = dict(run.steps, batch_loss=np.asarray(run.steps["batch_loss"]) * 1.001)
    altered = dataclasses.replace(run, key=run.key + 1000, steps=steps)
    chart.show_runs(panel.lesson, {key: altered}, "en")
    assert chart.traces == {} and not chart.trace.isVisible()
    name = label_text(run.label, "en")
    assert name in chart.values  # its point is still drawn from what it recorded
    chart.show_runs(panel.lesson, runs, "en")
    assert set(chart.traces) == {name}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_epochs_chart_shows_the_l2_runs_loss_without_its_penalty(make_window, qtbot,
                                                                      language):
    window = make_window()
    window.set_language(language)
    for step in ("overfit", "l2"):
        panel = _run_step(window, qtbot, "epochs", step)
    chart = panel.result
    plain = panel.lesson.step("overfit").label(language)
    l2 = panel.lesson.step("l2").label(language)
    data_label = {"en": f"{l2}: without the penalty", "ko": f"{l2}: 규제 항을 뺀 값"}[language]
    assert set(chart.values) == {plain, l2, data_label}
    expected = lesson_claims.MEASURES["data_val_loss"].read(
        run_lesson_step(panel.lesson.step("l2")), None)
    epoch, part = chart.values[data_label]
    assert epoch == 100 and part == pytest.approx(expected, rel=1e-6)
    # seed 0: with the penalty the L2 run ends level with the plain run (0.583 vs 0.568);
    # without it, a third lower (0.390)
    assert chart.values[l2][1] == pytest.approx(0.583, abs=0.001)
    assert chart.values[plain][1] == pytest.approx(0.568, abs=0.001)
    assert part < 0.7 * chart.values[plain][1]
