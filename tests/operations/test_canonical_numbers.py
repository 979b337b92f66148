"""Every number the store keeps is in canonical form, whichever way it came in.

Two hot paths rely on it (equal text is equal value): a compiled ``a = :n`` filter
compares the stored text with the literal's canonical text (expressions.evaluate), and
ADD/DELETE match set members by text (expressions.update). DynamoDB itself answers
numbers in canonical form (``1.50`` is read back as ``1.5``), which the compat suite
pins through boto3; this pins the engine's side of it on each way in.
"""

from __future__ import annotations

import pytest

from emulator.types import normalize_number

# Non-canonical spellings and what the store must keep for them.
SPELLINGS = {"1.50": "1.5", "-0": "0", "1E+2": "100", "0.0": "0", "007": "7", "-1.0e-2": "-0.01"}


def numbers_in(value):
    """Every number text inside an AttributeValue (N, NS members, inside L and M)."""
    ((kind, inner),) = value.items()
    if kind == "N":
        yield inner
    elif kind == "NS":
        yield from inner
    elif kind == "L":
        for element in inner:
            yield from numbers_in(element)
    elif kind == "M":
        for element in inner.values():
            yield from numbers_in(element)


def stored_numbers(db, table):
    return [text for item in db.tables[table].items.items() for value in item.values() for text in numbers_in(value)]


def document(spelling):
    return {"n": {"N": spelling}, "ns": {"NS": [spelling, "12"]}, "l": {"L": [{"N": spelling}]},
            "m": {"M": {"k": {"N": spelling}}}}


@pytest.fixture
def table(table_factory):
    return table_factory("numbers", pk="S")


def write_every_way(call, table, spelling):
    """One item per way in, each holding ``spelling`` wherever a number can be."""
    values = {":n": {"N": spelling}, ":ns": {"NS": [spelling]}, ":l": {"L": [{"N": spelling}]},
              ":m": {"M": {"k": {"N": spelling}}}}
    call("PutItem", {"TableName": table, "Item": {"pk": {"S": "put"}, **document(spelling)}})
    call("BatchWriteItem", {"RequestItems": {table: [{"PutRequest": {"Item": {"pk": {"S": "batch"},
                                                                                **document(spelling)}}}]}})
    call("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": table, "Item": {"pk": {"S": "transact"},
                                                                                        **document(spelling)}}}]})
    call("UpdateItem", {"TableName": table, "Key": {"pk": {"S": "update"}},
                        "UpdateExpression": "SET n = :n, l = :l, m = :m ADD ns :ns, c :n",
                        "ExpressionAttributeValues": values})
    call("UpdateItem", {"TableName": table, "Key": {"pk": {"S": "legacy"}},
                        "AttributeUpdates": {"n": {"Action": "PUT", "Value": {"N": spelling}},
                                             "ns": {"Action": "ADD", "Value": {"NS": [spelling]}}}})
    call("ExecuteStatement", {"Statement": f"INSERT INTO {table} VALUE {{'pk': 'partiql', 'n': ?, 'l': [?]}}",
                              "Parameters": [{"N": spelling}, {"N": spelling}]})
    call("ExecuteStatement", {"Statement": f"UPDATE {table} SET x = -? SET y = ? WHERE pk = 'partiql'",
                              "Parameters": [{"N": spelling}, {"N": spelling}]})


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_stored_numbers_are_canonical_on_every_way_in(db, call, table, spelling):
    write_every_way(call, table, spelling)
    numbers = stored_numbers(db, table)
    assert SPELLINGS[spelling] in numbers
    assert all(normalize_number(text) == text for text in numbers), numbers


def test_a_filter_on_a_number_matches_every_spelling_of_it(db, call, table):
    """The compiled equality reads text: 1.50 written any way is found by = 1.5000."""
    write_every_way(call, table, "1.50")
    found = call("Scan", {"TableName": table, "FilterExpression": "n = :v",
                          "ExpressionAttributeValues": {":v": {"N": "1.5000"}}})
    assert sorted(item["pk"]["S"] for item in found["Items"]) == ["batch", "legacy", "partiql", "put", "transact",
                                                                  "update"]
    others = call("Scan", {"TableName": table, "FilterExpression": "n <> :v",
                           "ExpressionAttributeValues": {":v": {"N": "15E-1"}}})
    assert others["Count"] == 0
