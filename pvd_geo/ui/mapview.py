"""Maps in the dashboard: prepared maps (memory, then the disk store) made into a ``folium.Map``
with the atlas's plugins (:mod:`pvd_geo.webmap`) and shown by ``st_folium``; a click comes back as
the level and code of the feature clicked (its properties, ``last_active_drawing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from streamlit_folium import st_folium

from .. import store
from ..assets import assets_installed, own_version, sync_own
from ..budget import OverBudget

if TYPE_CHECKING:
    from ..atlas import Atlas
    from ..views import LevelView

from .loaders import _atlas, get_atlas, sources_of
from .state import new_work, on_request_choice, own_column, own_lists_shown, presentation_mode, tiles_choice


@st.cache_resource(max_entries=64, show_spinner=False)
def _communes_map(
    departements: tuple[str, ...],
    epci: str | None,
    tiles: str | None,
    title: str,
    fingerprint: str,
    zoom: float | None = None,
    on_request: tuple[str, ...] = (),
    own: tuple = (),
    focus: str | None = None,
):
    """``focus``: the commune outlined (its page); ``own``: a reader's own lists ((name, codes),
    ...), drawn as dashed outlines; such a map
    stays in this process's memory and is never written to the disk store."""

    def make(atlas: Atlas):
        from .. import views  # pandas: imported only when a map is not stored yet

        spec = views.communes_map_spec(
            atlas,
            list(departements),
            epci,
            title,
            sources_of(atlas),
            tiles=tiles,
            zoom=zoom,
            on_request=on_request,
            own={own_column(name): set(codes) for name, codes in own},
            focus=focus,
        )
        return store.PreparedMap.of(spec)

    if own:
        atlas = get_atlas()  # loaded once for every reader: not charged to this one
        with new_work():
            return make(atlas)
    params = {
        "deps": departements,
        "epci": epci,
        "tiles": tiles,
        "title": title,
        "zoom": zoom,
        "on_request": list(on_request),
        "focus": focus,
    }
    return _stored(fingerprint, "communes", params, make)


@st.cache_resource(max_entries=32, show_spinner=False)
def _territories_map(level: str, region: str | None, tiles: str | None, title: str, fingerprint: str):
    def make(atlas: Atlas):
        from .. import views  # pandas: imported only when a map is not stored yet

        spec = views.territories_map_spec(atlas, level, region, title, sources_of(atlas), tiles=tiles)
        return store.PreparedMap.of(spec)

    params = {"level": level, "region": region, "tiles": tiles, "title": title}
    return _stored(fingerprint, "territoires", params, make)


def _stored(fingerprint: str, kind: str, params: dict, make) -> store.PreparedMap:
    """A prepared map of the data ``fingerprint`` from the disk store (a fresh server skips
    pandas and the atlas), else made from the atlas and stored."""
    key = store.cache_key(fingerprint, kind, params)
    prepared = store.load(key)
    if prepared is None:
        atlas = get_atlas()  # loaded once for every reader: not charged to this one
        with new_work():
            prepared = make(atlas)
        if atlas.fingerprint == fingerprint:  # the data did not change meanwhile
            store.save(key, prepared)
    return prepared


def dashboard_assets():
    """Where the dashboard's maps load their files: Streamlit's static serving (``/app/static/``,
    under the server's base path), the plugins' files with their version."""
    from ..webmap.plugins import Assets

    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    root = f"/{base}/app/static/vendor/" if base else "/app/static/vendor/"
    return Assets(vendor=root, own=root + "atlas/", version=own_version(), bundled=True)


# Presentation mode: on a 1920 × 1080 projector the title, the figures and the map fit without
# scrolling (the browser tests check that the map ends above 1080 px).
PRESENTATION_MAP_HEIGHT = 660
PRESENTATION_SCALE = 1.5  # the maps' names, legend, sources and buttons on a projector
# the comparison's maps, beside its table under the title: together they fit 1920 × 1080 (browser test)
PRESENTATION_COMPARISON_MAP_HEIGHT = 700
# what the map sends back: the clicked feature (its code and level) only — not the view (bounds,
# zoom, centre), so that panning and zooming never rerun the script, and not the clicks' counter,
# whose first value (0, against a default of None) would rerun every page once as its map loads
RETURNED = ["last_active_drawing"]
# ... except on a tab's first screen (:func:`.state.first_screen_only`), where that first value is
# the map's report that it is drawn: it reruns the page, which then draws the rest
RETURNED_FIRST_SCREEN = [*RETURNED, "last_object_clicked_count"]
# the key of that map: it keeps the same arguments on the runs after (its bytes are not sent again)
_FIRST_SCREEN_MAP = "_carte_premier_ecran"


def first_screen_map_shown() -> bool:
    """Whether the first screen's map has its frame (not refused by the reader's budget, assets
    installed): only such a map reports that it is drawn."""
    return _FIRST_SCREEN_MAP in st.session_state


def show_map(
    prepared: store.PreparedMap,
    key: str,
    height: int = 620,
    presentation_height: int = PRESENTATION_MAP_HEIGHT,
    first_screen: bool = False,
) -> tuple[str, str] | None:
    """Draw a prepared map (``presentation_height`` high in presentation mode, its controls and names
    larger); (level, code) of a new click on a feature, else None. ``first_screen``: the map reports
    once it is drawn (:data:`RETURNED_FIRST_SCREEN`).

    ``st_folium`` keeps the map's frame while the map is the same (its key derives from the
    script and ``key``, which carries the map's digest): a rerun redraws nothing in the browser."""
    if not assets_installed():
        st.error("Cartes indisponibles : lancez « make setup » (installe Leaflet depuis le registre npm).")
        return None
    from ..webmap.maps import atlas_map

    sync_own()
    presenting = presentation_mode()
    fmap = atlas_map(  # on a projector the legend is open, whatever the map's size
        prepared.parts,
        dashboard_assets(),
        open_legend_only=presenting,
        label_scale=PRESENTATION_SCALE if presenting else 1.0,
    )
    full_key = f"{key}-{prepared.digest}"
    if first_screen:
        st.session_state[_FIRST_SCREEN_MAP] = full_key
    reporting = st.session_state.get(_FIRST_SCREEN_MAP) == full_key
    out = st_folium(
        fmap,
        key=full_key,
        height=presentation_height if presenting else height,
        use_container_width=True,
        returned_objects=RETURNED_FIRST_SCREEN if reporting else RETURNED,
        render=False,  # st_folium renders the map itself; the whole figure is not needed
    )
    return new_click(out, f"_clic_{full_key}")


def new_click(out: object, seen_key: str) -> tuple[str, str] | None:
    """(level, code) of the feature clicked, once: every click opens a page, so the map that shows
    it again is a new one (its value starts empty, which forgets the click seen)."""
    drawing = out.get("last_active_drawing") if isinstance(out, dict) else None
    props = drawing.get("properties") if isinstance(drawing, dict) else None
    code, level = (props.get("code"), props.get("level")) if isinstance(props, dict) else (None, None)
    if not isinstance(code, str) or not isinstance(level, str):
        st.session_state.pop(seen_key, None)
        return None
    if st.session_state.get(seen_key) == (level, code):
        return None
    st.session_state[seen_key] = (level, code)
    return level, code


def show_communes_map(
    source,
    departements: list[str],
    epci: str | None,
    title: str,
    key: str,
    focus: str | None = None,
    first_screen: bool = False,
):
    """Communes map of a scope of the data ``source`` (the atlas or a catalogue), ``focus``: the
    commune outlined; returns (level, code) of a click (``first_screen``: see :func:`show_map`)."""
    try:
        fmap = _communes_map(
            tuple(departements),
            epci,
            tiles_choice(),
            title,
            source.fingerprint,
            on_request=on_request_choice(),
            own=own_lists_shown(),
            focus=focus,
        )
    except OverBudget as exc:
        st.warning(exc.french("cette carte"))
        return None
    return show_map(fmap, key, first_screen=first_screen)


def show_territories_map(
    source, level: str, region: str | None, title: str, key: str, first_screen: bool = False
):
    """Régions or départements (``source``: the atlas or a catalogue); returns (level, code) of a
    click (``first_screen``: see :func:`show_map`)."""
    try:
        fmap = _territories_map(level, region, tiles_choice(), title, source.fingerprint)
    except OverBudget as exc:
        st.warning(exc.french("cette carte"))
        return None
    return show_map(fmap, key, first_screen=first_screen)


def _reload_atlas() -> None:
    """After a list changed: the next run reloads the atlas (and the maps built from it)."""
    _atlas.clear()
    _communes_map.clear()
    _territories_map.clear()


def level_map(atlas: Atlas, view: LevelView, key: str) -> tuple[str, str] | None:
    """The map of a drill-down level; returns (level, code) of a click."""
    if view.map_level == "commune":
        return show_communes_map(atlas, view.departements, view.epci, view.title, key=key)
    return show_territories_map(atlas, view.map_level, view.region, view.title, key=key)
