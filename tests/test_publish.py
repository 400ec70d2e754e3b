"""The static site (``publish``): pages, links, data, CSP, embedding; the dashboard's « Intégrer »."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pvd_geo import embed, publish, views
from pvd_geo.constants import DEFAULT_SCOPE, ROOT

from .conftest import ARGS, CHROMIUM, VIOLATIONS, offline_context, serving


class Page(HTMLParser):
    """What a page is made of: its tags' attributes, inline scripts and styles, text."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_scripts: list[str] = []
        self._script: dict | None = None
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = attrs

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None and "src" not in self._script and data.strip():
            self.inline_scripts.append(self._script.get("type", "text/javascript"))
        self.text.append(data)

    def links(self) -> list[str]:
        return [a[k] for _, a in self.tags for k in ("href", "src") if a.get(k)]


@pytest.fixture(scope="module")
def site(atlas, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "atlas"
    report = publish.publish(atlas, out, base_url="https://presse.example.fr/atlas", only=list(DEFAULT_SCOPE))
    return out, report


def plugin_data(script: str, function: str) -> dict:
    """The data a plugin of the atlas receives in a map's rendered script."""
    found = re.search(rf"pvdAtlas\.{function}\(map_carte, (.*), \{{.*\}}\);$", script, re.MULTILINE)
    assert found, function
    return json.loads(found.group(1))


def test_publish_writes_one_page_per_territory(site, atlas):
    out, report = site
    com = atlas.communes[atlas.communes["dep"].isin(DEFAULT_SCOPE)]
    pvd = com[com["pvd"]]
    assert report.pages == {
        "index": 1,
        "region": 1,  # the Gard and the Gers are both in Occitanie
        "departement": 2,
        "epci": pvd["epci"].nunique(),
        "commune": len(pvd),
        "perimetre": 1,
    }
    for code in pvd["code"]:
        assert (out / embed.page_path("commune", code)).is_file()
    assert (out / "perimetre" / "30-32.html").is_file() and (out / "region" / "76.html").is_file()
    france = json.loads((out / "france.geojson").read_text(encoding="utf-8"))
    assert len(france["features"]) == len(atlas.departements)  # the index's data: CSV and GeoJSON
    for name in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/LICENSE",
        "topojson-client/topojson-client.min.js",
        "leaflet-gesture-handling/leaflet-gesture-handling.min.js",
        "atlas/core.js",
        "atlas/layers.js",
        "page.js",
    ):
        assert (out / "assets" / name).is_file(), name
    assert report.bytes == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert not list(out.parent.glob(".atlas-*"))  # no temporary folder left
    listed = (out / embed.PAGES_FILE).read_text(encoding="utf-8").split()
    assert sorted(listed) == sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert "region/76.html" in listed and "region/75.html" not in listed


def test_every_page_is_french_relative_and_strict(site):
    """lang="fr", a strict CSP, no inline script or style, every link relative and present."""
    out, _ = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        html_tag = next(a for t, a in page.tags if t == "html")
        assert html_tag.get("lang") == "fr", path
        csp = [
            a["content"]
            for t, a in page.tags
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert (
            csp
            and "script-src 'self'" in csp[0]
            and "style-src 'self'" in csp[0]
            and "default-src 'none'" in csp[0]
        )
        assert set(page.inline_scripts) <= {"application/json"}, path  # data only, never code
        assert not [a for _, a in page.tags if "style" in a] and "<style" not in text, path
        assert not [t for t, a in page.tags if any(k.startswith("on") for k in a)], path
        for link in page.links():
            if link.startswith(("data:", "#")):
                continue
            assert "://" not in link and not link.startswith("/"), (path, link)
            target = (path.parent / link.split("?")[0].split("#")[0]).resolve()
            assert target.is_file() and out.resolve() in target.parents, (path, link)


def test_departement_page_has_figures_table_data_sources(site, atlas):
    out, _ = site
    text = (out / "departement" / "30.html").read_text(encoding="utf-8")
    page = Page(text)
    stats = atlas.stats("departement").set_index("code").loc["30"]
    words = " ".join(page.text)
    assert f"CommunesPVD{int(stats['pvd'])}" in words.replace(" ", "")
    gard = atlas.communes[(atlas.communes["dep"] == "30") & atlas.communes["pvd"]]
    linked = {a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("../commune/")}
    assert linked == {f"../commune/{c}.html" for c in gard["code"]}  # every PVD commune, as a link
    assert "liste PVD" in words and "Sources : " in words  # the list, its date or vintage, the sources
    script = (out / "departement" / "30.js").read_text(encoding="utf-8")  # folium's script, beside
    assert '<script src="30.js">' in text
    spec, controls = (plugin_data(script, name) for name in ("layer", "controls"))
    assert spec["kind"] == "communes" and spec["link"] == "../commune/{c}.html"
    assert len(spec["rows"]["c"]) == int(stats["communes"]) and controls["sources"] in words
    csv = pd.read_csv(out / "departement" / "30.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert len(csv) == int(stats["communes"]) and set(gard["code"]) <= set(csv["code_insee"])
    geo = json.loads((out / "departement" / "30.geojson").read_text(encoding="utf-8"))
    assert len(geo["features"]) == len(csv)
    assert (out / "departement" / "30.html").stat().st_size < 150_000


def test_site_dates_and_sizes_are_french_and_true(site):
    """« publié le 2 décembre 2026 », never an ISO date; every file size is the file's, in French
    (« 38 ko », « 850 octets »), never « 0 ko »."""
    import datetime as dt

    from pvd_geo.format import fr_date, fr_size

    out, _ = site
    for page in ("index.html", "departement/30.html", "commune/30210.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert f"publié le {fr_date(dt.date.today().isoformat())}" in text, page
        assert not re.search(r"publié le \d{4}-", text)
        assert "(0 ko)" not in text
        folder = (out / page).parent
        for href, size in re.findall(r'href="([^"]+\.(?:csv|geojson))"[^>]*>[^<]*\(([^)]+)\)', text):
            assert size == fr_size((folder / href).stat().st_size), (page, href, size)
    assert fr_size(850) == "850 octets" and fr_size(2400) == "2,4 ko" and fr_size(38_200) == "38 ko"
    assert fr_size(1_300_000) == "1,3 Mo"


def test_embed_snippet_and_search_index(site):
    out, _ = site
    text = (out / "commune" / "30210.html").read_text(encoding="utf-8")
    # the snippet is text in a textarea: escaped (no tag of it is parsed), given back whole
    box = re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1)
    assert "<iframe" not in box and "&lt;iframe" in box
    assert html.unescape(box).startswith('<iframe src="https://presse.example.fr/atlas/commune/30210.html"')
    entries = json.loads((out / "recherche.json").read_text(encoding="utf-8"))
    assert ["Quissac (30210, Gard)", "commune/30210.html"] in entries
    assert all((out / url).is_file() for _, url in entries if not url.startswith(("region/", "departement/")))


def test_snippet_is_escaped_and_targets_follow_the_view(atlas):
    snippet = embed.embed_snippet("https://a.fr/x/", "departement/30.html", 'Gard "<b>"')
    assert snippet.startswith('<iframe src="https://a.fr/x/departement/30.html" width="100%"')
    assert 'title="Gard &quot;&lt;b&gt;&quot;"' in snippet and 'loading="lazy"' in snippet
    names = dict(zip(atlas.departements["code"], atlas.departements["nom"], strict=True))
    assert embed.scope_targets("departements", ["30", "32"], names, None, "") == [
        ("perimetre/30-32.html", "Gard et Gers")
    ]
    assert embed.scope_targets("departements", ["30", "34"], names, None, "") == [
        ("departement/30.html", "Gard"),
        ("departement/34.html", "Hérault"),
    ]
    assert embed.scope_targets("region", [], names, "76", "Occitanie") == [("region/76.html", "Occitanie")]
    assert embed.scope_targets("france", [], names, None, "") == [("index.html", "France")]
    assert views.embed_targets(atlas, views.resolve(atlas, {"com": "30210"})) == [
        ("commune/30210.html", "Quissac")
    ]
    not_pvd = views.embed_targets(atlas, views.resolve(atlas, {"com": "30189"}))  # Nîmes: its EPCI has one
    assert not_pvd[0][0] in ("epci/243000643.html", "departement/30.html")


def test_a_failed_publish_leaves_the_old_site(atlas, tmp_path, monkeypatch):
    out = tmp_path / "site"
    publish.publish(atlas, out, only=["32"])
    (out / "marque.txt").write_text("ancien", encoding="utf-8")

    def broken(self, dep):
        raise OSError("disque plein")

    monkeypatch.setattr(publish.Site, "departement", broken)
    with pytest.raises(OSError):
        publish.publish(atlas, out, only=["32"])
    assert (out / "marque.txt").read_text(encoding="utf-8") == "ancien"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder left
    monkeypatch.undo()
    publish.publish(atlas, out, only=["32"])
    assert not (out / "marque.txt").exists() and (out / "departement" / "32.html").is_file()


def test_cli_publish(build_env, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "pub"
    cmd = [sys.executable, "-m", "pvd_geo", "publish", "--out", str(out), "--departements", "32"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=build_env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Site statique écrit" in done.stdout and (out / "departement" / "32.html").is_file()
    bad = subprocess.run([*cmd[:-1], "99"], capture_output=True, text=True, cwd=ROOT, env=build_env)
    assert bad.returncode == 2 and "département(s) inconnu(s) : 99" in bad.stderr


@pytest.mark.parametrize(
    ("page", "params", "expected"),
    [
        ("dashboard.py", {}, "https://presse.example.fr/atlas/perimetre/30-32.html"),
        ("pages/1_Territoire.py", {"dep": "30"}, "https://presse.example.fr/atlas/departement/30.html"),
        ("pages/1_Territoire.py", {"com": "30210"}, "https://presse.example.fr/atlas/commune/30210.html"),
        ("pages/2_Comparer.py", {}, "https://presse.example.fr/atlas/departement/30.html"),
    ],
)
def test_dashboard_views_show_their_embed_code(page, params, expected, build_env, monkeypatch):
    monkeypatch.setenv("PVD_SITE_URL", "https://presse.example.fr/atlas/")
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if page != "dashboard.py":
        app.switch_page(page)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    codes = [c.value for c in app.code]
    assert any(f'<iframe src="{expected}" width="100%"' in c for c in codes), codes


def test_without_a_site_the_embed_section_offers_the_png_and_the_link(build_env, monkeypatch):
    monkeypatch.delenv("PVD_SITE_URL", raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    app.run()
    assert not app.exception and not [c for c in app.code if "<iframe" in c.value]
    said = " ".join(m.value for m in app.markdown)
    assert "n'est pas publié sur ce serveur" in said and "son exploitant peut le publier" in said
    assert "python -m" not in said and "PVD_SITE_URL" not in said  # no command for a reader
    downloads = [b.proto for b in app.get("download_button")]
    assert [d.label for d in downloads] == ["Télécharger la carte (PNG)"]  # the view's map, one click
    assert any("perimetre=" in c.value for c in app.code)  # the view's link (its address and view)


def test_a_snippet_only_for_pages_the_published_site_has(site, build_env, monkeypatch):
    """The site was published for the Gard and the Gers: comparing the Gard with the Landes, the
    Gard's page has its snippet, the Landes' is said not yet published (and how it would be)."""
    out, _ = site
    monkeypatch.setenv("PVD_SITE_URL", "https://presse.example.fr/atlas/")
    monkeypatch.setenv("PVD_SITE_DIR", str(out))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    app.switch_page("pages/2_Comparer.py")
    app.query_params["t"] = "departement:30,departement:40"
    app.run()
    assert not app.exception, app.exception
    codes = " ".join(c.value for c in app.code)
    assert "departement/30.html" in codes and "departement/40.html" not in codes
    said = " ".join(i.value for i in app.info)
    assert "Pas encore dans le site publié : Landes" in said and "--departements" in said


# -- in a real browser --------------------------------------------------------------------------

LABEL_OVERLAPS = """() => {
  const r = [...document.querySelectorAll(".pvd-label span")].map(e => e.getBoundingClientRect());
  let n = 0;
  for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
    if (r[i].left < r[j].right && r[j].left < r[i].right
        && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
  return [r.length, n];
}"""

BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const paths = [...document.querySelectorAll("path.leaflet-interactive")].map(box);
  const terr = [Math.min(...paths.map(p => p[0])), Math.min(...paths.map(p => p[1])),
                Math.max(...paths.map(p => p[2])), Math.max(...paths.map(p => p[3]))];
  return {territory: terr, legend: box(document.querySelector(".pvd-legend")),
          sources: box(document.querySelector(".pvd-sources")),
          map: box(document.querySelector("#map_carte")),
          legendOpen: document.querySelector(".pvd-legend").open};
}"""


def _apart(a, b) -> bool:
    return a[2] <= b[0] + 1 or b[2] <= a[0] + 1 or a[3] <= b[1] + 1 or b[3] <= a[1] + 1


@pytest.mark.browser
def test_static_pages_in_a_browser(site):
    """Drawn offline under the page's CSP (no violation, nothing fetched elsewhere), names placed
    without overlap, legend and sources clear of the territory, a click opens the commune's page;
    on a phone the map is in the first screen; without JavaScript the tables are there; in an
    article's iframe only the title, figures and map show."""
    from playwright.sync_api import sync_playwright

    out, _ = site
    (out / "article.html").write_text(
        '<!DOCTYPE html><html lang="fr"><body><p>Article</p>'
        + embed.embed_snippet("", "departement/30.html", "Carte du Gard").replace('src="/', 'src="')
        + "</body></html>",
        encoding="utf-8",
    )
    with serving(out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in ((1400, 1000), (390, 844), (1920, 1080)):
            context, page = offline_context(browser, viewport={"width": width, "height": height})
            context.add_init_script(VIOLATIONS)
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(f"{url}/departement/30.html")
            page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 350")
            page.wait_for_timeout(300)
            assert page.evaluate("window.__csp") == [] and page.refused == [] and errors == []
            count, overlaps = page.evaluate(LABEL_OVERLAPS)
            assert count >= 10 and overlaps == 0, (width, count, overlaps)
            boxes = page.evaluate(BOXES)
            assert _apart(boxes["territory"], boxes["legend"]), (width, boxes)
            assert _apart(boxes["territory"], boxes["sources"]), (width, boxes)
            assert boxes["legendOpen"] == (width >= 560)  # collapsed on a phone
            assert boxes["map"][1] < height - 200, (width, boxes)  # the map starts in the first screen
            sources = page.locator(".pvd-sources").inner_text()
            assert "liste PVD" in sources  # the list and its date, even collapsed
            page.goto(f"{url}/perimetre/30-32.html")  # the Gard and the Gers: two panels
            page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 808")
            gers, gard = (page.locator(".pvd-inset", has_text=n).bounding_box() for n in ("Gers", "Gard"))
            if width < 560:  # a tall map: stacked, each as wide as the map allows
                assert gard["y"] > gers["y"] + 100 and abs(gard["x"] - gers["x"]) < 40, (gers, gard)
            else:  # a wide map: side by side
                assert gard["x"] > gers["x"] + 200 and abs(gard["y"] - gers["y"]) < 150, (gers, gard)
            assert page.evaluate("window.__csp") == [] and errors == []
            if width == 1400:
                tip = page.evaluate(
                    """() => { const p = document.querySelector("path.leaflet-interactive[fill='#D55E00']");
                    const r = p.getBoundingClientRect();
                    const at = {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2};
                    p.dispatchEvent(new MouseEvent("mouseover", at));
                    p.dispatchEvent(new MouseEvent("mousemove", at));
                    return document.querySelector(".leaflet-tooltip:not(.pvd-inset)").textContent; }"""
                )
                assert "Petite ville de demain" in tip and "hab." in tip
                pvd = page.locator("path.leaflet-interactive[fill='#D55E00']").first
                pvd.hover()  # a reader points at a PVD commune, then clicks it
                pvd.click(force=True)
                page.wait_for_url(re.compile(r".*/commune/30\d{3}\.html$"))
                page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 2")
                assert page.evaluate("window.__csp") == []
                page.goto(f"{url}/index.html")
                page.fill("#q", "quissac")
                page.wait_for_selector("#resultats a")
                assert page.locator("#resultats a").first.get_attribute("href") == "commune/30210.html"
                page.goto(f"{url}/article.html")
                frame = page.frame_locator("iframe")
                frame.locator("path.leaflet-interactive").nth(300).wait_for()
                assert frame.locator("html.integree").count() == 1
                assert (
                    not frame.locator(".tableau").first.is_visible()
                    and frame.locator("#map_carte").is_visible()
                )
            context.close()
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{url}/departement/30.html")
        body = page.locator("main").inner_text()
        assert "Quissac" in body and "Communes PVD" in body and "Le Grau-du-Roi" in body
        browser.close()


EMBED_FIT = """() => {
  const d = document, inner = innerHeight, shown = (sel) => {
    const e = d.querySelector(sel); if (!e) return false;
    const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= inner + 1;
  };
  return {scroll: d.documentElement.scrollHeight - inner, inner: inner,
          title: shown("h1"), map: shown("#map_carte"), legend: shown(".pvd-legend"),
          legendOpen: !!d.querySelector(".pvd-legend[open]"), sources: shown(".pvd-sources"),
          auto: d.documentElement.classList.contains("auto-hauteur")};
}"""


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1400, 1000)])
def test_an_embedded_page_takes_its_height_in_a_host_article(site, width, height):
    """The « Intégrer » snippet in an article, at a phone's and a desktop's width: the site's
    integration.js sizes the iframe to its page (postMessage), so title, map, legend (open) and
    sources show without a scrollbar inside the iframe; the snippet keeps a fixed height for
    readers without JavaScript."""
    from playwright.sync_api import sync_playwright

    out, _ = site
    snippet = embed.embed_snippet("", "departement/30.html", "Carte du Gard").replace('src="/', 'src="')
    assert 'height="640"' in snippet and "integration.js" in snippet  # the no-JavaScript fallback
    (out / "article-auto.html").write_text(
        '<!DOCTYPE html><html lang="fr"><body style="max-width:720px;margin:auto">'
        f"<h1>Article</h1><p>Texte.</p>{snippet}<p>Suite de l'article.</p></body></html>",
        encoding="utf-8",
    )
    with serving(out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context, page = offline_context(browser, viewport={"width": width, "height": height})
        page.goto(f"{url}/article-auto.html")
        frame = page.frame_locator("iframe")
        frame.locator("path.leaflet-interactive").nth(300).wait_for()
        page.wait_for_function("document.querySelector('iframe').getBoundingClientRect().height != 640")
        page.wait_for_timeout(500)  # the last report after the map's own layout
        inside = page.frames[1].evaluate(EMBED_FIT)
        assert inside["auto"] and inside["scroll"] <= 1, inside  # no scrollbar inside the iframe
        assert all(inside[k] for k in ("title", "map", "legend", "legendOpen", "sources")), inside
        box = page.locator("iframe").bounding_box()
        assert abs(box["height"] - inside["inner"]) <= 2 and box["width"] <= width
        assert page.refused == []
        context.close()
        browser.close()
