"""ProjectionExpression (and the UPDATED_OLD/UPDATED_NEW return values): copy the
requested document paths of an item into a new item.

Nested paths keep their nesting (``a.b`` gives ``{"a": {"M": {"b": ...}}}``); list
elements picked by index keep the list order of their indexes; paths that do not exist
in the item are left out, and so is a map or list that ends up with nothing in it.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..types import AttributeValue, Item

#: A projection tree: element -> subtree, or None for "the whole value".
Tree = dict


def build_tree(paths: Iterable[tuple]) -> Tree:
    """Merge resolved paths into one tree (a path ending inside a kept value is moot)."""
    tree: Tree = {}
    for elements in paths:
        node = tree
        for element in elements[:-1]:
            child = node.get(element, {})
            if child is None:  # an ancestor is kept whole already
                break
            node = node.setdefault(element, child)
        else:
            node[elements[-1]] = None
    return tree


def apply_tree(item: Item, tree: Tree) -> Item:
    result: Item = {}
    for name, subtree in tree.items():
        value = item.get(name)
        if value is None:
            continue
        picked = value if subtree is None else _pick(value, subtree)
        if picked is not None:
            result[name] = picked
    return result


def _pick(value: AttributeValue, tree: Tree) -> AttributeValue | None:
    if isinstance(next(iter(tree)), int):
        elements = value.get("L")
        if elements is None:
            return None
        kept = []
        for index in sorted(tree):
            if index < len(elements):
                picked = _keep(elements[index], tree[index])
                if picked is not None:
                    kept.append(picked)
        return {"L": kept} if kept else None
    members = value.get("M")
    if members is None:
        return None
    result = {}
    for key, subtree in tree.items():
        if key in members:
            picked = _keep(members[key], subtree)
            if picked is not None:
                result[key] = picked
    return {"M": result} if result else None


def _keep(value: AttributeValue, subtree: Any) -> AttributeValue | None:
    return value if subtree is None else _pick(value, subtree)


class Projection:
    """A bound ProjectionExpression: ``apply(item)`` returns the projected copy."""

    __slots__ = ("paths", "_tree", "_top_level")

    def __init__(self, paths: tuple) -> None:
        #: The resolved paths (ast.Path, every element a str or int), in text order.
        self.paths = paths
        self._tree = build_tree(p.elements for p in paths)
        self._top_level = all(v is None for v in self._tree.values())

    @property
    def attribute_names(self) -> set[str]:
        """The top-level attributes the projection reads."""
        return set(self._tree)

    def apply(self, item: Item) -> Item:
        if self._top_level:
            return {name: item[name] for name in self._tree if name in item}
        return apply_tree(item, self._tree)
