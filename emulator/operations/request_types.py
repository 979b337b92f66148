"""Member types of a request, checked the way DynamoDB's JSON deserializer checks them.

Before any constraint is looked at, DynamoDB (Coral) turns the JSON body into typed Java
objects. A member of the wrong JSON type is a ``SerializationException`` whose message
names what went wrong, e.g. a number where a string belongs is "NUMBER_VALUE cannot be
converted to String" and an object where a list belongs is "Start of structure or map
found where not expected". Some mismatches are converted instead: a number for a Long is
truncated, the strings "true"/"yes"/"1" (any case) are Booleans. The messages follow
dynalite's validations/index.js, which recorded them from DynamoDB.

A member sent as JSON ``null`` counts as absent. :func:`conform` returns a copy of the
request with nulls dropped and conversions applied, so later checks see clean types;
members its spec does not name are passed through untouched (their owners check them).
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Union

from ..coral import MAP_NOT_EXPECTED as _MAP
from ..coral import scalar_name as _scalar_name
from ..coral import to_boolean as _boolean
from ..coral import to_string as _string
from ..errors import SerializationException

_MODEL = "com.amazonaws.dynamodb.v20120810."

#: A member type: "String", "Long", "Integer", "Boolean", a ``List`` or a ``Struct``.
Spec = Union[str, "List", "Struct"]


class List:
    """A JSON array whose elements all have the type ``of``."""

    __slots__ = ("of",)

    def __init__(self, of: Spec) -> None:
        self.of = of


class Struct:
    """A JSON object with typed members.

    ``element`` marks a structure that is the element of a list (Coral's "ValueStruct"),
    which reports a scalar in its place differently from a member structure.
    """

    __slots__ = ("name", "members", "element")

    def __init__(self, name: str, members: Mapping[str, Spec], *, element: bool = False) -> None:
        self.name = name
        self.members = dict(members)
        self.element = element


def _number(value: Any, kind: str) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise SerializationException(f"{_scalar_name(value)} cannot be converted to {kind}")
        return math.floor(value)
    if isinstance(value, list):
        raise SerializationException(f"Unrecognized collection type class java.lang.{kind}")
    if isinstance(value, dict):
        raise SerializationException(_MAP)
    raise SerializationException(f"{_scalar_name(value)} cannot be converted to {kind}")


def _list(value: Any, spec: List) -> list:
    if isinstance(value, dict):
        raise SerializationException(_MAP)
    if not isinstance(value, list):
        raise SerializationException("Unexpected field type")
    return [conform_value(element, spec.of) for element in value]


def _struct(value: Any, spec: Struct) -> dict:
    if isinstance(value, list):
        raise SerializationException(f"Unrecognized collection type class {_MODEL}{spec.name}")
    if not isinstance(value, dict):
        raise SerializationException(
            "Unexpected value type in payload" if spec.element else "Unexpected field type"
        )
    return conform(value, spec.members)


def conform_value(value: Any, spec: Spec) -> Any:
    """``value`` converted to ``spec``, or DynamoDB's SerializationException."""
    if isinstance(spec, List):
        return _list(value, spec)
    if isinstance(spec, Struct):
        return _struct(value, spec)
    if spec == "String":
        return _string(value)
    if spec == "Boolean":
        return _boolean(value)
    return _number(value, spec)


def conform(request: Mapping[str, Any], members: Mapping[str, Spec]) -> dict:
    """A copy of ``request`` with typed members checked/converted and nulls dropped."""
    if not members and None not in request.values():
        # Nothing to convert or drop (a BatchWriteItem's PutRequest, 25 to a call).
        return dict(request)
    result: dict[str, Any] = {}
    for name, value in request.items():
        if value is None:
            continue
        spec = members.get(name)
        # A string where a String belongs, the common case, needs no conversion.
        result[name] = value if spec is None or (spec == "String" and type(value) is str) else conform_value(value, spec)
    return result


# Structures shared by the table operations (names as in the DynamoDB API model).
KEY_SCHEMA_ELEMENT = Struct("KeySchemaElement", {"AttributeName": "String", "KeyType": "String"}, element=True)
ATTRIBUTE_DEFINITION = Struct(
    "AttributeDefinition", {"AttributeName": "String", "AttributeType": "String"}, element=True
)
PROVISIONED_THROUGHPUT = Struct(
    "ProvisionedThroughput", {"ReadCapacityUnits": "Long", "WriteCapacityUnits": "Long"}
)
TAG = Struct("Tag", {"Key": "String", "Value": "String"}, element=True)
