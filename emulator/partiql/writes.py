"""INSERT, UPDATE, DELETE and EXISTS -> the low-level write each of them is.

Each write statement becomes the PutItem, UpdateItem or DeleteItem request (or the
TransactWriteItems action) a client would send, and runs through that operation: its
validation, condition check, update application, 400 KB limit, indexes, streams, TTL and
capacity are the existing code. DynamoDB's PartiQL semantics are conditions on that
write (nubo-db/dynamodb-conformance tier2/partiql/executeStatement, observed on AWS
eu-west-2; DynamoDB Local recordings agree):

* INSERT never replaces: ``attribute_not_exists(<hash key>)``; a failure is
  DuplicateItemException "Duplicate primary key exists in table".
* UPDATE never creates: ``attribute_exists(<hash key>) AND (<rest of WHERE>)``; a
  missing item or a false predicate is ConditionalCheckFailedException.
* DELETE of a missing item is a silent no-op even with a predicate:
  ``attribute_not_exists(<hash key>) OR (<rest of WHERE>)``.
* EXISTS(SELECT ... WHERE <key> AND <condition>) is a ConditionCheck that holds when
  the item exists and the condition is true.

RETURNING maps onto ReturnValues: ALL OLD/ALL NEW/MODIFIED OLD/MODIFIED NEW are
ALL_OLD/ALL_NEW/UPDATED_OLD/UPDATED_NEW; DELETE takes only ALL OLD (message observed on
AWS, same suite tier3/error-messages/partiql).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..database import Database
from ..errors import ValidationException
from ..expressions import ast
from ..table import Table
from . import nodes
from .render import Renderer
from .source import DML_ON_INDEX, WRITE_ON_INDEX, table_of
from .translate import check_condition, insert_item, split_key, update_expression

DUPLICATE_ITEM = "Duplicate primary key exists in table"
EXISTS_NEEDS_CONDITION = "EXISTS() must contain a single item read with additional condition"
RETURN_VALUES = {"ALL OLD": "ALL_OLD", "ALL NEW": "ALL_NEW", "MODIFIED OLD": "UPDATED_OLD",
                 "MODIFIED NEW": "UPDATED_NEW"}


def invalid_delete_returning(returning: str) -> str:
    return (f"Invalid returning clause: RETURNING {returning} *. "
            "Only RETURNING ALL OLD * is allowed in DELETE statements.")


@dataclass
class Write:
    """One statement as a low-level write: ``kind`` is Put, Update, Delete or
    ConditionCheck (TransactWriteItems' member names) and ``action`` its members."""

    kind: str
    table: Table
    action: dict
    return_values: Optional[str] = None

    @property
    def is_insert(self) -> bool:
        return self.kind == "Put"


def plan(db: Database, statement: Any) -> Write:
    """Translate a bound write statement; raises DynamoDB's errors for what it refuses."""
    if isinstance(statement, nodes.Insert):
        return _insert(db, statement)
    if isinstance(statement, nodes.Update):
        return _update(db, statement)
    if isinstance(statement, nodes.Delete):
        return _delete(db, statement)
    return _exists(db, statement)


def _insert(db: Database, statement: nodes.Insert) -> Write:
    table, _ = table_of(db, statement.source, refuse_index=DML_ON_INDEX)
    item = insert_item(statement.value, table.schema)
    renderer = Renderer()
    condition = f"attribute_not_exists({renderer.name(table.schema.hash_name)})"
    action = {"TableName": table.name, "Item": item, "ConditionExpression": condition, **renderer.members()}
    return Write("Put", table, action)


def _update(db: Database, statement: nodes.Update) -> Write:
    table, _ = table_of(db, statement.source, refuse_index=WRITE_ON_INDEX)
    key, rest = split_key(statement.where, table.schema)
    if rest is not None:
        check_condition(rest)
    expression = update_expression(statement.actions, table.schema)
    renderer = Renderer()
    update = renderer.update(expression)
    exists = ast.Function("attribute_exists", (ast.Path((table.schema.hash_name,)),))
    condition = renderer.condition(exists if rest is None else ast.And(exists, rest))
    action = {"TableName": table.name, "Key": key, "UpdateExpression": update,
              "ConditionExpression": condition, **renderer.members()}
    returning = RETURN_VALUES[statement.returning] if statement.returning else None
    return Write("Update", table, action, returning)


def _delete(db: Database, statement: nodes.Delete) -> Write:
    if statement.returning is not None and statement.returning != "ALL OLD":
        raise ValidationException(invalid_delete_returning(statement.returning))
    table, _ = table_of(db, statement.source, refuse_index=WRITE_ON_INDEX)
    key, rest = split_key(statement.where, table.schema)
    action: dict[str, Any] = {"TableName": table.name, "Key": key}
    if rest is not None:
        check_condition(rest)
        renderer = Renderer()
        absent = ast.Function("attribute_not_exists", (ast.Path((table.schema.hash_name,)),))
        action["ConditionExpression"] = renderer.condition(ast.Or(absent, rest))
        action.update(renderer.members())
    return Write("Delete", table, action, "ALL_OLD" if statement.returning else None)


def _exists(db: Database, statement: nodes.Exists) -> Write:
    select = statement.select
    table, index = table_of(db, select.source)
    if index is not None:
        raise ValidationException("Operations on indices are not supported in transactions")
    if select.where is None:
        raise ValidationException(EXISTS_NEEDS_CONDITION)
    check_condition(select.where)
    try:
        key, rest = split_key(select.where, table.schema)
    except ValidationException:
        raise ValidationException(EXISTS_NEEDS_CONDITION) from None
    renderer = Renderer()
    exists = ast.Function("attribute_exists", (ast.Path((table.schema.hash_name,)),))
    condition = renderer.condition(exists if rest is None else ast.And(exists, rest))
    action = {"TableName": table.name, "Key": key, "ConditionExpression": condition, **renderer.members()}
    return Write("ConditionCheck", table, action)
