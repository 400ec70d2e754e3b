"""Static maps, charts and data for the press and for slides."""

import streamlit as st

from pvd_geo import ui, views
from pvd_geo.levels import AGGREGATED
from pvd_geo.ui import downloads, sections

st.set_page_config(page_title="Atlas PVD — exporter", page_icon="🖨️", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
st.title("Exporter cartes, graphiques et données")
pairs, labels = sections.territory_selector(
    atlas,
    "Territoires (plusieurs : panneaux côte à côte à la même échelle)",
    key="export_territoires",
    max_selections=ui.MAX_EXPORTED,
)
if not pairs:
    st.info("Choisissez au moins un territoire.")
    st.stop()
pairs = tuple(pairs)
ui.coverage_warning(atlas, ui.shared(views.departements_of, atlas, list(pairs)))

st.subheader("Carte statique")
fmt = st.radio(
    "Format",
    ["png", "svg", "pdf"],
    horizontal=True,
    key="export_format",
    format_func={"png": "PNG (200 dpi)", "svg": "SVG (texte modifiable)", "pdf": "PDF A4 paysage"}.get,
)
downloads.download_static_map(atlas, pairs, fmt)
st.markdown("**France entière** : départements selon leur nombre de PVD, outre-mer en cartouches.")
downloads.download_static_map(atlas, (("france", ""),), fmt)

st.subheader("Graphique")
levels = {lv.key: lv.label for lv in reversed(AGGREGATED)}  # EPCI, département, région
level = st.radio("Comptes par", list(levels), horizontal=True, key="export_niveau", format_func=levels.get)
chart_fmt = st.radio("Format du graphique", ["png", "svg"], horizontal=True, key="export_chart_format")
downloads.download_chart(atlas, pairs, level, chart_fmt)

st.subheader("Données")
ui.comparison_table(ui.shared(views.compare, atlas, list(pairs)))
sep = st.radio(
    "Séparateur CSV",
    [";", ","],
    horizontal=True,
    key="export_sep",
    format_func={";": "point-virgule (Excel français)", ",": "virgule"}.get,
)
downloads.download_data(atlas, pairs, sep)
ui.page_footer(atlas)
