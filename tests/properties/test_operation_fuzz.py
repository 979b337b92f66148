"""Every operation answers any request with a response or one of DynamoDB's errors, never
anything else (which the wire protocol would turn into a 500).

Requests are valid ones with one part mutated: a member removed, replaced by a random JSON
value, or added where it does not belong, at any depth. The database holds a table with
both kinds of index, a stream and TTL, so the mutated requests reach deep code paths.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError
from request_mutations import mutated_requests

TABLE = "fuzzed"
KEY = {"p": {"S": "a"}, "c": {"N": "1"}}
ITEM = {**KEY, "g": {"S": "x"}, "l": {"N": "2"}, "n": {"N": "5"}, "tags": {"SS": ["r", "g"]},
        "doc": {"M": {"parts": {"L": [{"S": "v"}, {"N": "3"}]}}}}
SCHEMA = {
    "TableName": TABLE,
    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"},
                             {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "l", "AttributeType": "N"}],
    "BillingMode": "PAY_PER_REQUEST",
    "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n"]}}],
    "LocalSecondaryIndexes": [{"IndexName": "by_l", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                                                  {"AttributeName": "l", "KeyType": "RANGE"}],
                               "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
}
NAMES = {"#n": "n", "#d": "doc"}
VALUES = {":v": {"N": "1"}, ":s": {"S": "a"}}

#: One valid request per operation (the Streams API is fuzzed by tests/streams).
REQUESTS: dict[str, dict] = {
    "CreateTable": {**SCHEMA, "TableName": "other_table", "Tags": [{"Key": "k", "Value": "v"}],
                    "SSESpecification": {"Enabled": True}, "TableClass": "STANDARD",
                    "OnDemandThroughput": {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}},
    "DescribeTable": {"TableName": TABLE},
    "ListTables": {"Limit": 5, "ExclusiveStartTableName": "abc"},
    "UpdateTable": {"TableName": TABLE, "GlobalSecondaryIndexUpdates": [{"Create": {
        "IndexName": "by_n", "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}}],
        "AttributeDefinitions": [{"AttributeName": "n", "AttributeType": "N"}],
        "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 7}},
    "DeleteTable": {"TableName": TABLE},
    "TagResource": {"ResourceArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}",
                    "Tags": [{"Key": "k", "Value": "v"}]},
    "UntagResource": {"ResourceArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}", "TagKeys": ["k"]},
    "ListTagsOfResource": {"ResourceArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}"},
    "PutResourcePolicy": {"ResourceArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}",
                          "Policy": '{"Version": "2012-10-17", "Statement": []}', "ExpectedRevisionId": "NO_POLICY"},
    "DeleteResourcePolicy": {"ResourceArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}"},
    "UpdateContributorInsights": {"TableName": TABLE, "IndexName": "by_g", "ContributorInsightsAction": "ENABLE",
                                  "ContributorInsightsMode": "THROTTLED_KEYS"},
    "DescribeContributorInsights": {"TableName": TABLE, "IndexName": "by_g"},
    "ListContributorInsights": {"TableName": TABLE, "MaxResults": 5},
    "EnableKinesisStreamingDestination": {
        "TableName": TABLE, "StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/fuzz",
        "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}},
    "DescribeKinesisStreamingDestination": {"TableName": TABLE},
    "UpdateTimeToLive": {"TableName": TABLE, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "n"}},
    "DescribeTimeToLive": {"TableName": TABLE},
    "PutItem": {"TableName": TABLE, "Item": ITEM, "ConditionExpression": "attribute_not_exists(#n) OR #n > :v",
                "ExpressionAttributeNames": {"#n": "n"}, "ExpressionAttributeValues": {":v": {"N": "1"}},
                "ReturnValues": "ALL_OLD", "ReturnConsumedCapacity": "INDEXES",
                "ReturnItemCollectionMetrics": "SIZE"},
    "GetItem": {"TableName": TABLE, "Key": KEY, "ProjectionExpression": "#d.parts[1], tags",
                "ExpressionAttributeNames": {"#d": "doc"}, "ConsistentRead": True},
    "DeleteItem": {"TableName": TABLE, "Key": KEY, "Expected": {"n": {"ComparisonOperator": "GT",
                                                                      "AttributeValueList": [{"N": "1"}]}},
                   "ReturnValues": "ALL_OLD"},
    "UpdateItem": {"TableName": TABLE, "Key": KEY,
                   "UpdateExpression": "SET #n = #n + :v, #d.parts[5] = :s REMOVE tags ADD z :v",
                   "ConditionExpression": "size(#d) >= :v", "ExpressionAttributeNames": NAMES,
                   "ExpressionAttributeValues": VALUES, "ReturnValues": "UPDATED_NEW"},
    "Query": {"TableName": TABLE, "IndexName": "by_l", "KeyConditionExpression": "p = :s AND l >= :v",
              "FilterExpression": "attribute_exists(c)", "ExpressionAttributeValues": VALUES, "Limit": 2,
              "ScanIndexForward": False, "ExclusiveStartKey": {**KEY, "l": {"N": "2"}}},
    "Scan": {"TableName": TABLE, "ScanFilter": {"n": {"ComparisonOperator": "BETWEEN",
                                                      "AttributeValueList": [{"N": "1"}, {"N": "9"}]}},
             "Segment": 0, "TotalSegments": 2, "AttributesToGet": ["n"], "Select": "SPECIFIC_ATTRIBUTES"},
    "BatchWriteItem": {"RequestItems": {TABLE: [{"PutRequest": {"Item": ITEM}},
                                                {"DeleteRequest": {"Key": {**KEY, "c": {"N": "2"}}}}]},
                       "ReturnConsumedCapacity": "TOTAL"},
    "BatchGetItem": {"RequestItems": {TABLE: {"Keys": [KEY, {**KEY, "c": {"N": "2"}}],
                                              "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "n"}}}},
    "TransactWriteItems": {"TransactItems": [
        {"Update": {"TableName": TABLE, "Key": KEY, "UpdateExpression": "SET #n = :v",
                    "ExpressionAttributeNames": {"#n": "n"}, "ExpressionAttributeValues": {":v": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": TABLE, "Key": {**KEY, "c": {"N": "2"}},
                            "ConditionExpression": "attribute_exists(p)",
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        {"Put": {"TableName": TABLE, "Item": {**ITEM, "c": {"N": "3"}}}},
        {"Delete": {"TableName": TABLE, "Key": {**KEY, "c": {"N": "4"}}}}],
        "ClientRequestToken": "token"},
    "TransactGetItems": {"TransactItems": [{"Get": {"TableName": TABLE, "Key": KEY, "ProjectionExpression": "n"}}]},
}

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 30), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "x", "p", "n", "#n", ":v", TABLE, "ALL", "S", "N", "SET", "1e999", "a" * 300,
                     "SET n = :v", "p = :s", "attribute_exists(p)", "by_g", "by_l", "ALL_OLD", "TOTAL"]),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["S", "N", "B", "SS", "L", "M", "NULL", "BOOL", "p", "c", "n", "Put",
                                         "Key", "TableName", "IndexName", ":v", "#n"]), inner, max_size=3)),
    max_leaves=6,
)


MUTATED_REQUESTS = mutated_requests(REQUESTS, JSON, ["S", "N", "M", "Extra", "Key", "Item", "Limit"])


def _database() -> Database:
    db = Database(clock=ManualClock())
    api.call(db, "CreateTable", SCHEMA)
    for c in range(1, 4):
        api.call(db, "PutItem", {"TableName": TABLE, "Item": {**ITEM, "c": {"N": str(c)}}})
    return db


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATED_REQUESTS)
def test_any_mutated_request_gets_a_response_or_a_dynamodb_error(case):
    operation, request = case
    db = _database()
    try:
        api.call(db, operation, request)
    except DynamoDBError:
        pass


def test_the_unmutated_requests_succeed():
    """The base requests are valid, so the mutations explore near-valid space."""
    for operation, request in REQUESTS.items():
        api.call(_database(), operation, copy.deepcopy(request))
