# ExecuteStatement (issue 9): PartiQL SELECT, INSERT, UPDATE and DELETE on the same
# engine as the item API, and DynamoDB's errors for what it refuses.
#
# Sources named below:
#   observed - nubo-db/dynamodb-conformance tier2/partiql/executeStatement and
#              tier3/error-messages/partiql, run against AWS (eu-west-2).
#   docs     - ql-reference.select.html, ql-reference.insert.html, ql-reference.update.html,
#              ql-reference.delete.html (Amazon DynamoDB Developer Guide).
#   local    - DynamoDB Local's PartiQL message catalog; not verified on AWS.
#
# `client` is the resource's client: Parameters and Items are Python values.

from util import assert_error, random_string

WELL_FORMED = "Statement wasn't well formed, can't be processed: "


def run(client, statement, **kwargs):
    return client.execute_statement(Statement=statement, **kwargs)


# INSERT writes one item; SELECT by partition key reads it back. Source: observed.
def test_execute_statement_insert_then_select(client, table_s):
    key = random_string()
    assert run(client, f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{key}', 'data': 'x', 'n': 5}}")["Items"] == []
    items = run(client, f"SELECT * FROM \"{table_s.name}\" WHERE p = '{key}'")["Items"]
    assert items == [{"p": key, "data": "x", "n": 5}]


# ? parameters are bound from Parameters in text order. Source: observed.
def test_execute_statement_parameters(client, table_s):
    key = random_string()
    run(client, f"INSERT INTO \"{table_s.name}\" VALUE {{'p': ?, 'v': ?}}", Parameters=[key, {"a", "b"}])
    items = run(client, f"SELECT v FROM \"{table_s.name}\" WHERE p = ?", Parameters=[key])["Items"]
    assert items == [{"v": {"a", "b"}}]


# Too few parameters. Source: moto's tests (written against AWS) and local.
def test_execute_statement_parameter_count_mismatch(client, table_s):
    with assert_error("ValidationException", "Number of parameters in request and statement don't match."):
        run(client, f"SELECT * FROM \"{table_s.name}\" WHERE p = ?")


# A projected nested path is named after its last component. Source: observed.
def test_execute_statement_select_nested_path(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "m": {"nested": "deep"}, "extra": 1})
    assert run(client, f"SELECT m.nested FROM \"{table_s.name}\" WHERE p = '{key}'")["Items"] == [{"nested": "deep"}]


# WHERE with begins_with, comparisons, NOT and IS NOT MISSING. Source: observed.
def test_execute_statement_select_where_functions(client, table_sn):
    key = random_string()
    for c, kind in ((1, "alpha"), (2, "beta"), (3, "albatross")):
        table_sn.put_item(Item={"p": key, "c": c, "kind": kind})
    found = run(client, f"SELECT c FROM \"{table_sn.name}\" WHERE p = '{key}' AND NOT begins_with(\"kind\", 'al')")
    assert found["Items"] == [{"c": 2}]
    found = run(client, f"SELECT c FROM \"{table_sn.name}\" WHERE p = '{key}' AND c >= 2 AND kind IS NOT MISSING")
    assert found["Items"] == [{"c": 2}, {"c": 3}]


# Limit counts items read and NextToken resumes. Source: docs (API_ExecuteStatement).
def test_execute_statement_next_token(client, table_sn):
    key = random_string()
    for c in range(5):
        table_sn.put_item(Item={"p": key, "c": c})
    seen, token = [], None
    while True:
        kwargs = {"Limit": 2, **({"NextToken": token} if token else {})}
        page = run(client, f"SELECT c FROM \"{table_sn.name}\" WHERE p = '{key}'", **kwargs)
        seen += [item["c"] for item in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [0, 1, 2, 3, 4]


# UPDATE SET/REMOVE with RETURNING MODIFIED NEW *: only the changed attributes. Source: observed.
def test_execute_statement_update_returning(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "data": "old", "keep": "same", "gone": 1})
    result = run(client, f"UPDATE \"{table_s.name}\" SET data = 'new' REMOVE gone WHERE p = '{key}' "
                         "RETURNING MODIFIED OLD *")
    assert result["Items"] == [{"data": "old", "gone": 1}]
    assert table_s.get_item(Key={"p": key}, ConsistentRead=True)["Item"] == {"p": key, "data": "new", "keep": "same"}


# INSERT of an existing key. Source: observed (code), docs (message in the CLI example).
def test_execute_statement_insert_duplicate(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key})
    with assert_error("DuplicateItemException", "Duplicate primary key exists in table"):
        run(client, f"INSERT INTO \"{table_s.name}\" VALUE {{'p': '{key}'}}")


# UPDATE is not an upsert; a false predicate fails the write. Source: observed.
def test_execute_statement_update_conditions(client, table_s):
    key = random_string()
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        run(client, f"UPDATE \"{table_s.name}\" SET data = 'x' WHERE p = '{key}'")
    assert "Item" not in table_s.get_item(Key={"p": key}, ConsistentRead=True)
    table_s.put_item(Item={"p": key, "n": 5})
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        run(client, f"UPDATE \"{table_s.name}\" SET n = 9 WHERE p = '{key}' AND n = 1")


# DELETE of a missing item is a silent no-op, even with a predicate. Source: observed.
def test_execute_statement_delete_missing_item(client, table_s):
    assert run(client, f"DELETE FROM \"{table_s.name}\" WHERE p = '{random_string()}' AND x = 1")["Items"] == []


# DELETE RETURNING ALL OLD * gives the deleted item; other variants are refused. Source: observed.
def test_execute_statement_delete_returning(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "v": 1})
    with assert_error("ValidationException", "Invalid returning clause: RETURNING MODIFIED OLD *. "
                                             "Only RETURNING ALL OLD * is allowed in DELETE statements."):
        run(client, f"DELETE FROM \"{table_s.name}\" WHERE p = '{key}' RETURNING MODIFIED OLD *")
    assert run(client, f"DELETE FROM \"{table_s.name}\" WHERE p = '{key}' RETURNING ALL OLD *")["Items"] == [
        {"p": key, "v": 1}]


# A write needs the whole primary key in WHERE. Source: observed.
def test_execute_statement_write_without_key(client, table_sn):
    with assert_error("ValidationException", "Where clause does not contain a mandatory equality on all key attributes"):
        run(client, f"DELETE FROM \"{table_sn.name}\" WHERE p = 'x'")


# Syntax errors. Source: observed ("Expected data manipulation" for a statement that does
# not start with a statement keyword).
def test_execute_statement_syntax_error(client, table_s):
    with assert_error("ValidationException", WELL_FORMED + "Expected data manipulation"):
        run(client, f"SELECTT * FROMM \"{table_s.name}\"")


# An ordering comparison with an operand that has no order. Source: observed.
def test_execute_statement_operand_type(client, table_s):
    with assert_error("ValidationException", "Incorrect operand type for operator or function; "
                                             "operator or function: <, operand type: BOOL"):
        run(client, f"SELECT p FROM \"{table_s.name}\" WHERE p = 'x' AND val < ?", Parameters=[True])


# FROM path rules. Source: observed.
def test_execute_statement_from_path_errors(client, table_s):
    with assert_error("ValidationException", "Path component cannot be an empty string"):
        run(client, "SELECT * FROM \"\" WHERE p = 'x'")
    with assert_error("ValidationException", "A path may contain at most 2 components in the FROM clause"):
        run(client, f"SELECT * FROM \"{table_s.name}\".\"a\".\"b\" WHERE p = 'x'")
    with assert_error("ValidationException", "The table does not have the specified index"):
        run(client, f"SELECT * FROM \"{table_s.name}\".\"no_such_index\" WHERE p = 'x'")


# A missing table. Source: observed (code; the message is checked by prefix there).
def test_execute_statement_missing_table(client):
    with assert_error("ResourceNotFoundException"):
        run(client, f"SELECT * FROM \"missing_{random_string()}\" WHERE p = 'x'")


# ReturnConsumedCapacity on a read. Source: observed.
def test_execute_statement_consumed_capacity(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key})
    result = run(client, f"SELECT * FROM \"{table_s.name}\" WHERE p = '{key}'", ReturnConsumedCapacity="TOTAL")
    assert result["ConsumedCapacity"]["CapacityUnits"] > 0


# An operand of the wrong type is a property of the statement: refused before the table
# is looked up, so even for a table that does not exist. Source: observed
# (tier3/validation-ordering/partiql; the message by substring there, in full in
# tier3/error-messages/partiql).
def test_execute_statement_checks_operand_types_before_the_table(client):
    with assert_error("ValidationException", "Incorrect operand type for operator or function; operator or "
                                             "function: <, operand type: BOOL"):
        run(client, "SELECT pk FROM \"compat_no_such_table_here\" WHERE pk = ? AND val < ?", Parameters=["x", True])
    with assert_error("ResourceNotFoundException"):
        run(client, "SELECT pk FROM \"compat_no_such_table_here\" WHERE pk = ?", Parameters=["x"])
