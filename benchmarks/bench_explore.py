"""The atlas's overview against the page a Streamlit user would write instead, alternately.

    .venv/bin/python benchmarks/bench_explore.py [--rounds 10]

The other page is `st_folium(gdf.explore())` of the same Gard + Gers communes (the build's
geometries, Leaflet served locally by that page's own static folder, no tiles: nothing off
127.0.0.1, as the atlas). Both servers are pinned to core 1 (``taskset``), the browser to core 0.
One browser context sees both pages first (its HTTP cache warm: "a browser that has seen both
pages"), then opens each in a new tab in turn, the order swapped every round, over an emulated
4G link (Chromium's DevTools network conditions: 40 ms latency, 9 Mbit/s down, 9 Mbit/s up).
Measured per tab: seconds from ``goto`` to the map drawn (the communes' paths in the map's
frame), seconds to the whole page (the atlas draws its first screen — title, figures, map — first,
then the rest: its links, selectors and counts), and bytes received (HTTP bodies as transferred +
websocket frames).
With ``--plancher``, a third page in the same rounds: ``st_folium`` of a folium map of one
polygon and nothing else (Leaflet served locally) — the floor of any map shown by st_folium in a
new tab, whatever the map: Streamlit's boot, streamlit-folium's frame, Leaflet.
Appends one JSON line to benchmarks/results/explore.jsonl.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, free_port, save_result, start_server, stop, wait_until_up  # noqa: E402

EXPLORE_PAGE = """
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

st.set_page_config(layout="wide")


@st.cache_resource
def communes():
    gdf = gpd.read_parquet(BUILD, columns=["code", "nom", "dep", "population", "geometry_departement"])
    gdf = gdf[gdf["dep"].isin(["30", "32"])].set_geometry("geometry_departement")
    return gdf.rename_geometry("geometry")


st.title("Communes du Gard et du Gers")
m = communes().explore(tooltip=["nom", "code", "population"], tiles=None)
m.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]  # Leaflet served locally
m.default_css = [("leaflet", "/app/static/leaflet/leaflet.css")]
st_folium(m, height=620, use_container_width=True)
"""
FLOOR_PAGE = """
import folium
import streamlit as st
from streamlit_folium import st_folium

st.set_page_config(layout="wide")
m = folium.Map(location=[44, 4], zoom_start=7, tiles=None)
m.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
m.default_css = [("leaflet", "/app/static/leaflet/leaflet.css")]
ring = [[3.5, 43.5], [4.5, 43.5], [4.5, 44.5], [3.5, 43.5]]
folium.GeoJson({"type": "Polygon", "coordinates": [ring]}).add_to(m)
st_folium(m, height=620, use_container_width=True)
"""
DRAWN = """(paths) => {
  for (const f of document.querySelectorAll("iframe")) {
    try {
      const d = f.contentDocument;
      if (d && d.querySelectorAll("path.leaflet-interactive").length >= paths) return true;
    } catch (e) {}
  }
  return false;
}"""
# The whole page is there: the atlas's tab has left its first screen (pvd_geo.ui.state: the map
# first, then the rest of the page) and shows its links; any other page: at once.
WHOLE = """() => !("pvdPremierEcran" in document.documentElement.dataset)
  && (!document.querySelector("[data-testid='stSidebar']")
      || document.querySelectorAll("[data-testid='stPageLink']").length > 0)"""
FOURG = {"offline": False, "latency": 40, "downloadThroughput": 9e6 / 8, "uploadThroughput": 9e6 / 8}


def explore_server(folder: Path, core: int, page: str = EXPLORE_PAGE) -> tuple[subprocess.Popen, str]:
    build = ROOT / "geodata" / "build" / "communes.parquet"
    folder.mkdir(exist_ok=True)
    (folder / "explorer.py").write_text(f"BUILD = {str(build)!r}\n" + page, encoding="utf-8")
    shutil.copytree(ROOT / "static" / "vendor" / "leaflet", folder / "static" / "leaflet")
    port = free_port()
    proc = subprocess.Popen(
        ["taskset", "-c", str(core), sys.executable, "-m", "streamlit", "run", "explorer.py"]
        + ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        + ["--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def open_tab(context, url: str, paths: int, network: dict | None) -> tuple[float, int, float]:
    """A new tab of ``context``: seconds to the map drawn, bytes received, seconds to the whole
    page (:data:`WHOLE`)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    received = [0]
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(0, received[0] + e["encodedDataLength"]))
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda e: received.__setitem__(0, received[0] + len(e["response"]["payloadData"])),
    )
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, arg=paths, polling=20, timeout=180_000)
    seconds = time.perf_counter() - start
    page.wait_for_function(WHOLE, polling=20, timeout=180_000)
    whole = time.perf_counter() - start
    page.wait_for_timeout(300)  # late bytes of the same load
    page.close()
    return seconds, received[0], whole


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--paths", type=int, default=808, help="map paths meaning 'drawn' (808: Gard + Gers)")
    ap.add_argument("--sans-reseau", action="store_true", help="no emulated 4G (loopback speed)")
    ap.add_argument("--plancher", action="store_true", help="also a one-polygon st_folium page (the floor)")
    args = ap.parse_args()
    network = None if args.sans_reseau else FOURG
    try:
        import mapclassify  # noqa: F401  (explore() needs it)
    except ImportError:
        sys.exit("explore() a besoin de mapclassify : make bench-explore (requirements-bench.txt)")
    os.sched_setaffinity(0, {0})  # this driver and the browser it starts: core 0
    from playwright.sync_api import sync_playwright

    atlas, atlas_url = start_server({"MALLOC_ARENA_MAX": "2"}, core=1)
    names = ["atlas", "explore"] + (["plancher"] if args.plancher else [])
    times: dict[str, list[float]] = {n: [] for n in names}
    sizes: dict[str, list[int]] = {n: [] for n in names}
    wholes: dict[str, list[float]] = {n: [] for n in names}
    paths = {"atlas": args.paths, "explore": args.paths, "plancher": 1}
    with tempfile.TemporaryDirectory() as tmp:
        explore, explore_url = explore_server(Path(tmp) / "explore", core=1)
        urls = {"atlas": atlas_url + "/", "explore": explore_url + "/"}
        floor = None
        if args.plancher:
            floor, floor_url = explore_server(Path(tmp) / "plancher", core=1, page=FLOOR_PAGE)
            urls["plancher"] = floor_url + "/"
        try:
            for url in urls.values():
                wait_until_up(url.rstrip("/"), 120)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                for name in urls:  # the browser has seen every page; the servers are warm
                    open_tab(context, urls[name], paths[name], None)
                for r in range(args.rounds):
                    for name in names if r % 2 == 0 else names[::-1]:
                        seconds, received, whole = open_tab(context, urls[name], paths[name], network)
                        times[name].append(seconds)
                        sizes[name].append(received)
                        wholes[name].append(whole)
                browser.close()
        finally:
            stop(atlas)
            stop(explore)
            if floor is not None:
                stop(floor)
    med = {n: statistics.median(v) for n, v in times.items()}
    kb = {n: statistics.median(v) / 1000 for n, v in sizes.items()}
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "tours": args.rounds,
        "reseau": "4G émulée : 40 ms, 9 Mbit/s" if network else "boucle locale",
        "coeurs": "serveurs: 1, navigateur: 0",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "atlas_carte_dessinee_mediane_s": round(med["atlas"], 3),
        "explore_carte_dessinee_mediane_s": round(med["explore"], 3),
        "rapport_temps": round(med["atlas"] / med["explore"], 2),
        # the atlas draws its map first, then the rest of its page (links, selectors, counts)
        "atlas_page_entiere_mediane_s": round(statistics.median(wholes["atlas"]), 3),
        "explore_page_entiere_mediane_s": round(statistics.median(wholes["explore"]), 3),
        "atlas_ko": round(kb["atlas"], 1),
        "explore_ko": round(kb["explore"], 1),
        "rapport_octets": round(kb["atlas"] / kb["explore"], 3),
        "atlas_min_max_s": [round(min(times["atlas"]), 3), round(max(times["atlas"]), 3)],
        "explore_min_max_s": [round(min(times["explore"]), 3), round(max(times["explore"]), 3)],
    }
    if args.plancher:  # the floor of any st_folium map, against explore's time
        result["plancher_carte_dessinee_mediane_s"] = round(med["plancher"], 3)
        result["plancher_min_max_s"] = [round(min(times["plancher"]), 3), round(max(times["plancher"]), 3)]
        result["rapport_plancher_explore"] = round(med["plancher"] / med["explore"], 2)
    save_result(result, "explore")


if __name__ == "__main__":
    main()
