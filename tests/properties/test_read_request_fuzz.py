"""Query and Scan answer any request with a response or one of DynamoDB's errors, never
anything else (a 500): random members, random JSON values, and near-valid conditions,
against a table with indexes and items."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError

MEMBERS = [
    "IndexName", "Select", "Limit", "ConsistentRead", "ReturnConsumedCapacity", "ConditionalOperator",
    "AttributesToGet", "FilterExpression", "ProjectionExpression", "KeyConditionExpression", "ScanIndexForward",
    "Segment", "TotalSegments", "ExclusiveStartKey", "ExpressionAttributeNames", "ExpressionAttributeValues",
    "KeyConditions", "QueryFilter", "ScanFilter",
]
NAMES = st.sampled_from(["p", "c", "g", "x", "#p", ":v", "", "zz"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 5), st.floats(allow_nan=False, width=16),
                    st.sampled_from(["", "x", "p = :v", "c > :v", "ALL_ATTRIBUTES", "COUNT", "by_g", "EQ", "AND"]))
ATTRIBUTE_VALUES = st.one_of(
    st.fixed_dictionaries({"S": st.sampled_from(["", "a", "b"])}),
    st.fixed_dictionaries({"N": st.sampled_from(["1", "x", "1e200", "-0"])}),
    st.fixed_dictionaries({"SS": st.lists(st.text("ab", max_size=1), max_size=2)}),
    st.dictionaries(st.sampled_from(["S", "N", "B", "BOOL", "NULL", "L"]), SCALARS, max_size=2),
)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(NAMES, inner, max_size=3)), max_leaves=8)
CONDITIONS = st.dictionaries(NAMES, st.fixed_dictionaries(
    {"ComparisonOperator": st.sampled_from(["EQ", "LT", "BETWEEN", "IN", "NULL", "BEGINS_WITH", "NE", "eq"])},
    optional={"AttributeValueList": st.lists(ATTRIBUTE_VALUES, max_size=3)}), max_size=3)
VALUES = {
    "KeyConditions": CONDITIONS, "QueryFilter": CONDITIONS, "ScanFilter": CONDITIONS,
    "ExclusiveStartKey": st.dictionaries(NAMES, ATTRIBUTE_VALUES, max_size=4),
    "ExpressionAttributeValues": st.dictionaries(st.sampled_from([":v", ":w", "v"]), ATTRIBUTE_VALUES, max_size=2),
    "ExpressionAttributeNames": st.dictionaries(st.sampled_from(["#p", "#c", "p"]), st.sampled_from(["p", "c", ""]),
                                                max_size=2),
}


def _database():
    db = Database(clock=ManualClock(0))
    definitions = [{"AttributeName": n, "AttributeType": t} for n, t in (("p", "S"), ("c", "N"), ("g", "S"))]
    api.call(db, "CreateTable", {
        "TableName": "tbl", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": definitions,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    })
    for c in range(4):
        api.call(db, "PutItem", {"TableName": "tbl", "Item": {"p": {"S": "a"}, "c": {"N": str(c)}, "g": {"S": "b"},
                                                              "x": {"SS": ["a"]}}})
    return db


DB = _database()


@st.composite
def requests(draw):
    request = {"TableName": draw(st.sampled_from(["tbl", "tbl", "tbl", "nope", "", 7]))}
    for member in draw(st.lists(st.sampled_from(MEMBERS), max_size=6, unique=True)):
        request[member] = draw(st.one_of(VALUES.get(member, SCALARS), JSON))
    return request


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["Query", "Scan"]), requests())
def test_query_and_scan_answer_or_refuse(operation, request):
    try:
        response = api.call(DB, operation, request)
    except DynamoDBError as error:
        assert error.code in ("ValidationException", "SerializationException", "ResourceNotFoundException")
    else:
        assert response["Count"] <= response["ScannedCount"]
