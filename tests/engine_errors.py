"""The error an engine call raises, for unit tests that pin DynamoDB's messages."""

from __future__ import annotations

from typing import Any, Callable, Union

import pytest

from emulator import Database, api
from emulator.errors import DynamoDBError


def error_of(target: Union[Database, Callable[[str, dict], Any]], operation: str, request: dict) -> tuple[str, str]:
    """(code, message) of the DynamoDB error ``operation`` raises on ``target``: a
    Database, or a ``call(operation, request)`` function such as the ``call`` fixture.
    Fails the test if the operation succeeds."""
    with pytest.raises(DynamoDBError) as info:
        if isinstance(target, Database):
            api.call(target, operation, request)
        else:
            target(operation, request)
    return info.value.code, info.value.message
