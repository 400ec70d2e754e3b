"""Hostile names through import → every view: they must stay text everywhere.

A copy of the real build gets hostile commune, EPCI and département names (the names a user's
ADMIN EXPRESS file or list could carry), and a list with hostile names is imported with the CLI.
Then every page runs (AppTest), the HTML/SVG/CSV outputs are checked, and a real browser opens
the pages on a real server: no script runs, no element is injected, the names show as text.
"""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import geopandas as gpd
import pytest

from pvd_geo import exports, figures, views
from pvd_geo.atlas import load_atlas
from pvd_geo.constants import EMBEDDED_DIR, ROOT
from pvd_geo.ui.state import page_head
from pvd_geo.webmap.plugins.base import dumps

from .conftest import (
    VIOLATIONS,
    _unescaped,
    app_for,
    offline_page,
    run,
    running_app,
    serving,
    settle,
    wait_for_labels,
    wait_for_paths,
)

PWN = "window.pwned=1"
HOSTILE = {
    # commune code → name (PVD communes of the Gard, so they are drawn, labelled and listed)
    "30210": f'<img src=x onerror="{PWN}">Quissac',
    "30321": f"<script>{PWN}</script>Sommières",
    "30350": f"[lien](javascript:{PWN}) :red[rouge] ![i](http://10.9.9.9/x.png) Le Vigan",
    "30341": "\u202eVauvert\u202c\x00fin",
    "30062": '=HYPERLINK("http://10.9.9.9","x")',
    "30012": "Aramon" + "A" * 3000,
    "30034": "{{ 7*7 }} Bellegarde",
    "30263": "Saint-$\\frac{1}{2}$-Hippolyte",  # not mathematics in the figures
}
EPCI = ("200034411", f"</script><script>{PWN}</script>CC du Piémont")
DEP = ("30", f"Gard<svg onload={PWN}>")


@pytest.fixture(scope="module")
def hostile_build(built_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "build"
    shutil.copytree(built_dir, out)
    communes = gpd.read_parquet(out / "communes.parquet")
    for code, name in HOSTILE.items():
        communes.loc[communes["code"] == code, ["nom", "nom_sans_article"]] = name
    communes.to_parquet(out / "communes.parquet", index=False)
    for file, (code, name) in (("epci", EPCI), ("departements", DEP)):
        layer = gpd.read_parquet(out / f"{file}.parquet")
        layer.loc[layer["code"] == code, "nom"] = name
        layer.to_parquet(out / f"{file}.parquet", index=False)
    return out


@pytest.fixture(scope="module")
def hostile_lists(built_dir, tmp_path_factory):
    """The embedded lists, plus a user's list with hostile names imported with the CLI."""
    directory = tmp_path_factory.mktemp("hostile_lists") / "listes"
    shutil.copytree(EMBEDDED_DIR, directory)
    upload = directory.parent / "liste.csv"
    env = {**os.environ, "PVD_LISTES_DIR": str(directory), "PVD_BUILD_DIR": str(built_dir)}

    def imported(rows: list[str]):
        upload.write_text("code_insee;nom;remarque\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "pvd_geo", "import-selection", str(upload)]
            + ["--programme", "mesvilles", "--yes"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    rows = [f'30210;"<img src=x onerror={PWN}>";=cmd|calc', "32107;[x](javascript:alert(1));+1"]
    refused = imported([*rows, "30189;Sauve\x00"])  # a NUL byte: not a text file, said clearly
    assert refused.returncode != 0 and "pas un CSV" in refused.stderr
    assert not (directory / "mesvilles.csv").exists()
    out = imported(rows)
    assert out.returncode == 0, out.stdout + out.stderr
    assert (directory / "mesvilles.csv").exists()
    return directory


@pytest.fixture(scope="module")
def hostile_atlas(hostile_build, hostile_lists):
    return load_atlas(hostile_build, hostile_lists)


def test_a_path_cannot_come_from_a_list_name(build_env, tmp_path):
    upload = tmp_path / "l.csv"
    upload.write_text("code_insee\n30210\n", encoding="utf-8")
    for name in ("../../etc/x", "/tmp/x", "a/b", "..", "X" * 60, "<b>"):
        out = run("import-selection", str(upload), "--programme", name, "--yes", env=build_env)
        assert out.returncode != 0 and "nom de programme invalide" in out.stderr + out.stdout


def test_maps_keep_names_as_text(hostile_atlas):
    spec = views.communes_map_spec(
        hostile_atlas, ["30"], None, f"Petites villes de demain — {DEP[1]}", "Sources"
    )
    text = dumps(spec)
    for raw in ("<img src=x", "<script>window", "</script><script>", "<svg onload"):
        assert raw not in text  # names travel JSON-escaped (\\u003c): none closes a script element
    names = json.loads(text)["rows"]["n"]  # decoded: the names are intact text for textContent
    assert any(n.startswith("<img src=x") for n in names), names[:5]
    assert "{{ 7*7 }} Bellegarde" in names and "49 Bellegarde" not in text


def test_figures_and_exports_keep_names_as_text(hostile_atlas, tmp_path):
    svg = figures.encode(figures.static_map(hostile_atlas, [("departement", "30")]), "svg").decode()
    tree = ET.fromstring(svg)  # well-formed XML: names did not break out of their text nodes
    assert not [e for e in tree.iter() if e.tag.endswith(("script", "foreignObject", "image"))]
    assert "Sommières" in svg and "frac" in svg
    data = exports.to_csv(exports.territory_communes(hostile_atlas, [("departement", "30")]), ";")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text
    communes = exports.territory_communes(hostile_atlas, [("departement", "30")])
    geojson = json.loads(exports.to_geojson(communes))
    assert any(f["properties"]["nom"] == HOSTILE["30210"] for f in geojson["features"])  # data, unchanged


@pytest.mark.parametrize(
    "page, params",
    [
        ("dashboard.py", {"deps": "30"}),
        ("pages/1_Territoire.py", {"dep": "30"}),
        ("pages/1_Territoire.py", {"dep": "30", "epci": EPCI[0]}),
        ("pages/1_Territoire.py", {"com": "30210"}),
        ("pages/1_Territoire.py", {"com": "30350"}),
        ("pages/2_Comparer.py", {"t": f"departement:30,epci:{EPCI[0]}"}),
        ("pages/3_Exporter.py", {"t": "departement:30"}),
        ("pages/4_Donnees.py", {}),
    ],
)
def test_every_page_escapes_hostile_names(page, params, hostile_build, monkeypatch, tmp_path):
    monkeypatch.setenv("PVD_BUILD_DIR", str(hostile_build))
    monkeypatch.setenv("PVD_CACHE_DIR", str(tmp_path))
    app = app_for(page)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    sources = [t.value for t in app.title] + [m.value for m in app.markdown] + [c.value for c in app.caption]
    sources += [b.label for b in app.button] + [e.value for e in app.error] + [i.value for i in app.info]
    assert sources
    for text in sources:
        assert not _unescaped(str(text)), text
    allowed = {"style", "figure", "figcaption", "ol", "li", "span"}  # bar chart, page styles
    allowed |= {"div", "table", "caption", "thead", "tbody", "tr", "th", "td"}  # figures table
    allowed |= {"dl", "dt", "dd"}  # the overview's figures
    # the page's own constant styles and script (no data in them: pvd_geo.ui.state.page_head)
    heads = {page_head(presenting, first) for presenting in (False, True) for first in (False, True)}
    for element in app.get("html"):  # HTML written by the app: names are text nodes
        if element.proto.body in heads:
            continue
        tags = _Tags()
        tags.feed(element.proto.body)
        assert tags.seen <= allowed, tags.seen
    if page == "dashboard.py":
        assert any("&lt;" in element.proto.body for element in app.get("html"))  # a hostile name, escaped


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)


# ---------------------------------------------------------------- a real browser on a real server


@pytest.fixture(scope="module")
def hostile_server(hostile_build, hostile_lists, tmp_path_factory):
    env = {
        "PVD_BUILD_DIR": str(hostile_build),
        "PVD_LISTES_DIR": str(hostile_lists),
        "PVD_CACHE_DIR": str(tmp_path_factory.mktemp("hostile_cache")),
    }
    with running_app(env) as url:
        yield url


INJECTED = """() => {
  const docs = [document];
  for (const f of document.querySelectorAll("iframe"))
    if (f.contentDocument) docs.push(f.contentDocument);
  const found = [];
  for (const d of docs) {
    if (d.defaultView && d.defaultView.pwned) found.push("script ran");
    const bad = "img[src='x'], svg[onload], a[href^='javascript'], img[src*='10.9.9.9']";
    for (const el of d.querySelectorAll(bad))
      found.push(el.outerHTML.slice(0, 80));
  }
  return found;
}"""


HOVER = """() => {
  const texts = [];
  for (const path of document.querySelectorAll("path.leaflet-interactive[fill='#D55E00']")) {
    const r = path.getBoundingClientRect();
    const at = {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2};
    path.dispatchEvent(new MouseEvent("mouseover", at));
    path.dispatchEvent(new MouseEvent("mousemove", at));
    const tip = document.querySelector(".leaflet-tooltip");
    if (tip) texts.push(tip.textContent);
    path.dispatchEvent(new MouseEvent("mouseout", at));
  }
  return texts;
}"""


@pytest.mark.browser
def test_browser_shows_hostile_names_as_text(hostile_server):
    with offline_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{hostile_server}/?deps=30")
        settle(page)
        assert "<svg onload" in page.locator("h1").first.inner_text()  # shown, as text
        wait_for_paths(page, 300)
        shown = wait_for_labels(page, 21)
        assert any("<img src=x" in t for t in shown)  # map labels: text
        assert any(t.startswith("{{ 7*7 }} Bellegarde") for t in shown)  # not evaluated
        # tooltips, as a reader hovering the PVD communes sees them
        frame = (
            page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
        )
        tips = frame.evaluate(HOVER)
        assert any("<img src=x" in t for t in tips) and any("<script>" in t for t in tips), tips
        assert page.evaluate(INJECTED) == []
        # the Gard and the Gers in panels: the panel's name (the département's) is text
        page.goto(hostile_server)
        settle(page)
        wait_for_paths(page, 800)
        names = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first.locator(".pvd-inset")
        assert any(t.startswith("Gard<svg onload") for t in names.all_inner_texts())
        assert page.evaluate(INJECTED) == []
        for link in (
            "/?perimetre=france",
            "/Territoire?reg=76",
            f"/Territoire?dep=30&epci={EPCI[0]}",
            "/Territoire?com=30210",
            "/Territoire?com=30350",
            f"/Comparer?t=departement:30,epci:{EPCI[0]}",
            "/Donnees",
        ):
            page.goto(hostile_server + link)
            settle(page)
            page.wait_for_timeout(1500)  # maps and tables drawn
            assert page.evaluate(INJECTED) == [], link
        page.goto(f"{hostile_server}/Territoire?com=30210")
        settle(page)
        assert "<img src=x" in page.locator("h1").first.inner_text()
        assert dialogs == [] and page.refused == []


def test_static_site_keeps_names_as_text(hostile_atlas, tmp_path):
    """The published pages: names escaped in the HTML, JSON-escaped in the map's data block (no
    ``</script>`` can close it), braces not evaluated; the search index is JSON (text)."""
    from pvd_geo import publish

    out = tmp_path / "site"
    publish.publish(hostile_atlas, out, only=["30"])
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    scripts = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.js") if "assets" not in p.parts}
    assert out / "departement" / "30.js" in scripts  # folium's rendered script, beside its page
    for path, text in {**pages, **scripts}.items():
        for raw in ("<img src=x", "<script>window", "</script><script>", "<svg onload", "49 Bellegarde"):
            assert raw not in text, (path, raw)
    department = pages[out / "departement" / "30.html"]
    quoted = department.replace("&#34;", "&quot;")  # either entity for a quote
    assert "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;Quissac" in quoted  # the table, as text
    assert "{{ 7*7 }} Bellegarde" in department  # shown as written, not evaluated
    assert "\\u003cimg src=x" in scripts[out / "departement" / "30.js"]  # the map's data: JSON text
    entries = json.loads((out / "recherche.json").read_text(encoding="utf-8"))
    assert any(e[0].startswith('<img src=x onerror="window.pwned=1">Quissac') for e in entries)


@pytest.mark.browser
def test_static_site_maps_show_hostile_names_as_text_in_a_browser(hostile_atlas, tmp_path):
    """The published département page in Chromium: names on the map (labels, panel names,
    tooltips) are text, no script ran, no dialog, nothing fetched elsewhere, no policy violation."""
    from pvd_geo import publish

    out = tmp_path / "site"
    publish.publish(hostile_atlas, out, only=["30", "32"])
    with serving(out) as base, offline_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.add_init_script(VIOLATIONS)
        for path in ("departement/30.html", "perimetre/30-32.html", "region/76.html", "index.html"):
            page.goto(f"{base}/{path}")
            page.wait_for_selector("path.leaflet-interactive", timeout=20_000)
            page.wait_for_timeout(500)
            assert page.evaluate(INJECTED) == [], path
            assert page.evaluate("window.__csp") == [], path
        page.goto(f"{base}/departement/30.html")
        page.wait_for_selector(".pvd-label", timeout=20_000)
        labels = page.locator(".pvd-label").all_inner_texts()
        assert any("<img src=x" in t for t in labels) and any(t.startswith("{{ 7*7 }}") for t in labels)
        page.goto(f"{base}/perimetre/30-32.html")
        page.wait_for_selector(".pvd-inset", timeout=20_000)
        assert any(t.startswith("Gard<svg onload") for t in page.locator(".pvd-inset").all_inner_texts())
        assert dialogs == [] and page.refused == []
