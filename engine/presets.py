"""Suggested settings per built-in dataset, and the default pace: settings known to learn.

TensorFlow Playground's users asked for exactly this ("load parameters known to produce a great
outcome for each dataset, with commentary on why"). Each dataset carries its own
:class:`~engine.datasets.Preset` in its registry entry (engine/datasets.py): the config fields
to set and one English line saying why they work (the GUI translates it). This module reads
them from there; tests/test_presets.py trains every one and states the bound.

``DEFAULT_PACE`` is the GUI's starting pace in steps per second: the default run on circle
(30 epochs of 25 batches, 750 steps) then lasts 25 s, long enough to watch it and turn a knob,
and at 30 steps/s or slower every batch is drawn (engine.trainer.Trainer.fit).
"""

from __future__ import annotations

from . import datasets
from .datasets import Preset

#: The GUI's default pace (steps per second).
DEFAULT_PACE = 30.0


def names():
    """The datasets that have suggested settings (every built-in one), in display order."""
    return datasets.names()


def suggested(dataset):
    """The :class:`Preset` for ``dataset``; ConfigError naming the ones that have one."""
    return datasets.preset(dataset)


__all__ = ["DEFAULT_PACE", "Preset", "names", "suggested"]
