"""Counts and shares per région, département and EPCI."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from collections.abc import Iterable, Mapping

import pandas as pd

from .constants import level_column
from .coverage import Coverage, commune_covered
from .errors import InvalidInput

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
# Added after the contract's columns (``stats --format csv`` keeps the first ones in order).
EXTRA_COLUMNS = [
    "ort",
    "pvd_avec_ort",
    "part_pvd_avec_ort",
    "couverture_pvd",
    "couverture_acv",
    "couverture_ort",
]
# The columns each programme's list speaks for (missing where the list does not cover).
PROGRAMME_COLUMNS = {
    "pvd": [
        "pvd",
        "population_pvd",
        "part_population_pvd",
        "epci_avec_pvd",
        "pvd_avec_ort",
        "part_pvd_avec_ort",
    ],
    "acv": ["acv"],
    "ort": ["ort", "pvd_avec_ort", "part_pvd_avec_ort"],
}


def flag_communes(communes: pd.DataFrame, selections: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Return a copy of ``communes`` with one boolean column per programme (``pvd``, ``acv``, ...)."""
    if "code" not in communes.columns:
        raise InvalidInput("communes : colonne « code » manquante")
    out = communes.copy()
    for programme, codes in selections.items():
        out[programme] = out["code"].isin(set(codes))
    for programme in ("pvd", "acv", "ort"):
        if programme not in out.columns:
            out[programme] = False
    return out


def aggregate(
    communes: pd.DataFrame,
    level: str,
    names: pd.DataFrame | None = None,
    coverage: Mapping[str, Coverage] | None = None,
) -> pd.DataFrame:
    """Figures of every territory of ``level`` (``region``, ``departement``, ``epci``).

    ``communes`` needs ``code``, ``population``, ``pvd``, ``acv``, ``epci``, ``dep`` and the level's
    column; ``names`` (``code``, ``nom``) names the territories. An EPCI counts all its member
    communes, whatever their département. ``coverage`` gives, per programme, the départements its
    list covers (None: all; absent: all): a territory with a commune outside them gets NA for that
    programme's figures and ``non`` in ``couverture_<programme>``.
    """
    key = level_column(level)
    missing = [c for c in ("code", "population", "pvd", "acv", "epci", key) if c not in communes.columns]
    if missing:
        raise InvalidInput(f"communes : colonnes manquantes {missing}")
    data = communes[communes[key].notna()]
    pop = data["population"].fillna(0)
    ort = data["ort"] if "ort" in data else pd.Series(False, index=data.index)
    coverage = dict(coverage or {})
    frame = pd.DataFrame(
        {
            "key": data[key].to_numpy(),
            "pvd": data["pvd"].to_numpy(dtype=int),
            "acv": data["acv"].to_numpy(dtype=int),
            "ort": ort.to_numpy(dtype=int),
            "pvd_ort": (data["pvd"] & ort).to_numpy(dtype=int),
            "population": pop.to_numpy(),
            "population_pvd": pop.where(data["pvd"], 0).to_numpy(),
            "epci_pvd": data["epci"].where(data["pvd"]).to_numpy(),
            **{
                f"cov_{p}": commune_covered(data["dep"], coverage[p]) if p in coverage else True
                for p in PROGRAMME_COLUMNS
            },
        }
    )
    grouped = frame.groupby("key", sort=True)
    out = pd.DataFrame(
        {
            "pvd": grouped["pvd"].sum().astype("Int64"),
            "acv": grouped["acv"].sum().astype("Int64"),
            "communes": grouped.size(),
            "population": grouped["population"].sum().round().astype("int64"),
            "population_pvd": grouped["population_pvd"].sum().round().astype("Int64"),
            "ort": grouped["ort"].sum().astype("Int64"),
            "pvd_avec_ort": grouped["pvd_ort"].sum().astype("Int64"),
        }
    )
    out["part_population_pvd"] = (
        out["population_pvd"].astype(float) / out["population"].where(out["population"] > 0)
    ).fillna(0.0)
    out["part_pvd_avec_ort"] = out["pvd_avec_ort"].astype(float) / out["pvd"].astype(float).where(
        out["pvd"] > 0
    )
    if level == "epci":
        out["epci_avec_pvd"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        out["epci_avec_pvd"] = grouped["epci_pvd"].nunique().astype("Int64")
    for programme, columns in PROGRAMME_COLUMNS.items():
        covered = grouped[f"cov_{programme}"].min().astype(bool)
        out[f"couverture_{programme}"] = covered.map({True: "oui", False: "non"})
        for column in columns:
            out[column] = out[column].where(covered)
    out = out.rename_axis("code").reset_index()
    lookup = dict(zip(names["code"], names["nom"])) if names is not None else {}
    out["nom"] = [lookup.get(code, "") for code in out["code"]]
    return out[STATS_COLUMNS + EXTRA_COLUMNS]


def total(communes: pd.DataFrame, coverage: Mapping[str, Coverage] | None = None) -> dict:
    """Headline figures over a set of communes (a scope: Gard + Gers, a région, France).

    A programme's figures are None when its list does not cover every commune's département."""
    pop = communes["population"].fillna(0)
    pvd = communes["pvd"]
    ort = communes["ort"] if "ort" in communes else pd.Series(False, index=communes.index)
    population = float(pop.sum())
    out = {
        "pvd": int(pvd.sum()),
        "acv": int(communes["acv"].sum()),
        "ort": int(ort.sum()),
        "pvd_avec_ort": int((pvd & ort).sum()),
        "part_pvd_avec_ort": float((pvd & ort).sum()) / int(pvd.sum()) if pvd.any() else None,
        "communes": len(communes),
        "epci_avec_pvd": int(communes.loc[pvd, "epci"].nunique()),
        "population": int(round(population)),
        "population_pvd": int(round(float(pop[pvd].sum()))),
        "part_population_pvd": float(pop[pvd].sum()) / population if population else 0.0,
    }
    for programme, columns in PROGRAMME_COLUMNS.items():
        if coverage is not None and programme in coverage:
            covered = len(communes) > 0 and bool(commune_covered(communes["dep"], coverage[programme]).all())
        else:
            covered = True
        out[f"couverture_{programme}"] = covered
        if not covered:
            out.update(dict.fromkeys(columns))
    return out
