"""Atlas PVD — overview of the current scope (Gard + Gers by default): figures, map, counts."""

import streamlit as st

from pvd_geo import ui, views
from pvd_geo.format import fr_int, fr_pct

st.set_page_config(page_title="Atlas PVD — vue d'ensemble", page_icon="🗺️", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
mode, deps, region = ui.scope_selector(atlas)
view = views.overview(atlas, deps)
name = views.scope_name(atlas, deps)

st.title(f"Petites villes de demain — {ui.md(name)}")
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
    "vivent dans une Petite ville de demain. "
    + (
        "Cliquez sur une commune pour ouvrir sa fiche."
        if mode == "departements"
        else "Cliquez sur un département pour voir ses EPCI et ses communes."
    )
)
if mode == "departements":  # commune polygons
    clicked = ui.communes_map(atlas, deps, None, f"Petites villes de demain — {name}", key="carte_accueil")
    if clicked:
        ui.open_commune(clicked)
else:  # France or a région: départements shaded by PVD count, PVD communes as points
    clicked = ui.territories_map(
        atlas, "departement", region, f"Petites villes de demain — {name}", key=f"carte_{mode}_{region}"
    )
    if clicked:
        ui.open_territory(views.Location(dep=clicked))

st.subheader("Comptes par territoire")
level = st.radio(
    "Niveau",
    ["region", "departement", "epci"] if mode == "france" else ["departement", "epci", "region"],
    horizontal=True,
    key="niveau",
    format_func={"departement": "Département", "epci": "EPCI", "region": "Région"}.get,
)
table = views.counts(atlas, level, deps)
ui.stats_table(table)
ui.bar_chart(table)
ui.page_footer(atlas)
