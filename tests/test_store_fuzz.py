"""A hypothesis fuzz of the kept-run store: random damage to the database (its rows, its
bytes) and to the old format's index and arrays, then a load as at start-up.

Whatever the damage: the load returns (never raises); every run it gives holds its own arrays;
every run nothing touched loads; nothing the load could not read is gone (a skipped row is
still in the database after a save, an unread .npz is byte for byte where it was, a database
SQLite cannot read is kept aside); and a second launch loads at least what the first did.
"""

import contextlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui.model import store
from gui.session import Session
from tests.test_store import consistent, contents, save, signature, signed_run, write_legacy

DB_RUNS = (1, 2, 3)
LEGACY_RUNS = (101, 102, 103)
#: Metadata fields the fuzz rewrites ("name" carries the signature the checks read).
FIELDS = ("config", "outcome", "wall_seconds", "steps_per_second", "best_epoch", "started",
          "color", "n_train", "visible")

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-300, 300) | st.floats(allow_nan=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)
FRACTION = st.floats(0.0, 1.0)
DAMAGE = st.one_of(
    st.tuples(st.just("row field"), st.sampled_from(DB_RUNS), st.sampled_from(FIELDS), JSON),
    st.tuples(st.just("row meta"), st.sampled_from(DB_RUNS), st.binary(max_size=30)),
    st.tuples(st.just("row data"), st.sampled_from(DB_RUNS), st.binary(max_size=80)),
    st.tuples(st.just("row bytes"), st.sampled_from(DB_RUNS), FRACTION, st.binary(min_size=1,
                                                                                  max_size=8)),
    st.tuples(st.just("db bytes"), FRACTION, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("db cut"), FRACTION),
    st.tuples(st.just("entry field"), st.sampled_from(LEGACY_RUNS),
              st.sampled_from(FIELDS + ("file",)), JSON),
    st.tuples(st.just("entry"), st.sampled_from(LEGACY_RUNS), JSON),
    st.tuples(st.just("index bytes"), st.binary(max_size=40)),
    st.tuples(st.just("index cut"), FRACTION),
    st.tuples(st.just("npz cut"), st.sampled_from(LEGACY_RUNS), FRACTION),
    st.tuples(st.just("npz bytes"), st.sampled_from(LEGACY_RUNS), st.binary(max_size=300)),
    st.tuples(st.just("npz flip"), st.sampled_from(LEGACY_RUNS), FRACTION,
              st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("npz lengths"), st.sampled_from(LEGACY_RUNS)),
)


def overwrite(path, fraction, data):
    size = os.path.getsize(path)
    with open(path, "r+b") as handle:
        handle.seek(int(fraction * max(size - len(data), 0)))
        handle.write(data)


def damage(folder, kind, *args):
    """Apply one damage; return the signatures it may have touched."""
    database = folder / store.DATABASE
    if kind.startswith("row"):
        number = args[0]
        with contextlib.closing(sqlite3.connect(database)) as db, db:
            found = db.execute("SELECT seq, meta, data FROM runs WHERE meta LIKE ?",
                               (f'%"name": "run {number}"%',)).fetchone()
            if found is None:
                return set()  # an earlier damage rewrote its description
            seq, meta, data = found
            if kind == "row field":
                meta = parsed(meta)
                if not isinstance(meta, dict):
                    return set()  # an earlier damage left no fields to change
                meta[args[1]] = args[2]
                db.execute("UPDATE runs SET meta = ? WHERE seq = ?", (json.dumps(meta), seq))
            elif kind == "row meta":
                db.execute("UPDATE runs SET meta = ? WHERE seq = ?", (args[1], seq))
            elif kind == "row data":
                db.execute("UPDATE runs SET data = ? WHERE seq = ?", (args[1], seq))
            else:
                at = int(args[1] * max(len(data) - len(args[2]), 0))
                data = data[:at] + args[2] + data[at + len(args[2]):]
                db.execute("UPDATE runs SET data = ? WHERE seq = ?", (data, seq))
        return {number}
    if kind == "db bytes":
        overwrite(database, *args)
        return set(DB_RUNS)
    if kind == "db cut":
        os.truncate(database, int(args[0] * os.path.getsize(database)))
        return set(DB_RUNS)
    index_path = folder / "kept.json"
    if kind in ("entry field", "entry"):
        index = parsed(index_path.read_bytes())
        position = LEGACY_RUNS.index(args[0])
        if not isinstance(index, list) or len(index) != len(LEGACY_RUNS) or (
                kind == "entry field" and not isinstance(index[position], dict)):
            return set()  # an earlier damage left no entry to change
        if kind == "entry":
            index[position] = args[1]
        else:
            index[position][args[1]] = args[2]
        index_path.write_text(json.dumps(index))
        return {args[0]}
    if kind == "index bytes":
        index_path.write_bytes(args[0])
        return set(LEGACY_RUNS)
    if kind == "index cut":
        os.truncate(index_path, int(args[0] * os.path.getsize(index_path)))
        return set(LEGACY_RUNS)
    path = folder / f"run-{LEGACY_RUNS.index(args[0])}.npz"
    if kind == "npz cut":
        os.truncate(path, int(args[1] * os.path.getsize(path)))
    elif kind == "npz bytes":
        path.write_bytes(args[1])
    elif kind == "npz flip":
        overwrite(path, *args[1:])
    else:
        run = signed_run(args[0])
        arrays = {f"step_{k}": v for k, v in run.steps.items()}
        arrays.update({f"epoch_{k}": v for k, v in run.epochs.items()})
        arrays["step_seconds"] = arrays["step_seconds"][:-1]
        np.savez(path, **arrays)
    return {args[0]}


def parsed(text):
    """``text`` as JSON, or None when earlier damage made it something else."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def seqs(database):
    with contextlib.closing(sqlite3.connect(database)) as db:
        return {seq for (seq,) in db.execute("SELECT seq FROM runs")}


def check_damaged_store(damages):
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "kept-runs"
        save(folder, DB_RUNS).close_kept()  # that instance has quit: damage comes later
        legacy = [signed_run(number) for number in LEGACY_RUNS]
        touched = set()
        # the database's rows first: damage to its bytes leaves rows nobody can find
        for kind, *args in sorted(damages, key=lambda d: not d[0].startswith("row")):
            if kind.startswith(("entry", "index", "npz")) and not (folder / "kept.json").exists():
                write_legacy(folder, legacy)
            touched |= damage(folder, kind, *args)
        database_damaged = any(kind.startswith("db") for kind, *_ in damages)
        rows_before = set() if database_damaged else seqs(folder / store.DATABASE)
        legacy_before = {name: data for name, data in contents(folder).items()
                         if name.startswith("run-") or name == "kept.json"}
        written_legacy = "kept.json" in legacy_before

        session = Session()
        problems = session.load_kept(folder)  # must not raise
        assert all(consistent(kept) for kept in session.kept)
        got = [signature(kept) for kept in session.kept]
        assert len(set(got)) == len(got)
        untouched = {n for n in DB_RUNS if not database_damaged and n not in touched}
        if written_legacy:
            untouched |= {n for n in LEGACY_RUNS if n not in touched}
        assert untouched <= set(got), (got, [str(p) for p in problems])
        assert session.save_kept(folder) == []  # what the window does next: nothing lost

        after = contents(folder)
        for name, data in legacy_before.items():
            if name.startswith("run-") and name not in after:
                number = LEGACY_RUNS[int(name[4:-4])]
                assert number in got  # only a migrated run's file is removed
            elif name.startswith("run-"):
                assert after[name] == data
        if "kept.json" not in after and written_legacy:
            assert set(LEGACY_RUNS) <= set(got) or not legacy_before.get("kept.json")
        if not database_damaged:
            assert rows_before <= seqs(folder / store.DATABASE)  # no row ever deleted
        if any(".unreadable-" in name for name in after):
            assert any(".unreadable-" in str(p) for p in problems)

        again = Session()
        again.load_kept(folder)
        assert set(got) <= {signature(kept) for kept in again.kept}
        assert all(consistent(kept) for kept in again.kept)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DAMAGE, max_size=3))
def test_a_damaged_store_loads_what_it_can_and_deletes_nothing(damages):
    check_damaged_store(damages)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DAMAGE, max_size=5))
def test_a_damaged_store_loads_what_it_can_and_deletes_nothing_many(damages):
    check_damaged_store(damages)
