"""The map component: prepared maps (memory, then the disk store) drawn by the atlas's own
Streamlit component (``pvd_geo/web/component.*`` with ``atlasmap.js``); a click comes back as the
code of the territory or commune clicked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
import streamlit.components.v1 as components

from .. import mapcache
from ..assets import VENDOR_DIR, assets_installed, sync_own

if TYPE_CHECKING:
    from ..atlas import Atlas
    from ..views import LevelView

from .loaders import _atlas, get_atlas, sources_of
from .state import ort_choice, own_column, own_lists_shown, presentation_mode, tiles_choice


@st.cache_resource(max_entries=64, show_spinner=False)
def _communes_map(
    departements: tuple[str, ...],
    epci: str | None,
    tiles: str | None,
    title: str,
    fingerprint: str,
    zoom: float | None = None,
    ort: bool = False,
    own: tuple = (),
):
    """``own``: a reader's own lists ((name, codes), ...), drawn as dashed outlines; such a map
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
            ort=ort,
            own={own_column(name): set(codes) for name, codes in own},
        )
        return mapcache.PreparedMap.of(spec)

    if own:
        return make(get_atlas())
    params = {"deps": departements, "epci": epci, "tiles": tiles, "title": title, "zoom": zoom, "ort": ort}
    return _stored(fingerprint, "communes", params, make)


@st.cache_resource(max_entries=32, show_spinner=False)
def _territories_map(level: str, region: str | None, tiles: str | None, title: str, fingerprint: str):
    def make(atlas: Atlas):
        from .. import views  # pandas: imported only when a map is not stored yet

        spec = views.territories_map_spec(atlas, level, region, title, sources_of(atlas), tiles=tiles)
        return mapcache.PreparedMap.of(spec)

    params = {"level": level, "region": region, "tiles": tiles, "title": title}
    return _stored(fingerprint, "territoires", params, make)


def _stored(fingerprint: str, kind: str, params: dict, make) -> mapcache.PreparedMap:
    """A prepared map of the data ``fingerprint`` from the disk store (a fresh server skips
    pandas and the atlas), else made from the atlas and stored."""
    key = mapcache.cache_key(fingerprint, kind, params)
    prepared = mapcache.load(key)
    if prepared is None:
        atlas = get_atlas()
        prepared = make(atlas)
        if atlas.fingerprint == fingerprint:  # the data did not change meanwhile
            mapcache.save(key, prepared)
    return prepared


_COMPONENT: list = []


def _component():
    """The map component (its page and scripts: the vendor folder, see :func:`assets.sync_own`),
    declared during a page run (Streamlit registers it with the running server only then)."""
    if not _COMPONENT:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        sync_own()
        component = components.declare_component("carte", path=str(VENDOR_DIR))
        if get_script_run_ctx() is None:
            return component
        _COMPONENT.append(component)
    return _COMPONENT[0]


# Presentation mode: on a 1920 × 1080 projector the title, the figures and the map fit without
# scrolling (measured in the browser tests: the map ends above 1080 px).
PRESENTATION_MAP_HEIGHT = 660


def show_map(prepared: mapcache.PreparedMap, key: str, height: int = 620) -> str | None:
    """Draw a prepared map; the code of a new click (territory or commune), else None.

    The component gets the map's description as text, computed once (memory, disk store); a rerun
    with the same map (same digest) redraws nothing in the browser. Panning and zooming never rerun
    the script: only clicks come back."""
    if not assets_installed():
        st.error("Cartes indisponibles : lancez « make setup » (installe Leaflet depuis le registre npm).")
        return None
    out = _component()(
        spec=prepared.spec,
        digest=prepared.digest,
        height=PRESENTATION_MAP_HEIGHT if presentation_mode() else height,
        key=f"{key}-{prepared.digest}",
        default=None,
    )
    if not isinstance(out, dict) or not isinstance(out.get("code"), str):
        return None
    seen_key = f"_seen_{key}"
    click = (out["code"], out.get("n"))
    if st.session_state.get(seen_key) == click:
        return None
    st.session_state[seen_key] = click
    return out["code"]


def show_communes_map(source, departements: list[str], epci: str | None, title: str, key: str):
    """Communes map of a scope of the data ``source`` (the atlas or a catalogue); returns the code
    of a clicked commune."""
    fmap = _communes_map(
        tuple(departements),
        epci,
        tiles_choice(),
        title,
        source.fingerprint,
        ort=ort_choice(),
        own=own_lists_shown(),
    )
    return show_map(fmap, key)


def show_territories_map(source, level: str, region: str | None, title: str, key: str):
    """Régions or départements shaded by PVD count (``source``: the atlas or a catalogue); returns
    the code of a clicked territory."""
    fmap = _territories_map(level, region, tiles_choice(), title, source.fingerprint)
    return show_map(fmap, key)


def _reload_atlas() -> None:
    """After a list changed: the next run reloads the atlas (and the maps built from it)."""
    _atlas.clear()
    _communes_map.clear()
    _territories_map.clear()


def level_map(atlas: Atlas, view: LevelView, key: str) -> str | None:
    """The map of a drill-down level; returns the code clicked (territory or commune)."""
    if view.map_level == "commune":
        return show_communes_map(atlas, view.departements, view.epci, view.title, key=key)
    return show_territories_map(atlas, view.map_level, view.region, view.title, key=key)
