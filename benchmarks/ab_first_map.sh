#!/bin/bash
# First map (national view and overview) from `streamlit run`: a base commit (default 9b7b895, before
# issue 11) against HEAD, alternated in two rounds, in this same directory (the code folders are
# checked out in turn and put back at the end; commit or stash your changes first).
#   benchmarks/ab_first_map.sh [BASE]
set -e
cd "$(dirname "$0")/.."
[ -z "$(git status --porcelain pvd_geo dashboard.py pages)" ] || { echo "changements non commités : abandon"; exit 1; }
BASE=${1:-9b7b895}
HEAD=$(git rev-parse HEAD)
for round in 1 2; do
  for rev in $BASE $HEAD; do
    git checkout -q $rev -- pvd_geo dashboard.py pages
    [ $rev = $BASE ] && git diff --name-only --diff-filter=A "$BASE" "$HEAD" -- pvd_geo | xargs -r rm -f
    .venv/bin/python - <<P
import os, statistics, subprocess, sys, tempfile, json
from pathlib import Path
sys.path.insert(0, "benchmarks")
from bench_app import _first_map
build = Path("geodata/build").resolve()
with tempfile.TemporaryDirectory() as store:
    env = {**os.environ, "PVD_BUILD_DIR": str(build), "PVD_CACHE_DIR": store}
    if "$rev" == "$BASE":  # the base read its lists from geodata/selections
        env["PVD_SELECTION_DIR"] = str(Path("geodata/selections").resolve())
        os.environ["PVD_SELECTION_DIR"] = env["PVD_SELECTION_DIR"]
    subprocess.run([sys.executable, "-m", "pvd_geo", "warm"], env=env, check=True, capture_output=True)
    out = {}
    for view, (q, paths) in {"national": ("?perimetre=france", 100), "overview": ("", 800)}.items():
        out[view] = [_first_map(build, Path(store), q, paths)["map_drawn_s"] for _ in range(3)]
print("$rev"[:7], json.dumps(out), flush=True)
P
  done
done
git checkout -q "$HEAD" -- pvd_geo dashboard.py pages  # also restores the modules removed above
git status --short
