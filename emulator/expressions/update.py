"""Applying a bound UpdateExpression to an item, building a new item.

DynamoDB's semantics (Developer Guide, "Using update expressions"; ScyllaDB
Alternator's test_update_expression.py, run against DynamoDB; dynalite):

* every SET value is computed from the item as it was before the update, so
  ``SET a = b, b = a`` swaps and ``REMOVE a SET b = a`` copies the old ``a``;
* list indexes refer to positions in the original list: ``REMOVE a[1] SET a[3] = :v``
  replaces the old fourth element; SET past the end of a list appends;
* ADD creates a missing number (as if added to 0) or set; DELETE of the last members
  of a set removes the attribute; REMOVE of something absent does nothing;
* a nested path whose parent is missing or of the wrong kind is an error.

Runtime errors carry DynamoDB's bare messages (no "Invalid UpdateExpression:" prefix).
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any, Iterable

from ..errors import ValidationException
from ..types import (
    INVALID, AttributeValue, Item, SizedItem, attribute_size, attributes_size, normalize_number, value_size,
)
from . import ast
from .paths import get

MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item"
WRONG_DATA_TYPE = "An operand in the update expression has an incorrect data type"
INVALID_PATH = "The document path provided in the update expression is invalid for update"

# Wide enough that the sum of any two valid numbers (38 digits, exponents -130..125) is
# exact; DynamoDB's range and precision rules are then applied to the exact result.
_EXACT = Context(prec=400, Emax=999999, Emin=-999999)


# UpdateItem (the operation alone; not a transaction's Update, not PartiQL's UPDATE) also
# measures what the statement writes: the attributes it writes, as they end up, plus a
# cost for the statement, must fit in 400 KB beside the finished item itself. The costs
# are conformance tier3/limits/itemSizeBySurface's bisections on AWS (eu-west-2,
# 2026-08-18/19): 3 bytes, plus 19 per SET or ADD action and 2 per REMOVE or DELETE,
# whatever the names, aliases or values; a list index in the path costs one more.
STATEMENT_COST = 3
WRITE_ACTION_COST = 19
REMOVE_ACTION_COST = 2


def key_update_message(name: str) -> str:
    return INVALID + f"Cannot update attribute {name}. This attribute is part of the key"


class Update:
    """A bound UpdateExpression, ready to apply to items."""

    __slots__ = ("expression", "paths", "top_level_names", "statement_cost", "_plain_sets")

    def __init__(self, expression: ast.UpdateExpression) -> None:
        # One pass over the actions: an update is made for every request with new values.
        self.expression = expression
        paths = []
        cost = STATEMENT_COST
        # Most updates only SET top-level attributes (counters, list_append, new
        # values): no nested copies, no ordering of writes, no removals. Their
        # (attribute, value node) pairs, or None for any other update.
        plain_sets: list[tuple[str, Any, int | None]] | None = []
        for action in expression.actions:
            elements = action.path.elements
            paths.append(elements)
            kind = type(action)
            cost += REMOVE_ACTION_COST if kind is ast.RemoveAction or kind is ast.DeleteAction else WRITE_ACTION_COST
            if len(elements) > 1:
                cost += sum(1 for element in elements if type(element) is int)
                plain_sets = None
            elif plain_sets is not None:
                if kind is ast.SetAction:
                    plain_sets.append((elements[0], action.value, _kept_operand(elements[0], action.value)))
                else:
                    plain_sets = None
        #: The document paths the update writes (tuples of str/int), in text order.
        self.paths: tuple[tuple, ...] = tuple(paths)
        #: The top-level attributes the update writes.
        self.top_level_names: set[str] = {elements[0] for elements in paths}
        #: What UpdateItem charges for the statement itself (see STATEMENT_COST).
        self.statement_cost = cost
        self._plain_sets: tuple[tuple[str, Any, int | None], ...] | None = (
            None if plain_sets is None else tuple(plain_sets))

    def written_size(self, item: Item) -> int:
        """Bytes of the top-level attributes this update writes, as ``item`` (the
        finished item) holds them, plus the statement's cost."""
        return self.statement_cost + attributes_size(item, self.top_level_names)

    def check_keys(self, key_names: Iterable[str]) -> None:
        """Key attributes cannot be written, not even below them (``a.b`` for key ``a``)."""
        keys = set(key_names)
        for elements in self.paths:
            if elements[0] in keys:
                raise ValidationException(key_update_message(elements[0]))

    def apply(self, item: Item) -> SizedItem:
        """The item after the update (``item`` itself is left untouched), carrying its
        size (measured from ``item``'s own size when it has one)."""
        plain_sets = self._plain_sets
        if plain_sets is not None:
            return _apply_plain_sets(plain_sets, item)
        actions = self.expression.actions
        values = [_value(a.value, item) if isinstance(a, ast.SetAction) else None for a in actions]
        draft = _Draft(item)
        writes = [(a, v) for a, v in zip(actions, values) if not isinstance(a, ast.RemoveAction)]
        for action, value in sorted(writes, key=lambda pair: _order(pair[0].path.elements)):
            _WRITERS[type(action)](draft, action, value)
        removes = [a for a in actions if isinstance(a, ast.RemoveAction)]
        for action in sorted(removes, key=lambda a: _order(a.path.elements), reverse=True):
            draft.remove(action.path.elements)
        return draft.finished(item)


def _kept_operand(name: str, node: Any) -> int | None:
    """Which operand of ``SET name = list_append(x, y)`` is the attribute's own list
    (``name`` itself, or ``if_not_exists(name, ...)``): 0 for an append, 1 for a prepend,
    None for any other value."""
    if type(node) is not ast.Function or node.name != "list_append":
        return None
    for position, operand in enumerate(node.args):
        if type(operand) is ast.Function and operand.name == "if_not_exists":
            operand = operand.args[0]
        if type(operand) is ast.Path and operand.elements == (name,):
            return position
    return None


def _apply_plain_sets(plain_sets: tuple[tuple[str, Any, int | None], ...], item: Item) -> SizedItem:
    """An update of top-level SETs only. Values are read from ``item``, writes go to the
    copy: every SET value is the one computed from the item as it was (paths never
    overlap).

    Appending to a list measures only what was added: the item's size grows by one byte
    and the size of each new element, so an append costs the same whether the list holds
    ten elements or ten thousand (measuring the old and the new list walked both, in
    Python, where the new list itself is one copy in C).
    """
    new = SizedItem(item)
    if type(item) is not SizedItem:
        for name, node, _ in plain_sets:
            new[name] = _value(node, item)
        return _measured(new)
    size: int = item.size  # type: ignore[attr-defined]
    for name, node, kept in plain_sets:
        value = new[name] = _value(node, item)
        old = item.get(name)
        if old is value:
            continue
        if kept is not None and old is not None:
            # The kept operand evaluated to ``old`` (the attribute exists), a list, or
            # list_append would have refused it.
            elements = value["L"]
            added = len(elements) - len(old["L"])
            if added:  # 1 byte and the size of each element added: the list's own 3 are there
                size += value_size({"L": elements[-added:] if kept == 0 else elements[:added]}) - 3
            continue
        if old is None:
            size += attribute_size(name, value)
        else:  # the name was counted already
            size += value_size(value) - value_size(old)
    new.size = size  # type: ignore[attr-defined]
    return new


def _measured(item: SizedItem) -> SizedItem:
    """``item`` carrying its size, measured whole (the item it was made from carried
    none, as a hand-built one in a test)."""
    item.size = attributes_size(item, item)  # type: ignore[attr-defined]
    return item


def _order(elements: tuple) -> tuple:
    """Sort key: list indexes ascending, so appends past the end keep index order, and
    (reversed) removals run from the back so earlier indexes stay valid."""
    return tuple((1, e) if isinstance(e, int) else (0, e) for e in elements)


# ---------------------------------------------------------------- SET values


def _value(node: Any, item: Item) -> AttributeValue:
    return _VALUES[type(node)](node, item)  # type: ignore[no-any-return]


def _literal(node: ast.Value, item: Item) -> AttributeValue:
    return node.value


def _read(node: ast.Path, item: Item) -> AttributeValue:
    value = get(item, node.elements)
    if value is None:
        raise ValidationException(MISSING_ATTRIBUTE)
    return value


def _function(node: ast.Function, item: Item) -> AttributeValue:
    if node.name == "if_not_exists":
        existing = get(item, node.args[0].elements)
        return existing if existing is not None else _value(node.args[1], item)
    first = _value(node.args[0], item)  # list_append
    second = _value(node.args[1], item)
    if "L" not in first or "L" not in second:
        raise ValidationException(WRONG_DATA_TYPE)
    return {"L": first["L"] + second["L"]}


def _arithmetic(node: ast.Arithmetic, item: Item) -> AttributeValue:
    left, right = _value(node.left, item), _value(node.right, item)
    if "N" not in left or "N" not in right:
        raise ValidationException(WRONG_DATA_TYPE)
    return {"N": add_numbers(left["N"], right["N"], negate=node.op == "-")}


_VALUES: dict[type, Any] = {
    ast.Value: _literal, ast.Path: _read, ast.Arithmetic: _arithmetic, ast.Function: _function,
}


def add_numbers(a: str, b: str, negate: bool = False) -> str:
    """Exact sum (or difference) of two DynamoDB numbers, with DynamoDB's range and
    38-digit precision checks (emulator.types)."""
    if len(a) < 19 and len(b) < 19 and _is_integer(a) and _is_integer(b):
        # Counters: integers whose sum has at most 19 digits, exact in int arithmetic
        # and already canonical as str() writes it.
        return str(int(a) - int(b) if negate else int(a) + int(b))
    x, y = Decimal(a), Decimal(b)
    result = _EXACT.subtract(x, y) if negate else _EXACT.add(x, y)
    return normalize_number(str(result))


def _is_integer(text: str) -> bool:
    """A canonical number without a fraction (stored and bound numbers are canonical)."""
    digits = text[1:] if text[:1] == "-" else text
    return digits.isdigit() and digits.isascii()


# ---------------------------------------------------------------- writers


class _Draft:
    """The item an update is building, and how many bytes it has grown by.

    Stored values are shared and never changed, so a write below the top level copies
    the containers on its path, and only those (copy on write): a counter in a map of
    10,000 entries copies that map's dict once, in C, instead of every value in it, and
    the item's size changes by what the write replaced, added or removed, measured
    alone. Walking the whole attribute, as copying it deeply and measuring it again
    did, made such an update cost 95 ms.
    """

    __slots__ = ("item", "growth", "_private")

    def __init__(self, item: Item) -> None:
        self.item = SizedItem(item)
        self.growth = 0
        # Containers this update made, by id (the values keep them alive, and thus
        # their ids unique): only these may be changed in place.
        self._private: dict[int, Any] = {}

    def parent(self, elements: tuple, writable: bool) -> dict | list | None:
        """The container (a map's dict or a list) that holds the path's last element,
        copied first when ``writable`` and shared; None when the path does not lead to a
        container of the right kind."""
        container: Any = self.item
        private = self._private
        for position, element in enumerate(elements[:-1]):
            if type(container) is list:
                value = container[element] if type(element) is int and element < len(container) else None
            else:
                value = container.get(element) if type(element) is str else None
            if value is None:
                return None
            wanted = "L" if type(elements[position + 1]) is int else "M"
            inner = value.get(wanted)
            if inner is None:
                return None
            if writable and id(inner) not in private:
                inner = list(inner) if wanted == "L" else dict(inner)
                private[id(inner)] = inner
                container[element] = {wanted: inner}
            container = inner
        return container

    def _parent_to_write(self, elements: tuple) -> dict | list:
        parent = self.parent(elements, True)
        if parent is None:
            raise ValidationException(INVALID_PATH)
        return parent

    def existing(self, elements: tuple) -> AttributeValue | None:
        if len(elements) > 1 and self.parent(elements, False) is None:
            raise ValidationException(INVALID_PATH)
        return get(self.item, elements)

    def put(self, elements: tuple, value: AttributeValue, change: int | None = None) -> None:
        """Write ``value`` at the path. ``change``: how much larger it is than the value
        it replaces, when the caller knows (a set that gained or lost members)."""
        last = elements[-1]
        if change is not None:
            parent = self.item if len(elements) == 1 else self.parent(elements, True)
            parent[last] = value  # type: ignore[index]
            self.growth += change
            return
        if len(elements) == 1:
            old = self.item.get(last)
            self.item[last] = value
            # Replacing: the name was counted already (as in _apply_plain_sets).
            self.growth += value_size(value) - value_size(old) if old is not None else attribute_size(last, value)
            return
        parent = self._parent_to_write(elements)
        if type(parent) is list:
            if last < len(parent):
                self.growth += value_size(value) - value_size(parent[last])
                parent[last] = value
            else:
                self.growth += 1 + value_size(value)
                parent.append(value)
            return
        old = parent.get(last)
        self.growth += value_size(value) - value_size(old) if old is not None else 1 + attribute_size(last, value)
        parent[last] = value

    def remove(self, elements: tuple) -> None:
        last = elements[-1]
        if len(elements) == 1:
            old = self.item.pop(last, None)
            if old is not None:
                self.growth -= attribute_size(last, old)
            return
        parent = self._parent_to_write(elements)
        if type(parent) is list:
            if last < len(parent):
                self.growth -= 1 + value_size(parent.pop(last))
            return
        old = parent.pop(last, None)
        if old is not None:
            self.growth -= 1 + attribute_size(last, old)

    def finished(self, before: Item) -> SizedItem:
        """The item, carrying its size (``before``'s own plus the growth, when it has one)."""
        if type(before) is not SizedItem:
            return _measured(self.item)
        self.item.size = before.size + self.growth  # type: ignore[attr-defined]
        return self.item


def _set(draft: _Draft, action: ast.SetAction, value: AttributeValue) -> None:
    draft.put(action.path.elements, value)


# Set members are compared by their text: stored and bound members are canonical
# (types.normalize_number, check_base64's canonical base64), so equal text is equal
# value, and a set of 10,000 numbers is matched in C rather than a Decimal a member.


def _add(draft: _Draft, action: ast.AddAction, _: Any) -> None:
    elements, operand = action.path.elements, action.value.value
    ((kind, inner),) = operand.items()
    existing = draft.existing(elements)
    if existing is None:
        draft.put(elements, operand)
        return
    if kind not in existing:
        raise ValidationException(WRONG_DATA_TYPE)
    if kind == "N":
        draft.put(elements, {"N": add_numbers(existing["N"], inner)})
        return
    members = existing[kind]
    present = set(members)
    added = [member for member in inner if member not in present]
    if added:
        draft.put(elements, {kind: members + added}, value_size({kind: added}))


def _delete(draft: _Draft, action: ast.DeleteAction, _: Any) -> None:
    elements, operand = action.path.elements, action.value.value
    ((kind, inner),) = operand.items()
    existing = draft.existing(elements)
    if existing is None:
        return
    if kind not in existing:
        raise ValidationException(WRONG_DATA_TYPE)
    members = existing[kind]
    present = set(members)
    gone = [member for member in inner if member in present]
    if len(gone) == len(members):
        draft.remove(elements)
    elif gone:
        dropped = set(gone)
        draft.put(elements, {kind: [member for member in members if member not in dropped]},
                  -value_size({kind: gone}))


_WRITERS: dict[type, Any] = {ast.SetAction: _set, ast.AddAction: _add, ast.DeleteAction: _delete}
