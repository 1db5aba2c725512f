"""The app's worker streams instrument measurements: with instruments chosen
(``measure_instruments``, what the shown views ask for), every Progress message's chunk
carries the rows measured since the last one (gui.live_instruments on the worker thread; the
GUI only reads them)."""

import math

import numpy as np

from engine import Trainer, TrainingConfig
from gui import worker as jobs
from gui.messages import Progress


def test_progress_chunks_carry_the_instrument_rows(qapp):
    worker = jobs.Worker()
    try:
        received = []
        worker.reported.connect(lambda _job, message: received.append(message))
        worker.command(jobs.measure_instruments(("noise_scale", "losses")))
        worker.instruments.budget = math.inf  # every epoch: the start and 40 ends
        trainer = Trainer(TrainingConfig(dataset="circle", batch_size=32, epochs=40, seed=0))
        jobs.Attach(1, trainer, None).run(worker)
        jobs.Train().run(worker)
        callback = worker.instruments.inner
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
