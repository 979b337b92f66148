"""Property tests of the expression engine.

1. Random well-formed condition expressions, rendered as text with the fewest
   parentheses DynamoDB's precedence allows, evaluate on random items exactly as a small
   independent reference evaluator (written here over plain Python values) says. This is
   the quick scalar-only version; test_condition_reference.py covers all ten types,
   nested paths, size(), attribute_type and the rest.
2. No input, random or grammar-shaped, makes the engine raise anything but
   ValidationException (or SerializationException for a non-string).
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions

ATTRIBUTES = ("a", "b", "c")
SCALARS = st.one_of(st.integers(-2, 2), st.sampled_from(["", "a", "ab", "b", "ba"]))
ITEMS = st.dictionaries(st.sampled_from(ATTRIBUTES), SCALARS)
COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")


def wire(value):
    return {"N": str(value)} if isinstance(value, int) else {"S": value}


# ---------------------------------------------------------------- reference evaluator


def same_type(x, y):
    return x is not None and y is not None and type(x) is type(y)


def compare(op, x, y):
    if op == "=":
        return same_type(x, y) and x == y
    if op == "<>":
        return not (same_type(x, y) and x == y)
    if not same_type(x, y):
        return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def reference(node, item):
    """node: nested tuples built by the strategies below; operands are ("attr", name) or
    ("lit", python value)."""
    def val(operand):
        return item.get(operand[1]) if operand[0] == "attr" else operand[1]

    kind = node[0]
    if kind == "and":
        return reference(node[1], item) and reference(node[2], item)
    if kind == "or":
        return reference(node[1], item) or reference(node[2], item)
    if kind == "not":
        return not reference(node[1], item)
    if kind == "cmp":
        return compare(node[1], val(node[2]), val(node[3]))
    if kind == "between":
        x, low, high = val(node[1]), node[2], node[3]
        return same_type(x, low) and low <= x <= high
    if kind == "in":
        return any(compare("=", val(node[1]), choice) for choice in node[2])
    if kind == "exists":
        return node[1] in item
    if kind == "not_exists":
        return node[1] not in item
    if kind == "begins_with":
        x = item.get(node[1])
        return isinstance(x, str) and x.startswith(node[2])
    if kind == "contains":
        x = item.get(node[1])
        return isinstance(x, str) and node[2] in x
    raise AssertionError(kind)


# ---------------------------------------------------------------- strategies

ATTR = st.sampled_from(ATTRIBUTES).map(lambda name: ("attr", name))
LIT = SCALARS.map(lambda value: ("lit", value))
STRING = st.sampled_from(["", "a", "b", "ab"])


@st.composite
def comparisons(draw):
    op = draw(st.sampled_from(COMPARATORS))
    left, right = draw(st.sampled_from([(ATTR, LIT), (LIT, ATTR), (ATTR, ATTR)]))
    one, two = draw(left), draw(right)
    if one == two and one[0] == "attr":  # DynamoDB refuses "a = a"
        two = ("lit", 0)
    return ("cmp", op, one, two)


@st.composite
def betweens(draw):
    low, high = sorted(draw(st.one_of(st.lists(st.integers(-2, 2), min_size=2, max_size=2),
                                      st.lists(STRING, min_size=2, max_size=2))))
    return ("between", draw(ATTR), low, high)


ATOMS = st.one_of(
    comparisons(), betweens(),
    st.tuples(st.just("in"), ATTR, st.lists(SCALARS, min_size=1, max_size=3)),
    st.tuples(st.sampled_from(["exists", "not_exists"]), st.sampled_from(ATTRIBUTES)),
    st.tuples(st.sampled_from(["begins_with", "contains"]), st.sampled_from(ATTRIBUTES), STRING),
)
CONDITIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(st.tuples(st.sampled_from(["and", "or"]), inner, inner),
                            st.tuples(st.just("not"), inner)),
    max_leaves=6,
)

_PRECEDENCE = {"or": 1, "and": 2, "not": 3}


class Renderer:
    """Text for a condition tree, with a fresh :value placeholder per literal."""

    def __init__(self):
        self.values = {}

    def literal(self, value):
        name = f":v{len(self.values)}"
        self.values[name] = wire(value)
        return name

    def operand(self, operand):
        return operand[1] if operand[0] == "attr" else self.literal(operand[1])

    def render(self, node, needed=0):
        kind = node[0]
        if kind in ("and", "or"):
            mine = _PRECEDENCE[kind]
            text = f"{self.render(node[1], mine)} {kind.upper()} {self.render(node[2], mine + 1)}"
        elif kind == "not":
            mine = 3
            text = f"NOT {self.render(node[1], 3)}"
        else:
            return self.atom(node)
        return f"({text})" if mine < needed else text

    def atom(self, node):
        kind = node[0]
        if kind == "cmp":
            return f"{self.operand(node[2])} {node[1]} {self.operand(node[3])}"
        if kind == "between":
            return f"{node[1][1]} BETWEEN {self.literal(node[2])} AND {self.literal(node[3])}"
        if kind == "in":
            return f"{node[1][1]} IN ({', '.join(self.literal(v) for v in node[2])})"
        if kind in ("exists", "not_exists"):
            return f"attribute_{kind}({node[1]})"
        return f"{kind}({node[1]}, {self.literal(node[2])})"


@given(CONDITIONS, ITEMS)
def test_conditions_agree_with_reference_evaluator(tree, item):
    renderer = Renderer()
    text = renderer.render(tree)
    condition = RequestExpressions(None, renderer.values or None).condition(text)
    wire_item = {name: wire(value) for name, value in item.items()}
    assert condition.matches(wire_item) == reference(tree, item), text


# ---------------------------------------------------------------- robustness

KINDS = ("ConditionExpression", "KeyConditionExpression", "UpdateExpression", "ProjectionExpression")
NAMES = {"#a": "a", "#b": "b"}
VALUES = {":a": {"S": "x"}, ":b": {"N": "1"}, ":c": {"L": []}, ":d": {"SS": ["x"]}}


def attempt(kind, text):
    expressions = RequestExpressions(NAMES, VALUES)
    try:
        if kind == "UpdateExpression":
            expressions.update(text).apply({"a": {"S": "x"}, "b": {"L": [{"N": "1"}]}})
        elif kind == "ProjectionExpression":
            expressions.projection(text).apply({"a": {"S": "x"}})
        elif kind == "KeyConditionExpression":
            expressions.key_condition(text)
        else:
            expressions.condition(text).matches({"a": {"S": "x"}, "b": {"N": "2"}})
    except ValidationException:
        pass


_ALPHABET = st.sampled_from(list("abAB_#:.[]()0123 ,=<>+-!\"") + ["AND", "OR", "NOT", "SET", "IN", "size",
                                                                 "BETWEEN", "REMOVE", "ADD", "DELETE"])


@given(st.sampled_from(KINDS), st.one_of(st.text(max_size=40), st.lists(_ALPHABET, max_size=15).map(" ".join)))
def test_random_text_only_raises_validation_errors(kind, text):
    attempt(kind, text)


@lru_cache(maxsize=None)
def grammar(kind):
    name = {"ConditionExpression": "condition.lark", "KeyConditionExpression": "key_condition.lark",
            "UpdateExpression": "update.lark", "ProjectionExpression": "projection.lark"}[kind]
    return Lark.open_from_package("grammar", name, ("",), parser="lalr", lexer="basic")


@given(st.data())
def test_grammar_shaped_text_only_raises_validation_errors(data):
    kind = data.draw(st.sampled_from(KINDS))
    text = data.draw(from_lark(grammar(kind)))
    attempt(kind, text)
