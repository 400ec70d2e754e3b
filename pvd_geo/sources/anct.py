"""Selection lists as the ANCT publishes them (and as users have them): CSV → rows with line numbers.

Accepts UTF-8 (with or without BOM) and cp1252, ``,`` ``;`` or tab separators, header
variants for the code column, codes stored as numbers, blank lines and extra columns.
Everything else is refused with a French message naming the line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

MAX_BYTES = 5_000_000  # a national list is ~200 KB
CODE_HEADERS = ("insee_com", "code_insee", "codgeo", "code_commune_insee", "code_commune", "insee", "code")
NAME_HEADERS = ("lib_com", "nom_commune", "libgeo", "nom", "commune", "libelle")
# Optional ANCT columns kept when present.
EXTRA_HEADERS = ("insee_dep", "lib_dep", "insee_reg", "lib_reg", "siren_epci", "lib_epci", "date_signature")


class SelectionFileError(ValueError):
    """A selection file that cannot be read at all (message in French)."""


def _decode(payload: bytes) -> str:
    if b"\x00" in payload[:4096]:
        raise SelectionFileError("ce fichier n'est pas un CSV (contenu binaire)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    return payload.decode("latin-1")


def _header_key(name: str) -> str:
    return name.strip().strip('"').lower().replace(" ", "_").replace("-", "_")


def _find_column(header: list[str], candidates: tuple[str, ...]) -> int | None:
    keys = [_header_key(h) for h in header]
    for candidate in candidates:
        if candidate in keys:
            return keys.index(candidate)
    return None


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().lower().startswith(("<!doctype", "<html", "<?xml", "{", "[")):
        raise SelectionFileError("ce fichier n'est pas un CSV (page HTML, XML ou JSON reçue)")
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        return ","
    return best


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def read_selection_text(text: str) -> pd.DataFrame:
    """Rows of a selection CSV: ``ligne`` (line in the file), ``code_fichier``, ``nom_fichier``, extras."""
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise SelectionFileError("le fichier est vide")
    code_at = _find_column(header, CODE_HEADERS)
    if code_at is None:
        raise SelectionFileError(
            f"ligne {reader.line_num} : colonne du code INSEE introuvable dans l'en-tête "
            f"({', '.join(h.strip() for h in header[:8])}) ; attendu l'une de : {', '.join(CODE_HEADERS)}"
        )
    name_at = _find_column(header, NAME_HEADERS)
    extras = {h: _find_column(header, (h,)) for h in EXTRA_HEADERS}
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        record = {
            "ligne": reader.line_num,
            "code_fichier": _cell(row, code_at),
            "nom_fichier": _cell(row, name_at),
        }
        record.update({h: _cell(row, i) for h, i in extras.items()})
        rows.append(record)
    columns = ["ligne", "code_fichier", "nom_fichier", *EXTRA_HEADERS]
    return pd.DataFrame(rows, columns=columns).astype({"ligne": int})


def read_selection_bytes(payload: bytes, max_bytes: int = MAX_BYTES) -> pd.DataFrame:
    """Decode and parse a selection file given as bytes (an upload, a download)."""
    if len(payload) > max_bytes:
        raise SelectionFileError(
            f"fichier trop volumineux : {len(payload) / 1e6:.1f} Mo (limite {max_bytes / 1e6:.0f} Mo)"
        )
    return read_selection_text(_decode(payload))


def read_selection_csv(path: Path, max_bytes: int = MAX_BYTES) -> pd.DataFrame:
    """Read a selection CSV file from disk."""
    path = Path(path)
    if not path.is_file():
        raise SelectionFileError(f"fichier introuvable : {path}")
    if path.stat().st_size > max_bytes:
        raise SelectionFileError(
            f"fichier trop volumineux : {path.stat().st_size / 1e6:.1f} Mo (limite {max_bytes / 1e6:.0f} Mo)"
        )
    return read_selection_bytes(path.read_bytes(), max_bytes)
