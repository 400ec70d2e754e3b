"""The overview's headline: the principal programme's figures (communes, EPCI, inhabitants), one
figure per other programme of the registry, and the crossed shares (« PVD avec ORT ») in words.
Plain figures in (the stored totals of a scope): no pandas, so the first screen stays light."""

from __future__ import annotations

import streamlit as st

from .. import programmes
from ..format import fr_int, fr_pct


def headline(totals: dict, meta: dict) -> str:
    """Draw the metrics and return the words of their caption; a programme whose list does not
    cover the scope shows « – »."""
    main = programmes.principal()
    key, short = main.key, main.court
    counted = [p for p in programmes.registry() if not p.principal and not p.croise]
    cols = st.columns(3 + len(counted))
    cols[0].metric(f"Communes {short}", fr_int(totals[key]))
    cols[1].metric(f"EPCI avec au moins une {short}", fr_int(totals[f"epci_avec_{key}"]))
    cols[2].metric(
        f"Habitants des {short} (pop. {meta['population_millesime']})",
        fr_int(totals[f"population_{key}"]),
        help=meta["population"],
    )
    for col, p in zip(cols[3:], counted, strict=True):
        col.metric(f"Communes {p.nom}", fr_int(totals.get(p.key)))
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
