"""pytest fixtures for testing code against the emulator (registered via ``pytest11``).

- ``dynamodb_emulator``: the engine (a :class:`emulator.Regions`), emptied before each test.
- ``dynamodb_endpoint``: URL of an emulator HTTP server started once per session.
- ``dynamodb`` / ``dynamodb_resource``: boto3 client and resource talking to it.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from emulator.database import Regions

CREDENTIALS = {"region_name": "us-east-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def _dynamodb_emulator_session() -> Regions:
    return Regions()


@pytest.fixture(scope="session")
def dynamodb_endpoint(_dynamodb_emulator_session: Regions) -> Iterator[str]:
    from .cli import serve_in_background

    server, thread = serve_in_background(_dynamodb_emulator_session)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def dynamodb_emulator(_dynamodb_emulator_session: Regions) -> Regions:
    _dynamodb_emulator_session.reset()
    return _dynamodb_emulator_session


@pytest.fixture
def dynamodb(dynamodb_endpoint: str, dynamodb_emulator: Regions) -> Any:
    import boto3

    return boto3.client("dynamodb", endpoint_url=dynamodb_endpoint, **CREDENTIALS)


@pytest.fixture
def dynamodb_resource(dynamodb_endpoint: str, dynamodb_emulator: Regions) -> Any:
    import boto3

    return boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint, **CREDENTIALS)
