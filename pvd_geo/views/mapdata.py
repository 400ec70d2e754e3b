"""The data of the web maps (:mod:`pvd_geo.webmap.spec`) of a scope or a level."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split


import pandas as pd

from .. import insets
from ..atlas import Atlas
from ..levels import DEPARTEMENT, REGION, Level
from ..programmes import principal, programme_keys, registry
from ..sources.retablies import enclosing
from ..webmap import spec as webmap
from .scope import main_bounds, national_insets, scope, with_insets


def communes_map_spec(
    atlas: Atlas,
    departements: list[str],
    epci: str | None,
    title: str,
    sources: str,
    *,
    tiles: str | None = None,
    zoom: float | None = None,
    on_request: tuple[str, ...] = (),
    own: dict[str, set[str]] | None = None,
    link: str | None = None,
    focus: str | None = None,
) -> dict:
    """The communes map of a scope (:func:`scope`), as :func:`webmap.communes_spec` describes it;
    ``own``: a reader's own lists (column name → codes), drawn as dashed outlines; ``on_request``:
    the programmes drawn only when the reader asks (ORT) that are asked for; ``tiles``: a
    background of :data:`webmap.TILES` (then no grey background is shipped)."""
    sc = scope(atlas, departements, epci)
    communes = sc.communes.assign(
        **{name: sc.communes["code"].isin(codes).to_numpy() for name, codes in (own or {}).items()}
    )
    spec = webmap.communes_spec(
        communes,
        sc.background if tiles is None else sc.background.iloc[:0],
        epci=sc.epci,
        title=title,
        sources=sources + missing_contours_note(communes),
        population_label=atlas.meta["population"],
        bounds=sc.bounds,
        zoom=zoom,
        programmes=[*atlas.selections, *(own or {})],
        on_request=on_request,
        panels=[(p.name, p.box) for p in sc.panels],
        link=link,
        outline="epci" if epci else "departement",
        focus=focus,
        uncovered=uncovered_programmes(atlas, set(sc.communes[DEPARTEMENT.column])),
    )
    return spec | {"tiles": webmap.TILES.get(tiles or "")}


def missing_contours_note(communes: pd.DataFrame) -> str:
    """`` Non dessinées, faute de contour dans les données : Celles, … (communes rétablies depuis le
    millésime des contours ; le contour de Neussargues-Moissac les englobe).`` for the communes of a
    map that have no geometry, else "": never left out silently."""
    geometry = communes.get("geometry_departement", communes.geometry)
    missing = communes.loc[geometry.isna().to_numpy(), "nom"].sort_values().tolist()
    if not missing:
        return ""
    s = "s" if len(missing) > 1 else ""
    names = communes.set_index("code")["nom"]
    hosts = [str(names[c]) for c in enclosing(communes, geometry)]
    where = (
        f"le contour de {' et de '.join(hosts)} les englobe"
        if hosts
        else "leur territoire est compris dans le contour d'une commune voisine"
    )
    return (
        f" Non dessinée{s}, faute de contour dans les données : {', '.join(missing)} (commune{s} "
        f"rétablie{s} depuis le millésime des contours ; {where})."
    )


def uncovered_programmes(atlas: Atlas, departements: set[str]) -> tuple[str, ...]:
    """The programmes drawn on a communes map besides the principal (ACV, ORT…) whose loaded list
    does not cover all of ``departements``: their entries say « hors de la liste chargée » (PVD is
    refused or shown hatched by the coverage checks of its own)."""
    others = [p.key for p in registry() if not p.principal]
    return tuple(p for p in others if departements and not atlas.covers(p, departements))


def territories_map_spec(
    atlas: Atlas,
    level: str,
    region: str | None,
    title: str,
    sources: str,
    *,
    tiles: str | None = None,
    link: str | None = None,
) -> dict:
    """Régions or départements (of all France, or of one ``region``) shaded by the share of their
    inhabitants living in a PVD, the PVD count as proportional symbols; all France draws the
    overseas in insets and names the metropolitan régions."""
    layer = atlas.layer(level)
    if region:
        layer = layer[layer[REGION.column] == region]
    stats = atlas.stats(level).set_index("code")
    layer = layer.assign(
        **{key: layer["code"].map(stats[key]) for key in programme_keys()},
        part=layer["code"].map(stats[f"part_population_{principal().key}"]),
    )
    # all France: national generalisation; a région's départements: département generalisation
    geometry = "geometry_national" if level == "region" or not region else "geometry_departement"
    found = [] if region else national_insets(atlas)  # France: overseas in insets
    main = main_bounds(layer, geometry)
    if found:
        layer = with_insets(layer, geometry, level, found)
    bounds = tuple(layer[geometry].total_bounds) if found else main
    names = None
    if level == "departement" and not region:  # France by département: the régions named
        regions = atlas.layer("region")
        regions = regions[~regions["code"].isin(set(insets.OVERSEAS_REGIONS))]
        names = regions.set_index("nom")["geometry_national"]
    spec = webmap.territories_spec(
        layer,
        geometry,
        title=title,
        sources=sources,
        level=level,
        level_label=Level.of(level).label,
        bounds=bounds,
        insets=insets.frames(found),
        link=link,
        names=names,
    )
    if found:  # on a tall map (a phone) the insets go in a row below metropolitan France
        spec["main"] = [round(float(v), 4) for v in main]
    return spec | {"tiles": webmap.TILES.get(tiles or "")}
