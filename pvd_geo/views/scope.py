"""The scope of a view (its « périmètre » in French): its départements, communes, EPCI,
background, panels and bounds."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from .. import insets
from ..atlas import Atlas
from ..constants import SIMPLIFY_TOLERANCE
from ..levels import DEPARTEMENT, EPCI, REGION, Level
from ..programmes import principal


def departements_of(atlas: Atlas, territories: list[tuple[str, str]]) -> list[str]:
    """Départements of the communes of some territories (``("region", "76")``, ...); ``("france",
    "")`` is every département."""
    deps: set[str] = set()
    for level, code in territories:
        if level == "france":
            return sorted(atlas.departements["code"])
        deps |= set(atlas.communes.loc[atlas.communes[Level.of(level).column] == code, DEPARTEMENT.column])
    return sorted(deps)


def covered_part(atlas: Atlas, departements: list[str], programme: str | None = None) -> list[str]:
    """The départements of a scope that the programme's list covers (the principal one by default)."""
    cover = atlas.coverage(programme or principal().key)
    return [d for d in departements if cover is None or d in set(cover)]


def scope_name(atlas: Atlas, departements: list[str]) -> str:
    """``Gard et Gers``; a whole région by its name; all départements: ``France``."""
    if len(departements) == len(atlas.departements):
        return "France"
    regions = atlas.departements.groupby(REGION.column)["code"].apply(sorted)
    for reg, codes in regions.items():
        if codes == sorted(departements) and len(codes) > 1:
            return str(atlas.regions.set_index("code").loc[reg, "nom"])
    names = atlas.departements.set_index("code").loc[departements, "nom"].tolist()
    if len(names) > 3:
        return f"{len(names)} départements"
    return " et ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def counts(atlas: Atlas, level: str, departements: list[str]) -> pd.DataFrame:
    """Stats of ``level`` for the territories touching ``departements``, most PVD first."""
    inside = atlas.communes[atlas.communes[DEPARTEMENT.column].isin(departements)]
    column = Level.of(level).column
    table = atlas.stats(level)
    table = table[table["code"].isin(set(inside[column].dropna()))]
    main = principal().key
    return table.sort_values([main, f"population_{main}"], ascending=False, na_position="last").reset_index(
        drop=True
    )


@dataclass(frozen=True)
class Scope:
    """What a communes map draws: communes, their EPCIs, départements and the grey background."""

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    background: gpd.GeoDataFrame
    bounds: tuple[float, float, float, float]
    panels: list[insets.Panel] = field(default_factory=list)  # distant groups side by side


def scope_panels(atlas: Atlas, departements: list[str]) -> list[insets.Panel]:
    """Panels of a scope of départements lying in distant groups (the Gard and the Gers); none
    for neighbours. A click on such a map sends the code of what was clicked: nothing to map back."""
    if len(departements) < 2:
        return []
    com = atlas.communes[atlas.communes[DEPARTEMENT.column].isin(departements).to_numpy()]
    bounds = {
        str(dep): tuple(float(v) for v in part["geometry_departement"].total_bounds)
        for dep, part in com.groupby(DEPARTEMENT.column)
    }
    names = atlas.names("departement").to_dict()
    return insets.make_panels(bounds, names)


def _moved(gdf: gpd.GeoDataFrame, deps: list[str], panels: list[insets.Panel]) -> gpd.GeoDataFrame:
    by_dep = {code: p for p in panels for code in p.codes}
    geoms = gdf["geometry_departement"].to_numpy().copy()
    for k, dep in enumerate(deps):
        panel = by_dep.get(dep)
        if panel is not None and geoms[k] is not None:
            geoms[k] = shapely.transform(geoms[k], panel.forward)
    return gdf.assign(geometry_departement=gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def scope(atlas: Atlas, departements: list[str] | None = None, epci: str | None = None) -> Scope:
    """Layers for the communes of some départements, or of one EPCI (all its members)."""
    com = atlas.communes
    mask = com[EPCI.column] == epci if epci else com[DEPARTEMENT.column].isin(departements or [])
    communes = com[mask.to_numpy()]
    epci_pvd = atlas.communes.groupby(EPCI.column)[principal().key].sum()  # PVD of the list in each EPCI
    names = atlas.names("epci")
    communes = communes.assign(epci_nom=communes[EPCI.column].map(names))
    epcis = atlas.epci[atlas.epci["code"].isin(set(communes[EPCI.column].dropna()))]
    epcis = epcis.assign(pvd=epcis["code"].map(epci_pvd).fillna(0).astype(int))
    deps = atlas.departements[atlas.departements["code"].isin(set(communes[DEPARTEMENT.column]))]
    minx, miny, maxx, maxy = communes["geometry_departement"].total_bounds
    pad = 0.05 * max(maxx - minx, maxy - miny)
    frame = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    dep_all = atlas.departements
    background = dep_all[dep_all["geometry_national"].intersects(frame)]
    background = background.assign(geometry_departement=background["geometry_national"])
    tolerance = 2 * pixel_size((minx, miny, maxx, maxy))  # a vertex every other pixel at most
    background = _coarser(background, max(2 * tolerance, 2 * SIMPLIFY_TOLERANCE["national"]))
    panels = [] if epci else scope_panels(atlas, list(departements or []))
    if panels:  # distant groups side by side: each panel shows its own surroundings
        tolerance = 2 * pixel_size(_union([p.box for p in panels]))
        pieces = []
        for panel in panels:
            box = shapely.box(*panel.frame)
            near = dep_all[dep_all["geometry_national"].intersects(box)]
            clipped = shapely.intersection(near["geometry_national"].to_numpy(), box)
            pieces.append(
                near.assign(geometry_departement=gpd.GeoSeries(clipped, index=near.index, crs=near.crs))
                .pipe(_coarser, max(2 * tolerance, 2 * SIMPLIFY_TOLERANCE["national"]))
                .pipe(_moved, [panel.codes[0]] * len(near), [panel])
            )
        background = pd.concat(pieces)
    if tolerance > SIMPLIFY_TOLERANCE["departement"]:  # a wide scope: one vertex per pixel at most
        communes, epcis, deps = (_coarser(g, tolerance) for g in (communes, epcis, deps))
    if panels:
        communes = _moved(communes, communes[DEPARTEMENT.column].astype(str).tolist(), panels)
        deps = _moved(deps, deps["code"].astype(str).tolist(), panels)
        return Scope(communes, epcis, deps, background, _union([p.box for p in panels]), panels)
    return Scope(communes, epcis, deps, background, (minx, miny, maxx, maxy))


def _union(boxes: list[tuple]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def scope_bounds(atlas: Atlas, departements: list[str] | None = None, epci: str | None = None) -> tuple:
    """The bounds of :func:`scope` without its layers (e.g. the zoom shared by compared maps)."""
    panels = [] if epci else scope_panels(atlas, list(departements or []))
    if panels:
        return _union([p.box for p in panels])
    com = atlas.communes
    mask = com[EPCI.column] == epci if epci else com[DEPARTEMENT.column].isin(departements or [])
    return tuple(com.loc[mask.to_numpy(), "geometry_departement"].total_bounds)


def pixel_size(
    bounds: tuple[float, float, float, float], width_px: int = 1100, height_px: int = 620
) -> float:
    """Degrees per screen pixel when ``bounds`` fill a map of that size."""
    minx, miny, maxx, maxy = bounds
    return max((maxx - minx) / width_px, (maxy - miny) / height_px)


def _coarser(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    geoms = gdf["geometry_departement"].to_numpy()
    present = ~shapely.is_missing(geoms)
    out = geoms.copy()
    out[present] = shapely.coverage_simplify(geoms[present], tolerance)
    return gdf.assign(geometry_departement=gpd.GeoSeries(out, index=gdf.index, crs=gdf.crs))


def comparison_scope(atlas: Atlas, level: str, code: str) -> tuple[list[str], str | None]:
    """(départements, EPCI) arguments of :func:`scope` for a région, département or EPCI."""
    if level == "epci":
        return [], code
    if level == "region":
        return sorted(atlas.departements.loc[atlas.departements[REGION.column] == code, "code"]), None
    return [code], None


def main_bounds(layer: gpd.GeoDataFrame, geometry: str) -> tuple[float, float, float, float]:
    """Bounds of metropolitan France when the layer has it (overseas lie outside the frame).

    Overseas are the départements 97x and, in the régions layer (no ``reg`` column), the régions
    01–06: the départements 01–06 (Ain … Alpes-Maritimes) are metropolitan."""
    code = layer["code"].astype(str)
    overseas = code.str.startswith("97")
    if REGION.column not in layer.columns:
        overseas |= code.isin(list(insets.OVERSEAS_REGIONS))
    shown = layer[~overseas] if (~overseas).any() else layer
    return tuple(shown[geometry].total_bounds)


def national_insets(atlas: Atlas) -> list[insets.Inset]:
    """The insets of the overseas départements for national maps (from their real bounds)."""
    deps = atlas.departements.set_index("code")["geometry_national"]
    return insets.make_insets({c: tuple(deps[c].bounds) for c in insets.OVERSEAS if c in deps.index})


def with_insets(
    layer: gpd.GeoDataFrame, geometry: str, level: str, found: list[insets.Inset]
) -> gpd.GeoDataFrame:
    """A layer of ``level`` whose overseas territories are moved into their insets (national maps)."""
    moved = insets.move(layer[geometry].to_numpy(), layer["code"].astype(str).tolist(), level, found)
    return layer.assign(**{geometry: gpd.GeoSeries(moved, index=layer.index, crs=layer.crs)})
