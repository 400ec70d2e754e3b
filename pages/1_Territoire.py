"""Drill-down France → région → département → EPCI → commune, with the commune page."""

import streamlit as st

from pvd_geo import programmes, ui, views
from pvd_geo.ui import commune, downloads, search, sections

st.set_page_config(page_title="Atlas PVD — territoires", page_icon="🧭", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
loc = ui.current_location(atlas)

# the territories this view is about come first in the search; in France, those the list covers
covered = atlas.coverage(programmes.principal().key)
search.search_box(
    atlas,
    deps=(loc.dep,) if loc.dep else () if loc.reg else tuple(covered or ()),
    regs=(loc.reg,) if loc.reg and not loc.dep else (),
)
sections.show_breadcrumb(atlas, loc)

if loc.level == "com":
    profile = ui.shared(views.commune_profile, atlas, loc.com, ui.projets_locaux())
    commune.commune_page(profile)
    if profile.epci:
        ui.open_click(
            ui.show_communes_map(
                atlas,
                [],
                profile.epci[0],
                profile.epci[1],
                key=f"carte_com_{profile.code}",
                focus=profile.code,
            )
        )
else:
    view = ui.shared(views.level_view, atlas, loc)
    st.title(ui.md(view.title))
    ui.coverage_warning(atlas, ui.shared(views.location_departements, atlas, loc))
    choice = st.selectbox(view.child, [None, *view.options], format_func=lambda c: view.options.get(c, "—"))
    if choice:
        ui.go(views.child_location(atlas, loc, choice))
    ui.open_click(ui.level_map(atlas, view, key=f"carte_{loc.level}_{'_'.join(loc.params().values())}"))
    sections.stats_table(view.table)
downloads.embed_section(ui.shared(views.embed_targets, atlas, loc), atlas)
ui.page_footer(atlas)
