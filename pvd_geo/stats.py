"""Counts and shares per région, département and EPCI."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from collections.abc import Iterable, Mapping

import pandas as pd

from .coverage import Coverage, commune_covered
from .errors import InvalidInput
from .levels import AGGREGATED, DEPARTEMENT, EPCI, Level
from .programmes import principal, programme_keys, registry

# The ``stats`` contract: these columns first, in this order (``stats --format csv``); the columns
# of programmes added to the registry since come at the end (:func:`columns`).
STATS_COLUMNS = [
    "code",
    "nom",
    "pvd",
    "acv",
    "communes",
    "population",
    "population_pvd",
    "part_population_pvd",
    "epci_avec_pvd",
]
EXTRA_COLUMNS = [
    "ort",
    "pvd_avec_ort",
    "part_pvd_avec_ort",
    "couverture_pvd",
    "couverture_acv",
    "couverture_ort",
]


def programme_columns() -> dict[str, list[str]]:
    """The columns each programme's list speaks for (missing where the list does not cover): its
    count; for the principal programme its population, share and EPCI; for a crossed programme
    (ORT) the principal's communes also in it, and their share."""
    main = principal().key
    out = {p.key: [p.key] for p in registry()}
    out[main] += [f"population_{main}", f"part_population_{main}", f"epci_avec_{main}"]
    for p in registry():
        if p.croise:
            cross = [f"{main}_avec_{p.key}", f"part_{main}_avec_{p.key}"]
            out[p.key] += cross
            out[main] += cross
    return out


def share_columns() -> list[str]:
    """The columns that are ratios (shown in %)."""
    main = principal().key
    return [f"part_population_{main}"] + [f"part_{main}_avec_{p.key}" for p in registry() if p.croise]


def columns(vintage: bool = False) -> list[str]:
    """Every column of a stats table: the contract's, then (``vintage``: the population's vintage,
    as ``stats`` prints it) those of programmes added to the registry since, in its order."""
    contract = STATS_COLUMNS + EXTRA_COLUMNS
    added = []
    for key, cols in programme_columns().items():
        added += [c for c in [*cols, f"couverture_{key}"] if c not in contract and c not in added]
    return contract + (["millesime_population"] if vintage else []) + added


def flag_communes(communes: pd.DataFrame, selections: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Return a copy of ``communes`` with one boolean column per programme (``pvd``, ``acv``, ...)."""
    if "code" not in communes.columns:
        raise InvalidInput("communes : colonne « code » manquante")
    out = communes.copy()
    for programme, codes in selections.items():
        out[programme] = out["code"].isin(set(codes))
    for programme in programme_keys():
        if programme not in out.columns:
            out[programme] = False
    return out


def _flag(data: pd.DataFrame, programme: str) -> pd.Series:
    if programme in data:
        return data[programme].fillna(False).astype(bool)
    return pd.Series(False, index=data.index)


def aggregate(
    communes: pd.DataFrame,
    level: str,
    names: pd.DataFrame | None = None,
    coverage: Mapping[str, Coverage] | None = None,
) -> pd.DataFrame:
    """Figures of every territory of ``level`` (``region``, ``departement``, ``epci``).

    ``communes`` needs ``code``, ``population``, ``epci``, ``dep``, the level's column and one boolean
    column per registered programme (absent: none); ``names`` (``code``, ``nom``) names the
    territories. An EPCI counts all its member communes, whatever their département. ``coverage``
    gives, per programme, the départements its list covers (None: all; absent: all): a territory with
    a commune outside them gets NA for that programme's figures and ``non`` in
    ``couverture_<programme>``.
    """
    if Level.of(level) not in AGGREGATED:
        raise InvalidInput(
            f"niveau inconnu pour les chiffres : {level!r} (attendu : région, département, EPCI)"
        )
    key = Level.of(level).column
    main = principal().key
    missing = [c for c in ("code", "population", "epci", key) if c not in communes.columns]
    if missing:
        raise InvalidInput(f"communes : colonnes manquantes {missing}")
    data = communes[communes[key].notna()]
    pop = data["population"].fillna(0)
    flags = {p: _flag(data, p) for p in programme_keys()}
    crossed = [p.key for p in registry() if p.croise]
    coverage = dict(coverage or {})
    per_programme = programme_columns()
    frame = pd.DataFrame(
        {
            "key": data[key].to_numpy(),
            "population": pop.to_numpy(),
            "population_main": pop.where(flags[main], 0).to_numpy(),
            "epci_main": data[EPCI.column].where(flags[main]).to_numpy(),
            **{f"n_{p}": flag.to_numpy(dtype=int) for p, flag in flags.items()},
            **{f"x_{p}": (flags[main] & flags[p]).to_numpy(dtype=int) for p in crossed},
            **{
                f"cov_{p}": commune_covered(data[DEPARTEMENT.column], coverage[p]) if p in coverage else True
                for p in per_programme
            },
        }
    )
    grouped = frame.groupby("key", sort=True)
    out = pd.DataFrame(
        {
            **{p: grouped[f"n_{p}"].sum().astype("Int64") for p in flags},
            "communes": grouped.size(),
            "population": grouped["population"].sum().round().astype("int64"),
            f"population_{main}": grouped["population_main"].sum().round().astype("Int64"),
        }
    )
    out[f"part_population_{main}"] = (
        out[f"population_{main}"].astype(float) / out["population"].where(out["population"] > 0)
    ).fillna(0.0)
    for p in crossed:
        out[f"{main}_avec_{p}"] = grouped[f"x_{p}"].sum().astype("Int64")
        out[f"part_{main}_avec_{p}"] = out[f"{main}_avec_{p}"].astype(float) / out[main].astype(float).where(
            out[main] > 0
        )
    if level == "epci":
        out[f"epci_avec_{main}"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        out[f"epci_avec_{main}"] = grouped["epci_main"].nunique().astype("Int64")
    for programme, cols in per_programme.items():
        covered = grouped[f"cov_{programme}"].min().astype(bool)
        out[f"couverture_{programme}"] = covered.map({True: "oui", False: "non"})
        for column in cols:
            out[column] = out[column].where(covered)
    out = out.rename_axis("code").reset_index()
    lookup = dict(zip(names["code"], names["nom"])) if names is not None else {}
    out["nom"] = [lookup.get(code, "") for code in out["code"]]
    return out[columns()]


def total(communes: pd.DataFrame, coverage: Mapping[str, Coverage] | None = None) -> dict:
    """Headline figures over a set of communes (a scope: Gard + Gers, a région, France).

    A programme's figures are None when its list does not cover every commune's département."""
    main = principal().key
    pop = communes["population"].fillna(0)
    flags = {p: _flag(communes, p) for p in programme_keys()}
    first = flags[main]
    population = float(pop.sum())
    out = {p: int(flag.sum()) for p, flag in flags.items()}
    out.update(
        {
            "communes": len(communes),
            f"epci_avec_{main}": int(communes.loc[first, EPCI.column].nunique()),
            "population": int(round(population)),
            f"population_{main}": int(round(float(pop[first].sum()))),
            f"part_population_{main}": float(pop[first].sum()) / population if population else 0.0,
        }
    )
    for p in (p.key for p in registry() if p.croise):
        both = int((first & flags[p]).sum())
        out[f"{main}_avec_{p}"] = both
        out[f"part_{main}_avec_{p}"] = both / int(first.sum()) if first.any() else None
    for programme, cols in programme_columns().items():
        if coverage is not None and programme in coverage:
            covered = len(communes) > 0 and bool(
                commune_covered(communes[DEPARTEMENT.column], coverage[programme]).all()
            )
        else:
            covered = True
        out[f"couverture_{programme}"] = covered
        if not covered:
            out.update(dict.fromkeys(cols))
    return out


def headers(short: bool = False) -> dict[str, str]:
    """French headers of the stats columns: ``short`` for the CLI's text table (« pop. PVD »),
    else for the pages' tables (« Population des PVD »)."""
    key, main = principal().key, principal().court
    if short:
        out = {
            "code": "code",
            "nom": "nom",
            "communes": "communes",
            "population": "population",
            f"population_{key}": f"pop. {main}",
            f"part_population_{key}": f"part pop. {main}",
            f"epci_avec_{key}": f"EPCI avec {main}",
        }
        return out | {p.key: p.court for p in registry()}
    out = {
        "code": "Code",
        "nom": "Nom",
        "communes": "Communes",
        "population": "Population",
        f"population_{key}": f"Population des {main}",
        f"part_population_{key}": f"Part de la population en {main} (%)",
        f"epci_avec_{key}": f"EPCI avec {main}",
    }
    for p in registry():
        out[p.key] = f"Communes {p.communes}"
        out[f"couverture_{p.key}"] = f"Liste {p.court} couvre"
        if p.croise:
            out[f"{key}_avec_{p.key}"] = f"{main} {p.communes}"
            out[f"part_{key}_avec_{p.key}"] = f"Part des {main} {p.communes} (%)"
    return out


def with_population_vintage(communes: pd.DataFrame, table: pd.DataFrame, level: str) -> pd.DataFrame:
    """``millesime_population``, the last column of ``stats``: the year of the populations summed
    for each territory (``2017/2026`` when its communes come from two vintages)."""

    vintages = (
        communes.groupby(Level.of(level).column)["population_millesime"]
        .agg(lambda years: "/".join(sorted(set(years.dropna().astype(str)))))
        .rename("millesime_population")
    )
    return table.assign(millesime_population=table["code"].map(vintages).fillna(""))


def stats_csv(table: pd.DataFrame) -> str:
    """The ``stats`` CSV contract: fixed columns (new ones only at the end), shares as ratios, an
    empty cell where a figure is unknown (the list does not cover the territory); a name a
    spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is neutralised, as in every export."""
    from .exports import neutralise

    if "millesime_population" not in table:
        table = table.assign(millesime_population="")
    out = table[columns(vintage=True)].copy()
    for column in share_columns():
        out[column] = out[column].round(6)
    for column in ("nom",):
        out[column] = out[column].map(neutralise)
    return out.to_csv(index=False, lineterminator="\n")
