"""Every number a lesson states holds on seeds 0-9: the claims in each lesson file, measured.

The lessons are found in their folder and their claims read from their files (no list of
lessons or of numbers here). Each claim runs on the ten seeds of ``CLAIM_SEEDS``; the runs are
shared by every claim of a lesson for the whole session (``RunCache``), so the default run
trains each step about ten times in all. Claims marked ``slow`` (the "try next" variants and
the 6,000-step xor pair) are checked on seed 0 by default and on all ten seeds with
``python -m pytest -m slow tests/test_lesson_claims.py``; a claim that counts seeds
(``holds_on``) only means something on all ten, so it runs only there. Qt-free but the last
test, which asks the real pace control.
"""

import json
import math

import pytest

from engine import ConfigError, Trainer, lesson_claims, lesson_terms, lessons

LESSONS = {lesson.key: lesson for lesson in lessons.load_all()}
QUICK_SEEDS = (0,)


@pytest.fixture(scope="session")
def claim_runs():
    """One cache of runs per lesson, shared by every claim test of the session."""
    return {key: lessons.RunCache(lesson) for key, lesson in LESSONS.items()}


def _claim_cases(slow_run):
    for key, lesson in LESSONS.items():
        for index, claim in enumerate(lesson.claims):
            name = f"{key}[{index}]-{claim.measure}-{'+'.join(claim.steps)}"
            if slow_run and claim.slow:
                yield pytest.param(key, index, lessons.CLAIM_SEEDS, id=name,
                                   marks=pytest.mark.slow)
            elif not slow_run and not (claim.slow and claim.holds_on):
                yield pytest.param(key, index,
                                   QUICK_SEEDS if claim.slow else lessons.CLAIM_SEEDS, id=name)


@pytest.mark.parametrize("key, index, seeds", list(_claim_cases(slow_run=False)))
def test_each_claim_holds_on_the_seeds(claim_runs, key, index, seeds):
    result = lesson_claims.check(LESSONS[key].claims[index], seeds, claim_runs[key])
    assert result.holds, result.summary()
    # one value per step and seed: what a result chart draws
    assert all(len(values) == len(seeds) for values in result.values.values())


@pytest.mark.parametrize("key, index, seeds", list(_claim_cases(slow_run=True)))
def test_each_slow_claim_holds_on_seeds_0_to_9(claim_runs, key, index, seeds):
    result = lesson_claims.check(LESSONS[key].claims[index], seeds, claim_runs[key])
    assert result.holds, result.summary()


def test_claims_are_measured_on_seeds_0_to_9():
    assert lessons.CLAIM_SEEDS == tuple(range(10))


def test_every_step_of_every_lesson_is_checked_by_a_claim():
    for key, lesson in LESSONS.items():
        claimed = {step for claim in lesson.claims if not claim.changes
                   for step in (*claim.steps, claim.relative_to) if step}
        assert claimed == {step.key for step in lesson.steps}, key


def test_the_ranges_a_text_states_are_the_claims_ranges():
    """A claim's "stated_in" texts carry both ends of its range, in English (9-300) and in
    Korean (9~300): the text cannot drift from the number checked."""
    checked = 0
    for key, lesson in LESSONS.items():
        for claim in lesson.claims:
            for place in claim.stated_in:
                text = lesson.text_at(place)
                for end in claim.range_text():
                    for language in ("en", "ko"):
                        assert end in text(language), (key, place, language, end,
                                                        claim.describe())
                        checked += 1
    assert checked >= 100


def test_a_range_and_a_unit_are_written_as_the_text_writes_them():
    claim = lesson_claims.parse_claims("f", [
        {"measure": "final_val_accuracy", "steps": ["a"], "range": [0.88, 0.935],
         "unit": "percent"},
        {"measure": "loss_growth", "args": {"start": 5, "stat": "min"}, "steps": ["a"],
         "range": [1.19, None], "unit": "percent_above"},
        {"measure": "n_steps", "steps": ["a"], "range": [None, 31]}], ["a"])
    assert [c.range_text() for c in claim] == [("88", "93.5"), ("19",), ("31",)]
    assert claim[0].contains(0.88) and claim[0].contains(0.935)
    assert not claim[0].contains(0.87) and not claim[0].contains(math.nan)
    assert claim[2].contains(-5.0) and not claim[2].contains(31.5)


def _steps_planned(step):
    trainer = Trainer(step.config)
    return math.ceil(trainer.n_train / trainer.batch_size) * step.config.epochs


def test_each_step_is_watchable_at_its_pace():
    """3-15 s per step at the lesson's pace. A step whose point is an early end (it diverges)
    is timed by the steps its claims allow, not by its planned epochs."""
    for key, lesson in LESSONS.items():
        for step in lesson.steps:
            pace = step.pace if step.pace is not None else lesson.pace
            assert pace is not None, (key, step.key)
            counts = [claim for claim in lesson.claims if claim.measure == "n_steps"
                      and step.key in claim.steps and not claim.changes]
            diverges = any(claim.measure == "diverged" and step.key in claim.steps
                           and not claim.changes for claim in lesson.claims)
            if diverges:
                assert counts, (key, step.key)
                steps = (counts[0].low, counts[0].high)
            else:
                steps = (_steps_planned(step),)
            for count in steps:
                assert 3 <= count / pace <= 15, (key, step.key, count, pace)


@pytest.mark.gui
def test_every_lesson_pace_is_one_the_pace_control_offers(window):
    from PySide6 import QtWidgets
    combo = window.findChild(QtWidgets.QComboBox, "paceCombo")
    for lesson in LESSONS.values():
        for pace in {lesson.pace} | {step.pace for step in lesson.steps if step.pace}:
            assert combo.findData(pace) >= 0, (lesson.key, pace)


def test_korean_lesson_texts_use_one_term_per_concept():
    for key, lesson in LESSONS.items():
        places = ["title", "intro", "watch", "question"]
        places += [f"try_next.{i}" for i in range(len(lesson.try_next))]
        places += [f"steps.{s.key}.{part}" for s in lesson.steps for part in ("label", "watch")]
        for place in places:
            assert lesson_terms.problems(lesson.text_at(place)("ko")) == [], (key, place)


def test_the_term_table_finds_what_it_forbids():
    found = lesson_terms.problems("60걸음 뒤, 크로스엔트로피, 32짜리 은닉층, 9-12단계, 인내 10")
    assert len(found) == 5, found
    assert lesson_terms.problems("y = 0.6 x1 - 0.4 x2, 유닛 32개짜리 은닉층, 9~12단계") == []


@pytest.mark.gui
def test_the_lesson_panels_own_korean_uses_the_term_table():
    from gui.i18n import tr
    from gui.lesson_panel import OUTCOMES, TEXT
    for source in [*TEXT.values(), *OUTCOMES.values()]:
        assert lesson_terms.problems(tr(source, "ko")) == [], source
    assert tr(TEXT["pace"], "ko", pace="10") == "속도: 초당 10단계"


def _lesson_file(tmp_path, claims):
    data = json.loads((lessons.LESSONS_DIR / "learning_rate.json").read_text(encoding="utf-8"))
    data["claims"] = claims
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {"measure": "n_steps", "steps": ["good"], "range": [60, 60]}


@pytest.mark.parametrize("claim, message", [
    ({**GOOD, "measure": "speed"}, r"claims\[0\]\.measure 'speed' is unknown; valid: n_steps"),
    ({**GOOD, "steps": ["fast"]}, r"claims\[0\]: step 'fast' is not a step of this lesson"),
    ({**GOOD, "steps": []}, r"claims\[0\]\.steps must be a non-empty list"),
    ({**GOOD, "relative_to": "nope"}, r"step 'nope' is not a step"),
    ({**GOOD, "range": [None, None]}, r"range must have low <= high and at least one end"),
    ({**GOOD, "range": [3, 1]}, r"range must have low <= high"),
    ({**GOOD, "range": [1]}, r"range must be \[low, high\]"),
    ({**GOOD, "range": [1, "2"]}, r"range must be a finite number or null, got '2'"),
    ({**GOOD, "args": {"within": 1}}, r"args must give exactly nothing for n_steps"),
    ({**GOOD, "measure": "steps_to_floor", "args": {"within": 0.1}},
     r"args must give exactly within, floor for steps_to_floor"),
    ({**GOOD, "measure": "steps_to_floor", "args": {"within": 0.1, "floor": "x"}},
     r"step 'x' is not a step"),
    ({**GOOD, "compare": "sum"}, r"compare must be one of ratio, difference"),
    ({**GOOD, "unit": "m"}, r"unit must be one of number, percent"),
    ({**GOOD, "holds_on": [9, 3]}, r"holds_on must be \[fewest, most\] seeds"),
    ({**GOOD, "stated_in": ["steps.good.title"]}, r"claims\[0\]\.stated_in: lesson 'custom' has "
                                                  r"no text 'steps.good.title'"),
    ({**GOOD, "stated_in": ["try_next.9"]}, r"no text 'try_next.9'"),
    ({**GOOD, "changes": {"learning_rate": -1}}, r"claims\[0\]\.changes: learning_rate must"),
    ({**GOOD, "colour": 1}, r"claims\[0\]: unknown key colour"),
    ({"steps": ["good"], "range": [1, 2]}, r"claims\[0\]: missing key measure"),
    ({**GOOD, "slow": "yes"}, r"slow must be true or false"),
])
def test_a_broken_claim_names_the_file_and_the_claim(tmp_path, claim, message):
    with pytest.raises(ConfigError, match=r"lesson file custom\.json: .*" + message):
        lessons.load(_lesson_file(tmp_path, [claim]))


def test_a_claim_that_fails_says_what_was_measured(tmp_path):
    lesson = lessons.load(_lesson_file(tmp_path, [
        {"measure": "n_steps", "steps": ["too_large"], "range": [60, 60]}]))
    result = lessons.check_claims(lesson, seeds=(0, 1))[0]
    assert not result.holds
    assert result.summary().startswith("FAIL n_steps of too_large in [60.0, 60.0]: too_large ")
    assert result.values["too_large"] == (3.0, 5.0)  # diverged after 3 and 5 steps


def test_the_command_line_measures_claims_and_fails_when_one_does_not_hold(tmp_path, capsys):
    held = _lesson_file(tmp_path, [{"measure": "diverged", "steps": ["too_large"],
                                    "range": [1, 1]}])
    assert lessons.main([str(held), "--claims", "--seeds", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "  ok   diverged of too_large in [1.0, 1.0]: too_large 1..1 (seeds 0-1)")
    failed = _lesson_file(tmp_path, [{"measure": "n_steps", "steps": ["too_large"],
                                      "range": [60, 60]}])
    assert lessons.main([str(failed), "--claims", "--seeds", "2"]) == 1
    assert "FAIL n_steps of too_large" in capsys.readouterr().out


def test_the_sharpness_measures_read_the_instruments_on_a_linear_model():
    """On a linear model's mean squared error the live sharpness is the analytic Hessian's
    largest eigenvalue: 2 / sharpness is the analytic stability limit, to 1e-6; the rate over
    the limit is the rate times the sharpness over 2."""
    lesson = LESSONS["stability_limit"]
    run = lessons.run_lesson_step(lesson.step("below"), seed=3)
    read = lambda name: lesson_claims.MEASURES[name].read(run, None)  # noqa: E731
    assert read("sharpness_limit") == pytest.approx(read("stability_limit"), rel=1e-6)
    assert read("final_sharpness") == pytest.approx(2.0 / read("stability_limit"), rel=1e-6)
    assert read("rate_over_limit") == pytest.approx(0.97 * read("final_sharpness") / 2.0,
                                                    rel=1e-12)


def test_the_noise_scale_measures_read_the_start_and_the_end_of_a_run():
    """The initial noise scale is measured at the weights the seed gives before any step (a
    fresh trainer of the run's configuration), the final one at the weights the run ends with."""
    from engine import instruments
    step = LESSONS["noise_scale"].step("batch_32")
    run = lessons.run_lesson_step(step, seed=2, epochs=1)
    read = lambda name: lesson_claims.MEASURES[name].read(run, None)  # noqa: E731
    fresh = Trainer(step.config.replace(seed=2, epochs=1))
    assert read("initial_noise_scale") == pytest.approx(instruments.noise_scale(fresh),
                                                        rel=1e-12)
    assert read("final_noise_scale") == pytest.approx(instruments.noise_scale(run.trainer),
                                                      rel=1e-12)
    assert read("final_noise_scale") != pytest.approx(read("initial_noise_scale"), rel=0.01)
    assert read("final_train_loss") == pytest.approx(
        run.trainer.evaluate("train")["loss"], rel=1e-12)
