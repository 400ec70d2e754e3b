"""AppTest smoke test over the dashboard and every page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pvd_geo.constants import ROOT

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page, build_env):
    app = AppTest.from_file(str(Path(ROOT) / page), default_timeout=60).run()
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.metric) + " " + " ".join(str(t.value) for t in app.markdown)
    assert "21" in app.dataframe[0].value.to_string() and "24" in app.dataframe[0].value.to_string()
    assert text
