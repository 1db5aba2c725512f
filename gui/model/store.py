"""The kept-run store: kept runs saved in one SQLite database under the app data folder.

Why SQLite (the standard library's ``sqlite3``) and not a file per run with an index: the old
store (``kept.json`` + ``run-N.npz``) lost runs in every way a file set can. Two windows closing
together each wrote their own index, so one's runs vanished and an index could name the other's
arrays; a kill between writing arrays and index left entries pointing at other runs' data; an
unreadable index made the next save delete every run. A database gives each of those a rule
that already exists and is tested far beyond what a file scheme here would be: a run is one
row (metadata and arrays together, so they cannot be paired wrongly), every save is one
transaction (a kill leaves the state before or after it), and WAL journalling with a busy
timeout lets two instances write the same file, each adding and removing only its own rows.
The cost (``python -m tests.benchmarks.store_speed``): saving 20 runs of 100k steps at once
takes 1.5-2 times as long as the ``.npz`` files did (WAL writes each page twice: 1.0-1.4 s
against 0.5-1.2 s on a busy machine), but a run is saved when it is kept (about 90 ms for 100k
steps, 1 ms for a sweep's 3,000), so closing has nothing left to write (1 ms); loading takes
about as long as the files did (0.4-0.5 s, checksums and SQLite's quick_check included).

Rules:

- A row is read on its own: a row whose metadata or arrays do not pass :func:`check_run` is
  skipped and named in the problems, and left in the database (never deleted: a later version
  may read it, a user may want it).
- :meth:`KeptStore.sync` writes what one instance holds: it inserts its new runs, updates
  changed metadata, and deletes only rows this instance loaded or wrote and no longer holds, so
  another instance's runs and unreadable rows stay.
- A database SQLite cannot read is renamed aside (``kept.sqlite.unreadable-<time>``, with its
  WAL), its readable rows copied to a new database, and both named in the problems.
- The old format (``kept.json`` + ``run-*.npz``) is migrated on load: each readable entry goes
  into the database (once: its id is remembered), then its ``.npz`` is removed; an entry or a
  file that cannot be read stays where it is and is named, every launch, until the user acts.
- A ``kept-runs`` path that is a file, not a folder, is named, and the runs go to a folder
  beside it (``kept-runs-2``), merged back once the folder can be used.

No Qt here: the window turns each :class:`Problem` into text with ``tr``.
"""

import contextlib
import hashlib
import json
import numbers
import os
import sqlite3
import time
import urllib.parse
import uuid
import zlib
from dataclasses import dataclass, field

import numpy as np

from engine.atomic import write_text
from gui.i18n import QT_TR_NOOP

DATABASE = "kept.sqlite"
LEGACY_INDEX = "kept.json"
#: The folder used when the store's own path is taken by a file.
FALLBACK_SUFFIX = "-2"
#: How long a write waits for another instance's transaction before giving up.
BUSY_TIMEOUT_S = 10.0
#: Temporaries of the old store's atomic writes (``.run-3.npz.x1y2.tmp.npz``) older than this
#: are left by a kill and removed at load; younger ones may belong to an old version running.
STALE_TEMPORARY_S = 60.0
#: SQLite's page size for a new database (its largest).
PAGE_BYTES = 65536
#: The size the WAL file is cut back to after a checkpoint.
WAL_LIMIT_BYTES = 8 * 1024 * 1024
#: How often a write that waits for another connection's transaction asks whether to go on.
WAIT_POLL_S = 0.1
#: Bytes of a run's arrays written at a time when a run is streamed into its row
#: (:meth:`KeptStore.add`): the memory that takes, and how soon a cancel is seen.
WRITE_BLOCK_BYTES = 4 * 1024 * 1024
#: SQLite errors that mean "busy or unavailable now", not "this file is damaged".
_TRANSIENT = ("locked", "busy", "unable to open", "readonly", "full")

#: ``data`` is the last column: SQLite writes a ``zeroblob`` there without making it
#: (:meth:`KeptStore._stream`); anywhere else it builds the row in memory, twice the run's
#: bytes (a 10M-step run: 960 MB). Every statement names its columns, so a database made
#: with the earlier order (``data`` before ``data_crc``) is read and written alike.
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    meta TEXT NOT NULL,
    meta_crc INTEGER NOT NULL,
    columns TEXT NOT NULL,
    data_crc INTEGER NOT NULL,
    data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS migrated (uid TEXT PRIMARY KEY);
"""
#: A row as :func:`_row` makes it and :meth:`KeptStore._decode` reads it.
ROW = "uid, meta, meta_crc, columns, data, data_crc"
INSERT = f"INSERT OR IGNORE INTO runs ({ROW}) VALUES (?, ?, ?, ?, ?, ?)"
SELECT = f"SELECT {ROW} FROM runs WHERE seq = ?"
#: A row whose arrays are written afterwards, in place (:meth:`KeptStore._stream`).
INSERT_EMPTY = f"INSERT INTO runs ({ROW}) VALUES (?, ?, ?, ?, zeroblob(?), ?)"


@dataclass(frozen=True)
class Problem:
    """Something the store could not read or write: an English template marked for
    translation and its fields (``str()`` gives the English text)."""

    template: str
    params: dict = field(default_factory=dict)

    def __str__(self):
        return self.template.format(**self.params)


@dataclass
class StoredRun:
    """A kept run as the store sees it: an id, JSON metadata and float64 arrays by name."""

    uid: str
    meta: dict
    steps: dict
    epochs: dict
    #: Its row's number in the database (names it in problems); 0 until saved.
    seq: int = 0
    #: Its instrument measurements by column (``step``, ``epoch`` and one array per
    #: measured value, all of one length; ``{}``: none).
    instruments: dict = field(default_factory=dict)


class RunError(ValueError):
    """A stored run that cannot be used; the message says which field and why."""


def check_instruments(instruments):
    """A saved run's instrument columns as 1-D float64 arrays of one length (``{}`` for
    none); raises :class:`RunError` naming the first that is wrong."""
    if not instruments:
        return {}
    if "step" not in instruments or "epoch" not in instruments:
        raise RunError("the instrument columns lack 'step' or 'epoch'")
    return _columns(instruments, list(instruments), "instrument", same_length=True)


def check_run(meta, steps, epochs, step_columns, epoch_columns):
    """Check a saved run's metadata and arrays before anything draws them.

    Returns ``(meta, steps, epochs)`` with numbers as Python numbers and arrays as 1-D
    float64; raises :class:`RunError` naming the first field that is wrong.
    """
    if not isinstance(meta, dict):
        raise RunError(f"not a saved run (a JSON {type(meta).__name__})")
    checked = dict(meta)
    if not isinstance(meta.get("config"), dict):
        raise RunError("'config' is missing or not an object")
    if not isinstance(meta.get("outcome"), str):
        raise RunError(f"'outcome' is not text: {meta.get('outcome')!r}")
    for name in ("wall_seconds", "steps_per_second", "started"):
        value = meta.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise RunError(f"'{name}' is not a number: {value!r}")
        checked[name] = float(value)
    best = meta.get("best_epoch")
    if best is not None and (isinstance(best, bool) or not isinstance(best, int) or best < 0):
        raise RunError(f"'best_epoch' is not an epoch number: {best!r}")
    color = meta.get("color")
    if (not isinstance(color, (list, tuple)) or len(color) != 3
            or any(isinstance(c, bool) or not isinstance(c, int) or not 0 <= c <= 255
                   for c in color)):
        raise RunError(f"'color' is not three numbers from 0 to 255: {color!r}")
    checked["color"] = list(color)
    n_train = meta.get("n_train", 0)
    if isinstance(n_train, bool) or not isinstance(n_train, int) or n_train < 0:
        raise RunError(f"'n_train' is not a count: {n_train!r}")
    if not isinstance(meta.get("visible", True), bool):
        raise RunError(f"'visible' is not true or false: {meta.get('visible')!r}")
    if not isinstance(meta.get("name", "") or "", str):
        raise RunError(f"'name' is not text: {meta.get('name')!r}")
    steps = _columns(steps, step_columns, "step", same_length=True)
    epochs = _columns(epochs, epoch_columns, "epoch", same_length=False)
    return checked, steps, epochs


def _columns(arrays, names, kind, same_length):
    """The named 1-D real columns as float64; per-step columns all of one length, per-epoch
    columns each empty or of the common length (a regression has no accuracies)."""
    columns = {}
    for name in names:
        if name not in arrays:
            raise RunError(f"the {kind} column '{name}' is missing")
        values = np.asarray(arrays[name])
        if values.ndim != 1 or values.dtype.kind not in "biuf":
            raise RunError(f"the {kind} column '{name}' is not a list of numbers "
                           f"(shape {values.shape}, type {values.dtype})")
        columns[name] = values.astype(np.float64)
    lengths = {len(values) for values in columns.values()}
    if (same_length and len(lengths) > 1) or (not same_length and len(lengths - {0}) > 1):
        detail = ", ".join(f"{name} {len(values)}" for name, values in columns.items())
        raise RunError(f"the {kind} columns have different lengths ({detail})")
    return columns


class KeptStore:
    """The kept runs saved in ``folder`` (see the module's rules).

    Parameters
    ----------
    folder : str or os.PathLike
        The store's folder (the window's app data ``kept-runs``).
    step_columns, epoch_columns : sequence of str
        The per-step and per-epoch arrays a run must have.
    """

    def __init__(self, folder, step_columns, epoch_columns):
        self.folder = os.fspath(folder)
        self.step_columns = tuple(step_columns)
        self.epoch_columns = tuple(epoch_columns)
        #: uids this instance loaded or wrote: the only rows its sync may delete.
        self._known = set()
        self._connection = None  # (connection, path, inode) that saves use; see _saving

    # -- where ---------------------------------------------------------------------------------

    def _usable_folder(self, problems):
        """The folder to use (created if missing): the store's own, or its fallback when the
        path is taken by a file; None when neither can be used."""
        for folder in (self.folder, self.folder + FALLBACK_SUFFIX):
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as error:
                if folder == self.folder and os.path.exists(folder):
                    problems.append(Problem(QT_TR_NOOP(
                        "{path} is a file, not a folder: kept runs are saved in {fallback} "
                        "instead"), {"path": folder, "fallback": folder + FALLBACK_SUFFIX}))
                else:
                    problems.append(Problem(QT_TR_NOOP("Cannot use the folder {path}: "
                                                       "{error}"),
                                            {"path": folder, "error": _reason(error)}))
                continue
            return folder
        return None

    @staticmethod
    def _open(path):
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            # a new database only (no effect later): a run's arrays are one blob of MBs, which
            # SQLite stores as a chain of pages; 64 KiB pages saved 20 runs of 100k steps in
            # 0.78 s, the default 4 KiB in 1.08 s
            db.execute(f"PRAGMA page_size={PAGE_BYTES}")
            db.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL sync: a commit survives a killed process (not a power cut)
            # without an fsync per kept run.
            db.execute("PRAGMA synchronous=NORMAL")
            # the WAL file shrinks back after a checkpoint (it kept the size of the largest
            # save, 96 MB after saving 20 runs of 100k steps at once)
            db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            db.executescript(SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    @contextlib.contextmanager
    def _database(self, folder):
        """A connection to ``folder``'s database for one step of a load, closed on leaving."""
        db = self._open(os.path.join(folder, DATABASE))
        try:
            yield db
        finally:
            db.close()

    def _saving(self, folder):
        """The connection saves use, kept open between saves: closing the last connection
        checkpoints the WAL into the database with an fsync, 40 ms per save of a small run.
        An idle connection blocks no other instance (WAL). It is opened anew when the file
        at the path is another one (set aside and recreated by another instance's load)."""
        path = os.path.join(folder, DATABASE)
        if self._connection is not None:
            db, opened, inode = self._connection
            if (opened, inode) == (path, _inode(path)):
                return db
            self.close()
        db = self._open(path)
        self._connection = (db, path, _inode(path))
        return db

    def close(self):
        """Close the connection saves use (the next save opens it again)."""
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection[0].close()
            self._connection = None

    # -- loading -------------------------------------------------------------------------------

    def load(self, make=None):
        """Every readable run, oldest first, and the problems met (nothing raises).

        ``make(run)``, if given, turns each :class:`StoredRun` into what is returned; a run it
        refuses (ValueError, TypeError, KeyError: a config the engine rejects) is skipped and
        named like an unreadable one, and stays in the database.
        """
        problems = []
        folder = self._usable_folder(problems)
        if folder is None:
            return [], problems
        _sweep_temporaries(folder)
        try:
            self._check_database(folder, problems)
            self._migrate(folder, problems, make)
            if folder == self.folder:
                self._merge_fallback(problems)
            runs = self._read_all(folder, problems)
        except (sqlite3.Error, OSError) as error:
            problems.append(Problem(QT_TR_NOOP(
                "The kept runs in {path} cannot be saved ({error}); those that can be read "
                "are shown"), {"path": folder, "error": _reason(error)}))
            runs = self._read_without_writing(folder, problems)
        made, self._known = [], set()
        for run in runs:
            try:
                made.append(run if make is None else make(run))
            except (ValueError, TypeError, KeyError) as error:
                problems.append(Problem(QT_TR_NOOP("Kept run {name} was skipped: {error}"),
                                        {"name": f"#{run.seq}", "error": _reason(error)}))
                continue
            self._known.add(run.uid)
        return made, problems

    def _check_database(self, folder, problems):
        """Open (or create) ``folder``'s database; one SQLite cannot read is set aside."""
        try:
            with self._database(folder) as db:
                verdict = db.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"damaged: {verdict}")
        except sqlite3.Error as error:
            if _transient(error):
                raise
            self._set_aside(folder, error, problems)

    def _read_all(self, folder, problems):
        """The readable rows of ``folder``'s database; if its table cannot be read at all
        (damage quick_check did not see), it is set aside as in :meth:`_check_database`."""
        path = os.path.join(folder, DATABASE)
        try:
            return self._read_rows(path, problems)
        except sqlite3.Error as error:
            if _transient(error):
                raise
            self._set_aside(folder, error, problems)
            return self._read_rows(path, problems)

    def _read_without_writing(self, folder, problems):
        """What a folder the store cannot write to holds (a read-only disk, a database SQLite
        cannot open for writing): its database read as it is on disk, and the old format's
        runs, unmigrated."""
        runs = {}
        path = os.path.join(folder, DATABASE)
        if os.path.isfile(path):
            try:
                uri = f"file:{urllib.parse.quote(path)}?immutable=1"
                runs.update((run.uid, run) for run in self._read_rows(uri, problems, uri=True))
            except sqlite3.Error as error:
                problems.append(Problem(QT_TR_NOOP("Cannot read the kept runs in {path}: "
                                                   "{error}"),
                                        {"path": path, "error": _reason(error)}))
        index = _legacy_index(os.path.join(folder, LEGACY_INDEX), problems)
        for entry in index or []:
            try:
                row, _name = self._legacy_run(folder, entry)
                runs.setdefault(row[0], self._decode(*row))
            except (RunError, OSError, ValueError) as error:
                name = entry.get("file") if isinstance(entry, dict) else None
                problems.append(Problem(QT_TR_NOOP(
                    "Kept run {name} was skipped and left in place: {error}"),
                    {"name": name if isinstance(name, str) else LEGACY_INDEX,
                     "error": _reason(error)}))
        return list(runs.values())

    def _read_rows(self, path, problems, uri=False):
        """The runs of the database at ``path`` (a URI if ``uri``) that pass
        :func:`check_run`, each read on its own (a damaged row is named in ``problems``, the
        others load)."""
        runs = []
        with contextlib.closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, uri=uri)) as db:
            for (seq,) in db.execute("SELECT seq FROM runs ORDER BY seq").fetchall():
                try:
                    runs.append(self._decode(*db.execute(SELECT, (seq,)).fetchone()))
                    runs[-1].seq = seq
                except (RunError, ValueError, TypeError, sqlite3.Error) as error:
                    if isinstance(error, sqlite3.Error) and _transient(error):
                        raise
                    problems.append(Problem(QT_TR_NOOP("Kept run {name} was skipped: {error}"),
                                            {"name": f"#{seq}", "error": _reason(error)}))
        return runs

    def _decode(self, uid, meta, meta_crc, columns, data, data_crc):
        """A row as a checked :class:`StoredRun` (RunError, ValueError or TypeError if not).

        The checksums catch what SQLite does not check, bytes changed inside a row: arrays
        that pass every other check with wrong numbers, or a label naming another run."""
        if not isinstance(meta, str) or not isinstance(columns, str) \
                or not isinstance(data, (bytes, memoryview)):
            raise RunError("its fields have the wrong types")
        if zlib.crc32(meta.encode()) != meta_crc:
            raise RunError("its description is damaged (checksum)")
        if zlib.crc32(data, zlib.crc32(columns.encode())) != data_crc:
            raise RunError("its arrays are damaged (checksum)")
        meta = json.loads(meta)
        layout = json.loads(columns)
        if not isinstance(layout, list):
            raise RunError("its array layout is unreadable")
        arrays, offset = {}, 0
        for entry in layout:
            if (not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], str)
                    or not isinstance(entry[1], int) or entry[1] < 0):
                raise RunError("its array layout is unreadable")
            name, count = entry
            if offset + 8 * count > len(data):
                raise RunError(f"its arrays are cut short ({len(data)} bytes)")
            arrays[name] = np.frombuffer(data, "<f8", count, offset)  # check_run copies
            offset += 8 * count
        if offset != len(data):
            raise RunError(f"its arrays have {len(data) - offset} bytes too many")
        steps = {name[5:]: values for name, values in arrays.items() if name.startswith("step_")}
        epochs = {name[6:]: values for name, values in arrays.items()
                  if name.startswith("epoch_")}
        instruments = {name[6:]: values for name, values in arrays.items()
                       if name.startswith("instr_")}
        meta, steps, epochs = check_run(meta, steps, epochs, self.step_columns,
                                        self.epoch_columns)
        return StoredRun(uid, meta, steps, epochs, instruments=check_instruments(instruments))

    def _set_aside(self, folder, error, problems):
        """Rename a database SQLite cannot read (and its WAL) aside, copy its readable rows to
        a new one, and return them."""
        path = os.path.join(folder, DATABASE)
        aside = f"{path}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        for suffix in ("-wal", ""):  # the WAL first: a database never meets a wrong WAL
            with contextlib.suppress(FileNotFoundError):
                os.replace(path + suffix, aside + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + "-shm")  # an index of the WAL, rebuilt from it
        salvaged, lost = [], []
        try:
            with contextlib.closing(sqlite3.connect(f"file:{aside}?mode=ro", uri=True)) as db:
                for (seq,) in db.execute("SELECT seq FROM runs ORDER BY seq").fetchall():
                    try:
                        row = db.execute(SELECT, (seq,)).fetchone()
                        self._decode(*row)
                        salvaged.append(row)
                    except (RunError, ValueError, TypeError, sqlite3.Error):
                        lost.append(seq)
        except sqlite3.Error:
            pass  # nothing readable: the file stays aside, named below
        with self._database(folder) as db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(INSERT, salvaged)
            db.execute("COMMIT")
        problems.append(Problem(QT_TR_NOOP(
            "The kept-run database could not be read ({error}); it was kept as {path} and "
            "{count} runs were recovered from it"),
            {"error": _reason(error), "path": aside, "count": len(salvaged)}))

    # -- the old format ------------------------------------------------------------------------

    def _migrate(self, folder, problems, make=None):
        """Move the old ``kept.json`` + ``run-*.npz`` runs into the database (see the rules);
        only runs ``make`` accepts (as :meth:`load`): one the app cannot use stays a file."""
        names = sorted(name for name in _listdir(folder)
                       if name.startswith("run-") and name.endswith(".npz"))
        index_path = os.path.join(folder, LEGACY_INDEX)
        if not names and not os.path.exists(index_path):
            return
        entries = _legacy_index(index_path, problems)
        listed, leftover, moved = set(), [], []
        for entry in entries if entries is not None else []:
            name = entry.get("file") if isinstance(entry, dict) else None
            if isinstance(name, str):
                listed.add(name)
            try:
                row, file_name = self._legacy_run(folder, entry)
                if make is not None:
                    make(self._decode(*row))
                moved.append((row, file_name))
            except (OSError, ValueError, TypeError, KeyError) as error:
                leftover.append(entry)
                problems.append(Problem(QT_TR_NOOP(
                    "Kept run {name} was skipped and left in place: {error}"),
                    {"name": name if isinstance(name, str) else LEGACY_INDEX,
                     "error": _reason(error)}))
        for name in names:
            if name not in listed:
                problems.append(Problem(QT_TR_NOOP(
                    "{name} is not listed in a readable {index}; it was left in place"),
                    {"name": os.path.join(folder, name), "index": LEGACY_INDEX}))
        with self._database(folder) as db:
            db.execute("BEGIN IMMEDIATE")
            for row, _name in moved:
                uid = row[0]
                if db.execute("SELECT 1 FROM migrated WHERE uid = ?", (uid,)).fetchone():
                    continue  # migrated before, and perhaps removed since
                db.execute(INSERT, row)
                db.execute("INSERT INTO migrated (uid) VALUES (?)", (uid,))
            db.execute("COMMIT")
        if entries is None:
            return  # the index is unreadable: it and every file stay
        if leftover:
            write_text(index_path, json.dumps(leftover, indent=1))
        else:
            with contextlib.suppress(FileNotFoundError):
                os.remove(index_path)
        for _row, name in moved:
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(folder, name))

    def _legacy_run(self, folder, entry):
        """One entry of ``kept.json`` as (a database row, its .npz file's name)."""
        if not isinstance(entry, dict):
            raise RunError(f"not a saved run (a JSON {type(entry).__name__})")
        name = entry.get("file")
        if not isinstance(name, str) or os.path.basename(name) != name:
            raise RunError(f"'file' is not a file name: {name!r}")
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            content = handle.read()
        if not content.startswith(b"PK"):
            raise RunError("not a NumPy .npz file (unreadable)")
        try:
            with np.load(path, allow_pickle=False) as saved:
                arrays = {key: saved[key] for key in saved.files}
        except Exception as error:  # a damaged zip raises whatever its reader meets
            raise RunError(f"the .npz file is damaged ({_reason(error)})") from None
        steps = {key[5:]: value for key, value in arrays.items() if key.startswith("step_")}
        epochs = {key[6:]: value for key, value in arrays.items() if key.startswith("epoch_")}
        meta = {key: value for key, value in entry.items() if key not in ("file", "key")}
        meta, steps, epochs = check_run(meta, steps, epochs, self.step_columns,
                                        self.epoch_columns)
        digest = hashlib.sha256(content + json.dumps(entry, sort_keys=True).encode())
        uid = "legacy-" + digest.hexdigest()[:32]
        return self._row(uid, _meta_text(meta), steps, epochs), name

    def _merge_fallback(self, problems):
        """Runs saved in the fallback folder while the store's path was a file move back."""
        fallback = self.folder + FALLBACK_SUFFIX
        if not os.path.isfile(os.path.join(fallback, DATABASE)):
            return
        stray = []
        try:
            rows = self._read_rows(os.path.join(fallback, DATABASE), stray)
        except sqlite3.Error as error:
            stray.append(Problem(QT_TR_NOOP("Cannot read the kept runs in {path}: {error}"),
                                 {"path": fallback, "error": _reason(error)}))
        if stray:
            problems.extend(stray)
            return  # the fallback keeps what could not be read; nothing is removed
        with self._database(self.folder) as db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(INSERT, [self._row(run.uid, _meta_text(run.meta), run.steps,
                                              run.epochs) for run in rows])
            db.execute("COMMIT")
        for suffix in ("-wal", "-shm", ""):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(fallback, DATABASE) + suffix)
        with contextlib.suppress(OSError):
            os.rmdir(fallback)

    # -- saving --------------------------------------------------------------------------------

    def _row(self, uid, meta, steps, epochs, instruments=None):
        """A database row (see :data:`ROW`): the arrays as float64 bytes one after another,
        their names and lengths in ``columns``, a CRC-32 of the metadata and of the rest."""
        parts = self._parts(steps, epochs, instruments)
        columns = json.dumps([[name, len(values)] for name, values in parts])
        # one buffer, filled in place: joining each array's bytes held the run three times
        data = np.empty(sum(len(values) for _name, values in parts), dtype="<f8")
        offset = 0
        for _name, values in parts:
            data[offset:offset + len(values)] = values
            offset += len(values)
        data = memoryview(data).cast("B")
        return (uid, meta, zlib.crc32(meta.encode()), columns, data,
                zlib.crc32(data, zlib.crc32(columns.encode())))

    def add(self, runs, progress=None):
        """Insert ``runs`` (new :class:`StoredRun` s; each gets a uid) in one transaction on a
        connection of its own, so any thread may call it: an Open Run saves the runs it read
        on the worker, and the window's next :meth:`sync` finds them saved.

        Each run's arrays are streamed into its row in blocks of :data:`WRITE_BLOCK_BYTES`
        (SQLite's incremental blob I/O into a ``zeroblob``), never gathered in one buffer: a
        10M-step run is 480 MB of float64. ``progress(fraction)`` is called between blocks
        with the share of the bytes written; if it raises, the transaction is rolled back and
        the exception goes on (that is how an Open Run is cancelled). An error or a kill rolls
        it back too: the database holds all of ``runs`` or none. Returns the problems; when
        the runs could not be saved their uids are "" again (a later :meth:`sync` inserts
        them).
        """
        problems = []
        folder = self._usable_folder(problems)
        if folder is None:
            return problems
        total = sum(8 * len(values) for run in runs
                    for _name, values in self._parts(run.steps, run.epochs, run.instruments))
        written = [0]

        def block_written(size):
            written[0] += size
            if progress is not None:
                progress(written[0] / max(total, 1))

        db, committed = None, False
        try:
            db = self._open(os.path.join(folder, DATABASE))
            _begin_waiting(db, lambda: progress is None or progress(0.0))
            for run in runs:
                run.uid = uuid.uuid4().hex
                self._stream(db, run, block_written)
            db.execute("COMMIT")
            committed = True
        except (sqlite3.Error, OSError) as error:
            problems.append(Problem(QT_TR_NOOP("Cannot save the kept runs in {path}: {error}"),
                                    {"path": folder, "error": _reason(error)}))
        finally:
            if db is not None:
                db.close()  # rolls back a transaction an error or a raising progress left
            if not committed:
                for run in runs:
                    run.uid = ""
        return problems

    def _stream(self, db, run, block_written=None):
        """Insert ``run``'s row (as :meth:`_row` makes it) with its arrays written block by
        block, calling ``block_written(bytes)`` after each. The checksum is taken first: an
        UPDATE of the row after would make SQLite rewrite all of it, its arrays in memory."""
        meta = _meta_text(run.meta)
        parts = self._parts(run.steps, run.epochs, run.instruments)
        columns = json.dumps([[name, len(values)] for name, values in parts])
        size = 8 * sum(len(values) for _name, values in parts)
        crc = zlib.crc32(columns.encode())
        for block in _blocks(parts):
            crc = zlib.crc32(block, crc)
        seq = db.execute(INSERT_EMPTY, (run.uid, meta, zlib.crc32(meta.encode()), columns, size,
                                        crc)).lastrowid
        with db.blobopen("runs", "data", seq) as blob:
            for block in _blocks(parts):
                blob.write(block)
                if block_written is not None:
                    block_written(block.nbytes)

    def _parts(self, steps, epochs, instruments=None):
        """A run's arrays as they are stored, in order: ``[(name, 1-D array), ...]``."""
        parts = [(f"step_{name}", steps[name]) for name in self.step_columns]
        parts += [(f"epoch_{name}", epochs[name]) for name in self.epoch_columns]
        parts += [(f"instr_{name}", values) for name, values in (instruments or {}).items()]
        return [(name, np.asarray(values).ravel()) for name, values in parts]

    def sync(self, runs):
        """Make the database hold ``runs`` (a list of :class:`StoredRun`) for this instance.

        A run with no ``uid`` gets one (set on it) and is inserted, as is a run whose row is
        gone (another instance removed it: this one still shows it); changed metadata is
        updated; rows this instance loaded or wrote and no longer holds are deleted. Other
        rows stay. One transaction. Returns the problems (nothing raises).
        """
        problems = []
        folder = self._usable_folder(problems)
        if folder is None:
            return problems
        try:
            db = self._saving(folder)
            db.execute("BEGIN IMMEDIATE")
            # as bytes: a damaged row's text may not decode, and must not stop a save
            present = {uid.decode("utf-8", "replace"): meta for uid, meta in db.execute(
                "SELECT CAST(uid AS BLOB), CAST(meta AS BLOB) FROM runs")}
            holding = set()
            for run in runs:
                meta = _meta_text(run.meta)
                if run.uid in present:
                    if present[run.uid] != meta.encode():
                        db.execute("UPDATE runs SET meta = ?, meta_crc = ? WHERE uid = ?",
                                   (meta, zlib.crc32(meta.encode()), run.uid))
                else:
                    run.uid = run.uid or uuid.uuid4().hex
                    self._stream(db, run)
                holding.add(run.uid)
            gone = [(uid,) for uid in self._known - holding if uid in present]
            db.executemany("DELETE FROM runs WHERE uid = ?", gone)
            db.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            self.close()  # rolls back what the failed transaction began
            problems.append(Problem(QT_TR_NOOP("Cannot save the kept runs in {path}: {error}"),
                                    {"path": folder, "error": _reason(error)}))
            return problems
        self._known = holding
        return problems


def _begin_waiting(db, waiting):
    """Begin a write transaction on ``db``, waiting up to :data:`BUSY_TIMEOUT_S` for another
    connection's (another instance saving), calling ``waiting()`` every
    :data:`WAIT_POLL_S` meanwhile: it may raise to give up (a Cancel is not held up by
    someone else's save)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    db.execute(f"PRAGMA busy_timeout = {int(WAIT_POLL_S * 1000)}")
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _transient(error) or time.monotonic() > deadline:
                    raise
            waiting()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def _blocks(parts):
    """The bytes of a run's arrays (:meth:`KeptStore._parts`) as stored, one after another,
    in float64 blocks of at most :data:`WRITE_BLOCK_BYTES`."""
    per_block = WRITE_BLOCK_BYTES // 8
    for _name, values in parts:
        for start in range(0, len(values), per_block):
            yield np.ascontiguousarray(values[start:start + per_block], dtype="<f8")


def _meta_text(meta):
    """The stored metadata: sorted JSON without the session's key (renumbered each launch)."""
    return json.dumps({k: v for k, v in meta.items() if k not in ("key", "file")},
                      sort_keys=True)


def _legacy_index(path, problems):
    """The old ``kept.json``'s entries, or None (named) when it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            index = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        problems.append(Problem(QT_TR_NOOP("{path} could not be read ({error}); it and its "
                                           "runs were left in place"),
                                {"path": path, "error": _reason(error)}))
        return None
    if not isinstance(index, list):
        problems.append(Problem(QT_TR_NOOP("{path} could not be read ({error}); it and its "
                                           "runs were left in place"),
                                {"path": path, "error": f"a JSON {type(index).__name__}, "
                                                        "not a list of runs"}))
        return None
    return index


def _listdir(folder):
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _sweep_temporaries(folder):
    """Remove the old store's interrupted atomic writes (``.run-3.npz.ab12.tmp.npz``,
    ``.kept.json.ab12.tmp.json``) older than :data:`STALE_TEMPORARY_S`."""
    now = time.time()
    for name in _listdir(folder):
        if not (name.startswith((".run-", "." + LEGACY_INDEX + ".")) and ".tmp." in name):
            continue
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            if now - os.stat(path).st_mtime > STALE_TEMPORARY_S:
                os.remove(path)


def _inode(path):
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _transient(error):
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and any(w in text for w in _TRANSIENT)


def _reason(error):
    """An error's text without Python's class names ("[Errno 21] Is a directory: 'x'")."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
