"""Two or more territories side by side: same figures, maps at the same scale and colours."""

import streamlit as st

from pvd_geo import ui, views
from pvd_geo.levels import Level
from pvd_geo.ui import downloads, sections
from pvd_geo.ui.state import presentation_mode

st.set_page_config(page_title="Atlas PVD — comparer", page_icon="⚖️", layout="wide")
ui.sidebar()
atlas = ui.get_atlas()
st.title("Comparer des territoires")
pairs, labels = sections.territory_selector(
    atlas, "Territoires à comparer (régions, départements, EPCI)", key="comparer", max_selections=4
)
if len(pairs) < 2:
    st.info("Choisissez au moins deux territoires.")
    st.stop()
# on a projector the table beside the maps, so that both fit one screen (1920 × 1080)
table_area, maps_area = st.columns([2, 3]) if presentation_mode() else (st.container(), st.container())
with table_area:
    ui.coverage_warning(atlas, ui.shared(views.departements_of, atlas, pairs))
    ui.comparison_table(ui.shared(views.compare, atlas, pairs))
with maps_area:
    st.caption("Cartes à la même échelle et avec les mêmes couleurs.")
    cols = st.columns(len(pairs))
    for col, (level, code) in zip(cols, pairs, strict=True):
        with col:
            st.markdown(f"**{ui.md(labels[f'{level}:{code}'])}**")
            sections.comparison_map(
                atlas, level, code, pairs, labels[f"{level}:{code}"], key=f"cmp_{level}_{code}"
            )
downloads.embed_section(
    [
        target
        for level, code in pairs
        for target in views.embed_targets(atlas, views.resolve(atlas, {Level.of(level).url: code}))
    ],
    atlas,
)
ui.page_footer(atlas)
