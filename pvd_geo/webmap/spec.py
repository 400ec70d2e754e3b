"""What a web map draws: the data of each of the atlas's folium plugins (:mod:`.plugins`), built
from the atlas's layers.

Geometry as quantized TopoJSON (:mod:`pvd_geo.topo`), one short record per feature (code, name,
population, EPCI, status bits), legend, sources and framing. The browser builds tooltips, labels
and outlines from it — names go in as text (``textContent``), never as HTML. EPCI and département
outlines are not shipped: the browser derives them from the communes' shared borders.
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import topo
from ..levels import DEPARTEMENT, EPCI
from ..programmes import OTHER_COLOURS, Programme, get, principal, programme_keys, registry

DECIMALS = 3  # ≈ 100 m: below a pixel at département zoom
# Okabe–Ito based palette (readable by colour-blind users): the programmes' colours come from the
# registry (:mod:`pvd_geo.programmes`), these are the map's furniture; programmes also differ by
# shape (fill, ring, dotted or dashed outline).
FURNITURE = {
    "epci_pvd": "#F7D9BF",
    "commune": "#9A9A9A",
    "fond": "#ECECEC",
    "epci": "#4D4D4D",
    "departement": "#1A1A1A",
}
EXTRA_COLOURS = list(OTHER_COLOURS)  # the lists without a registry entry, in turn


def colours() -> dict[str, str]:
    """Each registered programme's colour by its key, and the furniture's."""
    return {p.key: p.couleur for p in registry()} | FURNITURE


def styled(style: str) -> Programme | None:
    """The registered programme drawn with ``style`` (``aplat``, ``cercle``), if any."""
    return next((p for p in registry() if p.style == style), None)


LABEL_MIN_ZOOM = 8.5
# Optional backgrounds (online only; none by default: the atlas works offline)
TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© contributeurs OpenStreetMap"),
    "ign": (
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
        "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "© IGN Plan",
    ),
}
# status bits of a commune (``s``): the filled programme (PVD), the ringed one (ACV), the dotted
# outlines (ORT, on request), then each dashed outline (other programmes and lists)
PVD, ACV, ORT = 1, 2, 4
STYLE_BIT = {"aplat": PVD, "cercle": ACV}
EXTRA_BIT = 8  # the first other list; the next ones 16, 32…


def _round(geoms: np.ndarray, decimals: int = DECIMALS) -> np.ndarray:
    return shapely.set_precision(np.asarray(geoms, dtype=object), 10.0**-decimals)


OUTSIDE_LIST = " — hors de la liste chargée ici : non montrées"


def drawn(lists: list[str], on_request: tuple[str, ...] = ()) -> list[tuple[Programme, int]]:
    """(programme, status bit) of what a communes map draws: the filled and ringed programmes
    always; a dotted one (ORT) when the reader asks for it (``on_request``) and its list is loaded;
    a dashed one when its list is loaded; then every other list of ``lists`` (a reader's own, a list
    with no registry entry) as a dashed outline of its own colour."""
    out, extra, dotted = [], 0, False
    for p in registry():
        if p.style in STYLE_BIT:
            out.append((p, STYLE_BIT[p.style]))
        elif p.key not in lists or (p.sur_demande and p.key not in on_request):
            continue
        elif p.style == "pointille" and not dotted:  # one dotted overlay; a second one is dashed
            out.append((p, ORT))
            dotted = True
        else:
            out.append((p, EXTRA_BIT << extra))
            extra += 1
    others = [name for name in lists if name not in programme_keys()]
    for k, name in enumerate(others):
        out.append((get(name, others), EXTRA_BIT << (extra + k)))
    return out


def legend(title: str, programmes: list[tuple[Programme, int]], uncovered=()) -> dict:
    """The legend of a communes map: one entry per programme drawn (fill colour or outline, shape,
    label), and the EPCI shading; a programme in ``uncovered`` (its list does not cover the map's
    départements) says so in its entry."""
    main = principal()
    items = []
    for p, _ in programmes:
        label = p.legende + (OUTSIDE_LIST if p.key in uncovered else "")
        if p.style == "aplat":
            items.append({"fill": p.couleur, "shape": "square", "label": label})
        elif p.style == "cercle":
            items.append(
                {
                    "line": p.couleur,
                    "shape": "ring",
                    "label": label + f" (cercle ; aplat de sa couleur si la commune n'est pas {main.court})",
                }
            )
        elif p.style == "pointille":
            items.append({"line": p.couleur, "dash": "dotted", "label": label + " (contour pointillé)"})
        else:
            items.append({"line": p.couleur, "dash": "dashed", "label": label})
    shading = {
        "fill": FURNITURE["epci_pvd"],
        "shape": "square",
        "label": f"Autre commune d'un EPCI ayant au moins une {main.legende}",
    }
    at = next((k + 1 for k, (p, _) in enumerate(programmes) if p.style == "cercle"), 1)
    items.insert(at, shading)
    return {"title": title, "items": items}


def common_zoom(bounds: list[tuple[float, float, float, float]], width_px: int, height_px: int) -> float:
    """One Web-Mercator zoom at which every bounding box fits in ``width_px`` × ``height_px``
    (maps side by side at one scale)."""
    zooms = []
    for minx, miny, maxx, maxy in bounds:
        mx = [math.radians(x) for x in (minx, maxx)]
        my = [math.log(math.tan(math.pi / 4 + math.radians(y) / 2)) for y in (miny, maxy)]
        span = max((mx[1] - mx[0]) / width_px, (my[1] - my[0]) / height_px) or 1e-9
        zooms.append(math.log2(2 * math.pi / (256 * span)))
    return math.floor(min(zooms) * 4) / 4 - 0.25  # a quarter-step margin around the widest


def _fit(bounds) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


def communes_spec(
    communes: gpd.GeoDataFrame,
    background: gpd.GeoDataFrame,
    *,
    title: str,
    sources: str,
    population_label: str,
    epci: gpd.GeoDataFrame | None = None,
    bounds=None,
    zoom: float | None = None,
    programmes: list[str] | None = None,
    on_request: tuple[str, ...] = (),
    panels: list[tuple[str, tuple]] | None = None,
    link: str | None = None,
    outline: str = "departement",
    focus: str | None = None,
    uncovered: tuple[str, ...] = (),
) -> dict:
    """A communes map: polygons with PVD/ACV styles, EPCI shading and outlines, labels, legend.

    ``communes`` needs ``geometry_departement`` and ``code, nom, dep, epci, epci_nom, pvd, acv,
    population``; ``epci``: the EPCIs with their ``pvd`` count (those with a PVD are shaded, even when
    their PVD lies outside the map); ``programmes``: the lists loaded (boolean columns), drawn as
    :func:`drawn` says, ``on_request`` the programmes drawn only when asked (ORT) that are;
    ``background`` (départements, ``geometry_departement``) is drawn in light grey; ``panels``: (name, box) of
    territories drawn side by side; ``link``: the address of a commune's page (``{c}``: its code)."""
    main = principal().key
    shown_lists = [p for p in (programmes or []) if p in communes.columns]
    programmes_drawn = drawn(shown_lists, on_request)
    ringed = styled("cercle")
    members = communes[["epci", "epci_nom"]].dropna().drop_duplicates("epci").sort_values("epci_nom")
    epci_index = {code: i for i, code in enumerate(members[EPCI.column])}
    with_pvd = set(epci.loc[epci[main] > 0, "code"]) if epci is not None else set()
    deps = sorted(set(communes[DEPARTEMENT.column]))
    status = np.zeros(len(communes), dtype=np.int64)
    for p, bit in programmes_drawn:
        if p.key in communes.columns:
            status = status + communes[p.key].fillna(False).to_numpy(dtype=bool).astype(np.int64) * bit
    geoms = _round(communes["geometry_departement"].to_numpy())
    shown = communes[main].to_numpy(dtype=bool)
    if ringed is not None and ringed.key in communes.columns:
        shown = shown | communes[ringed.key].to_numpy(dtype=bool)
    anchors = communes["geometry_departement"].representative_point()
    rows = {
        "c": communes["code"].astype(str).tolist(),
        "n": communes["nom"].astype(str).tolist(),
        "h": [int(v) if v == v else None for v in communes["population"]],
        "e": [epci_index.get(code, -1) for code in communes[EPCI.column]],
        "d": [deps.index(d) for d in communes[DEPARTEMENT.column]],
        "s": status.astype(int).tolist(),
        "p": [
            [round(pt.y, 4), round(pt.x, 4)] if show else 0 for pt, show in zip(anchors, shown, strict=True)
        ],
    }
    fond = _round(background["geometry_departement"].to_numpy(), 2)
    topology = topo.topology(
        {"communes": (list(geoms), [{}] * len(geoms)), "fond": (list(fond), [{}] * len(fond))}, DECIMALS
    )
    return {
        "kind": "communes",
        "topo": topo.compact(topology),
        "rows": rows,
        "epci": members["epci_nom"].astype(str).tolist(),
        "epciPvd": sorted(i for code, i in epci_index.items() if code in with_pvd),
        "population": population_label,
        "legend": legend(title, programmes_drawn, uncovered),
        "sources": sources,
        "colours": FURNITURE | {p.style: p.couleur for p, _ in programmes_drawn if p.style in STYLE_BIT},
        # what each status bit says in a tooltip, and the outlines: dotted (ORT) and dashed
        "statuses": [[bit, p.legende] for p, bit in programmes_drawn],
        "extras": [[bit, p.couleur] for p, bit in programmes_drawn if bit >= EXTRA_BIT],
        "ort": next(([bit, p.couleur] for p, bit in programmes_drawn if bit == ORT), None),
        "fit": _fit(bounds if bounds is not None else communes["geometry_departement"].total_bounds),
        "zoom": zoom,
        # one département, or départements in panels (each panel one département's size): names
        # shown at the zoom the map opens with, whatever the screen
        "labels": {"min": LABEL_MIN_ZOOM, "atFit": zoom is None and (len(deps) <= 1 or bool(panels))},
        "panels": [[name, *(round(float(v), 4) for v in box)] for name, box in panels or []],
        "link": link,
        "outline": outline,
        "focus": focus,
    }


RAMP = ["#FDE5D2", "#F9C49E", "#F09A62", "#E0702F", "#B5470B"]  # light to dark (the one ramp)
SYMBOL_COLOUR = "#5A1E00"


# Fixed classes of the share of inhabitants living in a PVD (%): the same colour means the same
# share on every map (maps side by side, France and région alike).
SHARE_BREAKS = [5.0, 10.0, 15.0, 20.0]


def class_colour(value: float | None, breaks: list[float] = SHARE_BREAKS) -> str | None:
    """The ramp's colour of ``value`` (None: unknown)."""
    if value is None or value != value:
        return None
    k = sum(value >= b for b in breaks)
    return RAMP[min(k, len(RAMP) - 1)]


def class_items(breaks: list[float] = SHARE_BREAKS) -> list[dict]:
    """Legend entries of the classes: « moins de 5 % », « 5 à 10 % »… « 20 % et plus »."""
    labels = [f"moins de {breaks[0]:.0f} %"]
    labels += [f"{low:.0f} à {high:.0f} %" for low, high in zip(breaks, breaks[1:], strict=False)]
    labels.append(f"{breaks[-1]:.0f} % et plus")
    return [{"fill": RAMP[k], "label": text} for k, text in enumerate(labels)]


def name_anchors(shapes: gpd.GeoSeries, ranks: list | None = None) -> list[list]:
    """[name, lat, lng, west, south, east, north, rank, symbol] of each shape: where its name goes
    (a point inside it), the box it must fit in, its rank (larger first) and the count of the
    proportional symbol drawn at the same point (``ranks``: those counts; the name goes below it)."""
    out = []
    for k, (name, shape) in enumerate(shapes.items()):
        if shape is None or shape.is_empty:
            continue
        pt = shape.representative_point()
        box = [round(float(v), 4) for v in shape.bounds]
        rank = (ranks[k] or 0) if ranks is not None else round(shape.area, 4)
        symbol = (ranks[k] or 0) if ranks is not None else 0
        out.append([str(name), round(pt.y, 4), round(pt.x, 4), *box, rank, symbol])
    return out


def symbol_sizes(top: int) -> list[int]:
    """Counts shown in the proportional symbols' key: the maximum, about a half and a tenth."""
    sizes = [top, max(1, round(top / 2)), max(1, round(top / 10))]
    return sorted(set(sizes), reverse=True)


def territories_spec(
    territories: gpd.GeoDataFrame,
    geometry: str,
    *,
    title: str,
    sources: str,
    level: str,
    level_label: str,
    bounds=None,
    insets: list | None = None,
    link: str | None = None,
    names: gpd.GeoSeries | None = None,
) -> dict:
    """Territories (régions or départements) shaded by the share of their inhabitants living in a
    PVD (classed), the number of PVD as proportional symbols, names where they fit; hatched: not
    covered by the loaded list. ``territories`` needs ``code, nom, part`` (a ratio; NA where the
    list stops), each registered programme's count (NA where its list stops) and ``geometry``;
    ``insets``: (name, box) frames of the overseas; ``names``: the shapes named on the map, indexed
    by name (default: the territories themselves)."""
    main = principal().key
    others = [p for p in registry() if not p.principal and p.key in territories]
    known = territories[main].notna().to_numpy()
    share = [
        100 * float(v) if k and v == v else None for v, k in zip(territories["part"], known, strict=True)
    ]
    anchors = territories[geometry].representative_point()
    counts = [int(v) if k else None for v, k in zip(territories[main], known, strict=True)]
    top = max((v for v in counts if v), default=0)
    rows = {
        "c": territories["code"].astype(str).tolist(),
        "n": territories["nom"].astype(str).tolist(),
        "v": counts,
        "o": [
            [None if pd.isna(v) else int(v) for v in row]
            for row in territories[[p.key for p in others]].astype(object).itertuples(index=False)
        ],
        "r": [round(v, 1) if v is not None else None for v in share],
        "f": [class_colour(v) or "#FFFFFF" for v in share],
    }
    geoms = _round(territories[geometry].to_numpy())
    items = [
        {"text": f"Part des habitants vivant dans une Petite ville de demain, par {level_label}"},
        *class_items(),
    ]
    if top:
        items.append(
            {
                "symbol": symbol_sizes(top),
                "max": top,
                "fill": SYMBOL_COLOUR,
                "label": f"Nombre de Petites villes de demain par {level_label} (surface proportionnelle)",
            }
        )
    if not known.all():
        items.append({"hatch": True, "label": "Hors de la liste chargée (nombre inconnu)"})
    if insets:
        items.append({"text": "Outre-mer en cartouches (échelles différentes)"})
    points = [
        [round(pt.y, 4), round(pt.x, 4), v, c]
        for pt, v, c in zip(anchors, counts, rows["c"], strict=True)
        if v
    ]
    return {
        "kind": "territoires",
        "topo": topo.compact(topo.topology({"territoires": (list(geoms), [{}] * len(geoms))}, DECIMALS)),
        "rows": rows,
        "symbols": {"max": top, "points": points},
        "symbolColour": SYMBOL_COLOUR,
        "counted": [f"Communes {p.communes}" for p in others],
        "names": name_anchors(
            names if names is not None else territories.set_index("nom")[geometry],
            counts if names is None else None,
        ),
        "level": level_label,
        "levelKey": level,
        "legend": {"title": title, "items": items},
        "sources": sources,
        "fit": _fit(bounds if bounds is not None else territories[geometry].total_bounds),
        "panels": [[name, *(round(float(v), 4) for v in box.bounds)] for name, box in insets or []],
        "insets": bool(insets),
        "link": link,
        "labels": {"min": 0, "atFit": True},
    }
