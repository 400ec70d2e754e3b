"""Legend and sources as Leaflet controls, with a metric scale, full screen and print."""

from __future__ import annotations

from .base import AtlasPlugin


class LegendSources(AtlasPlugin):
    """The legend (classes, swatches, symbols, hatching) and the sources line naming the lists
    and their dates; ``options``: ``{"open": true}`` keeps both open on a small map (an embed)."""

    function = "controls"
    script = "controls.js"
