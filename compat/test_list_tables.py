# ListTables: order, pagination with Limit / ExclusiveStartTableName /
# LastEvaluatedTableName, and the limits of its parameters (issue 2).
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite, tier1/listTables.
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   scylla      - scylladb test/alternator/test_table.py, run against DynamoDB.
#   dynalite    - architect/dynalite validations/listTables.js, recorded from DynamoDB.

import pytest

from util import assert_error, assert_validation_errors


def all_table_names(client, **kwargs):
    """Every page of ListTables, checking the pagination contract on the way."""
    names, start = [], kwargs.pop("ExclusiveStartTableName", None)
    while True:
        request = dict(kwargs)
        if start is not None:
            request["ExclusiveStartTableName"] = start
        page = client.list_tables(**request)
        names.extend(page["TableNames"])
        start = page.get("LastEvaluatedTableName")
        if start is None:
            return names
        assert start == page["TableNames"][-1]


# Names come in byte order (upper case before lower case) and include the tables this
# session created. Sources: conformance tier1/listTables ("alphabetical order",
# "includes the shared test tables"); ack-quirks DDB-TABLE-012.
def test_list_tables_sorted_and_complete(client, table_s, table_n, table_ss):
    names = all_table_names(client)
    assert names == sorted(names, key=lambda name: name.encode())
    assert {table_s.name, table_n.name, table_ss.name} <= set(names)


# With a Limit, every page has at most Limit names and LastEvaluatedTableName (the last
# name of the page) while more follow; walking the pages with ExclusiveStartTableName
# yields every name once. Sources: conformance tier1/listTables (Limit,
# ExclusiveStartTableName); scylla test_list_tables_paginated; ack-quirks DDB-TABLE-400.
@pytest.mark.parametrize("limit", [1, 2, 100])
def test_list_tables_pages(client, table_s, table_n, table_b, limit):
    everything = all_table_names(client)
    paged, start = [], None
    while True:
        request = {"Limit": limit} if start is None else {"Limit": limit, "ExclusiveStartTableName": start}
        page = client.list_tables(**request)
        assert len(page["TableNames"]) <= limit
        paged.extend(page["TableNames"])
        start = page.get("LastEvaluatedTableName")
        if start is None:
            break
    assert paged == everything


# The page ending with the last table has no LastEvaluatedTableName, and starting after
# the last table gives an empty list. Source: ack-quirks DDB-TABLE-012/-181.
def test_list_tables_last_page(client, table_s, table_n):
    names = all_table_names(client)
    page = client.list_tables(ExclusiveStartTableName=names[-2], Limit=1)
    assert page["TableNames"] == [names[-1]]
    assert "LastEvaluatedTableName" not in page
    after = client.list_tables(ExclusiveStartTableName=names[-1])
    assert after["TableNames"] == []
    assert "LastEvaluatedTableName" not in after


# ExclusiveStartTableName need not name an existing table: listing resumes after it in
# byte order. Source: ack-quirks DDB-TABLE-379.
def test_list_tables_start_needs_no_table(client, table_s):
    start = table_s.name[:-1]  # sorts just before table_s and is no table of this session
    names = all_table_names(client, ExclusiveStartTableName=start)
    assert start not in names
    assert table_s.name in names
    assert all(name > start for name in names)


# Limit is 1-100; ExclusiveStartTableName obeys the table-name pattern (reported first)
# and length. Sources: scylla test_list_tables_wrong_limit (101 refused by DynamoDB);
# ack-quirks DDB-TABLE-457 (Limit 0 text, '' text with pattern first); dynalite.
def test_list_tables_rejects_limit_above_100(client):
    with assert_error("ValidationException", "1 validation error detected: Value '101' at 'limit' failed to "
                      "satisfy constraint: Member must have value less than or equal to 100"):
        client.list_tables(Limit=101)


def test_list_tables_rejects_limit_below_1(unchecked_client):
    with assert_error("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 1"):
        unchecked_client.list_tables(Limit=0)


def test_list_tables_rejects_empty_start(unchecked_client):
    with assert_error("ValidationException", "2 validation errors detected: Value '' at 'exclusiveStartTableName' "
                      "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                      "[a-zA-Z0-9_.-]+; Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 3"):
        unchecked_client.list_tables(ExclusiveStartTableName="")


def test_list_tables_rejects_start_that_is_no_name(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'bad!' at 'exclusiveStartTableName' "
                      "failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"):
        client.list_tables(ExclusiveStartTableName="bad!")


def test_list_tables_rejects_short_start(unchecked_client):
    with assert_validation_errors(
        "Value 'a!' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: [a-zA-Z0-9_.-]+",
        "Value 'a!' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater "
        "than or equal to 3",
    ):
        unchecked_client.list_tables(ExclusiveStartTableName="a!")


# A Limit of the wrong JSON type is a SerializationException (dynalite
# validations/listTables.js: Limit is an Integer).
def test_list_tables_rejects_string_limit(unchecked_client):
    with assert_error("SerializationException", "STRING_VALUE cannot be converted to Integer"):
        unchecked_client.list_tables(Limit="5")
