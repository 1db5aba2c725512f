"""``main.py --headless``: flags, config files, the three output files, bad input."""

import csv
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from engine import History, Run, TrainingConfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(*args, timeout=120, platform="offscreen"):
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def _main(capfd, *args):
    """``main.py ARGS`` in this process: its exit status and what it printed (both file
    descriptors, so Qt's own messages too), as :func:`_run` gives them without a new
    process's start (about 1 s of CPU each). A fresh process stays for what only one shows:
    ``--quiet`` silencing Qt, the Qt platform variable, Ctrl-C, and faked failing disks."""
    import main
    capfd.readouterr()
    try:
        status = main.main(list(args))
    except SystemExit as exit_:  # argparse's errors and --help
        status = exit_.code
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess(args, status, out, err)


def test_headless_run_writes_history_summary_and_png(capfd, tmp_path):
    out = tmp_path / "xor"
    result = _main(capfd, "--headless", "--dataset", "xor", "--loss", "hinge", "--optimizer", "adam",
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


def test_loss_png_is_not_blank(capfd, tmp_path):
    pytest.importorskip("PySide6")
    from PySide6.QtGui import QImage

    out = tmp_path / "run"
    assert _main(capfd, "--headless", "--epochs", "5", "--out", str(out), "--quiet").returncode == 0
    image = QImage(str(out / "loss.png"))
    assert not image.isNull()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 20


def test_config_file_with_flags_overriding(capfd, tmp_path):
    config_path = tmp_path / "run.json"
    TrainingConfig(dataset="moons", loss="mse", epochs=7, seed=3).to_json(config_path)
    out = tmp_path / "out"
    result = _main(capfd, "--headless", "--config", str(config_path), "--epochs", "2", "--out",
                  str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["dataset"] == "moons"
    assert summary["config"]["seed"] == 3
    assert summary["config"]["epochs"] == 2
    assert summary["epochs_completed"] == 2


def test_diverging_run_still_writes_all_three_files(capfd, tmp_path):
    out = tmp_path / "boom"
    result = _main(capfd, "--headless", "--dataset", "sine", "--loss", "mse", "--learning-rate",
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
    (["--learning-rate", "-1"], "learning_rate must be in [1e-07, 1000], got -1.0"),
    (["--config", "/nonexistent/run.json"], "config file /nonexistent/run.json does not exist"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_bad_flags_exit_2_with_one_line(capfd, tmp_path, args, message):
    result = _main(capfd, "--headless", "--out", str(tmp_path / "x"), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert not (tmp_path / "x" / "summary.json").exists()


def test_help_documents_every_config_field(capfd):
    result = _main(capfd, "--help")
    assert result.returncode == 0
    for field in TrainingConfig.__dataclass_fields__:
        assert "--" + field.replace("_", "-") in result.stdout


def test_headless_results_match_the_engine(capfd, tmp_path):
    """The CLI goes through the engine's API: same config, same numbers."""
    from engine import Trainer

    out = tmp_path / "same"
    assert _main(capfd, "--headless", "--dataset", "gauss", "--epochs", "3", "--out", str(out),
                "--quiet").returncode == 0
    history = Trainer(TrainingConfig(dataset="gauss", epochs=3)).fit()
    with open(out / "history.csv", newline="") as handle:
        losses = np.array([float(row["batch_loss"]) for row in csv.DictReader(handle)])
    np.testing.assert_allclose(losses, history.batch_loss, rtol=1e-6)


# -- issue 15 #4: a finished run is never lost -----------------------------------------------------

def _run_patched(patch, *args, timeout=120):
    """Run main.py's headless mode in a fresh process after executing ``patch`` (Python code
    that fakes a failing disk or folder), as a user's machine would fail."""
    code = (f"import sys; sys.path.insert(0, {ROOT!r})\n{patch}\n"
            f"import main; sys.exit(main.main({list(args)!r}))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


#: Makes every atomic write of a file named NAME hit a full disk after 64 characters.
_FULL_DISK = '''
import errno, os, engine.atomic as atomic
class Full:
    def __init__(self, handle): self.handle, self.left = handle, 64
    def write(self, text):
        if len(text) > self.left: raise OSError(errno.ENOSPC, "No space left on device")
        self.left -= len(text); return self.handle.write(text)
    def __getattr__(self, name): return getattr(self.handle, name)
    def __enter__(self): return self
    def __exit__(self, *exc): self.handle.close()
def fake_open(path, mode="r", *args, **kwargs):
    handle = open(path, mode, *args, **kwargs)
    return Full(handle) if os.path.basename(path).startswith(".NAME.") else handle
atomic.open = fake_open
'''

_SMALL_RUN = ("--headless", "--dataset", "xor", "--epochs", "3", "--batch-size", "32",
              "--quiet")  # 13 batches an epoch


@pytest.mark.parametrize("name", ["history.csv", "epochs.csv", "summary.json"])
def test_a_full_disk_names_the_file_exits_1_and_writes_the_others(tmp_path, name):
    out = tmp_path / "run"
    out.mkdir()
    (out / name).write_text("the good copy of an earlier run\n")
    result = _run_patched(_FULL_DISK.replace("NAME", name), *_SMALL_RUN, "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert f"main.py: error: could not write {out / name}: No space left on device" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / name).read_text() == "the good copy of an earlier run\n"
    others = {"history.csv", "epochs.csv", "summary.json", "loss.png"} - {name}
    assert set(os.listdir(out)) == others | {name}  # no temporary file left behind
    for other in others:
        assert (out / other).stat().st_size > 0
    if name != "summary.json":
        assert json.loads((out / "summary.json").read_text())["steps"] == 3 * 13


def test_a_failing_picture_names_loss_png_and_keeps_the_results(tmp_path):
    patch = ("import gui.report\n"
             "def broken(*a, **k): raise OSError('could not write the picture')\n"
             "gui.report.save_loss_png = broken")
    out = tmp_path / "run"
    result = _run_patched(patch, *_SMALL_RUN, "--out", str(out))
    assert result.returncode == 1
    assert f"could not write {out / 'loss.png'}: could not write the picture" in result.stderr
    assert "wrote history.csv, epochs.csv, summary.json" in result.stderr
    assert sorted(os.listdir(out)) == ["epochs.csv", "history.csv", "summary.json"]


def test_loss_png_as_a_folder_is_refused_before_training(capfd, tmp_path):
    out = tmp_path / "run"
    (out / "loss.png").mkdir(parents=True)
    result = _main(capfd, "--headless", "--epochs", "2", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == f"main.py: error: cannot write {out / 'loss.png'}: it is " \
                                    f"a folder"
    assert os.listdir(out) == ["loss.png"]


def test_an_unwritable_folder_is_refused_before_training(tmp_path):
    """Root writes into a chmod 555 folder, so the refusal is faked where mkstemp fails."""
    patch = ("import errno, tempfile\n"
             "def refuse(*a, **k): raise PermissionError(errno.EACCES, 'Permission denied')\n"
             "tempfile.mkstemp = refuse")
    out = tmp_path / "ro"
    result = _run_patched(patch, "--headless", "--epochs", "2", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"main.py: error: cannot write to output folder {out}: "
                                     f"Permission denied")
    assert "epoch" not in result.stderr


def test_a_folder_that_fails_after_training_still_reports_every_file(tmp_path):
    """The folder passes the check, then refuses every file (a disk remounted read-only)."""
    patch = ("import errno, tempfile, main\n"
             "real = tempfile.mkstemp\n"
             "def refuse(*a, prefix='', **k):\n"
             "    if prefix.startswith('.losslab-probe'): return real(*a, prefix=prefix, **k)\n"
             "    raise OSError(errno.EROFS, 'Read-only file system')\n"
             "tempfile.mkstemp = refuse")
    out = tmp_path / "run"
    result = _run_patched(patch, *_SMALL_RUN, "--out", str(out))
    assert result.returncode == 1
    for name in ("history.csv", "epochs.csv", "summary.json", "loss.png"):
        assert f"could not write {out / name}: Read-only file system" in result.stderr
    assert os.listdir(out) == []


def test_ctrl_c_stops_at_the_next_batch_and_saves_the_steps_done(tmp_path):
    out = tmp_path / "stopped"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "main.py"), "--headless", "--dataset", "xor",
         "--epochs", "1000000", "--out", str(out)],
        stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        for line in process.stderr:  # training has begun once an epoch is reported
            if line.startswith("epoch 2/"):
                break
        process.send_signal(signal.SIGINT)
        stderr = process.stderr.read()
        status = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert status == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "stopped at step" in stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stopped"] is True and summary["outcome"] == "stopped"
    assert summary["stop_reason"] == "stopped" and summary["diverged"] is False
    assert summary["epochs_completed"] >= 2
    with open(out / "history.csv", newline="") as handle:
        assert len(list(csv.reader(handle))) - 1 == summary["steps"] >= 2 * 13
    assert (out / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert Run.load(out).outcome == "stopped"


def test_interrupt_handler_first_signal_stops_second_quits():
    import main

    stop = threading.Event()
    before = signal.getsignal(signal.SIGINT)
    with main.stop_on_interrupt(stop):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs between bytecodes of the main thread
        assert stop.is_set()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
    assert signal.getsignal(signal.SIGINT) is before


def test_a_batch_larger_than_the_data_is_said_and_recorded(capfd, tmp_path):
    out = tmp_path / "iris"
    result = _main(capfd, "--headless", "--dataset", "iris", "--loss", "categorical_crossentropy",
                  "--batch-size", "256", "--epochs", "2", "--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert ("batch_size 256 is larger than the 120 training rows of iris: each batch is the "
            "whole training set (120)") in result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["batch_size"] == 256 and summary["batch_size_used"] == 120
    assert summary["steps"] == 2


def test_help_documents_the_exit_statuses(capfd):
    result = _main(capfd, "--help")
    text = " ".join(result.stdout.split())
    assert "3 the run diverged" in text and "130 stopped by Ctrl-C" in text
    assert "1 a file could not be written" in text


def test_a_headless_folder_opens_as_a_run(capfd, tmp_path):
    out = tmp_path / "xor"
    assert _main(capfd, *_SMALL_RUN, "--out", str(out)).returncode == 0
    run = Run.load(out)
    assert run.outcome == "finished" and run.steps == 3 * 13
    assert run.config == TrainingConfig(dataset="xor", epochs=3, batch_size=32)
    assert run.label == "xor · binary_crossentropy · sgd"
    assert run.history.n_epochs == 3 and run.metadata["batch_size_used"] == 32


def test_quiet_prints_nothing_not_even_qt(tmp_path):
    # loss.png is drawn by Qt offscreen; a shown window there made Qt print
    # "This plugin does not support propagateSizeHints()" despite --quiet
    result = _run("--headless", "--dataset", "xor", "--epochs", "2", "--quiet", "--out",
                  str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""
    assert (tmp_path / "out" / "loss.png").read_bytes()[:4] == b"\x89PNG"


def test_an_empty_qt_platform_variable_still_draws_loss_png(tmp_path):
    # QT_QPA_PLATFORM set to "" made Qt look for a screen and abort (exit 134) after training
    result = _run("--headless", "--dataset", "xor", "--epochs", "2", "--quiet", "--out",
                  str(tmp_path / "out"), platform="")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "loss.png").read_bytes()[:4] == b"\x89PNG"


def test_a_csv_name_that_is_not_utf8_is_refused_before_training(capfd, tmp_path):
    # the name goes into summary.json: it trained, then lost summary.json ("surrogates not
    # allowed", exit 1)
    folder = os.fsencode(str(tmp_path))
    with open(os.path.join(folder, b"d\xffata.csv"), "w") as handle:
        handle.write("a,b,y\n" + "".join(f"{i % 7},{i % 3},{i % 2}\n" for i in range(60)))
    name = os.fsdecode(os.path.join(folder, b"d\xffata.csv"))
    out = tmp_path / "out"
    result = _main(capfd, "--headless", "--dataset", f"csv:{name}", "--epochs", "2", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "is not valid UTF-8; rename the file" in result.stderr
    assert "epoch 1/" not in result.stderr and not out.exists()


@pytest.mark.parametrize("mode", [("--headless",), ("--sweep", "batch_size=8,16")],
                         ids=["run", "sweep"])
def test_out_on_a_dangling_symlink_or_a_file_is_named_before_training(capfd, tmp_path, mode):
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "missing")
    result = _main(capfd, *mode, "--dataset", "xor", "--epochs", "2", "--out", str(dangling))
    assert result.returncode == 2, result.stderr
    assert (f"output folder {dangling} is a symbolic link to {tmp_path / 'missing'}, which "
            f"does not exist") in result.stderr
    assert "File exists" not in result.stderr and "epoch 1/" not in result.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    result = _main(capfd, *mode, "--dataset", "xor", "--epochs", "2", "--out", str(a_file))
    assert result.returncode == 2
    assert f"output folder {a_file} is a file, not a folder" in result.stderr


@pytest.mark.gui
def test_headless_says_how_far_the_reading_of_a_long_csv_is(tmp_path, monkeypatch, capsys):
    import main
    from engine import datasets
    path = tmp_path / "rows.csv"
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12_000, 2))
    np.savetxt(path, np.column_stack([x, x[:, 0] > 0]), fmt=["%.5f", "%.5f", "%d"],
               delimiter=",", header="a,b,label", comments="")
    monkeypatch.setattr(datasets, "CSV_PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(datasets, "CSV_CHUNK_ROWS", 1000)
    for quiet in (False, True):
        datasets.clear_csv_cache()
        status = main.main(["--headless", "--dataset", f"csv:{path}", "--epochs", "1",
                            "--batch-size", "512", "--out", str(tmp_path / "out")]
                           + ["--quiet"] * quiet)
        err = capsys.readouterr().err
        assert status == 0, err
        said = [line for line in err.splitlines() if line.startswith(f"dataset 'csv:{path}'")]
        if quiet:
            assert said == []
        else:
            # the seconds depend on the machine's load ('1 s' on a busy one); the rest does not
            assert re.fullmatch(rf"dataset 'csv:{re.escape(str(path))}': read 12,000 rows "
                                r"in \d+ s", said[-1])
            assert len(said) >= 2 and all("% of 0.2 MB" in line for line in said[:-1])
    datasets.clear_csv_cache()
