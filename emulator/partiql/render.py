"""Bound expression AST -> expression text with ``#n``/``:v`` placeholders.

PartiQL writes are sent through the low-level write operations (PutItem, UpdateItem,
DeleteItem, TransactWriteItems), so their conditions and updates are rendered as the
ConditionExpression/UpdateExpression a client would write. Every attribute name becomes
an ExpressionAttributeNames placeholder (so reserved words and any characters are fine)
and every value an ExpressionAttributeValues placeholder; the text is unambiguous
because every compound condition is parenthesised.
"""

from __future__ import annotations

from typing import Any

from ..expressions import ast


class Renderer:
    """Collects the placeholders of the expressions of one request."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, dict] = {}
        self._name_keys: dict[str, str] = {}

    def members(self) -> dict[str, Any]:
        """ExpressionAttributeNames/Values for the request (only those used)."""
        result: dict[str, Any] = {}
        if self.names:
            result["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            result["ExpressionAttributeValues"] = dict(self.values)
        return result

    # ------------------------------------------------------------ pieces

    def name(self, name: str) -> str:
        key = self._name_keys.get(name)
        if key is None:
            key = self._name_keys[name] = f"#n{len(self._name_keys)}"
            self.names[key] = name
        return key

    def path(self, path: ast.Path) -> str:
        text = ""
        for element in path.elements:
            if isinstance(element, int):
                text += f"[{element}]"
            else:
                text += ("." if text else "") + self.name(str(element))
        return text

    def value(self, value: dict) -> str:
        key = f":v{len(self.values)}"
        self.values[key] = value
        return key

    def operand(self, node: Any) -> str:
        if isinstance(node, ast.Path):
            return self.path(node)
        if isinstance(node, ast.Value):
            return self.value(node.value)
        if isinstance(node, ast.Size):
            return f"size({self.operand(node.operand)})"
        if isinstance(node, ast.Function):
            return f"{node.name}({', '.join(self.operand(arg) for arg in node.args)})"
        if isinstance(node, ast.Arithmetic):
            return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
        raise AssertionError(f"not an operand: {node!r}")  # pragma: no cover - checked before

    # ------------------------------------------------------------ expressions

    def condition(self, node: Any) -> str:
        if isinstance(node, ast.And):
            return f"({self.condition(node.left)}) AND ({self.condition(node.right)})"
        if isinstance(node, ast.Or):
            return f"({self.condition(node.left)}) OR ({self.condition(node.right)})"
        if isinstance(node, ast.Not):
            return f"NOT ({self.condition(node.operand)})"
        if isinstance(node, ast.Comparison):
            return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
        if isinstance(node, ast.Between):
            return (f"{self.operand(node.operand)} BETWEEN {self.operand(node.low)} "
                    f"AND {self.operand(node.high)}")
        if isinstance(node, ast.In):
            choices = ", ".join(self.operand(choice) for choice in node.choices)
            return f"{self.operand(node.operand)} IN ({choices})"
        return self.operand(node)  # a condition function

    def update(self, expression: ast.UpdateExpression) -> str:
        groups: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        for action in expression.actions:
            if isinstance(action, ast.SetAction):
                groups["SET"].append(f"{self.path(action.path)} = {self.operand(action.value)}")
            elif isinstance(action, ast.RemoveAction):
                groups["REMOVE"].append(self.path(action.path))
            elif isinstance(action, ast.AddAction):
                groups["ADD"].append(f"{self.path(action.path)} {self.operand(action.value)}")
            else:
                groups["DELETE"].append(f"{self.path(action.path)} {self.operand(action.value)}")
        return " ".join(f"{clause} {', '.join(parts)}" for clause, parts in groups.items() if parts)
