"""Engine tests of emulator/indexes.py: index positions and projections, upkeep through
Table's one write path, the write checks, LSI item collections, and the lookups Query and
Scan use. DynamoDB facts and their sources are in compat/test_gsi.py and test_lsi.py;
here the structures are checked directly, with ``_check()`` after every change."""

from decimal import Decimal

import pytest

from emulator import limits
from emulator.errors import DynamoDBError, TransactionCanceledException
from emulator.indexes import (
    GLOBAL,
    LOCAL,
    TOP,
    Index,
    Projection,
    TableIndexes,
    find_index,
    item_collection_metrics,
    table_indexes,
)
from emulator.table import KeySchema
from emulator.types import normalize_item
from engine_errors import error_of

DEFS = [
    {"AttributeName": "p", "AttributeType": "S"},
    {"AttributeName": "c", "AttributeType": "N"},
    {"AttributeName": "g", "AttributeType": "S"},
    {"AttributeName": "r", "AttributeType": "N"},
    {"AttributeName": "l", "AttributeType": "B"},
]


def key(*elements):
    return [{"AttributeName": name, "KeyType": kind} for name, kind in elements]


@pytest.fixture
def table(call, db):
    """Table p(S)+c(N) with: gsi_all g(S)+r(N) ALL, gsi_keys g(S) KEYS_ONLY,
    gsi_incl r(N) INCLUDE [x], lsi l(B) INCLUDE [x, y]."""
    call("CreateTable", {
        "TableName": "tbl", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": DEFS,
        "KeySchema": key(("p", "HASH"), ("c", "RANGE")),
        "GlobalSecondaryIndexes": [
            {"IndexName": "gsi_all", "KeySchema": key(("g", "HASH"), ("r", "RANGE")),
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "gsi_keys", "KeySchema": key(("g", "HASH")), "Projection": {"ProjectionType": "KEYS_ONLY"}},
            {"IndexName": "gsi_incl", "KeySchema": key(("r", "HASH")),
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}},
        ],
        "LocalSecondaryIndexes": [
            {"IndexName": "lsi", "KeySchema": key(("p", "HASH"), ("l", "RANGE")),
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x", "y"]}},
        ],
    })
    return db.tables["tbl"]


def put(call, table, **attributes):
    item = {name: ({"N": str(value)} if isinstance(value, int) else
                   {"B": value} if name == "l" else {"S": value}) for name, value in attributes.items()}
    call("PutItem", {"TableName": "tbl", "Item": item})
    state = table_indexes(table)
    state._check()
    table._check()
    return normalize_item(item)


def entries(index):
    return list(index.items.items())



# ---------------------------------------------------------------- structure


def test_create_table_builds_global_then_local_indexes(table):
    state = table_indexes(table)
    assert list(state.globals) == ["gsi_all", "gsi_keys", "gsi_incl"]
    assert list(state.locals) == ["lsi"]
    assert state.get("lsi").kind == LOCAL and state.get("gsi_keys").kind == GLOBAL
    assert state.get("lsi").schema == KeySchema("p", "S", "l", "B")
    assert state.get("gsi_all").arn == table.arn + "/index/gsi_all"
    assert table.listeners.count(state.on_write) == 1 and table.write_checks.count(state.check_item) == 1


def test_position_sorts_by_index_key_then_table_key():
    index = Index("ix", GLOBAL, KeySchema("g", "S", "r", "N"), KeySchema("p", "S", "c", "N"),
                  Projection("ALL"), "arn")
    item = normalize_item({"p": {"S": "a"}, "c": {"N": "2"}, "g": {"S": "G"}, "r": {"N": "7"}})
    assert index.key_values(item) == ("G", (Decimal(7), "a", Decimal(2)))
    hash_only = Index("ix", GLOBAL, KeySchema("g", "S"), KeySchema("p", "S"), Projection("ALL"), "arn")
    assert hash_only.key_values(normalize_item({"p": {"S": "a"}, "g": {"S": "G"}})) == ("G", ("a", None))


def test_items_without_the_index_key_or_with_another_type_are_not_positioned():
    index = Index("ix", GLOBAL, KeySchema("g", "S", "r", "N"), KeySchema("p", "S"), Projection("ALL"), "arn")
    assert index.key_values({"p": {"S": "a"}, "g": {"S": "G"}}) is None
    assert index.key_values({"p": {"S": "a"}, "r": {"N": "1"}}) is None
    assert index.key_values({"p": {"S": "a"}, "g": {"N": "1"}, "r": {"N": "1"}}) is None


def test_bounds_bracket_every_position_with_that_sort_value():
    low, high = (Decimal(5),), (Decimal(5), TOP)
    for position in [(Decimal(5), "", None), (Decimal(5), "zzz", Decimal(-1)), (Decimal(5), b"\xff", None)]:
        assert low < position < high
    assert (Decimal(4), "z", None) < low and high < (Decimal(6), "", None)
    assert TOP > "x" and not TOP < "x" and TOP >= TOP and TOP <= TOP


def test_projections_keep_the_declared_attributes():
    item = normalize_item({"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "G"}, "x": {"S": "1"}, "y": {"S": "2"}})
    schema, table_schema = KeySchema("g", "S"), KeySchema("p", "S", "c", "N")
    keys_only = Index("k", GLOBAL, schema, table_schema, Projection("KEYS_ONLY"), "arn")
    include = Index("i", GLOBAL, schema, table_schema, Projection("INCLUDE", ("x", "z")), "arn")
    everything = Index("a", GLOBAL, schema, table_schema, Projection("ALL"), "arn")
    assert keys_only.project(item) == {"p": item["p"], "c": item["c"], "g": item["g"]}
    assert include.project(item) == {"p": item["p"], "c": item["c"], "g": item["g"], "x": item["x"]}
    assert everything.project(item) is item
    assert keys_only.key_names == ("p", "c", "g")
    assert include.is_projected("x") and not include.is_projected("y") and everything.is_projected("y")
    assert include.projected_attributes == {"p", "c", "g", "x", "z"} and everything.projected_attributes is None


def test_consistent_reads_only_on_local_indexes(table):
    state = table_indexes(table)
    assert state.get("lsi").consistent_read_allowed and not state.get("gsi_all").consistent_read_allowed


# ---------------------------------------------------------------- upkeep


def test_put_fills_every_index_the_item_has_keys_for(call, table):
    put(call, table, p="a", c=1, g="G", r=5, x="X", y="Y", l="AQ==")
    state = table_indexes(table)
    assert [len(state.get(name).items) for name in ("gsi_all", "gsi_keys", "gsi_incl", "lsi")] == [1, 1, 1, 1]
    assert entries(state.get("gsi_incl"))[0] == {"p": {"S": "a"}, "c": {"N": "1"}, "r": {"N": "5"}, "x": {"S": "X"}}


def test_sparse_indexes_leave_out_items_without_their_key(call, table):
    put(call, table, p="a", c=1, g="G")
    state = table_indexes(table)
    assert [len(state.get(name).items) for name in ("gsi_all", "gsi_keys", "gsi_incl", "lsi")] == [0, 1, 0, 0]


def test_overwrite_moves_the_entry_and_delete_removes_it(call, table):
    put(call, table, p="a", c=1, g="G", r=5)
    put(call, table, p="a", c=1, g="H", r=6)
    gsi = table_indexes(table).get("gsi_all")
    assert gsi.items.get("G", (Decimal(5), "a", Decimal(1))) is None
    assert gsi.items.get("H", (Decimal(6), "a", Decimal(1)))["g"] == {"S": "H"}
    put(call, table, p="a", c=1)  # the index key attributes removed: out of the index
    assert len(gsi.items) == 0 and gsi.size_bytes == 0
    put(call, table, p="a", c=1, g="G", r=5)
    call("DeleteItem", {"TableName": "tbl", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}})
    table_indexes(table)._check()
    assert len(gsi.items) == 0


def test_equal_index_keys_are_kept_apart_by_the_table_key(call, table):
    for c in (3, 1, 2):
        put(call, table, p="a", c=c, g="G")
    put(call, table, p="b", c=0, g="G")
    partition = table_indexes(table).get("gsi_keys").items.partition("G")
    assert [(entry["p"]["S"], entry["c"]["N"]) for entry in partition.values()] == [
        ("a", "1"), ("a", "2"), ("a", "3"), ("b", "0")]


def test_index_size_counts_projected_bytes(call, table):
    put(call, table, p="a", c=1, g="G", r=5, x="0123456789", big="z" * 100)
    state = table_indexes(table)
    assert state.get("gsi_incl").size_bytes == 1 + 1 + 1 + 2 + 1 + 2 + 1 + 10  # p a c 1 r 5 x ...
    assert state.get("gsi_all").size_bytes == table.size_bytes


def test_backfill_copies_existing_items_and_skips_mismatched_types(call, table):
    put(call, table, p="a", c=1, z="text")
    put(call, table, p="b", c=1, z="more")
    table.put(normalize_item({"p": {"S": "c"}, "c": {"N": "1"}, "z": {"N": "1"}}))
    index = Index("late", GLOBAL, KeySchema("z", "S"), table.schema, Projection("KEYS_ONLY"), "arn")
    table_indexes(table).add(index)
    table_indexes(table)._check()
    assert sorted(index.items.partition("text").values()[0]) == ["c", "p", "z"]
    assert len(index.items) == 2


def test_removed_index_is_no_longer_kept(call, table):
    state = table_indexes(table)
    removed = state.remove("gsi_keys")
    put(call, table, p="a", c=1, g="G")
    assert len(removed.items) == 0 and state.get("gsi_keys") is None


# ---------------------------------------------------------------- write checks


@pytest.mark.parametrize("attribute, value, message", [
    ("g", {"N": "1"}, "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S "
                      "Actual: N IndexName: gsi_all"),
    ("r", {"S": "1"}, "One or more parameter values were invalid: Type mismatch for Index Key r Expected: N "
                      "Actual: S IndexName: gsi_all"),
    ("l", {"NULL": True}, "One or more parameter values were invalid: Type mismatch for Index Key l Expected: B "
                          "Actual: NULL IndexName: lsi"),
    ("g", {"S": ""}, "One or more parameter values are not valid. A value specified for a secondary index key is "
                     "not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                     "IndexName: gsi_all, IndexKey: g"),
    ("l", {"B": ""}, "One or more parameter values are not valid. A value specified for a secondary index key is "
                     "not supported. The AttributeValue for a key attribute cannot contain an empty binary value. "
                     "IndexName: lsi, IndexKey: l"),
    ("g", {"S": "x" * 2049}, "One or more parameter values were invalid: Size limit exceeded for Index Key g "
                             "Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: gsi_all"),
])
def test_unusable_index_key_values_are_refused_before_anything_is_stored(call, table, attribute, value, message):
    item = {"p": {"S": "a"}, "c": {"N": "1"}, attribute: value}
    assert error_of(call, "PutItem", {"TableName": "tbl", "Item": item}) == ("ValidationException", message)
    assert table.item_count == 0
    table_indexes(table)._check()


def test_index_sort_key_size_limit_is_1024_bytes(call, db):
    call("CreateTable", {
        "TableName": "big", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": DEFS[:3],
        "KeySchema": key(("p", "HASH"), ("c", "RANGE")),
        "LocalSecondaryIndexes": [{"IndexName": "lsi", "KeySchema": key(("p", "HASH"), ("g", "RANGE")),
                                   "Projection": {"ProjectionType": "ALL"}}]})
    call("PutItem", {"TableName": "big", "Item": {"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "é" * 512}}})
    assert error_of(call, "PutItem", {"TableName": "big",
                                      "Item": {"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "é" * 512 + "x"}}}) == (
        "ValidationException", "One or more parameter values were invalid: Size limit exceeded for Index Key g "
        "Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: lsi")


# ---------------------------------------------------------------- LSI item collections


def test_item_collection_sizes_follow_every_write(call, table):
    first = put(call, table, p="a", c=1, l="AQ==", x="X", w="not projected")
    second = put(call, table, p="a", c=2)
    state = table_indexes(table)
    assert state.collection_bytes == {"a": state.collection_size(first) + state.collection_size(second)}
    assert state.collection_size(first) > len(b"p" + b"a" + b"c" + b"1" + b"l\x01")
    call("DeleteItem", {"TableName": "tbl", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}})
    call("DeleteItem", {"TableName": "tbl", "Key": {"p": {"S": "a"}, "c": {"N": "2"}}})
    assert state.collection_bytes == {}


def test_item_collection_may_not_grow_past_the_limit(call, table, monkeypatch):
    put(call, table, p="a", c=1, l="AQ==", x="0123456789")
    size = table_indexes(table).collection_bytes["a"]
    monkeypatch.setattr(limits, "MAX_LSI_ITEM_COLLECTION_BYTES", size + 20)
    assert error_of(call, "PutItem", {"TableName": "tbl", "Item": {
        "p": {"S": "a"}, "c": {"N": "2"}, "x": {"S": "x" * 30}}}) == (
        "ItemCollectionSizeLimitExceededException", "Collection size exceeded.")
    assert table.item_count == 1
    put(call, table, p="b", c=2, x="x" * 30)  # another collection is unaffected
    put(call, table, p="a", c=1, l="AQ==")  # shrinking an over-full collection is allowed
    monkeypatch.setattr(limits, "MAX_LSI_ITEM_COLLECTION_BYTES", 1)
    put(call, table, p="a", c=1)
    call("DeleteItem", {"TableName": "tbl", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}})


def test_every_write_path_keeps_item_collections_under_the_limit(call, table, monkeypatch):
    """UpdateItem, BatchWriteItem and TransactWriteItems are held to the limit too; a
    transaction counts its own earlier writes to the same collection, and is cancelled
    with an ItemCollectionSizeLimitExceeded reason for the action that overflows."""
    put(call, table, p="a", c=1, x="0")
    size = table_indexes(table).collection_bytes["a"]
    monkeypatch.setattr(limits, "MAX_LSI_ITEM_COLLECTION_BYTES", size + 40)
    big = {"S": "y" * 30}
    assert error_of(call, "UpdateItem", {
        "TableName": "tbl", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}, "UpdateExpression": "SET z = :z, w = :z",
        "ExpressionAttributeValues": {":z": big}})[0] == "ItemCollectionSizeLimitExceededException"
    assert error_of(call, "BatchWriteItem", {"RequestItems": {"tbl": [
        {"PutRequest": {"Item": {"p": {"S": "a"}, "c": {"N": "2"}, "z": big, "w": big}}}]}})[0] == (
        "ItemCollectionSizeLimitExceededException")
    # Two puts that each fit but not together: refused whole, nothing written.
    assert error_of(call, "BatchWriteItem", {"RequestItems": {"tbl": [
        {"PutRequest": {"Item": {"p": {"S": "b"}, "c": {"N": "9"}}}},
        {"PutRequest": {"Item": {"p": {"S": "a"}, "c": {"N": "2"}, "z": big}}},
        {"PutRequest": {"Item": {"p": {"S": "a"}, "c": {"N": "3"}, "z": big}}}]}}) == (
        "ItemCollectionSizeLimitExceededException", "Collection size exceeded.")
    assert table.item_count == 1
    one = {"Put": {"TableName": "tbl", "Item": {"p": {"S": "a"}, "c": {"N": "2"}, "z": big}}}
    other = {"Put": {"TableName": "tbl", "Item": {"p": {"S": "a"}, "c": {"N": "3"}, "z": big}}}
    elsewhere = {"Put": {"TableName": "tbl", "Item": {"p": {"S": "b"}, "c": {"N": "3"}, "z": big}}}
    with pytest.raises(TransactionCanceledException) as cancelled:
        call("TransactWriteItems", {"TransactItems": [one, elsewhere, other]})
    assert [reason["Code"] for reason in cancelled.value.extras["CancellationReasons"]] == [
        "None", "None", "ItemCollectionSizeLimitExceeded"]
    assert cancelled.value.extras["CancellationReasons"][2]["Message"] == "Collection size exceeded."
    assert table.item_count == 1
    alone_too_big = {"Put": {"TableName": "tbl", "Item": {"p": {"S": "a"}, "c": {"N": "4"}, "z": big, "w": big}}}
    with pytest.raises(TransactionCanceledException) as cancelled:
        call("TransactWriteItems", {"TransactItems": [elsewhere, alone_too_big]})
    assert [reason["Code"] for reason in cancelled.value.extras["CancellationReasons"]] == [
        "None", "ItemCollectionSizeLimitExceeded"]
    call("TransactWriteItems", {"TransactItems": [one, elsewhere]})  # each alone fits
    assert table.item_count == 3
    table_indexes(table)._check()


def test_item_collection_metrics_only_for_tables_with_local_indexes(call, table, table_factory, db):
    put(call, table, p="a", c=1)
    assert item_collection_metrics(table, {"p": {"S": "a"}, "c": {"N": "1"}}) == {
        "ItemCollectionKey": {"p": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    assert item_collection_metrics(table, {"p": {"S": "none"}})["SizeEstimateRangeGB"] == [0.0, 1.0]
    table_indexes(table).collection_bytes["a"] = 5 * (1 << 30) + 1
    assert item_collection_metrics(table, {"p": {"S": "a"}})["SizeEstimateRangeGB"] == [5.0, 6.0]
    table_factory("plain", p="S")
    assert item_collection_metrics(db.tables["plain"], {"p": {"S": "a"}}) is None


# ---------------------------------------------------------------- lookups for Query and Scan


def test_find_index_names_missing_and_backfilling_indexes(table, table_factory, db):
    assert find_index(table, "lsi").name == "lsi"
    with pytest.raises(DynamoDBError) as info:
        find_index(table, "nope")
    assert info.value.message == "The table does not have the specified index: nope"
    table_factory("plain", p="S")
    with pytest.raises(DynamoDBError):
        find_index(db.tables["plain"], "nope")
    index = table_indexes(table).get("gsi_keys")
    index.status, index.online = "CREATING", True
    with pytest.raises(DynamoDBError) as info:
        find_index(table, "gsi_keys")
    assert info.value.message == "Cannot read from backfilling global secondary index: gsi_keys"


def test_key_of_an_index_item_has_index_and_table_keys(call, table):
    put(call, table, p="a", c=1, g="G", r=2, x="X")
    index = table_indexes(table).get("gsi_all")
    (entry,) = entries(index)
    assert index.key_of(entry) == {"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "G"}, "r": {"N": "2"}}


def test_table_indexes_of_registers_once(table_factory, db):
    table_factory("plain", p="S")
    plain = db.tables["plain"]
    assert table_indexes(plain) is None and plain.write_checks == []
    state = TableIndexes.of(plain)
    assert TableIndexes.of(plain) is state
    assert plain.listeners.count(state.on_write) == 1 and plain.write_checks == [state.check_item]



# ---------------------------------------------------------------- write capacity


def test_write_units_follow_the_index_entry(call, table):
    from emulator.indexes import write_units

    def units(old, new):
        return write_units(table, normalize_item(old) if old else None, normalize_item(new) if new else None)

    base = {"p": {"S": "a"}, "c": {"N": "1"}}
    assert units(None, base) == {}  # in no index
    assert units(None, {**base, "g": {"S": "G"}}) == {"gsi_keys": (GLOBAL, 1.0)}
    # index key changed: a delete and a put
    assert units({**base, "g": {"S": "G"}}, {**base, "g": {"S": "H"}}) == {"gsi_keys": (GLOBAL, 2.0)}
    # unchanged entry (only a non-projected attribute changed) costs nothing
    assert units({**base, "g": {"S": "G"}}, {**base, "g": {"S": "G"}, "w": {"S": "w"}}) == {}
    # a projected attribute changed: one write of the larger entry
    big = {"S": "x" * 1500}
    assert units({**base, "r": {"N": "1"}}, {**base, "r": {"N": "1"}, "x": big}) == {"gsi_incl": (GLOBAL, 2.0)}
    assert units({**base, "l": {"B": "AQ=="}}, None) == {"lsi": (LOCAL, 1.0)}


# ---------------------------------------------------------------- read rules for Query and Scan


def test_read_rules_of_global_and_local_indexes(table):
    from emulator.indexes import check_consistent_read, check_select, fetches_from_table

    state = table_indexes(table)
    gsi_all, gsi_keys, lsi = state.get("gsi_all"), state.get("gsi_keys"), state.get("lsi")
    check_consistent_read(lsi, True)
    check_consistent_read(gsi_all, False)
    with pytest.raises(DynamoDBError) as info:
        check_consistent_read(gsi_all, True)
    assert info.value.message == "Consistent reads are not supported on global secondary indexes"
    check_select(gsi_all, "ALL_ATTRIBUTES")
    check_select(lsi, "ALL_ATTRIBUTES")
    check_select(gsi_keys, "ALL_PROJECTED_ATTRIBUTES")
    with pytest.raises(DynamoDBError) as info:
        check_select(gsi_keys, "ALL_ATTRIBUTES")
    assert info.value.message == ("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                                  "supported for global secondary index gsi_keys because its projection type is not ALL")
    assert fetches_from_table(lsi, "ALL_ATTRIBUTES") and not fetches_from_table(lsi, None)
    assert not fetches_from_table(gsi_all, "ALL_ATTRIBUTES")


def test_lsi_entry_leads_back_to_the_table_item(call, table):
    from emulator.indexes import table_item

    full = put(call, table, p="a", c=1, l="AQ==", w="not projected")
    (entry,) = entries(table_indexes(table).get("lsi"))
    assert "w" not in entry and table_item(table, entry) == full


def test_start_position_from_a_last_evaluated_key(call, table):
    from emulator.indexes import start_position

    put(call, table, p="a", c=1, g="G", r=2)
    index = table_indexes(table).get("gsi_all")
    (entry,) = entries(index)
    assert start_position(table, index, index.key_of(entry)) == ("G", (Decimal(2), "a", Decimal(1)))

    def refusal(start_key):
        with pytest.raises(DynamoDBError) as info:
            start_position(table, index, start_key)
        return info.value.message

    good = {"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "G"}, "r": {"N": "2"}}
    assert refusal({"p": {"S": "a"}, "c": {"N": "1"}}) == "The provided starting key is invalid"
    assert refusal({**good, "x": {"S": "1"}}) == "The provided starting key is invalid"
    assert refusal({"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "G"}, "x": {"N": "2"}}) == (
        "The provided starting key is invalid")
    assert refusal({**good, "g": {"N": "1"}}) == "The provided key element does not match the schema"
    assert refusal({**good, "c": {"S": "1"}}) == (
        "The provided starting key is invalid: The provided key element does not match the schema")


def test_index_key_attributes_leave_out_the_table_key(table, table_factory, db):
    from emulator.indexes import index_key_attributes

    assert index_key_attributes(table) == ["g", "r", "l"]
    table_factory("plain", p="S")
    assert index_key_attributes(db.tables["plain"]) == []


def test_ttl_deletions_leave_every_index(call, table, db):
    from emulator import ttl

    call("UpdateTimeToLive", {"TableName": "tbl", "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "exp"}})
    now = db.clock.now()
    put(call, table, p="a", c=1, g="G", r=5, l="AQ==", exp=int(now) - 10)
    put(call, table, p="a", c=2, g="G", r=6, l="Ag==", exp=int(now) + 1000)
    state = table_indexes(table)
    assert ttl.sweep(db) == 1
    state._check()
    assert [len(state.get(name).items) for name in ("gsi_all", "gsi_keys", "lsi")] == [1, 1, 1]
    assert state.collection_bytes == {"a": state.collection_size(table.get("a", Decimal(2)))}
