"""Query key conditions: DynamoDB's rules for them, and their translation into key ranges.

A key condition arrives either as legacy ``KeyConditions`` (already structured) or as a
``KeyConditionExpression`` parsed with the general condition grammar (DynamoDB uses the
same parser, which is why "OR" or "IN" get specific messages rather than syntax errors).
Both become ``{attribute: (ComparisonOperator, [values])}`` and go through the same
schema checks here, then become a :class:`KeyCondition` the read engine turns into a
``SortedDict.irange``.

Messages and their order follow dynalite (validations/index.js ``checkExpr`` and
actions/query.js), which recorded them from DynamoDB, and the conformance suite
(tier3/error-messages/query, observed on AWS):

- expression shape, before the table is looked up: "Invalid operator used in
  KeyConditionExpression: OR", "KeyConditionExpressions cannot contain nested
  operations", "Invalid condition in KeyConditionExpression: Multiple attribute names
  used in one condition", "KeyConditionExpressions must only contain one condition per
  key", "Conditions can be of length 1 or 2 only", ...
- schema, after it: "Query condition missed key schema element: pk", "Query key
  condition not supported", "Attempted conditional constraint is not an indexable
  operation", "One or more parameter values were invalid: Condition parameter type does
  not match schema type", and the ExclusiveStartKey rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional

from ..errors import ValidationException
from . import ast
from ..table import KEY_MISMATCH_MESSAGE, KeySchema, empty_key_message
from ..types import INVALID, AttributeValue, Item, KeyValue, key_value

Condition = tuple[str, list[AttributeValue]]

KEY_CONDITIONS_REQUIRED = "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
CONDITION_COUNT = "Conditions can be of length 1 or 2 only"
NOT_SUPPORTED = "Query key condition not supported"
NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"
TYPE_MISMATCH = INVALID + "Condition parameter type does not match schema type"
STARTING_KEY_INVALID = "The provided starting key is invalid"
OUTSIDE_BOUNDARIES = "The provided starting key is outside query boundaries based on provided conditions"
RANGE_PREDICATE = "The provided starting key does not match the range key predicate"
AT_MOST_ONE_ROW = "The query can return at most one row and cannot be restarted"
_NON_INDEXABLE_OPERATORS = ("NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN")
_MAX_CODE_POINT = 0x10FFFF


def missed_key_message(name: str) -> str:
    return f"Query condition missed key schema element: {name}"


# ---------------------------------------------------------------- ranges


def prefix_successor(prefix: KeyValue) -> Optional[KeyValue]:
    """The smallest value greater than every value that starts with ``prefix`` (None when
    there is none, e.g. a prefix of only maximal characters): begins_with as a range.
    Strings order by code point, which is their UTF-8 byte order."""
    if isinstance(prefix, bytes):
        body = prefix.rstrip(b"\xff")
        if not body:
            return None
        return body[:-1] + bytes([body[-1] + 1])
    body = str(prefix).rstrip(chr(_MAX_CODE_POINT))
    if not body:
        return None
    last = ord(body[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000
    return body[:-1] + chr(last)


@dataclass(frozen=True)
class SortCondition:
    """The condition on the sort key of a Query, over key-order values."""

    operator: str
    values: tuple[Any, ...]

    def matches(self, value: KeyValue) -> bool:
        """Whether a sort key value satisfies the condition (ExclusiveStartKey checks)."""
        op, first = self.operator, self.values[0]
        try:
            if op == "EQ":
                return bool(value == first)
            if op == "LT":
                return bool(value < first)
            if op == "LE":
                return bool(value <= first)
            if op == "GT":
                return bool(value > first)
            if op == "GE":
                return bool(value >= first)
            if op == "BETWEEN":
                return bool(first <= value <= self.values[1])
            return bool(value[: len(first)] == first)  # BEGINS_WITH
        except TypeError:
            return False

    def bounds(self) -> tuple[Any, Any, bool, bool]:
        """(minimum, maximum, include minimum, include maximum); None is unbounded."""
        op, first = self.operator, self.values[0]
        if op == "EQ":
            return first, first, True, True
        if op == "LT":
            return None, first, True, False
        if op == "LE":
            return None, first, True, True
        if op == "GT":
            return first, None, False, True
        if op == "GE":
            return first, None, True, True
        if op == "BETWEEN":
            return first, self.values[1], True, True
        return first, prefix_successor(first), True, False  # BEGINS_WITH


@dataclass(frozen=True)
class KeyCondition:
    """A checked Query key condition: the partition value and an optional sort range."""

    hash_value: KeyValue
    sort: Optional[SortCondition] = None


# ---------------------------------------------------------------- schema checks


def check_count(conditions: dict[str, Condition]) -> None:
    """A key condition names the partition key and at most the sort key."""
    if len(conditions) not in (1, 2):
        raise ValidationException(CONDITION_COUNT)


def _key_elements(schema: KeySchema) -> list[tuple[str, str, bool]]:
    elements = [(schema.hash_name, schema.hash_type, True)]
    if schema.range_name is not None:
        elements.append((schema.range_name, schema.range_type, False))  # type: ignore[arg-type]
    return elements


def _check_start_piece(start_key: Item, name: str, kind: str) -> None:
    value = start_key.get(name)
    if value is None:
        raise ValidationException(STARTING_KEY_INVALID)
    if kind not in value:
        raise ValidationException(KEY_MISMATCH_MESSAGE)
    if kind != "N" and value[kind] == "":
        raise ValidationException(empty_key_message(name, kind))


def _check_values(name: str, kind: str, values: list[AttributeValue]) -> None:
    if any(kind not in value for value in values):
        raise ValidationException(TYPE_MISMATCH)
    if kind != "N" and any(value[kind] == "" for value in values):
        raise ValidationException(empty_key_message(name, kind))


def resolve(
    schema: KeySchema, key_names: tuple[str, ...], conditions: dict[str, Condition], start_key: Optional[Item]
) -> KeyCondition:
    """Check the conditions (and ExclusiveStartKey) against the key schema of the table or
    index being read and return the key range. DynamoDB walks the key elements, partition
    key first, checking the starting key's element and then the condition on it."""
    if start_key is not None and len(start_key) != len(key_names):
        raise ValidationException(STARTING_KEY_INVALID)
    for name, kind, is_hash in _key_elements(schema):
        if start_key is not None:
            _check_start_piece(start_key, name, kind)
        if is_hash and schema.range_name is None and len(conditions) > 1:
            raise ValidationException(NOT_SUPPORTED)
        condition = conditions.get(name)
        if condition is None:
            if is_hash or len(conditions) > 1:
                raise ValidationException(missed_key_message(name))
            continue
        operator, values = condition
        if operator in _NON_INDEXABLE_OPERATORS:
            raise ValidationException(NOT_INDEXABLE)
        _check_values(name, kind, values)
        if is_hash and operator != "EQ":
            raise ValidationException(NOT_SUPPORTED)
    hash_value = key_value(conditions[schema.hash_name][1][0])
    sort = None
    if schema.range_name is not None and schema.range_name in conditions:
        operator, values = conditions[schema.range_name]
        sort = SortCondition(operator, tuple(key_value(value) for value in values))
    return KeyCondition(hash_value, sort)


def check_start_key(schema: KeySchema, condition: KeyCondition, start_key: Item, *, is_table: bool) -> None:
    """ExclusiveStartKey must lie within the queried range."""
    start_hash = key_value(start_key[schema.hash_name])
    if condition.sort is None:
        if start_hash != condition.hash_value:
            raise ValidationException(OUTSIDE_BOUNDARIES)
        if is_table and schema.range_name is None:
            # A hash-only table's partition is one item: an exclusive start after it
            # would return nothing, and DynamoDB refuses it (scylladb test_query.py,
            # test_query_no_sort_key_exclusive_start_key, observed on AWS).
            raise ValidationException(
                f"The provided exclusive start key is invalid: ExclusiveStartKey: {render_key(start_key)}"
            )
        return
    start_sort = key_value(start_key[schema.range_name])  # type: ignore[index]
    if not condition.sort.matches(start_sort):
        raise ValidationException(RANGE_PREDICATE)
    if start_hash != condition.hash_value:
        raise ValidationException(AT_MOST_ONE_ROW)


def render_key(key: Item) -> str:
    """A key the way DynamoDB's Java side prints it: ``{p=AttributeValue: {S:abc}}``."""
    parts = []
    for name, value in key.items():
        ((kind, inner),) = value.items()
        parts.append(f"{name}=AttributeValue: {{{kind}:{inner}}}")
    return "{" + ", ".join(parts) + "}"


# ---------------------------------------------------------------- KeyConditionExpression


_COMPARISON_OPERATORS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
#: The operator a comparison means when the key attribute is its right operand.
_MIRRORED = {"EQ": "EQ", "LT": "GT", "LE": "GE", "GT": "LT", "GE": "LE"}
_NOT_KEY_FUNCTIONS = ("attribute_exists", "attribute_not_exists", "attribute_type", "contains")
INVALID_OPERATOR = "Invalid operator used in KeyConditionExpression: "
INVALID_CONDITION = "Invalid condition in KeyConditionExpression: "
NESTED_OPERATIONS = "KeyConditionExpressions cannot contain nested operations"
NESTED_ATTRIBUTES = "KeyConditionExpressions cannot have conditions on nested attributes"
ONE_CONDITION_PER_KEY = "KeyConditionExpressions must only contain one condition per key"


def from_expression(node: Any) -> dict[str, Condition]:
    """A resolved KeyConditionExpression as ``{attribute: (operator, values)}``, after the
    key-condition shape rules: only ANDed comparisons, BETWEEN and begins_with, each
    between one top-level attribute and values, one per attribute."""
    conditions: dict[str, Condition] = {}
    _collect(node, conditions, _literal)
    return conditions


class KeyConditions(NamedTuple):
    """What a request's KeyConditionExpression makes: its conditions
    (:func:`from_expression`), or the shape rule it breaks. That rule is raised by
    :meth:`checked`, after the request's other expressions and its unused placeholders
    were checked (DynamoDB's order)."""

    conditions: Optional[dict[str, Condition]]
    message: Optional[str]

    def checked(self) -> dict[str, Condition]:
        if self.message is not None:
            raise ValidationException(self.message)
        return self.conditions  # type: ignore[return-value]


def key_conditions_of(node: Any) -> KeyConditions:
    """The KeyConditions of a bound KeyConditionExpression."""
    try:
        return KeyConditions(from_expression(node), None)
    except ValidationException as error:
        return KeyConditions(None, error.message)


#: A KeyConditionExpression's conditions with the placeholder each value was bound from
#: in the value's place: ``{attribute: (operator, (":a", ":b"))}``.
Plan = dict[str, tuple[str, tuple[str, ...]]]


def plan_of(node: Any) -> Optional[Plan]:
    """The :data:`Plan` of a bound KeyConditionExpression that passed every check.

    Its shape (attributes, operators, which placeholder goes where) depends on the text
    and the attribute names only, so for new values of the same text and names the
    conditions are the plan with those values put in (:func:`from_plan`), without
    binding a tree and walking it again. None when the shape breaks a rule."""
    plan: dict[str, Any] = {}
    try:
        _collect(node, plan, _placeholder)
    except ValidationException:
        return None
    return {attribute: (operator, tuple(names)) for attribute, (operator, names) in plan.items()}


def from_plan(plan: Plan, values: dict[str, AttributeValue]) -> KeyConditions:
    """The conditions of ``plan`` with the request's (normalized) placeholder values."""
    return KeyConditions({attribute: (operator, [values[name] for name in names])
                          for attribute, (operator, names) in plan.items()}, None)


def _literal(operand: ast.Value) -> AttributeValue:
    return operand.value


def _placeholder(operand: ast.Value) -> str:
    assert operand.name is not None, "expression texts have no literals: every value is a placeholder's"
    return operand.name


def _refuse_operator(node: Any) -> None:
    if isinstance(node, ast.Or):
        raise ValidationException(INVALID_OPERATOR + "OR")
    if isinstance(node, ast.Not):
        raise ValidationException(INVALID_OPERATOR + "NOT")
    if isinstance(node, ast.In):
        raise ValidationException(INVALID_OPERATOR + "IN")
    if isinstance(node, ast.Comparison) and node.op == "<>":
        raise ValidationException(INVALID_OPERATOR + "<>")
    if isinstance(node, ast.Function) and node.name in _NOT_KEY_FUNCTIONS:
        raise ValidationException(INVALID_OPERATOR + node.name)
    if isinstance(node, ast.Size):
        raise ValidationException(NESTED_OPERATIONS)
    if isinstance(node, ast.Between) and not isinstance(node.operand, ast.Path):
        raise ValidationException(INVALID_CONDITION + "BETWEEN operator must have the key attribute as its first operand")
    if isinstance(node, ast.Function) and node.name == "begins_with" and not (
        node.args and isinstance(node.args[0], ast.Path)
    ):
        raise ValidationException(INVALID_CONDITION + "begins_with operator must have the key attribute as its first operand")


def _operands(node: Any) -> tuple[Any, ...]:
    if isinstance(node, ast.Comparison):
        return (node.left, node.right)
    if isinstance(node, ast.Between):
        return (node.operand, node.low, node.high)
    if isinstance(node, ast.Function):
        return tuple(node.args)
    return ()


def _collect(node: Any, conditions: dict[str, Any], value_of: Callable[[ast.Value], Any]) -> None:
    """Add ``node``'s conditions, each value as ``value_of`` gives it (the value, or the
    placeholder it was bound from)."""
    _refuse_operator(node)
    if isinstance(node, ast.And):
        _collect(node.left, conditions, value_of)
        _collect(node.right, conditions, value_of)
        return
    attribute, position = None, 0
    operands = _operands(node)
    for index, operand in enumerate(operands):
        if isinstance(operand, ast.Path):
            if attribute is not None:
                raise ValidationException(INVALID_CONDITION + "Multiple attribute names used in one condition")
            if len(operand.elements) > 1:
                raise ValidationException(NESTED_ATTRIBUTES)
            attribute, position = str(operand.elements[0]), index
        elif isinstance(operand, (ast.Size, ast.Function)):
            _collect(operand, conditions, value_of)
    if attribute is None:
        raise ValidationException(INVALID_CONDITION + "No key attribute specified")
    if attribute in conditions:
        raise ValidationException(ONE_CONDITION_PER_KEY)
    values = [value_of(operand) for operand in operands if isinstance(operand, ast.Value)]
    if isinstance(node, ast.Comparison):
        operator = _COMPARISON_OPERATORS[node.op]
        if position != 0:
            operator = _MIRRORED[operator]
    elif isinstance(node, ast.Between):
        operator = "BETWEEN"
    else:
        operator = "BEGINS_WITH"
    conditions[attribute] = (operator, values)


# ---------------------------------------------------------------- names an expression uses


def attribute_names(node: Any) -> tuple[set[str], set[str]]:
    """(every top-level attribute name a resolved expression reads, those it reads
    through a nested path such as ``a.b`` or ``a[0]``): the "Filter Expression can only
    contain non-primary key attributes" and "Key attributes must be scalars" rules."""
    names: set[str] = set()
    nested: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Path):
            top = str(current.elements[0])
            names.add(top)
            if len(current.elements) > 1:
                nested.add(top)
        elif isinstance(current, (tuple, list)):
            stack.extend(current)
        elif hasattr(current, "__dataclass_fields__") and not isinstance(current, ast.Value):
            stack.extend(getattr(current, name) for name in current.__dataclass_fields__)
    return names, nested
