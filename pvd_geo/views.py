"""View models for the pages: plain data, ready to render, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .atlas import Atlas
from .stats import total

DISPLAY_COLUMNS = {
    "code": "Code",
    "nom": "Nom",
    "pvd": "Communes PVD",
    "acv": "Communes ACV",
    "communes": "Communes",
    "population": "Population",
    "population_pvd": "Population des PVD",
    "part_population_pvd": "Part de la population en PVD (%)",
    "epci_avec_pvd": "EPCI avec PVD",
}


@dataclass(frozen=True)
class Overview:
    """Headline figures and the per-département table of a scope."""

    totals: dict
    table: pd.DataFrame


def display_table(stats: pd.DataFrame) -> pd.DataFrame:
    """A stats table with French headers and the share in percent."""
    out = stats.assign(part_population_pvd=(stats["part_population_pvd"] * 100).round(1))
    return out.rename(columns=DISPLAY_COLUMNS)


def overview(atlas: Atlas, departements: list[str]) -> Overview:
    """Figures of the communes of ``departements`` and one row per département."""
    communes = atlas.communes[atlas.communes["dep"].isin(departements)]
    stats = atlas.stats("departement")
    stats = stats[stats["code"].isin(departements)]
    return Overview(totals=total(communes), table=display_table(stats))
