"""Tests reach the project through its public behaviour: at most a handful of private
accesses, each with its reason beside it.

What counts as a private access, found by reading with :mod:`ast` every ``.py`` file of the
test suite and its benchmarks: those in ``tests/`` (the test modules, ``conftest.py`` and the
helpers they import), this one excepted, and in ``tests/benchmarks/``.

* an attribute ``obj._name`` (read, written or deleted) whose name starts with one underscore
  or two but is not a dunder (``__name__``), and the same name given as a string literal to
  ``getattr``, ``setattr``, ``hasattr``, ``delattr`` or ``monkeypatch.setattr`` /
  ``monkeypatch.delattr`` (``"_name"``, or a dotted target ``"pkg.mod._name"``);
* ``from engine|gui|main|tests... import _name``;
* ``identifier._name`` inside a string literal of Python code a test runs in a subprocess
  (``python -c``): a regular expression over string constants that contain a ``;`` or a
  newline, which is how such code is written.

Not counted, because the object is not the project's:

* an access whose chain starts at a name the file imports from outside the project
  (``sys._getframe``, ``np._x``, ``resource_tracker._resource_tracker``): any import whose
  top-level package is not ``engine``, ``gui``, ``main``, ``conftest`` or ``tests``;
* ``self._name`` / ``cls._name`` inside a class the test file defines, where that class
  assigns ``self._name`` itself (a test helper's own state);
* ``super()._name(...)``: a class a test defines, extending a project class, calling the hook
  it overrides (``_per_sample`` of a throwaway loss);
* the public API that namedtuples spell with an underscore: ``_replace``, ``_asdict``,
  ``_fields``, ``_make``, ``_field_defaults``;
* argparse's own attributes on a parser the project builds (``_action_groups``,
  ``_group_actions``): argparse has no public way to list a parser's groups.

An allowed access carries ``# private: <reason>`` on its line or on the line above.
"""

import ast
import pathlib
import re

TESTS = pathlib.Path(__file__).resolve().parent
PROJECT = {"engine", "gui", "main", "conftest", "tests", "layout_audit"}
NAMEDTUPLE_API = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}
ARGPARSE = {"_action_groups", "_group_actions"}
SETTERS = {"getattr", "setattr", "hasattr", "delattr"}
LIMIT = 3
IN_CODE_STRING = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\._[A-Za-z][A-Za-z0-9_]*")
REASON = re.compile(r"#\s*private:\s*\S")


def _private(name):
    return (name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
            and name not in NAMEDTUPLE_API and name not in ARGPARSE)


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _foreign_names(tree):
    """Names the module binds by importing from outside the project."""
    foreign = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PROJECT:
                    foreign.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module.split(".")[0] not in PROJECT:
                foreign.update(alias.asname or alias.name for alias in node.names)
    return foreign


def _own_attributes(cls):
    """The ``self._x`` names a test-defined class assigns itself."""
    own = set()
    for node in ast.walk(cls):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for element in ast.walk(target):
                if (isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name)
                        and element.value.id in ("self", "cls")):
                    own.add(element.attr)
    return own


def private_accesses(path):
    """``(line, text)`` of each private access in the file at ``path``."""
    source = path.read_text()
    tree = ast.parse(source)
    foreign = _foreign_names(tree)
    own_in = {}
    for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        own = _own_attributes(cls)
        for node in ast.walk(cls):
            own_in[id(node)] = own
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = _root(node)
            if root in foreign:
                continue
            if (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
                    and node.attr in own_in.get(id(node), ())):
                continue
            if (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                    and node.value.func.id == "super"):
                continue
            found.append((node.lineno, f"{root or '...'}.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module.split(".")[0] in PROJECT:
                found.extend((node.lineno, f"{node.module}.{alias.name}")
                             for alias in node.names if _private(alias.name))
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            if name not in SETTERS or _root(node.args[0]) in foreign:
                continue
            target = node.args[1]
            if isinstance(target, ast.Constant) and isinstance(target.value, str):
                if _private(target.value):
                    found.append((node.lineno, f"{name}(..., {target.value!r})"))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("setattr", "delattr") and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            module, _, name = node.args[0].value.rpartition(".")
            if module.split(".")[0] in PROJECT and _private(name):
                found.append((node.lineno, node.args[0].value))
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and (";" in node.value or "\n" in node.value)):
            found.extend((node.lineno, match) for match in IN_CODE_STRING.findall(node.value)
                         if _private(match.rsplit(".", 1)[1]))
    return sorted(found)


def all_private_accesses():
    """The private accesses of the suite and its benchmarks, by path under ``tests/``."""
    paths = sorted(TESTS.glob("*.py")) + sorted(TESTS.glob("benchmarks/*.py"))
    return {path.relative_to(TESTS).as_posix(): private_accesses(path) for path in paths
            if path.name != pathlib.Path(__file__).name}


def test_at_most_a_handful_of_private_accesses_each_with_its_reason():
    unexplained, count = [], 0
    for name, accesses in all_private_accesses().items():
        lines = (TESTS / name).read_text().splitlines()
        for line, text in accesses:
            count += 1
            here, above = lines[line - 1], lines[line - 2] if line > 1 else ""
            if not (REASON.search(here) or REASON.search(above)):
                unexplained.append(f"{name}:{line}: {text}")
    assert not unexplained, "private accesses without '# private: <reason>':\n" + "\n".join(
        unexplained)
    assert count <= LIMIT, f"{count} private accesses from tests; at most {LIMIT}"


def test_the_scanner_finds_each_kind_and_skips_what_is_not_the_projects(tmp_path):
    path = tmp_path / "sample.py"
    path.write_text(
        "import sys\n"
        "import numpy as np\n"
        "from engine import datasets\n"
        "from engine.atomic import _NEW_FILE_MODE\n"
        "class Wrapper:\n"
        "    def __init__(self, handle):\n"
        "        self._handle = handle\n"
        "    def read(self):\n"
        "        return self._handle.read() + self._other\n"
        "def test(monkeypatch, window):\n"
        "    sys._getframe(0); np._NoValue; window.__class__; config._replace(a=1)\n"
        "    datasets._csv_cache.clear()\n"
        "    window._handlers['x']\n"
        "    getattr(window, '_flag')\n"
        "    monkeypatch.setattr(datasets, '_parse_csv', None)\n"
        "    monkeypatch.setattr('gui.plots._redraw', None)\n"
        "    code = 'h = History(); h._loss.extend(x); print(1)'\n"
        "class Doubled(losses.MeanSquaredError):\n"
        "    def _per_sample(self, y_true, y_pred):\n"
        "        return 2.0 * super()._per_sample(y_true, y_pred)\n")
    found = private_accesses(path)
    assert [line for line, _text in found] == [4, 9, 12, 13, 14, 15, 16, 17]
    assert "datasets._csv_cache" in dict(found)[12]
    assert dict(found)[17] == "h._loss"
