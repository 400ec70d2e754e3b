"""The territory search's index: every région, département, EPCI and commune, in one small file
the reader's browser downloads once (when the search field is first used) and searches itself
while the reader types (:mod:`pvd_geo.ui.search`). A keystroke costs the server nothing.

The file is tab-separated text, gzip-compressed (its size: README, « Mesures »), in four sections::

    #reg   code  nom
    #dep   code  nom  région
    #epci  code  nom  département principal
    #com   code  nom  population // 100  1 if selected in the principal programme (else empty)

(a section is named by its level's address key, :data:`pvd_geo.levels.URL_KEYS`).

A commune's département is its code's prefix (:func:`pvd_geo.codes.departement_of`): not repeated.
Tabs and line breaks inside a name are replaced by spaces (names are text; the browser sets them
with ``textContent``, never as HTML).
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import gzip
import re

import pandas as pd

from .. import programmes
from ..atlas import Atlas
from ..levels import COMMUNE, DEPARTEMENT, EPCI, REGION

FORMAT = "1"  # part of the file's name: a new format is a new address, never a stale cache
_SPACES = re.compile(r"[\t\r\n]+")


def _clean(name) -> str:
    return _SPACES.sub(" ", str(name)).strip()


def index_text(atlas: Atlas) -> str:
    """The index as text (see the module's docstring)."""
    lines = ["#" + REGION.url]
    lines += [f"{r.code}\t{_clean(r.nom)}" for r in atlas.regions.itertuples()]
    lines.append("#" + DEPARTEMENT.url)
    lines += [f"{r.code}\t{_clean(r.nom)}\t{r.reg}" for r in atlas.departements.itertuples()]
    lines.append("#" + EPCI.url)
    main_dep = atlas.communes.groupby(EPCI.column)[DEPARTEMENT.column].agg(lambda s: s.mode().iloc[0])
    for r in atlas.epci.itertuples():
        lines.append(f"{r.code}\t{_clean(r.nom)}\t{main_dep.get(r.code, '')}")
    lines.append("#" + COMMUNE.url)
    com = atlas.communes
    key = programmes.principal().key
    selected = com[key].fillna(False).astype(bool) if key in com else pd.Series(False, index=com.index)
    hundreds = (pd.to_numeric(com["population"], errors="coerce").fillna(0) // 100).astype(int)
    for code, nom, pop, sel in zip(com["code"], com["nom"], hundreds, selected, strict=True):
        lines.append(f"{code}\t{_clean(nom)}\t{pop}\t{'1' if sel else ''}")
    return "\n".join(lines) + "\n"


def index_gzip(atlas: Atlas) -> bytes:
    """The index compressed (fixed timestamp: the same data give the same bytes)."""
    return gzip.compress(index_text(atlas).encode("utf-8"), compresslevel=9, mtime=0)
