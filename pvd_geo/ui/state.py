"""What lives in the URL and in the session: scope, location, presentation mode, navigation, the
reader's own lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from .. import programmes, summary
from ..errors import InvalidInput
from ..levels import REGION, URL_KEYS, Level
from .loaders import shared

if TYPE_CHECKING:
    from ..atlas import Atlas
    from ..views import Location

from ..constants import DEFAULT_SCOPE  # noqa: E402,F401  (re-exported by pvd_geo.ui)

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

# The overview's figures (pvd_geo.ui.overview.figures_html): one row, as large as Streamlit's metrics
FIGURES_CSS = """<style>
.pvd-chiffres {display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: 1rem;
  margin: 0; padding: 0 !important;}  /* (Streamlit indents lists) */
.pvd-chiffres > div {margin: 0; padding: 0;}
.pvd-chiffres dt {font-size: .875rem; line-height: 1.6; margin: 0; font-weight: 400;}
.pvd-chiffres dt[title] {text-decoration: underline dotted; cursor: help;}
.pvd-chiffres dd {font-size: 2.25rem; line-height: 1.3; margin: 0; white-space: nowrap;
  font-variant-numeric: tabular-nums;}
</style>"""

PRESENTATION_CSS = (
    FIGURES_CSS
    + """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
[data-testid="stMultiSelect"], [data-testid="stFileUploader"], [data-testid="stForm"],
[data-testid="stPopover"], [data-testid="stTextInput"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {max-width: 100% !important;
  padding: 1rem 2rem !important;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.35rem !important;}
h1 {font-size: 3.2rem !important;}
.pvd-table thead th {font-size: .875rem !important;}
.pvd-chiffres dd {font-size: 3.6rem; font-weight: 700; line-height: 1.1;}
.pvd-chiffres dt {font-size: 1.4rem;}
</style>"""
)

# The overview's search field, drawn once the atlas is loaded (after the map on a new tab): its
# place (its height, label and field) is kept from the first screen on, so that the map never moves.
SEARCH_PLACE = "recherche-place"
SEARCH_HEIGHT = "4.375rem"  # the field's label and input (70 px; tests/test_browser.py checks it)


def search_place():
    """The slot of the overview's search, holding its place (not in presentation mode, which shows
    no search) until the search is written into it (``slot.container(key=SEARCH_PLACE)``)."""
    slot = st.empty()
    if not presentation_mode():
        slot.container(key=f"{SEARCH_PLACE}-attente").html('<div aria-hidden="true"></div>')
    return slot


# Phones (Streamlit stacks columns below 640 px): a smaller title and the figures two by two, so
# that the map starts in the first screen; the search's place; a constant, no data in it.
PHONE_CSS = (
    FIGURES_CSS
    + f'<style>[class*="st-key-{SEARCH_PLACE}"] {{min-height: {SEARCH_HEIGHT};}}</style>'
    + """<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"], .block-container {padding-top: 4rem !important;}
  h1 {font-size: 1.55rem !important; padding-top: .2rem !important;}
  .pvd-chiffres {grid-auto-flow: row; grid-template-columns: 1fr 1fr; gap: .3rem .8rem;}
  .pvd-chiffres dd {font-size: 1.45rem;}
  .pvd-chiffres dt {font-size: .8rem; line-height: 1.3;}
  /* the breadcrumb on one line, scrolled sideways if it is longer than the screen (not 5 rows) */
  .st-key-fil-ariane [data-testid="stHorizontalBlock"] {flex-flow: row nowrap !important;
    overflow-x: auto !important; gap: .2rem !important;}
  .st-key-fil-ariane [data-testid="stColumn"] {flex: 0 0 auto !important; width: auto !important;
    min-width: 0 !important;}
  .st-key-fil-ariane button {white-space: nowrap !important; padding: 0 .2rem !important;}
}
</style>"""
)

# Streamlit's page says lang="en" and has no option for it: screen readers would read French with
# English rules. A constant script run in the page itself (st.html runs it, no frame to load).
LANG_FR = "<script>document.documentElement.lang = 'fr';</script>"
# ... and, while a tab shows its first screen only, says so on the page (for tests and benchmarks
# that wait for the whole page: ``html[data-pvd-premier-ecran]``)
FIRST_SCREEN_MARK = "<script>document.documentElement.dataset.pvdPremierEcran = '1';</script>"
WHOLE_PAGE_MARK = "<script>delete document.documentElement.dataset.pvdPremierEcran;</script>"


PRESENTATION = {"mode": "presentation"}


def presentation_mode() -> bool:
    """``?mode=presentation``: large type, no sidebar, full-width map (meetings, projectors)."""
    return st.query_params.get("mode") == PRESENTATION["mode"]


def keeping_mode(params: dict[str, str]) -> dict[str, str]:
    """The query parameters of another view, with the presentation mode kept if it is on."""
    return {**params, **(PRESENTATION if presentation_mode() else {})}


def client_address() -> str:
    """The reader's address (:func:`pvd_geo.uploads.client_of`: behind the atlas's proxy, the one it
    forwards)."""
    from ..uploads import client_of

    peer = st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For")
    return client_of(peer if isinstance(peer, str) else "", forwarded if isinstance(forwarded, str) else "")


def new_work():
    """Around work no cache answers (a new map, a new press map): refused before it starts when
    this reader's budget of server time is spent (:class:`pvd_geo.budget.OverBudget`), its CPU
    time charged after it ran."""
    from .. import budget

    return budget.BUDGET.spend(client_address())


def admit_run(charge: bool = True) -> None:
    """Each page run counts against this reader's address (:data:`pvd_geo.budget.RUNS`): past the
    burst, a short French refusal and nothing else is computed. ``charge=False``: a tab's first
    screen, checked but not counted (the whole page that follows it is: one page, one run)."""
    from .. import budget

    client = client_address()
    wait = budget.RUNS.wait_s(client, need=1)
    if wait > 0:
        st.warning(
            "Trop de pages demandées depuis votre adresse en peu de temps : "
            f"réessayez dans {max(1, round(wait))} s."
        )
        st.stop()
    if charge:
        budget.RUNS.charge(client, 1)


def page_head(presenting: bool, first_screen: bool) -> str:
    """The page's own styles and script: constants, no data in them (the only script the atlas
    writes into its pages)."""
    styles = PRESENTATION_CSS if presenting else PHONE_CSS
    return styles + LANG_FR + (FIRST_SCREEN_MARK if first_screen else WHOLE_PAGE_MARK)


def sidebar(first_screen: bool = False) -> None:
    """The navigation (French labels), the map background and, in presentation mode, its styles;
    first, the reader's page runs are counted (:func:`admit_run`). On a tab's first screen
    (:func:`first_screen_only`) the sidebar is there but empty, so that the main column has its
    final width before the map is drawn; its links and selectors come with the rest of the page."""
    admit_run(charge=not first_screen)
    # constants, no data in them; st.html with styles and a script only: no element, no markdown
    # renderer, no frame to load
    st.html(page_head(presentation_mode(), first_screen), unsafe_allow_javascript=True)
    if first_screen:
        st.sidebar.empty()
        return
    for page, label, icon in NAVIGATION:
        st.sidebar.page_link(page, label=label, icon=icon)
    st.sidebar.divider()
    tiles_selector()


# -- A tab's first screen first ---------------------------------------------------------------
# In a new tab the browser does everything on one thread: each element drawn before the map's
# frame delays the map (benchmarks/bench_explore.py: the overview's map alone is drawn in 1.8 s,
# the whole page in 2.9 s). So the first run of a reader's tab draws the first screen only (title,
# figures, map) and stops; the map's first report (st_folium's value once Leaflet has drawn it)
# reruns the page, which then draws everything, the map's frame kept.
FIRST_RUN_DONE = "_premiere_vue_faite"
# If the map never reports (its script failed in this browser), the rest of the page comes anyway.
REST_OF_PAGE_AFTER_S = 4


def first_screen_only() -> bool:
    """True on the first run of a reader's tab in a browser; False on every other run, and for a
    client that runs no map script (no browser context: Streamlit's AppTest, protocol-level load
    drivers), which gets the whole page at once."""
    if st.session_state.get(FIRST_RUN_DONE):
        return False
    st.session_state[FIRST_RUN_DONE] = True
    return bool(st.context.timezone)  # sent by a browser's Streamlit client with its first run


_ARMED = "_suite_de_page_armee"


@st.fragment(run_every=REST_OF_PAGE_AFTER_S)
def rest_of_page_later() -> None:
    """Called on the first screen: draws nothing; if the page is still on its first screen
    ``REST_OF_PAGE_AFTER_S`` later, reruns it whole (the browser cancels this timer as soon as the
    whole page runs)."""
    if st.session_state.get(_ARMED):
        st.rerun(scope="app")
    st.session_state[_ARMED] = True


TILES = {"Sans fond (hors ligne)": None, "OpenStreetMap (en ligne)": "osm", "IGN Plan (en ligne)": "ign"}


def tiles_selector() -> None:
    """Background selector in the sidebar (once per page): none by default, works offline; and one
    switch per programme drawn only on request (the ORT outlines, off by default)."""
    st.sidebar.radio("Fond de carte", list(TILES), key="fond")
    for p in programmes.registry():
        if p.sur_demande:
            st.sidebar.toggle(f"Contours des {p.legende_pluriel}", key=p.key, help=f"Communes : {p.nom}")


def on_request_choice() -> tuple[str, ...]:
    """The programmes drawn on request that the reader switched on (``ort``)."""
    return tuple(p.key for p in programmes.registry() if p.sur_demande and st.session_state.get(p.key))


def tiles_choice() -> str | None:
    return TILES.get(st.session_state.get("fond", ""))


def current_location(atlas: Atlas) -> Location:
    """The drill-down location from the URL (unknown codes dropped)."""
    from .. import views  # pandas: only once the atlas is loaded (see the package's docstring)

    return shared(views.resolve, atlas, {k: st.query_params.get(k) for k in URL_KEYS})


def go(loc: Location) -> None:
    """Move to ``loc``: the URL changes (shareable link, back button) and the page reruns."""
    st.query_params.from_dict(
        keeping_mode(loc.params())
    )  # one history entry: the back button goes up a level
    st.rerun()


def open_commune(code: str) -> None:
    """Go to a commune's page (keeping the presentation mode)."""
    open_territory({"com": code})


def view_url() -> str:
    """The address that reproduces this view (its page and its query parameters)."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    query = urlencode({k: st.query_params.get(k) for k in st.query_params})
    return f"{base}?{query}" if query else base


def share_link() -> None:
    """The link that reproduces this view, with a copy button (« Copier le lien »)."""
    with st.popover("Copier le lien de cette vue", icon=":material/link:"):
        st.code(view_url(), language=None)
        st.caption("Le bouton à droite du lien le copie. Ajoutez « &mode=presentation » pour une réunion.")


def url_list(name: str, default: list[str], allowed: list[str], limit: int | None = None) -> list[str]:
    """A list kept in the URL (``?deps=30,32``) so that a copied link reproduces the view: only
    what the widget allows — known values, each once, at most ``limit`` (a French message says
    what was left out; checked before any work)."""
    raw = st.query_params.get(name)
    known = set(allowed)
    values = list(dict.fromkeys(v for v in raw.split(",") if v in known)) if raw else []
    if limit is not None and len(values) > limit:
        st.warning(
            f"Le lien demandait {len(values)} territoires : "
            f"les {limit} premiers sont montrés (au plus {limit})."
        )
        values = values[:limit]
    return values or default


def set_url_list(name: str, values: list[str]) -> None:
    """Write a list to the URL when it changed (no history entry otherwise)."""
    text = ",".join(values)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


# A reader's own lists: in this session's memory only, never on disk, never in a link.
_OWN = "_pvd_own_lists"

MAX_OWN_LISTS = 3

MAX_DEPARTEMENTS = 12  # départements chosen one by one (a région or all France has its own mode)

MAX_EXPORTED = 6  # territories of one press map (panels side by side); more would not be read

MAX_OWN_ROWS = 40_000


def own_column(name: str) -> str:
    """The column (and legend label) of a reader's own list on the maps and tables."""
    return f"Ma liste : {name}"


def own_lists_shown() -> tuple:
    """((name, codes), ...) of this session's own lists (hashable, for the map cache)."""
    return tuple((name, tuple(codes)) for name, codes in st.session_state.get(_OWN, {}).items())


SCOPES = {"departements": "Des départements", "region": "Une région", "france": "France entière"}


def scope_selector(catalogue: summary.Catalogue, draw: bool = True) -> tuple[str, list[str], str | None]:
    """Sidebar scope (kept in the URL): (mode, départements of the scope, région or None).
    ``draw=False`` (a tab's first screen): the same scope from the URL, without its widgets."""
    current = st.query_params.get("perimetre", "departements")
    index = list(SCOPES).index(current) if current in SCOPES else 0
    mode = (
        st.sidebar.radio("Périmètre", list(SCOPES), format_func=SCOPES.get, key="perimetre", index=index)
        if draw
        else list(SCOPES)[index]
    )
    set_url_list("perimetre", [mode])
    region = None
    if mode == "france":
        deps = catalogue.departements_of()
    elif mode == "region":
        names = catalogue.region_names()
        default = list(names).index(url_list(REGION.url, ["76"], list(names))[0])
        region = (
            st.sidebar.selectbox("Région", list(names), format_func=names.get, key="region", index=default)
            if draw
            else list(names)[default]
        )
        set_url_list(REGION.url, [region])
        deps = catalogue.departements_of(region)
    else:
        labels = catalogue.departement_labels()
        chosen = url_list("deps", DEFAULT_SCOPE, list(labels), MAX_DEPARTEMENTS)
        if draw:
            chosen = st.sidebar.multiselect(
                "Départements",
                list(labels),
                default=chosen,
                format_func=labels.get,
                key="scope",
                max_selections=MAX_DEPARTEMENTS,
                help=f"Au plus {MAX_DEPARTEMENTS} : pour davantage, une région ou la France entière.",
            )
        deps = sorted(chosen or DEFAULT_SCOPE)  # one view (and one stored map) whatever the order chosen
        set_url_list("deps", deps)
    return mode, deps, region


def open_territory(codes: dict[str, str]) -> None:
    """Go to the drill-down page at ``codes`` (``Location.params()``, or e.g. ``{DEPARTEMENT.url: "30"}``),
    keeping the presentation mode."""
    st.switch_page(PAGE_TERRITOIRE, query_params=keeping_mode(codes))


def open_click(click: tuple[str, str] | None) -> None:
    """Open what was clicked on a map, wherever the map is: a commune's page for a commune, the
    territory's view for a territory (keeping the presentation mode)."""
    if not click:
        return
    level, code = click  # a map feature's level (its properties, pvd_geo.webmap): a Level's key
    try:
        key = Level.of(level).url
    except InvalidInput:
        return
    st.switch_page(PAGE_TERRITOIRE, query_params=keeping_mode({key: code}))
