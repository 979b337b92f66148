"""Property tests of the expression engine's robustness: no input, random or
grammar-shaped, makes it raise anything but ValidationException (or
SerializationException for a non-string). Agreement with independent reference
evaluators is in test_condition_reference.py and test_update_reference.py."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions

# ---------------------------------------------------------------- robustness

KINDS = ("ConditionExpression", "KeyConditionExpression", "UpdateExpression", "ProjectionExpression")
NAMES = {"#a": "a", "#b": "b"}
VALUES = {":a": {"S": "x"}, ":b": {"N": "1"}, ":c": {"L": []}, ":d": {"SS": ["x"]}}


def attempt(kind, text):
    expressions = RequestExpressions(NAMES, VALUES)
    try:
        if kind == "UpdateExpression":
            expressions.update(text).apply({"a": {"S": "x"}, "b": {"L": [{"N": "1"}]}})
        elif kind == "ProjectionExpression":
            expressions.projection(text).apply({"a": {"S": "x"}})
        elif kind == "KeyConditionExpression":
            expressions.key_condition(text)
        else:
            expressions.condition(text).matches({"a": {"S": "x"}, "b": {"N": "2"}})
    except ValidationException:
        pass


_ALPHABET = st.sampled_from(list("abAB_#:.[]()0123 ,=<>+-!\"") + ["AND", "OR", "NOT", "SET", "IN", "size",
                                                                 "BETWEEN", "REMOVE", "ADD", "DELETE"])


@given(st.sampled_from(KINDS), st.one_of(st.text(max_size=40), st.lists(_ALPHABET, max_size=15).map(" ".join)))
def test_random_text_only_raises_validation_errors(kind, text):
    attempt(kind, text)


@lru_cache(maxsize=None)
def grammar(kind):
    name = {"ConditionExpression": "condition.lark", "KeyConditionExpression": "key_condition.lark",
            "UpdateExpression": "update.lark", "ProjectionExpression": "projection.lark"}[kind]
    return Lark.open_from_package("grammar", name, ("",), parser="lalr", lexer="basic")


@given(st.data())
def test_grammar_shaped_text_only_raises_validation_errors(data):
    kind = data.draw(st.sampled_from(KINDS))
    text = data.draw(from_lark(grammar(kind)))
    attempt(kind, text)
