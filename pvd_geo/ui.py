"""The only Streamlit-aware module: cached loaders, URL state, maps, breadcrumb, page furniture."""

from __future__ import annotations

import html
import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
import streamlit.components.v1 as components

from . import credits, mapcache, summary
from .assets import LEAFLET_CSS, LEAFLET_JS, assets_installed
from .constants import EMBEDDED_DIR, LEVEL_LABEL, PROGRAMMES, build_dir, selection_dir
from .format import fr_int
from .sources.programmes import read_programmes

if TYPE_CHECKING:
    from .atlas import Atlas


class _OnFirstUse:
    """A module imported when first used: the overview's first screen, drawn from the stored
    summary and map (:mod:`pvd_geo.summary`), must not wait for pandas and geopandas."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


views = _OnFirstUse("pvd_geo.views")
atlas_module = _OnFirstUse("pvd_geo.atlas")

DEFAULT_SCOPE = ["30", "32"]
PVD_COLOUR = "#D55E00"  # as on the maps (Okabe–Ito vermilion)
PAGE_ACCUEIL = "dashboard.py"
PAGE_TERRITOIRE = "pages/1_Territoire.py"
PAGE_COMPARER = "pages/2_Comparer.py"
PAGE_EXPORTER = "pages/3_Exporter.py"
PAGE_DONNEES = "pages/4_Donnees.py"
NAVIGATION = [
    (PAGE_ACCUEIL, "Vue d'ensemble", ":material/map:"),
    (PAGE_TERRITOIRE, "Territoires", ":material/travel_explore:"),
    (PAGE_COMPARER, "Comparer", ":material/compare:"),
    (PAGE_EXPORTER, "Exporter", ":material/download:"),
    (PAGE_DONNEES, "Données", ":material/database:"),
]


PRESENTATION_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {display: none !important;}
.block-container {max-width: 100% !important; padding: 1rem 2rem !important;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.35rem !important;}
h1 {font-size: 3.2rem !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {font-size: 3.6rem !important;
  overflow: visible !important; text-overflow: clip !important;
  font-weight: 700 !important; line-height: 1.1 !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p {font-size: 1.4rem !important;
  white-space: normal !important; overflow: visible !important;}
</style>"""


LANG_FR = "<script>parent.document.documentElement.lang = 'fr';</script>"


def presentation_mode() -> bool:
    """``?mode=presentation``: large type, no sidebar, full-width map (meetings, projectors)."""
    return st.query_params.get("mode") == "presentation"


def sidebar() -> None:
    """The navigation (French labels), the map background and, in presentation mode, its styles."""
    if presentation_mode():
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # a constant: no data in it
    for page, label, icon in NAVIGATION:
        st.sidebar.page_link(page, label=label, icon=icon)
    st.sidebar.divider()
    tiles_selector()
    with st.sidebar:
        # Streamlit's page says lang="en" and has no option for it: screen readers would read
        # French with English rules. A zero-height frame of this app (same origin) sets it.
        st.iframe(LANG_FR, height=1, tab_index=-1, alt="Langue de la page : français")


@st.cache_resource(show_spinner="Chargement des données…", max_entries=2)
def _atlas(directory: str, selections: str, signature: tuple = ()) -> Atlas:
    """``signature`` only keys the cache (:func:`pvd_geo.summary.data_signature`): a list imported or
    updated by another process (another replica, the command line) or a new build is picked up
    at the next page run."""
    return atlas_module.load_atlas(Path(directory), Path(selections))


def cached_atlas() -> Atlas:
    """The atlas of the current build and lists, from the process-wide cache (loaded if needed)."""
    directory = build_dir()
    lists = selection_dir()
    return _atlas(str(directory), str(lists), summary.data_signature(directory, lists))


def get_atlas() -> Atlas:
    """The read-only atlas, loaded once per process and data version; stops the page with a French
    message if the build is absent or damaged."""
    try:
        return cached_atlas()
    except (atlas_module.BuildMissing, atlas_module.BuildCorrupt) as exc:
        st.error(f"{md(exc)}\n\nPour réparer : `make run` (ou `python -m pvd_geo build`).")
        st.stop()
        raise


def catalogue() -> summary.Catalogue:
    """Names of the territories and sources of the data in use: from the disk store when this
    data version was seen before (no pandas, no atlas), else from the atlas (then stored)."""
    signature = summary.data_signature(build_dir(), selection_dir())
    found = summary.load_catalogue(signature)
    if found is not None:
        return found
    atlas = get_atlas()
    made = summary.catalogue_of(atlas)
    if summary.data_signature(build_dir(), selection_dir()) == signature:  # not changed while loading
        summary.save_catalogue(signature, made)
    return made


def scope_figures(source, departements: list[str]) -> dict:
    """``{"name", "totals"}`` of a scope of the data ``source`` (a catalogue or the atlas)."""
    found = summary.load_figures(source.fingerprint, departements)
    if found is not None:
        return found
    atlas = get_atlas()
    figures = summary.scope_figures(atlas, departements)
    if atlas.fingerprint == source.fingerprint:
        summary.save_figures(source.fingerprint, departements, figures)
    return figures


@st.cache_resource
def programmes() -> dict[str, dict]:
    return read_programmes()


def lists_of(source) -> dict[str, dict]:
    """The lists in use as plain data (``source``: the atlas or a catalogue)."""
    return source.lists if isinstance(source, summary.Catalogue) else views.lists_json(source)


def sources_line(source) -> str:
    """« Sources : ... » naming each list with its date and coverage, and every vintage, for the
    foot of each page and map (``source``: the atlas or a catalogue)."""
    return credits.sources_line(source.meta, lists_of(source))


def coverage_warning(source, departements: list[str], programme: str = "pvd") -> bool:
    """When the programme's list does not cover these départements, say so (with how to load the
    national list) and return True."""
    info = lists_of(source).get(programme)
    cover = None if info is None or credits.is_national(info) else set(info.get("couverture", []))
    if cover is None and info is not None:
        return False
    if info is not None and set(departements) <= cover:
        return False
    st.warning(coverage_text(lists_of(source), programme))
    return True


def coverage_text(lists: dict[str, dict], programme: str = "pvd") -> str:
    note = credits.coverage_note(programme, lists.get(programme)) or ""
    return (
        f"{md(note[:1].upper() + note[1:])}. Les chiffres des territoires hors de cette liste ne sont pas "
        f"connus : ils ne sont pas affichés (« – »), et la carte les laisse en gris. Pour charger la liste "
        f"nationale : `{credits.NATIONAL_COMMAND}`, ou {credits.NATIONAL_BUTTON}."
    )


def map_assets() -> mapcache.MapAssets:
    """Leaflet served by this app (``/app/static/vendor``), whatever the base URL path."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    return mapcache.MapAssets(
        f"{prefix}/app/static/vendor/{LEAFLET_JS}", f"{prefix}/app/static/vendor/{LEAFLET_CSS}"
    )


TILES = {"Sans fond (hors ligne)": None, "OpenStreetMap (en ligne)": "osm", "IGN Plan (en ligne)": "ign"}


def tiles_selector() -> None:
    """Background selector in the sidebar (once per page): none by default, works offline; and the
    ORT overlay (off by default)."""
    st.sidebar.radio("Fond de carte", list(TILES), key="fond")
    st.sidebar.toggle("Contours des ORT signées", key="ort", help="Communes couvertes par une ORT signée")


def ort_choice() -> bool:
    return bool(st.session_state.get("ort", False))


def tiles_choice() -> str | None:
    return TILES.get(st.session_state.get("fond", ""))


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
        from . import maps  # folium: imported only when a map is not stored yet

        sc = views.scope(atlas, list(departements), epci)
        communes = sc.communes.assign(
            **{own_column(name): sc.communes["code"].isin(set(codes)).to_numpy() for name, codes in own}
        )
        return maps.prepare(
            maps.communes_map(
                communes,
                sc.epci,
                sc.departements,
                sc.background,
                assets,
                title=title,
                sources=sources_line(atlas),
                population_label=atlas.meta["population"],
                tiles=tiles,
                zoom=zoom,
                bounds=sc.bounds,
                programmes=[*atlas.selections, *(own_column(name) for name, _ in own)],
                ort=ort,
            )
        )

    if own:
        return make(get_atlas())
    params = {"deps": departements, "epci": epci, "tiles": tiles, "title": title, "zoom": zoom, "ort": ort}
    return _stored(fingerprint, "communes", {**params, "assets": assets.leaflet_js}, make)


@st.cache_resource(max_entries=32, show_spinner=False)
def _territories_map(level: str, region: str | None, tiles: str | None, title: str, fingerprint: str):
    assets = map_assets()

    def make(atlas: Atlas):
        from . import maps  # folium: imported only when a map is not stored yet

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
        return maps.prepare(
            maps.territories_map(
                layer,
                geometry,
                points,
                assets,
                title=title,
                sources=sources_line(atlas),
                level_label=LEVEL_LABEL[level],
                tiles=tiles,
                bounds=bounds,
                insets=insets_frames(found),
            )
        )

    params = {"level": level, "region": region, "tiles": tiles, "title": title}
    return _stored(fingerprint, "territoires", {**params, "assets": assets.leaflet_js}, make)


def insets_frames(found) -> list:
    from .insets import frames

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
        height=height + 200 if presentation_mode() else height,
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


def communes_map(source, departements: list[str], epci: str | None, title: str, key: str):
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
    return views.locate(get_atlas(), "commune", *point) if point else None


def comparison_map(
    atlas: Atlas, level: str, code: str, others: list[tuple[str, str]], title: str, key: str
) -> None:
    """A territory's communes at the zoom shared by all compared territories (same scale)."""
    scopes = {pair: views.comparison_scope(atlas, *pair) for pair in others}
    width = {2: 420, 3: 270, 4: 200}.get(len(others), 200)
    from . import maps

    zoom = maps.common_zoom([views.scope(atlas, *s).bounds for s in scopes.values()], width, 440)
    deps, epci = scopes[(level, code)]
    fmap = _communes_map(
        tuple(deps),
        epci,
        tiles_choice(),
        title,
        atlas.fingerprint,
        zoom=zoom,
        ort=ort_choice(),
        own=own_lists_shown(),
    )
    show_map(fmap, key, height=480)


def comparison_table(table) -> None:
    """Figures in aligned columns, French number formats."""

    def fmt(value):
        if value is None or value != value:  # a figure the list does not give
            return "–"
        return (
            f"{value:.1f}".replace(".", ",")
            if isinstance(value, float) and not value.is_integer()
            else fr_int(value)
        )

    st.dataframe(table.style.format(fmt), width="stretch")


def territories_map(source, level: str, region: str | None, title: str, key: str):
    """Régions or départements shaded by PVD count (``source``: the atlas or a catalogue); returns
    the code of a clicked territory."""
    fmap = _territories_map(level, region, tiles_choice(), title, source.fingerprint)
    point = show_map(fmap, key)
    return views.locate(get_atlas(), level, *point, national=region is None) if point else None


def current_location(atlas: Atlas) -> views.Location:
    """The drill-down location from the URL (unknown codes dropped)."""
    return views.resolve(atlas, {k: st.query_params.get(k) for k in views.LEVELS})


def go(loc: views.Location) -> None:
    """Move to ``loc``: the URL changes (shareable link, back button) and the page reruns."""
    params = loc.params()
    if presentation_mode():
        params["mode"] = "presentation"
    st.query_params.from_dict(params)  # one history entry: the back button goes up a level
    st.rerun()


def open_commune(code: str) -> None:
    """Go to a commune's page (keeping the presentation mode)."""
    params = {"com": code, **({"mode": "presentation"} if presentation_mode() else {})}
    st.switch_page(PAGE_TERRITOIRE, query_params=params)


def share_link() -> None:
    """The link that reproduces this view, with a copy button (« Copier le lien »)."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    query = urlencode({k: st.query_params.get(k) for k in st.query_params})
    url = f"{base}?{query}" if query else base
    with st.popover("Copier le lien de cette vue", icon=":material/link:"):
        st.code(url, language=None)
        st.caption("Le bouton à droite du lien le copie. Ajoutez « &mode=presentation » pour une réunion.")


def breadcrumb(atlas: Atlas, loc: views.Location) -> None:
    """Clickable path France › région › département › EPCI › commune."""
    crumbs = views.breadcrumb(atlas, loc)
    cols = st.columns(len(crumbs) + 1 if len(crumbs) < 5 else len(crumbs))
    for i, (label, target) in enumerate(crumbs):
        last = i == len(crumbs) - 1
        if cols[i].button(("› " if i else "") + md(label), key=f"crumb_{i}", disabled=last, type="tertiary"):
            go(target)


def stats_table(table) -> None:
    """A sortable table with French number formats (sorting stays numeric)."""
    shown = views.display_table(table)
    shares = [c for c in shown.columns if c.endswith("(%)")]
    text = ["Code", "Nom", *[c for c in shown.columns if c.startswith("Liste ")]]
    formats = {c: fr_int for c in shown.columns if c not in text and c not in shares}
    for column in shares:  # one format() call: a second one resets the other columns
        formats[column] = lambda v: "–" if v is None or v != v else f"{v:.1f}".replace(".", ",")
    styler = shown.style.format(formats)
    st.dataframe(styler, hide_index=True, width="stretch")


def page_footer(atlas: Atlas) -> None:
    """Sources with vintages, and the link of the view."""
    st.caption(md(sources_line(atlas)))
    share_link()


def bar_chart(table, top: int = 25) -> None:
    """Horizontal bars of PVD counts (the ``top`` first territories), largest first.

    Plain HTML (names escaped, values in French format) rather than a Vega chart: the browser
    draws it at once, with no chart library to load in each new tab (≈1 s of a tab's start).
    """
    st.html(bars_html(table, top))


def bars_html(table, top: int = 25) -> str:
    """The bar chart's HTML: a titled list of (name, bar, value) rows; the bars are decoration."""

    table = table[table["pvd"].notna()]  # territories the list does not cover have no bar
    rows = table.head(top)[["nom", "pvd"]].sort_values("pvd", ascending=False, kind="stable")
    peak = max(int(rows["pvd"].max()), 1) if len(rows) else 1
    items = "".join(
        f'<li><span class="pvd-bar-name" title="{html.escape(str(name))}">{html.escape(str(name))}</span>'
        f'<span class="pvd-bar" aria-hidden="true"><span style="width:{100 * int(n) / peak:.1f}%">'
        f'</span></span><span class="pvd-bar-value">{fr_int(n)}</span></li>'
        for name, n in zip(rows["nom"], rows["pvd"], strict=True)
    )
    shown = f"les {len(rows)} premiers" if len(table) > len(rows) else "tous"
    return (
        "<style>.pvd-bars{margin:0;padding:0;list-style:none;font-size:14px}"
        ".pvd-bars li{display:grid;grid-template-columns:minmax(8em,16em) 1fr 3.5em;gap:8px;"
        "align-items:center;margin:2px 0}"
        ".pvd-bar-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;text-align:right}"
        f".pvd-bar{{height:14px}}.pvd-bar span{{display:block;height:100%;background:{PVD_COLOUR}}}"
        ".pvd-bar-value{font-variant-numeric:tabular-nums}</style>"
        f'<figure class="pvd-chart" style="margin:0"><figcaption style="font-weight:600;margin-bottom:4px">'
        f"Communes PVD par territoire ({shown})</figcaption>"
        f'<ol class="pvd-bars">{items}</ol></figure>'
    )


_MD_SPECIAL = "\\`*_[]<>#|~$:"


def md(text: object) -> str:
    """Text from the data, escaped for Streamlit markdown: no link, image, emphasis, HTML, colour
    or icon directive (``:red[…]``, ``:material/…:``) from a name; control characters (line breaks,
    NUL) become spaces, so a name cannot start a new block."""
    return "".join(
        "\\" + c if c in _MD_SPECIAL else " " if ord(c) < 32 or c == "\x7f" else c for c in str(text)
    )


def commune_page(p: views.CommuneProfile) -> None:
    """Name, figures, EPCI, status and dates in each programme, and the local programme."""
    st.title(md(p.nom))
    st.markdown(
        f"**Code INSEE** : {md(p.code)} · **Population** : {fr_int(p.population)} habitants "
        f"(population municipale, millésime {md(p.population_millesime)})  \n"
        f"**Département** : {md(p.departement[1])} ({md(p.departement[0])}) · "
        f"**Région** : {md(p.region[1])}"
    )
    st.markdown("\n".join(f"- {line}" for line in programme_lines(p)))
    if p.epci:
        st.markdown(f"**EPCI** : {md(p.epci[1])} ({md(p.epci[0])})")
        st.markdown(
            "\n".join(
                f"- autres communes {md(PROGRAMME_IN.get(k, k))} de l'EPCI : "
                + (", ".join(md(n) for n in names) if names else "aucune")
                for k, names in p.epci_programmes.items()
                if p.statuts.get(k) is not None
            )
        )
    local = p.programme_local
    if not local:
        st.info(
            "Pas encore de programme local renseigné pour cette commune (geodata/programmes_locaux.toml)."
        )
        return
    st.subheader("Programme local")
    if local.get("ort"):
        st.markdown(md(local["ort"]))
    if local.get("orientations"):
        st.markdown(f"**{len(local['orientations'])} orientations stratégiques**")
        st.markdown("\n".join(f"{i}. {md(o)}" for i, o in enumerate(local["orientations"], 1)))
    if local.get("actions"):
        until = f" jusqu'en {md(local['actions_jusqu_en'])}" if local.get("actions_jusqu_en") else ""
        st.markdown(f"**{md(local['actions'])} actions** inscrites au plan d'actions{until}.")
    if local.get("projets"):
        st.markdown("**Principaux projets**")
        st.markdown("\n".join(f"- {md(x)}" for x in local["projets"]))
    st.caption(f"Source : {md(local.get('source', 'non précisée'))}")


def programme_name(programme: str) -> str:
    """« Petites villes de demain » for ``pvd``; a user's list by its (escaped) name."""
    return PROGRAMMES.get(programme, md(programme))


PROGRAMME_IN = {"pvd": "PVD", "acv": "Action cœur de ville", "ort": "avec une ORT signée"}
_WHEN = {"pvd": "convention du", "acv": "convention du", "ort": "signée le"}


def programme_lines(p: views.CommuneProfile) -> list[str]:
    """One line per programme: in it (with its date), not in it, or unknown (list not loaded here)."""
    lines = []
    for key, status in p.statuts.items():
        label = md(PROGRAMMES.get(key, key))
        if status is None:
            lines.append(f"**{label}** : inconnu (la liste chargée ne couvre pas ce département)")
        elif status:
            date = p.dates.get(key)
            when = f"{_WHEN.get(key, 'depuis le')} {md(date)}" if date else "date non renseignée"
            lines.append(f"**{label}** : oui, {when}")
        else:
            lines.append(f"**{label}** : non")
    return lines


def _slug(pairs: tuple) -> str:
    return "_".join(f"{lvl[:3]}{code}" for lvl, code in pairs)


@st.cache_data(max_entries=16, show_spinner="Préparation de la carte…")
def _static_map_bytes(pairs: tuple, fmt: str, build_key: str) -> bytes:
    from . import figures

    return figures.save(figures.static_map(get_atlas(), list(pairs)), fmt)


def download_static_map(atlas: Atlas, pairs: tuple, fmt: str) -> None:
    """Prepare on demand (a few seconds), then offer the file."""
    from .figures import CoverageError, check_coverage

    try:
        check_coverage(atlas, list(pairs))
    except CoverageError as exc:
        st.warning(f"Carte de presse refusée : {md(exc)}")
        return
    key = f"carte_{_slug(pairs)}_{fmt}"
    if st.button("Préparer la carte", key=f"prep_{key}") or st.session_state.get(key):
        st.session_state[key] = True
        data = _static_map_bytes(pairs, fmt, atlas.fingerprint)
        mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
        st.download_button(
            f"Télécharger la carte ({fmt.upper()}, {len(data) // 1000} Ko)",
            data,
            file_name=f"pvd_{_slug(pairs)}.{fmt}",
            mime=mime,
            key=f"dl_{key}",
            on_click="ignore",
        )
        if fmt == "png":
            st.image(data, width="stretch")


@st.cache_data(max_entries=32, show_spinner=False)
def _chart_bytes(pairs: tuple, level: str, fmt: str, build_key: str) -> bytes:
    from . import exports, figures

    atlas = get_atlas()
    title = f"Communes Petites villes de demain par {LEVEL_LABEL[level]}"
    table = exports.territory_stats(atlas, list(pairs), level)
    return figures.save(figures.bar_chart(table, title, sources_line(atlas)), fmt)


def download_chart(atlas: Atlas, pairs: tuple, level: str, fmt: str) -> None:
    """The bar chart, rendered once per choice (cached), offered as a file."""
    from .figures import CoverageError

    try:
        data = _chart_bytes(pairs, level, fmt, atlas.fingerprint)
    except CoverageError as exc:
        st.warning(f"Graphique indisponible : {md(exc)}")
        return
    st.download_button(
        f"Télécharger le graphique ({fmt.upper()})",
        data,
        file_name=f"pvd_{level}_{_slug(pairs)}.{fmt}",
        mime="image/png" if fmt == "png" else "image/svg+xml",
        key=f"dl_chart_{level}_{fmt}",
        on_click="ignore",
    )


def download_data(atlas: Atlas, pairs: tuple, sep: str) -> None:
    from . import exports

    communes = exports.territory_communes(atlas, list(pairs))
    figures_table = views.compare(atlas, list(pairs)).reset_index(names="indicateur")
    cols = st.columns(3)
    cols[0].download_button(
        "Communes (CSV)",
        exports.to_csv(communes, sep),
        file_name=f"communes_{_slug(pairs)}.csv",
        mime="text/csv",
        key="dl_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        "Communes (GeoJSON)",
        exports.to_geojson(communes),
        file_name=f"communes_{_slug(pairs)}.geojson",
        mime="application/geo+json",
        key="dl_geojson",
        on_click="ignore",
    )
    cols[2].download_button(
        "Chiffres clés (CSV)",
        exports.to_csv(figures_table, sep),
        file_name=f"chiffres_{_slug(pairs)}.csv",
        mime="text/csv",
        key="dl_figures",
        on_click="ignore",
    )


def url_list(name: str, default: list[str], allowed: list[str]) -> list[str]:
    """A list kept in the URL (``?deps=30,32``) so that a copied link reproduces the view."""
    raw = st.query_params.get(name)
    values = [v for v in raw.split(",") if v in allowed] if raw else []
    return values or default


def set_url_list(name: str, values: list[str]) -> None:
    """Write a list to the URL when it changed (no history entry otherwise)."""
    text = ",".join(values)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def territory_selector(atlas: Atlas, label: str, key: str, max_selections: int | None = None):
    """Régions, départements or EPCI to pick (kept in the URL as ``?t=``): ([(level, code)], labels)."""
    labels = {f"{lvl}:{code}": text for lvl, code, text in views.territory_options(atlas)}
    chosen = st.multiselect(
        label,
        list(labels),
        default=url_list("t", ["departement:30", "departement:32"], list(labels)),
        format_func=labels.get,
        key=key,
        max_selections=max_selections,
    )
    set_url_list("t", chosen)
    return [tuple(c.split(":", 1)) for c in chosen], labels


def _reload_atlas() -> None:
    """After a list changed: the next run reloads the atlas (and the maps built from it)."""
    _atlas.clear()
    _communes_map.clear()
    _territories_map.clear()


def lists_in_use(atlas: Atlas) -> None:
    from .sources.selections import lists_in_use as table

    info = table(selection_dir(), EMBEDDED_DIR)
    checks = {k: r.summary() for k, r in atlas.selections.items()}
    info["validation"] = info["programme"].map(checks).fillna("")
    st.dataframe(info, hide_index=True, width="stretch")


def sources_table(atlas: Atlas) -> None:
    meta = atlas.meta
    rows = [
        ("Contours des communes", meta.get("contours", "")),
        ("Populations", meta.get("population", "")),
        ("Composition des EPCI", meta.get("epci_composition", "")),
        *(("Liste en usage", line) for line in views.lists_summary(atlas)),
        ("Données construites le", meta.get("construit_le", "")),
    ]
    st.dataframe(
        {"donnée": [r[0] for r in rows], "source et millésime": [r[1] for r in rows]},
        hide_index=True,
        width="stretch",
    )


def admin_config():
    """Administration settings from ``.streamlit/secrets.toml`` (none: the web app is read-only)."""
    from . import auth

    try:
        data = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 (no secrets file: Streamlit raises its own error types)
        data = {}
    return auth.config_from(data)


_WRITER = "_pvd_writer"  # session state: the right the server granted (an object, not widget data)
_ATTEMPTS = "_pvd_attempts"


def _logged_in() -> bool:
    """Is this session logged in with the OpenID Connect provider (``st.login``)?"""
    return bool(st.user.get("is_logged_in", False))


def session_writer():
    """This session's right to write the shared lists, or None (a reader)."""
    from . import auth

    granted = st.session_state.get(_WRITER)
    if auth.is_writer(granted):
        return granted
    config = admin_config()
    if config.uses_oidc and auth.is_admin_email(config, st.user.get("email"), _logged_in()):
        granted = auth.grant(f"administrateur {st.user.get('email')}")
        st.session_state[_WRITER] = granted
        return granted
    return None


def admin_section():
    """Who may change the shared lists: login for administrators; readers are told how it works.
    Returns this session's right to write, or None."""
    from . import auth

    config = admin_config()
    if not config.enabled:
        st.info(
            "Lecture seule : aucun administrateur n'est configuré. Les listes partagées se mettent à "
            "jour sur le serveur, en ligne de commande (`python -m pvd_geo update`)."
        )
        return None
    writer = session_writer()
    if writer is not None:
        st.success(f"Connecté : {md(writer.who)}.")
        if st.button("Se déconnecter", key="admin_logout"):
            auth.revoke(writer)
            st.session_state.pop(_WRITER, None)
            if config.uses_oidc and _logged_in():
                st.logout()
            st.rerun()
        return writer
    if config.uses_oidc:
        args = (config.provider,) if config.provider else ()
        st.button("Se connecter (administrateurs)", key="admin_login", on_click=st.login, args=args)
        if _logged_in():
            st.warning("Ce compte n'est pas administrateur de l'atlas : lecture seule.")
        return None
    attempts = st.session_state.setdefault(_ATTEMPTS, auth.Attempts())
    wait = attempts.blocked()
    if wait:
        st.error(f"Trop d'essais : réessayez dans {int(wait // 60) + 1} min.")
        return None
    with st.form("admin_form"):
        password = st.text_input("Mot de passe administrateur", type="password", key="admin_password")
        sent = st.form_submit_button("Se connecter")
    if sent:
        if auth.verify_password(password, config.password_hash):
            st.session_state[_WRITER] = auth.grant("administrateur (mot de passe)")
            st.rerun()
        attempts.failed()
        st.error("Mot de passe refusé.")
    return None


def update_form(writer) -> None:
    """Download an official list from its configured address (never one typed here), validate it
    and replace the one in use (or say why not). Administrators only."""
    from .atlas import read_build
    from .constants import official_list_url
    from .update import UpdateRefused, update_selection

    programme = st.selectbox("Liste", ["pvd", "acv", "ort"], key="maj_programme", format_func=PROGRAMMES.get)
    st.caption(f"Source configurée : {md(official_list_url(programme))}")
    if not st.button("Mettre à jour", key="maj_go"):
        return
    bar = st.progress(0.0, text="Téléchargement…")

    def progress(received: int, total: int | None) -> None:
        fraction = min(received / total, 1.0) if total else 0.5
        bar.progress(fraction, text=f"Téléchargement : {received // 1000} Ko")

    built = read_build()
    try:
        done = update_selection(
            programme,
            official_list_url(programme),
            selection_dir(),
            built["communes"],
            built["rattachees"],
            progress,
            writer=writer,
        )
    except UpdateRefused as exc:
        bar.empty()
        st.error(f"Échec : {md(exc)}. La liste en usage n'a pas changé.")
        return
    bar.progress(1.0, text="Terminé")
    st.success(
        f"{md(done.result.summary())}. Liste enregistrée ; la précédente est gardée dans l'historique."
    )
    _reload_atlas()


def _checked_upload(atlas: Atlas, payload: bytes, programme: str):
    """Read and join an uploaded list, showing the report; the result, or None if refused."""
    from .selection import join_selection
    from .sources.anct import MAX_BYTES, SelectionFileError, read_selection_bytes

    try:
        rows = read_selection_bytes(payload, MAX_BYTES)
    except (SelectionFileError, ValueError) as exc:
        st.error(f"Fichier refusé : {md(exc)}")
        return None
    result = join_selection(rows, atlas.communes, atlas.rattachees, programme)
    st.markdown(md(result.summary()))
    st.dataframe(result.report, hide_index=True, width="stretch")
    if result.kept_rows().empty:
        st.error("Aucune ligne valide : rien n'est retenu.")
        return None
    return result


def import_form(atlas: Atlas, writer) -> None:
    """Upload a CSV that replaces a shared list: the report first, saved on confirmation.
    Administrators only (the write itself checks ``writer``)."""
    from .coverage import infer_coverage
    from .sources.selections import ListInfo, programme_file, save_selection

    upload = st.file_uploader(
        "Fichier CSV (une commune par ligne, colonne du code INSEE)",
        type=["csv", "txt"],
        key="import_fichier",
    )
    programme = st.text_input(
        "Nom de la liste",
        "pvd",
        key="import_programme",
        help="pvd remplace la liste PVD, acv la liste ACV ; un autre nom ajoute un programme",
    )
    if upload is None:
        return
    try:
        programme_file(selection_dir(), programme)
    except ValueError as exc:
        st.error(f"Nom refusé : {md(exc)}")
        return
    result = _checked_upload(atlas, upload.getvalue(), programme)
    if result is None:
        return
    kept = result.kept_rows()
    deps = atlas.communes.set_index("code")["dep"].reindex(kept["code"]).dropna()
    cover = infer_coverage(set(deps), set(atlas.departements["code"]))
    st.caption(
        "Couverture déduite de la liste : "
        + ("France entière" if cover is None else md(", ".join(cover)))
        + " (les territoires hors de ces départements n'auront pas de chiffre pour cette liste)."
    )
    from .constants import MIN_KEPT_SHARE
    from .update import current_size

    current = current_size(selection_dir(), programme)
    if current and len(kept) < MIN_KEPT_SHARE * current:
        st.warning(
            f"Cette liste n'a que {len(kept)} communes valides contre {current} dans la liste en usage."
        )
        if not st.checkbox(
            "Je confirme remplacer la liste par une liste bien plus courte", key="import_shrink"
        ):
            return
    if st.button(f"Enregistrer ces {len(kept)} communes comme liste « {md(programme)} »", key="import_go"):
        info = ListInfo(
            programme, cover, millesime="date non précisée", source=upload.name[:80], origine="importée"
        )
        written, history = save_selection(kept, programme, selection_dir(), info, writer=writer)
        st.success(
            f"Liste enregistrée ({md(written.name)})" + (" ; la précédente est gardée." if history else ".")
        )
        _reload_atlas()


def restore_form(writer, programme: str) -> None:
    """Put a version of the history back in use (administrators only; checked where it writes)."""
    from .sources.selections import history_versions, restore_version

    versions = {p.name: p for p in reversed(history_versions(selection_dir(), programme))}
    if not versions:
        st.caption("Aucune version précédente de cette liste.")
        return
    name = st.selectbox("Version à remettre en usage", list(versions), key="restore_version")
    if st.button("Restaurer cette version", key="restore_go"):
        restore_version(selection_dir(), programme, versions[name], writer=writer)
        st.success(f"Version {md(name)} remise en usage ; la liste remplacée est gardée dans l'historique.")
        _reload_atlas()


# A reader's own lists: in this session's memory only, never on disk, never in a link.
_OWN = "_pvd_own_lists"
MAX_OWN_LISTS = 3
MAX_OWN_ROWS = 40_000


def own_column(name: str) -> str:
    """The column (and legend label) of a reader's own list on the maps and tables."""
    return f"Ma liste : {name}"


def own_lists_shown() -> tuple:
    """((name, codes), ...) of this session's own lists (hashable, for the map cache)."""
    return tuple((name, tuple(codes)) for name, codes in st.session_state.get(_OWN, {}).items())


def own_list_form(atlas: Atlas) -> None:
    """A reader's own list: validated like an import, kept in this session only, shown on the maps
    and in the counts beside the official lists."""
    lists: dict = st.session_state.setdefault(_OWN, {})
    st.caption(
        "Votre liste reste dans cette session du navigateur : elle n'est jamais enregistrée sur le "
        "serveur, aucune autre personne ne la voit, elle disparaît à la fermeture de la session et un "
        f"lien copié ne la transmet pas. {MAX_OWN_LISTS} listes au plus, {fr_int(MAX_OWN_ROWS)} lignes "
        "et 5 Mo chacune."
    )
    name = st.text_input("Nom de ma liste", "ma liste", key="own_name", max_chars=60)
    upload = st.file_uploader("Fichier CSV", type=["csv", "txt"], key="own_file")
    pasted = st.text_area(
        "ou collez les codes INSEE (une ligne d'en-tête, puis un code par ligne)", key="own_text"
    )
    payload = upload.getvalue() if upload is not None else pasted.encode("utf-8") if pasted.strip() else None
    if payload is not None:
        result = _checked_upload(atlas, payload, "ma_liste")
        if result is not None and len(result.report) > MAX_OWN_ROWS:
            st.error(f"Liste trop longue : {len(result.report)} lignes (limite {MAX_OWN_ROWS}).")
        elif result is not None and st.button("Afficher ma liste sur les cartes", key="own_add"):
            label = " ".join(str(name).split())[:60] or "ma liste"
            if label not in lists and len(lists) >= MAX_OWN_LISTS:
                st.error(f"{MAX_OWN_LISTS} listes au plus par session : retirez-en une d'abord.")
            else:
                lists[label] = tuple(result.codes)
    for i, (label, codes) in enumerate(list(lists.items())):
        cols = st.columns([4, 1])
        cols[0].markdown(f"**{md(own_column(label))}** : {fr_int(len(codes))} communes")
        if cols[1].button("Retirer", key=f"own_del_{i}"):
            del lists[label]
            st.rerun()


def with_own_counts(atlas: Atlas, table, level: str):
    """The counts table with one column per own list of this session (missing outside what the
    list covers, as for the official lists)."""
    own = own_lists_shown()
    if not own:
        return table
    return views.own_counts(atlas, table, level, own, own_column)


def departements_in_lists(atlas: Atlas):
    table = atlas.stats("departement")
    return table[(table["pvd"].fillna(0) > 0) | (table["acv"].fillna(0) > 0)].reset_index(drop=True)


SCOPES = {"departements": "Des départements", "region": "Une région", "france": "France entière"}


def scope_selector(catalogue: summary.Catalogue) -> tuple[str, list[str], str | None]:
    """Sidebar scope (kept in the URL): (mode, départements of the scope, région or None)."""
    current = st.query_params.get("perimetre", "departements")
    mode = st.sidebar.radio(
        "Périmètre",
        list(SCOPES),
        format_func=SCOPES.get,
        key="perimetre",
        index=list(SCOPES).index(current) if current in SCOPES else 0,
    )
    set_url_list("perimetre", [mode])
    region = None
    if mode == "france":
        deps = catalogue.departements_of()
    elif mode == "region":
        names = catalogue.region_names()
        region = st.sidebar.selectbox(
            "Région",
            list(names),
            format_func=names.get,
            key="region",
            index=list(names).index(url_list("reg", ["76"], list(names))[0]),
        )
        set_url_list("reg", [region])
        deps = catalogue.departements_of(region)
    else:
        labels = catalogue.departement_labels()
        deps = (
            st.sidebar.multiselect(
                "Départements",
                list(labels),
                default=url_list("deps", DEFAULT_SCOPE, list(labels)),
                format_func=labels.get,
                key="scope",
            )
            or DEFAULT_SCOPE
        )
        set_url_list("deps", deps)
    return mode, deps, region


def open_territory(loc: views.Location) -> None:
    """Go to the drill-down page at ``loc`` (keeping the presentation mode)."""
    params = {**loc.params(), **({"mode": "presentation"} if presentation_mode() else {})}
    st.switch_page(PAGE_TERRITOIRE, query_params=params)


def level_map(atlas: Atlas, view: views.LevelView, key: str) -> str | None:
    """The map of a drill-down level; returns the code clicked (territory or commune)."""
    if view.map_level == "commune":
        return communes_map(atlas, view.departements, view.epci, view.title, key=key)
    return territories_map(atlas, view.map_level, view.region, view.title, key=key)


def columns_html(table, label: str) -> str:
    """Vertical bars (``periode``, ``conventions``): escaped labels, French numbers; the bars are
    decoration, the values are written."""
    peak = max(int(table["conventions"].max()), 1) if len(table) else 1
    items = "".join(
        f'<li title="{html.escape(str(p))} : {fr_int(n)}">'
        f'<span class="pvd-col-v">{fr_int(n) if n else ""}</span>'
        f'<span class="pvd-col" style="height:{100 * int(n) / peak:.1f}%"></span>'
        f'<span class="pvd-col-p">{html.escape(str(p))}</span></li>'
        for p, n in zip(table["periode"], table["conventions"], strict=True)
    )
    return (
        "<style>.pvd-cols{display:flex;align-items:flex-end;gap:2px;height:180px;margin:0;padding:0;"
        "list-style:none;overflow-x:auto;font-size:11px}.pvd-cols li{flex:1 0 2.2em;display:flex;"
        "flex-direction:column;justify-content:flex-end;height:100%;text-align:center}"
        f".pvd-col{{display:block;background:{PVD_COLOUR};min-height:1px}}"
        ".pvd-col-p{white-space:nowrap;font-size:10px;writing-mode:vertical-rl;transform:rotate(180deg);"
        "margin:2px auto 0}.pvd-col-v{font-variant-numeric:tabular-nums}</style>"
        f'<figure style="margin:0"><figcaption style="font-weight:600;margin-bottom:4px">{html.escape(label)}'
        f'</figcaption><ol class="pvd-cols">{items}</ol></figure>'
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _timeline_bytes(departements: tuple, freq: str, fmt: str, title: str, fingerprint: str) -> bytes:
    from . import exports, figures

    atlas = get_atlas()
    table = views.conventions(atlas, list(departements), freq)
    if fmt == "csv":
        return exports.to_csv(table, ";")
    return figures.save(figures.timeline_chart(table, title, sources_line(atlas)), fmt)


def timeline_section(atlas: Atlas, departements: list[str], name: str) -> None:
    """« Le programme dans le temps »: PVD conventions per quarter or month (chart, PNG/SVG/CSV), and
    the communes that joined since the oldest version of the list kept here."""
    st.subheader("Le programme dans le temps")
    if not atlas.covers("pvd", departements):
        st.info("Chronologie indisponible : la liste PVD chargée ne couvre pas ce périmètre.")
        return
    freq = st.radio(
        "Par", ["Q", "M"], horizontal=True, key="chrono_pas", format_func={"Q": "trimestre", "M": "mois"}.get
    )
    table = _conventions(tuple(departements), freq, atlas.fingerprint)
    missing = table.attrs.get("sans_date", 0)
    title = f"Conventions Petites villes de demain signées — {name}"
    if table.empty:
        st.info(f"Aucune date de convention dans la liste chargée ({fr_int(missing)} communes sans date).")
    else:
        st.html(columns_html(table, f"Conventions signées par {'trimestre' if freq == 'Q' else 'mois'}"))
        st.caption(
            f"{fr_int(int(table['conventions'].sum()))} conventions datées"
            + (f", {fr_int(missing)} communes sans date dans la liste" if missing else "")
            + ". "
            + md(sources_line(atlas))
        )
        cols = st.columns(3)
        for col, fmt, mime in zip(
            cols, ("png", "svg", "csv"), ("image/png", "image/svg+xml", "text/csv"), strict=True
        ):
            col.download_button(
                f"Chronologie ({fmt.upper()})",
                _timeline_bytes(tuple(departements), freq, fmt, title, atlas.fingerprint),
                file_name=f"pvd_conventions_{freq}.{fmt}",
                mime=mime,
                key=f"dl_chrono_{fmt}",
                on_click="ignore",
            )
    list_changes_section(atlas, departements, key="chrono")


@st.cache_data(max_entries=64, show_spinner=False)
def _conventions(departements: tuple, freq: str, fingerprint: str):
    """Conventions per period of a scope, computed once per data version (not on each rerun)."""
    return views.conventions(get_atlas(), list(departements), freq)


def _file_key(path) -> tuple[str, int, int]:
    stat = Path(path).stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


@st.cache_data(max_entries=32, show_spinner=False)
def _list_changes(old: tuple, new: tuple, departements: tuple | None):
    """Two list versions compared (files keyed by path, size and date), once per pair and scope."""
    return views.list_changes(get_atlas(), old[0], new[0], list(departements) if departements else None)


def list_changes_section(
    atlas: Atlas, departements: list[str] | None, key: str, programme: str = "pvd"
) -> None:
    """Two versions of a programme's list compared (the oldest kept and the one in use by default):
    communes added and removed."""
    versions = views.list_versions(programme, selection_dir(), EMBEDDED_DIR)
    if len(versions) < 2:
        st.caption(
            "Une seule version de la liste est disponible ici : les entrées et sorties apparaîtront "
            "après une mise à jour (les versions remplacées sont gardées dans l'historique)."
        )
        return
    labels = [v.label for v in versions]
    cols = st.columns(2)
    old = cols[0].selectbox("Version de départ", labels, index=len(labels) - 1, key=f"{key}_avant")
    new = cols[1].selectbox("Comparée à", labels, index=0, key=f"{key}_apres")
    paths = {v.label: v.path for v in versions}
    changes = _list_changes(
        _file_key(paths[old]), _file_key(paths[new]), tuple(departements) if departements else None
    )
    added = int((changes["changement"] == "ajoutée").sum())
    st.markdown(
        f"**{fr_int(added)} communes entrées**, **{fr_int(len(changes) - added)} sorties** "
        f"entre « {md(old)} » et « {md(new)} »."
    )
    st.dataframe(changes, hide_index=True, width="stretch")
