"""Static maps and charts for the press (PNG, SVG with real text, PDF A4 landscape), matplotlib.

In the style of the ANCT's departmental maps: title and count, legend, names of the PVD
communes placed without overlap, scale bar in km (Lambert-93), north arrow, an inset locating
the territories in France, and a sources line with vintages and the export date. Several
territories are drawn as panels at the same scale.
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
import functools
import io
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import matplotlib.patheffects as pe  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrow, Patch, Rectangle  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from .atlas import Atlas  # noqa: E402
from .errors import InvalidInput, PvdError
from .files import atomic_write  # noqa: E402

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
RC = {"text.parse_math": False, "svg.fonttype": "none", "pdf.fonttype": 42}


def _figure(size: tuple[float, float]) -> Figure:
    """A figure with its own Agg canvas (text sizes are measured to place labels): no pyplot, no
    global figure manager."""
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def styled(function):
    """Run a figure function with :data:`RC`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(RC):
            return function(*args, **kwargs)

    return wrapper


def plain(value: object) -> str:
    """A name as figure text: characters XML forbids (invalid in an SVG: controls such as NUL,
    surrogates, U+FFFE and U+FFFF) removed."""
    return "".join(
        c
        for c in str(value)
        if (ord(c) >= 32 and c != "\x7f") and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff"
    )


from . import credits  # noqa: E402
from .constants import CRS_MESURE  # noqa: E402
from .levels import AGGREGATED, Level  # noqa: E402
from .programmes import principal, registry  # noqa: E402
from .webmap.spec import colours  # noqa: E402

COLOURS = colours()  # the registry's colours (read at import) and the furniture's

A4_LANDSCAPE = (11.69, 8.27)  # inches
DPI = 200
HALO = "halo"  # gid of the white copies behind labels
FORMATS = ("png", "svg", "pdf")
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
class Panel:
    """One territory ready to draw, in Lambert-93 metres."""

    level: str
    code: str
    name: str
    communes: gpd.GeoDataFrame  # code, nom, one column per programme, epci_pvd, epci, population, geometry
    outline: gpd.GeoSeries

    @property
    def count(self) -> int:
        return int(self.communes["pvd"].sum())

    @property
    def title(self) -> str:
        label = f"{self.name} ({self.code})" if self.level == "departement" else self.name
        noun = "Petite ville de demain" if self.count <= 1 else "Petites villes de demain"
        return f"{label} — {self.count} {noun}"


def panel(atlas: Atlas, level: str, code: str, source: gpd.GeoSeries | None = None) -> Panel:
    """Communes of a territory with their status, on their source geometry in Lambert-93."""
    column = Level.of(level).column
    layer = atlas.layer(level).set_index("code")
    if code not in layer.index:
        raise InvalidInput(f"territoire inconnu : {level} {code}")
    com = atlas.communes[atlas.communes[column] == code]
    geometry = (source if source is not None else atlas.source_geometry("commune")).reindex(com["code"])
    epci_with_pvd = set(atlas.communes.loc[atlas.communes["pvd"], "epci"].dropna())
    frame = (
        gpd.GeoDataFrame(
            {
                "code": com["code"].to_numpy(),
                "nom": [plain(n) for n in com["nom"]],
                **{p.key: com[p.key].fillna(False).to_numpy(dtype=bool) for p in registry()},
                "dep": com["dep"].to_numpy(),
                "epci": com["epci"].to_numpy(),
                "epci_pvd": com["epci"].isin(epci_with_pvd).to_numpy(),
                "population": com["population"].to_numpy(),
            },
            geometry=geometry.to_numpy(),
            crs=atlas.communes.crs,
        )
        .dropna(subset=["geometry"])
        .to_crs(_crs_of(set(com["dep"])))
    )
    outline = gpd.GeoSeries([frame.union_all()], crs=frame.crs)
    return Panel(level, code, plain(layer.loc[code, "nom"]), frame, outline)


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


def _draw_panel(ax, p: Panel, xlim, ylim, titled: bool) -> None:
    com = p.communes
    drawn = press_programmes()
    fill = com["epci_pvd"].map({True: COLOURS["epci_pvd"], False: "white"})
    for entry in reversed([e for e in drawn if e.style in ("aplat", "cercle")]):  # the filled one wins
        fill = fill.where(~com[entry.key], entry.couleur)
    com.plot(ax=ax, color=fill, edgecolor="#9A9A9A", linewidth=0.25)
    wide = p.level == "region"  # a région: EPCI limits thin, départements drawn
    com.dissolve(by="epci").boundary.plot(ax=ax, color=COLOURS["epci"], linewidth=0.35 if wide else 0.8)
    if wide:
        com.dissolve(by="dep").boundary.plot(ax=ax, color=COLOURS["departement"], linewidth=0.9)
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


def _candidates(radii: tuple[float, ...], directions: int = 16):
    """(dx, dy) unit offsets around a point, nearest first, horizontal positions preferred."""
    angles = sorted(range(directions), key=lambda k: (abs(math.sin(2 * math.pi * k / directions)), k))
    for radius in radii:
        for k in angles:
            a = 2 * math.pi * k / directions
            yield radius, math.cos(a), math.sin(a)


def _align(c: float) -> float:
    """Fraction of the label's size left of (or below) its anchor for a direction component."""
    return 0.0 if c > 0.3 else 1.0 if c < -0.3 else 0.5


def place_labels(ax, points: list[tuple[float, float, str]], fontsize: float = 7.5) -> list:
    """Names next to their points so that no two label boxes overlap (greedy, biggest first).

    Each label's size is measured once; candidate boxes around the point at growing distances
    are tested arithmetically; far labels get a leader line. Returns the Text objects placed.
    """
    fig = ax.figure
    ax.apply_aspect()  # the equal-aspect box adjustment happens now, not at the first draw
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    to_px = fig.dpi / 72
    taken: list[Bbox] = []
    placed = []
    for x, y, name in points:
        probe = ax.text(0, 0, name, fontsize=fontsize)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        w, h = extent.width * 1.06 + 2, extent.height * 1.1 + 2
        px, py = ax.transData.transform((x, y))
        choice = None
        for radius, cx, cy in _candidates((3, 8, 14, 22, 32, 45, 60, 80)):
            ax_, ay_ = px + cx * radius * to_px, py + cy * radius * to_px
            box = Bbox.from_bounds(ax_ - _align(cx) * w, ay_ - _align(cy) * h, w, h)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(b) for b in taken):
                choice = (radius, cx, cy, box)
                break
        if choice is None:
            continue
        radius, cx, cy, box = choice
        taken.append(box)
        ha = {0.0: "left", 1.0: "right", 0.5: "center"}[_align(cx)]
        va = {0.0: "bottom", 1.0: "top", 0.5: "center"}[_align(cy)]
        common = {
            "xytext": (cx * radius, cy * radius),
            "textcoords": "offset points",
            "ha": ha,
            "va": va,
            "fontsize": fontsize,
        }
        # the white halo is a separate copy (drawn as a path); the name itself stays real text in SVG/PDF
        halo = ax.annotate(
            name,
            (x, y),
            color="white",
            zorder=5,
            **common,
            path_effects=[pe.Stroke(linewidth=2.4, foreground="white")],
        )
        halo.set_gid(HALO)
        placed.append(
            ax.annotate(
                name,
                (x, y),
                color="#1A1A1A",
                zorder=6,
                **common,
                arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.4} if radius > 10 else None,
            )
        )
    return placed


def _layout(panels: list[Panel], width: float, height: float) -> list[tuple[tuple, tuple]]:
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


def _inset(fig, atlas: Atlas, panels: list[Panel]) -> None:
    deps = atlas.departements[~atlas.departements["code"].str.startswith("97")]
    deps = deps.set_geometry("geometry_national").to_crs(CRS_MESURE)
    ax = fig.add_axes((0.76, 0.56, 0.22, 0.28))
    deps.plot(ax=ax, color="#E4E4E4", edgecolor="white", linewidth=0.3)
    for p in panels:
        if str(p.outline.crs) == CRS_MESURE:  # overseas panels are not on this locator
            p.outline.plot(ax=ax, color=COLOURS["pvd"])
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("Localisation", fontsize=7, color="#444444")


def _legend(fig, uncovered=()) -> None:
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
        bbox_to_anchor=(0.71, 0.52),
        fontsize=7,
        frameon=False,
        title="Légende",
        title_fontsize=9,
        alignment="left",
    )


class CoverageError(PvdError, ValueError):
    """An export asked for a territory that the loaded list does not speak for (French message)."""


def sources_text(atlas: Atlas, today: dt.date | None = None) -> str:
    """The sources line (lists with their dates and coverage, vintages) and the export date."""
    from .views import lists_json

    date = (today or dt.date.today()).strftime("%d/%m/%Y")
    return f"{credits.sources_line(atlas.meta, lists_json(atlas))} Export Atlas PVD du {date}."


def check_coverage(atlas: Atlas, territories: list[tuple[str, str]], programme: str = "pvd") -> None:
    """Refuse a press export of a territory the programme's list does not cover: its count would be
    false. The message says what the list covers and how to load the national list."""
    from .views import lists_json

    for level, code in territories:
        if level == "france":
            deps, name = set(atlas.departements["code"]), "France"
        else:
            deps = set(atlas.communes.loc[atlas.communes[Level.of(level).column] == code, "dep"])
            name = atlas.name(level, code)
        if deps and not atlas.covers(programme, deps):
            note = credits.coverage_note(programme, lists_json(atlas).get(programme))
            raise CoverageError(
                f"{plain(name)} : {note}, son nombre de communes serait faux. "
                f"Il faut la liste nationale : {credits.NATIONAL_FOR_READERS}."
            )


@styled
def static_map(atlas: Atlas, territories: list[tuple[str, str]], today: dt.date | None = None):
    """The figure for one or several territories (panels at the same scale)."""
    if not territories:
        raise InvalidInput("aucun territoire demandé")
    if any(level == "france" for level, _ in territories):
        return national_map(atlas, today)
    check_coverage(atlas, territories)
    source = atlas.source_geometry("commune")
    panels = [panel(atlas, level, code, source) for level, code in territories]
    fig = _figure(A4_LANDSCAPE)
    total = sum(p.count for p in panels)
    names = " et ".join(p.title.split(" — ")[0] for p in panels)
    fig.text(0.02, 0.955, "Déploiement du programme Petites villes de demain", fontsize=16, fontweight="bold")
    noun = "Petite ville de demain" if total <= 1 else "Petites villes de demain"
    fig.text(0.02, 0.915, f"{names} — {total} {noun}", fontsize=12, color="#333333")
    left, bottom, width, height = 0.02, 0.07, 0.68, 0.78
    limits = _layout(panels, width * A4_LANDSCAPE[0], height * A4_LANDSCAPE[1])
    for i, (p, (xlim, ylim)) in enumerate(zip(panels, limits, strict=True)):
        ax = fig.add_axes((left + i * width / len(panels), bottom, width / len(panels), height))
        _draw_panel(ax, p, xlim, ylim, titled=len(panels) > 1)
        _scale_bar(ax, xlim, ylim)
        if i == 0:
            _north_arrow(ax, xlim, ylim)
        pvd = p.communes[p.communes["pvd"]].sort_values("population", ascending=False)
        pts = pvd.representative_point()
        place_labels(ax, [(pt.x, pt.y, n) for pt, n in zip(pts, pvd["nom"], strict=True)])
    _inset(fig, atlas, panels)
    from .views import missing_contours_note, uncovered_programmes

    com = atlas.communes  # every commune of the territories, those without a contour included
    mask = pd.Series(False, index=com.index)
    for lvl, code in territories:
        mask |= com[Level.of(lvl).column] == code
    inside = com[mask]
    _legend(fig, uncovered_programmes(atlas, set(inside["dep"])))
    note = missing_contours_note(inside)
    fig.text(0.02, 0.02, sources_text(atlas, today) + note, fontsize=6.5, color="#444444", wrap=True)
    return fig


RAMP = ["#FFFFFF", "#FDE5D2", "#F9C49E", "#F09A62", "#E0702F", "#C24E0C"]


def _classes(top: int) -> list[tuple[int, int]]:
    """Count classes of the national map (as many as the colour ramp allows), 0 first."""
    steps = len(RAMP) - 1
    edges = sorted({0, *[max(1, math.ceil(top * k / steps)) for k in range(1, steps + 1)]})
    return [(0, 0)] + [(lo + 1 if lo else 1, hi) for lo, hi in zip(edges, edges[1:], strict=False)]


@styled
def national_map(atlas: Atlas, today: dt.date | None = None):
    """France: départements shaded by their number of PVD, PVD communes as dots, and the overseas
    départements in insets at their own scale (as the ANCT's national maps)."""
    from .insets import OVERSEAS

    check_coverage(atlas, [("france", "")])
    stats = atlas.stats("departement").set_index("code")
    deps = atlas.departements.set_geometry("geometry_national").assign(
        pvd=lambda d: d["code"].map(stats["pvd"])
    )
    classes = _classes(int(deps["pvd"].max()))
    deps["couleur"] = [next(RAMP[i] for i, (lo, hi) in enumerate(classes) if v <= hi) for v in deps["pvd"]]
    pvd = atlas.communes[atlas.communes["pvd"]].set_geometry("geometry_departement")
    dots = gpd.GeoDataFrame(
        {"dep": pvd["dep"].to_numpy()}, geometry=pvd.representative_point().to_numpy(), crs=pvd.crs
    )
    fig = _figure(A4_LANDSCAPE)
    total = int(stats["pvd"].sum())
    fig.text(0.02, 0.955, "Déploiement du programme Petites villes de demain", fontsize=16, fontweight="bold")
    fig.text(0.02, 0.915, f"France — {total:,} Petites villes de demain".replace(",", "\u202f"), fontsize=12)
    main = deps[~deps["code"].isin(list(OVERSEAS))].to_crs(CRS_MESURE)
    ax = fig.add_axes((0.17, 0.07, 0.52, 0.8))
    main.plot(ax=ax, color=main["couleur"], edgecolor="#8A8A8A", linewidth=0.4)
    inside = dots[~dots["dep"].isin(list(OVERSEAS))].to_crs(CRS_MESURE)
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
        here = dots[dots["dep"] == code].to_crs(crs)
        box.scatter(here.geometry.x, here.geometry.y, s=4, color="#5A1E00", linewidths=0, zorder=3)
        box.set_aspect("equal")
        box.set_xticks([]), box.set_yticks([])
        box.set_xlabel(""), box.set_ylabel("")
        for spine in box.spines.values():
            spine.set_edgecolor("#AAAAAA")
        count = int(stats.loc[code, "pvd"])
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


@styled
def bar_chart(table: pd.DataFrame, title: str, sources: str, top: int = 30):
    """Horizontal bars of PVD counts (a stats table: ``nom``, ``pvd``), same style as the maps.

    Territories the PVD list does not cover (NA) have no bar; none covered: :class:`CoverageError`."""
    known = table[table["pvd"].notna()]
    if known.empty:
        raise CoverageError(
            "aucun de ces territoires n'est couvert par la liste PVD chargée : pas de graphique"
        )
    if len(known) < len(table):
        title = f"{title} (territoires couverts par la liste chargée)"
    data = known.sort_values(["pvd", "nom"], ascending=[True, False]).tail(top)
    height = max(3.0, 0.28 * len(data) + 1.5)
    fig = _figure((8.27, height))
    ax = fig.subplots()
    ax.barh([plain(n) for n in data["nom"]], data["pvd"], color=COLOURS["pvd"])
    for y, value in enumerate(data["pvd"]):
        ax.text(value + 0.1, y, str(int(value)), va="center", fontsize=8)
    ax.set_xlabel("Communes Petites villes de demain")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(plain(title), loc="left", fontsize=12, fontweight="bold")
    fig.text(0.01, 0.005, plain(sources), fontsize=6, color="#444444", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


@styled
def timeline_chart(table: pd.DataFrame, title: str, sources: str):
    """Conventions signed per period (``periode``, ``conventions``, ``cumul``): bars and the running
    total, same style as the maps; the number of communes without a date is said under the title."""
    if table.empty:
        raise CoverageError("aucune convention datée dans cette liste : pas de graphique")
    fig = _figure((A4_LANDSCAPE[0], 4.8))
    ax = fig.subplots()
    x = range(len(table))
    ax.bar(x, table["conventions"], color=COLOURS["pvd"], label="conventions signées dans la période")
    ax.set_xticks(
        list(x), [plain(p) for p in table["periode"]], rotation=90 if len(table) > 16 else 0, fontsize=7
    )
    ax.set_ylabel("Conventions signées")
    total = ax.twinx()
    total.plot(list(x), table["cumul"], color="#333333", linewidth=1.5, label="cumul")
    total.set_ylabel("Cumul")
    for axis in (ax, total):
        axis.spines[["top"]].set_visible(False)
    missing = int(table.attrs.get("sans_date", 0))
    ax.set_title(plain(title), loc="left", fontsize=12, fontweight="bold")
    if missing:
        ax.text(0, 1.01, f"{missing} communes sans date de convention dans la liste", transform=ax.transAxes,
                fontsize=7, color="#444444", va="bottom")  # fmt: skip
    fig.text(0.01, 0.005, plain(sources), fontsize=6, color="#444444", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@styled
def encode(fig, fmt: str, path: Path | None = None) -> bytes:
    """Render ``fig`` as PNG (200 dpi), SVG or PDF; write it atomically to ``path`` if given."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format inconnu : {fmt} (attendu : {', '.join(FORMATS)})")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(fmt))
    payload = buffer.getvalue()
    if path is not None:
        atomic_write(Path(path), payload)
    return payload


def _metadata(fmt: str) -> dict:
    if fmt == "png":
        return {"Software": "Atlas PVD"}
    if fmt == "pdf":
        return {"Creator": "Atlas PVD", "Title": "Petites villes de demain"}
    return {"Creator": "Atlas PVD"}


def labels(ax) -> list:
    """The PVD name labels of a map panel (not their halos)."""
    return [t for t in ax.texts if hasattr(t, "xyann") and t.get_gid() != HALO]


def km_per_inch(ax) -> float:
    """Scale of a map panel (for tests: panels side by side share it)."""
    xlim = ax.get_xlim()
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    return (xlim[1] - xlim[0]) / 1000 / width_in


__all__ = [
    "bar_chart",
    "encode",
    "km_per_inch",
    "labels",
    "panel",
    "parse_territoire",
    "place_labels",
    "static_map",
]
