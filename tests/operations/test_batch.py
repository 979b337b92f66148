"""Engine tests of BatchWriteItem and BatchGetItem (operations/batch.py): what botocore
will not send (absent or mistyped members), all-or-nothing refusal, the one write path,
and the 16 MB response limit at a small scale. The DynamoDB facts and their sources are
pinned in compat/test_batch_write_item.py and compat/test_batch_get_item.py."""

import pytest

from emulator import limits
from engine_errors import error_of



def s(value):
    return {"S": value}


def put(key, **attributes):
    return {"PutRequest": {"Item": {"p": s(key), **attributes}}}


@pytest.fixture
def tables(db, table_factory):
    table_factory("one", p="S")
    table_factory("two", p="S")
    return db.tables["one"], db.tables["two"]


@pytest.mark.parametrize("operation", ["BatchWriteItem", "BatchGetItem"])
def test_batch_requires_request_items_when_absent(call, operation):
    assert error_of(call, operation, {}) == (
        "ValidationException", f"The requestItems parameter is required for {operation}")


@pytest.mark.parametrize("operation, request_items, message", [
    ("BatchWriteItem", [], "Unrecognized collection type class java.util.Map"),
    ("BatchWriteItem", "x", "Unexpected field type"),
    ("BatchWriteItem", {"one": {}}, "Start of structure or map found where not expected"),
    ("BatchWriteItem", {"one": ["x"]}, "Unexpected value type in payload"),
    ("BatchWriteItem", {"one": [{"PutRequest": {"Item": []}}]},
     "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"),
    ("BatchWriteItem", {"one": [{"PutRequest": {"Item": {"p": {"S": 1}}}}]}, "NUMBER_VALUE cannot be converted to String"),
    ("BatchGetItem", {"one": {"Keys": [{"p": {"B": 1}}]}}, "only base-64-encoded strings are convertible to bytes"),
    ("BatchGetItem", {"one": []}, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes"),
    ("BatchGetItem", {"one": {"Keys": {}}}, "Start of structure or map found where not expected"),
    ("BatchGetItem", {"one": {"Keys": ["x"]}}, "Unexpected field type"),
    # a value's serialization error comes before shape errors (here: no Keys elsewhere)
    ("BatchGetItem", {"one": {"Keys": [{"p": {"S": True}}]}, "abc": {}}, "TRUE_VALUE cannot be converted to String"),
    ("BatchGetItem", {"one": {"Keys": [{"p": s("a")}], "ConsistentRead": "maybe"}},
     "Unexpected token received from parser"),
])
def test_batch_member_types(call, tables, operation, request_items, message):
    assert error_of(call, operation, {"RequestItems": request_items}) == ("SerializationException", message)


def test_batch_write_refused_as_a_whole(call, tables):
    """A bad request in the second table means nothing is written in the first."""
    one, two = tables
    request = {"RequestItems": {"one": [put("a"), put("b")], "two": [put("c"), {"PutRequest": {"Item": {"q": s("x")}}}]}}
    assert error_of(call, "BatchWriteItem", request)[1] == "The provided key element does not match the schema"
    assert one.item_count == two.item_count == 0


@pytest.mark.parametrize("item, message", [
    # a missing or mistyped key attribute is found before the other's empty value
    ({"p": s(""), "x": s("1")}, "The provided key element does not match the schema"),
    ({"p": {"N": "1"}, "q": s("")}, "The provided key element does not match the schema"),
    ({"p": s("a"), "q": {"S": "x" * 1025}},
     "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size "
     "limit of 1024 bytes"),
    ({"p": s(""), "q": s("a")},
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
     "empty string value. Key: p"),
])
def test_batch_write_put_key_checks_in_order(call, table_factory, db, item, message):
    """The schema mismatch (a batch's wording for a missing or mistyped key attribute)
    comes before the key values' own checks, which are PutItem's."""
    table_factory("both", p="S", q="S")
    assert error_of(call, "BatchWriteItem", {"RequestItems": {"both": [{"PutRequest": {"Item": item}}]}})[1] == message
    assert db.tables["both"].item_count == 0


def test_batch_write_goes_through_the_table_write_path(call, tables):
    """Every put and delete goes through Table.put/delete: listeners see each change and
    the running size stays right."""
    one, _ = tables
    seen = []
    one.listeners.append(lambda table, old, new: seen.append((old, new)))
    call("BatchWriteItem", {"RequestItems": {"one": [put("a", v=s("1")), put("b")]}})
    call("BatchWriteItem", {"RequestItems": {"one": [put("a", v=s("2")), {"DeleteRequest": {"Key": {"p": s("b")}}}]}})
    assert [(old is not None, new is not None) for old, new in seen] == [
        (False, True), (False, True), (True, True), (True, False)]
    one._check()
    assert one.item_count == 1


def test_batch_write_too_many_across_tables(call, tables):
    request = {"RequestItems": {"one": [put(str(i)) for i in range(20)], "two": [put(str(i)) for i in range(6)]}}
    assert error_of(call, "BatchWriteItem", request) == (
        "ValidationException", "Too many items requested for the BatchWriteItem call")


def test_batch_write_echo_lists_every_request(call, tables):
    message = error_of(call, "BatchWriteItem", {"RequestItems": {"one": [put(str(i)) for i in range(26)]}})[1]
    assert message.startswith("1 validation error detected: Value '{one=[WriteRequest(putRequest=PutRequest(item={p=")
    assert message.count("WriteRequest(") == 26


def test_batch_get_stops_at_the_response_limit(call, tables, monkeypatch):
    """Keys are read in request order until the next item would pass the limit; the rest,
    in this table and the following ones, come back with their table's members."""
    for key in "abcd":
        call("PutItem", {"TableName": "one", "Item": {"p": s(key), "x": s("x" * 97)}})
    call("PutItem", {"TableName": "two", "Item": {"p": s("z")}})
    monkeypatch.setattr(limits, "MAX_BATCH_GET_RESPONSE_BYTES", 250)  # two items of 100 bytes fit
    keys = [{"p": s(key)} for key in "abcd"]
    response = call("BatchGetItem", {"RequestItems": {
        "one": {"Keys": keys, "AttributesToGet": ["p"]}, "two": {"Keys": [{"p": s("z")}]}}})
    assert response["Responses"] == {"one": [{"p": s("a")}, {"p": s("b")}], "two": []}
    assert response["UnprocessedKeys"] == {
        "one": {"Keys": keys[2:], "AttributesToGet": ["p"]}, "two": {"Keys": [{"p": s("z")}]}}


def test_batch_get_missing_items_do_not_count_toward_the_limit(call, tables, monkeypatch):
    call("PutItem", {"TableName": "one", "Item": {"p": s("a")}})
    monkeypatch.setattr(limits, "MAX_BATCH_GET_RESPONSE_BYTES", 2)
    response = call("BatchGetItem", {"RequestItems": {"one": {"Keys": [{"p": s(k)} for k in "xyza"]}}})
    assert response == {"Responses": {"one": [{"p": s("a")}]}, "UnprocessedKeys": {}}


def test_batch_get_duplicate_keys_compare_normalized_numbers(call, db, table_factory):
    table_factory("nums", p="N")
    assert error_of(call, "BatchGetItem", {"RequestItems": {"nums": {"Keys": [{"p": {"N": "1"}}, {"p": {"N": "1.0"}}]}}}) == (
        "ValidationException", "Provided list of item keys contains duplicates")


def test_batch_get_refuses_mixed_projection_styles_before_reading(call, tables):
    # The message is the usual mixing one (assumed: AWS pins only the code).
    code, message = error_of(call, "BatchGetItem", {"RequestItems": {
        "one": {"Keys": [{"p": s("a")}], "ProjectionExpression": "p"},
        "nope": {"Keys": [{"p": s("a")}], "AttributesToGet": ["p"]}}})
    assert code == "ValidationException"
    assert message == ("Can not use both expression and non-expression parameters in the same request: "
                       "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
