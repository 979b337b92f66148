"""A local stand-in for Lambda triggers on DynamoDB Streams.

A *subscription* sends the stream records of one table, in commit order and in batches,
to a Python callable (in-process) or to an HTTP URL (POSTed as JSON), in the event shape
Lambda gives a DynamoDB-stream function::

    {"Records": [{"eventID": ..., "eventName": "INSERT", "eventVersion": "1.1",
                  "eventSource": "aws:dynamodb", "awsRegion": ..., "dynamodb": {...},
                  "eventSourceARN": "<stream arn>"}, ...]}

The table must have a stream (StreamSpecification), as for a real trigger: the records
and their images follow its StreamViewType. Records are queued while the write holds the
Database lock and delivered outside it, so a slow handler never blocks writes and a
handler may write back to the emulator (its own writes are delivered in a later batch).

Delivery is done by a background thread (``background=True``, the default), shortly after
each write, or by calling :func:`deliver` (deterministic, for tests). A handler that
raises, or a URL that fails, is logged and the batch is recorded in
``Subscription.failures``; delivery goes on with the next batch (no retries).

    from emulator import triggers
    sub = triggers.subscribe(db, "orders", handle_event, background=False)
    ...  # writes
    triggers.deliver(db)

The server takes ``--stream-trigger TABLE=URL`` (repeatable), which subscribes the URL
in the server's default region.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .streams import Stream, StreamRecord, StreamRegistry

if TYPE_CHECKING:
    from .database import Database

log = logging.getLogger(__name__)

EXTENSION = "triggers"
#: Lambda's default batch size for DynamoDB event sources.
DEFAULT_BATCH_SIZE = 100
HTTP_TIMEOUT_SECONDS = 30.0

Handler = Callable[[dict], Any]


@dataclass(eq=False)
class Subscription:
    """One trigger: the records of ``table_name`` go to ``target`` in batches."""

    table_name: str
    target: Union[Handler, str]
    batch_size: int = DEFAULT_BATCH_SIZE
    delivered: int = 0
    #: (event, exception) of every batch whose delivery failed.
    failures: list[tuple[dict, BaseException]] = field(default_factory=list)

    def send(self, event: dict) -> None:
        if callable(self.target):
            self.target(event)
            return
        body = json.dumps(event).encode("utf-8")
        request = urllib.request.Request(
            self.target, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            response.read()


def lambda_record(stream: Stream, record: StreamRecord, region: str) -> dict:
    """A stream record as Lambda passes it to a function: GetRecords' shape plus the
    stream's ARN as ``eventSourceARN``."""
    event = record.to_wire(region, stream.view_type)
    event["eventSourceARN"] = stream.arn
    return event


class Triggers:
    """The subscriptions of one Database and the queue of records not yet delivered."""

    def __init__(self, db: Database, background: bool = True) -> None:
        self.db = db
        self.subscriptions: list[Subscription] = []
        self._pending: deque[tuple[Subscription, Stream, StreamRecord]] = deque()
        self._queue_lock = threading.Condition()
        self._delivery_lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self.background = background
        StreamRegistry.of(db).observers.append(self._on_record)

    @classmethod
    def of(cls, db: Database, background: bool = True) -> "Triggers":
        with db.lock:
            triggers = db.extensions.get(EXTENSION)
            if triggers is None:
                triggers = db.extensions[EXTENSION] = cls(db, background)
            return triggers

    def subscribe(self, table_name: str, target: Union[Handler, str], batch_size: int = DEFAULT_BATCH_SIZE) -> Subscription:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        subscription = Subscription(table_name, target, batch_size)
        with self.db.lock:
            self.subscriptions.append(subscription)
        if self.background:
            self._start_thread()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self.db.lock:
            if subscription in self.subscriptions:
                self.subscriptions.remove(subscription)

    # -------------------------------------------------------- queueing (lock held)

    def _on_record(self, stream: Stream, record: StreamRecord) -> None:
        """StreamRegistry observer, called with the Database lock held: queue only."""
        targets = [s for s in self.subscriptions if s.table_name == stream.table_name]
        if not targets:
            return
        with self._queue_lock:
            for subscription in targets:
                self._pending.append((subscription, stream, record))
            self._queue_lock.notify()

    # -------------------------------------------------------- delivery (lock not held)

    def deliver(self) -> int:
        """Deliver every queued record (and those queued meanwhile by handlers writing
        back), in order, in batches; return the number delivered. Call it outside any
        operation: handlers run in the calling thread."""
        total = 0
        with self._delivery_lock:
            while True:
                with self._queue_lock:
                    work = list(self._pending)
                    self._pending.clear()
                if not work:
                    return total
                total += self._send_all(work)

    def _send_all(self, work: list[tuple[Subscription, Stream, StreamRecord]]) -> int:
        batches: dict[Subscription, list[dict]] = {}
        for subscription, stream, record in work:
            batches.setdefault(subscription, []).append(lambda_record(stream, record, self.db.region))
        for subscription, records in batches.items():
            for start in range(0, len(records), subscription.batch_size):
                event = {"Records": records[start:start + subscription.batch_size]}
                try:
                    subscription.send(event)
                    subscription.delivered += len(event["Records"])
                except Exception as error:  # the handler's problem: log it, go on
                    log.exception("stream trigger for table %s failed", subscription.table_name)
                    subscription.failures.append((event, error))
        return len(work)

    def _start_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="dynamodb-emulator-triggers", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        """Deliver as records arrive; stop once this registry is dropped (Database.reset)."""
        while self.db.extensions.get(EXTENSION) is self:
            with self._queue_lock:
                if not self._pending:
                    self._queue_lock.wait(timeout=1.0)
            self.deliver()


def subscribe(
    db: Database, table_name: str, target: Union[Handler, str], *,
    batch_size: int = DEFAULT_BATCH_SIZE, background: bool = True,
) -> Subscription:
    """Send the stream records of ``table_name`` to ``target`` (a callable taking the
    Lambda-shaped event, or an http(s) URL). ``background=False`` leaves delivery to
    :func:`deliver` (the choice is made by the first subscription of a Database)."""
    return Triggers.of(db, background).subscribe(table_name, target, batch_size)


def deliver(db: Database) -> int:
    """Deliver every queued record of ``db`` now, in the calling thread."""
    triggers = db.extensions.get(EXTENSION)
    return triggers.deliver() if triggers is not None else 0
