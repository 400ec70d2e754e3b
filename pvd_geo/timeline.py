"""The programme in time: conventions signed per month or quarter, and what changed between two
versions of a list (communes added, removed). Pure: frames in, frames out."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import pandas as pd

from .errors import InvalidInput
from .format import MOIS, parse_date

PERIODS = {"trimestre": "Q", "mois": "M"}


def _label(period: pd.Period, freq: str) -> str:
    if freq == "Q":
        return f"T{period.quarter} {period.year}"
    return f"{MOIS[period.month - 1][:4].rstrip('.')}. {period.year}"


def conventions_by_period(dates: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """Conventions signed per period: ``dates`` has ``code`` and ``date_signature`` (any of the lists'
    formats). Returns ``periode`` (label), ``debut`` (ISO date), ``conventions``, ``cumul``, with
    every period between the first and the last (zero where none), plus ``sans_date`` in ``attrs``."""
    if freq not in PERIODS.values():
        raise InvalidInput(f"période inconnue : {freq} (attendu : Q ou M)")
    if not {"code", "date_signature"} <= set(dates.columns):
        raise InvalidInput("dates : colonnes « code » et « date_signature » attendues")
    parsed = dates.drop_duplicates("code")["date_signature"].map(parse_date)
    known = pd.to_datetime(parsed.dropna())
    columns = ["periode", "debut", "conventions", "cumul"]
    if known.empty:
        out = pd.DataFrame(columns=columns)
    else:
        periods = known.dt.to_period(freq)
        counts = periods.value_counts().sort_index()
        full = pd.period_range(counts.index.min(), counts.index.max(), freq=freq)
        counts = counts.reindex(full, fill_value=0)
        out = pd.DataFrame(
            {
                "periode": [_label(p, freq) for p in full],
                "debut": [p.start_time.date().isoformat() for p in full],
                "conventions": counts.to_numpy(dtype=int),
                "cumul": counts.cumsum().to_numpy(dtype=int),
            }
        )
    out.attrs["sans_date"] = int(parsed.isna().sum())
    return out


def compare_lists(old: list[str], new: list[str], names: pd.Series) -> pd.DataFrame:
    """Communes added to and removed from a list between two versions (reference codes).

    ``names``: commune names indexed by code. Returns ``code``, ``nom``, ``changement``
    (``ajoutée`` / ``retirée``), additions first, each in code order."""
    before, after = set(old), set(new)
    rows = [(c, "ajoutée") for c in sorted(after - before)] + [(c, "retirée") for c in sorted(before - after)]
    frame = pd.DataFrame(rows, columns=["code", "changement"])
    frame.insert(1, "nom", [str(names.get(c, "")) for c in frame["code"]])
    return frame
