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
  if ("pvdPremierEcran" in document.documentElement.dataset) return false;  // the whole page
  for (const f of document.querySelectorAll("iframe")) {
    try {
      const d = f.contentDocument;
      const drawn = d && d.querySelectorAll("path.leaflet-interactive").length >= Math.abs(paths);
      if (drawn && (paths < 0 || d.querySelector(".pvd-label"))) return true;
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
    ap.add_argument(
        "--root",
        action="append",
        default=[],
        help="also run the atlas from this copy of the project (A/B in the same run; repeatable)",
    )
    ap.add_argument("--sans-noms", action="store_true", help="drawn without waiting for names (older maps)")
    args = ap.parse_args()
    paths = -args.paths if args.sans_noms else args.paths  # negative: no names to wait for
    os.sched_setaffinity(0, {0})  # this driver and the browser it starts: core 0
    from playwright.sync_api import sync_playwright

    servers = {}
    for root in [None, *args.root]:
        env = {"MALLOC_ARENA_MAX": "2"}
        if root:
            env |= {"PYTHONPATH": root, "PVD_BUILD_DIR": str(ROOT / "geodata" / "build")}
        servers[root or "actuel"] = start_server(env, core=1, cwd=root)
    names = list(servers)
    times = {n: {"installee": [], "carte": []} for n in [*names, "une_metrique"]}
    sizes: dict[str, list[int]] = {n: [] for n in [*names, "une_metrique"]}
    with tempfile.TemporaryDirectory() as tmp:
        floor, floor_url = one_metric_server(Path(tmp), core=1)
        try:
            for _, url in servers.values():
                wait_until_up(url, 120)
            wait_until_up(floor_url, 120)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for _, url in servers.values():  # maps prepared, atlas loaded
                    open_tab(browser, url + args.path, ATLAS_SHOWN, paths)
                open_tab(browser, floor_url, METRIC_SHOWN)
                everyone = [*names, "une_metrique"]
                for r in range(args.rounds):
                    order = everyone[r % len(everyone) :] + everyone[: r % len(everyone)]  # rotated
                    for which in order:
                        if which == "une_metrique":
                            settled, drawn, b = open_tab(browser, floor_url, METRIC_SHOWN)
                        else:
                            url = servers[which][1] + args.path
                            settled, drawn, b = open_tab(browser, url, ATLAS_SHOWN, paths)
                        times[which]["installee"].append(settled)
                        times[which]["carte"].append(drawn)
                        sizes[which].append(b)
                browser.close()
        finally:
            for proc, _ in servers.values():
                stop(proc)
            stop(floor)
    floor_median = statistics.median(times["une_metrique"]["installee"])
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "vue": args.path,
        "tours": args.rounds,
        "une_metrique_mediane_s": round(floor_median, 3),
        "coeurs": "serveurs: 1, navigateur: 0",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
    }
    for name in names:
        settled, drawn = (statistics.median(times[name][k]) for k in ("installee", "carte"))
        result[name] = {
            "installee_mediane_s": round(settled, 3),
            "rapport_installee": round(settled / floor_median, 2),
            "carte_dessinee_mediane_s": round(drawn, 3),
            "rapport_carte_dessinee": round(drawn / floor_median, 2),
            "installee_min_max_s": [
                round(min(times[name]["installee"]), 3),
                round(max(times[name]["installee"]), 3),
            ],
            "websocket_ko": round(statistics.median(sizes[name]) / 1000, 1),
        }
    save_result(result, "newtab")


if __name__ == "__main__":
    main()
