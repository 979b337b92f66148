"""Engine tests of Query and Scan (operations/query.py, scan.py, reads.py): key ranges,
order, Limit, ExclusiveStartKey/LastEvaluatedKey, the 1 MB page, Select, counts,
segments, capacity, index targets, and DynamoDB's refusals. The DynamoDB facts and their
sources are pinned in compat/test_query.py, test_scan.py and test_legacy_api.py; these
tests check the engine directly and cover what botocore will not send."""

from decimal import Decimal

import pytest

from emulator import limits
from emulator.errors import SerializationException
from emulator.operations.reads import segment_range
from emulator.partitions import TOKEN_SPACE, hash_token
from engine_errors import error_of

TABLE = "tbl"


def key(*elements):
    return [{"AttributeName": name, "KeyType": kind} for name, kind in elements]


def eq(value):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [value]}


def cond(operator, *values):
    return {"ComparisonOperator": operator, "AttributeValueList": list(values)}



@pytest.fixture
def sn(call, table_factory):
    """tbl: p(S) + c(N) with partition 'a' holding c = 0..9 (x = 'v' * c)."""
    table_factory(TABLE, p="S", c="N")
    for i in range(10):
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"N": str(i)}, "x": {"S": "v" * i}}})
    call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "b"}, "c": {"N": "1"}}})
    return TABLE


def query(call, sort=None, **extra):
    conditions = {"p": eq({"S": "a"})}
    if sort is not None:
        conditions["c"] = sort
    return call("Query", {"TableName": TABLE, "KeyConditions": conditions, **extra})


def sort_keys(response):
    return [int(item["c"]["N"]) for item in response["Items"]]


# ---------------------------------------------------------------- key ranges and order


@pytest.mark.parametrize("sort, expected", [
    (None, list(range(10))),
    (cond("EQ", {"N": "3"}), [3]),
    (cond("LT", {"N": "3"}), [0, 1, 2]),
    (cond("LE", {"N": "3"}), [0, 1, 2, 3]),
    (cond("GT", {"N": "7"}), [8, 9]),
    (cond("GE", {"N": "7"}), [7, 8, 9]),
    (cond("BETWEEN", {"N": "2"}, {"N": "4"}), [2, 3, 4]),
    (cond("BETWEEN", {"N": "4"}, {"N": "4"}), [4]),
    (cond("GT", {"N": "2.5"}), [3, 4, 5, 6, 7, 8, 9]),
])
def test_query_sort_conditions_forward_and_reverse(call, sn, sort, expected):
    assert sort_keys(query(call, sort)) == expected
    assert sort_keys(query(call, sort, ScanIndexForward=False)) == expected[::-1]


def test_query_partition_without_items_is_empty(call, sn):
    response = call("Query", {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "zz"})}})
    assert response == {"Items": [], "Count": 0, "ScannedCount": 0}


def test_query_orders_numbers_numerically(call, table_factory):
    table_factory(TABLE, p="S", c="N")
    for n in ["-100", "-5", "-1.5", "0", "1e-3", "1", "10", "5", "100"]:
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"N": n}}})
    got = [Decimal(item["c"]["N"]) for item in query(call)["Items"]]
    assert got == sorted(got) and len(got) == 9


def test_query_orders_binary_as_unsigned_bytes(call, table_factory):
    table_factory(TABLE, p="S", c="B")
    values = ["/w==", "AQ==", "AQI=", "Ag==", "fw==", "gA=="]  # ff, 01, 0102, 02, 7f, 80
    for value in values:
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"B": value}}})
    got = [item["c"]["B"] for item in query(call)["Items"]]
    assert got == ["AQ==", "AQI=", "Ag==", "fw==", "gA==", "/w=="]
    prefixed = query(call, cond("BEGINS_WITH", {"B": "AQ=="}))
    assert [item["c"]["B"] for item in prefixed["Items"]] == ["AQ==", "AQI="]
    top = query(call, cond("BEGINS_WITH", {"B": "/w=="}), ScanIndexForward=False)
    assert [item["c"]["B"] for item in top["Items"]] == ["/w=="]


def test_query_begins_with_on_strings_including_the_largest_code_point(call, table_factory):
    table_factory(TABLE, p="S", c="S")
    top = chr(0x10FFFF)
    for sk in ["a", "ab", "abc", "ab" + top, "ac", "b", top, top + "x"]:
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"S": sk}}})

    def begins(prefix, forward=True):
        response = query(call, cond("BEGINS_WITH", {"S": prefix}), ScanIndexForward=forward)
        return [item["c"]["S"] for item in response["Items"]]

    assert begins("ab") == ["ab", "abc", "ab" + top]
    assert begins("ab", forward=False) == ["ab" + top, "abc", "ab"]
    assert begins(top) == [top, top + "x"]
    assert begins(top, forward=False) == [top + "x", top]


def test_query_hash_only_table_returns_the_one_item(call, table_factory):
    table_factory(TABLE, p="S")
    call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "v": {"N": "1"}}})
    response = call("Query", {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "a"})}})
    assert response["Items"] == [{"p": {"S": "a"}, "v": {"N": "1"}}]


# ---------------------------------------------------------------- Limit, pages, keys


def test_query_limit_returns_last_evaluated_key_even_at_the_end(call, sn):
    page = query(call, Limit=3)
    assert sort_keys(page) == [0, 1, 2]
    assert page["LastEvaluatedKey"] == {"p": {"S": "a"}, "c": {"N": "2"}}
    last = query(call, cond("GE", {"N": "7"}), Limit=3)
    assert sort_keys(last) == [7, 8, 9] and "LastEvaluatedKey" in last
    after = query(call, cond("GE", {"N": "7"}), Limit=3, ExclusiveStartKey=last["LastEvaluatedKey"])
    assert after == {"Items": [], "Count": 0, "ScannedCount": 0}


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize("limit", [1, 2, 3, 4, 10, 11])
def test_query_pages_visit_every_item_once(call, sn, forward, limit):
    seen, start = [], None
    while True:
        extra = {"Limit": limit, "ScanIndexForward": forward}
        if start is not None:
            extra["ExclusiveStartKey"] = start
        page = query(call, cond("BETWEEN", {"N": "1"}, {"N": "8"}), **extra)
        seen += sort_keys(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    assert seen == (list(range(1, 9)) if forward else list(range(8, 0, -1)))


def test_query_exclusive_start_key_need_not_be_stored(call, sn):
    page = query(call, ExclusiveStartKey={"p": {"S": "a"}, "c": {"N": "4.5"}})
    assert sort_keys(page) == [5, 6, 7, 8, 9]


def test_query_page_stops_before_one_megabyte(call, table_factory):
    table_factory(TABLE, p="S", c="N")
    payload = "x" * (100 * 1024)
    for i in range(25):
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"N": str(i)}, "v": {"S": payload}}})
    first = query(call)
    # Each item is 100 KB + a few bytes: ten fit in 1 MB (1,048,576 bytes), eleven do not.
    assert sort_keys(first) == list(range(10))
    assert first["ScannedCount"] == 10 and first["LastEvaluatedKey"]["c"] == {"N": "9"}
    seen, start = sort_keys(first), first["LastEvaluatedKey"]
    while start is not None:
        page = query(call, ExclusiveStartKey=start)
        seen += sort_keys(page)
        start = page.get("LastEvaluatedKey")
    assert seen == list(range(25))


def test_page_limit_applies_before_the_filter_and_projection(call, table_factory):
    table_factory(TABLE, p="S", c="N")
    payload = "x" * (300 * 1024)
    for i in range(5):
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"N": str(i)}, "v": {"S": payload}}})
    page = query(call, AttributesToGet=["c"])
    assert page["Items"] == [{"c": {"N": "0"}}, {"c": {"N": "1"}}, {"c": {"N": "2"}}]
    assert page["LastEvaluatedKey"] == {"p": {"S": "a"}, "c": {"N": "2"}}


def test_query_select_count_and_attributes_to_get(call, sn):
    assert query(call, Select="COUNT") == {"Count": 10, "ScannedCount": 10}
    page = query(call, cond("LT", {"N": "2"}), AttributesToGet=["x", "nope"])
    assert page["Items"] == [{"x": {"S": ""}}, {"x": {"S": "v"}}]
    counted = query(call, Select="COUNT", Limit=4)
    assert counted == {"Count": 4, "ScannedCount": 4, "LastEvaluatedKey": {"p": {"S": "a"}, "c": {"N": "3"}}}


def test_query_capacity_rounds_the_bytes_read_once(call, table_factory):
    table_factory(TABLE, p="S", c="N")
    for i in range(3):  # three items of ~3 KB: 9 KB in all, three 4 KB units
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"N": str(i)}, "v": {"S": "x" * 3000}}})
    strong = query(call, ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert strong["ConsumedCapacity"] == {"TableName": TABLE, "CapacityUnits": 3.0}
    eventual = query(call, ReturnConsumedCapacity="INDEXES")
    assert eventual["ConsumedCapacity"] == {"TableName": TABLE, "CapacityUnits": 1.5, "Table": {"CapacityUnits": 1.5}}
    empty = call("Query", {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "none"})},
                           "ReturnConsumedCapacity": "TOTAL"})
    assert empty["ConsumedCapacity"]["CapacityUnits"] == 0.5
    assert "ConsumedCapacity" not in query(call, ReturnConsumedCapacity="NONE")


# ---------------------------------------------------------------- Scan


def scan_all(call, **extra):
    items, start = [], None
    while True:
        request = {"TableName": TABLE, **extra}
        if start is not None:
            request["ExclusiveStartKey"] = start
        page = call("Scan", request)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if start is None:
            return items


def keys_of(items):
    return [(item["p"]["S"], item["c"]["N"]) for item in items]


@pytest.fixture
def many(call, table_factory):
    table_factory(TABLE, p="S", c="N")
    for p in range(40):
        for c in range(p % 3 + 1):
            call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": f"k{p}"}, "c": {"N": str(c)}}})
    return TABLE


def test_scan_order_is_stable_and_pages_partition_it(call, many):
    whole = keys_of(call("Scan", {"TableName": TABLE})["Items"])
    assert len(whole) == len(set(whole)) == sum(p % 3 + 1 for p in range(40))
    for limit in (1, 3, 7):
        assert keys_of(scan_all(call, Limit=limit)) == whole


@pytest.mark.parametrize("total", [1, 2, 3, 7, 40, 1_000_000])
def test_scan_segments_hold_every_item_exactly_once(call, many, total):
    whole = sorted(keys_of(call("Scan", {"TableName": TABLE})["Items"]))
    segments = range(total) if total <= 40 else [0, 1, total // 2, total - 1]
    found = []
    for segment in segments:
        found += keys_of(scan_all(call, Segment=segment, TotalSegments=total, Limit=2))
    if total <= 40:
        assert sorted(found) == whole
    else:
        assert len(found) == len(set(found))


def test_segment_ranges_cover_the_token_space():
    for total in (1, 2, 3, 1000, 1_000_000):
        ranges = [segment_range(s, total) for s in (0, 1, total - 1)]
        assert ranges[0][0] == 0 and ranges[-1][1] == TOKEN_SPACE
        assert segment_range(0, total)[1] == segment_range(1, total)[0] if total > 1 else True


def test_scan_rejects_a_start_key_from_another_segment(call, many):
    token = hash_token("k1")
    total = 4
    home = next(s for s in range(total) if segment_range(s, total)[0] <= token < segment_range(s, total)[1])
    other = (home + 1) % total
    code, message = error_of(call, "Scan", {"TableName": TABLE, "Segment": other, "TotalSegments": total,
                                            "ExclusiveStartKey": {"p": {"S": "k1"}, "c": {"N": "0"}}})
    assert (code, message) == ("ValidationException",
                               "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
                               f"ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {other}")
    call("Scan", {"TableName": TABLE, "Segment": home, "TotalSegments": total,
                  "ExclusiveStartKey": {"p": {"S": "k1"}, "c": {"N": "0"}}})


def test_scan_page_stops_before_one_megabyte(call, table_factory):
    table_factory(TABLE, p="S")
    for i in range(12):
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": f"k{i}"}, "v": {"S": "y" * 200_000}}})
    first = call("Scan", {"TableName": TABLE, "Select": "COUNT"})
    assert first["ScannedCount"] == 5 and "LastEvaluatedKey" in first
    assert len(scan_all(call)) == 12


# ---------------------------------------------------------------- indexes


@pytest.fixture
def indexed(call):
    """tbl p(S)+c(N); gsi g(S)+r(N) KEYS_ONLY; lsi p+l(S) INCLUDE [x]."""
    call("CreateTable", {
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t}
                                 for n, t in (("p", "S"), ("c", "N"), ("g", "S"), ("r", "N"), ("l", "S"))],
        "KeySchema": key(("p", "HASH"), ("c", "RANGE")),
        "GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": key(("g", "HASH"), ("r", "RANGE")),
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        "LocalSecondaryIndexes": [{"IndexName": "lsi", "KeySchema": key(("p", "HASH"), ("l", "RANGE")),
                                   "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}],
    })
    for c in range(6):
        call("PutItem", {"TableName": TABLE, "Item": {
            "p": {"S": "a"}, "c": {"N": str(c)}, "g": {"S": "G"}, "r": {"N": str(c % 2)},
            "l": {"S": "L" + str(5 - c)}, "x": {"S": "x"}, "y": {"S": "y" * 5000}}})
    return TABLE


def test_gsi_query_orders_by_index_key_then_table_key_and_resumes(call, indexed):
    request = {"TableName": TABLE, "IndexName": "gsi", "KeyConditions": {"g": eq({"S": "G"})}}
    whole = call("Query", request)["Items"]
    assert [(i["r"]["N"], i["c"]["N"]) for i in whole] == [("0", "0"), ("0", "2"), ("0", "4"),
                                                          ("1", "1"), ("1", "3"), ("1", "5")]
    assert set(whole[0]) == {"p", "c", "g", "r"}  # KEYS_ONLY: the table and index keys
    first = call("Query", {**request, "Limit": 2})
    assert first["LastEvaluatedKey"] == {"p": {"S": "a"}, "c": {"N": "2"}, "g": {"S": "G"}, "r": {"N": "0"}}
    rest = call("Query", {**request, "ExclusiveStartKey": first["LastEvaluatedKey"]})
    assert rest["Items"] == whole[2:]
    ones = call("Query", {**request, "KeyConditions": {"g": eq({"S": "G"}), "r": eq({"N": "1"})},
                          "ScanIndexForward": False})
    assert [i["c"]["N"] for i in ones["Items"]] == ["5", "3", "1"]


def test_gsi_refuses_consistent_read_and_all_attributes(call, indexed):
    request = {"TableName": TABLE, "IndexName": "gsi", "KeyConditions": {"g": eq({"S": "G"})}}
    assert error_of(call, "Query", {**request, "ConsistentRead": True}) == (
        "ValidationException", "Consistent reads are not supported on global secondary indexes")
    assert error_of(call, "Query", {**request, "Select": "ALL_ATTRIBUTES"}) == (
        "ValidationException", "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
        "supported for global secondary index gsi because its projection type is not ALL")
    assert error_of(call, "Scan", {"TableName": TABLE, "IndexName": "nope"}) == (
        "ValidationException", "The table does not have the specified index: nope")


def test_lsi_projects_and_fetches_from_the_table(call, indexed):
    request = {"TableName": TABLE, "IndexName": "lsi", "KeyConditions": {"p": eq({"S": "a"})},
               "ConsistentRead": True, "ReturnConsumedCapacity": "INDEXES"}
    projected = call("Query", request)
    assert [i["l"]["S"] for i in projected["Items"]] == ["L0", "L1", "L2", "L3", "L4", "L5"]
    assert set(projected["Items"][0]) == {"p", "c", "l", "x"}
    assert projected["ConsumedCapacity"]["Table"] == {"CapacityUnits": 0.0}
    full = call("Query", {**request, "Select": "ALL_ATTRIBUTES"})
    assert set(full["Items"][0]) == {"p", "c", "g", "r", "l", "x", "y"}
    # six table fetches of ~5 KB, each a read of its own rounded up to 4 KB: 6 x 2
    # (conformance tier2 partiql indexQualifier shows fetches charged per item on AWS)
    assert full["ConsumedCapacity"]["Table"]["CapacityUnits"] == 12.0
    assert full["ConsumedCapacity"]["LocalSecondaryIndexes"] == {"lsi": {"CapacityUnits": 1.0}}
    wanted = call("Query", {**request, "AttributesToGet": ["y", "l"], "Limit": 1})
    assert wanted["Items"] == [{"y": {"S": "y" * 5000}, "l": {"S": "L0"}}]


def test_index_scan_pages_with_index_keys(call, indexed):
    items = scan_all(call, IndexName="gsi", Limit=4)
    assert sorted(i["c"]["N"] for i in items) == [str(c) for c in range(6)]
    code, message = error_of(call, "Scan", {"TableName": TABLE, "IndexName": "gsi",
                                            "ExclusiveStartKey": {"p": {"S": "a"}, "c": {"N": "1"}}})
    assert message == "The provided starting key is invalid"


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("request_extra, message", [
    ({"KeyConditions": {"c": eq({"N": "1"})}}, "Query condition missed key schema element: p"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "z": eq({"S": "a"})}}, "Query condition missed key schema element: c"),
    ({"KeyConditions": {"p": cond("GT", {"S": "a"})}}, "Query key condition not supported"),
    ({"KeyConditions": {"p": cond("BEGINS_WITH", {"S": "a"})}}, "Query key condition not supported"),
    ({"KeyConditions": {"p": cond("NE", {"S": "a"})}}, "Attempted conditional constraint is not an indexable operation"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "c": cond("NOT_NULL")}},
     "Attempted conditional constraint is not an indexable operation"),
    ({"KeyConditions": {"p": eq({"N": "1"})}},
     "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "c": cond("BEGINS_WITH", {"S": "1"})}},
     "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "c": cond("BEGINS_WITH", {"N": "1"})}},
     "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    ({"KeyConditions": {}}, "Conditions can be of length 1 or 2 only"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "c": eq({"N": "1"}), "z": eq({"N": "1"})}},
     "Conditions can be of length 1 or 2 only"),
    ({"KeyConditions": {"p": eq({"S": ""})}},
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
     "string value. Key: p"),
    ({}, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "ExclusiveStartKey": {"p": {"S": "b"}, "c": {"N": "1"}}},
     "The provided starting key is outside query boundaries based on provided conditions"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "c": cond("GT", {"N": "5"})},
      "ExclusiveStartKey": {"p": {"S": "a"}, "c": {"N": "1"}}},
     "The provided starting key does not match the range key predicate"),
    ({"KeyConditions": {"p": eq({"S": "a"}), "c": cond("LT", {"N": "5"})},
      "ExclusiveStartKey": {"p": {"S": "b"}, "c": {"N": "1"}}},
     "The query can return at most one row and cannot be restarted"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "ExclusiveStartKey": {"p": {"S": "a"}}},
     "The provided starting key is invalid"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "ExclusiveStartKey": {"p": {"S": "a"}, "c": {"S": "1"}}},
     "The provided key element does not match the schema"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "ExclusiveStartKey": {"p": {"S": "a"}, "c": {}}},
     "The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the "
     "supported datatypes"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "Select": "SPECIFIC_ATTRIBUTES"},
     "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "Select": "COUNT", "AttributesToGet": ["x"]},
     "Cannot specify the AttributesToGet when choosing to get only the Count"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "AttributesToGet": ["x", "x"]},
     "One or more parameter values were invalid: Duplicate value in attribute name: x"),
    ({"KeyConditions": {"p": eq({"S": "a"})}, "QueryFilter": {"c": eq({"N": "1"})}},
     "QueryFilter can only contain non-primary key attributes: Primary key attribute: c"),
])
def test_query_refusals(call, sn, request_extra, message):
    assert error_of(call, "Query", {"TableName": TABLE, **request_extra}) == ("ValidationException", message)


def test_query_refusals_on_a_hash_only_table(call, table_factory):
    table_factory(TABLE, p="S")
    request = {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "a"}), "q": eq({"S": "a"})}}
    assert error_of(call, "Query", request)[1] == "Query key condition not supported"
    request = {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "a"})}, "ExclusiveStartKey": {"p": {"S": "a"}}}
    assert error_of(call, "Query", request)[1] == (
        "The provided exclusive start key is invalid: ExclusiveStartKey: {p=AttributeValue: {S:a}}")


def test_query_checks_the_request_before_the_table(call):
    assert error_of(call, "Query", {"TableName": "nope", "KeyConditions": {"z": cond("NULL")}}) == (
        "ResourceNotFoundException", "Requested resource not found")
    assert error_of(call, "Query", {"TableName": "nope", "KeyConditions": {}})[1] == (
        "Conditions can be of length 1 or 2 only")


def test_query_member_types_are_checked_first(call, sn):
    with pytest.raises(SerializationException):
        call("Query", {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "a"})}, "Limit": "x"})
    with pytest.raises(SerializationException):
        call("Query", {"TableName": TABLE, "KeyConditions": ["p"]})


@pytest.mark.parametrize("request_extra, message", [
    ({"Segment": 0}, "The TotalSegments parameter is required but was not present in the request when Segment "
                     "parameter is present"),
    ({"TotalSegments": 2}, "The Segment parameter is required but was not present in the request when parameter "
                           "TotalSegments is present"),
    ({"Segment": 2, "TotalSegments": 2}, "The Segment parameter is zero-based and must be less than parameter "
                                         "TotalSegments: Segment: 2 is not less than TotalSegments: 2"),
    ({"TotalSegments": 1_000_001, "Segment": 0}, "1 validation error detected: Value '1000001' at 'totalSegments' "
                                                 "failed to satisfy constraint: Member must have value less than or "
                                                 "equal to 1000000"),
    ({"Limit": 0}, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have "
                   "value greater than or equal to 1"),
    ({"ExclusiveStartKey": {"p": {"S": "a"}}},
     "The provided starting key is invalid: The provided key element does not match the schema"),
    ({"ExclusiveStartKey": {"p": {"S": "a"}, "c": {"S": "x"}}},
     "The provided starting key is invalid: The provided key element does not match the schema"),
    ({"Select": "ALL_PROJECTED_ATTRIBUTES"}, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an "
                                             "IndexName"),
    ({"ConditionalOperator": "AND"}, "ConditionalOperator cannot be used without Filter or Expected"),
    ({"ConditionalOperator": "AND", "ScanFilter": {"x": cond("NULL")}},
     "ConditionalOperator can only be used when Filter or Expected has two or more elements"),
])
def test_scan_refusals(call, sn, request_extra, message):
    assert error_of(call, "Scan", {"TableName": TABLE, **request_extra}) == ("ValidationException", message)


def test_limits_are_dynamodbs():
    assert limits.MAX_PAGE_BYTES == 1024 * 1024 and limits.MAX_TOTAL_SEGMENTS == 1_000_000


def test_hash_only_items_can_be_deleted_and_scanned(call, table_factory):
    # Partitions keep a hash-only partition as a SortedDict with the one key None;
    # deleting it must not bisect None (a TypeError inside sortedcontainers).
    table_factory(TABLE, p="S")
    for name in ("a", "b", "c"):
        call("PutItem", {"TableName": TABLE, "Item": {"p": {"S": name}}})
    call("DeleteItem", {"TableName": TABLE, "Key": {"p": {"S": "b"}}})
    assert sorted(item["p"]["S"] for item in call("Scan", {"TableName": TABLE})["Items"]) == ["a", "c"]
    assert call("Query", {"TableName": TABLE, "KeyConditions": {"p": eq({"S": "b"})}})["Items"] == []


def test_read_page_measures_stored_and_unstored_items_alike():
    """read_page reads a stored item's size off the item (SizedItem.size) and measures
    any other (a dict made for the read) in full; both count toward the 1 MB page."""
    from emulator import limits
    from emulator.operations.reads import read_page
    from emulator.types import item_size, normalize_item

    stored = [normalize_item({"p": {"S": f"k{i}"}, "d": {"S": "x" * 300_000}}) for i in range(4)]
    plain = [{"p": {"S": f"q{i}"}, "d": {"S": "y" * 300_000}} for i in range(4)]
    for items in (stored, plain, [stored[0], plain[0], stored[1], plain[1]]):
        page = read_page(iter(items), None)
        # 300 KB items: three fit in 1 MB, the fourth would not
        assert len(page.items) == 3 and page.last is page.items[-1]
        assert page.bytes_read == sum(item_size(item) for item in items[:3]) <= limits.MAX_PAGE_BYTES
    page = read_page(iter(plain[:2]), None)
    assert page.items == plain[:2] and page.last is None and page.bytes_read == sum(map(item_size, plain[:2]))
