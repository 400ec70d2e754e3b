"""`update` against a real HTTP server on 127.0.0.1 serving the ANCT list and broken variants."""

import json
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pvd_geo.atlas import read_build
from pvd_geo.auth import operator
from pvd_geo.constants import EMBEDDED_DIR
from pvd_geo.update import UpdateRefused, update_selection

from .conftest import SHARED_DATA, run

NATIONAL = (SHARED_DATA / "anct_pvd_communes_2021.csv").read_bytes()


@pytest.fixture(scope="module")
def reference(built_dir):
    built = read_build(built_dir)
    return built["communes"], built["rattachees"]


@pytest.fixture
def selections(tmp_path):
    directory = tmp_path / "listes"
    shutil.copytree(EMBEDDED_DIR, directory)
    return directory


def _serve(http_server, path, body, status=200, content_type="text/csv"):
    http_server.routes[path] = (status, body)
    return f"{http_server.url}{path}"


def test_update_replaces_list_and_keeps_history(http_server, selections, reference):
    url = _serve(http_server, "/pvd.csv", NATIONAL)
    done = update_selection("pvd", url, selections, *reference, writer=operator())
    assert done.result.count("rejetée") == 1 and len(done.result.codes) == 1606
    assert done.history is not None and done.history.exists()
    assert (selections / "pvd.csv").read_text(encoding="utf-8").count("\n") == 1607


def test_dataset_json_leads_to_its_newest_csv(http_server, selections, reference):
    csv_url = _serve(http_server, "/files/liste.csv", NATIONAL)
    old_url = _serve(http_server, "/files/ancienne.csv", b"insee_com\n30210\n")
    dataset = {
        "resources": [
            {"format": "csv", "url": old_url, "last_modified": "2021-01-01"},
            {"format": "CSV", "url": csv_url, "last_modified": "2024-06-01"},
            {"format": "pdf", "url": "x", "last_modified": "2025-01-01"},
        ]
    }
    url = _serve(http_server, "/api/1/datasets/pvd/", json.dumps(dataset).encode())
    done = update_selection("pvd", url, selections, *reference, writer=operator())
    assert done.source == csv_url and len(done.result.codes) == 1606


def test_stable_resource_link_redirects_to_the_upload(http_server, selections, reference):
    """data.gouv.fr's /datasets/r/<id> links answer with a redirect to the newest file."""
    upload = _serve(http_server, "/uploads/liste-pvd-2026.csv", NATIONAL)
    url = _serve(http_server, "/fr/datasets/r/1fa831ec", upload.encode(), status=302)
    done = update_selection("pvd", url, selections, *reference, writer=operator())
    assert len(done.result.codes) == 1606


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"", 404, "404"),
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", 200, "HTML"),
        (b"nom;population\nQuissac;3528\n", 200, "colonne du code INSEE"),
        (b"insee_com\n30210\n32107\n", 200, "refusée"),  # lost most of its rows
    ],
)
def test_failures_leave_the_list_untouched(http_server, selections, reference, body, status, message):
    before = (selections / "pvd.csv").read_bytes()
    url = _serve(http_server, "/bad.csv", body, status=status)
    with pytest.raises(UpdateRefused, match=message):
        update_selection("pvd", url, selections, *reference, writer=operator())
    assert (selections / "pvd.csv").read_bytes() == before
    assert not (selections / "historique").exists()


class _Truncating(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(NATIONAL)))
        self.end_headers()
        self.wfile.write(NATIONAL[: len(NATIONAL) // 3])  # then the connection closes

    def log_message(self, *args):
        pass


class _Slow(_Truncating):
    def do_GET(self):  # noqa: N802
        time.sleep(3)
        super().do_GET()


@pytest.mark.parametrize(("handler", "message"), [(_Truncating, "tronqué"), (_Slow, "trop long")])
def test_truncated_or_slow_downloads(selections, reference, handler, message, monkeypatch):
    import pvd_geo.update as update

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    real = update.fetch
    monkeypatch.setattr(
        update, "fetch", lambda url, timeout=30, progress=None: real(url, 1, progress=progress)
    )
    before = (selections / "pvd.csv").read_bytes()
    try:
        with pytest.raises(UpdateRefused, match=message):
            update_selection(
                "pvd",
                f"http://127.0.0.1:{server.server_address[1]}/pvd.csv",
                selections,
                *reference,
                writer=operator(),
            )
    finally:
        server.shutdown()
        server.server_close()
    assert (selections / "pvd.csv").read_bytes() == before


def test_cli_update_with_env_url(http_server, selections, build_env):
    url = _serve(http_server, "/pvd.csv", NATIONAL)
    env = {**build_env, "PVD_URL_PVD": url}
    out = run("--selections", str(selections), "update", "--programme", "pvd", env=env)
    assert out.returncode == 0, out.stderr
    assert "1606 conservées" in out.stdout and "Téléchargement" in out.stderr
    out = run(
        "--selections",
        str(selections),
        "update",
        "--programme",
        "acv",
        "--url",
        f"{http_server.url}/none",
        env=env,
    )
    assert out.returncode == 1 and "n'a pas changé" in out.stderr


def test_the_dataset_page_and_the_file_share_one_deadline(monkeypatch):
    """``update`` follows the dataset page to its CSV: the file gets what the page left of the
    timeout, so a list never takes longer than promised (issue 22, item 5)."""
    import time

    import pvd_geo.update as update
    from pvd_geo.sources.download import Downloaded

    asked = []

    def slow_fetch(url, timeout, progress=None):
        asked.append(timeout)
        time.sleep(0.4)
        if url.endswith(".json"):
            return Downloaded(b'{"resources": [{"format": "csv", "url": "https://x.test/l.csv"}]}', url)
        return Downloaded(b"insee_com\n30210\n", url)

    monkeypatch.setattr(update, "fetch", slow_fetch)
    monkeypatch.setattr(
        update,
        "csv_resource",
        lambda payload: ("https://x.test/l.csv", "") if b"resources" in payload else None,
    )
    update.fetch_rows("https://x.test/jeu.json", timeout=1.0)
    assert asked[0] == 1.0 and asked[1] <= 0.65


def test_a_list_date_is_its_publication_never_the_mirrors_copy_date(http_server, selections, reference):
    """Served under an undated name by a mirror whose files say ``Last-Modified`` 1 December
    2026, a list has no date and says « téléchargée le … »; a dated upload name gives its date;
    a dataset JSON gives the date of its resource."""
    from pvd_geo.format import fr_short_date
    from pvd_geo.sources.selections import read_info
    from pvd_geo.views.tables import _version_date

    url = _serve(http_server, "/pvd.csv", NATIONAL)
    done = update_selection("pvd", url, selections, *reference, writer=operator())
    info = read_info(done.written)
    assert info.date is None and info.millesime.startswith("téléchargée le ")
    assert "01/12/2026" not in _version_date(info, fr_short_date) or "téléchargée" in _version_date(
        info, fr_short_date
    )

    dated = _serve(http_server, "/uploads/liste-pvd-com2025-20260427.csv", NATIONAL)
    info = read_info(update_selection("pvd", dated, selections, *reference, writer=operator()).written)
    assert info.date == "2026-04-27"

    csv_url = _serve(http_server, "/files/liste.csv", NATIONAL)
    dataset = {
        "resources": [{"format": "csv", "url": csv_url, "last_modified": "2026-04-27T10:02:11.000+00:00"}]
    }
    api = _serve(http_server, "/api/1/datasets/pvd/", json.dumps(dataset).encode())
    info = read_info(update_selection("pvd", api, selections, *reference, writer=operator()).written)
    assert info.date == "2026-04-27"
