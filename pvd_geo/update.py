"""Update a selection list from its official source: download, validate, then replace atomically.

Any failure (network, HTTP error, truncated file, HTML instead of CSV, wrong columns, a list that
lost most of its rows) raises :class:`UpdateRefused` and leaves the list in use untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .constants import MIN_KEPT_SHARE
from .selection import KEPT, RESOLVED, SelectionResult, join_selection
from .sources.anct import SelectionFileError, read_selection_bytes, read_selection_csv
from .sources.download import DownloadError, download
from .sources.selections import programme_file, save_selection


class UpdateRefused(RuntimeError):
    """The update did not happen; the current list is unchanged (message in French)."""


@dataclass(frozen=True)
class UpdateResult:
    result: SelectionResult
    written: Path
    history: Path | None
    source: str


def csv_resource(payload: bytes) -> str | None:
    """From a data.gouv.fr dataset JSON, the URL of its newest CSV resource (None if not JSON)."""
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
    return str(newest["url"])


def fetch_rows(
    url: str, progress: Callable[[int, int | None], None] | None = None
) -> tuple[pd.DataFrame, str]:
    """Rows of the official list (following a dataset JSON to its CSV) and the final URL."""
    try:
        payload = download(url, progress=progress)
        resource = csv_resource(payload)
        if resource:
            url, payload = resource, download(resource, progress=progress)
        return read_selection_bytes(payload), url
    except (DownloadError, SelectionFileError) as exc:
        raise UpdateRefused(str(exc)) from exc


def update_selection(
    programme: str, url: str, directory: Path, communes: pd.DataFrame, rattachees: pd.DataFrame, progress=None
) -> UpdateResult:
    """Download, validate against the communes, check it did not shrink, then save with history."""
    target = programme_file(directory, programme)
    rows, source = fetch_rows(url, progress)
    result = join_selection(rows, communes, rattachees, programme)
    ok = result.report["statut"].isin([KEPT, RESOLVED]).to_numpy()
    if not ok.any():
        raise UpdateRefused("aucune ligne valide dans la liste téléchargée")
    if target.exists():
        current = len(read_selection_csv(target))
        if current and ok.sum() < MIN_KEPT_SHARE * current:
            raise UpdateRefused(
                f"la liste téléchargée n'a que {int(ok.sum())} communes valides contre {current} "
                f"dans la liste en usage : mise à jour refusée"
            )
    kept = result.rows[ok].assign(
        code=result.report.loc[ok, "code"].to_numpy(), nom=result.report.loc[ok, "nom"].to_numpy()
    )
    written, history = save_selection(kept, programme, directory)
    return UpdateResult(result, written, history, source)
