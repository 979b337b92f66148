"""Helpers shared by the compat tests (boto3 only; nothing emulator-specific)."""

import contextlib
import random
import string
from collections import Counter

import pytest
from botocore.exceptions import ClientError


def random_string(length=10):
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(length))


def unique_table_name(prefix="compat"):
    return f"{prefix}_{random_string(12)}"


def schema_table(dynamodb, name=None, **keys):
    """Create a PAY_PER_REQUEST table whose key schema is given as name=type pairs, in order."""
    definitions, schema = [], []
    for position, (attr, kind) in enumerate(keys.items()):
        definitions.append({"AttributeName": attr, "AttributeType": kind})
        schema.append({"AttributeName": attr, "KeyType": "HASH" if position == 0 else "RANGE"})
    table = dynamodb.create_table(TableName=name or unique_table_name(), KeySchema=schema,
                                  AttributeDefinitions=definitions, BillingMode="PAY_PER_REQUEST")
    table.wait_until_exists()
    return table


@contextlib.contextmanager
def new_table(dynamodb, **create_kwargs):
    """A table with an unusual schema, deleted afterwards (prefer a shared fixture)."""
    create_kwargs.setdefault("TableName", unique_table_name())
    create_kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    table = dynamodb.create_table(**create_kwargs)
    table.wait_until_exists()
    try:
        yield table
    finally:
        table.delete()


def full_scan(table, **kwargs):
    items, response = [], table.scan(**kwargs)
    items.extend(response["Items"])
    while "LastEvaluatedKey" in response:
        response = table.scan(ExclusiveStartKey=response["LastEvaluatedKey"], **kwargs)
        items.extend(response["Items"])
    return items


def full_query(table, **kwargs):
    items, response = [], table.query(**kwargs)
    items.extend(response["Items"])
    while "LastEvaluatedKey" in response:
        response = table.query(ExclusiveStartKey=response["LastEvaluatedKey"], **kwargs)
        items.extend(response["Items"])
    return items


def multiset(items):
    """Items as a comparable multiset (order-insensitive)."""
    return Counter(repr(sorted(item.items())) for item in items)


@contextlib.contextmanager
def assert_error(code, message=None):
    """Expect a ClientError with this exact code and (when given) exact message."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message, error


@contextlib.contextmanager
def assert_validation_errors(*errors):
    """Expect one ValidationException listing exactly these constraint violations
    ("N validation errors detected: a; b"), in any order: DynamoDB collects them, and the
    order of several is not something callers can rely on."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == "ValidationException", error
    prefix = f"{len(errors)} validation {'error' if len(errors) == 1 else 'errors'} detected: "
    assert error["Message"].startswith(prefix), error
    assert sorted(error["Message"][len(prefix):].split("; ")) == sorted(errors), error
