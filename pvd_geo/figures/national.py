"""France's press map: départements shaded by their number of PVD, PVD as dots, the overseas
départements in insets at their own scale."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
import math

import geopandas as gpd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..atlas import Atlas
from ..constants import CRS_MESURE
from ..levels import DEPARTEMENT
from ..programmes import principal
from ..webmap.spec import RAMP as SHARE_RAMP
from .base import A4_LANDSCAPE, _figure, plain, sources_text, styled
from .coverage import check_coverage
from .furniture import LOCAL_CRS, north_arrow, scale_bar

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
    scale_bar(ax, xlim, ylim)
    north_arrow(ax, xlim, ylim)
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
