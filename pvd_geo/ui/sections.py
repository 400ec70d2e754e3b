"""Page sections shared by the pages: the comparison map, the breadcrumb, stats tables, the
territory selector, the sources. They work on the loaded atlas: like :mod:`.commune`,
:mod:`.downloads` and :mod:`.timeline`, this module imports pandas (through :mod:`pvd_geo.views`)
at the top, so the first screen of the overview does not import it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from .. import views
from ..budget import OverBudget
from ..webmap import spec as webmap

if TYPE_CHECKING:
    from ..atlas import Atlas

from .loaders import shared
from .mapview import PRESENTATION_COMPARISON_MAP_HEIGHT, _communes_map, show_map
from .state import (
    go,
    on_request_choice,
    open_click,
    own_column,
    own_lists_shown,
    set_url_list,
    tiles_choice,
    url_list,
)
from .text import md
from .widgets import MISSING, figure, table_html


def with_own_counts(atlas: Atlas, table, level: str):
    """The counts table with one column per own list of this session (missing outside what the
    list covers, as for the official lists)."""
    own = own_lists_shown()
    if not own:
        return table
    return views.own_counts(atlas, table, level, own, own_column)


def comparison_map(
    atlas: Atlas, level: str, code: str, others: list[tuple[str, str]], title: str, key: str
) -> None:
    """A territory's communes at the zoom shared by all compared territories (same scale)."""
    scopes = {pair: views.comparison_scope(atlas, *pair) for pair in others}
    width = {2: 420, 3: 270, 4: 200}.get(len(others), 200)
    zoom = webmap.common_zoom([shared(views.scope_bounds, atlas, *s) for s in scopes.values()], width, 440)
    deps, epci = scopes[(level, code)]
    try:
        fmap = _communes_map(
            tuple(deps),
            epci,
            tiles_choice(),
            title,
            atlas.fingerprint,
            zoom=zoom,
            on_request=on_request_choice(),
            own=own_lists_shown(),
        )
    except OverBudget as exc:
        st.warning(exc.french("cette carte"))
        return
    open_click(show_map(fmap, key, height=480, presentation_height=PRESENTATION_COMPARISON_MAP_HEIGHT))


def show_breadcrumb(atlas: Atlas, loc: views.Location) -> None:
    """Clickable path France › région › département › EPCI › commune."""
    crumbs = shared(views.breadcrumb, atlas, loc)
    with st.container(key="fil-ariane"):  # one line on a phone (PHONE_CSS)
        cols = st.columns(len(crumbs) + 1 if len(crumbs) < 5 else len(crumbs))
    for i, (label, target) in enumerate(crumbs):
        last = i == len(crumbs) - 1
        if cols[i].button(("› " if i else "") + md(label), key=f"crumb_{i}", disabled=last, type="tertiary"):
            go(target)


def stats_html(table) -> str:
    """The figures per territory as an HTML table (:func:`widgets.table_html`): French number
    formats, « – » where a list stops; sorted by PVD count as the views give them."""
    shown = views.display_table(table)
    text = {"Code", *[c for c in shown.columns if c.startswith("Liste ")]}
    columns = [c for c in shown.columns if c != "Nom"]
    rows = [
        (
            str(row["Nom"]),
            [str(row[c]) if c in text else figure(row[c], decimals=c.endswith("(%)")) for c in columns],
        )
        for _, row in shown.iterrows()
    ]
    return table_html(
        ["Nom", *columns], rows, "Chiffres par territoire", f"{MISSING} Le tableau en CSV : page Exporter."
    )


def stats_table(table) -> None:
    """Figures per territory (:func:`stats_html`), sorted by PVD count as the views give them."""
    st.html(stats_html(table))


def territory_selector(atlas: Atlas, label: str, key: str, max_selections: int | None = None):
    """Régions, départements or EPCI to pick (kept in the URL as ``?t=``): ([(level, code)], labels)."""
    labels = {f"{lvl}:{code}": text for lvl, code, text in shared(views.territory_options, atlas)}
    chosen = st.multiselect(
        label,
        list(labels),
        default=url_list("t", ["departement:30", "departement:32"], list(labels), max_selections),
        format_func=labels.get,
        key=key,
        max_selections=max_selections,
    )
    set_url_list("t", chosen)
    return [tuple(c.split(":", 1)) for c in chosen], labels


def sources_table(atlas: Atlas) -> None:
    meta = atlas.meta
    rows = [
        ("Contours des communes", meta.get("contours", "")),
        ("Populations", meta.get("population", "")),
        ("Composition des EPCI", meta.get("epci_composition", "")),
        *(("Liste en usage", line) for line in views.lists_summary(atlas)),
        ("Données construites le", meta.get("construit_le", "")),
    ]
    st.dataframe(
        {"donnée": [r[0] for r in rows], "source et millésime": [r[1] for r in rows]},
        hide_index=True,
        width="stretch",
    )
