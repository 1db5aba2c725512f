"""The Qt-free session: run state, the current run's copy of its messages, pending changes,
the dataset cache, kept runs (labels, colours, files). No Qt is imported here."""

import csv
import json

import numpy as np
import pytest

from engine import BatchChunk, TrainingConfig, optimizers
from engine.history import Event as Change
from gui.model.labels import Outcome
from gui.session import DatasetCache, RunFacts, RunState, Session, describe_differences
from gui.messages import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def chunk(start, n, loss=1.0, events=()):
    steps = np.arange(start + 1, start + n + 1, dtype=np.int64)
    return BatchChunk(steps, np.ones(n, np.int64), np.full(n, loss), np.full(n, 0.03),
                      list(events), None)


def config(**changes):
    return TrainingConfig(**{"dataset": "circle", "batch_size": 16, **changes})


def started(session, **changes):
    cfg = config(**changes)
    return session.new_run(cfg, RunFacts("binary", 160, 10, cfg.epochs))


def progress(run, start, n, epochs=None, **kwargs):
    return Progress(run.run_id, chunk(start, n, **kwargs), epochs or {}, None, None,
                    start + n, 1, 10, False)


def test_state_is_an_enum_equal_to_its_text_and_events_fire():
    session = Session()
    seen = []
    session.state_changed.connect(seen.append)
    started(session)
    session.set_state("running")
    assert session.state is RunState.RUNNING and session.state == "running"
    assert seen == [RunState.READY, RunState.RUNNING]
    with pytest.raises(ValueError):
        session.set_state("flying")


def test_current_run_copies_messages_and_ignores_older_runs():
    session = Session()
    old = started(session)
    run = started(session)
    assert not session.apply_progress(progress(old, 0, 5))
    assert session.apply_progress(progress(run, 0, 5, epochs={"train_loss": [0.5]}))
    assert session.apply_progress(progress(run, 5, 3, loss=0.25))
    np.testing.assert_array_equal(run.steps["step"].view, np.arange(1, 9))
    # samples from the batch size when the engine does not send them
    np.testing.assert_array_equal(run.steps["samples"].view, 16 * np.arange(1, 9))
    assert run.last_loss == 0.25
    assert list(run.epochs["train_loss"].view) == [0.5]
    assert run.step_count == 8


def test_wall_time_and_speed_exclude_paused_time():
    clock = Clock()
    session = Session(clock)
    run = started(session)
    session.set_state("running")
    clock.now += 2.0
    session.apply_progress(progress(run, 0, 100))
    session.set_state("paused")
    clock.now += 50.0
    session.set_state("running")
    clock.now += 2.0
    session.apply_progress(progress(run, 100, 100))
    session.end_run(run.run_id, "finished")
    assert run.wall_seconds == pytest.approx(4.0)
    assert run.steps_per_second == pytest.approx(50.0)
    assert session.state is RunState.ENDED and run.finished


def test_pending_changes_list_only_fields_that_need_a_new_model():
    session = Session()
    started(session)
    wanted = config(learning_rate=0.5, hidden_layers=(4,), activation="relu")
    assert sorted(session.pending_changes(wanted)) == ["activation", "hidden_layers"]


def test_dataset_cache_reads_a_csv_once_per_version(tmp_path):
    path = tmp_path / "d.csv"
    rows = "\n".join(f"{i % 7},{i % 3},{i % 2}" for i in range(60))
    path.write_text("a,b,label\n" + rows + "\n")
    cache = DatasetCache()
    cfg = config(dataset=f"csv:{path}")
    first = cache.get(cfg)
    assert cache.get(cfg.replace(learning_rate=0.5)) is first
    assert cache.loads == 1
    path.write_text("a,b,label\n" + rows + "\n1,1,1\n")
    assert cache.get(cfg) is not first
    assert cache.loads == 2


def texts(labels):
    """Labels (``gui.model.labels.Label``) as their English text."""
    return [str(label) for label in labels]


def test_labels_name_only_what_differs():
    labels = describe_differences([config(batch_size=8), config(batch_size=512,
                                   learning_rate=0.1, optimizer="lars")])
    lr = TrainingConfig().learning_rate
    assert texts(labels) == [f"batch 8 · lr {lr:g} · sgd", "batch 512 · lr 0.1 · lars"]
    assert texts(describe_differences([config()])) == [f"batch 16 · lr {lr:g}"]
    assert str(Outcome.of_run("diverged", 41)) == "diverged at step 41"


def test_labels_ignore_defaults_spelled_out_and_fields_a_run_does_not_use():
    # The panel spells out an optimizer's defaults; a lesson's config leaves them None.
    spelled = config(optimizer="adam", **{name: value for name, value in
                                         optimizers.hyperparameters("adam").items()
                                         if name != "learning_rate"})
    assert texts(describe_differences([config(optimizer="adam"), spelled,
                                       config(optimizer="sgd")])) == ["adam", "adam", "sgd"]
    labels = describe_differences([config(optimizer="sgd"),
                                   config(optimizer="adam", beta_1=0.8)])
    assert texts(labels) == ["sgd", "adam · beta_1 0.8"]


def test_kept_runs_freeze_the_run_with_distinct_colours_and_survive_a_save(tmp_path):
    session = Session()
    changed = []
    session.kept_changed.connect(lambda: changed.append(len(session.kept)))
    for batch in (8, 64):
        run = started(session, batch_size=batch)
        session.apply_progress(progress(run, 0, 4, epochs={"train_loss": [0.4],
                                                           "val_loss": [0.5]}))
        session.end_run(run.run_id, "stopped")
        session.keep_current()
    first, second = session.kept
    assert texts([first.label, second.label]) == ["batch 8", "batch 64"]
    assert first.color != second.color and first.outcome == Outcome("stopped")
    assert changed == [1, 2]
    session.save_kept(tmp_path)
    restored = Session()
    assert restored.load_kept(tmp_path) == []
    assert texts(k.label for k in restored.kept) == ["batch 8", "batch 64"]
    np.testing.assert_array_equal(restored.kept[1].steps["batch_loss"], [1.0] * 4)
    session.remove_kept(first.key)
    assert session.save_kept(tmp_path) == []
    again = Session()
    assert again.load_kept(tmp_path) == [] and [k.n_steps for k in again.kept] == [4]


def test_a_run_kept_with_a_name_is_labelled_by_it_and_keeps_it_when_saved(tmp_path):
    """A lesson names the runs it keeps ("Learning rate: Too small (0.01)"): that name is the
    label, where the fields that differ made it "batch 512 · lr 0.2 · sgd · epochs 150 · …";
    runs kept without a name are labelled by what differs, as before."""
    session = Session()
    for batch, name in ((8, "Batch size: small (8)"), (64, ""), (512, "")):
        run = started(session, batch_size=batch)
        session.apply_progress(progress(run, 0, 4))
        session.end_run(run.run_id, "finished")
        session.keep_current(name=name)
    assert texts(k.label for k in session.kept) == ["Batch size: small (8)", "batch 64",
                                                    "full batch (160)"]
    session.save_kept(tmp_path)
    restored = Session()
    assert restored.load_kept(tmp_path) == []
    assert texts(k.label for k in restored.kept) == ["Batch size: small (8)", "batch 64",
                                                     "full batch (160)"]
    assert restored.kept[0].name == "Batch size: small (8)" and restored.kept[1].name == ""


def test_a_live_change_is_part_of_the_kept_config_and_export_is_long_csv(tmp_path):
    session = Session()
    run = started(session)
    change = Change(3, "learning_rate", 0.03, 0.3)
    session.apply_progress(progress(run, 0, 4, events=[change], epochs={
        "train_loss": [0.4], "val_loss": [0.5], "train_accuracy": [0.9],
        "val_accuracy": [0.8]}))
    kept = session.keep_current()
    assert kept.config.learning_rate == 0.3
    steps, epochs = tmp_path / "steps.csv", tmp_path / "epochs.csv"
    session.export_runs(steps, epochs)
    rows = list(csv.DictReader(steps.open()))
    assert len(rows) == 4 and rows[0]["run"] == str(kept.label) and rows[3]["samples"] == "64"
    epoch_rows = list(csv.DictReader(epochs.open()))
    assert epoch_rows == [{"run": str(kept.label), "epoch": "1", "train_loss": "0.4",
                           "val_loss": "0.5", "train_accuracy": "0.9", "val_accuracy": "0.8"}]
    assert not list(tmp_path.glob("*.part"))


def test_a_corrupt_saved_run_is_reported_not_fatal(tmp_path):
    (tmp_path / "kept.json").write_text(json.dumps([{"file": "run-0.npz"}]))
    session = Session()
    problems = session.load_kept(tmp_path)
    assert len(problems) == 1 and "run-0.npz" in str(problems[0])
    assert session.kept == []


def test_labels_say_what_the_run_used_live_changes_full_batch_and_no_none():
    """Issue 24 #3: a run whose rate went to 1.5 live was labelled "lr 0.3", a batch of all
    rows "batch 100000", and a sweep's runs "momentum None · linear_scaling False"."""
    session = Session()
    run = started(session, learning_rate=0.3)
    session.apply_progress(progress(run, 0, 4, events=[
        Change(3, "learning_rate", 0.3, 1.5), Change(4, "batch_size", 16, 64)]))
    assert str(session.relabel()) == "batch 16→64 · lr 0.3→1.5"
    kept = session.keep_current()
    assert str(kept.label) == "batch 16→64 · lr 0.3→1.5"
    full = describe_differences([config(batch_size=100000)], n_train=[1438])
    assert texts(full) == ["full batch (1438) · lr 0.3"]
    labels = describe_differences(
        [config(optimizer="momentum", linear_scaling=True), config(optimizer="momentum",
                                                                    momentum=0.5)])
    assert texts(labels) == ["linear scaling", "momentum 0.5"]
    assert not any("None" in label or "False" in label for label in texts(labels))


def test_a_kept_runs_live_change_survives_a_save(tmp_path):
    session = Session()
    run = started(session, learning_rate=0.3)
    session.apply_progress(progress(run, 0, 4, events=[Change(3, "learning_rate", 0.3, 1.5)]))
    session.end_run(run.run_id, "stopped")
    session.keep_current()
    session.save_kept(tmp_path)
    restored = Session()
    assert restored.load_kept(tmp_path) == []
    assert texts(k.label for k in restored.kept) == ["batch 16 · lr 0.3→1.5"]
