"""The territory search on the overview and on Territoires: a field that finds communes, EPCI,
départements and régions while the reader types, in the reader's browser.

A Streamlit component (the public ``st.components.v2`` API, no iframe): its script
(``recherche.js``) downloads the atlas's search index once — a static file of the atlas
(``/app/static/recherche/``, :func:`pvd_geo.views.search.index_gzip`), named by the data's
fingerprint so that a browser may keep it — and ranks the names itself. The server only hears the
reader's choice (one message, as a click on the map), and checks it: a level it knows and a code
of the loaded atlas, or nothing happens.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from .. import programmes, views
from ..assets import STATIC_DIR
from ..atlas import Atlas
from ..files import atomic_write
from ..levels import COMMUNE, LEVELS
from .state import open_territory, presentation_mode

SEARCH_DIR = STATIC_DIR / "recherche"
KEPT = 4  # index files kept: the current one and a few before it (servers not yet restarted)
HERE = Path(__file__).resolve().parent
LABEL = "Rechercher une commune ou un territoire"
PLACEHOLDER = "ex. Quissac, st hippolyte, le grau, Gers, CC du Piémont"
_HTML = (
    '<div class="atlas-recherche"><label for="atlas-recherche-champ">{label}</label>'
    '<input id="atlas-recherche-champ" type="search" role="combobox" aria-autocomplete="list" '
    'aria-expanded="false" aria-controls="atlas-recherche-liste" autocomplete="off" '
    'spellcheck="false" enterkeyhint="search">'
    '<ul id="atlas-recherche-liste" role="listbox" aria-label="Territoires trouvés" hidden></ul>'
    '<p class="etat" role="status" aria-live="polite"></p></div>'
)
_COMPONENT = st.components.v2.component(
    "atlas_recherche",
    html=_HTML.format(label=LABEL),
    css=(HERE / "recherche.css").read_text(encoding="utf-8"),
    js=(HERE / "recherche.js").read_text(encoding="utf-8"),
)
_written: set[str] = set()
_lock = threading.Lock()


def index_name(atlas: Atlas) -> str:
    return f"index-{atlas.fingerprint}-{views.search.FORMAT}.tsv"


def ensure_index(atlas: Atlas, folder: Path = SEARCH_DIR) -> str:
    """The index file of ``atlas`` (written once per data version, compressed and plain, each
    through a temporary file); older ones beyond :data:`KEPT` are removed. Returns its name."""
    name = index_name(atlas)
    with _lock:
        if name in _written and (folder / f"{name}.gz").is_file():
            return name
        if not (folder / f"{name}.gz").is_file():
            packed = views.index_gzip(atlas)
            atomic_write(folder / name, views.index_text(atlas).encode("utf-8"))
            atomic_write(folder / f"{name}.gz", packed)  # last: its presence means both are there
            olds = sorted(folder.glob("index-*.tsv.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in olds[KEPT:]:
                old.unlink(missing_ok=True)
                old.with_suffix("").unlink(missing_ok=True)
        _written.add(name)
    return name


def index_url(name: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return (f"/{base}" if base else "") + f"/app/static/recherche/{name}"


def chosen(atlas: Atlas, value: object) -> dict[str, str] | None:
    """The reader's choice (``"com:30210"``) as address parameters, if it names a territory of the
    loaded atlas; anything else is ignored."""
    if not isinstance(value, str) or ":" not in value or len(value) > 40:
        return None
    key, code = value.split(":", 1)
    level = next((lv for lv in LEVELS if lv.url == key), None)
    if level is None:
        return None
    codes = atlas.communes["code"] if level is COMMUNE else atlas.names(level.key).index
    return {level.url: code} if code in set(codes) else None


def search_box(atlas: Atlas, deps: tuple[str, ...] = (), regs: tuple[str, ...] = (), key: str = "recherche"):
    """The search field; the territories of ``deps`` and ``regs`` (the page's) come first. A choice
    opens its page on Territoires. Not in presentation mode: a projector shows the view, whose
    maps and breadcrumb still lead elsewhere (and the overview's map keeps its first screen)."""
    if presentation_mode():
        return
    data = {
        "url": index_url(ensure_index(atlas)),
        "deps": list(deps),
        "regs": list(regs),
        "placeholder": PLACEHOLDER,
        "labels": {level.url: level.label for level in LEVELS},
        "mark": programmes.principal().court,
    }
    result = _COMPONENT(key=key, data=data, on_choix_change=lambda: None)
    target = chosen(atlas, getattr(result, "choix", None))
    if target:
        open_territory(target)
