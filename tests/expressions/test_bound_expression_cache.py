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
