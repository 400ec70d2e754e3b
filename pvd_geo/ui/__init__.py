"""The app layer: the only Streamlit-aware code of the package, one module per concern.

- ``text``: Text from the data made safe for Streamlit's Markdown.
- ``loaders``: Loaders cached per process: the atlas, the catalogue and the figures of the first screen,
  the sources line.
- ``state``: What lives in the URL and in the session: scope, location, presentation mode, navigation,
  the reader's own lists.
- ``mapview``: The map component: prepared maps (memory, then the disk store) drawn with streamlit-
  folium, clicks back to codes.
- ``widgets``: Tables, bars, selectors and page furniture (warnings where a list stops, sources, footer).
- ``sections``: Page sections: the commune page, exports (maps, charts, data), the programme in time.
- ``forms``: Forms: administrators' login, update, import and restore; a reader's own list.
"""

from .forms import (  # noqa: F401
    _ATTEMPTS,
    _WRITER,
    _checked_upload,
    _logged_in,
    admin_config,
    admin_section,
    import_form,
    own_list_form,
    restore_form,
    session_writer,
    update_form,
)
from .loaders import (  # noqa: F401
    _atlas,
    _OnFirstUse,
    atlas_module,
    cached_atlas,
    catalogue,
    first_screen_figures,
    get_atlas,
    lists_of,
    programmes,
    sources_line,
    views,
)
from .mapview import (  # noqa: F401
    _COMPONENT,
    _FOLIUM_FRONTEND,
    _communes_map,
    _reload_atlas,
    _st_folium,
    _stored,
    _territories_map,
    comparison_map,
    insets_frames,
    level_map,
    map_assets,
    show_communes_map,
    show_map,
    show_territories_map,
)
from .sections import (  # noqa: F401
    _WHEN,
    PROGRAMME_IN,
    _chart_bytes,
    _conventions,
    _file_key,
    _list_changes,
    _slug,
    _static_map_bytes,
    _timeline_bytes,
    commune_page,
    download_chart,
    download_data,
    download_static_map,
    list_changes_section,
    programme_lines,
    timeline_section,
    with_own_counts,
)
from .state import (  # noqa: F401
    _OWN,
    DEFAULT_SCOPE,
    LANG_FR,
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
    open_commune,
    open_territory,
    ort_choice,
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
from .text import _MD_SPECIAL, md  # noqa: F401
from .widgets import (  # noqa: F401
    PVD_COLOUR,
    bars_html,
    columns_html,
    comparison_table,
    count_bars,
    coverage_text,
    coverage_warning,
    departements_in_lists,
    lists_table,
    page_footer,
    programme_name,
    show_breadcrumb,
    sources_table,
    stats_table,
    territory_selector,
)
