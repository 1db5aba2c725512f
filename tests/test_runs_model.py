"""The collection of runs (gui.model.runs), through the session's public API, without Qt:
the current run, a sweep's racing runs and the kept runs are entries of one collection, and
its events say what changed (the drawer of runs and the run table follow them)."""

import numpy as np
import pytest

from engine import BatchChunk, TrainingConfig
from gui.messages import Progress
from gui.model.labels import Label
from gui.model.runs import CURRENT_KEY, Role, RunEntry, Runs
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, KeptRun, RunFacts, Session


def kept_run(batch_size, steps=5):
    columns = {name: np.arange(1.0, steps + 1) for name in STEP_COLUMNS}
    epochs = {name: np.array([0.5, 0.4]) for name in EPOCH_COLUMNS}
    return KeptRun(0, TrainingConfig(batch_size=batch_size), columns, epochs, "finished", 1.0,
                   float(steps))


def recorder(runs):
    """Every event of ``runs`` as (name, keys or args), in order."""
    seen = []
    for name in ("added", "removed", "changed"):
        getattr(runs, name).connect(
            lambda entries, name=name: seen.append((name, [e.key for e in entries])))
    runs.grew.connect(lambda entries, progress: seen.append(
        ("grew", [e.key for e in entries], progress)))
    runs.planned.connect(lambda entry, epochs: seen.append(("planned", entry.key, epochs)))
    runs.ended.connect(lambda entry, reason: seen.append(("ended", entry.key, reason)))
    return seen


def test_a_racing_run_joins_the_collection_and_becomes_kept_in_place():
    session = Session()
    first = session.add_kept(kept_run(8))
    seen = recorder(session.runs)
    kept_changes = []
    session.kept_changed.connect(lambda: kept_changes.append(1))
    label = Label((("batch_size", (16,)),))
    racing = session.add_racing(label, (44, 160, 44), TrainingConfig(batch_size=16))
    assert session.runs.get(racing.key) is racing and racing.role == "racing"
    assert racing.key != first.key and session.runs.of("racing") == [racing]
    assert session.kept == [first] and seen == [("added", [racing.key])]
    assert (racing.label, racing.color, racing.visible, racing.aside) == (
        label, (44, 160, 44), True, False)
    racing.extend({"step": np.arange(1.0, 4.0), "batch_loss": np.array([3.0, 2.0, 1.0])},
                  {"val_loss": np.array([0.7])})
    session.runs.grow([racing])
    assert seen[-1] == ("grew", [racing.key], None)
    np.testing.assert_array_equal(racing.steps["batch_loss"], [3.0, 2.0, 1.0])
    np.testing.assert_array_equal(racing.epochs["val_loss"], [0.7])
    assert len(racing.steps["epoch"]) == 0  # a column the chunk lacked stays empty

    record = kept_run(16, steps=3)
    assert session.keep_racing([(racing, record)]) == [record]
    assert session.runs.get(racing.key) is racing and racing.role == "kept"
    assert record.key == racing.key and session.kept == [first, record]
    assert racing.steps["step"] is record.steps["step"]  # its columns are the record's
    assert racing.config == TrainingConfig(batch_size=16) and not session.runs.of("racing")
    # kept, and the other kept run relabelled by what differs now: one event for both
    assert seen[-1] == ("changed", [racing.key, first.key]) and kept_changes == [1]
    assert str(racing.label) == "batch 16" and str(first.label) == "batch 8"
    with pytest.raises(ValueError, match="not a racing run"):
        session.runs.keep(racing, kept_run(32))
    with pytest.raises(ValueError, match="only a racing run"):
        racing.extend({}, {})


def test_a_racing_run_dropped_leaves_the_collection_and_its_key_is_not_reused():
    session = Session()
    racing = session.add_racing(Label(), (1, 2, 3), TrainingConfig())
    seen = recorder(session.runs)
    session.runs.remove([racing.key, "no such run"])
    assert seen == [("removed", [racing.key])] and racing.key not in session.runs
    assert session.add_kept(kept_run(8)).key != racing.key


def test_set_aside_runs_are_not_drawn_and_a_lesson_draws_only_the_shown_ones():
    session = Session()
    a, b, c = session.add_kept_runs([kept_run(8), kept_run(16), kept_run(32)])
    entries = {entry.key: entry for entry in session.runs.of(Role.KEPT)}
    seen = recorder(session.runs)
    session.set_aside([a.key])
    assert seen == [("changed", [a.key])] and entries[a.key].aside
    assert [e.key for e in session.runs.drawn()] == [b.key, c.key]
    session.set_visible(b.key, False)  # hidden, not set aside: drawn greyed
    assert [e.key for e in session.runs.drawn()] == [b.key, c.key]
    session.runs.set_scene(True, {c.key})  # a lesson open: its shown runs only
    assert seen[-1] == ("changed", []) and session.runs.listed == {c.key}
    assert [e.key for e in session.runs.drawn()] == [c.key]
    count = len(seen)
    session.runs.set_scene(True, {c.key})  # no change: no event
    assert len(seen) == count
    session.set_aside([a.key], aside=False)
    assert [e.key for e in session.runs.drawn()] == [a.key, c.key]
    session.runs.set_scene(False)
    session.clear_kept()
    assert seen[-1] == ("removed", [a.key, b.key, c.key]) and session.runs.drawn() == []


def test_the_current_run_is_one_entry_replaced_by_each_new_run():
    session = Session()
    seen = recorder(session.runs)
    config = TrainingConfig(dataset="circle", batch_size=16, epochs=2)
    run = session.new_run(config, RunFacts("binary", 160, 10, 2))
    assert session.runs.current.record is run and session.runs.current.key == CURRENT_KEY
    assert session.runs.current.config == config and seen == [("added", [CURRENT_KEY])]
    step = np.arange(1, 11, dtype=np.int64)
    chunk = BatchChunk(step, np.ones(10), 1.0 / step, np.full(10, 0.1), [], None)
    progress = Progress(run.run_id, chunk, {"val_loss": [0.5]}, None, None, 10, 1, 10)
    session.apply_progress(progress)
    assert seen[-1] == ("grew", [CURRENT_KEY], progress)
    np.testing.assert_array_equal(session.runs.current.steps["batch_loss"], 1.0 / step)
    np.testing.assert_array_equal(session.runs.current.epochs["val_loss"], [0.5])
    session.plan_epochs(5)
    assert seen[-1] == ("planned", CURRENT_KEY, 5)
    session.end_run(run.run_id, "finished")
    assert seen[-1] == ("ended", CURRENT_KEY, "finished")
    kept = session.keep_current()
    assert [e.record for e in session.runs.of("kept")] == [kept] and len(session.runs) == 2
    second = session.new_run(config, RunFacts("binary", 160, 10, 2))
    assert seen[-2:] == [("removed", [CURRENT_KEY]), ("added", [CURRENT_KEY])]
    assert session.runs.current.record is second and len(session.runs) == 2


def test_changes_made_in_a_batch_are_announced_once_at_its_end():
    runs = Runs()
    seen = recorder(runs)
    records = [kept_run(8), kept_run(16)]
    records[0].key, records[1].key = 1, 2
    first, second = map(RunEntry.of_kept, records)
    with runs.batch():
        runs.add([first])
        runs.add([second])
        runs.update([first])
        runs.update([first, second])
        runs.set_scene(True)
        assert seen == []
    assert seen == [("added", [1, 2]), ("changed", [1, 2])]
    with pytest.raises(ValueError, match="already"):
        runs.add([first])
    assert runs.of("kept") == [first, second] and list(runs) == [first, second]
