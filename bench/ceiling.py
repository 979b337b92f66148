"""The server behind the ``ceiling`` target: ``python -m bench.ceiling [python -m server options]``.

Why: over HTTP, boto3 and the loopback round trip cost most of a single-item call, and
how much is a question of this machine, not of the server. This is the emulator's own
HTTP server (:mod:`server.httpserver` and its HTTP/1.1 loop) with one change: inside a
timed phase, each kind of request after the first is answered with the bytes recorded
for the first (:class:`bench.targets.Recordings`), with no JSON decoding, signature
check or engine work. Its throughput through boto3 is therefore about the most any
server can offer a boto3 client here; a target's ratio to it shows how much room is
left, and whether a ratio to another server is reachable at all.

Phases are switched by two requests only this server knows (X-Amz-Target
:data:`REPLAY` and :data:`LIVE`); outside phases every request is answered by the
emulator, so tables, loads and checks work as with the ``http`` target.
"""

from __future__ import annotations

import http.client
import sys
from typing import Any, Sequence
from urllib.parse import urlsplit

REPLAY = "BenchCeiling.Replay"
LIVE = "BenchCeiling.Live"


def replaying_handle(live_handle: Any) -> Any:
    """A stand-in for :func:`server.protocol.handle` that records and replays."""
    from .targets import Recordings

    recordings = Recordings()
    switched = (200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}")

    def handle(regions: Any, target: str | None, body: bytes, headers: Any, query: str = "") -> Any:
        if target == REPLAY:
            recordings.start()
            return switched
        if target == LIVE:
            recordings.stop()
            return switched
        operation = (target or "").rpartition(".")[2]
        return recordings.answer(operation, body, lambda: live_handle(regions, target, body, headers, query))

    return handle


def control(url: str, target: str) -> None:
    """Switch the ceiling server at ``url`` to replaying (REPLAY) or live (LIVE)."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("POST", "/", body=b"{}", headers={"X-Amz-Target": target,
                                                              "Content-Type": "application/x-amz-json-1.0"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"the ceiling server answered {response.status} to {target}")
    finally:
        connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    """The emulator's command line (``python -m server``'s options), answering from
    recordings inside phases."""
    from server import cli, protocol

    # The HTTP loop (and the Flask fallback) look protocol.handle up per connection.
    protocol.handle = replaying_handle(protocol.handle)
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
