"""Request templates (operations/item_requests.py): an item operation that has checked a
request's members other than its key or item remembers the outcome, and checks only the
key or item of a request with the same other members. Nothing of it may show: every
answer and every error must be the one the full checks give. The property below sends
random sequences of requests, mixing valid and faulty members and keys, to two
databases, one with the templates and one whose templates are forgotten before each
request, and compares what they answer and what they end up holding."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError
from emulator.operations import item_requests, items
from engine_errors import error_of
from template_equivalence import assert_answers_alike

TABLE = "templates"

_COUNTER = {"UpdateExpression": "SET #a = if_not_exists(#a, :zero) + :one",
            "ExpressionAttributeNames": {"#a": "a"}, "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}}}

#: Members of UpdateItem requests but the Key: valid ones, and ones each check refuses.
UPDATE_MEMBERS = [
    {"TableName": TABLE, **_COUNTER},
    {"TableName": TABLE, **_COUNTER, "ReturnValues": "ALL_NEW", "ReturnConsumedCapacity": "TOTAL"},
    {"TableName": TABLE, **_COUNTER, "ReturnValues": "UPDATED_OLD"},
    {"TableName": TABLE, **_COUNTER, "ConditionExpression": "attribute_exists(pk)",
     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
    {"TableName": TABLE, "UpdateExpression": "SET b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
    {"TableName": TABLE, "UpdateExpression": "SET b = :v", "ExpressionAttributeValues": {":v": {"N": "7"}}},
    {"TableName": TABLE, "UpdateExpression": "REMOVE b", "ReturnValues": "ALL_OLD"},
    {"TableName": TABLE, "AttributeUpdates": {"c": {"Action": "ADD", "Value": {"N": "2"}}}},
    {"TableName": TABLE, "AttributeUpdates": {"c": {"Action": "PUT", "Value": {"S": "y"}}},
     "Expected": {"c": {"Exists": False}}},
    {"TableName": TABLE, **_COUNTER, "ReturnValues": "BOGUS"},
    {"TableName": TABLE, **_COUNTER, "ReturnConsumedCapacity": 5},
    {"TableName": TABLE, "UpdateExpression": "SET b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "y"}}},
    {"TableName": TABLE, "UpdateExpression": "SET b = :v", "ExpressionAttributeValues": {":v": {"S": ""}, ":w": {"N": "x"}}},
    {"TableName": TABLE, "UpdateExpression": "SET pk = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
    {"TableName": TABLE, "UpdateExpression": "SET b = "},
    {"TableName": "no-such-table", **_COUNTER},
    {"TableName": "bad name!", **_COUNTER},
    {**_COUNTER},
]

PUT_MEMBERS = [
    {"TableName": TABLE},
    {"TableName": TABLE, "ReturnValues": "ALL_OLD", "ReturnConsumedCapacity": "TOTAL",
     "ReturnItemCollectionMetrics": "SIZE"},
    {"TableName": TABLE, "ConditionExpression": "attribute_not_exists(pk)",
     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
    {"TableName": TABLE, "ConditionExpression": "b <> :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
    {"TableName": TABLE, "Expected": {"b": {"Exists": False}}},
    {"TableName": TABLE, "ReturnValues": "ALL_NEW"},
    {"TableName": TABLE, "ConditionExpression": "b <> :v"},
    {"TableName": TABLE, "ConditionExpression": "b <> :v",
     "ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "x"}}},
    {"TableName": TABLE, "ConditionExpression": "attribute_exists(pk)", "Expected": {"b": {"Exists": False}}},
    {"TableName": "no-such-table"},
    {"TableName": "x"},
]

GET_MEMBERS = [
    {"TableName": TABLE},
    {"TableName": TABLE, "ConsistentRead": True, "ReturnConsumedCapacity": "TOTAL"},
    {"TableName": TABLE, "ProjectionExpression": "#b, a", "ExpressionAttributeNames": {"#b": "b"}},
    {"TableName": TABLE, "AttributesToGet": ["b", "c"]},
    {"TableName": TABLE, "ProjectionExpression": "a", "ExpressionAttributeNames": {"#b": "b"}},
    {"TableName": TABLE, "ProjectionExpression": "a", "AttributesToGet": ["b"]},
    {"TableName": TABLE, "AttributesToGet": []},
    {"TableName": TABLE, "ConsistentRead": "yes"},
    {"TableName": "no-such-table"},
]

DELETE_MEMBERS = [
    {"TableName": TABLE},
    {"TableName": TABLE, "ReturnValues": "ALL_OLD"},
    {"TableName": TABLE, "ConditionExpression": "b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}},
     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
    {"TableName": TABLE, "Expected": {"b": {"Value": {"S": "x"}}}},
    {"TableName": TABLE, "ReturnValues": "UPDATED_NEW"},
    {"TableName": TABLE, "ConditionExpression": "b = :v"},
    {"TableName": "no-such-table"},
]

#: Keys: valid ones, and ones each key check refuses (None: no Key member).
KEYS = [
    {"pk": {"S": "one"}}, {"pk": {"S": "two"}}, {"pk": {"S": "three"}},
    None, "x", [], {}, {"pk": {"S": ""}}, {"pk": {"N": "1"}}, {"pk": {"S": "one"}, "b": {"S": "x"}},
    {"pk": {"SS": []}}, {"pk": {"Q": "x"}}, {"pk": "x"},
]

#: Items: valid ones, and ones each item check refuses (None: no Item member).
ITEMS = [
    {"pk": {"S": "one"}, "b": {"S": "x"}}, {"pk": {"S": "two"}, "b": {"S": "y"}, "c": {"N": "5"}},
    {"pk": {"S": "one"}, "c": {"N": "05.00"}},  # stored as "5": the recalled path normalizes too
    {"pk": {"S": "three"}},
    None, "x", {}, {"b": {"S": "x"}}, {"pk": {"S": ""}}, {"pk": {"N": "1"}}, {"pk": {"S": "one"}, "s": {"SS": []}},
    {"pk": {"S": "one"}, "big": {"S": "x" * 409_600}}, {"pk": {"S": "one"}, "b": {"Z": "x"}},
]

#: Placeholder values a request may carry instead of its own (templates hold them
#: loosely): other values of the same placeholders, of other placeholders, and faulty
#: ones (each refused by some check), so that a template made with some values is met by
#: requests with others.
OTHER_VALUES = [
    {":zero": {"N": "0"}, ":one": {"N": "5"}}, {":v": {"S": "z"}}, {":v": {"N": "3"}}, {":v": {"SS": ["q"]}},
    {":zero": {"S": "0"}, ":one": {"N": "1"}}, {":v": {"S": ""}}, {":v": {"N": "x"}}, {":v": {"Z": "x"}},
    {":v": {"S": "x"}, ":w": {"N": "1"}}, {":v": {"BOOL": True}}, {":v": {"BOOL": 1}}, {}, "x", None,
]

#: Operation -> (the module attribute holding its templates, its members, its keys or
#: items, the member those go in).
OPERATIONS = {
    "PutItem": ("_PUT_TEMPLATES", PUT_MEMBERS, ITEMS, "Item"),
    "GetItem": ("_GET_TEMPLATES", GET_MEMBERS, KEYS, "Key"),
    "DeleteItem": ("_DELETE_TEMPLATES", DELETE_MEMBERS, KEYS, "Key"),
    "UpdateItem": ("_UPDATE_TEMPLATES", UPDATE_MEMBERS, KEYS, "Key"),
}
TEMPLATE_ATTRIBUTES = [attribute for attribute, _, _, _ in OPERATIONS.values()]


def _outcome(db: Database, operation: str, request: dict) -> object:
    try:
        return api.call(db, operation, copy.deepcopy(request))
    except DynamoDBError as error:
        return error.code, error.message


def _database() -> Database:
    db = Database(clock=ManualClock(1_700_000_000))
    api.call(db, "CreateTable", {"TableName": TABLE, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                 "BillingMode": "PAY_PER_REQUEST"})
    for key in ("one", "two"):
        api.call(db, "PutItem", {"TableName": TABLE, "Item": {"pk": {"S": key}, "a": {"N": "1"}, "b": {"S": "x"},
                                                              "c": {"SS": ["m", "n"]}}})
    return db


def _contents(db: Database) -> list:
    return sorted(api.call(db, "Scan", {"TableName": TABLE})["Items"], key=repr)


def _use_templates(templates: dict[str, dict]) -> None:
    for attribute in TEMPLATE_ATTRIBUTES:
        setattr(items, attribute, templates[attribute])


@st.composite
def _requests(draw):
    """Requests of one or two item operations whose members come from a few of each
    operation's (so that they repeat), each with any key or item."""
    operations = draw(st.lists(st.sampled_from(list(OPERATIONS)), min_size=1, max_size=2, unique=True))
    pools = {operation: draw(st.lists(st.sampled_from(OPERATIONS[operation][1]), min_size=1, max_size=3))
             for operation in operations}
    sequence = []
    for operation in draw(st.lists(st.sampled_from(operations), min_size=1, max_size=30)):
        _, _, values, member = OPERATIONS[operation]
        request = dict(draw(st.sampled_from(pools[operation])))
        if draw(st.integers(0, 3)) == 0 or ("ExpressionAttributeValues" in request and draw(st.booleans())):
            request["ExpressionAttributeValues"] = draw(st.sampled_from(OTHER_VALUES))
        # Half of them valid (the first three), so that templates are made and met.
        value = draw(st.one_of(st.sampled_from(values[:3]), st.sampled_from(values)))
        if value is not None:
            request[member] = value
        sequence.append((operation, request))
    return sequence


@settings(max_examples=200)
@given(_requests())
def test_item_operations_answer_alike_with_and_without_templates(sequence):
    """The remembering database keeps its templates across the sequence (a request with
    a faulty key or item then meets the template a valid one left); the other one starts
    every request with none."""
    remembering, forgetting = _database(), _database()
    kept = {attribute: getattr(items, attribute) for attribute in TEMPLATE_ATTRIBUTES}
    assert_answers_alike(sequence, remembering, forgetting, _outcome, _use_templates, TEMPLATE_ATTRIBUTES, kept)
    assert _contents(remembering) == _contents(forgetting)


def test_a_remembered_update_uses_its_own_key_and_values(call, table_factory):
    table_factory(TABLE, pk="S")
    items._UPDATE_TEMPLATES.clear()
    for key in ("one", "two"):
        for value in ("x", "y"):
            call("UpdateItem", {"TableName": TABLE, "Key": {"pk": {"S": key}}, "UpdateExpression": "SET b = :v",
                                "ExpressionAttributeValues": {":v": {"S": value}}})
    # One template, whatever the key and the value of :v: each request binds its own.
    assert len(items._UPDATE_TEMPLATES) == 1
    call("UpdateItem", {"TableName": TABLE, "Key": {"pk": {"S": "one"}}, "UpdateExpression": "SET b = :v",
                        "ExpressionAttributeValues": {":v": {"S": "x"}}})
    stored = {item["pk"]["S"]: item["b"]["S"] for item in call("Scan", {"TableName": TABLE})["Items"]}
    assert stored == {"one": "x", "two": "y"}


@pytest.mark.parametrize("operation,member,value,members", [
    ("UpdateItem", "Key", {"pk": {"S": "one"}}, {"UpdateExpression": "SET b = :v"}),
    ("PutItem", "Item", {"pk": {"S": "one"}}, {"ConditionExpression": "b <> :v"}),
    ("DeleteItem", "Key", {"pk": {"S": "one"}}, {"ConditionExpression": "b <> :v"}),
])
def test_a_template_made_with_values_does_not_serve_a_request_without(db, call, table_factory, operation,
                                                                     member, value, members):
    """Templates hold the values loosely, but not whether there are any: a request whose
    values are null or missing is checked in full (its placeholder is undefined)."""
    table_factory(TABLE, pk="S")
    for attribute in TEMPLATE_ATTRIBUTES:
        getattr(items, attribute).clear()
    request = {"TableName": TABLE, member: value, **members}
    call(operation, {**request, "ExpressionAttributeValues": {":v": {"S": "x"}}})
    for values in ({"ExpressionAttributeValues": None}, {}):
        assert error_of(db, operation, {**request, **values}) == (
            "ValidationException",
            f"Invalid {next(iter(members))}: An expression attribute value used in expression is not defined; "
            "attribute value: :v")


def test_a_template_tells_values_apart_that_python_finds_equal(db, call, table_factory):
    """{"BOOL": 1} == {"BOOL": True} in Python, but only one of them is a boolean: a
    template's products are reused for the very values they were made from only."""
    table_factory(TABLE, pk="S")
    items._UPDATE_TEMPLATES.clear()
    request = {"TableName": TABLE, "Key": {"pk": {"S": "one"}}, "UpdateExpression": "SET b = :v"}
    call("UpdateItem", {**request, "ExpressionAttributeValues": {":v": {"BOOL": True}}})
    assert error_of(db, "UpdateItem", {**request, "ExpressionAttributeValues": {":v": {"BOOL": 1}}}) == (
        "SerializationException", "NUMBER_VALUE cannot be converted to Boolean")


def test_a_remembered_update_without_its_key_is_refused_for_the_key(db, call, table_factory):
    table_factory(TABLE, pk="S")
    members = {"TableName": TABLE, "UpdateExpression": "SET b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}
    call("UpdateItem", {**members, "Key": {"pk": {"S": "one"}}})
    assert error_of(db, "UpdateItem", members) == (
        "ValidationException",
        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null")
    assert error_of(db, "UpdateItem", {**members, "Key": {"pk": {"S": ""}}})[0] == "ValidationException"


def test_legacy_updates_are_not_remembered(call, table_factory):
    """Their AttributeUpdates and Expected are applied from the request itself, each time."""
    table_factory(TABLE, pk="S")
    items._UPDATE_TEMPLATES.clear()
    call("UpdateItem", {"TableName": TABLE, "Key": {"pk": {"S": "one"}},
                        "AttributeUpdates": {"c": {"Action": "ADD", "Value": {"N": "2"}}}})
    assert items._UPDATE_TEMPLATES == {}


def test_templates_are_bounded(monkeypatch):
    monkeypatch.setattr(item_requests, "MAX_TEMPLATES", 3)
    templates: dict = {}
    for number in range(10):
        request = {"Key": number, "N": number}
        key, _ = item_requests.recall(templates, request, "Key")
        item_requests.remember(templates, key, request, "Key", number)
        assert 1 <= len(templates) <= 3
    assert item_requests.recall(templates, {"Key": 1, "N": 9}, "Key")[1] == ({"N": 9}, 9)
    item_requests.remember(templates, None, {}, "Key", 10)  # a key too long to keep
    assert all(products != 10 for _, (_, products), _ in templates.values())


def test_a_request_without_its_member_recalls_no_template():
    templates: dict = {}
    key, template = item_requests.recall(templates, {"TableName": TABLE, "Key": {}}, "Key")
    item_requests.remember(templates, key, {"TableName": TABLE, "Key": {}}, "Key", "checked")
    assert item_requests.recall(templates, {"TableName": TABLE, "Key": {"pk": {"S": "x"}}}, "Key") == (
        key, ({"TableName": TABLE}, "checked"))
    assert item_requests.recall(templates, {"TableName": TABLE}, "Key") == (key, None)


@pytest.mark.parametrize("request_", [
    {"Key": {"pk": {"S": "x" * 5000}}, "TableName": TABLE},
    {"Key": {}, "TableName": TABLE},
    {"TableName": TABLE},
])
def test_template_text_leaves_out_the_key_member(request_):
    assert _text(request_) == _text({"TableName": TABLE})
    assert _text(request_) != _text({"TableName": "other"})


def _text(request: dict):
    """The text a template for ``request`` is kept by (None: not kept)."""
    key, _ = item_requests.recall({}, request, "Key")
    return None if key is None else key[0]


# Members whose JSON (the templates' text) is alike but that are not the same request,
# and members that are equal in Python but print differently: each pair must recall
# nothing of the other (a request is only recognised by a template made from its like).
_LOOKALIKES = [
    ({"Limit": float("nan")}, {"Limit": None}),  # orjson writes NaN as null
    ({"AttributesToGet": ("a",)}, {"AttributesToGet": ["a"]}),  # and a tuple as a list
    ({"Limit": 1}, {"Limit": 1.0}),  # equal in Python
    ({"Limit": 1}, {"Limit": True}),
    ({"ConsistentRead": True}, {"ConsistentRead": 1}),
    ({"ExpressionAttributeNames": {"#a": "a", "#b": "b"}}, {"ExpressionAttributeNames": {"#b": "b", "#a": "a"}}),
]


@pytest.fixture(params=["orjson", "repr"])
def template_text(request, monkeypatch):
    """Templates kept by orjson's JSON, and by repr as where orjson is not installed."""
    if request.param == "repr":
        monkeypatch.setattr(item_requests, "_dumps", None)
    elif item_requests._dumps is None:
        pytest.skip("orjson is not installed")
    return request.param


@pytest.mark.parametrize("first, second", _LOOKALIKES + [(b, a) for a, b in _LOOKALIKES])
def test_lookalike_members_do_not_share_a_template(first, second, template_text):
    templates: dict = {}
    first, second = {"TableName": TABLE, **first}, {"TableName": TABLE, **second}
    key, _ = item_requests.recall(templates, {**first, "Key": {}}, "Key")
    item_requests.remember(templates, key, {"Key": {}}, "Key", "first")
    assert item_requests.recall(templates, {**first, "Key": {}}, "Key")[1] == ({}, "first")
    assert item_requests.recall(templates, {**second, "Key": {}}, "Key")[1] is None


class _Name(str):
    pass


@pytest.mark.parametrize("members", [
    {"TableName": _Name(TABLE)},  # a subclass is not plain JSON data
    {"TableName": TABLE, "Limit": 1 << 70},  # beyond 64 bits
    {"TableName": TABLE, "ExpressionAttributeNames": {1: "a"}},  # a key that is not a string
])
def test_members_that_are_not_plain_json_are_not_kept(members):
    if item_requests._dumps is None:
        pytest.skip("repr keeps the templates where orjson is not installed")
    key, template = item_requests.recall({}, {**members, "Key": {}}, "Key")
    assert (key, template) == (None, None)


def test_requests_with_long_members_are_not_kept():
    request = {"TableName": TABLE, "ExpressionAttributeValues": {":v": {"S": "x" * item_requests.MAX_TEMPLATE_CHARS}}}
    assert item_requests.recall({}, {**request, "Key": {}}, "Key") == (None, None)


def test_a_kept_template_holds_its_texts_at_their_size():
    """A template is kept by its members' JSON text, and orjson's output holds its whole
    buffer (4 KB at least): kept as such, every template cost ~8 KB for two texts of a
    few hundred bytes (item_requests._exact keeps copies)."""
    import tracemalloc

    templates: dict = {}
    requests = [{"TableName": TABLE, "Item": {"pk": {"S": "k"}}, "ConditionExpression": f"attribute_not_exists(a{i})",
                 "ExpressionAttributeValues": {":v": {"S": "x"}}} for i in range(200)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for request in requests:
            key, _ = item_requests.recall(templates, request, "Item", loose_values=True)
            item_requests.remember(templates, key, request, "Item", None)
        kept = (tracemalloc.get_traced_memory()[0] - before) / len(requests)
    finally:
        tracemalloc.stop()
    assert len(templates) == len(requests)
    assert kept < 2_000, kept
