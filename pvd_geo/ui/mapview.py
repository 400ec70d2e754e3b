"""The map component: prepared maps (memory, then the disk store) drawn with streamlit-folium, clicks
back to codes."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
import streamlit.components.v1 as components

from .. import mapcache
from ..assets import assets_installed, map_urls, sync_own
from ..constants import LEVEL_LABEL

if TYPE_CHECKING:
    from ..atlas import Atlas
    from ..views import LevelView

from .loaders import _atlas, get_atlas, sources_of
from .state import ort_choice, own_column, own_lists_shown, presentation_mode, tiles_choice

_SYNCED: list[bool] = []


def map_assets() -> mapcache.MapAssets:
    """Leaflet, topojson-client and the atlas's map script served by this app
    (``/app/static/vendor``), whatever the base URL path."""
    if not _SYNCED:
        sync_own()
        _SYNCED.append(True)
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    js, css = map_urls(f"{prefix}/app/static/vendor/")
    return mapcache.MapAssets(js, css)


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
    assets = map_assets()

    def make(atlas: Atlas):
        from .. import maps, views  # folium, pandas: imported only when a map is not stored yet

        sc = views.scope(atlas, list(departements), epci)
        communes = sc.communes.assign(
            **{own_column(name): sc.communes["code"].isin(set(codes)).to_numpy() for name, codes in own}
        )
        return prepare(
            maps.communes_map(
                communes,
                sc.epci,
                sc.departements,
                sc.background,
                assets,
                title=title,
                sources=sources_of(atlas),
                population_label=atlas.meta["population"],
                tiles=tiles,
                zoom=zoom,
                bounds=sc.bounds,
                programmes=[*atlas.selections, *(own_column(name) for name, _ in own)],
                ort=ort,
                panels=[(p.name, p.box) for p in sc.panels],
                outline="epci" if epci else "departement",
            )
        )

    if own:
        return make(get_atlas())
    params = {"deps": departements, "epci": epci, "tiles": tiles, "title": title, "zoom": zoom, "ort": ort}
    return _stored(fingerprint, "communes", {**params, "assets": assets.js}, make)


@st.cache_resource(max_entries=32, show_spinner=False)
def _territories_map(level: str, region: str | None, tiles: str | None, title: str, fingerprint: str):
    assets = map_assets()

    def make(atlas: Atlas):
        from .. import maps, views  # folium, pandas: imported only when a map is not stored yet

        layer = atlas.layer(level)
        if region:
            layer = layer[layer["reg"] == region]
        stats = atlas.stats(level).set_index("code")
        layer = layer.assign(pvd=layer["code"].map(stats["pvd"]), acv=layer["code"].map(stats["acv"]))
        # all France: national generalisation; a région's départements: département generalisation
        geometry = "geometry_national" if level == "region" or not region else "geometry_departement"
        com = atlas.communes[atlas.communes["pvd"]]
        if region:
            com = com[com["reg"] == region]
        points = com.set_geometry("geometry_departement").representative_point().to_frame("geometry")
        found = [] if region else views.national_insets(atlas)  # France: overseas in insets
        if found:
            layer = views.with_insets(layer, geometry, level, found)
            points = views.with_insets(
                points.assign(code=com["code"].to_numpy()), "geometry", "commune", found
            )
        bounds = tuple(layer[geometry].total_bounds) if found else views.main_bounds(layer, geometry)
        return prepare(
            maps.territories_map(
                layer,
                geometry,
                points,
                assets,
                title=title,
                sources=sources_of(atlas),
                level_label=LEVEL_LABEL[level],
                tiles=tiles,
                bounds=bounds,
                insets=insets_frames(found),
            )
        )

    params = {"level": level, "region": region, "tiles": tiles, "title": title}
    return _stored(fingerprint, "territoires", {**params, "assets": assets.js}, make)


def insets_frames(found) -> list:
    from ..insets import frames

    return frames(found)


def _stored(fingerprint: str, kind: str, params: dict, make) -> mapcache.PreparedMap:
    """A prepared map of the data ``fingerprint`` from the disk store (a fresh server skips
    folium and the atlas), else made from the atlas and stored."""
    key = mapcache.cache_key(fingerprint, kind, params)
    prepared = mapcache.load(key)
    if prepared is None:
        atlas = get_atlas()
        prepared = make(atlas)
        if atlas.fingerprint == fingerprint:  # the data did not change meanwhile
            mapcache.save(key, prepared)
    return prepared


# The streamlit-folium front end, declared here so that drawing a stored map needs neither
# folium nor streamlit_folium's Python module (both slow to import on a fresh server).
_FOLIUM_FRONTEND = Path(importlib.util.find_spec("streamlit_folium").origin).parent / "frontend" / "build"

_COMPONENT: list = []


def _st_folium():
    """The component, declared during a page run (Streamlit registers it with the running server
    only then: a declaration at import time, e.g. by ``pvd_geo.serve``'s preload, would not be)."""
    if not _COMPONENT:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        component = components.declare_component("st_folium", path=str(_FOLIUM_FRONTEND))
        if get_script_run_ctx() is None:
            return component
        _COMPONENT.append(component)
    return _COMPONENT[0]


# Presentation mode: on a 1920 × 1080 projector the title, the figures and the map fit without
# scrolling (measured in the browser tests: the map ends above 1080 px).
PRESENTATION_MAP_HEIGHT = 660


def show_map(prepared: mapcache.PreparedMap, key: str, height: int = 620) -> tuple[float, float] | None:
    """Draw a prepared map with the streamlit-folium component; (lat, lng) of a new click, else None.

    The component is called with the map rendered once and cached (``maps.prepare``): a rerun
    ships the same arguments without re-rendering folium. Only clicks come back (``returned_objects``),
    so panning and zooming never rerun the script.
    """
    if not assets_installed():
        st.error("Cartes indisponibles : lancez « make setup » (installe Leaflet depuis le registre npm).")
        return None
    returned = ["last_object_clicked"]
    out = _st_folium()(
        script=prepared.script,
        header=prepared.header,
        html=prepared.html,
        id=prepared.map_id,
        key=f"{key}-{prepared.digest}",
        height=PRESENTATION_MAP_HEIGHT if presentation_mode() else height,
        width=None,
        returned_objects=returned,
        default={"last_object_clicked": None},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=prepared.css_links,
        js_links=prepared.js_links,
        on_change=None,
        wrap_longitude=False,
    )
    clicked = (out or {}).get("last_object_clicked")
    if not clicked:
        return None
    point = (round(clicked["lat"], 6), round(clicked["lng"], 6))
    seen_key = f"_seen_{key}"
    if st.session_state.get(seen_key) == point:
        return None
    st.session_state[seen_key] = point
    return point


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
    point = show_map(fmap, key)
    if not point:
        return None
    from .. import views  # a click: the atlas is needed to find the commune

    atlas = get_atlas()
    panels = [] if epci else views.scope_panels(atlas, departements)
    return views.locate(atlas, "commune", *point, panels=panels)


def show_territories_map(source, level: str, region: str | None, title: str, key: str):
    """Régions or départements shaded by PVD count (``source``: the atlas or a catalogue); returns
    the code of a clicked territory."""
    fmap = _territories_map(level, region, tiles_choice(), title, source.fingerprint)
    point = show_map(fmap, key)
    if not point:
        return None
    from .. import views  # a click: the atlas is needed to find the territory

    return views.locate(get_atlas(), level, *point, national=region is None)


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


def _links(element, attribute: str) -> list[str]:
    found = [url for _, url in getattr(element, attribute, [])]
    for child in getattr(element, "_children", {}).values():
        found += _links(child, attribute)
    return list(dict.fromkeys(found))


def prepare(fmap) -> mapcache.PreparedMap:
    """Render a folium map the way streamlit-folium does, once; the map itself is left untouched.

    streamlit-folium has no public API for this: its private helpers (``_get_html``, ``_get_header``,
    ``_get_map_string``) are used here and only here; ``tests/test_layers.py`` fails loudly if they
    change."""
    import copy

    import streamlit_folium as sf

    from ..maps import compact_json

    work = copy.deepcopy(fmap)
    with compact_json():  # our maps' data without spaces, for this render only
        work.get_root().render()
        work.render()
        html_part, header = sf._get_html(work), sf._get_header(work)
    return mapcache.PreparedMap(
        script=sf._get_map_string(work),
        header=header,
        html=html_part,
        map_id=sf.get_full_id(work),
        css_links=_links(work, "default_css"),
        js_links=_links(work, "default_js"),
    )
