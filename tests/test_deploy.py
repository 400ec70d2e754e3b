"""The deployment topology of deploy/: two replicas behind Debian's HAProxy on loopback, driven by
real Chromium browsers (offline). Each browser stays on one replica (a cookie, not the address:
every browser here comes from 127.0.0.1), both replicas serve sessions, a download and an upload
work through the proxy, and a replica killed leaves the atlas served."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pvd_geo.constants import ROOT

from .conftest import (
    ARGS,
    CHROMIUM,
    _free_port,
    app_env,
    download_communes_csv,
    offline_context,
    settle,
    wait_for_paths,
)

pytestmark = pytest.mark.browser
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402


def test_haproxy_config_has_cookie_affinity_health_checks_and_one_line_per_replica():
    config = serve.haproxy_config([("r1", "127.0.0.1:9001"), ("r2", "10.0.0.2:8501")], "0.0.0.0", 80)
    assert "cookie PVDSRV insert indirect nocache" in config and "balance source" not in config
    assert "option httpchk GET /_stcore/health" in config and "option redispatch" in config
    assert "server r1 127.0.0.1:9001 check cookie r1" in config
    assert "server r2 10.0.0.2:8501 check cookie r2" in config and "bind 0.0.0.0:80" in config


def test_hosts_file_lists_replicas_on_other_machines(tmp_path):
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("# atlas\n10.0.0.1:8501\n\natlas-2.interne:8501  # deuxième machine\n", encoding="utf-8")
    assert serve.read_hosts(hosts) == ["10.0.0.1:8501", "atlas-2.interne:8501"]
    hosts.write_text("10.0.0.1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="ligne 1"):
        serve.read_hosts(hosts)


@pytest.fixture(scope="module")
def deployment(built_dir, tmp_path_factory):
    assert os.path.exists(HAPROXY), "Debian's haproxy is required (apt-get install haproxy; .ci/run does it)"
    folder = tmp_path_factory.mktemp("deploy")
    port = _free_port()
    run_dir = folder / "run"
    proc = subprocess.Popen(
        [sys.executable, "deploy/serve.py", "--replicas", "2", "--port", str(port)]
        + ["--run-dir", str(run_dir)],
        cwd=ROOT,
        env={**os.environ, **app_env(built_dir, folder)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = proc.stdout.readline()  # "Atlas PVD : 2 réplique(s) derrière HAProxy sur …" once all answer
    assert "2 réplique(s) derrière HAProxy" in line, line
    state = json.loads((run_dir / "replicas.json").read_text())
    state["log"] = run_dir / "haproxy.log"
    try:
        yield state
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        for replica in state["replicas"]:  # none left behind
            assert not Path(f"/proc/{replica['pid']}").exists() or _zombie(replica["pid"])


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")


def _log_lines(path: Path) -> list[dict]:
    """HAProxy's log: client, replica, status, request, user agent, cookie sent."""
    lines = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r'(\S+) replicas/(\S+) (-?\d+) "([^"]*)" "\{([^}]*)\}" "([^"]*)"', raw)
        if m:
            lines.append(dict(zip(("client", "server", "status", "request", "agent", "cookie"), m.groups())))
    return lines


def _new_page(browser, agent: str):
    return offline_context(browser, user_agent=agent, viewport={"width": 1400, "height": 1000})


def _replica_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "PVDSRV")


def test_two_replicas_behind_haproxy_keep_each_browser_on_one(deployment, tmp_path):
    from playwright.sync_api import sync_playwright

    url = deployment["proxy"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pages = {}
            for i in range(4):  # leastconn: the open sessions spread over both replicas
                context, page = _new_page(browser, f"lecteur-{i}")
                page.goto(url)
                settle(page)
                assert wait_for_paths(page, 800) >= 800  # the overview's map, drawn through the proxy
                pages[f"lecteur-{i}"] = (context, page)
            placed = {agent: _replica_of(context) for agent, (context, _) in pages.items()}
            assert set(placed.values()) == {"r1", "r2"}, placed  # both replicas serve sessions

            # a download and an upload through the proxy, in one browser
            context, page = pages["lecteur-0"]
            data = download_communes_csv(page, url, tmp_path)
            assert b"code_insee;nom;" in data and b"Quissac" in data
            upload = tmp_path / "maliste.csv"
            upload.write_text("code_insee;nom\n30210;Quissac\n32107;Condom\n", encoding="utf-8")
            page.goto(f"{url}/Donnees")
            settle(page)
            page.get_by_role("textbox", name="Nom de ma liste").fill("essai")
            page.get_by_role("textbox", name="Nom de ma liste").press("Enter")
            settle(page)
            page.locator("input[type='file']").set_input_files(str(upload))
            page.get_by_text("ma_liste : 2 conservées", exact=False).first.wait_for(timeout=30_000)
            assert _replica_of(context) == placed["lecteur-0"]
            assert all(pg.refused == [] for _, pg in pages.values())

            # one replica dies: it is taken out, new readers and its own readers are served
            victim = placed["lecteur-0"]
            pid = next(r["pid"] for r in deployment["replicas"] if r["name"] == victim)
            os.kill(pid, signal.SIGKILL)
            survivor = ({"r1", "r2"} - {victim}).pop()
            deadline = time.time() + 30
            while time.time() < deadline:  # health checks every 2 s, down after 2 failures
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            newcomer, page_new = _new_page(browser, "nouveau-lecteur")
            page_new.goto(url)
            settle(page_new)
            assert wait_for_paths(page_new, 800) >= 800
            assert _replica_of(newcomer) == survivor
            page.goto(url)  # a reader of the dead replica: redispatched, its cookie rewritten
            settle(page)
            assert wait_for_paths(page, 800) >= 800
            assert _replica_of(context) == survivor
        finally:
            browser.close()

    time.sleep(1)  # the websockets' lines are written when they close
    lines = _log_lines(deployment["log"])
    for agent, replica in placed.items():
        mine = [line for line in lines if line["agent"] == agent]
        assert any("/_stcore/stream" in line["request"] for line in mine), agent
        if replica == victim:  # until the kill, every request of this browser went to one replica
            cut = next(i for i, line in enumerate(mine) if line["server"] != replica)
            # then its open page reconnected by itself to the other replica (lecteur-0 navigated)
            assert any(
                "/_stcore/stream" in line["request"] and line["server"] == survivor for line in mine[cut:]
            )
            mine = mine[:cut]
        if agent == "lecteur-0":
            assert any("/media/" in line["request"] for line in mine)  # the download
            assert any("/_stcore/upload_file" in line["request"] for line in mine)  # the upload
        assert {line["server"] for line in mine} == {replica}, (agent, {line["server"] for line in mine})
        assert all(line["cookie"] == f"PVDSRV={replica}" for line in mine[1:])  # after the first answer


def test_the_proxy_lets_browsers_keep_the_maps_versioned_files(deployment):
    """Through HAProxy the atlas's bundle (its address carries its version) and streamlit-folium's
    hashed build file are kept a year; the page itself and an unversioned address are not (asked
    by a browser whose map was drawn, so on the replica that served it)."""
    import streamlit_folium
    from playwright.sync_api import sync_playwright

    from pvd_geo.assets import own_version

    build = Path(streamlit_folium.__file__).parent / "frontend" / "build" / "static" / "js"
    main_js = next(p.name for p in build.glob("main.*.js"))
    url = deployment["proxy"]
    kept = "public, max-age=31536000, immutable"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context, page = _new_page(browser, "cache")
            page.goto(url)
            settle(page)
            assert wait_for_paths(page, 800) >= 800

            def cache_control(path: str) -> str:
                response = context.request.get(url + path)
                assert response.status == 200, (path, response.status)
                return response.headers.get("cache-control") or ""

            assert cache_control(f"/app/static/vendor/bundle/atlas.js?v={own_version()}") == kept
            assert cache_control(f"/component/streamlit_folium.st_folium/static/js/{main_js}") == kept
            # the search index: its name carries the data's fingerprint (written by the page's run)
            index = next(Path(ROOT, "static", "recherche").glob("index-*.tsv.gz")).name
            assert cache_control(f"/app/static/recherche/{index}") == kept
            assert kept not in cache_control("/app/static/vendor/bundle/atlas.js")
            assert kept not in cache_control("/")
            assert kept not in cache_control("/component/streamlit_folium.st_folium/index.html")
        finally:
            browser.close()
