"""Front-end assets served by the app itself (Streamlit static serving), so maps work offline.

Leaflet comes from the npm registry at set-up (``python -m pvd_geo assets``, run by
``make setup``), verified and unpacked into ``static/vendor/`` (git-ignored).
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from pathlib import Path

from .constants import ROOT, cache_dir
from .sources.npm import fetch_tarball

STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# package, version, files to keep from the tarball (paths under package/)
PACKAGES = {
    "leaflet": ("1.9.4", ["dist/leaflet.js", "dist/leaflet.css", "dist/images/"]),
}
# Files the maps need, relative to VENDOR_DIR.
LEAFLET_JS = "leaflet/leaflet.js"
LEAFLET_CSS = "leaflet/leaflet.css"


def assets_installed(vendor: Path = VENDOR_DIR) -> bool:
    """True when every file the maps load is present."""
    return all((vendor / f).is_file() for f in (LEAFLET_JS, LEAFLET_CSS))


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
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        installed.append(f"{package}@{version}")
    return installed
