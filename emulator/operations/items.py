"""Single-item operations: PutItem, GetItem, DeleteItem and UpdateItem.

Order of checks, as DynamoDB applies them: request shape (collected), then the
expressions (emulator.expressions: parameter mix, placeholder maps, each expression,
unused placeholders), then the table's existence, then key and item validity, then the
condition, then the write.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

from .. import capacity, indexes, legacy, limits, validate
from . import item_requests
from ..database import Database
from ..errors import ConditionalCheckFailedException, ValidationException
from ..expressions import Condition, Projection, RequestExpressions, check_parameters
from ..expressions.project import apply_tree, build_tree
from ..expressions.update import Update
from ..table import Table
from ..types import Item, check_item_size, item_size, normalize_item, parse_item

# In the order DynamoDB lists them in its enum message (dynalite test/putItem.js, recorded
# on AWS; the same in dynoxide's captures).
RETURN_VALUES_PUT_DELETE = ("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW")
RETURN_VALUES_ON_CONDITION_CHECK_FAILURE = ("ALL_OLD", "NONE")
CONDITION_FAILED_MESSAGE = "The conditional request failed"
UPDATE_TOO_LARGE_MESSAGE = "Item size to update has exceeded the maximum allowed size"


def _common_shape(request: dict, shape: validate.Shape) -> None:
    item_requests.check_table_name(request)  # a malformed one is reported alone
    shape.required(request.get("TableName"), "tableName")
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)


def _write_capacity(request: dict, table: Table, old: Item | None, new: Item | None) -> dict[str, Any]:
    mode = request.get("ReturnConsumedCapacity")
    if mode not in ("TOTAL", "INDEXES"):
        return {}
    size = max(item_size(old) if old else 0, item_size(new) if new else 0)
    units = capacity.write_units(size)
    return {"ConsumedCapacity": capacity.consumed(mode, table.name, units, indexes.write_units(table, old, new))}


def _condition_shape(request: dict, shape: validate.Shape) -> None:
    shape.enum(request.get("ReturnValuesOnConditionCheckFailure"), "returnValuesOnConditionCheckFailure",
               RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
    legacy.expected_shape(shape, request.get("Expected"))
    shape.enum(request.get("ConditionalOperator"), "conditionalOperator", legacy.CONDITIONAL_OPERATORS)


def _expected(request: dict) -> Condition | None:
    """The legacy Expected (with ConditionalOperator) as a condition; checked after the
    parameter-mix rules and before any expression (dynalite validations/putItem.js,
    updateItem.js; ExtendDB for ConditionalOperator)."""
    legacy.check_conditional_operator(request, ("Expected",))
    expected = legacy.normalize_expected(request.get("Expected"))
    if not expected:
        return None
    return legacy.condition_filter(expected, request.get("ConditionalOperator"))


def _only_all_old(request: dict) -> None:
    """PutItem and DeleteItem accept the whole ReturnValues enum in the request shape,
    then only NONE and ALL_OLD (dynalite validations/putItem.js, recorded on AWS)."""
    if request.get("ReturnValues") not in (None, "NONE", "ALL_OLD"):
        raise ValidationException("ReturnValues can only be ALL_OLD or NONE")


def _condition_expressions(request: dict, condition: Condition | None) -> Condition | None:
    """ConditionExpression with its placeholders, or else ``condition``, the legacy
    Expected's (PutItem, DeleteItem; both have checked the mix of the two syntaxes)."""
    expressions = RequestExpressions(request.get("ExpressionAttributeNames"), request.get("ExpressionAttributeValues"))
    if request.get("ConditionExpression") is not None:
        condition = expressions.condition(request["ConditionExpression"])
    expressions.check_unused()
    return condition


def _check_condition(request: dict, condition: Condition | None, old: Item | None) -> None:
    """ConditionalCheckFailedException, with the old item as ``Item`` when the request
    asks for it with ReturnValuesOnConditionCheckFailure=ALL_OLD (and there is one)."""
    if condition is None or condition.matches(old):
        return
    extras = {}
    if request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and old is not None:
        extras["Item"] = old
    raise ConditionalCheckFailedException(CONDITION_FAILED_MESSAGE, **extras)


# ---------------------------------------------------------------- write plans
#
# "Plan one write": validate the item or key against the table, read what is stored,
# check the condition and compute the new item, without writing anything. The single-
# item operations apply a plan at once; TransactWriteItems plans every action first and
# applies them only when all succeeded (all-or-nothing), and BatchWriteItem plans its
# puts and deletes the same way, so all of them share one set of rules.


class WritePlan(NamedTuple):
    """One item change worked out but not yet made; ``new`` None deletes the item.
    (Immutable; a NamedTuple because a batch makes one per item and a frozen dataclass
    costs four times as much to build.)"""

    table: Table
    old: Optional[Item]
    new: Optional[Item]
    #: The item's key values when the plan already worked them out (spares the write
    #: path computing them again).
    position: Optional[tuple] = None

    def apply(self) -> None:
        """Make the change through the table's one write path (indexes, streams)."""
        if self.new is not None:
            self.table.put(self.new, self.position)
        elif self.old is not None:
            self.table.delete(*(self.position if self.position is not None else self.table.key_values(self.old)))


def plan_check(table: Table, key: Any, condition: Optional[Condition], request: dict) -> Optional[Item]:
    """Validate ``key``, read the stored item and check the condition against it (for a
    DeleteItem, or a transaction's ConditionCheck); returns the stored item."""
    hash_value, range_value = table.check_key(key)
    old = table.get(hash_value, range_value)
    _check_condition(request, condition, old)
    return old


def plan_put(table: Table, item: Item, condition: Optional[Condition], request: dict,
             size: Optional[int] = None, position: Optional[tuple[Any, Any]] = None) -> WritePlan:
    """PutItem of a normalized ``item``: the table's checks, then the condition.
    ``size``: the item's size when the caller already checked it against the limit;
    ``position``: its key when the caller already ran all of the table's checks."""
    if position is None:
        position = table.check_new_item(item, size)
    old = table.get(*position)
    _check_condition(request, condition, old)
    return WritePlan(table, old, item, position)


def plan_delete(table: Table, key: Any, condition: Optional[Condition], request: dict) -> WritePlan:
    return WritePlan(table, plan_check(table, key, condition, request), None)


def plan_update(table: Table, request: dict, update: Optional[Update], condition: Optional[Condition],
                attribute_updates: Optional[dict] = None) -> WritePlan:
    """UpdateItem of ``request["Key"]``: creates the item when it is absent, never
    touches key attributes, checks the 400 KB limit on the result."""
    hash_value, range_value = table.check_key(request["Key"])
    if update is not None:
        update.check_keys(table.schema.names)
    old = table.get(hash_value, range_value)
    if attribute_updates:
        legacy.check_update_types(attribute_updates, old)
    _check_condition(request, condition, old)
    base = old if old is not None else normalize_item(request["Key"])
    # Both carry their sizes, and so does what Update.apply makes of them (measuring
    # only the attributes it wrote): the limit check here and the table's running
    # total, for this write and the next one replacing it, need no walk of the item.
    new = update.apply(base) if update is not None else base
    # DynamoDB words the size limit differently for UpdateItem (dynalite, recorded on AWS).
    size = item_size(new)
    if size > limits.MAX_ITEM_SIZE_BYTES:
        raise ValidationException(UPDATE_TOO_LARGE_MESSAGE)
    # The key attributes are the request's Key, checked above, and an update cannot
    # write them.
    try:
        table.check_new_item(new, size, keys=(hash_value, range_value))
    except indexes.EmptyIndexKey as error:
        raise error.by_update() from None
    return WritePlan(table, old, new, (hash_value, range_value))


def put_item(db: Database, request: dict) -> dict:
    request, condition = _checked_write_request(request, "Item", _PUT_TEMPLATES)
    item = request["Item"]
    table = db.get_table(request["TableName"])
    plan = plan_put(table, item, condition, request, item_size(item))
    plan.apply()
    old = plan.old
    response: dict[str, Any] = {}
    if request.get("ReturnValues") == "ALL_OLD" and old is not None:
        response["Attributes"] = old
    response.update(_write_capacity(request, table, old, item))
    response.update(indexes.collection_metrics_response(request, table, item))
    return response


def get_item(db: Database, request: dict) -> dict:
    request, projection = _checked_get_request(request)
    table = db.get_table(request["TableName"])
    hash_value, range_value = table.check_key(request["Key"])
    item = table.get(hash_value, range_value)
    response: dict[str, Any] = {}
    if item is not None:
        response["Item"] = projection.apply(item) if projection is not None else item
    mode = request.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        units = capacity.read_units(item_size(item) if item else 0, bool(request.get("ConsistentRead")))
        response["ConsumedCapacity"] = capacity.consumed(mode, table.name, units)
    return response


def delete_item(db: Database, request: dict) -> dict:
    request, condition = _checked_write_request(request, "Key", _DELETE_TEMPLATES)
    key = request["Key"]
    table = db.get_table(request["TableName"])
    plan = plan_delete(table, key, condition, request)
    plan.apply()
    old = plan.old
    response: dict[str, Any] = {}
    if request.get("ReturnValues") == "ALL_OLD" and old is not None:
        response["Attributes"] = old
    response.update(_write_capacity(request, table, old, None))
    response.update(indexes.collection_metrics_response(request, table, key))
    return response


def update_item(db: Database, request: dict, *, measure_statement: bool = True) -> dict:
    """UpdateItem with UpdateExpression/ConditionExpression: creates the item when it is
    absent, never touches key attributes, checks the 400 KB limit on the result and
    (``measure_statement``: the operation itself, not PartiQL's UPDATE made into one) on
    what the statement writes (expressions.update.STATEMENT_COST)."""
    request, update, condition, attribute_updates = _checked_update_request(request)
    table = db.get_table(request["TableName"])
    plan = plan_update(table, request, update, condition, attribute_updates)
    old, new = plan.old, plan.new
    assert new is not None
    # What the statement writes is part of the finished item, so only an item within its
    # statement's cost of the limit needs measuring (O(1) for every other update).
    if (measure_statement and update is not None
            and item_size(new) + update.statement_cost > limits.MAX_ITEM_SIZE_BYTES
            and update.written_size(new) > limits.MAX_ITEM_SIZE_BYTES):
        raise ValidationException(UPDATE_TOO_LARGE_MESSAGE)
    plan.apply()
    response: dict[str, Any] = {}
    attributes = _update_return_values(request.get("ReturnValues"), update, old, new)
    if attributes:
        response["Attributes"] = attributes
    response.update(_write_capacity(request, table, old, new))
    response.update(indexes.collection_metrics_response(request, table, new))
    return response


# ---------------------------------------------------------------- request checks
#
# Each operation's checks that need neither the table nor the stored item, in
# DynamoDB's order (item_requests' docstring). A request whose members but its key or
# item passed them before is recognised by those members (item_requests.recall) and
# only its key or item is checked, then its expressions bound again if its placeholder
# values are new: with every other member valid, the key's or item's own faults and the
# values' are the only ones left, and the full checks would report them alike
# (Serialization faults of the key or item come first in both, invalid values after
# member checks that pass, the placeholder values last, with the expressions).


def _checked_write_request(request: dict, member: str, templates: dict) -> tuple[dict, Optional[Condition]]:
    """PutItem's (``member`` "Item") or DeleteItem's ("Key"): the request with its member
    normalized (an Item within the 400 KB limit), and the condition."""
    template_key, template = item_requests.recall(templates, request, member, loose_values=True)
    if template is not None:
        members, condition, current = template
        value = parse_item(request[member]).check()
        if member == "Item":
            check_item_size(value)
        request = {**members, member: value}
        if not current:  # new values: an expression is used, so no Expected (check_parameters)
            condition = _condition_expressions(request, None)
        return request, condition
    request, parsed = item_requests.prepare(request, member)
    shape = validate.Shape()
    _common_shape(request, shape)
    shape.required(request.get(member), member.lower())
    shape.enum(request.get("ReturnValues"), "returnValues", RETURN_VALUES_PUT_DELETE)
    item_requests.metrics_shape(request, shape)
    _condition_shape(request, shape)
    shape.check()
    legacy.check_parameters(request, ("ConditionExpression",), ("Expected", "ConditionalOperator"))
    value = item_requests.values(parsed)
    _only_all_old(request)
    if member == "Item":
        check_item_size(value)
    condition = _condition_expressions(request, _expected(request))
    request = {**request, member: value}
    item_requests.remember(templates, template_key, request, member, condition)
    return request, condition


def _checked_get_request(request: dict) -> tuple[dict, Optional[Projection]]:
    """GetItem's: the request with its Key normalized, and the projection."""
    template_key, template = item_requests.recall(_GET_TEMPLATES, request, "Key")
    if template is not None:
        members, projection = template
        return {**members, "Key": parse_item(request["Key"]).check()}, projection
    request, parsed = item_requests.prepare(request, "Key")
    shape = validate.Shape()
    _common_shape(request, shape)
    shape.required(request.get("Key"), "key")
    shape.length(request.get("AttributesToGet"), "attributesToGet", 1, 255)
    shape.check()
    check_parameters(request, ("ProjectionExpression",), ("AttributesToGet",))
    request = {**request, "Key": item_requests.values(parsed)}
    attributes = legacy.check_attribute_names(request.get("AttributesToGet"))
    expressions = RequestExpressions(request.get("ExpressionAttributeNames"), None)
    projection = None
    if request.get("ProjectionExpression") is not None:
        projection = expressions.projection(request["ProjectionExpression"])
    elif attributes is not None:
        projection = legacy.AttributesToGet(attributes)
    expressions.check_unused()
    item_requests.remember(_GET_TEMPLATES, template_key, request, "Key", projection)
    return request, projection


def _checked_update_request(request: dict) -> tuple[dict, Optional[Update], Optional[Condition], Optional[dict]]:
    """UpdateItem's: the request with its Key normalized, the update, the condition and
    the legacy AttributeUpdates."""
    template_key, template = item_requests.recall(_UPDATE_TEMPLATES, request, "Key", loose_values=True)
    if template is not None:
        members, products, current = template
        request = {**members, "Key": parse_item(request["Key"]).check()}
        if not current:
            # New values: an expression is used, so no AttributeUpdates or Expected.
            products = _update_expressions(request, None, None)
        update, condition = products
        return request, update, condition, None
    request, parsed = item_requests.prepare(request, "Key", item_requests.UPDATE_MEMBER_TYPES)
    shape = validate.Shape()
    _common_shape(request, shape)  # a malformed TableName is reported there, alone
    # An invalid ReturnValues is reported alone too, before the other members' violations:
    # UpdateItem stops at it since June 2026, where PutItem and DeleteItem still collect
    # every violation (conformance tier3/validation-ordering/updateItem, on AWS eu-west-2).
    alone = validate.Shape()
    alone.enum(request.get("ReturnValues"), "returnValues", RETURN_VALUES_PUT_DELETE)
    alone.check()
    shape.required(request.get("Key"), "key")
    item_requests.metrics_shape(request, shape)
    _condition_shape(request, shape)
    legacy.attribute_updates_shape(shape, request.get("AttributeUpdates"))
    shape.check()
    legacy.check_parameters(request, ("UpdateExpression", "ConditionExpression"),
                            ("AttributeUpdates", "Expected", "ConditionalOperator"))
    request = {**request, "Key": item_requests.values(parsed)}
    attribute_updates = legacy.normalize_attribute_updates(request.get("AttributeUpdates"))
    update, condition = _update_expressions(request, attribute_updates, _expected(request))
    if not attribute_updates:  # applied from the request itself, each time
        item_requests.remember(_UPDATE_TEMPLATES, template_key, request, "Key", (update, condition))
    return request, update, condition, attribute_updates


def _update_expressions(request: dict, attribute_updates: Optional[dict],
                        condition: Optional[Condition]) -> tuple[Optional[Update], Optional[Condition]]:
    """UpdateItem's update and condition: its expressions bound to its placeholders (or
    the legacy AttributeUpdates, and the legacy ``condition`` from Expected)."""
    expressions = RequestExpressions(request.get("ExpressionAttributeNames"), request.get("ExpressionAttributeValues"))
    update = None
    if request.get("UpdateExpression") is not None:
        update = expressions.update(request["UpdateExpression"])
    elif attribute_updates:
        update = Update(legacy.update_node(attribute_updates))
    if request.get("ConditionExpression") is not None:
        condition = expressions.condition(request["ConditionExpression"])
    expressions.check_unused()
    return update, condition


#: Requests that passed their operation's checks, by their members but the key or item
#: (their text: item_requests.recall) -> (those members, converted; what the checks made).
_PUT_TEMPLATES: dict[str, tuple[dict, Optional[Condition]]] = {}
_DELETE_TEMPLATES: dict[str, tuple[dict, Optional[Condition]]] = {}
_GET_TEMPLATES: dict[str, tuple[dict, Optional[Projection]]] = {}
_UPDATE_TEMPLATES: dict[str, tuple[dict, tuple[Optional[Update], Optional[Condition]]]] = {}


def _update_return_values(mode: Any, update: Any, old: Item | None, new: Item) -> Item | None:
    """ALL_OLD/ALL_NEW: the whole item before/after; UPDATED_OLD/UPDATED_NEW: only the
    document paths the update wrote, as they were before/are after."""
    if mode == "ALL_OLD":
        return old
    if mode == "ALL_NEW":
        return new
    if mode not in ("UPDATED_OLD", "UPDATED_NEW") or update is None:
        return None
    source = old if mode == "UPDATED_OLD" else new
    return apply_tree(source, build_tree(update.paths)) if source is not None else None
