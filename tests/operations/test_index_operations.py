"""Engine tests of the index control plane (operations/indexes.py): the index life cycle
under ``Config.index_creation_delay_seconds`` with a ManualClock, UpdateTable's index
changes and their effect on stored state, and request shapes botocore will not send.
DynamoDB's behaviour and its sources are pinned in compat/test_gsi.py, test_lsi.py and
test_update_table_gsi.py."""


from emulator import Config, Database, ManualClock, api
from emulator.indexes import table_indexes
from engine_errors import error_of

T0 = 1_790_000_000.0
DEFS = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}]
HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
GSI_G = {"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}}


def make_db(**config):
    return Database(config=Config(**config), clock=ManualClock(T0))


def run(db, operation, request):
    return api.call(db, operation, request)



def create(db, name="tbl", **extra):
    request = {"TableName": name, "KeySchema": HASH_P, "AttributeDefinitions": DEFS[:1],
               "BillingMode": "PAY_PER_REQUEST", **extra}
    return run(db, "CreateTable", request)["TableDescription"]


def add_gsi(db, name="gsi", attribute="g", **extra):
    body = {"IndexName": name, "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, **extra}
    return run(db, "UpdateTable", {"TableName": "tbl", "AttributeDefinitions": [
        {"AttributeName": attribute, "AttributeType": "S"}], "GlobalSecondaryIndexUpdates": [{"Create": body}]})


def gsis(db, name="tbl"):
    return {index["IndexName"]: index
            for index in run(db, "DescribeTable", {"TableName": name})["Table"].get("GlobalSecondaryIndexes", [])}


def put(db, **attributes):
    run(db, "PutItem", {"TableName": "tbl", "Item": {k: {"S": v} for k, v in attributes.items()}})


# ---------------------------------------------------------------- life cycle


def test_new_index_is_creating_backfilling_until_the_delay_passes():
    db = make_db(index_creation_delay_seconds=60)
    create(db)
    put(db, p="a", g="x")
    response = add_gsi(db)["TableDescription"]
    (entry,) = response["GlobalSecondaryIndexes"]
    assert response["TableStatus"] == "UPDATING"
    assert (entry["IndexStatus"], entry["Backfilling"]) == ("CREATING", False)
    assert entry["ItemCount"] == 1  # items are copied at once; only the status waits
    assert (gsis(db)["gsi"]["IndexStatus"], gsis(db)["gsi"]["Backfilling"]) == ("CREATING", True)
    assert error_of(db, "DeleteTable", {"TableName": "tbl"}) == (
        "ResourceInUseException", "Attempt to change a resource which is still in use: Cannot delete table while "
        "indexes are being created, updated, or deleted.")
    db.clock.advance(59.9)
    assert gsis(db)["gsi"]["IndexStatus"] == "CREATING"
    db.clock.advance(0.1)
    assert gsis(db)["gsi"]["IndexStatus"] == "ACTIVE" and "Backfilling" not in gsis(db)["gsi"]
    run(db, "DeleteTable", {"TableName": "tbl"})


def test_zero_delay_index_is_active_on_the_next_request():
    db = make_db()
    create(db)
    assert add_gsi(db)["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    assert gsis(db)["gsi"]["IndexStatus"] == "ACTIVE"


def test_only_one_index_is_built_at_a_time():
    db = make_db(index_creation_delay_seconds=10)
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=[GSI_G])
    add_gsi(db, "second", "h")
    limit = ("LimitExceededException",
             "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
        {"Delete": {"IndexName": "gsi"}}]}) == limit
    db.clock.advance(10)
    run(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "gsi"}}]})
    assert list(gsis(db)) == ["second"]


def test_indexes_of_a_creating_table_are_creating_too():
    db = make_db(table_creation_delay_seconds=5)
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=[GSI_G])
    assert gsis(db)["gsi"]["IndexStatus"] == "CREATING" and "WarmThroughput" not in gsis(db)["gsi"]
    db.clock.advance(5)
    assert gsis(db)["gsi"]["IndexStatus"] == "ACTIVE"


def test_index_being_built_is_not_readable():
    db = make_db(index_creation_delay_seconds=10)
    create(db)
    add_gsi(db)
    index = table_indexes(db.tables["tbl"]).get("gsi")
    assert (index.status, index.online) == ("CREATING", True)
    db.clock.advance(10)
    run(db, "ListTables", {})
    assert index.status == "ACTIVE"


# ---------------------------------------------------------------- UpdateTable effects


def test_created_index_adds_its_definitions_and_deleted_index_removes_them():
    db = make_db()
    create(db)
    put(db, p="a", g="x")
    put(db, p="b")
    add_gsi(db)
    table = db.tables["tbl"]
    assert table.settings["AttributeDefinitions"] == DEFS
    assert len(table_indexes(table).get("gsi").items) == 1
    table_indexes(table)._check()
    response = run(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
        {"Delete": {"IndexName": "gsi"}}]})["TableDescription"]
    assert response["GlobalSecondaryIndexes"][0]["IndexStatus"] == "DELETING"
    assert table.settings["AttributeDefinitions"] == DEFS[:1]
    assert "GlobalSecondaryIndexes" not in run(db, "DescribeTable", {"TableName": "tbl"})["Table"]
    put(db, p="c", g="y")  # no longer checked or kept
    assert table_indexes(table).get("gsi") is None


def test_existing_definitions_win_over_conflicting_ones_sent_with_a_create():
    db = make_db()
    create(db)
    run(db, "UpdateTable", {"TableName": "tbl", "AttributeDefinitions": [
        {"AttributeName": "p", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "N"}],
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "byp", "KeySchema": [
            {"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "p", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}}]})
    assert db.tables["tbl"].settings["AttributeDefinitions"] == [
        {"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "N"}]
    assert table_indexes(db.tables["tbl"]).get("byp").schema.range_type == "S"


def test_gsi_throughput_update_and_billing_switches():
    db = make_db()
    create(db, AttributeDefinitions=DEFS, BillingMode="PROVISIONED",
           ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
           GlobalSecondaryIndexes=[{**GSI_G, "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}}])
    response = run(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
        {"Update": {"IndexName": "gsi", "ProvisionedThroughput": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 3}}}]})
    (entry,) = response["TableDescription"]["GlobalSecondaryIndexes"]
    assert entry["IndexStatus"] == "UPDATING" and entry["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    described = gsis(db)["gsi"]["ProvisionedThroughput"]
    assert (described["ReadCapacityUnits"], described["LastIncreaseDateTime"]) == (4, T0)
    run(db, "UpdateTable", {"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST"})
    described = gsis(db)["gsi"]["ProvisionedThroughput"]
    assert (described["ReadCapacityUnits"], described["WriteCapacityUnits"]) == (0, 0)
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "BillingMode": "PROVISIONED",
                                        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}) == (
        "ValidationException",
        "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: gsi")
    run(db, "UpdateTable", {"TableName": "tbl", "BillingMode": "PROVISIONED",
                            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                            "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "gsi", "ProvisionedThroughput": {
                                "ReadCapacityUnits": 7, "WriteCapacityUnits": 8}}}]})
    described = gsis(db)["gsi"]["ProvisionedThroughput"]
    assert (described["ReadCapacityUnits"], described["WriteCapacityUnits"]) == (7, 8)


def test_refused_update_table_changes_no_index():
    db = make_db()
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=[GSI_G])
    before = gsis(db)
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
        {"Delete": {"IndexName": "gsi"}}, {"Update": {"IndexName": "nope"}}]})[0] == "ResourceNotFoundException"
    assert gsis(db) == before


def test_get_and_query_paths_are_untouched_by_index_deletion_with_items():
    db = make_db()
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=[GSI_G])
    for n in range(5):
        put(db, p=str(n), g="same")
    run(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "gsi"}}]})
    assert run(db, "GetItem", {"TableName": "tbl", "Key": {"p": {"S": "3"}}})["Item"]["g"] == {"S": "same"}


# ---------------------------------------------------------------- requests botocore refuses to send


def test_index_members_of_the_wrong_json_type_are_serialization_errors():
    db = make_db()
    assert error_of(db, "CreateTable", {"TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEFS[:1],
                                        "GlobalSecondaryIndexes": {"a": 1}}) == (
        "SerializationException", "Start of structure or map found where not expected")
    assert error_of(db, "CreateTable", {"TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEFS[:1],
                                        "LocalSecondaryIndexes": ["x"]}) == (
        "SerializationException", "Unexpected value type in payload")
    create(db)
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
        {"Create": {"IndexName": 5}}]}) == ("SerializationException", "NUMBER_VALUE cannot be converted to String")


def test_empty_update_entry_and_entry_with_two_actions():
    db = make_db()
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=[GSI_G])
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [{}]}) == (
        "ValidationException", "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
        "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
        {"Delete": {"IndexName": "gsi"}, "Update": {"IndexName": "gsi"}}]}) == (
        "ValidationException", "One or more parameter values were invalid: Only one global secondary index action is "
        "allowed per GlobalSecondaryIndexUpdate object")


def test_at_most_100_non_key_attributes_across_indexes():
    # The limit is documented (Service quotas, secondary indexes); the message is as a
    # third-party policy rule (a rego check for AWS::DynamoDB::Table) quotes CreateTable's
    # failure, unconfirmed on AWS, so it is pinned here rather than in compat/.
    db = make_db()
    definitions = [*DEFS, {"AttributeName": "c", "AttributeType": "S"}]
    indexes = [{"IndexName": f"gsi{n}", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": [f"a{n}_{k}" for k in range(20)]}}
               for n in range(5)]
    message = ("One or more parameter values were invalid: Number of projected attributes in all indexes exceeds "
               "limit of 100")
    assert error_of(db, "CreateTable", {
        "TableName": "tbl", "KeySchema": HASH_P, "AttributeDefinitions": DEFS, "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": indexes + [{**GSI_G, "IndexName": "one_more", "Projection": {
            "ProjectionType": "INCLUDE", "NonKeyAttributes": ["z"]}}]}) == ("ValidationException", message)
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=indexes)
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "AttributeDefinitions": definitions,
                                        "GlobalSecondaryIndexUpdates": [{"Create": {
                                            "IndexName": "by_c", "KeySchema": [{"AttributeName": "c", "KeyType": "HASH"}],
                                            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["z"]}}}]}) == (
        "ValidationException", message)


def test_index_creation_delay_flag_reaches_the_index():
    from server.cli import config_from, parse_args

    config = config_from(parse_args(["--index-creation-delay", "30"]))
    assert config.index_creation_delay_seconds == 30.0
    db = Database(config=config, clock=ManualClock(T0))
    create(db)
    add_gsi(db)
    db.clock.advance(29)
    assert gsis(db)["gsi"]["IndexStatus"] == "CREATING"
    db.clock.advance(1)
    assert gsis(db)["gsi"]["IndexStatus"] == "ACTIVE"


def test_update_table_refuses_a_21st_gsi():
    # DDB-TABLE-442 says the CreateTable limit is a LimitExceededException via UpdateTable;
    # its text there was not recorded, so CreateTable's is used and pinned here only.
    db = make_db()
    indexes = [{**GSI_G, "IndexName": f"gsi{n}"} for n in range(20)]
    create(db, AttributeDefinitions=DEFS, GlobalSecondaryIndexes=indexes)
    assert error_of(db, "UpdateTable", {"TableName": "tbl", "AttributeDefinitions": DEFS[1:], "GlobalSecondaryIndexUpdates": [
        {"Create": {**GSI_G, "IndexName": "one_more"}}]}) == (
        "LimitExceededException",
        "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20")
