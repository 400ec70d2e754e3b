"""The atlas as Streamlit serves it: ``streamlit run pvd_geo/ui/server.py`` (``make run``, the
tests, ``deploy/serve.py``) runs ``dashboard.py`` and ``pages/`` through Streamlit's public
``st.App``, with the readers' upload quota (:mod:`pvd_geo.uploads`) and the pace of their messages
(:mod:`pvd_geo.throttle`) in front of Streamlit's routes, and a year's lifetime for the files whose
address names their bytes (:mod:`pvd_geo.assetcache`).
``streamlit run dashboard.py`` still works, without that quota (Streamlit's limit per file only).

The quota asks Streamlit's runtime, through its public ``streamlit.runtime.get_instance()``,
whether a session is still open (its files are then still held)."""

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # Streamlit imports this file with its own folder on the path
    sys.path.insert(0, str(ROOT))

from pvd_geo.assetcache import ImmutableAssets  # noqa: E402
from pvd_geo.throttle import WebsocketThrottle  # noqa: E402
from pvd_geo.uploads import Ledger, UploadQuota  # noqa: E402


def session_open(session_id: str) -> bool:
    from streamlit import runtime

    return runtime.exists() and runtime.get_instance().is_active_session(session_id)


def disconnected_ttl_s() -> float:
    """How long Streamlit may keep a closed session's files (``server.disconnectedSessionTTL``)."""
    return float(st.get_option("server.disconnectedSessionTTL"))


app = st.App(
    "../../dashboard.py",
    middleware=[
        Middleware(ImmutableAssets),
        Middleware(WebsocketThrottle),
        Middleware(UploadQuota, ledger=Ledger(active=session_open, ttl_s=disconnected_ttl_s)),
    ],
)
