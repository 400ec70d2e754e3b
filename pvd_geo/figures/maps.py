"""Press maps (A4 landscape): a territory or several as panels at one scale, and France by
département with the overseas in insets; legend, scale bar, north arrow, locator, sources."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
import math
from dataclasses import dataclass, field

import geopandas as gpd
import matplotlib.patheffects as pe
import pandas as pd
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle

from ..atlas import Atlas
from ..constants import CRS_MESURE
from ..errors import InvalidInput
from ..levels import AGGREGATED, DEPARTEMENT, Level
from ..programmes import principal, registry
from ..webmap.spec import RAMP as SHARE_RAMP

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
from .base import A4_LANDSCAPE, COLOURS, _figure, plain, sources_text, styled
from .coverage import check_coverage
from .placement import NEAR, place_labels

# Overseas départements are drawn in their own metric projections (Lambert-93 is for the mainland).
LOCAL_CRS = {
    "971": "EPSG:5490",
    "972": "EPSG:5490",
    "973": "EPSG:2972",
    "974": "EPSG:2975",
    "976": "EPSG:4471",
}


def press_programmes() -> list:
    """The programmes a press map draws: all but those drawn only on request (ORT)."""
    return [p for p in registry() if not p.sur_demande]


def parse_territoire(text: str) -> tuple[str, str]:
    """``dep:32`` → (``departement``, ``32``); also ``reg:76``, ``epci:243200458``."""
    prefix, _, code = text.partition(":")
    if prefix in ("fr", "france"):
        return "france", ""
    level = next((lv for lv in AGGREGATED if prefix in (lv.url, lv.key)), None)
    if level is None or not code:
        raise InvalidInput(f"territoire invalide : « {text} » (attendu dep:32, reg:76, epci:SIREN ou france)")
    return level.key, code.strip().upper()


@dataclass(frozen=True)
class PressPanel:
    """One territory ready to draw, in Lambert-93 metres."""

    level: str
    code: str
    name: str
    communes: gpd.GeoDataFrame  # code, nom, one column per programme, epci_pvd, epci, population, geometry
    outline: gpd.GeoSeries
    departement_names: dict = field(default_factory=dict)  # code -> name, for a région's map

    @property
    def count(self) -> int:
        return int(self.communes[principal().key].sum())

    @property
    def title(self) -> str:
        label = f"{self.name} ({self.code})" if self.level == "departement" else self.name
        noun = "Petite ville de demain" if self.count <= 1 else "Petites villes de demain"
        return f"{label} — {self.count} {noun}"


def panel(atlas: Atlas, level: str, code: str, source: gpd.GeoSeries | None = None) -> PressPanel:
    """Communes of a territory with their status, on their source geometry in Lambert-93."""
    column = Level.of(level).column
    layer = atlas.layer(level).set_index("code")
    if code not in layer.index:
        raise InvalidInput(f"territoire inconnu : {level} {code}")
    com = atlas.communes[atlas.communes[column] == code]
    if level == "region":  # at a région's print scale (≈ 300 m a pixel) the département view's contours
        geometry = gpd.GeoSeries(com["geometry_departement"].to_numpy(), index=com["code"].to_numpy())
    else:
        geometry = (source if source is not None else atlas.source_geometry("commune")).reindex(com["code"])
    epci_with_pvd = set(atlas.communes.loc[atlas.communes[principal().key], "epci"].dropna())
    frame = (
        gpd.GeoDataFrame(
            {
                "code": com["code"].to_numpy(),
                "nom": [plain(n) for n in com["nom"]],
                **{p.key: com[p.key].fillna(False).to_numpy(dtype=bool) for p in registry()},
                DEPARTEMENT.column: com[DEPARTEMENT.column].to_numpy(),
                "epci": com["epci"].to_numpy(),
                "epci_pvd": com["epci"].isin(epci_with_pvd).to_numpy(),
                "population": com["population"].to_numpy(),
            },
            geometry=geometry.to_numpy(),
            crs=atlas.communes.crs,
        )
        .dropna(subset=["geometry"])
        .to_crs(_crs_of(set(com[DEPARTEMENT.column])))
    )
    outline = gpd.GeoSeries([_union(frame.geometry)], crs=frame.crs)
    inside = set(frame[DEPARTEMENT.column].tolist())
    names = {c: plain(n) for c, n in atlas.names("departement").items() if c in inside}
    return PressPanel(level, code, plain(layer.loc[code, "nom"]), frame, outline, names)


def _union(shapes) -> object:
    """The union of communes that tile their territory (shared edges, no overlap): shapely's
    coverage union, several times faster than a general union on a région's 4,000 communes; a
    general union where the tiling is not clean."""
    values = shapely.make_valid(shapes.to_numpy()) if not shapes.is_valid.all() else shapes.to_numpy()
    try:
        return shapely.coverage_union_all(values)
    except shapely.errors.GEOSException:
        return shapely.union_all(values)


def _dissolved(com: gpd.GeoDataFrame, by: str) -> gpd.GeoSeries:
    """The communes' union per ``by`` (EPCI, département), as :func:`_union`."""
    groups = com.groupby(by).geometry
    return gpd.GeoSeries([_union(g) for _, g in groups], index=list(groups.groups), crs=com.crs)


def _crs_of(departements: set[str]) -> str:
    """Lambert-93 on the mainland; an overseas département's own projection."""
    local = {LOCAL_CRS.get(d) for d in departements}
    return local.pop() if len(local) == 1 and None not in local else CRS_MESURE


def _nice_length(metres: float) -> int:
    """A round scale-bar length (km) close to ``metres`` / 5."""
    target = metres / 5 / 1000
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if step >= target:
            return step
    return 1000


def _scale_bar(ax, xlim, ylim) -> None:
    width = xlim[1] - xlim[0]
    km = _nice_length(width)
    x0, y0 = xlim[0] + 0.04 * width, ylim[0] + 0.04 * (ylim[1] - ylim[0])
    height = 0.008 * (ylim[1] - ylim[0])
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (x0 + i * km * 500, y0),
                km * 500,
                height,
                facecolor="#222222" if i == 0 else "white",
                edgecolor="#222222",
                lw=0.6,
            )
        )
    ax.text(x0, y0 + 2.2 * height, "0", fontsize=7, ha="center")
    ax.text(x0 + km * 1000, y0 + 2.2 * height, f"{km} km", fontsize=7, ha="center")


def _north_arrow(ax, xlim, ylim) -> None:
    w, h = xlim[1] - xlim[0], ylim[1] - ylim[0]
    x, y = xlim[0] + 0.05 * w, ylim[1] - 0.14 * h
    ax.add_patch(
        FancyArrow(
            x,
            y,
            0,
            0.07 * h,
            width=0.008 * w,
            head_width=0.025 * w,
            head_length=0.03 * h,
            color="#222222",
            length_includes_head=True,
        )
    )
    ax.text(x, y + 0.085 * h, "N", ha="center", va="bottom", fontsize=10, fontweight="bold")


def _draw_panel(ax, p: PressPanel, xlim, ylim, titled: bool) -> None:
    com = p.communes
    drawn = press_programmes()
    fill = com["epci_pvd"].map({True: COLOURS["epci_pvd"], False: "white"})
    for entry in reversed([e for e in drawn if e.style in ("aplat", "cercle")]):  # the filled one wins
        fill = fill.where(~com[entry.key], entry.couleur)
    com.plot(ax=ax, color=fill, edgecolor="#9A9A9A", linewidth=0.25)
    wide = p.level == "region"  # a région: EPCI limits thin, départements drawn
    _dissolved(com, "epci").boundary.plot(ax=ax, color=COLOURS["epci"], linewidth=0.35 if wide else 0.8)
    if wide:
        deps = _dissolved(com, DEPARTEMENT.column)
        deps.boundary.plot(ax=ax, color=COLOURS["departement"], linewidth=0.9)
    p.outline.boundary.plot(ax=ax, color=COLOURS["departement"], linewidth=1.6)
    for entry in drawn:
        members = com[com[entry.key]]
        if not len(members) or entry.style == "aplat":
            continue
        if entry.style == "cercle":
            points = members.representative_point()
            ax.scatter(
                points.x, points.y, s=36, color=entry.couleur, edgecolor="white", linewidth=1, zorder=4
            )
        else:
            dash = (0, (1, 1.5)) if entry.style == "pointille" else (0, (4, 2))
            members.boundary.plot(ax=ax, color=entry.couleur, linewidth=1.4, linestyle=dash, zorder=3)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if titled:
        ax.set_title(p.title, fontsize=11, fontweight="bold", loc="left")


def _departement_names(ax, p: PressPanel) -> list[tuple[float, float, float, float]]:
    """A région's départements named in capitals at their centre, under the communes' names;
    returns their boxes (display pixels), which the communes' names then avoid."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = []
    for code, shape in _dissolved(p.communes, DEPARTEMENT.column).items():
        point = shape.representative_point()
        text = ax.text(
            point.x,
            point.y,
            p.departement_names.get(code, code).upper(),
            fontsize=8,
            fontweight="bold",
            color="#707070",
            ha="center",
            va="center",
            zorder=4.5,
            path_effects=[pe.Stroke(linewidth=2.2, foreground="white"), pe.Normal()],
        )
        extent = text.get_window_extent(renderer)
        boxes.append((extent.x0, extent.y0, extent.x1, extent.y1))
    return boxes


NUMBER = "pvd-numero"  # the gid of a PVD's number on a région's map


def _numbers(ax, p: PressPanel, pvd: gpd.GeoDataFrame, missed: list, start: int) -> list:
    """Numbers on the PVD whose name found no room, by département then name, from ``start``;
    returns (number, name, département) for the index."""
    if not missed:
        return []
    unnamed = set(name for _, _, name in missed)
    rows = pvd[pvd["nom"].isin(unnamed)].assign(point=pvd.representative_point())
    rows = rows.assign(dep_nom=rows[DEPARTEMENT.column].map(p.departement_names)).sort_values(
        ["dep_nom", "nom"]
    )
    out = []
    for number, row in enumerate(rows.itertuples(), start=start):
        ax.text(
            row.point.x,
            row.point.y,
            str(number),
            fontsize=5,
            fontweight="bold",
            color="#1A1A1A",
            ha="center",
            va="center",
            zorder=6,
            path_effects=[pe.Stroke(linewidth=1.6, foreground="white"), pe.Normal()],
            gid=NUMBER,
        )
        out.append((number, row.nom, row.dep_nom))
    return out


def _index(fig, numbered: list[tuple[int, str, str]]) -> None:
    """The numbered PVD in the right column, by département (« Aude : 12 Bram · 13 Couiza … »),
    wrapped to the column; smaller type when they are many. What does not fit is said."""
    import textwrap

    groups: dict[str, list[str]] = {}
    for number, name, dep in numbered:
        # no line break inside an entry: non-breaking spaces between its number and its words
        groups.setdefault(dep, []).append(f"{number}\u00a0{name}".replace(" ", "\u00a0"))
    top, bottom, width_in = 0.53, 0.075, 0.28 * A4_LANDSCAPE[0]
    for size in (6.0, 5.5, 5.0, 4.5):
        per_line = int(width_in * 72 / (size * 0.52))
        lines = []
        for dep, items in groups.items():
            lines += textwrap.wrap(f"{dep} : " + " · ".join(items), per_line, break_on_hyphens=False)
        step = size * 1.3 / 72 / A4_LANDSCAPE[1]
        if len(lines) * step <= top - bottom - 0.03:
            break
    fig.text(
        0.71, top, "Autres Petites villes de demain (numéros sur la carte)", fontsize=7, fontweight="bold"
    )
    room = int((top - bottom - 0.03) / step)
    if len(lines) > room:
        lines = lines[: room - 1] + ["… la liste complète : tableau CSV de la page Exporter."]
    for i, line in enumerate(lines):
        fig.text(0.71, top - 0.025 - i * step, line, fontsize=size, color="#222222")


def _layout(panels: list[PressPanel], width: float, height: float) -> list[tuple[tuple, tuple]]:
    """Axis limits giving every panel the same scale (metres per inch) and its own centre."""
    cols = len(panels)
    panel_w, panel_h = width / cols, height
    scale = min(
        min(panel_w / (b[2] - b[0]), panel_h / (b[3] - b[1]))
        for b in (p.outline.total_bounds for p in panels)
    )
    limits = []
    for p in panels:
        minx, miny, maxx, maxy = p.outline.total_bounds
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        half_w, half_h = panel_w / scale / 2, panel_h / scale / 2
        limits.append(((cx - half_w, cx + half_w), (cy - half_h, cy + half_h)))
    return limits


def _inset(fig, atlas: Atlas, panels: list[PressPanel], small: bool = False) -> None:
    """The locator; ``small`` (a région's numbered index below it) in the top corner."""
    deps = atlas.departements[~atlas.departements["code"].str.startswith("97")]
    deps = deps.set_geometry("geometry_national").to_crs(CRS_MESURE)
    ax = fig.add_axes((0.86, 0.76, 0.12, 0.15) if small else (0.76, 0.56, 0.22, 0.28))
    deps.plot(ax=ax, color="#E4E4E4", edgecolor="white", linewidth=0.3)
    for p in panels:
        if str(p.outline.crs) == CRS_MESURE:  # overseas panels are not on this locator
            p.outline.plot(ax=ax, color=COLOURS[principal().key])
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("Localisation", fontsize=7, color="#444444")


def _legend(fig, uncovered=(), top: float = 0.52) -> None:
    main = principal()
    outside = " — hors de la liste chargée ici : non montrées"
    handles = []
    for entry in press_programmes():
        label = entry.legende + (outside if entry.key in uncovered else "")
        if entry.style == "aplat":
            handles.append(Patch(facecolor=entry.couleur, edgecolor="#555555", label=label))
            handles.append(
                Patch(
                    facecolor=COLOURS["epci_pvd"],
                    edgecolor="#555555",
                    label=f"EPCI contenant au moins une {main.legende}",
                )
            )
        elif entry.style == "cercle":
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=7,
                    markerfacecolor=entry.couleur,
                    markeredgecolor="white",
                    label=label,
                )  # fmt: skip
            )
        else:
            dash = (0, (1, 1.5)) if entry.style == "pointille" else (0, (4, 2))
            handles.append(Line2D([], [], color=entry.couleur, lw=1.4, linestyle=dash, label=label))
    handles.append(Line2D([], [], color=COLOURS["epci"], lw=0.8, label="Limite d'EPCI"))
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.71, top),
        fontsize=7,
        frameon=False,
        title="Légende",
        title_fontsize=9,
        alignment="left",
    )


@styled
def static_map(atlas: Atlas, territories: list[tuple[str, str]], today: dt.date | None = None):
    """The figure for one or several territories (panels at the same scale)."""
    if not territories:
        raise InvalidInput("aucun territoire demandé")
    if any(level == "france" for level, _ in territories):
        return national_map(atlas, today)
    check_coverage(atlas, territories)
    source = None if all(level == "region" for level, _ in territories) else atlas.source_geometry("commune")
    panels = [panel(atlas, level, code, source) for level, code in territories]
    fig = _figure(A4_LANDSCAPE)
    total = sum(p.count for p in panels)
    names = " et ".join(p.title.split(" — ")[0] for p in panels)
    fig.text(0.02, 0.955, "Déploiement du programme Petites villes de demain", fontsize=16, fontweight="bold")
    noun = "Petite ville de demain" if total <= 1 else "Petites villes de demain"
    fig.text(0.02, 0.915, f"{names} — {total} {noun}", fontsize=12, color="#333333")
    left, bottom, width, height = 0.02, 0.07, 0.68, 0.78
    limits = _layout(panels, width * A4_LANDSCAPE[0], height * A4_LANDSCAPE[1])
    numbered: list[tuple[int, str, str]] = []  # (number, name, département) of unnamed PVD
    for i, (p, (xlim, ylim)) in enumerate(zip(panels, limits, strict=True)):
        ax = fig.add_axes((left + i * width / len(panels), bottom, width / len(panels), height))
        _draw_panel(ax, p, xlim, ylim, titled=len(panels) > 1)
        _scale_bar(ax, xlim, ylim)
        if i == 0:
            _north_arrow(ax, xlim, ylim)
        pvd = p.communes[p.communes[principal().key]].sort_values("population", ascending=False)
        pts = pvd.representative_point()
        points = [(pt.x, pt.y, n) for pt, n in zip(pts, pvd["nom"], strict=True)]
        if p.level == "region":  # names only where they fit by their point, the others numbered
            missed: list = []
            avoid = _departement_names(ax, p)
            place_labels(ax, points, fontsize=6.5, radii=NEAR, missed=missed, avoid=avoid)
            numbered += _numbers(ax, p, pvd, missed, start=len(numbered) + 1)
        else:
            place_labels(ax, points)
    if numbered:
        _index(fig, numbered)
    _inset(fig, atlas, panels, small=bool(numbered))
    from ..views import missing_contours_note, uncovered_programmes

    com = atlas.communes  # every commune of the territories, those without a contour included
    mask = pd.Series(False, index=com.index)
    for lvl, code in territories:
        mask |= com[Level.of(lvl).column] == code
    inside = com[mask]
    _legend(fig, uncovered_programmes(atlas, set(inside[DEPARTEMENT.column])), top=0.74 if numbered else 0.52)
    note = missing_contours_note(inside)
    fig.text(0.02, 0.02, sources_text(atlas, today) + note, fontsize=6.5, color="#444444", wrap=True)
    return fig


RAMP = ["#FFFFFF", *SHARE_RAMP]  # zero in white, then the web maps' ramp (the one ramp)


def _classes(top: int) -> list[tuple[int, int]]:
    """Count classes of the national map (as many as the colour ramp allows), 0 first."""
    steps = len(RAMP) - 1
    edges = sorted({0, *[max(1, math.ceil(top * k / steps)) for k in range(1, steps + 1)]})
    return [(0, 0)] + [(lo + 1 if lo else 1, hi) for lo, hi in zip(edges, edges[1:], strict=False)]


@styled
def national_map(atlas: Atlas, today: dt.date | None = None):
    """France: départements shaded by their number of PVD, PVD communes as dots, and the overseas
    départements in insets at their own scale (as the ANCT's national maps)."""
    from ..insets import OVERSEAS

    check_coverage(atlas, [("france", "")])
    key = principal().key
    stats = atlas.stats("departement").set_index("code")
    deps = atlas.departements.set_geometry("geometry_national")
    deps = deps.assign(**{key: deps["code"].map(stats[key])})
    classes = _classes(int(deps[key].max()))
    deps["couleur"] = [next(RAMP[i] for i, (lo, hi) in enumerate(classes) if v <= hi) for v in deps[key]]
    pvd = atlas.communes[atlas.communes[key]].set_geometry("geometry_departement")
    dots = gpd.GeoDataFrame(
        {DEPARTEMENT.column: pvd[DEPARTEMENT.column].to_numpy()},
        geometry=pvd.representative_point().to_numpy(),
        crs=pvd.crs,
    )
    fig = _figure(A4_LANDSCAPE)
    total = int(stats[key].sum())
    fig.text(0.02, 0.955, "Déploiement du programme Petites villes de demain", fontsize=16, fontweight="bold")
    fig.text(0.02, 0.915, f"France — {total:,} Petites villes de demain".replace(",", "\u202f"), fontsize=12)
    main = deps[~deps["code"].isin(list(OVERSEAS))].to_crs(CRS_MESURE)
    ax = fig.add_axes((0.17, 0.07, 0.52, 0.8))
    main.plot(ax=ax, color=main["couleur"], edgecolor="#8A8A8A", linewidth=0.4)
    inside = dots[~dots[DEPARTEMENT.column].isin(list(OVERSEAS))].to_crs(CRS_MESURE)
    ax.scatter(inside.geometry.x, inside.geometry.y, s=1.6, color="#5A1E00", linewidths=0, zorder=3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    _scale_bar(ax, xlim, ylim)
    _north_arrow(ax, xlim, ylim)
    for k, code in enumerate(c for c in OVERSEAS if c in set(deps["code"])):
        crs = LOCAL_CRS[code]
        box = fig.add_axes((0.02, 0.74 - k * 0.16, 0.14, 0.14))
        one = deps[deps["code"] == code].to_crs(crs)
        one.plot(ax=box, color=one["couleur"], edgecolor="#8A8A8A", linewidth=0.4)
        here = dots[dots[DEPARTEMENT.column] == code].to_crs(crs)
        box.scatter(here.geometry.x, here.geometry.y, s=4, color="#5A1E00", linewidths=0, zorder=3)
        box.set_aspect("equal")
        box.set_xticks([]), box.set_yticks([])
        box.set_xlabel(""), box.set_ylabel("")
        for spine in box.spines.values():
            spine.set_edgecolor("#AAAAAA")
        count = int(stats.loc[code, key])
        box.set_title(f"{plain(OVERSEAS[code][0])} — {count}", fontsize=7, loc="left")
    handles = [
        Patch(
            facecolor=RAMP[i],
            edgecolor="#8A8A8A",
            label="aucune" if hi == 0 else f"{lo} à {hi}" if lo != hi else f"{lo}",
        )
        for i, (lo, hi) in enumerate(classes)
    ]
    handles.append(
        Line2D(
            [], [], marker="o", linestyle="", markersize=3, color="#5A1E00", label="Petite ville de demain"
        )
    )
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.71, 0.85), fontsize=7, frameon=False,
               title="Communes PVD par département", title_fontsize=9, alignment="left")  # fmt: skip
    fig.text(0.71, 0.40, "Outre-mer en cartouches,\nà des échelles différentes.", fontsize=7, color="#444444")
    fig.text(0.02, 0.02, sources_text(atlas, today), fontsize=6.5, color="#444444", wrap=True)
    return fig
