"""The store of prepared views, kept on disk so that a fresh server shows what it showed before at
once: prepared maps here, the first screen's figures and the data catalogue (:mod:`pvd_geo.summary`).

A prepared map is the data of a map's folium plugins (:func:`pvd_geo.webmap.maps.prepare`: one
JSON text per plugin), stored as JSON (never pickle) under ``geodata/cache/cartes/``. Its name is a hash of
everything the map depends on: the data (:attr:`Atlas.fingerprint`: build and selection
lists), the code that draws it (this package's map modules) and the view's parameters. A new
build, an imported list or a code change therefore gives new names; old files are pruned.

This module imports neither pandas nor geopandas: a cache hit costs a file read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .constants import cache_dir
from .files import atomic_write

MAX_FILES = 200  # as the README says
MAX_BYTES = 50_000_000  # the store's size on disk, whatever the sizes of the maps


@dataclass(frozen=True)
class PreparedMap:
    """What a map's plugins need, computed once per map (not on every rerun): each plugin's data
    as JSON text and their hash (part of the map's key in the page)."""

    parts: dict[str, str]
    digest: str = field(default="")

    def __post_init__(self) -> None:
        if not self.digest:
            text = json.dumps(self.parts, sort_keys=True, ensure_ascii=False)
            object.__setattr__(self, "digest", hashlib.sha256(text.encode()).hexdigest()[:20])

    @classmethod
    def of(cls, spec: dict) -> PreparedMap:
        from .webmap.maps import prepare

        return cls(prepare(spec))


CODE_FILES = ("*.py", "*.js", "*.css", "*.toml")  # the programme registry included


def package_hash(directory: Path) -> str:
    """A hash of every module and map script under ``directory`` (relative names and contents)."""
    digest = hashlib.sha256()
    files = {p for pattern in CODE_FILES for p in Path(directory).rglob(pattern)}
    for path in sorted(files):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The hash of this package (:func:`package_hash`): any change of the code that draws, counts or
    labels a map — the app layer (``ui/``), ``constants.py`` and the plugins' scripts included —
    gives new keys, so no stored map
    outlives its code."""
    return package_hash(Path(__file__).resolve().parent)


def cache_key(fingerprint: str, kind: str, params: dict) -> str:
    """File name of a map: data fingerprint, code version, kind and parameters."""
    text = json.dumps([fingerprint, code_version(), kind, params], sort_keys=True, ensure_ascii=False)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def folder() -> Path:
    return cache_dir() / "cartes"


def load(key: str) -> PreparedMap | None:
    """The stored map of ``key``, or None (absent, unreadable or from another format)."""
    data = load_data(key)
    if data is None or not isinstance(data.get("parts"), dict):
        return None
    try:
        return PreparedMap(**data)
    except TypeError:
        return None


def save(key: str, prepared: PreparedMap) -> None:
    """Store a map atomically (temporary file, then rename); a read-only disk is not an error."""
    save_data(key, asdict(prepared))


def load_data(key: str) -> dict | None:
    """A stored JSON object (a map, or figures of a view: :mod:`pvd_geo.summary`), or None."""
    path = folder() / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save_data(key: str, data: dict) -> None:
    """Store a JSON object atomically (temporary file, then rename); a read-only disk is not an error."""
    directory = folder()
    try:
        # readable by every replica of the app (mode 0644)
        atomic_write(directory / f"{key}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
        prune(directory)
    except OSError:
        return


def prune(directory: Path, keep: int = MAX_FILES, max_bytes: int | None = None) -> None:
    """Remove the oldest stored maps beyond ``keep`` files or ``max_bytes`` in all (the newest
    kept), and temporary files left by a killed process."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    stats = []
    for path in directory.glob("*.json"):
        with contextlib.suppress(OSError):  # removed by another replica meanwhile
            stat = path.stat()
            stats.append((stat.st_mtime, stat.st_size, path))
    stats.sort(key=lambda item: item[0], reverse=True)
    kept, total, old = 0, 0, []
    for _, size, path in stats:
        if kept < keep and total + size <= limit:
            kept, total = kept + 1, total + size
        else:
            old.append(path)
    stale = [p for p in directory.glob(".*.tmp") if time.time() - p.stat().st_mtime > 600]
    for path in old + stale:
        with contextlib.suppress(OSError):  # removed by another replica meanwhile
            path.unlink()
