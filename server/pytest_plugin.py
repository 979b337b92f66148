"""pytest fixtures for testing code against the emulator (registered via ``pytest11``).

- ``dynamodb_emulator``: the engine (an :class:`emulator.Regions`), one per test session.
- ``dynamodb`` / ``dynamodb_resource`` / ``dynamodb_streams``: boto3 client, resource
  and DynamoDB Streams client talking to it.
- ``dynamodb_endpoint``: URL of an emulator HTTP server on a free loopback port, started
  (in a background thread) the first time a test asks for it.

Every test starts with no tables: the engine is emptied before each test that uses
any of these fixtures.

Transport: by default the clients are answered in process (:mod:`server.inprocess`,
no socket); ``--dynamodb-transport=http`` or the ini option ``dynamodb_transport = http``
sends their requests through the HTTP server instead. Both run the same protocol code.

This module is imported by every pytest run once the package is installed, so it imports
nothing beyond pytest until a fixture is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from emulator.database import Regions

TRANSPORTS = ("inprocess", "http")
REGION = "us-east-1"
_CREDENTIALS = {"region_name": REGION, "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
# Where the session's engine is kept on the pytest Config (a plain attribute rather than
# config.stash, so that merely having the package installed cannot break an old pytest).
_EMULATOR_ATTRIBUTE = "_dynamodb_emulator_regions"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dynamodb-emulator")
    group.addoption(
        "--dynamodb-transport", choices=TRANSPORTS, default=None,
        help="how the dynamodb/dynamodb_resource fixtures reach the emulator: 'inprocess' "
             "(default, no socket) or 'http' (through the emulator's HTTP server)",
    )
    parser.addini("dynamodb_transport", default="inprocess",
                  help="default for --dynamodb-transport: inprocess or http")


def _transport(config: pytest.Config) -> str:
    transport = config.getoption("--dynamodb-transport") or config.getini("dynamodb_transport") or "inprocess"
    transport = str(transport).strip().lower()
    if transport not in TRANSPORTS:
        raise pytest.UsageError(f"dynamodb_transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
    return transport


def pytest_configure(config: pytest.Config) -> None:
    _transport(config)  # a bad ini value is a usage error up front, not an error per test


@pytest.fixture(scope="session")
def _dynamodb_emulator_session(pytestconfig: pytest.Config) -> Regions:
    from emulator.database import Regions
    from emulator.ttl import start_sweeper

    regions = Regions()
    start_sweeper(regions)  # expired TTL items go as on a server (tests can call emulator.ttl.sweep)
    setattr(pytestconfig, _EMULATOR_ATTRIBUTE, regions)
    return regions


@pytest.fixture(autouse=True)
def _dynamodb_emulator_reset(request: pytest.FixtureRequest) -> None:
    """Empty the emulator before each test, if this session has started one."""
    regions = getattr(request.config, _EMULATOR_ATTRIBUTE, None)
    if regions is not None:
        regions.reset()
        # The items the last test read are gone from the tables; their kept JSON texts
        # (server.stored_json) would keep them in memory until pushed out.
        from .stored_json import ANSWERS

        ANSWERS.drop_all()


@pytest.fixture
def dynamodb_emulator(_dynamodb_emulator_session: Regions) -> Regions:
    """The emulator's engine (all regions), empty at the start of the test."""
    return _dynamodb_emulator_session


@pytest.fixture(scope="session")
def dynamodb_endpoint(_dynamodb_emulator_session: Regions) -> Iterator[str]:
    """The URL of an emulator HTTP server (one per session, on a free loopback port)."""
    from .httpserver import serve_in_background

    server, thread = serve_in_background(_dynamodb_emulator_session)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def _dynamodb_session(request: pytest.FixtureRequest, _dynamodb_emulator_session: Regions) -> Any:
    """Makes the session's clients: in process, or against ``dynamodb_endpoint``."""
    if _transport(request.config) == "http":
        import boto3

        endpoint = request.getfixturevalue("dynamodb_endpoint")
        return _HttpSession(boto3.session.Session(**_CREDENTIALS), endpoint)
    from .inprocess import EmulatedSession

    return EmulatedSession(_dynamodb_emulator_session, region_name=REGION)


class _HttpSession:
    """The HTTP twin of :class:`server.inprocess.EmulatedSession`."""

    def __init__(self, session: Any, endpoint_url: str) -> None:
        from .client_events import share_alias_cache

        self.boto3_session = session
        self.endpoint_url = endpoint_url
        share_alias_cache(session.events)

    def client(self, service_name: str = "dynamodb", **kwargs: Any) -> Any:
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return self.boto3_session.client(service_name, **kwargs)

    def resource(self, service_name: str = "dynamodb", **kwargs: Any) -> Any:
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return self.boto3_session.resource(service_name, **kwargs)


@pytest.fixture
def dynamodb(_dynamodb_session: Any, dynamodb_emulator: Regions) -> Any:
    """A boto3 DynamoDB client talking to the emulator (region us-east-1)."""
    return _dynamodb_session.client("dynamodb")


@pytest.fixture
def dynamodb_resource(_dynamodb_session: Any, dynamodb_emulator: Regions) -> Any:
    """A boto3 DynamoDB service resource talking to the emulator (region us-east-1)."""
    return _dynamodb_session.resource("dynamodb")


@pytest.fixture
def dynamodb_streams(_dynamodb_session: Any, dynamodb_emulator: Regions) -> Any:
    """A boto3 DynamoDB Streams client talking to the emulator (region us-east-1)."""
    return _dynamodb_session.client("dynamodbstreams")
