# UpdateTimeToLive and DescribeTimeToLive through boto3 (issue 7): the specification
# round trip, DynamoDB's refusals and their messages. Expiry itself is not tested here:
# DynamoDB deletes expired items "typically within a few days", so only the emulator's
# sweeper can be tested, in tests/streams/test_ttl.py.
#
# UpdateTimeToLive has a cooldown of about half an hour after each accepted change, so
# every table here gets at most one accepted change.
#
# Sources named below:
#   api-ref     - API reference, UpdateTimeToLive / DescribeTimeToLive.
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   conformance - the public DynamoDB conformance suite, tier2/ttl.

import pytest

from util import assert_error, new_table, random_string

KEYS_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEFS_P = [{"AttributeName": "p", "AttributeType": "S"}]
COOLDOWN = "Time to live has been modified multiple times within a fixed interval"


@pytest.fixture(scope="module")
def ttl_table(dynamodb):
    """A table whose TTL was enabled on attribute "expires" once, at the start."""
    with new_table(dynamodb, KeySchema=KEYS_P, AttributeDefinitions=DEFS_P) as table:
        response = table.meta.client.update_time_to_live(
            TableName=table.name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
        yield table, response


# A table never given TTL describes as DISABLED, with no AttributeName (conformance tier2/ttl
# "returns DISABLED"; ack-quirks DDB-TABLE-144).
def test_describe_time_to_live_of_fresh_table(client, table_s):
    response = client.describe_time_to_live(TableName=table_s.name)
    assert response["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}


# UpdateTimeToLive echoes the specification (not a description), and DescribeTimeToLive then
# shows ENABLED with the attribute; no ENABLING state was ever observed (ack-quirks
# DDB-TABLE-144/145; conformance tier2/ttl "enables TTL on a table").
def test_enable_time_to_live(client, ttl_table):
    table, response = ttl_table
    assert response["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert "TimeToLiveDescription" not in response
    described = client.describe_time_to_live(TableName=table.name)["TimeToLiveDescription"]
    assert described == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


# Enabling again is refused whatever the attribute; disabling with another attribute is
# refused too. These content checks come before the cooldown (ack-quirks
# DDB-TABLE-143/146/147).
def test_enable_when_enabled_is_refused(client, ttl_table):
    name = ttl_table[0].name
    with assert_error("ValidationException", "TimeToLive is already enabled"):
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    with assert_error("ValidationException",
                      "TimeToLive is active on a different AttributeName: current AttributeName is expires"):
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "other"})
    with assert_error("ValidationException",
                      "TimeToLive is active on a different AttributeName: current AttributeName is expires"):
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "other"})


# A valid change right after an accepted one is refused by the cooldown (~31 minutes
# observed, "up to one hour" per api-ref), and the setting stays as it was (ack-quirks
# DDB-TABLE-143).
def test_second_change_within_cooldown_is_refused(client, ttl_table):
    name = ttl_table[0].name
    with assert_error("ValidationException", COOLDOWN):
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    described = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert described == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


# Disabling TTL that was never enabled: "TimeToLive is already disabled" (ack-quirks
# DDB-TABLE-146).
def test_disable_when_disabled_is_refused(client, table_s):
    with assert_error("ValidationException", "TimeToLive is already disabled"):
        client.update_time_to_live(TableName=table_s.name,
                                   TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})


# TTL may be enabled on a key attribute, and the table's ARN may stand for its name
# (ack-quirks DDB-TABLE-146; api-ref: "You can also provide the Amazon Resource Name (ARN)
# of the table in this parameter").
def test_enable_on_key_attribute_by_table_arn(dynamodb, client):
    with new_table(dynamodb, KeySchema=KEYS_P, AttributeDefinitions=DEFS_P) as table:
        arn = client.describe_table(TableName=table.name)["Table"]["TableArn"]
        client.update_time_to_live(TableName=arn, TimeToLiveSpecification={"Enabled": True, "AttributeName": "p"})
        described = client.describe_time_to_live(TableName=arn)["TimeToLiveDescription"]
        assert described == {"TimeToLiveStatus": "ENABLED", "AttributeName": "p"}


# A missing table is ResourceNotFoundException naming it, for both operations (ack-quirks
# DDB-TABLE-097/-115; conformance tier2/ttl "non-existent table").
def test_missing_table(client):
    name = f"compat_missing_{random_string()}"
    message = f"Requested resource not found: Table: {name} not found"
    with assert_error("ResourceNotFoundException", message):
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
    with assert_error("ResourceNotFoundException", message):
        client.describe_time_to_live(TableName=name)


# The specification's members are required and AttributeName is 1..255 characters; these
# shape errors come before the table is looked up (ack-quirks DDB-TABLE-146; conformance
# tier2/ttl "rejects empty attribute name").
def test_specification_shape_errors(unchecked_client):
    name = f"compat_missing_{random_string()}"
    prefix = "1 validation error detected: Value "
    with assert_error("ValidationException", prefix + "null at 'timeToLiveSpecification.attributeName' failed to "
                      "satisfy constraint: Member must not be null"):
        unchecked_client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True})
    with assert_error("ValidationException", prefix + "null at 'timeToLiveSpecification.enabled' failed to "
                      "satisfy constraint: Member must not be null"):
        unchecked_client.update_time_to_live(TableName=name, TimeToLiveSpecification={"AttributeName": "ttl"})
    with assert_error("ValidationException", prefix + "'' at 'timeToLiveSpecification.attributeName' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 1"):
        unchecked_client.update_time_to_live(TableName=name,
                                             TimeToLiveSpecification={"Enabled": True, "AttributeName": ""})
    long_name = "a" * 256
    with assert_error("ValidationException", prefix + f"'{long_name}' at 'timeToLiveSpecification.attributeName' "
                      "failed to satisfy constraint: Member must have length less than or equal to 255"):
        unchecked_client.update_time_to_live(TableName=name,
                                             TimeToLiveSpecification={"Enabled": True, "AttributeName": long_name})
    with assert_error("ValidationException", prefix + "null at 'timeToLiveSpecification' failed to "
                      "satisfy constraint: Member must not be null"):
        unchecked_client.update_time_to_live(TableName=name)
