"""How DynamoDB's request validator prints a collection inside a validation message.

When a list or map member breaks a length constraint, DynamoDB (Coral, in Java) echoes
the member's value with Java's ``toString``: a map as ``{key=value, ...}``, a list as
``[a, b]``, a model structure either field by field (``WriteRequest(putRequest=...,
deleteRequest=null)``) or as ``com.amazonaws.dynamodb.v20120810.<Class>@<hash>``. Real
messages show both renderings, and the hash is Java's identity of the object, which no
client can predict; callers match the envelope around the echo. These helpers produce
the same shape with a stable hash of the value.

Sources: a BatchWriteItem echo captured on AWS (nubo-db/dynamodb-conformance, capture
tests: ``{<table>=[WriteRequest(putRequest=PutRequest(item={pk=com.amazonaws.dynamodb.
v20120810.AttributeValue@483470e1}, workloadProfileName=null), deleteRequest=null)]}``),
and boto3 issue 483 for the ``WriteRequest@caad9cb8`` form.
"""

from __future__ import annotations

import json
import zlib
from typing import Any, Iterable, Mapping

_MODEL = "com.amazonaws.dynamodb.v20120810."


def java_object(class_name: str, value: Any) -> str:
    """``com.amazonaws.dynamodb.v20120810.<Class>@<hex hash>``."""
    text = json.dumps(value, sort_keys=True, default=str)
    return f"{_MODEL}{class_name}@{zlib.crc32(text.encode('utf-8')):x}"


def java_list(elements: Iterable[str]) -> str:
    return "[" + ", ".join(elements) + "]"


def java_map(entries: Mapping[Any, str]) -> str:
    return "{" + ", ".join(f"{key}={value}" for key, value in entries.items()) + "}"


def attribute_map(item: Any) -> str:
    """An Item or Key: ``{name=...AttributeValue@hash, ...}``."""
    if not isinstance(item, dict):
        return "null"
    return java_map({name: java_object("AttributeValue", value) for name, value in item.items()})


def write_request(request: Any) -> str:
    """One WriteRequest of BatchWriteItem, field by field."""
    request = request if isinstance(request, dict) else {}
    put, delete = request.get("PutRequest"), request.get("DeleteRequest")
    put_text = (
        f"PutRequest(item={attribute_map(put.get('Item'))}, workloadProfileName=null)"
        if isinstance(put, dict) else "null"
    )
    delete_text = (
        f"DeleteRequest(key={attribute_map(delete.get('Key'))}, workloadProfileName=null)"
        if isinstance(delete, dict) else "null"
    )
    return f"WriteRequest(putRequest={put_text}, deleteRequest={delete_text})"


def write_request_items(request_items: Mapping[str, Any]) -> str:
    """BatchWriteItem's RequestItems: ``{table=[WriteRequest(...), ...], ...}``."""
    return java_map({
        table: java_list(write_request(r) for r in requests) if isinstance(requests, list) else "null"
        for table, requests in request_items.items()
    })


def objects(class_name: str, values: Iterable[Any]) -> str:
    """A list of model structures in the hash rendering: ``[...TransactWriteItem@1f, ...]``."""
    return java_list(java_object(class_name, value) for value in values)
