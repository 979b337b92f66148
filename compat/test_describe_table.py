# DescribeTable: the full TableDescription of an existing table, a missing table, names
# and ARNs (issue 2).
#
# Sources named below:
#   scylla     - scylladb test/alternator/test_describe_table.py, run against DynamoDB.
#   ack-quirks - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   dynalite   - architect/dynalite test/describeTable.js, recorded from DynamoDB.

import re

from util import assert_error

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# The description of an ACTIVE on-demand table: name, status, key schema, definitions,
# ARN, UUID TableId, creation time, item count and size, ProvisionedThroughput 0/0 with
# NumberOfDecreasesToday 0 (always present, even on demand), BillingModeSummary whose
# LastUpdateToPayPerRequestDateTime is the creation time, DeletionProtectionEnabled false,
# WarmThroughput 12000/4000 ACTIVE; and no SSEDescription, StreamSpecification,
# TableClassSummary or RestoreSummary for a table that never set them. Sources: scylla
# test_describe_table_* (basic, schema, billing, provisioned_throughput, arn, id,
# encryption, stream_specification, restore_summary); ack-quirks DDB-TABLE-032 (warm
# throughput default), -017 (deletion protection always present); scylla
# test_tableclass_describe_table_default.
def test_describe_table_full_description(client, table_ss):
    table = client.describe_table(TableName=table_ss.name)["Table"]
    assert table["TableName"] == table_ss.name
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}]
    assert sorted(table["AttributeDefinitions"], key=lambda d: d["AttributeName"]) == [
        {"AttributeName": "c", "AttributeType": "S"}, {"AttributeName": "p", "AttributeType": "S"}]
    region = client.meta.region_name
    assert re.fullmatch(rf"arn:aws:dynamodb:{region}:\d{{12}}:table/{table_ss.name}", table["TableArn"])
    assert UUID.fullmatch(table["TableId"])
    assert "CreationDateTime" in table
    assert table["ItemCount"] >= 0 and table["TableSizeBytes"] >= 0
    assert table["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                              "WriteCapacityUnits": 0}
    assert table["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST",
                                           "LastUpdateToPayPerRequestDateTime": table["CreationDateTime"]}
    assert table["DeletionProtectionEnabled"] is False
    assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
    for absent in ("SSEDescription", "StreamSpecification", "TableClassSummary", "RestoreSummary",
                   "LatestStreamArn", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        assert absent not in table


# The description does not change between calls: same id, ARN and creation time (scylla
# test_describe_table_creation_time).
def test_describe_table_is_stable(client, table_s):
    first = client.describe_table(TableName=table_s.name)["Table"]
    second = client.describe_table(TableName=table_s.name)["Table"]
    for member in ("TableId", "TableArn", "CreationDateTime", "KeySchema", "AttributeDefinitions"):
        assert first[member] == second[member]


# A missing table: ResourceNotFoundException naming it. Sources: scylla
# test_describe_table_non_existent_table; ack-quirks DDB-TABLE-070.
def test_describe_table_missing(client):
    with assert_error("ResourceNotFoundException",
                      "Requested resource not found: Table: no_such_table_xyz not found"):
        client.describe_table(TableName="no_such_table_xyz")


# Names are checked as in CreateTable; an empty name lists the length and the pattern
# violation (exact text observed: ack-quirks DDB-TABLE-457). A missing TableName is
# reported on its own (dynalite test/describeTable.js).
def test_describe_table_rejects_short_name(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'ab' at 'tableName' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 3"):
        client.describe_table(TableName="ab")


def test_describe_table_rejects_empty_name(unchecked_client):
    with assert_error("ValidationException", "2 validation errors detected: Value '' at 'tableName' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 3; Value '' at "
                      "'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                      "[a-zA-Z0-9_.-]+"):
        unchecked_client.describe_table(TableName="")


def test_describe_table_rejects_invalid_name(client):
    with assert_error("ValidationException", "1 validation error detected: Value 'bad name!' at 'tableName' failed "
                      "to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"):
        client.describe_table(TableName="bad name!")


def test_describe_table_requires_name(unchecked_client):
    with assert_error("ValidationException",
                      "The parameter 'TableName' is required but was not present in the request"):
        unchecked_client.describe_table()


# The table's ARN is accepted as TableName and the description names the table by its
# bare name; the ARN of a missing table is ResourceNotFound naming the bare name; another
# account's ARN is AccessDeniedException "Access is denied". Source: ack-quirks
# DDB-TABLE-011 and DDB-TABLE-072 (2026-10).
def test_describe_table_by_arn(client, table_s):
    arn = client.describe_table(TableName=table_s.name)["Table"]["TableArn"]
    assert client.describe_table(TableName=arn)["Table"]["TableName"] == table_s.name
    with assert_error("ResourceNotFoundException",
                      "Requested resource not found: Table: no_such_table_xyz not found"):
        client.describe_table(TableName=arn.rsplit("/", 1)[0] + "/no_such_table_xyz")


def test_describe_table_by_arn_of_another_account(client, table_s):
    arn = client.describe_table(TableName=table_s.name)["Table"]["TableArn"]
    account = arn.split(":")[4]
    other = "111111111111" if account != "111111111111" else "222222222222"
    with assert_error("AccessDeniedException", "Access is denied"):
        client.describe_table(TableName=arn.replace(f":{account}:", f":{other}:"))
