"""``stats`` before and after a change: identical output for every level and format, on the
embedded lists and on the current national lists.

    .venv/bin/python benchmarks/stats_identical.py [REVISION]   (default: HEAD~1)

REVISION is checked out in a temporary git worktree; both trees run ``python -m pvd_geo stats`` on
the same build (``PVD_BUILD_DIR``) by région, département and EPCI, as text, CSV and JSON (the
text table's header line, for people, may change wording: it is printed, its rows compared): with the
embedded Gard + Gers lists, then with the current official lists (``../shared/data/current``)
imported as an operator would into a temporary lists folder (by the working tree's code, so both
read the same saved lists). Differences are printed; exit status 1 if any.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CURRENT, ROOT  # noqa: E402
from common import CURRENT_LISTS as FILES  # noqa: E402

LEVELS = ("region", "departement", "epci")
FORMATS = ("text", "csv", "json")


def stats(tree: Path, env: dict, level: str, fmt: str) -> str:
    cmd = [sys.executable, "-m", "pvd_geo", "stats", "--by", level]
    if fmt != "text":
        cmd += ["--format", fmt]
    return subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True, text=True).stdout


def _header(text: str) -> str:
    return next((line for line in text.splitlines() if line.lstrip().startswith("code")), "")


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line != _header(text)]


def main() -> int:
    revision = sys.argv[1] if len(sys.argv) > 1 else "HEAD~1"
    build = os.environ.get("PVD_BUILD_DIR", str(ROOT / "geodata" / "build"))
    python = str(Path(sys.executable).parent)
    base = {**os.environ, "PVD_BUILD_DIR": build, "PATH": f"{python}:{os.environ.get('PATH', '')}"}
    differences = compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "avant"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), revision], cwd=ROOT, check=True)
        try:
            national = Path(tmp) / "listes"
            national.mkdir()
            env_nat = {**base, "PVD_LISTES_DIR": str(national), "PVD_SELECTION_DIR": str(national)}
            for programme, name in FILES.items():
                cmd = [sys.executable, "-m", "pvd_geo", "import-selection", str(CURRENT / name)]
                cmd += ["--programme", programme, "--couverture", "nationale", "--yes", "--force"]
                subprocess.run(cmd, cwd=ROOT, env=env_nat, check=True, capture_output=True)
            empty = Path(tmp) / "vide"
            empty.mkdir()
            for label, env in (
                (
                    "listes embarquées",
                    {**base, "PVD_LISTES_DIR": str(empty), "PVD_SELECTION_DIR": str(empty)},
                ),
                ("listes nationales", env_nat),
            ):
                for level in LEVELS:
                    for fmt in FORMATS:
                        old, new = stats(before, env, level, fmt), stats(ROOT, env, level, fmt)
                        compared += 1
                        same = old == new
                        if fmt == "text" and not same and _header(old) != _header(new):
                            # the text table is for people: a header's wording may change, the rows not
                            print(f"   en-tête du texte : {_header(old)!r} → {_header(new)!r}")
                            same = _rows(old) == _rows(new)
                        differences += not same
                        lines = len(new.splitlines())
                        verdict = "identique" if same else "DIFFÉRENT"
                        print(f"{label:18} {level:12} {fmt:5} {lines:5} lignes  {verdict}")
                        if not same:
                            for a, b in zip(old.splitlines(), new.splitlines(), strict=False):
                                if a != b:
                                    print(f"   avant : {a}\n   après : {b}")
                                    break
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
    print(f"{compared} sorties comparées à {revision}, {differences} différente(s).")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
