"""The pytest plugin, exercised the way users meet it: a test file run by ``pytester``.

The plugin is registered through the ``pytest11`` entry point, so the inner runs below
get it with no conftest, exactly as an installed package would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

INNER_TESTS = '''
import threading
import urllib.request

import boto3

from server import stored_json, wire_json

EXPECTED = "{transport}"
#: Servers of the outer session (compat/'s, when it ran first), not this one's.
OUTER_SERVERS = {outer_servers}


def test_client_uses_the_chosen_transport(dynamodb):
    server_threads = [t for t in threading.enumerate()
                      if t.name == "dynamodb-emulator" and t.ident not in OUTER_SERVERS]
    if EXPECTED == "http":
        assert dynamodb.meta.endpoint_url.startswith("http://127.0.0.1:")
        assert server_threads
    else:
        assert dynamodb.meta.endpoint_url == "http://dynamodb-emulator.invalid"
        assert not server_threads
    dynamodb.create_table(
        TableName="first", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{{"AttributeName": "id", "KeyType": "HASH"}}],
        AttributeDefinitions=[{{"AttributeName": "id", "AttributeType": "S"}}],
    )
    assert dynamodb.list_tables()["TableNames"] == ["first"]


def test_next_test_starts_empty_resource_and_engine_agree(dynamodb_resource, dynamodb_emulator):
    assert list(dynamodb_resource.tables.all()) == []
    table = dynamodb_resource.create_table(
        TableName="second", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{{"AttributeName": "id", "KeyType": "HASH"}}],
        AttributeDefinitions=[{{"AttributeName": "id", "AttributeType": "S"}}],
    )
    table.put_item(Item={{"id": "a", "n": 3}})
    assert table.get_item(Key={{"id": "a"}})["Item"]["n"] == 3
    assert list(dynamodb_emulator.get("us-east-1").tables) == ["second"]
    assert table.scan()["Items"][0]["n"] == 3  # the item's JSON text is kept (with orjson)
    assert stored_json.ANSWERS.held > 0 or not wire_json.ACCELERATED


def test_endpoint_serves_http_and_also_starts_empty(dynamodb_endpoint):
    assert stored_json.ANSWERS.held == 0  # the texts of the last test's items were dropped
    with urllib.request.urlopen(dynamodb_endpoint + "/") as response:
        assert response.status == 200
    client = boto3.client("dynamodb", endpoint_url=dynamodb_endpoint, region_name="us-east-1",
                          aws_access_key_id="x", aws_secret_access_key="x")
    assert client.list_tables()["TableNames"] == []


def test_streams_client(dynamodb, dynamodb_streams):
    dynamodb.create_table(
        TableName="streamed", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{{"AttributeName": "id", "KeyType": "HASH"}}],
        AttributeDefinitions=[{{"AttributeName": "id", "AttributeType": "S"}}],
        StreamSpecification={{"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}},
    )
    streams = dynamodb_streams.list_streams()["Streams"]
    assert [stream["TableName"] for stream in streams] == ["streamed"]
'''


def _run(pytester: pytest.Pytester, transport: str, *args: str, ini: str | None = None):
    outer_servers = {thread.ident for thread in threading.enumerate() if thread.name == "dynamodb-emulator"}
    pytester.makepyfile(test_inner=INNER_TESTS.format(transport=transport, outer_servers=outer_servers or "set()"))
    if ini is not None:
        pytester.makeini(f"[pytest]\ndynamodb_transport = {ini}\n")
    return pytester.runpytest("-p", "no:cacheprovider", *args)


@pytest.mark.parametrize("args, ini, transport", [
    ((), None, "inprocess"),
    (("--dynamodb-transport=http",), None, "http"),
    (("--dynamodb-transport", "inprocess"), None, "inprocess"),
    ((), "http", "http"),
    (("--dynamodb-transport=inprocess",), "http", "inprocess"),
])
def test_plugin_fixtures_with_each_transport(pytester, args, ini, transport):
    result = _run(pytester, transport, *args, ini=ini)
    result.assert_outcomes(passed=4)


def test_plugin_rejects_an_unknown_transport_in_ini(pytester):
    result = _run(pytester, "inprocess", ini="carrier-pigeon")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*dynamodb_transport must be one of inprocess, http*"])


def test_plugin_rejects_an_unknown_transport_option(pytester):
    result = _run(pytester, "inprocess", "--dynamodb-transport=smoke")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def _readme_example() -> str:
    section = README.read_text().split("<!-- fixtures:start -->")[1].split("<!-- fixtures:end -->")[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    tests = [block for block in blocks if "def test_" in block]
    assert tests, "the README's pytest fixtures section has no example test"
    return "\n\n".join(tests)


@pytest.mark.parametrize("transport", ["inprocess", "http"])
def test_readme_example_passes(pytester, transport):
    pytester.makepyfile(test_readme=_readme_example())
    result = pytester.runpytest("-p", "no:cacheprovider", f"--dynamodb-transport={transport}")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 1 and set(outcomes) <= {"passed"}, result.stdout.str()


def test_plugin_module_imports_nothing_heavy():
    # A pytest session that does not use the fixtures must not pay for boto3 or the engine.
    code = ("import json, sys, server.pytest_plugin; "
            "print(json.dumps(sorted(m for m in ('boto3', 'botocore', 'emulator', 'flask', 'werkzeug') "
            "if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


SHARED_CLIENT_TESTS = '''

def test_first(ddb):
    ddb.create_table(TableName="users", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="users", Item={"id": {"S": "1"}})


def test_second_starts_empty_with_the_same_client(ddb, shared_client):
    assert ddb is shared_client
    assert ddb.list_tables()["TableNames"] == []
'''


def test_readme_shared_client_example_passes(pytester):
    """The Speed section's session-wide client: one client, and every test still starts
    with no tables."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    (fixtures,) = [block for block in blocks if "def shared_client" in block]
    pytester.makepyfile(test_shared=fixtures + SHARED_CLIENT_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
