"""The programme registry: one entry per national programme (PVD, ACV, ORT…), read from
``programmes.toml`` beside this module (``PVD_PROGRAMMES`` names another file).

Everything the atlas says about a programme — its counts and coverage columns, table headers,
exports, web and press map styles and legends, the site's pages, the CLI's options and the forms —
is derived from these entries: a new programme is a new entry, not new code. A list loaded for a
programme without an entry (a reader's own list, an operator's import under a new name) is still
shown, under :meth:`Programme.other`. Pure Python (no pandas): the overview's first screen uses it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

from .errors import InvalidInput

REGISTRY_FILE = Path(__file__).with_name("programmes.toml")
STYLES = ("aplat", "cercle", "pointille", "tirets")
# colours of the lists that have no entry (Okabe–Ito, after the registry's own)
OTHER_COLOURS = ("#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")


@dataclass(frozen=True)
class Programme:
    """One national programme (see ``programmes.toml`` for each field's meaning)."""

    key: str
    nom: str
    court: str
    legende: str
    legende_pluriel: str
    communes: str
    editeur: str
    mot_date: str
    date_export: str
    colonne: str
    couleur: str
    style: str
    adresse: str = ""
    principal: bool = False
    croise: bool = False
    sur_demande: bool = False
    registered: bool = True

    @classmethod
    def other(cls, key: str, couleur: str = OTHER_COLOURS[0]) -> Programme:
        """A list with no registry entry: named by its key, drawn as a dashed outline."""
        return cls(
            key=key,
            nom=key,
            court=key,
            legende=f"Programme « {key} »",
            legende_pluriel=f"Programme « {key} »",
            communes=f"du programme « {key} »",
            editeur="liste importée",
            mot_date="depuis le",
            date_export=f"date_{key}",
            colonne=key,
            couleur=couleur,
            style="tirets",
            registered=False,
        )

    def official_url(self) -> str | None:
        """The official list's address (``PVD_URL_<KEY>`` overrides it); None: none online."""
        return os.environ.get(f"PVD_URL_{self.key.upper()}", self.adresse) or None


_cache: dict[tuple[str, int], tuple[Programme, ...]] = {}


def registry_file() -> Path:
    return Path(os.environ.get("PVD_PROGRAMMES", REGISTRY_FILE))


def _parse(path: Path) -> tuple[Programme, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"registre des programmes {path.name} illisible : {exc}") from exc
    known = {f.name for f in fields(Programme)} - {"key", "registered"}
    required = [f.name for f in fields(Programme) if f.name in known and f.default is MISSING]
    out = []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        missing = [n for n in required if n not in entry]
        unknown = sorted(set(entry) - known)
        if missing or unknown:
            raise InvalidInput(
                f"registre des programmes, entrée [{key}] : "
                + (
                    f"champs manquants {', '.join(missing)}"
                    if missing
                    else f"champs inconnus {', '.join(unknown)}"
                )
            )
        if entry["style"] not in STYLES:
            raise InvalidInput(
                f"registre des programmes, [{key}] : style « {entry['style']} » (attendu {STYLES})"
            )
        out.append(Programme(key=key, **entry))
    if sum(p.principal for p in out) != 1:
        raise InvalidInput("registre des programmes : il faut exactement un programme « principal »")
    return tuple(out)


def registry() -> tuple[Programme, ...]:
    """The registered programmes, in the registry's order (read again when the file changes)."""
    path = registry_file()
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError as exc:
        raise InvalidInput(f"registre des programmes introuvable : {path}") from exc
    if stamp not in _cache:
        _cache.clear()
        _cache[stamp] = _parse(path)
    return _cache[stamp]


def programme_keys() -> list[str]:
    return [p.key for p in registry()]


def get(key: str, others: list[str] | tuple[str, ...] = ()) -> Programme:
    """The entry of ``key``; a list without an entry gets :meth:`Programme.other`, coloured by its
    rank among ``others`` (the unregistered lists shown together)."""
    for p in registry():
        if p.key == key:
            return p
    rank = list(others).index(key) if key in others else 0
    return Programme.other(key, OTHER_COLOURS[rank % len(OTHER_COLOURS)])


def principal() -> Programme:
    """The programme the atlas is about (PVD): population, shares and EPCI are given for it."""
    return next(p for p in registry() if p.principal)


def ordered(names) -> list[str]:
    """``names`` with the registered programmes first, in the registry's order."""
    names = list(dict.fromkeys(names))
    known = [k for k in programme_keys() if k in names]
    return known + [n for n in names if n not in known]


def online() -> list[Programme]:
    """The programmes whose official list is downloaded (an address, or ``PVD_URL_<KEY>``)."""
    return [p for p in registry() if p.official_url()]
