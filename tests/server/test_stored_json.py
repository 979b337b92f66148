"""server.stored_json: answers written with stored items' kept texts are the same bytes
as answers written whole, texts are kept up to the budget and dropped oldest first, and
a changed item is never answered with its old text."""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.types import SizedItem, parse_item
from server import stored_json, wire_json
from server.stored_json import StoredJSON
from tests.properties.test_types_props import values

pytestmark = pytest.mark.skipif(not wire_json.ACCELERATED, reason="texts are kept only with orjson")

# Items of strings, numbers, flags, lists and maps (the type properties' values).
_raw_items = st.dictionaries(st.text(min_size=1, max_size=4), values, min_size=1, max_size=5)


def _kept(item: SizedItem) -> bool:
    """Whether ``item`` carries a kept text (the slot is unset until an answer keeps one)."""
    return getattr(item, "wire", None) is not None


def _item(raw: dict) -> SizedItem:
    return parse_item(raw).check()


def _answers(items: list[SizedItem]) -> list[dict]:
    """The places answers hold stored items in (Query/Scan, GetItem, BatchGetItem,
    TransactGetItems, ReturnValues), plus one with a number orjson cannot write."""
    first = items[0] if items else None
    return [
        {"Items": items, "Count": len(items), "ScannedCount": len(items)},
        {"Item": first} if first is not None else {},
        {"Responses": {"t1": items, "t2": items[:1]}, "UnprocessedKeys": {}},
        {"Responses": [{"Items": [item]} for item in items]},
        {"Attributes": first, "ConsumedCapacity": {"TableName": "t1", "CapacityUnits": 1.0}},
        {"Items": items, "Count": 2**70},  # past 64 bits: the standard library writes it
    ]


@given(st.lists(_raw_items, max_size=4))
def test_answers_are_the_bytes_written_whole_on_every_read(raws):
    cache = StoredJSON()
    items = [_item(raw) for raw in raws]
    for answer in _answers(items):
        expected = wire_json.encode(answer)
        assert cache.encode(answer) == expected  # texts kept now
        assert cache.encode(answer) == expected  # ... and used
    assert all(_kept(item) for item in items)
    assert json.loads(cache.encode({"Items": items})) == {"Items": [dict(item) for item in items]}


def test_a_text_is_kept_on_the_item_and_counted():
    cache = StoredJSON()
    item = _item({"pk": {"S": "a"}, "n": {"N": "1"}})
    assert not _kept(item)
    cache.encode({"Items": [item]})
    assert _kept(item)
    assert cache.held == len(json.dumps(dict(item), separators=(",", ":")))
    cache.encode({"Items": [item]})
    assert cache.held == len(json.dumps(dict(item), separators=(",", ":")))  # kept once


def _sized(text_bytes: int, tag: str) -> SizedItem:
    """An item whose text is ``text_bytes`` long: {"k":{"S":"<tag><padding>"}}."""
    overhead = len('{"k":{"S":""}}')
    return _item({"k": {"S": tag + "x" * (text_bytes - overhead - len(tag))}})


def test_past_the_budget_the_oldest_texts_are_dropped():
    cache = StoredJSON(budget_bytes=1000)
    items = [_sized(300, str(n)) for n in range(5)]
    for item in items:
        cache.encode({"Items": [item]})
        assert cache.held <= 1000
    assert [_kept(item) for item in items] == [False, False, True, True, True]
    assert cache.held == 900
    # A dropped text is written again, right, and kept again (dropping the oldest kept).
    assert cache.encode({"Items": [items[0]]}) == wire_json.encode({"Items": [items[0]]})
    assert [_kept(item) for item in items] == [True, False, False, True, True]


def test_drop_all_drops_every_text_and_keeps_the_budget():
    cache = StoredJSON(budget_bytes=1000)
    items = [_sized(100, str(n)) for n in range(3)]
    cache.encode({"Items": items})
    cache.drop_all()
    assert cache.held == 0 and cache.budget == 1000
    assert all(not _kept(item) for item in items)
    cache.encode({"Items": items[:1]})
    assert _kept(items[0])


def test_an_item_larger_than_the_budget_is_written_but_not_kept():
    cache = StoredJSON(budget_bytes=100)
    item = _sized(200, "big")
    assert cache.encode({"Items": [item]}) == wire_json.encode({"Items": [item]})
    assert not _kept(item) and cache.held == 0


def test_an_answer_of_one_item_is_written_whole_and_keeps_nothing():
    cache = StoredJSON()
    item = _sized(100, "a")
    for answer in ({"Item": item}, {"Attributes": item}):
        assert cache.encode(answer) == wire_json.encode(answer)
    assert not _kept(item) and cache.held == 0


def test_a_budget_of_zero_keeps_nothing_and_lowering_it_drops_texts_now():
    cache = StoredJSON(budget_bytes=0)
    item = _sized(100, "a")
    assert cache.encode({"Items": [item]}) == wire_json.encode({"Items": [item]})
    assert not _kept(item)
    cache.set_budget(1000)
    cache.encode({"Items": [item]})
    assert _kept(item)
    cache.set_budget(0)
    assert not _kept(item) and cache.held == 0 and cache.budget == 0


def test_without_orjson_nothing_is_kept(monkeypatch):
    monkeypatch.setattr(wire_json, "ACCELERATED", False)
    cache = StoredJSON(budget_bytes=1000)
    item = _sized(100, "a")
    assert cache.budget == 0
    assert cache.encode({"Items": [item]}) == wire_json.encode({"Items": [item]})
    assert not _kept(item)


def test_items_made_without_the_slot_set_are_still_written():
    cache = StoredJSON()
    item = SizedItem({"k": {"S": "v"}})  # wire never set, as everywhere in the engine
    assert cache.encode({"Items": [item]}) == b'{"Items":[{"k":{"S":"v"}}]}'
    assert _kept(item)


def test_other_dict_subclasses_are_written_as_the_standard_library_writes_them():
    class Other(dict):
        pass

    answer = {"Item": Other(k={"S": "v"}), "Items": [_sized(50, "a")]}
    assert StoredJSON().encode(answer) == wire_json.stdlib_encode(answer)


def test_concurrent_answers_count_what_they_keep():
    cache = StoredJSON(budget_bytes=20_000)
    items = [_sized(200, str(n)) for n in range(400)]

    def read(offset: int) -> None:
        for round_ in range(3):
            for index in range(offset, len(items), 4):
                assert cache.encode({"Items": [items[index]]}) == wire_json.encode({"Items": [items[index]]})

    threads = [threading.Thread(target=read, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.held == sum(len(data) for _, data in cache._kept) <= 20_000
    assert cache.stale() == []


def test_stale_finds_an_item_changed_in_place():
    cache = StoredJSON()
    item = _sized(60, "a")
    cache.encode({"Items": [item]})
    assert cache.stale() == []
    item["k"] = {"S": "changed"}  # what the engine never does to a stored item
    assert cache.stale() == [item]


def test_the_process_answers_keep_texts_by_default():
    assert stored_json.ANSWERS.budget == stored_json.DEFAULT_BUDGET_BYTES


def test_a_read_after_an_update_or_a_replace_answers_the_new_item():
    from emulator.database import Regions
    from server import protocol

    regions = Regions()
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Date": "20260101T000000Z",
               "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
                                "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0" * 64}

    def send(operation: str, request: dict) -> dict:
        status, _, body = protocol.handle(regions, f"DynamoDB_20120810.{operation}", json.dumps(request).encode(),
                                          headers)
        assert status == 200, body
        return json.loads(body)

    send("CreateTable", {"TableName": "kept", "BillingMode": "PAY_PER_REQUEST",
                         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                         "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
    key = {"pk": {"S": "a"}}

    def read_all() -> list[dict]:
        """The item by a Scan, a Query and a BatchGetItem (the answers that keep texts)."""
        return [send("Scan", {"TableName": "kept"})["Items"],
                send("Query", {"TableName": "kept", "KeyConditionExpression": "pk = :a",
                               "ExpressionAttributeValues": {":a": key["pk"]}})["Items"],
                send("BatchGetItem", {"RequestItems": {"kept": {"Keys": [key]}}})["Responses"]["kept"]]

    send("PutItem", {"TableName": "kept", "Item": {**key, "n": {"N": "1"}}})
    for _ in range(2):  # the second reads are answered with the kept text
        assert read_all() == [[{**key, "n": {"N": "1"}}]] * 3
    send("UpdateItem", {"TableName": "kept", "Key": key, "UpdateExpression": "SET n = n + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}})
    assert read_all() == [[{**key, "n": {"N": "2"}}]] * 3
    send("PutItem", {"TableName": "kept", "Item": {**key, "s": {"S": "x"}}})
    assert read_all() == [[{**key, "s": {"S": "x"}}]] * 3
    assert stored_json.ANSWERS.stale() == []
