"""Selection lists as the ANCT publishes them (and as users have them): CSV → rows with line numbers.

Accepts UTF-8 (with or without BOM) and cp1252, ``,`` ``;`` or tab separators, header
variants for the code column, codes stored as numbers, blank lines and extra columns.
The ministry's ORT table is read too: ``Code commune``, ``Commune`` as ``DEP - Nom``,
``Signée ?`` (unsigned rows are skipped and counted) and ``Si signée, date de signature``.
Everything else is refused with a French message naming the line.
"""

from __future__ import annotations

import csv
import io
import re
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


_DEP_PREFIX = re.compile(r"^\s*(?:\d{2,3}|2[ABab])\s+-(?:\s+|$)")


def _find_signed(header: list[str]) -> int | None:
    """The ORT table's « Signée ? » column (its rows are signed or not)."""
    keys = [_header_key(h) for h in header]
    return next((i for i, k in enumerate(keys) if k.startswith(("signée", "signee"))), None)


def _find_date(header: list[str]) -> int | None:
    """``date_signature``, or a header naming a signature date (« Si signée, date de signature »)."""
    at = _find_column(header, ("date_signature",))
    if at is not None:
        return at
    keys = [_header_key(h) for h in header]
    return next((i for i, k in enumerate(keys) if "date" in k and "signature" in k), None)


def _is_signed(value: str) -> bool:
    return value.strip().lower().startswith(("signée", "signee", "oui"))


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def read_selection_text(text: str) -> pd.DataFrame:
    """Rows of a selection CSV: ``ligne`` (line in the file), ``code_fichier``, ``nom_fichier``, extras."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows, old Mac and mixed endings
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _read_rows(reader, delimiter)
    except csv.Error as exc:
        raise SelectionFileError(f"ligne {reader.line_num} : CSV illisible ({exc})") from exc


def _read_rows(reader, delimiter: str) -> pd.DataFrame:
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise SelectionFileError("le fichier est vide")
    code_at = _find_column(header, CODE_HEADERS)
    if code_at is None:
        raise SelectionFileError(
            f"ligne {reader.line_num} : colonne du code INSEE introuvable dans l'en-tête "
            f"({', '.join(h.strip()[:40] for h in header[:8])}, séparateur « {delimiter!r} ») ; "
            f"attendu l'une de : {', '.join(CODE_HEADERS)}"
        )
    name_at = _find_column(header, NAME_HEADERS)
    extras = {h: _find_column(header, (h,)) for h in EXTRA_HEADERS}
    extras["date_signature"] = _find_date(header)
    signed_at = _find_signed(header)
    rows, unsigned = [], 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if signed_at is not None and not _is_signed(_cell(row, signed_at)):
            unsigned += 1
            continue
        record = {
            "ligne": reader.line_num,
            "code_fichier": _cell(row, code_at),
            "nom_fichier": _DEP_PREFIX.sub("", _cell(row, name_at)),
        }
        record.update({h: _cell(row, i) for h, i in extras.items()})
        rows.append(record)
    columns = ["ligne", "code_fichier", "nom_fichier", *EXTRA_HEADERS]
    frame = pd.DataFrame(rows, columns=columns).astype({"ligne": int})
    frame.attrs["non_signees"] = unsigned  # rows of an ORT table left out (not signed)
    return frame


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
