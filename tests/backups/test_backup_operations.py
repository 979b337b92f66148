"""On-demand backups and restores on the engine, time moved by a ManualClock.

The DynamoDB facts and their sources are in the docstrings of emulator/operations/
backups.py and restores.py; compat/test_backups.py pins the same facts black-box.
"""

from __future__ import annotations

import re

import pytest

from emulator import Config, Database, ManualClock, api
from engine_errors import error_of

START = 1_700_000_000
ACCOUNT = "123456789012"


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def db(clock):
    return Database(clock=clock)


def call(db, operation, request):
    return api.call(db, operation, request)



def make_table(db, name="source", **extra):
    request = {
        "TableName": name,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                 {"AttributeName": "s", "AttributeType": "N"},
                                 {"AttributeName": "g", "AttributeType": "S"},
                                 {"AttributeName": "l", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}],
        "LocalSecondaryIndexes": [{"IndexName": "by_l", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                                                      {"AttributeName": "l", "KeyType": "RANGE"}],
                                   "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        "Tags": [{"Key": "team", "Value": "x"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    }
    request.update(extra)
    call(db, "CreateTable", request)
    return name


def put(db, table, p, s, **attrs):
    item = {"p": {"S": p}, "s": {"N": str(s)}}
    item.update({k: ({"S": v} if isinstance(v, str) else {"N": str(v)}) for k, v in attrs.items()})
    call(db, "PutItem", {"TableName": table, "Item": item})


def scan(db, table):
    return sorted((i["p"]["S"], i["s"]["N"]) for i in call(db, "Scan", {"TableName": table})["Items"])


def backup(db, table="source", name="snap"):
    return call(db, "CreateBackup", {"TableName": table, "BackupName": name})["BackupDetails"]


# ---------------------------------------------------------------- account


def test_describe_limits_reports_default_quotas(db):
    assert call(db, "DescribeLimits", {}) == {
        "AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def test_describe_endpoints_names_the_databases_region():
    db = Database(region="eu-west-3")
    assert call(db, "DescribeEndpoints", {}) == {
        "Endpoints": [{"Address": "dynamodb.eu-west-3.amazonaws.com", "CachePeriodInMinutes": 1440}]}


# ---------------------------------------------------------------- CreateBackup / DescribeBackup


def test_create_backup_response_is_creating_with_an_arn_of_the_table(db, clock):
    make_table(db)
    put(db, "source", "a", 1, g="x")
    clock.advance(0.123)
    details = backup(db)
    assert re.fullmatch(rf"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/source/backup/01700000000123-[0-9a-f]{{8}}",
                        details["BackupArn"])
    assert details["BackupStatus"] == "CREATING"
    assert details["BackupType"] == "USER"
    assert details["BackupCreationDateTime"] == START + 0.123
    assert details["BackupSizeBytes"] == call(db, "DescribeTable", {"TableName": "source"})["Table"]["TableSizeBytes"]


def test_describe_backup_is_available_with_source_details_and_features(db):
    make_table(db)
    call(db, "UpdateTimeToLive", {"TableName": "source",
                                  "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}})
    put(db, "source", "a", 1, g="x")
    description = call(db, "DescribeBackup", {"BackupArn": backup(db)["BackupArn"]})["BackupDescription"]
    assert description["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    source = description["SourceTableDetails"]
    assert source["TableName"] == "source" and source["ItemCount"] == 1
    assert source["BillingMode"] == "PAY_PER_REQUEST"
    assert source["ProvisionedThroughput"] == {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    features = description["SourceTableFeatureDetails"]
    assert [i["IndexName"] for i in features["GlobalSecondaryIndexes"]] == ["by_g"]
    assert [i["IndexName"] for i in features["LocalSecondaryIndexes"]] == ["by_l"]
    assert features["StreamDescription"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert features["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}


def test_create_backup_of_a_missing_table_is_table_not_found(db):
    assert error_of(db, "CreateBackup", {"TableName": "nothere", "BackupName": "snap"}) == (
        "TableNotFoundException", "Table not found: nothere")


def test_create_backup_while_the_table_is_created_is_continuous_backups_unavailable(clock):
    db = Database(Config(table_creation_delay_seconds=5), clock=clock)
    make_table(db)
    assert error_of(db, "CreateBackup", {"TableName": "source", "BackupName": "snap"}) == (
        "ContinuousBackupsUnavailableException", "Backups are being enabled for the table: source. Please retry later")
    clock.advance(5)
    assert backup(db)["BackupStatus"] == "CREATING"


def test_create_backup_checks_the_backup_name(db):
    make_table(db)
    code, message = error_of(db, "CreateBackup", {"TableName": "source", "BackupName": "a b"})
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'a b' at 'backupName' failed to satisfy constraint: "
                       "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
    code, message = error_of(db, "CreateBackup", {"TableName": "source"})
    assert message == ("1 validation error detected: Value null at 'backupName' failed to satisfy constraint: "
                       "Member must not be null")


def test_create_backup_accepts_the_table_arn(db):
    make_table(db)
    arn = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/source"
    assert call(db, "CreateBackup", {"TableName": arn, "BackupName": "snap"})["BackupDetails"]["BackupName"] == "snap"


def test_describe_backup_unknown_and_foreign_arns(db):
    missing = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/source/backup/01700000000000-00000000"
    assert error_of(db, "DescribeBackup", {"BackupArn": missing}) == (
        "BackupNotFoundException", f"Backup not found: {missing}")
    foreign = missing.replace(ACCOUNT, "210987654321")
    assert error_of(db, "DescribeBackup", {"BackupArn": foreign}) == ("AccessDeniedException", "Access is denied")
    code, message = error_of(db, "DescribeBackup", {"BackupArn": "arn:short"})
    assert message.endswith("Member must have length greater than or equal to 37")


# ---------------------------------------------------------------- snapshots and restores


def test_a_backup_is_the_table_at_backup_time(db, clock):
    make_table(db)
    put(db, "source", "a", 1, g="x")
    put(db, "source", "b", 2, g="y")
    arn = backup(db)["BackupArn"]
    put(db, "source", "c", 3)
    call(db, "DeleteItem", {"TableName": "source", "Key": {"p": {"S": "a"}, "s": {"N": "1"}}})
    call(db, "DeleteTable", {"TableName": "source"})
    call(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "copy"})
    assert scan(db, "copy") == [("a", "1"), ("b", "2")]
    db.tables["copy"]._check()


def test_restored_table_has_working_indexes_and_no_stream_ttl_or_tags(db):
    make_table(db)
    call(db, "UpdateTimeToLive", {"TableName": "source",
                                  "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}})
    put(db, "source", "a", 1, g="x", l=5)
    put(db, "source", "a", 2, g="y", l=6)
    arn = backup(db)["BackupArn"]
    description = call(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "copy"})["TableDescription"]
    assert description["TableStatus"] == "CREATING"
    assert description["ItemCount"] == 0 and description["TableSizeBytes"] == 0
    assert description["RestoreSummary"] == {
        "SourceBackupArn": arn, "SourceTableArn": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/source",
        "RestoreDateTime": START, "RestoreInProgress": True}
    table = call(db, "DescribeTable", {"TableName": "copy"})["Table"]
    assert table["TableStatus"] == "ACTIVE" and table["ItemCount"] == 2
    assert table["RestoreSummary"]["RestoreInProgress"] is False
    assert "StreamSpecification" not in table and "LatestStreamArn" not in table
    by_g = call(db, "Query", {"TableName": "copy", "IndexName": "by_g", "KeyConditionExpression": "g = :g",
                              "ExpressionAttributeValues": {":g": {"S": "y"}}})
    assert [i["s"]["N"] for i in by_g["Items"]] == ["2"]
    by_l = call(db, "Query", {"TableName": "copy", "IndexName": "by_l", "KeyConditionExpression": "p = :p AND l > :l",
                              "ExpressionAttributeValues": {":p": {"S": "a"}, ":l": {"N": "5"}}})
    assert [i["s"]["N"] for i in by_l["Items"]] == ["2"]
    assert call(db, "DescribeTimeToLive", {"TableName": "copy"})["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"}
    assert call(db, "ListTagsOfResource", {"ResourceArn": table["TableArn"]})["Tags"] == []
    put(db, "copy", "z", 9, g="y")  # the restored table takes writes and keeps its indexes current
    assert len(call(db, "Query", {"TableName": "copy", "IndexName": "by_g", "KeyConditionExpression": "g = :g",
                                  "ExpressionAttributeValues": {":g": {"S": "y"}}})["Items"]) == 2


def test_restore_overrides_billing_throughput_indexes_and_encryption(db):
    make_table(db)
    put(db, "source", "a", 1, g="x", l=1)
    arn = backup(db)["BackupArn"]
    call(db, "RestoreTableFromBackup", {
        "BackupArn": arn, "TargetTableName": "copy", "BillingModeOverride": "PROVISIONED",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
        "GlobalSecondaryIndexOverride": [], "LocalSecondaryIndexOverride": [],
        "SSESpecificationOverride": {"Enabled": True, "SSEType": "KMS"}})
    table = call(db, "DescribeTable", {"TableName": "copy"})["Table"]
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert "GlobalSecondaryIndexes" not in table and "LocalSecondaryIndexes" not in table
    # definitions no index uses any more are dropped, as CreateTable requires
    assert [d["AttributeName"] for d in table["AttributeDefinitions"]] == ["p", "s"]
    assert table["SSEDescription"]["SSEType"] == "KMS"
    assert scan(db, "copy") == [("a", "1")]


def test_restore_to_provisioned_gives_on_demand_indexes_the_tables_throughput(db):
    make_table(db)
    arn = backup(db)["BackupArn"]
    call(db, "RestoreTableFromBackup", {
        "BackupArn": arn, "TargetTableName": "copy", "BillingModeOverride": "PROVISIONED",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 2}})
    index = call(db, "DescribeTable", {"TableName": "copy"})["Table"]["GlobalSecondaryIndexes"][0]
    assert (index["ProvisionedThroughput"]["ReadCapacityUnits"], index["ProvisionedThroughput"]["WriteCapacityUnits"]) \
        == (4, 2)


def test_restore_keeps_or_overrides_the_on_demand_maxima(db):
    make_table(db, OnDemandThroughput={"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5})
    arn = backup(db)["BackupArn"]
    call(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "same"})
    call(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "other",
                                        "OnDemandThroughputOverride": {"MaxReadRequestUnits": 20}})
    call(db, "RestoreTableFromBackup", {
        "BackupArn": arn, "TargetTableName": "provisioned", "BillingModeOverride": "PROVISIONED",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 2}})

    def maxima(name):
        return call(db, "DescribeTable", {"TableName": name})["Table"].get("OnDemandThroughput")

    assert maxima("same") == {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}
    assert maxima("other") == {"MaxReadRequestUnits": 20}
    assert maxima("provisioned") is None
    code, message = error_of(db, "RestoreTableFromBackup", {
        "BackupArn": arn, "TargetTableName": "refused", "BillingModeOverride": "PROVISIONED",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 2},
        "OnDemandThroughputOverride": {"MaxReadRequestUnits": 20}})
    assert code == "ValidationException" and "cannot be specified when table BillingMode is PROVISIONED" in message


def test_restore_with_an_invalid_override_changes_nothing(db):
    make_table(db)
    arn = backup(db)["BackupArn"]
    code, _ = error_of(db, "RestoreTableFromBackup", {
        "BackupArn": arn, "TargetTableName": "copy", "BillingModeOverride": "PROVISIONED"})
    assert code == "ValidationException"
    code, _ = error_of(db, "RestoreTableFromBackup", {
        "BackupArn": arn, "TargetTableName": "copy",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}})
    assert code == "ValidationException"
    assert "copy" not in db.tables


def test_restore_target_must_be_free_and_backup_must_exist(db, clock):
    make_table(db)
    arn = backup(db)["BackupArn"]
    assert error_of(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "source"}) == (
        "TableAlreadyExistsException", "Table already exists: source")
    missing = arn[:-8] + "ffffffff"
    assert error_of(db, "RestoreTableFromBackup", {"BackupArn": missing, "TargetTableName": "copy"}) == (
        "BackupNotFoundException", f"Backup not found: {missing}")


def test_a_backup_being_restored_cannot_be_deleted(clock):
    db = Database(Config(table_creation_delay_seconds=10), clock=clock)
    make_table(db)
    clock.advance(10)
    arn = backup(db)["BackupArn"]
    call(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "copy"})
    assert error_of(db, "DeleteBackup", {"BackupArn": arn})[0] == "BackupInUseException"
    assert error_of(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "copy"})[0] == \
        "TableInUseException"
    clock.advance(10)
    assert call(db, "DescribeTable", {"TableName": "copy"})["Table"]["RestoreSummary"]["RestoreInProgress"] is False
    assert call(db, "DeleteBackup", {"BackupArn": arn})["BackupDescription"]["BackupDetails"]["BackupStatus"] \
        == "DELETED"


# ---------------------------------------------------------------- ListBackups / DeleteBackup


def test_list_backups_filters_and_pages(db, clock):
    make_table(db, "one")
    make_table(db, "two")
    arns = []
    for position in range(5):
        arns.append(backup(db, "one" if position % 2 == 0 else "two", f"snap{position}")["BackupArn"])
        clock.advance(1)

    def listed(**request):
        return [s["BackupArn"] for s in call(db, "ListBackups", request)["BackupSummaries"]]

    assert listed() == arns
    assert listed(TableName="one") == arns[0::2]
    assert listed(TableName=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/two") == arns[1::2]
    assert listed(TimeRangeLowerBound=START + 1, TimeRangeUpperBound=START + 3) == arns[1:3]
    assert listed(BackupType="SYSTEM") == [] and listed(BackupType="ALL") == arns
    page = call(db, "ListBackups", {"Limit": 2})
    assert [s["BackupArn"] for s in page["BackupSummaries"]] == arns[:2]
    assert page["LastEvaluatedBackupArn"] == arns[1]
    assert "LastEvaluatedBackupArn" not in call(db, "ListBackups", {"Limit": 5})
    call(db, "DeleteBackup", {"BackupArn": arns[1]})
    assert listed(ExclusiveStartBackupArn=arns[1]) == arns[2:]  # a deleted start still places the page


def test_list_backups_rejects_bad_members(db):
    code, message = error_of(db, "ListBackups", {"Limit": 0, "BackupType": "ANY"})
    assert code == "ValidationException"
    assert message.startswith("2 validation errors detected: ")
    assert "Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]" in message
    assert error_of(db, "ListBackups", {"TimeRangeLowerBound": "yesterday"})[0] == "SerializationException"


def test_delete_backup_answers_deleted_and_forgets_it(db):
    make_table(db)
    arn = backup(db)["BackupArn"]
    assert call(db, "DeleteBackup", {"BackupArn": arn})["BackupDescription"]["BackupDetails"]["BackupStatus"] == \
        "DELETED"
    assert error_of(db, "DescribeBackup", {"BackupArn": arn})[0] == "BackupNotFoundException"
    assert error_of(db, "DeleteBackup", {"BackupArn": arn})[0] == "BackupNotFoundException"
    assert call(db, "ListBackups", {})["BackupSummaries"] == []


def test_deleting_a_pitr_table_leaves_a_system_backup_that_expires(db, clock):
    make_table(db, "plain")
    call(db, "DeleteTable", {"TableName": "plain"})
    make_table(db)
    put(db, "source", "a", 1)
    call(db, "UpdateContinuousBackups", {"TableName": "source",
                                         "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})
    call(db, "DeleteTable", {"TableName": "source"})
    assert call(db, "ListBackups", {}) == {"BackupSummaries": []}  # USER by default
    (summary,) = call(db, "ListBackups", {"BackupType": "ALL"})["BackupSummaries"]
    arn = summary["BackupArn"]
    assert (summary["BackupName"], summary["BackupType"]) == ("source$DeletedTableBackup", "SYSTEM")
    assert arn == f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/source/backup/{START * 1000:014d}-00000000"
    description = call(db, "DescribeBackup", {"BackupArn": arn})["BackupDescription"]
    assert description["BackupDetails"]["BackupExpiryDateTime"] == START + 35 * 86400
    assert description["SourceTableFeatureDetails"] == {}
    assert error_of(db, "DeleteBackup", {"BackupArn": arn}) == (
        "ValidationException", f"Invalid Request: User is not allowed to delete the system backup with arn {arn}. "
        "It will automatically expire on 2023-12-19T22:13:20.000Z")
    call(db, "RestoreTableFromBackup", {"BackupArn": arn, "TargetTableName": "source"})
    assert scan(db, "source") == [("a", "1")]
    clock.advance(35 * 86400 - 1)
    assert len(call(db, "ListBackups", {"BackupType": "SYSTEM"})["BackupSummaries"]) == 1
    clock.advance(1)
    assert call(db, "ListBackups", {"BackupType": "ALL"})["BackupSummaries"] == []
    assert error_of(db, "DescribeBackup", {"BackupArn": arn})[0] == "BackupNotFoundException"
