"""Single-item operations: PutItem, GetItem, DeleteItem (UpdateItem joins with expressions).

Order of checks, as DynamoDB applies them: request shape (collected), then the table's
existence, then key and item validity, then the condition, then the write.
"""

from __future__ import annotations

from typing import Any

from .. import capacity, indexes, validate
from ..database import Database
from ..table import Table
from ..types import Item, item_size, normalize_item

RETURN_VALUES_PUT_DELETE = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")


def _common_shape(request: dict, shape: validate.Shape) -> None:
    validate.table_name(shape, request.get("TableName"))
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)


def _write_capacity(request: dict, table: Table, old: Item | None, new: Item | None) -> dict[str, Any]:
    mode = request.get("ReturnConsumedCapacity")
    if mode not in ("TOTAL", "INDEXES"):
        return {}
    size = max(item_size(old) if old else 0, item_size(new) if new else 0)
    units = capacity.write_units(size)
    return {"ConsumedCapacity": capacity.consumed(mode, table.name, units, indexes.write_units(table, old, new))}


def put_item(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    _common_shape(request, shape)
    shape.required(request.get("Item"), "item")
    shape.enum(request.get("ReturnValues"), "returnValues", RETURN_VALUES_PUT_DELETE)
    shape.check()
    table = db.get_table(request["TableName"])
    item = normalize_item(request["Item"])
    hash_value, range_value = table.check_new_item(item)
    old = table.get(hash_value, range_value)
    table.put(item)
    response: dict[str, Any] = {}
    if request.get("ReturnValues") == "ALL_OLD" and old is not None:
        response["Attributes"] = old
    response.update(_write_capacity(request, table, old, item))
    response.update(indexes.collection_metrics_response(request, table, item))
    return response


def get_item(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    _common_shape(request, shape)
    shape.required(request.get("Key"), "key")
    shape.check()
    table = db.get_table(request["TableName"])
    hash_value, range_value = table.check_key(request["Key"])
    item = table.get(hash_value, range_value)
    response: dict[str, Any] = {}
    if item is not None:
        response["Item"] = item
    mode = request.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        units = capacity.read_units(item_size(item) if item else 0, bool(request.get("ConsistentRead")))
        response["ConsumedCapacity"] = capacity.consumed(mode, table.name, units)
    return response


def delete_item(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    _common_shape(request, shape)
    shape.required(request.get("Key"), "key")
    shape.enum(request.get("ReturnValues"), "returnValues", RETURN_VALUES_PUT_DELETE)
    shape.check()
    table = db.get_table(request["TableName"])
    hash_value, range_value = table.check_key(request["Key"])
    old = table.delete(hash_value, range_value)
    response: dict[str, Any] = {}
    if request.get("ReturnValues") == "ALL_OLD" and old is not None:
        response["Attributes"] = old
    response.update(_write_capacity(request, table, old, None))
    response.update(indexes.collection_metrics_response(request, table, request["Key"]))
    return response
