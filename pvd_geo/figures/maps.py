"""Press maps (A4 landscape): a territory or several as panels at one scale, and France by
département with the overseas in insets; legend, scale bar, north arrow, locator, sources."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..atlas import Atlas
from ..constants import CRS_MESURE
from ..errors import InvalidInput
from ..levels import AGGREGATED, DEPARTEMENT, EPCI, Level
from ..programmes import principal, registry

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
from .base import A4_LANDSCAPE, COLOURS, _figure, plain, sources_text, styled
from .coverage import check_coverage
from .furniture import crs_of, north_arrow, scale_bar
from .national import national_map
from .placement import NEAR, place_labels
from .region import dissolved, name_departements, number_the_rest, numbered_index, union_of


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

    @cached_property
    def departement_shapes(self) -> gpd.GeoSeries:
        """The panel's départements as the union of their communes (drawn and named on a région's
        map), computed once."""
        return dissolved(self.communes, DEPARTEMENT.column)

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
    epci_with_pvd = set(atlas.communes.loc[atlas.communes[principal().key], EPCI.column].dropna())
    frame = (
        gpd.GeoDataFrame(
            {
                "code": com["code"].to_numpy(),
                "nom": [plain(n) for n in com["nom"]],
                **{p.key: com[p.key].fillna(False).to_numpy(dtype=bool) for p in registry()},
                DEPARTEMENT.column: com[DEPARTEMENT.column].to_numpy(),
                "epci": com[EPCI.column].to_numpy(),
                "epci_pvd": com[EPCI.column].isin(epci_with_pvd).to_numpy(),
                "population": com["population"].to_numpy(),
            },
            geometry=geometry.to_numpy(),
            crs=atlas.communes.crs,
        )
        .dropna(subset=["geometry"])
        .to_crs(crs_of(set(com[DEPARTEMENT.column])))
    )
    outline = gpd.GeoSeries([union_of(frame.geometry)], crs=frame.crs)
    inside = set(frame[DEPARTEMENT.column].tolist())
    names = {c: plain(n) for c, n in atlas.names("departement").items() if c in inside}
    return PressPanel(level, code, plain(layer.loc[code, "nom"]), frame, outline, names)


def _draw_panel(ax, p: PressPanel, xlim, ylim, titled: bool) -> None:
    com = p.communes
    drawn = press_programmes()
    fill = com["epci_pvd"].map({True: COLOURS["epci_pvd"], False: "white"})
    for entry in reversed([e for e in drawn if e.style in ("aplat", "cercle")]):  # the filled one wins
        fill = fill.where(~com[entry.key], entry.couleur)
    com.plot(ax=ax, color=fill, edgecolor="#9A9A9A", linewidth=0.25)
    wide = p.level == "region"  # a région: EPCI limits thin, départements drawn
    dissolved(com, EPCI.column).boundary.plot(ax=ax, color=COLOURS["epci"], linewidth=0.35 if wide else 0.8)
    if wide:
        p.departement_shapes.boundary.plot(ax=ax, color=COLOURS["departement"], linewidth=0.9)
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
        scale_bar(ax, xlim, ylim)
        if i == 0:
            north_arrow(ax, xlim, ylim)
        pvd = p.communes[p.communes[principal().key]].sort_values("population", ascending=False)
        pts = pvd.representative_point()
        points = [(pt.x, pt.y, n) for pt, n in zip(pts, pvd["nom"], strict=True)]
        if p.level == "region":  # names only where they fit by their point, the others numbered
            missed: list = []
            avoid = name_departements(ax, p)
            place_labels(ax, points, fontsize=6.5, radii=NEAR, missed=missed, avoid=avoid)
            numbered += number_the_rest(ax, p, pvd, missed, start=len(numbered) + 1)
        else:
            place_labels(ax, points)
    if numbered:
        numbered_index(fig, numbered)
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
