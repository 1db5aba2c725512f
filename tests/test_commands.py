"""The run commands (gui.model.commands), without Qt: the state transitions of start, pause,
step, stop, reset and keep, the requests they send to the worker port, and what they say."""

import numpy as np
import pytest

from engine import config as engine_config
from engine.trainer import BatchChunk
from gui.model.commands import RunCommands
from gui.model.draft import Draft
from gui.session import RunState, Session


class FakeWorker:
    """The worker port, recording each request; ``busy`` and ``fit_active`` as a worker
    would report them."""

    def __init__(self):
        self.requests = []
        self.busy = False
        self.fit_active = False

    def train(self):
        self.requests.append("train")
        self.fit_active = self.busy = True

    def step(self):
        self.requests.append("step")

    def attach(self, run_id, trainer, geometry):
        self.requests.append(("attach", run_id))

    def pause(self):
        self.requests.append("pause")

    def resume(self):
        self.requests.append("resume")

    def halt(self):
        self.requests.append("halt")
        self.fit_active = self.busy = False

    def update(self, **changes):
        self.requests.append(("update", changes))


@pytest.fixture
def model():
    session, draft, worker = Session(), Draft(), FakeWorker()
    asked = []
    commands = RunCommands(session, draft, worker,
                           ask=lambda title, text: asked.append((title, text)) or True)
    said, warned, pending, scheduled = [], [], [], []
    commands.said.connect(lambda text, ms: said.append(text))
    commands.warned.connect(lambda kind, title, text: warned.append((kind, title, text)))
    commands.pending_changed.connect(pending.append)
    commands.rebuild_scheduled.connect(lambda: scheduled.append(True))
    return dict(commands=commands, session=session, draft=draft, worker=worker, said=said,
                warned=warned, pending=pending, asked=asked, scheduled=scheduled)


def test_start_builds_a_model_then_trains_and_start_again_pauses_and_resumes(model):
    commands, session, worker = model["commands"], model["session"], model["worker"]
    assert session.run is None and commands.needs_new_model()
    launched = []
    commands.fit_launched.connect(launched.append)
    commands.start_pause()
    assert session.state == RunState.RUNNING
    assert worker.requests == ["halt", ("attach", session.run.run_id), "train"]
    assert commands.trained_run_id == session.run.run_id and launched == [0]
    assert commands.trainer.config == session.run.config
    commands.start_pause()
    assert session.state == RunState.PAUSED and worker.requests[-1] == "pause"
    commands.start_pause()
    assert session.state == RunState.RUNNING and worker.requests[-1] == "resume"


def test_stop_halts_and_start_continues_the_same_run(model):
    commands, session, worker = model["commands"], model["session"], model["worker"]
    commands.start_pause()
    run_id = session.run.run_id
    commands.stop()
    assert session.state == RunState.READY and worker.requests[-1] == "halt"
    session.run.step_count = 5  # trained before the stop (as a Progress message says)
    commands.start_pause()
    assert session.run.run_id == run_id and worker.requests[-1] == "train"


def test_a_fit_stopped_for_another_job_shows_paused(model):
    commands, session = model["commands"], model["session"]
    commands.start_pause()
    commands.on_fit_stopped()
    assert session.state == RunState.PAUSED


def test_step_on_an_untrained_model_rebuilds_it_from_the_draft_once(model):
    commands, session, worker, draft = (model["commands"], model["session"], model["worker"],
                                        model["draft"])
    assert commands.reset()
    first = session.run.run_id
    draft.set("hidden_layers", (3,))  # before training: the draft schedules a rebuild
    assert model["scheduled"] == [True] and commands.rebuild_pending
    assert commands.step()
    assert session.run.run_id == first + 1 and session.run.config.hidden_layers == (3,)
    assert worker.requests[-1] == "step" and not commands.rebuild_pending
    assert commands.step()  # the step sent counts as training: no new model
    assert session.run.run_id == first + 1


def test_a_finished_run_steps_no_further_and_says_why(model):
    commands, session = model["commands"], model["session"]
    commands.reset()
    session.run.step_count = 10
    session.end_run(session.run.run_id, "finished")
    assert not commands.step()
    assert "finished all its epochs" in model["said"][-1]


def test_an_invalid_draft_resets_nothing_and_says_why(model):
    commands, session, draft = model["commands"], model["session"], model["draft"]
    commands.reset()
    run = session.run
    draft.edit("hidden_layers", "4, 0")
    assert not commands.reset(quiet=True)
    assert session.run is run and "hidden_layers" in model["pending"][-1]
    assert model["warned"] == []
    assert not commands.reset()
    kind, title, text = model["warned"][-1]
    assert (kind, title) == ("warning", "Cannot reset") and "hidden_layers" in text
    draft.set("dataset", "sine")
    draft.set("hidden_layers", (4,))
    assert not commands.reset()
    assert "regression" in commands.last_reset_error


def test_live_changes_go_to_the_running_trainer_and_others_wait_for_reset(model):
    commands, session, worker, draft = (model["commands"], model["session"], model["worker"],
                                        model["draft"])
    commands.start_pause()
    session.run.step_count = 3
    draft.set("learning_rate", 0.05)
    assert worker.requests[-1] == ("update", {"learning_rate": 0.05})
    assert "next batch" in model["said"][-1]
    draft.set("batch_size", 64)
    assert worker.requests[-1] == ("update", {"batch_size": 64})
    assert "next epoch" in model["said"][-1]
    draft.set("activation", "relu")
    assert worker.requests[-1] == ("update", {"batch_size": 64})
    assert commands.pending_fields() == ["activation"]


def test_keep_keeps_the_current_run_or_says_there_is_none(model):
    commands, session = model["commands"], model["session"]
    assert commands.keep() is None and model["said"] == [
        "Nothing to keep yet: train a few steps first."]
    commands.reset()
    assert commands.keep() is None  # nothing trained yet
    one = np.ones(1)
    session.run.add_steps(BatchChunk(step=one, epoch=one, loss=one * 0.7,
                                     learning_rate=one * 0.3, events=[]))
    session.run.step_count = 1
    kept = commands.keep()
    assert kept is not None and session.kept == [kept] and kept.config == session.run.config


def test_a_large_model_is_built_only_once_agreed(model, monkeypatch):
    commands, session, draft = model["commands"], model["session"], model["draft"]
    monkeypatch.setattr(engine_config, "WARN_BYTES", 1)
    assert not commands.reset(quiet=True)  # a changed setting only says so
    assert commands.size_pending and session.run is None
    assert "Start or Reset builds it" in model["said"][-1] and model["asked"] == []
    assert commands.reset()  # Reset asks (the fake user agrees)
    assert len(model["asked"]) == 1 and model["asked"][0][0] == "Large model"
    assert commands.size_confirmed == session.run.config and not commands.size_pending
    assert commands.reset()  # the same config is not asked again
    assert len(model["asked"]) == 1
    draft.set("seed", 7)
    commands.closing = True  # a closing window asks nothing: no model
    assert not commands.reset()
    assert model["said"][-1] == "The large model was not built."


def test_regenerate_takes_the_next_seed_and_a_new_model(model):
    commands, session, draft = model["commands"], model["session"], model["draft"]
    commands.reset()
    assert commands.regenerate()
    assert draft["seed"] == 1 and session.run.config.seed == 1


def test_a_dataset_that_cannot_be_used_falls_back_to_the_default(model, tmp_path):
    commands, session, draft = model["commands"], model["session"], model["draft"]
    missing = f"csv:{tmp_path / 'gone.csv'}"
    draft.set("dataset", missing)
    assert not commands.reset(quiet=True)
    assert commands.fall_back_to_default_dataset()
    assert draft["dataset"] == "circle" and session.run.config.dataset == "circle"
    assert "gone.csv" in model["said"][-1] and "Using circle" in model["said"][-1]


def test_suggested_settings_go_into_the_draft_with_why_and_a_new_model(model):
    commands, session, draft = model["commands"], model["session"], model["draft"]
    draft.update({"dataset": "spiral", "learning_rate": 0.001})
    assert commands.apply_suggested()
    from engine import presets
    preset = presets.suggested("spiral")
    for field, value in preset.changes.items():
        assert draft[field] == draft.normal(field, value), field
    assert session.run.config == draft.to_config()
    assert model["said"][-1] == preset.why
