"""The clients of one boto3 session share botocore's cache of aliased event names.

Why: botocore gives each new client a copy of its session's event emitter, and with it an
empty cache of the event names the emitter has translated through its alias table (old
service names that handlers may still be registered under). Every name a call emits is
translated once per client, by a loop over the whole table that raises and catches an
exception for most entries, and a call emits about fifteen names. The pytest fixtures
give each test new clients, so every test paid for it: a small test's boto3 work in
process (a new client, CreateTable, PutItem, GetItem) takes ~5.5 ms with a cache per
client and ~4.3 ms with the cache shared (``python -m bench startup``, interleaved in
one process).

A translation depends on nothing but the name and the alias table, and the clients of a
session copy the session's table unchanged, so they can share one cache: a name is
translated once per session instead of once per client. A client whose table is not the
session's keeps its own cache. Handlers stay per client: only the names' translations
are shared, never what is registered under them.

This reaches into two private attributes of botocore's ``EventAliaser``
(``_event_aliases`` and ``_alias_name_cache``; both are in botocore 1.31, the oldest this
project supports, as in 1.43). Where they are missing, clients keep botocore's behaviour.
``tests/server/test_client_events.py`` checks that the shared translations are botocore's.
"""

from __future__ import annotations

from typing import Any


def share_alias_cache(events: Any) -> bool:
    """Make every client created later from the session whose event emitter is
    ``events`` (``boto3.Session().events``) share one cache of aliased event names.

    Returns False, changing nothing, if botocore's emitter is not as expected."""
    aliases = getattr(events, "_event_aliases", None)
    if not isinstance(aliases, dict) or not isinstance(getattr(events, "_alias_name_cache", None), dict):
        return False
    table = dict(aliases)
    shared: dict[str, str] = {}

    class SharedAliasCache:
        """A base of the session's client classes: after botocore made the client, its
        emitter's alias cache becomes the session's."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[call-arg]
            adopt(self.meta.events, table, shared)  # type: ignore[attr-defined]

    def add_base(base_classes: list, **kwargs: Any) -> None:
        if SharedAliasCache not in base_classes:
            base_classes.insert(0, SharedAliasCache)

    events.register("creating-client-class", add_base, unique_id=f"dynamodb-emulator-alias-cache-{id(events)}")
    return True


def adopt(events: Any, table: dict, shared: dict) -> bool:
    """Give a client's emitter the ``shared`` cache, if its alias table is ``table`` and
    its own cache holds nothing the shared one does not (it is new)."""
    cache = getattr(events, "_alias_name_cache", None)
    if not isinstance(cache, dict) or getattr(events, "_event_aliases", None) != table:
        return False
    if cache:
        if any(shared.get(name, value) != value for name, value in cache.items()):
            return False
        shared.update(cache)
    events._alias_name_cache = shared
    return True
