"""The in-process transport: boto3 clients answered by ``protocol.handle`` with no socket."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError

from emulator import ManualClock, api
from emulator.database import Regions
from server.httpserver import serve_in_background
from server.inprocess import ENDPOINT_URL, EmulatedSession, InProcessTransport, emulated

KEYS = {"KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"}
NO_RETRIES = Config(retries={"max_attempts": 0})


def test_emulated_client_round_trip():
    with emulated() as session:
        client = session.client("dynamodb")
        client.create_table(TableName="users", **KEYS)
        client.put_item(TableName="users", Item={"p": {"S": "u1"}, "n": {"N": "1.50"}})
        assert client.get_item(TableName="users", Key={"p": {"S": "u1"}})["Item"] == {
            "p": {"S": "u1"}, "n": {"N": "1.5"}}
        assert list(session.emulator.get("us-east-1").tables) == ["users"]


def test_emulated_resource_and_table_objects():
    with emulated() as session:
        resource = session.resource("dynamodb")
        table = resource.create_table(TableName="things", **KEYS)
        table.wait_until_exists()
        table.put_item(Item={"p": "a", "tags": {"x", "y"}})
        assert table.get_item(Key={"p": "a"})["Item"] == {"p": "a", "tags": {"x", "y"}}


def test_emulated_errors_reach_boto3_with_code_and_message():
    with emulated() as session:
        client = session.client("dynamodb", config=NO_RETRIES)
        with pytest.raises(client.exceptions.ResourceNotFoundException) as error:
            client.describe_table(TableName="missing")
        assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_emulated_internal_failure_is_internal_server_error(monkeypatch):
    def broken(db, request):
        raise RuntimeError("boom")

    monkeypatch.setitem(api.OPERATIONS, "ListTables", broken)
    with emulated() as session:
        client = session.client("dynamodb", config=NO_RETRIES)
        with pytest.raises(ClientError) as error:
            client.list_tables()
    assert error.value.response["Error"] == {"Code": "InternalServerError", "Message": "Internal server error"}
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_emulated_streams_client_reaches_the_streams_api():
    with emulated() as session:
        session.client().create_table(TableName="streamed", StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}, **KEYS)
        streams = session.client("dynamodbstreams")
        assert [stream["TableName"] for stream in streams.list_streams()["Streams"]] == ["streamed"]


def test_emulated_regions_have_their_own_tables():
    with emulated(region_name="eu-west-1") as session:
        session.client().create_table(TableName="local", **KEYS)
        assert session.client(region_name="us-west-2").list_tables()["TableNames"] == []
        assert session.client().list_tables()["TableNames"] == ["local"]
        assert session.region_name == "eu-west-1"


def test_emulated_session_shares_a_given_emulator():
    regions = Regions()
    with emulated(regions) as first, emulated(regions) as second:
        first.client().create_table(TableName="shared", **KEYS)
        assert second.client().list_tables()["TableNames"] == ["shared"]
    assert EmulatedSession(regions).emulator is regions


def test_emulated_patch_boto3_routes_default_clients_and_restores():
    saved = boto3.DEFAULT_SESSION
    with emulated(patch_boto3=True) as session:
        session.client().create_table(TableName="patched", **KEYS)
        assert boto3.client("dynamodb").list_tables()["TableNames"] == ["patched"]
        assert boto3.resource("dynamodb").Table("patched").table_status == "ACTIVE"
    assert boto3.DEFAULT_SESSION is saved


def test_attach_routes_an_existing_client_and_resource():
    regions = Regions()
    transport = InProcessTransport(regions)
    client = boto3.client("dynamodb", endpoint_url=ENDPOINT_URL, region_name="us-east-1",
                          aws_access_key_id="k", aws_secret_access_key="s")
    assert transport.attach(client) is client
    client.create_table(TableName="attached", **KEYS)
    resource = boto3.resource("dynamodb", endpoint_url=ENDPOINT_URL, region_name="us-east-1",
                              aws_access_key_id="k", aws_secret_access_key="s")
    transport.attach(resource)
    assert [table.name for table in resource.tables.all()] == ["attached"]


def test_client_without_the_hook_never_reaches_a_real_service():
    client = boto3.client("dynamodb", endpoint_url=ENDPOINT_URL, region_name="us-east-1",
                          aws_access_key_id="k", aws_secret_access_key="s", config=NO_RETRIES)
    with pytest.raises(EndpointConnectionError):
        client.list_tables()


def _sequence(client):
    """A mix of successes and errors; yields nothing, the hook records the bodies."""
    client.create_table(TableName="same", **KEYS)
    client.put_item(TableName="same", Item={"p": {"S": "k"}, "v": {"L": [{"N": "1"}, {"S": "é"}]}})
    client.get_item(TableName="same", Key={"p": {"S": "k"}})
    client.describe_table(TableName="same")
    for bad in ({"TableName": "nope", "Key": {"p": {"S": "k"}}}, {"TableName": "same", "Key": {"q": {"S": "k"}}}):
        with pytest.raises(ClientError):
            client.get_item(**bad)


def _recorded_bodies(client):
    bodies = []

    def record(response=None, **kwargs):
        # needs-retry sees every answer (before-parse is newer than the botocore this
        # package supports). TableId is a random UUID per table: the one part two
        # emulators cannot share.
        if response is not None:
            http_response = response[0]
            body = re.sub(rb'"TableId":"[0-9a-f-]+"', b'"TableId":"-"', http_response.content)
            bodies.append((http_response.status_code, body))

    client.meta.events.register("needs-retry.dynamodb", record)
    _sequence(client)
    return bodies


def test_inprocess_and_http_answer_byte_for_byte_the_same():
    start = 1_700_000_000
    local = EmulatedSession(Regions(clock=ManualClock(start))).client(config=NO_RETRIES)
    server, thread = serve_in_background(Regions(clock=ManualClock(start)))
    try:
        remote = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{server.server_port}",
                              region_name="us-east-1", aws_access_key_id="emulator",
                              aws_secret_access_key="emulator", config=NO_RETRIES)
        over_http = _recorded_bodies(remote)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    in_process = _recorded_bodies(local)
    assert len(in_process) == 6
    assert in_process == over_http


# ---------------------------------------------------------------- signing


def _sent_headers(client, call):
    """The headers of the request ``call(client)`` sends, as the transport receives them."""
    seen = []
    client.meta.events.register("before-send", lambda request, **kwargs: seen.append(dict(request.headers)))
    call(client)
    return {name: value.decode() if isinstance(value, bytes) else value for name, value in seen[-1].items()}


def _signed_by_botocore(call, **credentials):
    """The headers botocore's own SigV4 gives the same request (answered by a stand-in)."""
    from botocore.awsrequest import AWSResponse

    class Body:
        def stream(self, **kwargs):
            return iter((b"{}",))

    client = boto3.client("dynamodb", endpoint_url=ENDPOINT_URL, region_name="eu-west-1", **credentials)
    client.meta.events.register("before-send", lambda request, **kwargs: AWSResponse(request.url, 200, {}, Body()))
    return _sent_headers(client, call)


@pytest.mark.parametrize("token", [None, "session-token"])
def test_inprocess_requests_carry_sigv4_headers_with_a_placeholder_signature(token):
    """Only the signature's value differs from what botocore's SigV4Auth writes: the
    credential scope (which the region is read from), the signed-header list, X-Amz-Date
    and the session token are its own."""
    credentials = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret",
                   "aws_session_token": token}
    session = boto3.session.Session(region_name="eu-west-1", **credentials)
    InProcessTransport(Regions()).register(session.events)

    def call(client):
        client.list_tables()

    ours = _sent_headers(session.client("dynamodb", endpoint_url=ENDPOINT_URL), call)
    botocores = _signed_by_botocore(call, **credentials)
    head, _, signature = ours["Authorization"].partition(", Signature=")
    assert signature == "0" * 64
    assert head == botocores["Authorization"].partition(", Signature=")[0]
    assert head.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;" in head
    assert re.fullmatch(r"\d{8}T\d{6}Z", ours["X-Amz-Date"])
    assert ours.get("X-Amz-Security-Token") == botocores.get("X-Amz-Security-Token") == token
    assert ("x-amz-security-token" in head) == (token is not None)


def test_inprocess_signing_still_needs_credentials():
    """As SigV4 does, a client without credentials fails before sending anything."""
    import botocore.session
    from botocore.exceptions import NoCredentialsError

    core = botocore.session.Session()
    core.get_credentials = lambda: None
    client = core.create_client("dynamodb", region_name="us-east-1", endpoint_url=ENDPOINT_URL, config=NO_RETRIES)
    InProcessTransport(Regions()).attach(client)
    with pytest.raises(NoCredentialsError):
        client.list_tables()


def test_an_unsigned_client_stays_unsigned_and_is_refused():
    """A client configured not to sign is not signed for it: DynamoDB's refusal of a
    request without authentication, as over HTTP."""
    from botocore import UNSIGNED

    with emulated() as session:
        client = session.client("dynamodb", config=Config(signature_version=UNSIGNED, retries={"max_attempts": 0}))
        with pytest.raises(ClientError) as raised:
            client.list_tables()
    assert raised.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert raised.value.response["Error"]["Message"] == "Request is missing Authentication Token"


def test_streams_clients_sign_with_the_placeholder_too():
    with emulated() as session:
        headers = _sent_headers(session.client("dynamodbstreams"), lambda c: c.list_streams())
    assert "/us-east-1/dynamodb/aws4_request, SignedHeaders=" in headers["Authorization"]
    assert headers["Authorization"].endswith("Signature=" + "0" * 64)


def test_attached_clients_sign_with_the_placeholder_too():
    client = boto3.client("dynamodb", endpoint_url=ENDPOINT_URL, region_name="us-east-1",
                          aws_access_key_id="k", aws_secret_access_key="s")
    InProcessTransport(Regions()).attach(client)
    headers = _sent_headers(client, lambda c: c.list_tables())
    assert headers["Authorization"].endswith("Signature=" + "0" * 64)
