"""Folium maps: layers, styles, escaped tooltips, legend and sources — served without any CDN."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import contextlib
import html
import json
import math
import threading

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement, Template
from folium.template import Template as FoliumTemplate

from .format import fr_int
from .mapcache import MapAssets

# Okabe–Ito based palette (readable by colour-blind users); PVD and ACV also differ by shape.
COLOURS = {
    "pvd": "#D55E00",
    "acv": "#0072B2",
    "epci_pvd": "#F7D9BF",
    "commune": "#9A9A9A",
    "fond": "#ECECEC",
    "epci": "#4D4D4D",
    "departement": "#1A1A1A",
}
# Other named selections: dashed outlines in these colours (Okabe–Ito), one per programme.
ORT_COLOUR = "#1a1a1a"  # the ORT overlay: a dark dotted outline (shape, not colour, tells it)
EXTRA_COLOURS = ["#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]
LEGEND = [
    ("pvd", "Commune sélectionnée (Petites villes de demain)", "square"),
    ("acv", "Commune Action cœur de ville", "circle"),
    ("epci_pvd", "EPCI contenant au moins une Petite ville de demain", "square"),
]
LABEL_MIN_ZOOM = 8.5
DECIMALS = 3  # ≈ 100 m: below a pixel at département zoom


def _round(geoms: np.ndarray, decimals: int = DECIMALS) -> np.ndarray:
    """Snap to a 10^-decimals grid; parts that collapse (tiny islands) are dropped."""
    return shapely.set_precision(geoms, 10.0**-decimals)


def feature_collection(
    gdf: gpd.GeoDataFrame, geometry: str, properties: dict[str, list], decimals: int = DECIMALS
) -> dict:
    """A compact GeoJSON FeatureCollection: rounded coordinates, only the given properties."""
    geoms = _round(gdf[geometry].to_numpy(), decimals)
    shapes = [json.loads(s) for s in shapely.to_geojson(geoms)]
    keys = list(properties)
    features = [
        {"type": "Feature", "properties": {k: properties[k][i] for k in keys}, "geometry": shape}
        for i, shape in enumerate(shapes)
    ]
    return {"type": "FeatureCollection", "features": features}


def text(value: object) -> str:
    """Data shown through ``innerHTML`` (tooltips, labels, legend): ``& < > " '`` escaped, so a
    name is text; and ``{ }`` too, because branca renders each element's script a second time as
    a Jinja template: ``{{ 7*7 }}`` in a name would be evaluated on the server."""
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


def commune_tooltip(row, population_label: str) -> str:
    """Tooltip of a commune, one fact a line (CSS ``white-space: pre``; the first line is bold)."""
    status = [p for p, flag in (("PVD", row.pvd), ("ACV", row.acv)) if flag] or ["hors programme"]
    epci = text(row.epci_nom) if isinstance(row.epci_nom, str) else "sans EPCI"
    return (
        f"{text(row.nom)} ({text(row.code)})\n"
        f"{fr_int(row.population)} hab. ({text(row.population_millesime)})\n"
        f"{epci}\n{', '.join(status)}"
    )


def _layer(data: dict, name: str, style: dict, tooltip: bool = False, interactive: bool = True):
    return folium.GeoJson(
        data,
        name=name,
        style_function=lambda _f, s=style: s,
        highlight_function=(lambda _f: {"weight": 3, "color": "#000000"}) if interactive else None,
        tooltip=folium.GeoJsonTooltip(fields=["t"], labels=False, sticky=True) if tooltip else None,
        interactive=interactive,
        control=False,
        zoom_on_click=False,
        embed=True,
    )


_CONTROL = Template(
    """
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var ctl = L.control({position: {{ this.position|tojson }}});
  ctl.onAdd = function() {
    var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
    div.innerHTML = {{ this.html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  ctl.addTo(map);
})();
{% endmacro %}
"""
)


class HtmlControl(MacroElement):
    """A fixed Leaflet control holding trusted HTML (legend, sources)."""

    _template = _CONTROL  # a class attribute: instances are deep-copied, templates must not be

    def __init__(self, html_text: str, position: str, css_class: str):
        super().__init__()
        self.html, self.position, self.css_class = html_text, position, css_class


_TOOLS = Template(
    """
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var ctl = L.control({position: "topleft"});
  ctl.onAdd = function() {
    var bar = L.DomUtil.create("div", "leaflet-bar pvd-tools");
    function button(text, label, action) {
      var a = L.DomUtil.create("a", "", bar);
      a.href = "#"; a.innerHTML = text; a.title = label; a.setAttribute("role", "button");
      a.setAttribute("aria-label", label);
      L.DomEvent.on(a, "click", function(e) { L.DomEvent.preventDefault(e); action(); });
    }
    var icon = function(d) {
      return '<svg width="16" height="16" viewBox="0 0 16 16" style="vertical-align:middle"'
        + ' aria-hidden="true"><path d="' + d + '" fill="none" stroke="#222" stroke-width="1.8"/></svg>';
    };
    button(icon("M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4"), "Plein écran", function() {
      var el = map.getContainer();
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (el.requestFullscreen) { el.requestFullscreen().then(function() { map.invalidateSize(); }); }
    });
    button(icon("M4 6V1h8v5M4 12H1V6h14v6h-3M4 9h8v6H4z"), "Imprimer la carte",
           function() { window.print(); });
    L.DomEvent.disableClickPropagation(bar);
    return bar;
  };
  ctl.addTo(map);
})();
{% endmacro %}
"""
)


class MapTools(MacroElement):
    """Full-screen and print buttons (no external plugin: works offline)."""

    _template = _TOOLS


_LABELS = Template(
    """
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var labels = L.layerGroup();
  {{ this.points|tojson }}.forEach(function(p) {
    var icon = L.divIcon({className: 'pvd-label', html: p[2], iconSize: null, iconAnchor: [-6, 8]});
    L.marker([p[0], p[1]], {icon: icon, interactive: false, keyboard: false}).addTo(labels);
  });
  var threshold = {{ this.min_zoom }};
  {% if this.at_fit %}threshold = Math.min(threshold, map.getZoom() - 0.01);{% endif %}
  function toggle() {
    if (map.getZoom() >= threshold) { labels.addTo(map); } else { labels.remove(); }
  }
  map.on('zoomend', toggle);
  toggle();
})();
{% endmacro %}
"""
)


class Labels(MacroElement):
    """Names of PVD communes, shown from ``min_zoom`` (département zoom) on; names are escaped.

    ``at_fit``: the map shows one département or less, so the names are shown at the zoom the map
    opened with too, whatever the screen size (a narrow map fits a département below ``min_zoom``).
    """

    _template = _LABELS

    def __init__(
        self,
        points: list[tuple[float, float, str]],
        min_zoom: float = LABEL_MIN_ZOOM,
        at_fit: bool = False,
    ):
        super().__init__()
        self.at_fit = at_fit
        self.points = [[round(y, 4), round(x, 4), text(name)] for x, y, name in points]
        self.min_zoom = min_zoom


_CSS = (
    "<style>.pvd-legend,.pvd-sources{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;"
    "font:12px/1.35 sans-serif;color:#222;box-shadow:0 0 3px rgba(0,0,0,.3)}"
    ".pvd-legend i{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-2px;"
    "border:1px solid #333}.pvd-legend i.circle{border-radius:50%}"
    ".pvd-sources{font-size:10px;max-width:420px}"
    ".foliumtooltip td{white-space:pre;font:13px/1.4 sans-serif}"
    ".foliumtooltip td::first-line{font-weight:700}"
    ".leaflet-tooltip.pvd-inset{font:600 10px sans-serif;color:#444;background:none;border:0;box-shadow:none;"
    "padding:0}.leaflet-tooltip.pvd-inset:before{display:none}"
    ".pvd-label{font:600 11px sans-serif;color:#222;white-space:nowrap;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}</style>"
)


def legend_html(title: str, programmes: list[str] | None = None, ort: bool = False) -> str:
    items = "".join(
        f'<div><i class="{shape}" style="background:{COLOURS[key]}"></i>{text(label)}</div>'
        for key, label, shape in LEGEND
    )
    if ort:
        items += (
            f'<div><i style="background:none;border:2px dotted {ORT_COLOUR}"></i>'
            "ORT signée (contour pointillé)</div>"
        )
    items += "".join(
        f'<div><i style="background:none;border:2px dashed {colour}"></i>Programme « {text(name)} »</div>'
        for colour, name in zip(EXTRA_COLOURS, programmes or [], strict=False)
    )
    return f"{_CSS}<b>{text(title)}</b>{items}"


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
    fmap.default_js = [("leaflet", assets.leaflet_js)]
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", attr="© contributeurs OpenStreetMap").add_to(fmap)
    elif tiles == "ign":
        folium.TileLayer(
            "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
            "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
            attr="© IGN Plan",
        ).add_to(fmap)
    if zoom is None:  # room above and below for the legend and the sources box
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=(8, 40), padding_bottom_right=(8, 64))
    return fmap


def _sources_control(fmap, sources: str) -> None:
    HtmlControl(text(sources), "bottomright", "pvd-sources").add_to(fmap)


def communes_map(
    communes: gpd.GeoDataFrame,
    epci: gpd.GeoDataFrame,
    departements: gpd.GeoDataFrame,
    background: gpd.GeoDataFrame,
    assets: MapAssets,
    *,
    title: str,
    sources: str,
    population_label: str,
    tiles: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    zoom: float | None = None,
    programmes: list[str] | None = None,
    ort: bool = False,
) -> folium.Map:
    """Commune polygons of a scope with PVD/ACV styles, EPCI shading and outlines, labels, legend.

    ``ort``: communes with a signed ORT outlined with a dotted line (an overlay, off by default).

    ``programmes``: other named lists (boolean columns of ``communes``), drawn as coloured dashed
    outlines, each with its own colour and legend entry.

    ``communes`` needs the display geometry ``geometry_departement`` and ``code, nom, pvd, acv,
    population, population_millesime, epci_nom``; ``epci`` (with ``pvd``) and ``departements``
    are drawn as outlines; ``background`` (départements) is filled in light grey when no tiles.
    """
    fmap = base_map(bounds or tuple(communes["geometry_departement"].total_bounds), assets, tiles, zoom)
    geom = "geometry_departement"
    if tiles is None and len(background):
        _layer(
            feature_collection(background, geom, {}),
            "fond",
            {"fillColor": COLOURS["fond"], "fillOpacity": 1, "color": "#FFFFFF", "weight": 1},
            interactive=False,
        ).add_to(fmap)
    shaded = epci[epci["pvd"] > 0]
    if len(shaded):
        _layer(
            feature_collection(shaded, geom, {}),
            "EPCI avec PVD",
            {"fillColor": COLOURS["epci_pvd"], "fillOpacity": 1, "stroke": False},
            interactive=False,
        ).add_to(fmap)
    tips = [commune_tooltip(r, population_label) for r in communes.itertuples(index=False)]
    for key, mask, fill, opacity in (
        ("autres", ~(communes["pvd"] | communes["acv"]), "#FFFFFF", 0.0),
        ("acv", communes["acv"] & ~communes["pvd"], COLOURS["acv"], 0.85),
        ("pvd", communes["pvd"], COLOURS["pvd"], 0.9),
    ):
        part = communes[mask.to_numpy()]
        if not len(part):
            continue
        props = {"t": [tips[i] for i in np.flatnonzero(mask.to_numpy())], "c": part["code"].tolist()}
        style = {"fillColor": fill, "fillOpacity": opacity, "color": COLOURS["commune"], "weight": 0.6}
        _layer(feature_collection(part, geom, props), key, style, tooltip=True).add_to(fmap)
    if ort and "ort" in communes.columns:
        part = communes[communes["ort"].to_numpy(dtype=bool)]
        if len(part):  # outline and hatching: ORT is told apart without colour
            _layer(
                feature_collection(part, geom, {}),
                "ORT signée",
                {"fill": False, "color": ORT_COLOUR, "weight": 2.4, "dashArray": "2 3"},
                interactive=False,
            ).add_to(fmap)
    extra = [p for p in (programmes or []) if p in communes.columns and p not in ("pvd", "acv", "ort")]
    for colour, name in zip(EXTRA_COLOURS, extra, strict=False):
        part = communes[communes[name].to_numpy(dtype=bool)]
        if len(part):
            _layer(
                feature_collection(part, geom, {}),
                name,
                {"fill": False, "color": colour, "weight": 3, "dashArray": "6 4"},
                interactive=False,
            ).add_to(fmap)
    _layer(
        feature_collection(epci, geom, {}),
        "contours EPCI",
        {"fill": False, "color": COLOURS["epci"], "weight": 1.6},
        interactive=False,
    ).add_to(fmap)
    _layer(
        feature_collection(departements, geom, {}),
        "contours départements",
        {"fill": False, "color": COLOURS["departement"], "weight": 2.6},
        interactive=False,
    ).add_to(fmap)
    for row in communes[communes["acv"]].itertuples(index=False):
        point = row.geometry_departement.representative_point()
        folium.CircleMarker(
            [point.y, point.x],
            radius=5,
            color="#FFFFFF",
            weight=1.5,
            fill=True,
            fill_color=COLOURS["acv"],
            fill_opacity=1,
            interactive=False,
        ).add_to(fmap)
    pvd = communes[communes["pvd"]]
    points = [(p.x, p.y, n) for p, n in zip(pvd[geom].representative_point(), pvd["nom"])]
    Labels(points, at_fit=zoom is None and communes["dep"].nunique() <= 1).add_to(fmap)
    HtmlControl(legend_html(title, extra, ort=ort), "topright", "pvd-legend").add_to(fmap)
    _sources_control(fmap, sources)
    MapTools().add_to(fmap)
    return fmap


UNCOVERED = "#eeeeee"  # territories the loaded list does not speak for


def _count_colour(value: int, top: int) -> str:
    ramp = ["#FFFFFF", "#FDE5D2", "#F9C49E", "#F09A62", "#E0702F", "#C24E0C"]
    if value <= 0 or top <= 0:
        return ramp[0]
    return ramp[min(len(ramp) - 1, 1 + int((len(ramp) - 2) * value / top))]


def territories_map(
    territories: gpd.GeoDataFrame,
    geometry: str,
    pvd_points: gpd.GeoDataFrame,
    assets: MapAssets,
    *,
    title: str,
    sources: str,
    level_label: str,
    tiles: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    insets: list | None = None,
) -> folium.Map:
    """Territories (régions or départements) shaded by PVD count, PVD communes as points.

    ``insets``: (name, box) of the overseas départements drawn in insets: a frame and a name each."""
    fmap = base_map(bounds or tuple(territories[geometry].total_bounds), assets, tiles)
    known = territories["pvd"].notna().to_numpy()  # NA: the loaded list does not cover it
    top = int(territories.loc[known, "pvd"].max()) if known.any() else 0
    groups: dict[str, list[int]] = {}
    for i, value in enumerate(territories["pvd"]):
        groups.setdefault(_count_colour(int(value), top) if known[i] else UNCOVERED, []).append(i)
    for colour, idx in groups.items():
        part = territories.iloc[idx]
        tips = [
            f"<b>{text(str(r.nom))}</b> ({text(str(r.code))})<br>{level_label}<br>"
            + (
                f"Communes PVD : {fr_int(r.pvd)}<br>Communes ACV : {fr_int(r.acv)}"
                if colour != UNCOVERED
                else "Hors de la liste chargée : nombre inconnu"
            )
            for r in part.itertuples(index=False)
        ]
        style = {"fillColor": colour, "fillOpacity": 0.95, "color": "#444444", "weight": 1}
        if colour == UNCOVERED:  # not a zero: a dashed outline on a pale grey
            style = {**style, "fillOpacity": 0.6, "dashArray": "3 3", "color": "#9a9a9a"}
        _layer(
            feature_collection(part, geometry, {"t": tips, "c": part["code"].tolist()}),
            "territoires",
            style,
            tooltip=True,
        ).add_to(fmap)
    for name, box in insets or []:
        minx, miny, maxx, maxy = box.bounds
        folium.Rectangle(
            [[miny, minx], [maxy, maxx]], color="#777777", weight=1, fill=False, interactive=False
        ).add_to(fmap)
        folium.CircleMarker(  # the name above the box's corner, as a permanent tooltip (no icon to load)
            [maxy, minx],
            radius=0,
            opacity=0,
            interactive=False,
            tooltip=folium.Tooltip(
                text(name), permanent=True, direction="right", offset=(-4, -7), class_name="pvd-inset"
            ),
        ).add_to(fmap)
    if len(pvd_points):  # one GeoJSON layer of points: a few dozen bytes a commune
        folium.GeoJson(
            feature_collection(pvd_points, pvd_points.geometry.name, {}),
            marker=folium.CircleMarker(
                radius=2.5 if not insets else 1.8, weight=0, fill=True, fill_color="#5A1E00", fill_opacity=0.9
            ),
            interactive=False,
            control=False,
        ).add_to(fmap)
    legend = (
        f"{_CSS}<b>{text(title)}</b><div>Couleur : nombre de communes PVD par "
        f"{text(level_label)} (max. {top})</div>"
        '<div><i class="circle" style="background:#5A1E00"></i>Commune PVD</div>'
        + ("<div>Outre-mer en cartouches (échelles différentes)</div>" if insets else "")
        + (
            f'<div><i style="background:{UNCOVERED};border:1px dashed #9a9a9a"></i>'
            "Hors de la liste chargée (inconnu)</div>"
            if not known.all()
            else ""
        )
    )
    HtmlControl(legend, "topright", "pvd-legend").add_to(fmap)
    _sources_control(fmap, sources)
    MapTools().add_to(fmap)
    return fmap
