"""Names placed without overlap around their points, at print size, with white halos."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import math

import matplotlib.patheffects as pe
from matplotlib.transforms import Bbox

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
