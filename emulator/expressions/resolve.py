"""Binding ``#name``/``:value`` placeholders per request, and the messages about them.

A parsed AST is shared by every request with the same text; :func:`binding` makes the
request's copy, substituting ExpressionAttributeNames and ExpressionAttributeValues.
Placeholders the request does not define are left in place and reported by the
checks in DynamoDB's order (a request may fail on an earlier rule first).

This module owns the expression-attribute messages: the shape of the two maps, the
undefined and unused placeholders, and reserved words used as bare names.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterator

from ..errors import SerializationException, ValidationException
from ..types import normalize_value
from . import ast

_NAME_KEY = re.compile(r"#[0-9a-zA-Z_]+")
_VALUE_KEY = re.compile(r":[0-9a-zA-Z_]+")


def undefined_name_message(name: str) -> str:
    return f"An expression attribute name used in the document path is not defined; attribute name: {name}"


def undefined_value_message(name: str) -> str:
    return f"An expression attribute value used in expression is not defined; attribute value: {name}"


def reserved_word_message(word: str) -> str:
    return f"Attribute name is a reserved keyword; reserved keyword: {word}"


@lru_cache(maxsize=None)
def reserved_words() -> frozenset[str]:
    """DynamoDB's reserved words, upper case (grammar/reserved_words.txt)."""
    text = resources.files("grammar").joinpath("reserved_words.txt").read_text("utf-8")
    return frozenset(line.strip().upper() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


# ---------------------------------------------------------------- the two maps


def check_names(names: Any) -> dict[str, str] | None:
    """Validate ExpressionAttributeNames (DynamoDB checks these before any expression)."""
    if names is None:
        return None
    if not isinstance(names, dict):
        raise SerializationException("Unexpected value type in payload")
    if not names:
        raise ValidationException("ExpressionAttributeNames must not be empty")
    for key, value in names.items():
        if not _NAME_KEY.fullmatch(key):
            raise ValidationException(f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"')
        if not isinstance(value, str):
            raise SerializationException("Unexpected value type in payload")
    return names


def check_values(values: Any) -> dict[str, dict] | None:
    """Validate ExpressionAttributeValues: keys first, then each value, normalized."""
    if values is None:
        return None
    if not isinstance(values, dict):
        raise SerializationException("Unexpected value type in payload")
    if not values:
        raise ValidationException("ExpressionAttributeValues must not be empty")
    for key in values:
        if not _VALUE_KEY.fullmatch(key):
            raise ValidationException(f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"')
    normalized = {}
    for key, value in values.items():
        try:
            normalized[key] = normalize_value(value)
        except ValidationException as error:
            raise ValidationException(
                f"ExpressionAttributeValues contains invalid value: {error.message} for key {key}"
            ) from None
    return normalized


def unused_message(member: str, unused: list[str]) -> str:
    return f"Value provided in {member} unused in expressions: keys: {{{', '.join(unused)}}}"


# ---------------------------------------------------------------- walking


def paths(node: Any) -> Iterator[ast.Path]:
    """Every document path in ``node``, in text order."""
    for item in walk(node):
        if isinstance(item, ast.Path):
            yield item


def walk(node: Any) -> Iterator[Any]:
    """Pre-order walk of an expression (conditions, operands and update actions)."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node: Any) -> tuple:
    """A node's operands (sub-conditions, arguments, actions, paths) in text order."""
    getter = _CHILDREN.get(type(node))
    return getter(node) if getter is not None else ()


def post_order(node: Any) -> list[Any]:
    """Every node of ``node``'s tree, children (in text order) before their parent.
    Leaves come in text order, as in :func:`walk`."""
    reversed_order = []
    stack = [node]
    pop, push, extend = stack.pop, reversed_order.append, stack.extend
    get = _CHILDREN.get
    while stack:
        current = pop()
        push(current)
        getter = get(type(current))
        if getter is not None:
            extend(getter(current))
    reversed_order.reverse()
    return reversed_order


def _pair(node: Any) -> tuple:
    return (node.left, node.right)


def _operand(node: Any) -> tuple:
    return (node.operand,)


def _path_and_value(node: Any) -> tuple:
    return (node.path, node.value)


#: Node type -> its children, in text order (the types are final: exact lookups).
_CHILDREN: dict[type, Any] = {
    ast.Comparison: _pair, ast.And: _pair, ast.Or: _pair, ast.Arithmetic: _pair,
    ast.Between: lambda node: (node.operand, node.low, node.high),
    ast.In: lambda node: (node.operand, *node.choices),
    ast.Not: _operand, ast.Size: _operand,
    ast.Function: lambda node: node.args,
    ast.SetAction: _path_and_value, ast.AddAction: _path_and_value, ast.DeleteAction: _path_and_value,
    ast.RemoveAction: lambda node: (node.path,),
    ast.UpdateExpression: lambda node: node.actions,
    ast.ProjectionExpression: lambda node: node.paths,
}


def first_reserved(node: Any) -> str | None:
    """The first bare attribute name that is a reserved word, as written."""
    words = reserved_words()
    for path in paths(node):
        for element in path.elements:
            if isinstance(element, str) and element.upper() in words:
                return element
    return None


def undefined_refs(node: Any, names: dict | None, values: dict | None) -> Iterator[str]:
    """Messages for the undefined placeholders in ``node``, in text order."""
    for item in walk(node):
        if isinstance(item, ast.Path):
            for element in item.elements:
                if isinstance(element, ast.NameRef) and (names is None or element.name not in names):
                    yield undefined_name_message(element.name)
        elif isinstance(item, ast.ValueRef) and (values is None or item.name not in values):
            yield undefined_value_message(item.name)


# ---------------------------------------------------------------- binding


#: Binds a parsed tree to one request's ExpressionAttributeValues (see :func:`binding`).
Binding = Callable[[dict], Any]


def binding(root: Any, names: dict | None) -> Binding:
    """A function from a request's ExpressionAttributeValues to ``root`` bound to them
    and to ``names``: every ``#name`` replaced by its attribute name, every ``:value`` by
    a :class:`ast.Value`, undefined ones left in place (the checks report them).

    The names are substituted here, once; what is left per request is building the nodes
    above a value placeholder, each by one prepared call. Programs send the same
    expression with new values on most requests (a key each), and walking the whole tree
    field by field for them was two thirds of their expression cost. Nodes binding
    leaves alone are shared with ``root`` (identity and all).
    """
    bound, build = _binding(root, names or {})
    if build is None:
        return lambda values: bound
    return build


def _binding(node: Any, names: dict) -> tuple[Any, Binding | None]:
    """(the bound node, None) when binding ``node`` needs no values, else (None, a
    builder of it from the values)."""
    kind = type(node)
    if kind is ast.ValueRef:
        return None, _value_builder(node)
    if kind is ast.Path:
        return _bound_path(node, names), None
    fields = _FIELDS.get(kind)
    if fields is None:
        return node, None
    constants: dict[str, Any] = {}
    builders: dict[str, Binding] = {}
    for name in fields:
        old = getattr(node, name)
        if type(old) is tuple:
            parts = [_binding(element, names) for element in old]
            if any(build is not None for _, build in parts):
                builders[name] = _node_builder(
                    _as_tuple, [bound for bound, _ in parts],
                    [(position, build) for position, (_, build) in enumerate(parts) if build is not None])
            elif any(bound is not element for (bound, _), element in zip(parts, old)):
                constants[name] = tuple(bound for bound, _ in parts)
        else:
            bound, build = _binding(old, names)
            if build is not None:
                builders[name] = build
            elif bound is not old:
                constants[name] = bound
    if not builders and not constants:
        return node, None
    arguments = [constants.get(name, getattr(node, name)) for name in _INIT_FIELDS[kind]]
    if not builders:
        return kind(*arguments), None
    return None, _node_builder(kind, arguments, [(position, builders[name])
                                                 for position, name in enumerate(_INIT_FIELDS[kind])
                                                 if name in builders])


def _as_tuple(*elements: Any) -> tuple:
    return elements


def _node_builder(kind: Callable[..., Any], arguments: list, builders: list[tuple[int, Binding]]) -> Binding:
    """Calls ``kind`` (a node type, or :func:`_as_tuple` for a tuple of nodes) with
    ``arguments``, those at the builders' positions made from the values (the others,
    most of a node's fields, are passed as they are)."""
    if len(builders) == 1:
        ((position, only),) = builders

        def build_one(values: dict) -> Any:
            made = arguments.copy()
            made[position] = only(values)
            return kind(*made)
        return build_one

    def build(values: dict) -> Any:
        made = arguments.copy()
        for position, part in builders:
            made[position] = part(values)
        return kind(*made)
    return build


def _value_builder(node: ast.ValueRef) -> Binding:
    name, pos, end, parens = node.name, node.pos, node.end, node.parens
    value_node = ast.Value

    def build(values: dict) -> Any:
        value = values.get(name)
        return node if value is None else value_node(value, name, pos, end, parens)
    return build


def _bound_path(node: ast.Path, names: dict) -> ast.Path:
    if all(type(element) is not ast.NameRef for element in node.elements):
        return node
    elements = tuple(names.get(element.name, element) if type(element) is ast.NameRef else element
                     for element in node.elements)
    return ast.Path(elements, pos=node.pos, end=node.end, parens=node.parens)


_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Comparison: ("left", "right"),
    ast.And: ("left", "right"),
    ast.Or: ("left", "right"),
    ast.Arithmetic: ("left", "right"),
    ast.Between: ("operand", "low", "high"),
    ast.In: ("operand", "choices"),
    ast.Not: ("operand",),
    ast.Size: ("operand",),
    ast.Function: ("args",),
    ast.SetAction: ("path", "value"),
    ast.AddAction: ("path", "value"),
    ast.DeleteAction: ("path", "value"),
    ast.RemoveAction: ("path",),
    ast.UpdateExpression: ("actions",),
    ast.ProjectionExpression: ("paths",),
}
#: Every constructor argument of those types, in order (all fields are init fields).
_INIT_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(field.name for field in dataclasses.fields(kind)) for kind in _FIELDS}
