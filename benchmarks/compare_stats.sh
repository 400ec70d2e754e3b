#!/bin/bash
# Figures before/after a refactor: builds the data with a base commit and with the working tree,
# then compares `stats --format csv` for every level, with the embedded lists (Gard + Gers) and
# with the current official lists of ../shared/data/current (imported with each side's own code).
#   benchmarks/compare_stats.sh [BASE]      (default 054abf2: before the issue 13 refactor)
# Prints one line per comparison and exits 1 if any CSV differs.
set -e
cd "$(dirname "$0")/.."
BASE=${1:-054abf2}
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python
WORK=$(mktemp -d)
TREE="$ROOT/../.compare-stats-$$"   # beside main, so that ../shared resolves as in main
trap 'git worktree remove --force "$TREE" 2>/dev/null; rm -rf "$WORK"' EXIT
git worktree add -q --detach "$TREE" "$BASE"
CURRENT="$ROOT/../shared/data/current"
status=0
for side in before after; do
  dir=$ROOT; [ $side = before ] && dir=$TREE
  export PVD_BUILD_DIR=$WORK/$side/build PVD_CACHE_DIR=$WORK/$side/cache
  mkdir -p "$PVD_CACHE_DIR"
  (cd "$dir" && "$PY" -m pvd_geo build >/dev/null)
  for lists in embedded official; do
    export PVD_SELECTION_DIR=$WORK/$side/$lists
    mkdir -p "$PVD_SELECTION_DIR"
    cp "$dir"/geodata/selections/*.csv "$dir"/geodata/selections/*.json "$PVD_SELECTION_DIR"/ 2>/dev/null || true
    if [ $lists = official ]; then  # the same files and flags on both sides
      for prog in pvd:anct_pvd_communes_2026 acv:anct_acv_communes_2025 ort:ort_communes_signees_2026; do
        (cd "$dir" && "$PY" -m pvd_geo import-selection "$CURRENT/${prog#*:}.csv" --programme "${prog%%:*}" \
          --couverture nationale --yes --force >/dev/null 2>&1) || echo "import ${prog%%:*} refusé ($side)"
      done
    fi
    for level in region departement epci; do
      (cd "$dir" && "$PY" -m pvd_geo stats --by $level --format csv) > "$WORK/$side-$lists-$level.csv"
    done
  done
done
for lists in embedded official; do
  for level in region departement epci; do
    a=$WORK/before-$lists-$level.csv; b=$WORK/after-$lists-$level.csv
    if cmp -s "$a" "$b"; then
      echo "identique  $lists $level ($(($(wc -l < "$a") - 1)) lignes, $(head -1 "$a" | tr ',' '\n' | wc -l) colonnes, md5 $(md5sum < "$a" | cut -c1-8))"
    else
      echo "DIFFÉRENT  $lists $level"; diff "$a" "$b" | head -5; status=1
    fi
  done
done
exit $status
