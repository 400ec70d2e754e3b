"""Loaders cached per process: the atlas, the catalogue and the figures of the first screen, the
sources line."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from .. import credits, summary
from ..constants import build_dir, selection_dir
from ..sources.programmes import read_programmes

if TYPE_CHECKING:
    from ..atlas import Atlas

from .text import md


class _OnFirstUse:
    """A module imported when first used: the overview's first screen, drawn from the stored
    summary and map (:mod:`pvd_geo.summary`), must not wait for pandas and geopandas."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


views = _OnFirstUse("pvd_geo.views")

atlas_module = _OnFirstUse("pvd_geo.atlas")


@st.cache_resource(show_spinner="Chargement des données…", max_entries=2)
def _atlas(directory: str, selections: str, signature: tuple = ()) -> Atlas:
    """``signature`` only keys the cache (:func:`pvd_geo.summary.data_signature`): a list imported or
    updated by another process (another replica, the command line) or a new build is picked up
    at the next page run."""
    return atlas_module.load_atlas(Path(directory), Path(selections))


def cached_atlas() -> Atlas:
    """The atlas of the current build and lists, from the process-wide cache (loaded if needed)."""
    directory = build_dir()
    lists = selection_dir()
    return _atlas(str(directory), str(lists), summary.data_signature(directory, lists))


def get_atlas() -> Atlas:
    """The read-only atlas, loaded once per process and data version; stops the page with a French
    message if the build is absent or damaged."""
    try:
        return cached_atlas()
    except (atlas_module.BuildMissing, atlas_module.BuildCorrupt) as exc:
        st.error(f"{md(exc)}\n\nPour réparer : `make run` (ou `python -m pvd_geo build`).")
        st.stop()
        raise


def catalogue() -> summary.Catalogue:
    """Names of the territories and sources of the data in use: from the disk store when this
    data version was seen before (no pandas, no atlas), else from the atlas (then stored)."""
    signature = summary.data_signature(build_dir(), selection_dir())
    found = summary.load_catalogue(signature)
    if found is not None:
        return found
    atlas = get_atlas()
    made = summary.catalogue_of(atlas)
    if summary.data_signature(build_dir(), selection_dir()) == signature:  # not changed while loading
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
def programmes() -> dict[str, dict]:
    return read_programmes()


def lists_of(source) -> dict[str, dict]:
    """The lists in use as plain data (``source``: the atlas or a catalogue)."""
    return source.lists if isinstance(source, summary.Catalogue) else views.lists_json(source)


def sources_line(source) -> str:
    """« Sources : ... » naming each list with its date and coverage, and every vintage, for the
    foot of each page and map (``source``: the atlas or a catalogue)."""
    return credits.sources_line(source.meta, lists_of(source))
