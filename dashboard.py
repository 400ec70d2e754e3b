"""Atlas PVD — overview of the current scope (Gard + Gers by default): figures, map, counts."""

import streamlit as st

from pvd_geo import ui, views
from pvd_geo.format import fr_int, fr_pct

st.set_page_config(page_title="Atlas PVD — vue d'ensemble", page_icon="🗺️", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
labels = ui.departement_labels(atlas)
deps = (
    st.sidebar.multiselect(
        "Départements",
        list(labels),
        default=ui.url_list("deps", ui.DEFAULT_SCOPE, list(labels)),
        format_func=labels.get,
        key="scope",
    )
    or ui.DEFAULT_SCOPE
)
ui.set_url_list("deps", deps)
view = views.overview(atlas, deps)
name = views.scope_name(atlas, deps)

st.title(f"Petites villes de demain — {name}")
cols = st.columns(4)
cols[0].metric("Communes PVD", fr_int(view.totals["pvd"]))
cols[1].metric("EPCI avec au moins une PVD", fr_int(view.totals["epci_avec_pvd"]))
cols[2].metric(
    f"Habitants des PVD (pop. {atlas.meta['population_millesime']})",
    fr_int(view.totals["population_pvd"]),
    help=atlas.meta["population"],
)
cols[3].metric("Communes Action cœur de ville", fr_int(view.totals["acv"]))
st.caption(
    f"{fr_pct(view.totals['part_population_pvd'])} des {fr_int(view.totals['population'])} habitants "
    "vivent dans une Petite ville de demain. Cliquez sur une commune pour ouvrir sa fiche."
)
clicked = ui.communes_map(atlas, deps, None, f"Petites villes de demain — {name}", key="carte_accueil")
if clicked:
    ui.open_commune(clicked)

st.subheader("Comptes par territoire")
level = st.radio(
    "Niveau",
    ["departement", "epci", "region"],
    horizontal=True,
    key="niveau",
    format_func={"departement": "Département", "epci": "EPCI", "region": "Région"}.get,
)
table = views.counts(atlas, level, deps)
ui.stats_table(table)
ui.bar_chart(table)
ui.page_footer(atlas)
