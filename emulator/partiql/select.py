"""SELECT through the Query/Scan engine: one page per request, NextToken to resume.

A SELECT whose WHERE pins the partition key of what it reads with ``=`` or ``IN`` (in a
top-level AND, or as an OR of equalities) reads only those partitions, in sort-key
order, narrowed by a range on the sort key when one is in the top-level AND: a Query,
O(log n + k) per partition. Anything else is a Scan ("Using the SELECT statement can
result in a full table scan if an equality or IN condition with a partition key is not
provided in the WHERE clause", ql-reference.select.html). Either way the page is read
by :func:`emulator.operations.reads.read_page` (``Limit`` items read, or 1 MB), the whole
WHERE clause filters it (after Limit, as a FilterExpression does) and
:func:`emulator.operations.reads.finish` counts capacity.

NextToken is opaque: the last key read and a fingerprint of the statement and its
parameters, base64 encoded. The projection list names each result attribute after the
last name of its path (``SELECT m.nested`` gives ``{"nested": ...}``: conformance
tier2/partiql/executeStatement, observed on AWS).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Iterator, Optional

from ..errors import ValidationException
from ..expressions import ast
from ..expressions.evaluate import matches
from ..expressions.key_conditions import KeyCondition, SortCondition
from ..expressions.paths import get
from ..operations.reads import ReadTarget, finish, read_page, segment_range
from ..types import Item, key_value, value_type
from . import nodes
from .translate import check_condition, conjuncts, key_equality, split_key

INVALID_NEXT_TOKEN = "Invalid NextToken"
TOKEN_MISMATCH = "NextToken does not match request"
CONSISTENT_READ_ON_GSI = "Strongly consistent read is not supported on Global Secondary Indexes"
ORDER_BY_NEEDS_WHERE = "Must have WHERE clause in the statement when using ORDER BY clause."
ORDER_BY_NEEDS_HASH = ("Must have at least one non-optional hash key condition in WHERE clause when using "
                       "ORDER BY clause.")
ORDER_BY_KEY = "Variable reference {} in ORDER BY clause must be part of the primary key"
_SORT_OPERATORS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


# ---------------------------------------------------------------- projection


def result_name(path: ast.Path) -> str:
    """The attribute a projected path is returned as: its last name."""
    names = [e for e in path.elements if isinstance(e, str)]
    return names[-1] if names else str(path.elements[0])


def projector(paths: Optional[tuple[ast.Path, ...]]) -> Optional[Any]:
    """Item -> projected item (None for ``SELECT *``)."""
    if paths is None:
        return None
    named = [(result_name(path), path.elements) for path in paths]

    def project(item: Item) -> Item:
        result = {}
        for name, elements in named:
            value = get(item, elements)
            if value is not None:
                result[name] = value
        return result

    return project


# ---------------------------------------------------------------- planning


@dataclass
class ReadPlan:
    """How one SELECT reads: the target, the partitions it pins (None: a Scan), the sort
    range, the filter and the projection."""

    target: ReadTarget
    where: Any
    hash_values: Optional[list[dict]] = None
    sort: Optional[SortCondition] = None
    forward: bool = True
    projection: Optional[tuple[ast.Path, ...]] = None
    fetch_table_items: bool = False
    filter_names: set[str] = field(default_factory=set)


def pinned_hash_values(where: Any, name: str, kind: str) -> Optional[list[dict]]:
    """The partition key values a WHERE clause pins, None when it pins none."""
    for part in conjuncts(where) if where is not None else ():
        values = _pinned(part, name)
        if values is not None:
            unique: dict[Any, dict] = {}
            for value in values:
                if value_type(value) == kind:  # another type matches no item
                    unique.setdefault(key_value(value), value)
            return list(unique.values())
    return None


def _pinned(node: Any, name: str) -> Optional[list[dict]]:
    pinned = key_equality(node)
    if pinned is not None:
        return [pinned[1]] if pinned[0] == name else None
    if isinstance(node, ast.In) and isinstance(node.operand, ast.Path) and node.operand.elements == (name,):
        if all(isinstance(choice, ast.Value) for choice in node.choices):
            return [choice.value for choice in node.choices]
        return None
    if isinstance(node, ast.Or):
        left, right = _pinned(node.left, name), _pinned(node.right, name)
        if left is not None and right is not None:
            return left + right
    return None


def sort_range(where: Any, name: Optional[str], kind: Optional[str]) -> Optional[SortCondition]:
    """A range on the sort key from the top-level AND (the filter still checks it)."""
    if where is None or name is None:
        return None
    for part in conjuncts(where):
        condition = _sort_condition(part, name, kind)
        if condition is not None:
            return condition
    return None


def _sort_condition(node: Any, name: str, kind: Optional[str]) -> Optional[SortCondition]:
    def key(operand: Any) -> Any:
        if isinstance(operand, ast.Value) and value_type(operand.value) == kind:
            return key_value(operand.value)
        return None

    def is_key(operand: Any) -> bool:
        return isinstance(operand, ast.Path) and operand.elements == (name,)

    if isinstance(node, ast.Comparison) and node.op in _SORT_OPERATORS:
        if is_key(node.left) and key(node.right) is not None:
            return SortCondition(_SORT_OPERATORS[node.op], (key(node.right),))
        if is_key(node.right) and key(node.left) is not None:
            return SortCondition(_SORT_OPERATORS[_FLIPPED[node.op]], (key(node.left),))
    if isinstance(node, ast.Between) and is_key(node.operand):
        low, high = key(node.low), key(node.high)
        if low is not None and high is not None and low <= high:
            return SortCondition("BETWEEN", (low, high))
    if (isinstance(node, ast.Function) and node.name == "begins_with" and len(node.args) == 2
            and is_key(node.args[0]) and kind in ("S", "B") and key(node.args[1]) is not None):
        return SortCondition("BEGINS_WITH", (key(node.args[1]),))
    return None


def plan(target: ReadTarget, select: nodes.Select) -> ReadPlan:
    """How ``select`` reads ``target``; its WHERE was checked already (translate.
    check_condition, before the table was looked up)."""
    where = select.where
    schema = target.schema
    read = ReadPlan(target, where, projection=select.projection)
    read.hash_values = pinned_hash_values(where, schema.hash_name, schema.hash_type)
    if read.hash_values is not None:
        read.sort = sort_range(where, schema.range_name, schema.range_type)
    _order_by(read, select)
    _check_index(read, select)
    return read


def _order_by(read: ReadPlan, select: nodes.Select) -> None:
    if not select.order_by:
        return
    if select.where is None:
        raise ValidationException(ORDER_BY_NEEDS_WHERE)
    if read.hash_values is None:
        raise ValidationException(ORDER_BY_NEEDS_HASH)
    schema = read.target.schema
    for path, descending in select.order_by:
        name = path.elements[0] if len(path.elements) == 1 else None
        if name not in schema.names:
            raise ValidationException(ORDER_BY_KEY.format(".".join(str(e) for e in path.elements)))
        if name == schema.hash_name:
            read.hash_values.sort(key=lambda v: key_value(v), reverse=descending)
        else:
            read.forward = not descending


def _names(paths: Any) -> set[str]:
    return {str(p.elements[0]) for p in paths}


def _keyed(where: Any, name: str) -> bool:
    """Whether the top-level AND names the partition key with = or IN: DynamoDB's keyed
    index read, by the shape of the condition (an OR of equalities, which the emulator
    still reads as a Query, is not; conformance tier2 partiql indexQualifier)."""
    for part in conjuncts(where):
        pinned = key_equality(part)
        if pinned is not None and pinned[0] == name:
            return True
        if isinstance(part, ast.In) and isinstance(part.operand, ast.Path) and part.operand.elements == (name,):
            return True
    return False


def _check_index(read: ReadPlan, select: nodes.Select) -> None:
    """A keyed index read may only filter on attributes the index holds; unkeyed (a scan
    of the index) such a filter just finds them missing. A GSI read may only project
    attributes it holds, an LSI read fetches the others from the table
    (nubo-db/dynamodb-conformance tier3/error-messages/partiql and tier2 partiql
    indexQualifier, observed on AWS)."""
    index = read.target.index
    if index is None or index.projects_all:
        return
    from ..expressions.resolve import paths as all_paths
    filter_names = _names(all_paths(read.where)) if read.where is not None else set()
    missing = sorted(name for name in filter_names if not index.is_projected(name))
    if missing and _keyed(read.where, read.target.schema.hash_name):
        raise ValidationException("One or more parameter values were invalid: Secondary index "
                                  f"{index.name} does not project one or more filter attributes: "
                                  f"[{', '.join(missing)}]")
    wanted = _names(select.projection) if select.projection is not None else set()
    unprojected = [name for name in dict.fromkeys(str(p.elements[0]) for p in select.projection or ())
                   if not index.is_projected(name)]
    if unprojected and read.target.is_global:
        raise ValidationException("One or more parameter values were invalid: Global secondary index "
                                  f"{index.name} does not project [{', '.join(unprojected)}]")
    read.fetch_table_items = bool(wanted) and bool(unprojected)


# ---------------------------------------------------------------- tokens


def fingerprint(statement: str, parameters: Any) -> str:
    text = json.dumps([statement, parameters], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def encode_token(request_fingerprint: str, key: Item) -> str:
    payload = json.dumps({"f": request_fingerprint, "k": key}, sort_keys=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii")


def decode_token(token: str, request_fingerprint: str) -> Item:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8"))
        token_fingerprint, key = payload["f"], payload["k"]
    except (ValueError, TypeError, KeyError, UnicodeError):
        raise ValidationException(INVALID_NEXT_TOKEN) from None
    if token_fingerprint != request_fingerprint or not isinstance(key, dict):
        raise ValidationException(TOKEN_MISMATCH)
    return key


# ---------------------------------------------------------------- execution


def execute(read: ReadPlan, *, limit: Optional[int], consistent: bool, capacity_mode: Any,
            start_key: Optional[Item]) -> tuple[dict, Optional[Item]]:
    """One page: the response (Items, ConsumedCapacity) and the key to resume after."""
    target = read.target
    if target.index is not None and consistent and not target.consistent_read_allowed:
        raise ValidationException(CONSISTENT_READ_ON_GSI)
    start = None
    if start_key is not None:
        try:
            start = target.start_position(start_key)
        except (ValidationException, KeyError, TypeError, AssertionError):
            raise ValidationException(INVALID_NEXT_TOKEN) from None
    page = read_page(_items(read, start), limit)
    where = read.where
    response = finish(
        target, page, select="ALL_ATTRIBUTES",
        item_filter=(lambda item: matches(where, item)) if where is not None else None,
        projector=projector(read.projection),
        fetch_table_items=read.fetch_table_items, consistent=consistent, capacity_mode=capacity_mode,
    )
    result: dict[str, Any] = {"Items": response["Items"]}
    if "ConsumedCapacity" in response:
        result["ConsumedCapacity"] = response["ConsumedCapacity"]
    return result, response.get("LastEvaluatedKey")


def _items(read: ReadPlan, start: Optional[tuple[Any, Any]]) -> Iterator[Item]:
    target = read.target
    if read.hash_values is None:
        return target.scan_items(start, segment_range(0, 1))
    values = [key_value(v) for v in read.hash_values]
    first = 0
    if start is not None:
        first = values.index(start[0]) if start[0] in values else len(values)
    parts = []
    for position in range(first, len(values)):
        condition = KeyCondition(values[position], read.sort)
        resume = start if position == first and start is not None else None
        if resume is not None and target.index is None and target.schema.range_name is None:
            continue  # the partition of a hash-only table is the one item already read
        parts.append(target.query_items(condition, read.forward, resume))
    return chain.from_iterable(parts)


def single_item_key(target: ReadTarget, select: nodes.Select, message: str) -> Item:
    """The key of a SELECT that must read exactly one item by its full primary key and
    nothing else (BatchExecuteStatement, ExecuteTransaction)."""
    if select.where is None:
        raise ValidationException(message)
    check_condition(select.where)
    try:
        key, rest = split_key(select.where, target.table.schema)
    except ValidationException:
        raise ValidationException(message) from None
    if rest is not None:
        raise ValidationException(message)
    return key
