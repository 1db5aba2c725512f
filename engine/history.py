"""What a run produced: per-batch and per-epoch series in growable NumPy arrays, and events.

Per batch the history stores 24 bytes: the loss and the learning rate, each as float32 (7
significant digits, plenty for a plot or a CSV), the cumulative samples seen (int64) and the
training seconds since the run began (float64, paused time excluded) -- the last two are what
the plots need to put samples or seconds on the x axis, and why a run at batch 8 and one at
batch 512 can be compared fairly. The step number is the row index + 1 and the epoch of each
step is derived from the steps at which epochs began, so neither is stored per step. Arrays
grow by doubling, so appending is amortised O(1) and never builds Python lists; with the
doubling slack a history holds at most 48 bytes per step (10 million steps: 240-480 MB).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import numpy as np

from .atomic import atomic_write
from .errors import ConfigError


_FLOAT32_MAX = float(np.finfo(np.float32).max)


class GrowableArray:
    """A NumPy array that grows by doubling; ``view`` is the filled part (no copy).

    Parameters
    ----------
    dtype : numpy dtype
    width : int or None
        ``None`` for a 1-D series, else the number of columns of a 2-D series.
    capacity : int
        Initial number of rows.
    """

    def __init__(self, dtype=np.float64, width=None, capacity=1024):
        shape = (capacity,) if width is None else (capacity, width)
        self._data = np.empty(shape, dtype=dtype)
        self._size = 0

    @classmethod
    def holding(cls, values):
        """A GrowableArray whose contents are the 1-D array ``values``, taken without a copy
        (it grows by doubling from there)."""
        if not len(values):
            return cls(values.dtype)
        grown = cls.__new__(cls)
        grown._data, grown._size = values, len(values)
        return grown

    def __len__(self):
        return self._size

    @property
    def view(self):
        return self._data[:self._size]

    @property
    def nbytes(self):
        """Bytes held, including the unused capacity."""
        return self._data.nbytes

    def _reserve(self, size):
        capacity = self._data.shape[0]
        if size <= capacity:
            return
        while capacity < size:
            capacity *= 2
        grown = np.empty((capacity, *self._data.shape[1:]), dtype=self._data.dtype)
        grown[:self._size] = self._data[:self._size]
        self._data = grown

    def append(self, value):
        if self._size == self._data.shape[0]:
            self._reserve(self._size + 1)
        self._data[self._size] = value
        self._size += 1

    def clear(self):
        """Forget the contents, keeping the allocation."""
        self._size = 0

    def extend(self, values):
        """Append rows: ``values`` has shape (m,) or (m, width)."""
        values = np.asarray(values)
        end = self._size + values.shape[0]
        self._reserve(end)
        self._data[self._size:end] = values
        self._size = end


class InstrumentTable:
    """Measurements of instruments (engine.instruments) at chosen steps: one row per
    measurement, ``step`` (the steps trained when measured; 0 is before the first), ``epoch``
    (the epochs begun then) and one float64 column per measured value, NaN where a row lacks
    it. Columns appear in the order first recorded."""

    def __init__(self):
        self._step = GrowableArray(np.int64, capacity=64)
        self._epoch = GrowableArray(np.int64, capacity=64)
        self._columns = {}

    def __len__(self):
        return len(self._step)

    @property
    def columns(self):
        """Names of the value columns, in order."""
        return list(self._columns)

    @property
    def step(self):
        return self._step.view

    @property
    def epoch(self):
        return self._epoch.view

    def __getitem__(self, name):
        """The column ``name`` (float64, one value per row)."""
        return self._columns[name].view

    def record(self, step, epoch, values):
        """One measurement: ``values`` maps column names to floats."""
        rows = len(self._step)
        for name in values:
            if name not in self._columns:
                column = GrowableArray(np.float64, capacity=64)
                column.extend(np.full(rows, np.nan))
                self._columns[name] = column
        self._step.append(step)
        self._epoch.append(epoch)
        for name, column in self._columns.items():
            value = values.get(name)
            column.append(np.nan if value is None else value)

    def rows(self, start, end=None):
        """Rows ``start:end`` as ``{"step", "epoch", column: array}`` (copies)."""
        end = len(self) if end is None else end
        table = {"step": self.step[start:end].copy(), "epoch": self.epoch[start:end].copy()}
        table.update((name, column.view[start:end].copy())
                     for name, column in self._columns.items())
        return table

    def to_csv(self, path):
        """One row per measurement: ``step, epoch`` and the columns, atomically (values
        written exactly, ``nan`` where missing)."""
        lines = [",".join(["step", "epoch", *self._columns])]
        values = [column.view.tolist() for column in self._columns.values()]
        for index, (step, epoch) in enumerate(zip(self.step.tolist(), self.epoch.tolist())):
            lines.append(",".join([str(step), str(epoch),
                                   *(repr(series[index]) for series in values)]))
        with atomic_write(path, "w", newline="") as handle:
            handle.write("\n".join(lines) + "\n")

    @classmethod
    def from_csv(cls, path):
        """Read :meth:`to_csv`'s file; ConfigError naming the file and line if it is not one."""
        columns, data = _read_numeric_csv(path, required=("step", "epoch"))
        table = cls()
        names = [name for name in columns if name not in ("step", "epoch")]
        for index in range(data["step"].shape[0]):
            table.record(int(data["step"][index]), int(data["epoch"][index]),
                         {name: float(data[name][index]) for name in names})
        return table


@dataclass(frozen=True)
class Event:
    """A live change applied during a run: from ``step`` on, ``field`` is ``new``."""

    step: int
    field: str
    old: object
    new: object

    def label(self):
        """Short text for a plot marker, e.g. ``"lr 0.01 → 0.1"``."""
        name = _SHORT_FIELD.get(self.field, self.field)
        return f"{name} {_short(self.old)} → {_short(self.new)}"


@dataclass(frozen=True)
class Notice:
    """Something a learner should know about the run, said at ``step`` (it keeps running).

    ``kind`` names the situation (``"chance_level"``: accuracy stuck at chance); ``message``
    is the sentence to show.
    """

    step: int
    kind: str
    message: str


@dataclass(frozen=True)
class Diverged:
    """The run stopped because it blew up: a non-finite loss, exploding weights, or a loss far
    above its best smoothed value. ``message`` says what happened and what to try."""

    step: int
    loss: float
    message: str


_SHORT_FIELD = {"learning_rate": "lr", "batch_size": "batch", "weight_decay": "wd",
                "early_stopping_patience": "patience"}


def _short(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


class History:
    """Per-batch and per-epoch results of one run.

    Per step (views of the filled part): ``step`` (1-based), ``epoch`` (1-based),
    ``batch_loss``, ``learning_rate``, ``samples`` (cumulative samples seen, int64),
    ``seconds`` (training seconds since the run began, paused time excluded); ``trust_ratio`` (steps, n_param_arrays) for LARS/LAMB,
    else None. Per epoch: ``train_loss``, ``val_loss``, ``train_accuracy``, ``val_accuracy``
    (NaN where not defined), ``epoch_seconds``. Also ``events``, ``notices``, ``best_epoch``,
    ``diverged``, and ``instruments`` (an :class:`InstrumentTable`, empty unless a run
    measured some).
    """

    def __init__(self, n_trust=0):
        self._loss = GrowableArray(np.float32)
        self._lr = GrowableArray(np.float32)
        self._samples = GrowableArray(np.int64)
        self._seconds = GrowableArray(np.float64)
        self._epoch_start = GrowableArray(np.int64, capacity=64)
        self._per_epoch = {name: GrowableArray(np.float64, capacity=64) for name in
                           ("train_loss", "val_loss", "train_accuracy", "val_accuracy",
                            "epoch_seconds")}
        self._trust = GrowableArray(np.float32, width=n_trust) if n_trust else None
        self.events = []
        self.notices = []
        self.instruments = InstrumentTable()
        self.diverged = None
        self.stop_reason = None

    # -- recording (the trainer's side) --------------------------------------------------------

    def record_batch(self, loss, learning_rate, samples, seconds):
        """One step: its loss and learning rate, the samples seen so far (this batch included)
        and the training seconds since the run began."""
        if abs(loss) > _FLOAT32_MAX:  # a diverging loss beyond float32 is stored as inf
            loss = float("inf") if loss == loss else loss
        self._loss.append(loss)
        self._lr.append(learning_rate)
        self._samples.append(samples)
        self._seconds.append(seconds)

    def record_batches(self, loss, learning_rate, samples, seconds):
        """Many steps at once, as :meth:`record_batch` records one: four arrays of one
        length (a long history made without training it: tests and benchmarks)."""
        loss = np.asarray(loss)
        self._loss.extend(np.where(np.abs(loss) > _FLOAT32_MAX, np.inf, loss))
        self._lr.extend(learning_rate)
        self._samples.extend(samples)
        self._seconds.extend(seconds)

    def record_trust(self, ratios):
        self._trust.append(ratios)

    def begin_epoch(self):
        self._epoch_start.append(len(self._loss))

    def record_epoch(self, train_loss, val_loss, train_accuracy, val_accuracy, seconds):
        values = dict(train_loss=train_loss, val_loss=val_loss, train_accuracy=train_accuracy,
                      val_accuracy=val_accuracy, epoch_seconds=seconds)
        for name, value in values.items():
            self._per_epoch[name].append(np.nan if value is None else value)

    # -- reading -------------------------------------------------------------------------------

    @property
    def n_steps(self):
        return len(self._loss)

    @property
    def n_epochs(self):
        """Completed epochs."""
        return len(self._per_epoch["train_loss"])

    @property
    def batch_loss(self):
        return self._loss.view

    @property
    def learning_rate(self):
        return self._lr.view

    @property
    def samples(self):
        """Cumulative training samples seen after each step (int64)."""
        return self._samples.view

    @property
    def seconds(self):
        """Training seconds since the run began after each step, paused time excluded."""
        return self._seconds.view

    @property
    def step(self):
        return np.arange(1, self.n_steps + 1, dtype=np.int64)

    @property
    def epoch(self):
        """Epoch (1-based) of every step."""
        starts = self._epoch_start.view
        return np.searchsorted(starts, np.arange(self.n_steps), side="right").astype(np.int64)

    @property
    def epoch_start_steps(self):
        """The step (1-based) at which each begun epoch started."""
        return self._epoch_start.view + 1

    @property
    def trust_ratio(self):
        return None if self._trust is None else self._trust.view

    @property
    def train_loss(self):
        """Mean batch loss of each epoch (running, as Keras reports it)."""
        return self._per_epoch["train_loss"].view

    @property
    def val_loss(self):
        """Validation loss after each epoch (NaN without a validation split)."""
        return self._per_epoch["val_loss"].view

    @property
    def train_accuracy(self):
        """Running accuracy over each epoch's batches, as Keras reports it (NaN for
        regression)."""
        return self._per_epoch["train_accuracy"].view

    @property
    def val_accuracy(self):
        return self._per_epoch["val_accuracy"].view

    @property
    def epoch_seconds(self):
        return self._per_epoch["epoch_seconds"].view

    @property
    def best_epoch(self):
        """1-based epoch with the lowest validation loss (training loss without validation)."""
        if self.n_epochs == 0:
            return None
        values = self.val_loss if not np.all(np.isnan(self.val_loss)) else self.train_loss
        if np.all(np.isnan(values)):
            return None
        return int(np.nanargmin(values)) + 1

    @property
    def nbytes_per_batch(self):
        """Bytes held per recorded step by the per-batch arrays (capacity included)."""
        held = (self._loss.nbytes + self._lr.nbytes + self._samples.nbytes
                + self._seconds.nbytes)
        return held / max(self.n_steps, 1)

    # -- files (engine.run writes and reads a run's folder with these) -------------------------

    def csv_columns(self):
        """The per-step columns :meth:`to_csv` writes, in order.

        ``samples`` and ``seconds`` are written when this history records them.
        """
        extra = [name for name in ("samples", "seconds") if _has_series(self, name)]
        return ["step", "epoch", *extra, "batch_loss", "learning_rate"]

    def to_csv(self, path, progress=None):
        """Write one row per step (:meth:`csv_columns`) to ``path``, atomically.

        Rows are formatted ``CSV_CHUNK_ROWS`` at a time, so memory beyond the history itself
        stays about 2 MB at any length (tests/test_history_io.py measures 1M and 10M steps).
        Losses and learning rates keep the 7 significant digits float32 holds.

        Parameters
        ----------
        path : str or os.PathLike
        progress : callable(float), optional
            Called with the fraction written (0 < f <= 1) after each chunk. If it raises, the
            export is abandoned and an existing file at ``path`` is left as it was.

        Raises
        ------
        OSError
            Naming ``path``, when it cannot be written; an old file there is intact.
        """
        columns = self.csv_columns()
        formats = {"step": "%d", "epoch": "%d", "samples": "%d", "seconds": "%.6f",
                   "batch_loss": "%.7g", "learning_rate": "%.7g"}
        row_format = ",".join(formats[name] for name in columns) + "\n"
        series = {"batch_loss": self.batch_loss, "learning_rate": self.learning_rate}
        for name in ("samples", "seconds"):
            if name in columns:
                series[name] = getattr(self, name)
        starts = self._epoch_start.view
        total = self.n_steps
        with atomic_write(path, "w", newline="") as handle:
            handle.write(",".join(columns) + "\n")
            for low in range(0, total, CSV_CHUNK_ROWS):
                high = min(low + CSV_CHUNK_ROWS, total)
                index = np.arange(low, high)
                chunk = {"step": index + 1,
                         "epoch": np.searchsorted(starts, index, side="right")}
                chunk.update((name, values[low:high]) for name, values in series.items())
                rows = zip(*(chunk[name].tolist() for name in columns))
                handle.write("".join([row_format % row for row in rows]))
                if progress is not None:
                    progress(high / total)

    def epochs_to_csv(self, path):
        """Write one row per completed epoch (:data:`EPOCH_COLUMNS`) to ``path``, atomically.

        Values are float64 written exactly (shortest round-trip form); NaN where undefined.
        """
        series = [self.train_loss, self.val_loss, self.train_accuracy, self.val_accuracy,
                  self.epoch_seconds]
        lines = [",".join(EPOCH_COLUMNS)]
        for epoch, values in enumerate(zip(*(s.tolist() for s in series)), start=1):
            lines.append(",".join([str(epoch), *map(repr, values)]))
        with atomic_write(path, "w", newline="") as handle:
            handle.write("\n".join(lines) + "\n")

    @classmethod
    def from_csv(cls, path, epochs_path=None, n_trust=0, progress=None):
        """Rebuild a history from :meth:`to_csv`'s file (and :meth:`epochs_to_csv`'s).

        Reads files written before ``samples``/``seconds`` existed too; what a file lacks stays
        missing: ``samples``/``seconds`` are then empty (not one value per step), and there
        are no per-epoch series without ``epochs_path``. The per-step series are read into
        arrays of their final size and type, which the history then holds without a copy
        (10M steps: a peak of about 0.55 GB, 0.24 GB held; tests/benchmarks/open_run_speed.py).
        ``progress(fraction)`` is called as the per-step file is read; an exception it raises
        abandons the reading.

        Raises
        ------
        ConfigError
            Naming the file, the line and the problem, for a file that is not such a history.
        """
        history = cls(n_trust=n_trust)
        columns, data = _read_numeric_csv(path, required=("step", "epoch", "batch_loss",
                                                          "learning_rate"),
                                          dtypes=_STEP_DTYPES, progress=progress)
        name = os.path.basename(os.fspath(path))
        steps, epochs = data["step"], data["epoch"]
        n = steps.shape[0]
        bad = np.flatnonzero(steps != np.arange(1, n + 1))
        if bad.size:
            raise ConfigError(f"{name} line {bad[0] + 2}: step {steps[bad[0]]:g} where "
                              f"{bad[0] + 1} was expected; steps count up from 1")
        if n:
            jumps = np.diff(epochs, prepend=0)
            bad = np.flatnonzero((jumps != 0) & (jumps != 1))
            if bad.size or epochs[0] != 1:
                where = bad[0] if bad.size else 0
                raise ConfigError(f"{name} line {where + 2}: epoch {epochs[where]:g} after "
                                  f"epoch {epochs[where - 1] if where else 0:g}; epochs start "
                                  f"at 1 and go up one at a time")
            history._epoch_start.extend(np.flatnonzero(jumps).astype(np.int64))
        history._loss = GrowableArray.holding(data["batch_loss"])
        history._lr = GrowableArray.holding(data["learning_rate"])
        for series in ("samples", "seconds"):
            if series in columns:
                setattr(history, f"_{series}", GrowableArray.holding(data[series]))
        if epochs_path is not None:
            _, per_epoch = _read_numeric_csv(epochs_path, required=EPOCH_COLUMNS)
            expected = np.arange(1, per_epoch["epoch"].shape[0] + 1)
            bad = np.flatnonzero(per_epoch["epoch"] != expected)
            if bad.size:
                raise ConfigError(f"{os.path.basename(os.fspath(epochs_path))} line "
                                  f"{bad[0] + 2}: epoch {per_epoch['epoch'][bad[0]]:g} where "
                                  f"{bad[0] + 1} was expected")
            for column, series in zip(EPOCH_COLUMNS[1:], ("train_loss", "val_loss",
                                                          "train_accuracy", "val_accuracy",
                                                          "epoch_seconds")):
                history._per_epoch[series].extend(per_epoch[column])
        return history


#: Rows formatted at a time by :meth:`History.to_csv`: about 2 MB of Python objects at the
#: peak, and as fast per row as larger chunks.
CSV_CHUNK_ROWS = 8192
#: The columns of ``epochs.csv``.
EPOCH_COLUMNS = ("epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy",
                 "seconds")


#: The types History keeps its per-step series in (the reader's default is float64).
_STEP_DTYPES = {"batch_loss": np.float32, "learning_rate": np.float32, "samples": np.int64}


def _has_series(history, name):
    """Whether ``history`` has a full per-step ``name`` (a history read from a file written
    before the series existed has it empty)."""
    values = getattr(history, name, None)
    return values is not None and len(values) == history.n_steps


def _read_numeric_csv(path, required, dtypes=None, progress=None):
    """Read a header line and numeric rows; return (columns, {column: array}).

    The rows are counted first (one pass over the bytes), so each column is allocated once at
    its final size -- float64, or its type in ``dtypes`` -- and filled a block of text at a
    time: NumPy's parser reads a block, and Python's per-row parser only a block NumPy
    refused, so a bad value is still named by its line. Beyond the columns, reading holds one
    block (``READ_BLOCK_CHARS``). ``progress(fraction)`` is called after each block; an
    exception it raises stops the reading and propagates.
    """
    name = os.path.basename(os.fspath(path))
    dtypes = dtypes or {}
    try:
        size = os.path.getsize(path)
        capacity = _count_lines(path)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            columns = [c.strip() for c in header.strip().split(",")]
            missing = [c for c in required if c not in columns]
            if missing:
                raise ConfigError(f"{name}: the header {header.strip()!r} lacks the column(s) "
                                  f"{', '.join(missing)}")
            if len(set(columns)) != len(columns):
                raise ConfigError(f"{name}: the header {header.strip()!r} repeats a column")
            out = [np.empty(capacity, dtype=dtypes.get(column, np.float64))
                   for column in columns]
            filled, line, consumed = 0, 2, len(header)
            while True:
                block = handle.read(READ_BLOCK_CHARS)
                if not block:
                    break
                if not block.endswith("\n"):  # end on a whole line
                    block += handle.readline()
                table = _parse_block(name, block, line, len(columns))
                end = filled + table.shape[0]
                if end > len(out[0]):  # lone carriage returns: more lines than counted
                    out = [np.resize(values, max(end, 2 * len(values))) for values in out]
                with np.errstate(over="ignore"):  # beyond float32 is inf, as record_batch
                    for values, column in zip(out, table.T):
                        values[filled:end] = column
                filled, consumed = end, consumed + len(block)
                line += block.count("\n") + block.count("\r") - block.count("\r\n")
                if progress is not None:
                    progress(min(consumed / max(size, 1), 1.0))
    except FileNotFoundError:
        raise ConfigError(f"{name} is missing ({os.fspath(path)})") from None
    except IsADirectoryError:
        raise ConfigError(f"{name} is a folder, not a file ({os.fspath(path)})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name} cannot be read: {exc}") from None
    return columns, {column: values[:filled] for column, values in zip(columns, out)}


#: Characters of a CSV file parsed at a time (512 KB: some 11,000 history rows). NumPy's
#: parser holds the GIL for a whole block: 8 MB blocks held the window's thread 200-220 ms at
#: a time while an Open Run read on the worker, 2 MB 80-130 ms on a busy machine; the whole
#: read takes as long either way (2M steps: 4.3-5.1 s with 512 KB, 1 MB or 2 MB blocks).
READ_BLOCK_CHARS = 1 << 19


def _count_lines(path):
    """Line breaks in the file at ``path``: at least the rows after its header, minus one."""
    count = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 24):
            count += block.count(b"\n")
    return count + 1


def _parse_block(name, block, first_line, width):
    """The rows of ``block`` (whole lines; the first is line ``first_line`` of the file ``name``)
    as a (rows, width) float64 array; blank lines are skipped."""
    if not block.strip():
        return np.empty((0, width))
    try:
        table = np.loadtxt(io.StringIO(block), delimiter=",", comments=None, ndmin=2,
                           dtype=np.float64)
    except ValueError:
        table = None
    if table is not None and table.shape[1] == width:
        return table
    # NumPy refused it (or read another width): Python's parser names the line and the value
    rows = [_parse_row(name, number, text, width)
            for number, text in enumerate(io.StringIO(block, newline=""), start=first_line)
            if text.strip()]
    return np.array(rows, dtype=np.float64).reshape(-1, width)


def _parse_row(name, number, line, width):
    cells = line.split(",")
    if len(cells) != width:
        raise ConfigError(f"{name} line {number}: {len(cells)} values, the header has {width}")
    try:
        return [float(cell) for cell in cells]
    except ValueError:
        bad = next(c for c in cells if not _is_float(c))
        raise ConfigError(f"{name} line {number}: {bad.strip()!r} is not a number") from None


def _is_float(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
