"""INSEE code normalisation and official commune names rebuilt from the TNCC article code."""

from __future__ import annotations

import re
import unicodedata

from .errors import PvdError

# INSEE "type de nom en clair" (TNCC) → article placed before the name.
TNCC_ARTICLE = {
    "0": "",
    "1": "",
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}

_CODE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_DEP_RE = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")


class CodeError(PvdError, ValueError):
    """A value that cannot be an INSEE code."""


def normalise_insee(value: object) -> str:
    """Return a 5-character INSEE commune code from a string or number.

    ``1004``, ``"1004"`` and ``1004.0`` give ``"01004"``; ``"2a004"`` gives ``"2A004"``.
    Raises :class:`CodeError` with a French message for anything else.
    """
    if value is None:
        raise CodeError("code INSEE vide")
    if isinstance(value, float):
        if value != value or not value.is_integer():
            raise CodeError(f"code INSEE invalide : {value!r}")
        value = int(value)
    text = str(value).strip().upper()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text:
        raise CodeError("code INSEE vide")
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    if not _CODE_RE.match(text):
        raise CodeError(f"code INSEE invalide : « {text} » (5 caractères attendus, ex. 30210 ou 2A004)")
    return text


def normalise_departement(value: object) -> str:
    """Return a département code (``"01"``, ``"2A"``, ``"971"``) from a string or number."""
    text = str(value).strip().upper()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    if not _DEP_RE.match(text):
        raise CodeError(f"code de département invalide : « {text} »")
    return text


def departement_of(code: str) -> str:
    """Département code of a normalised commune code (3 digits overseas)."""
    return code[:3] if code.startswith("97") else code[:2]


def nom_avec_article(nom: str, tncc: object) -> str:
    """Official name with its article: (``Grau-du-Roi``, 2) → ``Le Grau-du-Roi``."""
    article = TNCC_ARTICLE.get(str(tncc).strip(), "")
    return f"{article}{nom}" if article else nom


def cle_recherche(text: str) -> str:
    """Search key insensitive to case, accents, hyphens, apostrophes and leading article."""
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    folded = re.sub(r"^(?:l|le|la|les|aux|las|los) ", "", folded)
    return folded
