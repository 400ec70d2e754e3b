"""Dashboard figures (issue 3): rerun time, map HTML size vs GeoDataFrame.explore(), cold start.

    .venv/bin/python benchmarks/bench_app.py [--build geodata/build] [--repeat 7]

Needs the data built (`make build`) and Debian's chromium for the cold-start figure.
Prints the figures and appends them as one JSON line to benchmarks/results/app.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def map_sizes(build: Path) -> dict:
    """Bytes of the Gard + Gers map as st_folium ships it, and explore() for the same layers."""
    from pvd_geo import maps, views
    from pvd_geo.atlas import load_atlas

    atlas = load_atlas(build)
    sc = views.scope(atlas, ["30", "32"])
    fmap = maps.communes_map(
        sc.communes,
        sc.epci,
        sc.departements,
        sc.background,
        maps.MapAssets("/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"),
        title="Gard et Gers",
        sources="Sources",
        population_label=atlas.meta["population"],
        bounds=sc.bounds,
    )
    prepared = maps.prepare(fmap)
    shipped = sum(len(x.encode()) for x in (prepared.script, prepared.header, prepared.html))

    def explore(column: str) -> int:
        """explore() of the same four layers, drawn with the geometry column ``column``."""
        emap = None
        for gdf in (sc.background, sc.epci, sc.departements, sc.communes):
            keep = [c for c in gdf.columns if not c.startswith("geometry")]
            geometry = gdf[column] if column in gdf else gdf["geometry_departement"]
            layer = gdf[keep].set_geometry(geometry.rename("geometry"))
            emap = layer.explore(m=emap, tiles=None) if emap else layer.explore(tiles=None)
        return len(emap.get_root().render().encode())

    shown, source = explore("geometry_departement"), explore("geometry")
    return {
        "map_kb": round(shipped / 1e3, 1),
        "explore_same_geometry_kb": round(shown / 1e3, 1),
        "explore_source_geometry_kb": round(source / 1e3, 1),
        "ratio_same_geometry": round(shipped / shown, 3),
        "ratio_source_geometry": round(shipped / source, 3),
    }


def rerun_ms(build: Path, repeat: int) -> dict:
    """Server time of a rerun of the overview after a widget change (AppTest, caches warm)."""
    os.environ["PVD_BUILD_DIR"] = str(build)
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    times = []
    for i in range(repeat):
        app.radio(key="niveau").set_value(["epci", "departement", "region"][i % 3])
        start = time.perf_counter()
        app.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not app.exception, app.exception
    return {"rerun_ms_median": round(statistics.median(times)), "rerun_ms_max": round(max(times))}


def cold_start(build: Path) -> dict:
    """Seconds from `streamlit run` to the overview's 800+ commune polygons drawn in Chromium.

    The browser is started first (a user's browser is already open); the clock starts when the
    server process is launched, and the page is requested as soon as the server answers.
    """
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PVD_BUILD_DIR": str(build)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            served = time.perf_counter() - start
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("h1", timeout=60_000)
            title = time.perf_counter() - start
            frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first
            while frame.locator("path.leaflet-interactive").count() < 800:
                page.wait_for_timeout(50)
            drawn = time.perf_counter() - start
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=20)
    return {
        "server_up_s": round(served, 2),
        "title_shown_s": round(title, 2),
        "cold_start_to_map_s": round(drawn, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, default=ROOT / "geodata" / "build")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    result = {"date": time.strftime("%Y-%m-%d %H:%M")}
    result.update(map_sizes(args.build))
    result.update(rerun_ms(args.build, args.repeat))
    result.update(cold_start(args.build))
    result["targets"] = {
        "rerun_ms": 300,
        "map_kb": 400,
        "ratio_source_geometry": 0.25,
        "cold_start_to_map_s": 5,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (out / "app.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
