# DeleteTable: the DELETING description it returns, what happens to the table and its
# name afterwards, deletion protection, and errors (issue 2).
#
# Sources named below:
#   scylla     - scylladb test/alternator/test_table.py, run against DynamoDB.
#   ack-quirks - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   conformance- the public DynamoDB conformance suite, tier1/deleteTable.

import re

from util import assert_error, random_string, unique_table_name

HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = [{"AttributeName": "p", "AttributeType": "S"}]
WAIT = {"Delay": 1, "MaxAttempts": 120}


def create_active(client, **kwargs):
    name = unique_table_name()
    client.create_table(TableName=name, KeySchema=HASH_P, AttributeDefinitions=DEF_P,
                        BillingMode="PAY_PER_REQUEST", **kwargs)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig=WAIT)
    return name


# DeleteTable returns the table as DELETING, with TableName, a UUID TableId, TableArn,
# BillingModeSummary (with its date), ProvisionedThroughput 0/0/0, ItemCount and
# TableSizeBytes - but no KeySchema, AttributeDefinitions or CreationDateTime. The table
# then disappears: table_not_exists returns, DescribeTable is ResourceNotFound and
# ListTables no longer lists it. Sources: scylla test_delete_table_description (and its
# xfail twin for ItemCount/TableSizeBytes); conformance tier1/deleteTable; ack-quirks
# DDB-TABLE-006/-076.
def test_delete_table_returns_deleting_description(client):
    name = create_active(client)
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    got = client.delete_table(TableName=name)["TableDescription"]
    assert got["TableName"] == name
    assert got["TableStatus"] == "DELETING"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", got["TableId"])
    assert got["TableArn"] == arn
    assert got["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert got["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] is not None
    assert got["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                            "WriteCapacityUnits": 0}
    assert "ItemCount" in got and "TableSizeBytes" in got
    for absent in ("KeySchema", "AttributeDefinitions", "CreationDateTime"):
        assert absent not in got
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig=WAIT)
    with assert_error("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found"):
        client.describe_table(TableName=name)
    assert name not in client.list_tables(ExclusiveStartTableName=name[:-1], Limit=10)["TableNames"]


# The name can be used again once the table is gone: same ARN, new TableId, and none of
# the old items. Source: ack-quirks DDB-TABLE-009; scylla test_recreate_table.
def test_delete_table_then_recreate(client):
    name = create_active(client)
    old = client.describe_table(TableName=name)["Table"]
    client.put_item(TableName=name, Item={"p": "old"})  # resource client: plain values
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig=WAIT)
    client.create_table(TableName=name, KeySchema=HASH_P, AttributeDefinitions=DEF_P, BillingMode="PAY_PER_REQUEST")
    try:
        client.get_waiter("table_exists").wait(TableName=name, WaiterConfig=WAIT)
        new = client.describe_table(TableName=name)["Table"]
        assert new["TableArn"] == old["TableArn"]
        assert new["TableId"] != old["TableId"]
        assert "Item" not in client.get_item(TableName=name, Key={"p": "old"}, ConsistentRead=True)
    finally:
        client.delete_table(TableName=name)


# Item operations on a deleted table: ResourceNotFoundException without the table's name
# (conformance tier3/error-messages getItem/deleteItem: "Requested resource not found").
def test_delete_table_items_gone(client):
    name = create_active(client)
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig=WAIT)
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.get_item(TableName=name, Key={"p": "x"})


# A missing table: ResourceNotFoundException naming it (conformance tier1/deleteTable;
# ack-quirks DDB-TABLE-008 for the text).
def test_delete_table_missing(client):
    name = "no_such_table_" + random_string()
    with assert_error("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found"):
        client.delete_table(TableName=name)


def test_delete_table_requires_name(unchecked_client):
    # dynalite test/deleteTable.js: a missing TableName is reported on its own.
    with assert_error("ValidationException",
                      "The parameter 'TableName' is required but was not present in the request"):
        unchecked_client.delete_table()


def test_delete_table_rejects_invalid_name(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'ab' at 'tableName' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 3"):
        client.delete_table(TableName="ab")


# Deletion protection refuses DeleteTable with ValidationException and leaves the table
# ACTIVE; turning it off allows the delete at once. Sources: ack-quirks DDB-TABLE-442
# (text observed in two regions), DDB-TABLE-438 (delete admitted right after DP=false).
def test_delete_table_refused_while_protected(client):
    name = create_active(client, DeletionProtectionEnabled=True)
    try:
        with assert_error("ValidationException", "Resource cannot be deleted as it is currently protected against "
                          "deletion. Disable deletion protection first."):
            client.delete_table(TableName=name)
        assert client.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    finally:
        client.update_table(TableName=name, DeletionProtectionEnabled=False)
        assert client.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"


# A table's ARN works as TableName for UpdateTable and DeleteTable too; the descriptions
# name the table by its bare name (ack-quirks DDB-TABLE-011).
def test_delete_table_by_arn(client):
    name = create_active(client)
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    protect = client.update_table(TableName=arn, DeletionProtectionEnabled=True)["TableDescription"]
    assert protect["TableName"] == name and protect["DeletionProtectionEnabled"] is True
    client.update_table(TableName=arn, DeletionProtectionEnabled=False)
    got = client.delete_table(TableName=arn)["TableDescription"]
    assert (got["TableName"], got["TableStatus"]) == (name, "DELETING")
