"""Data-core figures: build of all France, and load of the built atlas.

    .venv/bin/python benchmarks/bench_data.py [--hors-ligne] [--repeat 5]

Builds into a temporary directory (the Etalab tarball comes from geodata/cache when it was
already downloaded), then loads it ``--repeat`` times in fresh processes and in-process.
Prints the figures and appends them as one JSON line to benchmarks/results/data.jsonl.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, save_result  # noqa: E402

sys.path.insert(0, str(ROOT))

LOAD_SNIPPET = (
    "import time, sys; from pvd_geo.atlas import load_atlas; t = time.perf_counter(); "
    "load_atlas(sys.argv[1]); print(time.perf_counter() - t)"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hors-ligne", action="store_true", help="build without Etalab populations")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from pvd_geo.atlas import load_atlas
    from pvd_geo.build import build
    from pvd_geo.constants import cache_dir

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        report = build(out, cache=None if args.hors_ligne else cache_dir())
        size_mb = sum(f.stat().st_size for f in out.iterdir()) / 1e6
        fresh = [
            float(
                subprocess.run(
                    [sys.executable, "-c", LOAD_SNIPPET, str(out)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(args.repeat)
        ]
        warm = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            load_atlas(out)
            warm.append(time.perf_counter() - t)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()} {platform.python_version()}",
        "build_s": round(report.seconds, 2),
        "build_mb": round(size_mb, 1),
        "population": "2017 (hors ligne)" if args.hors_ligne else "Etalab 2026",
        "load_fresh_process_median_s": round(statistics.median(fresh), 3),
        "load_in_process_median_s": round(statistics.median(warm), 3),
        "targets": {"build_s": 30, "load_s": 1},
    }
    save_result(result, "data")


if __name__ == "__main__":
    main()
