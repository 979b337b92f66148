"""Evaluation of bound conditions on wire-format items, and hand-built ASTs."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.expressions import RequestExpressions, ast, evaluate
from emulator.types import normalize_value


def b64(raw):
    return base64.b64encode(raw).decode()


ITEM = {
    "p": {"S": "key"}, "n": {"N": "10"}, "s": {"S": "banana"}, "b": {"B": b64(b"\x01\x02\x03")},
    "t": {"BOOL": True}, "z": {"NULL": True}, "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "5"]},
    "bs": {"BS": [b64(b"\x01")]}, "l": {"L": [{"S": "a"}, {"N": "3"}, {"M": {"k": {"S": "v"}}}]},
    "m": {"M": {"nested": {"M": {"deep": {"S": "x"}}}, "arr": {"L": [{"N": "1"}, {"N": "2"}]}}},
}
VALUES = {
    ":9": {"N": "9"}, ":10": {"N": "10.0"}, ":11": {"N": "11"}, ":100": {"N": "100"}, ":2": {"N": "2"},
    ":3": {"N": "3"}, ":6": {"N": "6"}, ":apple": {"S": "apple"}, ":ban": {"S": "ban"}, ":nan": {"S": "nan"},
    ":red": {"S": "red"}, ":blue": {"S": "blue"}, ":five": {"N": "5.0"}, ":a": {"S": "a"}, ":x": {"S": "x"},
    ":b12": {"B": b64(b"\x01\x02")}, ":b2": {"B": b64(b"\x02")}, ":ss": {"S": "SS"}, ":null": {"S": "NULL"},
    ":sset": {"SS": ["green", "red"]}, ":map": {"M": {"k": {"S": "v"}}}, ":t": {"BOOL": True},
    ":ten": {"S": "10"}, ":list": {"L": [{"S": "a"}, {"N": "3"}, {"M": {"k": {"S": "v"}}}]},
}


def holds(text, item=ITEM):
    values = {k: v for k, v in VALUES.items() if k in text}
    return RequestExpressions(None, values or None).condition(text).matches(item)


@pytest.mark.parametrize("text, expected", [
    ("n > :9", True), ("n < :100", True), ("n = :10", True), ("n >= :10 AND n <= :10", True),
    ("s > :apple", True), ("s < :ban", False), ("b > :b12", True), ("b < :b2", True),
    ("absent <> :9", True), ("absent < :9", False), ("absent = :9", False), ("absent <> gone", True),
    ("n <> :ten", True), ("n = :ten", False), ("s > :9", False),
    ("n BETWEEN :9 AND :11", True), ("n BETWEEN :11 AND :100", False), ("s BETWEEN :apple AND :x", True),
    ("s IN (:apple, :ban)", False), ("n IN (:9, :10)", True), ("absent IN (:9)", False),
    ("n = :10 OR n = :10 AND n = :9", True), ("(n = :10 OR n = :10) AND n = :9", False),
    ("NOT n = :9 AND n = :10", True), ("NOT (n = :10)", False), ("NOT NOT n = :10", True),
    ("attribute_exists(n) AND attribute_not_exists(absent)", True), ("attribute_exists(z)", True),
    ("attribute_exists(m.nested.deep) AND attribute_not_exists(l[9])", True),
    ("attribute_type(ss, :ss) AND attribute_type(z, :null)", True), ("attribute_type(absent, :ss)", False),
    ("begins_with(s, :ban)", True), ("begins_with(s, :nan)", False), ("begins_with(b, :b12)", True),
    ("begins_with(n, :ban)", False),
    ("contains(s, :nan)", True), ("contains(ss, :red)", True), ("contains(ss, :blue)", False),
    ("contains(ns, :five)", True), ("contains(l, :3)", True), ("contains(l, :map)", True),
    ("contains(ss, :five)", False), ("contains(absent, :red)", False),
    ("size(s) = :6", True), ("size(ss) = :2 AND size(l) = :3 AND size(m) = :2", True), ("size(b) = :3", True),
    ("size(n) = :2", False), ("size(absent) = :2", False),
    ("m.nested.deep = :x", True), ("m.arr[1] = :2", True), ("l[0] = :a", True), ("l[7] = :a", False),
    ("ss = :sset", True), ("l = :list", True), ("t = :t", True), ("m.arr = :list", False),
    # a missing attribute or one of another type against a string or number literal
    ("absent <> :apple", True), ("absent = :apple", False), ("absent > :apple", False), ("absent < :apple", False),
    ("absent >= :9", False), ("s <> :9", True), ("s = :ten", False), ("n > :apple", False),
    ("t <> :apple", True), ("l = :a", False), ("n = :five", False), ("n <> :10", False),
    ("s >= :ban", True), ("s <= :ban", False), ("n <= :10", True), ("n < :10", False),
])
def test_condition_holds(text, expected):
    assert holds(text) is expected


def test_condition_on_missing_item_sees_no_attributes():
    cond = RequestExpressions(None, None).condition("attribute_not_exists(p)")
    assert cond.matches(None) is True


def test_unicode_strings_order_by_code_point():
    item = {"u": {"S": "\U0001F600"}}
    assert RequestExpressions(None, {":v": {"S": "\uFFFD"}}).condition("u > :v").matches(item)


def test_size_of_string_counts_utf16_code_units():
    # Real DynamoDB: size of {"S": "é𝄞"} is 3 (é is one unit, 𝄞 a surrogate pair), not
    # its 6 UTF-8 bytes (ExtendDB issue #60 and PR #67; nubo-db/dynoxide PR #34).
    item = {"u": {"S": "é\U0001D11E"}}
    size = {n: RequestExpressions(None, {":v": {"N": n}}).condition("size(u) = :v").matches(item)
            for n in ("2", "3", "6")}
    assert size == {"2": False, "3": True, "6": False}


def test_hand_built_ast_with_value_literals_evaluates():
    # The legacy-API converters build trees like this one directly.
    node = ast.And(
        ast.Comparison(">", ast.Path(("n",)), ast.Value({"N": "5"})),
        ast.Not(ast.Function("contains", (ast.Path(("ss",)), ast.Value({"S": "blue"})))),
    )
    assert evaluate.matches(node, ITEM)
    assert evaluate.Condition(ast.In(ast.Path(("s",)), (ast.Value({"S": "banana"}),))).matches(ITEM)


def test_equality_of_sets_ignores_order_and_number_format():
    assert evaluate.equal({"NS": ["1", "2.50"]}, {"NS": ["2.5", "1"]})
    assert not evaluate.equal({"NS": ["1"]}, {"SS": ["1"]})
    assert evaluate.equal({"M": {"a": {"L": [{"N": "1"}]}}}, {"M": {"a": {"L": [{"N": "1.0"}]}}})


# Values of every kind, numbers in several forms: a hand-built tree (the legacy
# converters make them) may hold a literal in any form. Items hold them as the store
# does (STORED_VALUES): every way in normalizes numbers, and a compiled ``a = :n`` or
# ``a <> :n`` compares the stored text with the literal's canonical text.
SAMPLE_VALUES = [
    {"S": "a"}, {"S": "b"}, {"S": ""}, {"S": "\U0001F600"}, {"N": "1"}, {"N": "1.0"}, {"N": "-2"}, {"N": "10"},
    {"N": "1E+1"}, {"B": b64(b"\x01")}, {"B": b64(b"\xff")}, {"BOOL": True}, {"NULL": True},
    {"SS": ["a", "b"]}, {"NS": ["1", "2"]}, {"L": [{"N": "1"}]}, {"M": {"a": {"S": "a"}}},
    {"S": "ab"}, {"S": "1"}, {"S": "é\U0001D11E"}, {"N": "2"}, {"N": "3"}, {"L": [{"S": "a"}, {"N": "2"}]},
]
STORED_VALUES = [normalize_value(value) for value in SAMPLE_VALUES]
OPERATORS = ["=", "<>", "<", "<=", ">", ">="]


def _operands(names):
    paths = st.sampled_from(names).map(lambda name: ast.Path((name,)))
    values = st.sampled_from(SAMPLE_VALUES).map(ast.Value)
    return paths, values


def _trees(names):
    paths, values = _operands(names)
    comparisons = st.one_of(
        st.builds(ast.Comparison, st.sampled_from(OPERATORS), paths, values),
        st.builds(ast.Comparison, st.sampled_from(OPERATORS), st.one_of(paths, values), st.one_of(paths, values)),
        st.builds(ast.Comparison, st.sampled_from(OPERATORS), paths.map(ast.Size), values),
        st.builds(ast.Between, paths, values, values),
        st.builds(ast.In, paths, st.lists(values, min_size=1, max_size=4).map(tuple)),
        st.builds(ast.Function, st.sampled_from(["begins_with", "contains"]), st.tuples(paths, values)),
        st.builds(ast.Function, st.sampled_from(["attribute_exists", "attribute_not_exists"]), st.tuples(paths)),
    )
    return st.recursive(comparisons, lambda inner: st.one_of(
        st.builds(ast.And, inner, inner), st.builds(ast.Or, inner, inner), st.builds(ast.Not, inner)), max_leaves=6)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(STORED_VALUES)),
       st.sampled_from(OPERATORS), st.sampled_from(["a", "b", "missing"]), st.sampled_from(SAMPLE_VALUES))
def test_compiled_comparison_with_a_literal_answers_as_the_tree_walk(item, op, name, literal):
    tree = ast.Comparison(op, ast.Path((name,)), ast.Value(literal))
    assert bool(evaluate.compile_condition(tree)(item)) == bool(evaluate.matches(tree, item)), (item, op, name, literal)


def test_compiled_comparison_reads_numbers_in_any_form():
    """A hand-built tree (the legacy converters make them) may hold a number in a form
    other than the canonical one the stored item has."""
    for op, expected in (("=", True), ("<>", False), ("<=", True), (">", False)):
        tree = ast.Comparison(op, ast.Path(("n",)), ast.Value({"N": "1.0E+1"}))
        assert bool(evaluate.compile_condition(tree)(ITEM)) is expected


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from(STORED_VALUES)),
       _trees(["a", "b", "c", "missing"]))
def test_compiled_condition_answers_as_the_tree_walk(item, tree):
    """A condition's closures (attribute op literal compared in one call, the literal's
    value worked out once) agree with evaluating its AST node by node, on attributes of
    every type (as the store keeps them), missing ones, and literals with numbers in any
    form; a Condition answers alike on its
    first call (the walk) and later ones (the closures), for an item and for none."""
    expected = bool(evaluate.matches(tree, item))
    assert bool(evaluate.compile_condition(tree)(item)) == expected
    condition = evaluate.Condition(tree)
    assert [condition.matches(item), condition.matches(item)] == [expected, expected]
    assert condition.matches(None) == bool(evaluate.matches(tree, None))


def test_a_condition_compiles_at_its_second_use(monkeypatch):
    """A write's condition with new values is used once: walked, not compiled. The
    second use compiles it, and a filter's test() does at once."""
    compiled = []
    real = evaluate.compile_condition
    monkeypatch.setattr(evaluate, "compile_condition", lambda node: compiled.append(node) or real(node))
    tree = ast.Comparison("=", ast.Path(("s",)), ast.Value({"S": "abc"}))
    item = {"s": {"S": "abc"}}
    condition = evaluate.Condition(tree)
    assert condition.matches(item) and compiled == []
    assert condition.matches(item) and compiled == [tree]
    assert condition.matches({}) is False and compiled == [tree]
    assert evaluate.Condition(tree).test()(item) and compiled == [tree, tree]
    walked = evaluate.Condition(tree)
    assert walked.matches(None) is False
    assert walked.test()(item) and compiled == [tree, tree, tree]


def _one_literal_shapes():
    """Every compiled shape with one literal, over every sample literal."""
    path = ast.Path(("a",))
    for literal in map(ast.Value, SAMPLE_VALUES):
        for op in OPERATORS:
            yield ast.Comparison(op, ast.Size(path), literal)
        for name in ("begins_with", "contains"):
            yield ast.Function(name, (path, literal))
        yield ast.In(path, (literal,))


def _two_literal_shapes():
    """BETWEEN and a two-choice IN over every pair of sample literals."""
    path = ast.Path(("a",))
    for first in map(ast.Value, SAMPLE_VALUES):
        for second in map(ast.Value, SAMPLE_VALUES):
            yield ast.Between(path, first, second)
            yield ast.In(path, (first, second))


@pytest.mark.parametrize("shapes", [_one_literal_shapes, _two_literal_shapes])
def test_compiled_shapes_answer_as_the_tree_walk_on_every_sample(shapes):
    """size(a) compared with a number, BETWEEN, IN, begins_with and contains of a
    top-level attribute with literals have compiled forms; each answers as the tree walk
    for every pair (or triple) of sample values, the attribute also missing. (Exhaustive:
    a random tree meets a given shape and value pair too rarely to catch a wrong bound
    or a missed type.)"""
    items = [{}] + [{"a": value} for value in STORED_VALUES]
    wrong = [(tree, item) for tree in shapes() for item in items
             if bool(evaluate.compile_condition(tree)(item)) != bool(evaluate.matches(tree, item))]
    assert not wrong, wrong[:3]


def test_shapes_with_a_compiled_form_are_compiled():
    """The shapes above do not fall back to the tree walk (whose answers they match)."""
    path, text, number = ast.Path(("a",)), ast.Value({"S": "a"}), ast.Value({"N": "1"})
    for tree in (ast.Comparison("<", ast.Size(path), number), ast.Between(path, text, text),
                 ast.Between(path, number, number), ast.In(path, (text, number)),
                 ast.Function("begins_with", (path, text)), ast.Function("contains", (path, text))):
        assert evaluate.compile_condition(tree).__name__ != "<lambda>", tree
