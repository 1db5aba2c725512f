"""History.to_csv / from_csv: the per-step file streams in chunks and reads back."""

import tracemalloc

import numpy as np
import pytest

from engine import ConfigError, Trainer, TrainingConfig
from engine.history import CSV_CHUNK_ROWS, History

#: Issue 15: exporting 10 million steps may use at most this much beyond the history itself.
EXPORT_BOUND = 50e6


def _long_history(n_steps, steps_per_epoch=1000):
    """A history of ``n_steps`` built straight into its arrays (training that long is slow)."""
    history = History()
    loss = np.random.default_rng(0).random(n_steps, dtype=np.float32)
    samples = np.arange(1, n_steps + 1, dtype=np.int64) * 32
    for low in range(0, n_steps, steps_per_epoch):
        high = min(low + steps_per_epoch, n_steps)
        history.begin_epoch()
        history.record_batches(loss[low:high], np.full(high - low, 0.03, np.float32),
                               samples[low:high], np.arange(low, high) * 1e-4)
    return history


def _export_peak(history, path):
    """Bytes allocated at the peak of ``to_csv`` beyond what was allocated before it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        history.to_csv(path)
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_round_trip_of_a_trained_history(tmp_path):
    trainer = Trainer(TrainingConfig(dataset="moons", epochs=3, batch_size=50))
    history = trainer.fit()
    history.to_csv(tmp_path / "h.csv")
    history.epochs_to_csv(tmp_path / "e.csv")
    back = History.from_csv(tmp_path / "h.csv", tmp_path / "e.csv")
    assert back.n_steps == history.n_steps == 3 * 8
    np.testing.assert_array_equal(back.epoch, history.epoch)
    np.testing.assert_allclose(back.batch_loss, history.batch_loss, rtol=6e-7)
    np.testing.assert_array_equal(back.val_loss, history.val_loss)
    np.testing.assert_array_equal(back.epoch_seconds, history.epoch_seconds)
    assert back.best_epoch == history.best_epoch


def test_the_file_is_the_documented_columns_in_7_significant_digits(tmp_path):
    history = History()
    history.begin_epoch()
    history.record_batch(0.123456789, 0.01, 32, 0.25)
    history.record_batch(float("inf"), 0.01, 64, 0.5)
    history.begin_epoch()
    history.record_batch(float("nan"), 1e-7, 80, 1234.5678916)
    history.to_csv(tmp_path / "h.csv")
    lines = (tmp_path / "h.csv").read_text().splitlines()
    assert lines[0] == "step,epoch,samples,seconds,batch_loss,learning_rate"
    assert lines[0] == ",".join(history.csv_columns())
    assert lines[1:] == ["1,1,32,0.250000,0.1234568,0.01", "2,1,64,0.500000,inf,0.01",
                         "3,2,80,1234.567892,nan,1e-07"]
    back = History.from_csv(tmp_path / "h.csv")
    assert np.isinf(back.batch_loss[1]) and np.isnan(back.batch_loss[2])
    assert list(back.epoch_start_steps) == [1, 3]
    assert back.samples.tolist() == [32, 64, 80] and back.samples.dtype == np.int64
    assert back.seconds.tolist() == [0.25, 0.5, 1234.567892]


def test_a_file_without_samples_and_seconds_leaves_them_empty(tmp_path):
    """A first-wave history.csv: the series it lacks stay missing, and writing the history
    again writes only what it has (not a column cut short)."""
    path = tmp_path / "h.csv"
    path.write_text("step,epoch,batch_loss,learning_rate\n1,1,0.5,0.1\n2,1,0.4,0.1\n")
    back = History.from_csv(path)
    assert back.n_steps == 2 and len(back.samples) == 0 and len(back.seconds) == 0
    assert back.csv_columns() == ["step", "epoch", "batch_loss", "learning_rate"]
    back.to_csv(tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_text() == path.read_text()


def test_an_empty_history_writes_a_header_only(tmp_path):
    History().to_csv(tmp_path / "h.csv")
    assert (tmp_path / "h.csv").read_text() == ",".join(History().csv_columns()) + "\n"
    assert History.from_csv(tmp_path / "h.csv").n_steps == 0


def test_progress_reports_rising_fractions_ending_at_one(tmp_path):
    history = _long_history(2 * CSV_CHUNK_ROWS + 5)
    seen = []
    history.to_csv(tmp_path / "h.csv", progress=seen.append)
    assert len(seen) == 3 and seen == sorted(seen) and seen[-1] == 1.0
    assert seen[0] == pytest.approx(CSV_CHUNK_ROWS / history.n_steps)


def test_a_progress_callback_that_raises_abandons_the_export_and_keeps_the_old_file(tmp_path):
    """The GUI cancels an export this way; the file already there must survive."""
    path = tmp_path / "h.csv"
    path.write_text("the good copy")

    def cancel(fraction):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        _long_history(3 * CSV_CHUNK_ROWS).to_csv(path, progress=cancel)
    assert path.read_text() == "the good copy"
    assert [p.name for p in tmp_path.iterdir()] == ["h.csv"]


def test_export_of_300_thousand_steps_stays_under_a_tenth_of_the_10_million_bound(tmp_path):
    """Streaming keeps the export's memory constant, so 300k steps must meet the 10M bound
    scaled down tenfold (5 MB). Before streaming, 1M steps peaked at 152 MB (each column a
    Python list; about 45 MB at 300k) and 10M steps at 1.84 GB (issue 15). 300k, not 1M:
    under tracemalloc 1M took 12.5 s of the default run; ``-m slow`` runs the 10M case."""
    peak = _export_peak(_long_history(300_000), tmp_path / "large.csv")
    assert peak < EXPORT_BOUND / 10, peak
    with open(tmp_path / "large.csv") as handle:
        assert sum(1 for _ in handle) == 300_001


@pytest.mark.slow
def test_export_of_10_million_steps_stays_under_50_mb(tmp_path):
    history = _long_history(10_000_000)
    peak = _export_peak(history, tmp_path / "big.csv")
    assert peak < EXPORT_BOUND, peak
    with open(tmp_path / "big.csv", "rb") as handle:
        handle.seek(-200, 2)
        last = handle.read().decode().splitlines()[-1]
    assert last.startswith("10000000,10000,320000000,999.999900,")


@pytest.mark.parametrize("text, message", [
    ("", "the header '' lacks the column(s) step, epoch, batch_loss, learning_rate"),
    ("step,epoch,batch_loss,learning_rate,step\n", "repeats a column"),
    ("step,epoch,batch_loss,learning_rate\n1,1,0.5,0.1\n2,1,0.5\n", "line 3: 3 values"),
    ("step,epoch,batch_loss,learning_rate\n1,1,0.5,x\n", "line 2: 'x' is not a number"),
    ("step,epoch,batch_loss,learning_rate\n2,1,0.5,0.1\n", "line 2: step 2 where 1 was"),
    ("step,epoch,batch_loss,learning_rate\n1,2,0.5,0.1\n", "line 2: epoch 2 after epoch 0"),
    ("step,epoch,batch_loss,learning_rate\n1,1,0.5,0.1\n2,0,0.5,0.1\n",
     "line 3: epoch 0 after epoch 1"),
])
def test_a_bad_history_file_is_a_one_line_config_error(tmp_path, text, message):
    path = tmp_path / "history.csv"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        History.from_csv(path)
    assert message in str(caught.value) and str(caught.value).startswith("history.csv")


def test_a_folder_or_binary_junk_is_a_config_error(tmp_path):
    (tmp_path / "history.csv").mkdir()
    with pytest.raises(ConfigError, match="history.csv is a folder"):
        History.from_csv(tmp_path / "history.csv")
    (tmp_path / "junk.csv").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ConfigError, match="junk.csv cannot be read"):
        History.from_csv(tmp_path / "junk.csv")


def test_a_bom_and_blank_lines_are_accepted(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("\ufeffstep,epoch,batch_loss,learning_rate\r\n1,1,0.5,0.1\r\n\r\n",
                    encoding="utf-8")
    assert History.from_csv(path).batch_loss.tolist() == [0.5]
