"""Files whose address names their content are kept by the browser a year, by the atlas itself.

Streamlit serves a component's files with ``Cache-Control: public`` and no lifetime nor validator:
a browser cannot reuse them, so every new tab downloads streamlit-folium's build again (225 KB for
each first map of a page). Its file names carry their content's hash (``main.521860b0.js``), as
the atlas's own map bundle carries its version (``atlas.js?v=<hash>``) and the search index its
data's fingerprint: such an address never serves other bytes, so :class:`ImmutableAssets`, an ASGI
middleware given to ``st.App`` (:mod:`pvd_geo.ui.server`), sets ``public, max-age=31536000,
immutable`` on them — the rule HAProxy applies in front of the replicas (``deploy/serve.py``), now
also where there is no proxy. Pages, HTML and unversioned addresses keep Streamlit's headers.
"""

from __future__ import annotations

import re

IMMUTABLE = b"public, max-age=31536000, immutable"
# a component's hashed build file (create-react-app / vite names: <name>.<8+ hex>.js|css)
HASHED_BUILD = re.compile(r"/component/[^/]+/static/(?:[^/]+/)*[^/]+\.[0-9a-f]{8,}\.(?:js|css)$")
VERSIONED = re.compile(r"/app/static/vendor/")
SEARCH_INDEX = re.compile(r"/app/static/recherche/index-[0-9a-f]{8,}-\d+\.tsv(?:\.gz)?$")


def immutable(path: str, query: bytes) -> bool:
    """True for an address that names its bytes (hashed name, ``?v=`` version, fingerprint)."""
    if HASHED_BUILD.search(path) or SEARCH_INDEX.search(path):
        return True
    return bool(VERSIONED.search(path)) and re.search(rb"(?:^|&)v=[0-9a-f]+", query) is not None


class ImmutableAssets:
    """ASGI middleware: ``Cache-Control`` of the successful answers to :func:`immutable` addresses
    replaced by :data:`IMMUTABLE`; every other request untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not immutable(scope.get("path", ""), scope.get("query_string", b""))
        ):
            await self.app(scope, receive, send)
            return

        async def send_cached(message):
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await self.app(scope, receive, send_cached)
