"""The README a newcomer reads (issue 24 #10): a venv before pip, pictures that exist and are
small, links that resolve, the test command CI runs, and requirements.txt citing only files
that exist."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
        return handle.read()


def test_the_readme_makes_a_venv_before_pip_and_keeps_the_test_command():
    readme = read("README.md")
    venv = readme.index("python3 -m venv .venv && . .venv/bin/activate")
    assert venv < readme.index("pip install -r requirements.txt")
    assert "pip install -r requirements.txt && python -m pytest" in readme


def test_ci_runs_the_readmes_test_command():
    command = re.search(r"^    (pip install -r requirements\.txt && python -m pytest.*)$",
                        read("README.md"), re.MULTILINE).group(1)
    assert command in read(os.path.join(".ci", "run")).splitlines()


def test_the_tour_comes_first_with_small_pictures_and_every_local_link_resolves():
    readme = read("README.md")
    sections = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    assert sections[0] == "A two-minute tour"
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    assert len(pictures) >= 2
    for picture in pictures:
        path = os.path.join(ROOT, picture)
        assert os.path.getsize(path) < 150_000, picture
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n", picture
    for link in re.findall(r"\]\(([^)#:]+)\)", readme):
        assert os.path.exists(os.path.join(ROOT, link)), link
    # the benchmark tables live beside the benchmarks, not in the README
    assert "| model | batch |" not in readme
    assert "| model | batch |" in read(os.path.join("tests", "benchmarks", "README.md"))


def test_requirements_cite_only_files_that_exist():
    for name in re.findall(r"[\w./-]+\.(?:md|py)\b", read("requirements.txt")):
        assert os.path.exists(os.path.join(ROOT, name)), name
