"""File > Open Run reads a big run folder on the worker: the window answers meanwhile, the
status bar shows progress and Cancel, Cancel adds nothing, a bad folder is named (issue 25 #8).
The reader under it: Run.load's progress and its blocks of rows."""

import os

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from engine import ConfigError
from engine.history import READ_BLOCK_CHARS, History
from engine.run import Run
from tests.benchmarks.open_run_speed import write_run

ROWS = 400_000


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    """A run folder of ROWS steps (a 19 MB history.csv: three blocks of the reader)."""
    folder = tmp_path_factory.mktemp("open-run") / "big"
    write_run(str(folder), ROWS)
    return str(folder)


def open_counting_ticks(window, qtbot, folder, timeout=60000):
    """Open ``folder`` while a 10 ms timer runs: (runs added, timer ticks served while the
    load was under way, the progress bar's values)."""
    bar = window.findChild(QtWidgets.QProgressBar, "exportProgressBar")
    values, ticks = [], []
    bar.valueChanged.connect(values.append)
    timer = QtCore.QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(len(values)))
    timer.start()
    try:
        with qtbot.waitSignal(window.files.run_opener.finished, timeout=timeout) as opened:
            assert window.files.open_runs(folder) is True  # returns at once; the worker reads
    finally:
        timer.stop()
        bar.valueChanged.disconnect(values.append)
    return opened.args[0], ticks, values


def test_a_big_run_opens_in_the_background_with_progress(window, qtbot, big_run):
    added, ticks, values = open_counting_ticks(window, qtbot, big_run)
    assert added == 1
    kept = window.session.kept[-1]
    assert kept.n_steps == ROWS
    np.testing.assert_array_equal(kept.steps["step"][[0, -1]], [1, ROWS])
    # the event loop served the timer while the rows were read, not only before or after
    # (how many ticks fit in the load depends on the machine's speed, so none is counted)
    assert any(0 < seen < len(values) for seen in ticks)
    assert values == sorted(values) and values[-1] == 100
    assert not window.findChild(QtWidgets.QWidget, "jobProgress").isVisible()
    assert "Opened 1 run(s)" in window.statusBar().currentMessage()


def test_cancel_adds_nothing_and_the_folder_opens_afterwards(window, qtbot, big_run):
    before = len(window.session.kept)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=60000) as opened:
        assert window.files.open_runs(big_run)
        qtbot.mouseClick(window.findChild(QtWidgets.QPushButton, "cancelExportButton"),
                         QtCore.Qt.LeftButton)
    assert opened.args == [0]
    assert len(window.session.kept) == before
    assert "cancelled" in window.statusBar().currentMessage()
    assert not window.findChild(QtWidgets.QWidget, "jobProgress").isVisible()
    added, _, _ = open_counting_ticks(window, qtbot, big_run)
    assert added == 1 and len(window.session.kept) == before + 1


def test_a_bad_run_folder_is_named_and_nothing_is_added(window, qtbot, messages, tmp_path):
    folder = tmp_path / "cut"
    write_run(str(folder), 50)
    with open(folder / "history.csv", "a") as handle:
        handle.write("51,1,1632,0.051,oops,0.01\n")
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        window.files.open_runs(str(folder))
    assert opened.args == [0]
    assert window.session.kept == []
    kind, title, text = messages[-1]
    assert (kind, title) == ("warning", "Cannot open the run")
    assert "history.csv line 52: 'oops' is not a number" in text


def test_a_second_open_while_one_runs_is_refused_with_a_message(window, qtbot, tmp_path):
    folder = str(tmp_path / "run")
    write_run(folder, 100)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        assert window.files.open_runs(folder)
        assert window.files.open_runs(folder) is False
        assert "still opening" in window.statusBar().currentMessage()
    assert opened.args == [1]


def test_run_load_reports_progress_up_to_one_and_a_raising_callback_stops_it(big_run):
    fractions = []
    run = Run.load(big_run, progress=fractions.append)
    assert run.steps == ROWS
    assert len(fractions) >= 2 and fractions == sorted(fractions) and fractions[-1] == 1.0

    class Stop(Exception):
        pass

    def stop(fraction):
        raise Stop

    with pytest.raises(Stop):
        Run.load(big_run, progress=stop)


def test_a_bad_value_past_the_first_block_is_named_by_its_line(tmp_path):
    path = tmp_path / "history.csv"
    row = "1,1,0.5,0.01\n"
    rows = READ_BLOCK_CHARS // len(row) + 1000
    lines = [f"{step},1,0.5,0.01\n" for step in range(1, rows + 1)]
    lines[rows - 10] = f"{rows - 9},1,bad,0.01\n"
    path.write_text("step,epoch,batch_loss,learning_rate\n" + "".join(lines))
    with pytest.raises(ConfigError, match=rf"history.csv line {rows - 8}: 'bad' is not a number"):
        History.from_csv(path)


def test_blank_lines_and_lone_carriage_returns_read_as_rows(tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(b"step,epoch,batch_loss,learning_rate\r1,1,0.5,0.1\r\r2,1,0.25,0.1\n\n"
                     b"3,2,1e39,0.1\r\n")
    history = History.from_csv(path)
    assert history.n_steps == 3
    assert history.batch_loss.tolist() == [0.5, 0.25, float("inf")]  # beyond float32: inf
    assert history.batch_loss.dtype == np.float32
    assert history.epoch.tolist() == [1, 1, 2]


@pytest.mark.slow
def test_a_ten_million_step_run_opens_in_the_background(window, qtbot, tmp_path):
    folder = str(tmp_path / "huge")
    write_run(folder, 10_000_000)
    assert os.path.getsize(os.path.join(folder, "history.csv")) > 400 * 2**20
    added, ticks, values = open_counting_ticks(window, qtbot, folder, timeout=600000)
    assert added == 1 and window.session.kept[-1].n_steps == 10_000_000
    assert len({seen for seen in ticks if 0 < seen < len(values)}) >= 10
    assert values[-1] == 100
