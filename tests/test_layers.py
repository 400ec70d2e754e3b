"""Which layer may import what: only ``pvd_geo/ui/`` (and the pages) import Streamlit."""

import ast
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
    offenders = [str(p.relative_to(ROOT)) for p in outside if {"streamlit", "streamlit_folium"} & _imports(p)]
    assert offenders == []
    inside = list((package / "ui").glob("*.py"))
    assert any("streamlit" in _imports(p) for p in inside)


def test_the_private_apis_the_app_layer_relies_on_still_exist():
    """streamlit-folium's map rendering helpers and Streamlit's run context, used in one place each
    (``pvd_geo/ui/mapview.py``): an upgrade that removes them fails here, not in a reader's page."""
    import streamlit_folium as sf
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    for name in ("_get_html", "_get_header", "_get_map_string", "get_full_id"):
        assert callable(getattr(sf, name)), name
    assert callable(get_script_run_ctx)
    users = [
        p.name for p in (ROOT / "pvd_geo").rglob("*.py") if "sf._get_html" in p.read_text(encoding="utf-8")
    ]
    assert users == ["mapview.py"]
