"""The app layer: the only Streamlit-aware code of the package, one module per concern.

- ``text``: Text from the data made safe for Streamlit's Markdown.
- ``loaders``: Loaders cached per process: the atlas, the catalogue and the figures of the first
  screen, the sources line.
- ``state``: What lives in the URL and in the session: scope, location, presentation mode,
  navigation, the reader's own lists.
- ``mapview``: Maps: prepared maps (memory, then the disk store) as a ``folium.Map`` with the
  atlas's plugins (``pvd_geo/webmap/``), shown by ``st_folium``; a click comes back as a code.
- ``widgets``: Bars, warnings where a list stops, lists, page furniture — from plain data.
- ``overview``: The overview's headline figures, from the registry.
- ``sections``: Page sections computed from the loaded atlas: breadcrumb, tables, selectors, the
  comparison map; ``commune`` (the commune page), ``downloads`` (files to take away, « Intégrer ») and
  ``timeline`` (the programme in time, versions of a list).
- ``forms``: Forms: administrators' login, update, import and restore; a reader's own list.

**The first screen imports nothing heavy, by structure.** The overview draws its selectors,
figures and map from the stored catalogue and map (:mod:`pvd_geo.summary`, :mod:`pvd_geo.store`)
before pandas, geopandas and shapely are imported. So the modules re-exported here (``text``,
``loaders``, ``state``, ``mapview``, ``widgets``, ``overview``; only what the pages call) import
:mod:`pvd_geo.views`, :mod:`pvd_geo.atlas` and :mod:`pvd_geo.webmap` only inside the functions
that work on the loaded atlas (a plain ``from .. import views`` there, which readers and type
checkers follow), while ``sections``, ``commune``, ``downloads``, ``timeline`` and ``forms``
import :mod:`pvd_geo.views` at the top and are imported by the pages that need them
(``from pvd_geo.ui import sections``); matplotlib is imported only where a figure is drawn (a
stored map needs no geometry library). ``tests/test_store.py`` checks that the first screen
imports none of them.
"""

from .loaders import (  # noqa: F401
    catalogue,
    first_screen_figures,
    get_atlas,
    projets_locaux,
    shared,
)
from .mapview import (  # noqa: F401
    first_screen_map_shown,
    level_map,
    show_communes_map,
    show_territories_map,
)
from .overview import headline  # noqa: F401
from .state import (  # noqa: F401
    DEFAULT_SCOPE,
    MAX_EXPORTED,
    SEARCH_PLACE,
    current_location,
    first_screen_only,
    go,
    open_click,
    rest_of_page_later,
    scope_selector,
    search_place,
    sidebar,
)
from .text import md  # noqa: F401
from .widgets import (  # noqa: F401
    bars_html,
    comparison_table,
    count_bars,
    coverage_warning,
    departements_in_lists,
    lists_table,
    page_footer,
    programme_name,
)
