"""ClientRequestToken idempotency of TransactWriteItems, one token store per Database.

DynamoDB's rules (API_TransactWriteItems.html, ClientRequestToken):

* a token is valid for 10 minutes after the first request that uses it completes;
* within that window the same token with the same request succeeds again without a
  second write ("multiple identical calls have the same effect as one single call");
  its ConsumedCapacity, if asked for, is the read capacity of reading the items, not the
  first call's write capacity;
* the same token with other parameters is refused with IdempotentParameterMismatch-
  Exception. The comparison is of the request's content, not its JSON text: key order
  does not matter (localstack issue 6529, verified on AWS). ReturnConsumedCapacity only
  shapes the response, so it is left out of the comparison.

Only a transaction that succeeded is remembered: one cancelled or refused made no
change, so running it again is what a retry of it means. Times come from ``db.clock``,
so tests move through the window without sleeping. Callers hold the Database lock.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .errors import IdempotentParameterMismatchException
from .limits import CLIENT_REQUEST_TOKEN_TTL_SECONDS

EXTENSION = "transactions"

# No public record of DynamoDB's wording was found; the code is what clients test for.
MISMATCH_MESSAGE = (
    "The request uses the same client request token as a previous request, but its parameters are different"
)

#: Request members that do not take part in the comparison of two uses of one token.
_NOT_COMPARED = ("ClientRequestToken", "ReturnConsumedCapacity")


@dataclass
class TokenUse:
    """What the first successful request with a token left behind."""

    fingerprint: bytes
    response: dict[str, Any]
    #: Per table, the size in bytes of each item the transaction wrote or checked: what
    #: a replay reports reading.
    item_sizes: dict[str, list[int]] = field(default_factory=dict)
    completed_at: float = 0.0


def fingerprint(request: dict) -> bytes:
    """A digest of the request's content, independent of JSON member order.

    boto3 gives every TransactWriteItems a token, so every request through it is
    fingerprinted and the fingerprint kept ten minutes: a SHA-256 of the sorted JSON
    text (32 bytes, where the text of a 10-put transaction held ~32 KB of orjson's
    buffer). orjson writes that text where it is installed (a 25-item transaction:
    ~10 us, where the standard library's sorted encoding took ~100 us). One request
    always takes the same path (orjson refuses the same things every time, and the
    standard library then writes them), so two uses of a token compare alike.
    """
    compared = {name: value for name, value in request.items() if name not in _NOT_COMPARED}
    text = None
    if _orjson_dumps is not None:
        try:
            text = _orjson_dumps(compared, option=_SORTED, default=str)
        except TypeError:  # an integer beyond 64 bits, a non-string key
            pass
    if text is None:  # ASCII: the standard library escapes everything else
        text = json.dumps(compared, sort_keys=True, separators=(",", ":"), default=str).encode("ascii")
    return hashlib.sha256(text).digest()


try:
    import orjson
except ImportError:  # no wheel for this interpreter
    _orjson_dumps = None
else:
    _orjson_dumps = orjson.dumps
    _SORTED = orjson.OPT_SORT_KEYS


class TokenStore:
    """Tokens in the order their first use completed, so expiry pops from the front."""

    def __init__(self) -> None:
        self._uses: OrderedDict[str, TokenUse] = OrderedDict()

    def find(self, token: str, request_fingerprint: bytes, now: float) -> TokenUse | None:
        """The earlier use of ``token`` within the window, None when there is none, or
        IdempotentParameterMismatchException when it was used for another request."""
        self._expire(now)
        use = self._uses.get(token)
        if use is None:
            return None
        if use.fingerprint != request_fingerprint:
            raise IdempotentParameterMismatchException(MISMATCH_MESSAGE)
        return use

    def remember(self, token: str, use: TokenUse) -> None:
        self._uses[token] = use
        self._uses.move_to_end(token)

    def _expire(self, now: float) -> None:
        while self._uses:
            token, oldest = next(iter(self._uses.items()))
            if now - oldest.completed_at < CLIENT_REQUEST_TOKEN_TTL_SECONDS:
                return
            del self._uses[token]

    def __len__(self) -> int:
        return len(self._uses)


def token_store(db: Any) -> TokenStore:
    """The Database's token store (created on first use; ``db.reset()`` drops it)."""
    store = db.extensions.get(EXTENSION)
    if store is None:
        store = db.extensions[EXTENSION] = TokenStore()
    return store
