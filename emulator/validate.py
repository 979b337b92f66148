"""Request-shape checks with DynamoDB's "N validation errors detected" message.

DynamoDB's request validator (Coral) checks every member against the API model first
and reports all violations together, e.g.::

    1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint:
    Member must have length greater than or equal to 3

Paths use the model's lowerCamelCase member names (``keySchema.1.member.keyType``,
1-based list positions). Only after this pass do the operation's own semantic checks run.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from .errors import ValidationException


def render(value: Any) -> str:
    """How Coral prints a value inside its message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "'" + str(value).lower() + "'"
    if isinstance(value, list):
        return "'[" + ", ".join(str(v) for v in value) + "]'"
    return f"'{value}'"


class Shape:
    """Collects constraint violations of one request, then raises them as one error."""

    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, value: Any, path: str, constraint: str) -> None:
        self.errors.append(
            f"Value {render(value)} at '{path}' failed to satisfy constraint: {constraint}"
        )

    def required(self, value: Any, path: str) -> bool:
        """Record a missing member; True when the value is present."""
        if value is None:
            self.fail(None, path, "Member must not be null")
            return False
        return True

    def length(self, value: Any, path: str, minimum: int | None = None, maximum: int | None = None) -> None:
        if value is None:
            return
        size = len(value)
        if minimum is not None and size < minimum:
            self.fail(value, path, f"Member must have length greater than or equal to {minimum}")
        elif maximum is not None and size > maximum:
            self.fail(value, path, f"Member must have length less than or equal to {maximum}")

    def number(self, value: Any, path: str, minimum: int | None = None, maximum: int | None = None) -> None:
        if value is None:
            return
        if minimum is not None and value < minimum:
            self.fail(value, path, f"Member must have value greater than or equal to {minimum}")
        elif maximum is not None and value > maximum:
            self.fail(value, path, f"Member must have value less than or equal to {maximum}")

    def enum(self, value: Any, path: str, allowed: Iterable[str]) -> None:
        if value is None:  # the common case: the member is absent
            return
        allowed = list(allowed)
        if value not in allowed:
            self.fail(value, path, f"Member must satisfy enum value set: [{', '.join(allowed)}]")

    def pattern(self, value: Any, path: str, regex: Any, shown: str) -> None:
        if isinstance(value, str) and not regex.fullmatch(value):
            self.fail(value, path, f"Member must satisfy regular expression pattern: {shown}")

    def check(self) -> None:
        """Raise the collected violations, if any, as one ValidationException."""
        count = len(self.errors)
        if count:
            noun = "error" if count == 1 else "errors"
            raise ValidationException(
                f"{count} validation {noun} detected: " + "; ".join(self.errors)
            )


def table_name(shape: Shape, value: Any, path: str = "tableName") -> None:
    """The TableName constraints shared by every operation."""
    if shape.required(value, path):
        shape.length(value, path, 3, 255)
        shape.pattern(value, path, _TABLE_NAME, "[a-zA-Z0-9_.-]+")


_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
