"""Reading selection CSVs as people actually have them."""

import pytest

from pvd_geo.sources.anct import SelectionFileError, read_selection_bytes, read_selection_csv

from .conftest import SHARED_DATA


def test_anct_format_utf8():
    rows = read_selection_bytes(b"insee_com,lib_com,insee_dep\n30210,Quissac,30\n")
    assert rows.to_dict("records")[0]["code_fichier"] == "30210"
    assert rows.loc[0, "nom_fichier"] == "Quissac"
    assert rows.loc[0, "ligne"] == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "latin-1"])
def test_encodings(encoding):
    payload = "code_insee;nom_commune\n32459;Valence-sur-Baïse\n".encode(encoding)
    rows = read_selection_bytes(payload)
    assert rows.loc[0, "nom_fichier"] == "Valence-sur-Baïse"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("header", ["insee_com", "code_insee", "INSEE_COM", "codgeo", "code"])
def test_separators_and_headers(sep, header):
    text = f"{header}{sep}lib_com{sep}extra\n\n1004{sep}Ambérieu{sep}x\n\n30210{sep}Quissac{sep}y\n"
    rows = read_selection_bytes(text.encode())
    assert rows["code_fichier"].tolist() == ["1004", "30210"]
    assert rows["ligne"].tolist() == [3, 5]  # blank lines skipped, line numbers kept


def test_missing_code_column_names_the_line():
    with pytest.raises(SelectionFileError, match="ligne 1 .*colonne du code INSEE"):
        read_selection_bytes(b"nom,population\nQuissac,3528\n")


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (b"<!DOCTYPE html><html><body>404</body></html>", "pas un CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "pas un CSV"),
        (b"", "vide"),
    ],
)
def test_not_a_csv(payload, match):
    with pytest.raises(SelectionFileError, match=match):
        read_selection_bytes(payload)


def test_too_large():
    with pytest.raises(SelectionFileError, match="trop volumineux"):
        read_selection_bytes(b"insee_com\n" + b"30210\n" * 1000, max_bytes=1000)


def test_real_anct_files_are_read_whole():
    pvd = read_selection_csv(SHARED_DATA / "anct_pvd_communes_2021.csv")
    acv = read_selection_csv(SHARED_DATA / "anct_acv_communes_2024.csv")
    assert len(pvd) == 1607
    assert len(acv) == 244
    assert {"siren_epci", "lib_epci", "insee_dep"} <= set(pvd.columns)


def test_excel_separator_line_is_used_and_line_numbers_stay_the_files():
    """Excel writes ``sep=;`` as a first line: the separator it names is used (issue 22, item 10);
    the report's line numbers are still those of the file; an unsupported one is named."""
    rows = read_selection_bytes(b"sep=;\ninsee_com;lib_com\n30210;Quissac\n32208;L'Isle-Jourdain\n")
    assert rows["code_fichier"].tolist() == ["30210", "32208"] and rows["ligne"].tolist() == [3, 4]
    rows = read_selection_bytes(b"SEP=,\r\ninsee_com,lib_com\r\n30210,Quissac\r\n")
    assert rows["code_fichier"].tolist() == ["30210"]
    with pytest.raises(SelectionFileError, match="ligne 1 : séparateur « | »"):
        read_selection_bytes(b"sep=|\ninsee_com|x\n30210|a\n")
