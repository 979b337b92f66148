"""Random update expressions (SET with values, copies, +/-, if_not_exists and
list_append; REMOVE; ADD; DELETE) on random items give the item a small reference applier
written here says, or fail with a ValidationException exactly when it says they must.

Reference rules (Developer Guide, "Using update expressions in DynamoDB"; ScyllaDB
test_update_expression.py, run against DynamoDB):

* every value is computed from the item as it was before the update;
* reading a missing attribute in SET (outside if_not_exists' first operand) is an error;
  so is + or - on anything but two numbers, and list_append on anything but two lists;
* ADD to a missing attribute creates it; ADD adds numbers and unites sets of one type,
  anything else is an error;
* DELETE removes members from a set of the same type (the attribute goes when it empties),
  does nothing to a missing attribute, and is an error on any other type;
* REMOVE of a missing attribute does nothing.

Actions target distinct top-level attributes (overlapping paths are a separate,
validation-time rule), reached directly or through a #name.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions
from emulator.types import item_size, normalize_item

NAMES = ("a", "b", "c", "d", "name")  # "name" is reserved: always a #placeholder
NUMBERS = [Decimal(v) for v in ("1", "-2", "0.5", "10", "0")]
STRINGS = ["x", "y", "z"]

# Values: ("N", Decimal), ("S", str), ("SS", frozenset), ("NS", frozenset), ("L", tuple),
# ("BOOL", bool).
VALUES = st.one_of(
    st.sampled_from(NUMBERS).map(lambda n: ("N", n)),
    st.sampled_from(STRINGS).map(lambda s: ("S", s)),
    st.frozensets(st.sampled_from(STRINGS), min_size=1).map(lambda s: ("SS", s)),
    st.frozensets(st.sampled_from(NUMBERS), min_size=1).map(lambda s: ("NS", s)),
    st.lists(st.sampled_from(NUMBERS).map(lambda n: ("N", n)), max_size=2).map(lambda xs: ("L", tuple(xs))),
    st.booleans().map(lambda b: ("BOOL", b)),
)
ITEMS = st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=4)


def wire(value):
    tag, payload = value
    if tag == "N":
        return {"N": str(payload)}
    if tag in ("S", "BOOL"):
        return {tag: payload}
    if tag == "SS":
        return {"SS": sorted(payload)}
    if tag == "NS":
        return {"NS": sorted(str(n) for n in payload)}
    return {"L": [wire(v) for v in payload]}


def model(value):
    ((tag, payload),) = value.items()
    if tag == "N":
        return ("N", Decimal(payload))
    if tag == "NS":
        return ("NS", frozenset(Decimal(n) for n in payload))
    if tag == "SS":
        return ("SS", frozenset(payload))
    if tag == "L":
        return ("L", tuple(model(v) for v in payload))
    return (tag, payload)


class Refused(Exception):
    """The reference's verdict that DynamoDB answers a ValidationException."""


# ---------------------------------------------------------------- reference applier


def operand(old, node):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "path":
        if node[1] not in old:
            raise Refused
        return old[node[1]]
    if kind == "if_not_exists":
        return old[node[1]] if node[1] in old else operand(old, node[2])
    if kind in ("+", "-"):
        x, y = operand(old, node[1]), operand(old, node[2])
        if x[0] != "N" or y[0] != "N":
            raise Refused
        return ("N", x[1] + y[1] if kind == "+" else x[1] - y[1])
    x, y = operand(old, node[1]), operand(old, node[2])  # list_append
    if x[0] != "L" or y[0] != "L":
        raise Refused
    return ("L", x[1] + y[1])


def apply(old, actions):
    new = dict(old)
    for action in actions:
        verb, name = action[0], action[1]
        if verb == "SET":
            new[name] = operand(old, action[2])
        elif verb == "REMOVE":
            new.pop(name, None)
        elif verb == "ADD":
            given_value, current = action[2], old.get(name)
            if current is None:
                new[name] = given_value
            elif current[0] != given_value[0]:
                raise Refused
            elif current[0] == "N":
                new[name] = ("N", current[1] + given_value[1])
            else:
                new[name] = (current[0], current[1] | given_value[1])
        else:  # DELETE
            given_value, current = action[2], old.get(name)
            if current is None:
                continue
            if current[0] != given_value[0]:
                raise Refused
            left = current[1] - given_value[1]
            if left:
                new[name] = (current[0], left)
            else:
                new.pop(name)
    return new


# ---------------------------------------------------------------- strategies

NUMBER = st.sampled_from(NUMBERS).map(lambda n: ("lit", ("N", n)))
LITERAL = VALUES.map(lambda v: ("lit", v))
LIST = st.lists(NUMBER.map(lambda n: n[1]), max_size=2).map(lambda xs: ("lit", ("L", tuple(xs))))
STRING_SET = st.frozensets(st.sampled_from(STRINGS), min_size=1).map(lambda s: ("SS", s))
NUMBER_SET = st.frozensets(st.sampled_from(NUMBERS), min_size=1).map(lambda s: ("NS", s))


def pick(draw, *choices):
    """One of ``choices``, each equally likely (one_of favours its first branch)."""
    return draw(choices[draw(st.integers(0, len(choices) - 1))])


@st.composite
def attributes(draw, item, tag=None):
    """An attribute name, usually one the item has (of type ``tag`` when given)."""
    fitting = sorted(n for n, v in item.items() if tag is None or v[0] == tag)
    if fitting and draw(st.integers(0, 3)) != 3:
        return ("path", draw(st.sampled_from(fitting)))
    return ("path", draw(st.sampled_from(NAMES)))


@st.composite
def set_values(draw, item):
    attribute = lambda tag: attributes(item, tag)  # noqa: E731
    return pick(
        draw,
        LITERAL,
        attribute(None),
        st.builds(lambda n, v: ("if_not_exists", n[1], v), attribute(None), LITERAL),
        st.builds(lambda op, x, y: (op, x, y), st.sampled_from(["+", "-"]),
                  st.one_of(attribute("N"), NUMBER), st.one_of(attribute("N"), NUMBER)),
        st.builds(lambda x, y: ("list_append", x, y), st.one_of(attribute("L"), LIST, LITERAL),
                  st.one_of(attribute("L"), LIST)),
    )


# Appending to (or prepending to) the target's own list, the commonest list update: the
# item's new size is worked out from what was added alone (update._apply_plain_sets), so
# elements of every size class, non-ASCII strings among them, and empty additions.
ADDED = st.lists(st.one_of(NUMBER.map(lambda n: n[1]), st.sampled_from(["x", "\u00e9t\u00e9", "\U0001f600"]).map(
    lambda s: ("S", s))), max_size=3).map(lambda xs: ("lit", ("L", tuple(xs))))


@st.composite
def own_list_values(draw, name):
    own = ("path", name) if draw(st.booleans()) else ("if_not_exists", name, draw(ADDED))
    added = draw(ADDED)
    return ("list_append", own, added) if draw(st.booleans()) else ("list_append", added, own)


@st.composite
def members_of(draw, current, kinds):
    """For ADD/DELETE: often a subset (or the whole) of the current set, else any value of
    ``kinds``."""
    if current is not None and current[0] in ("SS", "NS") and draw(st.integers(0, 2)) != 2:
        if draw(st.booleans()):
            return current
        return (current[0], frozenset(draw(st.sets(st.sampled_from(sorted(current[1])), min_size=1))))
    return pick(draw, *kinds)


@st.composite
def actions(draw, item):
    targets = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    chosen = []
    for name in targets:
        verb = ("SET", "REMOVE", "ADD", "DELETE")[draw(st.integers(0, 3))]
        if verb == "SET":
            own = item.get(name, ("L",))[0] == "L" and draw(st.booleans())
            chosen.append(("SET", name, draw(own_list_values(name) if own else set_values(item))))
        elif verb == "REMOVE":
            chosen.append(("REMOVE", name))
        elif verb == "ADD":
            number = st.sampled_from(NUMBERS).map(lambda n: ("N", n))
            chosen.append(("ADD", name, draw(members_of(item.get(name), (number, STRING_SET, NUMBER_SET)))))
        else:
            chosen.append(("DELETE", name, draw(members_of(item.get(name), (STRING_SET, NUMBER_SET)))))
    return chosen


class Renderer:
    def __init__(self):
        self.names, self.values = {}, {}

    def name(self, name):
        if name != "name":
            return name
        self.names["#r"] = name
        return "#r"

    def literal(self, value):
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = wire(value)
        return placeholder

    def operand(self, node):
        kind = node[0]
        if kind == "lit":
            return self.literal(node[1])
        if kind == "path":
            return self.name(node[1])
        if kind == "if_not_exists":
            return f"if_not_exists({self.name(node[1])}, {self.operand(node[2])})"
        if kind in ("+", "-"):
            return f"{self.operand(node[1])} {kind} {self.operand(node[2])}"
        return f"list_append({self.operand(node[1])}, {self.operand(node[2])})"

    def render(self, chosen):
        clauses = {}
        for action in chosen:
            verb, target = action[0], self.name(action[1])
            if verb == "SET":
                text = f"{target} = {self.operand(action[2])}"
            elif verb == "REMOVE":
                text = target
            else:
                text = f"{target} {self.literal(action[2])}"
            clauses.setdefault(verb, []).append(text)
        return " ".join(f"{verb} {', '.join(texts)}" for verb, texts in clauses.items())


def _static_refusal(chosen):
    """Literal operands of the wrong type DynamoDB refuses before reading the item:
    + or - on a non-number literal, list_append of a non-list literal."""
    def walk(node):
        if node[0] in ("+", "-"):
            return any(n[0] == "lit" and n[1][0] != "N" for n in node[1:]) or any(walk(n) for n in node[1:])
        if node[0] == "list_append":
            return any(n[0] == "lit" and n[1][0] != "L" for n in node[1:])
        if node[0] == "if_not_exists":
            return walk(node[2])
        return False
    return any(action[0] == "SET" and walk(action[2]) for action in chosen)


@settings(max_examples=300)
@given(st.data())
def test_updates_agree_with_reference_applier(data):
    item = data.draw(ITEMS, label="item")
    chosen = data.draw(actions(item), label="actions")
    renderer = Renderer()
    text = renderer.render(chosen)
    try:
        expected = apply(item, chosen)
    except Refused:
        expected = None
    try:
        update = RequestExpressions(renderer.names or None, renderer.values or None).update(text)
        # A parsed item carries its size, as stored items do, so the result's size is
        # worked out from it and the attributes the update wrote.
        result = update.apply(normalize_item({k: wire(v) for k, v in item.items()}))
        got = {name: model(value) for name, value in result.items()}
    except ValidationException as error:
        assert expected is None or _static_refusal(chosen), (text, renderer.values, error.message)
        return
    assert got == expected, (text, renderer.values)
    assert item_size(result) == item_size(dict(result)), (text, renderer.values)
