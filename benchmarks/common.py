"""What the browser benchmarks share: Chromium's flags, a `streamlit run` server, its memory."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the current official lists (../shared/data/README.md): programme -> file
CURRENT = ROOT.parent / "shared" / "data" / "current"
CURRENT_LISTS = {
    "pvd": "anct_pvd_communes_2026.csv",
    "acv": "anct_acv_communes_2025.csv",
    "ort": "ort_communes_signees_2026.csv",
}
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    env: dict,
    options: tuple[str, ...] = (),
    core: int | None = None,
    cwd: str | None = None,
    script: str = "pvd_geo/ui/server.py",
) -> tuple[subprocess.Popen, str]:
    """`streamlit run pvd_geo/ui/server.py` (dashboard.py) on 127.0.0.1 (not waited for: see
    :func:`wait_until_up`); ``core``: pinned to that core (``taskset``), away from the browsers or
    the load driver; ``script``: ``dashboard.py`` for the atlas without its upload quota."""
    port = free_port()
    pin = ["taskset", "-c", str(core)] if core is not None else []
    proc = subprocess.Popen(
        [*pin, sys.executable, "-m", "streamlit", "run", script]
        + ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        + list(options),
        cwd=cwd or ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def static_server(folder: Path, core: int = 1) -> tuple[subprocess.Popen, str]:
    """``python -m http.server`` serving ``folder`` on 127.0.0.1, pinned to ``core`` (the static
    site), ready when returned; stop it with :func:`stop`."""
    port = free_port()
    proc = subprocess.Popen(
        ["taskset", "-c", str(core), sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return proc, url
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def time_new_tab(browser, url: str, drawn: str, arg=None, prepare=None) -> float:
    """Seconds from opening ``url`` in a new browser context (a new tab, empty cache) to the
    JavaScript condition ``drawn`` (with ``arg``); ``prepare(page)`` runs first (e.g. routes)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    if prepare:
        prepare(page)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(drawn, arg=arg, polling=10, timeout=60_000)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def rss_mb(pid: int) -> float:
    """Resident memory of a process (MB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used by a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time used by the whole machine so far (all cores, idle and I/O wait excluded)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(values) - values[3] - values[4]  # minus idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


def save_result(result: dict, name: str) -> None:
    """Print the figures and append them as one JSON line to ``benchmarks/results/{name}.jsonl``."""
    print(json.dumps(result, ensure_ascii=False, indent=1))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with (out / f"{name}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(result, ensure_ascii=False) + "\n")
