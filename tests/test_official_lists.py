"""The official lists at set-up (``update --setup``, called by ``make run``), served from 127.0.0.1
exactly as data.gouv.fr serves them (stable links redirecting to dated uploads, a dataset's API),
and what the atlas then shows: national figures equal to the files', dates, ORT, coverage."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import threading
from collections import Counter
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from pvd_geo.atlas import load_atlas, read_build
from pvd_geo.constants import EMBEDDED_DIR, ROOT

from .conftest import SHARED_DATA, _Handler, app_for, headline_figures, run

CURRENT = SHARED_DATA / "current"
PVD, ACV, ORT = (
    CURRENT / "anct_pvd_communes_2026.csv",
    CURRENT / "anct_acv_communes_2025.csv",
    CURRENT / "ort_communes_signees_2026.csv",
)


def _routes(base: str) -> dict:
    """data.gouv.fr's shapes: /fr/datasets/r/<id> redirects to the upload; the ORT through its API."""
    ort_api = json.dumps(
        {
            "resources": [
                {"format": "csv", "url": f"{base}/ort/ort-2026-0301.csv", "last_modified": "2026-03-01"}
            ]
        }
    )
    return {
        "/fr/datasets/r/pvd": (302, f"{base}/pvd/liste-pvd-com2025-20260427.csv".encode()),
        "/pvd/liste-pvd-com2025-20260427.csv": (200, PVD.read_bytes()),
        "/fr/datasets/r/acv": (302, f"{base}/acv/liste-acv-com2025-20250704.csv".encode()),
        "/acv/liste-acv-com2025-20250704.csv": (200, ACV.read_bytes()),
        "/api/1/datasets/ort/": (200, ort_api.encode()),
        "/ort/ort-2026-0301.csv": (200, ORT.read_bytes()),
    }


@pytest.fixture(scope="module")
def official(tmp_path_factory, built_dir):
    """The set-up run once against a local data.gouv.fr: (env, lists folder, its output)."""
    routes: dict = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler.make(routes))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes.update(_routes(base))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    lists = tmp_path_factory.mktemp("official") / "listes"
    env = {
        **os.environ,
        "PVD_BUILD_DIR": str(built_dir),
        "PVD_CACHE_DIR": str(lists.parent / "cache"),
        "PVD_LISTES_DIR": str(lists),
        "PVD_URL_PVD": f"{base}/fr/datasets/r/pvd",
        "PVD_URL_ACV": f"{base}/fr/datasets/r/acv",
        "PVD_URL_ORT": f"{base}/api/1/datasets/ort/",
    }
    out = run("update", "--setup", env=env)
    yield env, lists, out
    server.shutdown()
    server.server_close()


def _codes(path: Path, column: str = "insee_com") -> list[str]:
    with path.open(encoding="utf-8-sig") as handle:
        return [row[column].strip().zfill(5) for row in csv.DictReader(handle)]


def _expected_by(level_column: str, codes: list[str], built_dir) -> Counter:
    """Counts of a file's codes per territory, from the build's own tables (merged codes resolved)."""
    built = read_build(built_dir)
    com = built["communes"].set_index("code")
    parent = built["rattachees"].drop_duplicates("code").set_index("code")["parent"]
    resolved = {c if c in com.index else parent.get(c) for c in codes}
    return Counter(com.loc[c, level_column] for c in resolved if c in com.index)


def test_setup_downloads_validates_and_says_so_in_one_line(official):
    env, lists, out = official
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Listes officielles téléchargées")
    assert "PVD 1646 communes du 27/04/2026" in lines[0] and "ACV 245 communes du 04/07/2025" in lines[0]
    assert {p.name for p in lists.iterdir()} >= {"pvd.csv", "pvd.json", "acv.csv", "ort.csv"}
    # the embedded default is untouched and the lists folder is ignored by git
    assert run("check", env={**env, "PVD_LISTES_DIR": str(lists.parent / "vide")}).returncode == 0
    ignored = subprocess.run(["git", "check-ignore", "-q", "geodata/listes/pvd.csv"], cwd=ROOT)
    assert ignored.returncode == 0


def test_offline_setup_is_one_line_and_keeps_the_default(tmp_path, build_env):
    env = {
        **build_env,
        "PVD_LISTES_DIR": str(tmp_path / "listes"),
        **{f"PVD_URL_{p}": "http://127.0.0.1:9/liste.csv" for p in ("PVD", "ACV", "ORT")},  # closed port
    }
    out = run("update", "--setup", env=env)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and "non téléchargées" in lines[0] and "Gard et Gers" in lines[0]
    assert not (tmp_path / "listes").exists() or not list((tmp_path / "listes").glob("*.csv"))
    stats = run("stats", "--by", "region", "--format", "csv", env=env)
    occitanie = next(r for r in csv.DictReader(io.StringIO(stats.stdout)) if r["code"] == "76")
    assert occitanie["pvd"] == "" and occitanie["couverture_pvd"] == "non"


@pytest.mark.parametrize(("level", "column"), [("region", "reg"), ("departement", "dep")])
def test_stats_on_the_national_lists_give_the_files_counts(official, built_dir, level, column):
    env, _, _ = official
    out = run("stats", "--by", level, "--format", "csv", env=env)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert all(r["couverture_pvd"] == r["couverture_acv"] == r["couverture_ort"] == "oui" for r in rows)
    for programme, path, col in (
        ("pvd", PVD, "insee_com"),
        ("acv", ACV, "insee_com"),
        ("ort", ORT, "Code commune"),
    ):
        expected = _expected_by(column, _codes(path, col), built_dir)
        got = {r["code"]: int(r[programme]) for r in rows if int(r[programme])}
        assert got == dict(expected), programme
    if level == "region":
        assert sum(int(r["pvd"]) for r in rows) == 1646
        assert next(r for r in rows if r["code"] == "76")["pvd"] == "224"
        overseas = sum(int(r["pvd"]) for r in rows if r["code"] in ("01", "02", "03", "04", "06"))
        assert overseas == 35


def test_merged_and_unknown_codes_are_reported_with_their_line(official):
    """The ORT table has 5 codes outside the current geography: 4 communes déléguées (one resolved
    to its new commune, three more of a commune already listed: counted once), 1 found nowhere."""
    env, lists, out = official
    assert "ORT 2260 communes (1 résolues, 4 regroupées, 1 rejetées)" in out.stdout
    text = run("check", env=env).stdout
    report = text.split("ort : à l'enregistrement")[1].split("\nort :")[0]
    every = [line for line in report.splitlines() if line.strip().startswith("ligne")]
    lines = [line for line in every if "— conservée" not in line]
    assert len(lines) == 6  # 1 resolved, 4 merged (3 déléguées + the new commune listed again), 1 unknown
    # the name warnings shown at the update are kept in the saved report (issue 23)
    assert any("Louhans" in line and "nom différent" in line for line in every)
    assert sum("commune déléguée" in line for line in lines) == 1
    assert any("ligne 1821 : 72287" in line and "code inconnu" in line for line in lines)
    assert sum("regroupée" in line for line in lines) == 4
    assert "ort : 2260 conservées" in text


def test_date_formats_of_the_successive_lists():
    from pvd_geo.format import fr_date, fr_short_date, parse_date

    assert fr_date("2021-07-20") == fr_date("20/07/2021") == fr_date("20-07-2021") == "20 juillet 2021"
    assert fr_short_date("2023-09-26") == "26/09/2023" and parse_date("31/02/2021") is None
    assert parse_date("") is None and fr_date("bientôt") == "bientôt"


def _app(page: str, env: dict, **params):
    app = app_for(page)
    for key, value in params.items():
        app.query_params[key] = value
    return app


@pytest.fixture
def official_env(official, monkeypatch):
    env, lists, _ = official
    for key in ("PVD_BUILD_DIR", "PVD_CACHE_DIR", "PVD_LISTES_DIR"):
        monkeypatch.setenv(key, env[key])
    return env


def test_overview_of_france_shows_the_national_figures(official_env):
    app = _app("dashboard.py", official_env, perimetre="france")
    app.run()
    assert not app.exception, app.exception
    assert headline_figures(app)["Communes PVD"] == "1\u202f646" and not app.warning
    footer = " ".join(c.value for c in app.caption)
    assert "ANCT, liste PVD du 27/04/2026" in footer and "liste ACV du 04/07/2025" in footer
    app = _app("dashboard.py", official_env, perimetre="region", reg="76")
    app.run()
    assert headline_figures(app)["Communes PVD"] == "224"


def test_quissac_page_has_its_convention_and_ort_dates(official_env):
    app = _app("pages/1_Territoire.py", official_env, com="30210")
    app.run()
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "oui, convention du 20 juillet 2021" in text
    assert "signée le 26 septembre 2023" in text
    assert "autres communes PVD de l'EPCI" in text


def test_commune_page_offline_dates_ort_from_the_local_programme(build_env):
    """No ORT list loaded offline: the ORT line is not « non »; Quissac's local programme dates it
    (26 September 2023), named as the source, and says the list does not cover the Gard."""
    app = _app("pages/1_Territoire.py", build_env, com="30210")
    app.run()
    text = " ".join(m.value for m in app.markdown)
    assert "Petites villes de demain** : oui" in text
    assert "signée** : oui, le 26 septembre 2023 selon le projet local (source :" in text, text
    assert "la liste chargée ne couvre pas ce département" in text
    app = _app("pages/1_Territoire.py", build_env, com="30133")  # Le Grau-du-Roi: no local text
    app.run()
    assert "signée** : non couverte par la liste chargée" in " ".join(m.value for m in app.markdown)


def test_atlas_figures_after_setup(official, built_dir):
    env, lists, _ = official
    atlas = load_atlas(built_dir, lists)
    assert atlas.coverage("pvd") is None and atlas.descriptions["pvd"].date == "2026-04-27"
    gard = atlas.stats("departement").set_index("code").loc["30"]
    assert (gard["pvd"], gard["couverture_pvd"]) == (21, "oui")
    assert 0 < gard["pvd_avec_ort"] <= gard["pvd"] and gard["ort"] >= gard["pvd_avec_ort"]


def test_conventions_per_quarter_and_month_follow_the_list(official, built_dir):
    from pvd_geo import views

    env, lists, _ = official
    atlas = load_atlas(built_dir, lists)
    quarters = views.conventions(atlas, ["30", "32"], "Q")
    with PVD.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["insee_com"][:2] in ("30", "32")]
    dated = [r["date_signature"] for r in rows if r["date_signature"].strip()]
    assert int(quarters["conventions"].sum()) == len(dated) and quarters.attrs["sans_date"] == 45 - len(dated)
    assert quarters["cumul"].is_monotonic_increasing and quarters["cumul"].iloc[-1] == len(dated)
    q3_2021 = quarters.set_index("periode").loc["T3 2021", "conventions"]
    assert q3_2021 == sum(d[:7] in ("2021-07", "2021-08", "2021-09") for d in dated)  # Quissac: 20/07/2021
    months = views.conventions(atlas, ["30", "32"], "M")
    assert int(months["conventions"].sum()) == len(dated) and len(months) >= len(quarters)
    assert views.conventions(load_atlas(built_dir, EMBEDDED_DIR), ["34"], "Q") is None  # not covered


def test_two_versions_of_a_list_compared(official, built_dir, tmp_path):
    """The first wave (2021 list) against the current list: who joined, who left."""
    from pvd_geo import views

    env, lists, _ = official
    atlas = load_atlas(built_dir, lists)
    first = SHARED_DATA / "anct_pvd_communes_2021.csv"
    changes = views.list_changes(atlas, first, PVD)
    old = set(views.version_codes(atlas, first))
    new = set(views.version_codes(atlas, PVD))
    added = changes.loc[changes["changement"] == "ajoutée", "code"]
    removed = changes.loc[changes["changement"] == "retirée", "code"]
    assert set(added) == new - old and set(removed) == old - new and len(added) > 0
    assert len(new) == 1646 and len(old) - len(removed) + len(added) == len(new)
    gers = views.list_changes(atlas, first, PVD, ["32"])
    assert set(gers["departement"]) <= {"32"}


def test_list_versions_in_the_history_are_offered(official, built_dir, tmp_path):
    from pvd_geo import views

    env, lists, _ = official
    versions = views.list_versions("pvd", lists, EMBEDDED_DIR)
    assert versions[0].label.startswith("en usage (liste du 27/04/2026)")
    assert versions[-1].label.startswith("embarquée")


def test_a_version_without_description_covers_what_its_communes_show(official, built_dir, tmp_path):
    """A list kept without its description (older lists, hand-copied files) is not taken as national:
    the Gard + Gers extract in the history covers the Gard and the Gers, the 2021 list France."""
    import shutil

    from pvd_geo import views

    env, lists, _ = official
    mine = tmp_path / "listes"
    shutil.copytree(lists, mine)
    (mine / "historique").mkdir(exist_ok=True)
    shutil.copy(EMBEDDED_DIR / "pvd.csv", mine / "historique" / "pvd-20240101-000000-000000.csv")
    shutil.copy(
        SHARED_DATA / "anct_pvd_communes_2021.csv", mine / "historique" / "pvd-20210301-000000-000000.csv"
    )
    atlas = load_atlas(built_dir, mine)
    versions = views.list_versions("pvd", mine, EMBEDDED_DIR, lambda p: views.inferred_coverage(atlas, p))
    covers = {v.path: v.couverture for v in versions}
    history = mine / "historique"
    assert covers[history / "pvd-20240101-000000-000000.csv"] == ("30", "32")
    assert covers[history / "pvd-20210301-000000-000000.csv"] is None  # national
    assert covers[mine / "pvd.csv"] is None  # the current national list, as its description says


def test_overview_and_data_page_show_the_programme_in_time(official, built_dir, tmp_path, monkeypatch):
    import shutil

    env, lists, _ = official
    mine = tmp_path / "listes"
    shutil.copytree(lists, mine)
    (mine / "historique").mkdir(exist_ok=True)
    shutil.copy(
        SHARED_DATA / "anct_pvd_communes_2021.csv", mine / "historique" / "pvd-20210301-000000-000000.csv"
    )
    for key in ("PVD_BUILD_DIR", "PVD_CACHE_DIR"):
        monkeypatch.setenv(key, env[key])
    monkeypatch.setenv("PVD_LISTES_DIR", str(mine))
    app = _app("dashboard.py", env)
    app.run()
    assert not app.exception, app.exception
    assert "Le programme dans le temps" in [h.value for h in app.subheader]
    labels = [b.label for b in app.get("download_button")]
    assert "Chronologie (CSV)" in labels and "Chronologie (PNG)" not in labels  # images on demand
    app.button(key="prep_chrono").click().run()
    labels = [b.label for b in app.get("download_button")]
    assert {"Chronologie (PNG)", "Chronologie (SVG)", "Chronologie (CSV)"} <= set(labels)
    text = " ".join(m.value for m in app.markdown)
    assert "communes entrées" in text  # the 2021 version in the history against the list in use
    app = _app("pages/4_Donnees.py", env)
    app.run()
    assert not app.exception, app.exception
    assert any("communes entrées" in m.value for m in app.markdown)


def test_ort_overlay_is_off_by_default_and_drawn_as_an_outline(official, built_dir):
    from pvd_geo import programmes, views
    from pvd_geo.webmap import spec as webmap

    env, lists, _ = official
    atlas = load_atlas(built_dir, lists)
    sc = views.scope(atlas, ["30"])

    def page(**kwargs) -> dict:
        return views.communes_map_spec(atlas, ["30"], None, "t", "s", **kwargs)

    off, on = page(), page(on_request=("ort",))
    labels = [i["label"] for i in on["legend"]["items"]]
    assert (
        off["ort"] is None
        and on["ort"] == [webmap.ORT, programmes.get("ort").couleur]
        and "ORT signée (contour pointillé)" in labels
    )
    rows = on["rows"]
    signed = {c for c, s in zip(rows["c"], rows["s"], strict=True) if s & webmap.ORT}
    assert signed == set(sc.communes.loc[sc.communes["ort"], "code"])
    assert on["rows"]["c"] == off["rows"]["c"]  # the overlay adds no clickable copy


def test_press_map_of_france_with_insets_and_dated_sources(official, tmp_path):
    env, _, _ = official
    out_file = tmp_path / "france.svg"
    out = run("map", "--territoire", "france", "--out", str(out_file), env=env)
    assert out.returncode == 0, out.stderr
    svg = out_file.read_text(encoding="utf-8")
    assert "France — 1\u202f646 Petites villes de demain" in svg
    for name, count in (
        ("Guadeloupe", 7),
        ("Martinique", 10),
        ("Guyane", 4),
        ("La Réunion", 11),
        ("Mayotte", 3),
    ):
        assert f"{name} — {count}" in svg  # the insets, with the file's counts (35 in all)
    assert "ANCT, liste PVD du 27/04/2026" in svg and "Outre-mer en cartouches" in svg
    # an overseas département has its own press map, like any other
    reunion = tmp_path / "reunion.svg"
    assert run("map", "--territoire", "dep:974", "--out", str(reunion), env=env).returncode == 0
    assert "La Réunion (974) — 11 Petites villes de demain" in reunion.read_text(encoding="utf-8")
    # the Cantal's press map names the communes it cannot draw (no contour in the data)
    cantal = tmp_path / "cantal.svg"
    assert run("map", "--territoire", "dep:15", "--out", str(cantal), env=env).returncode == 0
    text = cantal.read_text(encoding="utf-8")
    assert "faute de contour" in text and "Sainte-Anastasie" in text


def test_press_map_of_a_region_refused_on_a_partial_list(build_env, tmp_path):
    for territory in ("reg:76", "france", "dep:34"):
        out = run("map", "--territoire", territory, "--out", str(tmp_path / "x.png"), env=build_env)
        assert (
            out.returncode == 2 and "Gard et Gers seulement" in out.stderr and "Traceback" not in out.stderr
        )
        assert not (tmp_path / "x.png").exists()


def test_export_page_offers_the_national_map_with_the_national_lists(official_env):
    app = _app("pages/3_Exporter.py", official_env)
    app.run()
    assert not app.exception, app.exception
    assert not app.warning  # Gard + Gers and France are covered by the national lists
    maps = [b for b in app.get("download_button") if b.proto.label.startswith("Télécharger la carte")]
    assert len(maps) == 2


def test_the_timeline_compares_versions_of_the_same_coverage(official_env):
    """With the national lists in use and only the embedded Gard + Gers extract before them, the
    default comparison is not « 1 601 communes entrées »: the two versions do not cover the same
    départements, so it is limited to the Gard and the Gers and says so; French headers."""
    app = _app("pages/4_Donnees.py", official_env)
    app.run()
    assert not app.exception, app.exception
    said = " ".join(c.value for c in app.caption)
    assert "ne couvrent pas les mêmes départements" in said and "Gard, Gers" in said
    counts = [m.value for m in app.markdown if "communes entrées" in m.value]
    assert counts, [m.value for m in app.markdown]
    entered = int(
        re.search(r"\*\*([\d\u202f\u00a0 ]+) communes entrées", counts[0])
        .group(1)
        .replace("\u202f", "")
        .replace("\u00a0", "")
        .replace(" ", "")
    )
    assert entered < 50  # within the Gard and the Gers, not the 1,601 communes of other départements
    frames = [d.value for d in app.dataframe if "Changement" in d.value.columns]
    assert frames and list(frames[0].columns) == ["Code INSEE", "Commune", "Département", "Changement"]
    assert not [d for d in app.dataframe if "changement" in d.value.columns]  # no raw column name
