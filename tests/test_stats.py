"""Aggregates on tiny communes."""

import pytest

from pvd_geo.stats import EXTRA_COLUMNS, STATS_COLUMNS, aggregate, flag_communes, total


@pytest.fixture
def flagged(tiny_communes):
    communes = tiny_communes.assign(epci=["200000001", "200000001", "200000003"])
    communes.loc[2, "dep"] = "84"  # the EPCI 200000001 now spans two communes; the third is elsewhere
    return flag_communes(communes, {"pvd": ["30001", "2A004"], "acv": ["30002"]})


def test_departement_figures(flagged):
    table = aggregate(flagged, "departement").set_index("code")
    assert list(aggregate(flagged, "departement").columns) == STATS_COLUMNS + EXTRA_COLUMNS
    gard = table.loc["30"]
    assert (gard.pvd, gard.acv, gard.communes, gard.population, gard.population_pvd) == (1, 1, 2, 4000, 1000)
    assert gard.part_population_pvd == pytest.approx(0.25)
    assert gard.epci_avec_pvd == 1


def test_epci_counts_all_members_and_has_no_epci_column(flagged):
    table = aggregate(flagged, "epci").set_index("code")
    assert table.loc["200000001", "communes"] == 2
    assert table["epci_avec_pvd"].isna().all()


def test_epci_across_departements_counts_everywhere(tiny_communes):
    communes = tiny_communes.assign(epci="200000009")
    communes = flag_communes(communes, {"pvd": ["30001"]})
    table = aggregate(communes, "epci")
    assert table.loc[0, "communes"] == 3
    assert table.loc[0, "population"] == 74000


def test_total(flagged):
    figures = total(flagged)
    assert figures["pvd"] == 2
    assert figures["epci_avec_pvd"] == 2
    assert figures["population_pvd"] == 71000


def test_unknown_level_and_missing_columns(flagged):
    with pytest.raises(ValueError, match="niveau inconnu"):
        aggregate(flagged, "canton")
    with pytest.raises(ValueError, match="colonnes manquantes"):
        aggregate(flagged.drop(columns="population"), "region")


def test_an_unknown_level_is_refused_with_its_name_everywhere(flagged):
    from pvd_geo.errors import PvdError
    from pvd_geo.levels import Level

    calls = (
        lambda: Level.of("canton"),
        lambda: aggregate(flagged, "commune"),
        lambda: aggregate(flagged, "x"),
    )
    for call in calls:
        with pytest.raises(ValueError, match="niveau inconnu") as info:
            call()
        assert isinstance(info.value, PvdError)
