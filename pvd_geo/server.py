"""The atlas as Streamlit serves it: ``streamlit run pvd_geo/server.py`` (``make run``, the tests,
``deploy/serve.py``) runs ``dashboard.py`` and ``pages/`` through Streamlit's public ``st.App``,
with the readers' upload quota (:mod:`pvd_geo.uploads`) in front of Streamlit's routes.
``streamlit run dashboard.py`` still works, without that quota (Streamlit's limit per file only)."""

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # Streamlit imports this file with its own folder on the path
    sys.path.insert(0, str(ROOT))

from pvd_geo.uploads import UploadQuota  # noqa: E402

app = st.App("../dashboard.py", middleware=[Middleware(UploadQuota)])
