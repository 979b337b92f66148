"""Engine tests of the control plane: life cycle with delays (ManualClock), the decrease
budget over time, extension points, live counts, and request shapes botocore cannot send.
DynamoDB facts and their sources are in compat/test_*_table.py; these tests pin what only
the emulator can show (its clock and hooks)."""

import datetime

import pytest

from emulator import Config, Database, ManualClock, api
from emulator.errors import DynamoDBError, ValidationException
from emulator.operations import tables
from engine_errors import error_of

T0 = datetime.datetime(2026, 10, 9, 0, 21, 34, tzinfo=datetime.timezone.utc).timestamp()
HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = [{"AttributeName": "p", "AttributeType": "S"}]


def make_db(**config):
    return Database(config=Config(**config), clock=ManualClock(T0))


def run(db, operation, request):
    return api.call(db, operation, request)



def create(db, name="tbl", **extra):
    request = {"TableName": name, "KeySchema": HASH_P, "AttributeDefinitions": DEF_P, **extra}
    if "ProvisionedThroughput" not in extra:
        request.setdefault("BillingMode", "PAY_PER_REQUEST")
    return run(db, "CreateTable", request)["TableDescription"]


def status(db, name="tbl"):
    return run(db, "DescribeTable", {"TableName": name})["Table"]["TableStatus"]


NOT_FOUND = ("ResourceNotFoundException", "Requested resource not found")


# ---------------------------------------------------------------- life cycle


def test_zero_delays_make_tables_active_and_gone_at_once():
    db = make_db()
    assert create(db)["TableStatus"] == "CREATING"  # the response, as DynamoDB's
    assert status(db) == "ACTIVE"
    assert run(db, "DeleteTable", {"TableName": "tbl"})["TableDescription"]["TableStatus"] == "DELETING"
    assert error_of(db, "DescribeTable", {"TableName": "tbl"}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")
    assert db.before_operation == []  # no hook until a delay needs one


def test_creation_delay_keeps_table_creating_until_clock_passes():
    db = make_db(table_creation_delay_seconds=10)
    create(db)
    table = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    assert table["TableStatus"] == "CREATING"
    assert table["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    assert run(db, "ListTables", {})["TableNames"] == ["tbl"]
    assert error_of(db, "PutItem", {"TableName": "tbl", "Item": {"p": {"S": "a"}}}) == NOT_FOUND
    assert error_of(db, "GetItem", {"TableName": "tbl", "Key": {"p": {"S": "a"}}}) == NOT_FOUND
    in_use = ("ResourceInUseException", "Attempt to change a resource which is still in use: Table is being created: tbl")
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "DeletionProtectionEnabled": True}) == in_use
    assert error_of(db, "DeleteTable", {"TableName": "tbl"}) == in_use
    assert error_of(db, "CreateTable", {"TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEF_P,
                                        "BillingMode": "PAY_PER_REQUEST"}) == in_use
    arn = table["TableArn"]
    assert error_of(db, "TagResource", {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}) == in_use
    db.clock.advance(9.999)
    assert status(db) == "CREATING"
    db.clock.advance(0.001)
    assert status(db) == "ACTIVE"
    summary = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["BillingModeSummary"]
    assert summary["LastUpdateToPayPerRequestDateTime"] == T0
    run(db, "PutItem", {"TableName": "tbl", "Item": {"p": {"S": "a"}}})


def test_item_operations_finish_due_creation_through_the_hook():
    # the before_operation hook alone (no control-plane call) makes the table ACTIVE
    db = make_db(table_creation_delay_seconds=5)
    create(db)
    db.clock.advance(5)
    run(db, "PutItem", {"TableName": "tbl", "Item": {"p": {"S": "a"}}})
    assert db.tables["tbl"].status == "ACTIVE"


def test_deletion_delay_keeps_table_deleting_until_clock_passes():
    db = make_db(table_deletion_delay_seconds=30)
    create(db, Tags=[{"Key": "k", "Value": "v"}])
    arn = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["TableArn"]
    run(db, "DeleteTable", {"TableName": "tbl"})
    assert status(db) == "DELETING"
    assert run(db, "ListTables", {})["TableNames"] == ["tbl"]
    assert error_of(db, "GetItem", {"TableName": "tbl", "Key": {"p": {"S": "a"}}}) == NOT_FOUND
    in_use = ("ResourceInUseException", "Attempt to change a resource which is still in use: Table is being deleted: tbl")
    assert error_of(db, "DeleteTable", {"TableName": "tbl"}) == in_use
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "DeletionProtectionEnabled": True}) == in_use
    assert error_of(db, "UntagResource", {"ResourceArn": arn, "TagKeys": ["k"]}) == in_use
    assert run(db, "ListTagsOfResource", {"ResourceArn": arn})["Tags"] == [{"Key": "k", "Value": "v"}]
    assert error_of(db, "CreateTable", {"TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEF_P,
                                        "BillingMode": "PAY_PER_REQUEST"}) == (
        "ResourceInUseException", "Table already exists: tbl")
    db.clock.advance(30)
    assert error_of(db, "DescribeTable", {"TableName": "tbl"})[0] == "ResourceNotFoundException"
    assert run(db, "ListTables", {})["TableNames"] == []
    create(db)  # the name is free again, with no tags
    assert run(db, "ListTagsOfResource", {"ResourceArn": arn})["Tags"] == []


def test_settle_hook_is_registered_once_and_survives_reset():
    db = make_db(table_creation_delay_seconds=1)
    create(db, "one")
    create(db, "two")
    assert db.before_operation == [tables.settle]
    db.reset()
    tables.settle(db)  # the hook copes with the state it keeps being cleared
    create(db, "one")
    db.clock.advance(1)
    assert status(db, "one") == "ACTIVE"


def test_delete_of_recreated_table_is_not_confused_by_a_stale_deadline():
    db = make_db(table_creation_delay_seconds=10, table_deletion_delay_seconds=1)
    create(db)
    db.clock.advance(10)
    run(db, "DeleteTable", {"TableName": "tbl"})
    db.clock.advance(1)
    create(db)  # CREATING again, with a new deadline 10 s from now
    db.clock.advance(5)
    assert status(db) == "CREATING"
    db.clock.advance(5)
    assert status(db) == "ACTIVE"


# ---------------------------------------------------------------- counts and budget


def test_item_count_and_size_are_live():
    db = make_db()
    create(db)
    run(db, "PutItem", {"TableName": "tbl", "Item": {"p": {"S": "a"}, "x": {"S": "12345"}}})
    run(db, "PutItem", {"TableName": "tbl", "Item": {"p": {"S": "b"}}})
    table = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    assert table["ItemCount"] == 2
    assert table["TableSizeBytes"] == db.tables["tbl"].size_bytes > 0


def _set_read(db, read):
    return run(db, "UpdateTable", {"TableName": "tbl",
                                   "ProvisionedThroughput": {"ReadCapacityUnits": read, "WriteCapacityUnits": 10}})


def test_decrease_budget_per_utc_day_then_hourly():
    db = make_db()
    create(db, ProvisionedThroughput={"ReadCapacityUnits": 20, "WriteCapacityUnits": 10})
    for read in (19, 18, 17, 16):
        _set_read(db, read)
    code, message = error_of(db, "UpdateTable", {"TableName": "tbl", "ProvisionedThroughput": {
        "ReadCapacityUnits": 15, "WriteCapacityUnits": 10}})
    assert code == "LimitExceededException"
    assert message == (
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the "
        "first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 "
        "seconds. Number of decreases today: 4. Last decrease at Friday, October 9, 2026 at 12:21:34 AM Coordinated "
        "Universal Time. Next decrease can be made at Friday, October 9, 2026 at 1:21:34 AM Coordinated Universal Time")
    _set_read(db, 30)  # increases are never limited
    db.clock.advance(3599)
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "ProvisionedThroughput": {
        "ReadCapacityUnits": 15, "WriteCapacityUnits": 10}})[0] == "LimitExceededException"
    db.clock.advance(1)
    _set_read(db, 15)
    throughput = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 5
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "ProvisionedThroughput": {
        "ReadCapacityUnits": 14, "WriteCapacityUnits": 10}})[1].endswith(
        "Number of decreases today: 5. Last decrease at Friday, October 9, 2026 at 1:21:34 AM Coordinated Universal "
        "Time. Next decrease can be made at Friday, October 9, 2026 at 2:21:34 AM Coordinated Universal Time")
    db.clock.set(datetime.datetime(2026, 10, 10, 0, 0, tzinfo=datetime.timezone.utc).timestamp())
    throughput = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 0
    _set_read(db, 14)
    throughput = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 1


def test_warm_throughput_follows_highest_capacity():
    db = make_db()
    create(db, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    _set_read(db, 50)
    _set_read(db, 6)
    warm = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["WarmThroughput"]
    assert warm == {"ReadUnitsPerSecond": 50, "WriteUnitsPerSecond": 10, "Status": "ACTIVE"}


def test_switching_to_provisioned_drops_the_on_demand_maxima():
    # What DynamoDB keeps for a later switch back is not recorded; the emulator forgets.
    db = make_db()
    create(db, OnDemandThroughput={"MaxReadRequestUnits": 10})
    run(db, "UpdateTable", {"TableName": "tbl", "BillingMode": "PROVISIONED",
                            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}})
    assert "OnDemandThroughput" not in run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    run(db, "UpdateTable", {"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST"})
    assert "OnDemandThroughput" not in run(db, "DescribeTable", {"TableName": "tbl"})["Table"]


def test_a_refused_on_demand_change_changes_nothing():
    db = make_db()
    create(db, OnDemandThroughput={"MaxReadRequestUnits": 10})
    with pytest.raises(ValidationException):
        run(db, "UpdateTable", {"TableName": "tbl", "OnDemandThroughput": {"MaxReadRequestUnits": 20,
                                                                           "MaxWriteRequestUnits": 0}})
    assert run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["OnDemandThroughput"] == {"MaxReadRequestUnits": 10}


# ---------------------------------------------------------------- extension points


def test_description_parts_are_merged_with_the_shown_status(monkeypatch):
    monkeypatch.setattr(tables, "DESCRIPTION_PARTS", [lambda table, shown: {"Extra": shown}])
    db = make_db()
    assert create(db)["Extra"] == "CREATING"
    assert run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["Extra"] == "ACTIVE"


def test_table_features_run_before_the_table_is_visible(monkeypatch):
    seen = []

    def feature(db, table, request):
        seen.append((table.name, table.name in db.tables, request["BillingMode"]))
        if request["TableName"] == "bad":
            raise DynamoDBError("refused")

    monkeypatch.setattr(tables, "TABLE_FEATURES", [feature])
    db = make_db()
    create(db)
    with pytest.raises(DynamoDBError):
        create(db, "bad")
    assert seen == [("tbl", False, "PAY_PER_REQUEST"), ("bad", False, "PAY_PER_REQUEST")]
    assert list(db.tables) == ["tbl"]


def test_key_schema_sources_decide_which_definitions_are_used(monkeypatch):
    def index_keys(request):
        return [index["KeySchema"] for index in request.get("GlobalSecondaryIndexes", [])]

    monkeypatch.setattr(tables, "KEY_SCHEMA_SOURCES", tables.KEY_SCHEMA_SOURCES + [index_keys])
    monkeypatch.setattr("emulator.operations.table_requests.KEY_SCHEMA_SOURCES", tables.KEY_SCHEMA_SOURCES)
    db = make_db()
    gsi = [{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}]
    definitions = DEF_P + [{"AttributeName": "g", "AttributeType": "S"}]
    create(db, "ok1", AttributeDefinitions=definitions, GlobalSecondaryIndexes=gsi)
    assert error_of(db, "CreateTable", {
        "TableName": "bad", "KeySchema": HASH_P, "BillingMode": "PAY_PER_REQUEST", "GlobalSecondaryIndexes": gsi,
        "AttributeDefinitions": definitions + [{"AttributeName": "x", "AttributeType": "N"}]}) == (
        "ValidationException", "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
        "AttributeDefinitions: [p, g, x], keys used: [p, g]")
    assert error_of(db, "CreateTable", {
        "TableName": "bad", "KeySchema": HASH_P, "BillingMode": "PAY_PER_REQUEST", "GlobalSecondaryIndexes": gsi,
        "AttributeDefinitions": DEF_P}) == (
        "ValidationException", "One or more parameter values were invalid: Some index key attributes are not defined "
        "in AttributeDefinitions. Keys: [g], AttributeDefinitions: [p]")


def test_shape_checks_of_extensions_are_collected_with_the_others(monkeypatch):
    def gsi_shape(shape, request):
        if request.get("GlobalSecondaryIndexes") == []:
            shape.fail([], "globalSecondaryIndexes", "Member must have length greater than or equal to 1")

    monkeypatch.setattr("emulator.operations.table_requests.CREATE_SHAPE_CHECKS", [gsi_shape])
    db = make_db()
    code, message = error_of(db, "CreateTable", {"TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEF_P,
                                                 "GlobalSecondaryIndexes": [], "BillingMode": "FREE"})
    assert message.startswith("2 validation errors detected: ")
    assert "'globalSecondaryIndexes'" in message and "'billingMode'" in message


def test_create_checks_get_the_definitions(monkeypatch):
    got = []
    monkeypatch.setattr("emulator.operations.table_requests.CREATE_CHECKS", [lambda r, d: got.append(d)])
    create(make_db())
    assert got == [{"p": "S"}]


def test_update_handlers_apply_only_after_every_check(monkeypatch):
    def refuse(db, table, request):
        raise DynamoDBError("no streams today")

    monkeypatch.setitem(tables.UPDATE_HANDLERS, "StreamSpecification", refuse)
    db = make_db()
    create(db, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    with pytest.raises(DynamoDBError):
        run(db, "UpdateTable", {"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
                                "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}})
    assert db.tables["tbl"].settings["BillingMode"] == "PROVISIONED"


def test_delete_features_and_omitted_members(monkeypatch):
    deleted = []
    monkeypatch.setattr(tables, "DELETE_FEATURES", [lambda db, table: deleted.append(table.status)])
    monkeypatch.setattr(tables, "DELETION_OMITS", tables.DELETION_OMITS | {"WarmThroughput"})
    db = make_db()
    create(db)
    description = run(db, "DeleteTable", {"TableName": "tbl"})["TableDescription"]
    assert deleted == ["ACTIVE"]
    assert "WarmThroughput" not in description and "KeySchema" not in description


def test_descriptions_are_copies():
    db = make_db()
    create(db)
    first = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    first["AttributeDefinitions"][0]["AttributeType"] = "N"
    first["ProvisionedThroughput"]["ReadCapacityUnits"] = 99
    second = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    assert second["AttributeDefinitions"] == DEF_P
    assert second["ProvisionedThroughput"]["ReadCapacityUnits"] == 0


# ---------------------------------------------------------------- requests botocore cannot send


@pytest.mark.parametrize("member, value, message", [
    ("KeySchema", "p", "Unexpected field type"),
    ("KeySchema", {"a": 1}, "Start of structure or map found where not expected"),
    ("KeySchema", ["p"], "Unexpected value type in payload"),
    ("KeySchema", [["p"]], "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement"),
    ("ProvisionedThroughput", [1], "Unrecognized collection type class "
                                   "com.amazonaws.dynamodb.v20120810.ProvisionedThroughput"),
    ("ProvisionedThroughput", "x", "Unexpected field type"),
    ("ProvisionedThroughput", {"ReadCapacityUnits": "5", "WriteCapacityUnits": 5},
     "STRING_VALUE cannot be converted to Long"),
    ("ProvisionedThroughput", {"ReadCapacityUnits": True, "WriteCapacityUnits": 5},
     "TRUE_VALUE cannot be converted to Long"),
    ("TableName", ["abc"], "Unrecognized collection type class java.lang.String"),
    ("DeletionProtectionEnabled", "maybe", "Unexpected token received from parser"),
    ("Tags", [7], "Unexpected value type in payload"),
])
def test_create_table_wrong_json_types(member, value, message):
    request = {"TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEF_P,
               "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}, member: value}
    assert error_of(make_db(), "CreateTable", request) == ("SerializationException", message)


def test_create_table_converts_lenient_json_types():
    db = make_db()
    create(db, ProvisionedThroughput={"ReadCapacityUnits": 5.7, "WriteCapacityUnits": 2},
           DeletionProtectionEnabled="YES", StreamSpecification=None)
    table = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert table["DeletionProtectionEnabled"] is True
    assert "StreamSpecification" not in table


@pytest.mark.parametrize("name, error", [
    ("arn:aws:dynamodb:eu-west-1:123456789012:table/tbl",
     ("ValidationException", "1 validation error detected: Invalid AWS region in "
                             "'arn:aws:dynamodb:eu-west-1:123456789012:table/tbl'")),
    ("arn:aws:dynamodb:us-east-1:123456789012:table/tbl/index/g",
     ("ValidationException", "1 validation error detected: Invalid resource type in "
                             "'arn:aws:dynamodb:us-east-1:123456789012:table/tbl/index/g'")),
    ("arn:aws:dynamodb:us-east-1:000000000000:table/tbl", ("AccessDeniedException", "Access is denied")),
])
def test_table_arn_as_name_of_another_place(name, error):
    db = make_db()
    create(db)
    assert error_of(db, "DescribeTable", {"TableName": name}) == error


def test_create_table_by_arn_uses_the_bare_name():
    db = make_db()
    description = create(db, "arn:aws:dynamodb:us-east-1:123456789012:table/by_arn")
    assert description["TableName"] == "by_arn"
    assert list(db.tables) == ["by_arn"]
