# Item size (issue 2, item 4): DynamoDB's byte count of an item, checked against the
# 400 KB limit (409,600 bytes, inclusive) and used for capacity units.
#
# The count: each attribute name's UTF-8 bytes plus its value: S in UTF-8 bytes, B in raw
# bytes, N in base-100 digits aligned on the decimal point plus one byte (one more when
# negative), BOOL and NULL one byte, sets the sum of their members, L and M three bytes
# plus one per element (and, for M, each key's bytes).
#
# Sources named below:
#   aws-docs    - CapacityUnitCalculations.html ("DynamoDB item sizes and formats").
#   dynalite    - mhart/dynalite test/putItem.js ("item is too big" / "just small enough"
#                 pairs) and test/getItem.js, putItem.js capacity tests, recorded on AWS.
#   dynoxide    - nubo-db/dynoxide PR #195: number sizes measured byte-exact on AWS by
#                 bisecting the 400 KB limit.
#   conformance - the public conformance suite, tier3/limits/itemSize, run against AWS.
#
# Each boundary test puts an item of exactly 409,600 bytes (accepted) and one byte more
# (refused), which pins the count to the byte.

import pytest

from util import assert_error, random_string

LIMIT = 409600
TOO_LARGE = "Item size has exceeded the maximum allowed size"


def key_item(table):
    """A fresh hash key and its size in bytes (name "p" plus a 10-character string)."""
    return {"p": {"S": random_string(10)}}, 1 + 10


def assert_boundary(client, table, build):
    """``build(padding)`` returns (item, size) for a padding length; the item of exactly
    LIMIT bytes is stored and the one of LIMIT + 1 refused."""
    _, size_at_zero = build(0)
    item, size = build(LIMIT - size_at_zero)
    assert size == LIMIT
    client.put_item(TableName=table.name, Item=item)
    item, _ = build(LIMIT - size_at_zero + 1)
    with assert_error("ValidationException", TOO_LARGE):
        client.put_item(TableName=table.name, Item=item)


# A string attribute: name bytes plus string bytes. Sources: dynalite putItem.js
# ("too big with small attribute" / "just small enough"); aws-docs (String).
def test_string_item_at_the_limit(unchecked_client, table_s):
    def build(padding):
        key, key_size = key_item(table_s)
        return {**key, "b": {"S": "x" * padding}}, key_size + 1 + padding
    assert_boundary(unchecked_client, table_s, build)


# Attribute names count, in UTF-8. Sources: dynalite putItem.js ("too big with larger
# attribute"); conformance itemSize ("size calculation includes attribute names").
def test_attribute_names_count_toward_the_size(unchecked_client, table_s):
    name = "\u00e9" * 20  # 40 bytes
    def build(padding):
        key, key_size = key_item(table_s)
        return {**key, name: {"S": "x" * padding}}, key_size + 40 + padding
    assert_boundary(unchecked_client, table_s, build)


# Multi-byte characters count in UTF-8 bytes. Source: aws-docs (String: UTF-8 bytes).
def test_strings_count_utf8_bytes(unchecked_client, table_s):
    def build(padding):
        key, key_size = key_item(table_s)
        return {**key, "b": {"S": "\u20ac" * 1000 + "x" * padding}}, key_size + 1 + 3000 + padding
    assert_boundary(unchecked_client, table_s, build)


# A binary counts its raw bytes, not its base64 text. Sources: aws-docs (Binary);
# conformance itemSize ("large binary attribute over limit fails").
def test_binary_counts_raw_bytes(unchecked_client, table_s):
    def build(padding):
        key, key_size = key_item(table_s)
        return {**key, "b": {"B": b"\x00" * padding}}, key_size + 1 + padding
    assert_boundary(unchecked_client, table_s, build)


# A map costs 3 bytes plus, per entry, 1 byte and its key's bytes; a list 3 bytes plus 1
# per element. Sources: aws-docs (List and Map overhead); dynalite getItem.js capacity
# items (exact 4096-byte items with lists and maps, recorded on AWS).
def test_map_and_list_overheads(unchecked_client, table_s):
    def build(padding):
        key, key_size = key_item(table_s)
        value = {"M": {"ab": {"L": [{"S": "x" * padding}, {"NULL": True}, {"M": {}}]}, "c": {"BOOL": True}}}
        size = key_size + 1 + 3 + (1 + 2 + (3 + (1 + padding) + (1 + 1) + (1 + 3))) + (1 + 1 + 1)
        return {**key, "m": value}, size
    assert_boundary(unchecked_client, table_s, build)


# Sets: the sum of their members' sizes, no overhead. Sources: aws-docs; dynalite
# putItem.js capacity items (a BS of three members counts their raw bytes).
def test_sets_count_their_members(unchecked_client, table_s):
    def build(padding):
        key, key_size = key_item(table_s)
        item = {**key, "s": {"SS": ["x" * padding, "ab"]}, "n": {"NS": ["12", "-1.5"]}, "b": {"BS": [b"\x01\x02", b"\x03"]}}
        return item, key_size + (1 + padding + 2) + (1 + 2 + 4) + (1 + 3)
    assert_boundary(unchecked_client, table_s, build)


# Numbers: base-100 digits aligned on the decimal point, plus one byte, plus one when
# negative; the spelling does not matter (1E125 is 2 bytes, like 1). Source: dynoxide
# PR #195 (each literal measured on AWS by bisecting this limit); dynalite
# db/index.js valSize.
@pytest.mark.parametrize("text, size", [
    ("1", 2), ("12", 2), ("123", 3), ("1234", 3), ("1.2", 3), ("1.5", 3), ("0.15", 2), ("100.5", 4),
    ("1010", 3), ("12.3456", 4), ("3.14159", 5), ("-42", 3), ("-0.15", 3), ("1E125", 2), ("1E-100", 2),
    ("0", 1), ("12345678901234567890123456789012345678", 20),
])
def test_number_sizes(unchecked_client, table_s, text, size):
    def build(padding):
        key, key_size = key_item(table_s)
        return {**key, "b": {"S": "x" * padding}, "n": {"N": text}}, key_size + 1 + padding + 1 + size
    assert_boundary(unchecked_client, table_s, build)


# The size is checked before the table is looked up: an oversized item for a missing
# table is a ValidationException, one byte less a ResourceNotFoundException.
# Source: dynalite putItem.js ("ResourceNotFoundException if item is just small enough").
def test_size_is_checked_before_the_table(unchecked_client):
    missing = "missing_" + random_string()
    with assert_error("ValidationException", TOO_LARGE):
        unchecked_client.put_item(TableName=missing, Item={"p": {"S": "x" * (LIMIT - 1)}, "q": {"S": ""}})
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.put_item(TableName=missing, Item={"p": {"S": "x" * (LIMIT - 2)}, "q": {"S": ""}})


# Nested oversize values are caught too. Source: conformance itemSize ("size includes
# nested map attribute names and values", "size includes list elements").
def test_nested_values_count(unchecked_client, table_s):
    nested = {"M": {"level1": {"M": {"level2": {"L": [{"S": "x" * LIMIT}]}}}}}
    with assert_error("ValidationException", TOO_LARGE):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": random_string()}, "n": nested})


# Write capacity is one unit per KB of this size: 1024 bytes cost 1, 1025 cost 2; reads one
# unit per 4 KB. Source: dynalite putItem.js / getItem.js capacity tests (recorded on AWS).
def test_capacity_units_follow_the_same_count(unchecked_client, table_s):
    key = {"p": {"S": random_string(10)}}
    base = {"c": {"N": "12.3456"}, "d": {"B": b"\x01\x02"}, "e": {"BS": [b"\x01\x02", b"\x02", b"\x01"]}}
    for padding, units in ((999, 1.0), (1000, 2.0)):
        item = {**key, "b": {"S": "b" * padding}, **base}
        got = unchecked_client.put_item(TableName=table_s.name, Item=item, ReturnConsumedCapacity="TOTAL")
        assert got["ConsumedCapacity"]["CapacityUnits"] == units
    for padding, units in ((4084, 1.0), (4085, 2.0)):  # 4096 and 4097 bytes
        unchecked_client.put_item(TableName=table_s.name, Item={**key, "b": {"S": "b" * padding}})
        got = unchecked_client.get_item(TableName=table_s.name, Key=key, ConsistentRead=True,
                                        ReturnConsumedCapacity="TOTAL")
        assert got["ConsumedCapacity"]["CapacityUnits"] == units
