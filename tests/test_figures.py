"""Static maps and charts: structure (size, dpi, page, texts), label overlaps, golden image."""

import io
import itertools
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

from pvd_geo import exports, figures

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def gers_png(atlas):
    return figures.encode(figures.static_map(atlas, [("departement", "32")]), "png")


def test_png_size_and_dpi(gers_png):
    image = Image.open(io.BytesIO(gers_png))
    assert image.size[0] >= 2000
    assert round(image.info["dpi"][0]) == 200


def test_svg_has_real_text(atlas):
    svg = figures.encode(figures.static_map(atlas, [("departement", "32")]), "svg").decode()
    assert "Gers (32) — 24 Petites villes de demain" in svg
    labels = [p.legende for p in figures.press_programmes()]
    labels += ["EPCI contenant au moins une Petite ville de demain", "Limite d'EPCI"]
    assert "Action cœur de ville" in labels and "ORT signée" not in labels  # ORT: on request, web only
    for label in labels:
        assert label.replace("'", "&#39;") in svg or label in svg, label
    names = atlas.communes.loc[(atlas.communes["dep"] == "32") & atlas.communes["pvd"], "nom"]
    assert len(names) == 24
    for name in names:
        assert name.replace("'", "&#39;") in svg or name in svg, name
    assert "km" in svg and "Sources" in svg and "Export Atlas PVD" in svg


def test_pdf_is_one_a4_landscape_page(atlas):
    pdf = figures.encode(figures.static_map(atlas, [("departement", "30")]), "pdf")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    box = [float(v) for v in re.search(rb"/MediaBox \[\s*([^\]]*)\]", pdf).group(1).split()]
    width, height = box[2] - box[0], box[3] - box[1]
    assert width == pytest.approx(842, abs=2) and height == pytest.approx(595, abs=2)


@pytest.mark.parametrize(
    "territories",
    [[("departement", "30")], [("departement", "32")], [("departement", "30"), ("departement", "32")]],
)
def test_pvd_labels_do_not_overlap(atlas, territories):
    fig = figures.static_map(atlas, territories)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    expected = sum(
        int(atlas.communes.loc[atlas.communes["dep"] == code, "pvd"].sum()) for _, code in territories
    )
    labels = [t for ax in fig.axes[: len(territories)] for t in figures.labels(ax)]
    assert len(labels) == expected  # every PVD commune is named
    for ax in fig.axes[: len(territories)]:
        boxes = [Text.get_window_extent(t, renderer) for t in figures.labels(ax)]
        assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_panels_share_one_scale(atlas):
    fig = figures.static_map(atlas, [("departement", "30"), ("departement", "32")])
    scales = [figures.km_per_inch(ax) for ax in fig.axes[:2]]
    assert scales[0] == pytest.approx(scales[1], rel=1e-6)


def test_parse_territoire():
    assert figures.parse_territoire("dep:32") == ("departement", "32")
    assert figures.parse_territoire("reg:76") == ("region", "76")
    assert figures.parse_territoire("epci:243200458") == ("epci", "243200458")
    with pytest.raises(ValueError, match="territoire invalide"):
        figures.parse_territoire("commune:30210")


def _small(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L").resize((117, 83)), dtype=float)


def test_golden_gers_map(gers_png):
    """A low-resolution comparison with a reviewed image: a broken map (no fill, shifted) fails."""
    golden = np.asarray(Image.open(GOLDEN / "gers_117x83.png").convert("L"), dtype=float)
    difference = np.abs(_small(gers_png) - golden).mean()
    assert difference < 6, difference


def test_bar_chart_svg(atlas):
    table = atlas.stats("epci", "32")
    svg = figures.encode(figures.bar_chart(table, "Communes PVD par EPCI", "Sources : test"), "svg").decode()
    assert "Communes PVD par EPCI" in svg and "CC du Grand Armagnac" in svg


def test_exports_csv_geojson(atlas):
    communes = exports.territory_communes(atlas, [("departement", "32")])
    assert len(communes) == 458 and int((communes["pvd"] == "oui").sum()) == 24
    assert set(communes["pvd"]) == {"oui", "non"} and str(communes["population"].dtype) == "Int64"
    csv = exports.to_csv(communes, ";")
    assert csv.startswith("\ufeff".encode()) and "Valence-sur-Baïse".encode() in csv
    assert csv.decode("utf-8-sig").splitlines()[0].startswith("code_insee;nom;")
    geojson = exports.to_geojson(communes)
    assert b'"type":"FeatureCollection"' in geojson and geojson.count(b'"Feature"') == 458
    header = csv.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[-3:] == ["date_convention_pvd", "date_convention_acv", "date_signature_ort"]
    for line in csv.decode("utf-8-sig").splitlines()[1:]:
        cells = dict(zip(header, line.split(";"), strict=True))
        assert cells["pvd"] in ("oui", "non") and cells["population"].isdigit()  # no "720,0"
        assert "True" not in line and "False" not in line


def test_csv_neutralises_formulas():
    import pandas as pd

    frame = pd.DataFrame(
        {"nom": ['=HYPERLINK("x")', "+33", "@SUM(A1)", "-1", "Quissac"], "n": [1, 2, 3, 4, 5]}
    )
    text = exports.to_csv(frame, ",").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+33" in text and "'@SUM" in text and "'-1" in text
    assert "\nQuissac," in text.replace("\r\n", "\n")


def test_territory_stats_counts_every_epci_touching_the_territory(atlas):
    table = exports.territory_stats(atlas, [("departement", "30")], "epci")
    # EPCIs reaching into a département the list does not cover have no count (NA), not zero
    outside = table[table["couverture_pvd"] == "non"]
    assert outside["pvd"].isna().all() and table.loc[table["couverture_pvd"] == "oui", "pvd"].notna().all()
    in_outside = atlas.communes[
        (atlas.communes["dep"] == "30") & atlas.communes["epci"].isin(outside["code"])
    ]
    assert int(table["pvd"].sum()) + int(in_outside["pvd"].sum()) == 21
    assert table.set_index("code").loc["248400251", "communes"] == 16  # Grand Avignon, all members


def test_figures_change_no_global_matplotlib_setting(atlas):
    """Building and saving a figure leaves matplotlib's process-wide settings alone (a server shares
    them between sessions): settings apply inside an rc_context only."""
    import subprocess
    import sys

    code = (
        "import matplotlib; before = (matplotlib.get_backend(), dict(matplotlib.rcParams)); "
        "import pvd_geo.figures as f; import matplotlib.pyplot as plt; "
        "assert (matplotlib.get_backend(), dict(matplotlib.rcParams)) == before; "
        "assert matplotlib.rcParams['text.parse_math'] and matplotlib.rcParams['svg.fonttype'] == 'path'; "
        "assert plt.get_fignums() == []; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"MPLBACKEND": "agg"}
    )
    assert out.stdout.strip() == "ok", out.stderr
    table = atlas.stats("departement")
    svg = figures.encode(
        figures.bar_chart(table[table["code"].isin(["30", "32"])], "Prix : 5 $ et 6 $", "s"), "svg"
    )
    import matplotlib

    assert matplotlib.rcParams["svg.fonttype"] == "path"  # unchanged after a figure
    assert "Prix : 5 $ et 6 $" in svg.decode()  # yet the figure had real text and no mathematics


def test_svg_stays_valid_xml_with_noncharacters_in_names(atlas):
    """Names with U+FFFE, U+FFFF or a control character (hostile build data) still give an SVG
    that an XML parser reads (issue 22, item 10), with the rest of the name kept."""
    import xml.etree.ElementTree as ET

    table = atlas.stats("epci", "32").copy()
    first = table.index[table["pvd"].fillna(0).astype(int).argmax()]
    table.loc[first, "nom"] = "CC \ufffeTest\uffff\x00 Armagnac"
    svg = figures.encode(figures.bar_chart(table, "Titre \uffff", "Sources : test\ufffe"), "svg")
    ET.fromstring(svg)  # raises on a character XML forbids
    assert "CC Test Armagnac" in svg.decode()


@pytest.fixture(scope="module")
def occitanie(built_dir, tmp_path_factory):
    """The Occitanie press map with the current national PVD list (224 PVD in the région)."""
    from pvd_geo.atlas import load_atlas
    from pvd_geo.constants import EMBEDDED_DIR

    from .conftest import SHARED_DATA, run

    lists = tmp_path_factory.mktemp("listes") / "listes"
    shutil.copytree(EMBEDDED_DIR, lists)
    env = {**os.environ, "PVD_BUILD_DIR": str(built_dir)}
    current = SHARED_DATA / "current" / "anct_pvd_communes_2026.csv"
    args = ("--listes", str(lists), "import-selection", str(current), "--couverture", "nationale")
    out = run(*args, "--yes", "--force", env=env)
    assert out.returncode == 0, out.stderr
    atlas = load_atlas(built_dir, lists)
    return atlas, figures.static_map(atlas, [("region", "76")])


def test_region_press_map_names_what_fits_and_numbers_the_rest(occitanie):
    """Every PVD of the région is on the map, named beside its point (no leader line across other
    départements) or numbered with an index by département; no two names overlap, nor a
    département's name; the départements are named."""
    atlas, fig = occitanie
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    com = atlas.communes
    pvd = set(com.loc[(com["reg"] == "76") & com["pvd"].fillna(False).astype(bool), "nom"])
    assert len(pvd) >= 200
    named = figures.labels(ax)
    assert all(t.arrow_patch is None for t in named)  # beside their point
    deps = {
        n.upper()
        for c, n in atlas.names("departement").items()
        if c in set(com.loc[com["reg"] == "76", "dep"])
    }
    dep_texts = [t for t in ax.texts if t.get_text() in deps]
    assert {t.get_text() for t in dep_texts} == deps and len(deps) == 13
    numbers = [t for t in ax.texts if t.get_gid() == "pvd-numero"]
    index = " ".join(t.get_text() for t in fig.texts).replace("\u00a0", " ")
    assert numbers and "numéros sur la carte" in index
    for t in numbers:
        assert re.search(rf"(^|[ :·]){t.get_text()} \S", index), t.get_text()
    named_names = {t.get_text() for t in named}
    numbered_names = {name for name in pvd if re.search(rf"\d+ {re.escape(name)}( ·|$| )", index)}
    assert named_names | numbered_names == pvd, pvd - named_names - numbered_names
    assert len(named_names) > len(numbered_names)  # most are named
    boxes = [t.get_window_extent(renderer) for t in [*named, *dep_texts]]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_region_press_map_encodes_to_png_and_pdf(occitanie):
    _, fig = occitanie
    assert figures.encode(fig, "png").startswith(b"\x89PNG")
    assert figures.encode(fig, "pdf").startswith(b"%PDF")
