"""Resource-based policies on the engine (facts and sources: emulator/operations/
resource_policies.py's docstring; compat/test_resource_policies.py pins them black-box)."""

from __future__ import annotations

import pytest

from emulator import Database, ManualClock, api
from engine_errors import error_of

POLICY = '{"Version": "2012-10-17", "Statement": []}'
OTHER = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny"}]}'


@pytest.fixture
def clock():
    return ManualClock(1_700_000_000)


@pytest.fixture
def db(clock):
    database = Database(clock=clock)
    api.call(database, "CreateTable", {
        "TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}})
    return database


def call(db, operation, **request):
    return api.call(db, operation, request)


def arn(db):
    return db.tables["tbl"].arn


def test_put_get_delete_round_trip_with_timestamp_revisions(db, clock):
    revision = call(db, "PutResourcePolicy", ResourceArn=arn(db), Policy=POLICY)["RevisionId"]
    assert revision == "1700000000000"
    assert call(db, "GetResourcePolicy", ResourceArn=arn(db)) == {"Policy": POLICY, "RevisionId": revision}
    # the same document again is a no-op; another one is a later revision, even at the same instant
    assert call(db, "PutResourcePolicy", ResourceArn=arn(db), Policy=POLICY)["RevisionId"] == revision
    newer = call(db, "PutResourcePolicy", ResourceArn=arn(db), Policy=OTHER)["RevisionId"]
    assert newer > revision and len(newer) == len(revision)
    assert call(db, "DeleteResourcePolicy", ResourceArn=arn(db)) == {"RevisionId": newer}
    code, message = error_of(db, "GetResourcePolicy", {"ResourceArn": arn(db)})
    assert (code, message) == ("PolicyNotFoundException",
                               f"Resource-based policy not found for the provided ResourceArn: {arn(db)}")
    assert call(db, "DeleteResourcePolicy", ResourceArn=arn(db)) == {}


def test_expected_revision_guards_writes(db):
    assert error_of(db, "PutResourcePolicy", {"ResourceArn": arn(db), "Policy": POLICY,
                                              "ExpectedRevisionId": "123"})[0] == "PolicyNotFoundException"
    first = call(db, "PutResourcePolicy", ResourceArn=arn(db), Policy=POLICY, ExpectedRevisionId="NO_POLICY")
    first = first["RevisionId"]
    code, message = error_of(db, "PutResourcePolicy", {"ResourceArn": arn(db), "Policy": OTHER,
                                                       "ExpectedRevisionId": "NO_POLICY"})
    assert message == ("Resource-based policy not found for the provided ResourceArn: Requested policy update "
                       f"expecting none to be present for table tbl, but a policy exists with revision id {first}.")
    code, message = error_of(db, "DeleteResourcePolicy", {"ResourceArn": arn(db), "ExpectedRevisionId": "unknown"})
    assert (code, message) == ("PolicyNotFoundException",
                               "Resource-based policy not found for the provided ResourceArn: Requested update for "
                               f"policy with revision id unknown, but the policy associated to target table tbl has "
                               f"revision id {first}.")
    second = call(db, "PutResourcePolicy", ResourceArn=arn(db), Policy=OTHER, ExpectedRevisionId=first)["RevisionId"]
    assert call(db, "GetResourcePolicy", ResourceArn=arn(db))["RevisionId"] == second


def test_a_stream_has_its_own_slot_and_policies_go_with_the_table(db):
    stream_arn = api.call(db, "DescribeTable", {"TableName": "tbl"})["Table"]["LatestStreamArn"]
    call(db, "PutResourcePolicy", ResourceArn=stream_arn, Policy=OTHER)
    assert error_of(db, "GetResourcePolicy", {"ResourceArn": arn(db)})[0] == "PolicyNotFoundException"
    assert call(db, "GetResourcePolicy", ResourceArn=stream_arn)["Policy"] == OTHER
    call(db, "PutResourcePolicy", ResourceArn=arn(db), Policy=POLICY)
    table_arn = arn(db)
    api.call(db, "DeleteTable", {"TableName": "tbl"})
    assert error_of(db, "GetResourcePolicy", {"ResourceArn": table_arn}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")
    assert error_of(db, "GetResourcePolicy", {"ResourceArn": stream_arn})[0] == "PolicyNotFoundException"
    assert error_of(db, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": POLICY}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")


def test_create_table_attaches_its_resource_policy(db):
    api.call(db, "CreateTable", {
        "TableName": "with_policy", "BillingMode": "PAY_PER_REQUEST", "ResourcePolicy": POLICY,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]})
    assert call(db, "GetResourcePolicy", ResourceArn=db.tables["with_policy"].arn)["Policy"] == POLICY
    code, _ = error_of(db, "CreateTable", {
        "TableName": "too_big", "BillingMode": "PAY_PER_REQUEST", "ResourcePolicy": "x" * (20 * 1024 + 1),
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]})
    assert code == "ValidationException" and "too_big" not in db.tables
    assert error_of(db, "CreateTable", {
        "TableName": "bad_type", "BillingMode": "PAY_PER_REQUEST", "ResourcePolicy": {"a": 1},
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]})[0] == "SerializationException"


@pytest.mark.parametrize("request_body, code", [
    ({}, "ValidationException"),
    ({"ResourceArn": ""}, "ValidationException"),
    ({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tbl/backup/0170"}, "ValidationException"),
    ({"ResourceArn": "table/tbl"}, "ValidationException"),
    ({"ResourceArn": 5}, "SerializationException"),
    ({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tbl", "Policy": "x" * (20 * 1024 + 1)},
     "ValidationException"),
])
def test_malformed_requests_are_refused(db, request_body, code):
    for operation in ("PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy"):
        body = dict(request_body)
        if operation == "PutResourcePolicy":
            body.setdefault("Policy", POLICY)
        elif "Policy" in body:
            continue
        assert error_of(db, operation, body)[0] == code, operation
    assert error_of(db, "GetResourcePolicy", {"ResourceArn": arn(db)})[0] == "PolicyNotFoundException"
