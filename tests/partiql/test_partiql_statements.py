"""Engine tests of PartiQL (issue 9): parsing, binding, reads, writes, batches,
transactions, and the stream records PartiQL writes leave. Wire-level behaviour against
DynamoDB itself is in compat/test_partiql_*.py."""

import pytest

from emulator import api
from emulator.errors import DynamoDBError
from emulator.partiql import nodes, parser
from emulator.partiql.bind import bind
from emulator.expressions import ast
from engine_errors import error_of



def run(call, statement, **members):
    return call("ExecuteStatement", {"Statement": statement, **members})


@pytest.fixture
def tables(table_factory):
    table_factory("hash_t", pk="S")
    table_factory("comp_t", pk="S", sk="N")
    return "hash_t", "comp_t"


# ---------------------------------------------------------------- parsing and binding


def test_parse_numbers_parameters_in_text_order():
    parsed = parser.parse("SELECT * FROM tbl WHERE a = ? AND b IN [?, 'x'] OR c BETWEEN ? AND 3")
    assert parsed.parameter_count == 3
    bound = bind(parsed, [{"S": "one"}, {"N": "2"}, {"N": "1"}])
    assert isinstance(bound.where, ast.Or)
    assert bound.where.left.left == ast.Comparison("=", ast.Path(("a",)), ast.Value({"S": "one"}))


def test_parse_keywords_are_case_insensitive_and_names_may_be_quoted():
    parsed = parser.parse('select "weird name", m."x.y"[2] from "tbl"."idx" where "and" = 1;')
    select = parsed.statement
    assert select.source == nodes.Source(("tbl", "idx"))
    assert select.projection[1].elements == ("m", "x.y", 2)


def test_parse_literals_fold_into_attribute_values():
    parsed = parser.parse("INSERT INTO tbl VALUE {'s': 'it''s', 'n': -1.50, 'l': [1, true, null], "
                          "'ss': <<'a', 'b'>>, 'ns': <<1, 2>>, 'm': {'k': {}}}")
    value = parsed.statement.value.value["M"]
    assert value["s"] == {"S": "it's"} and value["n"] == {"N": "-1.5"}
    assert value["l"] == {"L": [{"N": "1"}, {"BOOL": True}, {"NULL": True}]}
    assert value["ss"] == {"SS": ["a", "b"]} and value["ns"] == {"NS": ["1", "2"]}


@pytest.mark.parametrize("text, message", [
    ("SLECT * FROM tbl", "Statement wasn't well formed, can't be processed: Expected data manipulation"),
    ("SELECT * FROM tbl WHERE", "Statement wasn't well formed, can't be processed: Unexpected end of statement"),
    ("SELECT * FROM tbl WHERE a = = 1", "Statement wasn't well formed, can't be processed: Unexpected token"),
    ("SELECT * FROM tbl WHERE AND", "Statement wasn't well formed, can't be processed: Unexpected keyword"),
    ("SELECT * FROM tbl WHERE a = #", "Statement wasn't well formed, can't be processed: Invalid character"),
    ("INSERT INTO tbl VALUE {'a': <<>>}", "Empty bags are not supported"),
    ("INSERT INTO tbl VALUE {'a': <<1, 'x'>>}",
     "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"),
    ("INSERT INTO tbl VALUE {'a': <<1, 1.0>>}", "Input collection contains duplicates"),
])
def test_parse_errors_are_validation_exceptions(text, message):
    with pytest.raises(DynamoDBError) as info:
        parser.parse(text)
    assert (info.value.code, info.value.message) == ("ValidationException", message)


def test_bind_checks_the_parameter_count():
    parsed = parser.parse("SELECT * FROM tbl WHERE a = ?")
    for parameters in ([], [{"S": "x"}, {"S": "y"}]):
        with pytest.raises(DynamoDBError, match="Number of parameters in request and statement don't match."):
            bind(parsed, parameters)


def test_bind_turns_is_checks_into_condition_functions():
    bound = bind(parser.parse("SELECT * FROM tbl WHERE a IS MISSING AND b IS NOT MISSING AND c IS STRING"), [])
    left, right = bound.where.left, bound.where.right
    assert left.left == ast.Function("attribute_not_exists", (ast.Path(("a",)),))
    assert left.right == ast.Function("attribute_exists", (ast.Path(("b",)),))
    assert right == ast.Function("attribute_type", (ast.Path(("c",)), ast.Value({"S": "S"})))


# ---------------------------------------------------------------- statements


def test_execute_statement_crud(call, tables):
    assert run(call, "INSERT INTO hash_t VALUE {'pk': 'a', 'n': 1, 'm': {'x': 'deep'}}") == {"Items": []}
    assert run(call, "SELECT n, m.x FROM hash_t WHERE pk = 'a'")["Items"] == [{"n": {"N": "1"}, "x": {"S": "deep"}}]
    assert run(call, "UPDATE hash_t SET n = n + 1 WHERE pk = 'a' RETURNING MODIFIED NEW *") == {
        "Items": [{"n": {"N": "2"}}]}
    assert run(call, "DELETE FROM hash_t WHERE pk = 'a' RETURNING ALL OLD *")["Items"][0]["n"] == {"N": "2"}
    assert call("GetItem", {"TableName": "hash_t", "Key": {"pk": {"S": "a"}}}) == {}


def test_execute_statement_write_semantics(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'a', 'n': 1}")
    assert error_of(call, "ExecuteStatement", {"Statement": "INSERT INTO hash_t VALUE {'pk': 'a'}"}) == (
        "DuplicateItemException", "Duplicate primary key exists in table")
    assert error_of(call, "ExecuteStatement", {"Statement": "UPDATE hash_t SET n = 2 WHERE pk = 'zz'"})[0] == \
        "ConditionalCheckFailedException"
    assert error_of(call, "ExecuteStatement", {"Statement": "DELETE FROM hash_t WHERE pk = 'a' AND n = 9"})[0] == \
        "ConditionalCheckFailedException"
    assert run(call, "DELETE FROM hash_t WHERE pk = 'zz' AND n = 9") == {"Items": []}
    assert error_of(call, "ExecuteStatement", {"Statement": "DELETE FROM hash_t WHERE n = 1"}) == (
        "ValidationException", "Where clause does not contain a mandatory equality on all key attributes")
    failed = error_of(call, "ExecuteStatement", {
        "Statement": "UPDATE hash_t SET n = 2 WHERE pk = 'a' AND n = 5",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert failed[0] == "ConditionalCheckFailedException"


def test_execute_statement_return_values_on_condition_check_failure(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'a', 'n': 1}")
    with pytest.raises(DynamoDBError) as info:
        run(call, "UPDATE hash_t SET n = 2 WHERE pk = 'a' AND n = 5", ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert info.value.extras["Item"] == {"pk": {"S": "a"}, "n": {"N": "1"}}


def test_select_pages_with_next_token_across_partitions(call, tables):
    for pk in ("x", "y"):
        for sk in range(4):
            run(call, f"INSERT INTO comp_t VALUE {{'pk': '{pk}', 'sk': {sk}}}")
    statement = "SELECT sk FROM comp_t WHERE pk IN ['y', 'x'] AND sk >= 1"
    seen, token = [], None
    while True:
        request = {"Statement": statement, "Limit": 2}
        if token:
            request["NextToken"] = token
        page = call("ExecuteStatement", request)
        seen.extend(int(item["sk"]["N"]) for item in page["Items"])
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [1, 2, 3, 1, 2, 3]  # partitions in IN order, each in sort-key order
    other = error_of(call, "ExecuteStatement", {"Statement": "SELECT * FROM comp_t", "NextToken": page_token(call)})
    assert other == ("ValidationException", "NextToken does not match request")
    assert error_of(call, "ExecuteStatement", {"Statement": statement, "NextToken": "garbage!"}) == (
        "ValidationException", "Invalid NextToken")


def page_token(call):
    return call("ExecuteStatement", {"Statement": "SELECT * FROM comp_t WHERE pk = 'x'", "Limit": 1})["NextToken"]


def test_select_order_by_sort_key_descending(call, tables):
    for sk in range(3):
        run(call, f"INSERT INTO comp_t VALUE {{'pk': 'o', 'sk': {sk}}}")
    items = run(call, "SELECT sk FROM comp_t WHERE pk = 'o' ORDER BY sk DESC")["Items"]
    assert [i["sk"]["N"] for i in items] == ["2", "1", "0"]
    assert error_of(call, "ExecuteStatement", {"Statement": "SELECT * FROM comp_t ORDER BY sk"})[1] == \
        "Must have WHERE clause in the statement when using ORDER BY clause."


def test_select_from_a_global_index(call, tables):
    call("CreateTable", {
        "TableName": "indexed", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}]})
    run(call, "INSERT INTO indexed VALUE {'pk': 'a', 'g': 'G', 'x': 1}")
    assert run(call, 'SELECT * FROM "indexed"."by_g" WHERE g = \'G\'')["Items"] == [
        {"pk": {"S": "a"}, "g": {"S": "G"}}]
    assert error_of(call, "ExecuteStatement", {"Statement": 'SELECT x FROM "indexed"."by_g" WHERE g = \'G\''})[1] == (
        "One or more parameter values were invalid: Global secondary index by_g does not project [x]")
    assert error_of(call, "ExecuteStatement", {"Statement": 'SELECT * FROM "indexed"."by_g"',
                                               "ConsistentRead": True})[1] == (
        "Strongly consistent read is not supported on Global Secondary Indexes")


def test_batch_execute_statement_reports_each_member(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'a'}")
    response = call("BatchExecuteStatement", {"Statements": [
        {"Statement": "INSERT INTO hash_t VALUE {'pk': 'a'}"},
        {"Statement": "INSERT INTO hash_t VALUE {'pk': 'b'}"},
        {"Statement": "UPDATE hash_t SET x = 1 WHERE pk = 'zz'"},
        {"Statement": "SLECT"},
    ]})["Responses"]
    assert response[0] == {"Error": {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"},
                           "TableName": "hash_t"}
    assert response[1] == {"TableName": "hash_t"}
    assert response[2]["Error"]["Code"] == "ConditionalCheckFailed"
    assert response[3] == {"Error": {"Code": "ValidationError", "Message":
                                     "Statement wasn't well formed, can't be processed: Expected data manipulation"}}
    mixed = error_of(call, "BatchExecuteStatement", {"Statements": [
        {"Statement": "SELECT * FROM hash_t WHERE pk = 'a'"}, {"Statement": "DELETE FROM hash_t WHERE pk = 'a'"}]})
    assert mixed == ("ValidationException", "Statements in a batch must be all reads or all writes")


def test_execute_transaction_is_all_or_nothing_with_duplicate_item_reason(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'a'}")
    with pytest.raises(DynamoDBError) as info:
        call("ExecuteTransaction", {"TransactStatements": [
            {"Statement": "INSERT INTO hash_t VALUE {'pk': 'new'}"},
            {"Statement": "INSERT INTO hash_t VALUE {'pk': 'a'}"}]})
    assert info.value.code == "TransactionCanceledException"
    assert info.value.extras["CancellationReasons"] == [
        {"Code": "None"}, {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}]
    assert call("GetItem", {"TableName": "hash_t", "Key": {"pk": {"S": "new"}}}) == {}


def test_execute_transaction_token_replays_without_writing_again(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'c', 'n': 0}")
    request = {"TransactStatements": [{"Statement": "UPDATE hash_t SET n = n + 1 WHERE pk = 'c'"}],
               "ClientRequestToken": "token-1"}
    call("ExecuteTransaction", request)
    call("ExecuteTransaction", request)
    assert run(call, "SELECT n FROM hash_t WHERE pk = 'c'")["Items"] == [{"n": {"N": "1"}}]
    other = {**request, "TransactStatements": [{"Statement": "UPDATE hash_t SET n = n + 2 WHERE pk = 'c'"}]}
    assert error_of(call, "ExecuteTransaction", other)[0] == "IdempotentParameterMismatchException"


def test_execute_transaction_exists_condition_check(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'a', 'n': 1}")
    ok = [{"Statement": "EXISTS(SELECT * FROM hash_t WHERE pk = 'a' AND n = 1)"},
          {"Statement": "INSERT INTO hash_t VALUE {'pk': 'b'}"}]
    call("ExecuteTransaction", {"TransactStatements": ok})
    failing = [{"Statement": "EXISTS(SELECT * FROM hash_t WHERE pk = 'a' AND n = 2)"},
               {"Statement": "INSERT INTO hash_t VALUE {'pk': 'c'}"}]
    assert error_of(call, "ExecuteTransaction", {"TransactStatements": failing})[0] == "TransactionCanceledException"
    assert error_of(call, "ExecuteStatement", {"Statement": ok[0]["Statement"]}) == (
        "ValidationException", "EXISTS can only be used in ExecuteTransaction write requests.")


def test_execute_transaction_reads(call, tables):
    run(call, "INSERT INTO hash_t VALUE {'pk': 'a', 'n': 1, 'm': {'x': 2}}")
    response = call("ExecuteTransaction", {"TransactStatements": [
        {"Statement": "SELECT m.x FROM hash_t WHERE pk = 'a'"},
        {"Statement": "SELECT * FROM hash_t WHERE pk = 'nope'"}]})
    assert response["Responses"] == [{"Item": {"x": {"N": "2"}}}, {}]
    assert error_of(call, "ExecuteTransaction", {"TransactStatements": [
        {"Statement": "SELECT * FROM hash_t WHERE n = 1"}]})[1] == (
        "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify "
        "the primary key in the where clause.")
    assert error_of(call, "ExecuteTransaction", {"TransactStatements": [
        {"Statement": "SELECT * FROM hash_t WHERE pk = 'a'"},
        {"Statement": "DELETE FROM hash_t WHERE pk = 'a'"}]})[1] == (
        "ExecuteTransaction API does not support both read and write operations in the same request.")


# ---------------------------------------------------------------- streams


def test_partiql_writes_leave_stream_records(db, call):
    arn = call("CreateTable", {
        "TableName": "streamed", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    })["TableDescription"]["LatestStreamArn"]
    run(call, "INSERT INTO streamed VALUE {'pk': 'a', 'n': 1}")
    run(call, "UPDATE streamed SET n = 2 WHERE pk = 'a'")
    call("ExecuteTransaction", {"TransactStatements": [{"Statement": "DELETE FROM streamed WHERE pk = 'a'"}]})
    shard = api.call(db, "DescribeStream", {"StreamArn": arn}, streams=True)["StreamDescription"]["Shards"][0]
    iterator = api.call(db, "GetShardIterator", {"StreamArn": arn, "ShardId": shard["ShardId"],
                                                 "ShardIteratorType": "TRIM_HORIZON"}, streams=True)["ShardIterator"]
    records = api.call(db, "GetRecords", {"ShardIterator": iterator}, streams=True)["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert records[1]["dynamodb"]["NewImage"]["n"] == {"N": "2"}
