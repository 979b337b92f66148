"""Engine tests of the Kinesis streaming destinations (operations/kinesis_destinations.py):
the per-table list of destinations and its statuses, how an unusable stream ARN fails,
the precision, table states (with a ManualClock and creation/deletion delays), and the
request checks with their messages. The DynamoDB facts behind them (ack-api-quirks
findings DDB-TABLE-014, -233..-236, -268, -271, -299..-304, -318, -442, -460, observed on
AWS 2026-10) are listed in the module's docstring; compat/test_kinesis_destinations.py
pins them through boto3. No records go anywhere: there is no Kinesis here."""

import pytest

from emulator import Config, Database, ManualClock, api
from emulator.operations import kinesis_destinations as kd
from engine_errors import error_of

T0 = 1_790_000_000.0
KEYS = [{"AttributeName": "p", "KeyType": "HASH"}]
DEFS = [{"AttributeName": "p", "AttributeType": "S"}]


def make_db(**config):
    return Database(config=Config(**config), clock=ManualClock(T0))


def run(db, operation, request):
    return api.call(db, operation, request)


def create(db, name="tbl"):
    run(db, "CreateTable", {"TableName": name, "KeySchema": KEYS, "AttributeDefinitions": DEFS,
                            "BillingMode": "PAY_PER_REQUEST"})
    return name


def stream(db, name="s1", region=None, account=None):
    return f"arn:aws:kinesis:{region or db.region}:{account or db.account_id}:stream/{name}"


def enable(db, arn, table="tbl", precision=None):
    request = {"TableName": table, "StreamArn": arn}
    if precision is not None:
        request["EnableKinesisStreamingConfiguration"] = {"ApproximateCreationDateTimePrecision": precision}
    return run(db, "EnableKinesisStreamingDestination", request)


def disable(db, arn, table="tbl", **extra):
    return run(db, "DisableKinesisStreamingDestination", {"TableName": table, "StreamArn": arn, **extra})


def update(db, arn, precision, table="tbl"):
    return run(db, "UpdateKinesisStreamingDestination", {
        "TableName": table, "StreamArn": arn,
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": precision}})


def destinations(db, table="tbl"):
    response = run(db, "DescribeKinesisStreamingDestination", {"TableName": table})
    assert response["TableName"] == table
    return response["KinesisDataStreamDestinations"]


@pytest.fixture
def db():
    database = make_db()
    create(database)
    return database


# ---------------------------------------------------------------- Describe and Enable


def test_describe_of_a_table_never_configured_is_an_empty_list(db):
    assert run(db, "DescribeKinesisStreamingDestination", {"TableName": "tbl"}) == {
        "TableName": "tbl", "KinesisDataStreamDestinations": []}


def test_enable_answers_enabling_and_describe_shows_active_with_arn_and_status_only(db):
    arn = stream(db)
    assert enable(db, arn) == {"TableName": "tbl", "StreamArn": arn, "DestinationStatus": "ENABLING",
                               "EnableKinesisStreamingConfiguration": {}}
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "ACTIVE"}]


def test_enable_with_a_precision_echoes_it_and_describe_shows_it(db):
    arn = stream(db)
    response = enable(db, arn, precision="MICROSECOND")
    assert response["EnableKinesisStreamingConfiguration"] == {"ApproximateCreationDateTimePrecision": "MICROSECOND"}
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "ACTIVE",
                                 "ApproximateCreationDateTimePrecision": "MICROSECOND"}]


def test_table_arn_names_the_table_in_every_operation(db):
    table_arn = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["TableArn"]
    arn = stream(db)
    assert enable(db, arn, table=table_arn)["TableName"] == "tbl"
    assert update(db, arn, "MICROSECOND", table=table_arn)["TableName"] == "tbl"
    assert destinations(db, "tbl")[0]["DestinationStatus"] == "ACTIVE"
    described = run(db, "DescribeKinesisStreamingDestination", {"TableName": table_arn})
    assert described["TableName"] == "tbl"
    assert disable(db, arn, table=table_arn)["TableName"] == "tbl"


@pytest.mark.parametrize("second", ["s1", "s2"])
@pytest.mark.parametrize("precision", [None, "MICROSECOND"])
def test_enable_while_a_destination_is_active_is_refused(db, second, precision):
    enable(db, stream(db))
    assert error_of(db, "EnableKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": stream(db, second),
        **({"EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": precision}}
           if precision else {})}) == ("ValidationException", kd.ENABLE_REFUSED)
    assert kd.ENABLE_REFUSED == (
        "Table is not in a valid state to enable Kinesis Streaming Destination: "
        "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.")
    assert len(destinations(db)) == 1


# ---------------------------------------------------------------- unusable stream ARNs


@pytest.mark.parametrize("arn, reason", [
    ("arn:aws:dynamodb:us-east-1:123456789012:table/tbl", kd.NO_PERMISSION),
    ("arn:aws:kinesis:us-east-1:123456789012:stream/s1/consumer/c1:1790000000", kd.NO_PERMISSION),
    ("arn:aws:kinesis:us-west-2:123456789012:stream/s1", kd.OTHER_REGION),
    ("arn:aws:kinesis:us-east-1:210987654321:stream/s1", kd.NOT_ACTIVE),
    ("arn:aws:firehose:us-east-1:123456789012:deliverystream/d1", kd.NOT_ACTIVE),
    ("arn:aws:kinesis:us-east-1:123456789012:stream/bad name!", kd.NO_PERMISSION),
    ("this string is no ARN at all, but it is long enough", kd.NO_PERMISSION),
])
def test_enable_of_an_unusable_arn_answers_enabling_then_enable_failed(db, arn, reason):
    assert enable(db, arn)["DestinationStatus"] == "ENABLING"
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "ENABLE_FAILED",
                                 "DestinationStatusDescription": reason}]


def test_failure_texts_are_dynamodbs():
    assert kd.NO_PERMISSION == "User does not have a permission to use kinesis stream"
    assert kd.OTHER_REGION == (
        "The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region")
    assert kd.NOT_ACTIVE == (
        "The kinesis Arn used to enable kinesis replication belongs to a stream which is not in Active state")


def test_failed_entries_accumulate_newest_first_and_a_reenable_flips_one(db):
    bad1 = stream(db, "n1", account="210987654321")
    bad2 = stream(db, "n2", region="eu-west-1")
    enable(db, bad1)
    enable(db, bad2)
    assert [entry["StreamArn"] for entry in destinations(db)] == [bad2, bad1]
    enable(db, bad1)  # the ENABLE_FAILED entry flips; no second entry
    assert [entry["StreamArn"] for entry in destinations(db)] == [bad1, bad2]
    good = stream(db)
    enable(db, good)  # failed entries do not block an enable
    listed = destinations(db)
    assert [(entry["StreamArn"], entry["DestinationStatus"]) for entry in listed] == [
        (good, "ACTIVE"), (bad1, "ENABLE_FAILED"), (bad2, "ENABLE_FAILED")]
    assert "DestinationStatusDescription" not in listed[0]


@pytest.mark.parametrize("operation", ["Disable", "Update"])
def test_an_enable_failed_entry_can_be_neither_disabled_nor_updated(db, operation):
    bad = stream(db, account="210987654321")
    enable(db, bad)
    if operation == "Disable":
        assert error_of(db, "DisableKinesisStreamingDestination", {"TableName": "tbl", "StreamArn": bad}) == (
            "ValidationException", kd.DISABLE_REFUSED)
    else:
        code, message = error_of(db, "UpdateKinesisStreamingDestination", {
            "TableName": "tbl", "StreamArn": bad,
            "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}})
        assert (code, message) == ("ValidationException", kd.STATE_PREFIX + (
            "Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. "
            f"TableName: tbl, kdsArn: {bad}"))


# ---------------------------------------------------------------- Disable


def test_disable_answers_disabling_and_the_disabled_entry_stays(db):
    arn = stream(db)
    enable(db, arn, precision="MICROSECOND")
    assert disable(db, arn) == {"TableName": "tbl", "StreamArn": arn, "DestinationStatus": "DISABLING",
                                "EnableKinesisStreamingConfiguration": {}}
    db.clock.advance(600)
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "DISABLED",
                                 "ApproximateCreationDateTimePrecision": "MICROSECOND"}]


def test_reenable_after_disable_flips_the_entry_and_resets_the_precision(db):
    arn = stream(db)
    enable(db, arn, precision="MICROSECOND")
    disable(db, arn)
    enable(db, arn)
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "ACTIVE"}]


def test_disable_then_enable_of_another_stream_lists_both(db):
    first, second = stream(db, "s1"), stream(db, "s2")
    enable(db, first)
    disable(db, first)
    enable(db, second)
    assert [(e["StreamArn"], e["DestinationStatus"]) for e in destinations(db)] == [
        (second, "ACTIVE"), (first, "DISABLED")]


@pytest.mark.parametrize("arn", [
    "arn:aws:kinesis:us-east-1:123456789012:stream/never-enabled",
    "arn:aws:kinesis:us-east-1:123456789012:stream/s1",  # disabled below
    "not-an-arn",  # 10 characters: DynamoDB checks no length here (DDB-TABLE-302)
])
def test_disable_of_anything_not_active_is_refused_with_the_same_words(db, arn):
    enable(db, stream(db, "s1"))
    disable(db, stream(db, "s1"))
    assert error_of(db, "DisableKinesisStreamingDestination", {"TableName": "tbl", "StreamArn": arn}) == (
        "ValidationException", kd.DISABLE_REFUSED)
    assert kd.DISABLE_REFUSED == ("Table is not in a valid state to enable Kinesis Streaming Destination: "
                                  "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.")


def test_disable_with_a_configuration_is_refused(db):
    arn = stream(db)
    enable(db, arn)
    assert error_of(db, "DisableKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": arn,
        "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}}) == (
        "ValidationException", "Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters")
    assert destinations(db)[0]["DestinationStatus"] == "ACTIVE"
    # an empty configuration carries no parameter (not verified): accepted
    assert disable(db, arn, EnableKinesisStreamingConfiguration={})["DestinationStatus"] == "DISABLING"


# ---------------------------------------------------------------- Update


def test_update_answers_updating_and_describe_shows_the_new_precision(db):
    arn = stream(db)
    enable(db, arn)
    assert update(db, arn, "MICROSECOND") == {
        "TableName": "tbl", "StreamArn": arn, "DestinationStatus": "UPDATING",
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}}
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "ACTIVE",
                                 "ApproximateCreationDateTimePrecision": "MICROSECOND"}]
    update(db, arn, "MILLISECOND")
    assert destinations(db)[0]["ApproximateCreationDateTimePrecision"] == "MILLISECOND"


@pytest.mark.parametrize("given, sent", [(None, "MILLISECOND"), ("MICROSECOND", "MICROSECOND"),
                                         ("MILLISECOND", "MILLISECOND")])
def test_update_to_the_precision_in_force_is_refused(db, given, sent):
    arn = stream(db)
    enable(db, arn, precision=given)
    table_id = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["TableId"]
    assert error_of(db, "UpdateKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": arn,
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": sent}}) == (
        "ValidationException",
        f"Invalid Request: Precision is already set to the desired value of {sent} for tableId: {table_id}, "
        f"kdsArn: {arn}")


@pytest.mark.parametrize("configuration", [None, {}, {"ApproximateCreationDateTimePrecision": None}])
def test_update_without_a_precision_is_refused(db, configuration):
    arn = stream(db)
    enable(db, arn)
    request = {"TableName": "tbl", "StreamArn": arn}
    if configuration is not None:
        request["UpdateKinesisStreamingConfiguration"] = configuration
    assert error_of(db, "UpdateKinesisStreamingDestination", request) == (
        "ValidationException", "Streaming destination cannot be updated with given parameters: "
        "UpdateKinesisStreamingConfiguration cannot be null or contain only null values")


def test_update_of_a_stream_never_enabled_names_it(db):
    arn = stream(db, "other")
    assert error_of(db, "UpdateKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": arn,
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}}) == (
        "ValidationException", "Table is not in a valid state to enable Kinesis Streaming Destination: "
        f"No streaming destination with streamArn: {arn} found for table with tableName: tbl")


def test_update_of_a_disabled_destination_is_refused(db):
    arn = stream(db)
    enable(db, arn)
    disable(db, arn)
    code, message = error_of(db, "UpdateKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": arn,
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}})
    assert code == "ValidationException"
    assert message.endswith(f"Updates are only allowed in ACTIVE state. TableName: tbl, kdsArn: {arn}")


# ---------------------------------------------------------------- tables and their states


@pytest.mark.parametrize("operation, extra", [
    ("DescribeKinesisStreamingDestination", {}),
    ("EnableKinesisStreamingDestination", {"StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s1"}),
    ("DisableKinesisStreamingDestination", {"StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s1"}),
    ("UpdateKinesisStreamingDestination", {
        "StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s1",
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}}),
])
@pytest.mark.parametrize("name", ["missing", "arn:aws:dynamodb:us-east-1:123456789012:table/missing"])
def test_a_missing_table_is_not_found(db, operation, extra, name):
    assert error_of(db, operation, {"TableName": name, **extra}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: missing not found")


def test_destinations_disappear_with_the_table(db):
    enable(db, stream(db))
    run(db, "DeleteTable", {"TableName": "tbl"})
    create(db)
    assert destinations(db) == []


def test_describe_table_shows_nothing_of_the_destination(db):
    before = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    enable(db, stream(db))
    after = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    assert after == before
    assert "StreamSpecification" not in after and "LatestStreamArn" not in after


def test_a_creating_table_describes_but_does_not_take_changes():
    db = make_db(table_creation_delay_seconds=10)
    create(db)
    assert destinations(db) == []
    assert error_of(db, "EnableKinesisStreamingDestination", {"TableName": "tbl", "StreamArn": stream(db)}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")
    db.clock.advance(10)
    assert enable(db, stream(db))["DestinationStatus"] == "ENABLING"


def test_a_deleting_tables_active_destination_reads_updating_and_takes_no_changes():
    db = make_db(table_deletion_delay_seconds=10)
    create(db)
    arn = stream(db)
    enable(db, arn, precision="MICROSECOND")
    run(db, "DeleteTable", {"TableName": "tbl"})
    assert destinations(db) == [{"StreamArn": arn, "DestinationStatus": "UPDATING",
                                 "ApproximateCreationDateTimePrecision": "MICROSECOND"}]
    second = {"TableName": "tbl", "StreamArn": stream(db, "s2")}
    assert error_of(db, "EnableKinesisStreamingDestination", second) == ("ValidationException", kd.ENABLE_REFUSED)
    assert error_of(db, "DisableKinesisStreamingDestination", {"TableName": "tbl", "StreamArn": arn}) == (
        "ValidationException", kd.DISABLE_REFUSED)
    db.clock.advance(10)
    assert error_of(db, "DescribeKinesisStreamingDestination", {"TableName": "tbl"}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")


# ---------------------------------------------------------------- request checks


def test_a_missing_stream_arn_is_a_shape_error(db):
    for operation in ("EnableKinesisStreamingDestination", "DisableKinesisStreamingDestination"):
        assert error_of(db, operation, {"TableName": "tbl"}) == (
            "ValidationException", "1 validation error detected: Value null at 'streamArn' failed to satisfy "
            "constraint: Member must not be null")


def test_an_unknown_precision_and_a_missing_stream_arn_are_reported_together(db):
    code, message = error_of(db, "EnableKinesisStreamingDestination", {
        "TableName": "tbl", "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "SECOND"}})
    assert code == "ValidationException"
    assert message.startswith("2 validation errors detected: ")
    assert ("Value 'SECOND' at 'enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed "
            "to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]") in message


def test_an_unknown_update_precision_is_a_shape_error(db):
    assert error_of(db, "UpdateKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": stream(db),
        "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": ""}}) == (
        "ValidationException", "1 validation error detected: Value '' at "
        "'updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to satisfy constraint: "
        "Member must satisfy enum value set: [MILLISECOND, MICROSECOND]")


@pytest.mark.parametrize("operation", ["DescribeKinesisStreamingDestination", "EnableKinesisStreamingDestination"])
def test_table_name_is_checked_first(db, operation):
    assert error_of(db, operation, {}) == (
        "ValidationException", "The parameter 'TableName' is required but was not present in the request")
    assert error_of(db, operation, {"TableName": "ab"}) == (
        "ValidationException", "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy "
        "constraint: Member must have length greater than or equal to 3")


def test_member_types_are_checked_before_anything_else(db):
    assert error_of(db, "EnableKinesisStreamingDestination", {"TableName": "x", "StreamArn": 5}) == (
        "SerializationException", "NUMBER_VALUE cannot be converted to String")
    assert error_of(db, "UpdateKinesisStreamingDestination", {
        "TableName": "tbl", "StreamArn": stream(db), "UpdateKinesisStreamingConfiguration": []}) == (
        "SerializationException",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.UpdateKinesisStreamingConfiguration")


def test_disable_refuses_a_configuration_before_looking_the_table_up(db):
    assert error_of(db, "DisableKinesisStreamingDestination", {
        "TableName": "missing", "StreamArn": stream(db),
        "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MILLISECOND"}})[1] == (
        kd.DISABLE_WITH_CONFIGURATION)
