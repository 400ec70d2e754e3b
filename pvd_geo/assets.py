"""Front-end assets served by the app itself (Streamlit static serving), so maps work offline.

Leaflet, topojson-client and leaflet-gesture-handling come from the npm registry at set-up
(``python -m pvd_geo assets``, run by ``make setup``), verified and unpacked into ``static/vendor/``
(git-ignored). The scripts and style of the atlas's folium plugins (``pvd_geo/webmap/static/``) are
copied beside them into ``static/vendor/atlas/`` (:func:`sync_own`); Streamlit serves the folder
at ``/app/static/``; the static site (``publish``) copies the same files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from .constants import ROOT, cache_dir
from .files import atomic_write, swap_in
from .sources.npm import fetch_tarball

STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# package, version, files to keep from the tarball (paths under package/)
PACKAGES = {
    "leaflet": ("1.9.4", ["dist/leaflet.js", "dist/leaflet.css", "dist/images/", "LICENSE"]),
    "topojson-client": ("3.1.0", ["dist/topojson-client.min.js", "LICENSE"]),
    "leaflet-gesture-handling": (
        "1.2.2",
        ["dist/leaflet-gesture-handling.min.js", "dist/leaflet-gesture-handling.min.css", "LICENSE"],
    ),
}
OWN_DIR = Path(__file__).resolve().parent / "webmap" / "static"  # the plugins' scripts and style
# Files the maps need, relative to VENDOR_DIR.
MAP_JS = (
    "leaflet/leaflet.js",
    "topojson-client/topojson-client.min.js",
    "leaflet-gesture-handling/leaflet-gesture-handling.min.js",
    "atlas/core.js",
)
MAP_CSS = ("leaflet/leaflet.css", "atlas/atlas.css")


def assets_installed(vendor: Path = VENDOR_DIR) -> bool:
    """True when every file the maps load is present."""
    return all((vendor / f).is_file() for f in (*MAP_JS, *MAP_CSS))


@lru_cache(maxsize=1)
def own_version() -> str:
    """A hash of the plugins' files: added to their address (``?v=``), so that a browser never
    keeps a copy older than the server's (computed once per process)."""
    digest = hashlib.sha256(repr(sorted(PACKAGES.items())).encode())
    for path in sorted(OWN_DIR.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


_SYNCED: list[str] = []


def sync_own(vendor: Path = VENDOR_DIR) -> None:
    """Copy the plugins' files beside the vendored packages when they differ (a code update
    takes effect without a new set-up); once per process and version; a read-only disk keeps the
    copy it has."""
    version = own_version()
    if (str(vendor), version) == tuple(_SYNCED[-2:]):
        return
    copies = {vendor / "atlas" / p.name: p.read_bytes() for p in OWN_DIR.iterdir() if p.is_file()}
    for dest, data in copies.items():
        if dest.is_file() and dest.read_bytes() == data:
            continue
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, data)
        except OSError:
            continue
    if assets_installed(vendor):
        # the bundle's time is its newest source's (a browser keeps it as long as it kept them)
        newest = max(p.stat().st_mtime for p in (*OWN_DIR.iterdir(), *(vendor / f for f in MAP_JS)))
        for name, data in bundle_texts(vendor).items():
            dest = vendor / name
            try:
                if not (dest.is_file() and dest.read_bytes() == data):
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(dest, data)
                os.utime(dest, (newest, newest))
            except OSError:
                continue
    _SYNCED[:] = [str(vendor), version]


def bundle_texts(vendor: Path = VENDOR_DIR) -> dict[str, bytes]:
    """The maps' scripts and stylesheets concatenated in their loading order (one request each
    instead of ten scripts fetched one after the other in a map's frame): the package files from
    ``vendor``, the plugins' from their source folder; source-map comments dropped, and Leaflet's
    image addresses made relative to the bundle's folder."""
    from .webmap.maps import load_order
    from .webmap.plugins.base import BUNDLE_CSS, BUNDLE_JS

    def read(kind: str, path: str) -> str:
        text = ((vendor / path) if kind == "vendor" else (OWN_DIR / path)).read_text(encoding="utf-8")
        lines = [
            line
            for line in text.splitlines()
            if not line.startswith(("//# sourceMappingURL", "/*# sourceMappingURL"))
        ]
        text = "\n".join(lines)
        if kind == "vendor" and path.endswith(".css"):
            folder = Path(path).parent.as_posix()
            text = re.sub(
                r"url\((?!['\"]?(?:data:|#|/))['\"]?([^'\")]+)['\"]?\)", rf"url(../{folder}/\1)", text
            )
        return f"/* {kind}/{path} */\n{text}\n"

    js, css = load_order()
    return {
        BUNDLE_JS: ";\n".join(read(*f) for f in js).encode(),
        BUNDLE_CSS: "".join(read(*f) for f in css).encode(),
    }


def _extract(tarball: Path, keep: list[str], dest: Path) -> None:
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if not member.isfile() or not any(name == k or name.startswith(k) for k in keep if k):
                continue
            target = dest / name.removeprefix("dist/")
            if ".." in Path(name).parts:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                target.write_bytes(source.read())


def install_assets(vendor: Path = VENDOR_DIR, cache: Path | None = None) -> list[str]:
    """Download (or take from cache) and unpack every package; returns what was installed."""
    cache = cache or cache_dir()
    vendor.parent.mkdir(parents=True, exist_ok=True)
    installed = []
    for package, (version, keep) in PACKAGES.items():
        tarball = fetch_tarball(package, version, cache)
        tmp = Path(tempfile.mkdtemp(dir=vendor.parent, prefix=".vendor-"))
        try:
            _extract(tarball, keep, tmp)
            final = vendor / package
            final.parent.mkdir(parents=True, exist_ok=True)
            swap_in(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        installed.append(f"{package}@{version}")
    sync_own(vendor)
    return installed
