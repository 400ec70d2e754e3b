"""Hostile and broken list files, generated: never a traceback, never a silent loss, nothing
written outside the list named, every refusal in French with its line."""

import random

import pytest

from pvd_geo.selection import join_selection
from pvd_geo.sources.anct import SelectionFileError, read_selection_bytes

from .conftest import run

CODES = ["30210", "32208", "30003", "2A004", "1004", "97411", "99999", "3O210", ""]
NAMES = ["Quissac", "L'Isle-Jourdain", "=2+2", "<script>x</script>", "Noël", "É" * 300, '"quoted"', "a;b,c"]
SEPARATORS = [",", ";", "\t"]
ENDINGS = ["\n", "\r\n", "\r"]


def _cell(rng: random.Random) -> str:
    value = rng.choice(CODES + NAMES)
    if rng.random() < 0.1:
        value = value + '"'  # stray quote
    if rng.random() < 0.05:
        value = "x" * rng.choice([1000, 140_000])
    return value


def _file(rng: random.Random) -> bytes:
    sep = rng.choice(SEPARATORS)
    header = rng.choice([["insee_com", "lib_com"], ["code_insee", "nom", "siren_epci"], ["nom", "autre"], []])
    lines = [sep.join(header)] if header else []
    for _ in range(rng.randint(0, 30)):
        cells = [_cell(rng) for _ in range(max(1, len(header) or 2))]
        if rng.random() < 0.5:
            cells = [f'"{c}"' if '"' not in c else c for c in cells]
        lines.append(sep.join(cells))
    text = rng.choice(ENDINGS).join(lines)
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])
    payload = text.encode(encoding, errors="replace")
    roll = rng.random()
    if roll < 0.08:
        payload = bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000)))  # binary garbage
    elif roll < 0.12:
        payload = payload + "\nNoël,30210\n".encode("cp1252")  # a line in another encoding
    elif roll < 0.15:
        payload = b"<!DOCTYPE html><html>404</html>"
    return payload


def _data_lines(payload: bytes) -> int:
    text = payload.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n") if line.strip()]
    return max(0, len(lines) - 1)


def test_generated_files_are_read_or_refused_in_french(atlas):
    rng = random.Random(20261130)
    accepted = refused = 0
    for _ in range(400):
        payload = _file(rng)
        try:
            rows = read_selection_bytes(payload)
        except SelectionFileError as exc:
            refused += 1
            message = str(exc)
            assert message and "Error" not in message and "Traceback" not in message
            continue
        accepted += 1
        result = join_selection(rows, atlas.communes, atlas.rattachees)
        assert len(result.report) == len(rows)  # every row read is reported
        if payload.isascii() and not payload.startswith(b"\xff"):
            assert len(rows) == _data_lines(payload)  # no row swallowed by another
    assert accepted > 50 and refused > 50


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"insee_com,lib_com\r30210,Quissac\r32208,Isle\r", None),  # old Mac line endings
        (b"insee_com,lib_com\n30210,Quissac\r\n32208,Isle\r", None),  # mixed endings
        ("insee_com;lib_com\n30210;Quissac\n".encode("utf-16"), None),  # Excel « Texte Unicode »
        (b'insee_com,lib_com\n30210,"Quissac\n32208,Isle\n34003,Agde\n', "guillemet non fermé"),
        (b"insee_com,lib_com\n30210," + b"x" * 140_000 + b"\n", "cellule trop longue"),
        ("insee_com,lib_com\n30210,Noël\n".encode() + "32208,Noël\n".encode("cp1252"), "encodages mélangés"),
        (b"insee_com,lib_com\n", "que son en-tête"),
        (b"\x01\x02garbage\x03\x04", "pas un CSV"),
        (b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1\n", "introuvable"),
    ],
)
def test_the_classes_of_the_trial(payload, expected):
    if expected is None:
        rows = read_selection_bytes(payload)
        assert rows["code_fichier"].tolist()[:2] == ["30210", "32208"] or rows["code_fichier"].tolist() == [
            "30210"
        ]
        return
    with pytest.raises(SelectionFileError) as info:
        read_selection_bytes(payload)
    assert expected in str(info.value)
    assert "root:x" not in str(info.value)  # a system file's first line is not echoed


def test_size_limit_message_is_exact():
    with pytest.raises(SelectionFileError) as info:
        read_selection_bytes(b"x" * 5_000_001)
    assert "5\u202f000\u202f001 octets (limite 5\u202f000\u202f000 octets)" in str(info.value)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("open_quote.csv", b'insee_com,lib_com\n30210,"Quissac\n32208,Isle\n'),
        ("cr.csv", b"insee_com,lib_com\r30210,Quissac\r32208,Isle\r"),
        (
            "extras.csv",
            b"insee_com,lib_com,siren_epci,lib_epci,date_signature\n30210,Quissac,=2+2,<b>x</b>,demain\n",
        ),
        ("garbage.bin", bytes(range(1, 200)) * 10),
    ],
)
def test_cli_import_of_hostile_files(tmp_path, build_env, name, content):
    lists = tmp_path / "listes"
    path = tmp_path / name
    path.write_bytes(content)
    env = {**build_env, "PVD_LISTES_DIR": str(lists)}
    out = run("import-selection", str(path), "--programme", "essai", "--yes", env=env)
    assert "Traceback" not in out.stderr and out.returncode in (0, 1, 2), out.stderr
    written = sorted(p.name for p in lists.rglob("*")) if lists.exists() else []
    assert set(written) <= {"essai.csv", "essai.json", ".essai.verrou"}  # the list, its description, its lock
    if out.returncode == 0 and name == "extras.csv":
        saved = (lists / "essai.csv").read_text(encoding="utf-8")
        assert (
            "=2+2" not in saved
            and "demain" not in saved
            and (lists / "essai.csv").stat().st_mode & 0o644 == 0o644
        )
    if name == "open_quote.csv":
        assert out.returncode == 2 and "guillemet non fermé" in out.stderr


def test_a_programme_name_with_a_newline_is_refused(tmp_path, build_env):
    path = tmp_path / "l.csv"
    path.write_bytes(b"insee_com\n30210\n")
    out = run(
        "import-selection",
        str(path),
        "--programme",
        "essai\n",
        "--yes",
        env={**build_env, "PVD_LISTES_DIR": str(tmp_path / "l")},
    )
    assert out.returncode == 2 and "nom de programme invalide" in out.stderr
    assert not (tmp_path / "l").exists() or not list((tmp_path / "l").iterdir())


def test_two_imports_in_the_same_instant_keep_both_versions(tmp_path):
    import pandas as pd

    from pvd_geo.auth import operator
    from pvd_geo.sources.selections import history_versions, save_selection

    rows = pd.DataFrame({"code": ["30210"], "nom": ["Quissac"]})
    for i in range(4):
        save_selection(rows.assign(nom=f"v{i}"), "pvd", tmp_path, writer=operator())
    versions = history_versions(tmp_path, "pvd")
    assert len(versions) == 3 and len({v.read_text() for v in versions}) == 3
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob("*.partiel"))
