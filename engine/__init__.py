"""LossLab's training engine: pure NumPy, no Qt.

Public API (README: "Using the engine from Python", "How it is built"): ``losses``,
``optimizers``, ``schedules``, ``datasets``, ``callbacks`` (``Callback``: hooks for
``Trainer.fit``), ``instruments`` (sharpness, noise scale, per-example losses, layer norms),
``TrainingConfig``, ``Trainer``, ``ConfigError``,
``Run`` (a run's config, history and metadata, saved and loaded as a folder: :mod:`engine.run`).
"""

from . import activations, callbacks, datasets, instruments, losses, optimizers, schedules
from .callbacks import Callback
from .config import TrainingConfig, incompatibility
from .errors import ConfigError
from .history import Diverged, Event, History
from .run import Run
from .trainer import BatchChunk, BatchResult, EpochResult, Trainer

__all__ = ["activations", "callbacks", "datasets", "instruments", "losses", "optimizers", "schedules",
           "TrainingConfig", "Trainer", "Callback", "ConfigError", "History", "Event",
           "Diverged", "BatchChunk", "BatchResult", "EpochResult", "incompatibility", "Run"]
