"""Point-in-time recovery: DescribeContinuousBackups, UpdateContinuousBackups,
RestoreTableToPointInTime.

Continuous backups are always on for a DynamoDB table (ContinuousBackupsStatus ENABLED);
point-in-time recovery is off until UpdateContinuousBackups turns it on (AWS CLI
examples "describe-continuous-backups" and "update-continuous-backups"). While it is on,
the table's changes are kept for ``RecoveryPeriodInDays`` (1-35, default 35), and a
restore to any moment from EarliestRestorableDateTime (when PITR was enabled, or the
start of the period) to LatestRestorableDateTime is exact (emulator/backups.py).

Differences, by design: DynamoDB's LatestRestorableDateTime is about five minutes in the
past (API reference, PointInTimeRecoveryDescription); the emulator's is now, so code and
tests need not wait. Deleting a table with PITR on makes a SYSTEM backup in DynamoDB;
the emulator does not.

Messages: a missing table is TableNotFoundException "Table not found: <name>"
(nccgroup/ScoutSuite#1533, DescribeContinuousBackups on AWS); a table being created is
ContinuousBackupsUnavailableException "Backups are being enabled for the table: <name>.
Please retry later" (aws-amplify/amplify-backend#1654); a restore from a table without
PITR is PointInTimeRecoveryUnavailableException "Point in time recovery is not enabled
for table '<name>'" (moto; the start matches the deverrors.com page on that error).
"""

from __future__ import annotations

from typing import Any, Optional

from .. import validate
from ..backups import PITR_EXTENSION, point_in_time
from ..database import Database
from ..errors import InvalidRestoreTimeException, PointInTimeRecoveryUnavailableException, ValidationException
from ..table import Table
from . import restores, tables
from .backups import backups_table, image_of, table_not_found, timestamp
from .request_types import Struct, conform
from .table_requests import check_table_name, table_name, table_name_shape

MIN_RECOVERY_PERIOD_DAYS = 1
MAX_RECOVERY_PERIOD_DAYS = 35
_SPECIFICATION = Struct(
    "PointInTimeRecoverySpecification", {"PointInTimeRecoveryEnabled": "Boolean", "RecoveryPeriodInDays": "Integer"}
)


def _description(db: Database, table: Table) -> dict[str, Any]:
    """ContinuousBackupsDescription: PITR DISABLED alone, or ENABLED with its period and
    window (members as in the API reference, PointInTimeRecoveryDescription)."""
    state = table.extensions.get(PITR_EXTENSION)
    if state is None or not state.enabled:
        pitr: dict[str, Any] = {"PointInTimeRecoveryStatus": "DISABLED"}
    else:
        now = db.clock.now()
        pitr = {
            "PointInTimeRecoveryStatus": "ENABLED",
            "RecoveryPeriodInDays": state.period_days,
            "EarliestRestorableDateTime": state.earliest(now),
            "LatestRestorableDateTime": now,
        }
    return {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED",
                                             "PointInTimeRecoveryDescription": pitr}}


def describe_continuous_backups(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"TableName": "String"})
    check_table_name(request)
    name = table_name(db, request["TableName"])
    table = db.tables.get(name)
    if table is None:
        raise table_not_found(name)
    return _description(db, table)


def update_continuous_backups(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"TableName": "String", "PointInTimeRecoverySpecification": _SPECIFICATION})
    check_table_name(request)
    shape = validate.Shape()
    spec = request.get("PointInTimeRecoverySpecification")
    path = "pointInTimeRecoverySpecification"
    if shape.required(spec, path):
        shape.required(spec.get("PointInTimeRecoveryEnabled"), path + ".pointInTimeRecoveryEnabled")
        shape.number(spec.get("RecoveryPeriodInDays"), path + ".recoveryPeriodInDays",
                     MIN_RECOVERY_PERIOD_DAYS, MAX_RECOVERY_PERIOD_DAYS)
    shape.check()
    table = backups_table(db, request["TableName"])
    state = point_in_time(db, table)
    if spec["PointInTimeRecoveryEnabled"]:
        state.enable(table, spec.get("RecoveryPeriodInDays"), db.clock.now())
    else:
        state.disable(table)
    return _description(db, table)


def _source_name(db: Database, request: dict) -> str:
    """SourceTableName or SourceTableArn, exactly one (wording not verified)."""
    name, arn = request.get("SourceTableName"), request.get("SourceTableArn")
    if (name is None) == (arn is None):
        raise ValidationException("Exactly one of SourceTableName and SourceTableArn must be specified")
    return name if name is not None else table_name(db, arn)


def _restore_time(request: dict, earliest: float, latest: float) -> float:
    """UseLatestRestorableTime or RestoreDateTime (not both); a time outside the window
    is InvalidRestoreTimeException (the API model's meaning; wording not verified)."""
    use_latest = bool(request.get("UseLatestRestorableTime"))
    when: Optional[float] = timestamp(request.get("RestoreDateTime"))
    if use_latest and when is not None:
        raise ValidationException("Only one of RestoreDateTime and UseLatestRestorableTime can be specified")
    if when is None:
        if not use_latest:
            raise ValidationException("Either RestoreDateTime or UseLatestRestorableTime must be specified")
        return latest
    if not earliest <= when <= latest:
        raise InvalidRestoreTimeException(
            "RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime"
        )
    return when


def restore_table_to_point_in_time(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"SourceTableArn": "String", "SourceTableName": "String", "TargetTableName": "String",
                                "UseLatestRestorableTime": "Boolean", **restores.OVERRIDE_MEMBERS})
    shape = validate.Shape()
    table_name_shape(shape, request.get("SourceTableArn"), "sourceTableArn")
    if request.get("SourceTableName") is not None:
        validate.table_name(shape, request["SourceTableName"], "sourceTableName")
    validate.table_name(shape, request.get("TargetTableName"), "targetTableName")
    shape.enum(request.get("BillingModeOverride"), "billingModeOverride", ("PROVISIONED", "PAY_PER_REQUEST"))
    shape.check()
    name = _source_name(db, request)
    source = db.tables.get(name)
    if source is None or source.status == "DELETING":
        raise table_not_found(name)
    state = source.extensions.get(PITR_EXTENSION)
    if state is None or not state.enabled:
        raise PointInTimeRecoveryUnavailableException(f"Point in time recovery is not enabled for table '{name}'")
    target = request["TargetTableName"]
    restores.check_target_free(db, target)
    now = db.clock.now()
    when = _restore_time(request, state.earliest(now), now)
    image = image_of(source, now, state.items_at(source, when))
    summary = {"SourceTableArn": source.arn, "RestoreDateTime": when}
    return {"TableDescription": restores.restore(db, image, target, request, summary)}
