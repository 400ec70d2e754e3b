"""Tables, sources and vintages, the lists in use, their update and the import of a user's list."""

import streamlit as st

from pvd_geo import ui
from pvd_geo.ui import forms, sections, timeline

st.set_page_config(page_title="Atlas PVD — données", page_icon="🗂️", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
st.title("Données, sources et listes")

st.subheader("Listes en usage")
ui.lists_table(atlas)
st.caption("Départements ayant au moins une commune dans les listes :")
sections.stats_table(ui.departements_in_lists(atlas))

st.subheader("Comparer deux versions d'une liste")
programme = st.selectbox(
    "Liste", list(atlas.selections), key="versions_programme", format_func=ui.programme_name
)
timeline.list_changes_section(atlas, None, key="versions", programme=programme)

st.subheader("Sources et millésimes")
sections.sources_table(atlas)

st.subheader("Ma liste (dans cette session seulement)")
forms.own_list_form(atlas)

st.subheader("Administration des listes partagées")
writer = forms.admin_section()
if writer is not None:
    st.subheader("Mettre à jour depuis data.gouv.fr")
    forms.update_form(writer)
    st.subheader("Importer une liste partagée (CSV)")
    forms.import_form(atlas, writer)
    st.subheader("Restaurer une version précédente")
    forms.restore_form(writer, programme)
ui.page_footer(atlas)
