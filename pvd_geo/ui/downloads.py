"""Files a reader takes away: press maps, bar charts, data (CSV, GeoJSON), prepared on demand
and cached per choice, and « Intégrer » (the published pages' code, or the view's map in PNG);
the atlas itself is passed unhashed (``_atlas``, Streamlit convention)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from .. import views
from ..budget import OverBudget
from ..constants import site_url
from ..embed import embed_snippet, published_pages, territories_of
from ..levels import Level

if TYPE_CHECKING:
    from ..atlas import Atlas

from .loaders import shared, sources_of
from .state import client_address, new_work, view_url
from .text import md


def _slug(pairs: tuple) -> str:
    return "_".join(f"{lvl[:3]}{code}" for lvl, code in pairs)


@st.cache_data(max_entries=16, show_spinner=False)
def _static_map_bytes(_atlas: Atlas, fingerprint: str, pairs: tuple, fmt: str) -> bytes:
    from .. import figures

    return figures.encode(figures.static_map(_atlas, list(pairs)), fmt)


def download_static_map(atlas: Atlas, pairs: tuple, fmt: str) -> None:
    """One button: the map is made when the reader clicks it (Streamlit's deferred download, in a
    thread of its own; the button shows its progress), then saved; a few seconds for a région
    (``benchmarks/bench_region_map.py``). The reader's budget of server time is checked before the
    button is offered and again at the click, before the work."""
    from .. import budget
    from ..figures import CoverageError, check_coverage

    try:
        check_coverage(atlas, list(pairs))
    except CoverageError as exc:
        st.warning(f"Carte de presse refusée : {md(exc)}")
        return
    client = client_address()  # read now: the click's thread has no page context
    wait = budget.BUDGET.wait_s(client)
    if wait > 0:
        st.warning(OverBudget(wait).french("cette carte de presse"))
        return
    fingerprint = atlas.fingerprint

    def make() -> bytes:
        with budget.BUDGET.spend(client):
            return _static_map_bytes(atlas, fingerprint, pairs, fmt)

    mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
    regions = any(level == "region" for level, _ in pairs)
    st.download_button(
        f"Télécharger la carte ({fmt.upper()})",
        make,
        file_name=f"pvd_{_slug(pairs)}.{fmt}",
        mime=mime,
        key=f"dl_carte_{_slug(pairs)}_{fmt}",
        on_click="ignore",
        icon=":material/download:",
        help="La carte est préparée au clic"
        + (" : quelques secondes pour une région." if regions else " : une à deux secondes."),
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _chart_bytes(_atlas: Atlas, fingerprint: str, pairs: tuple, level: str, fmt: str) -> bytes:
    from .. import exports, figures

    atlas = _atlas
    title = f"Communes Petites villes de demain par {Level.of(level).label}"
    table = exports.territory_stats(atlas, list(pairs), level)
    with new_work():
        return figures.encode(figures.bar_chart(table, title, sources_of(atlas)), fmt)


def download_chart(atlas: Atlas, pairs: tuple, level: str, fmt: str) -> None:
    """The bar chart, rendered once per choice (cached), offered as a file."""
    from ..figures import CoverageError

    try:
        data = _chart_bytes(atlas, atlas.fingerprint, pairs, level, fmt)
    except CoverageError as exc:
        st.warning(f"Graphique indisponible : {md(exc)}")
        return
    except OverBudget as exc:
        st.warning(exc.french("ce graphique"))
        return
    st.download_button(
        f"Télécharger le graphique ({fmt.upper()})",
        data,
        file_name=f"pvd_{level}_{_slug(pairs)}.{fmt}",
        mime="image/png" if fmt == "png" else "image/svg+xml",
        key=f"dl_chart_{level}_{fmt}",
        on_click="ignore",
    )


def download_data(atlas: Atlas, pairs: tuple, sep: str) -> None:
    from .. import exports

    communes = exports.territory_communes(atlas, list(pairs))
    figures_table = shared(views.compare, atlas, list(pairs)).reset_index(names="indicateur")
    files = [
        (
            "Communes (CSV)",
            exports.to_csv(communes, sep),
            f"communes_{_slug(pairs)}.csv",
            "text/csv",
            "dl_csv",
        ),
        (
            "Communes (GeoJSON)",
            exports.to_geojson(communes),
            f"communes_{_slug(pairs)}.geojson",
            "application/geo+json",
            "dl_geojson",
        ),
        (
            "Chiffres clés (CSV)",
            exports.to_csv(figures_table, sep),
            f"chiffres_{_slug(pairs)}.csv",
            "text/csv",
            "dl_figures",
        ),
    ]
    for col, (label, data, name, mime, key) in zip(st.columns(3), files, strict=True):
        col.download_button(label, data, file_name=name, mime=mime, key=key, on_click="ignore")


def embed_section(targets: list[tuple[str, str]], atlas: Atlas) -> None:
    """« Intégrer cette carte » under a map: the ``<iframe>`` of each published page of the view
    (``targets``: (path in the site, title)) — only for a page the published site has, when the
    operator said where it is (:func:`pvd_geo.embed.published_pages`); without a configured site,
    the view's link and its press map in PNG (from ``atlas``), and that an operator can publish
    the site. An embedded page is static: its readers cost the atlas's server nothing."""
    # a popover: its code blocks (and Streamlit's syntax highlighter) are drawn only when opened
    with st.popover("Intégrer cette carte dans un article"):
        base = site_url()
        if not base:
            st.markdown(
                "Le site statique de l'atlas, dont les pages s'intègrent dans un article, n'est pas "
                "publié sur ce serveur (son exploitant peut le publier). En attendant : l'image de "
                "cette carte, à insérer avec ses sources, et le lien de cette vue."
            )
            pairs = list(dict.fromkeys(p for path, _ in targets for p in territories_of(path)))
            if pairs:
                download_static_map(atlas, tuple(pairs), "png")
            st.code(view_url(), language=None)
            return
        pages = published_pages()
        st.caption(
            "Code à coller dans l'article : une page statique (carte, chiffres, sources et date de la "
            "liste), sans serveur d'application, lisible sur téléphone."
        )
        missing = [title for path, title in targets if pages is not None and path not in pages]
        targets = [(path, title) for path, title in targets if pages is None or path in pages]
        if missing:
            st.info(
                f"Pas encore dans le site publié : {md(', '.join(missing))}. L'exploitant l'y ajoute "
                "en publiant ses départements (« publish --departements », ou le site entier)."
            )
        for path, title in targets:
            if len(targets) > 1:
                st.markdown(f"**{md(title)}**")
            st.code(embed_snippet(base, path, title), language="html", wrap_lines=True)  # never cut
