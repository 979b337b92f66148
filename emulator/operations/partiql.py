"""ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL on the same engine.

Each operation checks its request shape first (member types, then the collected
constraint errors), then parses and binds each statement (emulator.partiql), then runs
it: a SELECT through the Query/Scan engine, a write as the PutItem/UpdateItem/DeleteItem
it stands for, a transaction as the TransactWriteItems/TransactGetItems request it
stands for (ClientRequestToken idempotency, CancellationReasons, capacity included).
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html

Facts pinned by observations on AWS (nubo-db/dynamodb-conformance, tier2/partiql and
tier3/error-messages/partiql, eu-west-2): a batch member's failure is reported in its
``Responses[i].Error`` with the short codes (ValidationError, ResourceNotFound,
ConditionalCheckFailed, DuplicateItem) while the batch answers 200; a member that ran
echoes its TableName; a batch SELECT must name the whole primary key and nothing else
("Select statements within BatchExecuteStatement must specify the primary key in the
where clause."); RETURNING works in a batch and is refused in a transaction
("Validation failed in TransactStatements[0]: RETURNING clause is not supported in
ExecuteTransaction."); a transaction may not read an index.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from .. import capacity, validate
from ..database import Database
from ..errors import (
    ConditionalCheckFailedException, DuplicateItemException, DynamoDBError, SerializationException,
    TransactionCanceledException, ValidationException,
)
from ..partiql import nodes, parser
from ..partiql import select as selects
from ..partiql import writes
from ..partiql.bind import bind
from ..partiql.source import table_of
from ..partiql.translate import check_condition
from ..types import item_size
from . import items, transactions
from .items import RETURN_VALUES_ON_CONDITION_CHECK_FAILURE
from .reads import ReadTarget
from .request_types import List, Struct, conform

MAX_STATEMENT_LENGTH = 8192
MAX_NEXT_TOKEN_LENGTH = 32768
MAX_BATCH_STATEMENTS = 25
MAX_TRANSACTION_STATEMENTS = 100
EXISTS_OUTSIDE_TRANSACTION = "EXISTS can only be used in ExecuteTransaction write requests."
# DynamoDB Local's wording (recorded: "a transaction of a read and a write"); unverified on AWS.
MIXED_TRANSACTION = "ExecuteTransaction API does not support both read and write operations in the same request."
# No record of AWS's wording was found; the rule is documented (ql-reference.multiplestatements.batching).
MIXED_BATCH = "Statements in a batch must be all reads or all writes"
BATCH_SELECT_KEY = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."
TRANSACTION_SELECT_KEY = "Select statements within ExecuteTransaction must specify the primary key in the where clause."
TRANSACTION_INDEX_READ = "Reads on indices are not supported within transactions."
TRANSACTION_RETURNING = "RETURNING clause is not supported in ExecuteTransaction."

_PARAMETERIZED = {"Statement": "String", "ReturnValuesOnConditionCheckFailure": "String"}


# ---------------------------------------------------------------- shared steps


def _check_parameters_member(parameters: Any) -> None:
    if parameters is not None and not isinstance(parameters, list):
        raise SerializationException("Start of structure or map found where not expected."
                                     if isinstance(parameters, dict) else "Unexpected value type in payload")


def _statement_shape(shape: validate.Shape, entry: dict, path: str) -> None:
    statement = entry.get("Statement")
    if shape.required(statement, f"{path}statement"):
        shape.length(statement, f"{path}statement", 1, MAX_STATEMENT_LENGTH)
    shape.length(entry.get("Parameters"), f"{path}parameters", 1)
    shape.enum(entry.get("ReturnValuesOnConditionCheckFailure"), f"{path}returnValuesOnConditionCheckFailure",
               RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)


def _prepare(entry: dict) -> Any:
    """Parse (cached) and bind one statement with its Parameters."""
    _check_parameters_member(entry.get("Parameters"))
    return bind(parser.parse(entry["Statement"]), entry.get("Parameters"))


#: The item operation each planned write runs through. PartiQL's UPDATE measures only the
#: finished item (conformance tier3/limits/itemSizeBySurface, on AWS), unlike UpdateItem.
_WRITE_OPERATIONS: dict[str, Callable[[Database, dict], dict]] = {
    "Put": items.put_item, "Update": functools.partial(items.update_item, measure_statement=False),
    "Delete": items.delete_item,
}


def _run_write(db: Database, write: writes.Write, entry: dict, mode: Any) -> tuple[dict, Optional[dict]]:
    """Run a planned write through its item operation: (the operation's response, the
    RETURNING item or None)."""
    api: dict[str, Any] = dict(write.action)
    if mode is not None:
        api["ReturnConsumedCapacity"] = mode
    if write.return_values is not None:
        api["ReturnValues"] = write.return_values
    if write.kind != "Put" and entry.get("ReturnValuesOnConditionCheckFailure") is not None:
        api["ReturnValuesOnConditionCheckFailure"] = entry["ReturnValuesOnConditionCheckFailure"]
    operation = _WRITE_OPERATIONS[write.kind]
    try:
        response = operation(db, api)
    except ConditionalCheckFailedException:
        if write.is_insert:
            raise DuplicateItemException(writes.DUPLICATE_ITEM) from None
        raise
    return response, response.get("Attributes") or None


# ---------------------------------------------------------------- ExecuteStatement


_EXECUTE_MEMBERS = {**_PARAMETERIZED, "ConsistentRead": "Boolean", "NextToken": "String",
                    "ReturnConsumedCapacity": "String", "Limit": "Integer"}


def execute_statement(db: Database, request: dict) -> dict:
    request = conform(request, _EXECUTE_MEMBERS)
    _check_parameters_member(request.get("Parameters"))
    shape = validate.Shape()
    _statement_shape(shape, request, "")
    shape.length(request.get("NextToken"), "nextToken", 1, MAX_NEXT_TOKEN_LENGTH)
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    shape.number(request.get("Limit"), "limit", 1)
    shape.check()
    statement = _prepare(request)
    if isinstance(statement, nodes.Select):
        return _select(db, statement, request)
    if isinstance(statement, nodes.Exists):
        raise ValidationException(EXISTS_OUTSIDE_TRANSACTION)
    write = writes.plan(db, statement)
    response, returned = _run_write(db, write, request, request.get("ReturnConsumedCapacity"))
    result: dict[str, Any] = {"Items": [returned] if returned else []}
    if "ConsumedCapacity" in response:
        result["ConsumedCapacity"] = response["ConsumedCapacity"]
    return result


def _select(db: Database, select: nodes.Select, request: dict) -> dict:
    if select.where is not None:
        # A property of the statement: an operand of the wrong type is refused before
        # the table is looked up (conformance tier3/validation-ordering/partiql, on AWS).
        check_condition(select.where)
    table, index = table_of(db, select.source)
    read = selects.plan(ReadTarget(table, index), select)
    request_fingerprint = selects.fingerprint(request["Statement"], request.get("Parameters"))
    start_key = None
    if request.get("NextToken") is not None:
        start_key = selects.decode_token(request["NextToken"], request_fingerprint)
    response, last = selects.execute(
        read, limit=request.get("Limit"), consistent=bool(request.get("ConsistentRead")),
        capacity_mode=request.get("ReturnConsumedCapacity"), start_key=start_key)
    if last is not None:
        response["NextToken"] = selects.encode_token(request_fingerprint, last)
    return response


# ---------------------------------------------------------------- BatchExecuteStatement


_BATCH_STATEMENT = Struct("BatchStatementRequest", {**_PARAMETERIZED, "ConsistentRead": "Boolean"}, element=True)


def error_code(error: DynamoDBError) -> str:
    """A batch member's Error.Code: the exception's name without "Exception"
    (BatchStatementError in the API reference), ValidationException as ValidationError."""
    if isinstance(error, ValidationException):
        return "ValidationError"
    code = error.code
    return code[: -len("Exception")] if code.endswith("Exception") else code


def _ran(error: DynamoDBError) -> bool:
    """Whether a member's error came from running it (then its TableName is echoed)."""
    return not isinstance(error, ValidationException) and error.code != "ResourceNotFoundException"


def _statements_shape(shape: validate.Shape, entries: Any, member: str, most: int) -> None:
    """The list of statements of a batch or a transaction: present, 1 to ``most`` long,
    and each statement's own shape (checked only when the list's length is right)."""
    if shape.required(entries, member):
        shape.length(entries, member, 1, most)
        if entries and len(entries) <= most:
            for position, entry in enumerate(entries, 1):
                _statement_shape(shape, entry, f"{member}.{position}.member.")


def batch_execute_statement(db: Database, request: dict) -> dict:
    request = conform(request, {"Statements": List(_BATCH_STATEMENT), "ReturnConsumedCapacity": "String"})
    entries = request.get("Statements")
    shape = validate.Shape()
    _statements_shape(shape, entries, "statements", MAX_BATCH_STATEMENTS)
    mode = request.get("ReturnConsumedCapacity")
    shape.enum(mode, "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    shape.check()
    assert entries is not None
    prepared: list[Any] = []
    for entry in entries:
        try:
            prepared.append(_prepare(entry))
        except DynamoDBError as error:
            prepared.append(error)
    kinds = {isinstance(s, nodes.Select) for s in prepared if not isinstance(s, DynamoDBError)}
    if len(kinds) > 1:
        raise ValidationException(MIXED_BATCH)
    totals: dict[str, dict] = {}
    responses = [_batch_member(db, entry, statement, mode, totals) for entry, statement in zip(entries, prepared)]
    response: dict[str, Any] = {"Responses": responses}
    if mode in ("TOTAL", "INDEXES"):
        response["ConsumedCapacity"] = list(totals.values())
    return response


def _batch_member(db: Database, entry: dict, statement: Any, mode: Any, totals: dict[str, dict]) -> dict:
    table_name: Optional[str] = None
    try:
        if isinstance(statement, DynamoDBError):
            raise statement
        if isinstance(statement, nodes.Exists):
            raise ValidationException(EXISTS_OUTSIDE_TRANSACTION)
        if isinstance(statement, nodes.Select):
            table, index = table_of(db, statement.source)
            if index is not None:
                raise ValidationException(BATCH_SELECT_KEY)
            key = selects.single_item_key(ReadTarget(table), statement, BATCH_SELECT_KEY)
            table_name = table.name
            item = table.get(*table.check_key(key))
            if mode in ("TOTAL", "INDEXES"):
                units = capacity.read_units(item_size(item) if item else 0, bool(entry.get("ConsistentRead")))
                _add_capacity(totals, capacity.consumed(mode, table.name, units, read=True))
            result: dict[str, Any] = {"TableName": table.name}
            if item is not None:
                project = selects.projector(statement.projection)
                result["Item"] = project(item) if project is not None else item
            return result
        write = writes.plan(db, statement)
        table_name = write.table.name
        response, returned = _run_write(db, write, entry, mode)
        if "ConsumedCapacity" in response:
            _add_capacity(totals, response["ConsumedCapacity"])
        result = {"TableName": write.table.name}
        if returned:
            result["Item"] = returned
        return result
    except DynamoDBError as error:
        failed: dict[str, Any] = {"Error": {"Code": error_code(error), "Message": error.message}}
        if table_name is not None and _ran(error):
            failed["TableName"] = table_name
        return failed


def _add_capacity(totals: dict[str, dict], entry: Optional[dict]) -> None:
    """Sum one ConsumedCapacity entry into the per-table totals."""
    if entry is None:
        return
    total = totals.get(entry["TableName"])
    totals[entry["TableName"]] = entry if total is None else _sum(total, entry)


def _sum(a: dict, b: dict) -> dict:
    result = dict(a)
    for name, value in b.items():
        if isinstance(value, (int, float)) and isinstance(result.get(name), (int, float)):
            result[name] = result[name] + value
        elif isinstance(value, dict) and isinstance(result.get(name), dict):
            result[name] = _sum(result[name], value)
        elif name not in result:
            result[name] = value
    return result


# ---------------------------------------------------------------- ExecuteTransaction


_TRANSACT_STATEMENT = Struct("ParameterizedStatement", _PARAMETERIZED, element=True)


def _in_statement(position: int, message: str) -> ValidationException:
    return ValidationException(f"Validation failed in TransactStatements[{position}]: {message}")


def execute_transaction(db: Database, request: dict) -> dict:
    request = conform(request, {"TransactStatements": List(_TRANSACT_STATEMENT), "ClientRequestToken": "String",
                                "ReturnConsumedCapacity": "String"})
    entries = request.get("TransactStatements")
    shape = validate.Shape()
    _statements_shape(shape, entries, "transactStatements", MAX_TRANSACTION_STATEMENTS)
    shape.length(request.get("ClientRequestToken"), "clientRequestToken", 1, 36)
    shape.enum(request.get("ReturnConsumedCapacity"), "returnConsumedCapacity", capacity.RETURN_CONSUMED_CAPACITY)
    shape.check()
    assert entries is not None
    statements = []
    for position, entry in enumerate(entries):
        try:
            statement = _prepare(entry)
        except ValidationException as error:
            raise _in_statement(position, error.message) from None
        if getattr(statement, "returning", None) is not None:
            raise _in_statement(position, TRANSACTION_RETURNING)
        statements.append(statement)
    reads = {isinstance(statement, nodes.Select) for statement in statements}
    if len(reads) > 1:
        raise ValidationException(MIXED_TRANSACTION)
    if reads == {True}:
        return _transact_reads(db, request, statements)
    return _transact_writes(db, request, entries, statements)


def _transact_reads(db: Database, request: dict, statements: list) -> dict:
    gets, projections = [], []
    for position, select in enumerate(statements):
        try:
            table, index = table_of(db, select.source)
            if index is not None:
                raise ValidationException(TRANSACTION_INDEX_READ)
            key = selects.single_item_key(ReadTarget(table), select, TRANSACTION_SELECT_KEY)
        except ValidationException as error:
            raise _in_statement(position, error.message) from None
        gets.append({"Get": {"TableName": table.name, "Key": key}})
        projections.append(selects.projector(select.projection))
    api: dict[str, Any] = {"TransactItems": gets}
    if request.get("ReturnConsumedCapacity") is not None:
        api["ReturnConsumedCapacity"] = request["ReturnConsumedCapacity"]
    response = transactions.transact_get_items(db, api)
    for entry, project in zip(response["Responses"], projections):
        if "Item" in entry and project is not None:
            entry["Item"] = project(entry["Item"])
    return response


def _transact_writes(db: Database, request: dict, entries: list, statements: list) -> dict:
    planned = []
    for position, statement in enumerate(statements):
        try:
            planned.append(writes.plan(db, statement))
        except ValidationException as error:
            raise _in_statement(position, error.message) from None
    actions = []
    for write, entry in zip(planned, entries):
        action = dict(write.action)
        if entry.get("ReturnValuesOnConditionCheckFailure") is not None:
            action["ReturnValuesOnConditionCheckFailure"] = entry["ReturnValuesOnConditionCheckFailure"]
        actions.append({write.kind: action})
    api: dict[str, Any] = {"TransactItems": actions}
    for member in ("ClientRequestToken", "ReturnConsumedCapacity"):
        if request.get(member) is not None:
            api[member] = request[member]
    try:
        return transactions.transact_write_items(db, api)
    except TransactionCanceledException as error:
        raise _duplicate_reasons(error, planned) from None


def _duplicate_reasons(error: TransactionCanceledException, planned: list) -> TransactionCanceledException:
    """An INSERT whose item exists cancels the transaction with a DuplicateItem reason,
    not ConditionalCheckFailed (DynamoDB Local's catalog; the cancellation itself is
    observed on AWS: conformance tier2/partiql/executeTransaction)."""
    reasons = []
    for reason, write in zip(error.extras.get("CancellationReasons", []), planned):
        if write.is_insert and reason.get("Code") == "ConditionalCheckFailed":
            reason = {"Code": "DuplicateItem", "Message": writes.DUPLICATE_ITEM}
        reasons.append(reason)
    return transactions.cancellation(reasons)
