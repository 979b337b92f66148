"""The tree walks the checks and the binding use (resolve.children, resolve.post_order,
resolve.binding) against plain recursive definitions, on generated expressions: the checks'
messages depend on the order nodes come in, and a bound copy must keep every field
(positions and parentheses too, which node equality ignores)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.expressions import ast, parser, resolve

_PATHS = st.sampled_from(["a", "b.c", "#n", "#n.d[1]", "e[0]", "#m"])
_VALUES = st.sampled_from([":v", ":w", ":undefined"])
_OPERANDS = st.one_of(_PATHS, _VALUES, _PATHS.map(lambda path: f"size({path})"))


def _atom():
    return st.one_of(
        st.tuples(_OPERANDS, st.sampled_from(["=", "<>", "<", ">="]), _OPERANDS).map(" ".join),
        st.tuples(_OPERANDS, _OPERANDS, _OPERANDS).map(lambda o: f"{o[0]} BETWEEN {o[1]} AND {o[2]}"),
        st.lists(_OPERANDS, min_size=2, max_size=4).map(lambda o: f"{o[0]} IN ({', '.join(o[1:])})"),
        _PATHS.map(lambda path: f"attribute_exists({path})"),
        st.tuples(_PATHS, _OPERANDS).map(lambda o: f"begins_with({o[0]}, {o[1]})"),
    )


_CONDITIONS = st.recursive(_atom(), lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["AND", "OR"]), inner).map(" ".join),
    inner.map(lambda text: f"NOT ({text})"),
    inner.map(lambda text: f"({text})"),
), max_leaves=8)

_UPDATES = st.lists(st.one_of(
    st.tuples(_PATHS, _OPERANDS).map(lambda o: f"SET {o[0]} = {o[1]}"),
    st.tuples(_PATHS, _PATHS, _VALUES).map(lambda o: f"SET {o[0]} = if_not_exists({o[1]}, {o[2]}) + {o[2]}"),
    _PATHS.map(lambda path: f"REMOVE {path}"),
    st.tuples(_PATHS, _VALUES).map(lambda o: f"ADD {o[0]} {o[1]}"),
), min_size=1, max_size=3).map(" ".join)


def _recursive_post_order(node):
    for child in _recursive_children(node):
        yield from _recursive_post_order(child)
    yield node


def _recursive_children(node):
    if isinstance(node, (ast.Comparison, ast.And, ast.Or, ast.Arithmetic)):
        return (node.left, node.right)
    if isinstance(node, ast.Between):
        return (node.operand, node.low, node.high)
    if isinstance(node, ast.In):
        return (node.operand, *node.choices)
    if isinstance(node, (ast.Not, ast.Size)):
        return (node.operand,)
    if isinstance(node, ast.Function):
        return node.args
    if isinstance(node, (ast.SetAction, ast.AddAction, ast.DeleteAction)):
        return (node.path, node.value)
    if isinstance(node, ast.RemoveAction):
        return (node.path,)
    if isinstance(node, ast.UpdateExpression):
        return node.actions
    return ()


def _parsed(kind, text):
    try:
        return parser.parse(kind, text)
    except Exception:  # the generator may write what the grammar refuses
        return None


def _leaves(nodes):
    return [node for node in nodes if not _recursive_children(node)]


def _assert_walks_agree(root):
    expected = list(_recursive_post_order(root))
    assert [id(node) for node in resolve.post_order(root)] == [id(node) for node in expected]
    for node in expected:
        assert tuple(resolve.children(node)) == tuple(_recursive_children(node))
    # Leaves (where placeholders are) come in the same order as the pre-order walk's.
    assert [id(n) for n in _leaves(expected)] == [id(n) for n in _leaves(resolve.walk(root))]


def _replaced(node, names, values):
    """The bound copy, built the way dataclasses.replace would."""
    if isinstance(node, ast.Path):
        return dataclasses.replace(node, elements=tuple(
            names.get(e.name, e) if isinstance(e, ast.NameRef) else e for e in node.elements))
    if isinstance(node, ast.ValueRef):
        if node.name not in values:
            return node
        return ast.Value(values[node.name], node.name, pos=node.pos, end=node.end, parens=node.parens)
    if not dataclasses.is_dataclass(node):
        return node
    changes = {}
    for field in dataclasses.fields(node):
        old = getattr(node, field.name)
        if isinstance(old, tuple):
            changes[field.name] = tuple(_replaced(x, names, values) for x in old)
        elif dataclasses.is_dataclass(old):
            changes[field.name] = _replaced(old, names, values)
    return dataclasses.replace(node, **changes)


_NAMES = {"#n": "nn", "#m": "mm"}
_VALUE_MAP = {":v": {"S": "x"}, ":w": {"N": "2"}}
#: A second request's values for the same binding: other values, one placeholder undefined.
_OTHER_VALUE_MAP = {":v": {"L": [{"S": "y"}]}}


def _check_walks_and_binding(kind: str, text: str) -> None:
    """The walks agree with their recursive definitions before and after binding, and
    binding rebuilds the tree as dataclasses.replace would."""
    root = _parsed(kind, text)
    if root is None:
        return
    _assert_walks_agree(root)
    binding = resolve.binding(root, _NAMES)
    for values in (_VALUE_MAP, _OTHER_VALUE_MAP, {}):
        bound = binding(values)
        assert dataclasses.astuple(bound) == dataclasses.astuple(_replaced(root, _NAMES, values))
        _assert_walks_agree(bound)


@settings(max_examples=300)
@given(_CONDITIONS)
def test_condition_walks_and_binding(text):
    _check_walks_and_binding("ConditionExpression", text)


@settings(max_examples=200)
@given(_UPDATES)
def test_update_walks_and_binding(text):
    _check_walks_and_binding("UpdateExpression", text)


def test_binding_shares_what_it_does_not_change():
    root = parser.parse("ConditionExpression", "a = b AND c.d > e")
    assert resolve.binding(root, {})({}) is root
    partly = parser.parse("ConditionExpression", "a = b AND c.d > :e")
    bound = resolve.binding(partly, {})({":e": {"N": "1"}})
    assert bound.left is partly.left and bound.right.left is partly.right.left
