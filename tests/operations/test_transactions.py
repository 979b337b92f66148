"""Engine tests of TransactWriteItems and TransactGetItems (operations/transactions.py):
check order, what botocore will not send, the token window on the ManualClock, replay
responses, capacity with indexes, item collections. The DynamoDB facts and their sources
are pinned in compat/test_transact_write_items.py and test_transact_get_items.py."""

import pytest

from emulator import limits
from emulator.errors import DynamoDBError


def s(value):
    return {"S": value}


def error_of(call, operation, request):
    with pytest.raises(DynamoDBError) as info:
        call(operation, request)
    return info.value


def put(table, key, **attributes):
    return {"Put": {"TableName": table, "Item": {"p": s(key), **attributes}}}


@pytest.fixture
def tbl(db, table_factory):
    table_factory("tbl", p="S")
    return db.tables["tbl"]


def transfer(token=None, amount="10"):
    request = {"TransactItems": [{"Update": {
        "TableName": "tbl", "Key": {"p": s("a")}, "UpdateExpression": "ADD n :x",
        "ExpressionAttributeValues": {":x": {"N": amount}}}}]}
    if token is not None:
        request["ClientRequestToken"] = token
    return request


# ---------------------------------------------------------------- idempotency


def test_token_replays_within_ten_minutes_then_runs_again(call, db, tbl):
    call("TransactWriteItems", transfer("tok"))
    db.clock.advance(limits.CLIENT_REQUEST_TOKEN_TTL_SECONDS - 1)
    call("TransactWriteItems", transfer("tok"))
    assert tbl.get("a")["n"] == {"N": "10"}
    assert error_of(call, "TransactWriteItems", transfer("tok", "11")).code == "IdempotentParameterMismatchException"
    db.clock.advance(1)
    call("TransactWriteItems", transfer("tok", "11"))
    assert tbl.get("a")["n"] == {"N": "21"}


def test_cancelled_transaction_does_not_use_up_its_token(call, tbl):
    request = transfer("tok")
    request["TransactItems"][0]["Update"]["ConditionExpression"] = "attribute_exists(p)"
    assert error_of(call, "TransactWriteItems", request).code == "TransactionCanceledException"
    call("PutItem", {"TableName": "tbl", "Item": {"p": s("a")}})
    call("TransactWriteItems", request)
    assert tbl.get("a")["n"] == {"N": "10"}


def test_replay_skips_the_checks_of_the_first_request(call, db, tbl):
    """The answer to a repeat does not depend on the tables any more."""
    first = call("TransactWriteItems", transfer("tok"))
    call("DeleteTable", {"TableName": "tbl"})
    assert call("TransactWriteItems", transfer("tok")) == first == {}


def test_replay_reports_read_capacity(call, tbl):
    request = {**transfer("tok"), "ReturnConsumedCapacity": "INDEXES"}
    call("PutItem", {"TableName": "tbl", "Item": {"p": s("a"), "big": s("x" * 5000)}})
    first = call("TransactWriteItems", request)["ConsumedCapacity"]
    assert first == [{"TableName": "tbl", "CapacityUnits": 10.0, "WriteCapacityUnits": 10.0,
                      "Table": {"CapacityUnits": 10.0, "WriteCapacityUnits": 10.0}}]
    replay = call("TransactWriteItems", request)["ConsumedCapacity"]
    assert replay == [{"TableName": "tbl", "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0,
                       "Table": {"CapacityUnits": 4.0, "ReadCapacityUnits": 4.0}}]
    assert "ConsumedCapacity" not in call("TransactWriteItems", transfer("tok"))


# ---------------------------------------------------------------- check order


def test_shape_errors_are_collected(call, tbl):
    error = error_of(call, "TransactWriteItems", {
        "TransactItems": [{"Put": {"TableName": "ab", "ReturnValuesOnConditionCheckFailure": "SOME"}}],
        "ClientRequestToken": "x" * 37, "ReturnConsumedCapacity": "hi"})
    assert error.message.startswith("5 validation errors detected: ")
    for part in ("Value 'ab' at 'transactItems.1.member.put.tableName' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 3",
                 "Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null",
                 "Value 'SOME' at 'transactItems.1.member.put.returnValuesOnConditionCheckFailure' failed to "
                 "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
                 "at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
                 "Value 'hi' at 'returnConsumedCapacity'"):
        assert part in error.message


@pytest.mark.parametrize("operation", ["TransactWriteItems", "TransactGetItems"])
def test_transact_items_required(call, operation):
    assert error_of(call, operation, {}).message == (
        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: "
        "Member must not be null")


def test_get_member_required(call, tbl):
    assert error_of(call, "TransactGetItems", {"TransactItems": [{}]}).message == (
        "1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: "
        "Member must not be null")


@pytest.mark.parametrize("items, message", [
    ({"Put": {}}, "Start of structure or map found where not expected"),
    ([{"Put": []}], "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Put"),
    ([{"Put": {"TableName": "tbl", "Item": []}}],
     "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"),
    # a value's serialization error comes before the shape errors (no TableName here)
    ([{"Delete": {"Key": {"p": {"S": 1}}}}], "NUMBER_VALUE cannot be converted to String"),
    ([{"Delete": {"TableName": "tbl", "Key": {"p": s("a")}, "ExpressionAttributeValues": "x"}}],
     "Unexpected field type"),
])
def test_member_types(call, tbl, items, message):
    error = error_of(call, "TransactWriteItems", {"TransactItems": items})
    assert (error.code, error.message) == ("SerializationException", message)


@pytest.mark.parametrize("items", [
    [{"Put": {"TableName": "tbl", "Item": {"p": s("a")}, "ConditionExpression": "attribute_not_exists(p)"}}],
    [{"Put": {"TableName": "tbl", "Item": {"p": s("a")}}}, {"Delete": {"TableName": 5, "Key": {"p": s("b")}}}],
    [{"Update": {"TableName": "tbl", "Key": {"p": s("a")}, "UpdateExpression": None}}],
    [{"Put": {"TableName": "tbl", "Item": {"p": s("a")}, "ReturnValuesOnConditionCheckFailure": True}}],
    [{"Put": {"TableName": "tbl", "Item": {"p": s("a")}}, "Delete": {"TableName": "tbl", "Key": {"p": s("b")}}}],
    [{"Frob": {"TableName": "tbl"}}], [{"Put": {"TableName": ["tbl"], "Item": {}}}], ["Put"],
])
def test_entries_taken_as_they_are_conform_alike(items):
    """Entries that conforming would only copy are taken as they are (transactions.
    _plain_entry); any other entry sends the whole list through conform, with its
    conversions, dropped nulls and errors."""
    from emulator.errors import SerializationException
    from emulator.operations import transactions
    from emulator.operations.request_types import List, conform

    members = {"ClientRequestToken": "String"}
    request = {"ClientRequestToken": "t", "TransactItems": items}

    def outcome(run):
        try:
            return run()
        except SerializationException as error:
            return error.message

    expected = outcome(lambda: conform(request, {**members, "TransactItems": List(transactions._WRITE_ITEM)}))
    got = outcome(lambda: transactions._conform(request, transactions._WRITE_ITEM, members)[0])
    assert got == expected


@pytest.mark.parametrize("extra, message", [
    ({"ExpressionAttributeValues": {":v": s("x")}},
     "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"),
    ({"ExpressionAttributeNames": {"#n": "n"}}, "ExpressionAttributeNames can only be specified when using expressions"),
])
def test_placeholders_without_an_expression_are_refused(call, tbl, extra, message):
    """An action without expressions skips the expression machinery (transactions.
    _parse_action), unless it carries placeholder maps, which the rules refuse."""
    error = error_of(call, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "tbl", "Item": {"p": s("a")}, **extra}}]})
    assert (error.code, error.message) == ("ValidationException", message)


def test_expressions_are_checked_before_tables(call, tbl):
    error = error_of(call, "TransactWriteItems", {"TransactItems": [
        put("missing", "a"),
        {"ConditionCheck": {"TableName": "tbl", "Key": {"p": s("a")}, "ConditionExpression": "a = :undefined"}}]})
    assert error.message == ("Invalid ConditionExpression: An expression attribute value used in expression "
                             "is not defined; attribute value: :undefined")


def test_payload_limit_is_checked_before_tables(call, tbl, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TRANSACTION_BYTES", 100)
    error = error_of(call, "TransactWriteItems", {"TransactItems": [
        put("missing", "a", x=s("x" * 60)), put("missing", "b", x=s("x" * 60))]})
    assert error.message == ("Transaction payload size cannot exceed 4MB. Payload Size: : Transaction payload "
                             "size cannot exceed 4MB. Payload Size: 126")


def test_empty_key_value_is_refused_outright(call, tbl):
    error = error_of(call, "TransactWriteItems", {"TransactItems": [put("tbl", "")]})
    assert error.code == "ValidationException"
    assert "cannot contain an empty string value" in error.message


def test_oversized_update_result_is_a_validation_reason(call, tbl):
    call("PutItem", {"TableName": "tbl", "Item": {"p": s("a"), "x": s("x" * 300_000)}})
    error = error_of(call, "TransactWriteItems", {"TransactItems": [{"Update": {
        "TableName": "tbl", "Key": {"p": s("a")}, "UpdateExpression": "SET y = :y",
        "ExpressionAttributeValues": {":y": s("y" * 200_000)}}}]})
    assert error.extras["CancellationReasons"] == [
        {"Code": "ValidationError", "Message": "Item size to update has exceeded the maximum allowed size"}]


def test_updating_a_key_attribute_is_a_validation_reason(call, tbl):
    error = error_of(call, "TransactWriteItems", {"TransactItems": [{"Update": {
        "TableName": "tbl", "Key": {"p": s("a")}, "UpdateExpression": "SET p = :p",
        "ExpressionAttributeValues": {":p": s("b")}}}]})
    assert [reason["Code"] for reason in error.extras["CancellationReasons"]] == ["ValidationError"]


# ---------------------------------------------------------------- results


def test_condition_check_writes_nothing(call, tbl):
    seen = []
    call("PutItem", {"TableName": "tbl", "Item": {"p": s("a")}})
    tbl.listeners.append(lambda table, old, new: seen.append(new))
    call("TransactWriteItems", {"TransactItems": [
        {"ConditionCheck": {"TableName": "tbl", "Key": {"p": s("a")}, "ConditionExpression": "attribute_exists(p)"}},
        put("tbl", "b")]})
    assert seen == [{"p": s("b")}]
    tbl._check()


def test_item_collection_metrics_for_tables_with_local_indexes(call, db):
    call("CreateTable", {
        "TableName": "lsi", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                 {"AttributeName": "c", "AttributeType": "S"},
                                 {"AttributeName": "l", "AttributeType": "S"}],
        "LocalSecondaryIndexes": [{"IndexName": "by_l", "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
            {"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}]}]})
    response = call("TransactWriteItems", {"ReturnItemCollectionMetrics": "SIZE", "TransactItems": [
        {"Put": {"TableName": "lsi", "Item": {"p": s("a"), "c": s("1"), "l": s("x")}}},
        {"Delete": {"TableName": "lsi", "Key": {"p": s("b"), "c": s("1")}}}]})
    assert response["ItemCollectionMetrics"] == {"lsi": [
        {"ItemCollectionKey": {"p": s("a")}, "SizeEstimateRangeGB": [0.0, 1.0]},
        {"ItemCollectionKey": {"p": s("b")}, "SizeEstimateRangeGB": [0.0, 1.0]}]}


def test_transact_get_reads_one_snapshot_with_projection(call, tbl):
    call("PutItem", {"TableName": "tbl", "Item": {"p": s("a"), "x": s("1"), "y": s("2")}})
    response = call("TransactGetItems", {"ReturnConsumedCapacity": "INDEXES", "TransactItems": [
        {"Get": {"TableName": "tbl", "Key": {"p": s("a")}, "ProjectionExpression": "#y",
                 "ExpressionAttributeNames": {"#y": "y"}}},
        {"Get": {"TableName": "tbl", "Key": {"p": s("z")}}}]})
    assert response == {"Responses": [{"Item": {"y": s("2")}}, {}], "ConsumedCapacity": [
        {"TableName": "tbl", "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0,
         "Table": {"CapacityUnits": 4.0, "ReadCapacityUnits": 4.0}}]}
