"""Who answers the benchmark's boto3 clients.

Every target hands out boto3 DynamoDB clients configured alike (one attempt, no retries,
parameter validation on), so the only difference between targets is what answers:

- ``inprocess``: the emulator in this process, through :mod:`server.inprocess` (no socket);
- ``floor``: no emulator work at all. A ``before-send`` handler replays a recorded answer:
  outside timed phases every request goes to a shadow in-process emulator (so tables and
  data exist and the answers are real); inside a phase the first request of each kind is
  answered by the shadow and recorded, and later ones get the recording back (Query and
  Scan pages are told apart by their ExclusiveStartKey). boto3 then parses the same bytes
  it would get from the emulator: the floor is pure client cost, below which no emulator
  can go for a boto3 user;
- ``http``: the emulator's own HTTP server, started in a subprocess on a free port;
- ``ceiling``: the floor's counterpart over HTTP (:mod:`bench.ceiling`): the emulator's
  HTTP server, but inside a phase each kind of request after the first gets the first
  one's recorded answer, with no JSON decoding and no engine work. What remains is
  boto3, the loopback round trip and the server's HTTP loop: a bound on what any server
  can reach through boto3 on the machine;
- ``NAME=URL``: any DynamoDB endpoint already running (moto, dynalite, DynamoDB Local);
- ``NAME=run:COMMAND``: a server started for the run; ``{port}`` in COMMAND is replaced by
  a free port, e.g. ``moto=run:/work/benchenv/bin/moto_server -p {port}``.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from typing import Any, Callable

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

REGION = "us-east-1"
CLIENT_CONFIG = Config(region_name=REGION, retries={"mode": "standard", "total_max_attempts": 1},
                       parameter_validation=True, max_pool_connections=16)
_CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Target:
    """Makes clients for one endpoint; ``phase()``/``end_phase()`` bracket timed phases."""

    kind = "url"
    #: Whether timed calls are answered from recordings (the floor, the ceiling): then
    #: nothing a timed call writes is stored, and workloads check nothing of it.
    replays = False

    def __init__(self, name: str, url: str | None = None) -> None:
        self.name = name
        self.url = url

    def client(self) -> Any:
        return boto3.session.Session().client(
            "dynamodb", endpoint_url=self.url, region_name=REGION, config=CLIENT_CONFIG, **_CREDENTIALS)

    def describe(self) -> str:
        return self.url or self.kind

    def phase(self) -> None:
        """A timed phase starts (the floor starts replaying)."""

    def end_phase(self) -> None:
        """The timed phase is over."""

    def close(self) -> None:
        """Release what the target holds (a server process, an engine)."""

    # Table life cycle, tolerant of endpoints whose tables start CREATING.

    def create_table(self, client: Any, prefix: str, gsi: bool = False) -> str:
        from .data import create_table_request

        name = f"bench-{prefix}-{uuid.uuid4().hex[:8]}"
        client.create_table(**create_table_request(name, gsi))
        deadline = time.monotonic() + 120
        while True:
            table = client.describe_table(TableName=name)["Table"]
            indexes = table.get("GlobalSecondaryIndexes") or []
            if table["TableStatus"] == "ACTIVE" and all(i.get("IndexStatus") == "ACTIVE" for i in indexes):
                return name
            if time.monotonic() > deadline:
                raise RuntimeError(f"table {name} is not ACTIVE after 120 s")
            time.sleep(0.05)

    def delete_table(self, client: Any, name: str) -> None:
        try:
            client.delete_table(TableName=name)
        except client.exceptions.ResourceNotFoundException:
            pass


class InProcessTarget(Target):
    kind = "inprocess"

    def __init__(self, name: str = "inprocess") -> None:
        from server.inprocess import EmulatedSession

        super().__init__(name)
        self.session = EmulatedSession(region_name=REGION)

    def client(self) -> Any:
        return self.session.client("dynamodb", config=CLIENT_CONFIG)

    def close(self) -> None:
        self.session.emulator.reset()


class _Body:
    """The ``raw`` of an AWSResponse (botocore only calls ``stream()``)."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **kwargs: Any) -> Any:
        return iter((self.body,))


class Recordings:
    """Answers recorded during a timed phase, replayed to later requests of their kind.

    A request's kind is its operation, and for Query and Scan also where the page starts
    (its ExclusiveStartKey, read off the raw body), so every page of a paged read gets
    its own page back. Shared by the floor (in process) and the ceiling (over HTTP).
    """

    def __init__(self) -> None:
        self.replaying = False
        self._answers: dict[tuple[str, bytes], Any] = {}

    @staticmethod
    def kind(operation: str, body: bytes) -> tuple[str, bytes]:
        start = b""
        if operation in ("Query", "Scan"):
            at = body.find(b'"ExclusiveStartKey"')
            if at >= 0:
                start = body[at:]
        return operation, start

    def answer(self, operation: str, body: bytes, live: Callable[[], Any]) -> Any:
        """The recorded answer for this kind of request, else ``live()``'s (recorded
        when replaying)."""
        if not self.replaying:
            return live()
        kind = self.kind(operation, body)
        answer = self._answers.get(kind)
        if answer is None:
            answer = self._answers[kind] = live()
        return answer

    def start(self) -> None:
        self._answers.clear()
        self.replaying = True

    def stop(self) -> None:
        self.replaying = False
        self._answers.clear()


class FloorTarget(Target):
    kind = "floor"
    replays = True

    def __init__(self, name: str = "floor") -> None:
        from emulator.database import Regions
        from server.inprocess import ENDPOINT_URL, InProcessTransport

        super().__init__(name, ENDPOINT_URL)
        self.shadow = InProcessTransport(Regions())
        self.recordings = Recordings()

    def describe(self) -> str:
        return "boto3 with recorded answers (no emulator work)"

    def client(self) -> Any:
        client = super().client()
        client.meta.events.register("before-send.dynamodb", self._answer)
        return client

    def _answer(self, request: Any, event_name: str, **kwargs: Any) -> AWSResponse:
        body = request.body if isinstance(request.body, bytes) else str(request.body).encode()

        def live() -> tuple[int, Any, bytes]:
            response = self.shadow(request)
            return response.status_code, response.headers, response.content

        status, headers, content = self.recordings.answer(event_name.rpartition(".")[2], body, live)
        return AWSResponse(request.url, status, headers, _Body(content))

    def phase(self) -> None:
        self.recordings.start()

    def end_phase(self) -> None:
        self.recordings.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60.0) -> float:
    """Seconds until ``port`` accepts a connection (raises if the process dies first)."""
    start = time.perf_counter()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return time.perf_counter() - start
        except OSError:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"nothing listens on port {port} after {timeout} s") from None
            time.sleep(0.01)


class ServerTarget(Target):
    """A server process started for the run and stopped by ``close()``."""

    kind = "server"

    def __init__(self, name: str, command: list[str], cwd: str | None = None) -> None:
        port = free_port()
        self.command = [part.replace("{port}", str(port)) for part in command]
        super().__init__(name, f"http://127.0.0.1:{port}")
        # Its own process group, so that close() also stops what a launcher (npx) started.
        self.process = subprocess.Popen(self.command, cwd=cwd, stdin=subprocess.DEVNULL, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, self.process)
        except Exception:
            self.close()
            raise

    def describe(self) -> str:
        return " ".join(self.command)

    def close(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class CeilingTarget(ServerTarget):
    """The emulator's HTTP server with timed calls answered from recordings
    (:mod:`bench.ceiling`): what boto3 and the HTTP round trip cost with next to no
    server work, so no server can be much faster through boto3 on this machine."""

    kind = "ceiling"
    replays = True

    def __init__(self, name: str = "ceiling") -> None:
        super().__init__(name, [sys.executable, "-m", "bench.ceiling", *SERVER_OPTIONS], cwd=REPO)

    def describe(self) -> str:
        return "the emulator's HTTP server replaying recorded answers (no JSON, no engine)"

    def _control(self, target: str) -> None:
        from .ceiling import control

        assert self.url is not None
        control(self.url, target)

    def phase(self) -> None:
        from .ceiling import REPLAY

        self._control(REPLAY)

    def end_phase(self) -> None:
        from .ceiling import LIVE

        self._control(LIVE)


#: The emulator server's options for the bench: ``{port}``, no TTL sweeper.
SERVER_OPTIONS = ("--port", "{port}", "--ttl-sweep-interval", "0")


def emulator_server_command() -> list[str]:
    """The emulator's own server (``python -m server``) as the bench runs it."""
    return [sys.executable, "-m", "server", *SERVER_OPTIONS]


def parse_target(spec: str) -> Target:
    """``inprocess`` | ``floor`` | ``http`` | ``ceiling`` | ``NAME=URL`` | ``NAME=run:COMMAND`` (also
    ``NAME=inprocess`` etc. to rename a built-in one)."""
    name, _, value = spec.partition("=")
    if not value:
        value = name
    if value == "inprocess":
        return InProcessTarget(name)
    if value == "floor":
        return FloorTarget(name)
    if value == "ceiling":
        return CeilingTarget(name)
    if value == "http":
        return ServerTarget(name, emulator_server_command(), cwd=REPO)
    if value.startswith("run:"):
        return ServerTarget(name, shlex.split(value[4:]))
    if value.startswith(("http://", "https://")):
        return Target(name, value)
    raise ValueError(f"bad target {spec!r}: use inprocess, floor, http, ceiling, NAME=URL or NAME=run:COMMAND")
