"""AppTest smoke test over the dashboard and every page, and the drill-down through the URL."""

import pytest

from pvd_geo.constants import EMBEDDED_DIR, ROOT

from .conftest import _text, app_for, headline_figures, html_tables

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


def _embedded_counts(column: str = "insee_dep") -> dict[str, int]:
    """PVD per département (or EPCI: ``siren_epci``) in the embedded list file itself."""
    import csv

    with (EMBEDDED_DIR / "pvd.csv").open(encoding="utf-8") as handle:
        keys = [row[column] for row in csv.DictReader(handle)]
    return {key: keys.count(key) for key in set(keys)}


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_shows_the_lists_own_figures(page, build_env):
    """Each page runs and shows the Gard's and the Gers's PVD counts where they belong — the same
    as the embedded list file's rows (21 and 24), not just somewhere in the text."""
    expected = _embedded_counts()
    app = app_for(page)
    if "Territoire" in page:
        app.query_params["dep"] = "30"
    app.run()
    assert not app.exception, app.exception
    assert "Sources" in _text(app)
    metrics = headline_figures(app)
    tables = html_tables(app)
    if page == "dashboard.py":
        assert metrics["Communes PVD"] == str(expected["30"] + expected["32"])
    elif "Territoire" in page:  # the Gard's EPCI: each covered one has the file's count
        per_epci = _embedded_counts("siren_epci")
        covered = tables[0].dropna(subset=["Communes PVD"])
        assert len(covered) >= 10
        for code, n in zip(covered["Code"], covered["Communes PVD"], strict=True):
            assert int(n) == per_epci.get(str(code), 0), code
    elif "Donnees" in page:
        rows = tables[0].set_index("Nom")["Communes PVD"]
        assert (int(rows["Gard"]), int(rows["Gers"])) == (expected["30"], expected["32"])
    else:  # Comparer, Exporter: the comparison table, Gard and Gers side by side
        row = tables[0].loc["Communes PVD"]
        assert (int(row["Gard"]), int(row["Gers"])) == (expected["30"], expected["32"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "France"),
        ({"reg": "76"}, "Occitanie"),
        ({"dep": "32"}, "Gers (32)"),
        ({"epci": "200034411"}, "CC du Piémont Cévenol"),
        ({"com": "30210"}, "Quissac"),
    ],
)
def test_drill_down_from_url(params, expected, build_env):
    app = app_for("pages/1_Territoire.py")
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    assert expected in app.title[0].value


def test_commune_page_shows_local_programme(build_env):
    app = app_for("pages/1_Territoire.py")
    app.query_params["com"] = "30210"
    app.run()
    text = _text(app)
    assert "CC du Piémont Cévenol" in text and "Saint-Hippolyte-du-Fort" in text
    assert "32 actions" in text and "2028" in text
    assert "26 septembre 2023" in text


def test_presentation_mode_and_share_link(build_env):
    app = app_for("dashboard.py")
    app.query_params["mode"] = "presentation"
    app.run()
    assert not app.exception
    styles = " ".join(e.proto.body for e in app.get("html"))
    assert "stSidebar" in styles and "pvd-chiffres dd {font-size: 3.6rem" in styles  # large type, no sidebar
    # the link sits in a popover: its code block (and Streamlit's syntax highlighter, ≈0.4 s of a
    # tab's start) is only drawn when the reader opens it
    labels = [p.proto.popover.label for p in app.get("popover")]
    assert sorted(labels) == ["Copier le lien de cette vue", "Intégrer cette carte dans un article"]
    assert any("deps=30%2C32" in c.value or "deps=30,32" in c.value for c in app.code)
    assert app.query_params["deps"] == ["30,32"] or app.query_params["deps"] == "30,32"  # scope in the URL


def test_overview_scope_from_url(build_env):
    app = app_for("dashboard.py")
    app.query_params["deps"] = "32"
    app.run()
    assert "Gers" in app.title[0].value and "Gard" not in app.title[0].value
    assert headline_figures(app)["Communes PVD"] == "24"


def test_data_page_import_shows_report_before_saving(build_env, tmp_path, monkeypatch):
    import shutil

    import pvd_geo.constants as constants

    directory = tmp_path / "listes"
    shutil.copytree(constants.EMBEDDED_DIR, directory)
    monkeypatch.setenv("PVD_LISTES_DIR", str(directory))
    app = app_for("pages/4_Donnees.py")
    app.run()
    assert not app.exception
    assert "pvd : 45 conservées" in app.dataframe[0].value.to_string()


@pytest.mark.parametrize(
    ("params", "title"),
    [({"perimetre": "france"}, "France"), ({"perimetre": "region", "reg": "76"}, "Occitanie")],
)
def test_overview_national_and_region_scopes(params, title, build_env):
    app = app_for("dashboard.py")
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    assert title in app.title[0].value
    # the embedded lists speak for the Gard and the Gers only: no national or regional count...
    figures = headline_figures(app)
    assert figures["Communes PVD"] == "–" and figures["Communes Action cœur de ville"] == "–"
    warning = " ".join(w.value for w in app.warning)
    assert "Gard et Gers seulement" in warning and "charger la liste nationale" in warning
    assert "python -m" not in warning and "geodata/" not in warning  # no command or path for readers
    # ...but the covered part, named as such
    assert "Partie couverte par la liste (Gard et Gers)** : 45 communes PVD" in _text(app)


def test_corrupt_build_says_what_is_wrong_and_how_to_repair(built_dir, tmp_path, monkeypatch):
    import shutil

    broken = tmp_path / "build"
    shutil.copytree(built_dir, broken)
    data = (broken / "communes.parquet").read_bytes()
    (broken / "communes.parquet").write_bytes(data[: len(data) // 2])  # a truncated file
    monkeypatch.setenv("PVD_BUILD_DIR", str(broken))
    app = app_for("dashboard.py")
    app.run()
    assert not app.exception
    message = " ".join(e.value for e in app.error)
    assert "communes.parquet" in message and "python -m pvd_geo build" in message


def test_a_new_build_on_disk_is_picked_up_at_the_next_run(built_dir, tmp_path, monkeypatch):
    """Another process (a replica, the command line) changed the data: no restart needed."""
    import json
    import shutil

    build = tmp_path / "build"
    shutil.copytree(built_dir, build)
    monkeypatch.setenv("PVD_BUILD_DIR", str(build))
    monkeypatch.setenv("PVD_CACHE_DIR", str(tmp_path / "cache"))
    app = app_for("dashboard.py")
    app.run()
    assert "contours témoins" not in _text(app)
    meta = json.loads((build / "meta.json").read_text(encoding="utf-8"))
    meta["contours"] = "contours témoins"
    (build / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    app.run()
    assert not app.exception, app.exception
    assert "contours témoins" in _text(app)  # the sources line comes from the reloaded build


@pytest.mark.parametrize(
    ("page", "key", "value", "most"),
    [
        (
            "pages/2_Comparer.py",
            "t",
            "departement:30,departement:30,departement:32,departement:34,departement:11,departement:13",
            4,
        ),
        ("pages/2_Comparer.py", "t", "departement:30,departement:30", 1),
        ("dashboard.py", "deps", ",".join(f"{d:02d}" for d in range(1, 20)) + ",30,30", 12),
        ("pages/3_Exporter.py", "t", ",".join(f"departement:{d:02d}" for d in range(1, 20)), 6),
    ],
    ids=["five-territories", "twice-the-same", "too-many-departements", "export-many"],
)
def test_crafted_links_get_what_the_widgets_allow(page, key, value, most, build_env):
    """Too many territories, or the same twice, in a link: no traceback; each once, at most the
    widget's limit, and a French message when some were left out."""
    app = app_for(page)
    app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    chosen = app.multiselect[0].value if page != "dashboard.py" else app.sidebar.multiselect[0].value
    assert len(chosen) == len(set(chosen)) and len(chosen) <= most
    if most > 1:
        assert any("Le lien demandait" in w.value for w in app.warning)
