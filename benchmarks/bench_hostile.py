"""What the worst refused inputs of issue 22 cost the server, before and after the limits.

    .venv/bin/python benchmarks/bench_hostile.py

In-process, on the real build (one core, `taskset -c 1` when available): CPU seconds
(``time.process_time``) and peak memory allocated by Python (``tracemalloc``) of
- a 5 MB pasted list of 830,000 lines: what the « Ma liste » form did before (read every row,
  join them with the communes, build the report, then refuse on the row count) against what it
  does now (refused on the count of line ends, before any reading);
- a crafted overview link naming all 101 départements: the communes map it made before against
  the 12 départements a link may now name.
Appends one JSON line to benchmarks/results/hostile.jsonl.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, save_result  # noqa: E402

sys.path.insert(0, str(ROOT))


def measure(fn) -> dict:
    tracemalloc.start()
    start = time.process_time()
    fn()
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"cpu_s": round(seconds, 3), "pic_memoire_mo": round(peak / 1e6, 1)}


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {1} if os.cpu_count() and os.cpu_count() > 1 else {0})
    from pvd_geo import views
    from pvd_geo.atlas import load_atlas
    from pvd_geo.selection import join_selection
    from pvd_geo.sources.anct import read_selection_bytes
    from pvd_geo.ui.state import MAX_DEPARTEMENTS, MAX_OWN_ROWS

    atlas = load_atlas()
    paste = b"insee_com\n" + b"30210\n" * 830_000  # just under the 5 MB size limit

    def before_paste():
        rows = read_selection_bytes(paste)
        result = join_selection(rows, atlas.communes, atlas.rattachees, "ma_liste")
        assert len(result.report) > MAX_OWN_ROWS  # refused only now

    def after_paste():
        assert paste.count(b"\n") > MAX_OWN_ROWS + 2  # refused here

    deps = sorted(atlas.departements["code"])

    def before_link():
        views.communes_map_spec(atlas, deps, None, "Carte", "Sources")

    def after_link():
        views.communes_map_spec(atlas, deps[:MAX_DEPARTEMENTS], None, "Carte", "Sources")

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "liste_collee_5_mo_avant": measure(before_paste),
        "liste_collee_5_mo_apres": measure(after_paste),
        "lien_101_departements_avant": measure(before_link),
        "lien_12_departements_apres": measure(after_link),
    }
    save_result(result, "hostile")


if __name__ == "__main__":
    main()
