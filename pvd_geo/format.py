"""French number formats: ``744 178``, ``12,3 %``; and a plain-text table for the terminal."""

from __future__ import annotations

import math
import sys

NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


def fr_int(value: float | int | None) -> str:
    """``744178`` → ``744 178`` (narrow no-break spaces); missing → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or _is_pandas_na(value):
        return "–"
    return f"{int(round(value)):,}".replace(",", NNBSP)


def _is_pandas_na(value: object) -> bool:
    """``pd.NA`` (only possible once pandas is imported: this module does not import it)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NA


def fr_size(n_bytes: int) -> str:
    """A file's size in French: ``850 octets``, ``2,4 ko``, ``38 ko``, ``1,3 Mo`` (never « 0 ko »)."""
    if n_bytes < 1000:
        return f"{n_bytes} octet{'s' if n_bytes > 1 else ''}"
    for unit, size in (("ko", 1e3), ("Mo", 1e6), ("Go", 1e9)):
        value = n_bytes / size
        if value < 1000 or unit == "Go":
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return f"{text.replace('.', ',')} {unit}"
    return f"{n_bytes} octets"


def fr_pct(ratio: float | None, decimals: int = 1) -> str:
    """``0.1234`` → ``12,3 %``."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "–"
    return f"{ratio * 100:.{decimals}f}".replace(".", ",") + f"{NNBSP}%"


def format_table(table, headers: dict[str, str] | None = None) -> str:
    """Aligned plain-text rendering of a stats table with French number formats."""
    cells = [[(headers or {}).get(c, c) for c in table.columns]]
    for row in table.itertuples(index=False):
        line = []
        for column, value in zip(table.columns, row):
            if column == "part_population_pvd":
                line.append(fr_pct(value))
            elif column in ("code", "nom"):
                line.append(str(value))
            else:
                line.append(fr_int(value))
        cells.append(line)
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    numeric = [c not in ("code", "nom") for c in table.columns]
    rows = [
        "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(r, widths, numeric)).rstrip()
        for r in cells
    ]
    return "\n".join(rows)


MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]  # fmt: skip


def parse_date(text: object):
    """A list's date as a ``datetime.date``: ``2023-09-26``, ``26/09/2023`` or ``26-09-2023``
    (the ANCT lists changed format over the years); None when it is not a valid date."""
    import datetime as dt

    if text is None:
        return None
    value = str(text).strip()
    parts = value.replace("/", "-").split("T")[0].split(" ")[0].split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) == 4:
        year, month, day = parts
    elif len(parts[2]) == 4:
        day, month, year = parts
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def fr_date(text: str | None) -> str | None:
    """A list's date as French text: ``2023-09-26``, ``26/09/2023`` or ``26-09-2023`` → ``26 septembre 2023``.

    Anything that is not a date is returned as written, stripped.
    """
    if text is None:
        return None
    day = parse_date(text)
    if day is None:
        return str(text).strip()
    return f"{day.day}{'er' if day.day == 1 else ''} {MOIS[day.month - 1]} {day.year}"


def fr_short_date(text: str | None) -> str | None:
    """``2026-04-27`` → ``27/04/2026`` (sources lines); None when not a date."""
    day = parse_date(text)
    return day.strftime("%d/%m/%Y") if day else None
