"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup.

A backup is a snapshot taken at CreateBackup time (emulator/backups.py): later writes,
and the deletion of the table, leave it as it was. DynamoDB builds a backup in the
background: the CreateBackup response says CREATING and the backup is AVAILABLE when
done (AWS CLI example "create-backup"). The emulator's is done at once, so the response
says CREATING, as DynamoDB's does, and DescribeBackup already says AVAILABLE. DeleteBackup
answers with the description marked DELETED and the backup is gone.

Facts and messages (each also pinned in compat/test_backups.py):

- BackupArn: ``<table ARN>/backup/<creation time in ms, 14 digits>-<8 hex digits>``
  (AWS CLI examples: ".../table/MusicCollection/backup/01576616366715-b4e58d3a").
- a table that does not exist: TableNotFoundException "Table not found: <name>"
  (nccgroup/ScoutSuite#1533, DescribeContinuousBackups on AWS; the same error and
  words for CreateBackup per moto);
- a table still CREATING: ContinuousBackupsUnavailableException "Backups are being
  enabled for the table: <name>. Please retry later" (aws-amplify/amplify-backend#1654
  quotes the start of it for CreateBackup on a new table);
- an unknown BackupArn: BackupNotFoundException "Backup not found: <arn>"
  (turbot/steampipe-plugin-aws#1913, DescribeBackup on AWS);
- a backup that a restore in progress reads from: BackupInUseException on DeleteBackup
  (API model; wording not verified);
- DeleteTable of a table whose point-in-time recovery is on leaves a SYSTEM backup
  "<table>$DeletedTableBackup" (ARN ending "-00000000", empty SourceTableFeatureDetails)
  that expires 35 days later, that ListBackups shows only for BackupType SYSTEM or ALL,
  that restores like any backup and that DeleteBackup refuses with ValidationException
  "Invalid Request: User is not allowed to delete the system backup with arn <arn>. It
  will automatically expire on <time>" (ack-api-quirks DDB-BACKUP-015, on AWS 2026-10; the
  developer guide's "Point-in-time recovery: how it works"; the form of <time> is cut off
  in the record, the emulator writes ISO 8601 UTC, unverified). DynamoDB makes it a few
  seconds after the deletion; the emulator at once.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Optional

from .. import validate
from ..backups import PITR_EXTENSION, Backup, TableImage, backup_store
from ..database import Database
from ..errors import (
    AccessDeniedException,
    BackupInUseException,
    BackupNotFoundException,
    ContinuousBackupsUnavailableException,
    TableInUseException,
    TableNotFoundException,
    ValidationException,
)
from ..table import Table
from ..ttl import EXTENSION as TTL_EXTENSION
from . import restores, tables
from .request_types import conform, conform_value
from .table_requests import check_table_name, table_name, table_name_shape

MIN_BACKUP_ARN_LENGTH = 37
MAX_BACKUP_ARN_LENGTH = 1024
MAX_LIST_BACKUPS_LIMIT = 100
BACKUP_TYPE_FILTERS = ("USER", "SYSTEM", "AWS_BACKUP", "ALL")
SYSTEM = "SYSTEM"
#: How long DynamoDB keeps the SYSTEM backup of a deleted table.
SYSTEM_BACKUP_DAYS = 35
_NAME_PATTERN = validate._TABLE_NAME  # BackupName has TableName's constraints (API model)


# ---------------------------------------------------------------- shared with point_in_time.py


def table_not_found(name: str) -> TableNotFoundException:
    return TableNotFoundException(f"Table not found: {name}")


def backups_table(db: Database, name: str) -> Table:
    """The table a backup operation names (a name or an ARN): TableNotFoundException when
    missing, ContinuousBackupsUnavailableException while it is being created,
    TableInUseException while it is being deleted (wording not verified)."""
    name = table_name(db, name)
    table = db.tables.get(name)
    if table is None:
        raise table_not_found(name)
    if table.status == "CREATING":
        raise ContinuousBackupsUnavailableException(
            f"Backups are being enabled for the table: {name}. Please retry later"
        )
    if table.status == "DELETING":
        raise TableInUseException(tables.in_use_message(table))
    return table


def image_of(table: Table, now: float, items: Optional[list] = None) -> TableImage:
    """A TableImage of ``table`` now (or with ``items`` instead of its current ones)."""
    description = tables.describe(table, now=now)
    if items is None:
        items = list(table.items.items())
    ttl_state = table.extensions.get(TTL_EXTENSION)
    ttl: dict[str, Any] = {"TimeToLiveStatus": "DISABLED"}
    if ttl_state is not None and ttl_state.enabled:
        ttl = {"TimeToLiveStatus": "ENABLED", "AttributeName": ttl_state.attribute}
    return TableImage(description, items, ttl)


# ---------------------------------------------------------------- descriptions


def _details(backup: Backup, status: str) -> dict[str, Any]:
    details = {
        "BackupArn": backup.arn,
        "BackupName": backup.name,
        "BackupSizeBytes": backup.size_bytes,
        "BackupStatus": status,
        "BackupType": backup.backup_type,
        "BackupCreationDateTime": backup.created_at,
    }
    if backup.expires_at is not None:
        details["BackupExpiryDateTime"] = backup.expires_at
    return details


def _source_table_details(source: dict) -> dict[str, Any]:
    throughput = source["ProvisionedThroughput"]
    billing = (source.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    return {
        "TableName": source["TableName"],
        "TableId": source["TableId"],
        "TableArn": source["TableArn"],
        "TableSizeBytes": source["TableSizeBytes"],
        "KeySchema": source["KeySchema"],
        "TableCreationDateTime": source["CreationDateTime"],
        "ProvisionedThroughput": {
            "ReadCapacityUnits": throughput["ReadCapacityUnits"],
            "WriteCapacityUnits": throughput["WriteCapacityUnits"],
        },
        "ItemCount": source["ItemCount"],
        "BillingMode": billing,
    }


def _feature_details(image: TableImage) -> dict[str, Any]:
    """SourceTableFeatureDetails: {} for a plain table (AWS CLI example
    "describe-backup"); the indexes as LocalSecondaryIndexInfo/GlobalSecondaryIndexInfo,
    the stream, TTL and encryption when the table had them."""
    source = image.description
    features: dict[str, Any] = {}
    if source.get("LocalSecondaryIndexes"):
        features["LocalSecondaryIndexes"] = [
            {k: index[k] for k in ("IndexName", "KeySchema", "Projection")}
            for index in source["LocalSecondaryIndexes"]
        ]
    if source.get("GlobalSecondaryIndexes"):
        features["GlobalSecondaryIndexes"] = [
            {**{k: index[k] for k in ("IndexName", "KeySchema", "Projection")},
             "ProvisionedThroughput": {
                 "ReadCapacityUnits": index["ProvisionedThroughput"]["ReadCapacityUnits"],
                 "WriteCapacityUnits": index["ProvisionedThroughput"]["WriteCapacityUnits"]}}
            for index in source["GlobalSecondaryIndexes"]
        ]
    if source.get("StreamSpecification"):
        features["StreamDescription"] = source["StreamSpecification"]
    if image.ttl and image.ttl["TimeToLiveStatus"] == "ENABLED":
        features["TimeToLiveDescription"] = image.ttl
    if source.get("SSEDescription"):
        features["SSEDescription"] = source["SSEDescription"]
    return features


def describe_backup_of(backup: Backup, status: str = "AVAILABLE") -> dict[str, Any]:
    """A BackupDescription."""
    return {
        "BackupDetails": _details(backup, status),
        "SourceTableDetails": _source_table_details(backup.image.description),
        "SourceTableFeatureDetails": _feature_details(backup.image) if backup.backup_type != SYSTEM else {},
    }


def _summary(backup: Backup) -> dict[str, Any]:
    source = backup.image.description
    return {
        "TableName": source["TableName"],
        "TableId": source["TableId"],
        "TableArn": source["TableArn"],
        "BackupArn": backup.arn,
        "BackupName": backup.name,
        "BackupCreationDateTime": backup.created_at,
        "BackupStatus": "AVAILABLE",
        "BackupType": backup.backup_type,
        "BackupSizeBytes": backup.size_bytes,
    }


# ---------------------------------------------------------------- request pieces


def _backup_arn_shape(shape: validate.Shape, arn: Any, path: str = "backupArn") -> None:
    if shape.required(arn, path):
        shape.length(arn, path, MIN_BACKUP_ARN_LENGTH, MAX_BACKUP_ARN_LENGTH)


def _find_backup(db: Database, arn: str) -> Backup:
    """The backup an ARN names. Another account's ARN is AccessDeniedException "Access is
    denied", as for tables (ExtendDB/extenddb#231 records that DynamoDB authorizes on
    the ARN's account first); anything else unknown is BackupNotFoundException."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "dynamodb" and parts[4] != db.account_id:
        raise AccessDeniedException("Access is denied")
    backup = backup_store(db).get(arn)
    if backup is None:
        raise BackupNotFoundException(f"Backup not found: {arn}")
    return backup


def _settle_restores(db: Database, backup: Backup) -> None:
    """Forget the restores from ``backup`` whose table is no longer CREATING."""
    for name in list(backup.restoring):
        table = db.tables.get(name)
        if table is None or table.status != "CREATING":
            backup.restoring.discard(name)


# ---------------------------------------------------------------- operations


def create_backup(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"TableName": "String", "BackupName": "String"})
    check_table_name(request)
    shape = validate.Shape()
    name = request.get("BackupName")
    if shape.required(name, "backupName"):
        shape.length(name, "backupName", 3, 255)
        shape.pattern(name, "backupName", _NAME_PATTERN, "[a-zA-Z0-9_.-]+")
    shape.check()
    table = backups_table(db, request["TableName"])
    now = db.clock.now()
    millis = int(now * 1000)
    arn = f"{table.arn}/backup/{millis:014d}-{uuid.uuid4().hex[:8]}"
    backup = Backup(arn=arn, name=name, created_at=millis / 1000, image=image_of(table, now))
    backup_store(db).add(backup)
    return {"BackupDetails": _details(backup, "CREATING")}


def describe_backup(db: Database, request: dict) -> dict:
    request = conform(request, {"BackupArn": "String"})
    shape = validate.Shape()
    _backup_arn_shape(shape, request.get("BackupArn"))
    shape.check()
    return {"BackupDescription": describe_backup_of(_find_backup(db, request["BackupArn"]))}


def delete_backup(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"BackupArn": "String"})
    shape = validate.Shape()
    _backup_arn_shape(shape, request.get("BackupArn"))
    shape.check()
    backup = _find_backup(db, request["BackupArn"])
    if backup.expires_at is not None:  # a SYSTEM backup: it expires, nobody deletes it
        expiry = datetime.datetime.fromtimestamp(backup.expires_at, datetime.timezone.utc)
        raise ValidationException(
            f"Invalid Request: User is not allowed to delete the system backup with arn {backup.arn}. It will "
            f"automatically expire on {expiry.isoformat(timespec='milliseconds').replace('+00:00', 'Z')}")
    _settle_restores(db, backup)
    if backup.restoring:
        raise BackupInUseException(
            f"Backup is being used to restore a table: {', '.join(sorted(backup.restoring))}"
        )
    backup_store(db).remove(backup)
    return {"BackupDescription": describe_backup_of(backup, "DELETED")}


def timestamp(value: Any) -> Optional[float]:
    """A Timestamp member: epoch seconds as a JSON number (what the SDKs send); anything
    else is the SerializationException a number member gets."""
    if value is None:
        return None
    conform_value(value, "Date")  # raises for strings, lists, objects, NaN
    return float(value)


def list_backups(db: Database, request: dict) -> dict:
    """Backups in creation order, filtered by table (name or ARN; the table need not
    exist any more), creation time (lower bound inclusive, upper bound exclusive) and
    type (USER unless said otherwise), ``Limit`` at a time; LastEvaluatedBackupArn only
    when more follow (API reference, ListBackups)."""
    request = conform(request, {"TableName": "String", "Limit": "Integer", "ExclusiveStartBackupArn": "String",
                                "BackupType": "String"})
    lower = timestamp(request.get("TimeRangeLowerBound"))
    upper = timestamp(request.get("TimeRangeUpperBound"))
    shape = validate.Shape()
    table_name_shape(shape, request.get("TableName"))
    shape.number(request.get("Limit"), "limit", 1, MAX_LIST_BACKUPS_LIMIT)
    start = request.get("ExclusiveStartBackupArn")
    shape.length(start, "exclusiveStartBackupArn", MIN_BACKUP_ARN_LENGTH, MAX_BACKUP_ARN_LENGTH)
    shape.enum(request.get("BackupType"), "backupType", BACKUP_TYPE_FILTERS)
    shape.check()
    wanted_table = request.get("TableName")
    if wanted_table is not None:
        wanted_table = table_name(db, wanted_table)
    wanted_type = request.get("BackupType") or "USER"
    limit = request.get("Limit") or MAX_LIST_BACKUPS_LIMIT
    page: list[Backup] = []
    more = False
    for backup in backup_store(db).after(start):
        if wanted_table is not None and backup.source_name != wanted_table:
            continue
        if wanted_type != "ALL" and backup.backup_type != wanted_type:
            continue
        if (lower is not None and backup.created_at < lower) or (upper is not None and backup.created_at >= upper):
            continue
        if len(page) == limit:
            more = True
            break
        page.append(backup)
    response: dict[str, Any] = {"BackupSummaries": [_summary(backup) for backup in page]}
    if more:
        response["LastEvaluatedBackupArn"] = page[-1].arn
    return response


def restore_table_from_backup(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"TargetTableName": "String", "BackupArn": "String", **restores.OVERRIDE_MEMBERS})
    shape = validate.Shape()
    validate.table_name(shape, request.get("TargetTableName"), "targetTableName")
    _backup_arn_shape(shape, request.get("BackupArn"))
    shape.enum(request.get("BillingModeOverride"), "billingModeOverride", ("PROVISIONED", "PAY_PER_REQUEST"))
    shape.check()
    backup = _find_backup(db, request["BackupArn"])
    target = request["TargetTableName"]
    restores.check_target_free(db, target)
    summary = {
        "SourceBackupArn": backup.arn,
        "SourceTableArn": backup.source_arn,
        "RestoreDateTime": backup.created_at,
    }
    description = restores.restore(db, backup.image, target, request, summary)
    if db.tables[target].status == "CREATING":
        backup.restoring.add(target)
    return {"TableDescription": description}


# ---------------------------------------------------------------- DeleteTable's SYSTEM backup


def system_backup_on_delete(db: Database, table: Table) -> None:
    """DELETE_FEATURES: a table with point-in-time recovery on leaves a SYSTEM backup of
    itself as it was just before the deletion (see the module docstring)."""
    state = table.extensions.get(PITR_EXTENSION)
    if state is None or not state.enabled:
        return
    now = db.clock.now()
    millis = int(now * 1000)
    backup_store(db).add(Backup(
        arn=f"{table.arn}/backup/{millis:014d}-00000000", name=f"{table.name}$DeletedTableBackup",
        created_at=millis / 1000, image=image_of(table, now), backup_type=SYSTEM,
        expires_at=millis / 1000 + SYSTEM_BACKUP_DAYS * 86400))


if system_backup_on_delete not in tables.DELETE_FEATURES:
    tables.DELETE_FEATURES.append(system_backup_on_delete)
