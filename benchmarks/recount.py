"""Recount every ``stats`` row from the raw official files: 0 mismatches, printed.

    .venv/bin/python benchmarks/recount.py

The current official lists (``../shared/data/current``) are imported into a temporary lists folder
as an operator would (``import-selection --couverture nationale``), then ``stats --format csv`` is
run by région, département and EPCI. Independently, each raw file's codes are mapped to the
build's communes (a code that is not a current commune is followed to its parent through the
build's rattachées: délégués, associées, arrondissements, former codes) and counted per
territory. Every row and programme (PVD, ACV, ORT) is compared; the mismatches are printed.
Exit status 1 if any.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CURRENT = ROOT.parent / "shared" / "data" / "current"
FILES = {
    "pvd": ("anct_pvd_communes_2026.csv", "insee_com"),
    "acv": ("anct_acv_communes_2025.csv", "insee_com"),
    "ort": ("ort_communes_signees_2026.csv", "Code commune"),
}
LEVELS = {"region": "reg", "departement": "dep", "epci": "epci"}


def raw_codes(name: str, column: str) -> list[str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = (CURRENT / name).read_text(encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = csv.DictReader(io.StringIO(text), delimiter=sep)
    return [str(r[column]).strip().zfill(5) for r in rows if str(r.get(column) or "").strip()]


def main() -> int:
    build = Path(os.environ.get("PVD_BUILD_DIR", ROOT / "geodata" / "build"))
    communes = pd.read_parquet(build / "communes.parquet", columns=["code", "dep", "reg", "epci"])
    rattachees = pd.read_parquet(build / "rattachees.parquet")
    parent = dict(zip(rattachees["code"], rattachees["parent"], strict=True))
    known = set(communes["code"])
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PVD_LISTES_DIR": tmp, "PVD_BUILD_DIR": str(build)}
        for programme, (name, _) in FILES.items():
            cmd = [sys.executable, "-m", "pvd_geo", "import-selection", str(CURRENT / name)]
            cmd += ["--programme", programme, "--couverture", "nationale", "--yes", "--force"]
            subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        stats = {}
        for level in LEVELS:
            out = subprocess.run(
                [sys.executable, "-m", "pvd_geo", "stats", "--by", level, "--format", "csv"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            stats[level] = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    mismatches, checked, unresolved = [], 0, Counter()
    for programme, (name, column) in FILES.items():
        codes = set()
        for code in raw_codes(name, column):
            current = code if code in known else parent.get(code)
            if current in known:
                codes.add(current)
            else:
                unresolved[programme] += 1
        inside = communes[communes["code"].isin(codes)]
        for level, col in LEVELS.items():
            expected = Counter(inside[col].dropna())
            for code, row in stats[level].items():
                checked += 1
                got = int(row[programme] or 0)
                if got != expected.get(code, 0):
                    mismatches.append(
                        f"{level} {code} {programme} : stats {got}, fichier {expected.get(code, 0)}"
                    )
    for line in mismatches[:50]:
        print(line)
    rows = sum(len(v) for v in stats.values())
    print(
        f"{rows} lignes de stats ({', '.join(f'{len(v)} {k}' for k, v in stats.items())}), "
        f"{checked} chiffres recomptés depuis les fichiers bruts : {len(mismatches)} écart(s) ; "
        f"codes introuvables dans la géographie : {dict(unresolved) or 0}"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
