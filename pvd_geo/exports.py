"""Data downloads: what a view shows, as CSV (Excel-friendly) and GeoJSON. Pure: frames in, bytes out."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import json

import geopandas as gpd
import pandas as pd
import shapely

from .atlas import Atlas
from .coverage import commune_covered
from .errors import InvalidInput
from .levels import DEPARTEMENT, EPCI, REGION, Level
from .programmes import programme_keys, registry

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = {
    "code": "code_insee",
    "nom": "nom",
    DEPARTEMENT.column: "departement",
    REGION.column: "region",
    "epci": "siren_epci",
    "epci_nom": "nom_epci",
    "population": "population",
    "population_millesime": "millesime_population",
}


def export_columns() -> dict[str, str]:
    """Commune column → export column: the commune's fields, then each registered programme's
    oui/non (``pvd``, ``acv``, ``ort_signee``…), then its date (``date_convention_pvd``…)."""
    entries = registry()
    return (
        EXPORT_COLUMNS
        | {p.key: p.colonne for p in entries}
        | {f"date_{p.key}": p.date_export for p in entries}
    )


YES_NO = {True: "oui", False: "non"}


def territory_communes(atlas: Atlas, territories: list[tuple[str, str]]) -> gpd.GeoDataFrame:
    """Communes of the territories (``("departement", "30")``, ...), with EPCI names, in code order."""
    mask = pd.Series(False, index=atlas.communes.index)
    for level, code in territories:
        mask |= atlas.communes[Level.of(level).column] == code
    com = atlas.communes[mask]
    names = atlas.names("epci")
    com = com.assign(epci_nom=com[EPCI.column].map(names))
    for programme in programme_keys():  # outside its list's coverage a status is unknown: empty
        known = commune_covered(com[DEPARTEMENT.column], atlas.coverage(programme))
        status = com[programme].map(YES_NO).where(known, None)
        com = com.assign(
            **{programme: status, f"date_{programme}": com["code"].map(_iso_dates(atlas, programme))}
        )
    com = com.assign(population=com["population"].round().astype("Int64"))
    exported = export_columns()
    out = com[[*exported, com.geometry.name]].rename(columns=exported)
    return out.sort_values("code_insee").reset_index(drop=True)


def _iso_dates(atlas: Atlas, programme: str) -> dict[str, str]:
    """Code → ISO date a commune joined ``programme`` (its convention, its signed ORT), as its list
    gives it in any of the ANCT's formats; communes without a date are absent."""
    from .format import parse_date

    result = atlas.selections.get(programme)
    if result is None or "date_signature" not in result.rows:
        return {}
    rows = result.rows[["code", "date_signature"]].dropna()
    dates = {code: parse_date(text) for code, text in zip(rows["code"], rows["date_signature"], strict=True)}
    return {code: day.isoformat() for code, day in dates.items() if day is not None}


def territory_stats(atlas: Atlas, territories: list[tuple[str, str]], level: str) -> pd.DataFrame:
    """Figures of the territories of ``level`` having at least one commune in ``territories``."""
    column = Level.of(level).column
    inside = territory_communes(atlas, territories)["code_insee"]
    codes = set(atlas.communes.loc[atlas.communes["code"].isin(inside), column].dropna())
    table = atlas.stats(level)
    return table[table["code"].isin(codes)].reset_index(drop=True)


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame, sep: str = ";") -> bytes:
    """CSV in UTF-8 with BOM (Excel opens accents right), formulas neutralised, geometry dropped."""
    if sep not in (";", ","):
        raise InvalidInput("séparateur attendu : « ; » ou « , »")
    plain = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c.startswith("geometry")]))
    for column in plain.columns:
        if plain[column].dtype == object or pd.api.types.is_string_dtype(plain[column]):
            plain[column] = plain[column].map(neutralise)
    decimal = "," if sep == ";" else "."
    return plain.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n").encode("utf-8-sig")


def to_geojson(frame: gpd.GeoDataFrame, decimals: int = 5) -> bytes:
    """GeoJSON (WGS 84) of a frame's active geometry, coordinates rounded to ``decimals``."""
    geoms = shapely.set_precision(frame.geometry.to_numpy(), 10.0**-decimals)
    props = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c.startswith("geometry")]))
    records = json.loads(props.to_json(orient="records", force_ascii=False))
    features = [
        {"type": "Feature", "properties": rec, "geometry": json.loads(shapely.to_geojson(g)) if g else None}
        for rec, g in zip(records, geoms, strict=True)
    ]
    payload = {"type": "FeatureCollection", "features": features}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
