"""`python -m pvd_geo import-selection`: validation report, confirmation, atomic save with history."""

import csv
import io
import shutil
from collections import Counter

from pvd_geo.codes import CodeError, normalise_insee
from pvd_geo.constants import EMBEDDED_DIR

from .conftest import SHARED_DATA, run

NATIONAL = SHARED_DATA / "anct_pvd_communes_2021.csv"


def _selections(tmp_path):
    directory = tmp_path / "listes"
    shutil.copytree(EMBEDDED_DIR, directory)
    return directory


def test_national_list_counts_match_the_file(tmp_path, build_env):
    directory = _selections(tmp_path)
    out = run("--listes", str(directory), "import-selection", str(NATIONAL), "--yes", env=build_env)
    assert out.returncode == 0, out.stderr
    assert "1607 lignes lues" in out.stdout
    assert "ligne 1516" in out.stdout and "invalide" in out.stdout  # the one bad row, with its line
    expected, by_region = Counter(), Counter()
    with NATIONAL.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                normalise_insee(row["insee_com"])
            except CodeError:
                continue
            expected[row["insee_dep"].zfill(2)] += 1
            by_region[row["lib_reg"]] += 1
    stats = run("--listes", str(directory), "stats", "--by", "departement", "--format", "csv", env=build_env)
    got = {r["code"]: int(r["pvd"]) for r in csv.DictReader(io.StringIO(stats.stdout))}
    assert sum(got.values()) == sum(expected.values()) == 1606
    assert {d: n for d, n in got.items() if n} == dict(expected)
    regions = run("--listes", str(directory), "stats", "--by", "region", "--format", "csv", env=build_env)
    got_regions = {r["nom"]: int(r["pvd"]) for r in csv.DictReader(io.StringIO(regions.stdout))}
    assert {n: v for n, v in got_regions.items() if v} == dict(by_region)
    assert got_regions["Occitanie"] == 225  # as the Gers article says


def test_previous_list_goes_to_history(tmp_path, build_env):
    directory = _selections(tmp_path)
    before = (directory / "pvd.csv").read_text(encoding="utf-8")
    small = tmp_path / "liste.csv"
    small.write_text("code_insee;nom\n30210;Quissac\n32079;Castelnau\n", encoding="cp1252")
    out = run("--listes", str(directory), "import-selection", str(small), "--yes", env=build_env)
    assert out.returncode == 1 and "--force" in out.stderr  # 2 communes against 45: refused...
    assert (directory / "pvd.csv").read_text(encoding="utf-8") == before
    out = run("--listes", str(directory), "import-selection", str(small), "--yes", "--force", env=build_env)
    assert out.returncode == 0, out.stderr  # ...unless wanted
    history = list((directory / "historique").glob("pvd-*.csv"))
    assert len(history) == 1 and history[0].read_text(encoding="utf-8") == before
    stats = run("--listes", str(directory), "stats", "--by", "region", "--format", "csv", env=build_env)
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(stats.stdout))}
    # a two-commune list covers what it says (Gard, Gers): Occitanie has no count, the Gard has 1
    assert (rows["76"]["pvd"], rows["76"]["couverture_pvd"]) == ("", "non")
    stats = run("--listes", str(directory), "stats", "--by", "departement", "--format", "csv", env=build_env)
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(stats.stdout))}
    assert (rows["30"]["pvd"], rows["32"]["pvd"], rows["34"]["pvd"]) == ("1", "1", "")


def test_without_yes_and_terminal_nothing_is_saved(tmp_path, build_env):
    directory = _selections(tmp_path)
    before = (directory / "acv.csv").read_bytes()
    out = run(
        "--listes", str(directory), "import-selection", str(NATIONAL), "--programme", "acv", env=build_env
    )
    assert out.returncode == 1 and "--yes" in out.stderr
    assert (directory / "acv.csv").read_bytes() == before
    assert not (directory / "historique").exists()


def test_bad_inputs_are_refused_in_french(tmp_path, build_env):
    directory = _selections(tmp_path)
    html = tmp_path / "page.csv"
    html.write_text("<!DOCTYPE html><html><body>Erreur 404</body></html>", encoding="utf-8")
    out = run("--listes", str(directory), "import-selection", str(html), "--yes", env=build_env)
    assert out.returncode == 2 and "pas un CSV" in out.stderr and "Traceback" not in out.stderr
    out = run(
        "--listes",
        str(directory),
        "import-selection",
        str(NATIONAL),
        "--programme",
        "../x",
        "--yes",
        env=build_env,
    )
    assert out.returncode == 2 and "nom de programme invalide" in out.stderr
    empty = tmp_path / "vide.csv"
    empty.write_text("insee_com\n99999\n", encoding="utf-8")
    out = run("--listes", str(directory), "import-selection", str(empty), "--yes", env=build_env)
    assert out.returncode == 1 and "Aucune ligne valide" in out.stderr
    assert sorted(p.name for p in directory.iterdir()) == ["acv.csv", "acv.json", "pvd.csv", "pvd.json"]
