"""The command line, run as a user runs it (a subprocess)."""

import csv
import io
import json
import subprocess
import sys

import pytest

from pvd_geo.constants import ROOT

CSV_HEADER = "code,nom,pvd,acv,communes,population,population_pvd,part_population_pvd,epci_avec_pvd"


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pvd_geo", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_stats_csv_contract(build_env):
    out = run("stats", "--by", "departement", "--format", "csv", env=build_env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == CSV_HEADER
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    assert (rows["30"]["pvd"], rows["30"]["acv"], rows["30"]["epci_avec_pvd"]) == ("21", "2", "12")
    assert (rows["32"]["pvd"], rows["32"]["epci_avec_pvd"]) == ("24", "13")
    assert 0 < float(rows["32"]["part_population_pvd"]) < 1


def test_stats_epci_of_a_departement(build_env):
    out = run("stats", "--by", "epci", "--departement", "30", "--format", "csv", env=build_env)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert sum(int(r["pvd"]) for r in rows) == 21
    assert all(r["epci_avec_pvd"] == "" for r in rows)
    avignon = next(r for r in rows if r["code"] == "248400251")
    assert avignon["communes"] == "16"


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_stats_other_formats(build_env, fmt):
    out = run("stats", "--by", "region", "--format", fmt, env=build_env)
    assert out.returncode == 0
    if fmt == "json":
        occitanie = next(r for r in json.loads(out.stdout) if r["code"] == "76")
        assert occitanie["pvd"] == 45
    else:
        assert "Occitanie" in out.stdout and "population" in out.stdout


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
    from .test_admin_express import _write_admin_express

    gpkg = tmp_path / "ae.gpkg"
    _write_admin_express(gpkg)
    out = run(
        "build", "--admin-express", str(gpkg), "--sortie", str(tmp_path / "b"), "--hors-ligne", env=build_env
    )
    assert out.returncode == 0, out.stderr
    assert "communes.parquet (3 lignes)" in out.stdout
    assert "100 %" in out.stderr  # the progress bar reached its end
    assert (tmp_path / "b" / "meta.json").exists()
