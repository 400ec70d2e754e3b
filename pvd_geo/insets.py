"""The overseas départements in insets beside metropolitan France, as the ANCT's national maps
draw them: each one moved and scaled into its own box west of France (scales differ, said in the
legend), so that a national web map shows all of France at once.

Pure geometry on WGS 84 longitudes/latitudes; a click on a moved territory sends its code (each
feature of the map's layer carries it), so nothing is mapped back.
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import math
from dataclasses import dataclass

import numpy as np
import shapely

from .errors import InvalidInput

# Boxes (centre longitude, centre latitude), stacked in the Atlantic west of Brittany and the
# Bay of Biscay, north to south, in the order of their INSEE codes.
OVERSEAS = {
    "971": ("Guadeloupe", (-8.6, 49.6)),
    "972": ("Martinique", (-8.6, 47.9)),
    "973": ("Guyane", (-8.6, 46.2)),
    "974": ("La Réunion", (-8.6, 44.5)),
    "976": ("Mayotte", (-8.6, 42.8)),
}
OVERSEAS_REGIONS = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
BOX = (2.3, 1.55)  # width (degrees of longitude), height (degrees of latitude)


@dataclass(frozen=True)
class Inset:
    """How one overseas département is moved into its box."""

    code: str
    name: str
    source_centre: tuple[float, float]
    target_centre: tuple[float, float]
    scale: float  # target degrees of latitude per source degree of latitude

    @property
    def box(self) -> tuple[float, float, float, float]:
        tx, ty = self.target_centre
        return (tx - BOX[0] / 2, ty - BOX[1] / 2, tx + BOX[0] / 2, ty + BOX[1] / 2)

    def _kx(self) -> float:  # longitude stretch between the two latitudes (shapes stay true)
        return math.cos(math.radians(self.source_centre[1])) / math.cos(math.radians(self.target_centre[1]))

    def forward(self, coords: np.ndarray) -> np.ndarray:
        (cx, cy), (tx, ty) = self.source_centre, self.target_centre
        out = np.empty_like(coords)
        out[:, 0] = tx + (coords[:, 0] - cx) * self.scale * self._kx()
        out[:, 1] = ty + (coords[:, 1] - cy) * self.scale
        return out


def make_insets(bounds: dict[str, tuple[float, float, float, float]]) -> list[Inset]:
    """One inset per overseas département found in ``bounds`` (code → lon/lat bounds)."""
    out = []
    for code, (name, target) in OVERSEAS.items():
        if code not in bounds:
            continue
        minx, miny, maxx, maxy = bounds[code]
        centre = ((minx + maxx) / 2, (miny + maxy) / 2)
        kx = math.cos(math.radians(centre[1])) / math.cos(math.radians(target[1]))
        width, height = max((maxx - minx) * kx, 1e-6), max(maxy - miny, 1e-6)
        scale = 0.88 * min(BOX[0] / width, BOX[1] / height)
        out.append(Inset(code, name, centre, target, scale))
    return out


def overseas_of(code: str, level: str) -> str | None:
    """The overseas département of a territory code of ``level`` (``region``, ``departement``,
    ``commune``): the régions 01–06 are overseas, the départements 01–06 are not."""
    if level == "region":
        return OVERSEAS_REGIONS.get(code)
    if level == "departement":
        return code if code in OVERSEAS else None
    if level == "commune":
        return next((dep for dep in OVERSEAS if code.startswith(dep)), None)
    raise InvalidInput(f"niveau inconnu : {level}")


def move(geometries: np.ndarray, codes: list[str], level: str, insets: list[Inset]) -> np.ndarray:
    """Geometries of overseas territories of ``level`` (by code) moved into their boxes."""
    by_dep = {i.code: i for i in insets}
    out = np.array(geometries, dtype=object).copy()
    for k, code in enumerate(codes):
        inset = by_dep.get(overseas_of(str(code), level) or "")
        if inset is not None and out[k] is not None:
            out[k] = shapely.transform(out[k], inset.forward)
    return out


def frames(insets: list[Inset]) -> list[tuple[str, shapely.Polygon]]:
    """(name, box) of each inset, to draw their frames."""
    return [(i.name, shapely.box(*i.box)) for i in insets]


# Distant territories side by side (a map of the Gard and the Gers): each group of neighbouring
# départements is moved, in Web-Mercator space (shapes and scale on screen unchanged), into a panel
# of a grid; the map then shows every territory whole, at one scale, without the empty land between.
MERCATOR_LIMIT = 85.0


def _merc(lat: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -MERCATOR_LIMIT, MERCATOR_LIMIT)) / 2))


def _lat(y: np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


@dataclass(frozen=True)
class Panel:
    """One group of départements moved by ``dx`` degrees of longitude and ``dy`` Mercator units."""

    name: str
    codes: tuple[str, ...]
    dx: float
    dy: float
    box: tuple[float, float, float, float]  # where the panel lies on the map (lon/lat)
    frame: tuple[float, float, float, float]  # what it shows, in real lon/lat

    def forward(self, coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = coords[:, 0] + self.dx
        out[:, 1] = _lat(_merc(coords[:, 1]) + self.dy)
        return out


def _groups(bounds: dict[str, tuple[float, float, float, float]], gap: float) -> list[list[str]]:
    """Départements whose frames come within ``gap`` degrees of each other, in groups."""
    codes = sorted(bounds)
    parent = {c: c for c in codes}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = bounds[a], bounds[b]
            if ax0 - gap <= bx1 and bx0 - gap <= ax1 and ay0 - gap <= by1 and by0 - gap <= ay1:
                parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for c in codes:
        groups.setdefault(root(c), []).append(c)
    return list(groups.values())


def make_panels(
    bounds: dict[str, tuple[float, float, float, float]], names: dict[str, str], aspect: float = 1.8
) -> list[Panel]:
    """Panels for départements (code → real bounds) lying in several distant groups; none (an empty
    list) when they form one group. ``aspect``: the map's width / height, for the grid's shape."""
    if len(bounds) < 2:
        return []
    size = max(max(x1 - x0, y1 - y0) for x0, y0, x1, y1 in bounds.values())
    groups = _groups(bounds, 0.35 * size)
    if len(groups) < 2:
        return []
    frames = []
    for group in groups:
        x0 = min(bounds[c][0] for c in group)
        y0 = min(bounds[c][1] for c in group)
        x1 = max(bounds[c][2] for c in group)
        y1 = max(bounds[c][3] for c in group)
        pad = 0.06 * max(x1 - x0, y1 - y0)
        frames.append((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    order = sorted(range(len(groups)), key=lambda k: (frames[k][0] + frames[k][2]) / 2)
    # cell size in Mercator units (x: radians of longitude, y: Mercator y)
    spans = [
        (math.radians(f[2] - f[0]), float(_merc(np.array([f[3]]))[0] - _merc(np.array([f[1]]))[0]))
        for f in frames
    ]
    cell_w, cell_h = max(w for w, _ in spans), max(h for _, h in spans)
    columns = max(1, min(len(groups), round(math.sqrt(len(groups) * aspect * cell_h / cell_w))))
    first = frames[order[0]]
    origin_x = math.radians(first[0])
    origin_y = float(_merc(np.array([first[3]]))[0])  # the grid hangs from the first panel's top
    gutter = 0.04 * cell_w
    panels = []
    for slot, k in enumerate(order):
        row, col = divmod(slot, columns)
        f, (w, h) = frames[k], spans[k]
        left = origin_x + col * (cell_w + gutter) + (cell_w - w) / 2
        top = origin_y - row * (cell_h + gutter) - (cell_h - h) / 2
        dx = math.degrees(left) - f[0]
        dy = top - float(_merc(np.array([f[3]]))[0])
        box = (
            f[0] + dx,
            float(_lat(_merc(np.array([f[1]])) + dy)[0]),
            f[2] + dx,
            float(_lat(np.array([top]))[0]),
        )
        name = " – ".join(names.get(c, c) for c in groups[k])
        panels.append(Panel(name, tuple(groups[k]), dx, dy, box, f))
    return panels
