"""All of France on the national maps: the overseas départements in insets, Corsica and every
metropolitan département in the frame (the départements 01–06 are not overseas régions)."""

import shapely

from pvd_geo import views


def test_every_region_and_departement_frame_holds_its_territory(atlas):
    deps = atlas.departements
    for reg in atlas.regions["code"]:
        layer = deps[deps["reg"] == reg]
        minx, miny, maxx, maxy = views.main_bounds(layer, "geometry_departement")
        frame = shapely.box(minx - 1e-9, miny - 1e-9, maxx + 1e-9, maxy + 1e-9)
        assert frame.contains(shapely.union_all(layer["geometry_departement"].to_numpy())), reg
    paca = deps[deps["reg"] == "93"]
    assert views.main_bounds(paca, "geometry_departement")[2] > 7.5  # Nice and the Alpes-Maritimes
    for code in deps["code"]:  # a département's communes map frames all its communes
        sc = views.scope(atlas, [code])
        union = shapely.union_all(sc.communes["geometry_departement"].to_numpy())
        minx, miny, maxx, maxy = sc.bounds
        assert shapely.box(minx - 1e-9, miny - 1e-9, maxx + 1e-9, maxy + 1e-9).contains(union), code


def test_national_frame_is_metropolitan_france_with_corsica(atlas):
    minx, miny, maxx, maxy = views.main_bounds(atlas.regions, "geometry_national")
    corse = atlas.regions.set_index("code").loc["94", "geometry_national"].bounds
    assert minx < -4.5 and maxx >= corse[2] and miny <= corse[1] and maxy > 51
    assert maxx < 10 and miny > 41  # no overseas in the metropolitan frame


def test_overseas_are_moved_into_their_insets_and_clicks_come_back(atlas):
    found = views.national_insets(atlas)
    assert [i.code for i in found] == ["971", "972", "973", "974", "976"]
    moved = views.with_insets(atlas.departements, "geometry_national", "departement", found).set_index("code")
    boxes = {i.code: shapely.box(*i.box) for i in found}
    for code, box in boxes.items():
        assert box.contains(moved.loc[code, "geometry_national"]), code
    for a in boxes.values():  # insets do not overlap each other nor metropolitan France
        assert sum(a.intersects(b) for b in boxes.values()) == 1
        assert not a.intersects(moved.loc["29", "geometry_national"])  # Finistère
    assert moved.loc["30", "geometry_national"].equals(
        atlas.departements.set_index("code").loc["30", "geometry_national"]
    )
    # La Réunion drawn in its inset keeps its code (a click on it sends "974")
    spec = views.territories_map_spec(atlas, "departement", None, "France", "s")
    assert "974" in spec["rows"]["c"] and "30" in spec["rows"]["c"]


def test_national_web_map_draws_the_insets(atlas):
    found = views.national_insets(atlas)
    layer = atlas.departements.assign(pvd=1, acv=0)
    layer = views.with_insets(layer, "geometry_national", "departement", found)
    minx, miny, maxx, maxy = layer["geometry_national"].total_bounds  # all France, insets included
    assert -11 < minx < -9 and maxx < 10 and miny > 41 and maxy < 51.5
    regions = views.with_insets(atlas.regions, "geometry_national", "region", found).set_index("code")
    assert regions.loc["84", "geometry_national"].equals(
        atlas.regions.set_index("code").loc["84", "geometry_national"]
    )
    assert shapely.box(*found[0].box).contains(regions.loc["01", "geometry_national"])  # région Guadeloupe
    points = atlas.communes[atlas.communes["pvd"]].set_geometry("geometry_departement").representative_point()
    spec = views.territories_map_spec(atlas, "departement", None, "France", "s")
    # PVD as proportional symbols, one per département with a PVD, their counts adding up
    pvd = atlas.communes[atlas.communes["pvd"]]
    assert len(spec["symbols"]["points"]) == pvd["dep"].nunique() and spec["insets"]
    assert sum(p[2] for p in spec["symbols"]["points"]) == len(points)
    assert spec["symbols"]["max"] == int(pvd["dep"].value_counts().max())
    # a classed key with swatches, the hatching of what the list does not cover, the régions named
    labels = [i.get("label") for i in spec["legend"]["items"]]
    assert "moins de 5 %" in labels and "20 % et plus" in labels
    assert "Hors de la liste chargée (nombre inconnu)" in labels
    named = {n[0] for n in spec["names"]}
    assert {"Occitanie", "Bretagne", "Île-de-France"} <= named and "Gard" not in named
    rows = dict(zip(spec["rows"]["c"], spec["rows"]["v"], strict=True))
    assert rows["30"] == int((pvd["dep"] == "30").sum()) and rows["01"] is None  # Ain: not covered
    assert [p[0] for p in spec["panels"]] == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    assert {"text": "Outre-mer en cartouches (échelles différentes)"} in spec["legend"]["items"]
