"""The furniture of a press map: the overseas départements' projections, scale bar, north arrow."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from matplotlib.patches import FancyArrow, Rectangle

from ..constants import CRS_MESURE

# Overseas départements are drawn in their own metric projections (Lambert-93 is for the mainland).
LOCAL_CRS = {
    "971": "EPSG:5490",
    "972": "EPSG:5490",
    "973": "EPSG:2972",
    "974": "EPSG:2975",
    "976": "EPSG:4471",
}


def crs_of(departements: set[str]) -> str:
    """Lambert-93 on the mainland; an overseas département's own projection."""
    local = {LOCAL_CRS.get(d) for d in departements}
    return local.pop() if len(local) == 1 and None not in local else CRS_MESURE


def nice_length(metres: float) -> int:
    """A round scale-bar length (km) close to ``metres`` / 5."""
    target = metres / 5 / 1000
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if step >= target:
            return step
    return 1000


def scale_bar(ax, xlim, ylim) -> None:
    width = xlim[1] - xlim[0]
    km = nice_length(width)
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


def north_arrow(ax, xlim, ylim) -> None:
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
