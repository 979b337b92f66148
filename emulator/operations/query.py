"""Query: the items of one partition of a table or index, in sort-key order.

Checks run in DynamoDB's order (dynalite validations/query.js and actions/query.js,
recorded from DynamoDB; see read_requests.py for the request-level part): request
shape, request-level rules, the table, the index and its ConsistentRead rule, the key
condition against the key schema (interleaved with the ExclusiveStartKey checks),
filters on key attributes, Select on the index. Then one O(log n + k) range read.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
"""

from __future__ import annotations

from typing import Any, Optional

from .. import legacy, validate
from ..database import Database
from ..errors import ValidationException
from ..expressions import key_conditions
from ..indexes import check_consistent_read, check_select, start_position
from ..table import Table
from ..types import Item
from . import read_requests
from .read_requests import STARTING_KEY_INVALID
from .reads import ReadTarget, read_page

QUERY_MEMBERS = {**read_requests.MEMBER_TYPES, "KeyConditionExpression": "String", "ScanIndexForward": "Boolean"}
QUERY_EXPRESSIONS = ("ProjectionExpression", "FilterExpression", "KeyConditionExpression")
QUERY_LEGACY = ("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions")


def _check_shape(request: dict) -> None:
    shape = validate.Shape()
    read_requests.common_shape(shape, request, query=True)
    legacy.conditions_shape(shape, request.get("QueryFilter"), "queryFilter")
    legacy.conditions_shape(shape, request.get("KeyConditions"), "keyConditions")
    shape.check()


def _check_request(request: dict) -> read_requests.ParsedRequest:
    """Every rule that needs no table, in DynamoDB's order."""
    legacy.check_parameters(request, QUERY_EXPRESSIONS, QUERY_LEGACY)
    legacy.check_conditional_operator(request, ("QueryFilter",))
    read_requests.check_select(request)
    parsed = read_requests.ParsedRequest(
        legacy_filter=legacy.normalize_conditions(request.get("QueryFilter")),
        attributes=legacy.check_attribute_names(request.get("AttributesToGet")),
        start_key=read_requests.normalize_start_key(request),
    )
    if request.get("KeyConditions") is None and request.get("KeyConditionExpression") is None:
        raise ValidationException(key_conditions.KEY_CONDITIONS_REQUIRED)
    _parse_expressions(request, parsed)
    return parsed


def _parse_expressions(request: dict, parsed: read_requests.ParsedRequest) -> None:
    """The last table-independent step, the one that reads the placeholder values (done
    again for a recognised request with new values: read_requests.checked_request)."""
    read_requests.parse_expressions(request, parsed, QUERY_EXPRESSIONS)
    if parsed.key_conditions is None:
        parsed.key_conditions = legacy.normalize_conditions(request["KeyConditions"])
    key_conditions.check_count(parsed.key_conditions)  # type: ignore[arg-type]


def _start(table: Table, target: ReadTarget, start_key: Item) -> tuple[Any, Any]:
    """The full ExclusiveStartKey check once its target-key elements passed."""
    if target.index is not None:
        return start_position(table, target.index, start_key)
    try:
        return table.check_key(start_key)
    except ValidationException as error:
        raise ValidationException(f"{STARTING_KEY_INVALID}: {error.message}") from None


def _check_filter_keys(request: dict, parsed: read_requests.ParsedRequest, target: ReadTarget) -> None:
    """A Query filter may not test the key attributes of what it reads (those belong in
    the key condition)."""
    if parsed.legacy_filter is not None:
        names, label = set(parsed.legacy_filter), "QueryFilter"
    elif parsed.filter_names is not None:
        names, label = parsed.filter_names, "Filter Expression"
    else:
        return
    for name in target.schema.names:
        if name in names:
            raise ValidationException(
                f"{label} can only contain non-primary key attributes: Primary key attribute: {name}"
            )


def _checked(request: dict) -> read_requests.Checked:
    request = read_requests.conform_request(request, QUERY_MEMBERS)
    _check_shape(request)
    return request, _check_request(request), None


#: Outcomes of _checked by request text (read_requests.checked_request).
_TEMPLATES: dict = {}


def query(db: Database, request: dict) -> dict:
    request, parsed, _ = read_requests.checked_request(request, _TEMPLATES, _checked, _parse_expressions)
    table = db.get_table(request["TableName"])
    target = ReadTarget.of(table, request.get("IndexName"))
    consistent = bool(request.get("ConsistentRead"))
    if target.index is not None:
        check_consistent_read(target.index, consistent)
    condition = key_conditions.resolve(target.schema, target.key_names, parsed.key_conditions, parsed.start_key)  # type: ignore[arg-type]
    start: Optional[tuple[Any, Any]] = None
    if parsed.start_key is not None:
        start = _start(table, target, parsed.start_key)
        key_conditions.check_start_key(target.schema, condition, parsed.start_key, is_table=target.index is None)
    read_requests.check_key_paths(table, parsed.projection_nested)
    _check_filter_keys(request, parsed, target)
    select = read_requests.effective_select(request, target)
    if target.index is not None:
        check_select(target.index, select)
    read_requests.check_key_paths(table, parsed.filter_nested)
    forward = request.get("ScanIndexForward", True) is not False
    page = read_page(target.query_items(condition, forward, start), request.get("Limit"))
    if target.index is None and target.schema.range_name is None:
        # A hash-only table's partition is a single item: such a query cannot be
        # resumed (see key_conditions.check_start_key), so it never offers a key to
        # resume from.
        page.last = None
    return read_requests.respond(target, page, request, parsed, select)
