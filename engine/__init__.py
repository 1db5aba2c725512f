"""LossLab's training engine: pure NumPy, no Qt.

Public API (README: "Using the engine from Python", "How it is built"): ``losses``,
``optimizers``, ``schedules``, ``datasets``, ``TrainingConfig``, ``Trainer``, ``ConfigError``,
``Run`` (a run's config, history and metadata, saved and loaded as a folder: :mod:`engine.run`).
"""

from . import activations, datasets, losses, optimizers, schedules
from .config import TrainingConfig, incompatibility
from .errors import ConfigError
from .history import Diverged, Event, History
from .run import Run
from .trainer import BatchChunk, BatchResult, EpochResult, Trainer

__all__ = ["activations", "datasets", "losses", "optimizers", "schedules", "TrainingConfig",
           "Trainer", "ConfigError", "History", "Event", "Diverged", "BatchChunk",
           "BatchResult", "EpochResult", "incompatibility", "Run"]
