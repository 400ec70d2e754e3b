"""Counts and shares per région, département and EPCI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .constants import LEVEL_COLUMN

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


def flag_communes(communes: pd.DataFrame, selections: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Return a copy of ``communes`` with one boolean column per programme (``pvd``, ``acv``, ...)."""
    if "code" not in communes.columns:
        raise ValueError("communes : colonne « code » manquante")
    out = communes.copy()
    for programme, codes in selections.items():
        out[programme] = out["code"].isin(set(codes))
    for programme in ("pvd", "acv"):
        if programme not in out.columns:
            out[programme] = False
    return out


def aggregate(communes: pd.DataFrame, level: str, names: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures of every territory of ``level`` (``region``, ``departement``, ``epci``).

    ``communes`` needs ``code``, ``population``, ``pvd``, ``acv``, ``epci`` and the level's column;
    ``names`` (``code``, ``nom``) names the territories. An EPCI counts all its member communes,
    whatever their département.
    """
    if level not in LEVEL_COLUMN:
        raise ValueError(f"niveau inconnu : {level} (attendu : {', '.join(LEVEL_COLUMN)})")
    key = LEVEL_COLUMN[level]
    missing = [c for c in ("code", "population", "pvd", "acv", "epci", key) if c not in communes.columns]
    if missing:
        raise ValueError(f"communes : colonnes manquantes {missing}")
    data = communes[communes[key].notna()]
    pop = data["population"].fillna(0)
    frame = pd.DataFrame(
        {
            "key": data[key].to_numpy(),
            "pvd": data["pvd"].to_numpy(dtype=int),
            "acv": data["acv"].to_numpy(dtype=int),
            "population": pop.to_numpy(),
            "population_pvd": pop.where(data["pvd"], 0).to_numpy(),
            "epci_pvd": data["epci"].where(data["pvd"]).to_numpy(),
        }
    )
    grouped = frame.groupby("key", sort=True)
    out = pd.DataFrame(
        {
            "pvd": grouped["pvd"].sum(),
            "acv": grouped["acv"].sum(),
            "communes": grouped.size(),
            "population": grouped["population"].sum().round().astype("int64"),
            "population_pvd": grouped["population_pvd"].sum().round().astype("int64"),
        }
    )
    out["part_population_pvd"] = (
        out["population_pvd"] / out["population"].where(out["population"] > 0)
    ).fillna(0.0)
    if level == "epci":
        out["epci_avec_pvd"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        out["epci_avec_pvd"] = grouped["epci_pvd"].nunique().astype("Int64")
    out = out.rename_axis("code").reset_index()
    lookup = dict(zip(names["code"], names["nom"])) if names is not None else {}
    out["nom"] = [lookup.get(code, "") for code in out["code"]]
    return out[STATS_COLUMNS]


def total(communes: pd.DataFrame) -> dict[str, float]:
    """Headline figures over a set of communes (a scope: Gard + Gers, a région, France)."""
    pop = communes["population"].fillna(0)
    pvd = communes["pvd"]
    population = float(pop.sum())
    return {
        "pvd": int(pvd.sum()),
        "acv": int(communes["acv"].sum()),
        "communes": len(communes),
        "epci_avec_pvd": int(communes.loc[pvd, "epci"].nunique()),
        "population": int(round(population)),
        "population_pvd": int(round(float(pop[pvd].sum()))),
        "part_population_pvd": float(pop[pvd].sum()) / population if population else 0.0,
    }
