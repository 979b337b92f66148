"""Binding a parsed statement's ``?`` parameters, leaving pure expression AST.

A parsed statement is shared by every request with the same text; :func:`bind`
makes the request's copy: each ``Param`` becomes the request's AttributeValue (validated
and normalized like any value), literals that held parameters become one ``ast.Value``,
and ``IS [NOT] MISSING``/``NULL``/``<type>`` becomes the condition functions DynamoDB's
expression language already has (``attribute_exists``, ``attribute_type``, ...). After
this, conditions are evaluated by :mod:`emulator.expressions.evaluate` unchanged.

Messages: "Number of parameters in request and statement don't match." (moto's tests,
written against AWS; DynamoDB Local's catalog). The IS and MISSING messages are DynamoDB
Local's (``ddb.partiql.shared.exceptions.ValidationExceptionMessages``), unverified on AWS.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional

from ..errors import ValidationException
from ..expressions import ast
from ..types import normalize_value
from . import nodes
from .parser import bag_value, map_value

PARAMETER_COUNT = "Number of parameters in request and statement don't match."
MISSING_NEEDS_IS = "MISSING must be compared using IS operator"
IS_OPERAND = "The left hand side argument to IS must be a Variable Reference, Literal, or Path"
IS_TYPES = ("Unsupported data type for IS operator: {}. Supported data types are "
            "[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]")
#: IS targets -> the attribute_type names they stand for.
_IS_TYPES = {"BOOLEAN": "BOOL", "BLOB": "B", "STRING": "S", "NUMERIC": "N", "STRUCT": "M",
             "TUPLE": "M", "LIST": "L"}


def check_parameters(parsed: nodes.Parsed, parameters: Optional[list]) -> list[dict]:
    """The request's Parameters, normalized, after checking they fit the statement."""
    given = parameters or []
    if len(given) != parsed.parameter_count:
        raise ValidationException(PARAMETER_COUNT)
    return [normalize_value(value) for value in given]


class Binder:
    """Substitutes one request's parameters into one statement."""

    def __init__(self, parameters: list[dict]) -> None:
        self.parameters = parameters

    def statement(self, statement: Any) -> Any:
        if isinstance(statement, nodes.Select):
            return dataclasses.replace(statement, where=self.condition(statement.where))
        if isinstance(statement, nodes.Insert):
            return dataclasses.replace(statement, value=self.value(statement.value))
        if isinstance(statement, nodes.Update):
            actions = tuple((kind, path, self.value(value) if value is not None else None)
                            for kind, path, value in statement.actions)
            return dataclasses.replace(statement, actions=actions, where=self.condition(statement.where))
        if isinstance(statement, nodes.Delete):
            return dataclasses.replace(statement, where=self.condition(statement.where))
        if isinstance(statement, nodes.Exists):
            return nodes.Exists(self.statement(statement.select))
        raise AssertionError(statement)  # pragma: no cover

    def condition(self, node: Any) -> Any:
        return None if node is None else self.value(node)

    def value(self, node: Any) -> Any:
        """The bound form of any expression node."""
        if isinstance(node, nodes.Param):
            return ast.Value(self.parameters[node.index])
        if isinstance(node, nodes.ListLiteral):
            return ast.Value({"L": [self._literal(item) for item in node.items]})
        if isinstance(node, nodes.MapLiteral):
            return ast.Value(map_value([(self._literal(k), self._literal(v)) for k, v in node.pairs]))
        if isinstance(node, nodes.BagLiteral):
            return ast.Value(bag_value([self._literal(item) for item in node.items]))
        if isinstance(node, nodes.Missing):
            raise ValidationException(MISSING_NEEDS_IS)
        if isinstance(node, nodes.Negate):
            operand = self.value(node.operand)
            if isinstance(operand, ast.Value) and "N" in operand.value:
                text = operand.value["N"]
                return ast.Value({"N": text[1:] if text.startswith("-") else "-" + text})
            raise ValidationException("Unsupported operation: unary minus on a non-literal value")
        if isinstance(node, nodes.IsType):
            return self._is(node)
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            return self._generic(node)
        if isinstance(node, tuple):
            return tuple(self.value(item) for item in node)
        return node

    def _literal(self, node: Any) -> dict:
        bound = self.value(node)
        if not isinstance(bound, ast.Value):
            raise ValidationException("Unsupported data type: only literal values are allowed in a literal")
        return bound.value

    def _generic(self, node: Any) -> Any:
        changes = {}
        for field in dataclasses.fields(node):
            if not field.compare or field.name in ("op", "name"):
                continue
            old = getattr(node, field.name)
            new = self.value(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(node, **changes) if changes else node

    def _is(self, node: nodes.IsType) -> Any:
        operand = self.value(node.operand)
        if not isinstance(operand, ast.Path):
            raise ValidationException(IS_OPERAND)
        target = node.target
        if target == "MISSING":
            name = "attribute_exists" if node.negated else "attribute_not_exists"
            return ast.Function(name, (operand,))
        if target == "NULL":
            # PartiQL: a MISSING value IS NULL too.
            test: Any = ast.Or(ast.Function("attribute_type", (operand, ast.Value({"S": "NULL"}))),
                               ast.Function("attribute_not_exists", (operand,)))
        elif target in _IS_TYPES:
            test = ast.Function("attribute_type", (operand, ast.Value({"S": _IS_TYPES[target]})))
        else:
            raise ValidationException(IS_TYPES.format(target))
        return ast.Not(test) if node.negated else test


def bind(parsed: nodes.Parsed, parameters: Optional[list]) -> Any:
    """The statement of ``parsed`` with the request's ``parameters`` in place."""
    return Binder(check_parameters(parsed, parameters)).statement(parsed.statement)
