"""What every map and export says about its data: the lists by name and date, what they cover,
and the sources line. Plain dicts in, text out: no pandas (the overview's first screen uses it).

``lists`` maps a programme to its description (:meth:`ListInfo.to_json` plus ``couverture_nom``,
the covered départements in words).
"""

from __future__ import annotations

from .format import fr_short_date
from .programmes import get

NATIONAL_COMMAND = "python -m pvd_geo update (ou make run avec un accès à internet)"
NATIONAL_BUTTON = "page Données, « Mettre à jour depuis data.gouv.fr » (administrateurs)"
# what a reader is told (no command, no path on a reader's page)
NATIONAL_FOR_READERS = (
    "un administrateur de l'atlas peut charger la liste nationale (page Données, « Mettre à jour "
    "depuis data.gouv.fr »)"
)


def is_national(info: dict) -> bool:
    return info.get("couverture") == "nationale"


def list_label(programme: str, info: dict) -> str:
    """``liste PVD du 27/04/2026``; ``liste PVD (sélection 2020-2021, extrait Gard et Gers)``."""
    short = get(programme).court
    date = fr_short_date(info.get("date"))
    if date:
        return f"liste {short} du {date}"
    vintage = info.get("millesime") or "date non précisée"
    return f"liste {short} ({vintage})"


def coverage_note(programme: str, info: dict | None) -> str | None:
    """``liste PVD chargée : Gard et Gers seulement`` for a partial list; None for a national one."""
    short = get(programme).court
    if info is None:
        return f"aucune liste {short} chargée"
    if is_national(info):
        return None
    return f"liste {short} chargée : {info.get('couverture_nom') or 'couverture partielle'} seulement"


def sources_line(meta: dict, lists: dict[str, dict]) -> str:
    """« Sources : ANCT, liste PVD du 27/04/2026 ; ... ; contours ... ; population ... »."""
    parts = []
    for programme, info in lists.items():
        publisher = get(programme).editeur
        text = f"{publisher}, {list_label(programme, info)}"
        if not is_national(info):
            text += f" [{info.get('couverture_nom') or 'couverture partielle'} seulement]"
        parts.append(text)
    listes = " ; ".join(parts) or "aucune liste chargée"
    return (
        f"Sources : {listes} (Licence Ouverte 2.0) ; contours {meta.get('contours', '')} ; "
        f"{meta.get('population', '')}."
    )
