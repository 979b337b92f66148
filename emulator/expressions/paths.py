"""Reading document paths on wire-format items.

Stored items are shared and never mutated. Readers use :func:`get`; an update copies
the containers on the paths it writes (expressions.update._Draft) and changes those.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..types import AttributeValue, Item


def get(item: Item, elements: Sequence[Any]) -> AttributeValue | None:
    """The value at a resolved path (str = map key / attribute, int = list index), or
    None when any step is missing or of the wrong kind. O(depth)."""
    value = item.get(elements[0])
    for element in elements[1:]:
        if value is None:
            return None
        if isinstance(element, int):
            inner = value.get("L")
            if inner is None or element >= len(inner):
                return None
            value = inner[element]
        else:
            inner = value.get("M")
            if inner is None:
                return None
            value = inner.get(element)
    return value
