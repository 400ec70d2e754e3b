"""Tables and the lists in use: French headers, list summaries, conventions over time, the
versions of a list and their changes, a reader's own counts."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass

import pandas as pd

from .. import credits
from ..atlas import Atlas
from ..coverage import coverage_label
from ..levels import DEPARTEMENT, Level
from ..programmes import get, principal
from ..stats import headers, share_columns


def display_table(stats: pd.DataFrame) -> pd.DataFrame:
    """A stats table with French headers and the share in percent. A table of EPCI has no
    « EPCI avec au moins une PVD » column: it has no meaning for an EPCI (« – » would read as
    « unknown », and « – » only ever means that)."""
    epci_column = f"epci_avec_{principal().key}"
    if epci_column in stats and len(stats) and stats["code"].astype(str).str.fullmatch(r"\d{9}").all():
        stats = stats.drop(columns=epci_column)
    out = stats.assign(**{c: (stats[c] * 100).round(1) for c in share_columns() if c in stats})
    return out.rename(columns=headers())


def lists_json(atlas: Atlas) -> dict[str, dict]:
    """Each list in use as plain data for :mod:`pvd_geo.credits` (with its coverage in words)."""
    names = dict(zip(atlas.departements["code"], atlas.departements["nom"], strict=True))
    return {
        programme: {**info.to_json(), "couverture_nom": coverage_label(info.couverture, names)}
        for programme, info in atlas.descriptions.items()
    }


def lists_summary(atlas: Atlas) -> list[str]:
    """One line per list in use: what it is, what it covers."""
    out = []
    for programme, info in lists_json(atlas).items():
        label = credits.list_label(programme, info)
        out.append(f"{get(programme).nom} : {label}, couverture {info['couverture_nom']}")
    return out


def conventions(atlas: Atlas, departements: list[str], freq: str = "Q") -> pd.DataFrame | None:
    """PVD conventions signed per period in a scope (None when the PVD list does not cover it)."""
    from ..timeline import conventions_by_period

    main = principal().key
    if not atlas.covers(main, departements) or main not in atlas.selections:
        return None
    rows = atlas.selections[main].kept_rows()
    deps = atlas.communes.set_index("code")[DEPARTEMENT.column]
    inside = rows[rows["code"].map(deps).isin(set(departements))]
    return conventions_by_period(inside[["code", "date_signature"]], freq)


@dataclass(frozen=True)
class ListVersion:
    """One version of a programme's list: in use, kept in the history, or the embedded default."""

    label: str
    path: object  # pathlib.Path
    # the départements it covers: None for a national list; a list without a description (as the
    # lists before descriptions were) covers what its communes show (coverage_of_codes)
    couverture: tuple[str, ...] | None = None


def list_versions(programme: str, lists_dir, embedded_dir, coverage_of=None) -> list[ListVersion]:
    """The versions of a programme's list that can be compared, newest first. A version without a
    description covers what ``coverage_of(path)`` says (:func:`inferred_coverage`: the départements
    its communes show), never « France entière » by default; without ``coverage_of``, national."""
    from pathlib import Path

    from ..format import fr_short_date
    from ..sources.selections import history_versions, read_info

    def version(what: str, path) -> ListVersion:
        info = read_info(path)
        if info is not None:
            cover = None if info.couverture is None else tuple(info.couverture)
        elif coverage_of is not None:
            cover = coverage_of(path)
        else:
            cover = None
        return ListVersion(f"{what} ({_version_date(info, fr_short_date)})", path, cover)

    out = []
    current = Path(lists_dir) / f"{programme}.csv"
    if current.is_file():
        out.append(version("en usage", current))
    for path in reversed(history_versions(lists_dir, programme)):
        stamp = path.stem.split("-", 1)[1][:15]
        out.append(
            version(f"remplacée le {stamp[6:8]}/{stamp[4:6]}/{stamp[:4]} {stamp[9:11]}:{stamp[11:13]}", path)
        )
    embedded = Path(embedded_dir) / f"{programme}.csv"
    if embedded.is_file():
        out.append(version("embarquée", embedded))
    return out


def inferred_coverage(atlas: Atlas, path):
    """Coverage of a list version without description: the départements its communes show, by the
    one rule of :func:`~pvd_geo.coverage.coverage_of_codes` (a join of the list: ≈ 0.17 s for a
    national one; the dashboard caches it per file)."""
    from ..coverage import coverage_of_codes

    return coverage_of_codes(version_codes(atlas, path), atlas.communes)


def _version_date(info, short) -> str:
    if info is None:
        return "date inconnue"
    return f"liste du {short(info.date)}" if info.date else info.millesime or "date inconnue"


def version_codes(atlas: Atlas, path) -> list[str]:
    """Current commune codes of a list file (merged communes resolved)."""
    from ..selection import join_selection
    from ..sources.anct import read_selection_csv

    return join_selection(read_selection_csv(path), atlas.communes, atlas.rattachees).codes


CHANGE_HEADERS = {
    "code": "Code INSEE",
    "nom": "Commune",
    "departement": "Département",
    "changement": "Changement",
}


def list_changes(atlas: Atlas, old, new, departements: list[str] | None = None) -> pd.DataFrame:
    """Communes added and removed between two list files, optionally within some départements."""
    from ..timeline import compare_lists

    com = atlas.communes.set_index("code")
    table = compare_lists(version_codes(atlas, old), version_codes(atlas, new), com["nom"])
    table.insert(2, "departement", table["code"].map(com[DEPARTEMENT.column]).fillna(""))
    if departements is not None:
        table = table[table["departement"].isin(set(departements))].reset_index(drop=True)
    return table


def own_counts(atlas: Atlas, table: pd.DataFrame, level: str, own: tuple, label) -> pd.DataFrame:
    """``table`` (stats of ``level``) with a count column per own list ((name, codes), ...): NA for a
    territory outside the départements the list covers (inferred as for an import)."""
    from ..coverage import commune_covered, coverage_of_codes

    com = atlas.communes
    key = Level.of(level).column
    out = table.copy()
    for name, codes in own:
        mine = com["code"].isin(set(codes))
        cover = coverage_of_codes(com.loc[mine, "code"], com)
        covered = (
            pd.Series(commune_covered(com[DEPARTEMENT.column], cover), index=com.index)
            .groupby(com[key])
            .min()
        )
        counts = mine.groupby(com[key]).sum().astype("Int64").where(covered)
        out[label(name)] = out["code"].map(counts)
    return out
