"""Static maps and charts for the press (PNG, SVG with real text, PDF A4 landscape), matplotlib.

In the style of the ANCT's departmental maps: title and count, legend, names of the PVD
communes placed without overlap, scale bar in km (Lambert-93), north arrow, an inset locating
the territories in France, and a sources line with vintages and the export date. Several
territories are drawn as panels at the same scale. :mod:`.base` (settings, encoding, sources),
:mod:`.placement` (names without overlap), :mod:`.coverage` (what may be drawn), :mod:`.maps`
(a territory or several), :mod:`.region` (a région: départements named, the PVD that do not fit
numbered), :mod:`.national` (France), :mod:`.furniture` (projections, scale bar, north arrow),
:mod:`.charts`.
"""

from __future__ import annotations

from .base import COLOURS, DPI, FORMATS, HALO, encode, km_per_inch, labels, plain, sources_text, styled
from .charts import bar_chart, timeline_chart
from .coverage import CoverageError, check_coverage
from .maps import PressPanel, national_map, panel, parse_territoire, press_programmes, static_map
from .placement import place_labels

__all__ = [
    "COLOURS",
    "DPI",
    "FORMATS",
    "HALO",
    "CoverageError",
    "PressPanel",
    "bar_chart",
    "check_coverage",
    "encode",
    "km_per_inch",
    "labels",
    "national_map",
    "panel",
    "parse_territoire",
    "place_labels",
    "plain",
    "press_programmes",
    "sources_text",
    "static_map",
    "styled",
    "timeline_chart",
]
