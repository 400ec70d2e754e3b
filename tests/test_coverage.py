"""Figures only where the list speaks: with the embedded Gard + Gers lists, every page and export
says where its figures stop (no national or regional count, never a false zero)."""

import pandas as pd
import pytest

from pvd_geo import coverage, exports, figures, views

from .test_app import _text, app_for


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
    table = app.dataframe[0].value
    if partial:  # France's régions, Occitanie's départements: unknown outside the Gard and the Gers
        known = table[table["Communes PVD"].notna()]
        assert set(known["Nom"]) <= {"Gard", "Gers"} and table["Communes PVD"].isna().any()


def test_comparison_shows_no_figure_outside_the_list(build_env):
    app = app_for("pages/2_Comparer.py")
    app.query_params["t"] = "departement:30,departement:34"
    app.run()
    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert table.loc["Communes PVD", "Gard"] == 21 and pd.isna(table.loc["Communes PVD", "Hérault"])
    assert pd.isna(table.iloc[0, 2])  # no difference against an unknown figure
    assert "Gard et Gers seulement" in " ".join(w.value for w in app.warning)


def test_export_page_refuses_the_press_map_of_an_uncovered_region(build_env):
    app = app_for("pages/3_Exporter.py")
    app.query_params["t"] = "region:76"
    app.run()
    assert not app.exception, app.exception
    text = " ".join(w.value for w in app.warning)
    assert "Carte de presse refusée" in text and "Occitanie" in text and "python -m pvd_geo update" in text
    assert "France : liste PVD chargée : Gard et Gers seulement" in text.replace("\\", "")  # national map
    assert not [b for b in app.button if b.label == "Préparer la carte"]


def test_exports_leave_unknown_statuses_empty(atlas):
    communes = exports.territory_communes(atlas, [("departement", "30"), ("departement", "34")])
    herault, gard = communes[communes["departement"] == "34"], communes[communes["departement"] == "30"]
    assert herault["pvd"].isna().all() and gard["pvd"].notna().all() and int(gard["pvd"].sum()) == 21
    text = exports.to_csv(communes, ";").decode("utf-8-sig")
    assert ";34;" in text
    table = exports.territory_stats(atlas, [("region", "76")], "departement")
    fig = figures.bar_chart(table, "t", views.sources_line(atlas))
    assert "couverts par la liste chargée" in fig.axes[0].get_title(loc="left")
    with pytest.raises(figures.CoverageError):
        figures.bar_chart(table[table["code"] == "34"], "t", "s")


def test_every_source_line_names_the_lists_and_their_coverage(atlas):
    line = views.sources_line(atlas)
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
