"""What the worker thread tells the window: plain dataclasses, no Qt.

Every job of :mod:`gui.worker` reports through one signal carrying one of these; the window
dispatches on the type, and the Qt-free session (:mod:`gui.session`) reads them as they are.
"""

from dataclasses import dataclass, field

from engine import BatchChunk


@dataclass
class Progress:
    """What happened since the previous Progress of the same run.

    ``chunk`` is the engine's ``BatchChunk`` (per-batch arrays and events). Per new epoch,
    arrays of shape (e,) in ``epochs`` (train_loss, val_loss, train_accuracy, val_accuracy);
    ``best_epoch``; ``view`` a :class:`gui.views.DataView` or None; the trainer's counters
    (``step_count``, ``current_epoch``, ``steps_per_epoch``, ``finished``) as of this message;
    ``network`` the network view's :class:`gui.model.network_pictures.NetworkPictures`, computed
    with ``view``, or None.
    """

    run_id: int
    chunk: BatchChunk
    epochs: dict = field(default_factory=dict)
    best_epoch: int = None
    view: object = None
    step_count: int = 0
    current_epoch: int = 0
    steps_per_epoch: int = 0
    finished: bool = False
    network: object = None


@dataclass
class RunEnd:
    """``fit`` returned: ``reason`` is the history's stop reason ("finished", "stopped",
    "diverged", "early_stopping") or "error"; ``message`` explains divergence or errors."""

    run_id: int
    reason: str
    message: str = ""
    diverged_step: int = None


@dataclass
class LrFound:
    """The LR range test's ``engine.lr_finder.LRFinderResult``."""

    run_id: int
    result: object


@dataclass
class ExportProgress:
    """An export to ``path`` is under way: ``fraction`` (0 to 1) of its rows are written.

    Sent at most once per percent, increasing, the last one with 1.0 (before the file is
    renamed into place)."""

    path: str
    fraction: float


@dataclass
class Exported:
    """An export ended: ``outcome`` "written" (``rows`` rows to ``path``), "cancelled" (the
    file at ``path``, if any, is as it was) or "failed" (``message`` says why; the old file
    is intact too). ``title`` names the job for a failure's message box."""

    path: str
    rows: int
    outcome: str = "written"
    message: str = ""
    title: str = "Cannot export the history"


@dataclass
class Failed:
    """A job raised: ``title`` says which job, ``message`` the error; nothing else changed."""

    title: str
    message: str
