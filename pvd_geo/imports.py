"""One import flow for every way a list comes in — ``import-selection`` (CLI), the administrators'
form (page Données) and ``update`` (data.gouv.fr): rows read → joined to the communes → the rows
kept → an empty list refused → a list much shorter than the one in use refused unless confirmed →
its description (coverage declared or inferred, date, source, report) → saved with history."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .constants import MIN_KEPT_SHARE
from .coverage import Coverage, coverage_of_codes
from .errors import InvalidInput, PvdError
from .selection import SelectionResult, join_selection
from .sources.anct import read_selection_csv
from .sources.selections import ListInfo, programme_file, save_selection

INFERRED = object()  # the coverage of a list that does not declare it: from its communes


class ImportRefused(PvdError, ValueError):
    """A list that cannot replace the one in use (French message); nothing was written."""


def current_size(directory: Path, programme: str) -> int:
    """Rows of the programme's list in use (0 if none)."""
    from .atlas import selection_files

    path = selection_files(directory).get(programme)
    return len(read_selection_csv(path)) if path else 0


@dataclass(frozen=True)
class Prepared:
    """A list read and joined, not saved yet: what the report shows and the save needs."""

    programme: str
    result: SelectionResult
    kept: pd.DataFrame
    couverture: Coverage
    current: int  # communes of the list in use (0: none)

    @property
    def shrinks(self) -> bool:
        """Less than :data:`MIN_KEPT_SHARE` of the list in use: saved only when confirmed."""
        return bool(self.current) and len(self.kept) < MIN_KEPT_SHARE * self.current

    def shrink_text(self) -> str:
        return f"{len(self.kept)} communes valides contre {self.current} dans la liste en usage"

    def describe(
        self, *, source: str, origine: str, date: str | None = None, millesime: str = ""
    ) -> ListInfo:
        """The list's description, with the rows of its report worth keeping."""
        return ListInfo(
            self.programme,
            self.couverture,
            date=date,
            millesime=millesime or ("" if date else "date non précisée"),
            source=source,
            origine=origine,
            rapport=self.result.notable_rows(),
        )


def prepare(
    rows: pd.DataFrame,
    programme: str,
    directory: Path,
    communes: pd.DataFrame,
    rattachees: pd.DataFrame,
    couverture: Coverage | object = INFERRED,
) -> Prepared:
    """Join ``rows`` to the communes; refuse a list with no valid row (:class:`ImportRefused`)."""
    programme_file(directory, programme)  # the name is checked before anything else
    result = join_selection(rows, communes, rattachees, programme)
    kept = result.kept_rows()
    if kept.empty:
        raise ImportRefused("aucune ligne valide : rien n'est enregistré")
    cover = coverage_of_codes(kept["code"], communes) if couverture is INFERRED else couverture
    return Prepared(programme, result, kept, cover, current_size(directory, programme))


def save(
    prepared: Prepared, info: ListInfo, directory: Path, *, writer: object, force: bool = False
) -> tuple[Path, Path | None]:
    """Save the kept rows as the list in use (the previous one to history); a shrinking list only
    with ``force`` (the reader confirmed)."""
    if prepared.shrinks and not force:
        raise ImportRefused(f"la liste n'a que {prepared.shrink_text()} : rien n'est enregistré")
    return save_selection(prepared.kept, prepared.programme, directory, info, writer=writer)


def declared_coverage(text: str) -> tuple[str, ...]:
    """The départements of ``--couverture 30,32`` (checked before any file is read)."""
    from .codes import normalise_departement
    from .sources.selections import NATIONAL

    cover = tuple(sorted({normalise_departement(c) for c in text.split(",") if c.strip()}))
    if not cover:  # « ,,, »: a list covering nothing would hide every figure
        raise InvalidInput(
            f"--couverture {text!r} ne nomme aucun département "
            f"(attendu : des codes séparés par des virgules, ex. 30,32, ou « {NATIONAL} »)"
        )
    return cover


def list_date(text: str | None) -> str | None:
    """ISO date of ``--date`` (refused in French when unreadable)."""
    from .format import parse_date

    if not text:
        return None
    date = parse_date(text)
    if date is None:
        raise InvalidInput(f"date de la liste illisible : {text} (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    return date.isoformat()
