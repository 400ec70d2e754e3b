"""Processes killed while writing (SIGKILL: no clean-up runs) leave data that still loads.

The kill points are exact: a child process runs the real writing code with one step (flush to
disk, rename) replaced by "say where we are, then wait to be killed". A last test kills a loop
of real saves at random moments (seeded).
"""

import random
import shutil
import signal
import subprocess
import sys

import pytest

from pvd_geo.atlas import load_atlas, read_build
from pvd_geo.constants import EMBEDDED_DIR, ROOT
from pvd_geo.sources.anct import read_selection_csv

from .conftest import SHARED_DATA

NATIONAL = SHARED_DATA / "anct_pvd_communes_2021.csv"

SAVE = """
import os, sys, time
from pathlib import Path
import pandas as pd
from pvd_geo.sources.anct import read_selection_csv
from pvd_geo.sources.selections import save_selection

directory, step = Path(sys.argv[1]), sys.argv[2]
rows = read_selection_csv(Path(sys.argv[3])).rename(columns={"code_fichier": "code", "nom_fichier": "nom"})
real = {"fsync": os.fsync, "replace": os.replace}

def stop_here(*args):
    print("killed-at", step, flush=True)
    time.sleep(60)

if step != "loop":
    setattr(os, step, stop_here)
    save_selection(rows, "pvd", directory, writer=operator())
else:
    print("ready", flush=True)
    small = rows.head(3)
    while True:
        save_selection(rows, "pvd", directory, writer=operator())
        save_selection(small, "pvd", directory, writer=operator())
"""


def _killed_when(child: subprocess.Popen, line: str) -> None:
    for out in child.stdout:
        if out.startswith(line):
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=20)


@pytest.fixture
def lists(tmp_path):
    directory = tmp_path / "listes"
    shutil.copytree(EMBEDDED_DIR, directory)
    return directory


def _child(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SAVE, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_import_killed_mid_write_keeps_the_list(lists, built_dir, step):
    before = (lists / "pvd.csv").read_bytes()
    _killed_when(_child(lists, step, NATIONAL), "killed-at")
    assert (lists / "pvd.csv").read_bytes() == before  # the list in use is untouched
    atlas = load_atlas(built_dir, lists)
    assert int(atlas.communes["pvd"].sum()) == len(read_selection_csv(lists / "pvd.csv"))


def test_saves_killed_at_random_moments_leave_a_whole_list(lists, built_dir):
    rng = random.Random(20261122)
    sizes = {len(read_selection_csv(lists / "pvd.csv")), len(read_selection_csv(NATIONAL)), 3}
    for _ in range(8):
        child = _child(lists, "loop", NATIONAL)
        _ = child.stdout.readline()  # "ready": imports done, saving in a loop
        try:
            child.wait(timeout=rng.uniform(0.02, 0.4))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=20)
        rows = read_selection_csv(lists / "pvd.csv")
        assert len(rows) in sizes  # one of the complete versions, never a part of one
    load_atlas(built_dir, lists)


BUILD = """
import sys, time
from pathlib import Path
from pvd_geo import build as b
from pvd_geo.atlas import read_build

out = Path(sys.argv[1])
built = read_build(out)
layers = {k: v for k, v in built.items() if k not in ("meta", "directory")}
meta = {**built["meta"], "construit_le": "nouvelle"}
real_rename = Path.rename

def rename(self, target):
    result = real_rename(self, target)
    if Path(target).name.endswith("-old"):  # the previous build moved aside: the new one not yet in
        print("killed-at swap", flush=True)
        time.sleep(60)
    return result

Path.rename = rename
b._write(layers, meta, out, b.BuildReport(out_dir=out))
"""


def test_build_killed_during_its_swap_keeps_the_previous_build(built_dir, tmp_path):
    out = tmp_path / "build"
    shutil.copytree(built_dir, out)
    child = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    _killed_when(child, "killed-at")
    assert not out.exists()  # killed exactly between the two renames
    built = read_build(out)  # the previous build is put back
    assert built["meta"]["construit_le"] == read_build(built_dir)["meta"]["construit_le"]
    assert len(load_atlas(out, EMBEDDED_DIR).communes) == len(built["communes"])


def test_build_killed_while_writing_keeps_the_previous_build(built_dir, tmp_path):
    """A real `python -m pvd_geo build` killed once it is writing its files."""
    out = tmp_path / "build"
    shutil.copytree(built_dir, out)
    before = (out / "meta.json").read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-m", "pvd_geo", "build", "--sortie", str(out), "--hors-ligne"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    seen = b""
    while b"criture" not in seen:  # the progress bar reached « écriture »
        chunk = child.stderr.read1(256)
        assert chunk, "build ended before writing"
        seen += chunk
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=20)
    assert (out / "meta.json").read_bytes() == before
    load_atlas(out, EMBEDDED_DIR)


PARALLEL_SAVE = """
import sys, time
from pathlib import Path
import pandas as pd
from pvd_geo.auth import operator
from pvd_geo.sources.selections import ListInfo, save_selection
folder, marker, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
rows = pd.DataFrame({"code": ["30210", marker], "nom": ["Quissac", f"version {marker}"]})
while time.time() < start:  # every process saves at the same instant
    pass
save_selection(rows, "pvd", folder, ListInfo("pvd", source=marker), writer=operator())
"""


def test_parallel_saves_lose_no_version_and_keep_list_and_description_together(tmp_path):
    """Four processes save the same programme at the same instant, 20 rounds (issue 22, item 6):
    every version is in use or in the history, and the list in use carries its own description."""
    import json
    import time

    folder = tmp_path / "listes"
    folder.mkdir()
    expected = set()
    for round_ in range(20):
        start = time.time() + 1.5
        markers = [f"{90000 + 10 * round_ + i}" for i in range(4)]
        procs = [
            subprocess.Popen([sys.executable, "-c", PARALLEL_SAVE, str(folder), m, str(start)], cwd=ROOT)
            for m in markers
        ]
        assert all(p.wait(timeout=60) == 0 for p in procs)
        expected |= set(markers)
        current = (folder / "pvd.csv").read_text(encoding="utf-8")
        described = json.loads((folder / "pvd.json").read_text(encoding="utf-8"))["source"]
        assert described in current, (round_, described)  # the description is the list's own
    versions = [folder / "pvd.csv", *sorted((folder / "historique").glob("pvd-*.csv"))]
    kept = {line.split(",")[0] for v in versions for line in v.read_text(encoding="utf-8").splitlines()}
    assert expected <= kept, sorted(expected - kept)
    assert len(versions) == 80  # one in use, 79 in the history: none lost


def test_a_save_killed_between_its_renames_never_shows_another_lists_description(tmp_path):
    """A save killed after writing the new description but before the new list (issue 22,
    item 7): the description names other bytes than the list beside it, so it is not read — the
    list is never shown with the new list's coverage, source or date. Partial history copies of a
    killed save are cleaned by the next save."""
    import json
    import os
    import time

    import pandas as pd

    from pvd_geo.auth import operator
    from pvd_geo.sources.selections import ListInfo, read_info, save_selection

    folder = tmp_path / "listes"
    old = pd.DataFrame({"code": ["30210"], "nom": ["Quissac"]})
    save_selection(old, "pvd", folder, ListInfo("pvd", ("30",), source="ancienne"), writer=operator())
    assert read_info(folder / "pvd.csv").source == "ancienne"
    killed = json.loads((folder / "pvd.json").read_text(encoding="utf-8"))
    killed.update(source="nouvelle", couverture=["30", "32"], empreinte="0" * 64)  # the new one's
    (folder / "pvd.json").write_text(json.dumps(killed), encoding="utf-8")
    assert read_info(folder / "pvd.csv") is None  # not the new list's words on the old list
    partial = folder / "historique" / ".pvd-20261201-000000-000000.123.csv.partiel"
    partial.parent.mkdir(exist_ok=True)
    partial.write_text("insee_com\n30210\n", encoding="utf-8")
    os.utime(partial, (time.time() - 3600, time.time() - 3600))
    save_selection(old, "pvd", folder, ListInfo("pvd", ("30",), source="refaite"), writer=operator())
    assert not partial.exists() and read_info(folder / "pvd.csv").source == "refaite"
