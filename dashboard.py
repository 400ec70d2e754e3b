"""Atlas PVD — overview of the current scope (Gard + Gers by default): figures, map, counts.

Everything above the map comes from the catalogue and the figures stored on disk
(:mod:`pvd_geo.summary`) and the map from the map store: on a fresh server the map is drawn
before pandas and the atlas are loaded (they are only needed for the counts below it).
"""

import streamlit as st

from pvd_geo import embed, ui
from pvd_geo.format import fr_int
from pvd_geo.levels import DEPARTEMENT, EPCI, REGION, Level

st.set_page_config(page_title="Atlas PVD — vue d'ensemble", page_icon="🗺️", layout="wide")
# A new tab's first run draws the first screen (title, figures, map) and stops; the map's report
# that it is drawn reruns the page whole (pvd_geo.ui.state.first_screen_only).
first = ui.first_screen_only()
ui.sidebar(first_screen=first)
catalogue = ui.catalogue()
mode, deps, region = ui.scope_selector(catalogue, draw=not first)
figures = ui.first_screen_figures(catalogue, deps)
totals, name = figures["totals"], figures["name"]

st.title(f"Petites villes de demain — {ui.md(name)}")
# the search, filled once the atlas is loaded (below the map): its place is kept from the start, so
# that the map does not move when it comes
search_slot = ui.search_place()
if ui.coverage_warning(catalogue, deps) and figures["covered"]:
    part = figures["covered"]
    st.markdown(
        f"**Partie couverte par la liste ({ui.md(part['name'])})** : {fr_int(part['pvd'])} communes PVD, "
        f"{fr_int(part['population_pvd'])} habitants des PVD."
    )
st.caption(
    ui.headline(totals, catalogue.meta)
    + (
        "Cliquez sur une commune pour ouvrir sa fiche."
        if mode == "departements"
        else "Cliquez sur un département pour voir ses EPCI et ses communes."
    )
)
title = f"Petites villes de demain — {name}"
if mode == "departements":  # commune polygons
    ui.open_click(ui.show_communes_map(catalogue, deps, None, title, key="carte_accueil", first_screen=first))
else:  # France or a région: départements by share of inhabitants in a PVD, PVD counts as symbols
    ui.open_click(
        ui.show_territories_map(
            catalogue, "departement", region, title, key=f"carte_{mode}_{region}", first_screen=first
        )
    )
if first:
    if ui.first_screen_map_shown():
        ui.rest_of_page_later()  # in case the map never reports
        st.stop()
    st.rerun()  # a map refused (the reader's budget) or unavailable reports nothing: the whole page now

embed_slot = st.empty()  # « Intégrer » under the map, filled once the atlas is loaded (its PNG)
# The counts need the atlas and pandas (loaded once per process and data version): imported only
# now, after the map is drawn (see pvd_geo.ui's docstring).
from pvd_geo import views  # noqa: E402
from pvd_geo.ui import downloads, search, sections, timeline  # noqa: E402

atlas = ui.get_atlas()
with embed_slot.container():
    downloads.embed_section(
        embed.scope_targets(
            mode, deps, catalogue.departement_names(), region, catalogue.region_names().get(region, "")
        ),
        atlas,
    )
with search_slot.container(key=ui.SEARCH_PLACE):
    search.search_box(
        atlas, deps=tuple(deps) if mode == "departements" else (), regs=(region,) if region else ()
    )
st.subheader("Comptes par territoire")
shown = [REGION, DEPARTEMENT, EPCI] if mode == "france" else [DEPARTEMENT, EPCI, REGION]
level = st.radio(
    "Niveau",
    [lv.key for lv in shown],
    horizontal=True,
    key="niveau",
    format_func=lambda key: Level.of(key).title,
)
table = sections.with_own_counts(atlas, ui.shared(views.counts, atlas, level, deps), level)
sections.stats_table(table)
ui.count_bars(table)
timeline.timeline_section(atlas, deps, name)
ui.page_footer(atlas)
