"""The README's pictures (`make screenshots`): the dashboard in Chromium, an exported map and
an embedded page.

    .venv/bin/python benchmarks/screenshots.py [--build geodata/build] [--out benchmarks/captures]

Starts `streamlit run` on 127.0.0.1 (after `python -m pvd_geo warm`, as `make run` does), opens
it in Debian's Chromium with every request off 127.0.0.1 refused, and saves the overview at
1400 × 1050 (``vue-ensemble.png``) and on a phone, 390 × 844 (``vue-telephone.png``), and the
comparison in presentation mode on a projector, 1920 × 1080 (``comparaison-projecteur.png``);
exports the Gard + Gers map with the command line (``carte-gard-gers.png``, the file a journalist
downloads from the Exporter page); publishes the Gard + Gers site and shows the Gard's page
embedded in an article with the « Intégrer » snippet (``integration-article.png``, 1400 px).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, start_server, static_server, stop, wait_until_up  # noqa: E402

sys.path.insert(0, str(ROOT))

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
  const doc = frame && frame.contentDocument;
  return !!app && app.getAttribute("data-test-script-state") === "notRunning" && !!doc
    && doc.querySelectorAll("path.leaflet-interactive").length >= 800;
}"""


def shot(url: str, out: Path, width: int, height: int, shapes: int = 800) -> None:
    """A page of the dashboard once its script ran and its first map drew ``shapes`` shapes."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
        page.goto(url)
        page.wait_for_function(SETTLED.replace("800", str(shapes)), timeout=60_000, polling=100)
        page.wait_for_timeout(1500)  # labels and legend laid out
        page.screenshot(path=str(out))
        browser.close()


def embedded(site: Path, out: Path) -> None:
    """The Gard's page of the published site in an article, as the « Intégrer » snippet puts it."""
    from playwright.sync_api import sync_playwright

    from pvd_geo.embed import embed_snippet

    snippet = embed_snippet("", "departement/30.html", "Carte du Gard").replace('src="/', 'src="')
    (site / "article.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Article</title></head>'
        '<body style="max-width:760px;margin:2rem auto;font:17px/1.5 Georgia,serif">'
        "<h1>Petites villes de demain : le Gard en carte</h1><p>Vingt et une communes du Gard sont "
        f"lauréates du programme. La carte ci-dessous vient de l'atlas.</p>{snippet}"
        "<p>Suite de l'article.</p></body></html>",
        encoding="utf-8",
    )
    server, url = static_server(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1300})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
            page.goto(f"{url}/article.html")
            page.frame_locator("iframe").locator("path.leaflet-interactive").nth(300).wait_for()
            page.wait_for_function("document.querySelector('iframe').getBoundingClientRect().height != 640")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    finally:
        stop(server)


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
            shot(url, args.out / "vue-ensemble.png", 1400, 1050)
            shot(url, args.out / "vue-telephone.png", 390, 844)
            shot(
                f"{url}/Comparer?mode=presentation", args.out / "comparaison-projecteur.png", 1920, 1080, 300
            )
        finally:
            stop(proc)
        subprocess.run(
            [sys.executable, "-m", "pvd_geo", "map", "--territoire", "dep:30", "--territoire", "dep:32"]
            + ["--out", str(args.out / "carte-gard-gers.png")],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
        site = Path(cache) / "site"
        publish = [sys.executable, "-m", "pvd_geo", "publish", "--out", str(site), "--departements", "30,32"]
        subprocess.run(publish, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)
        embedded(site, args.out / "integration-article.png")
    print(f"Captures écrites dans {args.out}")


if __name__ == "__main__":
    main()
