"""The coverage policy of press figures: a territory the loaded list does not speak for is
refused, never drawn empty."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split


from .. import credits
from ..atlas import Atlas
from ..errors import PvdError
from ..levels import DEPARTEMENT, Level
from ..programmes import principal

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
from .base import plain


class CoverageError(PvdError, ValueError):
    """An export asked for a territory that the loaded list does not speak for (French message)."""


def check_coverage(atlas: Atlas, territories: list[tuple[str, str]], programme: str | None = None) -> None:
    """Refuse a press export of a territory the programme's list does not cover: its count would be
    false. The message says what the list covers and how to load the national list."""
    programme = programme or principal().key
    from ..views import lists_json

    for level, code in territories:
        if level == "france":
            deps, name = set(atlas.departements["code"]), "France"
        else:
            deps = set(atlas.communes.loc[atlas.communes[Level.of(level).column] == code, DEPARTEMENT.column])
            name = atlas.name(level, code)
        if deps and not atlas.covers(programme, deps):
            note = credits.coverage_note(programme, lists_json(atlas).get(programme))
            raise CoverageError(
                f"{plain(name)} : {note}, son nombre de communes serait faux. "
                f"Il faut la liste nationale : {credits.NATIONAL_FOR_READERS}."
            )
