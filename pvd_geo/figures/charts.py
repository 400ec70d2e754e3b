"""Charts for the press: PVD per territory as bars, conventions over time."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split


import pandas as pd

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
from ..programmes import principal
from .base import A4_LANDSCAPE, COLOURS, _figure, plain, styled
from .coverage import CoverageError


@styled
def bar_chart(table: pd.DataFrame, title: str, sources: str, top: int = 30):
    """Horizontal bars of the principal programme's counts (a stats table: ``nom`` and its column,
    ``pvd``), same style as the maps.

    Territories its list does not cover (NA) have no bar; none covered: :class:`CoverageError`."""
    main = principal()
    known = table[table[main.key].notna()]
    if known.empty:
        raise CoverageError(
            f"aucun de ces territoires n'est couvert par la liste {main.court} chargée : pas de graphique"
        )
    if len(known) < len(table):
        title = f"{title} (territoires couverts par la liste chargée)"
    data = known.sort_values([main.key, "nom"], ascending=[True, False]).tail(top)
    height = max(3.0, 0.28 * len(data) + 1.5)
    fig = _figure((8.27, height))
    ax = fig.subplots()
    ax.barh([plain(n) for n in data["nom"]], data[main.key], color=COLOURS[main.key])
    for y, value in enumerate(data[main.key]):
        ax.text(value + 0.1, y, str(int(value)), va="center", fontsize=8)
    ax.set_xlabel(f"Communes {main.nom}")
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
    ax.bar(
        x, table["conventions"], color=COLOURS[principal().key], label="conventions signées dans la période"
    )
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
