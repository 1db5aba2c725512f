"""Trainer.fit's callbacks: the hooks come in order, a callback can stop a run, and the rules
that were built into fit (early stopping with restore-best, divergence, the chance watch,
streaming) behave as callbacks."""

import numpy as np
from engine import Callback, Trainer, TrainingConfig
from engine.callbacks import EarlyStopping, LambdaCallback, Streamer

SMALL = dict(dataset="circle", batch_size=32, epochs=3, n_samples=200, validation_split=0.2)
OVERFIT = dict(dataset="digits", loss="categorical_crossentropy", hidden_layers=(64,),
               activation="relu", learning_rate=0.3, epochs=200, n_samples=300, seed=1,
               batch_size=32)


class Recorder(Callback):
    """Every hook call as (hook, trainer.step_count, detail)."""

    def __init__(self):
        self.calls = []

    def on_train_begin(self):
        self.calls.append(("begin", self.trainer.step_count, None))

    def on_batch_loss(self, loss, size):
        self.calls.append(("loss", self.trainer.step_count, (loss, size)))

    def on_batches(self, chunk):
        self.calls.append(("batches", self.trainer.step_count, chunk))

    def on_epoch_end(self, result):
        self.calls.append(("epoch", self.trainer.step_count, result))

    def on_train_end(self):
        self.calls.append(("end", self.trainer.step_count, None))


def test_hooks_come_in_order_and_see_every_batch_once():
    trainer = Trainer(TrainingConfig(**SMALL))
    recorder = Recorder()
    history = trainer.fit(callbacks=[recorder], chunk_seconds=0.0)
    hooks = [hook for hook, _, _ in recorder.calls]
    # the end comes after the last batch, before a last chunk if one is left to send
    assert hooks[0] == "begin" and "end" in hooks[-2:] and hooks[-1] in ("end", "batches")
    assert hooks.count("begin") == hooks.count("end") == 1
    # one loss per step, each before the step's chunk, with the batch's own loss and size
    losses = [(step, detail) for hook, step, detail in recorder.calls if hook == "loss"]
    assert [step for step, _ in losses] == list(range(1, history.n_steps + 1))
    np.testing.assert_allclose([loss for _, (loss, _) in losses], history.batch_loss,
                               rtol=1e-6)
    sizes = [size for _, (_, size) in losses]
    assert sum(sizes) == history.n_epochs * trainer.n_train
    # chunk_seconds 0: a chunk after every batch, the steps in order, none twice
    chunks = [detail for hook, _, detail in recorder.calls if hook == "batches"]
    np.testing.assert_array_equal(np.concatenate([c.step for c in chunks]), history.step)
    # each epoch ends after its last batch's loss and before that batch's chunk
    for index, (hook, step, detail) in enumerate(recorder.calls):
        if hook == "epoch":
            assert recorder.calls[index - 1][:2] == ("loss", step)
            assert recorder.calls[index + 1][:2] == ("batches", step)
            assert step == trainer.steps_per_epoch * detail.epoch
    epochs = [detail for hook, _, detail in recorder.calls if hook == "epoch"]
    assert [e.epoch for e in epochs] == [1, 2, 3]
    np.testing.assert_array_equal([e.val_loss for e in epochs], history.val_loss)


def test_a_callback_stops_training_and_a_later_fit_carries_on():
    class StopAfterFirstEpoch(Callback):
        def on_epoch_end(self, result):
            self.trainer.stop_training = True

    trainer = Trainer(TrainingConfig(**SMALL))
    history = trainer.fit(callbacks=[StopAfterFirstEpoch()])
    assert history.stop_reason == "stopped" and history.n_epochs == 1
    assert history.n_steps == trainer.steps_per_epoch  # no batch after the stop
    recorder = Recorder()
    history = trainer.fit(callbacks=[recorder])
    assert trainer.finished and history.n_epochs == 3
    # the first fit's callback is gone: this fit ran to its end
    assert [d.epoch for h, _, d in recorder.calls if h == "epoch"] == [2, 3]


def test_callbacks_of_a_fit_do_not_outlive_it():
    trainer = Trainer(TrainingConfig(**dict(SMALL, epochs=2)))
    recorder = Recorder()
    stop = LambdaCallback(on_epoch_end=lambda result: setattr(trainer, "stop_training", True))
    trainer.fit(callbacks=[recorder, stop])
    seen = len(recorder.calls)
    trainer.step()
    trainer.fit()
    assert trainer.finished and len(recorder.calls) == seen


def test_fit_functions_are_a_lambda_callback():
    chunks, epochs = [], []
    a = Trainer(TrainingConfig(**SMALL)).fit(on_batches=chunks.append, on_epoch=epochs.append,
                                             chunk_seconds=0.0)
    lambda_chunks, lambda_epochs = [], []
    b = Trainer(TrainingConfig(**SMALL)).fit(
        callbacks=[LambdaCallback(on_batches=lambda_chunks.append,
                                  on_epoch_end=lambda_epochs.append)], chunk_seconds=0.0)
    np.testing.assert_array_equal(a.batch_loss, b.batch_loss)
    assert [c.step.tolist() for c in chunks] == [c.step.tolist() for c in lambda_chunks]
    assert [e.val_loss for e in epochs] == [e.val_loss for e in lambda_epochs]
    assert len(epochs) == 3


def test_early_stopping_with_restore_best_as_a_callback_equals_the_config_fields():
    by_config = Trainer(TrainingConfig(**OVERFIT, early_stopping_patience=3,
                                       restore_best_weights=True))
    configured = by_config.fit()
    callback = EarlyStopping(patience=3, restore_best_weights=True)
    by_callback = Trainer(TrainingConfig(**OVERFIT))
    history = by_callback.fit(callbacks=[callback])
    assert history.stop_reason == configured.stop_reason == "early_stopping"
    assert history.n_epochs == configured.n_epochs < OVERFIT["epochs"]
    best = int(np.argmin(history.val_loss)) + 1
    assert callback.restored_epoch == by_config.restored_epoch == best
    np.testing.assert_array_equal(by_callback.model.get_weights(),
                                  by_config.model.get_weights())
    assert history.notices[-1].kind == "restored_best_weights"


def test_a_callback_that_diverges_the_run_keeps_the_weights_that_made_the_loss():
    class DivergeAtStep(Callback):
        def on_batch_loss(self, loss, size):
            if self.trainer.step_count == 5:
                self.weights = self.trainer.model.get_weights()
                self.trainer.diverge("loss was looked at", loss)

    callback = DivergeAtStep()
    trainer = Trainer(TrainingConfig(**SMALL))
    history = trainer.fit(callbacks=[callback])
    assert history.stop_reason == "diverged" and history.n_steps == history.diverged.step == 5
    assert "loss was looked at at step 5" in history.diverged.message
    np.testing.assert_array_equal(trainer.model.get_weights(), callback.weights)


def test_the_divergence_callback_stops_a_blow_up_that_fit_alone_would_not():
    """The trainer's own Divergence callback ends a run whose loss climbs 4x above its best
    (plane, lr 1.2 > the limit 0.99): with it stopped early, its rule alone being the cause."""
    fields = dict(dataset="plane", loss="mse", hidden_layers=(), learning_rate=1.2,
                  batch_size=320, epochs=200)
    history = Trainer(TrainingConfig(**fields)).fit()
    assert history.stop_reason == "diverged" and "more than 4x its best" in \
        history.diverged.message
    assert np.all(np.isfinite(history.batch_loss))


def test_streamer_sends_each_epoch_once_with_its_chunk():
    sent = []
    trainer = Trainer(TrainingConfig(**SMALL))
    stream = Streamer(lambda chunk, epochs: sent.append((chunk, epochs)))
    history = trainer.fit(callbacks=[stream], chunk_seconds=0.0)
    for name in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"):
        joined = np.concatenate([epochs[name] for _, epochs in sent if epochs])
        np.testing.assert_array_equal(joined, getattr(history, name))
    # the epochs come with the chunk that holds the epoch's last step
    for chunk, epochs in sent:
        if epochs:
            assert chunk.step[-1] % trainer.steps_per_epoch == 0
    trainer.update(epochs=4)
    for _ in range(trainer.steps_per_epoch):
        trainer.step()
    assert stream.new_epochs()["val_loss"].tolist() == [history.val_loss[3]]
    assert stream.new_epochs() == {}


def test_a_callback_that_overrides_nothing_changes_nothing():
    reference = Trainer(TrainingConfig(**SMALL)).fit()
    history = Trainer(TrainingConfig(**SMALL)).fit(callbacks=[Callback()])
    np.testing.assert_array_equal(history.batch_loss, reference.batch_loss)
    np.testing.assert_array_equal(history.val_loss, reference.val_loss)


def test_time_off_the_clock_is_not_training_time():
    """A callback that measures inside ``trainer.off_the_clock()`` (as the instruments do)
    leaves ``history.seconds`` as training alone; time outside it counts."""

    class Clock:
        now = 0.0

        def __call__(self):
            return self.now

    clock = Clock()

    class Slow(Callback):
        def __init__(self, off):
            self.off = off

        def on_epoch_end(self, result):
            if self.off:
                with self.trainer.off_the_clock():
                    clock.now += 100.0
            else:
                clock.now += 100.0

    for off, expected in ((True, 0.0), (False, 300.0)):
        clock.now = 0.0
        trainer = Trainer(TrainingConfig(**SMALL))
        history = trainer.fit(callbacks=[Slow(off)], clock=clock)
        assert trainer.training_seconds() == expected
        assert history.seconds[-1] == (0.0 if off else 200.0)  # the last epoch's end is after
