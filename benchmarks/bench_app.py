"""Dashboard figures: rerun time, the maps' weight (issue 15), cold start.

    .venv/bin/python benchmarks/bench_app.py [--build geodata/build] [--repeat 7]

Needs the data built (`make build`) and Debian's chromium for the cold-start figure.
Prints the figures and appends them as one JSON line to benchmarks/results/app.jsonl.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, save_result, start_server, stop, wait_until_up  # noqa: E402

sys.path.insert(0, str(ROOT))


def map_sizes(build: Path) -> dict:
    """Bytes of the maps' data as their folium plugins receive them: the Gard + Gers, and every
    département (median, largest); and ``explore()`` of the same layers for comparison (when
    mapclassify, which ``explore()`` needs, is installed: ``make bench-explore``)."""
    from pvd_geo import views
    from pvd_geo.atlas import load_atlas
    from pvd_geo.webmap.maps import prepare

    atlas = load_atlas(build)

    def size(deps: list[str]) -> int:
        spec = views.communes_map_spec(atlas, deps, None, "Carte", "Sources : " + "x" * 300)
        return sum(len(part.encode()) for part in prepare(spec).values())

    shipped = size(["30", "32"])
    each = sorted((size([d]), d) for d in atlas.departements["code"])
    out = {
        "map_kb": round(shipped / 1e3, 1),
        "departement_median_kb": round(each[len(each) // 2][0] / 1e3, 1),
        "departement_max_kb": round(each[-1][0] / 1e3, 1),
        "departement_max": each[-1][1],
    }
    try:
        import folium  # noqa: F401
    except ImportError:
        return out
    import geopandas as gpd

    sc = views.scope(atlas, ["30", "32"])
    emap = None
    for gdf in (sc.background, sc.communes):
        keep = [c for c in gdf.columns if not c.startswith("geometry")]
        layer = gpd.GeoDataFrame(gdf[keep], geometry=gdf["geometry_departement"].to_numpy(), crs=gdf.crs)
        emap = layer.explore(m=emap, tiles=None) if emap else layer.explore(tiles=None)
    return out | {"explore_same_geometry_kb": round(len(emap.get_root().render().encode()) / 1e3, 1)}


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


def _first_map(build: Path, cache: Path, query: str, paths: int) -> dict:
    """Seconds from `streamlit run` to the page's map drawn (``paths`` Leaflet paths) in Chromium.

    The browser is started first (a user's browser is already open); the clock starts when the
    server process is launched, and the page is requested as soon as the server answers.
    """
    from playwright.sync_api import sync_playwright

    env = {"PVD_BUILD_DIR": str(build), "PVD_CACHE_DIR": str(cache)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        proc, url = start_server(env)
        try:
            wait_until_up(url)
            served = time.perf_counter() - start
            page.goto(f"{url}/{query}")
            page.wait_for_selector("h1", timeout=60_000)
            title = time.perf_counter() - start
            frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first
            while frame.locator("path.leaflet-interactive").count() < paths:
                page.wait_for_timeout(25)
            drawn = time.perf_counter() - start
        finally:
            browser.close()
            stop(proc)
    return {"server_up_s": round(served, 2), "title_shown_s": round(title, 2), "map_drawn_s": round(drawn, 2)}


def cold_start(build: Path, repeat: int) -> dict:
    """First map after `streamlit run`, overview (Gard + Gers) and national view.

    ``make run`` prepares the default maps (``python -m pvd_geo warm``) before starting the
    server: that is the measured case, ``repeat`` times each (median and worst). The case of a map
    never drawn before (empty map store: the map is made during the first visit) is measured
    once for each view.
    """
    import tempfile

    result = {}
    views = {"overview": ("", 800), "national": ("?perimetre=france", 100)}
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as warmed:
        subprocess.run(
            [sys.executable, "-m", "pvd_geo", "warm"],
            cwd=ROOT,
            env={**os.environ, "PVD_BUILD_DIR": str(build), "PVD_CACHE_DIR": warmed},
            check=True,
            capture_output=True,
        )
        for name, (query, paths) in views.items():
            runs = [_first_map(build, Path(warmed), query, paths) for _ in range(repeat)]
            drawn = [r["map_drawn_s"] for r in runs]
            result[f"{name}_first_map_s_median"] = round(statistics.median(drawn), 2)
            result[f"{name}_first_map_s_max"] = round(max(drawn), 2)
            for step in ("title_shown_s", "server_up_s"):
                result[f"{name}_{step}_median"] = round(statistics.median(r[step] for r in runs), 2)
            cold = _first_map(build, Path(empty) / name, query, paths)
            result[f"{name}_first_map_s_never_drawn"] = cold["map_drawn_s"]
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, default=ROOT / "geodata" / "build")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--cold-repeat", type=int, default=5, help="server starts per view (cold start)")
    args = ap.parse_args()
    result = {"date": time.strftime("%Y-%m-%d %H:%M")}
    result.update(map_sizes(args.build))
    result.update(rerun_ms(args.build, args.repeat))
    result.update(cold_start(args.build, args.cold_repeat))
    result["targets"] = {
        "rerun_ms": 300,
        "map_kb": 400,
        "ratio_source_geometry": 0.25,
        "overview_first_map_s": 5,
        "national_first_map_s": 6,
    }
    save_result(result, "app")


if __name__ == "__main__":
    main()
