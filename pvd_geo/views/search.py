"""The commune search."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split


import pandas as pd

from ..atlas import Atlas
from ..codes import cle_recherche


def search_communes(atlas: Atlas, query: str, limit: int = 20) -> pd.DataFrame:
    """Communes whose name matches ``query`` ignoring case, accents, hyphens and article."""
    key = cle_recherche(query)
    if len(key) < 2:
        return pd.DataFrame(columns=["code", "nom", "departement", "libelle"])
    keys = atlas.search_keys()
    hits = keys[keys.str.contains(key, regex=False)]
    exact = hits == key
    order = pd.concat([hits[exact], hits[~exact]]).index[:limit]
    com = atlas.communes.loc[order, ["code", "nom", "dep"]]
    deps = atlas.names("departement")
    out = com.assign(departement=com["dep"].map(deps))
    out["libelle"] = out["nom"] + " (" + out["departement"] + ", " + out["code"] + ")"
    return out[["code", "nom", "departement", "libelle"]].reset_index(drop=True)
