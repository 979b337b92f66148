# BatchExecuteStatement and ExecuteTransaction (issue 9).
#
# Sources named below:
#   observed - nubo-db/dynamodb-conformance tier2/partiql/batchExecuteStatement and
#              executeTransaction, tier3/error-messages/partiql, run against AWS (eu-west-2).
#   docs     - ql-reference.multiplestatements.batching.html / .transactions.html.
#   local    - DynamoDB Local's recordings; not verified on AWS.

import pytest
from botocore.exceptions import ClientError

from util import assert_error, random_string


# A batch of reads: each member's item in Responses[i].Item. Source: observed.
def test_batch_execute_statement_reads(client, table_s):
    keys = [random_string(), random_string()]
    for key in keys:
        table_s.put_item(Item={"p": key, "v": key})
    responses = client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table_s.name}\" WHERE p = ?", "Parameters": [key]} for key in keys
    ])["Responses"]
    assert [r["Item"]["v"] for r in responses] == keys


# Member failures are per statement with short codes; the batch succeeds. Source: observed.
def test_batch_execute_statement_member_errors(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key})
    responses = client.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{key}'}}"},
        {"Statement": f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{random_string()}'}}"},
        {"Statement": f"SLECT * FROM \"{table_s.name}\""},
    ])["Responses"]
    assert responses[0]["Error"]["Code"] == "DuplicateItem"
    assert responses[0]["TableName"] == table_s.name
    assert "Error" not in responses[1]
    assert responses[2]["Error"] == {"Code": "ValidationError", "Message":
                                     "Statement wasn't well formed, can't be processed: Expected data manipulation"}


# A batch SELECT must name the whole primary key. Source: observed.
def test_batch_execute_statement_select_needs_key(client, table_s):
    responses = client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table_s.name}\" WHERE v = 'a'"}])["Responses"]
    assert responses[0]["Error"] == {"Code": "ValidationError", "Message":
                                     "Select statements within BatchExecuteStatement must specify the primary "
                                     "key in the where clause."}


# A missing table is ResourceNotFound for that member only. Source: observed.
def test_batch_execute_statement_missing_table(client, table_s):
    responses = client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"missing_{random_string()}\" WHERE p = 'x'"}])["Responses"]
    assert responses[0]["Error"]["Code"] == "ResourceNotFound"


# An empty batch. Source: observed (code).
def test_batch_execute_statement_empty(unchecked_client):
    with assert_error("ValidationException"):
        unchecked_client.batch_execute_statement(Statements=[])


# A transaction applies all its writes. Source: observed.
def test_execute_transaction_writes(client, table_s):
    new, old = random_string(), random_string()
    table_s.put_item(Item={"p": old, "n": 1})
    client.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{new}'}}"},
        {"Statement": f"UPDATE \"{table_s.name}\" SET n = n + 1 WHERE p = '{old}'"},
    ])
    assert table_s.get_item(Key={"p": new}, ConsistentRead=True)["Item"] == {"p": new}
    assert table_s.get_item(Key={"p": old}, ConsistentRead=True)["Item"]["n"] == 2


# A duplicate INSERT cancels everything. Source: observed (cancellation), local (reason code).
def test_execute_transaction_duplicate_cancels(client, table_s):
    existing, new = random_string(), random_string()
    table_s.put_item(Item={"p": existing})
    with pytest.raises(ClientError) as info:
        client.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{existing}'}}"},
            {"Statement": f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{new}'}}"},
        ])
    assert info.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in info.value.response["CancellationReasons"]] == ["DuplicateItem", "None"]
    assert "Item" not in table_s.get_item(Key={"p": new}, ConsistentRead=True)


# ClientRequestToken: a replay does not apply the writes twice. Source: observed.
def test_execute_transaction_idempotent_token(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "n": 0})
    request = {"ClientRequestToken": random_string(20),
               "TransactStatements": [{"Statement": f"UPDATE \"{table_s.name}\" SET n = n + 1 WHERE p = '{key}'"}]}
    client.execute_transaction(**request)
    client.execute_transaction(**request)
    assert table_s.get_item(Key={"p": key}, ConsistentRead=True)["Item"]["n"] == 1


# RETURNING is refused inside a transaction. Source: observed.
def test_execute_transaction_refuses_returning(client, table_s):
    with assert_error("ValidationException", "Validation failed in TransactStatements[0]: "
                                             "RETURNING clause is not supported in ExecuteTransaction."):
        client.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{table_s.name}\" SET v = 1 WHERE p = 'x' RETURNING ALL NEW *"}])


# A transaction of reads returns one entry per statement. Source: local.
def test_execute_transaction_reads(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "v": 1})
    responses = client.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table_s.name}\" WHERE p = '{key}'"},
        {"Statement": f"SELECT * FROM \"{table_s.name}\" WHERE p = '{random_string()}'"},
    ])["Responses"]
    assert responses[0]["Item"] == {"p": key, "v": 1}
    assert "Item" not in responses[1]


# An empty transaction. Source: observed (code).
def test_execute_transaction_empty(unchecked_client):
    with assert_error("ValidationException"):
        unchecked_client.execute_transaction(TransactStatements=[])
