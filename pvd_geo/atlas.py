"""The built layers and the selection lists, loaded once into one read-only object."""

from __future__ import annotations

from . import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import hashlib
import json
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import shapely

from .constants import (
    BUILD_LAYERS,
    COMMUNE_COLUMNS,
    EMBEDDED_DIR,
    META_FILE,
    build_dir,
    lists_dir,
)
from .coverage import Coverage, coverage_of_codes, covers
from .errors import InvalidInput, PvdError
from .levels import DEPARTEMENT, EPCI, REGION, Level
from .programmes import ordered, programme_keys, registry_file
from .selection import SelectionResult, join_selection
from .sources.anct import read_selection_csv
from .sources.selections import ListInfo, list_paths, read_info
from .stats import aggregate, flag_communes, total

BUILD_COMMAND = "python -m pvd_geo build"


class BuildMissing(PvdError, FileNotFoundError):
    """The geodata build is absent: the message names the command that makes it."""


class BuildCorrupt(PvdError, RuntimeError):
    """The geodata build exists but cannot be read."""


# Columns loaded with the atlas: the display geometries only (the first one is the active
# geometry). Source geometries are read on demand by :meth:`Atlas.source_geometry`.
LAYER_COLUMNS = {
    "communes": [*COMMUNE_COLUMNS, "geometry_departement"],
    "epci": ["code", "nom", "type", "deps", "geometry_departement"],
    "departements": ["code", "nom", REGION.column, "geometry_departement", "geometry_national"],
    "regions": ["code", "nom", "geometry_national"],
}


@dataclass(frozen=True)
class Atlas:
    """Communes (flagged per programme), EPCI, départements, régions, and the selection reports.

    Layers carry their display geometries (``geometry_departement``, ``geometry_national``);
    the source geometry of a layer comes from :meth:`source_geometry`.
    """

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    rattachees: pd.DataFrame
    meta: dict
    selections: dict[str, SelectionResult]  # per programme: its list in use joined to the communes
    descriptions: dict[str, ListInfo] = field(default_factory=dict)  # per programme, coverage resolved
    directory: Path | None = None
    fingerprint: str = ""  # identifies the data (build + lists): a key for stored maps
    _stats: dict = field(default_factory=dict, repr=False, compare=False)  # per level, computed once
    _names: dict = field(default_factory=dict, repr=False, compare=False)  # per level, read once

    def source_geometry(self, level: str) -> gpd.GeoSeries:
        """Source geometry of a layer (read from the build on demand), aligned on its codes."""
        if self.directory is None:
            raise BuildMissing("Atlas sans dossier de données : géométrie source indisponible.")
        path = Path(self.directory) / f"{Level.of(level).file}.parquet"
        table = _read_layer(path, ["code", "geometry"])
        layer = self.layer(level)
        return table.set_index("code").geometry.reindex(layer["code"].to_numpy())

    def layer(self, level: str) -> gpd.GeoDataFrame:
        """The layer of ``level`` (a :class:`~pvd_geo.levels.Level` key or address key)."""
        layers = {"commune": self.communes, "epci": self.epci, "departement": self.departements}
        return layers.get(Level.of(level).key, self.regions)

    def names(self, level: str) -> pd.Series:
        """Names of the territories of ``level`` by code (read once per level)."""
        key = Level.of(level).key
        if key not in self._names:
            self._names[key] = self.layer(key).set_index("code")["nom"].astype(str)
        return self._names[key]

    def name(self, level: str, code: str, default: str | None = None) -> str:
        """The name of one territory (``default``, else its code, when unknown)."""
        return str(self.names(level).get(code, code if default is None else default))

    def coverage(self, programme: str) -> Coverage:
        """Départements the programme's list speaks for (None: all); no list: none."""
        info = self.descriptions.get(programme)
        return info.couverture if info is not None else ()

    @property
    def coverages(self) -> dict[str, Coverage]:
        return {p: self.coverage(p) for p in {*programme_keys(), *self.descriptions}}

    def covers(self, programme: str, departements) -> bool:
        """Does the loaded list of ``programme`` speak for all these départements?"""
        return covers(self.coverage(programme), departements)

    def totals(self, departements: list[str]) -> dict:
        """Headline figures of the communes of ``departements`` (None where a list stops)."""
        inside = self.communes[self.communes[DEPARTEMENT.column].isin(departements)]
        return total(inside, self.coverages)

    def stats(self, level: str, departement: str | None = None) -> pd.DataFrame:
        """Figures per territory of ``level``, optionally those touching one département.

        A programme's figures are missing (NA) for a territory its list does not cover."""
        if level not in self._stats:  # the atlas is read-only: figures per level never change
            self._stats[level] = aggregate(self.communes, level, self.layer(level), self.coverages)
        table = self._stats[level]
        if departement is None:
            return table.copy()
        inside = self.communes[self.communes[DEPARTEMENT.column] == departement]
        if inside.empty:
            raise InvalidInput(f"département inconnu : {departement}")
        codes = set(inside[Level.of(level).column].dropna())
        return table[table["code"].isin(codes)].reset_index(drop=True)


def selection_files(directory: Path | None = None, embedded: Path | None = EMBEDDED_DIR) -> dict[str, Path]:
    """The list in use of each programme (the lists folder's, else the embedded default):
    ``pvd``, ``acv``, ``ort`` first, then users' own lists."""
    files = list_paths(directory if directory is not None else lists_dir(), embedded)
    return {k: files[k] for k in ordered(files)}


def _read_layer(path: Path, columns: list[str] | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
    if not path.exists():
        raise BuildMissing(f"Données géographiques absentes ({path.name}) : lancez « {BUILD_COMMAND} ».")
    try:
        if path.name == "rattachees.parquet":
            return pd.read_parquet(path)
        return _read_geoparquet(path, columns)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise BuildCorrupt(
            f"Fichier illisible {path} ({type(exc).__name__}) : relancez « {BUILD_COMMAND} »."
        ) from exc


def _read_geoparquet(path: Path, columns: list[str] | None) -> gpd.GeoDataFrame:
    """A GeoParquet file written by :mod:`pvd_geo.build` (WKB, one CRS per column).

    Twice as fast as ``gpd.read_parquet`` on the commune layer (no per-column CRS parsing):
    it counts on a fresh server, where the atlas is loaded before the first page is drawn.
    """
    table = pq.read_table(path, columns=columns)
    geo = json.loads(table.schema.metadata[b"geo"])
    frame = table.to_pandas()
    geometries = [c for c in frame.columns if c in geo["columns"]]
    crs = {json.dumps(geo["columns"][c].get("crs"), sort_keys=True) for c in geometries}
    if not geometries or len(crs) != 1:
        raise InvalidInput(f"colonnes géométriques inattendues : {geometries}")
    projection = geo["columns"][geometries[0]].get("crs")
    if isinstance(projection, dict) and "id" in projection:
        projection = f"{projection['id']['authority']}:{projection['id']['code']}"
    out = gpd.GeoDataFrame(
        {c: shapely.from_wkb(frame[c].to_numpy()) if c in geometries else frame[c] for c in frame.columns},
        geometry=geometries[0],
        crs=projection or "OGC:CRS84",
    )
    for c in geometries[1:]:
        out[c] = gpd.GeoSeries(out[c], crs=out.crs)
    return out


def read_build(directory: Path | None = None) -> dict[str, object]:
    """Read every layer of a build and its metadata (layers in parallel threads)."""
    directory = Path(directory) if directory is not None else build_dir()
    if not directory.exists():
        from .build import recover_build  # a build killed during its final swap

        recover_build(directory)
    meta_path = directory / META_FILE
    if not meta_path.exists():
        raise BuildMissing(f"Données géographiques absentes dans {directory} : lancez « {BUILD_COMMAND} ».")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BuildCorrupt(f"{meta_path} illisible : relancez « {BUILD_COMMAND} ».") from exc
    names = BUILD_LAYERS
    # reading display columns only promotes the first geometry column to primary: that is wanted
    # (a filter, not catch_warnings: the layers are read in threads)
    warnings.filterwarnings("ignore", message="Multiple non-primary geometry columns", category=UserWarning)
    with ThreadPoolExecutor(max_workers=4) as pool:
        frames = dict(
            zip(
                names,
                pool.map(lambda n: _read_layer(directory / f"{n}.parquet", LAYER_COLUMNS.get(n)), names),
            )
        )
    return {"meta": meta, "directory": directory, **frames}


def load_selections(
    communes: pd.DataFrame, rattachees: pd.DataFrame, directory: Path | None = None
) -> dict[str, SelectionResult]:
    """Read and join every selection list in use."""
    return {
        programme: join_selection(read_selection_csv(path), communes, rattachees, programme)
        for programme, path in selection_files(directory).items()
    }


def list_infos(
    communes: pd.DataFrame, selections: dict[str, SelectionResult], directory: Path | None = None
) -> dict[str, ListInfo]:
    """The description of each list in use, its coverage declared or inferred (see
    :func:`pvd_geo.coverage.coverage_of_codes`)."""
    out = {}
    for programme, path in selection_files(directory).items():
        info = read_info(path)
        if info is None:
            codes = selections[programme].codes if programme in selections else ()
            info = ListInfo(
                programme, coverage_of_codes(codes, communes), source=path.name, origine="importée"
            )
        out[programme] = info
    return out


def drawn_digest(built: dict) -> str:
    """A digest of what maps write as text (every territory's code and name, the communes' links
    to their EPCI and département) and of the layers' file sizes: a new build whose names changed
    gives new keys in the map store even when its metadata did not change."""
    digest = hashlib.sha256()
    for name in BUILD_LAYERS:
        frame = built.get(name)
        if frame is None:
            continue
        drawn = ("code", "nom", DEPARTEMENT.column, REGION.column, EPCI.column, "type_nom")
        columns = [c for c in drawn if c in frame.columns]
        values = pd.util.hash_pandas_object(frame[columns].astype(str), index=False).to_numpy()
        digest.update(f"|{name}:".encode() + values.tobytes())
        path = Path(built["directory"]) / f"{name}.parquet"
        digest.update(str(path.stat().st_size if path.exists() else -1).encode())
    return digest.hexdigest()[:16]


def load_atlas(directory: Path | None = None, lists: Path | None = None) -> Atlas:
    """Load the built layers and the selection lists into an :class:`Atlas`."""
    built = read_build(directory)
    selections = load_selections(built["communes"], built["rattachees"], lists)
    infos = list_infos(built["communes"], selections, lists)
    communes = flag_communes(built["communes"], {k: v.codes for k, v in selections.items()})
    digest = hashlib.sha256(json.dumps(built["meta"], sort_keys=True, ensure_ascii=False).encode())
    digest.update(str(len(built["communes"])).encode())
    digest.update(drawn_digest(built).encode())
    digest.update(registry_file().read_bytes())  # what a programme is called, drawn and counted as
    for programme, result in selections.items():
        digest.update(f"|{programme}:{','.join(sorted(result.codes))}".encode())
        digest.update(json.dumps(infos[programme].to_json(), sort_keys=True).encode())
    return Atlas(
        communes=communes,
        epci=built["epci"],
        departements=built["departements"],
        regions=built["regions"],
        rattachees=built["rattachees"],
        meta=built["meta"],
        selections=selections,
        descriptions=infos,
        directory=built["directory"],
        fingerprint=digest.hexdigest()[:24],
    )
