"""Answers' JSON, with each stored item's text kept from one answer to the next.

Why: an answer that lists stored items (Query, Scan, BatchGetItem, ...) spends most of
its server time writing them, and not for the work: orjson writes a 1 KB item of seven
attributes in about 0.3 us when it is in the processor's caches, but a 1 MB Scan page of
items last read a while ago took ~3 ms, one cache miss after another through each
item's fifteen-odd small objects (its dict, each value's dict, each string). The machine
the benchmark runs on (a Firecracker microVM in nested virtualization) pays dearly for
each miss. The text of an item, once written, is one contiguous bytes object: reading it
again costs a few misses, not fifteen. Measured (``python -m bench coldreads``;
``bench/RESULTS.md``, "Stored items' JSON kept"): the server's share of a full Scan of
20k items with cold caches went from ~74 ms to ~36 ms.

Stored items never change in place (an update builds a new item: see
:class:`emulator.types.SizedItem`), so an item's text never goes stale: it is kept on the
item itself (its ``wire`` slot) as an ``orjson.Fragment``, which orjson copies into the
answer as it is. The answer is the same bytes either way; only the time differs.

Answers that hold one item (GetItem, ReturnValues) are written whole, as before: for a
single item, keeping its text costs more than it saves. The texts kept are bounded
(:data:`DEFAULT_BUDGET_BYTES`, or the CLI's ``--read-cache-mb``; 0 keeps none): past
the budget, the oldest kept text is dropped (first in, first out, which costs nothing on
a read). An item kept here stays alive while its text is kept, even once it was replaced
or deleted, so the memory held is bounded by about three times the budget (the item and
its text), not by the table.

Only with orjson (``wire_json.ACCELERATED``); otherwise answers are written as before.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from emulator.types import SizedItem

from . import wire_json

#: Bytes of item text kept by default: the tables of a test suite, or the benchmark's
#: largest (20k items of 1 KB), fit with room to spare.
DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024


class StoredJSON:
    """Writes answers; keeps the text of the stored items they hold, up to a budget."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        #: (item, its text) in the order the texts were kept.
        self._kept: deque[tuple[SizedItem, bytes]] = deque()
        self._held = 0
        # Answers are written by several connection threads at once, outside the
        # database's lock; only keeping and dropping texts is guarded.
        self._lock = threading.Lock()
        self._budget = 0
        self.set_budget(budget_bytes)

    @property
    def budget(self) -> int:
        return self._budget

    @property
    def held(self) -> int:
        """Bytes of item text kept now."""
        return self._held

    def set_budget(self, budget_bytes: int) -> None:
        """Keep at most ``budget_bytes`` of text (0: none); drops texts past it now."""
        with self._lock:
            self._budget = max(0, budget_bytes) if wire_json.ACCELERATED else 0
            self._drop_past(self._budget)

    def drop_all(self) -> None:
        """Drop every kept text (the budget stays): after an emulator is emptied, its
        items would otherwise stay in memory until their texts were pushed out."""
        with self._lock:
            self._drop_past(0)

    def encode(self, answer: Any) -> bytes:
        """``answer`` as the protocol's JSON: the bytes of ``wire_json.encode(answer)``.

        Only answers that list items use and keep texts: Query, Scan and ExecuteStatement
        (``Items``), BatchGetItem, TransactGetItems and BatchExecuteStatement
        (``Responses``). A single item (GetItem, ReturnValues) is written whole: keeping
        its text costs more than its first writing (~2.5 us for 1 KB, counted in
        ``python -m bench instructions``: GetItem 83k -> 95k instructions), and its few
        objects cost little to write again.
        """
        if self._budget == 0 or not ("Items" in answer or "Responses" in answer):
            return wire_json.encode(answer)
        budget = self._budget
        fresh: list[tuple[SizedItem, bytes]] = []

        def text(value: Any) -> Any:
            # orjson's default: with PASSTHROUGH_SUBCLASS it hands over every dict
            # subclass, and SizedItem is the only one answers hold.
            if type(value) is not SizedItem:
                raise TypeError  # not ours: the standard library writes the answer
            try:
                kept = value.wire
            except AttributeError:  # never written into an answer (the engine leaves it unset)
                kept = None
            if kept is not None:
                return kept
            data = _dumps(value)
            if len(data) > budget:
                return _Fragment(data)
            # An exact copy is kept: orjson's own result sits in a larger block, and
            # keeping that cost ~4 us more a text (measured; fresh memory each time).
            data = bytes(memoryview(data))
            kept = value.wire = _Fragment(data)
            fresh.append((value, data))
            return kept

        try:
            return _dumps(answer, default=text, option=_PASSTHROUGH_SUBCLASS)
        except _EncodeError:
            return wire_json.stdlib_encode(answer)
        finally:
            if fresh:
                self._count(fresh)

    def _count(self, fresh: list[tuple[SizedItem, bytes]]) -> None:
        """Count the texts one answer kept (once, under the lock), dropping the oldest
        past the budget."""
        with self._lock:
            self._kept.extend(fresh)
            self._held += sum(len(data) for _, data in fresh)
            self._drop_past(self._budget)

    def _drop_past(self, budget: int) -> None:
        kept = self._kept
        while self._held > budget:
            item, data = kept.popleft()
            item.wire = None  # type: ignore[attr-defined]
            self._held -= len(data)

    def stale(self) -> list[SizedItem]:
        """The items whose kept text is no longer their JSON: none, unless something
        changed a stored item in place (the test suite checks this at its end)."""
        with self._lock:
            kept = list(self._kept)
        return [item for item, data in kept if _dumps(item) != data]


if wire_json.ACCELERATED:
    import orjson

    _dumps = orjson.dumps
    _Fragment = orjson.Fragment
    _EncodeError = orjson.JSONEncodeError
    _PASSTHROUGH_SUBCLASS = orjson.OPT_PASSTHROUGH_SUBCLASS

#: The process's answers: every emulator in the process shares the budget.
ANSWERS = StoredJSON()
