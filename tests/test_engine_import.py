"""The engine is pure NumPy, and the app's session Qt-free: importing them must not load Qt
or pyqtgraph.

One fresh interpreter imports each module in turn and says, after each import, which Qt or
pyqtgraph modules are loaded so far, and the values the tests read (a process per import cost
0.3-1 s each). Each test's import is checked with those before it: one that loads Qt fails its
own test and every later one."""

import json
import subprocess
import sys

import pytest

SCRIPT = r"""
import importlib, json, pkgutil, sys

def qt():
    return {m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')}

said = {}

def step(name, load):
    value = load()
    said[name] = {"value": value, "qt": sorted(qt())}

def engine():
    import engine, engine.lr_finder
    return None

def session():
    import gui.session
    return gui.session.Session().state.value

def pictures():
    import gui.model.network_pictures as pictures
    return len(pictures.DIVERGING)

def api():
    from engine import losses, optimizers, schedules, datasets, TrainingConfig, Trainer, \
        ConfigError
    return [issubclass(ConfigError, ValueError), len(losses.names())]

def store():
    import gui.model.store
    return gui.model.store.DATABASE

def labels():
    import gui.model.labels as labels
    return labels.outcome_text(labels.Outcome('diverged', {'step': 3}), 'en')

def model():
    import gui.model as package
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    for name in names:
        importlib.import_module('gui.model.' + name)
    return names

for name, load in [("engine", engine), ("session", session), ("pictures", pictures),
                   ("api", api), ("store", store), ("labels", labels), ("model", model)]:
    step(name, load)
print(json.dumps(said))
"""


@pytest.fixture(scope="module")
def imported():
    """What each import of ``SCRIPT`` gave and which Qt modules it loaded, by name."""
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_engine_loads_no_qt(imported):
    assert imported["engine"]["qt"] == []


def test_import_gui_session_loads_no_qt(imported):
    assert imported["session"] == {"value": "ready", "qt": []}


def test_import_network_pictures_loads_no_qt(imported):
    """The network view's pictures are computed in the worker thread, without Qt."""
    assert imported["pictures"] == {"value": 256, "qt": []}


def test_engine_exposes_the_design_api(imported):
    subclass, count = imported["api"]["value"]
    # the reference text's 13 at least (tests/test_losses.py checks their names and order);
    # a loss registered later follows them
    assert subclass is True and count >= 13


def test_import_the_kept_run_store_loads_no_qt(imported):
    assert imported["store"] == {"value": "kept.sqlite", "qt": []}


def test_import_run_labels_loads_no_qt(imported):
    """Labels and outcomes are data in the Qt-free model; English words need no Qt."""
    assert imported["labels"] == {"value": "diverged at step 3", "qt": []}


def test_import_every_app_model_module_loads_no_qt(imported):
    """The whole app model package (gui.model: the draft, the commands, the store, ...) is
    Qt-free; each module is listed from the folder, so a new one is covered."""
    names = imported["model"]["value"]
    assert {"commands", "draft", "labels", "store", "network_pictures"} <= set(names)
    assert imported["model"]["qt"] == []
