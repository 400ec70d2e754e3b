"""Files a reader may hold on the server (pvd_geo.uploads): quotas per session, per client and in
all, checked before an upload's body is read; through a real server (Streamlit's upload route
behind the middleware given to st.App), the browser's own session and XSRF token."""

import pytest

from pvd_geo.uploads import MIB, Ledger, Limits, client_of

LIMITS = Limits(
    files_per_session=3, bytes_per_session=10 * MIB, bytes_per_client=15 * MIB, bytes_total=25 * MIB
)


def ledger(active=lambda sid: True, ttl_s=120.0) -> Ledger:
    return Ledger(LIMITS, active=active, ttl_s=ttl_s)


def test_a_session_holds_a_few_files_and_megabytes_a_replacement_counts_once():
    book = ledger()
    for i in range(3):
        assert book.reserve("s1", f"f{i}", MIB, "1.2.3.4", now=0) is None
    refusal = book.reserve("s1", "f3", MIB, "1.2.3.4", now=0)
    assert refusal and "3 fichiers au plus par session" in refusal
    assert book.reserve("s1", "f0", 2 * MIB, "1.2.3.4", now=0) is None  # the same file again
    assert book.held() == {"s1": 4 * MIB}
    book.release("s1", "f1")
    assert book.reserve("s1", "f3", 6 * MIB, "1.2.3.4", now=0) is None  # 2 + 1 + 6 MiB
    refusal = book.reserve("s1", "f2", 3 * MIB, "1.2.3.4", now=0)
    assert refusal and "10 Mo au plus de fichiers par session" in refusal
    assert book.held() == {"s1": 9 * MIB}  # a refusal counts nothing


def test_a_client_with_many_sessions_and_the_server_in_all_are_bounded():
    book = ledger()
    assert book.reserve("a1", "f", 8 * MIB, "10.0.0.1", now=0) is None
    refusal = book.reserve("a2", "f", 8 * MIB, "10.0.0.1", now=0)  # a second tab: 16 > 15 MiB
    assert refusal and "par lecteur" in refusal
    assert book.reserve("b1", "f", 8 * MIB, "10.0.0.2", now=0) is None
    assert book.reserve("c1", "f", 8 * MIB, "10.0.0.3", now=0) is None
    refusal = book.reserve("d1", "f", 2 * MIB, "10.0.0.4", now=0)  # 26 > 25 MiB on the server
    assert refusal and "trop de fichiers en ce moment" in refusal


def test_files_count_until_streamlit_has_dropped_their_session():
    active = {"s1": True}
    book = ledger(active=lambda sid: active.get(sid, False), ttl_s=120)
    assert book.reserve("s1", "f", 9 * MIB, "x", now=0) is None
    active["s1"] = False  # the tab closed: Streamlit keeps the files for its TTL
    assert book.reserve("s2", "f", 9 * MIB, "x", now=10) is not None  # per client: 18 > 15 MiB
    assert book.reserve("s2", "f", 9 * MIB, "x", now=10 + 120 + 30) is not None  # within TTL + grace
    assert book.reserve("s2", "f", 9 * MIB, "x", now=10 + 120 + 61) is None  # dropped after it
    assert book.held() == {"s2": 9 * MIB}


def test_the_client_is_the_proxys_forwarded_address_only_behind_a_loopback_peer():
    assert client_of("203.0.113.9", "127.0.0.1") == "203.0.113.9"  # a client's own header ignored
    assert client_of("127.0.0.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"  # the proxy's entry
    assert client_of("", "") == "inconnue"


# -- through a real server ----------------------------------------------------------------------

PUT = """async ([url, count, size]) => {
  const token = (document.cookie.match(/(?:^|; )_streamlit_xsrf=([^;]*)/) || [])[1] || "";
  const out = [];
  for (let i = 0; i < count; i++) {
    const body = new FormData();
    body.append("file", new Blob([new Uint8Array(size)]), `f${i}.csv`);
    try {
      const r = await fetch(url.replace(/[^/]+$/, `hostile-${size}-${i}`), {
        method: "PUT", body, headers: {"X-Xsrftoken": decodeURIComponent(token)}});
      out.push([r.status, await r.text()]);
    } catch (e) { out.push([0, String(e)]); }
  }
  return out;
}"""


@pytest.mark.browser
def test_a_reader_cannot_pile_up_files_on_a_real_server(server, page, tmp_path):
    """The reader's form uploads a list (the session's first file); the same session then sends
    files straight to Streamlit's upload route with its own token: four more are accepted (five per
    session), the next are refused in French before their body is read; 4.5 MB files stop at the
    session's 12 MiB; a deleted file frees its place."""
    from .conftest import settle

    upload = tmp_path / "maliste.csv"
    upload.write_text("code_insee;nom\n30210;Quissac\n", encoding="utf-8")
    puts = []
    page.on(
        "request", lambda r: r.method == "PUT" and "/_stcore/upload_file/" in r.url and puts.append(r.url)
    )
    page.goto(f"{server}/Donnees")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(upload))
    page.get_by_text("ma_liste : 1 conservées", exact=False).first.wait_for(timeout=30_000)
    assert len(puts) == 1
    url = puts[0]

    answers = page.evaluate(PUT, [url, 7, 1000])
    assert [status for status, _ in answers] == [204] * 4 + [413] * 3
    assert "5 fichiers au plus par session" in answers[-1][1]

    # a deleted file frees its place
    token = page.evaluate("decodeURIComponent((document.cookie.match(/_streamlit_xsrf=([^;]*)/)||[])[1]||'')")
    deleted = page.evaluate(
        "async ([u, t]) => (await fetch(u, {method: 'DELETE', headers: {'X-Xsrftoken': t}})).status",
        [url.rsplit("/", 1)[0] + "/hostile-1000-0", token],
    )
    assert deleted == 204
    assert [s for s, _ in page.evaluate(PUT, [url.replace("hostile", "again"), 1, 1000])] == [204]

    # a new session (another tab of the same reader): megabytes per session
    other = page.context.new_page()
    other_puts = []
    other.on(
        "request",
        lambda r: r.method == "PUT" and "/_stcore/upload_file/" in r.url and other_puts.append(r.url),
    )
    other.goto(f"{server}/Donnees")
    settle(other)
    other.locator("input[type='file']").set_input_files(str(upload))
    other.get_by_text("ma_liste : 1 conservées", exact=False).first.wait_for(timeout=30_000)
    answers = other.evaluate(PUT, [other_puts[0], 3, 4_500_000])
    assert [status for status, _ in answers] == [204, 204, 413]
    assert "12 Mo au plus de fichiers par session" in answers[-1][1]
    assert page.refused == []


def test_the_middleware_refuses_before_the_body_and_passes_everything_else():
    """An upload without a declared size, or over the quota, is answered without Streamlit seeing
    it; other requests and accepted uploads reach Streamlit; a failed upload counts nothing."""
    import asyncio

    from pvd_geo.uploads import UploadQuota

    seen = []

    async def streamlit(scope, receive, send):
        seen.append((scope["method"], scope["path"]))
        status = 400 if scope["path"].endswith("/bad") else 204
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    book = ledger()
    app = UploadQuota(streamlit, book)

    def call(method, path, length=None):
        headers = [] if length is None else [(b"content-length", str(length).encode())]
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "headers": headers,
            "client": ("10.1.1.1", 5),
        }
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(app(scope, receive, send))
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode()

    assert call("GET", "/") == (204, "")
    assert call("PUT", "/_stcore/upload_file/s/f")[0] == 411
    assert call("PUT", "/_stcore/upload_file/s/a", 9 * MIB) == (204, "")
    status, text = call("PUT", "/_stcore/upload_file/s/b", 2 * MIB)
    assert status == 413 and "par session" in text
    assert call("PUT", "/_stcore/upload_file/s/bad", MIB)[0] == 400  # Streamlit refused it
    assert book.held() == {"s": 9 * MIB}
    assert call("DELETE", "/_stcore/upload_file/s/a")[0] == 204
    assert book.held() == {}
    assert [m for m, _ in seen] == ["GET", "PUT", "PUT", "DELETE"]
