# DescribeContributorInsights, UpdateContributorInsights, ListContributorInsights through
# boto3: the per-table and per-GSI setting, its statuses, the rule names, the list and its
# paging, and DynamoDB's refusals with their messages. CloudWatch data itself is not tested.
#
# DynamoDB settles a change asynchronously: ENABLING lasts 1-16 s, DISABLING about 2 s
# (ack-quirks DDB-TABLE-090), the emulator settles at once. Tests therefore accept the
# transitional status in Update responses where DynamoDB gives it, and poll Describe
# (`settled`) before looking at the result; against the emulator the first poll is settled.
#
# Sources named below:
#   api-ref     - API reference, DescribeContributorInsights / UpdateContributorInsights /
#                 ListContributorInsights and the ContributorInsightsSummary shape.
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   conformance - the public DynamoDB conformance suite, tier2/contributorInsights/basic.

import re
import time

import pytest

from util import assert_error, assert_validation_errors, new_table

KEYS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
DEFS = [{"AttributeName": name, "AttributeType": "S"} for name in ("p", "s", "g", "l")]
GSI = {"IndexName": "gsi1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "KEYS_ONLY"}}
LSI = {"IndexName": "lsi1", "KeySchema": [KEYS[0], {"AttributeName": "l", "KeyType": "RANGE"}],
       "Projection": {"ProjectionType": "KEYS_ONLY"}}
FULL = "ACCESSED_AND_THROTTLED_KEYS"
SETTLED = ("ENABLED", "DISABLED", "FAILED")


def body(response):
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def settled(client, **target):
    """DescribeContributorInsights once the status has left ENABLING/DISABLING."""
    deadline = time.monotonic() + 90
    while True:
        response = body(client.describe_contributor_insights(**target))
        if response["ContributorInsightsStatus"] in SETTLED or time.monotonic() > deadline:
            return response
        time.sleep(1)


def all_summaries(client, **request):
    """Every summary of ListContributorInsights, following NextToken until it is absent
    (DynamoDB's account-wide list can return empty pages that still carry a NextToken:
    ack-quirks DDB-TABLE-344)."""
    summaries, token = [], None
    while True:
        response = client.list_contributor_insights(**request, **({"NextToken": token} if token else {}))
        summaries.extend(response["ContributorInsightsSummaries"])
        token = response.get("NextToken")
        if not token:
            return summaries


def assert_rules(rules, table, kinds, index=None):
    """The rules are DynamoDBContributorInsights-<kind>-<table>[-<index>]-<ms>, one of each
    kind, all with the same creation time (their order among themselves is not verified)."""
    resource = re.escape(table if index is None else f"{table}-{index}")
    pattern = re.compile(f"DynamoDBContributorInsights-(PKC|PKT|SKC|SKT)-{resource}-([0-9]{{13}})")
    matches = [pattern.fullmatch(rule) for rule in rules]
    assert all(matches), rules
    assert sorted(match.group(1) for match in matches) == sorted(kinds), rules
    assert len({match.group(2) for match in matches}) == 1, rules


@pytest.fixture(scope="module")
def indexed_table(dynamodb):
    """A hash+range table with a hash-only GSI and an LSI; each test that changes a setting
    puts it back to DISABLED."""
    with new_table(dynamodb, KeySchema=KEYS, AttributeDefinitions=DEFS,
                   GlobalSecondaryIndexes=[GSI], LocalSecondaryIndexes=[LSI]) as table:
        yield table


# DISABLE on a never-configured table is a 200 no-op answering DISABLED (DDB-TABLE-089/091).
def test_disable_never_configured_is_a_no_op(client, table_s):
    response = body(client.update_contributor_insights(TableName=table_s.name, ContributorInsightsAction="DISABLE"))
    assert response["TableName"] == table_s.name
    assert response["ContributorInsightsStatus"] == "DISABLED"


# The whole cycle on a table, which starts never configured (ack-quirks DDB-TABLE-089..093,
# -095, -341, -343; conformance "enabling transitions the status and lists the table"):
# - ENABLE answers {TableName, ENABLING, ACCESSED_AND_THROTTLED_KEYS}; once settled, Describe
#   shows the rules PKC/PKT (and SKC/SKT with a range key), all with one creation time in ms,
#   LastUpdateDateTime and the mode; the table is listed, by List(TableName) and account-wide.
# - ENABLE again in the same mode answers ENABLED and changes nothing.
# - ENABLE with THROTTLED_KEYS re-enables; only PKT/SKT remain, with the same suffix; ENABLE
#   without a mode goes back to ACCESSED_AND_THROTTLED_KEYS.
# - DISABLE answers DISABLING with the current mode (a mode sent with it is ignored); once
#   settled, Describe keeps LastUpdateDateTime and the mode but no rules, and List leaves the
#   entry out; DISABLE again answers DISABLED.
def test_enable_disable_cycle_of_a_table(client, indexed_table):
    name = indexed_table.name
    # never configured: DISABLED with nothing but the name, and not listed (conformance
    # "reports DISABLED by default"; DDB-TABLE-089/095)
    assert body(client.describe_contributor_insights(TableName=name)) == {
        "TableName": name, "ContributorInsightsStatus": "DISABLED"}
    assert body(client.list_contributor_insights(TableName=name)) == {"ContributorInsightsSummaries": []}
    response = body(client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE"))
    assert response == {"TableName": name, "ContributorInsightsStatus": "ENABLING", "ContributorInsightsMode": FULL}
    described = settled(client, TableName=name)
    assert described["ContributorInsightsStatus"] == "ENABLED"
    assert described["ContributorInsightsMode"] == FULL
    assert set(described) == {"TableName", "ContributorInsightsRuleList", "ContributorInsightsStatus",
                              "LastUpdateDateTime", "ContributorInsightsMode"}
    assert_rules(described["ContributorInsightsRuleList"], name, ("PKC", "PKT", "SKC", "SKT"))
    summary = {"TableName": name, "ContributorInsightsStatus": "ENABLED", "ContributorInsightsMode": FULL}
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == [summary]
    assert summary in all_summaries(client)

    again = client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    assert again["ContributorInsightsStatus"] == "ENABLED"
    assert settled(client, TableName=name) == described

    throttled = client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE",
                                                   ContributorInsightsMode="THROTTLED_KEYS")
    assert (throttled["ContributorInsightsStatus"], throttled["ContributorInsightsMode"]) == (
        "ENABLING", "THROTTLED_KEYS")
    narrowed = settled(client, TableName=name)
    assert narrowed["ContributorInsightsMode"] == "THROTTLED_KEYS"
    assert sorted(narrowed["ContributorInsightsRuleList"]) == sorted(
        rule for rule in described["ContributorInsightsRuleList"] if "-PKT-" in rule or "-SKT-" in rule)
    client.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    assert settled(client, TableName=name)["ContributorInsightsMode"] == FULL

    disabling = body(client.update_contributor_insights(TableName=name, ContributorInsightsAction="DISABLE",
                                                        ContributorInsightsMode="THROTTLED_KEYS"))
    assert disabling == {"TableName": name, "ContributorInsightsStatus": "DISABLING", "ContributorInsightsMode": FULL}
    disabled = settled(client, TableName=name)
    assert set(disabled) == {"TableName", "ContributorInsightsStatus", "LastUpdateDateTime", "ContributorInsightsMode"}
    assert (disabled["ContributorInsightsStatus"], disabled["ContributorInsightsMode"]) == ("DISABLED", FULL)
    assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []
    assert client.update_contributor_insights(
        TableName=name, ContributorInsightsAction="DISABLE")["ContributorInsightsStatus"] == "DISABLED"


# A GSI has its own setting, apart from the table's: never configured it is DISABLED; its
# rules name table and index, and a hash-only GSI has two (DDB-TABLE-093/094/112).
# List(TableName) lists the GSI entry.
def test_gsi_has_its_own_setting(client, indexed_table):
    name = indexed_table.name
    assert body(client.describe_contributor_insights(TableName=name, IndexName="gsi1")) == {
        "TableName": name, "IndexName": "gsi1", "ContributorInsightsStatus": "DISABLED"}
    response = body(client.update_contributor_insights(TableName=name, IndexName="gsi1",
                                                       ContributorInsightsAction="ENABLE"))
    assert response == {"TableName": name, "IndexName": "gsi1", "ContributorInsightsStatus": "ENABLING",
                        "ContributorInsightsMode": FULL}
    try:
        described = settled(client, TableName=name, IndexName="gsi1")
        assert described["ContributorInsightsStatus"] == "ENABLED"
        assert_rules(described["ContributorInsightsRuleList"], name, ("PKC", "PKT"), "gsi1")
        assert settled(client, TableName=name)["ContributorInsightsStatus"] == "DISABLED"
        assert client.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == [
            {"TableName": name, "IndexName": "gsi1", "ContributorInsightsStatus": "ENABLED",
             "ContributorInsightsMode": FULL}]
    finally:
        client.update_contributor_insights(TableName=name, IndexName="gsi1", ContributorInsightsAction="DISABLE")
        settled(client, TableName=name, IndexName="gsi1")


# The table's ARN is accepted as TableName (api-ref: "You can also provide the Amazon
# Resource Name (ARN) of the table"); responses name the table.
def test_table_arn_is_accepted(client, table_s):
    arn = client.describe_table(TableName=table_s.name)["Table"]["TableArn"]
    assert client.describe_contributor_insights(TableName=arn)["TableName"] == table_s.name
    assert client.list_contributor_insights(TableName=arn)["ContributorInsightsSummaries"] == []


# An LSI has no insights and an unknown index is not found: ResourceNotFoundException
# "Requested resource not found: Index: <name> not found for table: <table>"
# (DDB-TABLE-094/137/161).
@pytest.mark.parametrize("index", ["lsi1", "nope"])
def test_lsi_and_unknown_index_are_not_found(client, indexed_table, index):
    message = f"Requested resource not found: Index: {index} not found for table: {indexed_table.name}"
    with assert_error("ResourceNotFoundException", message):
        client.describe_contributor_insights(TableName=indexed_table.name, IndexName=index)
    with assert_error("ResourceNotFoundException", message):
        client.update_contributor_insights(TableName=indexed_table.name, IndexName=index,
                                           ContributorInsightsAction="ENABLE")


# A missing table: ResourceNotFoundException "Requested resource not found: Table: <name> not
# found" for Describe and Update (DDB-TABLE-094/097/342); List with its name is
# ResourceNotFoundException too (DDB-TABLE-094; the message there was not recorded).
def test_missing_table_is_not_found(client):
    message = "Requested resource not found: Table: no_such_table_ci not found"
    with assert_error("ResourceNotFoundException", message):
        client.describe_contributor_insights(TableName="no_such_table_ci")
    with assert_error("ResourceNotFoundException", message):
        client.update_contributor_insights(TableName="no_such_table_ci", ContributorInsightsAction="ENABLE")
    with assert_error("ResourceNotFoundException"):
        client.list_contributor_insights(TableName="no_such_table_ci")


# Empty enum values are Coral shape errors, the mode's values listed THROTTLED_KEYS first
# (DDB-TABLE-457).
def test_empty_action_and_mode(client, table_s):
    with assert_validation_errors("Value '' at 'contributorInsightsAction' failed to satisfy constraint: "
                                  "Member must satisfy enum value set: [ENABLE, DISABLE]"):
        client.update_contributor_insights(TableName=table_s.name, ContributorInsightsAction="")
    with assert_validation_errors("Value '' at 'contributorInsightsMode' failed to satisfy constraint: "
                                  "Member must satisfy enum value set: [THROTTLED_KEYS, ACCESSED_AND_THROTTLED_KEYS]"):
        client.update_contributor_insights(TableName=table_s.name, ContributorInsightsAction="ENABLE",
                                           ContributorInsightsMode="")


# An empty IndexName is refused in words of its own, without the "N validation errors"
# prefix, by Describe and by Update (DDB-TABLE-457). botocore refuses it client-side.
def test_empty_index_name(unchecked_client, table_s):
    message = "IndexName must be at least 3 characters long and at most 255 characters long"
    with assert_error("ValidationException", message):
        unchecked_client.describe_contributor_insights(TableName=table_s.name, IndexName="")
    with assert_error("ValidationException", message):
        unchecked_client.update_contributor_insights(TableName=table_s.name, IndexName="",
                                                     ContributorInsightsAction="ENABLE")


# MaxResults is at most 100 (api-ref); the message follows the Coral form (not verified).
def test_list_max_results_above_100(client):
    with assert_error("ValidationException"):
        client.list_contributor_insights(MaxResults=101)
