"""Replicas of the atlas behind HAProxy, with per-browser affinity (``make serve REPLICAS=2``).

    python deploy/serve.py [--replicas 2] [--port 8500] [--pin] [--run-dir deploy/run]
    python deploy/serve.py --hosts deploy/hosts.txt [--port 8500]   # replicas on other machines

- Starts N ``streamlit run pvd_geo/ui/server.py`` processes (dashboard.py, pages/) on 127.0.0.1 (one
  port each; ``--pin``: replica i on core i, e.g. one replica per core) and HAProxy (Debian's
  package) in front of them on
  ``--address:--port``. With ``--hosts``, no replica is started here: the file lists one
  ``host:port`` per line (several machines, each running ``make run`` or this script's replicas).
- HAProxy: websockets proxied (HTTP mode handles the upgrade), **a cookie per browser**
  (``PVDSRV``, inserted on the first response) so that every request of a browser — the page, its
  websocket, the map component, downloads (``/media``) and uploads (``/_stcore/upload_file``),
  which live in the process that holds the session — reaches the same replica, whatever the
  client's address (a newsroom behind one address spreads over the replicas). Health checks on
  ``/_stcore/health`` every 2 s; a replica that stops answering is taken out, its websockets are
  closed (``on-marked-down shutdown-sessions``) and its browsers, whose Streamlit client
  reconnects by itself, are sent to another replica (``option redispatch``).
- The run folder holds ``haproxy.cfg``, ``haproxy.log`` (one line per request: client, replica,
  status, request, user agent, cookie) and ``replicas.json`` (ports and process ids).
- Stops everything on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COOKIE = "PVDSRV"

HAPROXY_CFG = r"""# Written by deploy/serve.py: {count} replica(s) of the atlas behind one address.
global
    maxconn 4096
    log stdout format raw local0

defaults
    mode http
    log global
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    timeout http-request 30s
    # client, replica, status, request, user agent, affinity cookie sent by the browser
    log-format "%ci %b/%s %ST %{{+Q}}r %{{+Q}}hr %{{+Q}}CC"

frontend atlas
    bind {address}:{port}
    # the client's address for the replicas (password lockout per client): replaces any
    # X-Forwarded-For a client sent itself
    http-request del-header X-Forwarded-For
    option forwardfor
    capture request header User-Agent len 80
    # the maps' files whose address changes with their content — the atlas's bundle (?v=<hash>)
    # and streamlit-folium's build files (a hash in the name) — are kept a year by browsers
    # (Streamlit serves them without a lifetime: fetched again on every page)
    acl atlas_file path_beg /app/static/vendor/
    acl versioned query -m reg (^|&)v=[0-9a-f]+
    acl hashed_build path_reg ^/component/[^/]+/static/.+\.[0-9a-f]{{8}}\.(js|css)$
    # the search index is named by the data it holds (index-<fingerprint>-<format>.tsv[.gz])
    acl search_index path_reg ^/app/static/recherche/index-[0-9a-f]+-[0-9]+\.tsv(\.gz)?$
    http-request set-var(txn.immutable) bool(true) if atlas_file versioned || hashed_build || search_index
    acl immutable var(txn.immutable) -m bool
    acl found status 200
    http-response set-header Cache-Control "public, max-age=31536000, immutable" if immutable found
    capture cookie {cookie}= len 32
    default_backend replicas

backend replicas
    balance leastconn
    # per-browser affinity: a cookie, not the client's address
    cookie {cookie} insert indirect nocache httponly attr "SameSite=Lax"
    option redispatch
    retries 2
    option httpchk GET /_stcore/health
    http-check expect status 200
    default-server inter 2s fall 2 rise 2 on-marked-down shutdown-sessions
{servers}
"""


def haproxy_config(backends: list[tuple[str, str]], address: str, port: int) -> str:
    """The HAProxy configuration for ``backends`` ((name, host:port), ...)."""
    servers = "\n".join(f"    server {name} {target} check cookie {name}" for name, target in backends)
    return HAPROXY_CFG.format(count=len(backends), address=address, port=port, cookie=COOKIE, servers=servers)


def read_hosts(path: Path) -> list[str]:
    """``host:port`` per line (``#`` comments and blank lines ignored)."""
    hosts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        host, _, port = line.rpartition(":")
        if not host or not port.isdigit():
            raise SystemExit(f"{path}, ligne {number} : « {line} » n'est pas de la forme hôte:port")
        hosts.append(line)
    return hosts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (http on our own replicas)
            return
        except OSError:
            if time.time() > deadline:
                raise SystemExit(f"{url} ne répond pas après {timeout:.0f} s") from None
            time.sleep(0.2)


def start_replicas(count: int, pin: bool, options: list[str]) -> list[dict]:
    """N `streamlit run pvd_geo/ui/server.py` on loopback ports (replica i on core i % cores if ``pin``)."""
    replicas = []
    cores = os.cpu_count() or 1
    for i in range(count):
        port = free_port()
        cmd = [sys.executable, "-m", "streamlit", "run", "pvd_geo/ui/server.py", "--server.port", str(port)]
        cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", *options]
        if pin:
            cmd = ["taskset", "-c", str(i % cores), *cmd]
        env = {"MALLOC_ARENA_MAX": "2", **os.environ}  # glibc: lower RSS (README, « Capacité »)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        replicas.append({"name": f"r{i + 1}", "port": port, "pid": proc.pid, "proc": proc})
    for replica in replicas:
        wait_until_up(f"http://127.0.0.1:{replica['port']}/_stcore/health")
    return replicas


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--hosts", type=Path, help="replicas already running elsewhere: one host:port per line")
    p.add_argument("--address", default="127.0.0.1", help="address HAProxy listens on (0.0.0.0: all)")
    p.add_argument("--port", type=int, default=8500)
    p.add_argument("--pin", action="store_true", help="replica i on core i (taskset)")
    p.add_argument("--run-dir", type=Path, default=ROOT / "deploy" / "run")
    p.add_argument("streamlit_options", nargs="*", help="options passed to each replica (after --)")
    args = p.parse_args(argv)
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise SystemExit("HAProxy absent : sudo apt-get install haproxy (paquet Debian)")
    args.run_dir.mkdir(parents=True, exist_ok=True)
    replicas: list[dict] = []
    procs: list[subprocess.Popen] = []

    def stop(*_):
        for proc in procs + [r["proc"] for r in replicas]:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs + [r["proc"] for r in replicas]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        if args.hosts:
            backends = [(f"h{i + 1}", target) for i, target in enumerate(read_hosts(args.hosts))]
        else:
            replicas = start_replicas(args.replicas, args.pin, args.streamlit_options)
            backends = [(r["name"], f"127.0.0.1:{r['port']}") for r in replicas]
        config = args.run_dir / "haproxy.cfg"
        config.write_text(haproxy_config(backends, args.address, args.port), encoding="utf-8")
        subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True)
        log = (args.run_dir / "haproxy.log").open("ab")
        procs.append(subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=log, stderr=log))
        state = {
            "proxy": f"http://{args.address}:{args.port}",
            "haproxy_pid": procs[0].pid,
            "replicas": [{k: v for k, v in r.items() if k != "proc"} for r in replicas]
            or [{"name": n, "target": t} for n, t in backends],
        }
        tmp = args.run_dir / "replicas.json.tmp"
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        tmp.replace(args.run_dir / "replicas.json")
        local = "127.0.0.1" if args.address in ("0.0.0.0", "::") else args.address  # noqa: S104
        wait_until_up(f"http://{local}:{args.port}/_stcore/health", timeout=30)
        print(f"Atlas PVD : {len(backends)} réplique(s) derrière HAProxy sur {state['proxy']}", flush=True)
        while procs[0].poll() is None:
            time.sleep(1)
        print("HAProxy s'est arrêté.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stop()
    finally:
        for proc in procs + [r["proc"] for r in replicas]:
            if proc.poll() is None:
                proc.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
