"""The selection lists in use (``geodata/selections/<programme>.csv``): atomic replacement with history."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

HISTORY = "historique"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SAVED_COLUMNS = [
    "insee_com",
    "lib_com",
    "insee_dep",
    "lib_dep",
    "insee_reg",
    "lib_reg",
    "siren_epci",
    "lib_epci",
    "date_signature",
]


def programme_file(directory: Path, programme: str) -> Path:
    """File of a programme; the name is checked (no path ever comes from user input)."""
    if not _NAME.match(programme):
        raise ValueError(
            f"nom de programme invalide : « {programme} » (lettres minuscules, chiffres, - et _)"
        )
    return Path(directory) / f"{programme}.csv"


def save_selection(rows: pd.DataFrame, programme: str, directory: Path) -> tuple[Path, Path | None]:
    """Write the kept rows as the programme's list, atomically; the previous list goes to history.

    ``rows`` has ``code`` (reference code) and ``nom`` (reference name) plus the file's ANCT columns.
    Returns (file written, history copy or None).
    """
    target = programme_file(directory, programme)
    out = pd.DataFrame(
        {
            "insee_com": rows["code"].to_numpy(),
            "lib_com": rows["nom"].to_numpy(),
            **{c: rows[c].to_numpy() if c in rows else "" for c in SAVED_COLUMNS[2:]},
        }
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            out.to_csv(handle, index=False, lineterminator="\n")
            handle.flush()
            os.fsync(handle.fileno())
        history = None
        if target.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            history = target.parent / HISTORY / f"{programme}-{stamp}.csv"
            history.parent.mkdir(exist_ok=True)
            shutil.copy2(target, history)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target, history


def lists_in_use(directory: Path) -> pd.DataFrame:
    """One row per list file: programme, file name, rows, last modification, saved versions."""
    rows = []
    for path in sorted(Path(directory).glob("*.csv")):
        with path.open(encoding="utf-8-sig") as handle:
            lines = sum(1 for line in handle if line.strip()) - 1
        history = list((path.parent / HISTORY).glob(f"{path.stem}-*.csv"))
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
        rows.append(
            {
                "programme": path.stem,
                "fichier": path.name,
                "communes": lines,
                "modifiée le": modified,
                "versions précédentes": len(history),
            }
        )
    return pd.DataFrame(
        rows, columns=["programme", "fichier", "communes", "modifiée le", "versions précédentes"]
    )
