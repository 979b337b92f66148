"""BatchWriteItem and BatchGetItem: up to 25 puts/deletes, or 100 gets, across tables.

Neither is atomic in DynamoDB, but both are refused as a whole when any part of the
request is invalid, so every check runs before the first write or read. The order,
as DynamoDB applies it (dynalite validations/batchWriteItem.js, batchGetItem.js and
their tests, recorded from DynamoDB; the conformance suite's tier3 error-messages,
limits and validation-ordering tests for the newer wordings):

1. member types, the AttributeValues' included (SerializationException);
2. the collected request shape ("N validation errors detected": enums, table names as
   map keys, the per-table list lengths, a PutRequest without Item, ...);
3. an absent or empty RequestItems: "The requestItems parameter is required for ...";
4. per table: expression rules (BatchGetItem), invalid attribute values, item sizes,
   duplicate keys (BatchGetItem), the request-wide count;
5. each table's existence ("Requested resource not found"), then each key against the
   table's schema, then duplicate keys (BatchWriteItem checks the table first).

BatchWriteItem's 16 MB request limit cannot be reached by a valid request: 25 items of
at most 400 KB make 10 MB. BatchGetItem's 16 MB response limit can, and the keys it does
not get to come back in UnprocessedKeys, as DynamoDB does.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Callable, Optional

from .. import capacity, indexes, legacy, limits, validate
from ..database import Database
from ..errors import ItemCollectionSizeLimitExceededException, SerializationException, ValidationException
from ..expressions import RequestExpressions, check_parameters
from ..table import KEY_MISMATCH_MESSAGE, Table
from ..types import (
    MULTIPLE_TYPES_MESSAGE, Item, KeyValue, ParsedItem, check_item_size, item_size, parse_item,
)
from . import echo
from .items import WritePlan
from .request_types import List, Struct, conform, conform_value

RETURN_ITEM_COLLECTION_METRICS = ("SIZE", "NONE")
DUPLICATE_KEYS_MESSAGE = "Provided list of item keys contains duplicates"
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
_MAP_KEYS_CONSTRAINT = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
    "Member must have length greater than or equal to 3, "
    "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
)
_WRITES_CONSTRAINT = (
    "Map value must satisfy constraint: [Member must have length less than or equal to "
    f"{limits.MAX_BATCH_WRITE_ITEMS}, Member must have length greater than or equal to 1]"
)

_WRITE_REQUEST = Struct(
    "WriteRequest",
    {"PutRequest": Struct("PutRequest", {}), "DeleteRequest": Struct("DeleteRequest", {})},
    element=True,
)
_KEYS_AND_ATTRIBUTES = Struct(
    "KeysAndAttributes",
    {"AttributesToGet": List("String"), "ConsistentRead": "Boolean", "ProjectionExpression": "String"},
    element=True,
)

#: A key's position in its table: partition and sort key-order values.
Position = tuple[KeyValue, Any]


def required_message(operation: str) -> str:
    # conformance tier3/error-messages/batchWriteItem, batchGetItem (observed on AWS)
    return f"The requestItems parameter is required for {operation}"


def too_many_message(operation: str) -> str:
    # dynalite test/batchGetItem.js "more than 100 keys over multiple tables" (recorded)
    return f"Too many items requested for the {operation} call"


# ---------------------------------------------------------------- member types


def conform_map(value: Any) -> dict:
    """A JSON object where the model has a map (dynalite validations: Map<...>)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        raise SerializationException("Unrecognized collection type class java.util.Map")
    raise SerializationException("Unexpected field type")


#: A WriteRequest's parsed PutRequest.Item and DeleteRequest.Key (None when absent).
ParsedWrite = tuple[Optional[ParsedItem], Optional[ParsedItem]]


def _parsed_member(part: Optional[dict], member: str) -> Optional[ParsedItem]:
    """Deserialize an Item or Key now (SerializationException at once); its first
    validation error waits in the ParsedItem until after the shape checks."""
    if part is None or part.get(member) is None:
        return None
    return parse_item(part[member])


#: The member a WriteRequest of each kind holds.
_WRITE_MEMBERS = {"PutRequest": "Item", "DeleteRequest": "Key"}


def _conform_write(write: Any) -> dict:
    """One WriteRequest, checked as ``_WRITE_REQUEST``. The usual one, a single
    PutRequest or DeleteRequest holding a single map, is taken as it is (converting it
    would only copy it: 1 us of a 14 us put in a batch)."""
    if type(write) is dict and len(write) == 1:
        for kind, part in write.items():
            member = _WRITE_MEMBERS.get(kind)
            if member is not None and type(part) is dict and len(part) == 1 and type(part.get(member)) is dict:
                return write
    return conform_value(write, _WRITE_REQUEST)  # type: ignore[no-any-return]


def _conform_write_items(value: Any) -> tuple[dict[str, list[dict]], dict[str, list[ParsedWrite]]]:
    result: dict[str, list[dict]] = {}
    parsed: dict[str, list[ParsedWrite]] = {}
    for table_name, requests in conform_map(value).items():
        if type(requests) is list:
            requests = [_conform_write(write) for write in requests]
        else:
            requests = conform_value(requests, List(_WRITE_REQUEST))  # the error for a non-list
        parsed[table_name] = [(_parsed_member(write.get("PutRequest"), "Item"),
                               _parsed_member(write.get("DeleteRequest"), "Key")) for write in requests]
        result[table_name] = requests
    return result, parsed


def _conform_get_items(value: Any) -> tuple[dict[str, dict], dict[str, list[ParsedItem]]]:
    result: dict[str, dict] = {}
    parsed: dict[str, list[ParsedItem]] = {}
    for table_name, spec in conform_map(value).items():
        spec = conform_value(spec, _KEYS_AND_ATTRIBUTES)
        keys = spec.get("Keys")
        if keys is not None:
            if isinstance(keys, dict):
                raise SerializationException("Start of structure or map found where not expected")
            if not isinstance(keys, list):
                raise SerializationException("Unexpected field type")
            parsed[table_name] = [parse_item(key) for key in keys]
        if spec.get("ExpressionAttributeNames") is not None:
            conform_map(spec["ExpressionAttributeNames"])
        result[table_name] = spec
    return result, parsed


# ---------------------------------------------------------------- request shape


def _table_names_shape(shape: validate.Shape, request_items: dict, shown: Callable[[], str]) -> None:
    """Table names are the map's keys: one error for all of them, echoing the map."""
    if any(not (3 <= len(name) <= 255 and _TABLE_NAME.fullmatch(name)) for name in request_items):
        shape.errors.append(f"Value '{shown()}' at 'requestItems' failed to satisfy constraint: {_MAP_KEYS_CONSTRAINT}")


def _write_shape(request: dict, request_items: dict[str, list[dict]]) -> None:
    shape = validate.Shape()
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    shape.enum(request.get("ReturnItemCollectionMetrics"), "returnItemCollectionMetrics",
               RETURN_ITEM_COLLECTION_METRICS)
    shown = lambda: echo.write_request_items(request_items)  # noqa: E731  (built only when needed)
    _table_names_shape(shape, request_items, shown)
    if any(not 1 <= len(writes) <= limits.MAX_BATCH_WRITE_ITEMS for writes in request_items.values()):
        shape.errors.append(f"Value '{shown()}' at 'requestItems' failed to satisfy constraint: {_WRITES_CONSTRAINT}")
    for table_name, writes in request_items.items():
        for position, write in enumerate(writes, 1):
            delete, put = write.get("DeleteRequest"), write.get("PutRequest")
            if delete is not None and delete.get("Key") is None:
                shape.required(None, f"requestItems.{table_name}.member.{position}.member.deleteRequest.key")
            if put is not None and put.get("Item") is None:
                shape.required(None, f"requestItems.{table_name}.member.{position}.member.putRequest.item")
    shape.check()


def _get_shape(request: dict, request_items: dict[str, dict]) -> None:
    """BatchGetItem reports its KeysAndAttributes members in the newer wording of
    DynamoDB's validator: no value, API member names (conformance tier3/error-messages/
    batchGetItem: "Value at 'RequestItems.<table>.member.Keys' failed to satisfy
    constraint: Member must have length less than or equal to 100")."""
    shape = validate.Shape()
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    _table_names_shape(shape, request_items,
                       lambda: echo.java_map({name: echo.java_object("KeysAndAttributes", spec)
                                              for name, spec in request_items.items()}))
    for table_name, spec in request_items.items():
        path = f"RequestItems.{table_name}.member"
        keys = spec.get("Keys")
        if keys is None:
            shape.errors.append(f"Value at '{path}.Keys' failed to satisfy constraint: Member must not be null")
        elif not 1 <= len(keys) <= limits.MAX_BATCH_GET_KEYS:
            bound = ("greater than or equal to 1" if not keys
                     else f"less than or equal to {limits.MAX_BATCH_GET_KEYS}")
            shape.errors.append(f"Value at '{path}.Keys' failed to satisfy constraint: Member must have length {bound}")
        names = spec.get("AttributesToGet")
        if names is not None and not 1 <= len(names) <= 255:
            bound = "greater than or equal to 1" if not names else "less than or equal to 255"
            shape.errors.append(
                f"Value at '{path}.AttributesToGet' failed to satisfy constraint: Member must have length {bound}")
    shape.check()


# ---------------------------------------------------------------- keys


def _key_identity(key: Item) -> tuple:
    """What makes two request keys the same, before the table is known (BatchGetItem
    refuses duplicates without looking at the table)."""
    parts = []
    for name, value in key.items():
        ((kind, inner),) = value.items()
        # A parsed key's numbers and binaries are canonical text (types.normalize_number,
        # check_base64): like a string, each is its own identity.
        if kind not in ("S", "N", "B"):
            inner = json.dumps(inner, sort_keys=True)
        parts.append((name, kind, inner))
    parts.sort(key=itemgetter(0))
    return tuple(parts)


def _check_put_key(table: Table, item: Item) -> Position:
    """A PutRequest's item must carry the key attributes with the declared types; in a
    batch a missing or mistyped key is reported as a schema mismatch, unlike PutItem's
    "Missing the key" (dynalite actions/batchWriteItem.js; LocalStack snapshot
    test_batch_write_not_matching_schema, recorded on AWS). The rest (empty or too long
    key values, item size, index keys) is PutItem's own check."""
    try:
        # The item's size was checked against the limit with its values (_normalize_write).
        return table.check_new_item(item, item_size(item))
    except ValidationException:
        # A missing or mistyped key attribute is reported before anything else the
        # table's checks found (an empty hash key with no sort key at all: a mismatch).
        schema = table.schema
        for name, kind in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type)):
            value = item.get(name) if name is not None else None
            if name is not None and (value is None or kind not in value):
                raise ValidationException(KEY_MISMATCH_MESSAGE) from None
        raise


# ---------------------------------------------------------------- BatchWriteItem


def batch_write_item(db: Database, request: dict) -> dict:
    request = conform(request, {"ReturnConsumedCapacity": "String", "ReturnItemCollectionMetrics": "String"})
    request_items, parsed = (_conform_write_items(request["RequestItems"]) if request.get("RequestItems") is not None
                             else ({}, {}))
    _write_shape(request, request_items)
    if not request_items:
        raise ValidationException(required_message("BatchWriteItem"))
    if sum(len(writes) for writes in request_items.values()) > limits.MAX_BATCH_WRITE_ITEMS:
        raise ValidationException(too_many_message("BatchWriteItem"))
    writes = {name: [_normalize_write(write, values) for write, values in zip(table_writes, parsed[name])]
              for name, table_writes in request_items.items()}
    plans: list[WritePlan] = []
    for table_name, table_writes in writes.items():
        table = db.get_table(table_name)
        seen: set[Position] = set()
        for is_put, item in table_writes:
            position = _check_put_key(table, item) if is_put else table.check_key(item)
            if position in seen:
                raise ValidationException(DUPLICATE_KEYS_MESSAGE)
            seen.add(position)
            # Planning reads the stored item and raises nothing (a batch has no
            # conditions), so the checks' order is the loop's alone.
            plans.append(WritePlan(table, table.get(*position), item if is_put else None, position))
    # Each put was checked against the table as it is; together they may still grow an
    # LSI item collection past its limit. Refused before anything is written.
    if any(indexes.collections_overflowing([(plan.table, plan.old, plan.new) for plan in plans])):
        raise ItemCollectionSizeLimitExceededException(indexes.COLLECTION_TOO_LARGE)
    for plan in plans:
        plan.apply()
    response: dict[str, Any] = {"UnprocessedItems": {}}
    response.update(_write_capacity(request.get("ReturnConsumedCapacity"), plans))
    if request.get("ReturnItemCollectionMetrics") == "SIZE":
        response.update(_collection_metrics(plans, writes))
    return response


def _normalize_write(write: dict, parsed: ParsedWrite) -> tuple[bool, Item]:
    """(is a put, the normalized item or key): attribute values and the item size are
    checked before any table is looked up. A WriteRequest must hold exactly one of
    PutRequest and DeleteRequest; DynamoDB words an empty one like an AttributeValue
    with several types (dynalite test/batchWriteItem.js, recorded)."""
    put, delete = write.get("PutRequest"), write.get("DeleteRequest")
    if (put is None) == (delete is None):
        raise ValidationException(MULTIPLE_TYPES_MESSAGE)
    put_item, delete_key = parsed
    if put_item is not None:
        item = put_item.check()
        check_item_size(item)
        return True, item
    assert delete_key is not None  # the shape pass refused a DeleteRequest without Key
    return False, delete_key.check()


def _write_capacity(mode: Any, plans: list[WritePlan]) -> dict[str, Any]:
    """One ConsumedCapacity entry per table: each write costs 1 unit per KB of the larger
    of the old and new item, plus its index upkeep (as for PutItem/DeleteItem)."""
    if mode not in ("TOTAL", "INDEXES"):
        return {}
    totals: dict[str, tuple[Table, float, dict[str, tuple[str, float]]]] = {}
    for plan in plans:
        table, units, index_units = totals.get(plan.table.name, (plan.table, 0.0, {}))
        size = max(item_size(plan.old) if plan.old else 0, item_size(plan.new) if plan.new else 0)
        units += capacity.write_units(size)
        for name, (kind, spent) in indexes.write_units(plan.table, plan.old, plan.new).items():
            index_units[name] = (kind, index_units.get(name, (kind, 0.0))[1] + spent)
        totals[plan.table.name] = (table, units, index_units)
    return {"ConsumedCapacity": [capacity.consumed(mode, name, units, index_units)
                                 for name, (_, units, index_units) in totals.items()]}


def _collection_metrics(plans: list[WritePlan], writes: dict[str, list[tuple[bool, Item]]]) -> dict[str, Any]:
    """ItemCollectionMetrics per table, one entry per write, for tables with local
    secondary indexes (the only ones DynamoDB reports item collections for)."""
    metrics: dict[str, list[dict]] = {}
    items = [item for table_writes in writes.values() for _, item in table_writes]
    for plan, item in zip(plans, items):
        entry = indexes.item_collection_metrics(plan.table, item)
        if entry is not None:
            metrics.setdefault(plan.table.name, []).append(entry)
    return {"ItemCollectionMetrics": metrics} if metrics else {}


# ---------------------------------------------------------------- BatchGetItem


@dataclass
class _TableRead:
    """One table's part of a BatchGetItem, after its request-level checks."""

    name: str
    spec: dict
    keys: list[Item]
    projection: Optional[Callable[[Item], Item]]
    consistent: bool
    positions: list[Position] = field(default_factory=list)


def batch_get_item(db: Database, request: dict) -> dict:
    request = conform(request, {"ReturnConsumedCapacity": "String"})
    request_items, parsed = (_conform_get_items(request["RequestItems"]) if request.get("RequestItems") is not None
                             else ({}, {}))
    _get_shape(request, request_items)
    if not request_items:
        raise ValidationException(required_message("BatchGetItem"))
    reads: list[_TableRead] = []
    count = 0
    for table_name, spec in request_items.items():
        reads.append(_parse_read(table_name, spec, parsed[table_name]))
        count += len(spec["Keys"])
        if count > limits.MAX_BATCH_GET_KEYS:
            raise ValidationException(too_many_message("BatchGetItem"))
    _check_one_projection_style(request_items)
    tables = [db.get_table(read.name) for read in reads]
    for table, read in zip(tables, reads):
        read.positions = [table.check_key(key) for key in read.keys]
    return _read(request.get("ReturnConsumedCapacity"), tables, reads)


def _check_one_projection_style(request_items: dict) -> None:
    """A ProjectionExpression for one table and AttributesToGet for another mix the two
    syntaxes in one request, which DynamoDB refuses (conformance tier3/error-messages/
    batchGetItem, on AWS: a ValidationException; its words are assumed to be the usual
    mixing message, as other emulators answer)."""
    used: dict[str, Any] = {}
    for spec in request_items.values():
        for member in ("ProjectionExpression", "AttributesToGet"):
            if spec.get(member) is not None:
                used.setdefault(member, spec[member])
    check_parameters(used, ("ProjectionExpression",), ("AttributesToGet",))


def _parse_read(table_name: str, spec: dict, parsed_keys: list[ParsedItem]) -> _TableRead:
    """One table's expression rules, attribute values and duplicate keys."""
    check_parameters(spec, ("ProjectionExpression",), ("AttributesToGet",))
    names = legacy.check_attribute_names(spec.get("AttributesToGet"))
    expressions = RequestExpressions(spec.get("ExpressionAttributeNames"), None)
    projection: Optional[Callable[[Item], Item]] = None
    if spec.get("ProjectionExpression") is not None:
        projection = expressions.projection(spec["ProjectionExpression"]).apply
    elif names is not None:
        projection = lambda item: legacy.project_attributes(item, names)  # noqa: E731
    expressions.check_unused()
    keys: list[Item] = []
    seen: set[tuple] = set()
    for parsed in parsed_keys:
        key = parsed.check()
        identity = _key_identity(key)
        if identity in seen:
            raise ValidationException(DUPLICATE_KEYS_MESSAGE)
        seen.add(identity)
        keys.append(key)
    return _TableRead(table_name, spec, keys, projection, bool(spec.get("ConsistentRead")))


def _read(mode: Any, tables: list[Table], reads: list[_TableRead]) -> dict:
    """Read every key in request order until the items read reach 16 MB; the keys left
    go back in UnprocessedKeys with the rest of their table's request."""
    responses: dict[str, list[Item]] = {}
    unprocessed: dict[str, dict] = {}
    consumed: list[dict] = []
    total_bytes = 0
    full = False
    counting = mode in ("TOTAL", "INDEXES")
    for table, read in zip(tables, reads):
        found: list[Item] = []
        left: list[Item] = []
        units = 0.0
        for key, position in zip(read.spec["Keys"], read.positions):
            item = None if full else table.get(*position)
            size = item_size(item) if item is not None else 0
            if full or total_bytes + size > limits.MAX_BATCH_GET_RESPONSE_BYTES:
                full = True
                left.append(key)
                continue
            total_bytes += size
            if counting:
                units += capacity.read_units(size, read.consistent)
            if item is not None:
                found.append(read.projection(item) if read.projection is not None else item)
        responses[read.name] = found
        if left:
            unprocessed[read.name] = {**read.spec, "Keys": left}
        entry = capacity.consumed(mode, read.name, units)
        if entry is not None:
            consumed.append(entry)
    response: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
    if mode in ("TOTAL", "INDEXES"):
        response["ConsumedCapacity"] = consumed
    return response
