"""Pagination invariants of Query and Scan, on random tables with random Limits and page
sizes: following LastEvaluatedKey until it is absent yields exactly the expected items,
in the expected order, each once; no page has more than Limit items; a parallel scan's
segments together hold every item exactly once; and a page never holds more than the
page-size budget of items (the 1 MB rule, with the budget shrunk so that small items
exercise it).

The expected result is computed here independently of the engine: items are filtered
with plain Python comparisons and sorted on the decoded key values (str code points,
Decimal, unsigned bytes), which is DynamoDB's order."""

import base64
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator import Database, ManualClock, api, limits
from emulator.types import item_size

TABLE = "tbl"
ALPHABET = "ab\u00e9\U0001f600"


def create(db, range_type):
    schema = [{"AttributeName": "p", "KeyType": "HASH"}]
    definitions = [{"AttributeName": "p", "AttributeType": "S"}]
    if range_type is not None:
        schema.append({"AttributeName": "c", "KeyType": "RANGE"})
        definitions.append({"AttributeName": "c", "AttributeType": range_type})
    api.call(db, "CreateTable", {"TableName": TABLE, "KeySchema": schema, "AttributeDefinitions": definitions,
                                 "BillingMode": "PAY_PER_REQUEST"})


def wire(kind, value):
    if kind == "S":
        return {"S": value}
    if kind == "N":
        return {"N": str(value)}
    return {"B": base64.b64encode(value).decode()}


def sort_value(kind, attribute):
    if kind == "S":
        return attribute["S"]
    if kind == "N":
        return Decimal(attribute["N"])
    return base64.b64decode(attribute["B"])


RANGE_VALUES = {
    "S": st.text(ALPHABET, max_size=3),
    "N": st.integers(-20, 20),
    "B": st.binary(max_size=3),
}


@st.composite
def tables(draw):
    range_type = draw(st.sampled_from([None, "S", "N", "B"]))
    partitions = draw(st.lists(st.sampled_from(["x", "y", "z", "w"]), min_size=1, max_size=4, unique=True))
    items = {}
    for _ in range(draw(st.integers(0, 30))):
        p = draw(st.sampled_from(partitions))
        item = {"p": {"S": p}, "v": {"S": "." * draw(st.integers(0, 40))}}
        if range_type is not None:
            item["c"] = wire(range_type, draw(RANGE_VALUES[range_type]))
            if range_type == "S" and item["c"]["S"] == "":
                continue
            if range_type == "B" and item["c"]["B"] == "":
                continue
        key = (p, sort_value(range_type, item["c"]) if range_type else None)
        items[key] = item
    return range_type, partitions, list(items.values())


def fill(range_type, items):
    db = Database(clock=ManualClock(0))
    create(db, range_type)
    for item in items:
        api.call(db, "PutItem", {"TableName": TABLE, "Item": item})
    return db


def pages(db, operation, request):
    start, result = None, []
    while True:
        call = dict(request)
        if start is not None:
            call["ExclusiveStartKey"] = start
        page = api.call(db, operation, call)
        result.append(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            return result


OPERATORS = ["EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH"]


def expected_match(kind, operator, values, attribute):
    value = sort_value(kind, attribute)
    bounds = [sort_value(kind, v) for v in values]
    if operator == "EQ":
        return value == bounds[0]
    if operator == "LT":
        return value < bounds[0]
    if operator == "LE":
        return value <= bounds[0]
    if operator == "GT":
        return value > bounds[0]
    if operator == "GE":
        return value >= bounds[0]
    if operator == "BETWEEN":
        return bounds[0] <= value <= bounds[1]
    return value.startswith(bounds[0])


@st.composite
def sort_conditions(draw, kind):
    operator = draw(st.sampled_from([op for op in OPERATORS if kind != "N" or op != "BEGINS_WITH"]))
    count = 2 if operator == "BETWEEN" else 1
    raw = [draw(RANGE_VALUES[kind]) for _ in range(count)]
    if operator == "BETWEEN":
        raw.sort()
    if kind in ("S", "B") and any(len(value) == 0 for value in raw):
        raw = [value or ("a" if kind == "S" else b"a") for value in raw]
        raw.sort()
    return operator, [wire(kind, value) for value in raw]


@settings(max_examples=60, deadline=None)
@given(st.data(), tables(), st.one_of(st.none(), st.integers(1, 7)), st.booleans())
def test_query_pages_add_up_to_the_expected_result(data, table, limit, forward):
    range_type, partitions, items = table
    db = fill(range_type, items)
    partition = data.draw(st.sampled_from(partitions + ["absent"]))
    conditions = {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": partition}]}}
    expected = [item for item in items if item["p"]["S"] == partition]
    if range_type is not None and data.draw(st.booleans()):
        operator, values = data.draw(sort_conditions(range_type))
        conditions["c"] = {"ComparisonOperator": operator, "AttributeValueList": values}
        expected = [item for item in expected if expected_match(range_type, operator, values, item["c"])]
    if range_type is not None:
        expected.sort(key=lambda item: sort_value(range_type, item["c"]), reverse=not forward)
    request = {"TableName": TABLE, "KeyConditions": conditions, "ScanIndexForward": forward}
    if limit is not None:
        request["Limit"] = limit
    result = pages(db, "Query", request)
    got = [item for page in result for item in page["Items"]]
    assert got == expected
    for page in result:
        assert page["Count"] == page["ScannedCount"] == len(page["Items"])
        if limit is not None:
            assert len(page["Items"]) <= limit
    if limit is None:
        assert len(result) == 1


@settings(max_examples=60, deadline=None)
@given(tables(), st.one_of(st.none(), st.integers(1, 7)), st.integers(1, 9))
def test_scan_segments_and_pages_hold_every_item_once(table, limit, total_segments):
    range_type, _, items = table
    db = fill(range_type, items)
    key_of = (lambda item: (item["p"]["S"], repr(item.get("c"))))
    request = {"TableName": TABLE}
    if limit is not None:
        request["Limit"] = limit
    whole = [item for page in pages(db, "Scan", request) for item in page["Items"]]
    assert sorted(map(key_of, whole)) == sorted(map(key_of, items))
    one_call = api.call(db, "Scan", {"TableName": TABLE})["Items"]
    assert whole == one_call  # the order is stable across pages
    found = []
    for segment in range(total_segments):
        found += [item for page in pages(db, "Scan", {**request, "Segment": segment, "TotalSegments": total_segments})
                  for item in page["Items"]]
    assert sorted(map(key_of, found)) == sorted(map(key_of, items))


@settings(max_examples=40, deadline=None)
@given(tables(), st.integers(60, 400))
def test_pages_respect_the_size_budget(monkeypatch_budget, table, budget):
    range_type, _, items = table
    db = fill(range_type, items)
    with monkeypatch_budget(budget):
        result = pages(db, "Scan", {"TableName": TABLE})
    for page in result:
        sizes = [item_size(item) for item in page["Items"]]
        assert sum(sizes) <= budget or len(sizes) == 1
        if "LastEvaluatedKey" in page and len(result) > 1 and page is not result[-1]:
            assert page["Items"]  # a stopped page always made progress
    got = [item for page in result for item in page["Items"]]
    assert len(got) == len(items)


import contextlib  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def monkeypatch_budget():
    @contextlib.contextmanager
    def shrink(budget):
        saved = limits.MAX_PAGE_BYTES
        limits.MAX_PAGE_BYTES = budget
        try:
            yield
        finally:
            limits.MAX_PAGE_BYTES = saved
    return shrink
