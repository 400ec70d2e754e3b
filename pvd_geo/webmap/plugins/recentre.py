"""The opening view and the « Recentrer » button."""

from __future__ import annotations

from .base import AtlasPlugin


class Recentre(AtlasPlugin):
    """Frames the territory clear of the legend and the sources (or at a given zoom, for maps
    side by side at one scale) and adds « Recentrer », back to that view. After the controls (their
    size frames the view), before the layers (drawn once, at the final zoom)."""

    function = "recentre"
    script = "recentre.js"
