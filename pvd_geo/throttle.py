"""Messages a reader's browser may send to the server, per client address: past a burst, each
message waits its turn before Streamlit reads it.

Every page run starts with a message on Streamlit's websocket (``/_stcore/stream``: a click, a
link, a widget changed). A client sending reruns in a loop would make the server run pages for it
as fast as it sends them — at 15 a second, a quarter of a core even when every run is refused.
:class:`WebsocketThrottle` is an ASGI middleware given to ``st.App`` (:mod:`pvd_geo.ui.server`):
it counts the messages of each client address (:data:`MESSAGES`: a burst of ``PVD_RAFALE_VUES``,
30, then ``PVD_VUES_PAR_S``, 0.25 per second: one every 4 s) and, past them, makes the connection
wait before its next message is handed to Streamlit. Nothing is dropped, nothing is computed
meanwhile: a reader who clicks faster than that only waits; the server's work for a client in a
loop is bounded by the rate, not by the client. (Page runs are counted again at the top of each page,
:func:`pvd_geo.ui.state.admit_run`, with a larger burst, for servers started without this entry.)
"""

from __future__ import annotations

import asyncio

from .budget import Budget, pace_from_env
from .uploads import scope_client

MESSAGES = pace_from_env()


class WebsocketThrottle:
    """ASGI middleware: the messages of Streamlit's websocket, per client address, at the rate of
    ``budget`` (one each); every other request passes untouched."""

    def __init__(self, app, budget: Budget | None = None):
        self.app = app
        self.budget = budget or MESSAGES

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket" or not scope.get("path", "").endswith("/_stcore/stream"):
            await self.app(scope, receive, send)
            return
        client, _ = scope_client(scope)

        async def paced():
            message = await receive()
            if message["type"] == "websocket.receive":
                wait = self.budget.wait_s(client, need=1)
                while wait > 0:
                    await asyncio.sleep(min(wait, 5.0))
                    wait = self.budget.wait_s(client, need=1)
                self.budget.charge(client, 1)
            return message

        await self.app(scope, paced, send)
