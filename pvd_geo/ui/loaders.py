"""Loaders cached per process: the atlas, the catalogue and the figures of the first screen, the
sources line."""

from __future__ import annotations

import ctypes
import gc
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from .. import credits, summary
from ..constants import build_dir, lists_dir
from ..sources.projets_locaux import read_projets

if TYPE_CHECKING:
    from ..atlas import Atlas

from .text import md


@st.cache_resource(show_spinner="Chargement des données…", max_entries=2)
def _atlas(directory: str, selections: str, signature: tuple = ()) -> Atlas:
    """``signature`` only keys the cache (:func:`pvd_geo.summary.data_signature`): a list imported or
    updated by another process (another replica, the command line) or a new build is picked up
    at the next page run."""
    from ..atlas import load_atlas  # pandas and geopandas: imported when the atlas is first needed

    atlas = load_atlas(Path(directory), Path(selections))
    # Streamlit collects garbage after every script run (runner.postScriptGC: gc.collect(2)), which
    # would walk the atlas's objects each time (the cost is in the README, « Capacité »). The atlas
    # lives as long as its data version: moved out of the collector's reach (it is still freed by
    # reference counting when replaced).
    gc.collect()
    gc.freeze()
    return atlas


def cached_atlas() -> Atlas:
    """The atlas of the current build and lists, from the process-wide cache (loaded if needed)."""
    directory = build_dir()
    lists = lists_dir()
    return _atlas(str(directory), str(lists), summary.data_signature(directory, lists))


TRIM_EVERY_S = 30


@st.cache_resource(show_spinner=False)
def _memory_trimmer() -> threading.Thread | None:
    """Give freed memory back to the system every ``TRIM_EVERY_S`` seconds (glibc's
    ``malloc_trim``): sessions end, their memory is freed but glibc keeps it, and the server's RSS
    stays at its peak. One daemon thread per process; nothing on other C libraries."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None

    def loop() -> None:
        while True:
            time.sleep(TRIM_EVERY_S)
            trim(0)

    thread = threading.Thread(target=loop, name="pvd-malloc-trim", daemon=True)
    thread.start()
    return thread


def get_atlas() -> Atlas:
    """The read-only atlas, loaded once per process and data version; stops the page with a French
    message if the build is absent or damaged."""
    from ..atlas import BuildCorrupt, BuildMissing

    _memory_trimmer()
    try:
        return cached_atlas()
    except (BuildMissing, BuildCorrupt) as exc:
        st.error(f"{md(exc)}\n\nPour réparer : `make run` (ou `python -m pvd_geo build`).")
        st.stop()
        raise


@st.cache_resource(max_entries=4096, show_spinner=False)
def _shared(key: str, _fn, _atlas, _args):
    return _fn(_atlas, *_args)


def shared(fn, atlas: Atlas, *args):
    """``fn(atlas, *args)`` computed once per data version and arguments for every session of
    this process: a reader's rerun does no pandas work that another session already did for the
    same view. ``fn`` is a function of :mod:`pvd_geo.views` (or any function of the atlas whose
    arguments have a faithful ``repr``); its result is shared, so callers never modify it (the
    views return new objects, and the pages only read them).

    This is the per-view cache of the app layer; the others are the atlas itself (:func:`_atlas`),
    prepared maps (memory, then the disk store: :mod:`.mapview`) and export files
    (``st.cache_data`` in :mod:`.sections`, copies that may be downloaded)."""
    return _shared(f"{fn.__module__}.{fn.__qualname__}|{atlas.fingerprint}|{args!r}", fn, atlas, args)


def catalogue() -> summary.Catalogue:
    """Names of the territories and sources of the data in use: from the disk store when this
    data version was seen before (no pandas, no atlas), else from the atlas (then stored)."""
    signature = summary.data_signature(build_dir(), lists_dir())
    found = summary.load_catalogue(signature)
    if found is not None:
        return found
    atlas = get_atlas()
    made = summary.catalogue_of(atlas)
    if summary.data_signature(build_dir(), lists_dir()) == signature:  # not changed while loading
        summary.save_catalogue(signature, made)
    return made


def first_screen_figures(source, departements: list[str]) -> dict:
    """``{"name", "totals"}`` of a scope of the data ``source`` (a catalogue or the atlas)."""
    found = summary.load_figures(source.fingerprint, departements)
    if found is not None:
        return found
    atlas = get_atlas()
    figures = summary.scope_figures(atlas, departements)
    if atlas.fingerprint == source.fingerprint:
        summary.save_figures(source.fingerprint, departements, figures)
    return figures


@st.cache_resource
def projets_locaux() -> dict[str, dict]:
    return read_projets()


def lists_of(source) -> dict[str, dict]:
    """The lists in use as plain data (``source``: the atlas or a catalogue)."""
    if isinstance(source, summary.Catalogue):
        return source.lists
    from ..views import lists_json  # ``source`` is the atlas: pandas is loaded already

    return lists_json(source)


def sources_of(source) -> str:
    """« Sources : ... » naming each list with its date and coverage, and every vintage, for the
    foot of each page and map (``source``: the atlas or a catalogue)."""
    return credits.sources_line(source.meta, lists_of(source))
