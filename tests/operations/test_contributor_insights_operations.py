"""Engine tests of Contributor Insights (operations/contributor_insights.py): the setting
per table and per GSI, its life cycle with a ManualClock, the rule names, paging of
ListContributorInsights, table and index states, and the request checks with their
messages. The DynamoDB facts behind them (ack-api-quirks findings DDB-TABLE-089..097,
-112, -116, -161, -337..-344, -457, observed on AWS 2026-10) are listed in the module's
docstring; compat/test_contributor_insights.py pins them through boto3."""

import pytest

from emulator import Config, Database, ManualClock, api
from emulator.operations.contributor_insights import MAX_RULE_NAME_LENGTH
from engine_errors import error_of

T0 = 1_790_000_000.0
HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
HASH_RANGE = [*HASH_P, {"AttributeName": "s", "KeyType": "RANGE"}]
DEFS = [{"AttributeName": name, "AttributeType": "S"} for name in ("p", "s", "g", "h")]
FULL = "ACCESSED_AND_THROTTLED_KEYS"
ENABLE = {"ContributorInsightsAction": "ENABLE"}
DISABLE = {"ContributorInsightsAction": "DISABLE"}
STATE_PREFIX = "Table or Index is not in a valid state to update Key Access Insights: "


def make_db(**config):
    return Database(config=Config(**config), clock=ManualClock(T0))


def run(db, operation, request):
    return api.call(db, operation, request)


def gsi(name, hash_name="g", range_name=None):
    schema = [{"AttributeName": hash_name, "KeyType": "HASH"}]
    if range_name:
        schema.append({"AttributeName": range_name, "KeyType": "RANGE"})
    return {"IndexName": name, "KeySchema": schema, "Projection": {"ProjectionType": "KEYS_ONLY"}}


def create(db, name="tbl", schema=HASH_P, **extra):
    used = {element["AttributeName"] for element in schema}
    for index in extra.get("GlobalSecondaryIndexes", []) + extra.get("LocalSecondaryIndexes", []):
        used |= {element["AttributeName"] for element in index["KeySchema"]}
    run(db, "CreateTable", {"TableName": name, "KeySchema": schema, "BillingMode": "PAY_PER_REQUEST",
                            "AttributeDefinitions": [d for d in DEFS if d["AttributeName"] in used], **extra})
    return name


def update(db, table="tbl", **request):
    return run(db, "UpdateContributorInsights", {"TableName": table, **request})


def describe(db, table="tbl", **request):
    return run(db, "DescribeContributorInsights", {"TableName": table, **request})


def listed(db, **request):
    return run(db, "ListContributorInsights", request)


@pytest.fixture
def db():
    return make_db()


# ---------------------------------------------------------------- life cycle


def test_never_configured_table_and_gsi_are_disabled(db):
    create(db, GlobalSecondaryIndexes=[gsi("gsi1")])
    assert describe(db) == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLED"}
    assert describe(db, IndexName="gsi1") == {"TableName": "tbl", "IndexName": "gsi1",
                                              "ContributorInsightsStatus": "DISABLED"}
    assert listed(db) == {"ContributorInsightsSummaries": []}


def test_enable_answers_enabling_and_describe_is_already_enabled(db):
    create(db)
    assert update(db, **ENABLE) == {"TableName": "tbl", "ContributorInsightsStatus": "ENABLING",
                                    "ContributorInsightsMode": FULL}
    assert describe(db) == {
        "TableName": "tbl",
        "ContributorInsightsRuleList": ["DynamoDBContributorInsights-PKC-tbl-1790000000000",
                                        "DynamoDBContributorInsights-PKT-tbl-1790000000000"],
        "ContributorInsightsStatus": "ENABLED",
        "LastUpdateDateTime": T0,
        "ContributorInsightsMode": FULL,
    }


def test_a_range_key_adds_the_sort_key_rules(db):
    create(db, schema=HASH_RANGE)
    update(db, **ENABLE)
    assert describe(db)["ContributorInsightsRuleList"] == [
        f"DynamoDBContributorInsights-{kind}-tbl-1790000000000" for kind in ("PKC", "PKT", "SKC", "SKT")]


def test_gsi_rules_follow_the_index_key_schema(db):
    create(db, schema=HASH_RANGE, GlobalSecondaryIndexes=[gsi("gsi1"), gsi("gsi2", "g", "h")])
    update(db, IndexName="gsi1", **ENABLE)
    update(db, IndexName="gsi2", **ENABLE)
    assert describe(db, IndexName="gsi1")["ContributorInsightsRuleList"] == [
        "DynamoDBContributorInsights-PKC-tbl-gsi1-1790000000000",
        "DynamoDBContributorInsights-PKT-tbl-gsi1-1790000000000"]
    assert len(describe(db, IndexName="gsi2")["ContributorInsightsRuleList"]) == 4
    assert describe(db)["ContributorInsightsStatus"] == "DISABLED"  # the table's own setting is apart


def test_table_arn_is_accepted(db):
    create(db)
    arn = run(db, "DescribeTable", {"TableName": "tbl"})["Table"]["TableArn"]
    assert update(db, arn, **ENABLE)["TableName"] == "tbl"
    assert describe(db, arn)["ContributorInsightsStatus"] == "ENABLED"
    assert listed(db, TableName=arn)["ContributorInsightsSummaries"][0]["TableName"] == "tbl"


def test_enable_in_the_current_mode_is_a_no_op(db):
    create(db)
    update(db, **ENABLE)
    before = describe(db)
    db.clock.advance(30)
    assert update(db, **ENABLE)["ContributorInsightsStatus"] == "ENABLED"
    assert update(db, ContributorInsightsMode=FULL, **ENABLE)["ContributorInsightsStatus"] == "ENABLED"
    assert describe(db) == before


def test_mode_change_re_enables_and_keeps_the_rule_suffix(db):
    create(db, schema=HASH_RANGE)
    update(db, **ENABLE)
    db.clock.advance(30)
    response = update(db, ContributorInsightsMode="THROTTLED_KEYS", **ENABLE)
    assert (response["ContributorInsightsStatus"], response["ContributorInsightsMode"]) == (
        "ENABLING", "THROTTLED_KEYS")
    described = describe(db)
    assert described["ContributorInsightsRuleList"] == ["DynamoDBContributorInsights-PKT-tbl-1790000000000",
                                                        "DynamoDBContributorInsights-SKT-tbl-1790000000000"]
    assert described["LastUpdateDateTime"] == T0 + 30
    # ENABLE without a mode reverts to the default mode
    assert update(db, **ENABLE)["ContributorInsightsStatus"] == "ENABLING"
    assert describe(db)["ContributorInsightsMode"] == FULL


def test_disable_keeps_mode_and_time_and_drops_the_rules(db):
    create(db)
    update(db, ContributorInsightsMode="THROTTLED_KEYS", **ENABLE)
    db.clock.advance(5)
    response = update(db, ContributorInsightsMode=FULL, **DISABLE)  # the mode sent is ignored
    assert response == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLING",
                        "ContributorInsightsMode": "THROTTLED_KEYS"}
    assert describe(db) == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLED",
                            "LastUpdateDateTime": T0 + 5, "ContributorInsightsMode": "THROTTLED_KEYS"}
    assert update(db, **DISABLE) == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLED",
                                     "ContributorInsightsMode": "THROTTLED_KEYS"}


def test_disable_of_a_never_configured_table_changes_nothing(db):
    create(db)
    assert update(db, **DISABLE) == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLED"}
    assert describe(db) == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLED"}


def test_enable_after_disable_gets_new_rule_names(db):
    create(db)
    update(db, **ENABLE)
    update(db, **DISABLE)
    db.clock.advance(2.5)
    assert update(db, **ENABLE)["ContributorInsightsStatus"] == "ENABLING"
    assert describe(db)["ContributorInsightsRuleList"][0] == "DynamoDBContributorInsights-PKC-tbl-1790000002500"


def test_long_names_give_rule_names_cloudwatch_accepts(db):
    name = "T" * 255
    create(db, name=name, GlobalSecondaryIndexes=[gsi("i" * 255)])
    update(db, name, **ENABLE)
    update(db, name, IndexName="i" * 255, **ENABLE)
    for request in ({}, {"IndexName": "i" * 255}):
        for rule in describe(db, name, **request)["ContributorInsightsRuleList"]:
            assert len(rule) <= MAX_RULE_NAME_LENGTH
            assert rule.endswith("-1790000000000")


# ---------------------------------------------------------------- lifetime of the state


def test_state_goes_with_the_table(db):
    create(db)
    update(db, **ENABLE)
    run(db, "DeleteTable", {"TableName": "tbl"})
    create(db)
    assert describe(db) == {"TableName": "tbl", "ContributorInsightsStatus": "DISABLED"}
    assert listed(db)["ContributorInsightsSummaries"] == []


def test_a_deleted_gsi_leaves_no_entry_behind(db):
    create(db, GlobalSecondaryIndexes=[gsi("gsi1")])
    update(db, IndexName="gsi1", **ENABLE)
    run(db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "gsi1"}}]})
    assert listed(db)["ContributorInsightsSummaries"] == []
    assert error_of(db, "DescribeContributorInsights", {"TableName": "tbl", "IndexName": "gsi1"}) == (
        "ResourceNotFoundException", "Requested resource not found: Index: gsi1 not found for table: tbl")
    run(db, "UpdateTable", {"TableName": "tbl", "AttributeDefinitions": DEFS[2:3],
                            "GlobalSecondaryIndexUpdates": [{"Create": gsi("gsi1")}]})
    assert describe(db, IndexName="gsi1")["ContributorInsightsStatus"] == "DISABLED"


def test_creating_table_refuses_enable_but_describes():
    db = make_db(table_creation_delay_seconds=10)
    create(db, GlobalSecondaryIndexes=[gsi("gsi1")])
    message = STATE_PREFIX + "TableStatus must be ACTIVE to enable ContributorInsights."
    assert error_of(db, "UpdateContributorInsights", {"TableName": "tbl", **ENABLE}) == (
        "ValidationException", message)
    assert error_of(db, "UpdateContributorInsights", {"TableName": "tbl", "IndexName": "gsi1", **ENABLE}) == (
        "ValidationException", message)
    assert describe(db)["ContributorInsightsStatus"] == "DISABLED"
    assert describe(db, IndexName="gsi1")["ContributorInsightsStatus"] == "DISABLED"
    db.clock.advance(10)
    assert update(db, **ENABLE)["ContributorInsightsStatus"] == "ENABLING"


def test_creating_gsi_refuses_enable_but_describes():
    db = make_db(index_creation_delay_seconds=60)
    create(db)
    run(db, "UpdateTable", {"TableName": "tbl", "AttributeDefinitions": DEFS[2:3],
                            "GlobalSecondaryIndexUpdates": [{"Create": gsi("gsi1")}]})
    assert error_of(db, "UpdateContributorInsights", {"TableName": "tbl", "IndexName": "gsi1", **ENABLE}) == (
        "ValidationException", STATE_PREFIX + "IndexStatus must be ACTIVE to enable ContributorInsights.")
    assert describe(db, IndexName="gsi1")["ContributorInsightsStatus"] == "DISABLED"
    assert update(db, **ENABLE)["ContributorInsightsStatus"] == "ENABLING"  # the table itself is ACTIVE
    db.clock.advance(60)
    assert update(db, IndexName="gsi1", **ENABLE)["ContributorInsightsStatus"] == "ENABLING"


def test_deleting_table_still_answers():
    db = make_db(table_deletion_delay_seconds=10)
    create(db)
    update(db, **ENABLE)
    run(db, "DeleteTable", {"TableName": "tbl"})
    assert describe(db)["ContributorInsightsStatus"] == "ENABLED"
    assert len(listed(db, TableName="tbl")["ContributorInsightsSummaries"]) == 1
    assert update(db, **DISABLE)["ContributorInsightsStatus"] == "DISABLING"
    db.clock.advance(10)
    assert error_of(db, "DescribeContributorInsights", {"TableName": "tbl"}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")


# ---------------------------------------------------------------- ListContributorInsights


def summary(table, index=None, mode=FULL):
    entry = {"TableName": table, "ContributorInsightsStatus": "ENABLED", "ContributorInsightsMode": mode}
    if index is not None:
        entry = {"TableName": table, "IndexName": index, "ContributorInsightsStatus": "ENABLED",
                 "ContributorInsightsMode": mode}
    return entry


@pytest.fixture
def three_tables(db):
    """tb2 (table and both GSIs enabled), tb1 (table only, THROTTLED_KEYS), tb3 (enabled,
    then disabled) and tb4 (never enabled)."""
    for name in ("tb2", "tb1", "tb3", "tb4"):
        create(db, name=name, GlobalSecondaryIndexes=[gsi("gzz"), gsi("gaa", "h")])
    for index in (None, "gzz", "gaa"):
        update(db, "tb2", **({"IndexName": index} if index else {}), **ENABLE)
    update(db, "tb1", ContributorInsightsMode="THROTTLED_KEYS", **ENABLE)
    update(db, "tb3", **ENABLE)
    update(db, "tb3", **DISABLE)
    return db


EVERYTHING = [summary("tb1", mode="THROTTLED_KEYS"), summary("tb2"), summary("tb2", "gaa"), summary("tb2", "gzz")]


def test_list_shows_entries_not_disabled_table_before_gsis(three_tables):
    assert listed(three_tables) == {"ContributorInsightsSummaries": EVERYTHING}
    assert listed(three_tables, TableName="tb2") == {"ContributorInsightsSummaries": EVERYTHING[1:]}
    assert listed(three_tables, TableName="tb3") == {"ContributorInsightsSummaries": []}


def test_list_pages_with_next_token(three_tables):
    for size in (1, 2, 3):
        pages, token = [], None
        while True:
            request = {"MaxResults": size, **({"NextToken": token} if token else {})}
            response = listed(three_tables, **request)
            pages.append(response["ContributorInsightsSummaries"])
            token = response.get("NextToken")
            if token is None:
                break
        assert [entry for page in pages for entry in page] == EVERYTHING
        assert all(pages) and all(len(page) <= size for page in pages)  # no empty page, none too long
    assert "NextToken" not in listed(three_tables, MaxResults=4)


def test_list_of_one_table_pages_too(three_tables):
    first = listed(three_tables, TableName="tb2", MaxResults=2)
    assert first["ContributorInsightsSummaries"] == EVERYTHING[1:3]
    rest = listed(three_tables, TableName="tb2", MaxResults=2, NextToken=first["NextToken"])
    assert rest == {"ContributorInsightsSummaries": EVERYTHING[3:]}


def test_list_max_results_below_one_counts_as_absent(three_tables):
    assert listed(three_tables, MaxResults=0)["ContributorInsightsSummaries"] == EVERYTHING
    assert listed(three_tables, MaxResults=-5)["ContributorInsightsSummaries"] == EVERYTHING


def test_list_resumes_after_any_token(three_tables):
    assert listed(three_tables, NextToken="tb2/gbb")["ContributorInsightsSummaries"] == EVERYTHING[3:]
    assert listed(three_tables, NextToken="tb1x")["ContributorInsightsSummaries"] == EVERYTHING[1:]
    assert listed(three_tables, NextToken="")["ContributorInsightsSummaries"] == EVERYTHING


def test_list_errors(db):
    assert error_of(db, "ListContributorInsights", {"TableName": "missing"}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: missing not found")
    assert error_of(db, "ListContributorInsights", {"MaxResults": 101}) == (
        "ValidationException", "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100")
    assert error_of(db, "ListContributorInsights", {"TableName": "ab"}) == (
        "ValidationException", "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy "
        "constraint: Member must have length greater than or equal to 3")
    assert error_of(db, "ListContributorInsights", {"MaxResults": "x"})[0] == "SerializationException"


# ---------------------------------------------------------------- request checks


@pytest.mark.parametrize("operation", ["DescribeContributorInsights", "UpdateContributorInsights"])
def test_unknown_index_lsi_and_missing_table_are_not_found(db, operation):
    create(db, schema=HASH_RANGE, LocalSecondaryIndexes=[
        {"IndexName": "lsi1", "KeySchema": [HASH_P[0], {"AttributeName": "g", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "ALL"}}])
    for index in ("nope", "lsi1"):
        assert error_of(db, operation, {"TableName": "tbl", "IndexName": index, **ENABLE}) == (
            "ResourceNotFoundException", f"Requested resource not found: Index: {index} not found for table: tbl")
    assert error_of(db, operation, {"TableName": "missing", **ENABLE}) == (
        "ResourceNotFoundException", "Requested resource not found: Table: missing not found")


@pytest.mark.parametrize("operation", ["DescribeContributorInsights", "UpdateContributorInsights"])
def test_index_name_length_has_its_own_words(db, operation):
    create(db)
    for name in ("", "ab", "x" * 256):
        assert error_of(db, operation, {"TableName": "tbl", "IndexName": name, **ENABLE}) == (
            "ValidationException", "IndexName must be at least 3 characters long and at most 255 characters long")
    assert error_of(db, operation, {"TableName": "tbl", "IndexName": "ab;", **ENABLE}) == (
        "ValidationException", "1 validation error detected: Value 'ab;' at 'indexName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")


def test_update_action_and_mode_checks(db):
    create(db)
    assert error_of(db, "UpdateContributorInsights", {"TableName": "tbl", "ContributorInsightsAction": ""}) == (
        "ValidationException", "1 validation error detected: Value '' at 'contributorInsightsAction' failed to "
        "satisfy constraint: Member must satisfy enum value set: [ENABLE, DISABLE]")
    assert error_of(db, "UpdateContributorInsights", {"TableName": "tbl", "ContributorInsightsMode": "", **ENABLE}) == (
        "ValidationException", "1 validation error detected: Value '' at 'contributorInsightsMode' failed to "
        "satisfy constraint: Member must satisfy enum value set: [THROTTLED_KEYS, ACCESSED_AND_THROTTLED_KEYS]")
    assert error_of(db, "UpdateContributorInsights", {"TableName": "tbl", "ContributorInsightsMode": "X"}) == (
        "ValidationException", "2 validation errors detected: Value null at 'contributorInsightsAction' failed to "
        "satisfy constraint: Member must not be null; Value 'X' at 'contributorInsightsMode' failed to satisfy "
        "constraint: Member must satisfy enum value set: [THROTTLED_KEYS, ACCESSED_AND_THROTTLED_KEYS]")
    # the checks come before the table is looked up
    assert error_of(db, "UpdateContributorInsights", {"TableName": "missing"})[0] == "ValidationException"
    assert describe(db)["ContributorInsightsStatus"] == "DISABLED"


@pytest.mark.parametrize("operation", ["DescribeContributorInsights", "UpdateContributorInsights"])
def test_table_name_checks(db, operation):
    assert error_of(db, operation, {**ENABLE}) == (
        "ValidationException", "The parameter 'TableName' is required but was not present in the request")
    assert error_of(db, operation, {"TableName": "a;", **ENABLE})[1].startswith("2 validation errors detected: ")
    assert error_of(db, operation, {"TableName": 5, **ENABLE}) == (
        "SerializationException", "NUMBER_VALUE cannot be converted to String")
