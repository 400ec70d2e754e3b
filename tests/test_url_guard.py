"""No address from anyone but the operator is fetched, and never a local or private one unless the
operator's switch says so: the URL guard, at the first hop and at each redirect."""

import urllib.request

import pytest

from pvd_geo.sources import download
from pvd_geo.sources.download import AddressRefused, guard_url


@pytest.fixture
def no_local(monkeypatch):
    monkeypatch.delenv("PVD_ALLOW_LOCAL", raising=False)


@pytest.fixture
def fake_dns(monkeypatch):
    table = {
        "www.data.gouv.fr": ["37.59.183.86"],
        "intranet.example.fr": ["10.1.2.3"],
        "meta.example.fr": ["169.254.169.254"],
        "double.example.fr": ["37.59.183.86", "192.168.1.10"],
        "v6local.example.fr": ["::1"],
        "mapped.example.fr": ["::ffff:127.0.0.1"],
    }
    # IP literals resolve to themselves, as getaddrinfo does
    monkeypatch.setattr(download, "_resolve", lambda host, port: table.get(host, [host.strip("[]")]))


@pytest.mark.parametrize(
    "url",
    [
        "http://www.data.gouv.fr/x.csv",  # not https
        "file:///etc/passwd",
        "ftp://www.data.gouv.fr/x.csv",
        "https://127.0.0.1/x.csv",
        "https://[::1]/x.csv",
        "https://10.0.0.8/x.csv",
        "https://192.168.0.1/x.csv",
        "https://172.16.5.4/x.csv",
        "https://169.254.169.254/latest/meta-data/",
        "https://224.0.0.1/x.csv",
        "https://0.0.0.0/x.csv",
        "https://intranet.example.fr/x.csv",
        "https://meta.example.fr/x.csv",
        "https://double.example.fr/x.csv",  # one private address is enough to refuse
        "https://v6local.example.fr/x.csv",
        "https://mapped.example.fr/x.csv",
        "https:///x.csv",
    ],
)
def test_refused(url, no_local, fake_dns):
    with pytest.raises(AddressRefused) as info:
        guard_url(url)
    assert "adresse refusée" in str(info.value)


def test_public_https_host_is_accepted(no_local, fake_dns):
    assert (
        guard_url("https://www.data.gouv.fr/fr/datasets/r/abc")
        == "https://www.data.gouv.fr/fr/datasets/r/abc"
    )


def test_the_operators_switch_allows_a_local_server(monkeypatch):
    monkeypatch.setenv("PVD_ALLOW_LOCAL", "1")
    assert guard_url("http://127.0.0.1:8000/x.csv")
    with pytest.raises(AddressRefused):
        guard_url("file:///etc/passwd")  # the switch never allows other schemes
    assert guard_url("http://127.0.0.1:8000/x.csv", allow_local=True)


def test_a_redirect_to_a_private_address_is_refused(no_local, fake_dns):
    handler = download._GuardedRedirects(None)
    request = urllib.request.Request("https://www.data.gouv.fr/fr/datasets/r/abc")
    for target in (
        "https://169.254.169.254/latest/",
        "http://www.data.gouv.fr/x.csv",
        "https://intranet.example.fr/x",
    ):
        with pytest.raises(AddressRefused):
            handler.redirect_request(request, None, 302, "Found", {}, target)
    assert (
        handler.redirect_request(request, None, 302, "Found", {}, "https://www.data.gouv.fr/y.csv")
        is not None
    )


def test_a_real_local_server_is_refused_without_the_switch(http_server, no_local):
    http_server.routes["/pvd.csv"] = (200, b"insee_com\n30210\n")
    with pytest.raises(AddressRefused):
        download.fetch(f"{http_server.url}/pvd.csv")
    assert download.fetch(f"{http_server.url}/pvd.csv", allow_local=True).payload.startswith(b"insee_com")


def test_a_local_redirect_hop_is_checked(http_server, monkeypatch):
    """Allowed first hop (tests), then a redirect to a metadata address: refused at that hop."""
    http_server.routes["/r"] = (302, b"http://169.254.169.254/latest/")
    calls = []
    real = download.guard_url

    def spy(url, allow_local=None):
        calls.append(url)
        if "169.254" in url:
            return real(url, allow_local=False)
        return real(url, allow_local=True)

    monkeypatch.setattr(download, "guard_url", spy)
    with pytest.raises(AddressRefused):
        download.fetch(f"{http_server.url}/r")
    assert calls[-1] == "http://169.254.169.254/latest/"


def test_cli_update_refuses_a_local_url_without_allow_local(build_env, tmp_path, http_server):
    from .conftest import run

    http_server.routes["/pvd.csv"] = (200, b"insee_com\n30210\n")
    env = {**build_env, "PVD_LISTES_DIR": str(tmp_path / "listes")}
    env.pop("PVD_ALLOW_LOCAL", None)
    out = run("update", "--programme", "pvd", "--url", f"{http_server.url}/pvd.csv", env=env)
    assert out.returncode == 1 and "adresse refusée" in out.stderr
    assert not (tmp_path / "listes" / "pvd.csv").exists()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("10.20.30.40", True), ("172.31.255.1", True), ("192.168.1.1", True), ("100.64.0.1", True),
        ("127.8.8.8", True), ("169.254.169.254", True), ("239.1.1.1", True), ("255.255.255.255", True),
        ("fd00::1", True), ("fe80::1", True), ("::ffff:10.0.0.1", True), ("2002:0a00:0001::1", True),
        ("37.59.183.86", False), ("2001:41d0:8:1::1", False), ("203.0.113.80", False),
    ],
)  # fmt: skip
def test_address_classes(address, refused):
    assert download._forbidden(address) is refused


class _Trickle:
    """Handlers that send one byte at a time: in the body, or in the headers themselves."""

    @staticmethod
    def server(headers: bool):
        import http.server
        import threading
        import time

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if headers:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for byte in b"X-Lent: " + b"a" * 100:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.end_headers()
                for byte in b"insee_com\n30210\n" * 20:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_trickling_server_cannot_outlast_the_deadline(headers, monkeypatch):
    """One byte every 0.2 s, in the body or in the headers: the download stops at its deadline
    (the whole transfer, not each read), with a French message (issue 22, item 5)."""
    import time

    monkeypatch.setenv("PVD_ALLOW_LOCAL", "1")
    server = _Trickle.server(headers)
    start = time.monotonic()
    with pytest.raises(download.DownloadError, match="trop long"):
        download.fetch(f"http://127.0.0.1:{server.server_address[1]}/liste.csv", timeout=1.5)
    assert time.monotonic() - start < 3.0
    server.shutdown()


def test_the_connection_goes_to_the_address_that_was_checked(no_local, monkeypatch):
    """A name that answers a public address to the check and a loopback one afterwards (DNS
    rebinding) never reaches loopback: each connection resolves once and checks what it connects to."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    monkeypatch.setattr(download, "_resolve", lambda host, port: next(answers))
    with pytest.raises(download.AddressRefused, match="locale ou privée"):
        download.fetch("https://rebind.example/liste.csv", timeout=5)
