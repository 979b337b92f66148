# On-demand backups and point-in-time recovery through boto3: CreateBackup, DescribeBackup,
# ListBackups, DeleteBackup, RestoreTableFromBackup, DescribeContinuousBackups,
# UpdateContinuousBackups, RestoreTableToPointInTime.
#
# On AWS a backup takes a moment to become AVAILABLE and a restore minutes: the tests poll
# DescribeBackup and wait for restored tables with the table_exists waiter. Right after
# CreateTable, AWS may still answer ContinuousBackupsUnavailableException for a while
# (amplify-backend#1654): enabling PITR retries until it is accepted.
#
# Sources named below:
#   api-ref      - API reference pages of these operations and of BackupDetails,
#                  PointInTimeRecoverySpecification, PointInTimeRecoveryDescription.
#   cli-examples - the AWS CLI's examples (awscli/examples/dynamodb/*.rst, recorded output):
#                  create-backup, describe-backup, delete-backup, restore-table-from-backup,
#                  describe/update-continuous-backups, restore-table-to-point-in-time.
#   scoutsuite   - nccgroup/ScoutSuite#1533: "TableNotFoundException ... Table not found: <name>".
#   steampipe    - turbot/steampipe-plugin-aws#1913: "BackupNotFoundException: Backup not found: <arn>".
#   moto         - getmoto/moto's DynamoDB backend (texts not confirmed on AWS; listed as unverified).

import contextlib
import re
import time

import pytest
from botocore.exceptions import ClientError

from util import assert_error, assert_validation_errors, new_table, random_string, unique_table_name

KEYS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}]
DEFS = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"},
        {"AttributeName": "g", "AttributeType": "S"}]
GSI = [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}]
POLL_SECONDS = 600


def _wait_available(client, arn):
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        details = client.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]
        if details["BackupStatus"] == "AVAILABLE" or time.monotonic() > deadline:
            return details
        time.sleep(5)


def _enable_pitr(client, name, **spec):
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        try:
            return client.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, **spec})
        except client.exceptions.ContinuousBackupsUnavailableException:
            if time.monotonic() > deadline:
                raise
            time.sleep(5)


@contextlib.contextmanager
def _restored(dynamodb, name):
    """Wait for a restored table, and delete it afterwards."""
    table = dynamodb.Table(name)
    try:
        table.wait_until_exists()
        yield table
    finally:
        with contextlib.suppress(Exception):
            table.delete()


@pytest.fixture(scope="module")
def source(dynamodb):
    """A table with a GSI and two items, and one AVAILABLE backup of it taken then."""
    with new_table(dynamodb, KeySchema=KEYS, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=GSI,
                   Tags=[{"Key": "team", "Value": "compat"}]) as table:
        table.put_item(Item={"p": "a", "c": 1, "g": "x"})
        table.put_item(Item={"p": "a", "c": 2, "g": "y"})
        client = table.meta.client
        details = client.create_backup(TableName=table.name, BackupName="compat-" + random_string())["BackupDetails"]
        _wait_available(client, details["BackupArn"])
        yield table, details
        with contextlib.suppress(Exception):
            client.delete_backup(BackupArn=details["BackupArn"])


# CreateBackup answers BackupDetails with status CREATING and type USER; the ARN is the
# table's ARN + "/backup/" + the creation time in milliseconds as 14 digits + "-" + 8 hex
# digits (cli-examples create-backup: ".../table/MusicCollection/backup/01576616366715-b4e58d3a",
# 1576616366.715 as BackupCreationDateTime).
def test_create_backup_details(source):
    table, details = source
    assert details["BackupStatus"] == "CREATING"
    assert details["BackupType"] == "USER"
    match = re.fullmatch(r"(.*)/backup/(\d{14})-[0-9a-f]{8}", details["BackupArn"])
    assert match and match.group(1) == table.table_arn
    created = details["BackupCreationDateTime"].timestamp()
    assert int(match.group(2)) == round(created * 1000)


# DescribeBackup: BackupDetails AVAILABLE, SourceTableDetails with the table's name, id, ARN,
# key schema, item count and billing mode, and SourceTableFeatureDetails naming its GSI
# (cli-examples describe-backup; api-ref SourceTableDetails/SourceTableFeatureDetails).
def test_describe_backup(client, source):
    table, details = source
    description = client.describe_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert description["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    assert description["BackupDetails"]["BackupName"] == details["BackupName"]
    source_details = description["SourceTableDetails"]
    assert source_details["TableName"] == table.name
    assert source_details["TableArn"] == table.table_arn
    assert source_details["KeySchema"] == KEYS
    assert source_details["BillingMode"] == "PAY_PER_REQUEST"
    assert [i["IndexName"] for i in description["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"]] == ["by_g"]


# ListBackups lists a table's backups by name or ARN (api-ref ListBackups: TableName takes
# either), within [TimeRangeLowerBound, TimeRangeUpperBound) (lower inclusive, upper
# exclusive), and BackupType SYSTEM leaves out USER backups.
def test_list_backups_filters(client, source):
    table, details = source
    arn, created = details["BackupArn"], details["BackupCreationDateTime"]

    def listed(**request):
        return [s["BackupArn"] for s in client.list_backups(**request)["BackupSummaries"]]

    assert arn in listed(TableName=table.name)
    assert arn in listed(TableName=table.table_arn)
    assert arn in listed(TableName=table.name, TimeRangeLowerBound=created)
    assert arn not in listed(TableName=table.name, TimeRangeUpperBound=created)
    assert arn not in listed(TableName=table.name, BackupType="SYSTEM")
    summary = client.list_backups(TableName=table.name)["BackupSummaries"][0]
    assert summary["TableName"] == table.name and summary["BackupType"] == "USER"


# A backup is the table as it was at CreateBackup time; the restored table has the items
# and the indexes, a RestoreSummary naming the backup and the source table, and no tags
# or stream (api-ref RestoreTableFromBackup: tags and stream settings must be set up by
# hand; cli-examples restore-table-from-backup: TableStatus CREATING, RestoreInProgress true).
def test_restore_table_from_backup(dynamodb, client, source):
    table, details = source
    table.put_item(Item={"p": "b", "c": 3, "g": "x"})  # after the backup: not restored
    target = unique_table_name()
    description = client.restore_table_from_backup(TargetTableName=target,
                                                   BackupArn=details["BackupArn"])["TableDescription"]
    assert description["TableStatus"] == "CREATING"
    assert description["RestoreSummary"]["SourceBackupArn"] == details["BackupArn"]
    assert description["RestoreSummary"]["SourceTableArn"] == table.table_arn
    assert description["RestoreSummary"]["RestoreInProgress"] is True
    with _restored(dynamodb, target) as restored:
        items = restored.scan(ConsistentRead=True)["Items"]
        assert sorted((i["p"], int(i["c"])) for i in items) == [("a", 1), ("a", 2)]
        by_g = restored.query(IndexName="by_g", KeyConditionExpression="g = :g",
                              ExpressionAttributeValues={":g": "y"})["Items"]
        assert [int(i["c"]) for i in by_g] == [2]
        assert client.list_tags_of_resource(ResourceArn=restored.table_arn)["Tags"] == []
        assert "StreamSpecification" not in client.describe_table(TableName=target)["Table"]


# The target name must be free: TableAlreadyExistsException "Table already exists: <name>"
# (moto; unverified on AWS). An unknown backup is BackupNotFoundException "Backup not
# found: <arn>" (steampipe, DescribeBackup on AWS).
def test_restore_table_from_backup_errors(client, source):
    table, details = source
    with assert_error("TableAlreadyExistsException", f"Table already exists: {table.name}"):
        client.restore_table_from_backup(TargetTableName=table.name, BackupArn=details["BackupArn"])
    missing = details["BackupArn"][:-8] + "00000000"
    with assert_error("BackupNotFoundException", f"Backup not found: {missing}"):
        client.restore_table_from_backup(TargetTableName=unique_table_name(), BackupArn=missing)
    with assert_error("BackupNotFoundException", f"Backup not found: {missing}"):
        client.describe_backup(BackupArn=missing)


# Backing up a table that does not exist is TableNotFoundException "Table not found:
# <name>" (scoutsuite shows these words for DescribeContinuousBackups; moto uses them for
# CreateBackup). BackupName has TableName's constraints (api-ref BackupName: 3-255,
# [a-zA-Z0-9_.-]+).
def test_create_backup_errors(unchecked_client, table_s):
    name = unique_table_name()
    with assert_error("TableNotFoundException", f"Table not found: {name}"):
        unchecked_client.create_backup(TableName=name, BackupName="compat")
    with assert_validation_errors("Value 'no spaces' at 'backupName' failed to satisfy constraint: "
                                  "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"):
        unchecked_client.create_backup(TableName=table_s.name, BackupName="no spaces")


# DeleteBackup answers the description with status DELETED; the backup is then gone
# (cli-examples delete-backup).
def test_delete_backup(client, table_s):
    arn = client.create_backup(TableName=table_s.name, BackupName="compat-delete")["BackupDetails"]["BackupArn"]
    _wait_available(client, arn)
    description = client.delete_backup(BackupArn=arn)["BackupDescription"]
    assert description["BackupDetails"]["BackupStatus"] == "DELETED"
    assert description["SourceTableDetails"]["TableName"] == table_s.name
    assert arn not in [s["BackupArn"] for s in client.list_backups(TableName=table_s.name)["BackupSummaries"]]


# Continuous backups are always ENABLED; point-in-time recovery is DISABLED until asked
# for (cli-examples describe-continuous-backups). A missing table is TableNotFoundException
# "Table not found: <name>" (scoutsuite).
def test_describe_continuous_backups(client, table_s):
    description = client.describe_continuous_backups(TableName=table_s.name)["ContinuousBackupsDescription"]
    assert description["ContinuousBackupsStatus"] == "ENABLED"
    assert description["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    name = unique_table_name()
    with assert_error("TableNotFoundException", f"Table not found: {name}"):
        client.describe_continuous_backups(TableName=name)


# RecoveryPeriodInDays is 1-35 (api-ref PointInTimeRecoverySpecification), a Coral range
# check on the nested member.
def test_update_continuous_backups_recovery_period_range(unchecked_client, table_s):
    with assert_validation_errors("Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed "
                                  "to satisfy constraint: Member must have value less than or equal to 35"):
        unchecked_client.update_continuous_backups(TableName=table_s.name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 36})


# A point-in-time restore needs PITR on the source: PointInTimeRecoveryUnavailableException
# "Point in time recovery is not enabled for table '<name>'" (moto; the start of the text
# is the title of deverrors.com's page on this error).
def test_restore_to_point_in_time_needs_pitr(client, table_s):
    with assert_error("PointInTimeRecoveryUnavailableException",
                      f"Point in time recovery is not enabled for table '{table_s.name}'"):
        client.restore_table_to_point_in_time(SourceTableName=table_s.name, TargetTableName=unique_table_name(),
                                              UseLatestRestorableTime=True)


# With PITR enabled (default period 35 days), the window runs from EarliestRestorableDateTime
# to LatestRestorableDateTime (api-ref PointInTimeRecoveryDescription; cli-examples
# update-continuous-backups); a restore with UseLatestRestorableTime makes a table with the
# items written before PITR was enabled and a RestoreSummary naming the source table
# (cli-examples restore-table-to-point-in-time), and the restored table has PITR off
# (api-ref RestoreTableToPointInTime: PITR settings must be set up by hand).
def test_restore_table_to_point_in_time(dynamodb, client):
    with new_table(dynamodb, KeySchema=KEYS, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=GSI) as table:
        table.put_item(Item={"p": "a", "c": 1, "g": "x"})
        pitr = _enable_pitr(client, table.name)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
        assert pitr["EarliestRestorableDateTime"] <= pitr["LatestRestorableDateTime"]
        described = client.describe_continuous_backups(TableName=table.name)["ContinuousBackupsDescription"]
        assert described["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 35
        target = unique_table_name()
        description = client.restore_table_to_point_in_time(
            SourceTableName=table.name, TargetTableName=target, UseLatestRestorableTime=True)["TableDescription"]
        assert description["RestoreSummary"]["SourceTableArn"] == table.table_arn
        assert description["RestoreSummary"]["RestoreInProgress"] is True
        with _restored(dynamodb, target) as restored:
            assert [(i["p"], int(i["c"])) for i in restored.scan(ConsistentRead=True)["Items"]] == [("a", 1)]
            assert client.describe_continuous_backups(TableName=target)["ContinuousBackupsDescription"][
                "PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
        client.update_continuous_backups(TableName=table.name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": False})


# Deleting a table whose PITR is on leaves a SYSTEM backup of it: "<table>$DeletedTableBackup",
# its ARN ending "-00000000", expiring 35 days later, listed only for BackupType SYSTEM or
# ALL, and not deletable (it expires on its own). On AWS it appears a few seconds after the
# deletion, hence the wait. Sources: ack-quirks DDB-BACKUP-015 (name, ARN, listing, the
# DeleteBackup refusal); developer guide "Point-in-time recovery: how it works" (35 days).
def test_deleting_a_pitr_table_leaves_a_system_backup(dynamodb, client):
    table = dynamodb.create_table(TableName=unique_table_name(), KeySchema=KEYS[:1], AttributeDefinitions=DEFS[:1],
                                  BillingMode="PAY_PER_REQUEST")
    table.wait_until_exists()
    _enable_pitr(client, table.name)
    table.delete()
    table.wait_until_not_exists()
    for _ in range(60):
        summaries = client.list_backups(TableName=table.name, BackupType="SYSTEM")["BackupSummaries"]
        if summaries:
            break
        time.sleep(1)
    assert [(s["BackupName"], s["BackupType"]) for s in summaries] == [(f"{table.name}$DeletedTableBackup", "SYSTEM")]
    arn = summaries[0]["BackupArn"]
    assert arn.endswith("-00000000")
    assert client.list_backups(TableName=table.name)["BackupSummaries"] == []  # USER by default
    details = client.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]
    lifetime = details["BackupExpiryDateTime"] - details["BackupCreationDateTime"]
    assert abs(lifetime.total_seconds() - 35 * 86400) < 60
    with pytest.raises(ClientError) as info:
        client.delete_backup(BackupArn=arn)
    error = info.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith(f"Invalid Request: User is not allowed to delete the system backup with arn "
                                       f"{arn}. It will automatically expire on ")

