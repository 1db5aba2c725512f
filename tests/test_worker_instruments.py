"""The app's worker streams instrument measurements: with ``worker.instruments`` set before a
trainer is attached, every Progress message's chunk carries the rows measured since the last
one (engine.instruments.InstrumentCallback on the worker thread; the GUI only reads them)."""

import numpy as np

from engine import Trainer, TrainingConfig
from gui import worker as jobs
from gui.messages import Progress


def test_progress_chunks_carry_the_instrument_rows(qapp):
    worker = jobs.Worker()
    try:
        received = []
        worker.message.connect(received.append)
        worker.instruments = ("noise_scale", "losses")
        trainer = Trainer(TrainingConfig(dataset="circle", batch_size=32, epochs=40, seed=0))
        jobs.attach(1, trainer, None)(worker)
        [callback] = worker.instrument_callbacks
        callback.every = "epoch"  # every epoch, so the count is known: the start and 40 ends
        jobs.train(worker)
        rows = [m.chunk.instruments for m in received
                if isinstance(m, Progress) and m.chunk.instruments]
        steps = np.concatenate([r["step"] for r in rows])
        table = trainer.history.instruments
        np.testing.assert_array_equal(steps, table.step)
        assert len(table) == 41 == callback.measured["noise_scale"]
        np.testing.assert_array_equal(np.concatenate([r["noise_scale"] for r in rows]),
                                      table["noise_scale"])
    finally:
        worker.deleteLater()
