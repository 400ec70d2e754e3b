"""Join of a selection list to tiny communes: every row kept, resolved or rejected with its line."""

import pandas as pd

from pvd_geo.selection import KEPT, MERGED, REJECTED, RESOLVED, join_selection
from pvd_geo.sources.anct import read_selection_bytes


def _rows(text: str) -> pd.DataFrame:
    return read_selection_bytes(text.encode())


def test_every_row_is_reported(tiny_communes, tiny_rattachees):
    rows = _rows(
        "insee_com,lib_com\n"
        "30001,Le Bourg\n"  # kept
        "2a004,Ajaccio\n"  # Corsican code, lower case
        "30099,Le Hameau\n"  # commune déléguée → 30001 already listed: merged, counted once
        "30002,Villeneuve\n"  # kept with a name warning
        "99999,Nulle Part\n"  # unknown
        "3O0O1,Typo\n"  # invalid
        "30002,Villeneuve\n"  # the same code twice: a true duplicate
    )
    result = join_selection(rows, tiny_communes, tiny_rattachees)
    report = result.report.set_index("ligne")
    assert len(report) == len(rows)
    assert report.loc[2, "statut"] == KEPT
    assert report.loc[3, "statut"] == KEPT and report.loc[3, "code"] == "2A004"
    assert report.loc[4, "statut"] == MERGED and "ligne 2" in report.loc[4, "message"]
    assert report.loc[5, "statut"] == KEPT and "nom différent" in report.loc[5, "message"]
    assert report.loc[6, "statut"] == REJECTED and "code inconnu" in report.loc[6, "message"]
    assert report.loc[7, "statut"] == REJECTED and "invalide" in report.loc[7, "message"]
    assert report.loc[8, "statut"] == REJECTED and "doublon" in report.loc[8, "message"]
    assert result.codes == ["30001", "2A004", "30002"]
    assert len(result.warnings) == 1


def test_commune_deleguee_resolves_to_parent(tiny_communes, tiny_rattachees):
    result = join_selection(_rows("code\n30099\n1004\n"), tiny_communes, tiny_rattachees)
    report = result.report
    assert report.loc[0, "statut"] == RESOLVED
    assert report.loc[0, "code"] == "30001"
    assert "commune déléguée" in report.loc[0, "message"] and "Le Bourg" in report.loc[0, "message"]
    assert report.loc[1, "statut"] == REJECTED  # 01004 is not in the tiny reference
    assert result.codes == ["30001"]


def test_name_is_not_a_join_key(tiny_communes, tiny_rattachees):
    result = join_selection(_rows("insee_com,lib_com\n30002,Le Bourg\n"), tiny_communes, tiny_rattachees)
    assert result.codes == ["30002"]
    assert result.report.loc[0, "nom"] == "La Ville"
