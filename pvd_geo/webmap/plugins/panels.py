"""Panels and insets: distant territories side by side at one scale, framed and named."""

from __future__ import annotations

from .base import AtlasPlugin


class Panels(AtlasPlugin):
    """Frames and names of the panels laid out by the server (:mod:`pvd_geo.insets`); on a tall
    map, communes panels are restacked in one column when that shows them larger. Added first: the view
    and the layers follow the panels' moves."""

    function = "panels"
    script = "panels.js"
