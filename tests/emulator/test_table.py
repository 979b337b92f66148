"""Table: key checks with DynamoDB's messages, the write path, and the item operations'
order of checks (engine level; black-box versions live in compat/)."""

import threading

import pytest

from emulator import Database, api
from emulator.errors import ResourceNotFoundException, SerializationException, ValidationException

MISMATCH = "The provided key element does not match the schema"
INVALID = "One or more parameter values were invalid: "


def error(call, operation, request, kind=ValidationException):
    with pytest.raises(kind) as info:
        call(operation, request)
    return info.value.message


@pytest.fixture
def hash_table(table_factory):
    return table_factory("hash_tbl", p="S")


@pytest.fixture
def range_table(table_factory):
    return table_factory("range_tbl", p="S", c="B")


# ---------------------------------------------------------------- Key (GetItem, DeleteItem)


@pytest.mark.parametrize("key", [
    {},
    {"q": {"S": "a"}},
    {"p": {"S": "a"}, "q": {"S": "a"}},
    {"p": {"B": "abcd"}},
    {"p": {"N": "1"}},
    {"p": {"BOOL": True}},
    {"p": {"NULL": True}},
    {"p": {"SS": ["a"]}},
    {"p": {"NS": ["1"]}},
    {"p": {"BS": ["aaaa"]}},
    {"p": {"M": {}}},
    {"p": {"L": []}},
])
def test_key_that_does_not_fit_the_schema(call, hash_table, key):
    # dynalite test/getItem.js "should return ValidationException if key does not match schema"
    assert error(call, "GetItem", {"TableName": hash_table, "Key": key}) == MISMATCH
    assert error(call, "DeleteItem", {"TableName": hash_table, "Key": key}) == MISMATCH


def test_key_missing_its_range_part(call, range_table):
    assert error(call, "GetItem", {"TableName": range_table, "Key": {"p": {"S": "a"}}}) == MISMATCH


def test_empty_key_values(call, hash_table, range_table):
    assert error(call, "GetItem", {"TableName": hash_table, "Key": {"p": {"S": ""}}}) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty string value. Key: p")
    assert error(call, "DeleteItem", {"TableName": range_table, "Key": {"p": {"S": "a"}, "c": {"B": ""}}}) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty binary value. Key: c")


def test_key_size_limits(call, hash_table, range_table):
    assert call("GetItem", {"TableName": hash_table, "Key": {"p": {"S": "a" * 2048}}}) == {}
    assert error(call, "GetItem", {"TableName": hash_table, "Key": {"p": {"S": "a" * 2049}}}) == (
        INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes")
    assert error(call, "GetItem", {"TableName": hash_table, "Key": {"p": {"S": "\u00e9" * 1025}}}) == (
        INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes")
    key = {"p": {"S": "a"}, "c": {"B": "AAAA" * 341 + "AA=="}}  # 1024 bytes
    assert call("GetItem", {"TableName": range_table, "Key": key}) == {}
    key["c"] = {"B": "AAAA" * 341 + "AAA="}  # 1025 bytes
    assert error(call, "GetItem", {"TableName": range_table, "Key": key}) == (
        INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes")


def test_numeric_key_finds_the_item_whatever_its_spelling(call, table_factory):
    table = table_factory("numkeys", p="N", c="N")
    call("PutItem", {"TableName": table, "Item": {"p": {"N": "1.50"}, "c": {"N": "1E2"}, "x": {"S": "y"}}})
    got = call("GetItem", {"TableName": table, "Key": {"p": {"N": "01.5"}, "c": {"N": "100.0"}}})
    assert got == {"Item": {"p": {"N": "1.5"}, "c": {"N": "100"}, "x": {"S": "y"}}}


# ---------------------------------------------------------------- Item (PutItem)


@pytest.mark.parametrize("item", [{}, {"b": {"S": "a"}}])
def test_item_missing_its_key(call, hash_table, item):
    assert error(call, "PutItem", {"TableName": hash_table, "Item": item}) == INVALID + "Missing the key p in the item"


@pytest.mark.parametrize("value", [
    {"B": "abcd"}, {"N": "1"}, {"BOOL": True}, {"NULL": True}, {"SS": ["a"]}, {"NS": ["1"]},
    {"BS": ["aaaa"]}, {"M": {}}, {"L": []},
])
def test_item_key_of_the_wrong_type(call, hash_table, value):
    actual = next(iter(value))
    assert error(call, "PutItem", {"TableName": hash_table, "Item": {"p": value}}) == (
        INVALID + f"Type mismatch for key p expected: S actual: {actual}")


def test_item_key_checks(call, hash_table, range_table):
    assert error(call, "PutItem", {"TableName": range_table, "Item": {"p": {"S": "a"}}}) == (
        INVALID + "Missing the key c in the item")
    assert error(call, "PutItem", {"TableName": hash_table, "Item": {"p": {"S": ""}}}) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty string value. Key: p")
    assert error(call, "PutItem", {"TableName": range_table, "Item": {"p": {"S": "a"}, "c": {"B": ""}}}) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty binary value. Key: c")
    assert error(call, "PutItem", {"TableName": hash_table, "Item": {"p": {"S": "x" * 2049}}}) == (
        INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes")


# ---------------------------------------------------------------- order of checks


def test_table_name_errors_are_reported_alone(call):
    # conformance tier3/validation-ordering/putItem, error-messages/putItem
    assert error(call, "PutItem", {"TableName": "", "Item": {}, "ReturnValues": "INVALID"}) == (
        "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1")
    assert error(call, "DeleteItem", {"TableName": "x!", "Key": {}}) == (
        "1 validation error detected: Value 'x!' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
    message = error(call, "GetItem", {"TableName": "a" * 256, "Key": {}})
    assert message.endswith("Member must have length less than or equal to 255")


def test_shape_errors_are_collected(call):
    message = error(call, "PutItem", {"TableName": "nope", "Item": {"p": {"S": "x"}}, "ReturnConsumedCapacity": "bad",
                                      "ReturnItemCollectionMetrics": "bad", "ReturnValues": "bad"})
    assert message.startswith("3 validation errors detected: ")
    for member in ("returnConsumedCapacity", "returnItemCollectionMetrics", "returnValues"):
        assert f"at '{member}'" in message
    assert error(call, "GetItem", {"Key": {"p": {"S": "x"}}}) == (
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")


def test_serialization_errors_come_first(call):
    assert error(call, "PutItem", {"TableName": "", "Item": {"a": {"S": 5}}}, SerializationException) == (
        "NUMBER_VALUE cannot be converted to String")
    assert error(call, "GetItem", {"TableName": "nope", "Key": {"p": {"S": "a"}}, "ConsistentRead": "maybe"},
                 SerializationException) == "Unexpected token received from parser"
    assert error(call, "DeleteItem", {"TableName": "nope", "Key": [], "ReturnValues": 5}, SerializationException)


def test_values_and_size_are_checked_before_the_table(call):
    # dynalite test/putItem.js: bad values and too-large items are reported for tables
    # that do not exist; a missing table is only found after them.
    assert error(call, "PutItem", {"TableName": "nope", "Item": {"a": {"NS": []}}}) == (
        INVALID + "An number set  may not be empty")
    assert error(call, "GetItem", {"TableName": "nope", "Key": {"a": {"N": "x"}}}) == (
        "The parameter cannot be converted to a numeric value: x")
    assert error(call, "PutItem", {"TableName": "nope", "Item": {"a": {"S": "x" * 409600}}}) == (
        "Item size has exceeded the maximum allowed size")
    assert error(call, "PutItem", {"TableName": "nope", "Item": {"a": {"S": "x"}}, "ReturnValues": "ALL_NEW"}) == (
        "ReturnValues can only be ALL_OLD or NONE")
    assert error(call, "PutItem", {"TableName": "nope", "Item": {"a": {"S": "x" * 409599}}},
                 ResourceNotFoundException) == "Requested resource not found"


def test_key_schema_is_checked_after_the_table(call, hash_table):
    assert error(call, "GetItem", {"TableName": "nope", "Key": {}}, ResourceNotFoundException)
    assert error(call, "PutItem", {"TableName": "nope", "Item": {}}, ResourceNotFoundException)


def test_value_error_comes_after_shape_errors(call):
    message = error(call, "PutItem", {"TableName": "nope", "Item": {"a": {"SS": []}}, "ReturnValues": "x"})
    assert message.startswith("1 validation error detected: Value 'x' at 'returnValues'")


def test_return_values_other_than_all_old_are_refused(call, hash_table):
    for operation, member in (("PutItem", "Item"), ("DeleteItem", "Key")):
        for value in ("ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"):
            request = {"TableName": hash_table, member: {"p": {"S": "a"}}, "ReturnValues": value}
            assert error(call, operation, request) == "ReturnValues can only be ALL_OLD or NONE"


# ---------------------------------------------------------------- the write path


def test_put_get_delete_round_trip_with_return_values(call, hash_table, db):
    item = {"p": {"S": "a"}, "n": {"N": "01.50"}, "s": {"SS": ["x", "y"]}}
    assert call("PutItem", {"TableName": hash_table, "Item": item, "ReturnValues": "ALL_OLD"}) == {}
    stored = {"p": {"S": "a"}, "n": {"N": "1.5"}, "s": {"SS": ["x", "y"]}}
    assert call("GetItem", {"TableName": hash_table, "Key": {"p": {"S": "a"}}}) == {"Item": stored}
    replaced = call("PutItem", {"TableName": hash_table, "Item": {"p": {"S": "a"}}, "ReturnValues": "ALL_OLD"})
    assert replaced == {"Attributes": stored}
    deleted = call("DeleteItem", {"TableName": hash_table, "Key": {"p": {"S": "a"}}, "ReturnValues": "ALL_OLD"})
    assert deleted == {"Attributes": {"p": {"S": "a"}}}
    assert call("DeleteItem", {"TableName": hash_table, "Key": {"p": {"S": "a"}}, "ReturnValues": "ALL_OLD"}) == {}
    db.tables[hash_table]._check()


def test_stored_item_does_not_follow_the_callers_dict(call, hash_table):
    item = {"p": {"S": "a"}, "x": {"S": "1"}}
    call("PutItem", {"TableName": hash_table, "Item": item})
    item["y"] = {"S": "added later"}
    assert call("GetItem", {"TableName": hash_table, "Key": {"p": {"S": "a"}}})["Item"] == {
        "p": {"S": "a"}, "x": {"S": "1"}}


def test_table_size_follows_puts_and_deletes(call, range_table, db):
    table = db.tables[range_table]
    call("PutItem", {"TableName": range_table, "Item": {"p": {"S": "a"}, "c": {"B": "AQI="}, "x": {"N": "12"}}})
    assert table.size_bytes == (1 + 1) + (1 + 2) + (1 + 2)
    call("PutItem", {"TableName": range_table, "Item": {"p": {"S": "a"}, "c": {"B": "AQI="}}})
    assert table.size_bytes == 5 and table.item_count == 1
    call("DeleteItem", {"TableName": range_table, "Key": {"p": {"S": "a"}, "c": {"B": "AQI="}}})
    assert table.size_bytes == 0 and table.item_count == 0
    table._check()


# ---------------------------------------------------------------- threads


def test_concurrent_puts_gets_and_deletes_keep_the_table_consistent():
    """api.call holds the Database lock around each operation, so operations from many
    threads are atomic: every GetItem sees a whole item that some PutItem wrote, and
    the table's structure and running totals agree at the end."""
    db = Database()
    api.call(db, "CreateTable", {
        "TableName": "threads", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                 {"AttributeName": "c", "AttributeType": "N"}],
    })
    problems: list[str] = []

    def worker(number: int) -> None:
        try:
            for i in range(300):
                key = {"p": {"S": f"k{i % 7}"}, "c": {"N": str(i % 5)}}
                version = str(number * 1000 + i)
                api.call(db, "PutItem", {"TableName": "threads", "Item": {
                    **key, "v": {"N": version}, "copy": {"N": version}, "pad": {"S": "x" * (i % 50)}}})
                got = api.call(db, "GetItem", {"TableName": "threads", "Key": key, "ConsistentRead": True})
                if "Item" in got and got["Item"]["v"] != got["Item"]["copy"]:
                    problems.append(f"torn item {got['Item']}")
                if i % 11 == 0:
                    api.call(db, "DeleteItem", {"TableName": "threads", "Key": key})
        except Exception as exc:  # noqa: BLE001 - reported below
            problems.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    table = db.tables["threads"]
    table._check()
    assert 0 < table.item_count <= 35
