"""Binding ``#name``/``:value`` placeholders per request, and the messages about them.

A parsed AST is shared by every request with the same text; :func:`bind` makes the
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
from typing import Any, Iterator

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


class Binder:
    """Substitutes one request's names and values, remembering which it used."""

    __slots__ = ("names", "values", "used_names", "used_values")

    def __init__(self, names: dict | None, values: dict | None) -> None:
        self.names = names or {}
        self.values = values or {}
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()

    def bind(self, node: Any) -> Any:
        """A copy of ``node`` with placeholders replaced (undefined ones are kept)."""
        method = _BINDERS.get(type(node))
        return method(self, node) if method else node

    def _path(self, node: ast.Path) -> ast.Path:
        if all(not isinstance(e, ast.NameRef) for e in node.elements):
            return node
        elements = []
        for element in node.elements:
            if isinstance(element, ast.NameRef):
                self.used_names.add(element.name)
                element = self.names.get(element.name, element)
            elements.append(element)
        return ast.Path(tuple(elements), pos=node.pos, end=node.end, parens=node.parens)

    def _value_ref(self, node: ast.ValueRef) -> Any:
        self.used_values.add(node.name)
        value = self.values.get(node.name)
        if value is None:
            return node
        return ast.Value(value, node.name, pos=node.pos, end=node.end, parens=node.parens)

    def _generic(self, node: Any) -> Any:
        """``node`` itself when binding changes none of its children, else a copy with
        the bound ones (built field by field: ``dataclasses.replace`` costs ~4 us)."""
        kind = type(node)
        changes = None
        for name in _FIELDS[kind]:
            old = getattr(node, name)
            new = tuple([self.bind(x) for x in old]) if type(old) is tuple else self.bind(old)
            if new is not old:
                if changes is None:
                    changes = {}
                changes[name] = new
        if changes is None:
            return node
        return kind(*[changes[name] if name in changes else getattr(node, name) for name in _INIT_FIELDS[kind]])


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
_BINDERS: dict[type, Any] = {t: Binder._generic for t in _FIELDS}
_BINDERS[ast.Path] = Binder._path
_BINDERS[ast.ValueRef] = Binder._value_ref
