"""A small real filesystem for storage fault tests: a tmpfs of a given size mounted at a folder (needs root; a test
that cannot mount is skipped with the reason), which can be filled up or remounted read-only."""

import os
import subprocess
from contextlib import contextmanager

import pytest


def _run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=False)


@contextmanager
def small_tmpfs(path, size="1m"):
    path.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip() or done.returncode}")
    try:
        yield path
    finally:
        _run("umount", "-l", str(path))


def remount_read_only(path):
    done = _run("mount", "-o", "remount,ro", str(path))
    assert done.returncode == 0, done.stderr


def free_bytes(path):
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


def fill(path, leave):
    """Write a filler file so that about `leave` bytes stay free (tmpfs counts whole pages)."""
    filler = path / "filler.bin"
    with open(filler, "wb") as out:
        out.write(b"\0" * max(0, free_bytes(path) - leave))
    return filler


def files_under(path, *, skip=("filler.bin",)):
    """Every regular file under `path` (relative names), the filler excepted."""
    return sorted(
        os.path.relpath(os.path.join(root, name), path)
        for root, _dirs, names in os.walk(path)
        for name in names
        if name not in skip
    )
