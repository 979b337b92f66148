"""The backup, PITR and account operations answer near-valid requests (a member removed,
replaced by random JSON or added, at any depth) with a result or a DynamoDB error, never
anything else, and a refused restore leaves no table behind."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError
from request_mutations import mutated_requests

START = 1_700_000_000
TABLE = "fuzzed"
SCHEMA = {
    "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"},
                             {"AttributeName": "g", "AttributeType": "S"}],
    "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
}
OVERRIDES = {
    "BillingModeOverride": "PROVISIONED",
    "ProvisionedThroughputOverride": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
    "GlobalSecondaryIndexOverride": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                      "Projection": {"ProjectionType": "ALL"},
                                      "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
    "SSESpecificationOverride": {"Enabled": True, "SSEType": "KMS"},
}
BACKUP_ARN = "<backup>"
REQUESTS: dict[str, dict] = {
    "DescribeLimits": {},
    "DescribeEndpoints": {},
    "CreateBackup": {"TableName": TABLE, "BackupName": "snap"},
    "DescribeBackup": {"BackupArn": BACKUP_ARN},
    "DeleteBackup": {"BackupArn": BACKUP_ARN},
    "ListBackups": {"TableName": TABLE, "Limit": 2, "TimeRangeLowerBound": START - 5, "TimeRangeUpperBound": START + 5,
                    "BackupType": "ALL", "ExclusiveStartBackupArn": BACKUP_ARN},
    "RestoreTableFromBackup": {"BackupArn": BACKUP_ARN, "TargetTableName": "copy", **OVERRIDES},
    "DescribeContinuousBackups": {"TableName": TABLE},
    "UpdateContinuousBackups": {"TableName": TABLE, "PointInTimeRecoverySpecification": {
        "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 3}},
    "RestoreTableToPointInTime": {"SourceTableName": TABLE, "TargetTableName": "copy", "RestoreDateTime": START,
                                  **OVERRIDES},
}
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 40), st.floats(allow_nan=False, width=32),
    st.sampled_from(["", "x", TABLE, "copy", "ALL", "USER", "PROVISIONED", "PAY_PER_REQUEST", "KMS", "by_g", "g",
                     "arn:aws:dynamodb:us-east-1:123456789012:table/fuzzed", "a" * 300, BACKUP_ARN]),
)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["IndexName", "KeySchema", "Projection", "ReadCapacityUnits", "Enabled",
                                     "AttributeName", "KeyType", "ProjectionType"]), inner, max_size=3)), max_leaves=6)


MUTATED_REQUESTS = mutated_requests(REQUESTS, JSON, ["Extra", "RestoreDateTime", "UseLatestRestorableTime",
                                                    "SourceTableArn", "LocalSecondaryIndexOverride"])


def _database() -> tuple[Database, str]:
    db = Database(clock=ManualClock(START))
    api.call(db, "CreateTable", SCHEMA)
    api.call(db, "PutItem", {"TableName": TABLE, "Item": {"p": {"S": "a"}, "c": {"N": "1"}, "g": {"S": "x"}}})
    api.call(db, "UpdateContinuousBackups", {"TableName": TABLE, "PointInTimeRecoverySpecification": {
        "PointInTimeRecoveryEnabled": True}})
    arn = api.call(db, "CreateBackup", {"TableName": TABLE, "BackupName": "first"})["BackupDetails"]["BackupArn"]
    return db, arn


def _bind(value: Any, arn: str) -> Any:
    if value == BACKUP_ARN:
        return arn
    if isinstance(value, dict):
        return {k: _bind(v, arn) for k, v in value.items()}
    if isinstance(value, list):
        return [_bind(v, arn) for v in value]
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATED_REQUESTS)
def test_any_mutated_request_gets_a_response_or_a_dynamodb_error(case):
    operation, request = case
    db, arn = _database()
    try:
        api.call(db, operation, _bind(request, arn))
    except DynamoDBError:
        if operation.startswith("Restore"):
            assert "copy" not in db.tables  # a refused restore builds nothing
    for table in db.tables.values():
        table._check()


def test_the_unmutated_requests_succeed():
    for operation, request in REQUESTS.items():
        db, arn = _database()
        api.call(db, operation, _bind(copy.deepcopy(request), arn))
