"""Atlas PVD — overview of the current scope (Gard + Gers by default)."""

import streamlit as st

from pvd_geo.format import fr_int, fr_pct
from pvd_geo.ui import get_atlas, sources_line
from pvd_geo.views import overview

st.set_page_config(page_title="Atlas PVD", layout="wide")
atlas = get_atlas()
view = overview(atlas, ["30", "32"])

st.title("Petites villes de demain — Gard et Gers")
cols = st.columns(4)
cols[0].metric("Communes PVD", fr_int(view.totals["pvd"]))
cols[1].metric("EPCI avec au moins une PVD", fr_int(view.totals["epci_avec_pvd"]))
cols[2].metric(
    f"Population des PVD ({atlas.meta['population_millesime']})",
    fr_int(view.totals["population_pvd"]),
    help=atlas.meta["population"],
)
cols[3].metric("Communes Action cœur de ville", fr_int(view.totals["acv"]))
st.caption(f"Part de la population vivant dans une PVD : {fr_pct(view.totals['part_population_pvd'])}")

st.subheader("Par département")
st.dataframe(view.table, hide_index=True)
st.caption(sources_line(atlas))
