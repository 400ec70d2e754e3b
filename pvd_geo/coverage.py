"""Which territories a loaded list speaks for: a figure is shown only where its list covers.

A list covers a set of départements (the embedded default: the Gard and the Gers; an official
national list: all of them). A territory is covered by a programme's list when every one of its
communes lies in a covered département: a région or an EPCI that is partly outside has no figure.
Pure functions: no file, no Streamlit.
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .levels import DEPARTEMENT

# A list without a declared coverage covers the départements where it has communes; if those are
# more than this share of all départements, it is taken as a national list (absent = zero).
NATIONAL_SHARE = 0.5

Coverage = tuple[str, ...] | None  # None: every département


def infer_coverage(list_departements: Iterable[str], all_departements: Iterable[str]) -> Coverage:
    """Coverage of a list that does not declare it (see :data:`NATIONAL_SHARE`)."""
    mine, every = set(list_departements), set(all_departements)
    if every and len(mine & every) > NATIONAL_SHARE * len(every):
        return None
    return tuple(sorted(mine))


def covers(coverage: Coverage, departements: Iterable[str]) -> bool:
    """True when the list speaks for all of ``departements`` (an empty set is not covered)."""
    deps = set(departements)
    if coverage is None:
        return True
    return bool(deps) and deps <= set(coverage)


def commune_covered(dep: pd.Series, coverage: Coverage) -> np.ndarray:
    """One boolean per commune: is its département covered?"""
    if coverage is None:
        return np.ones(len(dep), dtype=bool)
    return dep.isin(set(coverage)).to_numpy()


def coverage_label(coverage: Coverage, names: Mapping[str, str]) -> str:
    """``France entière``, ``Gard et Gers``, ``Gard, Gers et Landes``, ``12 départements``."""
    if coverage is None:
        return "France entière"
    labels = [str(names.get(code, code)) for code in coverage]
    if not labels:
        return "aucun département"
    if len(labels) > 4:
        return f"{len(labels)} départements"
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} et {labels[-1]}"


def coverage_of_codes(codes: Iterable[str], communes: pd.DataFrame) -> Coverage:
    """The coverage of a list that does not declare it, from its communes' codes: the départements
    where it has communes, all of them beyond :data:`NATIONAL_SHARE` — the one place it is inferred
    (an import, a list without description, a reader's own list)."""
    deps = communes.set_index("code")[DEPARTEMENT.column]
    mine = set(deps.reindex(pd.Index(list(codes))).dropna())
    return infer_coverage(mine, set(communes[DEPARTEMENT.column].dropna()))
