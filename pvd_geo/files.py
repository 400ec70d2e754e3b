"""Writing files safely: one helper for every file the atlas writes (no pandas here)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def atomic_write(path: Path, payload: bytes, mode: int = 0o644) -> Path:
    """Write ``payload`` to ``path`` through a temporary file in the same folder, then rename:
    a reader sees the old file or the new one, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def old_folder(target: Path) -> Path:
    """Where :func:`swap_in` keeps the replaced folder while it swaps (``.build-old``)."""
    return target.with_name(f".{target.name}-old")


def swap_in(new: Path, target: Path) -> None:
    """Replace the folder ``target`` by ``new`` (a finished folder beside it): ``target`` is renamed
    to :func:`old_folder`, ``new`` takes its name, the old one is deleted. A reader finds the old
    folder or the new one, never half of one; a kill between the two renames leaves the old one
    to put back (``pvd_geo.build.recover_build``)."""
    old = old_folder(target)
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
