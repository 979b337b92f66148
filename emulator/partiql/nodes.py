"""The PartiQL statement AST: statements, and the value forms the expression AST lacks.

Conditions, paths, comparisons and functions are the nodes of
:mod:`emulator.expressions.ast`, so the existing evaluator, checks and update code run
on them. What PartiQL adds is kept here: ``?`` parameters, list/map/set literals that
hold parameters (literals without any are folded into an ``ast.Value`` at parse time),
``MISSING``, unary minus and ``IS [NOT] <type>``. :mod:`.bind` removes all of them
before anything is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..expressions import ast


@dataclass(frozen=True)
class Param:
    """The ``index``-th ``?`` of the statement (0-based, text order)."""

    index: int


@dataclass(frozen=True)
class ListLiteral:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class MapLiteral:
    pairs: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class BagLiteral:
    """``<<...>>``: a string or number set."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class Missing:
    """The ``MISSING`` literal, only valid as ``IS [NOT] MISSING``."""


@dataclass(frozen=True)
class Negate:
    operand: Any


@dataclass(frozen=True)
class IsType:
    """``operand IS [NOT] target`` with target MISSING, NULL or a type name (upper case)."""

    operand: Any
    target: str
    negated: bool


# ---------------------------------------------------------------- statements


@dataclass(frozen=True)
class Source:
    """``"table"`` or ``"table"."index"`` (more components are refused when checked)."""

    names: tuple[str, ...]

    @property
    def table(self) -> str:
        return self.names[0]

    @property
    def index(self) -> Optional[str]:
        return self.names[1] if len(self.names) > 1 else None


@dataclass(frozen=True)
class Select:
    #: None for ``*``.
    projection: Optional[tuple[ast.Path, ...]]
    source: Source
    where: Any = None
    #: (path, descending) pairs.
    order_by: tuple[tuple[ast.Path, bool], ...] = ()


@dataclass(frozen=True)
class Insert:
    source: Source
    value: Any


@dataclass(frozen=True)
class Update:
    source: Source
    #: ("SET", path, value) and ("REMOVE", path, None), in text order.
    actions: tuple[tuple[str, ast.Path, Any], ...]
    where: Any = None
    #: "ALL OLD", "MODIFIED NEW", ... or None.
    returning: Optional[str] = None


@dataclass(frozen=True)
class Delete:
    source: Source
    where: Any = None
    returning: Optional[str] = None


@dataclass(frozen=True)
class Exists:
    """``EXISTS(SELECT ...)``: a ConditionCheck inside ExecuteTransaction."""

    select: Select


Statement = Any  # Select | Insert | Update | Delete | Exists


@dataclass(frozen=True)
class Parsed:
    """A parsed statement and how many ``?`` it has."""

    statement: Statement
    parameter_count: int

    @property
    def is_read(self) -> bool:
        return isinstance(self.statement, Select)
