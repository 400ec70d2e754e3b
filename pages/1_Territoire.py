"""Drill-down France → région → département → EPCI → commune, with the commune page."""

import streamlit as st

from pvd_geo import ui, views

st.set_page_config(page_title="Atlas PVD — territoires", page_icon="🧭", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
loc = ui.current_location(atlas)

query = st.sidebar.text_input("Rechercher une commune", key="recherche", placeholder="ex. grau du roi")
if query:
    found = views.search_communes(atlas, query)
    if found.empty:
        st.sidebar.info("Aucune commune trouvée.")
    for row in found.itertuples():
        if st.sidebar.button(row.libelle, key=f"hit_{row.code}"):
            ui.go(views.Location(com=row.code))

ui.breadcrumb(atlas, loc)

if loc.level == "france":
    st.title("France — Petites villes de demain par région")
    regions = atlas.regions.sort_values("nom")
    choice = st.selectbox(
        "Région",
        [None, *regions["code"]],
        format_func=lambda c: "—" if c is None else dict(zip(regions["code"], regions["nom"]))[c],
    )
    if choice:
        ui.go(views.Location(reg=choice))
    clicked = ui.territories_map(atlas, "region", None, "PVD par région", key="carte_france")
    if clicked:
        ui.go(views.Location(reg=clicked))
    ui.stats_table(atlas.stats("region"))
elif loc.level == "reg":
    name = atlas.regions.set_index("code").loc[loc.reg, "nom"]
    st.title(f"{name} — départements")
    deps = atlas.departements[atlas.departements["reg"] == loc.reg].sort_values("code")
    choice = st.selectbox(
        "Département",
        [None, *deps["code"]],
        format_func=lambda c: "—" if c is None else f"{dict(zip(deps['code'], deps['nom']))[c]} ({c})",
    )
    if choice:
        ui.go(views.Location(reg=loc.reg, dep=choice))
    clicked = ui.territories_map(
        atlas, "departement", loc.reg, f"{name} — PVD par département", key=f"carte_reg_{loc.reg}"
    )
    if clicked:
        ui.go(views.Location(reg=loc.reg, dep=clicked))
    ui.stats_table(atlas.stats("departement").query("code in @deps.code"))
elif loc.level in ("dep", "epci"):
    if loc.level == "dep":
        name = atlas.departements.set_index("code").loc[loc.dep, "nom"]
        st.title(f"{name} ({loc.dep}) — EPCI et communes")
        table = views.counts(atlas, "epci", [loc.dep])
        choice = st.selectbox(
            "EPCI",
            [None, *table["code"]],
            format_func=lambda c: "—" if c is None else dict(zip(table["code"], table["nom"]))[c],
        )
        if choice:
            ui.go(views.Location(reg=loc.reg, dep=loc.dep, epci=choice))
        clicked = ui.communes_map(atlas, [loc.dep], None, f"{name} ({loc.dep})", key=f"carte_dep_{loc.dep}")
        if clicked:
            epci = atlas.communes.set_index("code").loc[clicked, "epci"]
            ui.go(views.Location(reg=loc.reg, dep=loc.dep, epci=epci if isinstance(epci, str) else None))
    else:
        name = atlas.epci.set_index("code").loc[loc.epci, "nom"]
        st.title(name)
        table = atlas.stats("epci", loc.dep).query("code == @loc.epci")
        members = atlas.communes[atlas.communes["epci"] == loc.epci].sort_values("nom")
        choice = st.selectbox(
            "Commune",
            [None, *members["code"]],
            format_func=lambda c: "—" if c is None else dict(zip(members["code"], members["nom"]))[c],
        )
        if choice:
            ui.go(views.Location(loc.reg, loc.dep, loc.epci, choice))
        clicked = ui.communes_map(atlas, [], loc.epci, name, key=f"carte_epci_{loc.epci}")
        if clicked:
            ui.go(views.Location(loc.reg, loc.dep, loc.epci, clicked))
    ui.stats_table(table)
else:
    profile = views.commune_profile(atlas, loc.com, ui.programmes())
    ui.commune_page(profile)
    if profile.epci:
        ui.communes_map(atlas, [], profile.epci[0], profile.epci[1], key=f"carte_com_{profile.code}")
ui.page_footer(atlas)
