"""Small numbers, flags and empty lists are stored once and shared between items
(emulator/types.py, ``_parse_value``): what one write does to its item must never show
in another item holding the same value object."""

from __future__ import annotations

import copy

from emulator.types import normalize_item


def _item(name):
    return {"pk": {"S": name}, "n": {"N": "7"}, "neg": {"N": "-5"}, "on": {"BOOL": True},
            "off": {"BOOL": False}, "nothing": {"NULL": True}, "l": {"L": []},
            "m": {"M": {"n": {"N": "7"}, "l": {"L": []}}}, "nl": {"L": [{"N": "7"}, {"L": []}]}}


def test_parsed_items_share_small_values():
    first, second = normalize_item(_item("a")), normalize_item(_item("b"))
    for name in ("n", "neg", "on", "off", "nothing", "l"):
        assert first[name] is second[name], name
    assert first["m"]["M"]["n"] is second["n"]
    # long numbers are not kept: there would be no end to them
    assert normalize_item({"x": {"N": "123456"}})["x"] is not normalize_item({"x": {"N": "123456"}})["x"]
    # non-canonical spellings share the canonical value
    assert normalize_item({"x": {"N": "07.0"}})["x"] is first["n"]


def test_writes_to_one_item_leave_items_sharing_its_values_alone(call, table_factory):
    table = table_factory("shared", pk="S")
    for name in ("a", "b"):
        call("PutItem", {"TableName": table, "Item": _item(name)})
    untouched = call("GetItem", {"TableName": table, "Key": {"pk": {"S": "b"}}})["Item"]
    expected = copy.deepcopy(untouched)
    updates = [
        "SET l[0] = :v, m.l[0] = :v, nl[1][0] = :v ADD n :one",
        "SET m.n = m.n + :one, nl[0] = :v, l = list_append(l, :l)",
        "REMOVE nl[0], m.n SET neg = neg - :one",
        "SET #on = :f, #off = :t, #nothing = :v",
    ]
    for text in updates:
        names = {k: k[1:] for k in ("#on", "#off", "#nothing") if k in text}
        values = {":v": {"S": "x"}, ":one": {"N": "1"}, ":l": {"L": [{"N": "7"}]},
                  ":f": {"BOOL": False}, ":t": {"BOOL": True}}
        used = {k: v for k, v in values.items() if k in text}
        request = {"TableName": table, "Key": {"pk": {"S": "a"}}, "UpdateExpression": text,
                   "ExpressionAttributeValues": used}
        if names:
            request["ExpressionAttributeNames"] = names
        call("UpdateItem", request)
    changed = call("GetItem", {"TableName": table, "Key": {"pk": {"S": "a"}}})["Item"]
    assert changed["l"] == {"L": [{"S": "x"}, {"N": "7"}]} and changed["n"] == {"N": "8"}
    assert call("GetItem", {"TableName": table, "Key": {"pk": {"S": "b"}}})["Item"] == expected
    assert untouched == expected
    # a new item parsed now still gets pristine shared values
    call("PutItem", {"TableName": table, "Item": _item("c")})
    fresh = call("GetItem", {"TableName": table, "Key": {"pk": {"S": "c"}}})["Item"]
    assert fresh == {**expected, "pk": {"S": "c"}}
