"""Download and verification of the Etalab npm package, against a local registry on 127.0.0.1."""

import base64
import hashlib
import io
import json
import tarfile

import pytest

from pvd_geo.build import BuildReport, _apply_etalab, _load_etalab
from pvd_geo.constants import ETALAB_VERSION
from pvd_geo.sources.etalab import EtalabUnavailable, fetch_package, read_package

COMMUNES = [
    {"code": "30001", "type": "commune-actuelle", "population": 1111, "departement": "30", "region": "76"},
    {"code": "30002", "type": "commune-actuelle", "population": 3528, "departement": "30", "region": "76"},
    {"code": "30099", "type": "commune-deleguee", "population": 50},
    {"code": "30777", "type": "commune-actuelle", "population": 42},
]
EPCI = [
    {
        "code": "200000099",
        "nom": "CC Nouvelle",
        "type": "CC",
        "membres": [{"code": "30001"}, {"code": "30002"}],
    }
]


def _tarball() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in (("communes.json", COMMUNES), ("epci.json", EPCI)):
            payload = json.dumps(data).encode()
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _serve(server, payload: bytes, integrity_of: bytes | None = None):
    digest = base64.b64encode(hashlib.sha512(integrity_of or payload).digest()).decode()
    meta = {"dist": {"integrity": f"sha512-{digest}", "tarball": f"{server.url}/pkg.tgz"}}
    server.routes[f"/@etalab%2Fdecoupage-administratif/{ETALAB_VERSION}"] = (200, json.dumps(meta).encode())
    server.routes["/pkg.tgz"] = (200, payload)


def test_download_verify_cache_and_read(http_server, monkeypatch, tmp_path):
    monkeypatch.setenv("PVD_NPM_REGISTRY", http_server.url)
    _serve(http_server, _tarball())
    path = fetch_package(tmp_path)
    assert path.exists() and path.with_suffix(".integrity").exists()
    http_server.routes.clear()  # offline now: the verified cache is used
    assert fetch_package(tmp_path) == path
    tables = read_package(path)
    assert tables.communes.set_index("code").loc["30002", "population"] == 3528
    assert tables.membres["epci"].tolist() == ["200000099", "200000099"]


def test_corrupted_tarball_is_refused_and_not_cached(http_server, monkeypatch, tmp_path):
    monkeypatch.setenv("PVD_NPM_REGISTRY", http_server.url)
    good = _tarball()
    _serve(http_server, good[:-10] + b"0123456789", integrity_of=good)
    with pytest.raises(EtalabUnavailable, match="empreinte invalide"):
        fetch_package(tmp_path)
    assert not list(tmp_path.glob("*.tgz"))


def test_no_network_falls_back_to_2017(http_server, monkeypatch, tmp_path):
    monkeypatch.setenv("PVD_NPM_REGISTRY", http_server.url)  # serves nothing: 404
    report = BuildReport(out_dir=tmp_path)
    assert _load_etalab(tmp_path, report) is None
    assert "population 2017" in report.messages[0]


def test_apply_uses_current_population_and_composition(http_server, monkeypatch, tmp_path, tiny_communes):
    monkeypatch.setenv("PVD_NPM_REGISTRY", http_server.url)
    _serve(http_server, _tarball())
    tables = read_package(fetch_package(tmp_path))
    epci = tiny_communes[["epci"]].rename(columns={"epci": "code"}).assign(nom="ancien", type="CC")
    report = BuildReport(out_dir=tmp_path)
    communes, names, info = _apply_etalab(tiny_communes, epci, tables, report)
    by_code = communes.set_index("code")
    assert by_code.loc["30002", "population"] == 3528
    assert by_code.loc["30002", "population_millesime"] == "2026"
    assert by_code.loc["2A004", "population_millesime"] == "2017"  # absent from Etalab: kept, with its year
    assert by_code.loc["30001", "epci"] == "200000099"
    assert "CC Nouvelle" in set(names["nom"])
    assert info["absentes_etalab"] == ["2A004"]
    assert info["absentes_geographie"] == ["30777"]


def test_former_codes_of_merged_communes_resolve_to_the_commune_they_joined(tmp_path):
    """Etalab's ``anciensCodes`` (a commune merged since: 72287 Saint-Gervais-en-Belin in 72155)
    become rattachées of type ANCIEN; a list naming the old code is resolved, with the reason in the
    report, instead of rejected as unknown; a current code or a délégué already known is untouched."""
    import pandas as pd

    from pvd_geo.build import with_former_codes
    from pvd_geo.selection import FORMER, REJECTED, RESOLVED, join_selection

    communes_json = [
        {
            "code": "72155",
            "nom": "Laigné-Saint-Gervais",
            "type": "commune-actuelle",
            "anciensCodes": ["72287"],
        },
        {"code": "30001", "nom": "Le Bourg", "type": "commune-actuelle", "anciensCodes": ["30002", "30099"]},
    ]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in (("communes.json", communes_json), ("epci.json", [])):
            payload = json.dumps(data).encode()
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    path = tmp_path / "etalab.tgz"
    path.write_bytes(buffer.getvalue())
    tables = read_package(path)
    assert set(map(tuple, tables.anciens.to_numpy())) == {
        ("72287", "72155"),
        ("30002", "30001"),
        ("30099", "30001"),
    }

    communes = pd.DataFrame(
        {"code": ["72155", "30001", "30002"], "nom": ["Laigné-Saint-Gervais", "Le Bourg", "La Ville"]}
    )
    rattachees = pd.DataFrame(
        {"code": ["30099"], "nom": ["Le Hameau"], "type": ["COMD"], "parent": ["30001"]}
    )
    merged = with_former_codes(rattachees, communes, tables)
    assert merged[merged["type"] == FORMER][["code", "parent"]].values.tolist() == [["72287", "72155"]]

    rows = pd.DataFrame(
        {
            "ligne": [2, 3, 4],
            "code_fichier": ["72287", "30002", "99999"],
            "nom_fichier": ["Saint-Gervais-en-Belin", "La Ville", "X"],
        }
    )
    result = join_selection(rows, communes, merged, "ort")
    report = result.report.set_index("code_fichier")
    assert report.loc["72287", "statut"] == RESOLVED
    assert "ancien code d'une commune fusionnée" in report.loc["72287", "message"]
    assert "Laigné-Saint-Gervais (72155)" in report.loc["72287", "message"]
    assert report.loc["30002", "statut"] != REJECTED  # a current commune stays itself
    assert report.loc["99999", "statut"] == REJECTED
    assert "72155" in set(result.kept_rows()["code"])
