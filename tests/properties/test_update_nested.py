"""Updates of nested document paths (SET, REMOVE, ADD, DELETE below the top level) on
random nested items agree with a reference that deep-copies the item and changes the
copy in place, leave the stored item untouched, and carry the finished item's exact size.

The emulator copies only the containers on the written paths and works the size out
from what each write replaced, added or removed (expressions.update._Draft), so these
are the properties that change could break: a write leaking into the shared stored
item, a container changed twice or not at all, a size off by an entry's bytes.

Semantics the reference follows (Developer Guide, "Using update expressions"; the unit
tests in tests/expressions/test_expression_update.py pin them one by one): writes run
in path order with list indexes ascending, removals after them from the back, so every
index refers to the original list; SET past the end of a list appends; a path whose
parent is missing or of the wrong kind is an error; ADD adds numbers and unites sets,
DELETE takes members away and the attribute goes with the last one.
"""

from __future__ import annotations

import copy

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions
from emulator.types import item_size, normalize_item

KEYS = ("ka", "kb", "kc")
STRINGS = ("x", "\u00e9t\u00e9", "\U0001f600")

LEAVES = st.one_of(
    st.integers(-5, 5).map(lambda n: {"N": str(n)}),
    st.sampled_from(STRINGS).map(lambda s: {"S": s}),
    st.sets(st.sampled_from(STRINGS), min_size=1).map(lambda s: {"SS": sorted(s)}),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: {"L": xs}),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3).map(lambda m: {"M": m}),
    ),
    max_leaves=12,
)
CONTAINERS = st.one_of(
    st.lists(VALUES, max_size=4).map(lambda xs: {"L": xs}),
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3).map(lambda m: {"M": m}),
)
ITEMS = st.dictionaries(st.sampled_from(KEYS), CONTAINERS, min_size=1, max_size=3)


@st.composite
def paths(draw, item):
    """A path of 2-4 steps and the value the item holds there (None when it holds none),
    mostly following what the item holds (so writes land), now and then stepping off it:
    a missing key, an index at or past the end, a step of the wrong kind."""
    name = draw(st.sampled_from(KEYS if draw(st.integers(0, 9)) == 9 else sorted(item)))
    elements = [name]
    value = item.get(name)
    while True:
        inner_list = value.get("L") if value else None
        inner_map = value.get("M") if value else None
        astray = draw(st.integers(0, 11)) == 11
        if inner_list is not None and not astray:
            index = draw(st.integers(0, len(inner_list)))
            elements.append(index)
            value = inner_list[index] if index < len(inner_list) else None
        elif inner_map is not None and not astray:
            key = draw(st.sampled_from(sorted(inner_map) + list(KEYS)))
            elements.append(key)
            value = inner_map.get(key)
        elif len(elements) == 1 or astray:
            elements.append(draw(st.one_of(st.sampled_from(KEYS), st.integers(0, 2))))
            value = None
        if value is None or len(elements) == 4 or draw(st.integers(0, 2)) == 2:
            return tuple(elements), value


def overlap(first, second):
    shorter = min(len(first), len(second))
    return first[:shorter] == second[:shorter]


NUMBER_OPERANDS = st.integers(-3, 3).map(lambda n: {"N": str(n)})
SET_OPERANDS = st.sets(st.sampled_from(STRINGS), min_size=1).map(lambda s: {"SS": sorted(s)})


@st.composite
def actions(draw, item):
    chosen = []
    for _ in range(draw(st.integers(1, 3))):
        path, current = draw(paths(item))
        assume(not any(overlap(path, other) for _, other, _ in chosen))
        verb = draw(st.sampled_from(("SET", "REMOVE", "ADD", "DELETE")))
        # ADD and DELETE mostly with an operand of the kind the path holds.
        fitting = NUMBER_OPERANDS if current is not None and "N" in current else SET_OPERANDS
        if verb == "SET":
            operand = draw(VALUES)
        elif verb == "ADD":
            operand = draw(st.one_of(NUMBER_OPERANDS, SET_OPERANDS) if draw(st.integers(0, 4)) == 4 else fitting)
        elif verb == "DELETE":
            operand = draw(SET_OPERANDS)
        else:
            operand = None
        chosen.append((verb, path, operand))
    return chosen


def render(chosen):
    values, clauses = {}, {}
    for verb, path, operand in chosen:
        text = "".join(f"[{e}]" if isinstance(e, int) else (f".{e}" if i else e) for i, e in enumerate(path))
        if operand is not None:
            placeholder = f":v{len(values)}"
            values[placeholder] = operand
            text += f" = {placeholder}" if verb == "SET" else f" {placeholder}"
        clauses.setdefault(verb, []).append(text)
    return " ".join(f"{verb} {', '.join(texts)}" for verb, texts in clauses.items()), values


# ---------------------------------------------------------------- reference


class Refused(Exception):
    pass


def parent(item, path):
    container = item
    for position, element in enumerate(path[:-1]):
        if isinstance(container, list):
            value = container[element] if isinstance(element, int) and element < len(container) else None
        else:
            value = container.get(element) if isinstance(element, str) else None
        wanted = "L" if isinstance(path[position + 1], int) else "M"
        if value is None or wanted not in value:
            return None
        container = value[wanted]
    return container


def reference(item, chosen):
    new = copy.deepcopy(item)

    def put(path, value):
        container = parent(new, path)
        if container is None:
            raise Refused
        if isinstance(container, list) and path[-1] >= len(container):
            container.append(value)
        else:
            container[path[-1]] = value

    def current(path):
        container = parent(new, path)
        if container is None:
            if len(path) > 1:
                raise Refused
            return None
        if isinstance(container, list):
            return container[path[-1]] if path[-1] < len(container) else None
        return container.get(path[-1])

    def order(path):
        return tuple((1, e) if isinstance(e, int) else (0, e) for e in path)

    for verb, path, operand in sorted((a for a in chosen if a[0] != "REMOVE"), key=lambda a: order(a[1])):
        existing = current(path)
        if verb == "SET":
            put(path, copy.deepcopy(operand))
        elif existing is None:
            if verb == "ADD":
                put(path, copy.deepcopy(operand))
        elif set(existing) != set(operand):
            raise Refused
        elif "N" in operand:
            put(path, {"N": str(int(existing["N"]) + int(operand["N"]))})
        elif verb == "ADD":
            put(path, {"SS": existing["SS"] + [m for m in operand["SS"] if m not in existing["SS"]]})
        else:
            left = [m for m in existing["SS"] if m not in operand["SS"]]
            if left:
                put(path, {"SS": left})
            else:
                container = parent(new, path)
                del container[path[-1]]
    for _, path, _ in sorted((a for a in chosen if a[0] == "REMOVE"), key=lambda a: order(a[1]), reverse=True):
        container = parent(new, path)
        if container is None:
            raise Refused
        if isinstance(container, list):
            if path[-1] < len(container):
                del container[path[-1]]
        else:
            container.pop(path[-1], None)
    return new


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_nested_updates_agree_with_a_deep_copying_reference(data):
    raw = data.draw(ITEMS, label="item")
    chosen = data.draw(actions(raw), label="actions")
    text, values = render(chosen)
    stored = normalize_item(copy.deepcopy(raw))
    untouched = copy.deepcopy(stored)
    try:
        expected = reference(raw, chosen)
    except Refused:
        expected = None
    try:
        result = RequestExpressions(None, values or None).update(text).apply(stored)
    except ValidationException as error:
        assert expected is None, (text, values, error.message)
        event(f"refused: {error.message[:60]}")
        return
    finally:
        assert stored == untouched, "the stored item must not change"
    assert expected is not None, (text, values)
    assert result == expected, (text, values)
    assert result.size == item_size(dict(result)), (text, values)
    event(f"applied, {len(chosen)} action(s)")
