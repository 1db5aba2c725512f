"""Defaults that learn and suggested settings per dataset (each dataset's registry entry carries
its own): each is trained headless and must learn (the bound is stated where a dataset needs
its own); the default run at the default pace lasts 10-30 s."""

import numpy as np
import pytest

from engine import ConfigError, Trainer, TrainingConfig, datasets, losses, presets, texts


def _ring_agreement(trainer):
    """Fraction of a grid over the data's disc where the boundary is the true ring's: inside
    radius 0.6 (the gap between the inner disc and the outer ring) is class 1."""
    axis = np.linspace(-1.0, 1.0, 41)
    x, y = np.meshgrid(axis, axis)
    points = np.column_stack([x.ravel(), y.ravel()])
    radius = np.hypot(points[:, 0], points[:, 1])
    # the band 0.5..0.7 holds no data: either side of it is a fair boundary
    judged = (radius <= 1.0) & ((radius < 0.45) | (radius > 0.75))
    truth = (radius[judged] < 0.6).astype(np.int64)
    return float(np.mean(trainer.classify(points[judged]) == truth))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_config_learns_the_circle_with_a_ring_boundary(seed):
    trainer = Trainer(TrainingConfig(seed=seed))
    history = trainer.fit()
    assert history.stop_reason == "finished"
    assert history.val_accuracy[-1] >= 0.95
    assert _ring_agreement(trainer) >= 0.95
    assert history.notices == []


def test_default_run_lasts_10_to_30_seconds_at_the_default_pace():
    trainer = Trainer(TrainingConfig())
    steps = trainer.steps_per_epoch * trainer.epochs
    assert 10 <= steps / presets.DEFAULT_PACE <= 30
    # slow enough that every batch is drawn (a chunk per batch at 30 steps/s or slower)
    assert presets.DEFAULT_PACE <= 30


def test_every_built_in_dataset_has_a_suggestion_with_a_reason_marked_for_translation():
    """The reason is English at the entry and marked for the catalogue (its Korean is checked
    with every other catalogue text in tests/test_i18n.py)."""
    built_in = [name for name in datasets.names() if not name.startswith("csv")]
    assert presets.names() == built_in
    for name in presets.names():
        preset = presets.suggested(name)
        assert preset is datasets.preset(name)
        assert preset.changes["dataset"] == name
        TrainingConfig(**preset.changes).validate()
        assert len(preset.why) > 20 and preset.why in texts.MARKED


def test_unknown_dataset_has_no_suggestion_and_says_which_do():
    with pytest.raises(ConfigError, match="no suggested settings for dataset 'csv:x.csv'; "
                                          "suggestions exist for circle, xor"):
        presets.suggested("csv:x.csv")


#: Datasets held to a bound of their own: minimum validation accuracy, or maximum validation
#: loss. Any other dataset must reach 95 % (classification), or end with a validation loss at
#: most 0.8x that of always predicting the training mean (regression, counts).
BOUNDS = {"iris": 0.9, "sine": ("loss", 0.02), "plane": ("loss", 0.01)}
DEFAULT_ACCURACY = 0.95
DEFAULT_LOSS_RATIO = 0.8


@pytest.mark.parametrize("name", presets.names())
def test_each_suggestion_learns_its_dataset(name):
    trainer = Trainer(TrainingConfig(**presets.suggested(name).changes))
    history = trainer.fit()
    assert history.stop_reason == "finished"
    bound = BOUNDS.get(name)
    if isinstance(bound, tuple):
        assert history.val_loss[-1] < bound[1]
    elif trainer.dataset.task in ("binary", "multiclass"):
        assert history.val_accuracy[-1] >= (DEFAULT_ACCURACY if bound is None else bound)
    else:
        y_train, y_val = trainer.dataset.y_train, trainer.dataset.y_val
        constant = np.full((y_val.size, 1), y_train.mean())
        baseline = losses.get(trainer.config.loss)(y_val[:, None], constant)
        assert history.val_loss[-1] < DEFAULT_LOSS_RATIO * baseline
