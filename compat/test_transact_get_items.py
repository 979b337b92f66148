# TransactGetItems (issue 6): up to 100 Gets across tables read as one snapshot, with a
# ProjectionExpression per item; limits, messages and the per-action cancellation channel.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier2/transactions/transactGet,
#                 tier3/error-messages/transactGetItems, tier3/limits/transactionLimits),
#                 run against AWS.
#   capacity    - nubo-db/dynoxide issue 37 / PR 57, measured on AWS: 2 RCU per item,
#                 a missing item included.
#   aws-docs    - API_TransactGetItems.html.

import re

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"


@pytest.fixture
def stored(table_s):
    items = [{"p": random_string(), "idx": i, "info": {"a": i, "b": "x"}} for i in range(3)]
    for item in items:
        table_s.put_item(Item=item)
    return items


def gets(table, keys, **extra):
    return [{"Get": {"TableName": table.name, "Key": key, **extra}} for key in keys]


# Responses come in request order, one per Get; a missing item is an empty entry.
# Source: conformance tier2 "gets multiple items atomically", "empty Item for
# non-existing items".
def test_transact_get_items_in_order(client, table_s, stored):
    keys = [{"p": stored[2]["p"]}, {"p": random_string()}, {"p": stored[0]["p"]}]
    response = client.transact_get_items(TransactItems=gets(table_s, keys))
    assert response["Responses"] == [{"Item": stored[2]}, {}, {"Item": stored[0]}]


# Gets may read several tables. Source: conformance tier2 "gets items across tables".
def test_transact_get_items_across_tables(client, table_s, table_sn, stored):
    key = random_string()
    table_sn.put_item(Item={"p": key, "c": 1, "data": "comp"})
    response = client.transact_get_items(TransactItems=gets(table_s, [{"p": stored[0]["p"]}])
                                         + gets(table_sn, [{"p": key, "c": 1}]))
    assert [entry["Item"] for entry in response["Responses"]] == [stored[0], {"p": key, "c": 1, "data": "comp"}]


# Each Get has its own ProjectionExpression and names; key attributes are not added.
# Source: aws-docs (Get.ProjectionExpression).
def test_transact_get_items_projection(client, table_s, stored):
    response = client.transact_get_items(TransactItems=[
        {"Get": {"TableName": table_s.name, "Key": {"p": stored[0]["p"]}, "ProjectionExpression": "#i, info.b",
                 "ExpressionAttributeNames": {"#i": "idx"}}},
        {"Get": {"TableName": table_s.name, "Key": {"p": stored[1]["p"]}}}])
    assert response["Responses"] == [{"Item": {"idx": 0, "info": {"b": "x"}}}, {"Item": stored[1]}]


# 100 Gets are allowed; 101 are refused with the list echoed; an empty list has an exact
# message. Sources: conformance tier3/limits (100/101) and error-messages (empty, exact;
# 101, anchored regex).
def test_transact_get_items_accepts_100(client, table_s, stored):
    keys = [{"p": item["p"]} for item in stored] + [{"p": random_string()} for _ in range(97)]
    assert len(client.transact_get_items(TransactItems=gets(table_s, keys))["Responses"]) == 100


def test_transact_get_items_refuses_101(client, table_s):
    with pytest.raises(client.exceptions.ClientError) as info:
        client.transact_get_items(TransactItems=gets(table_s, [{"p": f"tgi-{i}"} for i in range(101)]))
    error = info.value.response["Error"]
    assert error["Code"] == VALIDATION
    assert re.fullmatch(r"1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy "
                        r"constraint: Member must have length less than or equal to 100", error["Message"], re.S)


def test_transact_get_items_refuses_empty_list(unchecked_client):
    with assert_error(VALIDATION, "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
                                  "constraint: Member must have length greater than or equal to 1"):
        unchecked_client.transact_get_items(TransactItems=[])


# A table that does not exist. Source: conformance tier3/error-messages (exact).
def test_transact_get_items_missing_table(client):
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.transact_get_items(TransactItems=[{"Get": {"TableName": "compat_missing_" + random_string(),
                                                          "Key": {"p": "x"}}}])


# A malformed ProjectionExpression is refused for the whole request.
# Source: conformance tier3/error-messages/transactGetItems (exact).
def test_transact_get_items_bad_projection(client, table_s):
    with assert_error(VALIDATION, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'):
        client.transact_get_items(TransactItems=gets(table_s, [{"p": "x"}], ProjectionExpression="!!!"))


# A key that does not fit the table cancels the transaction with a ValidationError
# reason, the other Gets reported as None. Source: conformance tier3/error-messages
# "missing key attribute: action-level ValidationError" (exact message and codes).
def test_transact_get_items_key_mismatch_cancels(client, table_s):
    with assert_error("TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons "
                                                      "for specific reasons [None, ValidationError]") as info:
        client.transact_get_items(TransactItems=gets(table_s, [{"p": "x"}, {}]))
    assert [reason["Code"] for reason in info.value.response["CancellationReasons"]] == ["None", "ValidationError"]


# The same item twice is refused. Source: conformance tier2 "rejects duplicate keys in
# same transaction" (ValidationException); the wording is TransactWriteItems' (reported
# for reads too by a DynamoDB-backed service, community.thebackend.io topic 197).
def test_transact_get_items_refuses_duplicates(client, table_s):
    with assert_error(VALIDATION, "Transaction request cannot include multiple operations on one item"):
        client.transact_get_items(TransactItems=gets(table_s, [{"p": "same"}, {"p": "same"}]))


# Capacity: two read units per item, whether it exists or not.
# Source: capacity (AWS: one present and one missing item report 4).
def test_transact_get_items_consumed_capacity(client, table_s, stored):
    response = client.transact_get_items(ReturnConsumedCapacity="TOTAL", TransactItems=gets(
        table_s, [{"p": stored[0]["p"]}, {"p": random_string()}]))
    assert response["ConsumedCapacity"] == [{"TableName": table_s.name, "CapacityUnits": 4.0,
                                             "ReadCapacityUnits": 4.0}]
