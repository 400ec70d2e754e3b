"""Prepared maps stored on disk: keys, atomic files, damaged files, and a fresh server using them."""

import json
import subprocess
import sys
from pathlib import Path

from pvd_geo import store
from pvd_geo.atlas import load_atlas
from pvd_geo.constants import EMBEDDED_DIR, ROOT

PREPARED = store.PreparedMap({"layer": '{"kind": "communes", "rows": {"n": ["Quissac"]}}', "map": "{}"})


def test_store_round_trip_and_damaged_file(build_env):
    key = store.cache_key("empreinte", "communes", {"deps": ["30", "32"]})
    assert store.load(key) is None
    store.save(key, PREPARED)
    assert store.load(key) == PREPARED
    files = list(store.folder().iterdir())
    assert [f.name for f in files] == [f"{key}.json"]  # no temporary file left behind
    files[0].write_text('{"parts": {"layer": "{\\"kind', encoding="utf-8")  # truncated
    assert store.load(key) is None
    files[0].write_text(json.dumps({"autre": 1}), encoding="utf-8")  # another format
    assert store.load(key) is None


def test_key_depends_on_data_and_parameters():
    base = store.cache_key("a", "communes", {"deps": ["30"], "title": "Gard"})
    assert base == store.cache_key("a", "communes", {"title": "Gard", "deps": ["30"]})
    assert base != store.cache_key("b", "communes", {"deps": ["30"], "title": "Gard"})
    assert base != store.cache_key("a", "communes", {"deps": ["32"], "title": "Gard"})
    assert base != store.cache_key("a", "territoires", {"deps": ["30"], "title": "Gard"})


def test_prune_keeps_the_newest(build_env):
    for i in range(5):
        store.save(f"carte-{i}", PREPARED)
    store.prune(store.folder(), keep=2)
    assert len(list(store.folder().glob("*.json"))) == 2


def test_fingerprint_changes_with_the_lists(built_dir, tmp_path):
    same = load_atlas(built_dir, EMBEDDED_DIR)
    assert same.fingerprint == load_atlas(built_dir, EMBEDDED_DIR).fingerprint
    (tmp_path / "pvd.csv").write_text("insee_com;lib_com\n30209;Quissac\n", encoding="utf-8")
    assert load_atlas(built_dir, tmp_path).fingerprint != same.fingerprint


CHECK = """
import sys
from streamlit.testing.v1 import AppTest
from pvd_geo import views
made = []
make = views.communes_map_spec
views.communes_map_spec = lambda *a, **k: made.append(1) or make(*a, **k)
app = AppTest.from_file(sys.argv[1], default_timeout=120)
app.run()
assert not app.exception, app.exception
print(bool(made))
"""


def test_warm_prepares_the_default_maps(build_env):
    """After `warm`, a fresh process draws the overview's map without making it (no geometry)."""
    out = subprocess.run(
        [sys.executable, "-m", "pvd_geo", "warm"], capture_output=True, text=True, cwd=ROOT, env=build_env
    )
    assert out.returncode == 0, out.stderr
    assert "Carte prête : dashboard.py" in out.stdout and "perimetre=france" in out.stdout
    folder = Path(build_env["PVD_CACHE_DIR"]) / "cartes"
    stored = sorted(p.name.split("-")[0] for p in folder.glob("*.json"))
    # two maps, the figures of their two scopes and the catalogue of the data
    assert stored == ["chiffres", "chiffres", "communes", "donnees", "territoires"]
    run = [sys.executable, "-c", CHECK, str(ROOT / "dashboard.py")]
    fresh = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=build_env)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip() == "False"
    # without the stored maps, the same page makes the map from the atlas
    empty = {**build_env, "PVD_CACHE_DIR": str(Path(build_env["PVD_CACHE_DIR"]) / "vide")}
    cold = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=empty)
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout.strip() == "True"


FIRST_SCREEN = """
import sys
from pvd_geo import ui
from pvd_geo.format import fr_int
catalogue = ui.catalogue()
deps = ui.DEFAULT_SCOPE
figures = ui.first_screen_figures(catalogue, deps)
from pvd_geo.ui import mapview
prepared = mapview._communes_map(tuple(deps), None, None, "Petites villes de demain — " + figures["name"],
                            catalogue.fingerprint)
heavy = sorted(m for m in ("geopandas", "shapely", "pyogrio", "pvd_geo.views", "pvd_geo.atlas",
                            "pvd_geo.webmap.spec") if m in sys.modules)
print(heavy, figures["name"], figures["totals"]["pvd"], len(catalogue.departements),
      len(prepared.parts["layer"]))
"""


def test_after_warm_the_overview_first_screen_needs_no_pandas(build_env, built_dir):
    """A fresh server draws the overview's selectors, figures and map from the store: geopandas,
    shapely, the atlas and the map builder only load afterwards, for the counts under the map
    (pandas comes with folium, which imports it itself)."""
    warm = [sys.executable, "-m", "pvd_geo", "warm"]
    assert subprocess.run(warm, capture_output=True, cwd=ROOT, env=build_env).returncode == 0
    run = [sys.executable, "-c", FIRST_SCREEN]
    out = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=build_env)
    assert out.returncode == 0, out.stderr
    heavy, rest = out.stdout.strip().split("] ")
    assert heavy == "["  # none of them imported
    atlas = load_atlas(built_dir, EMBEDDED_DIR)
    name, pvd, departements, script = rest.rsplit(" ", 3)
    scope = atlas.communes[atlas.communes["dep"].isin(["30", "32"])]
    assert (name, int(pvd)) == ("Gard et Gers", int(scope["pvd"].sum()))
    assert int(departements) == len(atlas.departements) and int(script) > 40_000  # the whole map (≈ 93 KB)
    # a list changed by another process: new data signature, so nothing stored is reused
    lists = Path(build_env.get("PVD_LISTES_DIR", EMBEDDED_DIR))
    env = {**build_env, "PVD_LISTES_DIR": str(Path(build_env["PVD_CACHE_DIR"]) / "listes")}
    Path(env["PVD_LISTES_DIR"]).mkdir()
    for path in lists.glob("*.csv"):
        (Path(env["PVD_LISTES_DIR"]) / path.name).write_bytes(path.read_bytes())
    with (Path(env["PVD_LISTES_DIR"]) / "pvd.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")  # same codes, another size: another signature
    out = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert "pandas" in out.stdout.split("] ")[0]  # not stored for this data yet: atlas loaded


def test_a_change_anywhere_in_the_package_changes_the_map_keys(tmp_path):
    import shutil

    copy = tmp_path / "pvd_geo"
    shutil.copytree(ROOT / "pvd_geo", copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = store.package_hash(copy)
    assert before == store.code_version()  # the same code, the same key
    for name in ("ui/state.py", "constants.py", "sources/anct.py", "webmap/static/layers.js"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert store.package_hash(copy) != before, name
        path.write_bytes(original)
    (copy / "nouveau.py").write_text("X = 1\n", encoding="utf-8")
    assert store.package_hash(copy) != before


def test_a_build_whose_names_changed_gives_new_map_keys(built_dir, tmp_path):
    """Same metadata, one département renamed: the data fingerprint (part of every stored map's
    key) changes, so no map drawn with the old name is served."""
    import shutil

    import geopandas as gpd

    copy = tmp_path / "build"
    shutil.copytree(built_dir, copy)
    before = load_atlas(copy, EMBEDDED_DIR).fingerprint
    layer = gpd.read_parquet(copy / "departements.parquet")
    layer.loc[layer["code"] == "30", "nom"] = "Gard renommé"
    layer.to_parquet(copy / "departements.parquet", index=False)
    assert (copy / "meta.json").read_bytes() == (built_dir / "meta.json").read_bytes()
    after = load_atlas(copy, EMBEDDED_DIR).fingerprint
    assert after != before
    key = {"deps": ["30"]}
    assert store.cache_key(before, "communes", key) != store.cache_key(after, "communes", key)


def test_the_store_is_capped_by_bytes_as_well_as_files(build_env, monkeypatch):
    """Maps of 300 KB each under a 1 MB cap: the store keeps the newest that fit, never more
    than the cap on disk (issue 22, item 3)."""
    import time

    monkeypatch.setattr(store, "MAX_BYTES", 1_000_000)
    big = store.PreparedMap({"layer": "x" * 300_000, "map": "{}"})
    for i in range(8):
        store.save(f"carte-{i}", big)
        time.sleep(0.01)  # distinct modification times: the newest are kept
    files = sorted(p.name for p in store.folder().glob("*.json"))
    assert sum(p.stat().st_size for p in store.folder().glob("*.json")) <= 1_000_000
    assert files == ["carte-5.json", "carte-6.json", "carte-7.json"]
