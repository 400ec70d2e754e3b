"""The selection lists in use: one CSV per programme plus its description (``<programme>.json``:
coverage, date, source), replaced atomically with a history of previous versions.

Two folders: the embedded default (``geodata/embarquees``, Gard + Gers, tracked in git, never
written) and the lists the operator downloaded or imported (``geodata/listes``, git-ignored),
which replace the embedded list of the same programme.
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from ..errors import InvalidInput
from ..files import atomic_write

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
    # SHA-256 of the list's bytes this description was written for: a description whose list is
    # not (or no longer) beside it — a save killed between its two renames — is not read
    empreinte: str = ""

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


def programme_file(directory: Path, programme: str) -> Path:
    """File of a programme; the name is checked (no path ever comes from user input)."""
    if not isinstance(programme, str) or not _NAME.fullmatch(programme):
        raise InvalidInput(
            f"nom de programme invalide : « {programme!s:.60} » (lettres minuscules, chiffres, - et _)"
        )
    return Path(directory) / f"{programme}.csv"


def info_file(csv_path: Path) -> Path:
    return Path(csv_path).with_suffix(".json")


def list_digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def read_info(csv_path: Path) -> ListInfo | None:
    """The description saved beside a list, or None (an older list, a hand-copied file, or a
    description written for other bytes than the list beside it: never another list's words)."""
    path = info_file(csv_path)
    if not path.is_file():
        return None
    try:
        info = ListInfo.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, AttributeError):
        return None
    if info.empreinte:
        try:
            if list_digest(Path(csv_path).read_bytes()) != info.empreinte:
                return None
        except OSError:
            return None
    return info


def _history_copy(target: Path, programme: str) -> Path:
    """Keep the list being replaced (and its description) in the history, under a unique name: the
    copy is written in full under a temporary name, then linked to a name no other save took (a
    killed copy leaves no truncated version; two saves in the same instant keep both)."""
    folder = target.parent / HISTORY
    folder.mkdir(parents=True, exist_ok=True)
    info = info_file(target)
    described = info.read_bytes() if info.is_file() else None
    payload = target.read_bytes()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    tmp = atomic_write(folder / f".{programme}-{stamp}.{os.getpid()}.csv.partiel", payload)
    try:
        n = 0
        while True:
            history = folder / f"{programme}-{stamp}{f'-{n}' if n else ''}.csv"
            try:
                os.link(tmp, history)
                break
            except FileExistsError:
                n += 1
    finally:
        tmp.unlink(missing_ok=True)
    if described is not None:
        atomic_write(info_file(history), described)
    return history


_SIREN = re.compile(r"\d{9}")
_DEP = re.compile(r"\d{2,3}|2[AB]")
_REG = re.compile(r"\d{2}")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _clean(column: str, value: object) -> str:
    """An extra column as saved: codes only when they are codes, dates as ISO dates, labels without
    control characters and at most 150 characters (nothing raw from a file reaches the lists)."""
    from ..format import parse_date

    text = "" if value is None or value != value else str(value).strip()
    if column == "siren_epci":
        return text if _SIREN.fullmatch(text) else ""
    if column == "insee_dep":
        return text.upper() if _DEP.fullmatch(text.upper()) else ""
    if column == "insee_reg":
        return text if _REG.fullmatch(text) else ""
    if column == "date_signature":
        day = parse_date(text)
        return day.isoformat() if day else ""
    return _CONTROLS.sub(" ", text)[:150]


def _remove_stale(folder: Path, name: str, age_s: float = 60.0) -> None:
    """Temporary files of an earlier save killed mid-way (older than ``age_s``)."""
    import time

    for path in Path(folder).glob(f".{name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > age_s:
                path.unlink()


def save_selection(
    rows: pd.DataFrame, programme: str, directory: Path, info: ListInfo | None = None, *, writer: object
) -> tuple[Path, Path | None]:
    """Write the kept rows as the programme's list, atomically, with its description; the previous
    list goes to history.

    ``writer``: the right to write the shared lists (:mod:`pvd_geo.auth`), checked here, where the
    lists are written: without it nothing is written (:class:`pvd_geo.auth.WriteDenied`).
    ``rows`` has ``code`` (reference code) and ``nom`` (reference name) plus the file's ANCT columns.
    Returns (file written, history copy or None).
    """
    from ..auth import require

    require(writer)
    target = programme_file(directory, programme)
    out = pd.DataFrame(
        {
            "insee_com": rows["code"].to_numpy(),
            "lib_com": rows["nom"].to_numpy(),
            **{c: [_clean(c, v) for v in rows[c]] if c in rows else "" for c in SAVED_COLUMNS[2:]},
        }
    )
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    payload = buffer.getvalue().encode("utf-8")
    info = info or ListInfo(programme, origine="importée")
    with save_lock(target.parent, programme):  # one save of a programme at a time
        for name in (target.name, info_file(target).name):
            _remove_stale(target.parent, name)
        _remove_partial(target.parent / HISTORY)
        history = _history_copy(target, programme) if target.exists() else None
        fields = {"programme": programme, "enregistree_le": _now(), "empreinte": list_digest(payload)}
        info = ListInfo(**{**info.__dict__, **fields})
        atomic_write(info_file(target), json.dumps(info.to_json(), ensure_ascii=False, indent=1).encode())
        atomic_write(target, payload)
    return target, history


def _remove_partial(history: Path, age_s: float = 600.0) -> None:
    """Partial history copies of a save killed mid-way (``.*.partiel``, older than ``age_s``)."""
    import time

    if not history.is_dir():
        return
    for path in history.glob(".*.partiel"):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > age_s:
                path.unlink()


@contextlib.contextmanager
def save_lock(directory: Path, programme: str):
    """An exclusive lock on a programme's list for the time of a save (``flock`` on a file beside
    the lists: it holds between the processes of one machine — the replicas, the command line,
    ``update``; replicas on several machines must not share a lists folder, see deploy/README)."""
    import fcntl

    path = Path(directory) / f".{programme}.verrou"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def restore_version(directory: Path, programme: str, version: Path, *, writer: object) -> Path:
    """Put a version kept in the programme's history back in use (the current list goes to the
    history). Only a file of this programme's own history is accepted: the path is checked here."""
    from ..auth import require

    require(writer)
    target = programme_file(directory, programme)
    version = Path(version)
    allowed = {p.resolve() for p in history_versions(directory, programme)}
    if version.resolve() not in allowed or version.is_symlink():
        raise InvalidInput(f"version inconnue dans l'historique de « {programme} » : {version.name[:80]}")
    payload = version.read_bytes()
    described = info_file(version).read_bytes() if info_file(version).is_file() else None
    with save_lock(target.parent, programme):
        if target.exists():
            _history_copy(target, programme)
        if described is not None:
            atomic_write(info_file(target), described)
        atomic_write(target, payload)
    return target


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


_VERSION = re.compile(r"-\d{8}-\d{6}-\d{6}(?:-\d+)?\.csv")  # after the programme's name: its stamp


def history_versions(directory: Path, programme: str) -> list[Path]:
    """Previous versions of a programme's list, oldest first: the files named exactly
    ``<programme>-<stamp>.csv`` (not those of a programme whose name starts the same, ``pvd-test``);
    a programme name that is not one (``../../x``) is refused."""
    if not _NAME.fullmatch(programme):
        raise InvalidInput(
            f"nom de programme invalide : {programme[:40]!r} (lettres minuscules, chiffres, - et _)"
        )
    folder = Path(directory) / HISTORY
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(f"{programme}-") and _VERSION.fullmatch(p.name[len(programme) :]) and p.is_file()
    )


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
