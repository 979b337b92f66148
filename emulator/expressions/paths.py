"""Reading and writing document paths on wire-format items.

Stored items are shared and never mutated. Readers use :func:`get`; writers first take
a private copy of the top-level attributes they will touch (:func:`copy_value`) and
then change that copy in place with :func:`parent_of`.
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


def copy_value(value: AttributeValue) -> AttributeValue:
    """A deep copy of the containers of a value (scalars and set members are shared
    immutable strings)."""
    if "M" in value:
        return {"M": {k: copy_value(v) for k, v in value["M"].items()}}
    if "L" in value:
        return {"L": [copy_value(v) for v in value["L"]]}
    return dict(value)


def parent_of(item: Item, elements: Sequence[Any]) -> dict | list | None:
    """The container (a map's dict or a list) that holds the last element of the path,
    or None when the path does not lead to a container of the right kind."""
    container: Any = item
    for position, element in enumerate(elements[:-1]):
        value = container[element] if _has(container, element) else None
        if value is None:
            return None
        wanted = "L" if isinstance(elements[position + 1], int) else "M"
        container = value.get(wanted)
        if container is None:
            return None
    return container


def _has(container: Any, element: Any) -> bool:
    if isinstance(container, list):
        return isinstance(element, int) and element < len(container)
    return not isinstance(element, int) and element in container
