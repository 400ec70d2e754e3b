"""Prepare the maps of the default views before the first visitor (``python -m pvd_geo warm``).

The pages are run once, headless, with Streamlit's own test runner: the maps they draw are
stored by :mod:`pvd_geo.store` exactly as a visitor's session would store them, so a fresh
server then draws them without loading the atlas or its geometry. ``make run`` calls it before
starting the server.
"""

from __future__ import annotations

import time

from ..constants import ROOT

# (page, query parameters): the overview (Gard + Gers) and the national overview.
DEFAULT_VIEWS = [
    ("dashboard.py", {}),
    ("dashboard.py", {"perimetre": "france"}),
]


def warm(views: list[tuple[str, dict]] = DEFAULT_VIEWS, timeout: float = 300) -> list[tuple[str, float]]:
    """Run each view once; returns (view, seconds). Raises RuntimeError if a page fails."""
    from streamlit.testing.v1 import AppTest

    done = []
    for page, params in views:
        start = time.perf_counter()
        app = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
        for name, value in params.items():
            app.query_params[name] = value
        app.run()
        label = page + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        if app.exception:
            raise RuntimeError(f"{label} : {app.exception[0].message}")
        if app.error:
            raise RuntimeError(f"{label} : {app.error[0].value}")
        done.append((label, time.perf_counter() - start))
    return done
