"""A commune's page: figures, EPCI, status and date in each programme, local project."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass, field

import pandas as pd

from ..atlas import Atlas
from ..format import fr_date
from ..levels import DEPARTEMENT, EPCI, REGION
from ..programmes import get, ordered, principal, programme_keys
from ..sources.retablies import enclosing


@dataclass(frozen=True)
class CommuneProfile:
    """Everything the commune page shows."""

    code: str
    nom: str
    population: int | None
    population_millesime: str
    epci: tuple[str, str] | None
    autres_pvd_epci: list[str]
    departement: tuple[str, str]
    region: tuple[str, str]
    programmes: list[str]
    date_signature: str | None  # the PVD convention's date, in French
    projet_local: dict = field(default_factory=dict)
    # per programme (pvd, acv, ort, other lists): True / False, or None where its list does not
    # cover the commune's département (unknown), and the date in French when the list gives one
    statuts: dict = field(default_factory=dict)
    dates: dict = field(default_factory=dict)
    # per programme: the other communes of the EPCI in it (names)
    epci_programmes: dict = field(default_factory=dict)
    sans_contour: bool = False  # no geometry in the contours used (a commune rétablie since)
    contour_de: str | None = None  # then: the commune whose contour covers it, when known
    contour_englobe: list[str] = field(default_factory=list)  # restored communes its contour covers


def signature_date(atlas: Atlas, programme: str, code: str) -> str | None:
    """The date a commune joined a programme, as its list gives it (French text), or None."""
    result = atlas.selections.get(programme)
    if result is None or "date_signature" not in result.rows:
        return None
    dates = result.rows.loc[result.rows["code"] == code, "date_signature"]
    return fr_date(next((d for d in dates if isinstance(d, str) and d.strip()), None))


def commune_profile(atlas: Atlas, code: str, projets: dict[str, dict]) -> CommuneProfile:
    """Profile of one commune: figures, EPCI and its other PVD, status and dates in each programme,
    the EPCI's communes in each programme, its local project (``projets``: by code)."""
    com = atlas.communes.set_index("code")
    row = com.loc[code]
    names = [p for p in ordered([*programme_keys(), *atlas.selections]) if p in com.columns]
    statuts = {p: bool(row[p]) if atlas.covers(p, [row[DEPARTEMENT.column]]) else None for p in names}
    dates = {p: signature_date(atlas, p, code) for p in names if statuts[p]}
    epci, others, in_epci = None, [], {}
    if isinstance(row[EPCI.column], str):
        epci = (row[EPCI.column], atlas.name("epci", row[EPCI.column]))
        members = com[(com[EPCI.column] == row[EPCI.column]) & (com.index != code)]
        in_epci = {p: members.loc[members[p], "nom"].tolist() for p in names}
        others = in_epci.get(principal().key, [])
    deps = atlas.names("departement")
    regs = atlas.names("region")
    pop = row["population"]
    local = com[com[DEPARTEMENT.column] == row[DEPARTEMENT.column]].reset_index()
    hosts = enclosing(local, local["geometry_departement"])
    return CommuneProfile(
        code=code,
        nom=row["nom"],
        population=None if pd.isna(pop) else int(pop),
        population_millesime=str(row["population_millesime"]),
        epci=epci,
        autres_pvd_epci=others,
        departement=(row[DEPARTEMENT.column], str(deps.get(row[DEPARTEMENT.column], ""))),
        region=(row[REGION.column], str(regs.get(row[REGION.column], ""))),
        programmes=[get(p).nom for p, yes in statuts.items() if yes],
        date_signature=dates.get(principal().key),
        projet_local=projets.get(code, {}),
        statuts=statuts,
        dates=dates,
        epci_programmes=in_epci,
        sans_contour=bool(pd.isna(row.get("geometry_departement"))),
        contour_de=next((str(com.loc[h, "nom"]) for h, inside in hosts.items() if code in inside), None),
        contour_englobe=[str(com.loc[c, "nom"]) for c in hosts.get(code, [])],
    )
