"""Switching the language of a whole window: what one switch costs the GUI thread.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.language_switch [--switches 20]

A main window is built at 1280x800 and shown, one training step is taken (so plots, legends
and the status line hold texts), then ``--switches`` switches alternate Korean and English
through ``MainWindow.set_language``. Each switch is timed as wall time and as GUI-thread CPU
time (``time.thread_time``, which other processes' load does not inflate), with the events a
switch posts processed (``QApplication.processEvents``) inside the timing: the window is
fully relabelled when the time is taken.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=20)
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from gui import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        settings = QtCore.QSettings(os.path.join(folder, "settings.ini"),
                                    QtCore.QSettings.IniFormat)
        window = MainWindow(settings)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        window.step()
        deadline = time.monotonic() + 30
        while window.session.run is None or window.session.run.step_count < 1:
            app.processEvents()
            if time.monotonic() > deadline:
                raise RuntimeError("the first training step did not come within 30 s")
        window.redraw_now()
        wall, cpu = [], []
        for index in range(args.switches):
            code = "ko" if index % 2 == 0 else "en"
            started, started_cpu = time.perf_counter(), time.thread_time()
            window.set_language(code)
            app.processEvents()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        window.set_language("en")
        window.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"# {args.switches} switches of a full window (1280x800, offscreen), ms per switch")
    print(f"wall: median {statistics.median(wall):.1f}, max {max(wall):.1f}, "
          f"total {sum(wall):.0f}")
    print(f"GUI-thread CPU: median {statistics.median(cpu):.1f}, max {max(cpu):.1f}, "
          f"total {sum(cpu):.0f}")


if __name__ == "__main__":
    main()
