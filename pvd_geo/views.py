"""View models for the pages: plain data, ready to render, no Streamlit."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from . import credits, embed, insets
from .atlas import Atlas
from .codes import cle_recherche
from .constants import SIMPLIFY_TOLERANCE
from .coverage import coverage_label
from .format import fr_date
from .levels import URL_KEYS, Level
from .programmes import get, ordered, principal, programme_keys, registry
from .sources.retablies import enclosing
from .stats import headers, share_columns
from .webmap import spec as webmap


def display_table(stats: pd.DataFrame) -> pd.DataFrame:
    """A stats table with French headers and the share in percent. A table of EPCI has no
    « EPCI avec au moins une PVD » column: it has no meaning for an EPCI (« – » would read as
    « unknown », and « – » only ever means that)."""
    epci_column = f"epci_avec_{principal().key}"
    if epci_column in stats and len(stats) and stats["code"].astype(str).str.fullmatch(r"\d{9}").all():
        stats = stats.drop(columns=epci_column)
    out = stats.assign(**{c: (stats[c] * 100).round(1) for c in share_columns() if c in stats})
    return out.rename(columns=headers())


def lists_json(atlas: Atlas) -> dict[str, dict]:
    """Each list in use as plain data for :mod:`pvd_geo.credits` (with its coverage in words)."""
    names = dict(zip(atlas.departements["code"], atlas.departements["nom"], strict=True))
    return {
        programme: {**info.to_json(), "couverture_nom": coverage_label(info.couverture, names)}
        for programme, info in atlas.lists.items()
    }


def lists_summary(atlas: Atlas) -> list[str]:
    """One line per list in use: what it is, what it covers."""
    out = []
    for programme, info in lists_json(atlas).items():
        label = credits.list_label(programme, info)
        out.append(f"{get(programme).nom} : {label}, couverture {info['couverture_nom']}")
    return out


def departements_of(atlas: Atlas, territories: list[tuple[str, str]]) -> list[str]:
    """Départements of the communes of some territories (``("region", "76")``, ...); ``("france",
    "")`` is every département."""
    deps: set[str] = set()
    for level, code in territories:
        if level == "france":
            return sorted(atlas.departements["code"])
        deps |= set(atlas.communes.loc[atlas.communes[Level.of(level).column] == code, "dep"])
    return sorted(deps)


def location_departements(atlas: Atlas, loc: Location) -> list[str]:
    """Départements a drill-down location's figures depend on."""
    if loc.level == "com":
        return departements_of(atlas, [("departement", loc.dep)]) if loc.dep else []
    if loc.level == "france":
        return departements_of(atlas, [("france", "")])
    return departements_of(atlas, [(Level.of(loc.level).key, getattr(loc, loc.level))])


def covered_part(atlas: Atlas, departements: list[str], programme: str = "pvd") -> list[str]:
    """The départements of a scope that the programme's list covers."""
    cover = atlas.coverage(programme)
    return [d for d in departements if cover is None or d in set(cover)]


def scope_name(atlas: Atlas, departements: list[str]) -> str:
    """``Gard et Gers``; a whole région by its name; all départements: ``France``."""
    if len(departements) == len(atlas.departements):
        return "France"
    regions = atlas.departements.groupby("reg")["code"].apply(sorted)
    for reg, codes in regions.items():
        if codes == sorted(departements) and len(codes) > 1:
            return str(atlas.regions.set_index("code").loc[reg, "nom"])
    names = atlas.departements.set_index("code").loc[departements, "nom"].tolist()
    if len(names) > 3:
        return f"{len(names)} départements"
    return " et ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def counts(atlas: Atlas, level: str, departements: list[str]) -> pd.DataFrame:
    """Stats of ``level`` for the territories touching ``departements``, most PVD first."""
    inside = atlas.communes[atlas.communes["dep"].isin(departements)]
    column = Level.of(level).column
    table = atlas.stats(level)
    table = table[table["code"].isin(set(inside[column].dropna()))]
    return table.sort_values(["pvd", "population_pvd"], ascending=False, na_position="last").reset_index(
        drop=True
    )


@dataclass(frozen=True)
class Scope:
    """What a communes map draws: communes, their EPCIs, départements and the grey background."""

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    background: gpd.GeoDataFrame
    bounds: tuple[float, float, float, float]
    panels: list[insets.Panel] = field(default_factory=list)  # distant groups side by side


def scope_panels(atlas: Atlas, departements: list[str]) -> list[insets.Panel]:
    """Panels of a scope of départements lying in distant groups (the Gard and the Gers); none
    for neighbours. A click on such a map sends the code of what was clicked: nothing to map back."""
    if len(departements) < 2:
        return []
    com = atlas.communes[atlas.communes["dep"].isin(departements).to_numpy()]
    bounds = {
        str(dep): tuple(float(v) for v in part["geometry_departement"].total_bounds)
        for dep, part in com.groupby("dep")
    }
    names = atlas.names("departement").to_dict()
    return insets.make_panels(bounds, names)


def _moved(gdf: gpd.GeoDataFrame, deps: list[str], panels: list[insets.Panel]) -> gpd.GeoDataFrame:
    by_dep = {code: p for p in panels for code in p.codes}
    geoms = gdf["geometry_departement"].to_numpy().copy()
    for k, dep in enumerate(deps):
        panel = by_dep.get(dep)
        if panel is not None and geoms[k] is not None:
            geoms[k] = shapely.transform(geoms[k], panel.forward)
    return gdf.assign(geometry_departement=gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def scope(atlas: Atlas, departements: list[str] | None = None, epci: str | None = None) -> Scope:
    """Layers for the communes of some départements, or of one EPCI (all its members)."""
    com = atlas.communes
    mask = com["epci"] == epci if epci else com["dep"].isin(departements or [])
    communes = com[mask.to_numpy()]
    epci_pvd = atlas.communes.groupby("epci")["pvd"].sum()  # PVD of the list drawn in each EPCI
    names = atlas.names("epci")
    communes = communes.assign(epci_nom=communes["epci"].map(names))
    epcis = atlas.epci[atlas.epci["code"].isin(set(communes["epci"].dropna()))]
    epcis = epcis.assign(pvd=epcis["code"].map(epci_pvd).fillna(0).astype(int))
    deps = atlas.departements[atlas.departements["code"].isin(set(communes["dep"]))]
    minx, miny, maxx, maxy = communes["geometry_departement"].total_bounds
    pad = 0.05 * max(maxx - minx, maxy - miny)
    frame = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    dep_all = atlas.departements
    background = dep_all[dep_all["geometry_national"].intersects(frame)]
    background = background.assign(geometry_departement=background["geometry_national"])
    tolerance = 2 * pixel_size((minx, miny, maxx, maxy))  # a vertex every other pixel at most
    background = _coarser(background, max(2 * tolerance, 2 * SIMPLIFY_TOLERANCE["national"]))
    panels = [] if epci else scope_panels(atlas, list(departements or []))
    if panels:  # distant groups side by side: each panel shows its own surroundings
        tolerance = 2 * pixel_size(_union([p.box for p in panels]))
        pieces = []
        for panel in panels:
            box = shapely.box(*panel.frame)
            near = dep_all[dep_all["geometry_national"].intersects(box)]
            clipped = shapely.intersection(near["geometry_national"].to_numpy(), box)
            pieces.append(
                near.assign(geometry_departement=gpd.GeoSeries(clipped, index=near.index, crs=near.crs))
                .pipe(_coarser, max(2 * tolerance, 2 * SIMPLIFY_TOLERANCE["national"]))
                .pipe(_moved, [panel.codes[0]] * len(near), [panel])
            )
        background = pd.concat(pieces)
    if tolerance > SIMPLIFY_TOLERANCE["departement"]:  # a wide scope: one vertex per pixel at most
        communes, epcis, deps = (_coarser(g, tolerance) for g in (communes, epcis, deps))
    if panels:
        communes = _moved(communes, communes["dep"].astype(str).tolist(), panels)
        deps = _moved(deps, deps["code"].astype(str).tolist(), panels)
        return Scope(communes, epcis, deps, background, _union([p.box for p in panels]), panels)
    return Scope(communes, epcis, deps, background, (minx, miny, maxx, maxy))


def _union(boxes: list[tuple]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def scope_bounds(atlas: Atlas, departements: list[str] | None = None, epci: str | None = None) -> tuple:
    """The bounds of :func:`scope` without its layers (e.g. the zoom shared by compared maps)."""
    panels = [] if epci else scope_panels(atlas, list(departements or []))
    if panels:
        return _union([p.box for p in panels])
    com = atlas.communes
    mask = com["epci"] == epci if epci else com["dep"].isin(departements or [])
    return tuple(com.loc[mask.to_numpy(), "geometry_departement"].total_bounds)


def pixel_size(
    bounds: tuple[float, float, float, float], width_px: int = 1100, height_px: int = 620
) -> float:
    """Degrees per screen pixel when ``bounds`` fill a map of that size."""
    minx, miny, maxx, maxy = bounds
    return max((maxx - minx) / width_px, (maxy - miny) / height_px)


def _coarser(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    geoms = gdf["geometry_departement"].to_numpy()
    present = ~shapely.is_missing(geoms)
    out = geoms.copy()
    out[present] = shapely.coverage_simplify(geoms[present], tolerance)
    return gdf.assign(geometry_departement=gpd.GeoSeries(out, index=gdf.index, crs=gdf.crs))


def comparison_scope(atlas: Atlas, level: str, code: str) -> tuple[list[str], str | None]:
    """(départements, EPCI) arguments of :func:`scope` for a région, département or EPCI."""
    if level == "epci":
        return [], code
    if level == "region":
        return sorted(atlas.departements.loc[atlas.departements["reg"] == code, "code"]), None
    return [code], None


def main_bounds(layer: gpd.GeoDataFrame, geometry: str) -> tuple[float, float, float, float]:
    """Bounds of metropolitan France when the layer has it (overseas lie outside the frame).

    Overseas are the départements 97x and, in the régions layer (no ``reg`` column), the régions
    01–06: the départements 01–06 (Ain … Alpes-Maritimes) are metropolitan."""
    code = layer["code"].astype(str)
    overseas = code.str.startswith("97")
    if "reg" not in layer.columns:
        overseas |= code.isin(list(insets.OVERSEAS_REGIONS))
    shown = layer[~overseas] if (~overseas).any() else layer
    return tuple(shown[geometry].total_bounds)


def national_insets(atlas: Atlas) -> list[insets.Inset]:
    """The insets of the overseas départements for national maps (from their real bounds)."""
    deps = atlas.departements.set_index("code")["geometry_national"]
    return insets.make_insets({c: tuple(deps[c].bounds) for c in insets.OVERSEAS if c in deps.index})


def with_insets(
    layer: gpd.GeoDataFrame, geometry: str, level: str, found: list[insets.Inset]
) -> gpd.GeoDataFrame:
    """A layer of ``level`` whose overseas territories are moved into their insets (national maps)."""
    moved = insets.move(layer[geometry].to_numpy(), layer["code"].astype(str).tolist(), level, found)
    return layer.assign(**{geometry: gpd.GeoSeries(moved, index=layer.index, crs=layer.crs)})


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
        return Location(row["reg"], row["dep"], loc.epci if loc.epci == row["epci"] else row["epci"], loc.com)
    if loc.epci and loc.epci in set(atlas.epci["code"]):
        dep = (
            loc.dep if loc.dep in set(atlas.communes.loc[atlas.communes["epci"] == loc.epci, "dep"]) else None
        )
        if dep is None:
            dep = atlas.communes.loc[atlas.communes["epci"] == loc.epci, "dep"].mode().iloc[0]
        reg = atlas.departements.set_index("code").loc[dep, "reg"]
        return Location(reg, dep, loc.epci)
    deps = atlas.departements.set_index("code")
    if loc.dep and loc.dep in deps.index:
        return Location(deps.loc[loc.dep, "reg"], loc.dep)
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


def search_communes(atlas: Atlas, query: str, limit: int = 20) -> pd.DataFrame:
    """Communes whose name matches ``query`` ignoring case, accents, hyphens and article."""
    key = cle_recherche(query)
    if len(key) < 2:
        return pd.DataFrame(columns=["code", "nom", "departement", "libelle"])
    keys = atlas.search_keys()
    hits = keys[keys.str.contains(key, regex=False)]
    exact = hits == key
    order = pd.concat([hits[exact], hits[~exact]]).index[:limit]
    com = atlas.communes.loc[order, ["code", "nom", "dep"]]
    deps = atlas.names("departement")
    out = com.assign(departement=com["dep"].map(deps))
    out["libelle"] = out["nom"] + " (" + out["departement"] + ", " + out["code"] + ")"
    return out[["code", "nom", "departement", "libelle"]].reset_index(drop=True)


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
    statuts = {p: bool(row[p]) if atlas.covers(p, [row["dep"]]) else None for p in names}
    dates = {p: signature_date(atlas, p, code) for p in names if statuts[p]}
    epci, others, in_epci = None, [], {}
    if isinstance(row["epci"], str):
        epci = (row["epci"], atlas.name("epci", row["epci"]))
        members = com[(com["epci"] == row["epci"]) & (com.index != code)]
        in_epci = {p: members.loc[members[p], "nom"].tolist() for p in names}
        others = in_epci.get("pvd", [])
    deps = atlas.names("departement")
    regs = atlas.names("region")
    pop = row["population"]
    local = com[com["dep"] == row["dep"]].reset_index()
    hosts = enclosing(local, local["geometry_departement"])
    return CommuneProfile(
        code=code,
        nom=row["nom"],
        population=None if pd.isna(pop) else int(pop),
        population_millesime=str(row["population_millesime"]),
        epci=epci,
        autres_pvd_epci=others,
        departement=(row["dep"], str(deps.get(row["dep"], ""))),
        region=(row["reg"], str(regs.get(row["reg"], ""))),
        programmes=[get(p).nom for p, yes in statuts.items() if yes],
        date_signature=dates.get("pvd"),
        projet_local=projets.get(code, {}),
        statuts=statuts,
        dates=dates,
        epci_programmes=in_epci,
        sans_contour=bool(pd.isna(row.get("geometry_departement"))),
        contour_de=next((str(com.loc[h, "nom"]) for h, inside in hosts.items() if code in inside), None),
        contour_englobe=[str(com.loc[c, "nom"]) for c in hosts.get(code, [])],
    )


def territory_options(atlas: Atlas) -> list[tuple[str, str, str]]:
    """(level, code, label) of every région, département and EPCI, for comparison selectors."""
    out = [("region", r.code, f"{r.nom} (région)") for r in atlas.regions.itertuples()]
    out += [("departement", d.code, f"{d.nom} ({d.code})") for d in atlas.departements.itertuples()]
    out += [("epci", e.code, f"{e.nom} (EPCI)") for e in atlas.epci.itertuples()]
    return out


def compare(atlas: Atlas, territories: list[tuple[str, str]]) -> pd.DataFrame:
    """Same figures for each territory in aligned columns, plus the difference of the first two."""
    columns = {}
    for level, code in territories:
        row = atlas.stats(level).set_index("code").loc[code]
        columns[str(row["nom"])] = {
            label: (None if pd.isna(row[key]) else round(float(row[key]) * scale, 1))
            for label, key, scale in compared_rows()
        }
    table = pd.DataFrame(columns, dtype=float)
    if len(table.columns) >= 2:
        a, b = table.columns[:2]
        table[f"Écart ({a} − {b})"] = (table[a] - table[b]).round(1)  # unknown on either side: NaN
    return table


def compared_rows() -> list[tuple[str, str, int]]:
    """(row label, stats column, factor) of the comparison table: each programme's communes (and the
    principal's share in a crossed one), then communes and population; a missing figure (a
    territory its list does not cover) stays missing and is shown as « – »."""
    labels, shares = headers(), set(share_columns())
    key = principal().key
    programme_rows = []
    for p in registry():
        programme_rows.append(p.key)
        if p.croise:
            programme_rows.append(f"part_{key}_avec_{p.key}")
    rest = ["communes", "population", f"population_{key}", f"part_population_{key}"]
    return [(labels[c], c, 100 if c in shares else 1) for c in programme_rows + rest]


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
    if loc.level == "reg":
        deps = atlas.departements[atlas.departements["reg"] == loc.reg].sort_values("code")
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
    if loc.level == "dep":
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
    members = atlas.communes[atlas.communes["epci"] == loc.epci].sort_values("nom")
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
    if loc.level == "reg":
        return Location(reg=loc.reg, dep=code)
    if loc.level == "dep":
        communes = atlas.communes.set_index("code")["epci"]
        epci = communes.get(code, code)
        return Location(reg=loc.reg, dep=loc.dep, epci=epci if isinstance(epci, str) else None)
    return Location(loc.reg, loc.dep, loc.epci, code)


def conventions(atlas: Atlas, departements: list[str], freq: str = "Q") -> pd.DataFrame | None:
    """PVD conventions signed per period in a scope (None when the PVD list does not cover it)."""
    from .timeline import conventions_by_period

    if not atlas.covers("pvd", departements) or "pvd" not in atlas.selections:
        return None
    rows = atlas.selections["pvd"].kept_rows()
    deps = atlas.communes.set_index("code")["dep"]
    inside = rows[rows["code"].map(deps).isin(set(departements))]
    return conventions_by_period(inside[["code", "date_signature"]], freq)


@dataclass(frozen=True)
class ListVersion:
    """One version of a programme's list: in use, kept in the history, or the embedded default."""

    label: str
    path: object  # pathlib.Path
    # the départements it covers: None for a national list (or one without a description, as the
    # lists before descriptions were)
    couverture: tuple[str, ...] | None = None


def list_versions(programme: str, lists_dir, embedded_dir) -> list[ListVersion]:
    """The versions of a programme's list that can be compared, newest first."""
    from pathlib import Path

    from .format import fr_short_date
    from .sources.selections import history_versions, read_info

    def version(what: str, path) -> ListVersion:
        info = read_info(path)
        cover = None if info is None or info.couverture is None else tuple(info.couverture)
        return ListVersion(f"{what} ({_version_date(info, fr_short_date)})", path, cover)

    out = []
    current = Path(lists_dir) / f"{programme}.csv"
    if current.is_file():
        out.append(version("en usage", current))
    for path in reversed(history_versions(lists_dir, programme)):
        stamp = path.stem.split("-", 1)[1][:15]
        out.append(
            version(f"remplacée le {stamp[6:8]}/{stamp[4:6]}/{stamp[:4]} {stamp[9:11]}:{stamp[11:13]}", path)
        )
    embedded = Path(embedded_dir) / f"{programme}.csv"
    if embedded.is_file():
        out.append(version("embarquée", embedded))
    return out


def _version_date(info, short) -> str:
    if info is None:
        return "date inconnue"
    return f"liste du {short(info.date)}" if info.date else info.millesime or "date inconnue"


def version_codes(atlas: Atlas, path) -> list[str]:
    """Current commune codes of a list file (merged communes resolved)."""
    from .selection import join_selection
    from .sources.anct import read_selection_csv

    return join_selection(read_selection_csv(path), atlas.communes, atlas.rattachees).codes


CHANGE_HEADERS = {
    "code": "Code INSEE",
    "nom": "Commune",
    "departement": "Département",
    "changement": "Changement",
}


def list_changes(atlas: Atlas, old, new, departements: list[str] | None = None) -> pd.DataFrame:
    """Communes added and removed between two list files, optionally within some départements."""
    from .timeline import compare_lists

    com = atlas.communes.set_index("code")
    table = compare_lists(version_codes(atlas, old), version_codes(atlas, new), com["nom"])
    table.insert(2, "departement", table["code"].map(com["dep"]).fillna(""))
    if departements is not None:
        table = table[table["departement"].isin(set(departements))].reset_index(drop=True)
    return table


def own_counts(atlas: Atlas, table: pd.DataFrame, level: str, own: tuple, label) -> pd.DataFrame:
    """``table`` (stats of ``level``) with a count column per own list ((name, codes), ...): NA for a
    territory outside the départements the list covers (inferred as for an import)."""
    from .coverage import commune_covered, infer_coverage

    com = atlas.communes
    key = Level.of(level).column
    out = table.copy()
    for name, codes in own:
        mine = com["code"].isin(set(codes))
        cover = infer_coverage(set(com.loc[mine, "dep"]), set(atlas.departements["code"]))
        covered = pd.Series(commune_covered(com["dep"], cover), index=com.index).groupby(com[key]).min()
        counts = mine.groupby(com[key]).sum().astype("Int64").where(covered)
        out[label(name)] = out["code"].map(counts)
    return out


def communes_map_spec(
    atlas: Atlas,
    departements: list[str],
    epci: str | None,
    title: str,
    sources: str,
    *,
    tiles: str | None = None,
    zoom: float | None = None,
    on_request: tuple[str, ...] = (),
    own: dict[str, set[str]] | None = None,
    link: str | None = None,
    focus: str | None = None,
) -> dict:
    """The communes map of a scope (:func:`scope`), as :func:`webmap.communes_spec` describes it;
    ``own``: a reader's own lists (column name → codes), drawn as dashed outlines; ``on_request``:
    the programmes drawn only when the reader asks (ORT) that are asked for; ``tiles``: a
    background of :data:`webmap.TILES` (then no grey background is shipped)."""
    sc = scope(atlas, departements, epci)
    communes = sc.communes.assign(
        **{name: sc.communes["code"].isin(codes).to_numpy() for name, codes in (own or {}).items()}
    )
    spec = webmap.communes_spec(
        communes,
        sc.background if tiles is None else sc.background.iloc[:0],
        epci=sc.epci,
        title=title,
        sources=sources + missing_contours_note(communes),
        population_label=atlas.meta["population"],
        bounds=sc.bounds,
        zoom=zoom,
        programmes=[*atlas.selections, *(own or {})],
        on_request=on_request,
        panels=[(p.name, p.box) for p in sc.panels],
        link=link,
        outline="epci" if epci else "departement",
        focus=focus,
        uncovered=uncovered_programmes(atlas, set(sc.communes["dep"])),
    )
    return spec | {"tiles": webmap.TILES.get(tiles or "")}


def missing_contours_note(communes: pd.DataFrame) -> str:
    """`` Non dessinées, faute de contour dans les données : Celles, … (communes rétablies depuis le
    millésime des contours ; le contour de Neussargues-Moissac les englobe).`` for the communes of a
    map that have no geometry, else "": never left out silently."""
    geometry = communes.get("geometry_departement", communes.geometry)
    missing = communes.loc[geometry.isna().to_numpy(), "nom"].sort_values().tolist()
    if not missing:
        return ""
    s = "s" if len(missing) > 1 else ""
    names = communes.set_index("code")["nom"]
    hosts = [str(names[c]) for c in enclosing(communes, geometry)]
    where = (
        f"le contour de {' et de '.join(hosts)} les englobe"
        if hosts
        else "leur territoire est compris dans le contour d'une commune voisine"
    )
    return (
        f" Non dessinée{s}, faute de contour dans les données : {', '.join(missing)} (commune{s} "
        f"rétablie{s} depuis le millésime des contours ; {where})."
    )


def uncovered_programmes(atlas: Atlas, departements: set[str]) -> tuple[str, ...]:
    """The programmes drawn on a communes map besides the principal (ACV, ORT…) whose loaded list
    does not cover all of ``departements``: their entries say « hors de la liste chargée » (PVD is
    refused or shown hatched by the coverage checks of its own)."""
    others = [p.key for p in registry() if not p.principal]
    return tuple(p for p in others if departements and not atlas.covers(p, departements))


def territories_map_spec(
    atlas: Atlas,
    level: str,
    region: str | None,
    title: str,
    sources: str,
    *,
    tiles: str | None = None,
    link: str | None = None,
) -> dict:
    """Régions or départements (of all France, or of one ``region``) shaded by the share of their
    inhabitants living in a PVD, the PVD count as proportional symbols; all France draws the
    overseas in insets and names the metropolitan régions."""
    layer = atlas.layer(level)
    if region:
        layer = layer[layer["reg"] == region]
    stats = atlas.stats(level).set_index("code")
    layer = layer.assign(
        **{key: layer["code"].map(stats[key]) for key in programme_keys()},
        part=layer["code"].map(stats[f"part_population_{principal().key}"]),
    )
    # all France: national generalisation; a région's départements: département generalisation
    geometry = "geometry_national" if level == "region" or not region else "geometry_departement"
    found = [] if region else national_insets(atlas)  # France: overseas in insets
    main = main_bounds(layer, geometry)
    if found:
        layer = with_insets(layer, geometry, level, found)
    bounds = tuple(layer[geometry].total_bounds) if found else main
    names = None
    if level == "departement" and not region:  # France by département: the régions named
        regions = atlas.layer("region")
        regions = regions[~regions["code"].isin(set(insets.OVERSEAS_REGIONS))]
        names = regions.set_index("nom")["geometry_national"]
    spec = webmap.territories_spec(
        layer,
        geometry,
        title=title,
        sources=sources,
        level=level,
        level_label=Level.of(level).label,
        bounds=bounds,
        insets=insets.frames(found),
        link=link,
        names=names,
    )
    if found:  # on a tall map (a phone) the insets go in a row below metropolitan France
        spec["main"] = [round(float(v), 4) for v in main]
    return spec | {"tiles": webmap.TILES.get(tiles or "")}


def embed_targets(atlas: Atlas, loc: Location) -> list[tuple[str, str]]:
    """The static site's page(s) of a drill-down view, as (path, title), for « Intégrer »: the
    territory's page; a commune without a page (not PVD) gives its EPCI's page when the EPCI has a
    PVD, else its département's (the site publishes EPCI and commune pages for the PVD only)."""
    com = atlas.communes
    with_pvd = set(com.loc[com["pvd"], "epci"].dropna())
    deps = atlas.names("departement")
    if loc.com:
        row = com.set_index("code").loc[loc.com]
        if bool(row["pvd"]):
            return [(embed.page_path("commune", loc.com), str(row["nom"]))]
        if row["epci"] in with_pvd:
            names = atlas.names("epci")
            return [(embed.page_path("epci", row["epci"]), str(names.get(row["epci"], row["epci"])))]
        return [(embed.page_path("departement", row["dep"]), str(deps.get(row["dep"], row["dep"])))]
    if loc.epci and loc.epci in with_pvd:
        names = atlas.names("epci")
        return [(embed.page_path("epci", loc.epci), str(names.get(loc.epci, loc.epci)))]
    if loc.dep:
        return [(embed.page_path("departement", loc.dep), str(deps.get(loc.dep, loc.dep)))]
    if loc.reg:
        regs = atlas.names("region")
        return [(embed.page_path("region", loc.reg), str(regs.get(loc.reg, loc.reg)))]
    return [("index.html", "France")]
