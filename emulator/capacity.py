"""ConsumedCapacity arithmetic.

Reads cost one unit per 4 KB (rounded up, at least one), half that when eventually
consistent; writes one unit per 1 KB of the larger of the old and new item.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
"""

from __future__ import annotations

from typing import Any

from .limits import READ_UNIT_BYTES, WRITE_UNIT_BYTES

RETURN_CONSUMED_CAPACITY = ("INDEXES", "TOTAL", "NONE")


def read_units(size_bytes: int, consistent: bool) -> float:
    units = max(1, -(-size_bytes // READ_UNIT_BYTES))
    return float(units) if consistent else units / 2


def write_units(size_bytes: int) -> float:
    return float(max(1, -(-size_bytes // WRITE_UNIT_BYTES)))


def consumed(
    mode: Any,
    table_name: str,
    table_units: float,
    index_units: dict[str, tuple[str, float]] | None = None,
    *,
    read: bool | None = None,
) -> dict | None:
    """The ``ConsumedCapacity`` entry for ``ReturnConsumedCapacity`` = ``mode``.

    ``index_units`` maps index name -> ("GlobalSecondaryIndexes" or
    "LocalSecondaryIndexes", units). ``read`` adds ReadCapacityUnits or
    WriteCapacityUnits beside CapacityUnits, as DynamoDB does for INDEXES.
    """
    if mode not in ("TOTAL", "INDEXES"):
        return None
    index_units = index_units or {}
    total = table_units + sum(units for _, units in index_units.values())
    result: dict[str, Any] = {"TableName": table_name, "CapacityUnits": total}
    if read is not None:
        result["ReadCapacityUnits" if read else "WriteCapacityUnits"] = total
    if mode == "INDEXES":
        result["Table"] = _units(table_units, read)
        for name, (kind, units) in index_units.items():
            result.setdefault(kind, {})[name] = _units(units, read)
    return result


def _units(units: float, read: bool | None) -> dict[str, float]:
    entry = {"CapacityUnits": units}
    if read is not None:
        entry["ReadCapacityUnits" if read else "WriteCapacityUnits"] = units
    return entry
