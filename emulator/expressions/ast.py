"""The expression AST: small immutable node classes shared by every expression kind.

The parser builds these from expression text. A freshly parsed tree still holds
:class:`NameRef` (``#n``) elements in its paths and :class:`ValueRef` (``:v``) operands,
so it depends on nothing but the text and is cached by it. ``resolve.binding`` then makes a
request-specific copy in which every path element is a plain ``str`` (attribute name)
or ``int`` (list index) and every placeholder value is a :class:`Value` holding the
request's AttributeValue. The evaluator only ever sees such resolved trees, so anyone
(for instance the legacy ``Expected``/``QueryFilter``/``KeyConditions`` converters) can
build one directly from :class:`Path` and :class:`Value` nodes and evaluate it.

Every node carries, outside equality, where it came from in the text (``pos``/``end``
character offsets, -1 when built by hand) and how many pairs of parentheses wrapped it
(``parens``), which the key-condition checks and syntax messages need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

_POSITION = dict(default=-1, compare=False, repr=False)


def _where() -> Any:
    return field(**_POSITION)  # type: ignore[call-overload]


def _parens() -> Any:
    return field(default=0, compare=False, repr=False)


# ---------------------------------------------------------------- operands


@dataclass(frozen=True, slots=True)
class NameRef:
    """An ``#name`` placeholder inside a document path, before binding."""

    name: str


@dataclass(frozen=True, slots=True)
class ValueRef:
    """A ``:value`` placeholder operand, before binding."""

    name: str
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()


PathElement = Union[str, int, NameRef]


@dataclass(frozen=True, slots=True)
class Path:
    """A document path: top-level attribute name, then map keys (``str``) and list
    indexes (``int``). ``a.b[2]`` is ``Path(("a", "b", 2))``."""

    elements: tuple[PathElement, ...]
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()

    @property
    def top(self) -> PathElement:
        return self.elements[0]

    def __str__(self) -> str:
        """DynamoDB's rendering in messages: ``[a, b, [2]]``."""
        parts = [f"[{e}]" if isinstance(e, int) else (e.name if isinstance(e, NameRef) else e)
                 for e in self.elements]
        return "[" + ", ".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class Value:
    """A literal AttributeValue (wire format, e.g. ``{"N": "5"}``), after binding.
    ``name`` is the placeholder it was bound from, when there was one."""

    value: dict
    name: str | None = field(default=None, compare=False)
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()


@dataclass(frozen=True, slots=True)
class Function:
    """A function call. In conditions: ``attribute_exists``, ``attribute_not_exists``,
    ``attribute_type``, ``begins_with``, ``contains`` (conditions) and ``size`` (an
    operand, see :class:`Size`); in update SET values: ``if_not_exists`` and
    ``list_append``. Unknown names parse fine and are rejected by the checks, as
    DynamoDB does."""

    name: str
    args: tuple[Any, ...]
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()


@dataclass(frozen=True, slots=True)
class Size:
    """``size(path)``: the number of characters/bytes/elements of the operand's value,
    as an N. Only valid as an operand of a comparison, BETWEEN or IN."""

    operand: Any
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()


Operand = Union[Path, Value, ValueRef, Size, Function]

# ---------------------------------------------------------------- conditions

COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")


@dataclass(frozen=True, slots=True)
class Comparison:
    """``left <op> right`` with ``op`` one of :data:`COMPARATORS`, operand order kept."""

    op: str
    left: Any
    right: Any
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()
    op_pos: int = _where()


@dataclass(frozen=True, slots=True)
class Between:
    """``operand BETWEEN low AND high`` (inclusive on both ends)."""

    operand: Any
    low: Any
    high: Any
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()
    op_pos: int = _where()


@dataclass(frozen=True, slots=True)
class In:
    """``operand IN (choice, ...)``: true when the operand equals any choice."""

    operand: Any
    choices: tuple[Any, ...]
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()
    op_pos: int = _where()


@dataclass(frozen=True, slots=True)
class And:
    left: Any
    right: Any
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()
    op_pos: int = _where()


@dataclass(frozen=True, slots=True)
class Or:
    left: Any
    right: Any
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()
    op_pos: int = _where()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Any
    pos: int = _where()
    end: int = _where()
    parens: int = _parens()
    op_pos: int = _where()


Condition = Union[Comparison, Between, In, And, Or, Not, Function]
CONDITION_TYPES = (Comparison, Between, In, And, Or, Not)

# ---------------------------------------------------------------- updates


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """``left + right`` or ``left - right`` in a SET value (numbers only)."""

    op: str
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class SetAction:
    """``SET path = value``; value is an operand, :class:`Arithmetic` or a
    :class:`Function` (``if_not_exists``/``list_append``)."""

    path: Path
    value: Any


@dataclass(frozen=True, slots=True)
class RemoveAction:
    """``REMOVE path``: drop an attribute, map key or list element."""

    path: Path


@dataclass(frozen=True, slots=True)
class AddAction:
    """``ADD path :value``: add to a number, or union into a set; creates when absent."""

    path: Path
    value: Any


@dataclass(frozen=True, slots=True)
class DeleteAction:
    """``DELETE path :value``: remove elements from a set (the attribute goes when empty)."""

    path: Path
    value: Any


UpdateAction = Union[SetAction, RemoveAction, AddAction, DeleteAction]


@dataclass(frozen=True, slots=True)
class UpdateExpression:
    """All actions in text order; ``clauses`` lists the clause keywords in the order
    they appeared (upper case), duplicates included, for the "used once" check."""

    actions: tuple[Any, ...]
    clauses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProjectionExpression:
    paths: tuple[Path, ...]
