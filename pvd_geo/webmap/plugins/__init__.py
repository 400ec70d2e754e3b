"""The atlas's folium plugins, one concern each (``JSCSSMixin`` + ``MacroElement``, as folium's
own plugins), with their scripts in ``pvd_geo/webmap/static/``. Added to a map in this order:
panels, legend and sources, opening view, layer, labels, gestures (see :func:`..maps.atlas_map`):
the view is set before the layer is drawn, so that it is drawn once, at its final zoom."""

from .base import Assets, AtlasPlugin
from .controls import LegendSources
from .gestures import Gestures
from .labels import Labels
from .layers import CompactLayer
from .panels import Panels
from .recentre import Recentre

__all__ = [
    "Assets",
    "AtlasPlugin",
    "CompactLayer",
    "Gestures",
    "Labels",
    "LegendSources",
    "Panels",
    "Recentre",
]
