# The DynamoDB JSON protocol on the wire: raw HTTP requests (http.client), raw answers.
#
# Source for every expectation below unless a test says otherwise: dynalite's
# test/connection.js (github.com/mhart/dynalite), whose assertions (bodies, CRC32s and
# lengths included) were recorded against DynamoDB. Issue #2.
#
# Requests that must be signed are built and signed by botocore (so they carry whatever
# credentials the run uses, real ones with --aws), changed where a test needs it before
# signing, and then sent by http.client; a hook hands the raw answer back to the test.

import http.client
import json
import re
import zlib
from urllib.parse import urlsplit

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

REQUEST_ID = re.compile(r"^[0-9A-Z]{52}$")


class _Body:
    def __init__(self, data):
        self.data = data

    def stream(self, **kwargs):
        return iter((self.data,))


class Raw:
    """A raw HTTP answer: status, headers (case-insensitive lookup), body bytes."""

    def __init__(self, status, headers, body):
        self.status, self.body = status, body
        self.headers = {name.lower(): value for name, value in headers}

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)


def _send(endpoint, method, headers, body, path="/"):
    parts = urlsplit(endpoint)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Raw(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def endpoint(client):
    return client.meta.endpoint_url


@pytest.fixture
def unsigned(endpoint):
    """Send an unsigned request: unsigned(method, headers, body, path="/") -> Raw."""

    def send(method="POST", headers=None, body=b"", path="/"):
        return _send(endpoint, method, headers or {}, body, path)

    return send


@pytest.fixture
def signed(client):
    """signed(body=None, content_type=None) -> (Raw, ClientError or None): a ListTables
    request signed by botocore, with the body and Content-Type replaced before signing."""

    def send(body=None, content_type=None):
        answers = []

        def before_sign(request, **kwargs):
            if body is not None:
                request.data = body
            if content_type is not None:
                request.headers["Content-Type"] = content_type

        def before_send(request, **kwargs):
            headers = {name: value.decode() if isinstance(value, bytes) else value
                       for name, value in request.headers.items()}
            raw = _send(request.url, request.method, headers, request.body)
            answers.append(raw)
            return AWSResponse(request.url, raw.status, raw.headers, _Body(raw.body))

        events = client.meta.events
        events.register_first("before-sign.dynamodb.ListTables", before_sign, unique_id="wire-sign")
        events.register_first("before-send.dynamodb.ListTables", before_send, unique_id="wire-send")
        error = None
        try:
            client.list_tables(Limit=1)
        except ClientError as caught:
            error = caught
        finally:
            events.unregister("before-sign.dynamodb.ListTables", unique_id="wire-sign")
            events.unregister("before-send.dynamodb.ListTables", unique_id="wire-send")
        return answers[0], error

    return send


def _assert_common_headers(raw):
    assert REQUEST_ID.match(raw.header("x-amzn-RequestId") or ""), raw.headers
    assert raw.header("x-amz-crc32") == str(zlib.crc32(raw.body))


# A successful answer: JSON in the request's content type, a 52-character request id
# ([0-9A-Z]) and the CRC32 of the body in x-amz-crc32 (which the SDKs verify).
def test_success_headers_and_crc32(signed):
    raw, error = signed()
    assert error is None
    assert raw.status == 200
    assert raw.header("Content-Type") == "application/x-amz-json-1.0"
    assert "TableNames" in raw.json()
    _assert_common_headers(raw)


# A request sent as application/json is answered as application/json.
def test_plain_json_request_gets_plain_json_answer(signed):
    raw, error = signed(content_type="application/json")
    assert error is None
    assert raw.status == 200
    assert raw.header("Content-Type") == "application/json"


# No X-Amz-Target: HTTP 400, UnknownOperationException with no message at all.
def test_missing_target_is_unknown_operation(unsigned):
    raw = unsigned(headers={"Content-Type": "application/x-amz-json-1.0"}, body=b"{}")
    assert raw.status == 400
    assert raw.body == b'{"__type":"com.amazon.coral.service#UnknownOperationException"}'
    assert raw.header("x-amz-crc32") == "1368724161"
    _assert_common_headers(raw)


# A target naming no operation (here a typo of ListTables) is the same error, and it is
# reported before the missing signature.
@pytest.mark.parametrize("target", ["DynamoDB_20120810.ListTable", "whatever"])
def test_unknown_operation(unsigned, target):
    raw = unsigned(headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target}, body=b"{}")
    assert raw.status == 400
    assert raw.body == b'{"__type":"com.amazon.coral.service#UnknownOperationException"}'


# A body that is not JSON: SerializationException with no message, before the target
# is even looked at.
@pytest.mark.parametrize("target", ["DynamoDB_20120810.ListTables", "nonsense"])
def test_body_not_json_is_serialization_exception(unsigned, target):
    raw = unsigned(headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target}, body=b"hi")
    assert raw.status == 400
    assert raw.body == b'{"__type":"com.amazon.coral.service#SerializationException"}'
    assert raw.header("x-amz-crc32") == "3948637019"
    assert raw.header("Content-Type") == "application/x-amz-json-1.0"


# What an SDK makes of it: Error.Code SerializationException and an empty message.
def test_serialization_exception_as_boto3_reports_it(signed):
    raw, error = signed(body=b"not json")
    assert raw.status == 400
    assert error.response["Error"] == {"Code": "SerializationException", "Message": ""}


# A body whose Content-Type is neither application/json nor application/x-amz-json-1.0
# (1.1, used by other AWS services, included) is not DynamoDB's: HTTP 404 with an XML body.
@pytest.mark.parametrize("content_type", ["application/x-amz-json-1.1", "text/plain", "application/jsonasdf"])
def test_other_content_type_is_404(unsigned, content_type):
    raw = unsigned(headers={"Content-Type": content_type}, body=b"hi")
    assert raw.status == 404
    assert raw.body == b"<UnknownOperationException/>\n"
    assert raw.header("x-amz-crc32") == "3552371480"


# Methods other than POST and GET: the same 404.
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_other_methods_are_404(unsigned, method):
    raw = unsigned(method=method)
    assert raw.status == 404
    assert raw.body == b"<UnknownOperationException/>\n"


# GET / is a health check: 200 and a line naming the endpoint's region.
def test_get_is_a_health_check(unsigned, client):
    raw = unsigned(method="GET")
    assert raw.status == 200
    assert raw.body == f"healthy: dynamodb.{client.meta.region_name}.amazonaws.com ".encode()
    _assert_common_headers(raw)


# A known operation with no signature: MissingAuthenticationTokenException.
def test_missing_signature(unsigned):
    raw = unsigned(headers={"Content-Type": "application/x-amz-json-1.0",
                            "X-Amz-Target": "DynamoDB_20120810.ListTables"}, body=b"{}")
    assert raw.status == 400
    assert raw.json() == {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                          "message": "Request is missing Authentication Token"}
    assert raw.header("x-amz-crc32") == "2088342776"


# An Authorization header with none of its parts: IncompleteSignatureException listing
# each missing part.
def test_incomplete_signature(unsigned):
    raw = unsigned(headers={"Content-Type": "application/x-amz-json-1.0", "Authorization": "AWS4-",
                            "X-Amz-Target": "DynamoDB_20120810.ListTables"}, body=b"{}")
    assert raw.status == 400
    assert raw.json() == {
        "__type": "com.amazon.coral.service#IncompleteSignatureException",
        "message": "Authorization header requires 'Credential' parameter. "
                   "Authorization header requires 'Signature' parameter. "
                   "Authorization header requires 'SignedHeaders' parameter. "
                   "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                   "Authorization=AWS4-",
    }


# CORS: a preflight (OPTIONS with an Origin) is answered 200 for any origin, echoing the
# requested headers and method, cacheable for two days; an Origin on any other request
# gets Access-Control-Allow-Origin: * (here on an UnknownOperationException).
def test_cors_preflight(unsigned):
    raw = unsigned(method="OPTIONS", headers={"Origin": "https://app.example",
                                              "Access-Control-Request-Headers": "a, b, c",
                                              "Access-Control-Request-Method": "POST"})
    assert raw.status == 200
    assert raw.body == b""
    assert raw.header("Access-Control-Allow-Origin") == "*"
    assert raw.header("Access-Control-Allow-Headers") == "a, b, c"
    assert raw.header("Access-Control-Allow-Methods") == "POST"
    assert raw.header("Access-Control-Max-Age") == "172800"


def test_cors_origin_on_a_request(unsigned):
    raw = unsigned(headers={"Content-Type": "application/x-amz-json-1.0", "Origin": "https://app.example"},
                   body=b"{}")
    assert raw.body == b'{"__type":"com.amazon.coral.service#UnknownOperationException"}'
    assert raw.header("Access-Control-Allow-Origin") == "*"


# OPTIONS without an Origin is just another method DynamoDB does not serve.
def test_options_without_origin_is_404(unsigned):
    raw = unsigned(method="OPTIONS")
    assert raw.status == 404
    assert raw.body == b"<UnknownOperationException/>\n"
