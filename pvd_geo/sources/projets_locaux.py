"""Local projects of PVD communes (their ORT, orientations, projects), written by administrators in
a TOML file under geodata/: a *projet local* is a commune's own text, not a national programme."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..constants import GEODATA_DIR
from ..errors import InvalidInput

PROJETS_FILE = GEODATA_DIR / "projets_locaux.toml"


def read_projets(path: Path = PROJETS_FILE) -> dict[str, dict]:
    """Local projects by INSEE code; an absent file gives none, a broken one a French error."""
    if not Path(path).exists():
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{Path(path).name} illisible : {exc}") from exc
    return {str(code): dict(entry) for code, entry in data.items() if isinstance(entry, dict)}
