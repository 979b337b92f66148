"""DynamoDB expressions: the facade operations use.

One :class:`RequestExpressions` per request holds its ExpressionAttributeNames and
ExpressionAttributeValues; each expression of the request is parsed (cached by text),
checked, and bound through it, and :meth:`RequestExpressions.check_unused` finally
reports placeholders no expression used. Call the expression methods in DynamoDB's
order (UpdateExpression, ConditionExpression, KeyConditionExpression,
FilterExpression, ProjectionExpression): the first failing one is what DynamoDB reports.

Typical use in an operation::

    check_parameters(request, ("UpdateExpression", "ConditionExpression"),
                     ("AttributeUpdates", "Expected"))
    expressions = RequestExpressions(request.get("ExpressionAttributeNames"),
                                     request.get("ExpressionAttributeValues"))
    update = expressions.update(request["UpdateExpression"])
    condition = expressions.condition(request["ConditionExpression"])
    expressions.check_unused()
    ...
    if not condition.matches(old_item): raise ConditionalCheckFailedException(...)
    new_item = update.apply(old_item or key)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Iterable

from .. import limits
from ..errors import SerializationException, ValidationException
from ..types import value_type
from . import ast, checks, key_conditions, parser, resolve
from .evaluate import Condition
from .project import Projection
from .update import Update

__all__ = ["RequestExpressions", "Condition", "Projection", "Update", "check_parameters", "ast"]


class RequestExpressions:
    """The expressions of one request, sharing its ExpressionAttributeNames/Values.

    The constructor validates the two maps (DynamoDB checks them before any
    expression): empty maps, malformed keys, invalid values.
    """

    def __init__(self, names: dict | None, values: dict | None) -> None:
        self.names = resolve.check_names(names)
        self.values = resolve.check_values(values)
        self._used_names: set[str] = set()
        self._used_values: set[str] = set()

    # ------------------------------------------------------------ kinds

    def condition(self, text: str, kind: str = "ConditionExpression") -> Condition:
        """A ConditionExpression or FilterExpression (``kind`` names it in messages)."""
        return self._checked(kind, text)  # type: ignore[no-any-return]

    def key_condition(self, text: str) -> key_conditions.KeyConditions:
        """A KeyConditionExpression's conditions, ``{attribute: (operator, values)}``,
        or the key-condition shape rule it breaks (which operators, which attributes),
        raised by ``.checked()`` once the request's other expressions were checked."""
        return self._checked("KeyConditionExpression", text)  # type: ignore[no-any-return]

    def projection(self, text: str) -> Projection:
        return self._checked("ProjectionExpression", text)  # type: ignore[no-any-return]

    def update(self, text: str) -> Update:
        return self._checked("UpdateExpression", text)  # type: ignore[no-any-return]

    def check_unused(self) -> None:
        """Raise DynamoDB's error for placeholders that no expression of the request used
        (names are reported before values)."""
        for member, given, used in (("ExpressionAttributeNames", self.names, self._used_names),
                                    ("ExpressionAttributeValues", self.values, self._used_values)):
            if given and not used.issuperset(given):  # in C: the usual request uses them all
                unused = [key for key in given if key not in used]
                raise ValidationException(resolve.unused_message(member, unused))

    # ------------------------------------------------------------ shared steps

    def _checked(self, kind: str, text: Any) -> Any:
        """The expression bound to this request's placeholders, after the checks that
        need them, made into what operations use (:data:`_PRODUCTS`).

        Binding and checking cost several times what evaluating costs, and programs send
        the same expressions with the same placeholders again and again, so the outcome
        (the product, or the message) is kept, keyed by everything it depends on: the
        kind, the text, and the names and values of the placeholders the text uses.
        Bound trees and their products are immutable, so requests can share them.

        A text whose values are new on every request (a key each) would only fill that
        store, and the key (the values' repr) and the upkeep cost 15-20% of binding
        afresh: after :data:`_MISSES_BEFORE_SKIPPING` misses in a row its requests skip
        it, all but one in :data:`_PROBE_EVERY`, which finds out when values repeat again.
        """
        prepared = _PREPARED.get((kind, text)) if type(text) is str else None
        if prepared is None:
            prepared = self._prepare(kind, text)
        root, name_refs, value_refs, content_rules = prepared
        names, values = self.names or {}, self.values or {}
        used_names = tuple(map(names.get, name_refs))
        used_values = tuple(map(values.get, value_refs))
        binding = _binding(kind, text, root, used_names, names)
        misses = binding.misses
        key = None
        if misses < _MISSES_BEFORE_SKIPPING or misses % _PROBE_EVERY == 0:
            key = self._cache_key(kind, text, used_names, used_values)
        cached = _BOUND.get(key) if key is not None else None
        if cached is None:
            binding.misses = misses + 1
            shape = (kind, text, used_names, tuple([value_type(value) if value is not None else None
                                                    for value in used_values]))
            passed = shape in _PASSED and not (content_rules and checks.contents_break(content_rules, values))
            planner = _PLANNERS.get(kind)
            if passed and planner is not None and binding.plan is not None:
                cached = (planner[1](binding.plan, values), None)
            else:
                bound = binding.bind(values)
                message = None if passed else self._check(kind, bound, shape)
                cached = (None if message else _PRODUCTS[kind](bound), message)
                if planner is not None and message is None and binding.plan is None:
                    binding.plan = planner[0](bound)
            if key is not None:
                if len(_BOUND) >= _BOUND_LIMIT:
                    _BOUND.clear()
                _BOUND[key] = cached
        else:
            binding.misses = 0
        self._used_names.update(name_refs)
        self._used_values.update(value_refs)
        self._raise(kind, cached[1])
        return cached[0]

    def _check(self, kind: str, bound: Any, shape: tuple) -> str | None:
        """The message of the first per-request rule the bound tree breaks, or None; a
        ``shape`` that passed is kept in :data:`_PASSED`.

        Those rules read the placeholders' values only through their types, except two
        (``content_rules``, found in the text once: a BETWEEN's bounds in order,
        attribute_type's type name): so once a request passed, another with the same
        text, names and value types (its ``shape``) passes too unless its values break
        one of those two, which :meth:`_checked` checks on the values alone, and this is
        not called. Programs mostly send the same expressions with new values (a key per
        request), and the full checks were about a third of such a request's expression
        cost. Anything else (a type never seen, a failure) is checked in full.
        """
        message: str | None = _CHECKS[kind](bound, self.names, self.values)
        if message is None:
            if len(_PASSED) >= _BOUND_LIMIT:
                _PASSED.clear()
            _PASSED.add(shape)
        return message

    @staticmethod
    def _cache_key(kind: str, text: str, used_names: tuple, used_values: tuple) -> tuple | None:
        """None when the placeholders' values are too large to be worth keeping."""
        kept_values = repr(used_values) if used_values else ""
        if len(kept_values) > _BOUND_VALUE_CHARS:
            return None
        return kind, text, used_names, kept_values

    def _prepare(self, kind: str, text: Any) -> tuple[Any, tuple[str, ...], tuple[str, ...], tuple]:
        """The text's checks and parse (:meth:`_parse`), its placeholders, and the rules
        of its checks that read values beyond their types; kept by (kind, text) when the text
        checks pass, so a repeated expression costs one lookup."""
        root = self._parse(kind, text)
        name_refs, value_refs = _references(kind, text)
        if len(_PREPARED) >= _BOUND_LIMIT:
            _PREPARED.clear()
        prepared = _PREPARED[(kind, text)] = (root, name_refs, value_refs, checks.content_rules(root))
        return prepared

    def _parse(self, kind: str, text: Any) -> Any:
        if not isinstance(text, str):
            raise SerializationException("Unexpected value type in payload")
        if not text:
            raise parser.invalid(kind, "The expression can not be empty;")
        size = len(text.encode("utf-8"))
        if size > limits.MAX_EXPRESSION_BYTES:
            raise parser.invalid(
                kind, f"Expression size has exceeded the maximum allowed size; expression size: {size}")
        root = parser.parse(kind, text)
        self._raise(kind, checks.static_error(kind, text))
        return root

    @staticmethod
    def _raise(kind: str, message: str | None) -> None:
        if message:
            raise parser.invalid(kind, message)


#: Expressions that passed their text-only checks: (kind, text) -> (unbound AST, #name
#: and :value placeholders used, the checks' rules reading values' contents
#: (checks.content_rules)); cleared when full.
_PREPARED: dict[tuple[str, str], tuple[Any, tuple[str, ...], tuple[str, ...], tuple]] = {}
#: Products of bound expressions, or the message of their check, by (kind, text, used
#: names, used values); cleared when full.
_BOUND: dict[tuple, tuple[Any, str | None]] = {}
_BOUND_LIMIT = 4096
#: Bindings of prepared texts to names, by (kind, text, used names); cleared when full.
_BINDINGS: dict[tuple, _Binding] = {}
#: Misses in a row after which a text's requests skip the kept products, but for one
#: in every _PROBE_EVERY.
_MISSES_BEFORE_SKIPPING = 32
_PROBE_EVERY = 16
#: (kind, text, used names, used values' types) of bound expressions that passed their
#: per-request checks (:meth:`RequestExpressions._check`); cleared when full.
_PASSED: set[tuple] = set()
#: Placeholder values whose repr is longer than this are bound afresh every time.
_BOUND_VALUE_CHARS = 1024
_CHECKS = {
    "ConditionExpression": checks.condition_error,
    "FilterExpression": checks.condition_error,
    "KeyConditionExpression": checks.condition_error,
    "UpdateExpression": checks.update_error,
    "ProjectionExpression": lambda bound, names, values: checks.projection_error(bound, names),
}
#: What each kind's bound tree is made into (a Query checks the key condition's tree).
_PRODUCTS: dict[str, Any] = {
    "ConditionExpression": Condition,
    "FilterExpression": Condition,
    "KeyConditionExpression": key_conditions.key_conditions_of,
    "UpdateExpression": Update,
    "ProjectionExpression": lambda bound: Projection(bound.paths),
}


#: Kinds whose product can be made from the request's values and a plan of the bound
#: tree's shape, without binding a tree: (the plan of a bound tree that passed its checks,
#: or None; the product from a plan and the values). Used once a request with the same
#: value types passed (RequestExpressions._checked). A KeyConditionExpression's values are
#: new on nearly every Query (a key each), and binding its tree and walking it for the
#: conditions was half its cost: a fresh ``pk = :p AND sk BETWEEN :a AND :b`` with its
#: conditions 16 -> 7.5 us, the benchmark's 100-item Query 904k -> 799k instructions.
_PLANNERS: dict[str, tuple[Callable[[Any], Any], Callable[[Any, dict], Any]]] = {
    "KeyConditionExpression": (key_conditions.plan_of, key_conditions.from_plan),
}


class _Binding:
    """A prepared text's binding to names (:func:`resolve.binding`), how many of its
    requests in a row found no kept product (:meth:`RequestExpressions._checked`), and,
    for a kind in :data:`_PLANNERS`, its plan once a request passed."""

    __slots__ = ("bind", "misses", "plan")

    def __init__(self, bind: resolve.Binding) -> None:
        self.bind = bind
        self.misses = 0
        self.plan: Any = None


def _binding(kind: str, text: str, root: Any, used_names: tuple, names: dict) -> _Binding:
    """The binding of a prepared text to names, kept by what it depends on: the text and
    the names of the ``#name`` placeholders it uses."""
    key = (kind, text, used_names)
    found = _BINDINGS.get(key)
    if found is None:
        if len(_BINDINGS) >= _BOUND_LIMIT:
            _BINDINGS.clear()
        found = _BINDINGS[key] = _Binding(resolve.binding(root, names))
    return found


@lru_cache(maxsize=4096)
def _references(kind: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The #name and :value placeholders an (already parsed) expression uses, each once."""
    names: dict[str, None] = {}
    values: dict[str, None] = {}
    for node in resolve.walk(parser.parse(kind, text)):
        if isinstance(node, ast.Path):
            names.update((element.name, None) for element in node.elements if isinstance(element, ast.NameRef))
        elif isinstance(node, ast.ValueRef):
            values[node.name] = None
    return tuple(names), tuple(values)


def check_parameters(request: dict, expression_members: Iterable[str], legacy_members: Iterable[str]) -> None:
    """The request-level rules on mixing expressions, legacy parameters and the
    placeholder maps, which DynamoDB applies before looking at any value
    (conformance tier3/error-messages; dynalite validations/index.js)."""
    expression_members, legacy_members = list(expression_members), list(legacy_members)
    used = [m for m in expression_members if request.get(m) is not None]
    if used:
        legacy = [m for m in legacy_members if request.get(m) is not None]
        if legacy:
            raise ValidationException(
                "Can not use both expression and non-expression parameters in the same request: "
                f"Non-expression parameters: {{{', '.join(legacy)}}} "
                f"Expression parameters: {{{', '.join(used)}}}")
    if request.get("ExpressionAttributeNames") is not None and not used:
        raise ValidationException("ExpressionAttributeNames can only be specified when using expressions")
    value_members = [m for m in expression_members if m != "ProjectionExpression"]
    if (value_members and request.get("ExpressionAttributeValues") is not None
            and all(request.get(m) is None for m in value_members)):
        verb = "are" if len(value_members) > 1 else "is"
        raise ValidationException(
            "ExpressionAttributeValues can only be specified when using expressions: "
            f"{' and '.join(value_members)} {verb} null")
