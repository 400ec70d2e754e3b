"""Set-up with the official lists (issue 11): `update --setup` against a local data.gouv.fr, and the
national first map with the embedded lists and with the national ones.

    .venv/bin/python benchmarks/bench_setup.py [--build geodata/build] [--repeat 3]

The current lists of ../shared/data/current are served on 127.0.0.1 exactly as data.gouv.fr serves
them (stable links redirecting to dated uploads; the ORT through its dataset API). The build is
timed too (a fresh machine builds before it downloads): the target is the download beyond it.
Prints the figures and appends them to benchmarks/results/setup.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import cold_start  # noqa: E402
from common import ROOT, save_result  # noqa: E402

CURRENT = ROOT.parent / "shared" / "data" / "current"
FILES = {
    "/pvd/liste-pvd-com2025-20260427.csv": "anct_pvd_communes_2026.csv",
    "/acv/liste-acv-com2025-20250704.csv": "anct_acv_communes_2025.csv",
    "/ort/ort-20260301.csv": "ort_communes_signees_2026.csv",
}


def serve() -> tuple[ThreadingHTTPServer, str]:
    """A local data.gouv.fr: /r/<programme> redirects to the upload, /api/ort/ lists the ORT CSV."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            redirects = {"/r/pvd": list(FILES)[0], "/r/acv": list(FILES)[1]}
            if self.path in redirects:
                self.send_response(302)
                self.send_header("Location", base + redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/api/ort/":
                body = json.dumps({"resources": [{"format": "csv", "url": base + list(FILES)[2]}]}).encode()
            elif self.path in FILES:
                body = (CURRENT / FILES[self.path]).read_bytes()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def timed(command: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, default=ROOT / "geodata" / "build")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    server, base = serve()
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M")}
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PVD_LISTES_DIR": str(Path(tmp) / "listes"),
            "PVD_URL_PVD": f"{base}/r/pvd",
            "PVD_URL_ACV": f"{base}/r/acv",
            "PVD_URL_ORT": f"{base}/api/ort/",
        }
        build_s, _ = timed(
            [sys.executable, "-m", "pvd_geo", "build", "--quiet", "--sortie", str(Path(tmp) / "b")], env
        )
        setup_s, line = timed(
            [sys.executable, "-m", "pvd_geo", "--build", str(args.build), "update", "--setup"], env
        )
        result.update(
            {"build_s": round(build_s, 1), "setup_download_s": round(setup_s, 2), "setup_line": line}
        )
        embedded = cold_start(args.build, args.repeat)
        os.environ["PVD_LISTES_DIR"] = env["PVD_LISTES_DIR"]  # the servers read the national lists
        national = cold_start(args.build, args.repeat)
    server.shutdown()
    for key in ("national_first_map_s_median", "national_first_map_s_max", "overview_first_map_s_median"):
        result[f"embedded_{key}"] = embedded[key]
        result[f"official_{key}"] = national[key]
    result["targets"] = {"setup_download_s_beyond_build": 20, "national_first_map_s": "unchanged or faster"}
    save_result(result, "setup")


if __name__ == "__main__":
    main()
