"""The year's lifetime the atlas gives to the addresses that name their bytes (pvd_geo.assetcache)."""

import asyncio

from pvd_geo.assetcache import IMMUTABLE, ImmutableAssets, immutable


def test_only_addresses_that_name_their_bytes_are_immutable():
    assert immutable("/component/streamlit_folium.st_folium/static/js/main.521860b0.js", b"")
    assert immutable("/atlas/component/streamlit_folium.st_folium/static/js/main.521860b0.js", b"")
    assert immutable("/app/static/vendor/bundle/atlas.js", b"v=3fa9c2d1")
    assert immutable("/app/static/recherche/index-0123abcd4567-1.tsv.gz", b"")
    assert not immutable("/component/streamlit_folium.st_folium/index.html", b"")
    assert not immutable("/component/streamlit_folium.st_folium/static/js/main.js", b"")
    assert not immutable("/app/static/vendor/bundle/atlas.js", b"")
    assert not immutable("/app/static/vendor/bundle/atlas.js", b"x=1")
    assert not immutable("/", b"v=3fa9c2d1")
    assert not immutable("/media/abc.csv", b"")


def _answer(path: str, method: str = "GET", status: int = 200) -> list:
    async def app(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"cache-control", b"public")]}
        )
        await send({"type": "http.response.body", "body": b"x"})

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b""}
    asyncio.run(ImmutableAssets(app)(scope, None, send))
    return dict(sent[0]["headers"])[b"cache-control"]


def test_the_middleware_replaces_streamlits_header_on_successful_answers_only():
    hashed = "/component/streamlit_folium.st_folium/static/js/main.521860b0.js"
    assert _answer(hashed) == IMMUTABLE
    assert _answer(hashed, method="HEAD") == IMMUTABLE
    assert _answer(hashed, status=404) == b"public"
    assert _answer(hashed, method="POST") == b"public"
    assert _answer("/component/streamlit_folium.st_folium/index.html") == b"public"
