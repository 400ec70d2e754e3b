"""The static site (issue 15): publishing all of France, its size, and a département page drawn.

    .venv/bin/python benchmarks/bench_publish.py [--lists DIR] [--repeat 5]

1. ``python -m pvd_geo publish`` of all France with the official lists of ``../shared/data/current``
   (imported into a temporary folder, as an administrator would) or the lists of ``--lists``:
   wall time, pages, total size, département pages' median and largest size.
2. The site served by ``python -m http.server`` pinned to core 1; Chromium (pinned to core 0, a new
   context each time: empty cache) opens département pages — the Gard, the largest, a small
   one — and waits until every commune of the page is drawn and the names placed.
Appends one JSON line to benchmarks/results/publish.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ARGS, CHROMIUM, ROOT, save_result, static_server, stop, time_new_tab  # noqa: E402

OFFICIAL = {
    "pvd": "anct_pvd_communes_2026.csv",
    "acv": "anct_acv_communes_2025.csv",
    "ort": "ort_communes_signees_2026.csv",
}
DRAWN = """(n) => document.querySelectorAll("path.leaflet-interactive").length >= n
  && document.querySelectorAll(".pvd-label").length > 0"""


def official_lists(folder: Path) -> Path:
    shared = ROOT.parent / "shared" / "data" / "current"
    env = {**os.environ, "PVD_LISTES_DIR": str(folder)}
    for programme, name in OFFICIAL.items():
        cmd = [sys.executable, "-m", "pvd_geo", "import-selection", str(shared / name)]
        cmd += ["--programme", programme, "--couverture", "nationale", "--yes"]
        subprocess.run(cmd, check=True, cwd=ROOT, env=env, capture_output=True)
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lists", help="lists folder (default: the official lists of ../shared, imported)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lists = Path(args.lists) if args.lists else official_lists(Path(tmp) / "listes")
        out = Path(tmp) / "site"
        env = {**os.environ, "PVD_LISTES_DIR": str(lists)}
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pvd_geo", "publish", "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
        print(done.stdout)
        pages = sorted((out / "departement").glob("*.html"), key=lambda p: p.stat().st_size)
        sizes = [p.stat().st_size for p in pages]
        chosen = [out / "departement" / "30.html", pages[-1], pages[len(pages) // 4]]
        server, base = static_server(out, core=1)
        os.sched_setaffinity(0, {0})
        times: dict[str, list[float]] = {}
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for page_path in chosen:
                    script = page_path.with_suffix(".js").read_text(encoding="utf-8")  # folium's
                    block = re.search(r"pvdAtlas\.layer\(map_carte, (.*), \{.*\}\);$", script, re.M).group(1)
                    communes = len(json.loads(block)["rows"]["c"])
                    for _ in range(args.repeat):
                        url = f"{base}/departement/{page_path.name}"
                        times.setdefault(page_path.stem, []).append(
                            time_new_tab(browser, url, DRAWN, communes)
                        )
                browser.close()
        finally:
            stop(server)
    save_result(
        {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "listes": "officielles (../shared/data/current)" if not args.lists else str(args.lists),
            "publication_s": round(seconds, 1),
            "resume": done.stdout.strip().splitlines(),
            "page_departement_mediane_ko": round(statistics.median(sizes) / 1000, 1),
            "page_departement_max_ko": round(sizes[-1] / 1000, 1),
            "ouverture_et_dessin_s": {
                k: {"mediane": round(statistics.median(v), 3), "max": round(max(v), 3)}
                for k, v in times.items()
            },
            "coeurs": "serveur http: 1, navigateur: 0",
        },
        "publish",
    )


if __name__ == "__main__":
    main()
