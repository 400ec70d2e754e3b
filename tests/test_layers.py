"""Which layer may import what: only ``pvd_geo/ui/`` (and the pages) import Streamlit."""

import ast
import re
from pathlib import Path

from pvd_geo.constants import ROOT


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_app_layer_imports_streamlit():
    package = ROOT / "pvd_geo"
    outside = [p for p in package.rglob("*.py") if "ui" not in p.relative_to(package).parts]
    assert len(outside) > 20
    offenders = [str(p.relative_to(ROOT)) for p in outside if "streamlit" in _imports(p)]
    assert offenders == []
    inside = list((package / "ui").glob("*.py"))
    assert any("streamlit" in _imports(p) for p in inside)


def test_the_maps_use_public_apis_only():
    """The dashboard shows maps with ``st_folium`` (streamlit-folium's public function) and no
    private name of streamlit-folium or Streamlit's runtime."""
    maps = [*(ROOT / "pvd_geo" / "ui").glob("*.py"), *(ROOT / "pvd_geo" / "webmap").rglob("*.py")]
    texts = {p.name: p.read_text(encoding="utf-8") for p in maps if p.name != "server.py"}
    assert "from streamlit_folium import st_folium" in texts["mapview.py"]
    for name, text in texts.items():
        assert "streamlit_folium._" not in text and "from streamlit_folium import _" not in text, name
        assert "streamlit.runtime" not in text and "get_script_run_ctx" not in text, name


DATA_LIBRARIES = {"pandas", "geopandas", "pyarrow", "shapely", "numpy"}


def test_every_module_using_the_data_libraries_imports_the_data_stack_first():
    """pandas and pyarrow import each other: the app imports them late, from several script threads
    at once, so every module that uses them first imports ``pvd_geo.datastack`` (one thread imports
    the whole stack, the others wait)."""
    checked = []
    for path in sorted((ROOT / "pvd_geo").rglob("*.py")):
        if path.name == "datastack.py" or "ui" in path.relative_to(ROOT / "pvd_geo").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        heavy = [
            i
            for i, node in enumerate(top)
            if (isinstance(node, ast.Import) and {a.name.split(".")[0] for a in node.names} & DATA_LIBRARIES)
            or (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module.split(".")[0] in DATA_LIBRARIES
            )
        ]
        if not heavy:
            continue
        stack = [
            i
            for i, node in enumerate(top)
            if isinstance(node, ast.ImportFrom)
            and node.level
            and any(a.name == "datastack" for a in node.names)
        ]
        assert stack and stack[0] < heavy[0], f"{path.relative_to(ROOT)} : importer datastack en premier"
        checked.append(path.name)
    assert {
        "scope.py",
        "atlas.py",
        "spec.py",
        "topo.py",
        "publish.py",
        "maps.py",
        "selection.py",
    } <= set(checked)


RACE = """
import importlib, sys, threading
names = sys.argv[1:]
barrier = threading.Barrier(len(names))
errors = []
def first_import(name):
    barrier.wait()
    try:
        importlib.import_module(name)
    except Exception as exc:
        errors.append(f"{name}: {exc!r}")
threads = [threading.Thread(target=first_import, args=(n,)) for n in names]
for t in threads: t.start()
for t in threads: t.join()
import pandas, pyarrow, geopandas
assert pandas.NA is not None and geopandas.GeoDataFrame and pyarrow.Table
print(errors or "ok")
"""


def test_concurrent_first_imports_from_different_ends_complete():
    """Several threads of a fresh process import the package's data modules and the libraries from
    different ends at the same instant, as a fresh replica's first sessions do."""
    import subprocess
    import sys

    names = [
        "pvd_geo.views",
        "pvd_geo.atlas",
        "pvd_geo.webmap.spec",
        "pyarrow.parquet",
        "pvd_geo.figures",
        "pandas",
    ]
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", RACE, *names], capture_output=True, text=True, cwd=ROOT)
        assert out.returncode == 0 and out.stdout.strip() == "ok", out.stdout + out.stderr


def test_the_server_entry_uses_streamlits_public_app_and_session_check_only():
    """``pvd_geo/ui/server.py`` is the one file that asks Streamlit's runtime something: whether a
    session is open, through the public ``streamlit.runtime`` functions (no private name)."""
    text = (ROOT / "pvd_geo" / "ui" / "server.py").read_text(encoding="utf-8")
    assert "st.App(" in text and "Middleware(UploadQuota" in text
    used = set(re.findall(r"runtime\.(\w+)", text))
    assert used <= {"exists", "get_instance"}, used
    assert set(re.findall(r"get_instance\(\)\.(\w+)", text)) == {"is_active_session"}
    assert not re.search(r"\b_[a-z]\w*\(", text.replace("__file__", ""))
