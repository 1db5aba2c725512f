"""What a drop on the window means: a CSV file is a dataset (as File > Open CSV), a folder is a
run folder or a folder of them (as File > Open Run); anything else is named and refused."""

import os

from PySide6 import QtCore

from gui.i18n import QT_TR_NOOP, tr

# What a drop asks for: open a dataset, open runs, or nothing (refused, with its reason).
CSV, RUNS, REFUSED = "csv", "runs", "refused"


def dropped(mime):
    """``(CSV or RUNS, path)`` for a drop of one local CSV file or folder, else
    ``(REFUSED, message)`` saying what can be dropped and why this cannot."""
    urls = mime.urls() if mime.hasUrls() else []
    local = [url.toLocalFile() for url in urls if url.isLocalFile()]
    if not urls or len(local) != len(urls):
        return REFUSED, tr(HINT)
    if len(local) > 1:
        return REFUSED, tr(QT_TR_NOOP("Drop one file or folder at a time."))
    path = local[0]
    name = QtCore.QFileInfo(path).fileName() or path
    if os.path.isdir(path):
        return RUNS, path
    if os.path.isfile(path) and path.lower().endswith(".csv"):
        return CSV, path
    if not os.path.exists(path):
        return REFUSED, tr(QT_TR_NOOP("{name} does not exist."), name=name)
    return REFUSED, tr(QT_TR_NOOP("{name} is neither a CSV file nor a run folder: drop a CSV "
                                  "file to train on it, or a run folder to open it."), name=name)


HINT = QT_TR_NOOP("Drop a CSV file to train on it, or a run folder to open it as a kept run.")
