"""Scan: every item of a table or index, in a stable order, optionally one segment of it.

The order is the store's scan order (partitions by a stable hash token, items of a
partition by key), so pages never skip or repeat an item and ExclusiveStartKey resumes in
O(log n). A parallel scan's segment is a contiguous range of hash tokens: every item is
in exactly one segment for any TotalSegments up to 1,000,000.

Checks run in DynamoDB's order (dynalite validations/scan.js and actions/scan.js,
recorded from DynamoDB; the Segment messages are also pinned by the conformance suite's
tier3/error-messages/scan): shapes, request-level rules, Segment/TotalSegments,
expressions, then the table, the index, ExclusiveStartKey against the key schema and
against the segment.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
"""

from __future__ import annotations

from typing import Any, Optional

from .. import legacy, limits, validate
from ..database import Database
from ..errors import ValidationException
from ..indexes import check_consistent_read, check_select, start_position
from ..partitions import hash_token
from ..table import KEY_MISMATCH_MESSAGE, Table
from ..types import Item
from . import read_requests
from .read_requests import STARTING_KEY_INVALID
from .reads import ReadTarget, read_page, segment_range

SCAN_MEMBERS = {**read_requests.MEMBER_TYPES, "Segment": "Integer", "TotalSegments": "Integer"}
SCAN_EXPRESSIONS = ("ProjectionExpression", "FilterExpression")
SCAN_LEGACY = ("AttributesToGet", "ScanFilter", "ConditionalOperator")
MAX_SEGMENT = limits.MAX_TOTAL_SEGMENTS - 1


def _check_shape(request: dict) -> None:
    shape = validate.Shape()
    read_requests.common_shape(shape, request, query=False)
    shape.number(request.get("Segment"), "segment", 0, MAX_SEGMENT)
    shape.number(request.get("TotalSegments"), "totalSegments", 1, limits.MAX_TOTAL_SEGMENTS)
    legacy.conditions_shape(shape, request.get("ScanFilter"), "scanFilter")
    shape.check()


def _check_segments(request: dict) -> tuple[int, int]:
    """Segment and TotalSegments come together, Segment counting from zero."""
    segment, total = request.get("Segment"), request.get("TotalSegments")
    if segment is not None and total is None:
        raise ValidationException(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present"
        )
    if total is not None and segment is None:
        raise ValidationException(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
        )
    if total is None:
        return 0, 1
    if segment >= total:
        raise ValidationException(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            f"Segment: {segment} is not less than TotalSegments: {total}"
        )
    return segment, total


def _check_request(request: dict) -> tuple[read_requests.ParsedRequest, tuple[int, int]]:
    legacy.check_parameters(request, SCAN_EXPRESSIONS, SCAN_LEGACY)
    legacy.check_conditional_operator(request, ("ScanFilter",))
    read_requests.check_select(request)
    parsed = read_requests.ParsedRequest(
        attributes=legacy.check_attribute_names(request.get("AttributesToGet")),
        legacy_filter=legacy.normalize_conditions(request.get("ScanFilter")),
        start_key=read_requests.normalize_start_key(request),
    )
    segments = _check_segments(request)
    _parse_expressions(request, parsed)
    return parsed, segments


def _parse_expressions(request: dict, parsed: read_requests.ParsedRequest) -> None:
    """The last table-independent step, the one that reads the placeholder values (done
    again for a recognised request with new values: read_requests.checked_request)."""
    read_requests.parse_expressions(request, parsed, SCAN_EXPRESSIONS)


def _table_start(table: Table, start_key: Item) -> tuple[Any, Any]:
    if len(start_key) != len(table.schema.names):
        raise ValidationException(f"{STARTING_KEY_INVALID}: {KEY_MISMATCH_MESSAGE}")
    try:
        return table.check_key(start_key)
    except ValidationException as error:
        raise ValidationException(f"{STARTING_KEY_INVALID}: {error.message}") from None


def _check_start_segment(start: tuple[Any, Any], segments: tuple[int, int]) -> None:
    """A parallel scan's ExclusiveStartKey must belong to the segment being scanned."""
    segment, total = segments
    if total == 1:
        return
    low, high = segment_range(segment, total)
    if not low <= hash_token(start[0]) < high:
        raise ValidationException(
            f"{STARTING_KEY_INVALID}: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
            f"TotalSegments: {total} Segment: {segment}"
        )


def _checked(request: dict) -> read_requests.Checked:
    request = read_requests.conform_request(request, SCAN_MEMBERS)
    _check_shape(request)
    return (request, *_check_request(request))


#: Outcomes of _checked by request text (read_requests.checked_request).
_TEMPLATES: dict = {}


def scan(db: Database, request: dict) -> dict:
    request, parsed, segments = read_requests.checked_request(request, _TEMPLATES, _checked, _parse_expressions)
    table = db.get_table(request["TableName"])
    target = ReadTarget.of(table, request.get("IndexName"))
    consistent = bool(request.get("ConsistentRead"))
    select = read_requests.effective_select(request, target)
    start: Optional[tuple[Any, Any]] = None
    if target.index is not None:
        check_consistent_read(target.index, consistent)
        if parsed.start_key is not None:
            start = start_position(table, target.index, parsed.start_key)
        check_select(target.index, select)
    elif parsed.start_key is not None:
        start = _table_start(table, parsed.start_key)
    if start is not None:
        _check_start_segment(start, segments)
    read_requests.check_key_paths(table, parsed.projection_nested)
    read_requests.check_key_paths(table, parsed.filter_nested)
    page = read_page(target.scan_items(start, segment_range(*segments)), request.get("Limit"))
    return read_requests.respond(target, page, request, parsed, select)

