"""The app layer: the only Streamlit-aware code of the package, one module per concern.

- ``text``: Text from the data made safe for Streamlit's Markdown.
- ``loaders``: Loaders cached per process: the atlas, the catalogue and the figures of the first
  screen, the sources line.
- ``state``: What lives in the URL and in the session: scope, location, presentation mode,
  navigation, the reader's own lists.
- ``mapview``: Maps: prepared maps (memory, then the disk store) as a ``folium.Map`` with the
  atlas's plugins (``pvd_geo/webmap/``), shown by ``st_folium``; a click comes back as a code.
- ``widgets``: Bars, warnings where a list stops, lists, page furniture — from plain data.
- ``sections``: Page sections computed from the loaded atlas: breadcrumb, tables, selectors, the
  commune page, the comparison map, exports, the programme in time.
- ``forms``: Forms: administrators' login, update, import and restore; a reader's own list.

**The first screen imports nothing heavy, by structure.** The overview draws its selectors,
figures and map from the stored catalogue and map (:mod:`pvd_geo.summary`, :mod:`pvd_geo.mapcache`)
before pandas, geopandas and shapely are imported. So the modules re-exported here (``text``,
``loaders``, ``state``, ``mapview``, ``widgets``) import :mod:`pvd_geo.views`, :mod:`pvd_geo.atlas`
and :mod:`pvd_geo.webmap` only inside the functions that work on the loaded atlas (a plain
``from .. import views`` there, which readers and type checkers follow), while ``sections`` and
``forms`` import :mod:`pvd_geo.views` at the top and are imported by the pages that need them
(``from pvd_geo.ui import sections``); matplotlib is imported only where a figure is drawn (a
stored map needs no geometry library). ``tests/test_mapcache.py`` checks that the first screen
imports none of them.
"""

from .loaders import (  # noqa: F401
    cached_atlas,
    catalogue,
    first_screen_figures,
    get_atlas,
    lists_of,
    projets_locaux,
    shared,
    sources_of,
)
from .mapview import (  # noqa: F401
    level_map,
    show_communes_map,
    show_map,
    show_territories_map,
)
from .overview import headline  # noqa: F401
from .state import (  # noqa: F401
    DEFAULT_SCOPE,
    LANG_FR,
    MAX_EXPORTED,
    MAX_OWN_LISTS,
    MAX_OWN_ROWS,
    NAVIGATION,
    PAGE_ACCUEIL,
    PAGE_COMPARER,
    PAGE_DONNEES,
    PAGE_EXPORTER,
    PAGE_TERRITOIRE,
    PRESENTATION_CSS,
    SCOPES,
    TILES,
    current_location,
    go,
    on_request_choice,
    open_click,
    open_commune,
    open_territory,
    own_column,
    own_lists_shown,
    presentation_mode,
    scope_selector,
    set_url_list,
    share_link,
    sidebar,
    tiles_choice,
    tiles_selector,
    url_list,
)
from .text import md  # noqa: F401
from .widgets import (  # noqa: F401
    PVD_COLOUR,
    bars_html,
    columns_html,
    comparison_table,
    count_bars,
    coverage_text,
    coverage_warning,
    departements_in_lists,
    embed_section,
    lists_table,
    page_footer,
    programme_name,
)
