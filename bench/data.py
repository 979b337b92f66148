"""Items and table layouts of the workloads (the same shapes as /work/shared/bench).

Items are about 1 KB by DynamoDB's size rules: string keys ``pk``/``sk``, a few numbers, an
empty list to append to, a small number ``f`` to filter on, and a 930-character payload.
"""

from __future__ import annotations

import random
import string
import time
from typing import Any, Callable

_rng = random.Random(42)
PAYLOAD = "".join(_rng.choice(string.ascii_letters + string.digits) for _ in range(8192))

KEYS = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
KEY_TYPES = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]
GSI_NAME = "gsi1"


def item(pk: str, sk: str, i: int, data_len: int = 930, **extra: str) -> dict:
    """An item of about ``data_len + 70`` bytes; ``extra`` adds string attributes."""
    offset = (i * 7) % 4096
    result = {
        "pk": {"S": pk}, "sk": {"S": sk}, "n": {"N": str(i)}, "a": {"N": "0"}, "l": {"L": []},
        "f": {"N": str(i % 10)}, "data": {"S": PAYLOAD[offset:offset + data_len]},
    }
    for name, value in extra.items():
        result[name] = {"S": value}
    return result


def key(it: dict) -> dict:
    return {"pk": it["pk"], "sk": it["sk"]}


def create_table_request(name: str, gsi: bool = False) -> dict:
    """CreateTable arguments: pk/sk strings, on demand, optionally a GSI on gpk/gsk."""
    request: dict[str, Any] = {"TableName": name, "KeySchema": KEYS, "BillingMode": "PAY_PER_REQUEST",
                               "AttributeDefinitions": list(KEY_TYPES)}
    if gsi:
        request["AttributeDefinitions"] += [{"AttributeName": "gpk", "AttributeType": "S"},
                                            {"AttributeName": "gsk", "AttributeType": "S"}]
        request["GlobalSecondaryIndexes"] = [{
            "IndexName": GSI_NAME, "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"}, {"AttributeName": "gsk", "KeyType": "RANGE"}],
        }]
    return request


def load(client: Any, table: str, items: list[dict]) -> None:
    """BatchWriteItem in chunks of 25, retrying unprocessed items."""
    for start in range(0, len(items), 25):
        request = {table: [{"PutRequest": {"Item": it}} for it in items[start:start + 25]]}
        for attempt in range(100):
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
            if not request:
                break
            time.sleep(0.01 * (attempt + 1))
        else:
            raise RuntimeError("BatchWriteItem keeps returning unprocessed items")


def paged(call: Callable[..., dict], arguments: dict) -> tuple[int, int, int]:
    """Follow LastEvaluatedKey to the end: (pages, items, scanned items)."""
    pages = count = scanned = 0
    arguments = dict(arguments)
    while True:
        response = call(**arguments)
        pages += 1
        count += response["Count"]
        scanned += response.get("ScannedCount", response["Count"])
        last = response.get("LastEvaluatedKey")
        if not last:
            return pages, count, scanned
        arguments["ExclusiveStartKey"] = last
