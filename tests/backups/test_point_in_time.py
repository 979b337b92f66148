"""Point-in-time recovery on the engine: the setting, the window, and exact restores to
any moment of it (a Hypothesis model check), with time moved by a ManualClock."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator import Config, Database, ManualClock, api
from engine_errors import error_of

START = 1_700_000_000
DAY = 86400


def call(db, operation, request):
    return api.call(db, operation, request)



def make_db(**config):
    clock = ManualClock(START)
    db = Database(Config(**config), clock=clock)
    call(db, "CreateTable", {"TableName": "source", "BillingMode": "PAY_PER_REQUEST",
                             "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                             "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]})
    return db, clock


def enable(db, **spec):
    return call(db, "UpdateContinuousBackups", {
        "TableName": "source", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True, **spec}})


def pitr(db):
    return call(db, "DescribeContinuousBackups", {"TableName": "source"})[
        "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]


def contents(db, table):
    return {i["k"]["S"]: i["v"]["N"] for i in call(db, "Scan", {"TableName": table})["Items"]}


def test_pitr_is_disabled_until_enabled_and_continuous_backups_always_on():
    db, clock = make_db()
    assert call(db, "DescribeContinuousBackups", {"TableName": "source"}) == {"ContinuousBackupsDescription": {
        "ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}}
    clock.advance(5)
    assert enable(db)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"] == {
        "PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 35,
        "EarliestRestorableDateTime": START + 5, "LatestRestorableDateTime": START + 5}
    clock.advance(60)
    assert pitr(db)["LatestRestorableDateTime"] == START + 65
    assert pitr(db)["EarliestRestorableDateTime"] == START + 5


def test_the_window_is_the_recovery_period_once_it_has_passed():
    db, clock = make_db()
    enable(db, RecoveryPeriodInDays=1)
    clock.advance(3 * DAY)
    call(db, "PutItem", {"TableName": "source", "Item": {"k": {"S": "a"}, "v": {"N": "1"}}})
    assert pitr(db)["EarliestRestorableDateTime"] == START + 2 * DAY
    assert len(db.tables["source"].extensions["point_in_time_recovery"]._log) == 1
    enable(db, RecoveryPeriodInDays=7)  # changing the period keeps the history
    assert pitr(db)["RecoveryPeriodInDays"] == 7
    assert pitr(db)["EarliestRestorableDateTime"] == START


def test_disable_forgets_the_history():
    db, clock = make_db()
    enable(db)
    clock.advance(10)
    call(db, "UpdateContinuousBackups", {"TableName": "source",
                                         "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": False}})
    assert pitr(db) == {"PointInTimeRecoveryStatus": "DISABLED"}
    assert db.tables["source"].listeners.count(db.tables["source"].extensions["point_in_time_recovery"].on_write) == 0
    assert error_of(db, "RestoreTableToPointInTime", {"SourceTableName": "source", "TargetTableName": "copy",
                                                      "UseLatestRestorableTime": True}) == (
        "PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'source'")


def test_update_continuous_backups_checks_the_specification():
    db, _ = make_db()
    code, message = error_of(db, "UpdateContinuousBackups", {
        "TableName": "source", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True,
                                                                    "RecoveryPeriodInDays": 36}})
    assert (code, message) == ("ValidationException",
                               "1 validation error detected: Value '36' at "
                               "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: "
                               "Member must have value less than or equal to 35")
    code, message = error_of(db, "UpdateContinuousBackups", {"TableName": "source"})
    assert message == ("1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to "
                       "satisfy constraint: Member must not be null")
    assert error_of(db, "UpdateContinuousBackups", {
        "TableName": "nothere", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}) == (
        "TableNotFoundException", "Table not found: nothere")
    assert error_of(db, "DescribeContinuousBackups", {"TableName": "nothere"}) == (
        "TableNotFoundException", "Table not found: nothere")


def test_a_table_being_created_cannot_enable_pitr_yet():
    db, clock = make_db(table_creation_delay_seconds=3)
    assert error_of(db, "UpdateContinuousBackups", {
        "TableName": "source", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}) == (
        "ContinuousBackupsUnavailableException", "Backups are being enabled for the table: source. Please retry later")
    clock.advance(3)
    assert enable(db)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] \
        == "ENABLED"


def test_restore_time_must_lie_in_the_window_and_be_given_once():
    db, clock = make_db()
    enable(db)
    clock.advance(10)
    request = {"SourceTableName": "source", "TargetTableName": "copy"}
    assert error_of(db, "RestoreTableToPointInTime", {**request, "RestoreDateTime": START - 1})[0] == \
        "InvalidRestoreTimeException"
    assert error_of(db, "RestoreTableToPointInTime", {**request, "RestoreDateTime": START + 11})[0] == \
        "InvalidRestoreTimeException"
    assert error_of(db, "RestoreTableToPointInTime", request)[0] == "ValidationException"
    assert error_of(db, "RestoreTableToPointInTime", {**request, "RestoreDateTime": START,
                                                      "UseLatestRestorableTime": True})[0] == "ValidationException"
    assert error_of(db, "RestoreTableToPointInTime", {"TargetTableName": "copy", "UseLatestRestorableTime": True})[0] \
        == "ValidationException"
    assert error_of(db, "RestoreTableToPointInTime", {**request, "SourceTableName": "nothere",
                                                      "UseLatestRestorableTime": True}) == (
        "TableNotFoundException", "Table not found: nothere")
    assert error_of(db, "RestoreTableToPointInTime", {**request, "TargetTableName": "source",
                                                      "UseLatestRestorableTime": True}) == (
        "TableAlreadyExistsException", "Table already exists: source")
    assert "copy" not in db.tables


def test_restore_by_source_arn_to_the_latest_time_has_a_restore_summary():
    db, clock = make_db()
    enable(db)
    call(db, "PutItem", {"TableName": "source", "Item": {"k": {"S": "a"}, "v": {"N": "1"}}})
    clock.advance(2)
    arn = db.tables["source"].arn
    description = call(db, "RestoreTableToPointInTime", {"SourceTableArn": arn, "TargetTableName": "copy",
                                                         "UseLatestRestorableTime": True})["TableDescription"]
    assert description["RestoreSummary"] == {"SourceTableArn": arn, "RestoreDateTime": START + 2,
                                             "RestoreInProgress": True}
    assert contents(db, "copy") == {"a": "1"}
    # PITR itself is not copied (API reference: "Point in time recovery settings" are set up by hand)
    assert call(db, "DescribeContinuousBackups", {"TableName": "copy"})["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}


# (time step, key, value or None to delete)
WRITES = st.lists(st.tuples(st.integers(0, 3), st.sampled_from("abcde"), st.one_of(st.none(), st.integers(0, 9))),
                  max_size=25)


@settings(max_examples=60, deadline=None)
@given(WRITES, st.data())
def test_a_restore_to_any_moment_of_the_window_is_that_moments_table(writes, data):
    """Model: the table's contents after each write, by time; a restore to T must equal
    the contents after the last write at or before T."""
    db, clock = make_db()
    call(db, "PutItem", {"TableName": "source", "Item": {"k": {"S": "z"}, "v": {"N": "0"}}})  # before PITR
    enable(db)
    model: dict[str, str] = {"z": "0"}
    history = [(clock.now(), dict(model))]
    for step, key, value in writes:
        clock.advance(step)
        if value is None:
            call(db, "DeleteItem", {"TableName": "source", "Key": {"k": {"S": key}}})
            model.pop(key, None)
        else:
            call(db, "PutItem", {"TableName": "source", "Item": {"k": {"S": key}, "v": {"N": str(value)}}})
            model[key] = str(value)
        history.append((clock.now(), dict(model)))
    when = data.draw(st.integers(START, int(clock.now())))
    expected = [state for at, state in history if at <= when][-1]
    call(db, "RestoreTableToPointInTime", {"SourceTableName": "source", "TargetTableName": "copy",
                                           "RestoreDateTime": when})
    assert contents(db, "copy") == expected
    assert contents(db, "source") == model  # the source is untouched
    db.tables["copy"]._check()
