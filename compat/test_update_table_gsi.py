# UpdateTable and global secondary indexes (issue 5): creating a GSI on an existing table
# (CREATING, backfilled from the items already there, then ACTIVE), deleting one, changing
# a GSI's throughput, the GSI side of billing-mode switches, and DynamoDB's answer to each
# kind of mistake in GlobalSecondaryIndexUpdates.
#
# On AWS a new index takes minutes to build; the tests wait for it like a user would
# (`wait_index_active`), which against the emulator returns at once.
#
# Sources named below:
#   conformance  - the public DynamoDB conformance suite, tier2/updateTable/gsi.
#   ack-quirks   - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10;
#                  DDB-TABLE-442 is its catalogue of ValidationException texts.
#   dynalite     - architect/dynalite validations/updateTable.js and test/updateTable.js.

import time

import pytest

from util import assert_error, random_string, unique_table_name

INVALID = "One or more parameter values were invalid: "
HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = {"AttributeName": "p", "AttributeType": "S"}
DEF_G = {"AttributeName": "g", "AttributeType": "S"}
DEF_H = {"AttributeName": "h", "AttributeType": "N"}
WAIT = {"Delay": 1, "MaxAttempts": 600}
ONE_AT_A_TIME = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"


def hash_key(name):
    return [{"AttributeName": name, "KeyType": "HASH"}]


def create_action(name, attribute, projection=None, **extra):
    return {"Create": {"IndexName": name, "KeySchema": hash_key(attribute),
                       "Projection": projection or {"ProjectionType": "ALL"}, **extra}}


def make_table(client, gsi_attribute=None, **kwargs):
    """A table keyed by p, optionally with GSI "existing" on ``gsi_attribute`` (S)."""
    name = unique_table_name()
    definitions = [DEF_P]
    if gsi_attribute is not None:
        definitions.append({"AttributeName": gsi_attribute, "AttributeType": "S"})
        kwargs["GlobalSecondaryIndexes"] = [{"IndexName": "existing", "KeySchema": hash_key(gsi_attribute),
                                             "Projection": {"ProjectionType": "ALL"}, **kwargs.pop("gsi_extra", {})}]
    if "ProvisionedThroughput" not in kwargs:
        kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    client.create_table(TableName=name, KeySchema=HASH_P, AttributeDefinitions=definitions, **kwargs)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig=WAIT)
    return name


def drop(client, name):
    wait_table_idle(client, name)
    client.delete_table(TableName=name)


def gsis(client, name):
    return {index["IndexName"]: index
            for index in client.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])}


def wait_table_idle(client, name, timeout_seconds=1800):
    """Until the table is ACTIVE with every GSI ACTIVE (and deleted ones gone)."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        table = client.describe_table(TableName=name)["Table"]
        if table["TableStatus"] == "ACTIVE" and all(
                index["IndexStatus"] == "ACTIVE" for index in table.get("GlobalSecondaryIndexes", [])):
            return table
        assert time.monotonic() < deadline, table
        time.sleep(5)


@pytest.fixture(scope="module")
def with_gsi(client):
    """On demand, GSI "existing" on g; the tests of this module never change it."""
    name = make_table(client, "g")
    yield name
    drop(client, name)


@pytest.fixture(scope="module")
def without_gsi(client):
    name = make_table(client)
    yield name
    drop(client, name)


@pytest.fixture
def fresh(client):
    name = make_table(client)
    yield name
    drop(client, name)


# ---------------------------------------------------------------- creating an index

# Adding a GSI to a table that holds items: the response shows the table UPDATING and the
# new index CREATING with Backfilling false, its IndexArn, 0 items; the new key attribute
# joins AttributeDefinitions (only it needs to be sent). Once built, the index is ACTIVE
# and holds the items that already had the key (conformance "can query a newly created
# GSI after putting items"). Sources: conformance tier2/updateTable/gsi; ack-quirks
# DDB-TABLE-148 (states), -162 (only the new attribute needs defining), -165 (response).
def test_update_table_creates_gsi_backfilled_from_existing_items(client, dynamodb, fresh):
    table = dynamodb.Table(fresh)
    table.put_item(Item={"p": "one", "g": "group1", "data": "hello"})
    table.put_item(Item={"p": "two", "g": "group1"})
    table.put_item(Item={"p": "three", "g": "group2"})
    table.put_item(Item={"p": "four"})
    response = client.update_table(TableName=fresh, AttributeDefinitions=[DEF_G],
                                   GlobalSecondaryIndexUpdates=[create_action("by_g", "g")])["TableDescription"]
    assert response["TableStatus"] == "UPDATING"
    (index,) = response["GlobalSecondaryIndexes"]
    assert (index["IndexName"], index["IndexStatus"], index["Backfilling"]) == ("by_g", "CREATING", False)
    assert index["KeySchema"] == hash_key("g") and index["Projection"] == {"ProjectionType": "ALL"}
    assert index["IndexArn"] == f"{response['TableArn']}/index/by_g"
    assert DEF_G in response["AttributeDefinitions"]
    described = wait_table_idle(client, fresh)
    assert DEF_G in described["AttributeDefinitions"] and DEF_P in described["AttributeDefinitions"]
    (index,) = described["GlobalSecondaryIndexes"]
    assert index["IndexStatus"] == "ACTIVE" and "Backfilling" not in index
    items = table.query(IndexName="by_g", KeyConditions={
        "g": {"AttributeValueList": ["group1"], "ComparisonOperator": "EQ"}})["Items"]
    assert sorted(item["p"] for item in items) == ["one", "two"]
    assert {"p": "one", "g": "group1", "data": "hello"} in items


# Indexes can be added one after another, each with its own attribute definitions.
# Source: conformance tier2/updateTable/gsi "adds multiple GSIs sequentially".
def test_update_table_adds_gsis_one_after_another(client, fresh):
    client.update_table(TableName=fresh, AttributeDefinitions=[DEF_G],
                        GlobalSecondaryIndexUpdates=[create_action("first", "g")])
    wait_table_idle(client, fresh)
    client.update_table(TableName=fresh, AttributeDefinitions=[DEF_H], GlobalSecondaryIndexUpdates=[
        create_action("second", "h", {"ProjectionType": "KEYS_ONLY"})])
    described = wait_table_idle(client, fresh)
    assert sorted(index["IndexName"] for index in described["GlobalSecondaryIndexes"]) == ["first", "second"]
    assert DEF_H in described["AttributeDefinitions"]


# ---------------------------------------------------------------- deleting an index

# A deleted GSI is shown DELETING in the response, then disappears; the table keeps
# working. Sources: conformance tier2/updateTable/gsi "removes a GSI from a table", "base
# table operations still work after removing a GSI"; ack-quirks DDB-TABLE-148, -165.
def test_update_table_deletes_gsi(client, dynamodb):
    name = make_table(client, "g")
    try:
        response = client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
            {"Delete": {"IndexName": "existing"}}])["TableDescription"]
        (index,) = response["GlobalSecondaryIndexes"]
        assert (index["IndexName"], index["IndexStatus"]) == ("existing", "DELETING")
        described = wait_table_idle(client, name)
        assert described.get("GlobalSecondaryIndexes", []) == []
        table = dynamodb.Table(name)
        table.put_item(Item={"p": "after", "g": 5})  # g is no longer an index key: any type
        assert table.get_item(Key={"p": "after"})["Item"]["g"] == 5
    finally:
        drop(client, name)


# ---------------------------------------------------------------- refused index changes

# An index name already in use, a missing index, and an LSI named in a GSI change.
# Sources: conformance tier2/updateTable/gsi (duplicate name is a ValidationException,
# removing a missing GSI a ResourceNotFoundException); ack-quirks DDB-TABLE-375 ("Requested
# resource not found: Index gsi1 for table <name>") and DDB-TABLE-442 ("Attempting to
# create an index which already exists").
def test_update_table_gsi_name_in_use(client, with_gsi):
    with assert_error("ValidationException", "Attempting to create an index which already exists"):
        client.update_table(TableName=with_gsi, AttributeDefinitions=[DEF_G],
                            GlobalSecondaryIndexUpdates=[create_action("existing", "g")])


@pytest.mark.parametrize("action", ["Delete", "Update"])
def test_update_table_missing_gsi(client, without_gsi, action):
    body = {"IndexName": "doesNotExist"}
    if action == "Update":
        body["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    with assert_error("ResourceNotFoundException",
                      f"Requested resource not found: Index doesNotExist for table {without_gsi}"):
        client.update_table(TableName=without_gsi, GlobalSecondaryIndexUpdates=[{action: body}])


# GlobalSecondaryIndexUpdates entries: exactly one action each, one entry per index, no
# empty list next to another change. Sources: ack-quirks DDB-TABLE-160, -359; dynalite
# validations/updateTable.js.
@pytest.mark.parametrize("updates, extra, message", [
    ([{"Delete": {"IndexName": "existing"}}, {"Delete": {"IndexName": "existing"}}], {},
     INVALID + "Only one global secondary index update per index is allowed simultaneously. Index: existing"),
    ([{"Delete": {"IndexName": "existing"}, "Update": {"IndexName": "existing"}}], {},
     INVALID + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"),
    ([{}], {}, INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
     "GlobalSecondaryIndexUpdate.Delete must not be null"),
    ([], {"DeletionProtectionEnabled": False}, INVALID + "List of GlobalSecondaryIndexUpdates is empty"),
])
def test_update_table_gsi_update_entries(client, with_gsi, updates, extra, message):
    with assert_error("ValidationException", message):
        client.update_table(TableName=with_gsi, GlobalSecondaryIndexUpdates=updates, **extra)


# An empty list alone is no change at all. Source: ack-quirks DDB-TABLE-359.
def test_update_table_empty_gsi_updates_alone(client, with_gsi):
    with assert_error("ValidationException") as info:
        client.update_table(TableName=with_gsi, GlobalSecondaryIndexUpdates=[])
    assert info.value.response["Error"]["Message"].startswith("At least one of ProvisionedThroughput, BillingMode, ")


# A new index needs AttributeDefinitions naming its key attributes. Sources: ack-quirks
# DDB-TABLE-162 and -442 ("AttributeDefinitions is not specified for index: gsi3"),
# conformance tier2/updateTable/gsi ("rejects adding a GSI with an attribute not in
# AttributeDefinitions" is a ValidationException); the undefined-key text is CreateTable's
# (dynalite), which UpdateTable shares.
def test_update_table_gsi_needs_attribute_definitions(client, without_gsi):
    with assert_error("ValidationException", INVALID + "AttributeDefinitions is not specified for index: by_g"):
        client.update_table(TableName=without_gsi, GlobalSecondaryIndexUpdates=[create_action("by_g", "g")])


# Key schema and projection rules are CreateTable's. Sources: dynalite createTable.js
# messages; ack-quirks DDB-TABLE-442.
@pytest.mark.parametrize("body, message", [
    ({"KeySchema": [{"AttributeName": "g", "KeyType": "RANGE"}]},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ({"Projection": {"ProjectionType": "ALL", "NonKeyAttributes": ["x"]}},
     INVALID + "ProjectionType is ALL, but NonKeyAttributes is specified"),
    ({"Projection": {}}, INVALID + "Unknown ProjectionType: null"),
])
def test_update_table_gsi_create_rules(client, without_gsi, body, message):
    action = create_action("by_g", "g")
    action["Create"].update(body)
    with assert_error("ValidationException", message):
        client.update_table(TableName=without_gsi, AttributeDefinitions=[DEF_G], GlobalSecondaryIndexUpdates=[action])


# One index is created or deleted per call (LimitExceededException, not a validation
# error). Source: ack-quirks DDB-TABLE-159 (exact text); npdynamodb issue 29 quotes it too.
def test_update_table_one_index_change_per_call(client, with_gsi):
    with assert_error("LimitExceededException", ONE_AT_A_TIME):
        client.update_table(TableName=with_gsi, AttributeDefinitions=[DEF_H], GlobalSecondaryIndexUpdates=[
            create_action("by_h", "h"), {"Delete": {"IndexName": "existing"}}])
    assert list(gsis(client, with_gsi)) == ["existing"]


# Creating or deleting an index cannot share the call with a table throughput change or
# a stream change; deletion protection must be alone. Source: ack-quirks DDB-TABLE-174.
@pytest.mark.parametrize("extra, message", [
    ({"ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}},
     INVALID + "You cannot create or delete index while updating table IOPS"),
    ({"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}},
     INVALID + "You cannot create or delete index while changing stream status"),
    ({"DeletionProtectionEnabled": True}, INVALID + "DeletionProtection modification must be the only operation in "
     "the request"),
])
def test_update_table_index_change_must_stand_alone(client, extra, message):
    name = make_table(client, "g", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                      gsi_extra={"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}})
    try:
        with assert_error("ValidationException", message):
            client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "existing"}}],
                                **extra)
        assert list(gsis(client, name)) == ["existing"]
    finally:
        drop(client, name)


# ---------------------------------------------------------------- GSI throughput

# On a PROVISIONED table a GSI's throughput changes by an Update action: the response
# shows the table still ACTIVE and the index UPDATING with its OLD throughput;
# DescribeTable then shows the new one.
# Re-sending the current values is refused, naming the index. A new index on such a table
# needs its own throughput. Sources: ack-quirks DDB-TABLE-165 and -148 (response), -164 ("will not
# change" text); ack-quirks DDB-TABLE-442 ("ProvisionedThroughput must be specified for
# index").
def test_update_table_gsi_throughput(client):
    name = make_table(client, "g", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                      gsi_extra={"ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}})
    try:
        with assert_error("ValidationException",
                          "The provisioned throughput for the index existing will not change. The requested value "
                          "equals the current value. Current ReadCapacityUnits provisioned for index existing: 2. "
                          "Requested ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for index existing: "
                          "2. Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer Guide for "
                          "current limits and how to request higher limits."):
            client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Update": {
                "IndexName": "existing", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}}}])
        response = client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Update": {
            "IndexName": "existing", "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 2}}}])
        assert response["TableDescription"]["TableStatus"] == "ACTIVE"
        (index,) = response["TableDescription"]["GlobalSecondaryIndexes"]
        assert index["IndexStatus"] == "UPDATING"
        assert index["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
        index = wait_table_idle(client, name)["GlobalSecondaryIndexes"][0]
        assert (index["ProvisionedThroughput"]["ReadCapacityUnits"], index["ProvisionedThroughput"]["WriteCapacityUnits"]) == (3, 2)
        assert "LastIncreaseDateTime" in index["ProvisionedThroughput"]
        with assert_error("ValidationException", INVALID + "ProvisionedThroughput must be specified for index: by_h"):
            client.update_table(TableName=name, AttributeDefinitions=[DEF_H],
                                GlobalSecondaryIndexUpdates=[create_action("by_h", "h")])
    finally:
        drop(client, name)


# On an on-demand table a GSI takes no throughput. Source: ack-quirks DDB-TABLE-442
# ("The only Updates for index: <IDX> when TableThroughputMode is PAY_PER_REQUEST can be
# to OnDemandThroughput, WarmThroughput"; the Create text is CreateTable's).
def test_update_table_on_demand_gsi_takes_no_throughput(client, with_gsi):
    with assert_error("ValidationException", INVALID + "The only Updates for index: existing when TableThroughputMode "
                      "is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput"):
        client.update_table(TableName=with_gsi, GlobalSecondaryIndexUpdates=[{"Update": {
            "IndexName": "existing", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}])
    with assert_error("ValidationException", INVALID + "ProvisionedThroughput should not be specified for index: by_h "
                      "when BillingMode is PAY_PER_REQUEST"):
        client.update_table(TableName=with_gsi, AttributeDefinitions=[DEF_H], GlobalSecondaryIndexUpdates=[
            create_action("by_h", "h", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})])


# Switching an on-demand table with GSIs to PROVISIONED needs every GSI's throughput in
# the same call. Sources: dynalite test/updateTable.js ("ProvisionedThroughput must be
# specified for index: index3,index4"); real responses quoted by the ACK controller's
# tests (2026-08); ack-quirks DDB-TABLE-165 (the new values show at once).
def test_update_table_to_provisioned_needs_gsi_throughput(client):
    name = make_table(client, "g")
    try:
        with assert_error("ValidationException", INVALID + "ProvisionedThroughput must be specified for index: existing"):
            client.update_table(TableName=name, BillingMode="PROVISIONED",
                                ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        client.update_table(TableName=name, BillingMode="PROVISIONED",
                            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                            GlobalSecondaryIndexUpdates=[{"Update": {"IndexName": "existing", "ProvisionedThroughput": {
                                "ReadCapacityUnits": 4, "WriteCapacityUnits": 5}}}])
        index = wait_table_idle(client, name)["GlobalSecondaryIndexes"][0]
        assert (index["ProvisionedThroughput"]["ReadCapacityUnits"], index["ProvisionedThroughput"]["WriteCapacityUnits"]) == (4, 5)
    finally:
        drop(client, name)


# A key attribute of the new index must be defined in the request or already be a key
# attribute of the table. Source: CreateTable's rule and text (dynalite), which
# UpdateTable applies to the definitions it was sent (ack-quirks DDB-TABLE-162).
def test_update_table_gsi_undefined_key(client, without_gsi):
    with assert_error("ValidationException", INVALID + "Some index key attributes are not defined in "
                      "AttributeDefinitions. Keys: [g], AttributeDefinitions: [h]"):
        client.update_table(TableName=without_gsi, AttributeDefinitions=[DEF_H],
                            GlobalSecondaryIndexUpdates=[create_action("by_g", "g")])


# Writes are checked against the GSI key types of the table (here a GSI created with the
# table). Source: dynalite putItem.js ("Type mismatch for Index Key ...").
def test_update_table_gsi_checks_later_writes(dynamodb, with_gsi):
    table = dynamodb.Table(with_gsi)
    key = random_string()
    with assert_error("ValidationException", INVALID + "Type mismatch for Index Key g Expected: S Actual: N "
                      "IndexName: existing"):
        table.put_item(Item={"p": key, "g": 1})
