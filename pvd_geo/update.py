"""Update a selection list from its official source: download, validate, then replace atomically.

Any failure (network, HTTP error, truncated file, HTML instead of CSV, wrong columns, a list that
lost most of its rows) raises :class:`UpdateRefused` and leaves the list in use untouched.
An official list is national: it covers every département. Its date is its publication date when
known — the upload date in the file's name (``liste-pvd-com2025-20260427.csv``), else the date the
official API gives its resource — and otherwise none: the list then says « téléchargée le … ». A
server's file time (``Last-Modified``, a mirror's copy date) is never presented as the list's.
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import imports
from .errors import PvdError
from .selection import MERGED, REJECTED, RESOLVED, SelectionResult
from .sources.anct import SelectionFileError, read_selection_bytes
from .sources.download import DownloadError, fetch
from .sources.selections import ListInfo, programme_file


class UpdateRefused(PvdError, RuntimeError):
    """The update did not happen; the current list is unchanged (message in French)."""


@dataclass(frozen=True)
class UpdateResult:
    result: SelectionResult
    written: Path
    history: Path | None
    source: str
    info: ListInfo | None = None


def csv_resource(payload: bytes) -> tuple[str, str] | None:
    """From a data.gouv.fr dataset JSON, the URL of its newest CSV resource and the date the API
    gives it (ISO, or ""); None if the payload is not JSON."""
    if not payload.lstrip().startswith(b"{"):
        return None
    try:
        dataset = json.loads(payload)
    except ValueError as exc:
        raise UpdateRefused(f"réponse JSON illisible : {exc}") from exc
    resources = [r for r in dataset.get("resources", []) if str(r.get("format", "")).lower() == "csv"]
    if not resources:
        raise UpdateRefused("le jeu de données ne contient aucune ressource CSV")
    newest = max(resources, key=lambda r: str(r.get("last_modified", "")))
    return str(newest["url"]), _iso_day(newest.get("last_modified") or newest.get("created_at"))


def _iso_day(value: object) -> str:
    """``2026-04-27`` from the API's ``2026-04-27T10:02:11.000+00:00`` (or "" if not a date)."""
    text = str(value or "")[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


_STAMP = re.compile(r"(20\d{2})(\d{2})(\d{2})(?!\d)")


def list_date(url: str, published: str = "") -> str | None:
    """ISO publication date of a downloaded list: the upload date in its file name, else the date
    the official API gives the resource (``published``), else None (never a server's file time)."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    for match in _STAMP.finditer(name):
        try:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            continue
    return _iso_day(published) or None


def outcome(result: SelectionResult) -> str:
    """``1646 communes`` plus what was resolved, merged or rejected, in a few words."""
    parts = [
        f"{result.count(s)} {label}"
        for s, label in ((RESOLVED, "résolues"), (MERGED, "regroupées"), (REJECTED, "rejetées"))
        if result.count(s)
    ]
    return f"{len(result.codes)} communes" + (f" ({', '.join(parts)})" if parts else "")


def fetch_rows(
    url: str, progress: Callable[[int, int | None], None] | None = None, timeout: float = 30.0
) -> tuple[pd.DataFrame, str, str | None]:
    """Rows of the official list (following a dataset JSON to its CSV), the final URL, its date;
    ``timeout`` bounds both downloads together (the file gets what the dataset page left)."""
    import time

    end = time.monotonic() + timeout
    try:
        got = fetch(url, timeout=timeout, progress=progress)
        resource, published = csv_resource(got.payload) or (None, "")
        if resource:
            left = end - time.monotonic()
            if left <= 0.05:
                raise DownloadError(f"téléchargement trop long : plus de {timeout:.0f} s pour {url}")
            got = fetch(resource, timeout=left, progress=progress)
        return read_selection_bytes(got.payload), got.url, list_date(got.url, published)
    except (DownloadError, SelectionFileError) as exc:
        raise UpdateRefused(str(exc)) from exc


def update_selection(
    programme: str,
    url: str,
    directory: Path,
    communes: pd.DataFrame,
    rattachees: pd.DataFrame,
    progress=None,
    timeout: float = 30.0,
    *,
    writer: object,
) -> UpdateResult:
    """Download, validate against the communes, check it did not shrink, then save with history.

    ``writer``: the operator's or an administrator's right (:mod:`pvd_geo.auth`), checked before
    anything is downloaded."""
    from .auth import require

    require(writer)
    programme_file(directory, programme)
    rows, source, date = fetch_rows(url, progress, timeout)
    try:  # an official list speaks for the whole country
        prepared = imports.prepare(rows, programme, directory, communes, rattachees, couverture=None)
    except imports.ImportRefused as exc:
        raise UpdateRefused("aucune ligne valide dans la liste téléchargée") from exc
    if prepared.shrinks:
        raise UpdateRefused(f"la liste téléchargée n'a que {prepared.shrink_text()} : mise à jour refusée")
    millesime = "" if date else f"téléchargée le {dt.date.today():%d/%m/%Y}"
    info = prepared.describe(source=source, origine="officielle", date=date, millesime=millesime)
    written, history = imports.save(prepared, info, directory, writer=writer)
    return UpdateResult(prepared.result, written, history, source, info)


def setup_lists(directory: Path, built: dict, *, writer: object) -> tuple[list[str], dict[str, list[str]]]:
    """Every official list fetched with a short time limit (``make run``): what was downloaded
    (« PVD 1646 communes du 27/04/2026 »), and the programmes that were not, by reason (the
    lists in use stay)."""
    from .constants import SETUP_TIMEOUT
    from .format import fr_short_date
    from .programmes import online

    done: list[str] = []
    failed: dict[str, list[str]] = {}
    for entry in online():
        try:
            got = update_selection(
                entry.key,
                entry.official_url(),
                directory,
                built["communes"],
                built["rattachees"],
                timeout=SETUP_TIMEOUT,
                writer=writer,
            )
        except (UpdateRefused, ValueError) as exc:
            reason = str(exc).split(" : http")[0][:160]  # the address is in the README, not needed here
            if "PVD_ALLOW_LOCAL" in str(exc) and "PVD_ALLOW_LOCAL" not in reason:
                reason += " ; miroir local : PVD_ALLOW_LOCAL=1"
            failed.setdefault(reason, []).append(entry.court)
            continue
        date = fr_short_date(got.info.date) if got.info else None
        done.append(f"{entry.court} {outcome(got.result)}" + (f" du {date}" if date else ""))
    return done, failed
