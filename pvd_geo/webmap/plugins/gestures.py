"""Cooperative gestures: the page scrolls under the wheel and one finger."""

from __future__ import annotations

from .base import AtlasPlugin

HINTS = {
    "scroll": "Pour zoomer, maintenez Ctrl et tournez la molette",
    "scrollMac": "Pour zoomer, maintenez ⌘ et tournez la molette",
    "touch": "Déplacez la carte avec deux doigts",
}


class Gestures(AtlasPlugin):
    """``leaflet-gesture-handling`` (npm, MIT) with French hints: wheel zoom only with Ctrl/⌘, two
    fingers to pan on a touch screen."""

    function = "gestures"
    script = "gestures.js"
    vendor_js = ("leaflet-gesture-handling/leaflet-gesture-handling.min.js",)
    vendor_css = ("leaflet-gesture-handling/leaflet-gesture-handling.min.css",)
    css = ()
