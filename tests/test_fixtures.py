"""The leak guards of tests/conftest.py find what they guard against (and clean it up)."""

import multiprocessing
import subprocess
import sys
import time

import conftest


def test_a_running_child_process_is_found(request):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process.pid in conftest.live_child_processes()
    finally:
        process.kill()
        process.wait(10)
    assert process.pid not in conftest.live_child_processes()  # reaped: gone, not a zombie


def test_a_multiprocessing_worker_is_found():
    context = multiprocessing.get_context("spawn")
    worker = context.Process(target=time.sleep, args=(30,))
    worker.start()
    try:
        assert worker.pid in conftest.live_child_processes()
    finally:
        worker.terminate()
        worker.join(10)
    assert worker.pid not in conftest.live_child_processes()


def test_a_running_qthread_is_found(qtbot):
    from PySide6.QtCore import QThread

    class Worker(QThread):
        def __init__(self):
            super().__init__()

        def run(self):
            self.exec()

    plain, sub = QThread(), Worker()
    for thread in (plain, sub):
        thread.start()
    try:
        qtbot.waitUntil(lambda: plain.isRunning() and sub.isRunning(), timeout=5000)
        running = conftest.qthreads.running()
        assert plain in running and sub in running
    finally:
        for thread in (plain, sub):
            thread.quit()
            assert thread.wait(5000)
    assert conftest.qthreads.running() == []
