# Resource-based policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy and
# CreateTable's ResourcePolicy. On AWS policy reads are eventually consistent and policy
# writes are throttled (about one per slot every 15 s), so reads poll and writes retry;
# against the emulator both answer at once.
#
# Sources named below:
#   moto     - getmoto/moto tests/test_dynamodb/test_dynamodb_resource_policy.py, marked
#              aws_verified (run against AWS).
#   ack      - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   conform  - nubo-db/dynamodb-conformance tier2/resourcePolicy, run against AWS.

import json
import time

import pytest
from botocore.exceptions import ClientError

from util import assert_error, new_table, unique_table_name

NOT_FOUND = "Resource-based policy not found for the provided ResourceArn: "


def policy(arn, action="dynamodb:GetItem"):
    account = arn.split(":")[4]
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": action,
        "Resource": arn}]})


def write(call, **kwargs):
    """A policy write, retried while AWS throttles it or still applies the previous one."""
    for attempt in range(8):
        try:
            return call(**kwargs)
        except ClientError as error:
            code, message = error.response["Error"]["Code"], error.response["Error"]["Message"]
            pending = code == "ResourceInUseException" and "pending previous" in message
            if attempt == 7 or not (code == "ThrottlingException" or pending):
                raise
            time.sleep(4)


def revision_of(client, arn):
    """The current policy's revision, or None; polls until two reads agree (AWS reads are
    eventually consistent)."""
    seen = object()
    for _ in range(30):
        try:
            current = client.get_resource_policy(ResourceArn=arn)["RevisionId"]
        except ClientError as error:
            if error.response["Error"]["Code"] != "PolicyNotFoundException":
                raise
            current = None
        if current == seen:
            return current
        seen = current
        time.sleep(0.5)
    return seen


def settled(client, arn, expected):
    for _ in range(60):
        if revision_of(client, arn) == expected:
            return True
        time.sleep(1)
    return False


@pytest.fixture
def table(dynamodb):
    with new_table(dynamodb, TableName=unique_table_name(),
                   KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}]) as created:
        yield created


# No policy: PolicyNotFoundException naming the ARN. Put answers a revision id (a
# timestamp: a later document has a later one, string order); the same document again
# keeps it; Get returns the document and revision; Delete removes it.
# Sources: moto (messages, revisions), conform (round trip).
def test_put_get_delete(client, table):
    arn = table.table_arn
    with assert_error("PolicyNotFoundException", NOT_FOUND + arn):
        client.get_resource_policy(ResourceArn=arn)
    first = write(client.put_resource_policy, ResourceArn=arn, Policy=policy(arn))["RevisionId"]
    assert settled(client, arn, first)
    got = client.get_resource_policy(ResourceArn=arn)
    assert json.loads(got["Policy"]) == json.loads(policy(arn))
    assert write(client.put_resource_policy, ResourceArn=arn, Policy=policy(arn))["RevisionId"] == first
    second = write(client.put_resource_policy, ResourceArn=arn, Policy=policy(arn, "dynamodb:PutItem"))["RevisionId"]
    assert second > first
    assert settled(client, arn, second)
    write(client.delete_resource_policy, ResourceArn=arn)
    assert settled(client, arn, None)


# ExpectedRevisionId guards a write: NO_POLICY only while none is attached, otherwise the
# current revision. Source: moto (exact messages).
def test_expected_revision(client, table):
    arn, name = table.table_arn, table.name
    first = write(client.put_resource_policy, ResourceArn=arn, Policy=policy(arn),
                  ExpectedRevisionId="NO_POLICY")["RevisionId"]
    assert settled(client, arn, first)
    with assert_error("PolicyNotFoundException", NOT_FOUND + "Requested policy update expecting none to be present "
                      f"for table {name}, but a policy exists with revision id {first}."):
        write(client.put_resource_policy, ResourceArn=arn, Policy=policy(arn, "dynamodb:PutItem"),
              ExpectedRevisionId="NO_POLICY")
    with assert_error("PolicyNotFoundException", NOT_FOUND + "Requested update for policy with revision id unknown, "
                      f"but the policy associated to target table {name} has revision id {first}."):
        write(client.delete_resource_policy, ResourceArn=arn, ExpectedRevisionId="unknown")
    write(client.delete_resource_policy, ResourceArn=arn, ExpectedRevisionId=first)
    assert settled(client, arn, None)


# A table that does not exist: ResourceNotFoundException naming the table; an ARN of a
# backup is not a resource a policy attaches to. Sources: moto; ack (the backup ARN).
def test_unknown_table_and_foreign_arns(client, table):
    arn = table.table_arn
    for call, extra in ((client.get_resource_policy, {}), (client.delete_resource_policy, {}),
                        (client.put_resource_policy, {"Policy": policy(arn)})):
        with assert_error("ResourceNotFoundException", f"Requested resource not found: Table: {table.name}x not found"):
            call(ResourceArn=arn + "x", **extra)
    backup_arn = arn + "/backup/01700000000000-abcdefgh"
    with assert_error("ValidationException", "One or more parameter values were invalid: Provided Arn is not a "
                      f"DynamoDB resource arn: {backup_arn}"):
        client.get_resource_policy(ResourceArn=backup_arn)


# CreateTable's ResourcePolicy is the new table's policy. Source: API_CreateTable.
def test_create_table_with_a_resource_policy(client, table):
    name = unique_table_name()
    arn = table.table_arn.rsplit("/", 1)[0] + "/" + name  # the same account and region
    created = client.create_table(
        TableName=name, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        ResourcePolicy=policy(arn))
    assert created["TableDescription"]["TableArn"] == arn
    try:
        client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        for _ in range(30):
            if revision_of(client, arn) is not None:
                break
            time.sleep(1)
        assert json.loads(client.get_resource_policy(ResourceArn=arn)["Policy"]) == json.loads(policy(arn))
    finally:
        client.delete_table(TableName=name)
