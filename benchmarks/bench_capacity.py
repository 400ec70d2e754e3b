"""Capacity of the atlas, measured at the protocol level: simulated readers speak Streamlit's
websocket protocol, so that what is measured is the server, not browsers.

    .venv/bin/python benchmarks/bench_capacity.py [--levels 10,25,50,100,200] [--duration 60]
        [--think 10] [--sequential 1000] [--lists official|embedded] [--url URL --server-pid PID]

How it works:
- The server (``streamlit run pvd_geo/ui/server.py``: dashboard.py and its upload quota) is started
  pinned to core 1 (``taskset -c 1``) and this driver pins itself to core 0, on loopback only.
  With ``--url`` the driver measures a server
  started elsewhere (e.g. replicas behind the proxy of ``deploy/``); ``--server-pid`` (repeatable)
  names the processes whose CPU and memory are read from ``/proc``.
- Each simulated reader opens its own session (``/_stcore/stream``, subprotocol ``streamlit``; a
  fresh session id, never shared) and follows a reader's path by query strings, as links and the
  address bar do: overview → France → a région → a département → an EPCI → a commune page → the
  comparison of two départements, then again, with an exponential think time (mean ``--think``
  seconds) between actions. Territories are drawn at random (seeded) from small pools, so that
  readers share some views and not others.
- An action is ``BackMsg.rerun_script`` with a ``ClientState`` (query string, page name); its time
  runs from the message sent to ``script_finished``, plus the HTTP requests a browser makes for the
  view that no cache answers: the map component's page (``/component/.../index.html``) and the
  first download of the view (``/media/...``). An error is an exception element, an error alert,
  a compile error, a page not found, a dropped socket, an HTTP error or a timeout.
- Before the measured stages, one warm-up pass visits every territory of the pools once (the
  first drawing of a map is reported apart: it is paid once per process and data version).
- For each N: the readers arrive over ``--ramp`` seconds (each opens its page and websocket),
  then ``--duration`` seconds of steady state are measured: p50/p95/p99 per action type, errors
  (ramp included), actions per second, the server's CPU per action (``/proc/<pid>/stat``), its RSS
  and RSS growth per session, and the driver's own CPU (a saturated driver would show here); the
  ramp's own p95 is reported apart. The knee is the largest N whose steady p95 over all actions
  stays ≤ 1 s with no error.
- ``--sequential`` sessions, one after the other (overview, then closed): RSS every 100, then again
  after the disconnected-session TTL has passed.
- The same driver against a one-metric Streamlit page (same server options, same cores) gives the
  floor: what any Streamlit app costs under the same load.

Appends one JSON line to ``benchmarks/results/capacity.jsonl``. Bounded: every stage stops by
itself (``--duration``), every action times out (``--timeout``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, free_port, save_result, wait_until_up  # noqa: E402

FLOOR_PAGE = """import streamlit as st
st.metric("Communes", 45)
"""
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --- the server's CPU and memory, from /proc --------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
    return total


def rss_mb(pids: list[int]) -> float:
    return sum(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE for pid in pids) / 2**20


# --- one reader's session -----------------------------------------------------------------------


class ActionError(Exception):
    pass


@dataclass
class Result:
    kind: str
    seconds: float
    error: str | None = None
    started: float = 0.0  # time.monotonic() when the message was sent


@dataclass
class Session:
    """One simulated reader: its own websocket and session."""

    base: str  # http://host:port
    timeout: float
    ws: websockets.ClientConnection | None = None
    extra_http: bool = True
    cookies: dict = field(default_factory=dict)
    # the reader's own address, as the atlas's proxy forwards it (every simulated reader comes
    # from 127.0.0.1: the atlas's limits per address would otherwise count them as one)
    address: str = ""

    async def open(self) -> None:
        """The page first, as a browser opens it (a proxy answers with its affinity cookie, sent
        back with the websocket and every request after it), then the websocket."""
        await asyncio.wait_for(http_get(self.base, "/", self.cookies), self.timeout)
        url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        self.ws = await websockets.connect(
            url,
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            max_size=None,
            open_timeout=self.timeout,
            additional_headers=headers or None,
            compression=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, page: str, query: str) -> tuple[list[str], dict]:
        """Rerun ``page`` with ``query``; returns (HTTP paths a browser would fetch, facts)."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await self.ws.send(msg.SerializeToString())
        paths: list[str] = []
        facts = {"bytes": 0}
        while True:
            raw = await self.ws.recv()
            facts["bytes"] += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception" and not element.exception.is_warning:
                    raise ActionError(f"exception: {element.exception.message[:120]}")
                if which == "alert" and element.alert.format == element.alert.ERROR:
                    raise ActionError(f"error alert: {element.alert.body[:120]}")
                if which == "component_instance":  # its page, then the scripts it loads uncached
                    name = element.component_instance.component_name
                    paths.append(f"/component/{name}/index.html")
                    paths.extend(COMPONENT_FILES.get(name, []))
                url = element.download_button.url if which == "download_button" else ""
                if url.startswith("/media/") and not any(p.startswith("/media/") for p in paths):
                    paths.append(url)  # one download per view
            elif kind == "page_not_found":
                raise ActionError(f"page not found: {fwd.page_not_found.page_name}")
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ActionError("compile error")
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page reran itself (URL written): wait for the final run
                return paths, facts

    async def action(self, kind: str, page: str, query: str) -> Result:
        started, start = time.monotonic(), time.perf_counter()
        try:
            paths, _ = await asyncio.wait_for(self.run(page, query), self.timeout)
            if self.extra_http:
                for path in paths:
                    await asyncio.wait_for(http_get(self.base, path, self.cookies), self.timeout)
                    if path.endswith("/index.html") and path.split("/")[2] not in COMPONENT_FILES:
                        await learn_component_files(self.base, path, self.cookies)
        except (ActionError, OSError, websockets.WebSocketException) as exc:
            return Result(kind, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"[:160], started)
        except TimeoutError:
            return Result(kind, time.perf_counter() - start, "timeout", started)
        return Result(kind, time.perf_counter() - start, None, started)


# A component's page loads its own bundle: streamlit-folium's (``static/js/main.*.js``) is served
# with ``Cache-Control: public`` and no validator, so a browser fetches it again for every new map
# frame; the driver fetches it too (learnt from the page, once).
COMPONENT_FILES: dict[str, list[str]] = {}


async def learn_component_files(base: str, page: str, cookies: dict | None) -> None:
    import re

    name = page.split("/")[2]
    body: list[bytes] = []
    await http_get(base, page, cookies, body)
    found = re.findall(rb'<script[^>]+src="\./([^"]+)"', body[0] if body else b"")
    COMPONENT_FILES[name] = [f"/component/{name}/{f.decode()}" for f in found]


async def http_get(base: str, path: str, cookies: dict | None = None, body: list | None = None) -> int:
    """A minimal HTTP/1.1 GET (one connection, read to the end): what a browser fetches for a view.
    Cookies set by the answer (a proxy's affinity cookie) are added to ``cookies``, as a browser
    keeps them. Raises ActionError on a status other than 200."""
    parts = urlsplit(base)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n" if cookies else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{cookie}Connection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1]) if head[0].startswith("HTTP/") else 0
    if cookies is not None:
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "set-cookie":
                key, _, rest = value.strip().partition("=")
                cookies[key] = rest.split(";", 1)[0]
    if status != 200:
        raise ActionError(f"HTTP {status} for {path}")
    if body is not None:
        body.append(data.split(b"\r\n\r\n", 1)[-1])
    return len(data)


# --- the reader's path ---------------------------------------------------------------------------


def pools(build: Path, size: dict[str, int], seed: int) -> dict[str, list[str]]:
    """Territories with at least one PVD (of the lists in use), a few of each kind."""
    import pandas as pd  # only here: the driver's own CPU during the stages stays small

    communes = pd.read_parquet(build / "communes.parquet", columns=["code", "dep", "reg", "epci"])
    rng = random.Random(seed)
    pick = lambda values, n: sorted(rng.sample(sorted(set(values)), min(n, len(set(values)))))  # noqa: E731
    mainland = communes[~communes["dep"].str.startswith("97")]
    return {
        "reg": pick(mainland["reg"], size["reg"]),
        "dep": pick(mainland["dep"], size["dep"]),
        "epci": pick(mainland["epci"].dropna(), size["epci"]),
        "com": pick(mainland["code"], size["com"]),
        "all_dep": sorted(set(communes["dep"])),  # for the hostile client
        "all_epci": sorted(set(communes["epci"].dropna())),
    }


def reader_path(pool: dict[str, list[str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """(action, page name, query string) of one walk through the atlas."""
    a, b = rng.sample(pool["dep"], 2)
    return [
        ("vue d'ensemble", "", ""),
        ("France", "", "perimetre=france"),
        ("région", "Territoire", f"reg={rng.choice(pool['reg'])}"),
        ("département", "Territoire", f"dep={rng.choice(pool['dep'])}"),
        ("EPCI", "Territoire", f"epci={rng.choice(pool['epci'])}"),
        ("commune", "Territoire", f"com={rng.choice(pool['com'])}"),
        ("comparaison", "Comparer", f"t=departement:{a},departement:{b}"),
    ]


FLOOR_PATH = [("page à un chiffre", "", "")]


def hostile_path(pool: dict[str, list[str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """The worst links of the issue-22 trial, each new: 12 départements never asked together
    (a new map each time, ≈ 3 s of CPU unbounded), every département, a comparison of five
    territories with a duplicate, an export of every EPCI."""
    deps = pool["all_dep"]
    twelve = ",".join(sorted(rng.sample(deps, 12)))
    five = ",".join([f"departement:{d}" for d in rng.sample(deps, 4)] + [f"departement:{deps[0]}"])
    return [
        ("12 départements nouveaux", "", f"deps={twelve}"),
        ("101 départements", "", "deps=" + ",".join(deps)),
        ("comparer 5 et un doublon", "Comparer", f"t={five}"),
        ("exporter toutes les EPCI", "Exporter", "t=" + ",".join(f"epci:{e}" for e in pool["all_epci"])),
    ]


async def hostile(base, pool, until, results, timeout) -> None:
    """One hostile client in a loop, no pause: its actions go to ``results`` (not the readers')."""
    rng = random.Random(99)
    while time.monotonic() < until:
        session = Session(base, timeout, extra_http=False, address="203.0.113.66")
        try:
            await session.open()
            while time.monotonic() < until:
                for kind, page, query in hostile_path(pool, rng):
                    if time.monotonic() >= until:
                        break
                    results.append(await session.action(kind, page, query))
                    if session.ws is None or session.ws.state.name != "OPEN":
                        raise OSError("socket dropped")
        except (OSError, websockets.WebSocketException, TimeoutError):
            await asyncio.sleep(0.5)
        finally:
            await session.close()


async def reader(base, pool, seed, think, ramp, until, results, timeout, cookies=None):
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, ramp))  # arrivals spread over the ramp
    session = Session(
        base,
        timeout,
        cookies=dict(cookies or {}),
        address=f"10.{seed >> 16 & 255}.{seed >> 8 & 255}.{seed & 255}",
    )
    try:
        await session.open()
    except (ActionError, OSError, websockets.WebSocketException, TimeoutError) as exc:
        results.append(Result("connexion", 0.0, f"{type(exc).__name__}: {exc}"[:160], time.monotonic()))
        return
    try:
        while time.monotonic() < until:
            for kind, page, query in FLOOR_PATH if pool is None else reader_path(pool, rng):
                if time.monotonic() >= until:
                    break
                result = await session.action(kind, page, query)
                results.append(result)
                if result.error and session.ws is not None and session.ws.state.name != "OPEN":
                    return  # dropped socket: this reader is done (counted as an error)
                await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, until - time.monotonic())))
    finally:
        await session.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def summary(results: list[Result]) -> dict:
    ok = [r for r in results if not r.error]
    times = [r.seconds for r in ok]
    per_kind = {
        k: {
            "n": len(t := [r.seconds for r in ok if r.kind == k]),
            "p50": round(percentile(t, 50), 3),
            "p95": round(percentile(t, 95), 3),
            "p99": round(percentile(t, 99), 3),
        }
        for k in sorted({r.kind for r in results})
    }
    return {
        "actions": len(results),
        "errors": len(results) - len(ok),
        "error_samples": sorted({r.error for r in results if r.error})[:5],
        "p50": round(percentile(times, 50), 3),
        "p95": round(percentile(times, 95), 3),
        "p99": round(percentile(times, 99), 3),
        "per_action": per_kind,
    }


async def stage(base, pids, pool, n, duration, think, ramp, timeout, with_hostile=False) -> dict:
    """N readers arriving over ``ramp`` seconds (each opens its session: the page, the websocket),
    then ``duration`` seconds of steady state. The figures are those of the steady state (actions
    sent after the ramp; server CPU over the same window); the ramp's are reported apart, and
    errors count over both."""
    results: list[Result] = []
    rss_before = rss_mb(pids)
    wall0 = time.monotonic()
    steady_from, until = wall0 + ramp, wall0 + ramp + duration
    marks = {}

    async def mark():
        await asyncio.sleep(ramp)
        marks["cpu"], marks["driver"] = cpu_seconds(pids), time.process_time()

    bad: list[Result] = []
    await asyncio.gather(
        mark(),
        *(reader(base, pool, 1000 * n + i, think, ramp, until, results, timeout) for i in range(n)),
        *([hostile(base, pool, until, bad, timeout)] if with_hostile else []),
    )
    wall = time.monotonic() - steady_from
    cpu, drv = cpu_seconds(pids) - marks["cpu"], time.process_time() - marks["driver"]
    steady = [r for r in results if r.started >= steady_from]
    ramped = [r for r in results if r.started < steady_from]
    out = {"readers": n, **summary(steady)}
    out["errors"] += sum(1 for r in ramped if r.error)
    out["error_samples"] = sorted({r.error for r in results if r.error})[:5]
    return {
        **out,
        "actions_per_s": round(len(steady) / wall, 2),
        "server_cpu_per_action_ms": round(1000 * cpu / max(1, len(steady)), 1),
        "server_cpu_share": round(cpu / wall, 2),
        "driver_cpu_share": round(drv / wall, 2),
        "rss_mb": round(rss_mb(pids), 1),
        "rss_per_session_mb": round((rss_mb(pids) - rss_before) / n, 2),
        "steady_s": round(wall, 1),
        "ramp": {"seconds": ramp, **{k: v for k, v in summary(ramped).items() if k != "per_action"}},
        **({"hostile": summary(bad)} if with_hostile else {}),
    }


async def warm_up(base, pool, timeout) -> dict:
    """Every territory of the pools once: the first drawing of each view (a new session and
    address every 20 views: the atlas's limit of page runs per address is not the warm-up's)."""
    session = Session(base, timeout)
    seconds: dict[str, list[float]] = {}
    errors = []
    try:
        steps = [("vue d'ensemble", "", ""), ("France", "", "perimetre=france")]
        steps += [("région", "Territoire", f"reg={c}") for c in pool["reg"]]
        steps += [("département", "Territoire", f"dep={c}") for c in pool["dep"]]
        steps += [("EPCI", "Territoire", f"epci={c}") for c in pool["epci"]]
        steps += [("commune", "Territoire", f"com={c}") for c in pool["com"]]
        deps = pool["dep"]
        steps += [
            ("comparaison", "Comparer", f"t=departement:{a},departement:{b}")
            for i, a in enumerate(deps)
            for b in deps[i + 1 :]
        ]
        for k, (kind, page, query) in enumerate(steps):
            if k % 20 == 0:
                await session.close()
                session = Session(base, timeout, address=f"192.0.2.{k // 20 + 1}")
                await session.open()
            result = await session.action(kind, page, query)
            seconds.setdefault(kind, []).append(result.seconds)
            if result.error:
                errors.append(f"{kind} {query}: {result.error}")
    finally:
        await session.close()
    return {
        "views": sum(len(v) for v in seconds.values()),
        "errors": errors[:5],
        "first_view_s": {k: round(statistics.median(v), 2) for k, v in seconds.items()},
        "total_s": round(sum(sum(v) for v in seconds.values()), 1),
    }


async def sequential(base, pids, count, timeout, ttl) -> dict:
    """``count`` sessions one after the other (open, overview, close): RSS every 100, and after
    the disconnected-session TTL."""
    samples = [(0, round(rss_mb(pids), 1))]
    errors = 0
    for i in range(1, count + 1):  # one reader each (its own address, as the proxy forwards it)
        session = Session(base, timeout, extra_http=False, address=f"198.18.{i >> 8 & 255}.{i & 255}")
        try:
            await session.open()
            errors += bool((await session.action("vue d'ensemble", "", "")).error)
        except (ActionError, OSError, websockets.WebSocketException, TimeoutError):
            errors += 1
        finally:
            await session.close()
        if i % 100 == 0:
            samples.append((i, round(rss_mb(pids), 1)))
    await asyncio.sleep(ttl + 15)
    after_ttl = round(rss_mb(pids), 1)
    return {"sessions": count, "errors": errors, "rss_mb_every_100": samples, "rss_mb_after_ttl": after_ttl}


# --- servers -------------------------------------------------------------------------------------

SERVER_OPTIONS = ["--server.headless", "true", "--browser.gatherUsageStats", "false"]


def start(script: Path, cwd: Path, env: dict, core: int, ttl: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = ["taskset", "-c", str(core), sys.executable, "-m", "streamlit", "run", str(script)]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1", *SERVER_OPTIONS]
    cmd += ["--server.disconnectedSessionTTL", str(ttl)]
    env = {"MALLOC_ARENA_MAX": "2", **env}  # as `make run` and deploy/serve.py start the atlas
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, timeout=120)
    return proc, url


def official_lists(folder: Path, env: dict) -> None:
    """The current official lists of ../shared/data/current, imported as an operator would."""
    current = ROOT.parent / "shared" / "data" / "current"
    names = {
        "pvd": "anct_pvd_communes_2026",
        "acv": "anct_acv_communes_2025",
        "ort": "ort_communes_signees_2026",
    }
    for programme, name in names.items():
        cmd = [sys.executable, "-m", "pvd_geo", "import-selection", str(current / f"{name}.csv")]
        cmd += ["--programme", programme, "--couverture", "nationale", "--yes"]
        subprocess.run(
            cmd, cwd=ROOT, env={**env, "PVD_LISTES_DIR": str(folder)}, check=True, capture_output=True
        )


async def measure(args) -> dict:
    levels = [int(x) for x in args.levels.split(",")]
    out: dict = {"levels": levels, "think_s": args.think, "duration_s": args.duration, "lists": args.lists}
    build = Path(os.environ.get("PVD_BUILD_DIR", ROOT / "geodata" / "build"))
    pool = pools(build, {"reg": 6, "dep": 12, "epci": 20, "com": 40}, seed=7)
    procs = []
    try:
        if args.url:
            base, pids = args.url.rstrip("/"), args.server_pid
            out["target"] = base
        else:
            tmp = Path(tempfile.mkdtemp(prefix="pvd-capacity-"))
            env = {
                **os.environ,
                "PVD_CACHE_DIR": str(tmp / "cache"),
                "PVD_LISTES_DIR": str(tmp / "listes"),
            }
            (tmp / "listes").mkdir()
            if args.lists == "official":
                official_lists(tmp / "listes", env)
            else:
                for path in (ROOT / "geodata" / "embarquees").iterdir():
                    shutil.copy(path, tmp / "listes" / path.name)
            subprocess.run(
                [sys.executable, "-m", "pvd_geo", "warm"], cwd=ROOT, env=env, check=True, capture_output=True
            )
            proc, base = start(ROOT / "pvd_geo" / "ui" / "server.py", ROOT, env, args.server_core, args.ttl)
            procs.append(proc)
            pids = [proc.pid]  # taskset execs the interpreter: same pid
            out["target"] = f"dashboard.py (one process, core {args.server_core})"
        out["rss_mb_start"] = round(rss_mb(pids), 1)
        out["warm_up"] = await warm_up(base, pool, args.timeout)
        out["rss_mb_after_warm_up"] = round(rss_mb(pids), 1)
        print("warm-up", json.dumps(out["warm_up"], ensure_ascii=False), flush=True)
        out["stages"] = []
        for n in levels:
            result = await stage(base, pids, pool, n, args.duration, args.think, args.ramp, args.timeout)
            out["stages"].append(result)
            if args.hostile:
                print(json.dumps({k: v for k, v in result.items() if k != "per_action"}, ensure_ascii=False))
                result = await stage(
                    base, pids, pool, n, args.duration, args.think, args.ramp, args.timeout, with_hostile=True
                )
                out.setdefault("stages_with_hostile", []).append(result)
            print(
                json.dumps({k: v for k, v in result.items() if k != "per_action"}, ensure_ascii=False),
                flush=True,
            )
        good = [s["readers"] for s in out["stages"] if s["p95"] <= 1.0 and s["errors"] == 0]
        out["knee"] = max(good) if good else 0
        if args.sequential:
            out["sequential"] = await sequential(base, pids, args.sequential, args.timeout, args.ttl)
            print("sequential", json.dumps(out["sequential"]), flush=True)
        if not args.url and args.floor:
            floor_dir = Path(tempfile.mkdtemp(prefix="pvd-floor-"))
            (floor_dir / "page.py").write_text(FLOOR_PAGE, encoding="utf-8")
            (floor_dir / ".streamlit").mkdir()  # the atlas's server settings (config.toml)
            shutil.copy(ROOT / ".streamlit" / "config.toml", floor_dir / ".streamlit" / "config.toml")
            fproc, fbase = start(
                floor_dir / "page.py", floor_dir, dict(os.environ), args.server_core, args.ttl
            )
            procs.append(fproc)
            out["floor"] = []
            for n in levels:
                result = await stage(
                    fbase, [fproc.pid], None, n, args.floor, args.think, args.ramp, args.timeout
                )
                out["floor"].append(result)
                print("floor", json.dumps({k: v for k, v in result.items() if k != "per_action"}), flush=True)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--levels", default="10,25,50,100,200")
    p.add_argument("--duration", type=float, default=60, help="seconds measured per stage")
    p.add_argument("--think", type=float, default=10, help="mean think time between actions")
    p.add_argument("--ramp", type=float, default=30, help="seconds over which the readers arrive")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--sequential", type=int, default=1000)
    p.add_argument("--ttl", type=int, default=120, help="server.disconnectedSessionTTL (Streamlit's default)")
    p.add_argument(
        "--floor", type=float, default=60, help="seconds per stage on the one-metric page (0: none)"
    )
    p.add_argument("--lists", choices=["official", "embedded"], default="official")
    p.add_argument(
        "--hostile",
        action="store_true",
        help="each stage again with one hostile client in a loop (crafted links), on the driver's core",
    )
    p.add_argument("--server-core", type=int, default=1)
    p.add_argument("--driver-core", type=int, default=0)
    p.add_argument("--url", help="measure a server started elsewhere (e.g. the proxy of deploy/)")
    p.add_argument("--server-pid", type=int, action="append", default=[], help="with --url: its processes")
    args = p.parse_args()
    if args.url and not args.server_pid:
        p.error("--url demande --server-pid (les processus dont on lit le CPU et la mémoire)")
    if args.driver_core >= 0:
        os.sched_setaffinity(0, {args.driver_core})
    started = time.time()
    result = asyncio.run(measure(args))
    result["seconds"] = round(time.time() - started, 1)
    result["cores"] = os.cpu_count()
    save_result(result, "capacity")
    print(json.dumps({k: result[k] for k in ("knee", "seconds")}))


if __name__ == "__main__":
    main()
