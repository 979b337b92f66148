"""RequestExpressions keeps bound expressions between requests; a kept one must be what
binding afresh would give for the request at hand, errors and used placeholders included."""

import pytest

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions, _BOUND

ITEM = {"p": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "abc"}}


def holds(text, names=None, values=None):
    expressions = RequestExpressions(names, values)
    condition = expressions.condition(text)
    expressions.check_unused()
    return condition.matches(ITEM)


def test_same_text_with_other_values_is_bound_again():
    assert holds("n = :v", values={":v": {"N": "5"}})
    assert not holds("n = :v", values={":v": {"N": "6"}})
    assert holds("n = :v", values={":v": {"N": "5"}})


def test_same_text_with_other_names_is_bound_again():
    assert holds("#a = :v", {"#a": "n"}, {":v": {"N": "5"}})
    assert holds("#a = :v", {"#a": "s"}, {":v": {"S": "abc"}})
    assert not holds("#a = :v", {"#a": "s"}, {":v": {"N": "5"}})


def test_errors_are_kept_and_raised_again():
    for _ in range(2):
        with pytest.raises(ValidationException, match="BETWEEN"):
            holds("n BETWEEN :hi AND :lo", values={":hi": {"N": "9"}, ":lo": {"N": "1"}})
    assert holds("n BETWEEN :lo AND :hi", values={":hi": {"N": "9"}, ":lo": {"N": "1"}})


def test_a_key_condition_with_new_values_is_made_from_its_plan_without_binding():
    """Once a text and names passed with some value types, a KeyConditionExpression with
    new values of those types gets its conditions from the plan of the first (fails if
    the plan is not used, or puts values in the wrong places)."""
    import emulator.expressions as expressions

    text = "#k = :p AND sk BETWEEN :a AND :b"

    def conditions(i, low="a", high="b"):
        request = RequestExpressions({"#k": "pk"}, {":p": {"S": f"p{i}"}, ":a": {"S": f"{low}{i}"},
                                                      ":b": {"S": f"{high}{i}"}})
        product = request.key_condition(text)
        request.check_unused()
        return product.checked()

    conditions(0)
    binding = expressions._BINDINGS[("KeyConditionExpression", text, ("pk",))]
    bind = binding.bind
    binding.bind = None  # any binding now fails
    try:
        assert conditions(1) == {"pk": ("EQ", [{"S": "p1"}]), "sk": ("BETWEEN", [{"S": "a1"}, {"S": "b1"}])}
        with pytest.raises(TypeError):  # reversed bounds break a content rule: the full way
            conditions(2, low="b", high="a")
    finally:
        binding.bind = bind
    with pytest.raises(ValidationException, match="upper bound to be greater than or equal to lower bound"):
        conditions(2, low="b", high="a")


def test_a_kept_binding_still_counts_its_placeholders_as_used():
    for _ in range(2):
        assert holds("#a = :v", {"#a": "n"}, {":v": {"N": "5"}})
    with pytest.raises(ValidationException, match="unused in expressions: keys: {:w}"):
        holds("#a = :v", {"#a": "n"}, {":v": {"N": "5"}, ":w": {"N": "1"}})


def test_an_undefined_placeholder_then_a_defined_one():
    with pytest.raises(ValidationException, match="attribute value used in expression is not defined; attribute value: :v"):
        holds("n = :v", values={":w": {"N": "5"}})
    assert holds("n = :v", values={":v": {"N": "5"}})


def test_large_values_are_not_kept():
    before = len(_BOUND)
    big = {"S": "x" * 5000}
    assert not holds("s = :big", values={":big": big})
    assert not any(key[1] == "s = :big" for key in _BOUND) and len(_BOUND) == before


def test_update_and_projection_share_the_cache_per_kind():
    for _ in range(2):
        update = RequestExpressions({"#n": "n"}, {":one": {"N": "1"}}).update("SET #n = #n + :one")
        assert update.apply(ITEM)["n"] == {"N": "6"}
        projection = RequestExpressions({"#n": "n"}, None).projection("#n, s")
        assert projection.apply(ITEM) == {"n": {"N": "5"}, "s": {"S": "abc"}}


def test_prepared_texts_are_kept_only_when_they_pass_their_text_checks():
    """A repeated expression's parse and text checks are one lookup (_PREPARED); a text
    that fails them (syntax, a reserved word, a non-string) is checked, and refused, again
    every time, with the same error."""
    from emulator.errors import SerializationException
    from emulator.expressions import _PREPARED

    assert holds("n = :v", values={":v": {"N": "5"}})
    assert ("ConditionExpression", "n = :v") in _PREPARED
    for text, error, match in (("n = = :v", ValidationException, "Syntax error"),
                               ("name = :v", ValidationException, "reserved keyword"),
                               (["n = :v"], SerializationException, "Unexpected value type")):
        for _ in range(2):
            with pytest.raises(error, match=match):
                holds(text, values={":v": {"N": "5"}})
        assert not any(key[1] == text for key in _PREPARED if isinstance(text, str))


def test_prepared_texts_are_bounded(monkeypatch):
    import emulator.expressions as expressions

    monkeypatch.setattr(expressions, "_BOUND_LIMIT", 3)
    expressions._PREPARED.clear()
    for number in range(10):
        assert holds(f"n = :v OR n = :w{number}", values={":v": {"N": "5"}, f":w{number}": {"N": "1"}})
        assert len(expressions._PREPARED) <= 3


# ---------------------------------------------------------------- warm caches answer as cold ones
#
# A request's expressions go through three caches (the binding of a text to its names, the
# per-request checks passed by a text, names and value types, and the bound product by
# exact values). Whatever an earlier request left in them, a request must be answered as
# it would be with every cache empty: same product, same error.

import itertools  # noqa: E402
import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.lark import from_lark  # noqa: E402

import emulator.expressions as expressions  # noqa: E402
from tests.properties.test_expressions_props import grammar  # noqa: E402

#: Texts that reach the rules reading values: BETWEEN bounds (type, order), attribute_type
#: (type name), ordering comparisons and functions (operand types), IN, ADD/DELETE and
#: arithmetic and list_append (operand types), key-condition shapes.
TEXTS = {
    "ConditionExpression": [
        "a BETWEEN :x AND :y", "#n BETWEEN :x AND :y AND attribute_type(b, :z)", "attribute_type(a, :x)",
        "a < :x OR begins_with(b, :y)", "a IN (:x, :y, :z)", "size(a) > :x AND contains(b, :y)",
        ":x BETWEEN a AND :y", "NOT (a = :x) AND b BETWEEN :y AND :z", "#n.c[1] >= :x",
    ],
    "KeyConditionExpression": [
        "a = :x", "a = :x AND b BETWEEN :y AND :z", "a = :x AND begins_with(b, :y)", "#n = :x AND b < :y",
        ":x = a AND b >= :y",
    ],
    "UpdateExpression": [
        "SET a = :x, b = :y", "ADD a :x DELETE b :y", "SET a = a + :x, #n = list_append(:y, b)",
        "SET a = if_not_exists(a, :x) REMOVE b", "SET #n = :x - :y ADD c :z",
    ],
}
#: Values of every type, with contents that the content rules tell apart: bounds in and out
#: of order, known and unknown type names.
POOL = [{"S": "a"}, {"S": "b"}, {"S": "S"}, {"S": "NS"}, {"S": "XX"}, {"N": "1"}, {"N": "-2"}, {"N": "10"},
        {"B": "AQ=="}, {"B": "/w=="}, {"BOOL": True}, {"NULL": True}, {"L": [{"N": "1"}]}, {"M": {}},
        {"SS": ["a"]}, {"NS": ["1", "2"]}, {"BS": ["AQ=="]}]
ITEMS = [{}, {"a": {"N": "1"}, "b": {"S": "ab"}, "nn": {"L": [{"S": "a"}, {"N": "5"}]}},
         {"a": {"S": "b"}, "b": {"SS": ["a", "b"]}, "c": {"NS": ["1"]}, "nn": {"M": {"c": {"L": []}}}}]
NAMES = {"#n": "nn"}
PLACEHOLDER = re.compile(r":[0-9a-zA-Z_]+")


def _outcome(kind, text, values, names=NAMES):
    try:
        request = RequestExpressions(names if "#n" in text else None, values or None)
        if kind == "UpdateExpression":
            product = request.update(text)
        elif kind == "KeyConditionExpression":
            product = request.key_condition(text)
        else:
            product = request.condition(text)
        request.check_unused()
        if kind == "KeyConditionExpression":
            return "key", product.checked()
        answers = []
        for item in ITEMS:
            try:
                answers.append(product.apply(item) if kind == "UpdateExpression" else bool(product.matches(item)))
            except ValidationException as error:
                answers.append(("apply error", error.message))
        return "ok", answers
    except ValidationException as error:
        return "error", error.message


def _cold(kind, text, values, names):
    for cache in (expressions._BOUND, expressions._PASSED, expressions._BINDINGS):
        cache.clear()
    return _outcome(kind, text, values, names)


def _assert_warm_as_cold(kind, text, value_maps, names_maps=(NAMES,)):
    """Each request answered after the one before it as with empty caches."""
    for values, names in zip(value_maps, itertools.cycle(names_maps)):
        warm = _outcome(kind, text, values, names)
        assert warm == _cold(kind, text, values, names), (kind, text, values, names)
        _outcome(kind, text, values, names)  # the caches hold this request for the next one


#: Values for the exhaustive runs: contents in and out of order ("NS" < "XX" < "a" < "b"
#: in UTF-8), a known type name before unknown ones, and types each rule refuses.
FEW = [{"S": "NS"}, {"S": "a"}, {"S": "b"}, {"S": "XX"}, {"N": "1"}, {"N": "-2"}, {"BOOL": True}, {"L": []}]


@pytest.mark.parametrize("kind,text", [(kind, text) for kind in sorted(TEXTS) for text in TEXTS[kind]])
def test_every_assignment_after_the_one_before_is_answered_as_with_empty_caches(kind, text):
    """Every assignment of FEW to the text's placeholders, in order: neighbours share
    value types with other contents (the checks' cache holds one, the next breaks a
    content rule) as often as they change types."""
    placeholders = sorted(set(PLACEHOLDER.findall(text)))
    assignments = [dict(zip(placeholders, chosen)) for chosen in itertools.product(FEW, repeat=len(placeholders))]
    _assert_warm_as_cold(kind, text, assignments)
    # The same values again under names that alternate from one request to the next.
    _assert_warm_as_cold(kind, text, [values for values in assignments[:64] for _ in range(2)],
                         (NAMES, {"#n": "a"}))


def _kind_of(value):
    return next(iter(value))


@st.composite
def _requests(draw):
    kind = draw(st.sampled_from(sorted(TEXTS)))
    text = draw(from_lark(grammar(kind)))
    placeholders = sorted(set(PLACEHOLDER.findall(text)))
    every = {name: st.sampled_from(POOL) for name in placeholders}
    # Mostly every placeholder defined (an undefined one fails before the value rules).
    first = draw(st.one_of(st.fixed_dictionaries(every), st.fixed_dictionaries({}, optional=every)))
    # Later requests mostly keep the first one's value types (the checks' cache key) with
    # other contents; sometimes anything.
    alike = st.fixed_dictionaries({name: st.sampled_from([other for other in POOL if _kind_of(other) == _kind_of(value)])
                                   for name, value in first.items()})
    anything = st.fixed_dictionaries({}, optional=every)
    return kind, text, [first, *draw(st.lists(st.one_of(alike, anything), min_size=1, max_size=3))]


@settings(max_examples=60, deadline=None)
@given(_requests())
def test_grammar_shaped_requests_after_others_are_answered_as_with_empty_caches(request):
    _assert_warm_as_cold(*request)


def test_a_text_with_new_values_every_time_stops_filling_the_kept_products():
    """After _MISSES_BEFORE_SKIPPING misses in a row, a text's requests skip the kept
    products (one in _PROBE_EVERY still looks and keeps); answers are the same either
    way, and once values repeat, the probes find them and keeping resumes."""
    text = "n = :fresh_values_text"

    def kept():
        return sum(1 for key in expressions._BOUND if key[1] == text)

    expressions._BOUND.clear()
    requests = 0
    for number in range(200):
        values = {":fresh_values_text": {"N": str(number)}}
        assert holds(text, values=values) == (number == 5)
        requests += 1
        if number % 7 == 0:  # an error found afresh too, not one kept from another request
            with pytest.raises(ValidationException, match="unused in expressions"):
                holds(text, values={":fresh_values_text": {"N": f"-{number}"}, ":extra": {"N": "1"}})
            requests += 1
    skipping = expressions._MISSES_BEFORE_SKIPPING
    assert skipping <= kept() <= skipping + 1 + requests // expressions._PROBE_EVERY < requests
    for _ in range(2 * expressions._PROBE_EVERY):
        assert holds(text, values={":fresh_values_text": {"N": "5"}})
    binding = next(entry for key, entry in expressions._BINDINGS.items() if key[1] == text)
    assert binding.misses < expressions._PROBE_EVERY  # a probe found the repeated value
