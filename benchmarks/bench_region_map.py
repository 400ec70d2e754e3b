"""A région's press map (issue 24): PNG and PDF export times, before and after a change, in one run.

    .venv/bin/python benchmarks/bench_region_map.py [--before REV] [--region 76] [--rounds 3]

The current national lists (``../shared/data/current``) are imported into a temporary lists folder
(as an operator would); the code of ``--before`` is checked out in a temporary git worktree. Each
round times, alternately, the old and the current code (a fresh process each, pinned to one core:
``taskset``), from the loaded atlas to the file's bytes, as the Exporter page makes them. The
medians are appended to benchmarks/results/region_map.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CURRENT, CURRENT_LISTS, ROOT, save_result  # noqa: E402

TIMER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pvd_geo import figures
from pvd_geo.atlas import load_atlas
atlas = load_atlas(None, __import__("pathlib").Path(sys.argv[2]))
out = {}
for fmt in ("png", "pdf"):
    start = time.perf_counter()
    data = figures.encode(figures.static_map(atlas, [("region", sys.argv[3])]), fmt)
    out[fmt] = [time.perf_counter() - start, len(data)]
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", default="5b260cb")
    ap.add_argument("--region", default="76")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--core", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lists, before = Path(tmp) / "listes", Path(tmp) / "avant"
        env = {**os.environ, "PVD_LISTES_DIR": str(lists), "PVD_SELECTION_DIR": str(lists)}
        env.setdefault("PVD_BUILD_DIR", str(ROOT / "geodata" / "build"))
        for programme, name in CURRENT_LISTS.items():
            cmd = [sys.executable, "-m", "pvd_geo", "import-selection", str(CURRENT / name)]
            cmd += ["--programme", programme, "--couverture", "nationale", "--yes", "--force"]
            subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before], cwd=ROOT, check=True)
        try:
            times: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
            sizes: dict[str, dict[str, int]] = {"before": {}, "after": {}}
            for _ in range(args.rounds):
                for label, tree in (("before", before), ("after", ROOT)):
                    cmd = ["taskset", "-c", str(args.core), sys.executable, "-c", TIMER]
                    out = subprocess.run(
                        [*cmd, str(tree), str(lists), args.region],
                        cwd=tree,
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                    )
                    for fmt, (seconds, size) in json.loads(out.stdout.strip().splitlines()[-1]).items():
                        times[label].setdefault(fmt, []).append(seconds)
                        sizes[label][fmt] = size
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
    result = {"date": time.strftime("%Y-%m-%d %H:%M"), "region": args.region, "before_rev": args.before}
    for label in ("before", "after"):
        for fmt, values in times[label].items():
            result[f"{label}_{fmt}_s"] = round(statistics.median(values), 2)
            result[f"{label}_{fmt}_max_s"] = round(max(values), 2)
            result[f"{label}_{fmt}_kb"] = round(sizes[label][fmt] / 1e3)
    result["rounds"] = args.rounds
    result["target"] = {"png_s": 4}
    save_result(result, "region_map")


if __name__ == "__main__":
    main()
