"""Run labels and outcomes as data (gui.model.labels): built by the session as keys and
values, saved as data, put into words only where shown -- in the language shown -- and never
parsed back (issue 20; issue 24 item 7). Runs saved by older versions, with their label and
outcome as English text only, still load and show that text."""

import json
import os

import numpy as np

from engine import TrainingConfig
from engine.history import Event as Change
from gui.model.labels import Label, Outcome, outcome_text, text
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, KeptRun, Session
from tests.test_session import progress, started


def kept_run(session, lesson_step=None, name="", reason="finished", diverged_step=None,
             **changes):
    run = started(session, **changes)
    session.apply_progress(progress(run, 0, 4))
    session.end_run(run.run_id, reason, diverged_step=diverged_step)
    return session.keep_current(name=name, lesson_step=lesson_step)


def test_a_label_is_parts_of_keys_and_values_not_text():
    session = Session()
    run = started(session, learning_rate=0.3, batch_size=100000)
    session.apply_progress(progress(run, 0, 4, events=[Change(3, "learning_rate", 0.3, 1.5)]))
    label = session.relabel()
    assert label.parts == (("batch_size", (("full_batch", 160),)),
                           ("learning_rate", (0.3, 1.5)))
    assert str(label) == "full batch (160) · lr 0.3→1.5"
    assert Label.from_json(json.loads(json.dumps(label.to_json()))) == label
    assert session.keep_current().label == label


def test_an_outcome_is_a_key_with_its_parameters_and_reads_in_either_language():
    diverged = Outcome.of_run("diverged", 36)
    assert (diverged.key, diverged.params, diverged.diverged) == ("diverged", {"step": 36}, True)
    assert Outcome.of_run(None) == Outcome("stopped")
    assert Outcome.from_saved(json.loads(json.dumps(diverged.to_json()))) == diverged
    assert outcome_text(diverged, "en") == "diverged at step 36"
    assert outcome_text(diverged, "ko") == "36단계에서 발산"
    assert outcome_text(Outcome("early_stopping"), "ko") == "조기 종료"


def test_a_label_reads_in_the_language_asked_and_a_given_name_as_it_is():
    label = Label((("batch_size", (16, 64)), ("learning_rate", (0.3,)),
                   ("optimizer", ("lars",))))
    assert text(label, "en") == "batch 16→64 · lr 0.3 · lars"
    assert text(label, "ko") == "배치 16→64 · 학습률 0.3 · lars"
    full = Label((("batch_size", (("full_batch", 1438),)),))
    assert text(full, "ko") == "전체 배치 (1438)"
    given = Label.of_text("my best run")
    assert text(given, "ko") == "my best run"


def test_a_field_without_a_short_name_reads_as_its_glossary_label_in_the_language_shown():
    """A sweep over LARS runs named them "momentum 0 · warmup_epochs 2 · linear_scaling",
    field names in Korean too: a field reads as its control's label (the glossary's), lower
    case; one whose label ends in a number keeps its field name ("beta 1 0.8" would run the
    number into the value)."""
    label = Label((("optimizer", ("lars",)), ("momentum", (0.0,)), ("warmup_epochs", (2.0,)),
                   ("linear_scaling", (True,)), ("beta_1", (0.8,))))
    assert text(label, "en") == ("lars · momentum 0 · warm-up epochs 2 · linear scaling · "
                                 "beta_1 0.8")
    assert text(label, "ko") == "lars · 모멘텀 0 · 워밍업 에포크 2 · 선형 스케일링 · beta_1 0.8"
    assert text(Label((("amsgrad", (True,)),)), "en") == "AMSGrad"  # a name's capitals stay


def test_a_lesson_run_is_named_by_its_step_in_the_language_shown_and_after_a_reload(tmp_path):
    session = Session()
    kept = kept_run(session, lesson_step=("learning_rate", "good"), learning_rate=0.5)
    assert kept.label == Label.of_step("learning_rate", "good")
    assert (text(kept.label, "en"), text(kept.label, "ko")) == ("Good (0.5)", "적당하게 (0.5)")
    assert session.save_kept(tmp_path) == []
    restored = Session()
    assert restored.load_kept(tmp_path) == []
    again = restored.kept[0]
    assert again.lesson_step == ("learning_rate", "good")
    assert text(again.label, "ko") == "적당하게 (0.5)"


def test_the_outcome_is_saved_as_data_and_as_text_for_older_versions(tmp_path):
    session = Session()
    kept_run(session, reason="diverged", diverged_step=3)
    kept_run(session, lesson_step=("learning_rate", "good"), batch_size=64)
    assert session.save_kept(tmp_path) == []
    restored = Session()
    assert restored.load_kept(tmp_path) == []
    assert [kept.outcome for kept in restored.kept] == [Outcome("diverged", {"step": 3}),
                                                        Outcome("finished")]
    saved = [kept.to_json() for kept in session.kept]
    assert [meta["outcome"] for meta in saved] == ["diverged at step 3", "finished"]
    assert saved[1]["name"] == "Good (0.5)"  # what an older version shows for it


def write_old_kept_json(folder, entries):
    """A store as versions before labels as data wrote it: kept.json + run-N.npz, the label
    and outcome as English text only."""
    os.makedirs(folder, exist_ok=True)
    index = []
    for number, entry in enumerate(entries):
        arrays = {f"step_{name}": np.arange(1.0, 5.0) for name in STEP_COLUMNS}
        arrays.update({f"epoch_{name}": np.array([0.5]) for name in EPOCH_COLUMNS})
        np.savez(os.path.join(folder, f"run-{number}.npz"), **arrays)
        index.append({"file": f"run-{number}.npz", "key": number,
                      "config": TrainingConfig(learning_rate=0.01).to_dict(),
                      "wall_seconds": 1.0, "steps_per_second": 4.0, "best_epoch": None,
                      "started": 0.0, "color": [255, 127, 14], "n_train": 160,
                      "visible": True, "live_from": {}, **entry})
    with open(os.path.join(folder, "kept.json"), "w", encoding="utf-8") as handle:
        json.dump(index, handle)


def test_runs_saved_with_text_labels_by_an_older_version_load_and_show_their_text(tmp_path):
    write_old_kept_json(tmp_path, [
        {"name": "Learning rate: Too small (0.01)", "outcome": "diverged at step 36"},
        {"name": "", "outcome": "early stopping"}])
    session = Session()
    assert session.load_kept(tmp_path) == []
    named, plain = session.kept
    for language in ("en", "ko"):
        assert text(named.label, language) == "Learning rate: Too small (0.01)"
        assert outcome_text(named.outcome, language) == "diverged at step 36"
    assert plain.outcome == Outcome("early_stopping")  # a known word is that outcome
    assert outcome_text(plain.outcome, "ko") == "조기 종료"
    assert str(plain.label) == "batch 16 · lr 0.01"
    # saved again by this version: the same text, and nothing parsed into data
    assert session.save_kept(tmp_path) == []
    again = Session()
    assert again.load_kept(tmp_path) == []
    assert [str(kept.label) for kept in again.kept] == ["Learning rate: Too small (0.01)",
                                                        "batch 16 · lr 0.01"]
    assert again.kept[0].outcome == Outcome("text", {"text": "diverged at step 36"})


def test_a_kept_run_given_an_outcome_as_text_reads_it_as_a_saved_one():
    kept = KeptRun(0, TrainingConfig(), {name: np.zeros(2) for name in STEP_COLUMNS},
                   {name: np.zeros(1) for name in EPOCH_COLUMNS}, "stopped", 1.0, 2.0)
    assert kept.outcome == Outcome("stopped")
