"""What every press figure shares: matplotlib settings (no pyplot, no global state), colours,
sizes, the sources line, text made safe for SVG, and encoding to PNG, SVG or PDF."""

from __future__ import annotations

from .. import datastack  # noqa: F401  (first: see datastack.py)

# isort: split

import datetime as dt
import functools
import io
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import credits
from ..atlas import Atlas
from ..errors import InvalidInput
from ..files import atomic_write
from ..webmap.spec import colours

A4_LANDSCAPE = (11.69, 8.27)  # inches

# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.


# Settings of every figure, applied around their drawing and saving (``matplotlib.rc_context``, as
# matplotlib advises for servers: no process-wide backend or rcParams change, figures made with
# ``matplotlib.figure.Figure``, not pyplot). Names are data: a "$" pair must not switch to
# mathematical typesetting; SVG keeps real, searchable text; PDF embeds TrueType fonts.
RC = {"text.parse_math": False, "svg.fonttype": "none", "pdf.fonttype": 42}


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawn once, when the figure is saved. geopandas ends each ``plot`` with
    ``canvas.draw_idle()``, which on Agg draws the whole figure at once: each layer of a map would
    redraw every layer before it (measured in ``benchmarks/bench_region_map.py``)."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


def _figure(size: tuple[float, float]) -> Figure:
    """A figure with its own Agg canvas (text sizes are measured to place labels): no pyplot, no
    global figure manager."""
    fig = Figure(figsize=size, dpi=DPI)
    _Canvas(fig)
    return fig


def styled(function):
    """Run a figure function with :data:`RC`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(RC):
            return function(*args, **kwargs)

    return wrapper


def plain(value: object) -> str:
    """A name as figure text: characters XML forbids (invalid in an SVG: controls such as NUL,
    surrogates, U+FFFE and U+FFFF) removed."""
    return "".join(
        c
        for c in str(value)
        if (ord(c) >= 32 and c != "\x7f") and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff"
    )


COLOURS = colours()  # the registry's colours (read at import) and the furniture's


DPI = 200


HALO = "halo"  # gid of the white copies behind labels


FORMATS = ("png", "svg", "pdf")


def sources_text(atlas: Atlas, today: dt.date | None = None) -> str:
    """The sources line (lists with their dates and coverage, vintages) and the export date."""
    from ..views import lists_json

    date = (today or dt.date.today()).strftime("%d/%m/%Y")
    return f"{credits.sources_line(atlas.meta, lists_json(atlas))} Export Atlas PVD du {date}."


@styled
def encode(fig, fmt: str, path: Path | None = None) -> bytes:
    """Render ``fig`` as PNG (200 dpi), SVG or PDF; write it atomically to ``path`` if given."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format inconnu : {fmt} (attendu : {', '.join(FORMATS)})")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(fmt))
    payload = buffer.getvalue()
    if path is not None:
        atomic_write(Path(path), payload)
    return payload


def _metadata(fmt: str) -> dict:
    if fmt == "png":
        return {"Software": "Atlas PVD"}
    if fmt == "pdf":
        return {"Creator": "Atlas PVD", "Title": "Petites villes de demain"}
    return {"Creator": "Atlas PVD"}


def labels(ax) -> list:
    """The PVD name labels of a map panel (not their halos)."""
    return [t for t in ax.texts if hasattr(t, "xyann") and t.get_gid() != HALO]


def km_per_inch(ax) -> float:
    """Scale of a map panel (for tests: panels side by side share it)."""
    xlim = ax.get_xlim()
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    return (xlim[1] - xlim[0]) / 1000 / width_in
