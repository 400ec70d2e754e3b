"""Bars, warnings where a list stops, lists and page furniture (footer): drawn from plain data or a
catalogue, without pandas (the tables computed from the atlas are in :mod:`.sections`)."""

from __future__ import annotations

import hashlib
import html
from typing import TYPE_CHECKING

import streamlit as st

from .. import credits, programmes
from ..constants import EMBEDDED_DIR, lists_dir
from ..format import fr_int

if TYPE_CHECKING:
    from ..atlas import Atlas

from .loaders import lists_of, sources_of
from .state import share_link
from .text import md

PVD_COLOUR = "#D55E00"  # as on the maps (Okabe–Ito vermilion)


def coverage_warning(source, departements: list[str], programme: str | None = None) -> bool:
    """When the programme's list does not cover these départements, say so (with how to load the
    national list) and return True; ``programme``: the principal one by default."""
    programme = programme or programmes.principal().key
    info = lists_of(source).get(programme)
    cover = None if info is None or credits.is_national(info) else set(info.get("couverture", []))
    if cover is None and info is not None:
        return False
    if info is not None and set(departements) <= cover:
        return False
    st.warning(coverage_text(lists_of(source), programme))
    return True


def coverage_text(lists: dict[str, dict], programme: str | None = None) -> str:
    programme = programme or programmes.principal().key
    note = credits.coverage_note(programme, lists.get(programme)) or ""
    return (
        f"{md(note[:1].upper() + note[1:])}. Les chiffres des territoires hors de cette liste ne sont pas "
        f"connus : ils ne sont pas affichés (« – »), et la carte les laisse en gris ; "
        f"{credits.NATIONAL_FOR_READERS}."
    )


TABLE_CSS = (
    # sizes in rem: the presentation mode's larger root font scales the tables with the page
    "<style>.pvd-table{overflow:auto;max-height:32.5rem;border:1px solid rgba(49,51,63,.15);"
    "border-radius:6px;container-type:inline-size}"
    ".pvd-table table{border-collapse:collapse;font-size:.875rem;width:100%}"
    ".pvd-table th,.pvd-table td{padding:.25rem .35rem;border-bottom:1px solid rgba(49,51,63,.1);"
    "white-space:nowrap}"
    ".pvd-table thead th{position:sticky;top:0;background:#f6f6f8;text-align:left;vertical-align:bottom;"
    "white-space:normal;font-size:.75rem}"
    ".pvd-table td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".pvd-table tbody th{text-align:left;font-weight:600;white-space:normal;min-width:7em}"
    ".pvd-table caption{text-align:left;font-size:.8125rem;color:#555;padding:.25rem .5rem;"
    "caption-side:bottom}</style>"
)
MISSING = "« – » : nombre inconnu (hors de la liste chargée)."


def css_string(text: str) -> str:
    """``text`` as a CSS string: letters, digits and spaces kept, every other character escaped
    (nothing in it can end the string, the rule or the style element)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def _min_width_rem(header: list[str], rows: list[tuple[str, list[str]]]) -> float:
    """An estimate of the narrowest the table can be drawn (names wrapped, headers wrapped at words,
    figures whole), in rem of the page: below it, each row is shown as a card."""
    width = 7.5  # the names' column: at least 7em, wrapped
    for i, head in enumerate(header[1:]):
        longest_word = max((len(w) for w in head.split()), default=0) * 0.38  # .75rem, bold
        longest_cell = max((len(cells[i]) for _, cells in rows if i < len(cells)), default=0) * 0.48
        width += max(longest_word, longest_cell) + 0.7
    return round(width, 1)


def _cards_css(name: str, header: list[str], threshold: float) -> str:
    """Below ``threshold`` rem of width, the table ``name`` becomes one card per row: its name,
    then « header  value » lines (the headers written by CSS, from the column's header)."""
    t = f".{name}"
    labels = "".join(
        f"{t} td:nth-of-type({i})::before{{content:{css_string(head)}}}"
        for i, head in enumerate(header[1:], start=1)
    )
    return (
        f"<style>@container (max-width: {threshold}rem){{"
        f"{t} table,{t} tbody,{t} tr,{t} td,{t} tbody th,{t} caption{{display:block}}"
        f"{t} thead{{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}}"
        f"{t} tr{{padding:.4rem .6rem;border-bottom:1px solid rgba(49,51,63,.15)}}"
        f"{t} tbody th,{t} td{{border:0;padding:.05rem 0}}"
        f"{t} td{{display:flex;justify-content:space-between;gap:1rem;white-space:normal}}"
        f"{t} td::before{{text-align:left;color:#555}}{labels}}}</style>"
    )


def table_html(header: list[str], rows: list[tuple[str, list[str]]], label: str, caption: str) -> str:
    """An HTML table (light to draw: no data-grid bundle to load before the page shows): a row
    header then cells already formatted; every text escaped here. Never wider than its place: its
    headers and names wrap, and where even so its figures would not fit (a phone), each row is
    drawn as a card (:func:`_cards_css`) — no column is hidden behind a scroll."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = "".join(
        f'<tr><th scope="row">{html.escape(name)}</th>'
        + "".join(f'<td class="n">{html.escape(c)}</td>' for c in cells)
        + "</tr>"
        for name, cells in rows
    )
    name = "pvd-t-" + hashlib.sha256("\x1f".join(header).encode()).hexdigest()[:8]
    return (
        f"{TABLE_CSS}{_cards_css(name, header, _min_width_rem(header, rows))}"
        f'<div class="pvd-table {name}" role="region" aria-label="{html.escape(label)}" tabindex="0">'
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def figure(value, decimals: bool = False) -> str:
    """A figure as shown: French integer, or one decimal with a comma; « – » when missing."""
    number = fr_int(value)
    if number != "–" and (decimals or (isinstance(value, float) and not float(value).is_integer())):
        return f"{value:.1f}".replace(".", ",")
    return number


def comparison_table(table) -> None:
    """Figures of the compared territories in aligned columns, with the difference."""
    rows = [
        (str(name), [figure(v) for v in values])
        for name, values in zip(table.index, table.to_numpy(), strict=True)
    ]
    st.html(table_html(["", *map(str, table.columns)], rows, "Comparaison des territoires", MISSING))


def page_footer(atlas: Atlas) -> None:
    """Sources with vintages, and the link of the view."""
    st.caption(md(sources_of(atlas)))
    share_link()


def count_bars(table, top: int = 25) -> None:
    """Horizontal bars of PVD counts (the ``top`` first territories), largest first.

    Plain HTML (names escaped, values in French format) rather than a Vega chart: the browser
    draws it at once, with no chart library to load in each new tab (≈1 s of a tab's start).
    """
    st.html(bars_html(table, top))


def bars_html(table, top: int = 25) -> str:
    """The bar chart's HTML: a titled list of (name, bar, value) rows; the bars are decoration."""

    main = programmes.principal().key
    table = table[table[main].notna()]  # territories the list does not cover have no bar
    rows = table.head(top)[["nom", main]].sort_values(main, ascending=False, kind="stable")
    peak = max(int(rows[main].max()), 1) if len(rows) else 1
    items = "".join(
        f'<li><span class="pvd-bar-name" title="{html.escape(str(name))}">{html.escape(str(name))}</span>'
        f'<span class="pvd-bar" aria-hidden="true"><span style="width:{100 * int(n) / peak:.1f}%">'
        f'</span></span><span class="pvd-bar-value">{fr_int(n)}</span></li>'
        for name, n in zip(rows["nom"], rows[main], strict=True)
    )
    shown = f"les {len(rows)} premiers" if len(table) > len(rows) else "tous"
    return (
        "<style>.pvd-bars{margin:0;padding:0;list-style:none;font-size:14px}"
        ".pvd-bars li{display:grid;grid-template-columns:minmax(8em,16em) 1fr 3.5em;gap:8px;"
        "align-items:center;margin:2px 0}"
        ".pvd-bar-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;text-align:right}"
        f".pvd-bar{{height:14px}}.pvd-bar span{{display:block;height:100%;background:{PVD_COLOUR}}}"
        ".pvd-bar-value{font-variant-numeric:tabular-nums}"
        # a phone: the name above its bar, the bar as wide as the screen allows (not squeezed)
        "@media (max-width:560px){.pvd-bars li{grid-template-columns:1fr 3em;gap:2px 8px;margin:4px 0}"
        ".pvd-bar-name{grid-column:1/-1;text-align:left}}</style>"
        f'<figure class="pvd-chart" style="margin:0"><figcaption style="font-weight:600;margin-bottom:4px">'
        f"Communes PVD par territoire ({shown})</figcaption>"
        f'<ol class="pvd-bars">{items}</ol></figure>'
    )


def programme_name(programme: str) -> str:
    """« Petites villes de demain » for ``pvd``; a user's list by its (escaped) name."""
    entry = programmes.get(programme)
    return entry.nom if entry.registered else md(programme)


def lists_table(atlas: Atlas) -> None:
    from ..sources.selections import lists_in_use as table

    info = table(lists_dir(), EMBEDDED_DIR)
    checks = {k: r.summary() for k, r in atlas.selections.items()}
    info["validation"] = info["programme"].map(checks).fillna("")
    st.dataframe(info, hide_index=True, width="stretch")


def departements_in_lists(atlas: Atlas):
    table = atlas.stats("departement")
    shown = table["code"].isna()  # all False
    for key in programmes.programme_keys():
        shown |= table[key].fillna(0) > 0
    return table[shown].reset_index(drop=True)


def columns_html(table, label: str) -> str:
    """Vertical bars (``periode``, ``conventions``): escaped labels, French numbers; the bars are
    decoration, the values are written."""
    peak = max(int(table["conventions"].max()), 1) if len(table) else 1
    items = "".join(
        f'<li title="{html.escape(str(p))} : {fr_int(n)}">'
        f'<span class="pvd-col-v">{fr_int(n) if n else ""}</span>'
        f'<span class="pvd-col" style="height:{100 * int(n) / peak:.1f}%"></span>'
        f'<span class="pvd-col-p">{html.escape(str(p))}</span></li>'
        for p, n in zip(table["periode"], table["conventions"], strict=True)
    )
    return (
        "<style>.pvd-cols{display:flex;align-items:flex-end;gap:2px;height:180px;margin:0;padding:0;"
        "list-style:none;overflow-x:auto;font-size:11px}.pvd-cols li{flex:1 0 2.2em;display:flex;"
        "flex-direction:column;justify-content:flex-end;height:100%;text-align:center}"
        f".pvd-col{{display:block;background:{PVD_COLOUR};min-height:1px}}"
        ".pvd-col-p{white-space:nowrap;font-size:10px;writing-mode:vertical-rl;transform:rotate(180deg);"
        "margin:2px auto 0}.pvd-col-v{font-variant-numeric:tabular-nums}</style>"
        f'<figure style="margin:0"><figcaption style="font-weight:600;margin-bottom:4px">{html.escape(label)}'
        f'</figcaption><ol class="pvd-cols">{items}</ol></figure>'
    )
