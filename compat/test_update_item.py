# UpdateItem (issue 3): creating missing items, ReturnValues, key attributes, the item
# size limit, conditions, capacity and the request-level expression rules. The update
# language itself is in test_update_expression.py.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/updateItem/*,
#                 tier3/error-messages/updateItem, tier3/limits/itemSize), on AWS.
#   dynalite    - mhart/dynalite test/updateItem.js, messages recorded from DynamoDB.
#   aws-docs    - API_UpdateItem.html.

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"


# UpdateItem creates the item when it does not exist, key included.
# Source: conformance tier1/updateItem/basic ("creates an item when it does not exist").
def test_update_item_creates_missing_item(table_ss):
    key = {"p": random_string(), "c": "one"}
    got = table_ss.update_item(Key=key, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": 1},
                               ReturnValues="ALL_NEW")
    assert got["Attributes"] == {**key, "v": 1}
    assert table_ss.get_item(Key=key, ConsistentRead=True)["Item"] == {**key, "v": 1}


# Without an UpdateExpression, UpdateItem still creates an item holding only its key.
# Source: aws-docs API_UpdateItem ("Edits an existing item's attributes, or adds a new item").
def test_update_item_without_expression_creates_key_only_item(table_s):
    key = {"p": random_string()}
    table_s.update_item(Key=key)
    assert table_s.get_item(Key=key, ConsistentRead=True)["Item"] == key


# ReturnValues: ALL_OLD and ALL_NEW return whole items, UPDATED_OLD and UPDATED_NEW only
# the updated document paths, NONE nothing. Source: conformance tier1/updateItem/basic;
# aws-docs API_UpdateItem (ReturnValues).
def test_update_item_return_values(table_s):
    key = {"p": random_string()}
    table_s.put_item(Item={**key, "info": {"a": 1, "b": 2}, "tally": 1})
    base = dict(Key=key, UpdateExpression="SET info.a = :v, z = :v")
    got = table_s.update_item(ReturnValues="UPDATED_OLD", ExpressionAttributeValues={":v": 7}, **base)
    assert got["Attributes"] == {"info": {"a": 1}}
    got = table_s.update_item(ReturnValues="UPDATED_NEW", ExpressionAttributeValues={":v": 8}, **base)
    assert got["Attributes"] == {"info": {"a": 8}, "z": 8}
    got = table_s.update_item(ReturnValues="ALL_OLD", ExpressionAttributeValues={":v": 9}, **base)
    assert got["Attributes"] == {**key, "info": {"a": 8, "b": 2}, "tally": 1, "z": 8}
    got = table_s.update_item(ReturnValues="NONE", ExpressionAttributeValues={":v": 9}, **base)
    assert "Attributes" not in got


# ALL_OLD of an item that did not exist returns nothing.
# Source: aws-docs API_UpdateItem ("If ... the item did not exist, nothing is returned").
def test_update_item_all_old_of_new_item(table_s):
    got = table_s.update_item(Key={"p": random_string()}, UpdateExpression="SET a = :v",
                              ExpressionAttributeValues={":v": 1}, ReturnValues="ALL_OLD")
    assert "Attributes" not in got


# Key attributes cannot be updated, removed, added to or nested into.
# Sources: conformance tier3/error-messages/updateItem; dynalite ("trying to update key").
@pytest.mark.parametrize("expression, values, name", [
    ("SET p = :v", {":v": "x"}, "p"),
    ("SET c = :v", {":v": "x"}, "c"),
    ("REMOVE c", None, "c"),
    ("ADD p.b :n", {":n": 1}, "p"),
    ("SET a = :v, p = :v", {":v": "x"}, "p"),
])
def test_update_item_key_attributes_are_untouchable(table_ss, expression, values, name):
    kwargs = {"ExpressionAttributeValues": values} if values else {}
    with assert_error(VALIDATION, f"One or more parameter values were invalid: Cannot update attribute {name}. "
                                  "This attribute is part of the key"):
        table_ss.update_item(Key={"p": random_string(), "c": "x"}, UpdateExpression=expression, **kwargs)


# The 400 KB limit applies to the item after the update, with UpdateItem's own wording.
# Sources: dynalite ("should return ValidationException if update item is too big");
# conformance tier3/limits/itemSize (either wording accepted there).
def test_update_item_result_over_400_kb(table_s):
    key = {"p": random_string()}
    table_s.put_item(Item={**key, "a": "x" * 300_000})
    with assert_error(VALIDATION, "Item size to update has exceeded the maximum allowed size"):
        table_s.update_item(Key=key, UpdateExpression="SET b = :v", ExpressionAttributeValues={":v": "y" * 150_000})
    assert "b" not in table_s.get_item(Key=key, ConsistentRead=True)["Item"]


# A failed condition leaves the item as it was, and a condition on a missing item sees
# no attributes. Source: conformance tier1/updateItem/conditions.
def test_update_item_condition(table_s):
    key = {"p": random_string()}
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        table_s.update_item(Key=key, UpdateExpression="ADD hits :one", ConditionExpression="attribute_exists(p)",
                            ExpressionAttributeValues={":one": 1})
    assert "Item" not in table_s.get_item(Key=key, ConsistentRead=True)
    table_s.update_item(Key=key, UpdateExpression="ADD hits :one", ConditionExpression="attribute_not_exists(p)",
                        ExpressionAttributeValues={":one": 1})
    assert table_s.get_item(Key=key, ConsistentRead=True)["Item"]["hits"] == 1


# ReturnConsumedCapacity counts the larger of the old and new item, 1 KB per unit.
# Source: aws-docs read-write-operations.html (UpdateItem).
def test_update_item_consumed_capacity(table_s):
    key = {"p": random_string()}
    got = table_s.update_item(Key=key, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": "x" * 1500},
                              ReturnConsumedCapacity="TOTAL")
    assert got["ConsumedCapacity"] == {"TableName": table_s.name, "CapacityUnits": 2.0}


# Request-level rules. Sources: conformance tier3/error-messages/updateItem;
# dynalite test/updateItem.js.
def test_update_item_expression_and_attribute_updates_cannot_be_mixed(table_s):
    message = ("Can not use both expression and non-expression parameters in the same request: "
               "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}")
    with assert_error(VALIDATION, message):
        table_s.update_item(Key={"p": "x"}, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": 1},
                            AttributeUpdates={"a": {"Value": 1, "Action": "PUT"}})


def test_update_item_values_without_expressions(table_s):
    with assert_error(VALIDATION, "ExpressionAttributeValues can only be specified when using expressions: "
                                  "UpdateExpression and ConditionExpression are null"):
        table_s.update_item(Key={"p": "x"}, ExpressionAttributeValues={":v": 1})


# Expression errors come before the table is looked up; the key is checked before the
# item is read. Sources: dynalite test/updateItem.js (validation before
# ResourceNotFoundException); conformance tier1/updateItem/validation.
def test_update_item_error_order(table_ss):
    with assert_error(VALIDATION, "Invalid UpdateExpression: The expression can not be empty;"):
        table_ss.meta.client.update_item(TableName="no_such_table_" + random_string(), Key={"p": "x"},
                                         UpdateExpression="")
    with assert_error("ResourceNotFoundException"):
        table_ss.meta.client.update_item(TableName="no_such_table_" + random_string(), Key={"p": "x"},
                                         UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": 1})
    with assert_error(VALIDATION, "The provided key element does not match the schema"):
        table_ss.update_item(Key={"p": "x"}, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": 1})


# As for DeleteItem, the Key's values are checked before the table is looked up, and a
# Key that does not fit a schema only after. Sources: dynalite validations/updateItem.js
# and test/updateItem.js ("invalid values in Key", recorded from DynamoDB).
def test_update_item_key_values_before_missing_table(unchecked_client):
    missing = "missing_" + random_string()
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.update_item(TableName=missing, Key={})
    with assert_error(VALIDATION, "One or more parameter values were invalid: Input collection [a, a] contains "
                                  "duplicates."):
        unchecked_client.update_item(TableName=missing, Key={"p": {"SS": ["a", "a"]}})
    with assert_error(VALIDATION, "The parameter cannot be converted to a numeric value: abc"):
        unchecked_client.update_item(TableName=missing, Key={"p": {"N": "abc"}})


# An invalid ReturnValues is reported alone, even beside an invalid ReturnConsumedCapacity
# (PutItem and DeleteItem still report both): a change DynamoDB made in June 2026, seen in
# eu-west-2 (older regions may still report both). Source: conformance
# tier3/validation-ordering/updateItem ("UpdateItem reports the first enum error").
def test_update_item_reports_an_invalid_return_values_alone(unchecked_client):
    with assert_error("ValidationException",
                      "1 validation error detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: "
                      "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"):
        unchecked_client.update_item(TableName="_conformance_valid_table_name", Key={"p": {"S": "x"}},
                                     ReturnValues="INVALID", ReturnConsumedCapacity="INVALID")
