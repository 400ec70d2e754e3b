"""Local programmes of PVD communes (ORT, orientations, projects): a TOML file under geodata/."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..constants import GEODATA_DIR
from ..errors import InvalidInput

PROGRAMMES_FILE = GEODATA_DIR / "programmes_locaux.toml"


def read_programmes(path: Path = PROGRAMMES_FILE) -> dict[str, dict]:
    """Programmes by INSEE code; an absent file gives none, a broken one a French error."""
    if not Path(path).exists():
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{Path(path).name} illisible : {exc}") from exc
    return {str(code): dict(entry) for code, entry in data.items() if isinstance(entry, dict)}
