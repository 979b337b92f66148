"""The DynamoDB JSON wire protocol: request bytes in, response bytes out.

Both doors (the Flask app and the in-process botocore transport) call :func:`handle`,
so they behave byte for byte the same. This is the only place where exceptions become
responses: a DynamoDBError becomes its ``{"__type", "message"}`` body, anything else is
logged and answered as a 500 InternalServerError with no traceback.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
import zlib
from typing import Any, Mapping

from emulator import api
from emulator.database import Regions
from emulator.errors import (
    DynamoDBError,
    InternalServerError,
    SerializationException,
    UnknownOperationException,
)

log = logging.getLogger("dynamodb_emulator")

DYNAMODB_PREFIX = "DynamoDB_20120810."
STREAMS_PREFIX = "DynamoDBStreams_20120810."
CONTENT_TYPE = "application/x-amz-json-1.0"
_REGION = re.compile(r"Credential=[^/,]*/\d{8}/([^/,]+)/")

Response = tuple[int, dict[str, str], bytes]


def region_of(headers: Mapping[str, str]) -> str | None:
    """The region from the SigV4 credential scope of the Authorization header."""
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    match = _REGION.search(authorization)
    return match.group(1) if match else None


def _reply(status: int, payload: dict[str, Any]) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": CONTENT_TYPE,
        "x-amzn-RequestId": uuid.uuid4().hex.upper(),
        "x-amz-crc32": str(zlib.crc32(body) & 0xFFFFFFFF),
    }
    return status, headers, body


def _decode(body: bytes) -> dict:
    try:
        request = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        raise SerializationException("Start of structure or map found where not expected.") from None
    if not isinstance(request, dict):
        raise SerializationException("Start of structure or map found where not expected.")
    return request


def handle(regions: Regions, target: str | None, body: bytes, headers: Mapping[str, str]) -> Response:
    """Answer one DynamoDB (or DynamoDB Streams) request."""
    try:
        target = target or ""
        if target.startswith(DYNAMODB_PREFIX):
            operation, streams = target[len(DYNAMODB_PREFIX):], False
        elif target.startswith(STREAMS_PREFIX):
            operation, streams = target[len(STREAMS_PREFIX):], True
        else:
            raise UnknownOperationException("")
        registry = api.STREAMS_OPERATIONS if streams else api.OPERATIONS
        if operation not in registry:
            raise UnknownOperationException("")
        request = _decode(body)
        database = regions.get(region_of(headers))
        return _reply(200, api.call(database, operation, request, streams=streams))
    except DynamoDBError as error:
        return _reply(error.http_status, error.to_wire())
    except Exception:  # the boundary: never leak a traceback to the client
        log.exception("internal error while handling %s", target)
        return _reply(500, InternalServerError("Internal server error").to_wire())
