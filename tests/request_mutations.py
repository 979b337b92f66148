"""Near-valid requests for fuzz tests: a valid request with one to three parts removed,
replaced by a random JSON value, or added, at any depth. Shared by the fuzz tests of
every operation (tests/properties) and of backups (tests/backups)."""

from __future__ import annotations

import copy
from typing import Any, Sequence

from hypothesis import strategies as st


def places(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a request: dict keys and list positions, at every depth."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found.extend(places(inner, prefix + (key,)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.extend(places(inner, prefix + (index,)))
    return found


def mutated_requests(requests: dict[str, dict], json: st.SearchStrategy,
                     added_members: Sequence[str]) -> st.SearchStrategy[tuple[str, dict]]:
    """(operation, request): one of ``requests`` mutated; ``json`` draws the values put
    in, ``added_members`` the names of members added to a map."""

    @st.composite
    def strategy(draw: Any) -> tuple[str, dict]:
        operation = draw(st.sampled_from(sorted(requests)))
        request = copy.deepcopy(requests[operation])
        for _ in range(draw(st.integers(1, 3))):
            place = draw(st.sampled_from(places(request)))
            if not place:
                continue
            *parents, last = place
            container = request
            for step in parents:
                container = container[step]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                container[last] = draw(json)
            elif action == "delete":
                del container[last]
            elif isinstance(container, dict):
                container[draw(st.sampled_from(list(added_members)))] = draw(json)
            else:
                container.append(draw(json))
        return operation, request

    return strategy()
