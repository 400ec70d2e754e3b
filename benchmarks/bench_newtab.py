"""A new tab of the overview against a new tab of a one-metric Streamlit page, alternately.

    .venv/bin/python benchmarks/bench_newtab.py [--rounds 12] [--path /]

Two servers pinned to core 1 (``taskset``): the atlas (``dashboard.py``, its default maps prepared
first by one visit) and a page with one ``st.metric``; one Chromium pinned to core 0 opens a new
context (a new tab, empty cache) on each in turn, the order swapped every round, so both see the
same machine at the same moments. Times: from ``goto`` to everything shown — for the one-metric
page its metric, for the atlas the script done, its figures and its map drawn (every commune's path
and the names placed). Only one page loads at a time: an idle server costs the other nothing.
Appends one JSON line to benchmarks/results/newtab.jsonl (medians, the ratio, the map's bytes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, free_port, save_result, start_server, stop, wait_until_up  # noqa: E402

ONE_METRIC = 'import streamlit as st\nst.metric("Communes", 45)\n'
# settled, as ../shared/tools/page_probe.py has it: the script done, no skeleton left (and a metric)
METRIC_SHOWN = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const value = document.querySelector("[data-testid='stMetricValue']");
  return !!app && app.getAttribute("data-test-script-state") === "notRunning" && !!value
    && document.querySelectorAll("[data-testid='stSkeleton']").length === 0;
}"""
ATLAS_SHOWN = """(paths) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (!document.querySelector("[data-testid='stMetricValue']")) return false;
  for (const f of document.querySelectorAll("iframe")) {
    try {
      const d = f.contentDocument;
      const drawn = d && d.querySelectorAll("path.leaflet-interactive").length >= paths;
      if (drawn && d.querySelector(".pvd-label")) return true;
    } catch (e) {}
  }
  return false;
}"""


def one_metric_server(folder: Path, core: int) -> tuple[subprocess.Popen, str]:
    script = folder / "une_metrique.py"
    script.write_text(ONE_METRIC, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        ["taskset", "-c", str(core), sys.executable, "-m", "streamlit", "run", str(script)]
        + ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def open_tab(browser, url: str, shown: str, arg=None) -> tuple[float, float, int]:
    """Seconds from a new tab's ``goto`` to settled (:data:`METRIC_SHOWN`) and to ``shown``, and
    bytes received over the websocket."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    received = [0]

    def on_ws(ws):
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    page.on("websocket", on_ws)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(METRIC_SHOWN, timeout=120_000, polling=20)
    settled = time.perf_counter() - start
    if arg:  # paths to wait for (0: a view without a map)
        page.wait_for_function(shown, arg=arg, timeout=120_000, polling=20)
    seconds = time.perf_counter() - start
    context.close()
    return settled, seconds, received[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--path", default="/", help="the atlas's view (default: the overview, Gard + Gers)")
    ap.add_argument("--paths", type=int, default=808, help="map paths meaning 'drawn' (808: Gard + Gers)")
    ap.add_argument("--root", help="run the atlas from this copy of the project (A/B experiments)")
    args = ap.parse_args()
    os.sched_setaffinity(0, {0})  # this driver and the browser it starts: core 0
    from playwright.sync_api import sync_playwright

    env = {"MALLOC_ARENA_MAX": "2"}
    if args.root:
        env |= {"PYTHONPATH": args.root, "PVD_BUILD_DIR": str(ROOT / "geodata" / "build")}
    atlas, atlas_url = start_server(env, core=1, cwd=args.root)
    with tempfile.TemporaryDirectory() as tmp:
        floor, floor_url = one_metric_server(Path(tmp), core=1)
        try:
            wait_until_up(atlas_url, 120)
            wait_until_up(floor_url, 120)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                open_tab(
                    browser, atlas_url + args.path, ATLAS_SHOWN, args.paths
                )  # maps prepared, atlas loaded
                open_tab(browser, floor_url, METRIC_SHOWN)
                times: dict[str, list[float]] = {"atlas": [], "atlas_carte": [], "une_metrique": []}
                sizes: dict[str, list[int]] = {"atlas": [], "une_metrique": []}
                for r in range(args.rounds):
                    order = ["atlas", "une_metrique"] if r % 2 == 0 else ["une_metrique", "atlas"]
                    for which in order:
                        if which == "atlas":
                            settled, drawn, b = open_tab(
                                browser, atlas_url + args.path, ATLAS_SHOWN, args.paths
                            )
                            times["atlas_carte"].append(drawn)
                        else:
                            settled, _, b = open_tab(browser, floor_url, METRIC_SHOWN)
                        times[which].append(settled)
                        sizes[which].append(b)
                browser.close()
        finally:
            stop(atlas)
            stop(floor)
    a, f = statistics.median(times["atlas"]), statistics.median(times["une_metrique"])
    drawn = statistics.median(times["atlas_carte"])
    save_result(
        {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "vue": args.path,
            "tours": args.rounds,
            "atlas_mediane_s": round(a, 3),
            "une_metrique_mediane_s": round(f, 3),
            "rapport": round(a / f, 2),
            "atlas_carte_dessinee_mediane_s": round(drawn, 3),
            "rapport_carte_dessinee": round(drawn / f, 2),
            "racine": args.root or "",
            "atlas_min_max_s": [round(min(times["atlas"]), 3), round(max(times["atlas"]), 3)],
            "une_metrique_min_max_s": [
                round(min(times["une_metrique"]), 3),
                round(max(times["une_metrique"]), 3),
            ],
            "websocket_ko": {k: round(statistics.median(v) / 1000, 1) for k, v in sizes.items()},
            "coeurs": "serveurs: 1, navigateur: 0",
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
            ).stdout.strip(),
        },
        "newtab",
    )


if __name__ == "__main__":
    main()
