# UpdateItem's 400 KB rule, which is not the other writes' flat "the item may not exceed
# 409,600 bytes": UpdateItem also measures what the statement writes (the attributes it
# writes, as they end up, name and value) plus a cost for the statement (3 bytes, 19
# per SET or ADD action, 2 per REMOVE or DELETE, one more for a list index in the path),
# and that must fit in 409,600 too. So at a short key, where the key attributes (never
# written by an update) are smaller than the statement's cost, the ceiling falls below
# 409,600; attributes the statement leaves alone buy back their bytes as the key does.
# A transaction's Update and PartiQL's UPDATE measure only the finished item.
#
# Source: conformance tier3/limits/itemSizeBySurface, bisected on AWS (eu-west-2,
# 2026-08-18/19), every ceiling read back as a stored size.

import pytest

from util import assert_error, new_table, unique_table_name

LIMIT = 409_600
UPDATE_WORDING = "Item size to update has exceeded the maximum allowed size"
SET_COST, REMOVE_COST, BASE_COST = 19, 2, 3


@pytest.fixture(scope="module")
def table(dynamodb):
    with new_table(dynamodb, TableName=unique_table_name(),
                   KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}]) as created:
        yield created


def key_of(char):
    """A one-character key: 2 bytes, less than any statement's cost. (Keys are fixed, not
    random: the ceiling depends on their length.)"""
    return {"p": char}


def update(table, key, expression, pad, **values):
    table.update_item(Key=key, UpdateExpression=expression,
                      ExpressionAttributeValues={":pad": "x" * pad, **values})


def ceiling(uncounted, cost):
    """The largest finished item UpdateItem writes."""
    return min(LIMIT, LIMIT + uncounted - cost)


def assert_ceiling(table, accepted, refused, expression, cost, extra_bytes=0, seed=None, **values):
    """SET b = :pad (plus whatever else ``expression`` does) lands exactly on the ceiling
    and is refused one byte over; ``extra_bytes``: what the other clauses add to the item."""
    untouched = sum(len(name) + len(value) for name, value in (seed or {}).items() if name not in expression)
    top = ceiling(2 + untouched, cost)
    for key, size in ((accepted, top), (refused, top + 1)):
        table.delete_item(Key=key)
        if seed:
            table.put_item(Item={**key, **seed})
        pad = size - 2 - 1 - extra_bytes - untouched  # key, the name "b", the other attributes
        if key is refused:
            with assert_error("ValidationException", UPDATE_WORDING):
                update(table, key, expression, pad, **values)
        else:
            update(table, key, expression, pad, **values)
            stored = table.get_item(Key=key, ConsistentRead=True)["Item"]
            assert sum(len(name) + len(value) for name, value in stored.items()) == top
    return top


def test_one_set_at_a_one_byte_key(table):
    top = assert_ceiling(table, key_of("K"), key_of("L"), "SET b = :pad", BASE_COST + SET_COST)
    assert top == LIMIT - 20  # 2 bytes of key against a 22-byte statement


def test_each_further_action_costs_its_clause_not_its_value(table):
    two_sets = assert_ceiling(table, key_of("M"), key_of("N"), "SET b = :pad, c = :c",
                              BASE_COST + 2 * SET_COST, extra_bytes=2, **{":c": "y"})
    assert two_sets == LIMIT - 39
    big_value = assert_ceiling(table, key_of("O"), key_of("P"), "SET b = :pad, c = :c",
                               BASE_COST + 2 * SET_COST, extra_bytes=501, **{":c": "y" * 500})
    assert big_value == two_sets
    with_remove = assert_ceiling(table, key_of("Q"), key_of("R"), "SET b = :pad REMOVE r",
                                 BASE_COST + SET_COST + REMOVE_COST, seed={"r": "z"})
    assert with_remove == LIMIT - 22


def test_attributes_left_alone_buy_back_their_bytes(table):
    top = assert_ceiling(table, key_of("S"), key_of("T"), "SET b = :pad", BASE_COST + SET_COST,
                         seed={"u": "y" * 10})
    assert top == LIMIT - 20 + 11


def test_a_long_key_caps_at_the_item_limit(table):
    accepted, refused = {"p": "k" * 100}, {"p": "j" * 100}
    for key, size in ((accepted, LIMIT), (refused, LIMIT + 1)):
        pad = size - 101 - 1
        if key is refused:
            with assert_error("ValidationException", UPDATE_WORDING):
                update(table, key, "SET b = :pad", pad)
        else:
            update(table, key, "SET b = :pad", pad)


# The finished item alone decides for a transaction's Update: what UpdateItem refuses at
# a one-byte key, the transaction writes.
def test_transaction_update_measures_the_finished_item_only(table):
    key = key_of("U")
    table.delete_item(Key=key)
    client = table.meta.client
    client.transact_write_items(TransactItems=[{"Update": {
        "TableName": table.name, "Key": key, "UpdateExpression": "SET b = :pad",
        "ExpressionAttributeValues": {":pad": "x" * (LIMIT - 3)}}}])
    assert len(table.get_item(Key=key, ConsistentRead=True)["Item"]["b"]) == LIMIT - 3
    with assert_error("ValidationException", UPDATE_WORDING):
        update(table, key_of("V"), "SET b = :pad", LIMIT - 3)


# Writes below the top level are measured as the finished map or list: a map holds 3
# bytes, plus per entry 1 byte, its name and its value; a list 3 bytes, plus per
# element 1 byte and its value (the rule every item size here follows). At a long key
# the finished item alone decides (see above), so a nested write lands exactly on the
# limit and is refused one byte over, whichever way it grows the attribute.
def test_a_nested_write_is_measured_by_the_finished_attribute(table):
    def item_size(n, p):
        return 101 + len("m") + 3 + (1 + len("a") + n) + (1 + len("b") + p)  # key, then m = {a: n, b: p}

    for key, size in (({"p": "n" * 100}, LIMIT), ({"p": "o" * 100}, LIMIT + 1)):
        table.put_item(Item={**key, "m": {"a": "x" * 1000}})
        pad = size - item_size(1000, 0)
        if size > LIMIT:
            with assert_error("ValidationException", UPDATE_WORDING):
                update(table, key, "SET m.b = :pad", pad)
        else:
            update(table, key, "SET m.b = :pad", pad)
            stored = table.get_item(Key=key, ConsistentRead=True)["Item"]
            assert len(stored["m"]["b"]) == pad and item_size(1000, pad) == LIMIT


def test_a_nested_list_append_is_measured_by_the_finished_list(table):
    def item_size(first, added):
        return 101 + len("m") + 3 + (1 + len("l") + 3 + (1 + first) + (1 + added))  # m = {l: [first, added]}

    for key, size in (({"p": "q" * 100}, LIMIT), ({"p": "r" * 100}, LIMIT + 1)):
        table.put_item(Item={**key, "m": {"l": ["x" * 1000]}})
        added = size - item_size(1000, 0)
        expression, values = "SET m.l = list_append(m.l, :more)", {":more": ["y" * added]}
        if size > LIMIT:
            with assert_error("ValidationException", UPDATE_WORDING):
                table.update_item(Key=key, UpdateExpression=expression, ExpressionAttributeValues=values)
        else:
            table.update_item(Key=key, UpdateExpression=expression, ExpressionAttributeValues=values)
            stored = table.get_item(Key=key, ConsistentRead=True)["Item"]
            assert [len(element) for element in stored["m"]["l"]] == [1000, added]
