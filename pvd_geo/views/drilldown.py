"""The drill-down: the location in the URL, its breadcrumb, each level's view, and the static
site's page of a view."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass

import pandas as pd

from .. import embed
from ..atlas import Atlas
from ..levels import DEPARTEMENT, EPCI, REGION, URL_KEYS, Level
from ..programmes import principal
from .scope import counts, departements_of


def location_departements(atlas: Atlas, loc: Location) -> list[str]:
    """Départements a drill-down location's figures depend on."""
    if loc.level == "com":
        return departements_of(atlas, [("departement", loc.dep)]) if loc.dep else []
    if loc.level == "france":
        return departements_of(atlas, [("france", "")])
    return departements_of(atlas, [(Level.of(loc.level).key, getattr(loc, loc.level))])


@dataclass
class Location:
    """The drill-down state, as in the URL: ``?reg=76&dep=30&epci=200034411&com=30210``."""

    reg: str | None = None
    dep: str | None = None
    epci: str | None = None
    com: str | None = None

    @property
    def level(self) -> str:
        for key in reversed(URL_KEYS):
            if getattr(self, key):
                return key
        return "france"

    def params(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in URL_KEYS if getattr(self, k)}

    def up(self) -> Location:
        """The parent level (the breadcrumb's previous step)."""
        values = self.params()
        if values:
            values.pop(self.level)
        return Location(**values)


def resolve(atlas: Atlas, params: dict[str, str]) -> Location:
    """A consistent location from URL parameters: parents filled in, unknown codes dropped."""
    com = atlas.communes.set_index("code")
    loc = Location(**{k: str(params[k]) for k in URL_KEYS if params.get(k)})
    if loc.com and loc.com in com.index:
        row = com.loc[loc.com]
        return Location(
            row[REGION.column],
            row[DEPARTEMENT.column],
            loc.epci if loc.epci == row[EPCI.column] else row[EPCI.column],
            loc.com,
        )
    if loc.epci and loc.epci in set(atlas.epci["code"]):
        dep = (
            loc.dep
            if loc.dep in set(atlas.communes.loc[atlas.communes[EPCI.column] == loc.epci, DEPARTEMENT.column])
            else None
        )
        if dep is None:
            dep = (
                atlas.communes.loc[atlas.communes[EPCI.column] == loc.epci, DEPARTEMENT.column].mode().iloc[0]
            )
        reg = atlas.departements.set_index("code").loc[dep, REGION.column]
        return Location(reg, dep, loc.epci)
    deps = atlas.departements.set_index("code")
    if loc.dep and loc.dep in deps.index:
        return Location(deps.loc[loc.dep, REGION.column], loc.dep)
    if loc.reg and loc.reg in set(atlas.regions["code"]):
        return Location(loc.reg)
    return Location()


def breadcrumb(atlas: Atlas, loc: Location) -> list[tuple[str, Location]]:
    """(label, location) from France down to the current level."""
    crumbs = [("France", Location())]
    values: dict[str, str] = {}
    for key in URL_KEYS:
        code = getattr(loc, key)
        if code:
            values[key] = code
            crumbs.append((atlas.name(key, code), Location(**values)))
    return crumbs


@dataclass(frozen=True)
class LevelView:
    """A drill-down level above the commune: title, children to choose, figures, what to map."""

    title: str
    child: str  # label of the children selector
    options: dict[str, str]  # child code → label
    table: pd.DataFrame  # stats rows shown under the map
    map_level: str  # "region" / "departement": territories shaded; "commune": commune polygons
    departements: list[str]
    region: str | None
    epci: str | None


def level_view(atlas: Atlas, loc: Location) -> LevelView:
    """What the drill-down page shows at ``loc`` (France, région, département or EPCI)."""
    if loc.level == "france":
        regions = atlas.regions.sort_values("nom")
        return LevelView(
            "France — Petites villes de demain par région",
            "Région",
            dict(zip(regions["code"], regions["nom"], strict=True)),
            atlas.stats("region"),
            "region",
            [],
            None,
            None,
        )
    if loc.level == REGION.url:
        deps = atlas.departements[atlas.departements[REGION.column] == loc.reg].sort_values("code")
        name = atlas.regions.set_index("code").loc[loc.reg, "nom"]
        table = atlas.stats("departement")
        return LevelView(
            f"{name} — départements",
            "Département",
            {c: f"{n} ({c})" for c, n in zip(deps["code"], deps["nom"], strict=True)},
            table[table["code"].isin(deps["code"])].reset_index(drop=True),
            "departement",
            [],
            loc.reg,
            None,
        )
    if loc.level == DEPARTEMENT.url:
        name = atlas.departements.set_index("code").loc[loc.dep, "nom"]
        table = counts(atlas, "epci", [loc.dep])
        return LevelView(
            f"{name} ({loc.dep}) — EPCI et communes",
            "EPCI",
            dict(zip(table["code"], table["nom"], strict=True)),
            table,
            "commune",
            [loc.dep],
            None,
            None,
        )
    name = str(atlas.epci.set_index("code").loc[loc.epci, "nom"])
    members = atlas.communes[atlas.communes[EPCI.column] == loc.epci].sort_values("nom")
    table = atlas.stats("epci")
    return LevelView(
        name,
        "Commune",
        dict(zip(members["code"], members["nom"], strict=True)),
        table[table["code"] == loc.epci].reset_index(drop=True),
        "commune",
        [],
        None,
        loc.epci,
    )


def child_location(atlas: Atlas, loc: Location, code: str) -> Location:
    """Where choosing or clicking ``code`` leads from ``loc`` (a commune clicked in a
    département opens its EPCI)."""
    if loc.level == "france":
        return Location(reg=code)
    if loc.level == REGION.url:
        return Location(reg=loc.reg, dep=code)
    if loc.level == DEPARTEMENT.url:
        communes = atlas.communes.set_index("code")[EPCI.column]
        epci = communes.get(code, code)
        return Location(reg=loc.reg, dep=loc.dep, epci=epci if isinstance(epci, str) else None)
    return Location(loc.reg, loc.dep, loc.epci, code)


def embed_targets(atlas: Atlas, loc: Location) -> list[tuple[str, str]]:
    """The static site's page(s) of a drill-down view, as (path, title), for « Intégrer »: the
    territory's page; a commune without a page (not PVD) gives its EPCI's page when the EPCI has a
    PVD, else its département's (the site publishes EPCI and commune pages for the PVD only)."""
    com = atlas.communes
    main = principal().key
    with_pvd = set(com.loc[com[main], EPCI.column].dropna())
    deps = atlas.names("departement")
    if loc.com:
        row = com.set_index("code").loc[loc.com]
        if bool(row[main]):
            return [(embed.page_path("commune", loc.com), str(row["nom"]))]
        if row[EPCI.column] in with_pvd:
            names = atlas.names("epci")
            return [
                (
                    embed.page_path("epci", row[EPCI.column]),
                    str(names.get(row[EPCI.column], row[EPCI.column])),
                )
            ]
        return [
            (
                embed.page_path("departement", row[DEPARTEMENT.column]),
                str(deps.get(row[DEPARTEMENT.column], row[DEPARTEMENT.column])),
            )
        ]
    if loc.epci and loc.epci in with_pvd:
        names = atlas.names("epci")
        return [(embed.page_path("epci", loc.epci), str(names.get(loc.epci, loc.epci)))]
    if loc.dep:
        return [(embed.page_path("departement", loc.dep), str(deps.get(loc.dep, loc.dep)))]
    if loc.reg:
        regs = atlas.names("region")
        return [(embed.page_path("region", loc.reg), str(regs.get(loc.reg, loc.reg)))]
    return [("index.html", "France")]
