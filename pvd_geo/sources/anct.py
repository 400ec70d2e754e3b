"""Selection lists as the ANCT publishes them (and as users have them): CSV → rows with line numbers.

Accepts UTF-8 (with or without BOM) and cp1252, ``,`` ``;`` or tab separators, header
variants for the code column, codes stored as numbers, blank lines and extra columns.
The ministry's ORT table is read too: ``Code commune``, ``Commune`` as ``DEP - Nom``,
``Signée ?`` (unsigned rows are skipped and counted) and ``Si signée, date de signature``.
Everything else is refused with a French message naming the line.
"""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ..errors import PvdError

MAX_BYTES = 5_000_000  # a national list is ~200 KB
CODE_HEADERS = ("insee_com", "code_insee", "codgeo", "code_commune_insee", "code_commune", "insee", "code")
NAME_HEADERS = ("lib_com", "nom_commune", "libgeo", "nom", "commune", "libelle")
# Optional ANCT columns kept when present.
EXTRA_HEADERS = ("insee_dep", "lib_dep", "insee_reg", "lib_reg", "siren_epci", "lib_epci", "date_signature")


class SelectionFileError(PvdError, ValueError):
    """A selection file that cannot be read at all (message in French)."""


def _utf16(payload: bytes) -> str | None:
    """UTF-16 text (Excel's « Texte Unicode »): with a BOM, or ASCII with every other byte NUL."""
    if payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(payload) >= 4 and payload[1:40:2].count(0) >= len(payload[1:40:2]) - 1:
        encoding = "utf-16-le"
    elif len(payload) >= 4 and payload[0:40:2].count(0) >= len(payload[0:40:2]) - 1:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return payload.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SelectionFileError(f"fichier UTF-16 illisible (octet {exc.start})") from exc


def _mixed_encodings(payload: bytes) -> None:
    """Refuse a file whose lines are in UTF-8 and in another encoding: saved as one, the others
    would be garbled without a word."""
    utf8_line = other_line = None
    for number, line in enumerate(payload.splitlines(), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            other_line = other_line or number
        if utf8_line and other_line:
            raise SelectionFileError(
                f"encodages mélangés : ligne {utf8_line} en UTF-8, ligne {other_line} dans un autre encodage "
                "(Windows-1252 ?) ; enregistrez le fichier en UTF-8"
            )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(payload: bytes) -> str:
    text = _utf16(payload)
    if text is None:
        if b"\x00" in payload:
            raise SelectionFileError("ce fichier n'est pas un CSV (contenu binaire)")
        _mixed_encodings(payload)
        for encoding in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                text = payload.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    text = text.lstrip("\ufeff")
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise SelectionFileError(
            f"ligne {line} : ce fichier n'est pas un CSV (caractère de contrôle, contenu binaire)"
        )
    return text


def _header_key(name: str) -> str:
    return name.strip().strip('"').lower().replace(" ", "_").replace("-", "_")


def _find_column(header: list[str], candidates: tuple[str, ...]) -> int | None:
    keys = [_header_key(h) for h in header]
    for candidate in candidates:
        if candidate in keys:
            return keys.index(candidate)
    return None


_EXCEL_SEP = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def _excel_separator(text: str) -> tuple[str, str | None]:
    """Excel's first line ``sep=;`` names the separator: used, and the line blanked (the line
    numbers of the report stay those of the file)."""
    first, _, rest = text.partition("\n")
    found = _EXCEL_SEP.fullmatch(first)
    if not found:
        return text, None
    sep = found.group(1)
    if sep not in _SEPARATORS:
        raise SelectionFileError(
            f"ligne 1 : séparateur « {sep} » annoncé par « sep= » non pris en charge "
            f"(attendu : {', '.join(_SEPARATORS.values())})"
        )
    return "\n" + rest, sep


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


_SEPARATORS = {",": "« , » (virgule)", ";": "« ; » (point-virgule)", "\t": "tabulation"}
_IDENTIFIER = re.compile(r"[\w .'’()?-]{1,40}")


def _shown_header(cell: str) -> str:
    """A header cell as shown in a message: only what looks like a column name (a file that is not
    a CSV, e.g. a system file, does not get its first line echoed)."""
    cell = cell.strip().strip('"')
    return f"« {cell} »" if _IDENTIFIER.fullmatch(cell) else "…"


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def read_selection_text(text: str) -> pd.DataFrame:
    """Rows of a selection CSV: ``ligne`` (line in the file), ``code_fichier``, ``nom_fichier``, extras."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows, old Mac and mixed endings
    text, delimiter = _excel_separator(text)
    delimiter = delimiter or _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _read_rows(reader, delimiter)
    except csv.Error as exc:
        if "field larger" in str(exc):
            limit = f"{csv.field_size_limit():,}".replace(",", "\u202f")
            raise SelectionFileError(
                f"ligne {reader.line_num} : cellule trop longue (plus de {limit} caractères)"
            ) from exc
        raise SelectionFileError(f"ligne {reader.line_num} : CSV illisible ({exc})") from exc


def _read_rows(reader, delimiter: str) -> pd.DataFrame:
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise SelectionFileError("le fichier est vide")
    code_at = _find_column(header, CODE_HEADERS)
    if code_at is None:
        shown = ", ".join(_shown_header(h) for h in header[:8])
        raise SelectionFileError(
            f"ligne {reader.line_num} : colonne du code INSEE introuvable parmi les {len(header)} colonnes "
            f"de l'en-tête ({shown}) lues avec le séparateur {_SEPARATORS.get(delimiter, delimiter)} ; "
            f"attendu l'une de : {', '.join(CODE_HEADERS)}"
        )
    name_at = _find_column(header, NAME_HEADERS)
    extras = {h: _find_column(header, (h,)) for h in EXTRA_HEADERS}
    extras["date_signature"] = _find_date(header)
    signed_at = _find_signed(header)
    rows, unsigned = [], 0
    header_line = reader.line_num
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if any("\n" in cell for cell in row):  # a quote left open swallowed the next lines
            first = reader.line_num - max(cell.count("\n") for cell in row)
            raise SelectionFileError(
                f"ligne {first} : guillemet non fermé (la cellule s'étend jusqu'à la ligne "
                f"{reader.line_num}) ; rien n'est importé"
            )
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
    if not rows and not unsigned:
        raise SelectionFileError(f"le fichier n'a que son en-tête (ligne {header_line}) : aucune commune")
    columns = ["ligne", "code_fichier", "nom_fichier", *EXTRA_HEADERS]
    frame = pd.DataFrame(rows, columns=columns).astype({"ligne": int})
    frame.attrs["non_signees"] = unsigned  # rows of an ORT table left out (not signed)
    return frame


def _too_big(size: int, max_bytes: int) -> SelectionFileError:
    def octets(n: int) -> str:
        return f"{n:,}".replace(",", "\u202f") + " octets"

    return SelectionFileError(f"fichier trop volumineux : {octets(size)} (limite {octets(max_bytes)})")


def read_selection_bytes(payload: bytes, max_bytes: int = MAX_BYTES) -> pd.DataFrame:
    """Decode and parse a selection file given as bytes (an upload, a download)."""
    if len(payload) > max_bytes:
        raise _too_big(len(payload), max_bytes)
    if not payload.strip():
        raise SelectionFileError("le fichier est vide")
    return read_selection_text(_decode(payload))


def read_selection_csv(path: Path, max_bytes: int = MAX_BYTES) -> pd.DataFrame:
    """Read a selection CSV file from disk."""
    path = Path(path)
    if path.is_dir():
        raise SelectionFileError(f"{path} est un dossier, pas un fichier CSV")
    if not path.exists():
        raise SelectionFileError(f"fichier introuvable : {path}")
    if not path.is_file():
        raise SelectionFileError(f"{path} n'est pas un fichier ordinaire")
    if path.stat().st_size > max_bytes:
        raise _too_big(path.stat().st_size, max_bytes)
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise SelectionFileError(f"fichier illisible : {path} ({exc.strerror})") from exc
    return read_selection_bytes(payload, max_bytes)
