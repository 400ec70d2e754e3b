"""A real `streamlit run` server on 127.0.0.1 driven by Debian's Chromium (Playwright), offline."""

import re
import time
from pathlib import Path

import pytest

from pvd_geo.constants import ROOT

from .conftest import (
    click_a_pvd_commune,
    download_communes_csv,
    map_frame,
    offline_page,
    settle,
    wait_for_labels,
    wait_for_paths,
    wait_for_url,
)

pytestmark = pytest.mark.browser


def test_overview_map_draws_offline(page, server):
    page.goto(server)
    settle(page)
    assert wait_for_paths(page, 800) >= 800  # the 808 communes of the Gard and the Gers
    assert "Petite ville de demain" in map_frame(page).locator(".pvd-legend").inner_text()
    assert "Sources" in map_frame(page).locator(".pvd-sources").inner_text()
    assert page.refused == []  # no CDN, no tiles


def test_a_new_tab_reuses_the_maps_files_without_asking_the_server(page, server):
    """Without a proxy too, the files whose address names their bytes (streamlit-folium's hashed
    build, the atlas's versioned bundle) are kept a year by the browser: a second tab draws its map
    without fetching them again; the page and the component's HTML keep Streamlit's headers."""
    import urllib.request

    import streamlit_folium

    from pvd_geo.assets import own_version

    build = Path(streamlit_folium.__file__).parent / "frontend" / "build" / "static" / "js"
    main_js = next(p.name for p in build.glob("main.*.js"))
    kept = "public, max-age=31536000, immutable"

    def cache_control(path: str) -> str:
        with urllib.request.urlopen(server + path, timeout=10) as response:
            return response.headers.get("Cache-Control") or ""

    # a context without request routing (Playwright's routing turns the browser's HTTP cache off)
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    first = context.new_page()
    first.goto(server)
    settle(first)
    assert wait_for_paths(first, 800) >= 800
    first.close()
    # (the component's files are served once a page has declared it)
    assert cache_control(f"/component/streamlit_folium.st_folium/static/js/{main_js}") == kept
    assert cache_control(f"/app/static/vendor/bundle/atlas.js?v={own_version()}") == kept
    assert kept not in cache_control("/component/streamlit_folium.st_folium/index.html")
    assert kept not in cache_control("/")
    second = context.new_page()
    cdp = context.new_cdp_session(second)
    cdp.send("Network.enable")
    urls, cached, downloaded = {}, set(), set()
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))

    def received(e):
        r = e["response"]
        if not (r.get("fromDiskCache") or r.get("fromMemoryCache") or e["requestId"] in cached):
            downloaded.add(r["url"])

    cdp.on("Network.responseReceived", received)
    second.goto(server)
    settle(second)
    assert wait_for_paths(second, 800) >= 800
    context.close()
    asked = [u for u in urls.values() if main_js in u or "bundle/atlas.js" in u]
    assert any(main_js in u for u in asked) and any("bundle/atlas.js" in u for u in asked), asked
    assert not [u for u in downloaded if main_js in u or "bundle/atlas.js" in u], downloaded


# Watches the overview from its first frame on: when the map's frame first has shapes, whether the
# rest of the page (the sidebar's links) was there, and where the frame stood at each frame after.
WATCH_FIRST_SCREEN = """
if (window === window.top) {
  window.pvdWatch = {frame: null, linksAtDraw: null, countsAtDraw: null, samples: []};
  (function watch() {
    const w = window.pvdWatch;
    const f = document.querySelector("iframe[title='streamlit_folium.st_folium']");
    let n = 0;
    try { n = f ? f.contentDocument.querySelectorAll("path.leaflet-interactive").length : 0; } catch (e) {}
    if (n > 0) {
      const links = document.querySelectorAll("[data-testid='stPageLink']").length;
      if (!w.frame) {
        w.frame = f;
        w.linksAtDraw = links;
        w.countsAtDraw = document.body.innerText.includes("Comptes par territoire");
      }
      w.samples.push([links, Math.round(f.getBoundingClientRect().top)]);
    }
    requestAnimationFrame(watch);
  })();
}
"""


def test_a_new_tab_draws_its_map_first_then_the_whole_page_around_it(page, server):
    """The first run of a tab draws the title, the figures and the map only; once the map is drawn,
    the whole page comes (links, selectors, search, counts) without a new frame for the map and
    without moving it."""
    page.add_init_script(WATCH_FIRST_SCREEN)
    page.goto(server)
    settle(page)
    assert wait_for_paths(page, 800) >= 800
    watch = page.evaluate("window.pvdWatch")
    assert watch["linksAtDraw"] == 0 and watch["countsAtDraw"] is False, watch  # the map came first
    page.get_by_text("Comptes par territoire").wait_for()
    assert page.locator("[data-testid='stPageLink']").count() == 5
    assert page.get_by_role("combobox", name="Rechercher une commune ou un territoire").count() == 1
    page.wait_for_timeout(300)
    assert page.evaluate(
        "window.pvdWatch.frame === document.querySelector(\"iframe[title='streamlit_folium.st_folium']\")"
    ), "the map's frame was made again"
    samples = page.evaluate("window.pvdWatch.samples")
    final = samples[-1][1]
    before = [top for links, top in samples if links == 0]
    assert before and before[-1] == final, (before[-5:], final)  # the rest came: the map did not move
    assert {top for links, top in samples if links} == {final}
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.refused == []


def test_the_whole_page_comes_even_when_the_map_cannot_report(page, server):
    """A browser where the map's script cannot run (here: its bundle refused) still gets the whole
    page, a few seconds later, instead of a first screen forever."""
    page.route("**/vendor/bundle/atlas.js*", lambda route: route.abort())
    start = time.time()
    page.goto(server)
    page.get_by_text("Comptes par territoire").wait_for(timeout=30_000)
    settle(page)
    assert time.time() - start >= 3  # it waited for the map first (REST_OF_PAGE_AFTER_S)
    assert page.locator("[data-testid='stPageLink']").count() == 5
    assert page.locator("[data-testid='stException']").count() == 0


def test_click_on_commune_opens_its_page(page, server):
    page.goto(server)
    settle(page)
    wait_for_paths(page, 800)
    click_a_pvd_commune(page)
    wait_for_url(page, "com=")
    url = wait_for_url(page, "/Territoire?com=")  # the query is set just before the page switch
    code = url.split("com=")[1][:5]
    page.get_by_text(f"Code INSEE : {code}", exact=False).first.wait_for(timeout=30_000)


def test_back_button_goes_up_a_level(page, server):
    page.goto(f"{server}/Territoire?dep=30")
    settle(page)
    assert "Gard (30)" in page.locator("h1").first.inner_text()
    wait_for_paths(page, 350)
    click_a_pvd_commune(page)  # the commune's page, not its EPCI's (a click means one thing)
    wait_for_url(page, "com=30")
    page.get_by_text("Commune", exact=False).first.wait_for(timeout=30_000)
    page.go_back()
    wait_for_url(page, "/Territoire?dep=30")
    page.locator("h1", has_text="Gard (30)").first.wait_for(timeout=30_000)


def test_export_page_downloads_files(page, server, tmp_path):
    data = download_communes_csv(page, server, tmp_path)
    assert data.startswith("\ufeff".encode()) and b"code_insee;nom;" in data and b"Quissac" in data
    button = page.get_by_role("button", name=re.compile("Télécharger la carte")).first
    with page.expect_download(timeout=60_000) as info:
        button.click()  # one click: the map is made then saved
        # while it is made (≈ 2 s for the Gard and the Gers), the button says so
        button.locator("[data-testid='stSpinnerIcon']").wait_for(timeout=5_000)
    png = tmp_path / "m.png"
    info.value.save_as(png)
    assert png.read_bytes().startswith(b"\x89PNG")
    assert page.refused == []


def test_upload_hostile_names_are_text_in_a_readers_own_list(page, server, tmp_path):
    """A reader uploads a list with hostile names (the shared lists are for administrators): the
    report shows them as text, the list is shown for this session, nothing runs as HTML."""
    hostile = "<img src=x onerror=alert(1)>"
    upload = tmp_path / "maliste.csv"
    upload.write_text(f"code_insee;nom\n30210;{hostile}\n32107;Condom\n99999;Nulle part\n", encoding="utf-8")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/Donnees")
    settle(page)
    assert page.get_by_text("Lecture seule", exact=False).count() >= 1  # no write path for a reader
    page.get_by_role("textbox", name="Nom de ma liste").fill(hostile)
    page.get_by_role("textbox", name="Nom de ma liste").press("Enter")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(upload))
    page.get_by_text("ma_liste : 2 conservées", exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Afficher ma liste sur les cartes").click()
    page.get_by_text(f"Ma liste : {hostile}", exact=False).first.wait_for(timeout=30_000)
    assert dialogs == []  # the names never ran as HTML
    assert page.locator("img[src='x']").count() == 0


def tab_to(page, predicate: str, max_tabs: int = 80) -> None:
    """Press Tab until the focused element satisfies ``predicate`` (JS, gets the element)."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate}); }})()"):
            return
    raise AssertionError(f"never reached by the keyboard: {predicate}")


def test_keyboard_only_search_selectors_and_download(page, server, tmp_path):
    """The search, a selector and a download, with the keyboard alone; the page says lang=fr."""
    page.goto(f"{server}/Territoire")
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "fr"
    # the search field lives in its component's shadow root: the page's focus is on its host
    tab_to(page, "el.shadowRoot?.activeElement?.getAttribute('role') === 'combobox'")
    page.keyboard.type("quissac")
    _first_found(page, "Quissac")
    page.keyboard.press("ArrowDown")  # the second result, then back to the first
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    wait_for_url(page, "com=30210")
    page.locator("h1", has_text="Quissac").first.wait_for(timeout=30_000)

    page.goto(f"{server}/Territoire?reg=76")
    settle(page)
    tab_to(page, "!!el.closest(\"[data-testid='stSelectbox']\")")
    page.keyboard.type("Gers")
    page.keyboard.press("Enter")
    wait_for_url(page, "dep=32")
    page.locator("h1", has_text="Gers (32)").first.wait_for(timeout=30_000)

    page.goto(f"{server}/Exporter")
    settle(page)
    tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('Communes (CSV)')")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    saved = tmp_path / "clavier.csv"
    info.value.save_as(saved)
    assert b"Quissac" in saved.read_bytes()


@pytest.mark.parametrize("width,height", [(700, 900), (1900, 900)])
def test_departement_map_names_pvd_communes_on_any_screen(server, width, height):
    """A département's map opens with the names of its PVD communes, on a narrow or a wide screen
    (the zoom that fits a département depends on the screen)."""
    with offline_page(width, height) as page:
        page.goto(f"{server}/?deps=30")
        wait_for_paths(page, 300)
        shown = wait_for_labels(page, 21)
        expected = ("Quissac", "Sommières", "Saint-Hippolyte-du-Fort")
        assert len(shown) == 21 and all(n in shown for n in expected), shown


def test_server_settings_stay_safe(server):
    """XSRF on, 5 MB uploads, static serving limited to the vendored assets and the search's
    index (public names and codes), no path traversal."""
    import tomllib
    import urllib.error

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert config["enableXsrfProtection"] is True and config["maxUploadSize"] == 5
    assert {p.name for p in (ROOT / "static").iterdir()} <= {"vendor", "recherche"}
    search = ROOT / "static" / "recherche"
    assert all(re.fullmatch(r"index-[0-9a-f]+-\d+\.tsv(\.gz)?", p.name) for p in search.glob("*"))
    ok = urllib.request.urlopen(f"{server}/app/static/vendor/leaflet/leaflet.js", timeout=10)
    assert ok.status == 200
    for path in ("..%2Fgeodata%2Fembarquees%2Fpvd.csv", "../geodata/embarquees/pvd.csv", "%2e%2e/README.md"):
        try:
            body = urllib.request.urlopen(f"{server}/app/static/{path}", timeout=10).read()
        except urllib.error.HTTPError as exc:
            assert exc.code in (400, 403, 404)
        else:
            assert b"insee_com" not in body and b"Atlas PVD" not in body


def test_phone_layout_puts_the_map_in_the_first_screen(server):
    """390 × 844: the title, the figures two by two, and the map starting in the first screen."""
    with offline_page(390, 844) as page:
        page.goto(server)
        settle(page)
        wait_for_paths(page, 800)
        metrics = page.locator(".pvd-chiffres > div")
        boxes = [metrics.nth(i).bounding_box() for i in range(4)]
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[2]["y"] > boxes[0]["y"] + 10  # 2 × 2
        assert boxes[1]["x"] > boxes[0]["x"] + 100
        frame = page.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()
        assert frame["y"] < 844 - 300, frame  # at least 300 px of map in the first screen
        legend = map_frame(page).locator(".pvd-legend")
        assert legend.get_attribute("open") is None  # collapsed on a phone: the map stays visible
        gers, gard = (
            map_frame(page).locator(".pvd-inset", has_text=n).bounding_box() for n in ("Gers", "Gard")
        )
        assert gard["y"] > gers["y"] + 100 and abs(gard["x"] - gers["x"]) < 40  # panels stacked


def test_phone_breadcrumb_is_one_line_and_the_page_does_not_scroll_sideways(server):
    """390 × 844, a commune's page (France › Occitanie › Gard › CC … › Quissac): the breadcrumb is
    one line (it scrolls sideways itself if it must), not five stacked rows, below Streamlit's
    header; the page itself has no horizontal scroll."""
    with offline_page(390, 844) as page:
        page.goto(f"{server}/Territoire?com=30210")
        settle(page)
        crumbs = page.locator(".st-key-fil-ariane button")
        assert crumbs.count() == 5
        tops = {round(crumbs.nth(i).bounding_box()["y"]) for i in range(crumbs.count())}
        assert max(tops) - min(tops) < 4, tops  # one row
        box = page.locator(".st-key-fil-ariane").bounding_box()
        assert box["height"] < 70
        header = page.locator("[data-testid='stHeader']").bounding_box()
        assert box["y"] >= header["y"] + header["height"] - 1, (box, header)  # nothing under the header
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390


def test_presentation_mode_fits_a_projector(server):
    """1920 × 1080, ?mode=presentation: title, figures and the whole map without scrolling."""
    with offline_page(1920, 1080) as page:
        page.goto(f"{server}/?mode=presentation")
        settle(page)
        wait_for_paths(page, 800)
        title = page.locator("h1").first.bounding_box()
        frame = page.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()
        assert title["y"] >= 0 and frame["y"] + frame["height"] <= 1080, (title, frame)
        assert page.locator(".pvd-chiffres").first.bounding_box()["y"] < frame["y"]


def test_presentation_comparison_fits_a_projector_and_scales(server):
    """1920 × 1080, the comparison in presentation mode: the picker hidden, the table (in large
    type) and both maps (legend open, controls and names larger) on one screen, no scrolling."""
    with offline_page(1920, 1080) as page:
        page.goto(f"{server}/Comparer?mode=presentation")
        settle(page)
        wait_for_paths(page, 300)
        assert not page.locator("[data-testid='stMultiSelect']").first.is_visible()
        table = page.locator(".pvd-table").first.bounding_box()
        frames = [f.bounding_box() for f in page.locator("iframe[title='streamlit_folium.st_folium']").all()]
        assert len(frames) == 2
        for box in [table, *frames]:
            assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, box
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1920, box
        size = page.locator(".pvd-table td").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 18, size  # 14 px on a desktop
        assert page.evaluate("document.scrollingElement.scrollHeight") <= 1080
        legend = map_frame(page).locator(".pvd-legend").first
        assert legend.evaluate("el => el.open")  # open on a projector, whatever the map's size
        zoom = legend.evaluate("el => getComputedStyle(el.closest('.leaflet-control')).zoom")
        assert float(zoom) > 1.2, zoom


def _overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("size", [(390, 844), (1400, 1000)])
def test_map_boxes_never_cover_its_buttons(server, size):
    """The legend (open or not) leaves the zoom buttons free, the sources line the scale bar."""
    with offline_page(*size) as page:
        page.goto(server)
        settle(page)
        wait_for_paths(page, 800)
        frame = map_frame(page)
        boxes = {
            name: frame.locator(selector).first.bounding_box()
            for name, selector in {
                "plus": ".leaflet-control-zoom-in",
                "tools": ".pvd-tools",
                "legend": ".pvd-legend",
                "sources": ".pvd-sources",
                "scale": ".leaflet-control-scale",
            }.items()
        }
        assert not _overlap(boxes["legend"], boxes["plus"]), boxes
        assert not _overlap(boxes["legend"], boxes["tools"]), boxes
        assert not _overlap(boxes["sources"], boxes["scale"]), boxes


@pytest.mark.parametrize("size,cards", [((390, 844), True), ((1400, 1000), False), ((1920, 1080), False)])
def test_tables_are_never_wider_than_their_place(server, size, cards):
    """The région's table of départements (15 columns): on a desktop every column is in view (the
    ORT and list columns were behind a scroll at 1400 px); on a phone each row is a card with its
    headers; the page never scrolls sideways."""
    with offline_page(*size) as page:
        page.goto(f"{server}/Territoire?reg=76")
        settle(page)
        region = page.locator(".pvd-table").first
        region.wait_for(timeout=30_000)
        widths = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] <= widths[1] + 1, widths
        row = page.locator(".pvd-table tbody tr").first
        assert (row.evaluate("el => getComputedStyle(el).display") == "block") is cards
        if cards:  # each figure says what it is
            label = page.locator(".pvd-table tbody td").first.evaluate(
                "el => getComputedStyle(el, '::before').content"
            )
            assert "Code" in label, label
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


FIND_TERRITORY = """(name) => {
  const paths = [...document.querySelectorAll("path.leaflet-interactive")];
  for (const [i, path] of paths.entries()) {
    const r = path.getBoundingClientRect();
    const at = {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2};
    path.dispatchEvent(new MouseEvent("mouseover", at));
    path.dispatchEvent(new MouseEvent("mousemove", at));
    const tip = document.querySelector(".leaflet-tooltip:not(.pvd-inset)");
    const text = tip ? tip.textContent : "";
    path.dispatchEvent(new MouseEvent("mouseout", at));
    if (text.includes(name)) return i;
  }
  return null;
}"""


def test_click_in_an_overseas_inset_opens_that_departement(page, server):
    """La Réunion is drawn in its inset west of France: a click there opens La Réunion (974)."""
    page.goto(f"{server}/?perimetre=france")
    settle(page)
    wait_for_paths(page, 100)
    index = map_frame(page).locator("body").evaluate(f"() => ({FIND_TERRITORY})('La Réunion (974)')")
    assert index is not None, "La Réunion not found on the national map"
    target = map_frame(page).locator("path.leaflet-interactive").nth(index)
    target.hover()  # a reader points at it (its tooltip opens), then clicks
    target.click()
    wait_for_url(page, "dep=974")
    page.locator("h1", has_text="La Réunion").first.wait_for(timeout=30_000)


def _bar_boxes(page):
    """The first bar's name and bar, measured in one layout (two separate reads could straddle
    the map's iframe growing above them: seen once in CI, 600 px apart)."""
    return page.evaluate(
        """() => {
            const li = document.querySelector('.pvd-bars li');
            const box = (el) => {
                const r = el.getBoundingClientRect();
                return {y: r.y, height: r.height, width: r.width};
            };
            return [box(li.querySelector('.pvd-bar-name')), box(li.querySelector('.pvd-bar > span'))];
        }"""
    )


def test_phone_bar_chart_gives_each_bar_the_screen_width(server):
    """390 × 844: the bar chart puts each name above its bar, so the longest bar takes most of
    the screen's width (it was squeezed into ≈ 60 px beside the names); no sideways scroll."""
    with offline_page(390, 844) as page:
        page.goto(server)
        settle(page)
        wait_for_paths(page, 2)  # the map above has its height: the chart no longer moves
        name, bar = _bar_boxes(page)
        assert bar["width"] >= 250, bar  # the longest bar (its count is the peak)
        assert name["y"] + name["height"] <= bar["y"] + 1, (name, bar)  # the name above its bar
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with offline_page(1400, 1000) as page:  # a desktop keeps one line per territory
        page.goto(server)
        settle(page)
        wait_for_paths(page, 2)
        name, bar = _bar_boxes(page)
        assert abs((name["y"] + name["height"] / 2) - (bar["y"] + bar["height"] / 2)) < 8, (name, bar)


# (typed, the first territory found) on the overview of the Gard and the Gers
FORGIVING_SEARCHES = [
    ("st hippolyte", "Saint-Hippolyte-du-Fort"),  # st for Saint; the Gard's before the exact homonyms
    ("quisac", "Quissac"),  # one letter missing
    ("vic fezansac", "Vic-Fezensac"),  # one letter wrong
    ("le grau", "Le Grau-du-Roi"),  # before Lagraulière: a name that starts so comes first
    ("gers", "Gers"),  # the département
    ("piemont cevenol", "CC du Piémont Cévenol"),  # an EPCI, without its accents
    ("hipolyte fort", "Saint-Hippolyte-du-Fort"),  # words of the name, one typo
    ("isle jourdain", "L'Isle-Jourdain"),  # without its article: the Gers's before the Vienne's
    ("30210", "Quissac"),  # a code INSEE
    ("200034411", "CC du Piémont Cévenol"),  # an EPCI's SIREN
]


def _first_found(page, expected, timeout=15):
    """The search's first result, once it is ``expected`` (or the list seen when time ran out)."""
    deadline = time.time() + timeout
    names = []
    while time.time() < deadline:
        names = page.locator(".atlas-recherche li .nom").all_inner_texts()
        if names and names[0] == expected:
            return names
        page.wait_for_timeout(100)
    raise AssertionError(f"first result {names[:3]!r}, expected {expected!r}")


@pytest.mark.parametrize("size", [(390, 844), (1400, 1000), (1920, 1080)])
def test_search_forgives_and_finds_while_typing(server, size):
    """On the overview's page (not in the sidebar): results while typing — no Enter, and not one
    message to the server per keystroke (the browser searches its index) —, then a tap opens the
    territory's page; nothing wider than the screen."""
    with offline_page(*size) as page:
        sent = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
        page.goto(server)
        settle(page)
        field = page.locator(".atlas-recherche input")
        field.wait_for(timeout=30_000)  # drawn by its component's script, once the page has run
        assert field.is_visible() and field.bounding_box()["x"] >= 0
        page.wait_for_timeout(500)
        before = len(sent)
        for typed, expected in FORGIVING_SEARCHES:
            field.fill("")
            field.press_sequentially(typed, delay=15)
            _first_found(page, expected)
        assert len(sent) == before, "the search sent messages to the server while the reader typed"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        field.fill("")
        field.press_sequentially("quisac", delay=15)
        _first_found(page, "Quissac")
        page.locator(".atlas-recherche li").first.click()
        wait_for_url(page, "com=30210")
        page.locator("h1", has_text="Quissac").first.wait_for(timeout=30_000)


def test_search_on_territoires_opens_a_region_with_the_keyboard(server):
    with offline_page(1400, 1000) as page:
        page.goto(server + "/Territoire?dep=30")
        settle(page)
        field = page.locator(".atlas-recherche input")
        field.press_sequentially("occitani", delay=15)
        names = _first_found(page, "Occitanie")
        assert "région" in page.locator(".atlas-recherche li .contexte").first.inner_text()
        assert len(names) >= 1
        field.press("Enter")
        wait_for_url(page, "reg=76")
        page.locator("h1", has_text="Occitanie").first.wait_for(timeout=30_000)
        assert "dep=" not in page.url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?perimetre=france",
        "/Territoire?dep=30",
        "/Territoire?com=30210",
        "/Comparer",
        "/Exporter",
        "/Donnees",
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(server, path):
    """390 × 844: no page scrolls sideways, and no column of a table is hidden behind a scroll."""
    with offline_page(390, 844) as page:
        page.goto(server + path)
        settle(page)
        page.wait_for_timeout(500)
        width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
        tables = page.evaluate(
            "[...document.querySelectorAll('.pvd-table')].map(t => [t.scrollWidth, t.clientWidth])"
        )
        assert all(inner <= shown + 1 for inner, shown in tables), (path, tables)  # no column hidden
