"""The programme registry: a fourth programme is one entry in ``programmes.toml`` and its list —
nothing else — and it is counted, shown, exported, drawn and published everywhere the others are."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from pvd_geo import exports, figures, programmes, publish, views
from pvd_geo.atlas import load_atlas
from pvd_geo.errors import InvalidInput
from pvd_geo.programmes import REGISTRY_FILE

from .conftest import CSV_EXTRA, CSV_HEADER, app_for, headline_figures, run

# « Villages d'avenir » (ANCT, 2023): the entry a maintainer would add, and nothing else
ENTRY = """
[vda]
nom = "Villages d'avenir"
court = "VDA"
legende = "Village d'avenir"
legende_pluriel = "Villages d'avenir"
communes = "VDA"
editeur = "ANCT"
mot_date = "lauréat le"
date_export = "date_laureat_vda"
colonne = "vda"
couleur = "#009E73"
style = "tirets"
"""


@pytest.fixture(scope="module")
def villages(built_dir, tmp_path_factory):
    """A registry with the fourth entry, and a lists folder holding its small list (four villages
    of the Gers, imported as an operator imports a list): (env, atlas, codes)."""
    root = tmp_path_factory.mktemp("registre")
    registry = root / "programmes.toml"
    registry.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + ENTRY, encoding="utf-8")
    atlas = load_atlas(built_dir)
    gers = atlas.communes[(atlas.communes["dep"] == "32") & ~atlas.communes["pvd"]]
    chosen = gers.sort_values("population").tail(4)
    fixture = root / "villages.csv"
    with fixture.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["insee_com", "lib_com", "date_signature"])
        writer.writerows([code, name, "2023-11-14"] for code, name in zip(chosen["code"], chosen["nom"]))
    lists = root / "listes"
    env = {
        "PVD_BUILD_DIR": str(built_dir),
        "PVD_CACHE_DIR": str(root / "cache"),
        "PVD_LISTES_DIR": str(lists),
        "PVD_PROGRAMMES": str(registry),
    }
    full = {**os.environ, **env}
    out = run("import-selection", str(fixture), "--programme", "vda", "--couverture", "32", "--yes", env=full)
    assert out.returncode == 0, out.stdout + out.stderr
    return full, env, sorted(chosen["code"]), dict(zip(chosen["code"], chosen["nom"]))


@pytest.fixture
def with_villages(villages, monkeypatch):
    full, env, codes, names = villages
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return full, load_atlas(), codes, names


def test_the_registry_has_the_three_programmes_and_one_principal():
    assert programmes.programme_keys() == ["pvd", "acv", "ort"]
    assert programmes.principal().key == "pvd"
    assert programmes.get("ma_liste").legende == "Programme « ma_liste »"  # no entry: still shown


def test_a_broken_registry_entry_is_refused_in_french(tmp_path, monkeypatch):
    bad = tmp_path / "programmes.toml"
    bad.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + ENTRY.replace('style = "tirets"', ""))
    monkeypatch.setenv("PVD_PROGRAMMES", str(bad))
    with pytest.raises(InvalidInput, match=r"\[vda\] : champs manquants style"):
        programmes.registry()


def test_a_fourth_programme_is_counted_in_stats_columns_at_the_end(villages):
    full, _, codes, _ = villages
    out = run("stats", "--by", "departement", "--format", "csv", env=full)
    assert out.returncode == 0, out.stderr
    header = out.stdout.splitlines()[0]
    assert header == f"{CSV_HEADER},{CSV_EXTRA},millesime_population,vda,couverture_vda"  # contract kept
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    assert (rows["32"]["vda"], rows["32"]["couverture_vda"]) == (str(len(codes)), "oui")
    assert (rows["30"]["vda"], rows["30"]["couverture_vda"]) == ("", "non")  # its list covers the Gers
    assert rows["32"]["pvd"] == "24"  # the others unchanged
    records = json.loads(run("stats", "--by", "region", "--format", "json", env=full).stdout)
    assert all("vda" in r for r in records)


def test_a_fourth_programme_on_the_overview_commune_page_and_comparison(with_villages):
    _, _, codes, names = with_villages
    app = app_for("dashboard.py")
    app.run()
    assert not app.exception, app.exception
    metrics = headline_figures(app)
    assert metrics["Communes Villages d'avenir"] == "–"  # Gard + Gers: its list covers the Gers only
    app = app_for("dashboard.py")
    app.query_params["deps"] = "32"
    app.run()
    assert headline_figures(app)["Communes Villages d'avenir"] == str(len(codes))

    app = app_for("pages/1_Territoire.py")
    app.query_params["com"] = codes[0]
    app.run()
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "**Villages d'avenir** : oui, lauréat le 14 novembre 2023" in text
    assert "autres communes VDA de l'EPCI" in text

    app = app_for("pages/2_Comparer.py")
    app.run()
    assert not app.exception, app.exception
    table = " ".join(h.proto.body for h in app.get("html"))
    assert "Communes VDA" in table


def test_a_fourth_programme_in_exports_and_maps(with_villages):
    _, atlas, codes, names = with_villages
    communes = exports.territory_communes(atlas, [("departement", "32")])
    assert list(communes.columns[-9:-1]) == [  # statuses, then dates, then the geometry
        "pvd",
        "acv",
        "ort_signee",
        "vda",
        "date_convention_pvd",
        "date_convention_acv",
        "date_signature_ort",
        "date_laureat_vda",
    ]
    assert sorted(communes.loc[communes["vda"] == "oui", "code_insee"]) == codes
    assert set(communes.loc[communes["code_insee"].isin(codes), "date_laureat_vda"]) == {"2023-11-14"}
    geojson = json.loads(exports.to_geojson(communes))
    flagged = {f["properties"]["code_insee"] for f in geojson["features"] if f["properties"]["vda"] == "oui"}
    assert sorted(flagged) == codes
    gard = exports.territory_communes(atlas, [("departement", "30")])
    assert gard["vda"].isna().all()  # outside its list: unknown, not « non »

    spec = views.communes_map_spec(atlas, ["32"], None, "Gers", "Sources : test.")
    item = next(i for i in spec["legend"]["items"] if i["label"].startswith("Village d'avenir"))
    assert item == {"line": "#009E73", "dash": "dashed", "label": "Village d'avenir"}
    bit = next(b for b, colour in spec["extras"] if colour == "#009E73")
    drawn = {c for c, s in zip(spec["rows"]["c"], spec["rows"]["s"], strict=True) if s & bit}
    assert sorted(drawn) == codes
    assert [bit, "Village d'avenir"] in spec["statuses"]  # the tooltip's words
    hors = views.communes_map_spec(atlas, ["30"], None, "Gard", "s")
    assert any(
        i["label"] == "Village d'avenir — hors de la liste chargée ici : non montrées"
        for i in hors["legend"]["items"]
    )

    svg = figures.encode(figures.static_map(atlas, [("departement", "32")]), "svg").decode()
    assert "Village d&#39;avenir" in svg or "Village d'avenir" in svg


def test_a_fourth_programme_on_the_published_site(with_villages, tmp_path):
    _, atlas, codes, names = with_villages
    out = tmp_path / "site"
    publish.publish(atlas, out, only=["32"])
    page = (out / "departement" / "32.html").read_text(encoding="utf-8")
    assert "Communes VDA" in page
    assert all(names[c].replace("'", "&#x27;") in page or names[c] in page for c in codes)
    script = (out / "departement" / "32.js").read_text(encoding="utf-8")
    assert "Village d'avenir" in script or "Village d\\u0027avenir" in script
    table = (out / "departement" / "32.csv").read_text(encoding="utf-8-sig")
    assert "vda" in table.splitlines()[0]
