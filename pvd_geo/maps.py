"""Folium shells of the web maps: Leaflet and the atlas's map script loaded from the atlas's own
files, and one element that hands :mod:`pvd_geo.webmap`'s description to ``atlasmap.js``."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import contextlib
import html
import math
import threading

import folium
import geopandas as gpd
from branca.element import MacroElement, Template
from folium.template import Template as FoliumTemplate

from . import webmap
from .mapcache import MapAssets
from .webmap import COLOURS, DECIMALS, EXTRA_COLOURS, LEGEND, ORT_COLOUR, UNCOVERED  # noqa: F401


def text(value: object) -> str:
    """Data shown as HTML outside the map script (the static site's pages, tables): ``& < > " '``
    escaped, and ``{ }`` too (a name never opens a template tag)."""
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


_DRAW = Template(
    """
{% macro script(this, kwargs) %}
pvdAtlas.draw({{ this._parent.get_name() }}, {{ this.spec }});
{% endmacro %}
"""
)


class AtlasLayers(MacroElement):
    """Everything drawn on the map (``atlasmap.js``), from one JSON description (``webmap``)."""

    _template = _DRAW  # a class attribute: instances are deep-copied, templates must not be

    def __init__(self, spec: dict):
        super().__init__()
        self.spec = webmap.dumps(spec)


def common_zoom(bounds: list[tuple[float, float, float, float]], width_px: int, height_px: int) -> float:
    """One Web-Mercator zoom at which every bounding box fits in ``width_px`` × ``height_px``."""
    zooms = []
    for minx, miny, maxx, maxy in bounds:
        mx = [math.radians(x) for x in (minx, maxx)]
        my = [math.log(math.tan(math.pi / 4 + math.radians(y) / 2)) for y in (miny, maxy)]
        span = max((mx[1] - mx[0]) / width_px, (my[1] - my[0]) / height_px) or 1e-9
        zooms.append(math.log2(2 * math.pi / (256 * span)))
    return math.floor(min(zooms) * 4) / 4 - 0.25  # a quarter-step margin around the widest


_COMPACT = {"sort_keys": True, "separators": (",", ":")}
_RENDERING = threading.Lock()


@contextlib.contextmanager
def compact_json():
    """While one of our maps renders: jinja's ``tojson`` without spaces (``[4.1,43.9]``, a tenth of
    the map's weight). folium's and branca's templates share jinja environments whose policy this
    is: it is set for the render only and put back afterwards, renders taking turns (a lock), so
    no other template of the process ever sees it."""
    environments = {Template("").environment, FoliumTemplate("").environment}
    with _RENDERING:
        saved = [(env, env.policies["json.dumps_kwargs"]) for env in environments]
        try:
            for env, _ in saved:
                env.policies["json.dumps_kwargs"] = _COMPACT
            yield
        finally:
            for env, value in saved:
                env.policies["json.dumps_kwargs"] = value


def render(fmap) -> str:
    """The map's whole HTML page, compact (:func:`compact_json`)."""
    with compact_json():
        return fmap.get_root().render()


def base_map(
    bounds: tuple[float, float, float, float],
    assets: MapAssets,
    tiles: str | None = None,
    zoom: float | None = None,
):
    """An empty Leaflet map loading Leaflet from ``assets`` only: fitted to ``bounds``, or centred
    on them at a fixed ``zoom`` (same scale for maps side by side)."""
    minx, miny, maxx, maxy = bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=zoom or 8,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    fmap.default_js = [(f"js{i}", url) for i, url in enumerate(assets.js)]
    fmap.default_css = [(f"css{i}", url) for i, url in enumerate(assets.css)]
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", attr="© contributeurs OpenStreetMap").add_to(fmap)
    elif tiles == "ign":
        folium.TileLayer(
            "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
            "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
            attr="© IGN Plan",
        ).add_to(fmap)
    return fmap  # atlasmap.js frames it, leaving room for the legend and the sources


def communes_map(
    communes: gpd.GeoDataFrame,
    epci: gpd.GeoDataFrame,
    departements: gpd.GeoDataFrame,
    background: gpd.GeoDataFrame,
    assets: MapAssets,
    *,
    tiles: str | None = None,
    zoom: float | None = None,
    **options,
) -> folium.Map:
    """The communes map of a scope (:func:`webmap.communes_spec`: ``title``, ``sources``,
    ``population_label``, ``bounds``, ``programmes``, ``ort``, ``panels``); ``epci`` gives the EPCIs
    with a PVD (shaded), ``departements`` is not shipped: outlines come from shared borders."""
    del departements
    spec = webmap.communes_spec(
        communes, background if tiles is None else background.iloc[:0], epci=epci, zoom=zoom, **options
    )
    fmap = base_map(tuple(communes["geometry_departement"].total_bounds), assets, tiles, zoom)
    AtlasLayers(spec).add_to(fmap)
    return fmap


def territories_map(
    territories: gpd.GeoDataFrame,
    geometry: str,
    pvd_points: gpd.GeoDataFrame,
    assets: MapAssets,
    *,
    tiles: str | None = None,
    **options,
) -> folium.Map:
    """Régions or départements shaded by PVD count (:func:`webmap.territories_spec`)."""
    spec = webmap.territories_spec(territories, geometry, pvd_points, **options)
    fmap = base_map(tuple(territories[geometry].total_bounds), assets, tiles)
    AtlasLayers(spec).add_to(fmap)
    return fmap


def spec_of(page: str) -> dict:
    """The description a rendered map hands to ``atlasmap.js`` (tests and benchmarks read it)."""
    import json
    import re

    found = re.search(r"pvdAtlas\.draw\([\w]+, (\{.*\})\);", page)
    if not found:
        raise ValueError("pas de carte de l'atlas dans cette page")
    return json.loads(found.group(1))
