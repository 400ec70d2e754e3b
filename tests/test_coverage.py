"""Figures only where the list speaks: with the embedded Gard + Gers lists, every page and export
says where its figures stop (no national or regional count, never a false zero)."""

import pandas as pd
import pytest

from pvd_geo import coverage, credits, exports, figures, views

from .conftest import _text, app_for, html_tables


def test_coverage_helpers():
    assert coverage.infer_coverage({"30", "32"}, {str(i).zfill(2) for i in range(1, 96)}) == ("30", "32")
    assert (
        coverage.infer_coverage(
            {str(i).zfill(2) for i in range(1, 60)}, {str(i).zfill(2) for i in range(1, 96)}
        )
        is None
    )
    assert coverage.covers(None, ["75"]) and coverage.covers(("30", "32"), ["30"])
    assert not coverage.covers(("30", "32"), ["30", "34"]) and not coverage.covers((), ["30"])
    assert coverage.coverage_label(("30", "32"), {"30": "Gard", "32": "Gers"}) == "Gard et Gers"


@pytest.mark.parametrize(("params", "partial"), [({}, True), ({"reg": "76"}, True), ({"dep": "30"}, False)])
def test_drill_down_says_where_the_list_stops(params, partial, build_env):
    app = app_for("pages/1_Territoire.py")
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    warning = " ".join(w.value for w in app.warning)
    assert ("Gard et Gers seulement" in warning) is partial
    table = html_tables(app)[0]
    if partial:  # France's régions, Occitanie's départements: unknown outside the Gard and the Gers
        known = table[table["Communes PVD"].notna()]
        assert set(known["Nom"]) <= {"Gard", "Gers"} and table["Communes PVD"].isna().any()


def test_comparison_shows_no_figure_outside_the_list(build_env):
    app = app_for("pages/2_Comparer.py")
    app.query_params["t"] = "departement:30,departement:34"
    app.run()
    assert not app.exception, app.exception
    table = html_tables(app)[0]
    assert table.loc["Communes PVD", "Gard"] == 21 and pd.isna(table.loc["Communes PVD", "Hérault"])
    assert pd.isna(table.iloc[0, 2])  # no difference against an unknown figure
    assert "Gard et Gers seulement" in " ".join(w.value for w in app.warning)


def test_export_page_refuses_the_press_map_of_an_uncovered_region(build_env):
    app = app_for("pages/3_Exporter.py")
    app.query_params["t"] = "region:76"
    app.run()
    assert not app.exception, app.exception
    text = " ".join(w.value for w in app.warning)
    assert "Carte de presse refusée" in text and "Occitanie" in text and "charger la liste nationale" in text
    assert "python -m" not in text
    assert "France : liste PVD chargée : Gard et Gers seulement" in text.replace("\\", "")  # national map
    assert not [b for b in app.get("download_button") if b.proto.label.startswith("Télécharger la carte")]


def test_exports_leave_unknown_statuses_empty(atlas):
    communes = exports.territory_communes(atlas, [("departement", "30"), ("departement", "34")])
    herault, gard = communes[communes["departement"] == "34"], communes[communes["departement"] == "30"]
    assert (
        herault["pvd"].isna().all() and gard["pvd"].notna().all() and int((gard["pvd"] == "oui").sum()) == 21
    )
    text = exports.to_csv(communes, ";").decode("utf-8-sig")
    assert ";34;" in text
    table = exports.territory_stats(atlas, [("region", "76")], "departement")
    fig = figures.bar_chart(table, "t", credits.sources_line(atlas.meta, views.lists_json(atlas)))
    assert "couverts par la liste chargée" in fig.axes[0].get_title(loc="left")
    with pytest.raises(figures.CoverageError):
        figures.bar_chart(table[table["code"] == "34"], "t", "s")


def test_every_source_line_names_the_lists_and_their_coverage(atlas):
    line = credits.sources_line(atlas.meta, views.lists_json(atlas))
    assert "ANCT, liste PVD (sélection 2020-2021, extrait Gard et Gers) [Gard et Gers seulement]" in line
    assert "liste ACV" in line and "contours" in line
    assert line in figures.sources_text(atlas)


def test_overseas_departement_view_works_like_any_other(build_env):
    app = app_for("pages/1_Territoire.py")
    app.query_params["dep"] = "974"
    app.run()
    assert not app.exception, app.exception
    assert "La Réunion (974)" in app.title[0].value
    assert "Gard et Gers seulement" in " ".join(w.value for w in app.warning)
    assert "Sources" in _text(app)


def test_ort_table_keeps_signed_rows_only_and_strips_the_departement_prefix():
    from pvd_geo.sources.anct import read_selection_bytes

    table = (
        "Commune;Code commune;EPCI;Signée ?;Si signée, date de signature;Date prévisionnelle\n"
        "30 - Quissac;30210;CC du Piémont Cévenol;Signée;2023-09-26;\n"
        "30 - Sauve;30311;CC du Piémont Cévenol;Non signée;;2027-01-01\n"
        "32 - ;32208;;Signée;26/09/2023;\n"
    )
    rows = read_selection_bytes(table.encode("utf-8"))
    assert rows["code_fichier"].tolist() == ["30210", "32208"] and rows.attrs["non_signees"] == 1
    assert rows["nom_fichier"].tolist() == ["Quissac", ""]
    assert rows["date_signature"].tolist() == ["2023-09-26", "26/09/2023"]


def test_a_national_pvd_list_leaves_the_acv_figures_where_the_acv_list_stops(tmp_path, build_env):
    """After a national PVD import, the embedded ACV list still covers the Gard and the Gers only:
    « ACV : 0 » in Bretagne would be false."""
    import csv
    import io

    from .conftest import SHARED_DATA, run

    env = {**build_env, "PVD_LISTES_DIR": str(tmp_path / "listes")}
    national = SHARED_DATA / "current" / "anct_pvd_communes_2026.csv"
    out = run("import-selection", str(national), "--couverture", "nationale", "--yes", env=env)
    assert out.returncode == 0, out.stderr
    rows = {
        r["code"]: r
        for r in csv.DictReader(
            io.StringIO(run("stats", "--by", "region", "--format", "csv", env=env).stdout)
        )
    }
    bretagne = rows["53"]
    assert int(bretagne["pvd"]) > 0 and bretagne["couverture_pvd"] == "oui"
    assert bretagne["acv"] == "" and bretagne["couverture_acv"] == "non"


def test_a_declared_coverage_naming_no_departement_is_refused(tmp_path, build_env):
    """``--couverture ",,,"`` would save a list covering nothing (every figure hidden): refused,
    in French, nothing written (issue 22, item 10)."""
    from .conftest import run

    lists = tmp_path / "listes"
    env = {**build_env, "PVD_LISTES_DIR": str(lists)}
    path = tmp_path / "deux.csv"
    path.write_text("insee_com\n30210\n32208\n", encoding="utf-8")
    out = run("import-selection", str(path), "--couverture", ",,,", "--yes", env=env)
    assert out.returncode != 0 and "ne nomme aucun département" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and not (lists / "pvd.csv").exists()


def test_a_programme_whose_list_stops_says_so_on_web_and_press_maps(built_dir, tmp_path):
    """A PVD list of the Hérault alone with the embedded ACV list (Gard and Gers): the Hérault's
    maps do not draw the five ACV communes the loaded ACV list does not cover (Agde, Béziers…) —
    and their legends say so, instead of an ACV entry with no dot; the Gard's do not."""
    import shutil

    from pvd_geo.atlas import load_atlas
    from pvd_geo.auth import operator
    from pvd_geo.constants import EMBEDDED_DIR
    from pvd_geo.sources.selections import ListInfo, save_selection

    lists = tmp_path / "listes"
    lists.mkdir()
    for name in ("acv.csv", "acv.json"):
        shutil.copy(EMBEDDED_DIR / name, lists / name)
    built = load_atlas(built_dir, EMBEDDED_DIR)
    herault = built.communes[(built.communes["dep"] == "34") & (built.communes["population"] > 5000)]
    rows = pd.DataFrame({"code": herault["code"].head(5), "nom": herault["nom"].head(5)})
    save_selection(rows, "pvd", lists, ListInfo("pvd", ("34",), origine="importée"), writer=operator())
    atlas = load_atlas(built_dir, lists)
    assert atlas.covers("pvd", {"34"}) and not atlas.covers("acv", {"34"})

    labels = lambda spec: [i["label"] for i in spec["legend"]["items"]]  # noqa: E731
    spec = views.communes_map_spec(atlas, ["34"], None, "Hérault", "s")
    acv = next(label for label in labels(spec) if label.startswith("Action cœur de ville"))
    assert "hors de la liste chargée" in acv
    gard = views.communes_map_spec(built, ["30"], None, "Gard", "s")
    assert not any("hors de la liste" in label for label in labels(gard))

    svg = figures.encode(figures.static_map(atlas, [("departement", "34")]), "svg").decode()
    assert "hors de la liste chargée ici" in svg and "Petite ville de demain" in svg
