import pytest

from pvd_geo.codes import CodeError, cle_recherche, departement_of, nom_avec_article, normalise_insee


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1004", "01004"),
        (1004, "01004"),
        (1004.0, "01004"),
        ("30210", "30210"),
        (" 30210 ", "30210"),
        ("2a004", "2A004"),
        ("2B033", "2B033"),
        ("97411", "97411"),
        ("1004.0", "01004"),
    ],
)
def test_normalise_insee(raw, expected):
    assert normalise_insee(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "ABCDE", "123", "302100", "2C004", 3.5, float("nan"), "30 210"])
def test_normalise_insee_rejects(raw):
    with pytest.raises(CodeError):
        normalise_insee(raw)


def test_departement_of():
    assert departement_of("30210") == "30"
    assert departement_of("2A004") == "2A"
    assert departement_of("97411") == "974"


@pytest.mark.parametrize(
    ("nom", "tncc", "expected"),
    [
        ("Grau-du-Roi", "2", "Le Grau-du-Roi"),
        ("Grand-Combe", 3, "La Grand-Combe"),
        ("Isle-Jourdain", "5", "L'Isle-Jourdain"),
        ("Vigan", "2", "Le Vigan"),
        ("Quissac", "0", "Quissac"),
        ("Saintes-Maries-de-la-Mer", "4", "Les Saintes-Maries-de-la-Mer"),
    ],
)
def test_nom_avec_article(nom, tncc, expected):
    assert nom_avec_article(nom, tncc) == expected


def test_cle_recherche_ignores_case_accents_hyphens_article():
    assert cle_recherche("Le Grau-du-Roi") == cle_recherche("grau du roi")
    assert cle_recherche("L'Isle-Jourdain") == "isle jourdain"
    assert cle_recherche("Valence-sur-Baïse") == "valence sur baise"
    assert cle_recherche("Lectoure") != cle_recherche("Lombez")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2023-09-26", "26 septembre 2023"),
        ("26/09/2023", "26 septembre 2023"),
        ("01-03-2021", "1er mars 2021"),
        ("2021-07-01T00:00:00", "1er juillet 2021"),
        ("  ", ""),
        ("bientôt", "bientôt"),
        ("2023-13-01", "2023-13-01"),
        (None, None),
    ],
)
def test_fr_date_accepts_the_formats_of_the_lists(raw, expected):
    from pvd_geo.format import fr_date

    assert fr_date(raw) == expected
