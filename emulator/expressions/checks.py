"""Semantic checks of parsed expressions, one small rule per function, in DynamoDB's order.

DynamoDB reports one error per request, and which one depends on a fixed order of
rule families, not on position alone. The orders below come from dynalite's parsers,
whose messages were recorded against DynamoDB (mhart/dynalite, db/*.pegjs and
test/*.js), cross-checked with ScyllaDB Alternator's tests and reported responses:

* conditions (ConditionExpression, FilterExpression, KeyConditionExpression):
  redundant parentheses, unknown function, misused function, reserved word; then,
  condition by condition in text order: undefined placeholder, operand count,
  non-distinct operands, operand types.
* update expressions: reserved word, unknown function, repeated clause, misused
  function; undefined names, undefined values, overlapping paths, conflicting paths,
  ADD/DELETE operand types, function and arithmetic operands.
* projection expressions: reserved word, undefined names, overlapping paths,
  conflicting paths.

Rules that depend only on the text (:func:`static_error`) are computed once per
distinct expression; the rest run on each request's bound tree.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterator, Optional

from .. import limits
from ..types import decode_binary, value_type
from . import ast, resolve
from .parser import CONDITION_KINDS, parse

CONDITION_FUNCTIONS = {
    "attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
    "begins_with": 2, "contains": 2, "size": 1,
}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}
ATTRIBUTE_TYPES = ("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M")
_ORDERED = ("S", "N", "B")
_LONG_TYPE_NAMES = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "BOOL": "BOOLEAN",
                    "NULL": "NULL", "L": "LIST", "M": "MAP", "SS": "STRING_SET",
                    "NS": "NUMBER_SET", "BS": "BINARY_SET"}
MAX_OPERATORS = 300

MISUSED = "The function is not allowed to be used this way in an expression; function: {}"
WRONG_TYPE = "Incorrect operand type for operator or function; operator or function: {}, operand type: {}"
NEEDS_PATH = "Operator or function requires a document path; operator or function: {}"
OPERAND_COUNT = "Incorrect number of operands for operator or function; operator or function: {}, number of operands: {}"


# ---------------------------------------------------------------- text-only rules


@lru_cache(maxsize=4096)
def static_error(kind: str, text: str) -> str | None:
    """The first text-only rule ``text`` breaks (message without the kind prefix)."""
    root = parse(kind, text)
    if kind in CONDITION_KINDS:
        rules = (_redundant_parens, _unknown_condition_function, _misused_in_condition,
                 _reserved, _too_many_operators)
    elif kind == "UpdateExpression":
        rules = (_reserved, _unknown_update_function, _repeated_clause, _misused_in_update)
    else:
        rules = (_reserved,)
    for rule in rules:
        message = rule(root)
        if message:
            return message
    return None


def _redundant_parens(root: Any) -> str | None:
    if any(getattr(node, "parens", 0) > 1 for node in resolve.walk(root)):
        return "The expression has redundant parentheses;"
    return None


def _unknown_function(root: Any, known: dict) -> str | None:
    for node in resolve.walk(root):
        name = "size" if isinstance(node, ast.Size) else getattr(node, "name", None)
        if isinstance(node, (ast.Function, ast.Size)) and name not in known:
            return f"Invalid function name; function: {name}"
    return None


def _unknown_condition_function(root: Any) -> str | None:
    return _unknown_function(root, CONDITION_FUNCTIONS)


def _unknown_update_function(root: Any) -> str | None:
    return _unknown_function(root, UPDATE_FUNCTIONS)


def _misused_in_condition(root: Any) -> str | None:
    """Functions other than size() answer conditions, not values; size() is a value."""
    for node, as_operand in _roles(root, as_operand=False):
        if as_operand and isinstance(node, ast.Function):
            return MISUSED.format(node.name)
        if not as_operand and isinstance(node, ast.Size):
            return MISUSED.format("size")
    return None


def _roles(node: Any, as_operand: bool) -> Iterator[tuple[Any, bool]]:
    """Each node with whether it stands where a value (not a condition) is expected."""
    yield node, as_operand
    value_position = not isinstance(node, (ast.And, ast.Or, ast.Not))
    for child in resolve.children(node):
        yield from _roles(child, value_position)


def _reserved(root: Any) -> str | None:
    word = resolve.first_reserved(root)
    return resolve.reserved_word_message(word) if word else None


def _too_many_operators(root: Any) -> str | None:
    count = sum(isinstance(n, (*ast.CONDITION_TYPES, ast.Function, ast.Size)) for n in resolve.walk(root))
    if count > MAX_OPERATORS:
        return f"The expression contains too many operators; operator count: {count}"
    return None


def _repeated_clause(root: ast.UpdateExpression) -> str | None:
    seen: set[str] = set()
    for clause in root.clauses:
        if clause in seen:
            return f'The "{clause}" section can only be used once in an update expression;'
        seen.add(clause)
    return None


def _misused_in_update(root: ast.UpdateExpression) -> str | None:
    """list_append() may not be nested inside another function call (observed on
    DynamoDB by ScyllaDB's test_update_expression_function_nesting)."""
    for node in resolve.walk(root):
        if isinstance(node, ast.Function):
            for arg in node.args:
                if isinstance(arg, ast.Function) and arg.name == "list_append":
                    return MISUSED.format("list_append")
    return None


# ---------------------------------------------------------------- per-request rules


def condition_error(root: Any, names: dict | None, values: dict | None) -> str | None:
    """Rules of a bound condition, condition by condition in text order."""
    for atom in _atoms(root):
        nodes = resolve.post_order(atom)  # its leaves in text order, as the messages want
        message = (_first_undefined(nodes, names, values) or _operand_counts(nodes)
                   or _not_distinct(atom) or _operand_types(nodes))
        if message:
            return message
    return None


def _atoms(node: Any) -> Iterator[Any]:
    if isinstance(node, (ast.And, ast.Or)):
        yield from _atoms(node.left)
        yield from _atoms(node.right)
    elif isinstance(node, ast.Not):
        yield from _atoms(node.operand)
    else:
        yield node


def _first_undefined(nodes: list, names: dict | None, values: dict | None) -> str | None:
    """The first placeholder binding left in place (``nodes`` in post order: placeholders
    are leaves, so they come in text order)."""
    for node in nodes:
        kind = type(node)
        if kind is ast.ValueRef or (kind is ast.Path and any(type(e) is ast.NameRef for e in node.elements)):
            return next(resolve.undefined_refs(node, names, values), None)
    return None


def _operand_counts(nodes: list) -> str | None:
    for node in nodes:
        if type(node) is ast.Function:
            expected = CONDITION_FUNCTIONS.get(node.name, UPDATE_FUNCTIONS.get(node.name))
            if expected is not None and expected != len(node.args):
                return OPERAND_COUNT.format(node.name, len(node.args))
    return None


def _not_distinct(atom: Any) -> str | None:
    if isinstance(atom, ast.Comparison):
        operator, operands = atom.op, (atom.left, atom.right)
    elif isinstance(atom, ast.Function) and len(atom.args) == 2:
        operator, operands = atom.name, atom.args
    else:
        return None
    first, second = operands
    if isinstance(first, ast.Path) and isinstance(second, ast.Path) and first.elements == second.elements:
        return ("The first operand must be distinct from the remaining operands for this "
                f"operator or function; operator: {operator}, first operand: {first}")
    return None


def literal_type(node: Any) -> str | None:
    """The type an operand is known to have before reading any item (None: unknown)."""
    if isinstance(node, ast.Value):
        return value_type(node.value)
    if isinstance(node, ast.Size):
        return "N"
    return None


def _operand_types(nodes: list) -> str | None:
    for node in nodes:
        check = _TYPE_RULES.get(type(node))
        message = check(node) if check else None
        if message:
            return message
    return None


def _function_types(node: ast.Function) -> str | None:
    name, args = node.name, node.args
    if name in ("attribute_exists", "attribute_not_exists", "if_not_exists"):
        return None if isinstance(args[0], ast.Path) else NEEDS_PATH.format(name)
    if name == "begins_with":
        for arg in args:
            kind = literal_type(arg)
            if kind is not None and kind not in ("S", "B"):
                return WRONG_TYPE.format(name, kind)
    if name == "attribute_type":
        return _attribute_type_operand(args[1])
    if name == "list_append":
        for arg in args:
            kind = literal_type(arg) if isinstance(arg, ast.Value) else None
            if kind is not None and kind != "L":
                return WRONG_TYPE.format(name, kind)
    return None


def _attribute_type_operand(arg: Any) -> str | None:
    kind = literal_type(arg)
    if kind is not None and kind != "S":
        return WRONG_TYPE.format("attribute_type", kind)
    if isinstance(arg, ast.Value) and arg.value["S"] not in ATTRIBUTE_TYPES:
        return (f"Invalid attribute type name found; type: {arg.value['S']}, "
                "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
    return None


def _size_types(node: ast.Size) -> str | None:
    kind = literal_type(node.operand)
    if kind in ("N", "BOOL", "NULL"):
        return WRONG_TYPE.format("size", kind)
    return None


def _comparison_types(node: ast.Comparison) -> str | None:
    if node.op in ("=", "<>"):
        return None
    for operand in (node.left, node.right):
        kind = literal_type(operand)
        if kind is not None and kind not in _ORDERED:
            return WRONG_TYPE.format(node.op, kind)
    return None


def _between_types(node: ast.Between) -> str | None:
    for operand in (node.operand, node.low, node.high):
        kind = literal_type(operand)
        if kind is not None and kind not in _ORDERED:
            return WRONG_TYPE.format("BETWEEN", kind)
    low, high = node.low, node.high
    if not (isinstance(low, ast.Value) and isinstance(high, ast.Value)):
        return None
    low_type, high_type = value_type(low.value), value_type(high.value)
    bounds = (f"lower bound operand: AttributeValue: {{{low_type}:{low.value[low_type]}}}, "
              f"upper bound operand: AttributeValue: {{{high_type}:{high.value[high_type]}}}")
    if low_type != high_type:
        return f"The BETWEEN operator requires same data type for lower and upper bounds; {bounds}"
    if _reversed_bounds(low, high):
        return f"The BETWEEN operator requires upper bound to be greater than or equal to lower bound; {bounds}"
    return None


def _in_types(node: ast.In) -> str | None:
    if len(node.choices) > limits.MAX_IN_OPERANDS:
        return f"The IN operator is provided with too many operands; number of operands: {len(node.choices)}"
    return None


def _arithmetic_types(node: ast.Arithmetic) -> str | None:
    for operand in (node.left, node.right):
        kind = literal_type(operand) if isinstance(operand, ast.Value) else None
        if kind is not None and kind != "N":
            return WRONG_TYPE.format(node.op, kind)
    return None


_TYPE_RULES: dict[type, Any] = {
    ast.Function: _function_types,
    ast.Size: _size_types,
    ast.Comparison: _comparison_types,
    ast.Between: _between_types,
    ast.In: _in_types,
    ast.Arithmetic: _arithmetic_types,
}


#: Kinds of :func:`content_rules`.
BETWEEN_BOUNDS = "between"
TYPE_NAME = "attribute_type"
#: A rule reading placeholder values beyond their types: (kind, the first placeholder,
#: the second or None).
ContentRule = tuple[str, str, Optional[str]]


def content_rules(root: Any) -> tuple[ContentRule, ...]:
    """The per-request rules of a parsed (unbound) tree that read a placeholder's value
    beyond its type: a BETWEEN's two ``:value`` bounds in order, and attribute_type's
    ``:value`` type name. Every other rule reads types, counts and paths, and these two
    can only fail on bounds or a name that binding makes literals, which only ``:value``
    placeholders become. Found once per text, they are checked against each request's
    values (:func:`contents_break`) without walking its bound tree."""
    rules: list[ContentRule] = []
    for node in resolve.walk(root):
        if isinstance(node, ast.Between):
            if isinstance(node.low, ast.ValueRef) and isinstance(node.high, ast.ValueRef):
                rules.append((BETWEEN_BOUNDS, node.low.name, node.high.name))
        elif (isinstance(node, ast.Function) and node.name == "attribute_type" and len(node.args) == 2
                and isinstance(node.args[1], ast.ValueRef)):
            rules.append((TYPE_NAME, node.args[1].name, None))
    return tuple(rules)


def contents_break(rules: tuple[ContentRule, ...], values: dict) -> bool:
    """Whether the tree :func:`content_rules` found ``rules`` in, bound to ``values``
    (normalized ExpressionAttributeValues), breaks one of them: BETWEEN bounds of one type
    out of order, or attribute_type given an unknown type name. (Only a yes or no: the
    message, and which rule comes first, are for the full checks.) A placeholder the
    request does not define stays unbound and breaks neither."""
    for kind, first, second in rules:
        value = values.get(first)
        if value is None:
            continue
        if kind == BETWEEN_BOUNDS:
            high = values.get(second)  # type: ignore[arg-type]
            if high is not None and _reversed_values(value, high):
                return True
        elif _attribute_type_operand(ast.Value(value)) is not None:
            return True
    return False


def _reversed_bounds(low: Any, high: Any) -> bool:
    """BETWEEN bounds that are literals of one type, the lower above the upper."""
    return isinstance(low, ast.Value) and isinstance(high, ast.Value) and _reversed_values(low.value, high.value)


def _reversed_values(low: dict, high: dict) -> bool:
    """Two values of one type, the first above the second."""
    return value_type(low) == value_type(high) and order_key(low) > order_key(high)


def order_key(value: dict) -> Any:
    """Python value ordering like DynamoDB's for S, N and B."""
    ((kind, inner),) = value.items()
    if kind == "N":
        return Decimal(inner)
    if kind == "B":
        return decode_binary(inner)
    return inner


# ---------------------------------------------------------------- update and projection


def update_error(root: ast.UpdateExpression, names: dict | None, values: dict | None) -> str | None:
    """Rules of a bound update expression, in DynamoDB's order."""
    undefined = list(resolve.undefined_refs(root, names, values))
    for prefix in ("An expression attribute name", "An expression attribute value"):
        for message in undefined:
            if message.startswith(prefix):
                return message
    targets = [action.path for action in root.actions]
    message = overlap_error(targets)
    if message:
        return message
    for action in root.actions:
        if isinstance(action, (ast.AddAction, ast.DeleteAction)):
            message = _add_delete_type(action)
            if message:
                return message
    for action in root.actions:
        if isinstance(action, ast.SetAction):
            nodes = resolve.post_order(action.value)
            message = _operand_counts(nodes) or _operand_types(nodes)
            if message:
                return message
    return None


def _add_delete_type(action: Any) -> str | None:
    operator = "ADD" if isinstance(action, ast.AddAction) else "DELETE"
    allowed = ("N", "SS", "NS", "BS") if operator == "ADD" else ("SS", "NS", "BS")
    kind = value_type(action.value.value)
    if kind not in allowed:
        return ("Incorrect operand type for operator or function; operator: "
                f"{operator}, operand type: {_LONG_TYPE_NAMES[kind]}, typeSet: ALLOWED_FOR_{operator}_OPERAND")
    return None


def projection_error(root: ast.ProjectionExpression, names: dict | None) -> str | None:
    message = next(resolve.undefined_refs(root, names, None), None)
    return message or overlap_error(list(root.paths))


def overlap_error(paths: list[ast.Path]) -> str | None:
    """Two paths overlap when one is a prefix of (or equal to) the other; they conflict
    when, after a common prefix, one indexes a list where the other names a map key.
    Any overlap is reported before any conflict, earlier path first."""
    conflict = None
    for j, later in enumerate(paths):
        for earlier in paths[:j]:
            relation = _relation(earlier.elements, later.elements)
            if relation == "overlap":
                return ("Two document paths overlap with each other; must remove or rewrite one of "
                        f"these paths; path one: {earlier}, path two: {later}")
            if relation == "conflict" and conflict is None:
                conflict = ("Two document paths conflict with each other; must remove or rewrite one "
                            f"of these paths; path one: {earlier}, path two: {later}")
    return conflict


def _relation(one: tuple, two: tuple) -> str | None:
    for a, b in zip(one, two):
        if isinstance(a, int) != isinstance(b, int):
            return "conflict"
        if a != b:
            return None
    return "overlap"
