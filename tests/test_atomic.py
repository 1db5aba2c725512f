"""engine.atomic: a file is its old content or its whole new content, never a part of it."""

import errno
import os
import stat
import time

import pytest

from engine import atomic


def _leftovers(folder, name):
    return [entry for entry in os.listdir(folder) if entry != name]


def test_write_text_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    atomic.write_text(path, "new\nlines\n")
    assert path.read_text() == "new\nlines\n"
    assert _leftovers(tmp_path, "out.txt") == []


def test_a_new_file_gets_the_permissions_open_would_give(tmp_path):
    path = tmp_path / "new.txt"
    atomic.write_text(path, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "kept.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic.write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_an_error_while_writing_keeps_the_old_file(tmp_path):
    path = tmp_path / "good.csv"
    path.write_text("the good copy")
    with pytest.raises(RuntimeError, match="writer broke"):
        with atomic.atomic_write(path) as handle:
            handle.write("half a ro")
            raise RuntimeError("writer broke")
    assert path.read_text() == "the good copy"
    assert _leftovers(tmp_path, "good.csv") == []


def test_a_full_disk_keeps_the_old_file_and_names_the_target(tmp_path, monkeypatch):
    """ENOSPC from the file system (here from fsync, where a full disk often shows first)."""
    path = tmp_path / "history.csv"
    path.write_text("the good copy")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        atomic.write_text(path, "x" * 10_000)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(path)
    assert path.read_text() == "the good copy"
    assert _leftovers(tmp_path, "history.csv") == []


def test_writing_to_dev_full_names_the_file(tmp_path):
    """A real ENOSPC from the kernel: /dev/full accepts the open and refuses the data."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with pytest.raises(OSError) as caught:
        with open("/dev/full", "w") as handle:
            handle.write("x" * 10)
    assert caught.value.errno == errno.ENOSPC


def test_a_folder_in_the_way_is_an_error_naming_it(tmp_path):
    (tmp_path / "loss.png").mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        atomic.write_bytes(tmp_path / "loss.png", b"png")
    assert caught.value.filename == str(tmp_path / "loss.png")
    assert (tmp_path / "loss.png").is_dir()


def test_a_missing_folder_is_an_error_naming_the_file(tmp_path):
    target = tmp_path / "absent" / "summary.json"
    with pytest.raises(FileNotFoundError) as caught:
        atomic.write_text(target, "{}")
    assert caught.value.filename == str(target)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_is_a_permission_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(PermissionError) as caught:
            atomic.write_text(folder / "summary.json", "{}")
        assert caught.value.filename == str(folder / "summary.json")
    finally:
        os.chmod(folder, 0o755)


def test_atomic_path_keeps_the_extension_for_writers_that_go_by_it(tmp_path):
    target = tmp_path / "loss.png"
    seen = []
    with atomic.atomic_path(target) as temp:
        seen.append(temp)
        with open(temp, "wb") as handle:
            handle.write(b"\x89PNG")
    assert seen[0].endswith(".png") and os.path.dirname(seen[0]) == str(tmp_path)
    assert target.read_bytes() == b"\x89PNG"


def test_atomic_path_refuses_a_writer_that_wrote_nothing(tmp_path):
    """A writer that reports success without a file (Qt's save can) must not pass silently."""
    target = tmp_path / "loss.png"
    target.write_bytes(b"old")
    with pytest.raises(FileNotFoundError, match="produced no file"):
        with atomic.atomic_path(target):
            pass
    assert target.read_bytes() == b"old"


def test_an_errno_less_oserror_names_the_target_not_the_temporary(tmp_path):
    target = tmp_path / "loss.png"
    with pytest.raises(OSError) as caught:
        with atomic.atomic_path(target) as temp:
            raise OSError(f"could not write {temp}")
    assert str(caught.value) == f"could not write {target}"
    assert _leftovers(tmp_path, "loss.png") == [] and not target.exists()


def test_binary_mode_and_bad_mode(tmp_path):
    atomic.write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    with pytest.raises(ValueError, match="mode"):
        with atomic.atomic_write(tmp_path / "c", "a"):
            pass


KILLED_WRITER = """
import sys, time
from engine.atomic import atomic_write
with atomic_write(sys.argv[1]) as handle:
    handle.write("step,loss\\n" * 1000)
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_a_killed_writers_temporary_is_removed_by_the_next_write_in_its_folder(tmp_path):
    import subprocess
    import sys
    target = tmp_path / "hist.csv"
    target.write_text("old\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], cwd=root,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
    finally:
        writer.kill()
        writer.wait(timeout=30)
        writer.stdout.close()
    [leftover] = _leftovers(tmp_path, "hist.csv")
    assert atomic.is_temporary(leftover) and leftover.startswith(".hist.csv.")
    assert target.read_text() == "old\n"
    fresh = tmp_path / ".runs.csv.abcd1234.tmp.csv"  # another writer, still at work
    fresh.write_text("x")
    mine = [tmp_path / ".notes.txt", tmp_path / "hist.csv.bak", tmp_path / ".x.abcd1234.tmp.png"]
    for path in mine:
        path.write_text("the user's")
    stale = time.time() - atomic.STALE_SECONDS - 5
    for path in [tmp_path / leftover, *mine]:
        os.utime(path, (stale, stale))
    atomic.write_text(tmp_path / "runs-epochs.csv", "epoch\n")  # the next export there
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["hist.csv", "runs-epochs.csv", fresh.name, *(path.name for path in mine)])


def test_remove_stale_leaves_an_unreadable_folder_alone(tmp_path):
    assert atomic.remove_stale(tmp_path / "missing") == []
