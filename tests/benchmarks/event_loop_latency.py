"""How late the event loop runs while the app trains at batch size 1 (what a learner feels while
turning knobs): a 10 ms precise timer's lateness, and the steps trained meanwhile.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.event_loop_latency [--seconds 4]

This was a timed assert in the default test suite (p99 lateness <= 50 ms, more than 1,000
steps in 4 s), which failed on a busy machine; the numbers are measured here instead, and the
target is printed beside them. The window settles first: the first paints with data lay out
every axis once (a one-time hitch of 100-200 ms right after Start).
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402

from tests.benchmarks.gui_speed import run_events  # noqa: E402

#: The target the suite used to assert: p99 lateness of a 10 ms timer, in ms.
TARGET_P99_MS = 50


def measure(app, seconds, settle=1.0):
    """Lateness (ms) of each tick of a 10 ms timer over ``seconds`` of training at batch size
    1, and the steps trained in that time."""
    from gui import MainWindow
    from gui import qt_owner
    folder = tempfile.mkdtemp(prefix="losslab-latency-")
    window = MainWindow(QtCore.QSettings(os.path.join(folder, "s.ini"),
                                         QtCore.QSettings.IniFormat))
    pace = window.findChild(QtWidgets.QComboBox, "paceCombo")
    pace.setCurrentIndex(pace.count() - 1)  # max
    window.panel.set_values({"dataset": "circle", "loss": "binary_crossentropy",
                             "optimizer": "sgd", "batch_size": 1, "learning_rate": 0.03,
                             "epochs": 1000})
    window.resize(1280, 800)
    window.show()
    run_events(app, 0.3)
    window.findChild(QtWidgets.QAbstractButton, "startButton").click()
    run_events(app, settle)
    ticks = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    steps_before = window.trainer.step_count
    timer.start()
    run_events(app, seconds)
    timer.stop()
    steps = window.trainer.step_count - steps_before
    window.close()
    qt_owner.dispose(window)
    return (np.diff(ticks) - 0.010) * 1000, steps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args(argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    lateness, steps = measure(app, args.seconds)
    p50, p99 = np.percentile(lateness, [50, 99])
    print(f"ticks {len(lateness) + 1}, steps {steps} in {args.seconds:g} s "
          f"({steps / args.seconds:.0f}/s)")
    print(f"lateness of a 10 ms timer: median {p50:.1f} ms, p99 {p99:.1f} ms "
          f"(target p99 <= {TARGET_P99_MS} ms), max {lateness.max():.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
