"""View models and folium maps on the real data: search, URL state, comparison, escaped HTML."""

import html
import re

import pytest

from pvd_geo import maps, views


def test_search_ignores_case_accents_hyphens_article(atlas):
    hits = views.search_communes(atlas, "grau du roi")
    assert hits.loc[0, "nom"] == "Le Grau-du-Roi"
    isle = views.search_communes(atlas, "isle jourdain")
    assert {"32160", "86112"} <= set(isle["code"])
    assert any("Gers" in label for label in isle["libelle"]) and any(
        "Vienne" in label for label in isle["libelle"]
    )


def test_resolve_fills_parents_and_drops_unknown(atlas):
    loc = views.resolve(atlas, {"com": "30210"})
    assert loc.params() == {"reg": "76", "dep": "30", "epci": "200034411", "com": "30210"}
    assert loc.up().level == "epci"
    assert views.resolve(atlas, {"dep": "999"}).level == "france"
    crumbs = [label for label, _ in views.breadcrumb(atlas, loc)]
    assert crumbs == ["France", "Occitanie", "Gard", "CC du Piémont Cévenol", "Quissac"]


def test_locate_click(atlas):
    quissac = atlas.communes.set_index("code").loc["30210", "geometry_departement"].representative_point()
    assert views.locate(atlas, "commune", quissac.y, quissac.x) == "30210"
    assert views.locate(atlas, "departement", quissac.y, quissac.x) == "30"


def test_compare_gard_gers(atlas):
    table = views.compare(atlas, [("departement", "30"), ("departement", "32")])
    assert table.loc["Communes PVD", "Gard"] == 21 and table.loc["Communes PVD", "Gers"] == 24
    assert table.loc["Communes PVD", "Écart (Gard − Gers)"] == -3


def test_common_zoom_is_shared():
    gard, gers = (3.26, 43.46, 4.85, 44.46), (-0.28, 43.31, 1.2, 44.08)
    zoom = maps.common_zoom([gard, gers], 600, 460)
    assert zoom == maps.common_zoom([gers, gard], 600, 460)
    assert 7 <= zoom <= 9


def _map(sc, communes=None, **kwargs):
    """The communes map of a scope (tests only need its HTML)."""
    return maps.communes_map(
        communes if communes is not None else sc.communes,
        sc.epci,
        sc.departements,
        sc.background,
        maps.MapAssets("a.js", "a.css"),
        title="t",
        sources="s",
        population_label="p",
        **kwargs,
    )


@pytest.fixture(scope="module")
def overview_html(atlas):
    sc = views.scope(atlas, ["30", "32"])
    fmap = maps.communes_map(
        sc.communes,
        sc.epci,
        sc.departements,
        sc.background,
        maps.MapAssets("/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"),
        title="Gard et Gers",
        sources="Sources : test",
        population_label="p",
    )
    return maps.render(fmap)


def test_map_has_no_cdn_and_has_legend_sources_tooltips(overview_html):
    assert "cdn." not in overview_html and "code.jquery.com" not in overview_html
    assert "/app/static/vendor/leaflet/leaflet.js" in overview_html
    legend = overview_html.replace("\\u00e9", "é")  # the legend travels JSON-escaped in the script
    assert "Commune sélectionnée" in legend and "Sources : test" in overview_html
    assert "Le Grau-du-Roi" in overview_html and "Quissac" in overview_html
    assert len(overview_html) < 700_000  # measured in benchmarks; a guard against a regression in size


def test_hostile_names_are_escaped(atlas):
    sc = views.scope(atlas, ["32"])
    hostile = "<img src=x onerror=alert(1)>"
    communes = sc.communes.copy()
    communes.loc[communes["code"] == "32107", "nom"] = hostile
    fmap = _map(sc, communes)
    page = maps.render(fmap)
    # strings travel JSON-encoded in the script: once decoded, the name is text, never a tag
    assert hostile not in page
    assert "\\u003cimg" not in page
    assert html.escape(hostile).replace("&", "\\u0026") in page


def test_a_deep_copied_map_keeps_its_legend(atlas):
    import copy

    sc = views.scope(atlas, ["30"])
    fmap = _map(sc)
    page = maps.render(copy.deepcopy(fmap))
    assert "pvd-legend" in page and "pvd-sources" in page and "pvd-label" in page


def test_departement_map_names_its_pvd_communes_at_the_zoom_it_opens_with(atlas):
    """One département: names shown at the fitted zoom, even below the label zoom (narrow maps);
    two départements: names only from the label zoom on."""
    one = maps.render(_map(views.scope(atlas, ["30"])))
    two = maps.render(_map(views.scope(atlas, ["30", "32"])))
    assert "threshold = Math.min(threshold, map.getZoom()" in one
    assert "Math.min(threshold" not in two and "pvd-label" in two


def test_map_has_fullscreen_and_print_buttons(overview_html):
    assert "Plein \\u00e9cran" in overview_html or "Plein écran" in overview_html
    assert "window.print()" in overview_html and "requestFullscreen" in overview_html


def test_other_named_selections_get_their_own_style(atlas):
    sc = views.scope(atlas, ["30"])
    communes = sc.communes.assign(mon_programme=sc.communes["code"].isin(["30210", "30263"]))
    fmap = _map(sc, communes, programmes=["pvd", "mon_programme"])
    page = maps.render(fmap)
    assert maps.EXTRA_COLOURS[0] in page and "dashArray" in page
    assert "mon_programme" in page.replace("\\u00ab", "«")


def test_level_views_and_children(atlas):
    france = views.level_view(atlas, views.Location())
    assert france.map_level == "region" and france.options["76"] == "Occitanie"
    gard = views.resolve(atlas, {"dep": "30"})
    view = views.level_view(atlas, gard)
    assert view.map_level == "commune" and view.departements == ["30"]
    outside = view.table.loc[view.table["couverture_pvd"] == "non", "code"]
    in_outside = atlas.communes[(atlas.communes["dep"] == "30") & atlas.communes["epci"].isin(outside)]
    assert int(view.table["pvd"].sum()) + int(in_outside["pvd"].sum()) == 21 and "200034411" in view.options
    # a commune clicked on the département map opens its EPCI; a commune chosen in an EPCI opens its page
    assert views.child_location(atlas, gard, "30210").epci == "200034411"
    epci = views.resolve(atlas, {"epci": "200034411"})
    assert views.child_location(atlas, epci, "30210").level == "com"
    assert views.level_view(atlas, epci).options["30210"] == "Quissac"


def test_bar_chart_is_escaped_sorted_and_french(atlas):
    from pvd_geo import ui

    table = views.counts(atlas, "epci", ["30", "32"])
    table.loc[table.index[0], "nom"] = "<img src=x onerror=alert(1)>"
    page = ui.bars_html(table, top=10)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    shown = table.head(10)
    values = [int(v) for v in re.findall(r'class="pvd-bar-value">(\d+)<', page)]
    assert values == sorted(shown["pvd"], reverse=True) and len(values) == 10
    assert "les 10 premiers" in page
    big = table.copy()
    big.loc[big.index[0], "pvd"] = 1234
    assert "1\u202f234" in ui.bars_html(big, top=3)  # French thousands separator


def test_scope_bounds_are_the_bounds_of_the_scope(atlas):
    """The compared maps' shared zoom uses scope_bounds: the frame of scope() without its layers."""
    for departements, epci in ((["30", "32"], None), (["2A"], None), ([], "200034692")):
        assert views.scope_bounds(atlas, departements, epci) == views.scope(atlas, departements, epci).bounds
