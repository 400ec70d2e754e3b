"""The territory search (issue 24): what it costs the reader's browser and the server.

    .venv/bin/python benchmarks/bench_search.py [--repeat 5]

A server (pinned to core 0, the browser on the others) serves the overview; in Chromium, at
desktop speed and with the CPU slowed 4× (DevTools ``Emulation.setCPUThrottlingRate``, a
mid-range phone), the benchmark measures:
- the index: its compressed and plain size, and the time from the first keystroke to the first
  results (download, decompression, parsing of every territory of France);
- a keystroke once the index is loaded: the search and the list drawn, synchronously in the
  field's ``input`` handler (median and worst over the queries of the browser tests);
- the websocket messages the browser sent while the reader typed (the server's work: 0 expected),
  and the server's CPU over the typing.
Appends to benchmarks/results/search.jsonl.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, cpu_seconds, save_result, start_server, stop, wait_until_up  # noqa: E402

QUERIES = [
    "st hippolyte",
    "quisac",
    "vic fezansac",
    "le grau",
    "gers",
    "piemont cevenol",
    "hipolyte fort",
    "sa",
]

KEYSTROKE = """(el, text) => {
    const t = performance.now();
    el.value = text;
    el.dispatchEvent(new Event('input'));
    return performance.now() - t;
}"""


def run_browser(url: str, throttle: float, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        firsts, keystrokes, sent_total = [], [], 0
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            sent = []
            page.on("websocket", lambda ws, sent=sent: ws.on("framesent", lambda f: sent.append(f)))
            cdp = context.new_cdp_session(page)
            page.goto(url)
            field = page.locator(".atlas-recherche input")
            field.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            before = len(sent)
            start = time.perf_counter()
            field.evaluate(KEYSTROKE, "quissac")
            page.locator(".atlas-recherche li").first.wait_for(timeout=60_000)
            firsts.append(time.perf_counter() - start)
            for q in QUERIES:
                keystrokes.append(field.evaluate(KEYSTROKE, q))
            sent_total += len(sent) - before
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            context.close()
        browser.close()
    out["first_results_s"] = round(statistics.median(firsts), 3)
    out["keystroke_ms_median"] = round(statistics.median(keystrokes), 1)
    out["keystroke_ms_max"] = round(max(keystrokes), 1)
    out["messages_sent_while_typing"] = sent_total
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    proc, url = start_server({"PVD_OFFLINE": "1"}, core=0)
    others = set(range(os.cpu_count() or 2)) - {0}
    if others:  # the browser (started by this process) never on the server's core
        os.sched_setaffinity(0, others)
    try:
        wait_until_up(url)
        result: dict = {"date": time.strftime("%Y-%m-%d %H:%M")}
        cpu0 = cpu_seconds(proc.pid)
        for label, rate in (("desktop", 1), ("cpu_4x", 4)):
            result[label] = run_browser(url, rate, args.repeat)
        files = sorted(
            (ROOT / "static" / "recherche").glob("index-*.tsv.gz"), key=lambda p: p.stat().st_mtime
        )
        result["index_gzip_kb"] = round(files[-1].stat().st_size / 1e3)
        result["index_plain_kb"] = round(files[-1].with_suffix("").stat().st_size / 1e3)
        result["server_cpu_s_for_all_page_loads_and_typing"] = round(cpu_seconds(proc.pid) - cpu0, 2)
        result["repeat"] = args.repeat
        save_result(result, "search")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
