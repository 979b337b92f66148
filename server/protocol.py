"""The DynamoDB JSON wire protocol: request bytes in, response bytes out.

Both doors (the Flask app and the in-process botocore transport) call :func:`handle`,
so they behave byte for byte the same. This is the only place where exceptions become
responses: a DynamoDBError becomes its ``{"__type", "message"}`` body, anything else is
logged and answered as a 500 InternalServerError with no traceback.

DynamoDB looks at a request in this order (dynalite's test/connection.js, whose expected
bodies, CRCs and lengths were recorded from DynamoDB itself):

1. a method other than POST, or a body whose Content-Type is neither
   ``application/json`` nor ``application/x-amz-json-1.0`` (``-1.1`` included): HTTP 404
   with the XML body ``<UnknownOperationException/>`` (see :func:`not_found`);
2. a body that is not JSON: ``SerializationException`` with no message;
3. an ``X-Amz-Target`` that is missing or names no operation: ``UnknownOperationException``
   with no message;
4. the signature's presence and completeness (any credentials are accepted, but the
   request must carry some, as every SDK does): ``MissingAuthenticationTokenException``,
   ``InvalidSignatureException``, ``IncompleteSignatureException``;
5. an empty body, or JSON that is not an object: ``SerializationException``;
6. the operation itself (request shape, semantics, resources, conditions).

The response's Content-Type echoes the request's: ``application/x-amz-json-1.0`` for
``application/x-amz-json-1.0`` (what every SDK sends), ``application/json`` otherwise.
Every response carries ``x-amzn-RequestId`` (52 characters from ``[0-9A-Z]``, as DynamoDB's)
and ``x-amz-crc32``, the CRC32 of the body, which botocore verifies.
"""

from __future__ import annotations

import itertools
import logging
import random
import re
import string
from typing import Any, Mapping
from urllib.parse import parse_qs

from emulator import api
from emulator.database import Regions
from emulator.errors import (
    DynamoDBError,
    IncompleteSignatureException,
    InternalServerError,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
)

from . import stored_json, wire_json
from .crc32 import crc32

log = logging.getLogger("dynamodb_emulator")

DYNAMODB_PREFIX = "DynamoDB_20120810."
STREAMS_PREFIX = "DynamoDBStreams_20120810."
AMZ_JSON = "application/x-amz-json-1.0"
JSON = "application/json"
#: The largest request body DynamoDB reads; a larger one is answered with HTTP 413.
MAX_REQUEST_BYTES = 16 * 1024 * 1024

#: (status, headers, body), ready for any HTTP layer.
Response = tuple[int, dict[str, str], bytes]

_SERIALIZATION = b'{"__type":"com.amazon.coral.service#SerializationException"}'
_UNKNOWN_OPERATION = b'{"__type":"com.amazon.coral.service#UnknownOperationException"}'
_NOT_FOUND = b"<UnknownOperationException/>\n"
_ACCEPTED_CONTENT_TYPES = (JSON, AMZ_JSON)

# Request ids: a random per-process prefix and a counter, 52 characters from [0-9A-Z]
# like DynamoDB's. Unique within a process and far cheaper than uuid4 per request
# (itertools.count's __next__ is atomic under the GIL).
_ID_PREFIX = "".join(random.SystemRandom().choices(string.ascii_uppercase + string.digits, k=32))
_id_counter = itertools.count(1)

class _Unparsed:
    """Marker for a body that is not JSON (reported only after the target check)."""


_NOT_JSON = _Unparsed()


def _header(headers: Mapping[str, Any], name: str) -> str:
    """A header's value as text ("" if absent).

    ``headers`` is a case-insensitive mapping (werkzeug's, botocore's) or a plain dict
    using the canonical or the lower-case spelling; botocore's values are bytes.
    """
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
        if value is None:
            return ""
    return value.decode("latin-1") if isinstance(value, bytes) else value


def request_id() -> str:
    return f"{_ID_PREFIX}{next(_id_counter):020d}"


def _reply(status: int, body: bytes, content_type: str = AMZ_JSON) -> Response:
    headers = {
        "Content-Type": content_type,
        "x-amzn-RequestId": request_id(),
        "x-amz-crc32": str(crc32(body)),
    }
    return status, headers, body


def _error(error: DynamoDBError, content_type: str) -> Response:
    return _reply(error.http_status, wire_json.encode(error.to_wire()), content_type)


def not_found() -> Response:
    """DynamoDB's answer to a method other than POST/GET, or a body of the wrong type."""
    return _reply(404, _NOT_FOUND, "application/xml")


def health(regions: Regions) -> Response:
    """``GET /``: DynamoDB answers 200 with a one-line text body naming its endpoint."""
    body = f"healthy: dynamodb.{regions.config.region}.amazonaws.com ".encode()
    return _reply(200, body, "text/plain")


def preflight(headers: Mapping[str, Any]) -> Response:
    """An OPTIONS request with an Origin: DynamoDB's CORS preflight answer (any origin,
    whatever headers and method were asked for, cached for two days; dynalite's
    test/connection.js, recorded from DynamoDB). Other answers to a request with an
    Origin carry ``Access-Control-Allow-Origin: *`` (added by the HTTP layer)."""
    response_headers = {"x-amzn-RequestId": request_id(), "Access-Control-Allow-Origin": "*"}
    requested_headers = _header(headers, "Access-Control-Request-Headers")
    if requested_headers:
        response_headers["Access-Control-Allow-Headers"] = requested_headers
    requested_method = _header(headers, "Access-Control-Request-Method")
    if requested_method:
        response_headers["Access-Control-Allow-Methods"] = requested_method
    response_headers["Access-Control-Max-Age"] = "172800"
    return 200, response_headers, b""


def _parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return wire_json.decode(body)
    except wire_json.NotJSON:
        return _NOT_JSON


def _operation(target: str) -> tuple[str, bool] | None:
    """The operation an X-Amz-Target names and whether it is a Streams one, or None."""
    if target.startswith(DYNAMODB_PREFIX):
        name, streams = target[len(DYNAMODB_PREFIX):], False
    elif target.startswith(STREAMS_PREFIX):
        name, streams = target[len(STREAMS_PREFIX):], True
    else:
        return None
    registry = api.STREAMS_OPERATIONS if streams else api.OPERATIONS
    return (name, streams) if name in registry else None


def _authorization_params(authorization: str) -> dict[str, str]:
    """``Credential=...``-style pairs of a SigV4 Authorization header (after the algorithm)."""
    params: dict[str, str] = {}
    for part in authorization.replace(",", " ").split()[1:]:
        key, _, value = part.partition("=")
        params[key] = value
    return params


def _credential_region(credential: str) -> str | None:
    """The region of a ``keyid/date/region/service/aws4_request`` credential scope."""
    parts = credential.split("/")
    return parts[2] or None if len(parts) >= 3 else None


def _check_signature(headers: Mapping[str, Any], query: str) -> str | None:
    """Check that the request is signed at all and return the region it is scoped to.

    The signature itself is never verified (any credentials are accepted); what DynamoDB
    refuses before looking at keys is refused here, with its messages (dynalite's
    test/connection.js and index.js, recorded from DynamoDB).
    """
    authorization = _header(headers, "Authorization")
    # An SDK signs every request alike but for the signature: a header accepted once (its
    # signature its last parameter, in hex) is accepted again, a date header present,
    # without parsing it again. Only headers of requests with no query string count.
    remembered = None
    if not query and authorization:
        head, _, signature = authorization.rpartition("Signature=")
        if signature and _HEX.fullmatch(signature):
            remembered = head
            region = _ACCEPTED_SIGNATURES.get(head, _UNSEEN)
            if region is not _UNSEEN and (_header(headers, "X-Amz-Date") or _header(headers, "Date")):
                return region  # type: ignore[return-value]
    query_params = parse_qs(query, keep_blank_values=True) if query else {}
    signed_in_query = "X-Amz-Algorithm" in query_params
    if authorization and signed_in_query:
        raise InvalidSignatureException(
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
        )
    if not signed_in_query and not authorization.strip().startswith("AWS4-"):
        raise MissingAuthenticationTokenException("Request is missing Authentication Token")
    if authorization:
        params = _authorization_params(authorization)
        message = "".join(
            f"Authorization header requires '{name}' parameter. "
            for name in ("Credential", "Signature", "SignedHeaders")
            if not params.get(name)
        )
        if not _header(headers, "X-Amz-Date") and not _header(headers, "Date"):
            message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        if message:
            raise IncompleteSignatureException(f"{message}Authorization={authorization}")
        region = _credential_region(params["Credential"])
        if remembered is not None:
            if len(_ACCEPTED_SIGNATURES) >= _ACCEPTED_SIGNATURES_MAX:
                _ACCEPTED_SIGNATURES.clear()
            _ACCEPTED_SIGNATURES[remembered] = region
        return region
    message = "".join(
        f"AWS query-string parameters must include '{name}'. "
        for name in ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")
        if not (query_params.get(name) or [""])[0]
    )
    if message:
        raise IncompleteSignatureException(f"{message}Re-examine the query-string parameters.")
    return _credential_region(query_params["X-Amz-Credential"][0])


#: Authorization headers accepted before, without their signature value -> the region
#: they are scoped to. Bounded: cleared when full (a client's header changes once a day).
_ACCEPTED_SIGNATURES: dict[str, str | None] = {}
_ACCEPTED_SIGNATURES_MAX = 256
_HEX = re.compile(r"[0-9a-fA-F]+")
_UNSEEN = object()


def region_of(headers: Mapping[str, Any]) -> str | None:
    """The region from the SigV4 credential scope of the Authorization header."""
    return _credential_region(_authorization_params(_header(headers, "Authorization")).get("Credential", ""))


def handle(
    regions: Regions,
    target: str | None,
    body: bytes,
    headers: Mapping[str, Any],
    query: str = "",
) -> Response:
    """Answer one POSTed DynamoDB (or DynamoDB Streams) request.

    ``target`` is the X-Amz-Target header, ``headers`` the request's headers (for
    Content-Type, Authorization and X-Amz-Date), ``query`` the raw query string.
    """
    content_type = _header(headers, "Content-Type").split(";", 1)[0].strip()
    if body and content_type not in _ACCEPTED_CONTENT_TYPES:
        return not_found()
    reply_type = AMZ_JSON if content_type == AMZ_JSON else JSON
    request = _parse_json(body)
    if request is _NOT_JSON:
        return _reply(400, _SERIALIZATION, reply_type)
    operation = _operation(target or "")
    if operation is None:
        return _reply(400, _UNKNOWN_OPERATION, reply_type)
    name, streams = operation
    try:
        region = _check_signature(headers, query)
        if not isinstance(request, dict):
            # An empty body, or JSON that is not an object: nothing Coral can turn into
            # the operation's input structure. (DynamoDB sends no message for the empty
            # body; for a non-object we do the same.)
            return _reply(400, _SERIALIZATION, reply_type)
        result = api.call(regions.get(region), name, request, streams=streams)
        return _reply(200, stored_json.ANSWERS.encode(result), reply_type)
    except DynamoDBError as error:
        try:
            return _error(error, reply_type)
        except Exception:  # an error whose extras cannot be encoded is still answered
            log.exception("cannot encode %s while handling %s", error.code, target)
    except Exception:  # the boundary: never leak a traceback to the client
        log.exception("internal error while handling %s", target)
    return _error(InternalServerError("Internal server error"), reply_type)
