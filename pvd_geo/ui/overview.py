"""The overview's headline: the principal programme's figures (communes, EPCI, inhabitants), one
figure per other programme of the registry, and the crossed shares (« PVD avec ORT ») in words.
Plain figures in (the stored totals of a scope): no pandas, so the first screen stays light.

The figures are one HTML list (``<dl class="pvd-chiffres">``: label, value), not ``st.metric``:
four metrics (each label a Markdown renderer, a help icon) were 0.2 s of a new tab's single
browser thread before its map (benchmarks/bench_explore.py); the list reads the same, in one row on
a screen, two by two on a phone (the page's styles, :mod:`.state`)."""

from __future__ import annotations

import html

import streamlit as st

from .. import programmes
from ..format import fr_int, fr_pct


def figures_html(figures: list[tuple[str, str, str]]) -> str:
    """(label, value, note) as a definition list; every text escaped (the note: the label's title)."""
    items = []
    for label, value, note in figures:
        title = f' title="{html.escape(note)}"' if note else ""
        items.append(f"<div><dt{title}>{html.escape(label)}</dt><dd>{html.escape(value)}</dd></div>")
    return f'<dl class="pvd-chiffres">{"".join(items)}</dl>'


def headline(totals: dict, meta: dict) -> str:
    """Draw the figures and return the words of their caption; a programme whose list does not
    cover the scope shows « – »."""
    main = programmes.principal()
    key, short = main.key, main.court
    counted = [p for p in programmes.registry() if not p.principal and not p.croise]
    figures = [
        (f"Communes {short}", fr_int(totals[key]), ""),
        (f"EPCI avec au moins une {short}", fr_int(totals[f"epci_avec_{key}"]), ""),
        (
            f"Habitants des {short} (pop. {meta['population_millesime']})",
            fr_int(totals[f"population_{key}"]),
            meta["population"],
        ),
    ]
    figures += [(f"Communes {p.nom}", fr_int(totals.get(p.key)), "") for p in counted]
    st.html(figures_html(figures))
    words = []
    if totals[f"couverture_{key}"]:
        words.append(
            f"{fr_pct(totals[f'part_population_{key}'])} des {fr_int(totals['population'])} habitants "
            f"vivent dans une {main.legende}. "
        )
    else:
        words.append(f"{fr_int(totals['population'])} habitants. ")
    for p in programmes.registry():
        if p.croise and totals.get(f"couverture_{p.key}") and totals[f"couverture_{key}"]:
            words.append(
                f"{fr_int(totals[f'{key}_avec_{p.key}'])} {short} {p.communes} "
                f"({fr_pct(totals[f'part_{key}_avec_{p.key}'])}) ; "
                f"{fr_int(totals[p.key])} communes {p.communes} en tout. "
            )
    return "".join(words)
