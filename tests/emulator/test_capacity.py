"""ConsumedCapacity arithmetic and shapes, alone and through the item operations.

Values follow dynalite's tests recorded on AWS (test/getItem.js, putItem.js,
deleteItem.js); shapes follow ExtendDB's captures (PR #212): single-item operations
report CapacityUnits only, INDEXES adds the Table (and index) breakdown.
"""

import pytest

from emulator import capacity


def test_reads_cost_one_unit_per_4kb_and_half_when_eventually_consistent():
    assert capacity.read_units(0, True) == 1.0  # a missing item still costs a unit
    assert capacity.read_units(4096, True) == 1.0
    assert capacity.read_units(4097, True) == 2.0
    assert capacity.read_units(4096, False) == 0.5
    assert capacity.read_units(4097, False) == 1.0
    assert capacity.read_units(3 * 4096 + 1, False) == 2.0


def test_writes_cost_one_unit_per_kb():
    assert capacity.write_units(0) == 1.0
    assert capacity.write_units(1024) == 1.0
    assert capacity.write_units(1025) == 2.0


def test_consumed_shapes():
    assert capacity.consumed("NONE", "t", 1.0) is None
    assert capacity.consumed(None, "t", 1.0) is None
    assert capacity.consumed("TOTAL", "t", 1.5) == {"TableName": "t", "CapacityUnits": 1.5}
    assert capacity.consumed("INDEXES", "t", 1.0) == {"TableName": "t", "CapacityUnits": 1.0,
                                                      "Table": {"CapacityUnits": 1.0}}
    indexed = capacity.consumed("INDEXES", "t", 1.0, {"g": ("GlobalSecondaryIndexes", 2.0),
                                                      "l": ("LocalSecondaryIndexes", 1.0)})
    assert indexed == {"TableName": "t", "CapacityUnits": 4.0, "Table": {"CapacityUnits": 1.0},
                       "GlobalSecondaryIndexes": {"g": {"CapacityUnits": 2.0}},
                       "LocalSecondaryIndexes": {"l": {"CapacityUnits": 1.0}}}
    total = capacity.consumed("TOTAL", "t", 1.0, {"g": ("GlobalSecondaryIndexes", 2.0)})
    assert total == {"TableName": "t", "CapacityUnits": 3.0}
    # transactions report the read/write split as well
    assert capacity.consumed("TOTAL", "t", 2.0, read=True) == {
        "TableName": "t", "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}


@pytest.fixture
def table(table_factory):
    return table_factory("cap", a="S")


def put(call, table, size_of_b, **extra):
    """An item whose size is 1024 - 999 + ``size_of_b`` bytes (dynalite's boundary item)."""
    item = {"a": {"S": "A" * 10}, "b": {"S": "b" * size_of_b}, "c": {"N": "12.3456"}, "d": {"B": "AQI="},
            "e": {"BS": ["AQI=", "Ag==", "AQ=="]}}
    return call("PutItem", {"TableName": table, "Item": item, **extra})


def test_put_item_capacity_boundary(call, table):
    assert put(call, table, 999, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == {
        "TableName": table, "CapacityUnits": 1.0}
    assert put(call, table, 1000, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"] == {
        "TableName": table, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}}


def test_put_item_capacity_is_the_larger_of_old_and_new(call, table):
    put(call, table, 1000)
    small = {"TableName": table, "Item": {"a": {"S": "A" * 10}}, "ReturnConsumedCapacity": "TOTAL"}
    assert call("PutItem", small)["ConsumedCapacity"]["CapacityUnits"] == 2.0  # replaced 1025 bytes
    assert call("PutItem", small)["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_put_item_without_return_consumed_capacity_reports_nothing(call, table):
    assert "ConsumedCapacity" not in put(call, table, 10)
    assert "ConsumedCapacity" not in put(call, table, 10, ReturnConsumedCapacity="NONE")


def test_get_item_capacity(call, table):
    key = {"a": {"S": "A" * 10}}
    get = {"TableName": table, "Key": key, "ReturnConsumedCapacity": "TOTAL"}
    assert call("GetItem", get)["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5}
    assert call("GetItem", {**get, "ConsistentRead": True})["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert call("GetItem", {**get, "ReturnConsumedCapacity": "INDEXES"})["ConsumedCapacity"] == {
        "TableName": table, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}
    call("PutItem", {"TableName": table, "Item": {**key, "b": {"S": "b" * (4097 - 11 - 1)}}})
    assert call("GetItem", get)["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert call("GetItem", {**get, "ConsistentRead": True})["ConsumedCapacity"]["CapacityUnits"] == 2.0


def test_delete_item_capacity(call, table):
    delete = {"TableName": table, "Key": {"a": {"S": "A" * 10}}, "ReturnConsumedCapacity": "TOTAL"}
    assert call("DeleteItem", delete)["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}
    put(call, table, 1000)
    assert call("DeleteItem", delete)["ConsumedCapacity"]["CapacityUnits"] == 2.0
