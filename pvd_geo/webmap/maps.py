"""A web map of the atlas as a ``folium.Map`` with the atlas's plugins: shown by ``st_folium`` in
the dashboard, rendered to files for the static site.

A map's data are prepared once (:func:`prepare`: one JSON value per plugin) and kept in the map
store; making the ``folium.Map`` from them is cheap (no geometry work, templates with one value).
"""

from __future__ import annotations

import json

import folium
from branca.element import Element

from .plugins import Assets, CompactLayer, Gestures, Labels, LegendSources, Panels, Recentre
from .plugins.base import LEAFLET_CSS, LEAFLET_JS, dumps
from .plugins.gestures import HINTS

# which keys of a map description (spec.py) each plugin receives
PARTS = {
    "panels": ("panels", "main"),
    "layer": (
        "kind",
        "topo",
        "rows",
        "epci",
        "epciPvd",
        "population",
        "colours",
        "extras",
        "statuses",
        "counted",
        "ort",
        "focus",
        "outline",
        "link",
        "linkable",
        "level",
        "levelKey",
        "symbols",
        "symbolColour",
        "names",
    ),
    "controls": ("legend", "sources"),
    "recentre": ("fit", "zoom"),
}


def prepare(spec: dict) -> dict[str, str]:
    """The JSON text of each plugin's data (and the map's own settings) of a map description."""
    parts = {name: {k: spec[k] for k in keys if k in spec} for name, keys in PARTS.items()}
    parts["panels"]["restack"] = spec.get("kind") == "communes"
    labels = spec.get("labels") or {"min": 99, "atFit": False}
    parts["labels"] = {"min": labels["min"], "atOpening": labels["atFit"]}
    parts["map"] = {"tiles": spec.get("tiles"), "centre": _centre(spec["fit"])}
    return {name: dumps(value) for name, value in parts.items()}


def _centre(fit: list[list[float]]) -> list[float]:
    (south, west), (north, east) = fit
    return [round((south + north) / 2, 4), round((west + east) / 2, 4)]


def atlas_map(
    parts: dict[str, str],
    assets: Assets,
    *,
    open_legend: bool = False,
    open_legend_only: bool = False,
    label_scale: float = 1.0,
    name: str = "atlas",
) -> folium.Map:
    """A ``folium.Map`` drawing prepared ``parts``: every file from ``assets`` (folium's CDN
    defaults replaced), no background unless the map has tiles (an opt-in of the reader).
    ``open_legend``: legend and sources open on a small map too (an embed); ``open_legend_only``:
    the legend alone (a projector); ``label_scale``: names and controls that much larger."""
    settings = json.loads(parts["map"])
    tiles = settings.get("tiles")
    fmap = folium.Map(
        location=settings["centre"],
        zoom_start=6,
        tiles=tiles[0] if tiles else None,
        attr=tiles[1] if tiles else None,
        zoom_snap=0.25,
        attribution_control=bool(tiles),
    )
    fmap._id = name
    fmap.default_js = [assets.js("leaflet", assets.vendor_url(LEAFLET_JS))]
    fmap.default_css = [assets.css_link("leaflet", assets.vendor_url(LEAFLET_CSS))]
    options = {
        "controls": {"open": open_legend, "legend": open_legend_only, "scale": label_scale},
        "labels": {"scale": label_scale},
    }
    for plugin, key in PLUGINS:
        if key:
            plugin(parts[key], assets, dumps(options.get(key, {}))).add_to(fmap)
        else:
            plugin(dumps(HINTS), assets).add_to(fmap)
    return fmap


# the plugins in the order they are added to a map, with the part of the prepared data each
# receives: the view is set before the layers are drawn (drawn once, at their final zoom)
PLUGINS = (
    (Panels, "panels"),
    (LegendSources, "controls"),
    (Recentre, "recentre"),
    (CompactLayer, "layer"),
    (Labels, "labels"),
    (Gestures, ""),
)


def load_order() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every script and stylesheet a map loads, in its loading order, each once:
    ("vendor" | "own", path) — what :func:`pvd_geo.assets.sync_own` concatenates into the bundle."""
    js: dict[tuple[str, str], None] = {("vendor", LEAFLET_JS): None}
    css: dict[tuple[str, str], None] = {("vendor", LEAFLET_CSS): None}
    for plugin, _ in PLUGINS:
        scripts, sheets = plugin.files()
        js.update(dict.fromkeys(scripts))
        css.update(dict.fromkeys(sheets))
    return list(js), list(css)


def links(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets of a map and its plugins, in loading order, each once."""
    js: dict[str, None] = {}
    css: dict[str, None] = {}

    def walk(element) -> None:
        for _, url in getattr(element, "default_js", []):
            js.setdefault(url)
        for _, url in getattr(element, "default_css", []):
            css.setdefault(url)
        for child in element._children.values():
            walk(child)

    walk(fmap)
    return list(js), list(css)


def site_script(fmap: folium.Map) -> str:
    """folium's rendered script of a map (to be written to a file beside its page: the site's
    policy allows no inline script); the page gives the map's element the id ``map_<name>``."""
    figure = fmap.get_root()
    figure.render()
    return (
        "\n".join(
            child.render() for child in figure.script._children.values() if isinstance(child, Element)
        ).strip()
        + "\n"
    )
