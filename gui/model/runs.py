"""One collection of runs: the current run, a sweep's racing runs and the kept runs.

The runs used to reach the plots by three routes, each with its own idea of a run: the current
run through the session's progress events, kept runs through a sync of the session's kept list,
and a sweep's racing runs through direct calls from the race, which handed their curves over to
a kept run under another key when they ended. Here every run is a :class:`RunEntry` with one
protocol -- its role, key, label, colour, shown or hidden, set aside, config and its per-step
and per-epoch columns -- in one :class:`Runs` the session owns. The race adds its runs to it; a
racing run that ends becomes a kept run in place (the same entry and key, so its curves stay);
the drawer of runs (gui.plots.drawer) and the run table (gui.runs) read the collection and
follow its events.

The persisted record of a kept run stays ``gui.session.KeptRun`` (what the kept-run store
saves); the current run's is ``gui.session.CurrentRun``. An entry wraps them. No Qt here: the
model is tested without an application (tests/test_engine_import.py checks the imports).
"""

import contextlib
import enum

from engine.history import GrowableArray
from gui.model.events import Event
from gui.model.labels import Label

#: The current run's key in the collection (and the run table's and the plots' key for it).
CURRENT_KEY = "current"
#: The current run's colour (the plots' training curve blue).
CURRENT_COLOR = (31, 119, 180)


class Role(str, enum.Enum):
    """What a run is to the app; equal to its plain string (``Role.KEPT == "kept"``)."""

    CURRENT = "current"
    RACING = "racing"
    KEPT = "kept"


class RunEntry:
    """One run of the collection.

    A kept entry reads its label, colour, visibility, set-aside flag, config and columns from
    its record (``gui.session.KeptRun``), which the session changes and the store saves; the
    current run's entry reads its config and columns from its ``gui.session.CurrentRun``; a
    racing entry holds its own, its columns growing as the sweep's chunks arrive
    (:meth:`extend`).
    """

    def __init__(self, key, role, record=None, label=Label(), color=CURRENT_COLOR, config=None,
                 steps=None, epochs=None):
        self.key = key
        self.role = Role(role)
        self.record = record
        self._label = label
        self._color = tuple(color)
        self._config = config
        self._steps = steps if steps is not None else {}
        self._epochs = epochs if epochs is not None else {}

    @classmethod
    def of_kept(cls, record):
        """The entry of a kept run (its ``KeptRun``, whose key it takes)."""
        return cls(record.key, Role.KEPT, record)

    @classmethod
    def of_current(cls, run):
        """The entry of the current run (its ``CurrentRun``)."""
        return cls(CURRENT_KEY, Role.CURRENT, run)

    @classmethod
    def of_racing(cls, key, label, color, config, step_columns, epoch_columns):
        """A sweep's racing run, with empty growable columns of these names."""
        return cls(key, Role.RACING, None, label, color, config,
                   {name: GrowableArray(float) for name in step_columns},
                   {name: GrowableArray(float, capacity=64) for name in epoch_columns})

    def __repr__(self):
        return f"RunEntry({self.key!r}, {self.role.value})"

    @property
    def kept(self):
        return self.role is Role.KEPT

    @property
    def label(self):
        """What it is called (a ``gui.model.labels.Label``)."""
        return self.record.label if self.kept else self._label

    @property
    def color(self):
        return tuple(self.record.color) if self.kept else self._color

    @property
    def visible(self):
        """Shown on the plots (a hidden kept run stays in the legends, greyed)."""
        return self.record.visible if self.kept else True

    @property
    def aside(self):
        """Set aside by a lesson (hidden, out of the run table until brought back)."""
        return self.record.aside if self.kept else False

    @property
    def config(self):
        return self._config if self.record is None else self.record.config

    @property
    def steps(self):
        """Its per-step columns by name (``gui.session.STEP_COLUMNS``), as arrays (a growing
        run's: views of what has arrived so far; a kept run's: its record's, not copied)."""
        if self.kept:
            return self.record.steps
        return _views(self._steps if self.record is None else self.record.steps)

    @property
    def epochs(self):
        """Its per-epoch columns by name (``gui.session.EPOCH_COLUMNS``), as arrays."""
        if self.kept:
            return self.record.epochs
        return _views(self._epochs if self.record is None else self.record.epochs)

    @property
    def instruments(self):
        """Its instrument rows (``KeptRun.instruments``; ``{}``: none or not kept)."""
        return self.record.instruments if self.kept else {}

    def extend(self, steps, epochs):
        """A racing run's new steps and epochs (dicts of arrays by column name; a column
        missing from ``epochs`` gets nothing)."""
        if self.role is not Role.RACING:
            raise ValueError(f"only a racing run grows by extend; run {self.key!r} is "
                             f"{self.role.value}")
        for name, values in steps.items():
            self._steps[name].extend(values)
        for name, column in self._epochs.items():
            if name in epochs:
                column.extend(epochs[name])


def _views(columns):
    """A growing run's columns (``GrowableArray`` s) as views of what they hold."""
    return {name: column.view for name, column in columns.items()}


class Runs:
    """Every run of the app, in the order they joined (a racing run that is kept moves after
    the runs kept before it, so the kept runs are in the order kept).

    Events (each an ``Event``):

    - ``added(entries)``, ``removed(entries)``: runs came or went (the current run is replaced
      by a new one: removed, then added);
    - ``changed(entries)``: their label, visibility, set-aside flag or role changed (a racing
      run became kept); ``changed([])``: the scene changed (:meth:`set_scene`);
    - ``grew(entries, progress)``: new steps or epochs of the current run (with the worker's
      ``Progress``) or of racing runs (None);
    - ``planned(entry, epochs)``: the current run's planned length changed (None: as its facts
      say); ``ended(entry, reason)``: the current run's fit returned.

    Changes made inside :meth:`batch` are announced at its end, each kind in one event.
    """

    def __init__(self):
        self._entries = {}
        #: While a lesson is open its plots draw only the shown runs (:meth:`drawn`).
        self.lesson_open = False
        #: Keys of the runs whose legend entries stay whatever the room (a lesson's runs).
        self.listed = frozenset()
        self.added = Event()
        self.removed = Event()
        self.changed = Event()
        self.grew = Event()
        self.planned = Event()
        self.ended = Event()
        self._depth = 0
        self._pending = {"removed": [], "added": [], "changed": []}
        self._scene_pending = False

    def __iter__(self):
        return iter(list(self._entries.values()))

    def __len__(self):
        return len(self._entries)

    def __contains__(self, key):
        return key in self._entries

    def get(self, key):
        """The entry of run ``key`` (None: no such run)."""
        return self._entries.get(key)

    def of(self, role):
        """The entries of ``role`` ("current", "racing" or "kept"), in order."""
        role = Role(role)
        return [entry for entry in self._entries.values() if entry.role is role]

    @property
    def current(self):
        return self._entries.get(CURRENT_KEY)

    def drawn(self):
        """The kept runs the plots draw: all but those set aside (one set aside and shown
        again from the run table is drawn again); while a lesson is open, the shown ones only
        (runs hidden before left greyed entries in its legends)."""
        kept = self.of(Role.KEPT)
        if self.lesson_open:
            return [entry for entry in kept if entry.visible]
        return [entry for entry in kept if entry.visible or not entry.aside]

    # -- changes ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self):
        """Announce the changes made inside once, at the end: removed, added, then changed."""
        self._depth += 1
        try:
            yield self
        finally:
            self._depth -= 1
            if not self._depth:
                pending, self._pending = self._pending, {name: [] for name in self._pending}
                scene, self._scene_pending = self._scene_pending, False
                for name, entries in pending.items():
                    if entries or (name == "changed" and scene):
                        getattr(self, name).emit(list(dict.fromkeys(entries)))

    def _announce(self, name, entries):
        if self._depth:
            self._pending[name] += entries
        else:
            getattr(self, name).emit(entries)

    def add(self, entries):
        """Add ``entries`` (their keys must be new)."""
        entries = list(entries)
        for entry in entries:
            if entry.key in self._entries:
                raise ValueError(f"a run with key {entry.key!r} is already in the collection")
            self._entries[entry.key] = entry
        if entries:
            self._announce("added", entries)

    def remove(self, keys):
        """Take the runs ``keys`` out (a key not in the collection is passed over)."""
        entries = [self._entries.pop(key) for key in list(keys) if key in self._entries]
        if entries:
            self._announce("removed", entries)

    def update(self, entries):
        """Announce that ``entries`` changed (label, visibility, set aside)."""
        entries = list(entries)
        if entries:
            self._announce("changed", entries)

    def keep(self, entry, record):
        """The racing run ``entry`` ended and is kept as ``record`` (a ``KeptRun``, given the
        entry's key): the same entry, now kept, after the runs kept before it."""
        if entry.role is not Role.RACING or self._entries.get(entry.key) is not entry:
            raise ValueError(f"{entry!r} is not a racing run of this collection")
        record.key = entry.key
        entry.record, entry.role = record, Role.KEPT
        entry._steps = entry._epochs = {}  # its columns are the record's now
        del self._entries[entry.key]  # kept runs are listed in the order kept
        self._entries[entry.key] = entry
        self._announce("changed", [entry])

    def set_scene(self, lesson_open, listed=()):
        """Which kept runs the plots draw and list (see :meth:`drawn`, :attr:`listed`);
        ``changed([])`` if that changed."""
        scene = (bool(lesson_open), frozenset(listed))
        if scene != (self.lesson_open, self.listed):
            self.lesson_open, self.listed = scene
            if self._depth:
                self._scene_pending = True
            else:
                self.changed.emit([])

    def grow(self, entries, progress=None):
        """``entries`` have new steps or epochs (see the ``grew`` event)."""
        self.grew.emit(list(entries), progress)

    def plan(self, epochs=None):
        """The current run's planned epochs changed (see the ``planned`` event)."""
        if self.current is not None:
            self.planned.emit(self.current, epochs)

    def end(self, reason):
        """The current run's fit returned with ``reason`` (see the ``ended`` event)."""
        if self.current is not None:
            self.ended.emit(self.current, reason)


__all__ = ["CURRENT_COLOR", "CURRENT_KEY", "Role", "RunEntry", "Runs"]
