# TransactWriteItems (issue 6): up to 100 Put/Update/Delete/ConditionCheck actions
# across tables, applied all together or not at all; TransactionCanceledException with
# one reason per action; ClientRequestToken idempotency; limits and messages.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier2/transactions/transactWrite,
#                 tier3/error-messages/transactWriteItems and conditionalCheck,
#                 tier3/limits/transactionLimits), run against AWS.
#   aws-docs    - API_TransactWriteItems.html, transaction-apis.html.
#   capacity    - localstack issue 13090 and paritysuite/dynamodb-conformance PR 67, both
#                 measured on AWS: 2 WCU per item, a ConditionCheck billed as a write, a
#                 same-token replay billed as reads, no capacity on a cancellation.
#   moto        - moto's TransactWriteItems tests (written against AWS).
#
# `client` is the resource's client (Python values in, Python values out; an error's
# CancellationReasons stay in wire format); `unchecked_client` is a plain client with
# botocore's own validation off, for requests botocore would refuse.

import re
import uuid

import pytest

from util import assert_error, new_table, random_string

VALIDATION = "ValidationException"
CANCELED = "TransactionCanceledException"
MULTIPLE = "Transaction request cannot include multiple operations on one item"


def cancelled(*codes):
    return f"Transaction cancelled, please refer cancellation reasons for specific reasons [{', '.join(codes)}]"


def get(table, key):
    return table.get_item(Key=key, ConsistentRead=True).get("Item")


def reasons_of(info):
    return info.value.response["CancellationReasons"]


# Put, Update and Delete in one transaction all take effect.
# Source: conformance tier2 "executes Put + Update + Delete atomically".
def test_transact_write_items_put_update_delete(client, table_s):
    new, changed, gone = random_string(), random_string(), random_string()
    table_s.put_item(Item={"p": changed, "v": "before"})
    table_s.put_item(Item={"p": gone})
    response = client.transact_write_items(TransactItems=[
        {"Put": {"TableName": table_s.name, "Item": {"p": new, "v": "created"}}},
        {"Update": {"TableName": table_s.name, "Key": {"p": changed}, "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": "after"}}},
        {"Delete": {"TableName": table_s.name, "Key": {"p": gone}}},
    ])
    assert set(response) == {"ResponseMetadata"}
    assert get(table_s, {"p": new}) == {"p": new, "v": "created"}
    assert get(table_s, {"p": changed}) == {"p": changed, "v": "after"}
    assert get(table_s, {"p": gone}) is None


# Actions on several tables commit together. Source: conformance tier2 cross-table.
def test_transact_write_items_across_tables(client, table_s, table_sn):
    key = random_string()
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": table_s.name, "Item": {"p": key}}},
        {"Put": {"TableName": table_sn.name, "Item": {"p": key, "c": 7}}},
    ])
    assert get(table_s, {"p": key}) == {"p": key}
    assert get(table_sn, {"p": key, "c": 7}) == {"p": key, "c": 7}


# A ConditionCheck that holds lets the other actions through; one that fails cancels
# them all, the message listing one code per action in order.
# Sources: conformance tier2 "ConditionCheck condition is met" / "rolls back";
# tier3/error-messages "one passing, one failing" (exact message, codes and Message).
def test_transact_write_items_condition_check(client, table_s):
    guard, target = random_string(), random_string()
    table_s.put_item(Item={"p": guard, "status": "active"})
    check = {"ConditionCheck": {"TableName": table_s.name, "Key": {"p": guard}, "ConditionExpression": "#s = :s",
                                "ExpressionAttributeNames": {"#s": "status"}}}
    check["ConditionCheck"]["ExpressionAttributeValues"] = {":s": "active"}
    client.transact_write_items(TransactItems=[check, {"Put": {"TableName": table_s.name, "Item": {"p": target}}}])
    assert get(table_s, {"p": target}) == {"p": target}
    check["ConditionCheck"]["ExpressionAttributeValues"] = {":s": "inactive"}
    other = random_string()
    with assert_error(CANCELED, cancelled("None", "ConditionalCheckFailed")) as info:
        client.transact_write_items(TransactItems=[{"Put": {"TableName": table_s.name, "Item": {"p": other}}}, check])
    assert reasons_of(info) == [{"Code": "None"},
                                {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}]
    assert get(table_s, {"p": other}) is None


# Every action's condition is evaluated and reported: two failures, two codes.
# Source: conformance tier3/error-messages "two failing actions".
def test_transact_write_items_reports_every_failure(client, table_s):
    first, second = random_string(), random_string()
    for key in (first, second):
        table_s.put_item(Item={"p": key, "v": "exists"})
    with assert_error(CANCELED, cancelled("ConditionalCheckFailed", "ConditionalCheckFailed")):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table_s.name, "Item": {"p": key, "v": "over"},
                     "ConditionExpression": "attribute_not_exists(p)"}} for key in (first, second)])
    assert get(table_s, {"p": first}) == {"p": first, "v": "exists"}


# A failed condition on Put, Update or Delete leaves every item as it was.
# Source: conformance tier2 "applies ConditionExpression on Put/Update/Delete action".
@pytest.mark.parametrize("kind", ["Put", "Update", "Delete"])
def test_transact_write_items_failed_condition_changes_nothing(client, table_s, kind):
    key, witness = random_string(), random_string()
    table_s.put_item(Item={"p": key, "n": 5})
    action = {"TableName": table_s.name, "ConditionExpression": "n > :n", "ExpressionAttributeValues": {":n": 10}}
    if kind == "Put":
        action["Item"] = {"p": key, "n": 0}
    else:
        action["Key"] = {"p": key}
    if kind == "Update":
        action["UpdateExpression"] = "SET n = :zero"
        action["ExpressionAttributeValues"][":zero"] = 0
    with assert_error(CANCELED, cancelled("None", "ConditionalCheckFailed")):
        client.transact_write_items(TransactItems=[{"Put": {"TableName": table_s.name, "Item": {"p": witness}}},
                                                   {kind: action}])
    assert get(table_s, {"p": key}) == {"p": key, "n": 5}
    assert get(table_s, {"p": witness}) is None


# ReturnValuesOnConditionCheckFailure=ALL_OLD puts the stored item in the reason.
# Source: conformance tier2 "returns ALL_OLD item via ReturnValuesOnConditionCheckFailure".
def test_transact_write_items_condition_failure_returns_old_item(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "data": "original"})
    with assert_error(CANCELED, cancelled("ConditionalCheckFailed")) as info:
        client.transact_write_items(TransactItems=[{"Put": {
            "TableName": table_s.name, "Item": {"p": key, "data": "new"}, "ConditionExpression": "attribute_not_exists(p)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}])
    assert reasons_of(info) == [{"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                                 "Item": {"p": {"S": key}, "data": {"S": "original"}}}]


# An Update whose condition needs the item to exist cancels on a missing key and leaves
# no item behind; without such a condition it creates the item.
# Source: conformance tier2 "Update with attribute_exists/attribute_not_exists".
def test_transact_write_items_update_of_missing_item(client, table_s):
    key = random_string()
    update = {"TableName": table_s.name, "Key": {"p": key}, "UpdateExpression": "SET #s = :s",
              "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": "created"}}
    with assert_error(CANCELED, cancelled("ConditionalCheckFailed")):
        client.transact_write_items(TransactItems=[{"Update": {**update, "ConditionExpression": "attribute_exists(p)"}}])
    assert get(table_s, {"p": key}) is None
    client.transact_write_items(TransactItems=[{"Update": {**update, "ConditionExpression": "attribute_not_exists(p)"}}])
    assert get(table_s, {"p": key}) == {"p": key, "status": "created"}


# Two actions on one item are refused before anything runs, whatever the kinds.
# Sources: conformance tier3/error-messages (two Puts, exact); aws-docs (a ConditionCheck
# and an Update of one item).
@pytest.mark.parametrize("second", ["Put", "ConditionCheck"])
def test_transact_write_items_refuses_two_actions_on_one_item(client, table_s, second):
    key = random_string()
    other = ({"Put": {"TableName": table_s.name, "Item": {"p": key, "v": 2}}} if second == "Put" else
             {"ConditionCheck": {"TableName": table_s.name, "Key": {"p": key},
                                 "ConditionExpression": "attribute_not_exists(p)"}})
    with assert_error(VALIDATION, MULTIPLE):
        client.transact_write_items(TransactItems=[{"Put": {"TableName": table_s.name, "Item": {"p": key, "v": 1}}},
                                                   other])
    assert get(table_s, {"p": key}) is None


# The same key in two tables is two items. Source: aws-docs (no two actions on one item).
def test_transact_write_items_same_key_in_two_tables(client, table_s, table_ss):
    key = random_string()
    client.transact_write_items(TransactItems=[{"Put": {"TableName": table_s.name, "Item": {"p": key}}},
                                               {"Put": {"TableName": table_ss.name, "Item": {"p": key, "c": key}}}])
    assert get(table_s, {"p": key}) == {"p": key}


# An empty list: exact constraint message. More than 100 actions: the list echoed.
# Sources: conformance tier3/error-messages (exact, and anchored regex).
def test_transact_write_items_refuses_empty_list(unchecked_client):
    with assert_error(VALIDATION, "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
                                  "constraint: Member must have length greater than or equal to 1"):
        unchecked_client.transact_write_items(TransactItems=[])


def test_transact_write_items_refuses_101_actions(client, table_s):
    with pytest.raises(client.exceptions.ClientError) as info:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table_s.name, "Item": {"p": f"twi-{i}"}}} for i in range(101)])
    error = info.value.response["Error"]
    assert error["Code"] == VALIDATION
    assert re.fullmatch(r"1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy "
                        r"constraint: Member must have length less than or equal to 100", error["Message"], re.S)


# Exactly 100 actions are allowed. Source: conformance tier3/limits/transactionLimits.
def test_transact_write_items_accepts_100_actions(client, table_s):
    prefix = random_string()
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": table_s.name, "Item": {"p": f"{prefix}{i}", "i": i}}} for i in range(100)])
    assert get(table_s, {"p": f"{prefix}99"}) == {"p": f"{prefix}99", "i": 99}


# The items of one transaction may add up to 4 MB: ten items of 350 KB pass, twelve are
# refused as a ValidationException and nothing is written. The message DynamoDB gives is
# not pinned here (one reported reply reads "Transaction payload size cannot exceed 4MB.
# Payload Size: ..."). Source: conformance tier3/limits/transactionLimits (code only).
def test_transact_write_items_4_mb_limit(client, table_s):
    prefix = random_string()
    payload = "x" * 350_000
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": table_s.name, "Item": {"p": f"{prefix}ok{i}", "payload": payload}}} for i in range(10)])
    with pytest.raises(client.exceptions.ClientError) as info:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table_s.name, "Item": {"p": f"{prefix}big{i}", "payload": payload}}}
            for i in range(12)])
    assert info.value.response["Error"]["Code"] == VALIDATION
    assert get(table_s, {"p": f"{prefix}big0"}) is None


# A Put item over 400 KB is a request-level error, not a cancellation.
# Source: dynoxide transact_write_items.rs ("captured against eu-west-2"); the message is
# PutItem's (conformance tier3/limits/itemSize).
def test_transact_write_items_refuses_oversized_put(client, table_s):
    with assert_error(VALIDATION, "Item size has exceeded the maximum allowed size"):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table_s.name, "Item": {"p": random_string(), "big": "x" * 410_000}}}])


# A table that does not exist: "Requested resource not found".
# Source: conformance tier3/error-messages/transactWriteItems (exact).
def test_transact_write_items_missing_table(client):
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "compat_missing_" + random_string(), "Item": {"p": "x"}}}])


# A key that does not fit its table cancels the transaction with a ValidationError
# reason for that action. Source: conformance tier3/error-messages/transactGetItems
# (the same per-action channel, observed for a Get with an empty Key).
def test_transact_write_items_key_mismatch_is_a_validation_reason(client, table_s):
    witness = random_string()
    with pytest.raises(client.exceptions.ClientError) as info:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table_s.name, "Item": {"p": witness}}},
            {"Delete": {"TableName": table_s.name, "Key": {"q": "x"}}}])
    assert info.value.response["Error"]["Code"] == CANCELED
    assert info.value.response["Error"]["Message"] == cancelled("None", "ValidationError")
    assert [reason["Code"] for reason in reasons_of(info)] == ["None", "ValidationError"]
    assert get(table_s, {"p": witness}) is None


# Each TransactWriteItem holds exactly one action. Source: moto (more than one action).
def test_transact_write_items_one_action_per_item(client, table_s):
    key = random_string()
    with assert_error(VALIDATION, "TransactItems can only contain one of Check, Put, Update or Delete"):
        client.transact_write_items(TransactItems=[{
            "Put": {"TableName": table_s.name, "Item": {"p": key}},
            "Delete": {"TableName": table_s.name, "Key": {"p": key}}}])


# Required members of each action are checked with the request's shape, paths 1-based.
# Source: the DynamoDB API model (UpdateExpression of Update and ConditionExpression of
# ConditionCheck are required); path style as dynalite recorded for BatchWriteItem.
def test_transact_write_items_required_members(unchecked_client, table_s):
    with pytest.raises(unchecked_client.exceptions.ClientError) as info:
        unchecked_client.transact_write_items(TransactItems=[
            {"Update": {"TableName": table_s.name, "Key": {"p": {"S": "x"}}}},
            {"ConditionCheck": {"TableName": table_s.name, "Key": {"p": {"S": "y"}}}}])
    error = info.value.response["Error"]
    assert error["Code"] == VALIDATION
    assert error["Message"].startswith("2 validation errors detected: ")
    assert "Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: " \
           "Member must not be null" in error["Message"]
    assert "Value null at 'transactItems.2.member.conditionCheck.conditionExpression' failed to satisfy " \
           "constraint: Member must not be null" in error["Message"]


# Expression errors are request-level ValidationExceptions, as in the single-item
# operations. Source: conformance tier3/error-messages/transactGetItems (a syntax error
# is "request-level ... before any per-action processing runs").
def test_transact_write_items_expression_errors_are_request_level(client, table_s):
    with assert_error(VALIDATION, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"):
        client.transact_write_items(TransactItems=[{"Put": {
            "TableName": table_s.name, "Item": {"p": random_string()}, "ConditionExpression": "attribute_not_exists(p)",
            "ExpressionAttributeValues": {":x": 1}}}])


# The same ClientRequestToken with the same request succeeds again without writing a
# second time; with another request it is refused. Sources: conformance tier2
# "supports idempotency" / "rejects same ClientRequestToken with different payload" (code
# only: DynamoDB's wording of the mismatch is not recorded anywhere public).
def test_transact_write_items_client_request_token(client, table_s):
    key, token = random_string(), str(uuid.uuid4())
    request = {"ClientRequestToken": token, "TransactItems": [{"Update": {
        "TableName": table_s.name, "Key": {"p": key}, "UpdateExpression": "ADD n :one",
        "ExpressionAttributeValues": {":one": 1}}}]}
    client.transact_write_items(**request)
    client.transact_write_items(**request)
    assert get(table_s, {"p": key}) == {"p": key, "n": 1}
    request["TransactItems"][0]["Update"]["ExpressionAttributeValues"] = {":one": 2}
    with pytest.raises(client.exceptions.ClientError) as info:
        client.transact_write_items(**request)
    assert info.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    assert get(table_s, {"p": key}) == {"p": key, "n": 1}


# Capacity: each item costs twice its write units, a ConditionCheck included; a replay
# with the same token reports read units instead.
# Source: capacity (AWS: two small puts 4.0; a ConditionCheck 2 WCU; replay 2 RCU).
def test_transact_write_items_consumed_capacity(client, table_s):
    guard, token = random_string(), str(uuid.uuid4())
    request = {"ReturnConsumedCapacity": "TOTAL", "ClientRequestToken": token, "TransactItems": [
        {"Put": {"TableName": table_s.name, "Item": {"p": random_string()}}},
        {"ConditionCheck": {"TableName": table_s.name, "Key": {"p": guard},
                            "ConditionExpression": "attribute_not_exists(p)"}}]}
    first = client.transact_write_items(**request)["ConsumedCapacity"]
    assert first == [{"TableName": table_s.name, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}]
    replay = client.transact_write_items(**request)["ConsumedCapacity"]
    assert replay == [{"TableName": table_s.name, "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0}]


# A transaction maintains global secondary indexes like any write.
# Source: aws-docs (transactions update GSIs with the table).
def test_transact_write_items_updates_global_index(client, dynamodb):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [
                       {"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]) as table:
        table.put_item(Item={"p": "old", "g": "group"})
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table.name, "Item": {"p": "new", "g": "group"}}},
            {"Delete": {"TableName": table.name, "Key": {"p": "old"}}}])
        items = table.query(IndexName="by_g", KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": "group"})["Items"]
        assert items == [{"p": "new", "g": "group"}]
