"""Training callbacks: hooks ``Trainer.fit`` calls as a run goes, in the style of Keras's.

A :class:`Callback` overrides any of

- ``on_train_begin()`` and ``on_train_end()``: once per ``fit`` call (the end before the
  fit's last chunk is sent, so what it records is streamed);
- ``on_batch_loss(loss, size)``: after each batch's loss is known and before its gradient
  step (so a watch that ends the run here keeps the weights that produced the loss). It runs
  once per batch, so only the callbacks that override it are called;
- ``on_batches(chunk)``: about every ``chunk_seconds`` with the batches trained since the
  previous call (a :class:`engine.trainer.BatchChunk`), and once at the end;
- ``on_epoch_end(result)``: after each epoch, with its :class:`engine.trainer.EpochResult`.

``self.trainer`` is the trainer (set before the first hook). A callback ends a ``fit`` by
setting ``trainer.stop_training = True`` (Keras's ``model.stop_training``): the run stops
before its next batch with ``stop_reason`` "stopped", and a later ``fit`` carries on.

Every trainer has its own callbacks, the rules that belong to the run whoever drives it
(``fit`` or ``step``): :class:`Divergence`, :class:`ChanceWatch` (classification) and
:class:`EarlyStopping` (which also restores the best weights when the config asks). A ``fit``
adds the caller's after them; :class:`Streamer` is the one that sends a run's chunks, with
the epochs finished since the previous chunk, to a GUI or a sweep.
"""

from __future__ import annotations

import math

import numpy as np

from .history import Notice
from .messages import Message
from .texts import QT_TRANSLATE_NOOP

#: Weights beyond this magnitude mean the run has blown up even if the loss is still finite.
WEIGHT_LIMIT = 1e8
#: "Not learning": accuracy within CHANCE_MARGIN of chance (the most common class's share) for
#: CHANCE_EPOCHS epochs in a row while the batch loss swings: its 90th percentile over those
#: epochs at least CHANCE_SWING x its 10th. Measured on circle: a run crawling at a low rate
#: sits at chance for its first epochs with a spread of 1.07-1.12 (sampling noise), a run
#: bouncing at too high a rate (momentum, lr 1) shows 3.1-3.5; 1.5 is between them.
CHANCE_EPOCHS = 3
CHANCE_MARGIN = 0.1
CHANCE_SWING = 1.5
CHANCE_MESSAGE = QT_TRANSLATE_NOOP(
    "engine", "Accuracy has stayed at chance level ({accuracy:.0%}; always guessing the most "
              "common class gives {chance:.0%}) for {epochs} epochs while the loss swings "
              "between {low:.3g} and {high:.3g}: the network is not learning. The learning rate "
              "({lr:g}) is probably too high for it to settle; try 3-10x lower.")
#: What made the run diverge (the first field of the trainer's divergence message).
LOSS_ROSE = QT_TRANSLATE_NOOP("engine", "loss rose to {loss:.3g} (smoothed {smoothed:.3g}, more "
                                        "than {factor:g}x its best smoothed value {best:.3g})")
WEIGHTS_GREW = QT_TRANSLATE_NOOP("engine", "weights grew beyond {limit:g}")
#: The per-epoch series a stream carries for the epochs finished since its previous chunk.
EPOCH_SERIES = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


class Callback:
    """Base class: every hook does nothing; override the ones you need."""

    trainer = None

    def set_trainer(self, trainer):
        self.trainer = trainer

    def on_train_begin(self):
        """Called at the start of each ``fit``."""

    def on_batch_loss(self, loss, size):
        """Called with each batch's loss (float) and size, before its gradient step."""

    def on_batches(self, chunk):
        """Called with the batches trained since the previous call (a ``BatchChunk``)."""

    def on_epoch_end(self, result):
        """Called after each epoch with its ``EpochResult``."""

    def on_train_end(self):
        """Called when a ``fit`` ends, however it ended."""


def overrides(callback, hook):
    """Whether ``callback`` does something in ``hook`` (the base class's hooks do nothing)."""
    method = getattr(callback, hook)
    return getattr(method, "__func__", method) is not getattr(Callback, hook)


class LambdaCallback(Callback):
    """Plain functions as hooks, as Keras's ``LambdaCallback``: ``on_batches(chunk)`` and
    ``on_epoch_end(result)`` (what ``fit(on_batches=..., on_epoch=...)`` pass)."""

    def __init__(self, on_batches=None, on_epoch_end=None):
        if on_batches is not None:
            self.on_batches = on_batches
        if on_epoch_end is not None:
            self.on_epoch_end = on_epoch_end


class LossWatch:
    """Divergence from the loss alone: the smoothed loss far above its best smoothed value.

    The rule is fastai's learning-rate finder's (stop once the smoothed loss exceeds 4x the
    best smoothed loss), adapted to a training run:

    - The loss is smoothed by an exponential moving average whose window is counted in
      samples, ``WINDOW_SAMPLES``, not steps: the per-step weight is ``batch /
      WINDOW_SAMPLES`` (at most 1). At batch 32 that is fastai's window of ~8 steps; at batch
      1 it averages ~256 single-sample losses, whose spread would otherwise look like
      blow-ups; at full batch the loss has no sampling noise and is used as it is. The
      average is debiased by the total weight, as fastai (and Adam) do.
    - The best and the starting smoothed values are taken once ``MIN_SAMPLES`` samples have
      been seen, so one lucky or unlucky first sample does not set them.
    - Flagged when the smoothed loss exceeds ``FACTOR`` x the best one *and* ``START_FACTOR``
      x the starting one. The first test is fastai's; the second keeps a run that has learned
      well (best loss 0.02, say) from being stopped by an ordinary noisy stretch at 0.1: a
      run is only called divergent once it is clearly worse than the untrained network.
    - Losses that can be negative (cosine similarity, down to -1) are measured from their
      lowest value (``floor``), so the ratios mean the same.

    A run blowing up multiplies its loss by orders of magnitude within a few steps, so the
    rule catches it within one to three steps of the loss passing 10x its start
    (tests/test_divergence.py states the cases), while noise of a learning run stays below it.
    """

    FACTOR = 4.0
    START_FACTOR = 2.0
    WINDOW_SAMPLES = 256
    MIN_SAMPLES = 32

    def __init__(self, floor=0.0):
        self.floor = floor
        self._average = 0.0
        self._weight = 0.0
        self._samples = 0
        self.start = None
        self.best = math.inf
        self.smoothed = None

    def update(self, loss, batch):
        """Take one batch's loss; True when the run has diverged."""
        alpha = min(1.0, batch / self.WINDOW_SAMPLES)
        value = loss - self.floor
        self._average = (1.0 - alpha) * self._average + alpha * value
        self._weight = (1.0 - alpha) * self._weight + alpha
        self.smoothed = smoothed = self._average / self._weight
        self._samples += batch
        if self._samples < self.MIN_SAMPLES:
            return False
        if self.start is None:
            self.start = smoothed
        if smoothed < self.best:
            self.best = smoothed
            return False
        return smoothed > self.FACTOR * self.best and smoothed > self.START_FACTOR * self.start


class Divergence(Callback):
    """Ends a run that blows up: the smoothed loss (:class:`LossWatch`) every batch, and the
    weights beyond :data:`WEIGHT_LIMIT` at every chunk and epoch end (a loss can stay finite
    a while after the weights have exploded). A NaN or infinite loss or gradient is the
    trainer's own check: it cannot take such a step at all."""

    def __init__(self, loss_floor=0.0):
        self.watch = LossWatch(loss_floor)

    def on_batch_loss(self, loss, size):
        if self.watch.update(loss, size):
            watch = self.watch
            self.trainer.diverge(Message(LOSS_ROSE, loss=loss,
                                         smoothed=watch.smoothed + watch.floor,
                                         factor=watch.FACTOR, best=watch.best + watch.floor),
                                 loss)

    def on_batches(self, chunk):
        self.check_weights()

    def on_epoch_end(self, result):
        self.check_weights()

    def check_weights(self):
        trainer = self.trainer
        if trainer.history.diverged is None and not np.all(
                np.abs(trainer.model.flat_params) < WEIGHT_LIMIT):
            trainer.diverge(Message(WEIGHTS_GREW, limit=WEIGHT_LIMIT),
                            trainer.history.batch_loss[-1])


class ChanceWatch(Callback):
    """Says so once (a :class:`~engine.history.Notice`, streamed) when accuracy stays at
    chance level while the loss swings (the rule is at :data:`CHANCE_EPOCHS`); said again
    only after the run has left chance level.

    ``chance``: the most common class's share of the training labels."""

    def __init__(self, chance):
        self.chance = chance
        self._run = 0

    def on_epoch_end(self, result):
        accuracy = result.val_accuracy
        if math.isnan(accuracy):  # no validation split (or a blown-up one): the running value
            accuracy = result.train_accuracy
        if accuracy > self.chance + CHANCE_MARGIN:
            self._run = 0
            return
        self._run += 1
        if self._run != CHANCE_EPOCHS:
            return
        history = self.trainer.history
        first = history.epoch_start_steps[-CHANCE_EPOCHS] - 1
        low, high = np.percentile(history.batch_loss[first:], [10, 90])
        if high < CHANCE_SWING * low:
            self._run -= 1  # a flat loss is not swinging: keep watching
            return
        self.trainer.notify("chance_level", Message(
            CHANCE_MESSAGE, accuracy=accuracy, chance=self.chance, epochs=CHANCE_EPOCHS,
            low=low, high=high, lr=float(history.learning_rate[-1])))


class EarlyStopping(Callback):
    """Keras's ``EarlyStopping(monitor="val_loss")``: finishes the run (``stop_reason``
    "early_stopping") after ``patience`` epochs without a better validation loss (None: the
    trainer's live ``early_stopping_patience``; 0: never). With ``restore_best_weights`` it
    then goes back to the best epoch's weights, as Keras does when it stops;
    ``restored_epoch`` says which."""

    def __init__(self, patience=None, restore_best_weights=False):
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        self.best = np.inf
        self.since_best = 0
        self.best_weights = None
        self.restored_epoch = None

    def on_epoch_end(self, result):
        trainer = self.trainer
        patience = trainer.patience if self.patience is None else self.patience
        if not patience or len(trainer.dataset.x_val) == 0:
            return
        if result.val_loss < self.best:
            self.best, self.since_best = result.val_loss, 0
            if self.restore_best_weights:
                self.best_weights = (result.epoch, trainer.model.get_weights())
            return
        self.since_best += 1
        if self.since_best >= patience:
            trainer.history.stop_reason = "early_stopping"
            self._restore()

    def _restore(self):
        if self.best_weights is None:
            return
        epoch, weights = self.best_weights
        self.trainer.model.set_weights(weights)
        self.restored_epoch = epoch
        self.trainer.history.notices.append(Notice(
            self.trainer.step_count, "restored_best_weights",
            f"Early stopping restored the weights of epoch {epoch}, the best validation loss "
            f"({self.best:.4g}); the last {self.since_best} epochs did not improve it."))


class Streamer(Callback):
    """Sends a run's chunks on: ``send(chunk, epochs)`` with ``epochs`` the per-epoch series
    (:data:`EPOCH_SERIES`, float64 arrays of shape (e,)) of the epochs finished since the
    previous send, ``{}`` when none did. The GUI's worker and a sweep's runs both stream this
    way; :meth:`new_epochs` serves a caller that sends a chunk of its own (after a ``step``)."""

    def __init__(self, send, trainer=None):
        self.send = send
        self.trainer = trainer
        self.epochs_sent = 0

    def new_epochs(self):
        history = self.trainer.history
        n_epochs = history.n_epochs
        if n_epochs <= self.epochs_sent:
            return {}
        rows = slice(self.epochs_sent, n_epochs)
        self.epochs_sent = n_epochs
        return {name: np.array(getattr(history, name)[rows], dtype=np.float64)
                for name in EPOCH_SERIES}

    def on_batches(self, chunk):
        self.send(chunk, self.new_epochs())
