"""The property both kinds of request templates are tested by (tests/operations/
test_request_templates.py for the item operations, test_read_request_templates.py for
Query and Scan): two databases get the same requests, one keeping its templates across
the sequence, the other starting every request with none, and answer alike."""

from __future__ import annotations

from typing import Any, Callable, Iterable

#: (database, operation, request) -> what the database answered or raised.
Outcome = Callable[[Any, str, dict], object]


def assert_answers_alike(sequence: Iterable[tuple[str, dict]], remembering: Any, forgetting: Any,
                         outcome: Outcome, use: Callable[[dict[str, dict]], None],
                         names: Iterable[str], kept: dict[str, dict]) -> None:
    """``use(tables)`` installs a template table per name; ``kept`` is put back at the end."""
    names = list(names)
    remembered: dict[str, dict] = {name: {} for name in names}
    try:
        for operation, request in sequence:
            use({name: {} for name in names})
            expected = outcome(forgetting, operation, request)
            use(remembered)
            assert outcome(remembering, operation, request) == expected, (operation, request)
    finally:
        use(kept)
