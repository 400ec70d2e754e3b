"""The programme in time: conventions per period, and what changed between two versions of a list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from .. import views
from ..budget import OverBudget
from ..constants import (
    EMBEDDED_DIR,
    lists_dir,
)
from ..format import fr_int
from ..programmes import principal

if TYPE_CHECKING:
    from ..atlas import Atlas

from .downloads import _slug
from .loaders import shared, sources_of
from .state import (
    new_work,
)
from .text import md
from .widgets import columns_html


@st.cache_data(max_entries=32, show_spinner=False)
def _timeline_bytes(
    _atlas: Atlas, fingerprint: str, departements: tuple, freq: str, fmt: str, title: str
) -> bytes:
    from .. import exports, figures

    atlas = _atlas
    table = views.conventions(atlas, list(departements), freq)
    if fmt == "csv":
        return exports.to_csv(table, ";")
    with new_work():  # a chart drawn: on demand, on the reader's budget
        return figures.encode(figures.timeline_chart(table, title, sources_of(atlas)), fmt)


def timeline_section(atlas: Atlas, departements: list[str], name: str) -> None:
    """« Le programme dans le temps »: PVD conventions per quarter or month (chart, PNG/SVG/CSV), and
    the communes that joined since the oldest version of the list kept here."""
    st.subheader("Le programme dans le temps")
    if not atlas.covers(principal().key, departements):
        st.info("Chronologie indisponible : la liste PVD chargée ne couvre pas ce périmètre.")
        return
    freq = st.radio(
        "Par", ["Q", "M"], horizontal=True, key="chrono_pas", format_func={"Q": "trimestre", "M": "mois"}.get
    )
    table = shared(views.conventions, atlas, list(departements), freq)
    missing = table.attrs.get("sans_date", 0)
    title = f"Conventions Petites villes de demain signées — {name}"
    if table.empty:
        st.info(f"Aucune date de convention dans la liste chargée ({fr_int(missing)} communes sans date).")
    else:
        st.html(columns_html(table, f"Conventions signées par {'trimestre' if freq == 'Q' else 'mois'}"))
        st.caption(
            f"{fr_int(int(table['conventions'].sum()))} conventions datées"
            + (f", {fr_int(missing)} communes sans date dans la liste" if missing else "")
            + ". "
            + md(sources_of(atlas))
        )
        cols = st.columns(3)
        args = (atlas, atlas.fingerprint, tuple(departements), freq)
        cols[0].download_button(
            "Chronologie (CSV)",
            _timeline_bytes(*args, "csv", title),
            file_name=f"pvd_conventions_{freq}.csv",
            mime="text/csv",
            key="dl_chrono_csv",
            on_click="ignore",
        )
        # the charts are drawn only when asked for (each costs the server ≈ 0.6 s)
        asked = f"chrono_graphiques_{freq}_{_slug(tuple(('departement', d) for d in departements))}"
        if cols[1].button("Préparer la chronologie en image", key="prep_chrono") or st.session_state.get(
            asked
        ):
            st.session_state[asked] = True
            try:
                for col, fmt, mime in ((cols[1], "png", "image/png"), (cols[2], "svg", "image/svg+xml")):
                    col.download_button(
                        f"Chronologie ({fmt.upper()})",
                        _timeline_bytes(*args, fmt, title),
                        file_name=f"pvd_conventions_{freq}.{fmt}",
                        mime=mime,
                        key=f"dl_chrono_{fmt}",
                        on_click="ignore",
                    )
            except OverBudget as exc:
                st.warning(exc.french("la chronologie"))
    list_changes_section(atlas, departements, key="chrono")


def _file_key(path) -> tuple[str, int, int]:
    stat = Path(path).stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


@st.cache_data(max_entries=32, show_spinner=False)
def _list_changes(_atlas: Atlas, fingerprint: str, old: tuple, new: tuple, departements: tuple | None):
    """Two list versions compared (files keyed by path, size and date), once per pair and scope."""
    return views.list_changes(
        _atlas, old[0], new[0], list(departements) if departements is not None else None
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _coverage(_atlas: Atlas, fingerprint: str, file: tuple):
    """A list version's coverage inferred from its communes, once per file (path, size, date)."""
    return views.inferred_coverage(_atlas, file[0])


def list_changes_section(
    atlas: Atlas, departements: list[str] | None, key: str, programme: str | None = None
) -> None:
    """Two versions of a programme's list compared (the oldest kept and the one in use by default):
    communes added and removed."""
    programme = programme or principal().key
    versions = views.list_versions(
        programme,
        lists_dir(),
        EMBEDDED_DIR,
        lambda path: _coverage(atlas, atlas.fingerprint, _file_key(path)),
    )
    if len(versions) < 2:
        st.caption(
            "Une seule version de la liste est disponible ici : les entrées et sorties apparaîtront "
            "après une mise à jour (les versions remplacées sont gardées dans l'historique)."
        )
        return
    labels = [v.label for v in versions]
    covers = [v.couverture for v in versions]
    # by default, the oldest version covering what the list in use covers: comparing an extract
    # of two départements with a national list would count every other commune as « entrée »
    same = [i for i in range(1, len(versions)) if covers[i] == covers[0]]
    cols = st.columns(2)
    old = cols[0].selectbox(
        "Version de départ", labels, index=same[-1] if same else len(labels) - 1, key=f"{key}_avant"
    )
    new = cols[1].selectbox("Comparée à", labels, index=0, key=f"{key}_apres")
    paths = {v.label: v.path for v in versions}
    scope = set(departements) if departements else None
    cover_old, cover_new = covers[labels.index(old)], covers[labels.index(new)]
    if cover_old != cover_new:
        everywhere = set(atlas.departements["code"])
        common = (set(cover_old) if cover_old else everywhere) & (set(cover_new) if cover_new else everywhere)
        scope = common if scope is None else scope & common
        names = atlas.names("departement")
        st.caption(
            "Les deux versions ne couvrent pas les mêmes départements : la comparaison se limite à "
            + (md(", ".join(names.get(d, d) for d in sorted(scope))) if scope else "aucun département")
            + " (couverts par les deux)."
        )
    changes = _list_changes(
        atlas,
        atlas.fingerprint,
        _file_key(paths[old]),
        _file_key(paths[new]),
        tuple(sorted(scope)) if scope is not None else None,
    )
    added = int((changes["changement"] == "ajoutée").sum())
    st.markdown(
        f"**{fr_int(added)} communes entrées**, **{fr_int(len(changes) - added)} sorties** "
        f"entre « {md(old)} » et « {md(new)} »."
    )
    st.dataframe(changes.rename(columns=views.CHANGE_HEADERS), hide_index=True, width="stretch")
