"""Bound PartiQL pieces -> the expression AST's conditions, keys and update actions.

* A WHERE clause is checked to be a condition the evaluator can run (operands are
  paths, values or ``size``; functions are the condition functions), then its
  operand types are checked by :func:`emulator.expressions.checks.condition_error`,
  whose messages PartiQL shares ("Incorrect operand type for operator or function;
  operator or function: <, operand type: BOOL": nubo-db/dynamodb-conformance
  tier3/error-messages/partiql, observed on AWS).
* UPDATE and DELETE pin one item: :func:`split_key` takes an ``=`` on every key
  attribute out of the top-level ANDs ("Where clause does not contain a mandatory
  equality on all key attributes": same suite, observed on AWS); what is left is the
  write's condition.
* ``SET``/``REMOVE`` become an ``ast.UpdateExpression``: ``set_add(a, <<...>>)`` is
  ``ADD a``, ``set_delete`` is ``DELETE a``, ``list_append``/``if_not_exists`` and ``+``/
  ``-`` are the update language's own.

Messages not pinned by an AWS observation are DynamoDB Local's
(``ddb.partiql.shared.exceptions.ValidationExceptionMessages``) and unverified.
"""

from __future__ import annotations

from typing import Any, Optional

from ..errors import ValidationException
from ..expressions import ast, checks
from ..table import KeySchema
from ..types import Item, value_type

INCOMPLETE_KEY = "Where clause does not contain a mandatory equality on all key attributes"
NOT_A_CONDITION = "WHERE clause must contain an expression that resolves to a boolean"
AND_OR_OPERANDS = "The arguments to AND/OR must be Expressions"
NOT_OPERAND = "The argument to NOT must be a Type or Expression"
UNSUPPORTED_CONDITION_OP = "Unsupported operator in Condition Expression. Operator: {}"
UNSUPPORTED_UPDATE_OP = "Unsupported operator in Update Expression. Operator: {}"
UNRECOGNIZED_FUNCTION = "Unrecognized function: {}"
KEY_TYPE = "Key attribute's data type should match its data type in table's schema: Key {}"
KEY_ABSENT = "Key attribute should be present in the item: Key {}"
NESTED_KEY = ("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
              "Key {}")
SET_ARGS = "SET_{} must have exactly two arguments"
SET_FIRST = "The first argument to SET_{} must equal the assignment value"
SET_SECOND = "The second argument to SET_{} must be a value with type SET"
INSERT_FORMAT = ("Unsupported format in item expression. Please use struct format {...} to express item "
                 "values for insert statement.")

_CONDITION_FUNCTIONS = checks.CONDITION_FUNCTIONS
_OPERANDS = (ast.Path, ast.Value, ast.Size)


# ---------------------------------------------------------------- conditions


def check_condition(node: Any) -> Any:
    """``node`` if it is a condition the evaluator can run, else DynamoDB's error."""
    _condition(node, top=True)
    message = checks.condition_error(node, None, None)
    if message:
        raise ValidationException(message)
    return node


def _condition(node: Any, top: bool = False) -> None:
    if isinstance(node, (ast.And, ast.Or)):
        for side in (node.left, node.right):
            if not _is_condition(side):
                raise ValidationException(AND_OR_OPERANDS)
            _condition(side)
    elif isinstance(node, ast.Not):
        if not _is_condition(node.operand):
            raise ValidationException(NOT_OPERAND)
        _condition(node.operand)
    elif isinstance(node, ast.Comparison):
        _operands(node.op, (node.left, node.right))
    elif isinstance(node, ast.Between):
        _operands("BETWEEN", (node.operand, node.low, node.high))
    elif isinstance(node, ast.In):
        _operands("IN", (node.operand, *node.choices))
    elif isinstance(node, ast.Function) and node.name in _CONDITION_FUNCTIONS and node.name != "size":
        _operands(node.name, node.args)
    elif isinstance(node, ast.Function):
        raise ValidationException(UNRECOGNIZED_FUNCTION.format(node.name))
    else:
        raise ValidationException(NOT_A_CONDITION)


def _is_condition(node: Any) -> bool:
    return isinstance(node, (ast.And, ast.Or, ast.Not, ast.Comparison, ast.Between, ast.In, ast.Function))


def _operands(operator: str, operands: tuple) -> None:
    for operand in operands:
        if isinstance(operand, ast.Size):
            _operands("size", (operand.operand,))
        elif isinstance(operand, ast.Arithmetic):
            raise ValidationException(UNSUPPORTED_CONDITION_OP.format(operand.op))
        elif isinstance(operand, ast.Function):
            raise ValidationException(UNRECOGNIZED_FUNCTION.format(operand.name)
                                      if operand.name not in _CONDITION_FUNCTIONS
                                      else UNSUPPORTED_CONDITION_OP.format(operand.name))
        elif not isinstance(operand, _OPERANDS):
            raise ValidationException(UNSUPPORTED_CONDITION_OP.format(operator))


def conjuncts(node: Any) -> list[Any]:
    """The top-level AND operands of a condition, in text order."""
    if isinstance(node, ast.And):
        return conjuncts(node.left) + conjuncts(node.right)
    return [node]


def join(parts: list[Any]) -> Optional[Any]:
    """The AND of ``parts`` (None when empty)."""
    result = None
    for part in parts:
        result = part if result is None else ast.And(result, part)
    return result


def key_equality(node: Any) -> Optional[tuple[str, dict]]:
    """``name = value`` (either way round), or ``name IN [value]`` with one value, on a
    top-level attribute: (name, value)."""
    if isinstance(node, ast.Comparison) and node.op == "=":
        for path, value in ((node.left, node.right), (node.right, node.left)):
            if isinstance(path, ast.Path) and len(path.elements) == 1 and isinstance(value, ast.Value):
                return str(path.elements[0]), value.value
    if (isinstance(node, ast.In) and len(node.choices) == 1 and isinstance(node.operand, ast.Path)
            and len(node.operand.elements) == 1 and isinstance(node.choices[0], ast.Value)):
        return str(node.operand.elements[0]), node.choices[0].value
    return None


def split_key(where: Any, schema: KeySchema) -> tuple[Item, Optional[Any]]:
    """The item key an UPDATE/DELETE (or a single-item read) pins, and the rest of its
    WHERE clause as a condition (None when nothing is left)."""
    if where is None:
        raise ValidationException(INCOMPLETE_KEY)
    key: Item = {}
    rest = []
    for part in conjuncts(where):
        pinned = key_equality(part)
        if pinned is not None and pinned[0] in schema.names and pinned[0] not in key:
            key[pinned[0]] = pinned[1]
        else:
            rest.append(part)
    if len(key) != len(schema.names):
        raise ValidationException(INCOMPLETE_KEY)
    check_key_types(key, schema)
    return {name: key[name] for name in schema.names}, join(rest)


def check_key_types(item: Item, schema: KeySchema) -> None:
    for name, kind in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type)):
        if name is None:
            continue
        value = item.get(name)
        if value is None:
            raise ValidationException(KEY_ABSENT.format(name))
        if value_type(value) != kind:
            raise ValidationException(KEY_TYPE.format(name))


# ---------------------------------------------------------------- INSERT


def insert_item(value: Any, schema: KeySchema) -> Item:
    """INSERT's VALUE: a map literal holding the key attributes."""
    if not isinstance(value, ast.Value) or "M" not in value.value:
        raise ValidationException(INSERT_FORMAT)
    item = value.value["M"]
    check_key_types(item, schema)
    return item


# ---------------------------------------------------------------- UPDATE


def update_expression(actions: tuple, schema: KeySchema) -> ast.UpdateExpression:
    """SET/REMOVE actions as the update language's AST, checked like an UpdateExpression."""
    built: list = []
    clauses: list[str] = []
    for kind, path, value in actions:
        if path.elements[0] in schema.names:
            if len(path.elements) > 1:
                raise ValidationException(NESTED_KEY.format(path.elements[0]))
        if kind == "REMOVE":
            action: Any = ast.RemoveAction(path)
        else:
            action = _set_action(path, value)
        built.append(action)
        clauses.append({ast.SetAction: "SET", ast.RemoveAction: "REMOVE", ast.AddAction: "ADD",
                        ast.DeleteAction: "DELETE"}[type(action)])
    expression = ast.UpdateExpression(tuple(built), tuple(dict.fromkeys(clauses)))
    message = checks.update_error(expression, None, None)
    if message:
        raise ValidationException(message)
    return expression


def _set_action(path: ast.Path, value: Any) -> Any:
    if isinstance(value, ast.Function) and value.name in ("set_add", "set_delete"):
        operation = value.name[4:].upper()
        if len(value.args) != 2:
            raise ValidationException(SET_ARGS.format(operation))
        first, second = value.args
        if not isinstance(first, ast.Path) or first.elements != path.elements:
            raise ValidationException(SET_FIRST.format(operation))
        if not isinstance(second, ast.Value) or value_type(second.value) not in ("SS", "NS", "BS"):
            raise ValidationException(SET_SECOND.format(operation))
        return (ast.AddAction if operation == "ADD" else ast.DeleteAction)(path, second)
    _set_value(value, top=True)
    return ast.SetAction(path, value)


def _set_value(node: Any, top: bool = False) -> None:
    """A SET value: an operand, one ``+``/``-`` of two operands, or list_append /
    if_not_exists of operands (the update language's shapes)."""
    if isinstance(node, (ast.Path, ast.Value)):
        return
    if isinstance(node, ast.Arithmetic) and top:
        _set_value(node.left)
        _set_value(node.right)
        return
    if isinstance(node, ast.Function) and node.name in ("list_append", "if_not_exists"):
        for arg in node.args:
            _set_value(arg)
        return
    if isinstance(node, ast.Function):
        raise ValidationException(UNRECOGNIZED_FUNCTION.format(node.name))
    operator = getattr(node, "op", None) or type(node).__name__.upper()
    raise ValidationException(UNSUPPORTED_UPDATE_OP.format(operator))
