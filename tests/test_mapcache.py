"""Prepared maps stored on disk: keys, atomic files, damaged files, and a fresh server using them."""

import json
import subprocess
import sys
from pathlib import Path

from pvd_geo import mapcache
from pvd_geo.atlas import load_atlas
from pvd_geo.constants import ROOT, SELECTION_DIR

PREPARED = mapcache.PreparedMap("var map = L.map();", "<style></style>", "", "map_1", ["a.css"], ["a.js"])


def test_store_round_trip_and_damaged_file(build_env):
    key = mapcache.cache_key("empreinte", "communes", {"deps": ["30", "32"]})
    assert mapcache.load(key) is None
    mapcache.save(key, PREPARED)
    assert mapcache.load(key) == PREPARED
    files = list(mapcache.folder().iterdir())
    assert [f.name for f in files] == [f"{key}.json"]  # no temporary file left behind
    files[0].write_text('{"script": "var map', encoding="utf-8")  # truncated
    assert mapcache.load(key) is None
    files[0].write_text(json.dumps({"autre": 1}), encoding="utf-8")  # another format
    assert mapcache.load(key) is None


def test_key_depends_on_data_and_parameters():
    base = mapcache.cache_key("a", "communes", {"deps": ["30"], "title": "Gard"})
    assert base == mapcache.cache_key("a", "communes", {"title": "Gard", "deps": ["30"]})
    assert base != mapcache.cache_key("b", "communes", {"deps": ["30"], "title": "Gard"})
    assert base != mapcache.cache_key("a", "communes", {"deps": ["32"], "title": "Gard"})
    assert base != mapcache.cache_key("a", "territoires", {"deps": ["30"], "title": "Gard"})


def test_prune_keeps_the_newest(build_env):
    for i in range(5):
        mapcache.save(f"carte-{i}", PREPARED)
    mapcache.prune(mapcache.folder(), keep=2)
    assert len(list(mapcache.folder().glob("*.json"))) == 2


def test_fingerprint_changes_with_the_lists(built_dir, tmp_path):
    same = load_atlas(built_dir, SELECTION_DIR)
    assert same.fingerprint == load_atlas(built_dir, SELECTION_DIR).fingerprint
    (tmp_path / "pvd.csv").write_text("insee_com;lib_com\n30209;Quissac\n", encoding="utf-8")
    assert load_atlas(built_dir, tmp_path).fingerprint != same.fingerprint


CHECK = """
import sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(sys.argv[1], default_timeout=120)
app.run()
assert not app.exception, app.exception
print("folium" in sys.modules)
"""


def test_warm_prepares_the_default_maps(build_env):
    """After `warm`, a fresh process draws the overview without importing folium."""
    out = subprocess.run(
        [sys.executable, "-m", "pvd_geo", "warm"], capture_output=True, text=True, cwd=ROOT, env=build_env
    )
    assert out.returncode == 0, out.stderr
    assert "Carte prête : dashboard.py" in out.stdout and "perimetre=france" in out.stdout
    folder = Path(build_env["PVD_CACHE_DIR"]) / "cartes"
    stored = sorted(p.name.split("-")[0] for p in folder.glob("*.json"))
    assert stored == ["communes", "territoires"]
    run = [sys.executable, "-c", CHECK, str(ROOT / "dashboard.py")]
    fresh = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=build_env)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip() == "False"
    # without the stored maps, the same page renders the map with folium
    empty = {**build_env, "PVD_CACHE_DIR": str(Path(build_env["PVD_CACHE_DIR"]) / "vide")}
    cold = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=empty)
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout.strip() == "True"
