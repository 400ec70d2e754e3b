"""View models and web maps on the real data: search, URL state, comparison, escaped names."""

import json
import re
from dataclasses import replace

import folium
import numpy as np
import shapely

from pvd_geo import assets, topo, views
from pvd_geo.stats import headers
from pvd_geo.webmap import maps
from pvd_geo.webmap import spec as webmap
from pvd_geo.webmap.plugins import Assets
from pvd_geo.webmap.plugins.base import dumps


def test_search_index_holds_every_territory_once(atlas):
    """The browser's search index: four sections named by the levels' address keys, every
    territory of the atlas once, a commune with its population (hundreds) and its PVD mark."""
    import gzip

    text = views.index_text(atlas)
    assert gzip.decompress(views.index_gzip(atlas)).decode() == text
    assert views.index_gzip(atlas) == views.index_gzip(atlas)  # same data, same bytes
    sections, current = {}, None
    for line in text.splitlines():
        if line.startswith("#"):
            current = sections.setdefault(line[1:], [])
        else:
            current.append(line.split("\t"))
    assert list(sections) == ["reg", "dep", "epci", "com"]
    assert len(sections["com"]) == len(atlas.communes) and len(sections["epci"]) == len(atlas.epci)
    assert len(sections["dep"]) == len(atlas.departements) and len(sections["reg"]) == len(atlas.regions)
    quissac = next(f for f in sections["com"] if f[0] == "30210")
    population = int(atlas.communes.set_index("code").loc["30210", "population"])
    assert quissac == ["30210", "Quissac", str(population // 100), "1"]  # a PVD of the Gard
    assert next(f for f in sections["com"] if f[0] == "30001")[3] == ""  # Aigaliers: not selected
    assert ["30", "Gard", "76"] in sections["dep"]
    assert next(f for f in sections["epci"] if f[0] == "200034411")[1:] == ["CC du Piémont Cévenol", "30"]


def test_search_index_names_cannot_break_its_lines(atlas):
    odd = atlas.communes.copy()
    odd.loc[odd["code"] == "30210", "nom"] = "Quis\tsac\n#reg\r"
    text = views.index_text(replace(atlas, communes=odd))
    assert "30210\tQuis sac #reg\t" in text
    assert text.count("\n#reg\n") == 0 and text.startswith("#reg\n")


def test_search_index_file_is_written_once_and_old_ones_pruned(atlas, tmp_path):
    from pvd_geo.ui import search

    for n in range(search.KEPT + 2):  # older indexes of other data versions
        old = tmp_path / f"index-{n:024x}-1.tsv"
        old.write_text("x")
        (tmp_path / f"{old.name}.gz").write_bytes(b"x")
    name = search.ensure_index(atlas, tmp_path)
    assert name == search.index_name(atlas) and atlas.fingerprint in name
    assert (tmp_path / f"{name}.gz").read_bytes() == views.index_gzip(atlas)
    assert (tmp_path / name).read_text(encoding="utf-8") == views.index_text(atlas)
    assert len(list(tmp_path.glob("index-*.tsv.gz"))) == search.KEPT
    assert len(list(tmp_path.glob("index-*.tsv"))) == search.KEPT
    assert not list(tmp_path.glob(".*tmp"))


def test_search_choice_is_checked_on_the_server(atlas):
    """The browser sends « level:code »; only a level and a code of the loaded atlas open a page."""
    from pvd_geo.ui.search import chosen

    assert chosen(atlas, "com:30210") == {"com": "30210"}
    assert chosen(atlas, "dep:32") == {"dep": "32"}
    assert chosen(atlas, "epci:200034411") == {"epci": "200034411"}
    assert chosen(atlas, "reg:76") == {"reg": "76"}
    for bad in ("com:99999", "dep:999", "pays:FR", "30210", None, 42, "com:" + "3" * 60, "reg:30"):
        assert chosen(atlas, bad) is None, bad


def test_resolve_fills_parents_and_drops_unknown(atlas):
    loc = views.resolve(atlas, {"com": "30210"})
    assert loc.params() == {"reg": "76", "dep": "30", "epci": "200034411", "com": "30210"}
    assert loc.up().level == "epci"
    assert views.resolve(atlas, {"dep": "999"}).level == "france"
    crumbs = [label for label, _ in views.breadcrumb(atlas, loc)]
    assert crumbs == ["France", "Occitanie", "Gard", "CC du Piémont Cévenol", "Quissac"]


def test_compare_gard_gers(atlas):
    table = views.compare(atlas, [("departement", "30"), ("departement", "32")])
    assert table.loc["Communes PVD", "Gard"] == 21 and table.loc["Communes PVD", "Gers"] == 24
    assert table.loc["Communes PVD", "Écart (Gard − Gers)"] == -3


def test_common_zoom_is_shared():
    gard, gers = (3.26, 43.46, 4.85, 44.46), (-0.28, 43.31, 1.2, 44.08)
    zoom = webmap.common_zoom([gard, gers], 600, 460)
    assert zoom == webmap.common_zoom([gers, gard], 600, 460)
    assert 7 <= zoom <= 9


def _map(sc, communes=None, **kwargs) -> dict:
    """The communes map of a scope, as the browser receives it (JSON text, decoded)."""
    spec = webmap.communes_spec(
        communes if communes is not None else sc.communes,
        sc.background,
        epci=sc.epci,
        title="t",
        sources="s",
        population_label="p",
        **kwargs,
    )
    return json.loads(dumps(spec))


DASHBOARD = Assets(vendor="/app/static/vendor/", own="/app/static/vendor/atlas/", version="v1")


def test_a_map_is_a_folium_map_loading_only_the_atlas_files_and_light(atlas):
    """A folium.Map with the atlas's plugins: every script and style from the atlas itself
    (folium's CDN defaults replaced: no jQuery, Bootstrap or Font Awesome); the Gard + Gers map has
    its legend, sources and names and its data weigh less than 150 KB."""
    spec = views.communes_map_spec(atlas, ["30", "32"], None, "Gard et Gers", "Sources : test")
    parts = maps.prepare(spec)
    fmap = maps.atlas_map(parts, DASHBOARD)
    assert isinstance(fmap, folium.Map)
    js, css = maps.links(fmap)
    assert all(u.startswith("/app/static/vendor/") for u in js + css)
    for name in (*assets.MAP_JS, *assets.MAP_CSS):
        assert any(u.split("?")[0] == "/app/static/vendor/" + name for u in js + css), name
    page = fmap.get_root().render()
    assert "://" not in page.replace("http://www.w3.org", "")  # nothing from another host
    layer, controls = json.loads(parts["layer"]), json.loads(parts["controls"])
    assert controls["legend"]["items"][0]["label"] == "Petite ville de demain"
    assert controls["sources"] == "Sources : test"
    assert {"Le Grau-du-Roi", "Quissac"} <= set(layer["rows"]["n"])
    assert sum(len(v.encode()) for v in parts.values()) < 150_000


def test_a_bundled_map_loads_one_script_and_one_stylesheet_holding_every_file_in_order(atlas):
    """The dashboard's and the site's maps load the bundle: every file of the unbundled map,
    concatenated in the same loading order (Leaflet first), Leaflet's images still found."""
    parts = maps.prepare(views.communes_map_spec(atlas, ["30"], None, "Gard", "s"))
    bundled = Assets(vendor="/v/", own="/v/atlas/", version="v1", bundled=True)
    one = (["/v/bundle/atlas.js?v=v1"], ["/v/bundle/atlas.css?v=v1"])
    assert maps.links(maps.atlas_map(parts, bundled)) == one
    js, css = maps.links(maps.atlas_map(parts, Assets(vendor="/v/", own="/v/atlas/")))
    texts = assets.bundle_texts()
    script, style = texts["bundle/atlas.js"].decode(), texts["bundle/atlas.css"].decode()
    expected = [u.removeprefix("/v/").replace("atlas/", "own/", 1) for u in js]
    found = re.findall(r"^/\* (?:vendor|own)/(\S+) \*/$", script, flags=re.M)
    assert [("own/" + f if not f.count("/") else f) for f in found] == expected
    assert "pvdAtlas" in script and "sourceMappingURL" not in script
    sheets = re.findall(r"^/\* (?:vendor|own)/(\S+) \*/$", style, flags=re.M)
    assert [("own/" + f if not f.count("/") else f) for f in sheets] == [
        u.removeprefix("/v/").replace("atlas/", "own/", 1) for u in css
    ]
    assert "url(../leaflet/images/layers.png)" in style and "url(images/" not in style
    for url in re.findall(r"url\(\.\./([^)]+)\)", style):
        assert (assets.VENDOR_DIR / url).is_file(), url


def test_plugins_are_folium_plugins_in_order(atlas):
    """Each concern is a folium plugin (JSCSSMixin + MacroElement, its own script file), rendered
    in order into the map's script: panels first, the view after the controls and before the layer."""
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin

    fmap = maps.atlas_map(maps.prepare(views.communes_map_spec(atlas, ["30"], None, "Gard", "s")), DASHBOARD)
    plugins = list(fmap._children.values())
    assert [type(p).__name__ for p in plugins] == [
        "Panels",
        "LegendSources",
        "Recentre",
        "CompactLayer",
        "Labels",
        "Gestures",
    ]
    for plugin in plugins:
        assert isinstance(plugin, JSCSSMixin) and isinstance(plugin, MacroElement)
        assert (assets.OWN_DIR / plugin.script).is_file()
    script = maps.site_script(fmap)
    calls = re.findall(r"pvdAtlas\.(\w+)\(map_atlas,", script)
    assert calls == ["panels", "controls", "recentre", "layer", "labels", "gestures"]


def test_topology_gives_back_every_ring(atlas):
    """The TopoJSON of a département: each commune's rings, decoded from the shared arcs (as text),
    are its rings on the grid; borders shared by two communes are stored once."""
    sc = views.scope(atlas, ["30"])
    geoms = list(shapely.set_precision(sc.communes["geometry_departement"].to_numpy(), 1e-3))
    full = topo.topology({"communes": (geoms, [{}] * len(geoms))})
    compact = topo.compact(full)
    assert [topo.decode_arc(a) for a in compact["arcs"]] == full["arcs"]
    for rings, geometry in zip(compact["objects"]["communes"], full["objects"]["communes"]["geometries"]):
        if geometry["type"] == "Polygon":
            assert [topo.decode_ring(r) for r in rings] == geometry["arcs"]
        else:
            assert [[topo.decode_ring(r) for r in p] for p in rings] == geometry["arcs"]
    decoded = topo.decode_rings(full, "communes")
    for geom, rings in zip(geoms, decoded, strict=True):
        for polygon, back in zip(topo._rings(geom, 1000), rings, strict=True):
            for ring, again in zip(polygon, back, strict=True):
                again = again[:-1]
                starts = np.flatnonzero((again == ring[0]).all(axis=1))
                assert any((np.roll(again, -k, axis=0) == ring).all() for k in starts)
    points = sum(len(r) for g in geoms for p in topo._rings(g, 1000) for r in p)
    assert sum(len(a) for a in full["arcs"]) < 0.8 * points  # shared borders once


def test_distant_departements_are_panels_side_by_side(atlas):
    sc = views.scope(atlas, ["30", "32"])
    assert [p.codes for p in sc.panels] == [("32",), ("30",)]  # west to east
    gers, gard = (p.box for p in sc.panels)
    assert gers[2] < gard[0]  # side by side, not overlapping
    width = sc.bounds[2] - sc.bounds[0]
    real = atlas.communes.loc[atlas.communes["dep"].isin(["30", "32"]), "geometry_departement"].total_bounds
    assert width < 0.75 * (real[2] - real[0])  # the empty land between is gone
    assert views.scope_bounds(atlas, ["30", "32"]) == sc.bounds
    for panel in sc.panels:  # each panel shows its whole département
        moved = sc.communes[sc.communes["dep"] == panel.codes[0]]["geometry_departement"]
        assert shapely.box(*panel.box).contains(shapely.box(*moved.total_bounds))
    # Nîmes, moved into the Gard's panel, keeps its code: a click on it sends "30189"
    nimes = atlas.communes.set_index("code").loc["30189", "geometry_departement"].representative_point()
    x, y = sc.panels[1].forward(np.array([[nimes.x, nimes.y]]))[0]
    drawn = sc.communes.set_index("code")["geometry_departement"]
    assert drawn.loc["30189"].contains(shapely.Point(x, y))
    assert views.scope(atlas, ["30", "34"]).panels == []  # neighbours: one map


def test_hostile_names_are_escaped(atlas):
    sc = views.scope(atlas, ["32"])
    hostile = "<img src=x onerror=alert(1)>"
    communes = sc.communes.copy()
    communes.loc[communes["code"] == "32107", "nom"] = hostile
    spec = webmap.communes_spec(
        communes, sc.background, epci=sc.epci, title="t", sources="s", population_label="p"
    )
    text = dumps(spec)
    # JSON-escaped (\\u003c): safe inside a <script> element of the static pages; decoded, the name
    # is text (the plugins put it in with textContent)
    assert hostile not in text and "\\u003cimg" in text
    assert hostile in json.loads(text)["rows"]["n"]


def test_departement_map_names_its_pvd_communes_at_the_zoom_it_opens_with(atlas):
    """One département (or one per panel): names shown at the fitted zoom, even below the label
    zoom (narrow maps); two neighbouring départements: names only from the label zoom on."""
    one = _map(views.scope(atlas, ["30"]))
    sc = views.scope(atlas, ["30", "32"])  # two panels, each one département
    panels = _map(sc, panels=[(p.name, p.box) for p in sc.panels], bounds=sc.bounds)
    two = _map(views.scope(atlas, ["30", "34"]))  # neighbours: one wide map
    assert one["labels"]["atFit"] and panels["labels"]["atFit"] and not two["labels"]["atFit"]
    assert two["labels"]["min"] == webmap.LABEL_MIN_ZOOM


def test_other_named_selections_get_their_own_style(atlas):
    sc = views.scope(atlas, ["30"])
    communes = sc.communes.assign(mon_programme=sc.communes["code"].isin(["30210", "30263"]))
    spec = _map(sc, communes, programmes=["pvd", "mon_programme"])
    assert spec["extras"] == [[webmap.EXTRA_BIT, webmap.EXTRA_COLOURS[0]]]
    assert spec["legend"]["items"][-1]["label"] == "Programme « mon_programme »"
    flagged = [c for c, s in zip(spec["rows"]["c"], spec["rows"]["s"], strict=True) if s & webmap.EXTRA_BIT]
    assert sorted(flagged) == ["30210", "30263"]


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


def test_a_table_of_epci_has_no_column_that_means_nothing_for_an_epci(atlas):
    """« – » means only « unknown, outside the list »: the « EPCI avec au moins une PVD » column,
    meaningless on an EPCI row, is not shown for EPCI (it is for départements)."""
    from pvd_geo.ui.sections import stats_html

    epci = stats_html(atlas.stats("epci").head(20))
    deps = stats_html(atlas.stats("departement").head(5))
    header = headers()["epci_avec_pvd"]
    assert header not in epci and header in deps


def test_communes_without_contour_are_never_left_out_silently(atlas, build_env):
    """Celles, Chalinargues, Chavagnac and Sainte-Anastasie (Cantal) have no contour in the data:
    the Cantal's map names them in its sources; their page says it; the Gard's map says nothing."""
    from .conftest import app_for

    missing = set(atlas.meta["communes_sans_contour"])
    assert {"15031", "15035", "15047", "15171"} <= missing
    cantal = views.communes_map_spec(atlas, ["15"], None, "Cantal", "Sources : test.")
    assert (
        "faute de contour dans les données : Celles, Chalinargues, Chavagnac, Sainte-Anastasie"
        in (cantal["sources"])
    )
    assert "faute de contour" not in views.communes_map_spec(atlas, ["30"], None, "Gard", "s")["sources"]

    inside = atlas.communes[atlas.communes["dep"] == "15"]
    assert "Sainte-Anastasie" in views.missing_contours_note(inside)  # what the press map's sources add
    # the contour that covers them is named: on the map's sources and on both pages
    assert "le contour de Neussargues-Moissac les englobe" in cantal["sources"]
    app = app_for("pages/1_Territoire.py")
    app.query_params["com"] = "15031"
    app.run()
    assert not app.exception
    assert any(
        "pas de contour dans les données" in i.value and "Neussargues-Moissac" in i.value for i in app.info
    )
    app = app_for("pages/1_Territoire.py")
    app.query_params["com"] = "15141"
    app.run()
    assert not app.exception
    notice = [i.value for i in app.info if "englobe aussi" in i.value]
    assert notice and "4 communes" in notice[0]
    assert all(n in notice[0] for n in ("Celles", "Chalinargues", "Chavagnac", "Sainte-Anastasie"))


def test_no_enclosing_contour_claimed_once_the_restored_communes_are_drawn(atlas):
    """With contours of their own (ADMIN EXPRESS), nothing is said to cover them."""
    from pvd_geo.sources.retablies import enclosing

    cantal = atlas.communes[atlas.communes["dep"] == "15"]
    assert enclosing(cantal, cantal["geometry_departement"]) == {
        "15141": ["15031", "15035", "15047", "15171"]
    }
    drawn = cantal["geometry_departement"].fillna(cantal["geometry_departement"].iloc[0])
    assert enclosing(cantal, drawn) == {}
    profile = views.commune_profile(atlas, "15141", {})
    assert profile.contour_englobe == ["Celles", "Chalinargues", "Chavagnac", "Sainte-Anastasie"]
    assert views.commune_profile(atlas, "30210", {}).contour_englobe == []


def test_ort_line_reconciles_the_list_with_the_local_programme_date(atlas):
    """The local programme's date is a source of its own: said with its source when the list does
    not cover, completes a list without date, and both are said when they disagree."""
    from pvd_geo.ui.commune import programme_lines

    local = {"ort_signee_le": "2023-09-26", "source": "Préfecture du Gard"}
    base = views.commune_profile(atlas, "30210", {"30210": local})

    def ort_line(status, date=None):
        p = replace(base, statuts={"ort": status}, dates={"ort": date} if date else {})
        return programme_lines(p)[0]

    uncovered = ort_line(None)
    assert "oui, le 26 septembre 2023" in uncovered and "Préfecture du Gard" in uncovered
    assert "ne couvre pas ce département" in uncovered
    assert "oui, le 26 septembre 2023 selon le projet local" in ort_line(True)
    assert "oui, signée le 3 mars 2022" in ort_line(True, "3 mars 2022")
    disagree = ort_line(False)
    assert "absente de la liste chargée" in disagree and "26 septembre 2023" in disagree
    assert programme_lines(replace(base, statuts={"ort": False}, projet_local={}))[0].endswith(": non")
