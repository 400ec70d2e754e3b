"""Territories side by side: the options and the comparison table."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split


import pandas as pd

from ..atlas import Atlas
from ..programmes import principal, registry
from ..stats import headers, share_columns


def territory_options(atlas: Atlas) -> list[tuple[str, str, str]]:
    """(level, code, label) of every région, département and EPCI, for comparison selectors."""
    out = [("region", r.code, f"{r.nom} (région)") for r in atlas.regions.itertuples()]
    out += [("departement", d.code, f"{d.nom} ({d.code})") for d in atlas.departements.itertuples()]
    out += [("epci", e.code, f"{e.nom} (EPCI)") for e in atlas.epci.itertuples()]
    return out


def compare(atlas: Atlas, territories: list[tuple[str, str]]) -> pd.DataFrame:
    """Same figures for each territory in aligned columns, plus the difference of the first two."""
    columns = {}
    for level, code in territories:
        row = atlas.stats(level).set_index("code").loc[code]
        columns[str(row["nom"])] = {
            label: (None if pd.isna(row[key]) else round(float(row[key]) * scale, 1))
            for label, key, scale in compared_rows()
        }
    table = pd.DataFrame(columns, dtype=float)
    if len(table.columns) >= 2:
        a, b = table.columns[:2]
        table[f"Écart ({a} − {b})"] = (table[a] - table[b]).round(1)  # unknown on either side: NaN
    return table


def compared_rows() -> list[tuple[str, str, int]]:
    """(row label, stats column, factor) of the comparison table: each programme's communes (and the
    principal's share in a crossed one), then communes and population; a missing figure (a
    territory its list does not cover) stays missing and is shown as « – »."""
    labels, shares = headers(), set(share_columns())
    key = principal().key
    programme_rows = []
    for p in registry():
        programme_rows.append(p.key)
        if p.croise:
            programme_rows.append(f"part_{key}_avec_{p.key}")
    rest = ["communes", "population", f"population_{key}", f"part_population_{key}"]
    return [(labels[c], c, 100 if c in shares else 1) for c in programme_rows + rest]
