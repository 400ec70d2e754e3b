"""The README's pictures (`make screenshots`): the overview in Chromium and an exported map.

    .venv/bin/python benchmarks/screenshots.py [--build geodata/build] [--out benchmarks/captures]

Starts `streamlit run` on 127.0.0.1 (after `python -m pvd_geo warm`, as `make run` does), opens
the overview in Debian's Chromium with every request off 127.0.0.1 refused, and saves
``vue-ensemble.png``; then exports the Gard + Gers map with the command line
(``carte-gard-gers.png``, the same file a journalist downloads from the Exporter page).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, start_server, stop, wait_until_up  # noqa: E402

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
  const doc = frame && frame.contentDocument;
  return !!app && app.getAttribute("data-test-script-state") === "notRunning" && !!doc
    && doc.querySelectorAll("path.leaflet-interactive").length >= 800;
}"""


def overview(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1050})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
        page.goto(url)
        page.wait_for_function(SETTLED, timeout=60_000, polling=100)
        page.wait_for_timeout(1000)  # labels and legend laid out
        page.screenshot(path=str(out))
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, default=ROOT / "geodata" / "build")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "captures")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        env = {"PVD_BUILD_DIR": str(args.build), "PVD_CACHE_DIR": cache}
        warm = [sys.executable, "-m", "pvd_geo", "warm"]
        subprocess.run(warm, cwd=ROOT, env={**os.environ, **env}, check=True)
        proc, url = start_server(env)
        try:
            wait_until_up(url)
            overview(url, args.out / "vue-ensemble.png")
        finally:
            stop(proc)
        subprocess.run(
            [sys.executable, "-m", "pvd_geo", "map", "--territoire", "dep:30", "--territoire", "dep:32"]
            + ["--out", str(args.out / "carte-gard-gers.png")],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
    print(f"Captures écrites dans {args.out}")


if __name__ == "__main__":
    main()
