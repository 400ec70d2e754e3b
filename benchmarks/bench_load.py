"""What only a browser shows under load: N concurrent Chromium sessions against one `streamlit run`
server, then 100 in a row. The server's capacity is measured by ``bench_capacity.py`` (protocol
level); this benchmark keeps the browser's side (first paint, a page settled), with the server
pinned to one core and the browsers to the other (``--server-core``, ``--browser-core``), so that
browsers no longer take the server's core. The old target (10 tabs, p95 ≤ 2 s on the server's own
cores) is retired: it measured browsers fighting the server for the same two cores.

    .venv/bin/python benchmarks/bench_load.py [--sessions 10] [--sequential 100] [--build geodata/build]

Loopback only. Each session is a Playwright context in Debian's Chromium (external requests are
refused) following a reader's path by clicks in one tab: the overview's link, then the sidebar and the
drill-down selectors (France → Occitanie → Gard → an EPCI → Quissac's page) and the comparison.
A step's time runs from the click to the page settled (script finished, the expected title shown,
no skeleton, the map's shapes drawn). Errors: a failed step, an exception shown
in the page or a console error. The server's memory (RSS) is sampled before, during (peak) and
after the sessions, and across the sequential sessions (a leak grows with their number).

The server runs with ``server.disconnectedSessionTTL`` = 15 s (default 120 s: Streamlit keeps a
closed tab's session that long for a reconnection), so "after" is read 25 s after the last tab.
Bounded: every step times out after 60 s, and the run stops after ``--budget`` seconds.
Appends one JSON line to benchmarks/results/load.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    ARGS,
    CHROMIUM,
    ROOT,
    cpu_seconds,
    machine_cpu_seconds,
    rss_mb,
    save_result,
    start_server,
    stop,
    wait_until_up,
)

# Loopback only: every other host name fails to resolve in Chromium. (Intercepting requests with
# Playwright's route() instead would put a Python callback on each request of 10 tabs and measure
# the driver rather than the app.)
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# A reader's path, as clicks in one tab: (step, action, argument, title expected, map shapes drawn).
# "open": the shared link of the overview; "nav": a sidebar link; "select": choose in the page's
# selector (label, option typed).
PATH = [
    ("vue d'ensemble", "open", "/", "Gard et Gers", 800),
    ("territoires", "nav", "Territoires", "France", 10),
    ("région", "select", ("Région", "Occitanie"), "Occitanie", 10),
    ("département", "select", ("Département", "Gard"), "Gard (30)", 300),
    ("EPCI", "select", ("EPCI", "CC du Piémont Cévenol"), "Piémont Cévenol", 10),
    ("commune", "select", ("Commune", "Quissac"), "Quissac", 10),
    ("comparaison", "nav", "Comparer", "Comparer", 100),
]
SHORT_PATH = [PATH[0], PATH[1], PATH[2]]  # the sequential sessions
TTL = int(os.environ.get("BENCH_TTL", 15))
# How often each tab checks whether its page has settled: every check is a round trip through the
# Playwright driver, so 10 tabs checking every 50 ms cost the machine CPU the pages need.
POLL_MS = int(os.environ.get("BENCH_POLL_MS", 200))

SETTLED = """([title, shapes]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  const h1 = document.querySelector("h1");
  if (!h1 || !h1.textContent.includes(title) || document.querySelector("[data-testid='stSkeleton']"))
    return false;
  if (!shapes) return true;
  const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
  const doc = frame && frame.contentDocument;
  return !!doc && doc.querySelectorAll("path.leaflet-interactive").length >= shapes;
}"""


async def act(page, url: str, action: str, argument) -> None:
    if action == "open":
        await page.goto(url + argument)
    elif action == "nav":
        await page.locator("[data-testid='stSidebar'] a", has_text=argument).first.click()
    else:
        label, option = argument
        box = page.locator("[data-testid='stSelectbox']", has_text=label).first
        await box.click()
        await page.keyboard.type(option)
        await page.keyboard.press("Enter")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Sampler(threading.Thread):
    """Samples the server's RSS every 0.2 s; ``peak`` is the maximum seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.2)


async def session(
    browser, url: str, steps, times: dict, errors: list, deadline: float, think=None, delay: float = 0
) -> None:
    """One reader: ``delay`` before opening the link, then ``think()`` seconds between actions."""
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        for name, action, argument, title, shapes in steps:
            if time.time() > deadline:
                errors.append(f"{name} : budget de temps épuisé")
                break
            start = time.perf_counter()
            try:
                await act(page, url, action, argument)
                await page.wait_for_function(SETTLED, arg=[title, shapes], timeout=60_000, polling=POLL_MS)
            except Exception as exc:  # a timeout or a closed page: counted, the session stops
                errors.append(f"{name} : {type(exc).__name__}")
                break
            times.setdefault(name, []).append(time.perf_counter() - start)
            if await page.locator("[data-testid='stException']").count():
                errors.append(f"{name} : exception affichée")
            if think:
                await asyncio.sleep(think())
    finally:
        # Streamlit's own health probe resolved against a deep page path is a known harmless 404
        errors.extend(f"console : {c}" for c in console if "_stcore/health" not in c and "404" not in c)
        await context.close()


async def concurrent(url: str, n: int, deadline: float, think: float = 0) -> tuple[dict, list]:
    """``n`` readers at once. ``think`` > 0: they open the link within the same ``think`` seconds and
    read each page ``think`` ± 50 % seconds before the next action (seeded); 0: no pause at all."""
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    rng = random.Random(6)
    pause = (lambda: rng.uniform(0.5 * think, 1.5 * think)) if think else None
    delays = [rng.uniform(0, think) for _ in range(n)] if think else [0.0] * n
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS + OFFLINE)
        await asyncio.gather(
            *(session(browser, url, PATH, times, errors, deadline, pause, d) for d in delays)
        )
        await browser.close()
    return times, errors


async def sequential(url: str, n: int, pid: int, deadline: float) -> tuple[list, list, dict]:
    """``n`` sessions one after the other (overview, territoires, a région); RSS every 10 sessions."""
    from playwright.async_api import async_playwright

    memory: list[tuple[int, float]] = []
    errors: list[str] = []
    times: dict[str, list[float]] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS + OFFLINE)
        for i in range(1, n + 1):
            if time.time() > deadline:
                errors.append(f"arrêt après {i - 1} sessions : budget de temps épuisé")
                break
            await session(browser, url, SHORT_PATH, times, errors, deadline)
            if i % 10 == 0:
                memory.append((i, round(rss_mb(pid), 1)))
        await browser.close()
    return memory, errors, times


def summary(times: dict[str, list[float]]) -> dict:
    every = [t for values in times.values() for t in values]
    out = {
        "steps": len(every),
        "p50_s": round(statistics.median(every), 2) if every else None,
        "p95_s": round(percentile(every, 0.95), 2) if every else None,
    }
    out["per_step_p95_s"] = {k: round(percentile(v, 0.95), 2) for k, v in times.items()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, default=ROOT / "geodata" / "build")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--sequential", type=int, default=100)
    ap.add_argument("--budget", type=float, default=900, help="seconds for the whole run")
    ap.add_argument(
        "--think", type=float, default=0, help="seconds a reader spends on a page (0: none, worst case)"
    )
    ap.add_argument("--server-core", type=int, default=1)
    ap.add_argument("--browser-core", type=int, default=0, help="this driver and its Chromium processes")
    args = ap.parse_args()
    os.sched_setaffinity(0, {args.browser_core})  # inherited by the browsers launched from here
    deadline = time.time() + args.budget
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "sessions": args.sessions, "think_s": args.think}
    result["cores"] = {"server": args.server_core, "browsers": args.browser_core}
    with tempfile.TemporaryDirectory() as cache:
        env = {"PVD_BUILD_DIR": str(args.build), "PVD_CACHE_DIR": cache}
        # as `make run` does: the default maps are prepared before the server starts
        subprocess.run(
            [sys.executable, "-m", "pvd_geo", "warm"], cwd=ROOT, env={**os.environ, **env}, check=True
        )
        proc, url = start_server(env, ("--server.disconnectedSessionTTL", str(TTL)), core=args.server_core)
        try:
            wait_until_up(url)
            time.sleep(1)
            result["rss_start_mb"] = round(rss_mb(proc.pid), 1)
            # one visit first, as the first visitor of a deployment does: data loaded, maps cached
            asyncio.run(concurrent(url, 1, deadline))
            time.sleep(TTL + 10)
            result["rss_after_first_visit_mb"] = base = round(rss_mb(proc.pid), 1)

            sampler = Sampler(proc.pid)
            sampler.start()
            start, server_cpu, machine_cpu = time.perf_counter(), cpu_seconds(proc.pid), machine_cpu_seconds()
            times, errors = asyncio.run(concurrent(url, args.sessions, deadline, args.think))
            result["concurrent_wall_s"] = round(time.perf_counter() - start, 1)
            # where the 2 cores went: the server, and everything else (the browsers, mostly)
            server_cpu = cpu_seconds(proc.pid) - server_cpu
            result["server_cpu_s"] = round(server_cpu, 1)
            result["other_cpu_s"] = round(machine_cpu_seconds() - machine_cpu - server_cpu, 1)
            result["server_cpu_per_step_s"] = round(server_cpu / max(1, sum(map(len, times.values()))), 3)
            sampler.running = False
            result.update(summary(times))
            result["errors"] = errors
            result["rss_peak_mb"] = round(sampler.peak, 1)
            result["rss_growth_per_session_mb"] = round((sampler.peak - base) / args.sessions, 1)
            time.sleep(TTL + 10)
            result["rss_after_mb"] = round(rss_mb(proc.pid), 1)

            memory, seq_errors, seq_times = asyncio.run(sequential(url, args.sequential, proc.pid, deadline))
            time.sleep(TTL + 10)
            result["sequential"] = {
                "sessions": memory[-1][0] if memory else 0,
                "rss_every_10_mb": memory,
                "rss_after_mb": round(rss_mb(proc.pid), 1),
                "errors": seq_errors,
                **summary(seq_times),
            }
        finally:
            stop(proc)
    result["targets"] = {"p95_s": 2, "errors": 0, "rss_growth_per_session_mb": 30}
    save_result(result, "load")


if __name__ == "__main__":
    main()
