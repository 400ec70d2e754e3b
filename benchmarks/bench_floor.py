"""The floor of the load benchmark: 10 concurrent Chromium tabs on a trivial Streamlit page.

    .venv/bin/python benchmarks/bench_floor.py [--sessions 10]

The same browser set-up as ``bench_load.py`` (Playwright contexts on Debian's Chromium, loopback
only, on the same 2 cores as the server), against a one-metric page with one button, written to a
temporary folder: time from opening the page to the metric shown, then from a click on the button
to the rerun shown. Whatever an app does, its times under this load cannot be lower than these.
Appends one JSON line to benchmarks/results/floor.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import OFFLINE, percentile  # noqa: E402
from common import ARGS, CHROMIUM, free_port, machine_cpu_seconds, save_result, stop, wait_until_up  # noqa: E402

PAGE = """import streamlit as st
st.metric("Communes", st.session_state.get("n", 0))
if st.button("Encore"):
    st.session_state["n"] = st.session_state.get("n", 0) + 1
    st.rerun()
"""
SHOWN = """(n) => {
  const app = document.querySelector("[data-testid='stApp']");
  const value = document.querySelector("[data-testid='stMetricValue']");
  return !!app && app.getAttribute("data-test-script-state") === "notRunning" && !!value
    && value.textContent.trim() === String(n);
}"""


async def reader(browser, url: str, times: dict) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url)
    await page.wait_for_function(SHOWN, arg=0, timeout=120_000, polling=200)
    times["ouverture"].append(time.perf_counter() - start)
    for n in (1, 2, 3):
        start = time.perf_counter()
        await page.get_by_role("button", name="Encore").click()
        await page.wait_for_function(SHOWN, arg=n, timeout=120_000, polling=200)
        times["clic"].append(time.perf_counter() - start)
    await context.close()


async def run(url: str, n: int) -> dict:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {"ouverture": [], "clic": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS + OFFLINE)
        await reader(browser, url, {"ouverture": [], "clic": []})  # server warmed by one visit
        await asyncio.gather(*(reader(browser, url, times) for _ in range(n)))
        await browser.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "page.py"
        script.write_text(PAGE, encoding="utf-8")
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
            + ["--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url)
            cpu = machine_cpu_seconds()
            times = asyncio.run(run(url, args.sessions))
            cpu = machine_cpu_seconds() - cpu
        finally:
            stop(proc)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "sessions": args.sessions,
        "machine_cpu_s": round(cpu, 1),
    }
    for name, values in times.items():
        result[f"{name}_p50_s"] = round(statistics.median(values), 2)
        result[f"{name}_p95_s"] = round(percentile(values, 0.95), 2)
    save_result(result, "floor")


if __name__ == "__main__":
    main()
