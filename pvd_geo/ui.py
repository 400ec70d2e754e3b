"""The only Streamlit-aware module: cached loaders and shared page furniture."""

from __future__ import annotations

import streamlit as st

from .atlas import Atlas, BuildCorrupt, BuildMissing, load_atlas
from .constants import ANCT_SOURCE


@st.cache_resource(show_spinner="Chargement des données…")
def _atlas() -> Atlas:
    return load_atlas()


def get_atlas() -> Atlas:
    """The read-only atlas, loaded once per process; stops the page with a French message if absent."""
    try:
        return _atlas()
    except (BuildMissing, BuildCorrupt) as exc:
        st.error(f"{exc}\n\nPour réparer : `make run` (ou `python -m pvd_geo build`).")
        st.stop()
        raise  # st.stop() raises; this keeps type checkers happy


def sources_line(atlas: Atlas) -> str:
    """« Sources : ... » with every vintage, for the foot of each page and map."""
    meta = atlas.meta
    return f"Sources : {ANCT_SOURCE} ; contours {meta['contours']} ; {meta['population']}."
