"""SVG or canvas for the web maps? A published département page drawn both ways, alternately.

    .venv/bin/python benchmarks/bench_canvas.py --site DIR [--rounds 8] [--departements 62,30]

``DIR``: a site written by ``python -m pvd_geo publish`` (with these départements). The site is
served pinned to core 1; Chromium (core 0, a new context each time) opens each page as published
(SVG) and with Leaflet's ``preferCanvas`` (the page's map script rewritten on the fly), and waits for
the names (placed once every commune is drawn). Appends one JSON line to benchmarks/results/canvas.jsonl.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, save_result, static_server, stop, time_new_tab  # noqa: E402

SVG = '"preferCanvas": false,'  # folium's map options, in each page's rendered script
CANVAS = '"preferCanvas": true,'


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", required=True)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--departements", default="62,30")
    args = ap.parse_args()
    site = Path(args.site)
    scripts = {
        d: (site / "departement" / f"{d}.js").read_text(encoding="utf-8")
        for d in args.departements.split(",")
    }
    if not all(SVG in text for text in scripts.values()):
        raise SystemExit("le script des cartes a changé : mettre à jour ce banc")
    server, base = static_server(site, core=1)
    os.sched_setaffinity(0, {0})
    deps = args.departements.split(",")
    times: dict[str, list[float]] = {f"{m}_{d}": [] for m in ("svg", "canvas") for d in deps}
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for r in range(args.rounds + 1):  # the first round warms the server's file cache
                for mode in ("svg", "canvas") if r % 2 == 0 else ("canvas", "svg"):
                    for dep in deps:

                        def rewrite(page, dep=dep):  # the same page drawn on a canvas
                            page.route(
                                f"**/departement/{dep}.js",
                                lambda route: route.fulfill(
                                    body=scripts[dep].replace(SVG, CANVAS),
                                    content_type="application/javascript",
                                ),
                            )

                        seconds = time_new_tab(
                            browser,
                            f"{base}/departement/{dep}.html",
                            "() => document.querySelector('.pvd-label')",
                            prepare=rewrite if mode == "canvas" else None,
                        )
                        if r:
                            times[f"{mode}_{dep}"].append(seconds)
            browser.close()
    finally:
        stop(server)
    save_result(
        {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "tours": args.rounds,
            **{k: round(statistics.median(v), 3) for k, v in times.items()},
            "coeurs": "serveur http: 1, navigateur: 0",
        },
        "canvas",
    )


if __name__ == "__main__":
    main()
