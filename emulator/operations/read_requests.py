"""Request checks that Query and Scan share: member types, shapes, Select, the starting key.

Order (dynalite validations/query.js and scan.js, recorded from DynamoDB; ExtendDB's
captured messages for ConditionalOperator): member types (SerializationException), then
the collected shape errors, then expression/legacy mixing, ExpressionAttribute* without
an expression, ConditionalOperator, Select, the legacy conditions, AttributesToGet,
ExclusiveStartKey values, the expressions; only then the table, the index and the key
schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .. import capacity, legacy, validate
from ..errors import SerializationException, ValidationException
from ..indexes import fetches_from_table as fetches_all_from_table
from ..indexes import table_indexes
from ..legacy import Condition
from ..table import Table
from ..types import Item, normalize_value
from . import item_requests
from .reads import Page, ReadTarget, finish
from .request_types import List, conform

SELECT_VALUES = ("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")
_INDEX_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
MAP_MEMBERS = (
    "ExclusiveStartKey", "ExpressionAttributeNames", "ExpressionAttributeValues",
    "KeyConditions", "QueryFilter", "ScanFilter",
)
STARTING_KEY_INVALID = "The provided starting key is invalid"
_NESTED_KEY = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed"
#: ExclusiveStartKey value errors DynamoDB reports without the starting-key prefix
#: (dynalite validations/query.js: "For some reason this message is only added to some
#: messages"): number and duplicate-member errors.
_UNPREFIXED = re.compile(r"contains duplicates|number set|number|Number")

#: Member types shared by Query and Scan (request_types checks them first).
MEMBER_TYPES = {
    "TableName": "String", "IndexName": "String", "Select": "String", "Limit": "Integer",
    "ConsistentRead": "Boolean", "ReturnConsumedCapacity": "String",
    "ConditionalOperator": "String", "AttributesToGet": List("String"),
    "FilterExpression": "String", "ProjectionExpression": "String",
}


def conform_request(request: dict, members: dict) -> dict:
    """Member types as DynamoDB's deserializer checks them; map members must be objects
    and the entries of a condition map must be structures."""
    request = legacy.conform_legacy(conform(request, members))
    for name in MAP_MEMBERS:
        value = request.get(name)
        if value is not None and not isinstance(value, dict):
            raise SerializationException("Unexpected field type" if not isinstance(value, list)
                                         else "Unrecognized collection type class java.util.Map")
    return request


def common_shape(shape: validate.Shape, request: dict, *, query: bool) -> None:
    """Constraint checks of the members both operations have, in DynamoDB's order."""
    shape.enum(request.get("Select"), "select", SELECT_VALUES)
    index_name = request.get("IndexName")
    if index_name is not None:
        shape.pattern(index_name, "indexName", _INDEX_NAME, "[a-zA-Z0-9_.-]+")
        shape.length(index_name, "indexName", 3, 255)
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    validate.table_name(shape, request.get("TableName"))
    shape.enum(request.get("ConditionalOperator"), "conditionalOperator", ("OR", "AND"))
    shape.length(request.get("AttributesToGet"), "attributesToGet", 1, 255)
    limit = request.get("Limit")
    if limit is not None and limit < 1:
        if query:
            # Query reports this member by its API name and without the value
            # (conformance tier3/error-messages/query "Limit of 0", observed on AWS).
            shape.errors.append("Value at 'Limit' failed to satisfy constraint: "
                                "Member must have value greater than or equal to 1")
        else:
            shape.number(limit, "limit", 1)


# ---------------------------------------------------------------- Select


def projection_member(request: dict) -> Optional[str]:
    """The member that asks for specific attributes, if any."""
    if request.get("ProjectionExpression") is not None:
        return "ProjectionExpression"
    if request.get("AttributesToGet") is not None:
        return "AttributesToGet"
    return None


def check_select(request: dict) -> None:
    """Select's rules that need no table: a projection goes with SPECIFIC_ATTRIBUTES only,
    ALL_PROJECTED_ATTRIBUTES needs an index, SPECIFIC_ATTRIBUTES needs a projection.
    When both of the first two are broken, DynamoDB reports the projection one (the
    wording says "Querying" even for a Scan). Sources: ExtendDB and a later revision of
    the conformance suite (scan/select), both recorded from DynamoDB."""
    select = request.get("Select")
    member = projection_member(request)
    if select is None:
        return
    if member is not None and select != "SPECIFIC_ATTRIBUTES":
        wanted = "only the Count" if select == "COUNT" else select
        raise ValidationException(f"Cannot specify the {member} when choosing to get {wanted}")
    if select == "ALL_PROJECTED_ATTRIBUTES" and request.get("IndexName") is None:
        raise ValidationException("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
    if select == "SPECIFIC_ATTRIBUTES" and member is None:
        raise ValidationException(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
        )


def effective_select(request: dict, target: ReadTarget) -> str:
    """Select when the request leaves it out: SPECIFIC_ATTRIBUTES with a projection,
    ALL_PROJECTED_ATTRIBUTES on an index, ALL_ATTRIBUTES on a table."""
    select = request.get("Select")
    if select is not None:
        return select
    if projection_member(request) is not None:
        return "SPECIFIC_ATTRIBUTES"
    return "ALL_PROJECTED_ATTRIBUTES" if target.is_index else "ALL_ATTRIBUTES"


# ---------------------------------------------------------------- ExclusiveStartKey


def normalize_start_key(request: dict) -> Optional[Item]:
    """The ExclusiveStartKey's values checked like any AttributeValue; most errors get the
    prefix "The provided starting key is invalid: "."""
    start_key = request.get("ExclusiveStartKey")
    if start_key is None:
        return None
    normalized: Item = {}
    for name, value in start_key.items():
        try:
            normalized[name] = normalize_value(value)
        except ValidationException as error:
            if _UNPREFIXED.search(error.message):
                raise
            raise ValidationException(f"{STARTING_KEY_INVALID}: {error.message}") from None
    return normalized


# ---------------------------------------------------------------- parsed request


@dataclass
class ParsedRequest:
    """A Query or Scan request after its request-level checks."""

    legacy_filter: Optional[dict[str, Condition]] = None
    attributes: Optional[list[str]] = None
    start_key: Optional[Item] = None
    key_conditions: Optional[dict[str, Condition]] = None
    #: The FilterExpression, resolved: ``.matches(item)``.
    filter: Any = None
    #: Top-level attribute names the FilterExpression reads.
    filter_names: Optional[set[str]] = None
    #: The ProjectionExpression, resolved: ``.apply(item)``.
    projection: Any = None
    #: Top-level attribute names the ProjectionExpression returns.
    projection_names: Optional[set[str]] = None
    #: Top-level names the projection / the filter use with a nested path (``a.b``).
    projection_nested: set[str] = field(default_factory=set)
    filter_nested: set[str] = field(default_factory=set)


#: What an operation's table-independent checks make of a request: the request with its
#: members converted, the parsed request, and anything else the operation keeps.
Checked = tuple[dict, ParsedRequest, Any]


def checked_request(request: dict, templates: dict, check: Callable[[dict], Checked],
                    rebind: Callable[[dict, ParsedRequest], None]) -> Checked:
    """``check(request)``, or what it made of a request with the same members but for
    the ExclusiveStartKey and the placeholder values (item_requests' templates: a paged
    read sends the same request with a new starting key, a program the same query again
    and again, often with new values).

    Only the starting key of a recognised request is checked, and its expressions bound
    again by ``rebind(request, parsed)`` when its values are not the template's: the
    template exists because every other member passed, and DynamoDB reports a starting
    key's faults before those of the expressions, the last table-independent check. A
    starting key that is not an object goes the full way (its SerializationException
    comes first).
    """
    start = request.get(_START_KEY)
    if start is not None and type(start) is not dict:
        return check(request)
    key, template = item_requests.recall(templates, request, _START_KEY, optional=True, loose_values=True)
    if template is not None:
        members, (parsed, kept), current = template
        if start is not None or not current:  # a copy, with the starting key, to bind into
            parsed = _with_start_key(parsed, normalize_start_key(request) if start is not None else None)
        request = {**members, _START_KEY: start} if start is not None else {**members}
        if not current:
            rebind(request, parsed)
        return request, parsed, kept
    request, parsed, kept = check(request)
    kept_parsed = parsed if parsed.start_key is None else _with_start_key(parsed, None)
    item_requests.remember(templates, key, request, _START_KEY, (kept_parsed, kept))
    return request, parsed, kept


def _with_start_key(parsed: ParsedRequest, start_key: Optional[Item]) -> ParsedRequest:
    """A copy of ``parsed`` with another starting key (dataclasses.replace runs the
    dataclass's __init__ with each field: several times dearer, and a paged read makes
    one copy per page)."""
    result = object.__new__(ParsedRequest)
    result.__dict__.update(parsed.__dict__)
    result.start_key = start_key
    return result


_START_KEY = "ExclusiveStartKey"


def parse_expressions(request: dict, parsed: ParsedRequest, members: tuple[str, ...]) -> None:
    """Parse and resolve the request's expressions (KeyConditionExpression, then
    FilterExpression, then ProjectionExpression, then the unused names/values check, as
    DynamoDB orders them), then the key condition's own rules."""
    if all(request.get(name) is None for name in members):
        return
    from ..expressions import RequestExpressions
    from ..expressions import key_conditions

    expressions = RequestExpressions(request.get("ExpressionAttributeNames"), request.get("ExpressionAttributeValues"))
    key_product = None
    if request.get("KeyConditionExpression") is not None:
        key_product = expressions.key_condition(request["KeyConditionExpression"])
    if request.get("FilterExpression") is not None:
        parsed.filter = expressions.condition(request["FilterExpression"], "FilterExpression")
        parsed.filter_names, parsed.filter_nested = key_conditions.attribute_names(parsed.filter.node)
    if request.get("ProjectionExpression") is not None:
        parsed.projection = expressions.projection(request["ProjectionExpression"])
        parsed.projection_names, parsed.projection_nested = key_conditions.attribute_names(parsed.projection.paths)
    expressions.check_unused()
    if key_product is not None:
        parsed.key_conditions = key_product.checked()


def check_key_paths(table: Table, nested: set[str]) -> None:
    """Key attributes are scalars: an expression may not use ``.`` or ``[]`` on one, of
    the table's key first, then of any index's (dynalite validateKeyPaths)."""
    if not nested:
        return
    for name in table.schema.names:
        if name in nested:
            raise ValidationException(f"{_NESTED_KEY}: Key: {name}")
    state = table_indexes(table)
    for index in state.all() if state is not None else ():
        for name in index.schema.names:
            if name in nested:
                raise ValidationException(f"{_NESTED_KEY}: IndexKey: {name}")


def item_filter(parsed: ParsedRequest, request: dict) -> Optional[Callable[[Item], Any]]:
    if parsed.filter is not None:
        return parsed.filter.test()
    if parsed.legacy_filter:
        return legacy.condition_filter(parsed.legacy_filter, request.get("ConditionalOperator")).matches
    return None


def projector(parsed: ParsedRequest, select: str) -> Optional[Callable[[Item], Item]]:
    if select == "COUNT":
        return None
    if parsed.attributes is not None:
        return legacy.AttributesToGet(parsed.attributes).apply
    if parsed.projection is not None:
        return parsed.projection.apply
    return None


def fetches_from_table(target: ReadTarget, select: str, parsed: ParsedRequest) -> bool:
    """An LSI read fetches the table items when it needs attributes the index does not
    project: Select=ALL_ATTRIBUTES, or a projection or filter naming such an attribute
    (a GSI cannot fetch: ALL_ATTRIBUTES is refused, other names simply are not there).
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.Projections"""
    index = target.index
    if index is None or index.is_global or index.projects_all:
        return False
    if fetches_all_from_table(index, select):
        return True
    if select == "COUNT" and parsed.filter_names is None and not parsed.legacy_filter:
        return False
    wanted: set[str] = set(parsed.attributes or ()) | (parsed.projection_names or set())
    wanted |= parsed.filter_names or set(parsed.legacy_filter or ())
    return any(not index.is_projected(name) for name in wanted)


def respond(target: ReadTarget, page: Page, request: dict, parsed: ParsedRequest, select: str) -> dict:
    """The response to a Query or Scan page, with the request's filter, projection,
    Select, consistency and capacity mode."""
    return finish(
        target, page,
        select=select,
        item_filter=item_filter(parsed, request),
        projector=projector(parsed, select),
        fetch_table_items=fetches_from_table(target, select, parsed),
        consistent=bool(request.get("ConsistentRead")),
        capacity_mode=request.get("ReturnConsumedCapacity"),
    )
