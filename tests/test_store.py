"""The kept-run store (gui.model.store) through Session.save_kept / load_kept, as the window
uses them: at start-up, on every change of the kept runs, and at close (issue 25, items 1-5).

Every run here carries a signature: its name is "run S" and every array of it holds S, so a
run whose metadata met another run's arrays is seen at once (:func:`consistent`).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib

import numpy as np
import pytest

from engine import TrainingConfig
from gui.i18n import tr
from gui.model import store
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, KeptRun, Session

HANGUL_RANGE = ("\uac00", "\ud7a3")


def signed_run(signature, steps=20, epochs=2):
    """A kept run named "run S" whose every array holds S."""
    value = float(signature)
    return KeptRun(0, TrainingConfig(learning_rate=0.01),
                   {name: np.full(steps, value) for name in STEP_COLUMNS},
                   {name: np.full(epochs, value) for name in EPOCH_COLUMNS},
                   "finished", 1.0, 10.0, 1, color=(255, 127, 14), n_train=100,
                   name=f"run {signature}")


def signature(kept):
    return int(kept.name.split()[1])


def consistent(kept):
    """True when every array of ``kept`` holds the number its name says."""
    wanted = signature(kept)
    arrays = list(kept.steps.values()) + list(kept.epochs.values())
    return all(np.all(values == wanted) for values in arrays)


def loaded(folder):
    """(signatures of the runs a new session loads from ``folder``, problems as text)."""
    session = Session()
    problems = session.load_kept(folder)
    assert all(consistent(kept) for kept in session.kept)
    return [signature(kept) for kept in session.kept], [str(p) for p in problems]


def save(folder, signatures):
    session = Session()
    session.add_kept_runs([signed_run(s) for s in signatures])
    assert session.save_kept(folder) == []
    return session


def write_legacy(folder, runs):
    """The old format (kept.json + run-N.npz), as the old Session.save_kept wrote it."""
    os.makedirs(folder, exist_ok=True)
    index = []
    for number, kept in enumerate(runs):
        name = f"run-{number}.npz"
        arrays = {f"step_{k}": v for k, v in kept.steps.items()}
        arrays.update({f"epoch_{k}": v for k, v in kept.epochs.items()})
        np.savez(os.path.join(folder, name), **arrays)
        index.append({"file": name, **kept.to_json()})
    with open(os.path.join(folder, "kept.json"), "w", encoding="utf-8") as handle:
        json.dump(index, handle)
    return index


def contents(folder):
    return {name: (folder / name).read_bytes() for name in os.listdir(folder)
            if (folder / name).is_file()}


def test_runs_saved_as_kept_load_in_order_and_a_removed_one_stays_removed(tmp_path):
    folder = tmp_path / "kept-runs"
    session = save(folder, [1, 2, 3])
    assert loaded(folder) == ([1, 2, 3], [])
    session.remove_kept(session.kept[1].key)
    session.add_kept(signed_run(4))
    session.set_visible(session.kept[0].key, False)
    assert session.save_kept(folder) == []
    restored = Session()
    assert restored.load_kept(folder) == []
    assert [signature(k) for k in restored.kept] == [1, 3, 4]
    assert [k.visible for k in restored.kept] == [False, True, True]


def test_the_old_format_is_migrated_once_and_its_files_removed(tmp_path):
    folder = tmp_path / "kept-runs"
    write_legacy(folder, [signed_run(1), signed_run(2)])
    assert loaded(folder) == ([1, 2], [])
    assert sorted(os.listdir(folder)) == [store.DATABASE]
    assert loaded(folder) == ([1, 2], [])


def bad_legacy_store(folder):
    """The old format with one good run and each kind of entry that aborted the app on every
    launch (issue 25, item 2), plus a .npz of random bytes (item 5). Returns the bad names."""
    runs = [signed_run(s) for s in range(7)]
    index = write_legacy(folder, runs)
    with open(folder / "run-1.npz", "r+b") as handle:  # cut short
        handle.truncate(os.path.getsize(folder / "run-1.npz") // 2)
    arrays = {f"step_{k}": v for k, v in runs[2].steps.items()}
    arrays.update({f"epoch_{k}": v for k, v in runs[2].epochs.items()})
    arrays["step_batch_loss"] = arrays["step_batch_loss"][:5]  # different lengths
    np.savez(folder / "run-2.npz", **arrays)
    index[3] = "run-3.npz"  # not an object
    index[4]["color"] = "red"
    index[5]["best_epoch"] = "three"
    (folder / "run-6.npz").write_bytes(np.random.default_rng(6).bytes(5000))
    (folder / "kept.json").write_text(json.dumps(index))
    return ["run-1.npz", "run-2.npz", "run-3.npz", "run-4.npz", "run-5.npz", "run-6.npz"]


def test_each_bad_old_entry_is_skipped_named_and_left_in_place(tmp_path):
    folder = tmp_path / "kept-runs"
    bad = bad_legacy_store(folder)
    before = contents(folder)
    signatures, problems = loaded(folder)
    assert signatures == [0]
    named = {name: [p for p in problems if name in p] for name in bad}
    assert all(named.values()) and len(problems) == len(bad) + 1  # run-3: entry and file
    assert "not a saved run (a JSON str)" in problems[2] and "kept.json" in problems[2]
    assert "not listed in a readable kept.json" in named["run-3.npz"][0]
    assert "not a NumPy .npz file" in named["run-6.npz"][0]
    assert "pickle" not in named["run-6.npz"][0]
    assert "different lengths" in named["run-2.npz"][0] and "'color'" in named["run-4.npz"][0]
    assert "'best_epoch'" in named["run-5.npz"][0] and "damaged" in named["run-1.npz"][0]
    for name in bad:
        assert (folder / name).read_bytes() == before[name]
    # the index keeps exactly the entries it could not move, so nothing is forgotten
    left = json.loads((folder / "kept.json").read_text())
    assert [e if isinstance(e, str) else e["file"] for e in left] == bad[:-1] + ["run-6.npz"]
    assert loaded(folder) == (signatures, problems)  # the next launch names them again


def test_problems_read_in_both_languages(tmp_path):
    folder = tmp_path / "kept-runs"
    bad_legacy_store(folder)
    problems = Session().load_kept(folder)
    for problem in problems:
        english = tr(problem.template, "en", **problem.params)
        korean = tr(problem.template, "ko", **problem.params)
        assert english == str(problem)
        assert any(HANGUL_RANGE[0] <= ch <= HANGUL_RANGE[1] for ch in korean), korean


@pytest.mark.parametrize("index", [b'[{"file": "run-0.npz", "key"', b"\x00garbage\xff",
                                   b'{"file": "run-0.npz"}', b""])
def test_an_unreadable_index_deletes_no_run(tmp_path, index):
    folder = tmp_path / "kept-runs"
    write_legacy(folder, [signed_run(1)])
    (folder / "kept.json").write_bytes(index)
    before = contents(folder)
    session = Session()
    problems = [str(p) for p in session.load_kept(folder)]
    assert session.kept == []
    assert any("kept.json" in p for p in problems) and any("run-0.npz" in p for p in problems)
    session.add_kept(signed_run(2))
    assert session.save_kept(folder) == []  # what closing the window does
    after = contents(folder)
    assert {name: after[name] for name in before} == before
    assert loaded(folder)[0] == [2]


def test_stale_temporaries_are_swept_and_recent_ones_left(tmp_path):
    folder = tmp_path / "kept-runs"
    save(folder, [1])
    stale = [".run-3.npz.k2j3.tmp.npz", ".kept.json.x8y9.tmp.json"]
    for name in stale + [".run-4.npz.abcd.tmp.npz"]:
        (folder / name).write_bytes(b"half a file")
    old = time.time() - 2 * store.STALE_TEMPORARY_S
    for name in stale:
        os.utime(folder / name, (old, old))
    assert loaded(folder) == ([1], [])
    assert not any((folder / name).exists() for name in stale)
    assert (folder / ".run-4.npz.abcd.tmp.npz").exists()  # may be an old version's write


def test_a_store_path_that_is_a_file_is_named_and_loses_no_run(tmp_path):
    folder = tmp_path / "kept-runs"
    folder.write_bytes(b"not a folder")
    session = Session()
    problems = [str(p) for p in session.load_kept(folder)]
    assert len(problems) == 1 and "is a file, not a folder" in problems[0]
    session.add_kept(signed_run(1))
    assert [str(p) for p in session.save_kept(folder)] == problems
    assert folder.read_bytes() == b"not a folder"
    signatures, again = loaded(folder)
    assert signatures == [1] and again == problems
    folder.unlink()  # the user moves the file away: the runs come back to the folder
    assert loaded(folder) == ([1], [])
    assert not os.path.exists(str(folder) + store.FALLBACK_SUFFIX)
    assert loaded(folder) == ([1], [])


def rows(folder):
    import sqlite3
    with sqlite3.connect(folder / store.DATABASE) as db:
        return db.execute("SELECT seq, meta FROM runs ORDER BY seq").fetchall()


def test_a_bad_row_is_named_and_stays_for_later(tmp_path):
    import sqlite3
    folder = tmp_path / "kept-runs"
    save(folder, [1, 2, 3])
    (seq1, _), (seq2, meta2), (seq3, _) = rows(folder)
    meta2 = json.loads(meta2)
    meta2["best_epoch"] = "three"
    db = sqlite3.connect(folder / store.DATABASE)
    with db:
        # a well-formed row with a wrong field (as a later version might write it)
        text = json.dumps(meta2)
        db.execute("UPDATE runs SET meta = ?, meta_crc = ? WHERE seq = ?",
                   (text, zlib.crc32(text.encode()), seq2))
        db.execute("UPDATE runs SET data = ? WHERE seq = ?", (b"\x01\x02", seq3))
    db.close()
    session = Session()
    problems = [str(p) for p in session.load_kept(folder)]
    assert [signature(k) for k in session.kept] == [1]
    assert len(problems) == 2 and "best_epoch" in problems[0] and "checksum" in problems[1]
    session.remove_kept(session.kept[0].key)
    session.add_kept(signed_run(4))
    assert session.save_kept(folder) == []
    assert [seq for seq, _ in rows(folder)][:2] == [seq2, seq3]  # never deleted
    assert loaded(folder)[0] == [4]


def test_a_database_sqlite_cannot_read_is_set_aside_not_deleted(tmp_path):
    folder = tmp_path / "kept-runs"
    (folder).mkdir()
    garbage = b"SQLite format 3\x00" + np.random.default_rng(1).bytes(8192)
    (folder / store.DATABASE).write_bytes(garbage)
    session = Session()
    problems = [str(p) for p in session.load_kept(folder)]
    assert len(problems) == 1 and "could not be read" in problems[0]
    aside = [name for name in os.listdir(folder) if ".unreadable-" in name]
    assert len(aside) == 1 and (folder / aside[0]).read_bytes() == garbage
    assert aside[0] in problems[0]
    session.add_kept(signed_run(5))
    assert session.save_kept(folder) == []
    assert loaded(folder) == ([5], [])


# -- processes: two instances, and kills ---------------------------------------------------------

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: One instance as the window drives the store: load at start-up, save on every change of the
#: kept runs, save at close. Both instances have loaded before either keeps a run (file
#: ``go-keep``): one that loaded the other's run would keep showing it, and save it again.
INSTANCE = """
import json, os, sys, time
from gui.session import Session
from tests.test_store import signed_run
folder, first, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def wait_for(path):
    deadline = time.monotonic() + 60
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.001)

session = Session()
problems = [str(p) for p in session.load_kept(folder)]
print("loaded", flush=True)
wait_for(go + "-keep")
for number in range(first, first + 4):
    session.add_kept(signed_run(number, steps=20000))
    problems += [str(p) for p in session.save_kept(folder)]
    if number == first + 1:
        session.remove_kept(next(k.key for k in session.kept if k.name == f"run {first}"))
        problems += [str(p) for p in session.save_kept(folder)]
print("ready", flush=True)
wait_for(go)
problems += [str(p) for p in session.save_kept(folder)]
print(json.dumps(problems), flush=True)
"""


def start(script, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_instances_with_one_folder_keep_both_sets_of_runs(tmp_path):
    folder, go = tmp_path / "kept-runs", tmp_path / "go"
    save(folder, [1])  # kept before either started
    instances = [start(INSTANCE, folder, first, go) for first in (100, 200)]
    try:
        for step, signal_file in (("loaded", tmp_path / "go-keep"), ("ready", go)):
            for instance in instances:
                assert instance.stdout.readline().strip() == step, instance.stderr.read()
            signal_file.write_text(step)  # both keep, then both close, at the same moment
        outputs = [instance.communicate(timeout=60) for instance in instances]
    finally:
        for instance in instances:
            instance.kill()
            instance.wait(timeout=10)
    for instance, (out, err) in zip(instances, outputs):
        assert instance.returncode == 0, err
        assert json.loads(out) == []
    signatures, problems = loaded(folder)  # loaded() checks each run's arrays are its own
    assert problems == []
    assert sorted(signatures) == [1, 101, 102, 103, 201, 202, 203]


#: Keeps 100k-step runs and saves after each keep and each removal, forever: a SIGKILL at any
#: moment lands in a save most of the time (a save here takes 20-90 ms).
KEEPER = """
import sys
from gui.session import Session
from tests.test_store import signed_run
folder, first, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
session = Session()
problems = session.load_kept(folder)
if problems:
    sys.exit(f"problems at start: {problems}")
open(ready, "w").close()
number = first
while True:
    if len(session.kept) > 4:
        session.remove_kept(session.kept[0].key)
        session.save_kept(folder)
    session.add_kept(signed_run(number, steps=100_000))
    number += 1
    session.save_kept(folder)
"""


def kill_while_saving(tmp_path, trials, seed):
    """SIGKILL the keeper at a random moment ``trials`` times, each a new launch on the same
    store: every launch loads with no problem, every run's arrays its own, none twice."""
    rng = np.random.default_rng(seed)
    folder = tmp_path / "kept-runs"
    full = Session()  # a full store from the start: every launch removes one as it keeps one
    full.add_kept_runs([signed_run(number, steps=100_000) for number in range(1, 6)])
    full.save_kept(folder)
    seen = []
    for trial in range(trials):
        ready = tmp_path / f"ready-{trial}"
        keeper = start(KEEPER, folder, 1000 * (trial + 1), ready)
        try:
            deadline = time.monotonic() + 60
            while not ready.exists() and keeper.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            assert ready.exists(), keeper.stderr.read() if keeper.poll() is not None else ""
            time.sleep(rng.uniform(0.0, 0.5))
        finally:
            keeper.send_signal(signal.SIGKILL)
            keeper.communicate(timeout=30)
        signatures, problems = loaded(folder)  # checks each run's arrays are its own
        assert problems == []
        assert len(set(signatures)) == len(signatures)
        seen.append(signatures)
    return seen


def test_a_kill_at_any_moment_of_a_save_leaves_a_consistent_store(tmp_path):
    kill_while_saving(tmp_path, trials=4, seed=1)


@pytest.mark.slow
def test_a_kill_at_any_moment_of_a_save_leaves_a_consistent_store_many(tmp_path):
    kill_while_saving(tmp_path, trials=25, seed=2025)


def test_two_sessions_on_one_folder_each_remove_only_what_they_held(tmp_path):
    folder = tmp_path / "kept-runs"
    save(folder, [1, 2])
    first, second = Session(), Session()
    assert first.load_kept(folder) == [] and second.load_kept(folder) == []
    first.add_kept(signed_run(3))
    assert first.save_kept(folder) == []
    second.remove_kept(second.kept[0].key)  # run 1
    second.add_kept(signed_run(4))
    assert second.save_kept(folder) == []
    assert sorted(loaded(folder)[0]) == [2, 3, 4]  # run 3, which second never saw, stays
    # first still shows run 1, so its next save keeps it: a removal elsewhere loses nothing
    # this window shows
    assert first.save_kept(folder) == []
    assert sorted(loaded(folder)[0]) == [1, 2, 3, 4]


def test_a_store_that_cannot_be_written_shows_what_it_can_read(tmp_path):
    """A database SQLite cannot open for writing (its WAL path taken by a folder here; a
    read-only disk in use) or a folder where no database can be made: the runs are read as
    they are on disk, the old format's unmigrated, and the problem is named."""
    folder = tmp_path / "kept-runs"
    save(folder, [1, 2]).close_kept()
    (folder / (store.DATABASE + "-wal")).mkdir()
    signatures, problems = loaded(folder)
    assert signatures == [1, 2] and len(problems) == 1 and "cannot be saved" in problems[0]
    old = tmp_path / "old"
    write_legacy(old, [signed_run(3), signed_run(4)])
    (old / store.DATABASE).mkdir()
    before = contents(old)
    signatures, problems = loaded(old)
    assert signatures == [3, 4] and len(problems) == 1 and "cannot be saved" in problems[0]
    assert contents(old) == before


def test_an_old_run_whose_config_the_engine_refuses_stays_a_file(tmp_path):
    folder = tmp_path / "kept-runs"
    index = write_legacy(folder, [signed_run(1), signed_run(2)])
    index[0]["config"] = {"learning_rate": "fast"}
    (folder / "kept.json").write_text(json.dumps(index))
    before = contents(folder)["run-0.npz"]
    signatures, problems = loaded(folder)
    assert signatures == [2] and len(problems) == 1
    assert "run-0.npz" in problems[0] and "learning_rate" in problems[0]
    assert (folder / "run-0.npz").read_bytes() == before


def test_a_kept_runs_instrument_measurements_are_saved_with_it(tmp_path):
    # the instrument views draw kept runs from these columns: a run reopened after a restart
    # must draw the same sharpness, limit and noise scale it drew before
    folder = tmp_path / "kept-runs"
    run = signed_run(5)
    run.instruments = {"step": np.array([0.0, 10.0, 20.0]), "epoch": np.array([0.0, 1.0, 2.0]),
                       "sharpness": np.array([2.5, 1.25, np.nan]),
                       "noise_scale": np.array([40.0, np.nan, 900.0])}
    session = Session()
    session.add_kept_runs([run, signed_run(6)])
    assert session.save_kept(folder) == []
    restored = Session()
    assert restored.load_kept(folder) == []
    with_instruments, without = restored.kept
    assert sorted(with_instruments.instruments) == sorted(run.instruments)
    for name, values in run.instruments.items():
        np.testing.assert_array_equal(with_instruments.instruments[name], values)
    assert without.instruments == {}


def test_instrument_columns_of_different_lengths_are_named_not_drawn(tmp_path):
    with pytest.raises(store.RunError, match="instrument columns have different lengths"):
        store.check_instruments({"step": np.zeros(3), "epoch": np.zeros(3),
                                 "sharpness": np.zeros(2)})
    with pytest.raises(store.RunError, match="lack 'step' or 'epoch'"):
        store.check_instruments({"sharpness": np.zeros(2)})


# -- Open Run's save on the worker: KeptStore.add, a transaction on a connection of its own ---


def stored(kept):
    return store.StoredRun("", kept.to_json(), kept.steps, kept.epochs)


def test_runs_added_on_another_thread_persist_and_the_window_saves_nothing_again(
        tmp_path, monkeypatch):
    monkeypatch.setattr(store, "WRITE_BLOCK_BYTES", 4096)  # 4 blocks a column
    folder = tmp_path / "kept-runs"
    session = Session()
    assert session.load_kept(folder) == []
    records = [stored(signed_run(s, steps=2000)) for s in (7, 8)]
    fractions = []
    thread = threading.Thread(target=lambda: fractions.append(
        store.KeptStore(folder, STEP_COLUMNS, EPOCH_COLUMNS).add(records, fractions.append)))
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and fractions[-1] == []  # no problem
    progress = fractions[:-1]
    assert progress == sorted(progress) and progress[-1] == 1.0 and len(progress) > 6
    assert all(record.uid for record in records)
    assert sorted(loaded(folder)[0]) == [7, 8]  # a restart finds both, each with its arrays
    # the window adds them with their rows' ids: its own save finds them there
    kept = [signed_run(s) for s in (7, 8)]
    for run, record in zip(kept, records):
        run.store_id = record.uid
    session.add_kept_runs(kept)
    assert session.save_kept(folder) == []
    assert sorted(loaded(folder)[0]) == [7, 8]
    # and they are this session's own: removing one deletes its row
    session.remove_kept(session.kept[0].key)
    assert session.save_kept(folder) == []
    assert loaded(folder)[0] == [8]


def test_an_add_whose_progress_raises_rolls_back_every_run(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "WRITE_BLOCK_BYTES", 4096)
    folder = tmp_path / "kept-runs"
    save(folder, [1])
    records = [stored(signed_run(s, steps=100)) for s in (2, 3)]

    class Stop(Exception):
        pass

    def stop_in_the_second_run(fraction, calls=[]):
        calls.append(fraction)
        if fraction > 0.5:  # the first run is written, not committed
            raise Stop

    with pytest.raises(Stop):
        store.KeptStore(folder, STEP_COLUMNS, EPOCH_COLUMNS).add(records,
                                                                 stop_in_the_second_run)
    assert [record.uid for record in records] == ["", ""]
    assert loaded(folder) == ([1], [])


#: Open Run's save as the worker makes it (KeptStore.add: one transaction, arrays streamed in
#: blocks), one 400k-step run after another, forever, each reported once committed.
ADDER = """
import sys
from gui.model import store
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS
from tests.test_store import signed_run, stored
folder, first = sys.argv[1], int(sys.argv[2])
number = first
while True:
    kept = signed_run(number, steps=400_000)
    problems = store.KeptStore(folder, STEP_COLUMNS, EPOCH_COLUMNS).add([stored(kept)])
    if problems:
        sys.exit(f"problems: {problems}")
    print(number, flush=True)
    number += 1
"""


def test_a_kill_during_a_save_on_the_worker_leaves_every_run_whole_or_absent(tmp_path):
    rng = np.random.default_rng(3)
    folder = tmp_path / "kept-runs"
    save(folder, [1])
    for trial in range(3):
        adder = start(ADDER, folder, 1000 * (trial + 1))
        try:
            time.sleep(rng.uniform(0.3, 1.5))
        finally:
            adder.send_signal(signal.SIGKILL)
            out, err = adder.communicate(timeout=30)
        assert adder.returncode == -signal.SIGKILL, err
        committed = [int(line) for line in out.split()]
        signatures, problems = loaded(folder)  # checks each run's arrays are its own
        assert problems == []
        mine = [s for s in signatures if 1000 * (trial + 1) <= s < 1000 * (trial + 2)]
        # every run reported is there; at most one more (committed, killed before it said so)
        assert mine[:len(committed)] == committed and len(mine) - len(committed) in (0, 1)


def test_a_database_made_with_the_earlier_column_order_is_read_and_written_alike(tmp_path):
    """Databases made before ``data`` became the last column (so that a run's arrays are
    streamed into it without SQLite building the row in memory) keep their order."""
    folder = tmp_path / "kept-runs"
    folder.mkdir()
    with sqlite3.connect(folder / store.DATABASE) as db:
        db.executescript("""
            CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE,
                meta TEXT NOT NULL, meta_crc INTEGER NOT NULL, columns TEXT NOT NULL,
                data BLOB NOT NULL, data_crc INTEGER NOT NULL);
            CREATE TABLE migrated (uid TEXT PRIMARY KEY);""")
    save(folder, [1])
    assert store.KeptStore(folder, STEP_COLUMNS, EPOCH_COLUMNS).add([stored(signed_run(2))]) == []
    assert sorted(loaded(folder)[0]) == [1, 2]
