"""Compact TopoJSON layers whose features carry their codes (communes, départements, régions)."""

from __future__ import annotations

from .base import AtlasPlugin


class CompactLayer(AtlasPlugin):
    """Quantized TopoJSON (arcs as text) drawn as Leaflet vector layers: styles by programme,
    outlines from shared borders, tooltips as text, proportional symbols on territory maps. A
    clicked feature's GeoJSON is its code and level (read by ``st_folium``'s
    ``last_active_drawing``); on the static site a click opens the feature's page."""

    function = "layer"
    script = "layers.js"
    vendor_js = ("topojson-client/topojson-client.min.js",)
