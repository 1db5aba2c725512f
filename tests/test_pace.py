"""Pace and the per-step x axes: samples and training seconds are recorded for every step and
sent in every chunk; a paced run waits in its own thread on a schedule, testable with a fake
clock and a fake sleep."""

import threading
import time

import numpy as np
import pytest

from engine import Callback, ConfigError, Trainer, TrainingConfig


class FakeClock:
    """A clock that moves only when told: by ``sleep`` and by ``advance``."""

    def __init__(self, start=100.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds


def _trainer(**fields):
    defaults = dict(dataset="circle", n_samples=100, batch_size=32, epochs=3, seed=0)
    defaults.update(fields)
    return Trainer(TrainingConfig(**defaults))


# -- samples and seconds per step --------------------------------------------------------------

def test_samples_count_every_sample_including_the_last_partial_batch():
    trainer = _trainer()  # 80 training samples: batches of 32, 32, 16 per epoch
    history = trainer.fit()
    assert history.samples.dtype == np.int64
    np.testing.assert_array_equal(history.samples,
                                  [32, 64, 80, 112, 144, 160, 192, 224, 240])


def test_samples_follow_a_live_batch_size_change_from_the_next_epoch():
    trainer = _trainer()
    trainer.step()
    trainer.update(batch_size=80)
    history = trainer.fit()
    np.testing.assert_array_equal(history.samples, [32, 64, 80, 160, 240])


def test_seconds_are_monotonic_and_exclude_the_time_between_manual_steps():
    trainer = _trainer()
    trainer.step()
    trainer.step()
    first = trainer.history.seconds.copy()
    assert first.dtype == np.float64
    assert 0 < first[0] <= first[1]
    threading.Event().wait(0.05)  # time between clicks of Step is not training time
    trainer.step()
    assert trainer.history.seconds[2] - first[1] < 0.05


def test_chunks_carry_samples_and_seconds_matching_the_history():
    trainer = _trainer()
    chunks = []
    history = trainer.fit(on_batches=chunks.append)
    np.testing.assert_array_equal(np.concatenate([c.samples for c in chunks]), history.samples)
    np.testing.assert_array_equal(np.concatenate([c.seconds for c in chunks]), history.seconds)
    assert all(len(c.samples) == len(c.step) == len(c.seconds) for c in chunks)


# -- pace ----------------------------------------------------------------------------------------

class OnEachBatch(Callback):
    """Calls ``hook()`` as each batch trains (its loss is known, its step not yet taken): the
    fake clock has not moved since the batch began."""

    def __init__(self, hook):
        self.hook = hook

    def on_batch_loss(self, loss, size):
        self.hook()


def _paced_fit(trainer, pace, step_cost=0.0, **kwargs):
    """Fit with a fake clock; each batch costs ``step_cost`` fake seconds. Returns the clock
    and the fake time at which each batch began."""
    clock = FakeClock()
    began = []

    def costly_batch():
        began.append(clock.now)
        clock.advance(step_cost)

    trainer.fit(pace=pace, clock=clock, sleep=clock.sleep,
                callbacks=[OnEachBatch(costly_batch)], **kwargs)
    return clock, np.array(began)


def test_pace_spaces_steps_one_interval_apart_on_a_schedule():
    trainer = _trainer(n_samples=200, epochs=2)  # 160 samples: 5 batches an epoch, 10 steps
    clock, began = _paced_fit(trainer, pace=10)
    assert trainer.history.n_steps == 10
    np.testing.assert_allclose(np.diff(began), 0.1, atol=1e-9)
    # the first step starts at once; every wait is sliced so a pause is seen within a slice
    assert began[0] == 100.0
    assert max(clock.sleeps) <= 0.02 + 1e-12
    assert sum(clock.sleeps) == pytest.approx(0.9)


def test_the_step_cost_is_absorbed_by_the_schedule_not_added_to_it():
    trainer = _trainer(n_samples=200, epochs=2)
    clock, began = _paced_fit(trainer, pace=10, step_cost=0.03)
    np.testing.assert_allclose(np.diff(began), 0.1, atol=1e-9)
    assert sum(clock.sleeps) == pytest.approx(0.9 - 9 * 0.03)


def test_a_late_step_is_made_up_by_the_next_and_a_long_lag_restarts_the_schedule():
    trainer = _trainer(n_samples=200, epochs=2)
    clock = FakeClock()
    began = []

    def batch():
        began.append(clock.now)
        if len(began) == 3:
            clock.advance(0.15)   # 0.05 s behind: the next step goes at once
        if len(began) == 6:
            clock.advance(2.0)    # far behind: the schedule starts again from now

    trainer.fit(pace=10, clock=clock, sleep=clock.sleep, callbacks=[OnEachBatch(batch)])
    gaps = np.diff(began)
    np.testing.assert_allclose(gaps[:2], 0.1)
    assert gaps[2] == pytest.approx(0.15)     # step 4 due at 0.3, began at 0.35
    assert gaps[3] == pytest.approx(0.05)     # step 5 back on the schedule at 0.4
    assert gaps[5] == pytest.approx(2.0)      # step 7 at once after the 2 s step ...
    np.testing.assert_allclose(gaps[6:], 0.1)  # ... and one interval apart from there


def test_slow_pace_sends_a_chunk_after_every_batch_fast_pace_in_chunks():
    slow = _trainer(n_samples=200, epochs=2)
    chunks = []
    _paced_fit(slow, pace=30, on_batches=chunks.append)
    assert [len(c.step) for c in chunks] == [1] * 10
    fast = _trainer(n_samples=200, epochs=2)
    chunks = []
    _paced_fit(fast, pace=100, on_batches=chunks.append)  # 0.01 s a step: chunks of 1/30 s
    assert sum(len(c.step) for c in chunks) == 10
    assert max(len(c.step) for c in chunks) >= 3


def test_history_seconds_follow_the_paced_clock():
    trainer = _trainer(n_samples=200, epochs=2)
    _paced_fit(trainer, pace=4)
    np.testing.assert_allclose(trainer.history.seconds, 0.25 * np.arange(10), atol=1e-9)


def test_set_pace_mid_run_applies_at_the_next_batch_without_a_reset():
    trainer = _trainer(n_samples=200, epochs=2)
    clock = FakeClock()
    began = []

    def batch():
        began.append(clock.now)
        if len(began) == 4:
            trainer.set_pace(2)
        if len(began) == 7:
            trainer.set_pace(None)

    history = trainer.fit(pace=10, clock=clock, sleep=clock.sleep,
                          callbacks=[OnEachBatch(batch)])
    gaps = np.diff(began)
    np.testing.assert_allclose(gaps[:3], 0.1)
    np.testing.assert_allclose(gaps[3:6], 0.5)  # step 5 is due 0.5 s after step 4
    np.testing.assert_allclose(gaps[6:], 0.0)   # full speed: no waiting at all
    assert history.n_steps == 10 and trainer.step_count == 10
    assert trainer.pace is None


def test_pause_cuts_a_wait_short_and_is_excluded_from_seconds():
    trainer = _trainer(n_samples=200, epochs=2)
    clock = FakeClock()
    pause = threading.Event()

    paused = []

    def sleep(seconds):
        if pause.is_set():              # the pause loop waits with the same sleep ...
            paused.append(seconds)
            clock.advance(1.0)
            if len(paused) == 7:        # ... for 7 s of the fake clock
                pause.clear()
            return
        clock.sleep(seconds)
        if len(clock.sleeps) == 3:      # paused during the wait before step 2
            pause.set()

    trainer.fit(pace=10, clock=clock, sleep=sleep, pause=pause)
    assert len(paused) == 7
    seconds = trainer.history.seconds
    # step 2 goes at once after the pause; the 7 paused seconds are not training time
    assert seconds[1] - seconds[0] == pytest.approx(0.06)
    np.testing.assert_allclose(np.diff(seconds)[1:], 0.1)


def test_stop_during_a_real_paced_wait_ends_the_run_at_once():
    trainer = _trainer(epochs=1000)
    stop = threading.Event()
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    started = time.monotonic()
    history = trainer.fit(pace=0.5, stop=stop)  # a 2 s wait: only the stop can end it
    elapsed = time.monotonic() - started
    timer.join()
    assert history.stop_reason == "stopped"
    assert history.n_steps == 1
    assert elapsed < 1.0


def test_pace_is_validated():
    trainer = _trainer()
    for bad in (0, -1, float("nan"), float("inf"), "10", True):
        with pytest.raises(ConfigError, match="pace must be a positive number"):
            trainer.set_pace(bad)


def test_without_a_pace_fit_never_sleeps():
    trainer = _trainer(n_samples=200, epochs=2)
    clock, began = _paced_fit(trainer, pace=None)
    assert clock.sleeps == []
    assert trainer.history.n_steps == 10


# -- headless --pace ---------------------------------------------------------------------------

def test_headless_pace_flag_parses_numbers_and_max_and_rejects_the_rest(capsys):
    from main import build_parser
    parser = build_parser()
    assert parser.parse_args(["--pace", "100"]).pace == 100.0
    assert parser.parse_args(["--pace", "0.5"]).pace == 0.5
    assert parser.parse_args(["--pace", "max"]).pace is None
    assert parser.parse_args([]).pace is None
    for bad in ("0", "-3", "fast", "nan", "inf"):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(["--pace", bad])
        assert exit_info.value.code == 2
        assert "--pace must be a positive number of steps per second or 'max'" in (
            capsys.readouterr().err)


def test_headless_run_at_a_pace_takes_as_long_as_the_pace_says(tmp_path):
    from main import main
    started = time.monotonic()
    status = main(["--headless", "--quiet", "--dataset", "circle", "--n-samples", "100",
                   "--batch-size", "40", "--epochs", "5", "--pace", "20",
                   "--out", str(tmp_path / "run")])
    elapsed = time.monotonic() - started
    assert status == 0
    # 10 steps at 20 steps/s: nine intervals of 0.05 s at least
    assert elapsed >= 0.45


# -- until stopped (epochs None) -----------------------------------------------------------------

def test_epochs_none_trains_past_any_epoch_count_until_stopped():
    trainer = _trainer(epochs=None)
    assert trainer.epochs is None
    stop = threading.Event()
    seen = []

    def on_epoch(result):
        seen.append(result.epoch)
        if result.epoch == 12:
            stop.set()

    history = trainer.fit(on_epoch=on_epoch, stop=stop)
    assert history.stop_reason == "stopped"
    assert not trainer.finished
    assert history.n_epochs == 12 and seen == list(range(1, 13))
    trainer.step()  # a stopped until-stopped run can go on
    assert trainer.history.n_steps == 12 * 3 + 1


def test_epochs_set_live_to_none_and_back():
    trainer = _trainer(epochs=2)
    trainer.update(epochs=None)
    assert trainer.epochs is None
    for _ in range(9):  # three epochs: past the configured two
        trainer.step()
    assert not trainer.finished
    trainer.update(epochs=3)
    assert trainer.finished
    assert [(e.field, e.old, e.new) for e in trainer.history.events] == [
        ("epochs", 2, None), ("epochs", None, 3)]


def test_epochs_none_is_a_valid_config_and_bad_epochs_still_are_not():
    assert TrainingConfig(epochs=None).validate().epochs is None
    for bad in (0, -1, 2.5, "10"):
        with pytest.raises(ConfigError, match="epochs must be a whole number"):
            TrainingConfig(epochs=bad).validate()


# -- "not learning" said out loud --------------------------------------------------------------

def test_accuracy_at_chance_while_the_loss_swings_gets_one_notice_in_history_and_chunks():
    trainer = Trainer(TrainingConfig(optimizer="momentum", learning_rate=1.0, batch_size=16,
                                     epochs=8))
    chunks = []
    history = trainer.fit(on_batches=chunks.append)
    assert [n.kind for n in history.notices] == ["chance_level"]
    notice = history.notices[0]
    # said at the end of the third epoch in a row at chance level (0.5 + 0.1)
    assert notice.step % trainer.steps_per_epoch == 0
    epoch = notice.step // trainer.steps_per_epoch
    assert np.all(history.val_accuracy[epoch - 3:epoch] <= 0.6)
    assert "chance level" in notice.message and "learning rate (1)" in notice.message
    assert [n for c in chunks for n in c.notices] == [notice]


def test_a_slow_run_at_chance_with_a_flat_loss_gets_no_notice():
    """lr 0.03 at batch 32 sits near 0.5 accuracy for its first epochs, the loss barely
    moving (p90/p10 about 1.1): crawling, not swinging."""
    history = Trainer(TrainingConfig(learning_rate=0.03, batch_size=32, epochs=8)).fit()
    assert np.all(history.val_accuracy[:3] <= 0.6)
    assert history.notices == []


def test_regression_runs_get_no_chance_notice():
    history = Trainer(TrainingConfig(dataset="sine", loss="mse", learning_rate=0.01,
                                     epochs=5)).fit()
    assert history.notices == []
