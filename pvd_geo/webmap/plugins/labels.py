"""Names without overlap."""

from __future__ import annotations

from .base import AtlasPlugin


class Labels(AtlasPlugin):
    """Places the names the layers registered (largest first), never over another name or a
    control; ``options``: ``{"scale": 1.5}`` for a projector. After the opening view."""

    function = "labels"
    script = "labels.js"
