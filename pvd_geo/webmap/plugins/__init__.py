"""The atlas's folium plugins, one concern each (``JSCSSMixin`` + ``MacroElement``, as folium's
own plugins), with their scripts in ``pvd_geo/webmap/static/``. Added to a map in this order:
panels, layer, legend and sources, opening view, labels, gestures (see :func:`..maps.atlas_map`)."""

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
