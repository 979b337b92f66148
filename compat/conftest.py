# Black-box compatibility tests: everything here talks to an endpoint through boto3 only,
# so the very same tests run against real DynamoDB.
#
#   pytest compat                              # starts the emulator on a free loopback port
#   pytest compat --endpoint-url URL           # any DynamoDB-compatible endpoint
#   pytest compat --aws                        # real DynamoDB (your AWS credentials and region)
#
# Shared tables are created once per session and named by key schema (table_s: string
# hash key; table_sn: string hash + number range key; ...). Tests keep out of each other's
# way with random keys (util.random_string), which is what keeps a run on AWS affordable.
# A test that needs an unusual schema uses util.new_table(...).

import threading

import boto3
import pytest
from botocore.config import Config

from util import random_string, schema_table


def pytest_addoption(parser):
    parser.addoption("--endpoint-url", action="store", default=None,
                     help="run the compat tests against this DynamoDB-compatible endpoint")
    parser.addoption("--aws", action="store_true", default=False,
                     help="run the compat tests against real DynamoDB (AWS credentials from the environment)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "known_difference(reason, issue): xfail against the emulator, where it knowingly differs")


@pytest.fixture(scope="session")
def is_emulator(request):
    return not request.config.getoption("--aws") and not request.config.getoption("--endpoint-url")


def pytest_collection_modifyitems(config, items):
    against_emulator = not config.getoption("--aws") and not config.getoption("--endpoint-url")
    for item in items:
        marker = item.get_closest_marker("known_difference")
        if marker is not None and against_emulator:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "known difference")
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(scope="session")
def endpoint_url(request):
    if request.config.getoption("--aws"):
        yield None
        return
    url = request.config.getoption("--endpoint-url")
    if url:
        yield url
        return
    from emulator.database import Regions
    from server.cli import serve_in_background

    server, thread = serve_in_background(Regions())
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def _client_kwargs(request, endpoint_url):
    kwargs = {"config": Config(retries={"max_attempts": 0}, connect_timeout=5, read_timeout=60)}
    if not request.config.getoption("--aws"):
        kwargs.update(endpoint_url=endpoint_url, region_name="us-east-1",
                      aws_access_key_id="compat", aws_secret_access_key="compat")
    return kwargs


@pytest.fixture(scope="session")
def dynamodb(request, endpoint_url):
    """A boto3 DynamoDB resource; its ``meta.client`` is the low-level client."""
    return boto3.resource("dynamodb", **_client_kwargs(request, endpoint_url))


@pytest.fixture(scope="session")
def client(dynamodb):
    return dynamodb.meta.client


@pytest.fixture(scope="session")
def unchecked_client(request, endpoint_url):
    """A low-level client with botocore's own parameter validation off, so requests that
    only DynamoDB itself refuses (a missing TableName, an empty name, a tag without a
    value, ...) reach the endpoint."""
    kwargs = _client_kwargs(request, endpoint_url)
    kwargs["config"] = kwargs["config"].merge(Config(parameter_validation=False))
    return boto3.client("dynamodb", **kwargs)


@pytest.fixture(scope="session")
def streams_client(request, endpoint_url):
    return boto3.client("dynamodbstreams", **_client_kwargs(request, endpoint_url))


@pytest.fixture(scope="session")
def unchecked_streams_client(request, endpoint_url):
    """A DynamoDB Streams client with botocore's parameter validation off (see unchecked_client)."""
    kwargs = _client_kwargs(request, endpoint_url)
    kwargs["config"] = kwargs["config"].merge(Config(parameter_validation=False))
    return boto3.client("dynamodbstreams", **kwargs)


def _shared_table(dynamodb, **keys):
    table = schema_table(dynamodb, **keys)
    yield table
    table.delete()


@pytest.fixture(scope="session")
def table_s(dynamodb):
    yield from _shared_table(dynamodb, p="S")


@pytest.fixture(scope="session")
def table_n(dynamodb):
    yield from _shared_table(dynamodb, p="N")


@pytest.fixture(scope="session")
def table_b(dynamodb):
    yield from _shared_table(dynamodb, p="B")


@pytest.fixture(scope="session")
def table_ss(dynamodb):
    yield from _shared_table(dynamodb, p="S", c="S")


@pytest.fixture(scope="session")
def table_sn(dynamodb):
    yield from _shared_table(dynamodb, p="S", c="N")


@pytest.fixture(scope="session")
def table_sb(dynamodb):
    yield from _shared_table(dynamodb, p="S", c="B")


@pytest.fixture(scope="session")
def table_nn(dynamodb):
    yield from _shared_table(dynamodb, p="N", c="N")
