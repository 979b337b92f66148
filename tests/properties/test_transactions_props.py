"""Property: a random TransactWriteItems either applies completely or changes nothing.

Random transactions of Puts, Updates, Deletes and ConditionChecks over two tables (one
with a global secondary index) mix actions that succeed with every way of failing:
conditions that do not hold, two actions on one item, keys of the wrong type, an update
that makes an item too large, an index key of the wrong type, a table that does not
exist. After each one:

* refused or cancelled: every table, its size counter and its index are byte-for-byte
  what they were;
* accepted: the tables hold exactly what applying each action, in order, to a plain
  dict model gives.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError

BIG = "x" * 210_000  # two of these make an item over 400 KB

action_strategy = st.fixed_dictionaries({
    "kind": st.sampled_from(["Put", "Update", "Delete", "ConditionCheck"]),
    "table": st.sampled_from(["hsh", "rng"] * 3 + ["missing"]),
    "p": st.sampled_from(["a", "b", "c"]),
    "c": st.sampled_from([1, 2]),
    "n": st.integers(-3, 3),
    "condition": st.sampled_from([None, None, "attribute_exists(p)", "attribute_not_exists(p)", "n < :v", "n >= :v"]),
    "update": st.sampled_from(["SET n = :v", "ADD n :v", "REMOVE n", "SET big2 = :big", "SET g = :g"]),
    "extra": st.sampled_from([None, None, "big", "g", "bad_g", "bad_key"]),
})


def new_database() -> Database:
    db = Database(clock=ManualClock(1_700_000_000))
    for name, keys in (("hsh", {"p": "S"}), ("rng", {"p": "S", "c": "N"})):
        request: dict[str, Any] = {
            "TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": a, "KeyType": "HASH" if i == 0 else "RANGE"} for i, a in enumerate(keys)],
            "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t} for a, t in keys.items()]}
        if name == "hsh":
            request["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
            request["GlobalSecondaryIndexes"] = [{"IndexName": "by_g", "KeySchema": [
                {"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]
        api.call(db, "CreateTable", request)
    return db


def key_of(spec: dict) -> dict:
    key: dict[str, Any] = {"p": {"S": spec["p"]}}
    if spec["table"] == "rng":
        key["c"] = {"N": str(spec["c"])}
    if spec["extra"] == "bad_key":
        key["p"] = {"N": "1"}
    return key


def to_request(spec: dict) -> dict:
    """One TransactWriteItems action from its random description."""
    kind, key = spec["kind"], key_of(spec)
    action: dict[str, Any] = {"TableName": spec["table"]}
    values: dict[str, Any] = {}
    if kind == "Put":
        item = {**key, "n": {"N": str(spec["n"])}}
        if spec["extra"] == "big":
            item["big"] = {"S": BIG}
        if spec["extra"] in ("g", "bad_g"):
            item["g"] = {"S": "group"} if spec["extra"] == "g" else {"N": "7"}
        action["Item"] = item
    else:
        action["Key"] = key
    if kind == "Update":
        action["UpdateExpression"] = spec["update"]
        placeholder = spec["update"].split()[-1]
        if placeholder.startswith(":"):
            values[placeholder] = {":v": {"N": str(spec["n"])}, ":big": {"S": BIG},
                                   ":g": {"N": "7"} if spec["extra"] == "bad_g" else {"S": "group"}}[placeholder]
    condition = spec["condition"] or ("attribute_exists(p)" if kind == "ConditionCheck" else None)
    if condition is not None:
        action["ConditionExpression"] = condition
        if ":v" in condition:
            values[":v"] = {"N": str(spec["n"])}
    if values:
        action["ExpressionAttributeValues"] = values
    return {kind: action}


def snapshot(db: Database) -> str:
    """Every stored item in storage order, the size counters, and the index's contents."""
    state = {name: {"items": list(table.items.items()), "size": table.size_bytes, "count": table.item_count}
             for name, table in sorted(db.tables.items())}
    state["by_g"] = sorted((json.dumps(item, sort_keys=True) for item in scan(db, "hsh", "by_g")))  # type: ignore
    return json.dumps(state, sort_keys=True)


def scan(db: Database, table: str, index: str | None = None) -> list[dict]:
    request: dict[str, Any] = {"TableName": table}
    if index is not None:
        request["IndexName"] = index
    items: list[dict] = []
    while True:
        response = api.call(db, "Scan", request)
        items.extend(response["Items"])
        if "LastEvaluatedKey" not in response:
            return items
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def identity(table: str, item: dict) -> str:
    return json.dumps([table, item["p"], item.get("c") if table == "rng" else None], sort_keys=True)


def model_of(db: Database) -> dict[str, dict]:
    return {identity(name, item): item for name in ("hsh", "rng") for item in scan(db, name)}


def apply_to_model(model: dict[str, dict], transaction: list[dict]) -> None:
    """What a successful transaction does, action by action, on a plain dict."""
    for entry in transaction:
        ((kind, action),) = entry.items()
        table = action["TableName"]
        if kind == "Put":
            model[identity(table, action["Item"])] = action["Item"]
            continue
        ident = identity(table, action["Key"])
        if kind == "Delete":
            model.pop(ident, None)
        elif kind == "Update":
            item = dict(model.get(ident) or action["Key"])
            verb, name, *rest = action["UpdateExpression"].replace("=", "").split()
            value = action.get("ExpressionAttributeValues", {}).get(rest[-1]) if rest else None
            if verb == "REMOVE":
                item.pop(name, None)
            elif verb == "ADD" and name in item:
                item[name] = {"N": str(Decimal(item[name]["N"]) + Decimal(value["N"]))}
            else:
                item[name] = value
            model[ident] = item


@given(initial=st.lists(action_strategy, max_size=6), transaction=st.lists(action_strategy, min_size=1, max_size=6))
def test_transaction_applies_completely_or_not_at_all(initial, transaction):
    db = new_database()
    for spec in initial:
        request = to_request({**spec, "kind": "Put", "condition": None})
        try:
            api.call(db, "TransactWriteItems", {"TransactItems": [request]})
        except DynamoDBError:
            pass
    before, model = snapshot(db), model_of(db)
    request = [to_request(spec) for spec in transaction]
    try:
        api.call(db, "TransactWriteItems", {"TransactItems": request})
    except DynamoDBError:
        assert snapshot(db) == before
    else:
        apply_to_model(model, request)
        assert model_of(db) == model
    for table in db.tables.values():
        table._check()
