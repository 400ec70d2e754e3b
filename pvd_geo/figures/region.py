"""A région's press map: unions of communes, the départements named, the PVD whose names do not
fit numbered, with their index by département."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import geopandas as gpd
import matplotlib.patheffects as pe
import shapely

from ..levels import DEPARTEMENT
from .base import A4_LANDSCAPE

if TYPE_CHECKING:
    from .maps import PressPanel


def union_of(shapes) -> object:
    """The union of communes that tile their territory (shared edges, no overlap): shapely's
    coverage union, several times faster than a general union on a région's 4,000 communes; a
    general union where the tiling is not clean."""
    values = shapely.make_valid(shapes.to_numpy()) if not shapes.is_valid.all() else shapes.to_numpy()
    try:
        return shapely.coverage_union_all(values)
    except shapely.errors.GEOSException:
        return shapely.union_all(values)


def dissolved(com: gpd.GeoDataFrame, by: str) -> gpd.GeoSeries:
    """The communes' union per ``by`` (EPCI, département), as :func:`union_of`."""
    groups = com.groupby(by).geometry
    return gpd.GeoSeries([union_of(g) for _, g in groups], index=list(groups.groups), crs=com.crs)


def _centred(ax, x: float, y: float, text: str, size: float, colour: str, zorder: float):
    """Bold text centred on a point, with a white halo of its size."""
    halo = [pe.Stroke(linewidth=size * 0.3, foreground="white"), pe.Normal()]
    return ax.text(
        x, y, text, fontsize=size, fontweight="bold", color=colour, ha="center", va="center", zorder=zorder,
        path_effects=halo,
    )  # fmt: skip


def name_departements(ax, p: PressPanel) -> list[tuple[float, float, float, float]]:
    """A région's départements named in capitals at their centre, under the communes' names;
    returns their boxes (display pixels), which the communes' names then avoid."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = []
    for code, shape in p.departement_shapes.items():
        point = shape.representative_point()
        text = _centred(ax, point.x, point.y, p.departement_names.get(code, code).upper(), 8, "#707070", 4.5)
        extent = text.get_window_extent(renderer)
        boxes.append((extent.x0, extent.y0, extent.x1, extent.y1))
    return boxes


NUMBER = "pvd-numero"  # the gid of a PVD's number on a région's map


def number_the_rest(ax, p: PressPanel, pvd: gpd.GeoDataFrame, missed: list, start: int) -> list:
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
        _centred(ax, row.point.x, row.point.y, str(number), 5, "#1A1A1A", 6).set_gid(NUMBER)
        out.append((number, row.nom, row.dep_nom))
    return out


def numbered_index(fig, numbered: list[tuple[int, str, str]]) -> None:
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
