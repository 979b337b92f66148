"""Random well-formed condition expressions over random items of all ten types agree
with a small reference evaluator written here from DynamoDB's documented semantics.

The reference works on its own model of values (tagged tuples of Python values, see
``model``), not on wire dicts, and shares no code with emulator/expressions. Its rules:

* Developer Guide, "Condition and filter expressions, operators, and functions"
  (Expressions.OperatorsAndFunctions): comparators, BETWEEN, IN, AND/OR/NOT precedence,
  attribute_exists/not_exists, attribute_type with the ten type names, begins_with,
  contains (substring of a String, member of a Set, element of a List), size (String
  length, Binary bytes, elements of a Set, List or Map);
* comparing values of different types, or ordering anything but S/N/B, is false, never an
  error; a missing value is unequal to everything, itself included, so ``<>`` is true
  (ScyllaDB test_condition_expression.py, run against DynamoDB: eq_different,
  ne_two_unset, eq_two_unset);
* N compares numerically, S by UTF-8 bytes, B by unsigned bytes (Developer Guide,
  "Working with items: ... comparison"; key-condition ordering);
* size of a String counts UTF-16 code units (ExtendDB PR #67 and dynoxide PR #34, both
  checked against DynamoDB); size of N/BOOL/NULL or of nothing is no value;
* contains on a Binary looks for a run of its bytes (legacy CONTAINS docs: "a
  subsequence of the target"; ScyllaDB test_update_condition_contains);
* a list index past the end, or a step into a value of the wrong kind, reaches nothing.

Assumption not pinned by a source: ``size(x) <> :v`` for an x without a size (N, BOOL,
NULL, missing) is true, like ``<>`` on a missing attribute.

Expressions are built only as DynamoDB accepts them (ordering comparisons and BETWEEN get
S/N/B literals, BETWEEN bounds in order, no ``a = a``, reserved or odd names behind
#placeholders), so every one must bind without a ValidationException.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.expressions import RequestExpressions
from emulator.expressions import evaluate as tree_walk
from emulator.types import normalize_item

# ---------------------------------------------------------------- value model
#
# A value is (tag, payload): ("S", str), ("N", Decimal), ("B", bytes), ("BOOL", bool),
# ("NULL", True), ("SS"/"NS"/"BS", frozenset), ("L", tuple of values), ("M", dict).

# Pools mix plain and awkward values from the start: Hypothesis favours early entries.
# Strings: UTF-8 order differs from UTF-16 order for U+FFFD vs U+1F600, and size() counts
# UTF-16 units; numbers: equal values in different forms; binaries: bytes above 0x7f.
STRINGS = ["a", "é", "\U0001F600", "", "ab", "\uFFFD", "b", "a\U0001F600", "ba", "\U0001D11E"]
NUMBERS = ["1", "1.0", "-1.5", "10", "1E+1", "0", "-2", "1.5", "2", "3"]
BINARIES = [b"a", b"\xff", b"\x80", b"", b"\x7f", b"\xfb\xff", b"\x00", b"ab", b"\x80a", b"\x00\xff"]
TYPE_NAMES = ("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M")

#: Attribute and map-key names: plain ones, reserved words and names that need a
#: #placeholder because of their characters.
NAMES = ("a", "b", "c", "name", "size", "x.y", "my-key", "k")
_RESERVED = {"name", "size"}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def s_values():
    return st.sampled_from(STRINGS).map(lambda v: ("S", v))


def n_values():
    return st.sampled_from(NUMBERS).map(lambda v: ("N", Decimal(v)))


def b_values():
    return st.sampled_from(BINARIES).map(lambda v: ("B", v))


def ordered_values():
    return st.one_of(s_values(), n_values(), b_values())


def scalar_values():
    return st.one_of(ordered_values(), st.booleans().map(lambda v: ("BOOL", v)), st.just(("NULL", True)))


def _set(tag, members):
    # Sets hold distinct non-empty members; NS members are distinct by value.
    return st.lists(members, min_size=1, max_size=4, unique_by=lambda m: m).map(
        lambda ms: (tag, frozenset(ms)))


def set_values():
    return st.one_of(
        _set("SS", st.sampled_from([s for s in STRINGS if s])),
        _set("NS", st.sampled_from(NUMBERS).map(Decimal)),
        _set("BS", st.sampled_from([b for b in BINARIES if b])),
    )


def values(max_leaves=8):
    return st.recursive(
        st.one_of(scalar_values(), set_values()),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda xs: ("L", tuple(xs))),
            st.dictionaries(st.sampled_from(NAMES), inner, max_size=3).map(lambda d: ("M", d)),
        ),
        max_leaves=max_leaves,
    )


#: Items: top-level attributes of every kind, lists of scalars (for contains) and nested
#: documents equally likely.
ITEMS = st.dictionaries(
    st.sampled_from(NAMES),
    st.sampled_from([
        scalar_values(), set_values(),
        st.lists(scalar_values(), min_size=1, max_size=4).map(lambda xs: ("L", tuple(xs))),
        st.dictionaries(st.sampled_from(NAMES), values(), min_size=1, max_size=3).map(lambda d: ("M", d)),
    ]).flatmap(lambda kind: kind),
    min_size=1, max_size=5)


def wire(value):
    tag, payload = value
    if tag == "S":
        return {"S": payload}
    if tag == "N":
        return {"N": str(payload)}
    if tag == "B":
        return {"B": base64.b64encode(payload).decode()}
    if tag in ("BOOL", "NULL"):
        return {tag: payload}
    if tag == "SS":
        return {"SS": sorted(payload)}
    if tag == "NS":
        return {"NS": sorted(str(m) for m in payload)}
    if tag == "BS":
        return {"BS": sorted(base64.b64encode(m).decode() for m in payload)}
    if tag == "L":
        return {"L": [wire(v) for v in payload]}
    return {"M": {k: wire(v) for k, v in payload.items()}}


# ---------------------------------------------------------------- reference evaluator


def lookup(item, path):
    """The value at a path (str: attribute or map key, int: list index) or None."""
    value = item.get(path[0])
    for step in path[1:]:
        if value is None:
            return None
        tag, payload = value
        if isinstance(step, int):
            value = payload[step] if tag == "L" and step < len(payload) else None
        else:
            value = payload.get(step) if tag == "M" else None
    return value


def size_of(value):
    if value is None:
        return None
    tag, payload = value
    if tag == "S":
        return ("N", Decimal(sum(2 if ord(ch) > 0xFFFF else 1 for ch in payload)))
    if tag in ("B", "SS", "NS", "BS", "L", "M"):
        return ("N", Decimal(len(payload)))
    return None


def same(x, y):
    if x is None or y is None or x[0] != y[0]:
        return False
    tag = x[0]
    if tag == "L":
        return len(x[1]) == len(y[1]) and all(same(p, q) for p, q in zip(x[1], y[1]))
    if tag == "M":
        return set(x[1]) == set(y[1]) and all(same(v, y[1][k]) for k, v in x[1].items())
    return x[1] == y[1]  # Decimal, str, bytes, bool, frozenset all compare by value


def order_key(value):
    tag, payload = value
    return payload.encode("utf-8") if tag == "S" else payload


def orderable(*operands):
    return all(v is not None for v in operands) and len({v[0] for v in operands}) == 1 \
        and operands[0][0] in ("S", "N", "B")


def compare(op, x, y):
    if op == "=":
        return same(x, y)
    if op == "<>":
        return not same(x, y)
    if not orderable(x, y):
        return False
    a, b = order_key(x), order_key(y)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def contains(container, member):
    if container is None or member is None:
        return False
    tag, payload = container
    if tag in ("S", "B"):
        return member[0] == tag and member[1] in payload
    if tag in ("SS", "NS", "BS"):
        return member[0] == tag[0] and member[1] in payload
    if tag == "L":
        return any(same(element, member) for element in payload)
    return False


def reference(node, item):
    def operand(o):
        if o[0] == "path":
            return lookup(item, o[1])
        if o[0] == "size":
            return size_of(lookup(item, o[1]))
        return o[1]

    kind = node[0]
    if kind == "and":
        return reference(node[1], item) and reference(node[2], item)
    if kind == "or":
        return reference(node[1], item) or reference(node[2], item)
    if kind == "not":
        return not reference(node[1], item)
    if kind == "cmp":
        return compare(node[1], operand(node[2]), operand(node[3]))
    if kind == "between":
        x, low, high = operand(node[1]), operand(node[2]), operand(node[3])
        return orderable(x, low, high) and order_key(low) <= order_key(x) <= order_key(high)
    if kind == "in":
        x = operand(node[1])
        return any(same(x, operand(choice)) for choice in node[2])
    if kind == "exists":
        return lookup(item, node[1]) is not None
    if kind == "not_exists":
        return lookup(item, node[1]) is None
    if kind == "type":
        x = lookup(item, node[1])
        return x is not None and x[0] == node[2]
    if kind == "begins_with":
        x, prefix = lookup(item, node[1]), operand(node[2])
        return (x is not None and prefix is not None and x[0] == prefix[0] and x[0] in ("S", "B")
                and x[1].startswith(prefix[1]))
    if kind == "contains":
        return contains(lookup(item, node[1]), operand(node[2]))
    raise AssertionError(kind)


# ---------------------------------------------------------------- expression strategies


def every_path(value, path):
    """Every path into ``value`` (itself first), plus one step past each list's end."""
    yield path
    tag, payload = value
    if tag == "M":
        for key, inner in payload.items():
            yield from every_path(inner, path + (key,))
    elif tag == "L":
        for index, inner in enumerate(payload):
            yield from every_path(inner, path + (index,))
        yield path + (len(payload),)


@st.composite
def paths(draw, item):
    """A path that mostly follows the item (so it often reaches something), sometimes
    steps off it: an unknown key, an index past the end, a step into a scalar."""
    name = draw(st.sampled_from(sorted(item)) if item and draw(st.integers(0, 3)) != 3 else st.sampled_from(NAMES))
    path, value = [name], item.get(name)
    while len(path) < 4:
        tag = value[0] if value is not None else None
        if tag in ("M", "L") and value[1]:
            if draw(st.booleans()):
                break
            if tag == "M" and draw(st.integers(0, 5)) != 5:
                step = draw(st.sampled_from(sorted(value[1])))
            elif tag == "L" and draw(st.integers(0, 5)) != 5:
                step = draw(st.integers(0, len(value[1])))  # len itself is out of range
            else:
                step = draw(st.one_of(st.sampled_from(NAMES), st.integers(0, 3)))
        elif draw(st.integers(0, 7)) != 7:
            break
        else:
            step = draw(st.one_of(st.sampled_from(NAMES), st.integers(0, 3)))
        path.append(step)
        value = lookup(item, path)
    return ("path", tuple(path))


@st.composite
def paths_to(draw, item, tags):
    """Usually a path to a value of one of ``tags`` (when the item has one), else any."""
    inside = [path for name, value in item.items() for path in every_path(value, (name,))
              if (lookup(item, path) or ("", None))[0] in tags]
    if inside and draw(st.integers(0, 3)) != 3:
        return ("path", draw(st.sampled_from(inside)))
    return draw(paths(item))


def reached(item, operand):
    """What a path or size() operand evaluates to on ``item`` (to aim literals at it)."""
    value = lookup(item, operand[1])
    return size_of(value) if operand[0] == "size" else value


def _pool(tag):
    return {"S": s_values, "N": n_values, "B": b_values}[tag]()


@st.composite
def near(draw, target, kinds):
    """A literal of one of ``kinds`` ("ordered", "scalar", "any"), often the target
    itself or another value of its type, so that conditions come out true as well as false."""
    anything = {"ordered": ordered_values(), "scalar": scalar_values(), "any": values(max_leaves=4)}[kinds]
    if target is not None and draw(st.integers(0, 2)) != 2:
        if target[0] in ("S", "N", "B") and draw(st.booleans()):
            return ("lit", draw(_pool(target[0])))
        if kinds == "any" or target[0] in ("S", "N", "B") or (kinds == "scalar" and target[0] in ("BOOL", "NULL")):
            return ("lit", target)
    return ("lit", draw(anything))


def subjects(item):
    return paths(item).flatmap(lambda p: st.sampled_from([p, ("size", p[1])]))


@st.composite
def comparisons(draw, item):
    op = draw(st.sampled_from(["=", "<>", "<", "<=", ">", ">="]))
    kinds = "any" if op in ("=", "<>") else "ordered"
    left = draw(subjects(item) if kinds == "any" else paths_to(item, ("S", "N", "B")))
    if draw(st.integers(0, 3)) != 3:
        right = draw(near(reached(item, left), kinds))
    else:
        right = draw(subjects(item))
        if right == left and left[0] == "path":  # DynamoDB refuses "a = a"
            right = draw(near(reached(item, left), kinds))
    if draw(st.booleans()):
        left, right = right, left
    return ("cmp", op, left, right)


@st.composite
def betweens(draw, item):
    subject = draw(subjects(item))
    target = reached(item, subject)
    tag = target[0] if target is not None and target[0] in ("S", "N", "B") and draw(st.integers(0, 3)) != 3 \
        else draw(st.sampled_from(["S", "N", "B"]))
    low, high = draw(_pool(tag)), draw(_pool(tag))
    if order_key(low) > order_key(high):
        low, high = high, low
    return ("between", subject, ("lit", low), ("lit", high))


@st.composite
def ins(draw, item):
    subject = draw(subjects(item))
    target = reached(item, subject)
    return ("in", subject, draw(st.lists(near(target, "any"), min_size=1, max_size=4)))


@st.composite
def pieces(draw, value, kinds):
    """For begins_with/contains: a prefix, run, member or element of ``value`` when it
    has one, else (or sometimes anyway) an unrelated literal."""
    if value is not None and draw(st.integers(0, 2)) != 2:
        tag, payload = value
        if tag in ("S", "B"):
            start = 0 if kinds == "prefix" else draw(st.integers(0, len(payload)))
            end = draw(st.integers(start, len(payload)))
            return ("lit", (tag, payload[start:end]))
        if kinds == "member" and tag in ("SS", "NS", "BS"):
            return ("lit", (tag[0], draw(st.sampled_from(sorted(payload)))))
        if kinds == "member" and tag == "L" and payload:
            element = draw(st.sampled_from(payload))
            if element[0] in ("S", "N", "B", "BOOL", "NULL"):
                return ("lit", element)
    scalars = st.one_of(s_values(), b_values()) if kinds == "prefix" else scalar_values()
    return ("lit", draw(scalars))


@st.composite
def functions(draw, item):
    kind = draw(st.sampled_from(["exists", "not_exists", "type", "begins_with", "contains"]))
    tags = {"begins_with": ("S", "B"), "contains": ("S", "B", "SS", "NS", "BS", "L")}.get(kind, TYPE_NAMES)
    path = draw(paths_to(item, tags))[1]
    value = lookup(item, path)
    if kind in ("exists", "not_exists"):
        return (kind, path)
    if kind == "type":
        actual = [value[0]] if value is not None else []
        return ("type", path, draw(st.sampled_from(actual + list(TYPE_NAMES))))
    if draw(st.integers(0, 4)) != 4:
        second = draw(pieces(value, "prefix" if kind == "begins_with" else "member"))
    else:
        second = draw(paths(item))
        if second == ("path", path):  # the two operands must be distinct
            second = ("lit", ("S", "a"))
    return (kind, path, second)


def conditions(item):
    atoms = st.one_of(comparisons(item), betweens(item), ins(item), functions(item))
    return st.recursive(
        atoms,
        lambda inner: st.one_of(st.tuples(st.sampled_from(["and", "or"]), inner, inner),
                                st.tuples(st.just("not"), inner)),
        max_leaves=6,
    )


# ---------------------------------------------------------------- rendering

_PRECEDENCE = {"or": 1, "and": 2, "not": 3}


class Renderer:
    """Text for a condition tree: the fewest parentheses the precedence allows, a fresh
    :value per literal, a #name for every reserved or odd name (and, at random, for plain
    ones too), one #name per distinct name."""

    def __init__(self, hide_plain_names):
        self.names, self.values = {}, {}
        self.hide_plain_names = hide_plain_names

    def name(self, name):
        if _PLAIN.fullmatch(name) and name not in _RESERVED and not self.hide_plain_names:
            return name
        for placeholder, known in self.names.items():
            if known == name:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = name
        return placeholder

    def path(self, path):
        text = self.name(path[0])
        for step in path[1:]:
            text += f"[{step}]" if isinstance(step, int) else f".{self.name(step)}"
        return text

    def operand(self, o):
        if o[0] == "path":
            return self.path(o[1])
        if o[0] == "size":
            return f"size({self.path(o[1])})"
        return self.literal(o[1])

    def literal(self, value):
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = wire(value)
        return placeholder

    def render(self, node, needed=0):
        kind = node[0]
        if kind in ("and", "or"):
            mine = _PRECEDENCE[kind]
            text = f"{self.render(node[1], mine)} {kind.upper()} {self.render(node[2], mine + 1)}"
        elif kind == "not":
            mine = 3
            text = f"NOT {self.render(node[1], 3)}"
        else:
            return self.atom(node)
        return f"({text})" if mine < needed else text

    def atom(self, node):
        kind = node[0]
        if kind == "cmp":
            return f"{self.operand(node[2])} {node[1]} {self.operand(node[3])}"
        if kind == "between":
            return f"{self.operand(node[1])} BETWEEN {self.operand(node[2])} AND {self.operand(node[3])}"
        if kind == "in":
            return f"{self.operand(node[1])} IN ({', '.join(self.operand(c) for c in node[2])})"
        if kind in ("exists", "not_exists"):
            return f"attribute_{kind}({self.path(node[1])})"
        if kind == "type":
            return f"attribute_type({self.path(node[1])}, {self.literal(('S', node[2]))})"
        return f"{kind}({self.path(node[1])}, {self.operand(node[2])})"


# ---------------------------------------------------------------- properties


def evaluate(tree, item, hide_plain_names):
    renderer = Renderer(hide_plain_names)
    text = renderer.render(tree)
    expressions = RequestExpressions(renderer.names or None, renderer.values or None)
    condition = expressions.condition(text)
    expressions.check_unused()
    stored = normalize_item({name: wire(value) for name, value in item.items()})
    got = condition.matches(stored)
    # The walk over the condition's AST and the closures compiled from it (a Condition
    # uses them from its second call) answer alike.
    assert got == bool(tree_walk.matches(condition.node, stored)), text
    assert got == bool(tree_walk.compile_condition(condition.node)(stored)), text
    return got, text, renderer


@settings(max_examples=200)
@given(st.data())
def test_conditions_agree_with_reference_evaluator(data):
    item = data.draw(ITEMS, label="item")
    tree = data.draw(conditions(item), label="condition")
    got, text, renderer = evaluate(tree, item, data.draw(st.booleans(), label="hide_plain_names"))
    assert got == reference(tree, item), (text, renderer.names, renderer.values)


def check_atoms(data, strategy):
    item = data.draw(ITEMS, label="item")
    tree = data.draw(strategy(item), label="atom")
    got, text, renderer = evaluate(tree, item, False)
    assert got == reference(tree, item), (text, renderer.names, renderer.values)


# One atom at a time as well, so each operator and function gets examples of its own.


@settings(max_examples=200)
@given(st.data())
def test_comparisons_agree_with_reference_evaluator(data):
    check_atoms(data, comparisons)


@settings(max_examples=200)
@given(st.data())
def test_between_and_in_agree_with_reference_evaluator(data):
    check_atoms(data, lambda item: st.one_of(betweens(item), ins(item)))


@settings(max_examples=200)
@given(st.data())
def test_functions_agree_with_reference_evaluator(data):
    check_atoms(data, functions)


@given(ITEMS, st.data())
def test_not_is_the_complement(item, data):
    """NOT c holds exactly when c does not, whatever c's operands reach (missing
    attributes and cross-type comparisons included)."""
    tree = data.draw(conditions(item))
    got, _, _ = evaluate(tree, item, False)
    negated, text, _ = evaluate(("not", tree), item, False)
    assert negated is (not got), text


@given(ITEMS)
def test_every_path_of_an_item_reads_as_the_reference_says(item):
    """Dense coverage of nested paths: for each path into the item, whether it exists,
    its type and its size."""
    for name, value in item.items():
        for path in every_path(value, (name,)):
            target = lookup(item, path)
            actual = target[0] if target is not None else "S"
            atoms = [("exists", path), ("not_exists", path), ("type", path, actual),
                     ("cmp", "=", ("size", path), ("lit", size_of(target) or ("N", Decimal(0))))]
            for atom in atoms:
                got, text, renderer = evaluate(atom, item, False)
                assert got == reference(atom, item), (text, renderer.names, renderer.values)


# ---------------------------------------------------------------- pinned cases of the reference


def test_reference_pins_documented_cases():
    """The reference itself, on cases the sources state outright."""
    item = {"s": ("S", "é\U0001D11E"), "n": ("N", Decimal("5")), "b": ("B", b"\x80\x01"),
            "l": ("L", (("N", Decimal("1")), ("S", "x"))), "ss": ("SS", frozenset({"p", "q"}))}
    assert size_of(item["s"]) == ("N", Decimal(3))
    assert size_of(item["n"]) is None
    assert not compare("=", ("S", "6"), ("N", Decimal(6)))
    assert compare("<>", None, None) and not compare("=", None, None)
    assert compare(">", ("B", b"\x80"), ("B", b"\x7f"))  # unsigned bytes
    assert compare(">", ("S", "\U0001F600"), ("S", "\uFFFD"))  # UTF-8 order, not UTF-16
    assert contains(item["l"], ("N", Decimal("1.0"))) and contains(item["ss"], ("S", "p"))
    assert lookup(item, ("l", 2)) is None and lookup(item, ("n", "x")) is None
