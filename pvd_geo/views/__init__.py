"""View models for the pages: plain data, ready to render, no Streamlit — one module per page or
concern: :mod:`.scope` (a view's scope), :mod:`.drilldown` (URL state, breadcrumb, levels),
:mod:`.commune` (a commune's page), :mod:`.comparison`, :mod:`.search`, :mod:`.tables` (lists,
versions, French headers) and :mod:`.mapdata` (the web maps' data)."""

from __future__ import annotations

from .commune import CommuneProfile, commune_profile, signature_date  # noqa: F401
from .comparison import compare, compared_rows, territory_options  # noqa: F401
from .drilldown import (  # noqa: F401
    LevelView,
    Location,
    breadcrumb,
    child_location,
    embed_targets,
    level_view,
    location_departements,
    resolve,
)
from .mapdata import communes_map_spec, missing_contours_note, territories_map_spec, uncovered_programmes  # noqa: F401
from .scope import (  # noqa: F401
    Scope,
    comparison_scope,
    counts,
    covered_part,
    departements_of,
    main_bounds,
    national_insets,
    pixel_size,
    scope,
    scope_bounds,
    scope_name,
    scope_panels,
    with_insets,
)
from .search import index_gzip, index_text  # noqa: F401
from .tables import (  # noqa: F401
    CHANGE_HEADERS,
    ListVersion,
    conventions,
    display_table,
    inferred_coverage,
    list_changes,
    list_versions,
    lists_json,
    lists_summary,
    own_counts,
    version_codes,
)
