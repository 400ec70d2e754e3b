"""The pace of a reader's messages on Streamlit's websocket (pvd_geo.throttle): past a burst, each
message waits its turn, per client address; other clients and other requests are not touched."""

import asyncio
import time

from pvd_geo.budget import Budget
from pvd_geo.throttle import WebsocketThrottle


def test_messages_past_the_burst_wait_their_turn_per_client_address():
    seen: list[tuple[str, float]] = []

    async def streamlit(scope, receive, send):
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            seen.append((scope["client"][0], time.perf_counter()))

    throttle = WebsocketThrottle(streamlit, Budget(capacity_s=3, refill_per_s=20))

    def connection(peer: str, forwarded: str, count: int):
        queue = [{"type": "websocket.receive", "bytes": b"rerun"}] * count + [
            {"type": "websocket.disconnect"}
        ]

        async def receive():
            return queue.pop(0)

        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        scope = {"type": "websocket", "path": "/_stcore/stream", "client": (peer, 1), "headers": headers}
        return throttle(scope, receive, None)

    async def both():
        start = time.perf_counter()
        await asyncio.gather(connection("127.0.0.1", "198.51.100.7", 9), connection("203.0.113.5", "", 3))
        return start

    start = asyncio.run(both())
    hostile = [t - start for peer, t in seen if peer == "127.0.0.1"]
    other = [t - start for peer, t in seen if peer == "203.0.113.5"]
    assert len(hostile) == 9 and len(other) == 3
    assert max(other) < 0.05  # within its own burst: not delayed by the other client
    assert hostile[2] < 0.05  # the burst of 3 passes at once
    assert hostile[-1] > 6 / 20 - 0.05  # then one message per 1/20 s
    assert all(b >= a for a, b in zip(hostile, hostile[1:], strict=False))


def test_http_requests_pass_untouched():
    calls = []

    async def streamlit(scope, receive, send):
        calls.append(scope["path"])

    throttle = WebsocketThrottle(streamlit, Budget(capacity_s=1e-9, refill_per_s=1e-9))
    for _ in range(5):
        asyncio.run(throttle({"type": "http", "path": "/_stcore/health", "headers": []}, None, None))
    assert calls == ["/_stcore/health"] * 5
