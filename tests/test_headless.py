"""``main.py --headless``: flags, config files, the three output files, bad input."""

import csv
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from engine import History, TrainingConfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(*args, timeout=120):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def test_headless_run_writes_history_summary_and_png(tmp_path):
    out = tmp_path / "xor"
    result = _run("--headless", "--dataset", "xor", "--loss", "hinge", "--optimizer", "adam",
                  "--learning-rate", "0.01", "--batch-size", "32", "--epochs", "30",
                  "--seed", "0", "--hidden-layers", "16,16", "--out", str(out))
    assert result.returncode == 0, result.stderr
    # one progress line per epoch on stderr
    assert sum(line.startswith("epoch ") for line in result.stderr.splitlines()) == 30
    assert "epoch 30/30" in result.stderr

    with open(out / "history.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    # samples/seconds columns appear once the history records them
    assert rows[0] == History().csv_columns()
    assert rows[0][:2] == ["step", "epoch"] and rows[0][-2:] == ["batch_loss", "learning_rate"]
    assert len(rows) - 1 == 30 * 13  # 400 training samples / 32 -> 13 batches per epoch
    assert rows[-1][:2] == [str(30 * 13), "30"]

    summary = json.loads((out / "summary.json").read_text())
    assert set(summary) >= {"config", "final", "best_epoch", "steps", "steps_per_second",
                            "diverged"}
    assert set(summary["final"]) == {"train_loss", "val_loss", "train_accuracy",
                                     "val_accuracy"}
    assert summary["config"]["hidden_layers"] == [16, 16]
    assert summary["config"]["loss"] == "hinge"
    assert summary["steps"] == 390 and summary["diverged"] is False
    assert summary["final"]["val_accuracy"] >= 0.95
    assert summary["steps_per_second"] > 0

    png = (out / "loss.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == 1200


def test_loss_png_is_not_blank(tmp_path):
    pytest.importorskip("PySide6")
    from PySide6.QtGui import QImage

    out = tmp_path / "run"
    assert _run("--headless", "--epochs", "5", "--out", str(out), "--quiet").returncode == 0
    image = QImage(str(out / "loss.png"))
    assert not image.isNull()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 20


def test_config_file_with_flags_overriding(tmp_path):
    config_path = tmp_path / "run.json"
    TrainingConfig(dataset="moons", loss="mse", epochs=7, seed=3).to_json(config_path)
    out = tmp_path / "out"
    result = _run("--headless", "--config", str(config_path), "--epochs", "2", "--out",
                  str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["dataset"] == "moons"
    assert summary["config"]["seed"] == 3
    assert summary["config"]["epochs"] == 2
    assert summary["epochs_completed"] == 2


def test_diverging_run_still_writes_all_three_files(tmp_path):
    out = tmp_path / "boom"
    result = _run("--headless", "--dataset", "sine", "--loss", "mse", "--learning-rate",
                  "100", "--epochs", "20", "--out", str(out), "--quiet")
    assert result.returncode == 3  # its own status: main.EXIT_DIVERGED, listed in --help
    summary = json.loads((out / "summary.json").read_text())
    assert summary["diverged"] is True
    assert "learning rate" in result.stderr and "too high" in result.stderr
    assert (out / "loss.png").stat().st_size > 1000
    rows = (out / "history.csv").read_text().splitlines()
    assert len(rows) - 1 == summary["steps"]


@pytest.mark.parametrize("args, message", [
    (["--epochs", "abc"], "argument --epochs: invalid int value: 'abc'"),
    (["--loss", "nope"], "loss 'nope' is unknown; valid losses: mean_squared_error"),
    (["--dataset", "sine", "--loss", "hinge"], "loss 'hinge' does not fit dataset 'sine'"),
    (["--hidden-layers", "8,x"], "hidden_layers: 'x' in '8,x' is not a positive whole number"),
    (["--learning-rate", "-1"], "learning_rate must be in (0, 1000], got -1.0"),
    (["--config", "/nonexistent/run.json"], "config file /nonexistent/run.json does not exist"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_bad_flags_exit_2_with_one_line(tmp_path, args, message):
    result = _run("--headless", "--out", str(tmp_path / "x"), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert not (tmp_path / "x" / "summary.json").exists()


def test_help_documents_every_config_field():
    result = _run("--help")
    assert result.returncode == 0
    for field in TrainingConfig.__dataclass_fields__:
        assert "--" + field.replace("_", "-") in result.stdout


def test_headless_results_match_the_engine(tmp_path):
    """The CLI goes through the engine's API: same config, same numbers."""
    from engine import Trainer

    out = tmp_path / "same"
    assert _run("--headless", "--dataset", "gauss", "--epochs", "3", "--out", str(out),
                "--quiet").returncode == 0
    history = Trainer(TrainingConfig(dataset="gauss", epochs=3)).fit()
    with open(out / "history.csv", newline="") as handle:
        losses = np.array([float(row["batch_loss"]) for row in csv.DictReader(handle)])
    np.testing.assert_allclose(losses, history.batch_loss, rtol=1e-6)
