"""Static map export times (issue 4): a département map to PNG and to SVG, and Gard + Gers.

    .venv/bin/python benchmarks/bench_figures.py [--build geodata/build] [--repeat 3]

Each figure is built from the loaded atlas (source geometry read from the build, as the
export page does) and rendered to bytes; the median of ``--repeat`` runs is reported and
appended to benchmarks/results/figures.jsonl.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, save_result  # noqa: E402

sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, default=ROOT / "geodata" / "build")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from pvd_geo import figures
    from pvd_geo.atlas import load_atlas

    atlas = load_atlas(args.build)
    cases = {
        "gers_png": ([("departement", "32")], "png"),
        "gers_svg": ([("departement", "32")], "svg"),
        "gard_png": ([("departement", "30")], "png"),
        "gard_gers_pdf": ([("departement", "30"), ("departement", "32")], "pdf"),
    }
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M")}
    for name, (territories, fmt) in cases.items():
        times, size = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            size = len(figures.encode(figures.static_map(atlas, territories), fmt))
            times.append(time.perf_counter() - start)
        result[f"{name}_s"] = round(statistics.median(times), 2)
        result[f"{name}_kb"] = round(size / 1e3)
    result["targets"] = {"departement_png_s": 3, "departement_svg_s": 3}
    save_result(result, "figures")


if __name__ == "__main__":
    main()
