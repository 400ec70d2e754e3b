"""The selection lists in use: one CSV per programme plus its description (``<programme>.json``:
coverage, date, source), replaced atomically with a history of previous versions.

Two folders: the embedded default (``geodata/selections``, Gard + Gers, tracked in git, never
written) and the lists the operator downloaded or imported (``geodata/listes``, git-ignored),
which replace the embedded list of the same programme.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

HISTORY = "historique"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
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
NATIONAL = "nationale"


@dataclass(frozen=True)
class ListInfo:
    """What a list is: which départements it speaks for, its date and where it came from.

    ``couverture`` is ``None`` for a national list (every département), else the codes of the
    départements the list covers: a territory outside them has no figure for this programme.
    """

    programme: str
    couverture: tuple[str, ...] | None = None
    date: str | None = None  # ISO date of the list (upload or publication), when known
    millesime: str = ""  # a vintage in words when no exact date is known
    source: str = ""  # address or file it came from
    origine: str = ""  # "officielle", "embarquée", "importée"
    enregistree_le: str = ""  # ISO date and time it was saved here
    # rows of the original file that were not kept as written (resolved, merged, rejected): the
    # saved list holds current codes only, so this is where they stay visible (``check``)
    rapport: tuple = ()

    def to_json(self) -> dict:
        data = asdict(self)
        data["couverture"] = NATIONAL if self.couverture is None else list(self.couverture)
        data["rapport"] = [dict(r) for r in self.rapport]
        return data

    @classmethod
    def from_json(cls, data: dict) -> ListInfo:
        cover = data.get("couverture", NATIONAL)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["couverture"] = None if cover == NATIONAL else tuple(str(c) for c in cover)
        known["rapport"] = tuple(dict(r) for r in known.get("rapport", ()) if isinstance(r, dict))
        return cls(**known)


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


def programme_file(directory: Path, programme: str) -> Path:
    """File of a programme; the name is checked (no path ever comes from user input)."""
    if not isinstance(programme, str) or not _NAME.fullmatch(programme):
        raise ValueError(
            f"nom de programme invalide : « {programme!s:.60} » (lettres minuscules, chiffres, - et _)"
        )
    return Path(directory) / f"{programme}.csv"


def info_file(csv_path: Path) -> Path:
    return Path(csv_path).with_suffix(".json")


def read_info(csv_path: Path) -> ListInfo | None:
    """The description saved beside a list, or None (an older list, a hand-copied file)."""
    path = info_file(csv_path)
    if not path.is_file():
        return None
    try:
        return ListInfo.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, AttributeError):
        return None


def _history_copy(target: Path, programme: str) -> Path:
    """Keep the list being replaced (and its description) in the history, under a unique name."""
    folder = target.parent / HISTORY
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    n = 0
    while True:  # two saves in the same microsecond still get two files
        history = folder / f"{programme}-{stamp}{f'-{n}' if n else ''}.csv"
        try:
            with history.open("xb"):
                break
        except FileExistsError:
            n += 1
    atomic_write(history, target.read_bytes())
    info = info_file(target)
    if info.is_file():
        atomic_write(info_file(history), info.read_bytes())
    return history


def save_selection(
    rows: pd.DataFrame, programme: str, directory: Path, info: ListInfo | None = None
) -> tuple[Path, Path | None]:
    """Write the kept rows as the programme's list, atomically, with its description; the previous
    list goes to history.

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
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    history = _history_copy(target, programme) if target.exists() else None
    info = info or ListInfo(programme, origine="importée")
    info = ListInfo(**{**info.__dict__, "programme": programme, "enregistree_le": _now()})
    atomic_write(info_file(target), json.dumps(info.to_json(), ensure_ascii=False, indent=1).encode())
    atomic_write(target, buffer.getvalue().encode("utf-8"))
    return target, history


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def list_paths(directory: Path, embedded: Path | None) -> dict[str, Path]:
    """The list in use of each programme: the folder's own, else the embedded default."""
    found = {}
    for folder in (embedded, directory):  # the lists folder last: it wins
        if folder is None:
            continue
        for path in sorted(Path(folder).glob("*.csv")):
            if _NAME.fullmatch(path.stem):
                found[path.stem] = path
    return found


def history_versions(directory: Path, programme: str) -> list[Path]:
    """Previous versions of a programme's list, oldest first."""
    return sorted((Path(directory) / HISTORY).glob(f"{programme}-*.csv"))


def lists_in_use(directory: Path, embedded: Path | None = None) -> pd.DataFrame:
    """One row per list in use: programme, file, rows, coverage, date, saved versions."""
    rows = []
    for programme, path in list_paths(directory, embedded).items():
        with path.open(encoding="utf-8-sig") as handle:
            lines = sum(1 for line in handle if line.strip()) - 1
        info = read_info(path)
        cover = (
            ""
            if info is None
            else ("France entière" if info.couverture is None else ", ".join(info.couverture))
        )
        rows.append(
            {
                "programme": programme,
                "fichier": path.name,
                "origine": info.origine if info else "",
                "communes": lines,
                "couverture (départements)": cover or "déduite de la liste",
                "date de la liste": (info.date or info.millesime) if info else "",
                "versions précédentes": len(history_versions(path.parent, programme)),
            }
        )
    columns = [
        "programme",
        "fichier",
        "origine",
        "communes",
        "couverture (départements)",
        "date de la liste",
        "versions précédentes",
    ]
    return pd.DataFrame(rows, columns=columns)
