"""The only Streamlit-aware module: cached loaders, URL state, maps, breadcrumb, page furniture."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from . import maps, views
from .assets import LEAFLET_CSS, LEAFLET_JS, assets_installed
from .atlas import Atlas, BuildCorrupt, BuildMissing, load_atlas
from .constants import ANCT_SOURCE, LEVEL_LABEL
from .sources.programmes import read_programmes

DEFAULT_SCOPE = ["30", "32"]


@st.cache_resource(show_spinner="Chargement des données…")
def _atlas() -> Atlas:
    return load_atlas()


def get_atlas() -> Atlas:
    """The read-only atlas, loaded once per process; stops the page with a French message if absent."""
    try:
        return _atlas()
    except (BuildMissing, BuildCorrupt) as exc:
        st.error(f"{exc}\n\nPour réparer : `make run` (ou `python -m pvd_geo build`).")
        st.stop()
        raise


@st.cache_resource
def programmes() -> dict[str, dict]:
    return read_programmes()


def sources_line(atlas: Atlas) -> str:
    """« Sources : ... » with every vintage, for the foot of each page and map."""
    meta = atlas.meta
    return f"Sources : {ANCT_SOURCE} ; contours {meta['contours']} ; {meta['population']}."


def map_assets() -> maps.MapAssets:
    """Leaflet served by this app (``/app/static/vendor``), whatever the base URL path."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    return maps.MapAssets(
        f"{prefix}/app/static/vendor/{LEAFLET_JS}", f"{prefix}/app/static/vendor/{LEAFLET_CSS}"
    )


TILES = {"Sans fond (hors ligne)": None, "OpenStreetMap (en ligne)": "osm", "IGN Plan (en ligne)": "ign"}


def tiles_selector() -> None:
    """Background selector in the sidebar (once per page): none by default, works offline."""
    st.sidebar.radio("Fond de carte", list(TILES), key="fond")


def tiles_choice() -> str | None:
    return TILES.get(st.session_state.get("fond", ""))


@st.cache_resource(max_entries=64, show_spinner=False)
def _communes_map(
    departements: tuple[str, ...],
    epci: str | None,
    tiles: str | None,
    title: str,
    _atlas: Atlas,
    zoom: float | None = None,
):
    atlas = _atlas
    sc = views.scope(atlas, list(departements), epci)
    return maps.communes_map(
        sc.communes,
        sc.epci,
        sc.departements,
        sc.background,
        map_assets(),
        title=title,
        sources=sources_line(atlas),
        population_label=atlas.meta["population"],
        tiles=tiles,
        zoom=zoom,
        bounds=sc.bounds,
    )


@st.cache_resource(max_entries=32, show_spinner=False)
def _territories_map(level: str, region: str | None, tiles: str | None, title: str, _atlas: Atlas):
    atlas = _atlas
    layer = atlas.layer(level)
    if region:
        layer = layer[layer["reg"] == region]
    stats = atlas.stats(level).set_index("code")
    layer = layer.assign(pvd=layer["code"].map(stats["pvd"]), acv=layer["code"].map(stats["acv"]))
    geometry = "geometry_national" if level == "region" else "geometry_departement"
    com = atlas.communes[atlas.communes["pvd"]]
    if region:
        com = com[com["reg"] == region]
    points = com.set_geometry("geometry_departement").representative_point().to_frame("geometry")
    return maps.territories_map(
        layer,
        geometry,
        points,
        map_assets(),
        title=title,
        sources=sources_line(atlas),
        level_label=LEVEL_LABEL[level],
        tiles=tiles,
    )


def show_map(fmap, key: str, height: int = 620) -> tuple[float, float] | None:
    """Draw a folium map; return (lat, lng) of a new click on a shape, else None."""
    if not assets_installed():
        st.error("Cartes indisponibles : lancez « make setup » (installe Leaflet depuis le registre npm).")
        return None
    out = st_folium(fmap, key=key, height=height, width="stretch", returned_objects=["last_object_clicked"])
    clicked = (out or {}).get("last_object_clicked")
    if not clicked:
        return None
    point = (round(clicked["lat"], 6), round(clicked["lng"], 6))
    seen_key = f"_seen_{key}"
    if st.session_state.get(seen_key) == point:
        return None
    st.session_state[seen_key] = point
    return point


def communes_map(atlas: Atlas, departements: list[str], epci: str | None, title: str, key: str):
    """Communes map of a scope; returns the code of a clicked commune."""
    fmap = _communes_map(tuple(departements), epci, tiles_choice(), title, atlas)
    point = show_map(fmap, key)
    return views.locate(atlas, "commune", *point) if point else None


def comparison_map(atlas: Atlas, level: str, code: str, others: list[tuple[str, str]], key: str) -> None:
    """A territory's communes at the zoom shared by all compared territories (same scale)."""
    scopes = {pair: views.comparison_scope(atlas, *pair) for pair in others}
    width = {2: 620, 3: 410, 4: 300}.get(len(others), 300)
    zoom = maps.common_zoom([views.scope(atlas, *s).bounds for s in scopes.values()], width, 460)
    deps, epci = scopes[(level, code)]
    fmap = _communes_map(tuple(deps), epci, tiles_choice(), title=str(code), _atlas=atlas, zoom=zoom)
    show_map(fmap, key, height=480)


def territories_map(atlas: Atlas, level: str, region: str | None, title: str, key: str):
    """Régions or départements shaded by PVD count; returns the code of a clicked territory."""
    fmap = _territories_map(level, region, tiles_choice(), title, atlas)
    point = show_map(fmap, key)
    return views.locate(atlas, level, *point) if point else None


def current_location(atlas: Atlas) -> views.Location:
    """The drill-down location from the URL (unknown codes dropped)."""
    return views.resolve(atlas, {k: st.query_params.get(k) for k in views.LEVELS})


def go(loc: views.Location) -> None:
    """Move to ``loc``: the URL changes (shareable link, back button) and the page reruns."""
    st.query_params.clear()
    st.query_params.update(loc.params())
    st.rerun()


def breadcrumb(atlas: Atlas, loc: views.Location) -> None:
    """Clickable path France › région › département › EPCI › commune."""
    crumbs = views.breadcrumb(atlas, loc)
    cols = st.columns(len(crumbs) + 1 if len(crumbs) < 5 else len(crumbs))
    for i, (label, target) in enumerate(crumbs):
        last = i == len(crumbs) - 1
        if cols[i].button(("› " if i else "") + label, key=f"crumb_{i}", disabled=last, type="tertiary"):
            go(target)


def stats_table(table) -> None:
    """A sortable table with French number formats (sorting stays numeric)."""
    from .format import fr_int

    shown = views.display_table(table)
    ints = [c for c in shown.columns if c not in ("Code", "Nom", "Part de la population en PVD (%)")]
    styler = shown.style.format({c: fr_int for c in ints}).format(
        {"Part de la population en PVD (%)": lambda v: f"{v:.1f}".replace(".", ",")}
    )
    st.dataframe(styler, hide_index=True, width="stretch")


def page_footer(atlas: Atlas) -> None:
    st.caption(sources_line(atlas))
