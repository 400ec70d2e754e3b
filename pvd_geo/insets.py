"""The overseas départements in insets beside metropolitan France, as the ANCT's national maps
draw them: each one moved and scaled into its own box west of France (scales differ, said in the
legend), so that a national web map shows all of France at once.

Pure geometry on WGS 84 longitudes/latitudes; :func:`to_real` maps a point clicked in a box back
to the real place (the map's clicks find the territory under it).
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

    def backward(self, lng: float, lat: float) -> tuple[float, float]:
        (cx, cy), (tx, ty) = self.source_centre, self.target_centre
        return cx + (lng - tx) / (self.scale * self._kx()), cy + (lat - ty) / self.scale


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


def to_real(lat: float, lng: float, insets: list[Inset]) -> tuple[float, float]:
    """A point clicked on a map with insets, as a real (lat, lng)."""
    for inset in insets:
        minx, miny, maxx, maxy = inset.box
        if minx <= lng <= maxx and miny <= lat <= maxy:
            x, y = inset.backward(lng, lat)
            return y, x
    return lat, lng


def frames(insets: list[Inset]) -> list[tuple[str, shapely.Polygon]]:
    """(name, box) of each inset, to draw their frames."""
    return [(i.name, shapely.box(*i.box)) for i in insets]
