"""TransactWriteItems and TransactGetItems: up to 100 actions across tables, all or none.

Atomicity and isolation come from the Database lock, which ``api.call`` holds for the
whole operation: nothing else runs between the first read and the last write of a
transaction, so it is serializable against every other operation by construction.
All-or-nothing comes from planning: every action is validated and evaluated first with
the single-item operations' own planning functions (items.plan_*), nothing written;
only when every action succeeded are the plans applied, through the table's one write
path (so indexes and streams see each change).

The order of DynamoDB's checks (conformance tier2/transactions, tier3/error-messages/
transactWriteItems and transactGetItems, tier3/limits/transactionLimits, on AWS):

1. member types (an Item's or Key's AttributeValues included), then the collected
   request shape (transactItems 1..100, each action's
   required members, enums, the token's length);
2. one action per TransactWriteItem;
3. a known ClientRequestToken: the first result again, or the mismatch error;
4. each action's expressions and placeholders, attribute values, a Put's 400 KB limit,
   the 4 MB transaction limit: request-level ValidationExceptions;
5. each table's existence ("Requested resource not found");
6. each key against its table's schema: a mismatch cancels the transaction with a
   ``ValidationError`` reason (an empty key value is a request-level error instead);
   two actions on one item are refused ("Transaction request cannot include multiple
   operations on one item");
7. conditions and updates, evaluated on the stored items: any failure cancels the whole
   transaction with TransactionCanceledException, one reason per action in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .. import capacity, indexes, limits, validate
from .. import transactions as tokens
from ..database import Database
from ..errors import (
    ConditionalCheckFailedException, EmptyKeyValue, ItemCollectionSizeLimitExceededException,
    TransactionCanceledException, ValidationException,
)
from ..expressions import RequestExpressions, check_parameters
from ..table import Table
from ..types import Item, ParsedItem, check_item_size, item_size, parse_item
from . import echo
from .batch import RETURN_ITEM_COLLECTION_METRICS, Position, conform_map
from .items import RETURN_VALUES_ON_CONDITION_CHECK_FAILURE, WritePlan, plan_check, plan_put, plan_update
from .request_types import List, Struct, conform

MULTIPLE_OPERATIONS_MESSAGE = "Transaction request cannot include multiple operations on one item"
# moto's tests of TransactWriteItems (written against AWS) for more than one action;
# DynamoDB Local's wording for none.
SEVERAL_ACTIONS_MESSAGE = "TransactItems can only contain one of Check, Put, Update or Delete"
NO_ACTION_MESSAGE = "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"
#: The reason of an action that grows an LSI item collection past 10 GB (the reason codes
#: TransactWriteItems documents are the exceptions' names without "Exception").
COLLECTION_TOO_LARGE_REASON = {"Code": "ItemCollectionSizeLimitExceeded", "Message": indexes.COLLECTION_TOO_LARGE}

#: The actions of a TransactWriteItem, in the model's member order.
ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")
#: The expressions each action takes, in the order DynamoDB parses them.
_EXPRESSIONS = {
    "ConditionCheck": ("ConditionExpression",),
    "Put": ("ConditionExpression",),
    "Delete": ("ConditionExpression",),
    "Update": ("UpdateExpression", "ConditionExpression"),
    "Get": ("ProjectionExpression",),
}
#: The placeholder maps an action may carry (with or without expressions).
_PLACEHOLDER_MAPS = ("ExpressionAttributeNames", "ExpressionAttributeValues")
#: Transactions cost twice the capacity of the same reads and writes outside one; a
#: ConditionCheck is billed as a write (localstack issue 13090 and
#: paritysuite/dynamodb-conformance PR 67, both measured on AWS).
TRANSACTION_COST_FACTOR = 2.0

_ACTION_MEMBERS = {"TableName": "String", "ConditionExpression": "String", "ReturnValuesOnConditionCheckFailure": "String"}
_WRITE_ITEM = Struct("TransactWriteItem", {
    "ConditionCheck": Struct("ConditionCheck", _ACTION_MEMBERS),
    "Put": Struct("Put", _ACTION_MEMBERS),
    "Delete": Struct("Delete", _ACTION_MEMBERS),
    "Update": Struct("Update", {**_ACTION_MEMBERS, "UpdateExpression": "String"}),
}, element=True)
_GET_ITEM = Struct("TransactGetItem", {
    "Get": Struct("Get", {"TableName": "String", "ProjectionExpression": "String"}),
}, element=True)


@dataclass
class _Action:
    """One action of a transaction after its request-level checks."""

    kind: str
    spec: dict
    item: Optional[Item] = None  # a Put's normalized item, or another action's key
    condition: Any = None
    update: Any = None
    projection: Any = None
    table: Optional[Table] = None
    position: Optional[Position] = None
    #: A Put whose item passed all of its table's checks (they need not run again).
    checked: bool = False
    #: Why the action's key does not fit its table: a ValidationError reason.
    invalid: Optional[str] = None


# ---------------------------------------------------------------- request checks


#: Per TransactItems entry, per action present: its Item or Key, deserialized.
Parsed = list[dict[str, ParsedItem]]


def _conform(request: dict, item_spec: Struct, members: dict[str, str]) -> tuple[dict, Optional[list[dict]], Parsed]:
    """Member types; each Item or Key is deserialized now (its first validation error
    is kept for after the shape checks, as for the single-item operations)."""
    items = request.get("TransactItems")
    if type(items) is list and all(_plain_entry(entry, item_spec) for entry in items):
        # What conforming them would give back, copied: passed through as they are.
        request = conform(request, members)
    else:
        request = conform(request, {**members, "TransactItems": List(item_spec)})
    items = request.get("TransactItems")
    parsed: Parsed = []
    for entry in items or ():
        values: dict[str, ParsedItem] = {}
        for kind, part in entry.items():
            if not isinstance(part, dict):
                continue
            for name in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
                if part.get(name) is not None:
                    conform_map(part[name])
            raw = part.get("Item" if kind == "Put" else "Key")
            if raw is not None:
                values[kind] = parse_item(raw)
        parsed.append(values)
    return request, items, parsed


def _plain_entry(entry: Any, spec: Struct) -> bool:
    """Whether conforming ``entry`` (a TransactItems element) would only copy it: one
    action, an object whose typed members are strings and none null (the usual entry:
    conforming each took ~2 us)."""
    if type(entry) is not dict or len(entry) != 1:
        return False
    for kind, part in entry.items():
        action = spec.members.get(kind)
        if type(action) is not Struct or type(part) is not dict:
            return False
        typed = action.members
        for name, value in part.items():
            if value is None or (name in typed and type(value) is not str):
                return False
    return True


def _items_shape(shape: validate.Shape, items: Optional[list], class_name: str) -> bool:
    """transactItems' own constraints; True when its elements are worth checking."""
    if not shape.required(items, "transactItems"):
        return False
    assert items is not None
    if not items:
        shape.fail([], "transactItems", "Member must have length greater than or equal to 1")
        return False
    if len(items) > limits.MAX_TRANSACT_ITEMS:
        shape.errors.append(f"Value '{echo.objects(class_name, items)}' at 'transactItems' failed to satisfy "
                            f"constraint: Member must have length less than or equal to {limits.MAX_TRANSACT_ITEMS}")
        return False
    return True


def _action_shape(shape: validate.Shape, kind: str, spec: dict, path: str) -> None:
    validate.table_name(shape, spec.get("TableName"), f"{path}.tableName")
    if kind == "Put":
        shape.required(spec.get("Item"), f"{path}.item")
    else:
        shape.required(spec.get("Key"), f"{path}.key")
    if kind == "Update":
        shape.required(spec.get("UpdateExpression"), f"{path}.updateExpression")
    if kind == "ConditionCheck":
        shape.required(spec.get("ConditionExpression"), f"{path}.conditionExpression")
    if kind != "Get":
        shape.enum(spec.get("ReturnValuesOnConditionCheckFailure"), f"{path}.returnValuesOnConditionCheckFailure",
                   RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


def _parse_action(kind: str, spec: dict, parsed: ParsedItem) -> _Action:
    """Expressions with their placeholders, attribute values, a Put's size: the checks
    that need no table."""
    members = _EXPRESSIONS[kind]
    action = _Action(kind, spec)
    if any(spec.get(name) is not None for name in (*members, *_PLACEHOLDER_MAPS)):
        check_parameters(spec, members, ())
        values = None if kind == "Get" else spec.get("ExpressionAttributeValues")
        expressions = RequestExpressions(spec.get("ExpressionAttributeNames"), values)
        if spec.get("UpdateExpression") is not None:
            action.update = expressions.update(spec["UpdateExpression"])
        if spec.get("ConditionExpression") is not None:
            action.condition = expressions.condition(spec["ConditionExpression"])
        if spec.get("ProjectionExpression") is not None:
            action.projection = expressions.projection(spec["ProjectionExpression"])
        expressions.check_unused()
    # else: no expression and no placeholders, which every check above passes
    action.item = parsed.check()
    if kind == "Put":
        check_item_size(action.item)
    return action


def _check_payload(actions: list[_Action]) -> None:
    """The items of a transaction may not add up to more than 4 MB. DynamoDB's message
    repeats itself (a real reply quoted in movogo-io/docs' tests); what exactly it
    counts as the payload is not documented, so the items' sizes are counted."""
    size = sum(item_size(action.item) for action in actions if action.item is not None)
    if size > limits.MAX_TRANSACTION_BYTES:
        text = "Transaction payload size cannot exceed 4MB. Payload Size: "
        raise ValidationException(f"{text}: {text}{size}")


def _locate(db: Database, actions: list[_Action]) -> None:
    """Tables first (all of them), then each key against its table, then duplicates."""
    for action in actions:
        action.table = db.get_table(action.spec["TableName"])
    targets: set[tuple[str, Position]] = set()
    for action in actions:
        table = action.table
        assert table is not None and action.item is not None
        try:
            if action.kind == "Put":
                action.position = table.check_new_item(action.item, item_size(action.item))
                action.checked = True
            else:
                action.position = table.check_key(action.item)
        except EmptyKeyValue:
            raise  # refused outright, not as a cancellation reason
        except ValidationException as error:
            action.invalid = error.message
            continue
        except ItemCollectionSizeLimitExceededException:
            # Not a malformed action: planning it reports the overflow as its reason.
            action.position = table.key_values(action.item)
        target = (table.name, action.position)
        if target in targets:
            raise ValidationException(MULTIPLE_OPERATIONS_MESSAGE)
        targets.add(target)


def cancellation(reasons: list[dict]) -> TransactionCanceledException:
    """The exception a cancelled transaction raises, naming each action's reason code in
    order (TransactWriteItems, TransactGetItems and PartiQL's ExecuteTransaction)."""
    codes = ", ".join(reason["Code"] for reason in reasons)
    return TransactionCanceledException(
        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
        CancellationReasons=reasons,
    )


# ---------------------------------------------------------------- TransactWriteItems


def transact_write_items(db: Database, request: dict) -> dict:
    request, items, parsed = _conform(request, _WRITE_ITEM, {
        "ClientRequestToken": "String", "ReturnConsumedCapacity": "String", "ReturnItemCollectionMetrics": "String"})
    shape = validate.Shape()
    if _items_shape(shape, items, "TransactWriteItem"):
        for position, entry in enumerate(items or (), 1):
            for kind in ACTIONS:
                if entry.get(kind) is not None:
                    _action_shape(shape, kind, entry[kind], f"transactItems.{position}.member.{_lower_first(kind)}")
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    shape.enum(request.get("ReturnItemCollectionMetrics"), "returnItemCollectionMetrics",
               RETURN_ITEM_COLLECTION_METRICS)
    shape.length(request.get("ClientRequestToken"), "clientRequestToken", 1, 36)
    shape.check()
    assert items is not None
    kinds = []
    for entry in items:
        present = [kind for kind in ACTIONS if entry.get(kind) is not None]
        if len(present) != 1:
            raise ValidationException(SEVERAL_ACTIONS_MESSAGE if present else NO_ACTION_MESSAGE)
        kinds.append(present[0])
    token = request.get("ClientRequestToken")
    fingerprint = b""
    if token is not None:
        fingerprint = tokens.fingerprint(request)
        used = tokens.token_store(db).find(token, fingerprint, db.clock.now())
        if used is not None:
            return _replay(request, used)
    actions = [_parse_action(kind, entry[kind], values[kind]) for kind, entry, values in zip(kinds, items, parsed)]
    _check_payload(actions)
    _locate(db, actions)
    plans = _evaluate(actions)
    for action, plan in zip(actions, plans):
        if action.kind != "ConditionCheck":
            plan.apply()
    response = _write_response(request, actions, plans)
    if token is not None:
        tokens.token_store(db).remember(token, tokens.TokenUse(
            fingerprint, response, _item_sizes(plans), db.clock.now()))
    return response


def _evaluate(actions: list[_Action]) -> list[WritePlan]:
    """Plan every action against the stored items; cancel the transaction, with one
    reason per action in order, when any of them fails."""
    plans: list[WritePlan] = []
    reasons: list[dict] = []
    for action in actions:
        if action.invalid is not None:
            reasons.append({"Code": "ValidationError", "Message": action.invalid})
            continue
        try:
            plans.append(_plan(action))
            reasons.append({"Code": "None"})
        except EmptyKeyValue:
            raise  # refused outright, not a cancellation reason
        except ConditionalCheckFailedException as error:
            reason = {"Code": "ConditionalCheckFailed", "Message": error.message}
            if "Item" in error.extras:
                reason["Item"] = error.extras["Item"]
            reasons.append(reason)
        except ValidationException as error:
            reasons.append({"Code": "ValidationError", "Message": error.message})
        except ItemCollectionSizeLimitExceededException:
            reasons.append(COLLECTION_TOO_LARGE_REASON)
    if len(plans) != len(actions):
        raise cancellation(reasons)
    writes = [(plan.table, plan.old, plan.new) if action.kind != "ConditionCheck" else (plan.table, None, None)
              for action, plan in zip(actions, plans)]
    overflowing = indexes.collections_overflowing(writes)
    if any(overflowing):
        raise cancellation([COLLECTION_TOO_LARGE_REASON if over else {"Code": "None"} for over in overflowing])
    return plans


def _plan(action: _Action) -> WritePlan:
    table, spec, item = action.table, action.spec, action.item
    assert table is not None and item is not None
    if action.kind == "Put":
        # Nothing is written before every action is planned: _locate's checks still hold.
        return plan_put(table, item, action.condition, spec, position=action.position if action.checked else None)
    if action.kind == "Update":
        return plan_update(table, spec, action.update, action.condition)
    old = plan_check(table, item, action.condition, spec)
    return WritePlan(table, old, old if action.kind == "ConditionCheck" else None)


def _write_response(request: dict, actions: list[_Action], plans: list[WritePlan]) -> dict:
    response: dict[str, Any] = {}
    mode = request.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        response["ConsumedCapacity"] = _write_capacity(mode, actions, plans)
    if request.get("ReturnItemCollectionMetrics") == "SIZE":
        metrics: dict[str, list[dict]] = {}
        for action, plan in zip(actions, plans):
            if action.kind != "ConditionCheck":
                entry = indexes.item_collection_metrics(plan.table, plan.new or plan.old or action.item or {})
                if entry is not None:
                    metrics.setdefault(plan.table.name, []).append(entry)
        if metrics:
            response["ItemCollectionMetrics"] = metrics
    return response


def _write_capacity(mode: str, actions: list[_Action], plans: list[WritePlan]) -> list[dict]:
    """Per table: twice the write units of each item (the larger of its old and new
    image), plus index upkeep at its ordinary cost."""
    totals: dict[str, tuple[float, dict[str, tuple[str, float]]]] = {}
    for action, plan in zip(actions, plans):
        units, index_units = totals.get(plan.table.name, (0.0, {}))
        size = max(item_size(plan.old) if plan.old else 0, item_size(plan.new) if plan.new else 0)
        units += TRANSACTION_COST_FACTOR * capacity.write_units(size)
        if action.kind != "ConditionCheck":
            for name, (kind, spent) in indexes.write_units(plan.table, plan.old, plan.new).items():
                index_units[name] = (kind, index_units.get(name, (kind, 0.0))[1] + spent)
        totals[plan.table.name] = (units, index_units)
    return [capacity.consumed(mode, name, units, index_units, read=False)  # type: ignore[misc]
            for name, (units, index_units) in totals.items()]


def _item_sizes(plans: list[WritePlan]) -> dict[str, list[int]]:
    sizes: dict[str, list[int]] = {}
    for plan in plans:
        size = max(item_size(plan.old) if plan.old else 0, item_size(plan.new) if plan.new else 0)
        sizes.setdefault(plan.table.name, []).append(size)
    return sizes


def _replay(request: dict, used: tokens.TokenUse) -> dict:
    """The answer to a repeated request: nothing is written again; its ConsumedCapacity
    is that of reading the items (API_TransactWriteItems.html, ClientRequestToken)."""
    response = {name: value for name, value in used.response.items() if name != "ConsumedCapacity"}
    mode = request.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        response["ConsumedCapacity"] = [
            capacity.consumed(mode, name, sum(TRANSACTION_COST_FACTOR * capacity.read_units(size, True)
                                              for size in sizes), read=True)
            for name, sizes in used.item_sizes.items()]
    return response


# ---------------------------------------------------------------- TransactGetItems


def transact_get_items(db: Database, request: dict) -> dict:
    request, items, parsed = _conform(request, _GET_ITEM, {"ReturnConsumedCapacity": "String"})
    shape = validate.Shape()
    if _items_shape(shape, items, "TransactGetItem"):
        for position, entry in enumerate(items or (), 1):
            path = f"transactItems.{position}.member.get"
            if shape.required(entry.get("Get"), path):
                _action_shape(shape, "Get", entry["Get"], path)
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    shape.check()
    assert items is not None
    actions = [_parse_action("Get", entry["Get"], values["Get"]) for entry, values in zip(items, parsed)]
    _locate(db, actions)
    if any(action.invalid is not None for action in actions):
        raise cancellation([{"Code": "ValidationError", "Message": action.invalid} if action.invalid is not None
                       else {"Code": "None"} for action in actions])
    responses: list[dict] = []
    units: dict[str, float] = {}
    for action in actions:
        table = action.table
        assert table is not None and action.position is not None
        item = table.get(*action.position)
        units[table.name] = units.get(table.name, 0.0) + TRANSACTION_COST_FACTOR * capacity.read_units(
            item_size(item) if item is not None else 0, True)
        if item is None:
            responses.append({})
        else:
            responses.append({"Item": action.projection.apply(item) if action.projection is not None else item})
    response: dict[str, Any] = {"Responses": responses}
    mode = request.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        response["ConsumedCapacity"] = [capacity.consumed(mode, name, total, read=True)
                                        for name, total in units.items()]
    return response
