"""DynamoDB's legacy (pre-expression) request parameters: their rules, their messages, and
their translation into the expression AST.

KeyConditions, QueryFilter, ScanFilter, Expected, ConditionalOperator, AttributesToGet
and AttributeUpdates are still accepted by DynamoDB. Each is checked here with
DynamoDB's messages, then turned into the same AST the expression parser builds, so one
evaluator serves both syntaxes and there is no second comparison implementation.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html

Order of the request-level rules (every one runs before the table is looked up):
1. expression and non-expression parameters may not be mixed, and ExpressionAttributeNames/
   Values need an expression (:func:`check_parameters`);
2. ConditionalOperator needs a filter or Expected with two or more conditions
   (:func:`check_conditional_operator`);
3. each condition's values, argument count and types (:func:`normalize_conditions`,
   :func:`normalize_expected`, :func:`normalize_attribute_updates`).
Sources: the messages and their order were recorded from DynamoDB by dynalite
(validations/index.js and its test suite) and by ExtendDB (tests/legacy
ConditionalOperator and mixing cases, captured with the AWS CLI).
"""

from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

from .errors import SerializationException, ValidationException
from .expressions import ast
from .expressions import check_parameters as expression_parameters
from .types import INVALID, AttributeValue, Item, key_value, normalize_value, value_type
from .operations.request_types import List, conform, conform_value
from .validate import Shape

#: ComparisonOperator's enum, in the order DynamoDB's model lists it (shape messages).
COMPARISON_OPERATORS = (
    "IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE",
    "BEGINS_WITH", "GE", "CONTAINS",
)
CONDITIONAL_OPERATORS = ("OR", "AND")
ATTRIBUTE_ACTIONS = ("ADD", "PUT", "DELETE")

#: (fewest, most) values in AttributeValueList; None is unbounded.
_ARGUMENT_COUNTS: dict[str, tuple[int, Optional[int]]] = {
    "NULL": (0, 0), "NOT_NULL": (0, 0),
    "EQ": (1, 1), "NE": (1, 1), "LE": (1, 1), "LT": (1, 1), "GE": (1, 1), "GT": (1, 1),
    "CONTAINS": (1, 1), "NOT_CONTAINS": (1, 1), "BEGINS_WITH": (1, 1),
    "IN": (1, None), "BETWEEN": (2, 2),
}
_SCALARS = ("S", "N", "B")
#: Value types each operator accepts (EQ and NE accept every type).
_VALUE_TYPES: dict[str, tuple[str, ...]] = {
    "LE": _SCALARS, "LT": _SCALARS, "GE": _SCALARS, "GT": _SCALARS, "IN": _SCALARS,
    "BETWEEN": _SCALARS, "CONTAINS": _SCALARS, "NOT_CONTAINS": _SCALARS, "BEGINS_WITH": ("S", "B"),
}

BETWEEN_ORDER = "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"

#: A checked legacy condition: (ComparisonOperator, normalized values).
Condition = tuple[str, list[AttributeValue]]


# ---------------------------------------------------------------- member types

_LEGACY_MAPS = ("KeyConditions", "QueryFilter", "ScanFilter", "Expected", "AttributeUpdates")
_ENTRY_TYPES = {"ComparisonOperator": "String", "Exists": "Boolean", "Action": "String"}


def conform_legacy(request: dict) -> dict:
    """``request`` with its legacy members of the JSON types DynamoDB's deserializer
    expects (SerializationException otherwise, as request_types reports them): maps of
    structures, string operators and actions, boolean Exists, a list for
    AttributeValueList and AttributesToGet. JSON nulls inside an entry count as absent.
    A copy when a member was converted; ``request`` itself when it has none (most
    requests: the callers pass the fresh copy request_types.conform made)."""
    result = request
    for member in _LEGACY_MAPS:
        value = request.get(member)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise SerializationException("Unexpected field type")
        entries = {}
        for name, entry in value.items():
            if not isinstance(entry, dict):
                raise SerializationException("Unexpected value type in payload")
            entries[name] = conform(entry, _ENTRY_TYPES)
            if not isinstance(entries[name].get("AttributeValueList", []), list):
                raise SerializationException("Unexpected field type")
        if result is request:
            result = dict(request)
        result[member] = entries
    if request.get("AttributesToGet") is not None:
        if result is request:
            result = dict(request)
        result["AttributesToGet"] = conform_value(request["AttributesToGet"], List("String"))
    return result


# ---------------------------------------------------------------- shapes


def conditions_shape(shape: Shape, conditions: Any, path: str) -> None:
    """KeyConditions/QueryFilter/ScanFilter: each entry needs a known ComparisonOperator
    (paths like ``queryFilter.a.member.comparisonOperator``)."""
    if not isinstance(conditions, dict):
        return
    for name, condition in conditions.items():
        operator = condition.get("ComparisonOperator") if isinstance(condition, dict) else None
        member = f"{path}.{name}.member.comparisonOperator"
        if shape.required(operator, member):
            shape.enum(operator, member, COMPARISON_OPERATORS)


def expected_shape(shape: Shape, expected: Any) -> None:
    if not isinstance(expected, dict):
        return
    for name, condition in expected.items():
        if isinstance(condition, dict):
            shape.enum(condition.get("ComparisonOperator"), f"expected.{name}.member.comparisonOperator",
                       COMPARISON_OPERATORS)


def attribute_updates_shape(shape: Shape, updates: Any) -> None:
    if not isinstance(updates, dict):
        return
    for name, update in updates.items():
        if isinstance(update, dict):
            shape.enum(update.get("Action"), f"attributeUpdates.{name}.member.action", ATTRIBUTE_ACTIONS)


# ---------------------------------------------------------------- parameter rules


def check_parameters(request: dict, expressions: Sequence[str], legacy: Sequence[str]) -> None:
    """Refuse a request that uses both syntaxes (naming every member present on each side
    in the operation's fixed order), or ExpressionAttributeNames/Values without an
    expression that uses them: expressions.check_parameters, with Query's exception that
    KeyConditions counts only next to a KeyConditionExpression (KeyConditions with a
    FilterExpression is accepted; extenddb, captured from DynamoDB)."""
    if request.get("KeyConditionExpression") is None:
        legacy = [name for name in legacy if name != "KeyConditions"]
    expression_parameters(request, expressions, legacy)


def check_conditional_operator(request: dict, members: Iterable[str]) -> None:
    """ConditionalOperator combines two or more conditions of a filter or Expected."""
    if request.get("ConditionalOperator") is None:
        return
    counts = [len(request[name]) for name in members if isinstance(request.get(name), dict)]
    if not counts or not any(counts):
        raise ValidationException("ConditionalOperator cannot be used without Filter or Expected")
    if any(count < 2 for count in counts):
        raise ValidationException("ConditionalOperator can only be used when Filter or Expected has two or more elements")


def check_attribute_names(names: Optional[list[str]]) -> Optional[list[str]]:
    """AttributesToGet may not name an attribute twice."""
    if names is None:
        return None
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValidationException(INVALID + f"Duplicate value in attribute name: {name}")
        seen.add(name)
    return names


def project_attributes(item: Item, names: Sequence[str]) -> Item:
    """AttributesToGet: the named top-level attributes that the item has (key attributes
    are not added: they are returned only when asked for)."""
    return {name: item[name] for name in names if name in item}


class AttributesToGet:
    """AttributesToGet as a projection, ``apply(item)`` like a ProjectionExpression's."""

    __slots__ = ("names",)

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)

    def apply(self, item: Item) -> Item:
        return project_attributes(item, self.names)


# ---------------------------------------------------------------- conditions


def _check_values(operator: str, values: list[AttributeValue]) -> None:
    low, high = _ARGUMENT_COUNTS[operator]
    if len(values) < low or (high is not None and len(values) > high):
        raise ValidationException(INVALID + f"Invalid number of argument(s) for the {operator} ComparisonOperator")
    if not values:
        return
    kinds = [value_type(value) for value in values]
    if any(kind != kinds[0] for kind in kinds):
        raise ValidationException(INVALID + "AttributeValues inside AttributeValueList must be of same type")
    allowed = _VALUE_TYPES.get(operator)
    if allowed is not None and kinds[0] not in allowed:
        raise ValidationException(
            INVALID + f"ComparisonOperator {operator} is not valid for {kinds[0]} AttributeValue type"
        )
    if operator == "BETWEEN" and key_value(values[0]) > key_value(values[1]):
        raise ValidationException(BETWEEN_ORDER)


def normalize_conditions(conditions: Optional[dict]) -> Optional[dict[str, Condition]]:
    """Check KeyConditions/QueryFilter/ScanFilter (ComparisonOperator is already known to
    be valid from the shape check) and return ``{attribute: (operator, values)}``."""
    if conditions is None:
        return None
    checked: dict[str, Condition] = {}
    for name, condition in conditions.items():
        operator = condition["ComparisonOperator"]
        values = [normalize_value(value) for value in condition.get("AttributeValueList") or []]
        _check_values(operator, values)
        checked[name] = (operator, values)
    return checked


def normalize_expected(expected: Optional[dict]) -> Optional[dict[str, Condition]]:
    """Check an Expected map and return it as conditions: ``Value`` (with Exists true or
    absent) is EQ, ``Exists: false`` is NULL, and a ComparisonOperator takes its
    AttributeValueList (or a single Value)."""
    if expected is None:
        return None
    checked: dict[str, Condition] = {}
    for name, condition in expected.items():
        checked[name] = _expected_condition(name, condition)
    return checked


def _expected_condition(name: str, condition: dict) -> Condition:
    has_list = condition.get("AttributeValueList") is not None
    value = condition.get("Value")
    if has_list and value is not None:
        raise ValidationException(INVALID + f"Value and AttributeValueList cannot be used together for Attribute: {name}")
    operator = condition.get("ComparisonOperator")
    exists = condition.get("Exists")
    if operator is not None:
        if exists is not None:
            raise ValidationException(INVALID + f"Exists and ComparisonOperator cannot be used together for Attribute: {name}")
        if operator not in ("NULL", "NOT_NULL") and not has_list and value is None:
            raise ValidationException(
                INVALID + f"Value or AttributeValueList must be used with ComparisonOperator: {operator} for Attribute: {name}"
            )
        raw = condition["AttributeValueList"] if has_list else ([value] if value is not None else [])
        values = [normalize_value(item) for item in raw]
        _check_values(operator, values)
        return operator, values
    if has_list:
        raise ValidationException(INVALID + f"AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}")
    if exists is None or exists:
        if value is None:
            shown = "null" if exists is None else "true"
            raise ValidationException(INVALID + f"Value must be provided when Exists is {shown} for Attribute: {name}")
        return "EQ", [normalize_value(value)]
    if value is not None:
        raise ValidationException(INVALID + f"Value cannot be used when Exists is false for Attribute: {name}")
    return "NULL", []


def normalize_attribute_updates(updates: Optional[dict]) -> Optional[dict[str, tuple[str, Optional[AttributeValue]]]]:
    """Check AttributeUpdates and return ``{attribute: (action, value or None)}``; the
    Action defaults to PUT."""
    if updates is None:
        return None
    checked: dict[str, tuple[str, Optional[AttributeValue]]] = {}
    for name, update in updates.items():
        action = update.get("Action") or "PUT"
        raw = update.get("Value")
        value = normalize_value(raw) if raw is not None else None
        if value is None and action != "DELETE":
            raise ValidationException(INVALID + "Only DELETE action is allowed when no attribute value is specified")
        if value is not None and action == "DELETE" and value_type(value) not in ("SS", "NS", "BS"):
            raise ValidationException(INVALID + f"DELETE action with value is not supported for the type {value_type(value)}")
        if value is not None and action == "ADD" and value_type(value) not in ("L", "SS", "NS", "BS", "N"):
            raise ValidationException(INVALID + f"ADD action is not supported for the type {value_type(value)}")
        checked[name] = (action, value)
    return checked


# ---------------------------------------------------------------- translation to the AST


def condition_node(name: str, condition: Condition) -> Any:
    """One legacy condition as an expression AST node. The legacy operators' meanings
    (LegacyConditionalParameters.html) in expression terms: NE is true for a missing
    attribute or another type (NOT of =), NULL/NOT_NULL test existence only, and
    NOT_CONTAINS is false for a missing attribute (scylladb test_expected.py,
    observed on AWS)."""
    operator, values = condition
    path = ast.Path((name,))
    operands = [ast.Value(value) for value in values]
    if operator in _COMPARATORS:
        return ast.Comparison(_COMPARATORS[operator], path, operands[0])
    if operator == "NE":
        return ast.Not(ast.Comparison("=", path, operands[0]))
    if operator == "NOT_NULL":
        return ast.Function("attribute_exists", (path,))
    if operator == "NULL":
        return ast.Function("attribute_not_exists", (path,))
    if operator == "CONTAINS":
        return ast.Function("contains", (path, operands[0]))
    if operator == "NOT_CONTAINS":
        return ast.And(ast.Function("attribute_exists", (path,)), ast.Not(ast.Function("contains", (path, operands[0]))))
    if operator == "BEGINS_WITH":
        return ast.Function("begins_with", (path, operands[0]))
    if operator == "IN":
        return ast.In(path, tuple(operands))
    return ast.Between(path, operands[0], operands[1])


def conditions_node(conditions: dict[str, Condition], conditional_operator: Optional[str]) -> Any:
    """Several legacy conditions joined by ConditionalOperator (AND when absent); None
    when there are none (an empty filter or Expected tests nothing)."""
    join = ast.Or if conditional_operator == "OR" else ast.And
    node = None
    for name, condition in conditions.items():
        part = condition_node(name, condition)
        node = part if node is None else join(node, part)
    return node


def condition_filter(conditions: dict[str, Condition], conditional_operator: Optional[str]) -> Any:
    """QueryFilter/ScanFilter/Expected as an object with ``.matches(item)``, evaluated by
    the expression evaluator."""
    from .expressions import evaluate  # imported late: it depends on this module's peers

    return evaluate.Condition(conditions_node(conditions, conditional_operator))


_COMPARATORS = {"EQ": "=", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}


# ---------------------------------------------------------------- AttributeUpdates


TYPE_MISMATCH_FOR_UPDATE = "Type mismatch for attribute to update"
_SET_TYPES = ("SS", "NS", "BS")


def check_update_types(updates: dict[str, tuple[str, Optional[AttributeValue]]], item: Optional[Item]) -> None:
    """ADD and DELETE must match the type already stored: ADD a number to a number, a set
    to a set of the same type, a list to a list; DELETE members from a set of their type
    (dynalite updateItem.js "trying to delete/add incorrect types", recorded from
    DynamoDB). A missing attribute takes any of them."""
    if item is None:
        return
    for name, (action, value) in updates.items():
        stored = item.get(name)
        if stored is None or value is None or action == "PUT":
            continue
        if value_type(stored) != value_type(value):
            raise ValidationException(TYPE_MISMATCH_FOR_UPDATE)


def update_node(updates: dict[str, tuple[str, Optional[AttributeValue]]]) -> ast.UpdateExpression:
    """AttributeUpdates as the update AST: PUT is SET, DELETE without a value is REMOVE,
    DELETE with a set removes its members, ADD adds to a number or set and, unlike an
    UpdateExpression's ADD, appends a list (SET a = list_append(if_not_exists(a, []), v))."""
    actions: list[Any] = []
    clauses: list[str] = []
    for name, (action, value) in updates.items():
        path = ast.Path((name,))
        if action == "PUT":
            actions.append(ast.SetAction(path, ast.Value(value)))  # type: ignore[arg-type]
            clauses.append("SET")
        elif action == "DELETE" and value is None:
            actions.append(ast.RemoveAction(path))
            clauses.append("REMOVE")
        elif action == "DELETE":
            actions.append(ast.DeleteAction(path, ast.Value(value)))
            clauses.append("DELETE")
        elif value_type(value) == "L":  # type: ignore[arg-type]
            existing = ast.Function("if_not_exists", (path, ast.Value({"L": []})))
            actions.append(ast.SetAction(path, ast.Function("list_append", (existing, ast.Value(value)))))  # type: ignore[arg-type]
            clauses.append("SET")
        else:
            actions.append(ast.AddAction(path, ast.Value(value)))  # type: ignore[arg-type]
            clauses.append("ADD")
    return ast.UpdateExpression(tuple(actions), tuple(clauses))
