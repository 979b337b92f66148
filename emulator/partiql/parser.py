"""PartiQL statement text -> :mod:`.nodes` AST; the grammar is loaded once, parses are cached.

This is the only PartiQL module that knows about Lark. Syntax errors become DynamoDB's
``Statement wasn't well formed, can't be processed: <detail>``; the detail for a text
that does not start a statement is "Expected data manipulation" (conformance suite,
nubo-db/dynamodb-conformance tier2/partiql/batchExecuteStatement, observed on AWS
eu-west-2). The other details ("Unexpected keyword", "Unexpected token", "Unexpected
end of statement", "Invalid character") are the closest documented wording, not
verified against AWS.

Literal values are built here, with DynamoDB's rules: numbers through
``types.normalize_number`` (38 digits, range), sets of strings or numbers only
(DynamoDB Local's message catalog, ``ddb.partiql.shared.exceptions``). Lists, maps and
sets without ``?`` are folded into one ``ast.Value``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from ..errors import ValidationException
from ..expressions import ast
from ..types import normalize_number
from . import nodes

NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "
EMPTY_BAG = "Empty bags are not supported"
BAG_TYPES = "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"
BAG_DUPLICATES = "Input collection contains duplicates"
TUPLE_KEYS = "Tuple keys must be of type String"
DUPLICATE_TUPLE_KEY = "Duplicate keys in tuple. Key: {}"
_STATEMENT_KEYWORDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "EXISTS")
_KEYWORDS = frozenset({
    "SELECT", "FROM", "WHERE", "ORDER", "BY", "ASC", "DESC", "INSERT", "INTO", "VALUE", "UPDATE", "SET",
    "REMOVE", "DELETE", "RETURNING", "ALL", "MODIFIED", "OLD", "NEW", "EXISTS", "AND", "OR", "NOT",
    "BETWEEN", "IN", "IS", "MISSING", "NULL", "TRUE", "FALSE",
})


def malformed(detail: str) -> ValidationException:
    return ValidationException(NOT_WELL_FORMED + detail)


# ---------------------------------------------------------------- tree -> AST


def _unquote_name(token: Token) -> str:
    text = str(token)
    if token.type == "QUOTED_NAME":
        return text[1:-1].replace('""', '"')
    return text


def _value(node: Any) -> Any:
    """The wire value of a folded literal, or None when ``node`` is not one."""
    return node.value if isinstance(node, ast.Value) else None


class _ToAst(Transformer):
    """Builds :mod:`.nodes` / :mod:`emulator.expressions.ast`; one instance per parse,
    since it numbers the ``?`` parameters in text order."""

    def __init__(self) -> None:
        super().__init__()
        self.parameters = 0

    # statements

    def start(self, children: list) -> Any:
        return children[0]

    def select(self, children: list) -> nodes.Select:
        _, projection, _, source, *rest = children
        where = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "WHERE"), None)
        order = next((c[1] for c in rest if isinstance(c, tuple) and c[0] == "ORDER"), ())
        return nodes.Select(projection, source, where, order)

    def projection(self, children: list) -> Any:
        if len(children) == 1 and isinstance(children[0], Token):
            return None  # *
        return tuple(children)

    def source(self, children: list) -> nodes.Source:
        return nodes.Source(tuple(children))

    def where(self, children: list) -> tuple:
        return ("WHERE", children[1])

    def order_by(self, children: list) -> tuple:
        return ("ORDER", tuple(children[2:]))

    def order_item(self, children: list) -> tuple:
        descending = len(children) > 1 and str(children[1]).upper() == "DESC"
        return (children[0], descending)

    def insert(self, children: list) -> nodes.Insert:
        return nodes.Insert(children[2], children[4])

    def update(self, children: list) -> nodes.Update:
        source = children[1]
        actions: list = []
        where = returning = None
        for child in children[2:]:
            if isinstance(child, list):
                actions.extend(child)
            elif isinstance(child, tuple) and child[0] == "WHERE":
                where = child[1]
            elif isinstance(child, tuple) and child[0] == "RETURNING":
                returning = child[1]
        return nodes.Update(source, tuple(actions), where, returning)

    def set_clause(self, children: list) -> list:
        return [("SET", path, value) for path, value in children[1:]]

    def remove_clause(self, children: list) -> list:
        return [("REMOVE", path, None) for path in children[1:]]

    def set_item(self, children: list) -> tuple:
        return (children[0], children[2])

    def delete(self, children: list) -> nodes.Delete:
        where = next((c[1] for c in children[3:] if c[0] == "WHERE"), None)
        returning = next((c[1] for c in children[3:] if c[0] == "RETURNING"), None)
        return nodes.Delete(children[2], where, returning)

    def returning(self, children: list) -> tuple:
        return ("RETURNING", f"{str(children[1]).upper()} {str(children[2]).upper()}")

    def exists_statement(self, children: list) -> nodes.Exists:
        return nodes.Exists(children[1])

    # conditions

    def or_op(self, children: list) -> ast.Or:
        return ast.Or(children[0], children[2])

    def and_op(self, children: list) -> ast.And:
        return ast.And(children[0], children[2])

    def not_op(self, children: list) -> ast.Not:
        return ast.Not(children[1])

    def comparison(self, children: list) -> ast.Comparison:
        left, op, right = children
        return ast.Comparison("<>" if op == "!=" else op, left, right)

    def comparator(self, children: list) -> str:
        return str(children[0])

    def between(self, children: list) -> ast.Between:
        operand, _, low, _, high = children
        return ast.Between(operand, low, high)

    def not_between(self, children: list) -> ast.Not:
        operand, _, _, low, _, high = children
        return ast.Not(ast.Between(operand, low, high))

    def in_(self, children: list) -> ast.In:
        return ast.In(children[0], self._choices(children[2:]))

    def not_in(self, children: list) -> ast.Not:
        return ast.Not(ast.In(children[0], self._choices(children[3:])))

    @staticmethod
    def _choices(rest: list) -> tuple:
        if len(rest) == 1:
            literal = rest[0]
            if isinstance(literal, nodes.ListLiteral):
                return literal.items
            if isinstance(literal, ast.Value) and "L" in literal.value:
                return tuple(ast.Value(v) for v in literal.value["L"])
        return tuple(rest)

    def is_(self, children: list) -> nodes.IsType:
        return nodes.IsType(children[0], children[2], False)

    def is_not(self, children: list) -> nodes.IsType:
        return nodes.IsType(children[0], children[3], True)

    def is_target(self, children: list) -> str:
        return str(children[0]).upper()

    def arithmetic(self, children: list) -> ast.Arithmetic:
        left, op, right = children
        return ast.Arithmetic(str(op), left, right)

    def negate(self, children: list) -> Any:
        operand = children[1]
        value = _value(operand)
        if value is not None and "N" in value:
            return ast.Value({"N": normalize_number("-" + value["N"])})
        return nodes.Negate(operand)

    def exists_function(self, children: list) -> ast.Function:
        return ast.Function("attribute_exists", (children[1],))

    def paren(self, children: list) -> Any:
        return children[0]

    def function(self, children: list) -> Any:
        name, args = str(children[0]).lower(), tuple(children[1:])
        if name == "size" and len(args) == 1:
            return ast.Size(args[0])
        return ast.Function(name, args)

    def path(self, children: list) -> ast.Path:
        elements: list = [children[0]]
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "NUMBER":
                if not str(child).isdigit():
                    raise malformed("Unexpected token")
                elements.append(int(str(child)))
            elif isinstance(child, Token) and child.type == "STRING":
                elements.append(str(child)[1:-1].replace("''", "'"))
            else:
                elements.append(child)
        return ast.Path(tuple(elements))

    def name(self, children: list) -> str:
        return _unquote_name(children[0])

    # literals

    def string(self, children: list) -> ast.Value:
        return ast.Value({"S": str(children[0])[1:-1].replace("''", "'")})

    def number(self, children: list) -> ast.Value:
        return ast.Value({"N": normalize_number(str(children[0]))})

    def true(self, children: list) -> ast.Value:
        return ast.Value({"BOOL": True})

    def false(self, children: list) -> ast.Value:
        return ast.Value({"BOOL": False})

    def null(self, children: list) -> ast.Value:
        return ast.Value({"NULL": True})

    def missing(self, children: list) -> nodes.Missing:
        return nodes.Missing()

    def param(self, children: list) -> nodes.Param:
        index = self.parameters
        self.parameters += 1
        return nodes.Param(index)

    def list(self, children: list) -> Any:
        if all(isinstance(c, ast.Value) for c in children):
            return ast.Value({"L": [c.value for c in children]})
        return nodes.ListLiteral(tuple(children))

    def map(self, children: list) -> Any:
        pairs = tuple(children)
        if all(isinstance(k, ast.Value) and isinstance(v, ast.Value) for k, v in pairs):
            return ast.Value(map_value([(k.value, v.value) for k, v in pairs]))
        return nodes.MapLiteral(pairs)

    def pair(self, children: list) -> tuple:
        return (children[0], children[1])

    def bag(self, children: list) -> Any:
        if all(isinstance(c, ast.Value) for c in children):
            return ast.Value(bag_value([c.value for c in children]))
        return nodes.BagLiteral(tuple(children))


def map_value(pairs: list[tuple[dict, dict]]) -> dict:
    """``{'k': v, ...}`` as an M value: keys must be strings and distinct."""
    members: dict = {}
    for key, value in pairs:
        if "S" not in key:
            raise ValidationException(TUPLE_KEYS)
        if key["S"] in members:
            raise ValidationException(DUPLICATE_TUPLE_KEY.format(key["S"]))
        members[key["S"]] = value
    return {"M": members}


def bag_value(values: list[dict]) -> dict:
    """``<<...>>`` as an SS or NS: not empty, one type, S or N only, no duplicates."""
    if not values:
        raise ValidationException(EMPTY_BAG)
    kinds = {next(iter(v)) for v in values}
    if len(kinds) != 1 or not kinds <= {"S", "N"}:
        raise ValidationException(BAG_TYPES)
    (kind,) = kinds
    members = [v[kind] for v in values]
    keys = [m if kind == "S" else normalize_number(m) for m in members]
    if len(set(keys)) != len(keys):
        raise ValidationException(BAG_DUPLICATES)
    return {kind + "S": members}


# ---------------------------------------------------------------- entry point


@lru_cache(maxsize=None)
def _parser() -> Lark:
    # cache=True stores the analysed LALR tables in the temp directory (faster start-up).
    return Lark.open_from_package(
        "grammar", "partiql.lark", ("",), parser="lalr", lexer="basic",
        propagate_positions=False, maybe_placeholders=False, cache=True,
    )


def _syntax_error(text: str, error: UnexpectedInput) -> ValidationException:
    first = text.lstrip().split(None, 1)[0].upper() if text.strip() else ""
    first = first.split("(", 1)[0]
    if first not in _STATEMENT_KEYWORDS:
        return malformed("Expected data manipulation")
    if isinstance(error, UnexpectedCharacters):
        return malformed("Invalid character")
    if isinstance(error, UnexpectedEOF):
        return malformed("Unexpected end of statement")
    if isinstance(error, UnexpectedToken):
        if error.token.type == "$END":
            return malformed("Unexpected end of statement")
        if error.token.type in _KEYWORDS:
            return malformed("Unexpected keyword")
    return malformed("Unexpected token")


@lru_cache(maxsize=4096)
def parse(text: str) -> nodes.Parsed:
    """Parse one statement; raises ValidationException on syntax errors. The result
    holds no request data (parameters stay ``Param`` nodes), so it is cached by text."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    builder = _ToAst()
    try:
        statement = builder.transform(tree)
    except VisitError as error:  # a literal broke a value rule (number range, set type, ...)
        raise error.orig_exc from None
    return nodes.Parsed(statement, builder.parameters)
