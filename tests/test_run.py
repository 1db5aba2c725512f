"""engine.Run: a run saves as a folder (the headless format) and loads back as the same run."""

import datetime
import errno
import json
import os

import numpy as np
import pytest

from engine import ConfigError, Run, Trainer, TrainingConfig
from engine import run as run_module
from engine.history import History


@pytest.fixture(scope="module")
def trained():
    """A short finished run with a live change, so events are saved and loaded too."""
    trainer = Trainer(TrainingConfig(dataset="xor", epochs=4, batch_size=64, seed=2))
    trainer.step()
    trainer.update(learning_rate=0.1)
    trainer.fit()
    return trainer


def _run(trainer, **kwargs):
    started = datetime.datetime(2026, 12, 1, 21, 0, tzinfo=datetime.timezone.utc)
    return Run.from_trainer(trainer, label="xor · lr 0.1", color="#1f77b4", started=started,
                            wall_seconds=0.5, **kwargs)


def _fake_png(run, path):
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + bytes(run.steps % 256 for _ in range(8)))


def test_from_trainer_records_final_values_outcome_and_batch_size_used(trained):
    run = _run(trained)
    assert run.outcome == "finished" and not run.stopped
    assert run.steps == trained.history.n_steps == 4 * 7  # 400 rows / 64 -> 7 batches
    assert run.steps_per_second == pytest.approx(run.steps / 0.5)
    assert run.final == {"train_loss": trained.evaluate("train")["loss"],
                         "val_loss": trained.evaluate("val")["loss"],
                         "train_accuracy": trained.evaluate("train")["accuracy"],
                         "val_accuracy": trained.evaluate("val")["accuracy"]}
    assert run.metadata == {"batch_size_used": 64, "n_train": 400}


def test_batch_size_used_is_the_clamped_one():
    trainer = Trainer(TrainingConfig(dataset="iris", loss="categorical_crossentropy",
                                     batch_size=256, epochs=1))
    trainer.fit()
    run = Run.from_trainer(trainer)
    assert trainer.n_train == 120
    assert run.metadata["batch_size_used"] == 120
    assert run.summary()["config"]["batch_size"] == 256  # what was asked, beside what was used
    assert run.summary()["batch_size_used"] == 120


def test_save_writes_four_files_and_load_gives_the_same_run(trained, tmp_path):
    run = _run(trained, metadata={"note": "kept"})
    written = run.save(tmp_path / "r", draw_png=_fake_png)
    assert sorted(os.path.basename(p) for p in written) == [
        "epochs.csv", "history.csv", "loss.png", "summary.json"]
    assert sorted(os.listdir(tmp_path / "r")) == sorted(os.path.basename(p) for p in written)

    loaded = Run.load(tmp_path / "r")
    assert loaded.config == run.config
    assert (loaded.label, loaded.color, loaded.started, loaded.outcome) == (
        run.label, run.color, run.started, run.outcome)
    assert loaded.wall_seconds == 0.5 and loaded.steps_per_second == run.steps_per_second
    assert loaded.final == run.final
    assert loaded.metadata == {"batch_size_used": 64, "n_train": 400, "note": "kept"}
    old, new = run.history, loaded.history
    np.testing.assert_array_equal(new.step, old.step)
    np.testing.assert_array_equal(new.epoch, old.epoch)
    np.testing.assert_array_equal(new.epoch_start_steps, old.epoch_start_steps)
    # per step: 7 significant digits in the CSV (float32 keeps about as many)
    np.testing.assert_allclose(new.batch_loss, old.batch_loss, rtol=6e-7)
    np.testing.assert_allclose(new.learning_rate, old.learning_rate, rtol=6e-7)
    # per epoch: exact
    for name in ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "epoch_seconds"):
        np.testing.assert_array_equal(getattr(new, name), getattr(old, name))
    assert new.best_epoch == old.best_epoch
    assert new.events == old.events and len(new.events) == 1
    assert new.events[0].field == "learning_rate" and new.events[0].new == 0.1
    assert new.stop_reason == "finished" and new.diverged is None


def test_summary_keeps_what_headless_wrote_and_adds_label_and_outcome(trained, tmp_path):
    _run(trained).save(tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert set(summary) >= {"config", "final", "best_epoch", "epochs_completed", "steps",
                            "seconds", "steps_per_second", "diverged", "stop_reason", "events",
                            "label", "outcome", "stopped", "batch_size_used"}
    assert summary["label"] == "xor · lr 0.1" and summary["outcome"] == "finished"
    assert summary["started"] == "2026-12-01T21:00:00+00:00"
    assert not (tmp_path / "loss.png").exists()  # no draw_png, no picture


def test_a_diverged_run_round_trips_its_divergence(tmp_path):
    trainer = Trainer(TrainingConfig(dataset="sine", loss="mse", learning_rate=100, epochs=20))
    trainer.fit()
    run = Run.from_trainer(trainer)
    assert run.outcome == "diverged"
    run.save(tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["diverged"] is True and summary["divergence"]["step"] == run.steps
    loaded = Run.load(tmp_path)
    assert loaded.outcome == "diverged"
    assert loaded.history.diverged.step == trainer.history.diverged.step
    assert loaded.history.diverged.message == trainer.history.diverged.message
    loss = trainer.history.diverged.loss
    assert loaded.history.diverged.loss == (loss if np.isfinite(loss) else float("inf"))


def test_a_stopped_run_says_so():
    import threading
    trainer = Trainer(TrainingConfig(dataset="xor", epochs=5))
    stop = threading.Event()

    def stop_after_first_epoch(result):
        stop.set()
    trainer.fit(on_epoch=stop_after_first_epoch, stop=stop)
    run = Run.from_trainer(trainer)
    assert run.outcome == "stopped" and run.stopped
    assert run.summary()["stopped"] is True


def test_an_older_headless_folder_loads_with_what_it_has(tmp_path):
    """First-wave folders: no epochs.csv, no samples/seconds, no label/outcome/divergence."""
    (tmp_path / "history.csv").write_text(
        "step,epoch,batch_loss,learning_rate\n1,1,0.75,0.03\n2,1,0.7,0.03\n3,2,0.65,0.03\n")
    config = TrainingConfig(dataset="xor", epochs=2, batch_size=200)
    summary = {"config": config.to_dict(),
               "final": {"train_loss": 0.6, "val_loss": 0.61, "train_accuracy": 0.7,
                         "val_accuracy": None},
               "best_epoch": 2, "epochs_completed": 2, "steps": 3, "seconds": 0.01,
               "steps_per_second": 300.0, "diverged": False, "stop_reason": "finished",
               "events": [{"step": 2, "field": "learning_rate", "old": 0.03, "new": 0.03}]}
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    run = Run.load(tmp_path)
    assert run.config == config and run.outcome == "finished" and run.label == ""
    assert run.steps == 3 and list(run.history.epoch) == [1, 1, 2]
    assert run.history.n_epochs == 0  # no epochs.csv: the per-epoch series stay missing
    assert run.final["val_accuracy"] is None and run.final["train_loss"] == 0.6
    assert run.wall_seconds == 0.01 and run.steps_per_second == 300.0
    assert run.metadata == {}


def test_an_older_diverged_folder_loads_as_diverged_at_its_last_step(tmp_path):
    (tmp_path / "history.csv").write_text(
        "step,epoch,batch_loss,learning_rate\n1,1,5.0,100\n2,1,inf,100\n")
    (tmp_path / "summary.json").write_text(json.dumps(
        {"config": TrainingConfig(dataset="sine", loss="mse").to_dict(), "steps": 2,
         "diverged": True, "stop_reason": "diverged"}))
    run = Run.load(tmp_path)
    assert run.outcome == "diverged"
    assert run.history.diverged.step == 2 and run.history.diverged.loss == float("inf")


def _good_folder(tmp_path, trained):
    folder = tmp_path / "run"
    _run(trained).save(folder)
    return folder


@pytest.mark.parametrize("breakage, message", [
    (lambda f: (f / "summary.json").unlink(), "summary.json is missing"),
    (lambda f: (f / "history.csv").unlink(), "history.csv is missing"),
    (lambda f: (f / "summary.json").write_text("{not json"), "summary.json is not valid JSON"),
    (lambda f: (f / "summary.json").write_text("[1, 2]"), "summary.json must hold a JSON object"),
    (lambda f: (f / "summary.json").write_text('{"steps": 28}'),
     "summary.json: 'config' must be a dict, it is missing"),
    (lambda f: _edit_summary(f, config={"loss": "hinge", "wings": 2}),
     "summary.json: config: unknown configuration field(s) wings"),
    (lambda f: _edit_summary(f, outcome="exploded"), "summary.json: outcome 'exploded'"),
    (lambda f: _edit_summary(f, steps=5), "summary.json says 5 steps but history.csv has 28"),
    (lambda f: _edit_summary(f, events=[{"step": 1}]), "summary.json: 'events' must be"),
    (lambda f: _edit_summary(f, started="yesterday"), "summary.json: started 'yesterday'"),
    (lambda f: _edit_summary(f, seconds="fast"), "summary.json: 'seconds' must be a number"),
    (lambda f: (f / "summary.json").write_bytes(b"\xff\xfe{}"), "summary.json cannot be read"),
    (lambda f: (f / "history.csv").write_text("step,loss\n1,2\n"),
     "history.csv: the header 'step,loss' lacks the column(s) epoch, batch_loss, learning_rate"),
    (lambda f: _edit_line(f / "history.csv", 3, "2,1,64,0.1,abc,0.03"),
     "history.csv line 3: 'abc' is not a number"),
    (lambda f: _edit_line(f / "history.csv", 3, "2,1,0.5"),
     "history.csv line 3: 3 values, the header has 6"),
    (lambda f: _edit_line(f / "history.csv", 3, "7,1,64,0.1,0.5,0.03"),
     "history.csv line 3: step 7 where 2 was expected"),
    (lambda f: _edit_line(f / "history.csv", 3, "2,3,64,0.1,0.5,0.03"),
     "history.csv line 3: epoch 3 after epoch 1"),
    (lambda f: _edit_line(f / "epochs.csv", 2, "2,0.1,0.1,0.5,0.5,0.01"),
     "epochs.csv line 2: epoch 2 where 1 was expected"),
    (lambda f: _edit_line(f / "epochs.csv", 2, "1,0.1"),
     "epochs.csv line 2: 2 values, the header has 6"),
])
def test_a_bad_folder_is_a_config_error_naming_file_and_problem(tmp_path, trained, breakage,
                                                                 message):
    folder = _good_folder(tmp_path, trained)
    breakage(folder)
    with pytest.raises(ConfigError) as caught:
        Run.load(folder)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_folder_or_a_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist or is not a folder"):
        Run.load(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="does not exist or is not a folder"):
        Run.load(tmp_path / "file")


def _edit_summary(folder, **changes):
    path = folder / "summary.json"
    summary = json.loads(path.read_text())
    summary.update(changes)
    path.write_text(json.dumps(summary))


def _edit_line(path, number, text):
    lines = path.read_text().splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n")


# -- failures while saving: each file is reported, the others are written ------------------------

def test_a_failing_picture_leaves_the_other_files_written(trained, tmp_path):
    def broken_png(run, path):
        raise RuntimeError("no display")
    with pytest.raises(run_module.SaveError) as caught:
        _run(trained).save(tmp_path, draw_png=broken_png)
    assert set(caught.value.failures) == {"loss.png"}
    assert caught.value.written == ["history.csv", "epochs.csv", "summary.json"]
    assert "loss.png: no display" in str(caught.value)
    assert sorted(os.listdir(tmp_path)) == ["epochs.csv", "history.csv", "summary.json"]
    assert Run.load(tmp_path).steps == trained.history.n_steps


class _FullDisk:
    """A file that takes ``room`` characters, then fails as a full disk does."""

    def __init__(self, handle, room):
        self._handle, self._left = handle, room

    def write(self, text):
        if len(text) > self._left:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._left -= len(text)
        return self._handle.write(text)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


def full_disk_for(name, monkeypatch, room=100):
    """Make engine.atomic's writes of files called ``name`` hit a full disk."""
    from engine import atomic

    def fake_open(path, mode="r", *args, **kwargs):
        handle = open(path, mode, *args, **kwargs)
        return _FullDisk(handle, room) if os.path.basename(path).startswith(f".{name}.") \
            else handle
    monkeypatch.setattr(atomic, "open", fake_open, raising=False)


def test_a_full_disk_on_one_file_keeps_its_old_copy_and_writes_the_rest(trained, tmp_path,
                                                                      monkeypatch):
    _run(trained).save(tmp_path, draw_png=_fake_png)
    good_history = (tmp_path / "history.csv").read_bytes()
    longer = Trainer(TrainingConfig(dataset="xor", epochs=6, batch_size=64, seed=2))
    longer.fit()
    full_disk_for("history.csv", monkeypatch)
    with pytest.raises(run_module.SaveError) as caught:
        Run.from_trainer(longer, label="second").save(tmp_path, draw_png=_fake_png)
    assert set(caught.value.failures) == {"history.csv"}
    assert caught.value.failures["history.csv"].errno == errno.ENOSPC
    assert caught.value.failures["history.csv"].filename == str(tmp_path / "history.csv")
    assert "history.csv: No space left on device" in str(caught.value)
    assert (tmp_path / "history.csv").read_bytes() == good_history  # the good copy survives
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["label"] == "second" and summary["steps"] == 6 * 7
    assert sorted(os.listdir(tmp_path)) == ["epochs.csv", "history.csv", "loss.png",
                                            "summary.json"]


def test_a_folder_in_place_of_a_file_is_reported_and_the_rest_written(trained, tmp_path):
    (tmp_path / "loss.png").mkdir()
    with pytest.raises(run_module.SaveError) as caught:
        _run(trained).save(tmp_path, draw_png=_fake_png)
    assert set(caught.value.failures) == {"loss.png"}
    assert isinstance(caught.value.failures["loss.png"], IsADirectoryError)
    assert (tmp_path / "summary.json").exists() and (tmp_path / "loss.png").is_dir()


def test_run_rejects_an_unknown_outcome_and_a_non_config(trained):
    with pytest.raises(ConfigError, match="outcome 'done' is unknown"):
        Run(trained.config, trained.history, outcome="done")
    with pytest.raises(ConfigError, match="Run needs a TrainingConfig"):
        Run({"dataset": "xor"}, trained.history)


def test_engine_exports_run_without_qt():
    import subprocess
    import sys
    code = ("import sys, engine; from engine import Run; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'pyqtgraph')]; print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
