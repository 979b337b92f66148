"""Query and Scan templates (read_requests.checked_request): a read whose members other
than its ExclusiveStartKey were checked before has only its starting key checked. As for
the item operations (test_request_templates.py), nothing of it may show: random
sequences of reads, valid and faulty, go to a database that keeps its templates and to
one that forgets them before each request, and every answer, error and page must agree."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError
from emulator.operations import query, read_requests, scan
from template_equivalence import assert_answers_alike

TABLE = "reads"
INDEX = "by-g"

_P = {":p": {"S": "a"}}

#: Query members but the ExclusiveStartKey: valid ones, and ones each check refuses.
QUERY_MEMBERS = [
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P, "Limit": 2,
     "ScanIndexForward": False, "ReturnConsumedCapacity": "TOTAL"},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p AND sk BETWEEN :l AND :h",
     "ExpressionAttributeValues": {**_P, ":l": {"N": "1"}, ":h": {"N": "3"}}, "Limit": 1},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "FilterExpression": "#b <> :x",
     "ProjectionExpression": "pk, sk, #b", "ExpressionAttributeNames": {"#b": "b"},
     "ExpressionAttributeValues": {**_P, ":x": {"S": "x"}}, "Limit": 3},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P, "Select": "COUNT"},
    {"TableName": TABLE, "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}},
     "QueryFilter": {"b": {"ComparisonOperator": "NOT_NULL"}}, "Limit": 2},
    {"TableName": TABLE, "IndexName": INDEX, "KeyConditionExpression": "g = :g",
     "ExpressionAttributeValues": {":g": {"S": "G"}}, "Limit": 2},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P, "Limit": 0},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {**_P, ":u": {"S": "u"}}},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p AND sk BETWEEN :h AND :l",
     "ExpressionAttributeValues": {**_P, ":l": {"N": "1"}, ":h": {"N": "3"}}},
    {"TableName": TABLE, "KeyConditionExpression": "b = :p", "ExpressionAttributeValues": _P},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "FilterExpression": "sk > :p",
     "ExpressionAttributeValues": _P},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P,
     "Select": "SPECIFIC_ATTRIBUTES"},
    {"TableName": TABLE, "ExpressionAttributeValues": _P},
    {"TableName": "no-such-table", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P},
    {"TableName": TABLE, "IndexName": "no-such-index", "KeyConditionExpression": "pk = :p",
     "ExpressionAttributeValues": _P},
    {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P, "Limit": "x"},
]

#: Scan members but the ExclusiveStartKey.
SCAN_MEMBERS = [
    {"TableName": TABLE},
    {"TableName": TABLE, "Limit": 2, "ReturnConsumedCapacity": "TOTAL"},
    {"TableName": TABLE, "Limit": 3, "FilterExpression": "sk > :n", "ExpressionAttributeValues": {":n": {"N": "1"}}},
    {"TableName": TABLE, "Segment": 0, "TotalSegments": 2, "Limit": 2},
    {"TableName": TABLE, "Segment": 1, "TotalSegments": 2},
    {"TableName": TABLE, "IndexName": INDEX, "Limit": 1},
    {"TableName": TABLE, "ScanFilter": {"b": {"ComparisonOperator": "NULL"}}, "Limit": 2},
    {"TableName": TABLE, "Select": "COUNT", "ProjectionExpression": "b"},
    {"TableName": TABLE, "Segment": 2, "TotalSegments": 2},
    {"TableName": TABLE, "Segment": 1},
    {"TableName": TABLE, "FilterExpression": "sk > :n"},
    {"TableName": "no-such-table"},
]

#: Starting keys: valid ones, ones each starting-key check refuses, and ones that are
#: not objects (None: no ExclusiveStartKey member).
START_KEYS = [
    None, {"pk": {"S": "a"}, "sk": {"N": "1"}}, {"pk": {"S": "a"}, "sk": {"N": "3"}},
    {"pk": {"S": "b"}, "sk": {"N": "1"}},
    {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "G"}},
    {"pk": {"S": "a"}}, {}, {"pk": {"S": "a"}, "sk": {"N": "x"}}, {"pk": {"S": ""}, "sk": {"N": "1"}},
    {"pk": {"S": "a"}, "sk": {"S": "1"}}, {"pk": {"Q": "a"}, "sk": {"N": "1"}}, {"pk": "a"},
    "a", [], 5,
]

#: Placeholder values a read may carry instead of its own (templates hold them loosely):
#: other values of the same placeholders (another partition, bounds in and out of
#: order), of other placeholders, and faulty ones, so that a template made with some
#: values is met by reads with others.
OTHER_VALUES = [
    {":p": {"S": "b"}}, {":p": {"S": "b"}, ":l": {"N": "2"}, ":h": {"N": "5"}},
    {":p": {"S": "a"}, ":l": {"N": "4"}, ":h": {"N": "2"}}, {":p": {"S": "a"}, ":x": {"S": "b1"}},
    {":p": {"S": "a"}, ":x": {"N": "1"}}, {":g": {"S": "H"}}, {":n": {"N": "3"}}, {":n": {"S": "3"}},
    {":p": {"N": "1"}}, {":p": {"S": ""}}, {":p": {"BOOL": True}}, {":p": {"BOOL": 1}}, {":n": {"N": "x"}},
    {}, "x", None,
]

OPERATIONS = {"Query": (query, QUERY_MEMBERS), "Scan": (scan, SCAN_MEMBERS)}


def _database() -> Database:
    db = Database(clock=ManualClock(1_700_000_000))
    api.call(db, "CreateTable", {
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{"IndexName": INDEX, "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}],
    })
    for pk in ("a", "b"):
        for sk in range(1, 6):
            item = {"pk": {"S": pk}, "sk": {"N": str(sk)}, "g": {"S": "G"}}
            if sk % 2:
                item["b"] = {"S": f"{pk}{sk}"}
            api.call(db, "PutItem", {"TableName": TABLE, "Item": item})
    return db


def _outcome(db: Database, operation: str, request: dict) -> object:
    try:
        return api.call(db, operation, copy.deepcopy(request))
    except DynamoDBError as error:
        return error.code, error.message


@st.composite
def _requests(draw):
    """Reads whose members come from a few of each operation's (so that they repeat),
    each with any starting key."""
    pools = {name: draw(st.lists(st.sampled_from(members), min_size=1, max_size=3))
             for name, (_, members) in OPERATIONS.items()}
    sequence = []
    for operation in draw(st.lists(st.sampled_from(list(OPERATIONS)), min_size=1, max_size=30)):
        request = dict(draw(st.sampled_from(pools[operation])))
        if draw(st.integers(0, 3)) == 0 or ("ExpressionAttributeValues" in request and draw(st.booleans())):
            request["ExpressionAttributeValues"] = draw(st.sampled_from(OTHER_VALUES))
        start = draw(st.one_of(st.sampled_from(START_KEYS[:4]), st.sampled_from(START_KEYS)))
        if start is not None:
            request["ExclusiveStartKey"] = start
        sequence.append((operation, request))
    return sequence


def _use(templates: dict[str, dict]) -> None:
    for name, (module, _) in OPERATIONS.items():
        module._TEMPLATES = templates[name]


@settings(max_examples=200)
@given(_requests())
def test_reads_answer_alike_with_and_without_templates(sequence):
    kept = {name: module._TEMPLATES for name, (module, _) in OPERATIONS.items()}
    assert_answers_alike(sequence, _database(), _database(), _outcome, _use, OPERATIONS, kept)


def test_a_recognised_read_binds_its_own_values():
    """Every read with placeholder values, then the same read with each of OTHER_VALUES:
    the second meets the first's template and must answer as the full checks do."""
    kept = {name: module._TEMPLATES for name, (module, _) in OPERATIONS.items()}
    remembering, forgetting = _database(), _database()
    for operation, (_, members) in OPERATIONS.items():
        for request in members:
            if "ExpressionAttributeValues" not in request:
                continue
            for values in OTHER_VALUES:
                sequence = [(operation, request), (operation, {**request, "ExpressionAttributeValues": values})]
                assert_answers_alike(sequence, remembering, forgetting, _outcome, _use, OPERATIONS, kept)


def test_pages_of_one_query_share_a_template():
    db = _database()
    query._TEMPLATES.clear()
    request = {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P, "Limit": 2}
    keys = []
    for _ in range(10):  # bounded: a starting key lost on the way would page forever
        page = api.call(db, "Query", copy.deepcopy(request))
        keys += [item["sk"]["N"] for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert keys == ["1", "2", "3", "4", "5"]
    assert len(query._TEMPLATES) == 1


def test_a_starting_key_that_is_not_an_object_is_not_looked_up(monkeypatch):
    """Its SerializationException comes from the full checks; no template is made."""
    calls = []
    monkeypatch.setattr(read_requests.item_requests, "recall",
                        lambda *args, **kwargs: calls.append(args) or (None, None))
    templates: dict = {}
    checked = read_requests.checked_request(
        {"TableName": TABLE, "ExclusiveStartKey": []}, templates, lambda request: (request, "parsed", None),
        lambda request, parsed: None)
    assert checked == ({"TableName": TABLE, "ExclusiveStartKey": []}, "parsed", None)
    assert calls == [] and templates == {}


def test_a_recalled_request_is_the_one_the_full_checks_make():
    """The converted members come from the template, the starting key from the request."""
    templates: dict = {}
    first = {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": _P,
             "Limit": 2.7, "ConsistentRead": "yes"}
    second = {**first, "ExclusiveStartKey": {"pk": {"S": "a"}, "sk": {"N": "01.50"}}}
    read_requests.checked_request(copy.deepcopy(first), templates, query._checked, query._parse_expressions)
    recalled, parsed, _ = read_requests.checked_request(copy.deepcopy(second), templates, query._checked,
                                                        query._parse_expressions)
    full, full_parsed, _ = query._checked(copy.deepcopy(second))
    assert len(templates) == 1
    assert recalled == full and recalled["Limit"] == 2 and recalled["ConsistentRead"] is True
    assert parsed == full_parsed and parsed.start_key == {"pk": {"S": "a"}, "sk": {"N": "1.5"}}
