# CreateTable: the created table's description, and DynamoDB's answer to each kind of
# mistake in a CreateTable request (issue 2).
#
# Sources named below:
#   conformance  - the public DynamoDB conformance suite (tier1/createTable,
#                  tier3/error-messages/createTable, tier3/validation-ordering/createTable),
#                  run against real DynamoDB.
#   ack-quirks   - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   dynalite     - architect/dynalite test/createTable.js, recorded from DynamoDB.
#   scylla       - scylladb test/alternator (test_table.py, test_describe_table.py, ...),
#                  run against DynamoDB.

import re

import pytest

from util import assert_error, assert_validation_errors, new_table, unique_table_name

HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = [{"AttributeName": "p", "AttributeType": "S"}]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INVALID = "One or more parameter values were invalid: "


def create(client, **kwargs):
    """CreateTable with a unique name and an on-demand hash key unless overridden."""
    kwargs.setdefault("TableName", unique_table_name())
    kwargs.setdefault("KeySchema", HASH_P)
    kwargs.setdefault("AttributeDefinitions", DEF_P)
    if "ProvisionedThroughput" not in kwargs:
        kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    return client.create_table(**kwargs)


def wait_active(client, name):
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})


def drop(client, name):
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})


def assert_not_created(client, name):
    with assert_error("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found"):
        client.describe_table(TableName=name)


# ---------------------------------------------------------------- the new table

# CreateTable answers at once with the table CREATING: name, key schema, attribute
# definitions as sent (order kept), ARN arn:aws:dynamodb:<region>:<account>:table/<name>,
# a UUID TableId, 0 items and bytes, and for PROVISIONED the throughput with
# NumberOfDecreasesToday 0 and no BillingModeSummary. The table_exists waiter then sees it
# ACTIVE. Sources: dynalite "should succeed for basic"; ack-quirks DDB-TABLE-387, -042
# (definitions order kept), -028 (no BillingModeSummary when created PROVISIONED).
def test_create_table_provisioned_description(client):
    name = unique_table_name()
    definitions = [{"AttributeName": "s", "AttributeType": "N"}, {"AttributeName": "p", "AttributeType": "S"}]
    response = client.create_table(
        TableName=name, AttributeDefinitions=definitions,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
    )["TableDescription"]
    try:
        assert response["TableStatus"] == "CREATING"
        assert response["TableName"] == name
        assert response["AttributeDefinitions"] == definitions
        assert response["KeySchema"] == [{"AttributeName": "p", "KeyType": "HASH"},
                                         {"AttributeName": "s", "KeyType": "RANGE"}]
        region = client.meta.region_name
        assert re.fullmatch(rf"arn:aws:dynamodb:{region}:\d{{12}}:table/{name}", response["TableArn"])
        assert UUID.fullmatch(response["TableId"])
        assert response["ItemCount"] == 0 and response["TableSizeBytes"] == 0
        throughput = response["ProvisionedThroughput"]
        assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (5, 3)
        assert throughput["NumberOfDecreasesToday"] == 0
        assert "BillingModeSummary" not in response
        wait_active(client, name)
        table = client.describe_table(TableName=name)["Table"]
        assert table["TableStatus"] == "ACTIVE"
        assert table["TableId"] == response["TableId"] and table["TableArn"] == response["TableArn"]
        assert table["CreationDateTime"] == response["CreationDateTime"]
        assert "BillingModeSummary" not in table
    finally:
        drop(client, name)


# An on-demand table: the CreateTable response has BillingModeSummary with only the mode
# and throughput 0/0; once ACTIVE, LastUpdateToPayPerRequestDateTime equals the creation
# time. An empty Tags list is accepted. Sources: dynalite "should succeed for basic
# PAY_PER_REQUEST"; scylla test_describe_table_billing; ack-quirks DDB-TABLE-033, -110.
def test_create_table_pay_per_request_summary(client):
    name = unique_table_name()
    response = create(client, TableName=name, Tags=[])["TableDescription"]
    try:
        assert response["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
        throughput = response["ProvisionedThroughput"]
        assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (0, 0)
        wait_active(client, name)
        table = client.describe_table(TableName=name)["Table"]
        summary = table["BillingModeSummary"]
        assert summary["BillingMode"] == "PAY_PER_REQUEST"
        assert summary["LastUpdateToPayPerRequestDateTime"] == table["CreationDateTime"]
    finally:
        drop(client, name)


# Names are 3-255 characters of letters, digits, '_', '-' and '.', and may start with
# '.'; names are case-sensitive. Sources: AWS naming rules
# (docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html);
# scylla test_create_and_delete_table_non_scylla_name.
def test_create_table_accepts_longest_name_with_every_allowed_character(client):
    name = ("._-" + unique_table_name()).ljust(255, "Z")
    create(client, TableName=name)
    try:
        wait_active(client, name)
        assert client.describe_table(TableName=name)["Table"]["TableName"] == name
    finally:
        drop(client, name)


# Every optional feature is echoed: StreamSpecification as sent, SSEDescription ENABLED with
# a KMS key ARN for SSESpecification Enabled, TableClassSummary with only the class when it
# was set at creation, DeletionProtectionEnabled. Sources: scylla test_tableclass.py
# (test_tableclass_create_table_sia); ack-quirks DDB-TABLE-044 (SSE), -017 (deletion
# protection always present); AWS CreateTable reference.
def test_create_table_echoes_stream_sse_class_and_protection(client):
    name = unique_table_name()
    create(client, TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
           SSESpecification={"Enabled": True}, TableClass="STANDARD_INFREQUENT_ACCESS",
           DeletionProtectionEnabled=True)
    try:
        wait_active(client, name)
        table = client.describe_table(TableName=name)["Table"]
        assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        assert table["SSEDescription"]["Status"] == "ENABLED"
        assert table["SSEDescription"]["SSEType"] == "KMS"
        assert table["SSEDescription"]["KMSMasterKeyArn"].startswith("arn:aws:kms:")
        assert table["TableClassSummary"] == {"TableClass": "STANDARD_INFREQUENT_ACCESS"}
        assert table["DeletionProtectionEnabled"] is True
    finally:
        client.update_table(TableName=name, DeletionProtectionEnabled=False)
        drop(client, name)


# A disabled stream and disabled encryption are accepted and leave no StreamSpecification
# and no SSEDescription; DeletionProtectionEnabled defaults to false. Sources: scylla
# test_table_streams_off, test_table_sse_off, test_describe_table_encryption.
def test_create_table_stream_and_sse_off(client):
    name = unique_table_name()
    create(client, TableName=name, StreamSpecification={"StreamEnabled": False},
           SSESpecification={"Enabled": False})
    try:
        wait_active(client, name)
        table = client.describe_table(TableName=name)["Table"]
        assert "StreamSpecification" not in table
        assert "SSEDescription" not in table
        assert table["DeletionProtectionEnabled"] is False
    finally:
        drop(client, name)


# OnDemandThroughput sets an on-demand table's maxima: each given member shows in the
# description, an absent member is no maximum (and an empty struct sets none). At
# CreateTable a maximum must be at least 1 (-1, which UpdateTable takes to remove one, is
# refused too), and a provisioned table takes none; the first member present is named,
# read first. Sources: conformance tier1/createTable config ("OnDemandThroughput
# round-trips"); ack-quirks DDB-TABLE-039 (0, -1, -2, one member, empty struct) and
# DDB-TABLE-024/038 (the provisioned message, with its full stop).
def test_create_table_on_demand_maxima(client):
    name = unique_table_name()
    create(client, TableName=name, OnDemandThroughput={"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5})
    try:
        wait_active(client, name)
        table = client.describe_table(TableName=name)["Table"]
        assert table["OnDemandThroughput"] == {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}
    finally:
        drop(client, name)
    for given, shown in (({"MaxReadRequestUnits": 100}, {"MaxReadRequestUnits": 100}), ({}, None)):
        name = unique_table_name()
        create(client, TableName=name, OnDemandThroughput=given)
        try:
            wait_active(client, name)
            assert client.describe_table(TableName=name)["Table"].get("OnDemandThroughput") == shown
        finally:
            drop(client, name)


@pytest.mark.parametrize("given, member", [
    ({"MaxReadRequestUnits": 0, "MaxWriteRequestUnits": 0}, "MaxReadRequestUnits"),
    ({"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1}, "MaxReadRequestUnits"),
    ({"MaxReadRequestUnits": -2}, "MaxReadRequestUnits"),
    ({"MaxReadRequestUnits": 5, "MaxWriteRequestUnits": 0}, "MaxWriteRequestUnits"),
])
def test_create_table_refuses_on_demand_maxima_below_one(client, given, member):
    with assert_error("ValidationException",
                      INVALID + f"Requested {member} for OnDemandThroughput for table is outside of valid range"):
        create(client, TableName=unique_table_name(), OnDemandThroughput=given)


def test_create_table_refuses_on_demand_maxima_for_provisioned_tables(client):
    with assert_error("ValidationException", INVALID + "MaxReadRequestUnits for OnDemandThroughput cannot be "
                                                       "specified when table BillingMode is PROVISIONED."):
        client.create_table(TableName=unique_table_name(), KeySchema=HASH_P, AttributeDefinitions=DEF_P,
                            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                            OnDemandThroughput={"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 10})


# ---------------------------------------------------------------- the table name

# Sources: conformance tier3/error-messages/createTable (exact 'ab' text and the
# missing-name text); ack-quirks DDB-TABLE-457 (DescribeTable '' lists length and pattern).
def test_create_table_rejects_short_name(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'ab' at 'tableName' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 3"):
        create(client, TableName="ab")


def test_create_table_rejects_long_name(client):
    name = "a" * 256
    with assert_error("ValidationException", f"1 validation error detected: Value '{name}' at 'tableName' failed "
                      "to satisfy constraint: Member must have length less than or equal to 255"):
        create(client, TableName=name)


def test_create_table_rejects_name_with_invalid_character(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'invalid;name' at 'tableName' "
                      "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                      "[a-zA-Z0-9_.-]+"):
        create(client, TableName="invalid;name")


def test_create_table_rejects_empty_name(unchecked_client):
    with assert_validation_errors(
        "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        "Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+",
    ):
        create(unchecked_client, TableName="")


# A malformed name is reported alone, even when other members are wrong too. Source:
# conformance tier3/validation-ordering/createTable ("empty TableName reports only
# tableName constraint", "invalid table name pattern reports only tableName" - the same
# requests).
def test_create_table_reports_name_errors_alone(unchecked_client):
    with assert_validation_errors(
        "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        "Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+",
    ):
        unchecked_client.create_table(TableName="", KeySchema=[], AttributeDefinitions=[])
    with assert_validation_errors(
        "Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        "Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+",
    ):
        unchecked_client.create_table(TableName="x!", KeySchema=[], AttributeDefinitions=DEF_P)


def test_create_table_requires_name(unchecked_client):
    with assert_error("ValidationException",
                      "The parameter 'TableName' is required but was not present in the request"):
        unchecked_client.create_table(KeySchema=HASH_P, AttributeDefinitions=DEF_P, BillingMode="PAY_PER_REQUEST")


# A name in use: ResourceInUseException "Table already exists: <name>", whatever the other
# parameters. Sources: scylla test_create_table_already_exists; ack-quirks DDB-TABLE-005/-010.
def test_create_table_rejects_existing_name(client, table_s):
    with assert_error("ResourceInUseException", f"Table already exists: {table_s.name}"):
        create(client, TableName=table_s.name, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})


# Request validation comes before the existence check: an invalid key schema for an
# existing name is a ValidationException, not ResourceInUse (ack-quirks DDB-TABLE-005).
def test_create_table_validates_before_checking_existence(client, table_s):
    with assert_error("ValidationException", "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"):
        create(client, TableName=table_s.name, KeySchema=[{"AttributeName": "p", "KeyType": "RANGE"}])


# ---------------------------------------------------------------- key schema and definitions

def _pk_sk_definitions(sk_type="S"):
    return [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": sk_type}]


# The same attribute twice in KeySchema with one definition (conformance
# tier3/error-messages/createTable); more key elements than definitions, including no
# definitions at all (ack-quirks DDB-TABLE-042; dynalite).
@pytest.mark.parametrize("key_schema, definitions", [
    ([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "pk", "KeyType": "RANGE"}],
     [{"AttributeName": "pk", "AttributeType": "S"}]),
    ([{"AttributeName": "pk", "KeyType": "HASH"}], []),
])
def test_create_table_rejects_keys_without_definition(client, key_schema, definitions):
    with assert_error("ValidationException", "Invalid KeySchema: Some index key attribute have no definition"):
        create(client, KeySchema=key_schema, AttributeDefinitions=definitions)


# A key not among the definitions; names are compared exactly (PK is not pk). Source:
# ack-quirks DDB-TABLE-042; dynalite "missing key attr definition".
@pytest.mark.parametrize("key, defined", [("pk", "other"), ("PK", "pk")])
def test_create_table_rejects_undefined_key(client, key, defined):
    with assert_error("ValidationException", INVALID + "Some index key attributes are not defined in "
                      f"AttributeDefinitions. Keys: [{key}], AttributeDefinitions: [{defined}]"):
        create(client, KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
               AttributeDefinitions=[{"AttributeName": defined, "AttributeType": "S"}])


# Source: dynalite "hash key and range key having same name".
def test_create_table_rejects_hash_and_range_with_same_name(client):
    with assert_error("ValidationException",
                      "Both the Hash Key and the Range Key element in the KeySchema have the same name"):
        create(client, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "pk", "KeyType": "HASH"}],
               AttributeDefinitions=_pk_sk_definitions())


# KeySchema is ordered: HASH first, then RANGE. Source: ack-quirks DDB-TABLE-042; dynalite.
@pytest.mark.parametrize("key_types, message", [
    (("RANGE", "HASH"), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (("RANGE", "RANGE"), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (("HASH", "HASH"), "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    (("RANGE",), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
])
def test_create_table_rejects_misordered_key_types(client, key_types, message):
    schema = [{"AttributeName": name, "KeyType": kind} for name, kind in zip(("pk", "sk"), key_types)]
    definitions = _pk_sk_definitions()[: len(schema)]
    with assert_error("ValidationException", message):
        create(client, KeySchema=schema, AttributeDefinitions=definitions)


# Three key elements: the shape error prints the list, which DynamoDB renders either as
# KeySchemaElement(attributeName=.., keyType=..) or as Java object names (both seen on AWS:
# conformance tier3/error-messages/createTable, ack-quirks DDB-TABLE-042).
def test_create_table_rejects_three_key_elements(client):
    element = (r"(?:KeySchemaElement\(attributeName=\w+, keyType=(?:HASH|RANGE)\)"
               r"|com\.amazonaws\.dynamodb\.v\d+\.KeySchemaElement@[0-9a-f]+)")
    with assert_error("ValidationException") as info:
        create(client, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"},
                                  {"AttributeName": "x", "KeyType": "RANGE"}],
               AttributeDefinitions=_pk_sk_definitions() + [{"AttributeName": "x", "AttributeType": "S"}])
    assert re.fullmatch(rf"1 validation error detected: Value '\[{element}(, {element}){{2}}\]' at 'keySchema' "
                        r"failed to satisfy constraint: Member must have length less than or equal to 2",
                        info.value.response["Error"]["Message"])


# Enum and null constraints of key elements and definitions. Sources: conformance
# tier3/error-messages/createTable (keyType, attributeType); ack-quirks DDB-TABLE-042 and
# -457 (empty/missing lists and members, attributeType reported before attributeName);
# dynalite ('SS' is not a key type).
def test_create_table_rejects_unknown_key_type(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'INVALID' at "
                      "'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: "
                      "[HASH, RANGE]"):
        create(client, KeySchema=[{"AttributeName": "p", "KeyType": "INVALID"}])


@pytest.mark.parametrize("kind", ["INVALID", "SS", "BOOL"])
def test_create_table_rejects_unknown_attribute_type(client, kind):
    with assert_error("ValidationException", f"1 validation error detected: Value '{kind}' at "
                      "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must "
                      "satisfy enum value set: [B, N, S]"):
        create(client, AttributeDefinitions=[{"AttributeName": "p", "AttributeType": kind}])


def test_create_table_rejects_empty_key_schema(unchecked_client):
    with assert_error("ValidationException", "1 validation error detected: Value '[]' at 'keySchema' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 1"):
        create(unchecked_client, KeySchema=[])


def test_create_table_requires_key_schema_and_definitions(unchecked_client):
    with assert_validation_errors(
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
        "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
    ):
        unchecked_client.create_table(TableName=unique_table_name(), BillingMode="PAY_PER_REQUEST")


def test_create_table_rejects_empty_elements(unchecked_client):
    with assert_validation_errors(
        "Value null at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must not be null",
        "Value null at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must not be null",
        "Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must not "
        "be null",
        "Value null at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must not "
        "be null",
    ):
        create(unchecked_client, KeySchema=[{}], AttributeDefinitions=[{}])


# Every definition must be a key: an unused one is refused, as is the same attribute
# defined twice (with the same or another type). Sources: conformance tier1/createTable
# ("rejects unused AttributeDefinitions"); ack-quirks DDB-TABLE-042 (exact texts);
# scylla test_create_table_duplicate_attribute_name.
def test_create_table_rejects_unused_definition(client):
    with assert_error("ValidationException", INVALID + "Number of attributes in KeySchema does not exactly match "
                      "number of attributes defined in AttributeDefinitions"):
        create(client, AttributeDefinitions=DEF_P + [{"AttributeName": "extra", "AttributeType": "N"}])


@pytest.mark.parametrize("second_type", ["S", "N"])
def test_create_table_rejects_duplicate_definition(client, second_type):
    with assert_error("ValidationException", "Attribute Name is duplicated: p"):
        create(client, AttributeDefinitions=DEF_P + [{"AttributeName": "p", "AttributeType": second_type}])


# ---------------------------------------------------------------- billing and throughput

# Without BillingMode a table is PROVISIONED and needs both capacities; on demand it must
# have none. Sources: ack-quirks DDB-TABLE-024/-038 (exact texts); scylla
# test_create_table_billing_mode_errors; dynalite.
@pytest.mark.parametrize("billing", [{}, {"BillingMode": "PROVISIONED"}])
def test_create_table_provisioned_requires_throughput(client, billing):
    with assert_error("ValidationException", INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be "
                      "specified when BillingMode is PROVISIONED"):
        client.create_table(TableName=unique_table_name(), KeySchema=HASH_P, AttributeDefinitions=DEF_P, **billing)


def test_create_table_pay_per_request_refuses_throughput(client):
    with assert_error("ValidationException", INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                      "specified when BillingMode is PAY_PER_REQUEST"):
        create(client, BillingMode="PAY_PER_REQUEST",
               ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})


# BillingMode is case-sensitive (scylla test_create_table_billing_mode_errors; enum text:
# dynalite, ack-quirks DDB-TABLE-457).
@pytest.mark.parametrize("mode", ["INVALID_MODE", "pay_per_request"])
def test_create_table_rejects_unknown_billing_mode(client, mode):
    with assert_error("ValidationException", f"1 validation error detected: Value '{mode}' at 'billingMode' failed "
                      "to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"):
        create(client, BillingMode=mode)


# Capacities below 1, or missing from ProvisionedThroughput, are shape errors (write is
# listed first on AWS; order not asserted). Source: ack-quirks DDB-TABLE-038.
@pytest.mark.parametrize("capacity", [0, -1])
def test_create_table_rejects_capacity_below_one(unchecked_client, capacity):
    with assert_validation_errors(
        f"Value '{capacity}' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1",
        f"Value '{capacity}' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1",
    ):
        create(unchecked_client, ProvisionedThroughput={"ReadCapacityUnits": capacity, "WriteCapacityUnits": capacity})


def test_create_table_rejects_partial_throughput(unchecked_client):
    with assert_error("ValidationException", "1 validation error detected: Value null at "
                      "'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null"):
        create(unchecked_client, ProvisionedThroughput={"ReadCapacityUnits": 1})


# Above the account's per-table maximum (40000 by default): LimitExceededException.
# Source: DynamoDB's text as quoted in an AWS Auto Scaling notice ("The requested
# WriteCapacityUnits, 45000, is above the per table maximum for the account in eu-west-1.
# Per table maximum: 40000."); ack-quirks DDB-TABLE-171. Depends on the account's quota.
def test_create_table_rejects_capacity_above_table_maximum(client):
    region = client.meta.region_name
    with assert_error("LimitExceededException", f"The requested ReadCapacityUnits, 40001, is above the per table "
                      f"maximum for the account in {region}. Per table maximum: 40000."):
        create(client, ProvisionedThroughput={"ReadCapacityUnits": 40001, "WriteCapacityUnits": 1})


# Shape errors of different members come together, and before semantic rules: a bad
# KeyType with a bad BillingMode lists both; a bad KeyType with a missing
# ProvisionedThroughput reports only the KeyType. Source: conformance
# tier3/validation-ordering/createTable (same requests).
def test_create_table_collects_shape_errors_before_semantic_rules(client):
    key_type_error = ("Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must "
                      "satisfy enum value set: [HASH, RANGE]")
    with assert_validation_errors(
        key_type_error,
        "Value 'INVALID_MODE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: "
        "[PROVISIONED, PAY_PER_REQUEST]",
    ):
        create(client, KeySchema=[{"AttributeName": "p", "KeyType": "INVALID"}], BillingMode="INVALID_MODE")
    with assert_validation_errors(key_type_error):
        create(client, KeySchema=[{"AttributeName": "p", "KeyType": "INVALID"}], BillingMode="PROVISIONED")


# ---------------------------------------------------------------- streams, encryption, class

# Sources: ack-quirks DDB-TABLE-442 (stream and SSE texts), -457 (stream view type enum
# in DynamoDB's order, empty KMSMasterKeyId).
def test_create_table_stream_enabled_requires_view_type(client):
    with assert_error("ValidationException", INVALID + "Table is being created with a stream enabled, "
                      "UpdateViewType is required"):
        create(client, StreamSpecification={"StreamEnabled": True})


def test_create_table_stream_disabled_refuses_view_type(client):
    with assert_error("ValidationException", INVALID + "Table is being created with a stream disabled, "
                      "UpdateViewType should not be specified"):
        create(client, StreamSpecification={"StreamEnabled": False, "StreamViewType": "NEW_IMAGE"})


def test_create_table_rejects_unknown_stream_view_type(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'SOME_IMAGE' at "
                      "'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum "
                      "value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]"):
        create(client, StreamSpecification={"StreamEnabled": True, "StreamViewType": "SOME_IMAGE"})


@pytest.mark.parametrize("sse, message", [
    ({"Enabled": False, "SSEType": "KMS"}, INVALID + "SSEType can not be specified if Enabled is false"),
    ({"Enabled": False, "KMSMasterKeyId": "alias/aws/dynamodb"},
     INVALID + "KMSMasterKeyId can not be specified if Enabled is false"),
    ({"Enabled": True, "SSEType": "AES256"}, INVALID + "SSEType AES256 is not supported"),
    ({"Enabled": True, "KMSMasterKeyId": "alias/aws/dynamodb"},
     INVALID + "SSEType KMS is required if KMSMasterKeyId is specified"),
])
def test_create_table_rejects_inconsistent_sse(client, sse, message):
    with assert_error("ValidationException", message):
        create(client, SSESpecification=sse)


def test_create_table_rejects_empty_kms_key(unchecked_client):
    with assert_error("ValidationException", "1 validation error detected: Value '' at "
                      "'sSESpecification.kMSMasterKeyId' failed to satisfy constraint: Member must have length "
                      "greater than or equal to 1"):
        create(unchecked_client, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": ""})


# TableClass is case-sensitive and refused in DynamoDB's own words. Sources: scylla
# test_tableclass_create_table_bad_tableclass (quotes the text); ack-quirks DDB-TABLE-442.
@pytest.mark.parametrize("table_class", ["standard", "junk"])
def test_create_table_rejects_unknown_table_class(client, table_class):
    with assert_error("ValidationException", "Invalid table-class parameter provided. Please try again with a valid "
                      "table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS]."):
        create(client, TableClass=table_class)


# ---------------------------------------------------------------- tags

# Invalid tags fail the whole CreateTable and create nothing. Source: ack-quirks
# DDB-TABLE-110 (aws: prefix, 51 tags, duplicates), DDB-TABLE-107 (duplicate text).
@pytest.mark.parametrize("tags, message", [
    ([{"Key": "aws:foo", "Value": "x"}], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
    ([{"Key": f"k{i}", "Value": "v"} for i in range(51)],
     "Number of Tags exceed the current limit for the provided ResourceArn"),
    ([{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}],
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"),
    ([{"Key": "bad#char", "Value": "x"}], "The Tag Key provided is invalid, Key: bad#char"),
])
def test_create_table_rejects_invalid_tags(client, tags, message):
    name = unique_table_name()
    with assert_error("ValidationException", message):
        create(client, TableName=name, Tags=tags)
    assert_not_created(client, name)


# ---------------------------------------------------------------- wire types

# A member of the wrong JSON type is a SerializationException. Source: dynalite
# test/createTable.js "serializations" (messages recorded from DynamoDB). (botocore cannot
# send a non-object where a structure belongs; tests/operations covers those.)
@pytest.mark.parametrize("member, value, message", [
    ("BillingMode", 123, "NUMBER_VALUE cannot be converted to String"),
    ("BillingMode", 1.5, "DECIMAL_VALUE cannot be converted to String"),
    ("TableClass", True, "TRUE_VALUE cannot be converted to String"),
    ("DeletionProtectionEnabled", 1, "NUMBER_VALUE cannot be converted to Boolean"),
])
def test_create_table_rejects_wrong_member_types(unchecked_client, member, value, message):
    request = {"TableName": unique_table_name(), "KeySchema": HASH_P, "AttributeDefinitions": DEF_P,
               "BillingMode": "PAY_PER_REQUEST", member: value}
    with assert_error("SerializationException", message):
        unchecked_client.create_table(**request)


# The waiters boto3 users rely on work against a fresh table: table_exists returns once it
# is ACTIVE, table_not_exists once DescribeTable says ResourceNotFound. Source: boto3
# waiter model (DescribeTable polling); scylla create_and_delete_table.
def test_create_table_waiters(dynamodb):
    with new_table(dynamodb, KeySchema=HASH_P, AttributeDefinitions=DEF_P) as table:
        client = dynamodb.meta.client
        client.get_waiter("table_exists").wait(TableName=table.name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        assert client.describe_table(TableName=table.name)["Table"]["TableStatus"] == "ACTIVE"
    client.get_waiter("table_not_exists").wait(TableName=table.name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    assert_not_created(client, table.name)
