"""The wire protocol through the Flask app (``create_app().test_client()``), no socket.

Expected bodies, CRCs and check order come from dynalite's test/connection.js, whose
assertions were recorded against DynamoDB: the bare ``{"__type": ...}`` bodies below have
exactly the CRC32 values DynamoDB sent for them.
"""

from __future__ import annotations

import json
import logging
import re
import zlib

import pytest

from emulator import api
from emulator.database import Regions
from server import protocol
from server.app import create_app

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/{region}/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"
)
REQUEST_ID = re.compile(r"^[0-9A-Z]{52}$")
SERIALIZATION = b'{"__type":"com.amazon.coral.service#SerializationException"}'
UNKNOWN_OPERATION = b'{"__type":"com.amazon.coral.service#UnknownOperationException"}'


@pytest.fixture
def regions():
    return Regions()


@pytest.fixture
def http(regions):
    return create_app(regions).test_client()


def signed(target="ListTables", region="us-east-1", content_type="application/x-amz-json-1.0", **extra):
    headers = {
        "Content-Type": content_type,
        "X-Amz-Date": "20240101T000000Z",
        "Authorization": AUTHORIZATION.format(region=region),
    }
    if target is not None:
        headers["X-Amz-Target"] = target if "." in target else f"DynamoDB_20120810.{target}"
    headers.update(extra)
    return headers


def body_of(response):
    return json.loads(response.data)


def post(http, body=b"{}", **headers):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http.post("/", data=data, headers=signed(**headers))


def test_success_carries_request_id_crc32_and_content_type(http):
    response = post(http)
    assert response.status_code == 200
    assert response.data == b'{"TableNames":[]}'
    assert response.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert REQUEST_ID.match(response.headers["x-amzn-RequestId"])
    assert response.headers["x-amz-crc32"] == str(zlib.crc32(response.data))


def test_request_ids_differ_between_requests(http):
    ids = {post(http).headers["x-amzn-RequestId"] for _ in range(5)}
    assert len(ids) == 5


def test_plain_json_content_type_is_echoed(http):
    response = post(http, content_type="application/json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"


def test_content_type_parameters_are_ignored(http):
    response = post(http, content_type="application/x-amz-json-1.0; charset=utf-8")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-amz-json-1.0"


@pytest.mark.parametrize("content_type", ["application/x-amz-json-1.1", "text/plain", "application/jsonasdf", ""])
def test_body_with_other_content_type_is_404(http, content_type):
    response = post(http, content_type=content_type)
    assert response.status_code == 404
    assert response.data == b"<UnknownOperationException/>\n"
    assert response.headers["x-amz-crc32"] == "3552371480"
    assert REQUEST_ID.match(response.headers["x-amzn-RequestId"])


@pytest.mark.parametrize("method", ["put", "delete", "patch", "options"])
def test_other_methods_are_404(http, method):
    response = getattr(http, method)("/", data=b"{}", headers=signed())
    assert response.status_code == 404
    assert response.data == b"<UnknownOperationException/>\n"


def test_cors_preflight_echoes_what_was_asked(http):
    response = http.options("/", headers={"Origin": "https://app.example", "Access-Control-Request-Headers": "a, b",
                                          "Access-Control-Request-Method": "POST"})
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Headers"] == "a, b"
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
    assert response.headers["Access-Control-Max-Age"] == "172800"
    assert REQUEST_ID.match(response.headers["x-amzn-RequestId"])


def test_cors_preflight_without_requested_headers(http):
    response = http.options("/", headers={"Origin": "https://app.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Headers" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_requests_with_an_origin_are_allowed_from_any_origin(http):
    assert post(http, Origin="https://app.example").headers["Access-Control-Allow-Origin"] == "*"
    assert post(http, target="Nope", Origin="x").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in post(http).headers


def test_other_paths_are_404(http):
    assert http.post("/tables", data=b"{}", headers=signed()).status_code == 404


def test_get_is_a_health_check(http):
    response = http.get("/")
    assert response.status_code == 200
    assert response.data == b"healthy: dynamodb.us-east-1.amazonaws.com "
    assert response.headers["x-amz-crc32"] == "3128867991"


def test_health_check_names_the_default_region():
    from emulator.config import Config

    response = create_app(Regions(Config(region="eu-west-2"))).test_client().get("/")
    assert response.data == b"healthy: dynamodb.eu-west-2.amazonaws.com "


@pytest.mark.parametrize("body", [b"hi", b"{", b'{"a":}', b"\xff\xfe", b'{"Limit": NaN}'])
def test_body_that_is_not_json_is_a_bare_serialization_exception(http, body):
    response = post(http, body)
    assert response.status_code == 400
    assert response.data == SERIALIZATION
    assert response.headers["x-amz-crc32"] == "3948637019"


def test_serialization_error_comes_before_the_target_check(http):
    response = post(http, b"hi", target="DynamoDB_20120810.Nope")
    assert response.data == SERIALIZATION


@pytest.mark.parametrize("target", [None, "", "whatever", "DynamoDB_20120810.ListTable", "DynamoDB_20120810.",
                                    "DynamoDB_20111205.ListTables", "dynamodb_20120810.ListTables",
                                    "DynamoDBStreams_20120810.ListTables"])
def test_unknown_target_is_a_bare_unknown_operation_exception(http, target):
    response = post(http, target=target)
    assert response.status_code == 400
    assert response.data == UNKNOWN_OPERATION
    assert response.headers["x-amz-crc32"] == "1368724161"


def test_unknown_operation_comes_before_authentication(http):
    response = http.post("/", data=b"{}", headers={"Content-Type": "application/x-amz-json-1.0",
                                                    "X-Amz-Target": "DynamoDB_20120810.Nope"})
    assert response.data == UNKNOWN_OPERATION


def test_missing_authorization(http):
    response = http.post("/", data=b"{}", headers={"Content-Type": "application/x-amz-json-1.0",
                                                    "X-Amz-Target": "DynamoDB_20120810.ListTables"})
    assert response.status_code == 400
    assert body_of(response) == {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                             "message": "Request is missing Authentication Token"}
    assert response.headers["x-amz-crc32"] == "2088342776"


def test_authorization_of_another_scheme_counts_as_missing(http):
    response = post(http, Authorization="Basic dXNlcjpwYXNz")
    assert body_of(response)["__type"] == "com.amazon.coral.service#MissingAuthenticationTokenException"


def test_incomplete_authorization_header_lists_every_missing_part(http):
    headers = signed(Authorization="AWS4-")
    del headers["X-Amz-Date"]
    response = http.post("/", data=b"{}", headers=headers)
    assert body_of(response) == {
        "__type": "com.amazon.coral.service#IncompleteSignatureException",
        "message": "Authorization header requires 'Credential' parameter. "
                   "Authorization header requires 'Signature' parameter. "
                   "Authorization header requires 'SignedHeaders' parameter. "
                   "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                   "Authorization=AWS4-",
    }


def test_authorization_header_without_signed_headers(http):
    response = post(http, Authorization="AWS4- Signature=b, Credential=a", Date="a")
    assert body_of(response)["message"] == ("Authorization header requires 'SignedHeaders' parameter. "
                                        "Authorization=AWS4- Signature=b, Credential=a")


def test_a_header_accepted_before_is_still_checked_for_its_date_and_its_region(http, regions):
    """Accepted Authorization headers are remembered without their signature (SDKs sign
    every request alike but for it); a repeat must still carry a date header and lands in
    the region of its credential scope."""
    head = ("AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-3/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=")
    post(http, {"TableName": "remembered", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]},
         target="CreateTable", Authorization=head + "0a1b2c")
    again = post(http, Authorization=head + "ffee99")
    assert body_of(again) == {"TableNames": ["remembered"]}
    assert body_of(post(http)) == {"TableNames": []}  # another region's credential
    headers = signed(Authorization=head + "ffee99")
    del headers["X-Amz-Date"]
    undated = http.post("/", data=b"{}", headers=headers)
    assert body_of(undated) == {
        "__type": "com.amazon.coral.service#IncompleteSignatureException",
        "message": "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                   f"Authorization={head}ffee99",
    }
    unsigned = post(http, Authorization=head)
    assert body_of(unsigned)["__type"] == "com.amazon.coral.service#IncompleteSignatureException"


def test_signature_in_both_header_and_query_string(http):
    response = http.post("/?X-Amz-Algorithm", data=b"{}", headers=signed())
    assert body_of(response) == {
        "__type": "com.amazon.coral.service#InvalidSignatureException",
        "message": "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    }


def test_incomplete_query_string_signature(http):
    headers = signed()
    del headers["Authorization"]
    response = http.post("/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d",
                         data=b"{}", headers=headers)
    assert body_of(response) == {
        "__type": "com.amazon.coral.service#IncompleteSignatureException",
        "message": "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
                   "Re-examine the query-string parameters.",
    }


def test_query_string_signature_is_accepted(http):
    headers = signed()
    del headers["Authorization"]
    query = ("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=k%2F20240101%2Fap-south-1%2Fdynamodb%2Faws4_request"
             "&X-Amz-Signature=c&X-Amz-SignedHeaders=host&X-Amz-Date=20240101T000000Z")
    response = http.post(f"/?{query}", data=b"{}", headers=headers)
    assert response.status_code == 200


# The emulator's choice (not observed on AWS): JSON that is not an object cannot be the
# operation's input structure, so it gets the same bare SerializationException as an
# empty body, which dynalite recorded after the signature checks.
@pytest.mark.parametrize("body", [b"", b"[]", b'"text"', b"12", b"null", b"true"])
def test_empty_body_or_non_object_json_is_a_serialization_exception(http, body):
    response = post(http, body)
    assert response.status_code == 400
    assert response.data == SERIALIZATION


def test_regions_are_separate(http, regions):
    create = {"TableName": "regional", "BillingMode": "PAY_PER_REQUEST",
              "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}
    assert post(http, create, target="CreateTable", region="eu-west-1").status_code == 200
    assert body_of(post(http, region="eu-west-1")) == {"TableNames": ["regional"]}
    assert body_of(post(http, region="us-east-1")) == {"TableNames": []}
    assert "regional" in regions.get("eu-west-1").tables


def test_dynamodb_error_becomes_its_wire_form(http):
    response = post(http, {"TableName": "missing"}, target="DescribeTable")
    assert response.status_code == 400
    body = body_of(response)
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
    assert body["message"].startswith("Requested resource not found")
    assert response.headers["x-amz-crc32"] == str(zlib.crc32(response.data))


def test_internal_failure_is_a_500_without_traceback_and_is_logged(http, monkeypatch, caplog):
    def broken(db, request):
        raise RuntimeError("secret internals")

    monkeypatch.setitem(api.OPERATIONS, "ListTables", broken)
    with caplog.at_level(logging.ERROR, logger="dynamodb_emulator"):
        response = post(http)
    assert response.status_code == 500
    assert body_of(response) == {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                             "message": "Internal server error"}
    assert b"secret" not in response.data and b"Traceback" not in response.data
    assert "secret internals" in caplog.text


def test_unserializable_result_is_a_500(http, monkeypatch):
    monkeypatch.setitem(api.OPERATIONS, "ListTables", lambda db, request: {"Bad": object()})
    assert post(http).status_code == 500


def test_error_whose_extras_cannot_be_encoded_is_a_500(http, monkeypatch):
    from emulator.errors import ConditionalCheckFailedException

    def refuse(db, request):
        raise ConditionalCheckFailedException("The conditional request failed", Item=object())

    monkeypatch.setitem(api.OPERATIONS, "ListTables", refuse)
    response = post(http)
    assert response.status_code == 500
    assert body_of(response)["__type"] == "com.amazonaws.dynamodb.v20120810#InternalServerError"


def test_body_over_16_mib_is_413(http):
    response = http.post("/", data=b" " * (protocol.MAX_REQUEST_BYTES + 1), headers=signed())
    assert response.status_code == 413
    assert response.data == b""


def test_body_of_exactly_16_mib_is_read(http):
    response = http.post("/", data=b" " * protocol.MAX_REQUEST_BYTES, headers=signed())
    assert response.status_code == 400
    assert response.data == SERIALIZATION


def test_reason_phrases_are_capitalized(http):
    assert post(http, b"hi").status == "400 Bad Request"


def test_handle_accepts_lowercase_dict_headers_and_bytes_values(regions):
    headers = {"content-type": b"application/x-amz-json-1.0",
               "authorization": AUTHORIZATION.format(region="sa-east-1").encode(),
               "x-amz-date": b"20240101T000000Z"}
    status, response_headers, body = protocol.handle(regions, "DynamoDB_20120810.ListTables", b"{}", headers)
    assert (status, body) == (200, b'{"TableNames":[]}')
    assert "sa-east-1" in [db.region for db in regions.all()]


def test_region_of_reads_the_credential_scope():
    assert protocol.region_of({"Authorization": AUTHORIZATION.format(region="ca-central-1")}) == "ca-central-1"
    assert protocol.region_of({}) is None


# Half a surrogate pair (a "\ud800" escape with no partner) cannot be UTF-8. DynamoDB, a
# Java service, encodes such a character as "?"; the emulator stores and echoes "?" too
# (a valid pair stays one character), so no answer fails to encode.
def test_lone_surrogate_escapes_become_question_marks(http):
    create = {"TableName": "lone", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
              "BillingMode": "PAY_PER_REQUEST"}
    assert post(http, json.dumps(create).encode(), target="CreateTable").status_code == 200
    put = b'{"TableName":"lone","Item":{"p":{"S":"k\\udc00"},"x":{"S":"\\ud800z\\ud83d\\ude00"}}}'
    assert post(http, put, target="PutItem").status_code == 200
    got = post(http, b'{"TableName":"lone","Key":{"p":{"S":"k?"}}}', target="GetItem")
    assert body_of(got) == {"Item": {"p": {"S": "k?"}, "x": {"S": "?z\U0001F600"}}}
    refused = post(http, b'{"TableName":"\\udc00"}', target="DescribeTable")
    assert refused.status_code == 400 and "Value '?' at 'tableName'" in body_of(refused)["message"]
