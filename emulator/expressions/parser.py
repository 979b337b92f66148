"""Expression text -> AST: the grammars are loaded once, parses are cached by text.

This module is the only place that knows about Lark. It turns Lark's exceptions into
DynamoDB's syntax message::

    Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"

``token`` is the offending token as DynamoDB's lexer cuts it (``<EOF>`` at the end) and
``near`` is the text from the start of the token before it to the end of the token
after it (conformance suite tier3/error-messages; reported responses such as
``token: ":", near: "hits : incr"`` for ``ADD hits : incr``, ``token: "<EOF>",
near: "foo"`` for the condition ``foo`` and ``near: ")"`` for ``NOT (#attr0)``).

Conditions and operands share one LALR rule set (see grammar/condition.lark), so the
structural rules "a bare path is not a condition" and "a condition is not an operand"
are enforced here, after the tree is built, with the syntax error DynamoDB's own parser
reports at that spot.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import Any, NamedTuple

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..errors import ValidationException
from . import ast

#: Expression kinds (the request member names used in messages) -> grammar file.
GRAMMARS = {
    "ConditionExpression": "condition.lark",
    "FilterExpression": "condition.lark",
    "KeyConditionExpression": "key_condition.lark",
    "UpdateExpression": "update.lark",
    "ProjectionExpression": "projection.lark",
}
CONDITION_KINDS = ("ConditionExpression", "FilterExpression", "KeyConditionExpression")

# DynamoDB's tokens, as far as its messages reveal them: names start with a letter,
# placeholders with # or :, digits form one token, <> <= >= are one token, and any other
# character stands alone ("_123" is the two tokens "_" and "123").
_TOKEN = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*|[#:][a-zA-Z0-9_]+|[0-9]+|<>|<=|>=|\S")


class _Tok(NamedTuple):
    start: int
    end: int


def invalid(kind: str, detail: str) -> ValidationException:
    return ValidationException(f"Invalid {kind}: {detail}")


def syntax_error(kind: str, text: str, pos: int | None) -> ValidationException:
    """DynamoDB's syntax error for the token at character ``pos`` (None: end of input)."""
    tokens = [_Tok(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    index = len(tokens)
    if pos is not None:
        index = next((i for i, t in enumerate(tokens) if t.end > pos), len(tokens))
    if index >= len(tokens):
        near = text[tokens[-1].start:] if tokens else ""
        return invalid(kind, f'Syntax error; token: "<EOF>", near: "{near}"')
    token = tokens[index]
    start = tokens[index - 1].start if index > 0 else token.start
    end = tokens[index + 1].end if index + 1 < len(tokens) else token.end
    return invalid(kind, f'Syntax error; token: "{text[token.start:token.end]}", near: "{text[start:end]}"')


# ---------------------------------------------------------------- tree -> AST


def _base(name: str) -> str:
    """Rule and token names lose the namespace Lark gives imported grammars."""
    return name.rsplit("__", 1)[-1]


def _span(meta: Any) -> dict[str, int]:
    if getattr(meta, "empty", True):
        return {}
    return {"pos": meta.start_pos, "end": meta.end_pos}


class _ToAst(Transformer):
    """Builds :mod:`ast` nodes. Callbacks are looked up by the un-namespaced rule name."""

    def __default__(self, data: Any, children: list, meta: Any) -> Any:
        handler = getattr(self, "_" + _base(str(data)), None)
        if handler is None:  # pragma: no cover - every rule has a handler
            raise AssertionError(f"no AST builder for rule {data}")
        return handler(children, meta)

    def _start(self, children: list, meta: Any) -> Any:
        return children

    def _name(self, children: list, meta: Any) -> str:
        return str(children[0])

    def _name_ref(self, children: list, meta: Any) -> ast.NameRef:
        return ast.NameRef(str(children[0]))

    def _path(self, children: list, meta: Any) -> ast.Path:
        elements = tuple(int(c) if isinstance(c, Token) else c for c in children)
        return ast.Path(elements, **_span(meta))

    def _value_ref(self, children: list, meta: Any) -> ast.ValueRef:
        return ast.ValueRef(str(children[0]), **_span(meta))

    def _function(self, children: list, meta: Any) -> Any:
        name, args = str(children[0]), tuple(children[1:])
        if name == "size" and len(args) == 1:
            return ast.Size(args[0], **_span(meta))
        return ast.Function(name, args, **_span(meta))

    def _paren(self, children: list, meta: Any) -> Any:
        inner = children[0]
        return dataclasses.replace(inner, parens=inner.parens + 1, **_span(meta))

    def _comparison(self, children: list, meta: Any) -> ast.Comparison:
        left, op, right = children
        return ast.Comparison(str(op), left, right, op_pos=op.start_pos, **_span(meta))

    def _between(self, children: list, meta: Any) -> ast.Between:
        operand, keyword, low, _and, high = children
        return ast.Between(operand, low, high, op_pos=keyword.start_pos, **_span(meta))

    def _in_(self, children: list, meta: Any) -> ast.In:
        operand, keyword, *choices = children
        return ast.In(operand, tuple(choices), op_pos=keyword.start_pos, **_span(meta))

    def _and_op(self, children: list, meta: Any) -> ast.And:
        left, keyword, right = children
        return ast.And(left, right, op_pos=keyword.start_pos, **_span(meta))

    def _or_op(self, children: list, meta: Any) -> ast.Or:
        left, keyword, right = children
        return ast.Or(left, right, op_pos=keyword.start_pos, **_span(meta))

    def _not_op(self, children: list, meta: Any) -> ast.Not:
        keyword, operand = children
        return ast.Not(operand, op_pos=keyword.start_pos, **_span(meta))

    # update expressions

    def _set_clause(self, children: list, meta: Any) -> tuple[str, list]:
        return ("SET", children[1:])

    def _remove_clause(self, children: list, meta: Any) -> tuple[str, list]:
        return ("REMOVE", [ast.RemoveAction(path) for path in children[1:]])

    def _add_clause(self, children: list, meta: Any) -> tuple[str, list]:
        return ("ADD", [ast.AddAction(*pair) for pair in children[1:]])

    def _delete_clause(self, children: list, meta: Any) -> tuple[str, list]:
        return ("DELETE", [ast.DeleteAction(*pair) for pair in children[1:]])

    def _set_action(self, children: list, meta: Any) -> ast.SetAction:
        return ast.SetAction(children[0], children[1])

    def _add_action(self, children: list, meta: Any) -> tuple:
        return (children[0], children[1])

    def _arithmetic(self, children: list, meta: Any) -> ast.Arithmetic:
        left, op, right = children
        return ast.Arithmetic(str(op), left, right)


_TO_AST = _ToAst()


# ---------------------------------------------------------------- structure checks

_OPERAND_TYPES = (ast.Path, ast.ValueRef, ast.Value, ast.Size, ast.Function)


def _require_condition(node: Any, kind: str, text: str) -> None:
    """A condition must not be a bare operand: DynamoDB's parser fails on the token
    right after it (``foo`` -> token ``<EOF>``; ``(a) AND b = c`` -> token ``AND``)."""
    if isinstance(node, (ast.And, ast.Or)):
        _require_condition(node.left, kind, text)
        _require_condition(node.right, kind, text)
    elif isinstance(node, ast.Not):
        _require_condition(node.operand, kind, text)
    elif isinstance(node, ast.Comparison):
        _require_operand(node.left, kind, text, first=True)
        _require_operand(node.right, kind, text)
    elif isinstance(node, ast.Between):
        _require_operand(node.operand, kind, text, first=True)
        _require_operand(node.low, kind, text)
        _require_operand(node.high, kind, text)
    elif isinstance(node, ast.In):
        _require_operand(node.operand, kind, text, first=True)
        for choice in node.choices:
            _require_operand(choice, kind, text)
    elif isinstance(node, (ast.Function, ast.Size)):
        for arg in _args(node):
            _require_operand(arg, kind, text)
    else:
        raise syntax_error(kind, text, _after(node, text))


def _require_operand(node: Any, kind: str, text: str, first: bool = False) -> None:
    """An operand must not be a condition. As the left operand, a parenthesised
    condition parses and the error falls on the operator after it; elsewhere DynamoDB
    fails where the text stops being an operand."""
    if isinstance(node, (ast.Function, ast.Size)):
        for arg in _args(node):
            _require_operand(arg, kind, text)
        return
    if isinstance(node, _OPERAND_TYPES):
        return
    raise syntax_error(kind, text, _after(node, text) if first else _first_bad(node))


def _args(node: Any) -> tuple:
    return (node.operand,) if isinstance(node, ast.Size) else node.args


def _after(node: Any, text: str) -> int | None:
    return node.end if 0 <= node.end < len(text) else None


def _first_bad(node: Any) -> int:
    """Where a condition standing as an operand stops being an operand: at its first
    operator whose left side is an operand (``a = (b AND c)``: at ``AND``)."""
    if isinstance(node, ast.Not):
        return node.op_pos
    left = node.left if isinstance(node, (ast.Comparison, ast.And, ast.Or)) else node.operand
    if isinstance(left, ast.CONDITION_TYPES):
        return _first_bad(left)
    return node.op_pos


# ---------------------------------------------------------------- entry points


@lru_cache(maxsize=None)
def _parser(grammar: str) -> Lark:
    # cache=True stores the analysed LALR tables in the temp directory (2-3x faster
    # start-up); Lark keys the cache on the grammar text and options.
    return Lark.open_from_package(
        "grammar", grammar, ("",), parser="lalr", lexer="basic",
        propagate_positions=True, maybe_placeholders=False, cache=True,
    )


def _lark_parse(kind: str, text: str) -> Any:
    try:
        tree = _parser(GRAMMARS[kind]).parse(text)
    except UnexpectedToken as error:
        token = error.token
        at_end = token.type == "$END" or token.start_pos is None
        raise syntax_error(kind, text, None if at_end else token.start_pos) from None
    except UnexpectedCharacters as error:
        raise syntax_error(kind, text, error.pos_in_stream) from None
    except UnexpectedEOF:
        raise syntax_error(kind, text, None) from None
    except UnexpectedInput:  # pragma: no cover - the three above are all Lark raises
        raise syntax_error(kind, text, None) from None
    return _TO_AST.transform(tree)


@lru_cache(maxsize=4096)
def parse(kind: str, text: str) -> Any:
    """Parse one expression of ``kind`` (see :data:`GRAMMARS`); the result is cached.

    Returns the unresolved AST: a condition node, an :class:`ast.UpdateExpression` or
    an :class:`ast.ProjectionExpression`. Raises ValidationException on syntax errors.
    """
    children = _lark_parse(kind, text)
    if kind in CONDITION_KINDS:
        (root,) = children
        _require_condition(root, kind, text)
        return root
    if kind == "ProjectionExpression":
        return ast.ProjectionExpression(tuple(children))
    clauses = tuple(name for name, _ in children)
    actions = tuple(action for _, group in children for action in group)
    return ast.UpdateExpression(actions, clauses)
