"""Addresses of the static site's pages and the ``<iframe>`` code that embeds them in an article.

Light on purpose (no pandas): the dashboard shows its « Intégrer » snippet on the first screen.
The site's public address is configured once (``PVD_SITE_URL``, :func:`constants.site_url`).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from .constants import DEFAULT_SCOPE

EMBED_HEIGHT = 640  # px: title, figures and map of a page; the page adapts to the frame
PAGES_FILE = "pages.txt"  # written by ``publish`` at the site's root: every page it holds, one a line


def published_pages() -> set[str] | None:
    """The pages of the published site, when the operator says where it is on this machine
    (``PVD_SITE_DIR``, the folder ``publish --out`` wrote): the dashboard then offers a snippet
    only for a page the site has. None when unknown (no folder given, or no list in it)."""
    folder = os.environ.get("PVD_SITE_DIR", "").strip()
    if not folder:
        return None
    try:
        text = (Path(folder) / PAGES_FILE).read_text(encoding="utf-8")
    except OSError:
        return None
    return {line.strip() for line in text.splitlines() if line.strip()}


def territories_of(path: str) -> list[tuple[str, str]]:
    """The territories a site page maps, as (level, code) for a press map: a région, a
    département, an EPCI, the default scope's départements, France; none for a commune."""
    if path == "index.html":
        return [("france", "")]
    folder, _, name = path.partition("/")
    code = name.removesuffix(".html")
    if folder == "perimetre":
        return [("departement", d) for d in code.split("-") if d]
    if folder in ("region", "departement", "epci"):
        return [(folder, code)]
    return []


def page_path(level: str, code: str) -> str:
    """The page of a territory (``region``, ``departement``, ``epci``, ``commune``), relative to
    the site's root: ``departement/30.html``."""
    return f"{level}/{code}.html"


def scope_path(departements: list[str]) -> str:
    """The page of the default scope (several départements): ``perimetre/30-32.html`` (the
    French word in addresses)."""
    return f"perimetre/{'-'.join(sorted(departements))}.html"


def embed_snippet(base_url: str, path: str, title: str, height: int = EMBED_HEIGHT) -> str:
    """The ``<iframe>`` an article pastes: full width (responsive), titled for screen readers,
    lazy-loaded, and the site's own ``integration.js`` (no third party) that sizes it to its page
    (``postMessage``); ``height`` is the fixed height without JavaScript."""
    base = base_url.rstrip("/")
    src = f"{base}/{path}"
    return (
        f'<iframe src="{html.escape(src)}" width="100%" height="{int(height)}" data-atlas-pvd '
        f'style="border:0;max-width:100%" loading="lazy" title="{html.escape(title)}"></iframe>'
        f'<script src="{html.escape(base)}/assets/integration.js" async></script>'
    )


def scope_targets(
    mode: str, departements: list[str], dep_names: dict[str, str], region: str | None, region_name: str
) -> list[tuple[str, str]]:
    """The page(s) of the overview's scope, as (path, title): France (``index.html``), a région,
    the default scope's own page, one département, or one page per département of another
    choice (``mode``: ``france``, ``region`` or ``departements``, as the overview's selector)."""
    if mode == "france":
        return [("index.html", "France")]
    if mode == "region" and region:
        return [(page_path("region", region), region_name)]
    if sorted(departements) == sorted(DEFAULT_SCOPE):
        return [(scope_path(departements), " et ".join(dep_names.get(d, d) for d in DEFAULT_SCOPE))]
    return [(page_path("departement", d), dep_names.get(d, d)) for d in departements]
