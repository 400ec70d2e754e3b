"""Names placed without overlap around their points, at print size, with white halos."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import math

import matplotlib.patheffects as pe
import numpy as np

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
from .base import HALO


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


RADII = (3, 8, 14, 22, 32, 45, 60, 80)  # points from the anchor tried, nearest first
NEAR = (3, 8)  # a name right by its point (a région: no leader line across other départements)


def place_labels(
    ax,
    points: list[tuple[float, float, str]],
    fontsize: float = 7.5,
    radii: tuple[float, ...] = RADII,
    missed: list | None = None,
    avoid: list[tuple[float, float, float, float]] = (),
) -> list:
    """Names next to their points so that no two label boxes overlap (greedy, in the given order).

    Each label's size is measured once; candidate boxes around the point at the ``radii`` (points)
    are tested against those taken (one array operation per candidate); far labels get a leader
    line. Returns the Text objects placed; the points that found no room go to ``missed``; no name
    covers a box of ``avoid`` (display pixels: other names already drawn).
    """
    fig = ax.figure
    ax.apply_aspect()  # the equal-aspect box adjustment happens now, not at the first draw
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    to_px = fig.dpi / 72
    taken = np.empty((len(points) + len(avoid), 4))  # x0, y0, x1, y1 of the boxes taken so far
    count = len(avoid)
    if count:
        taken[:count] = avoid
    placed = []
    candidates = list(_candidates(radii))
    for x, y, name in points:
        probe = ax.text(0, 0, name, fontsize=fontsize)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        w, h = extent.width * 1.06 + 2, extent.height * 1.1 + 2
        px, py = ax.transData.transform((x, y))
        choice = None
        boxes = taken[:count]
        for radius, cx, cy in candidates:
            x0 = px + cx * radius * to_px - _align(cx) * w
            y0 = py + cy * radius * to_px - _align(cy) * h
            x1, y1 = x0 + w, y0 + h
            if not (frame.x0 <= x0 and x1 <= frame.x1 and frame.y0 <= y0 and y1 <= frame.y1):
                continue
            if count and np.any(
                (x0 < boxes[:, 2]) & (boxes[:, 0] < x1) & (y0 < boxes[:, 3]) & (boxes[:, 1] < y1)
            ):
                continue
            choice = (radius, cx, cy, (x0, y0, x1, y1))
            break
        if choice is None:
            if missed is not None:
                missed.append((x, y, name))
            continue
        radius, cx, cy, box = choice
        taken[count] = box
        count += 1
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
