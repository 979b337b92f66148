"""Clients of one session share botocore's cache of aliased event names
(server.client_events), and nothing else of their event emitters."""

from __future__ import annotations

import boto3
import pytest
from botocore.hooks import EventAliaser, HierarchicalEmitter
from botocore.utils import EVENT_ALIASES
from hypothesis import given
from hypothesis import strategies as st

from server.client_events import adopt, share_alias_cache
from server.inprocess import EmulatedSession, emulated

KEYS = {"KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"}

needs_botocore_internals = pytest.mark.skipif(
    not isinstance(getattr(EventAliaser(HierarchicalEmitter()), "_alias_name_cache", None), dict),
    reason="this botocore's EventAliaser has no alias cache to share (clients keep their own)")


def _cache(client):
    return client.meta.events._alias_name_cache


@needs_botocore_internals
def test_a_new_client_starts_with_the_names_earlier_clients_translated():
    session = EmulatedSession()
    first = session.client("dynamodb")
    first.create_table(TableName="users", **KEYS)
    second = session.client("dynamodb")
    assert "before-call.dynamodb.CreateTable" in _cache(second)
    assert _cache(second) is _cache(first)
    second.put_item(TableName="users", Item={"p": {"S": "a"}})
    assert "before-call.dynamodb.PutItem" in _cache(session.client("dynamodb"))


@needs_botocore_internals
def test_resources_streams_clients_and_boto3_default_session_clients_share_too():
    with emulated(patch_boto3=True) as session:
        client = session.client("dynamodb")
        assert _cache(session.resource("dynamodb").meta.client) is _cache(client)
        assert _cache(session.client("dynamodbstreams")) is _cache(client)
        assert _cache(boto3.client("dynamodb")) is _cache(client)


@needs_botocore_internals
def test_sessions_do_not_share_with_each_other():
    assert _cache(EmulatedSession().client("dynamodb")) is not _cache(EmulatedSession().client("dynamodb"))


@needs_botocore_internals
def test_http_fixture_session_shares():
    from server.pytest_plugin import _HttpSession

    session = _HttpSession(boto3.session.Session(region_name="us-east-1"), "http://127.0.0.1:9")
    assert _cache(session.client("dynamodb")) is _cache(session.client("dynamodb"))


def test_handlers_stay_with_the_client_they_were_registered_on():
    session = EmulatedSession()
    watched, other = session.client("dynamodb"), session.client("dynamodb")
    seen = []
    watched.meta.events.register("before-call.dynamodb.ListTables", lambda **kwargs: seen.append(1))
    other.list_tables()
    assert seen == []
    watched.list_tables()
    assert seen == [1]
    # Registered under an old service name, a handler is still found through the shared
    # translations, on its own client only.
    streams_seen = []
    streams = session.client("dynamodbstreams")
    streams.meta.events.register("before-call.dynamodb-streams.ListStreams", lambda **kwargs: streams_seen.append(1))
    session.client("dynamodbstreams").list_streams()
    streams.list_streams()
    assert streams_seen == [1]


# Event names built from botocore's alias table (old and new service names, with and
# without dots), event kinds and operation names: a shared cache filled by one client
# in any order must answer each name as a client's own cache would.
_PARTS = sorted(set(EVENT_ALIASES) | set(EVENT_ALIASES.values()) | {"dynamodb", "dynamodbstreams", "s3"})
_NAMES = st.lists(st.sampled_from(_PARTS) | st.sampled_from(["before-call", "needs-retry", "PutItem", "*"]),
                  min_size=1, max_size=4).map(".".join)


@needs_botocore_internals
@given(first=st.lists(_NAMES, max_size=20), second=st.lists(_NAMES, max_size=20))
def test_shared_translations_are_botocores_own(first, second):
    table = dict(EVENT_ALIASES)
    shared: dict = {}
    one, two = EventAliaser(HierarchicalEmitter(), dict(table)), EventAliaser(HierarchicalEmitter(), dict(table))
    assert adopt(one, table, shared) and adopt(two, table, shared)
    for name in first:
        one._alias_event_name(name)
    for name in first + second:
        own = EventAliaser(HierarchicalEmitter(), dict(table))
        assert two._alias_event_name(name) == own._alias_event_name(name)


@needs_botocore_internals
def test_a_client_with_another_alias_table_keeps_its_own_cache():
    table = dict(EVENT_ALIASES)
    shared = {"before-call.dynamodb.PutItem": "before-call.dynamodb.PutItem"}
    other = EventAliaser(HierarchicalEmitter(), {"dynamodb": "something-else"})
    assert not adopt(other, table, shared)
    assert other._alias_event_name("before-call.dynamodb.PutItem") == "before-call.something-else.PutItem"
    assert shared == {"before-call.dynamodb.PutItem": "before-call.dynamodb.PutItem"}


@needs_botocore_internals
def test_a_cache_that_disagrees_with_the_shared_one_is_kept():
    table = dict(EVENT_ALIASES)
    shared = {"x.apigateway": "x.api-gateway"}
    own = EventAliaser(HierarchicalEmitter(), dict(table))
    own._alias_name_cache["x.apigateway"] = "x.apigateway"  # not what the table says
    assert not adopt(own, table, shared)
    agreeing = EventAliaser(HierarchicalEmitter(), dict(table))
    agreeing._alias_event_name("y.autoscaling")
    assert adopt(agreeing, table, shared)
    assert shared == {"x.apigateway": "x.api-gateway", "y.autoscaling": "y.auto-scaling"}


def test_an_emitter_without_botocores_internals_is_left_alone():
    emitter = HierarchicalEmitter()  # no alias table, no alias cache
    assert share_alias_cache(emitter) is False
    bases = [object]
    emitter.emit("creating-client-class.dynamodb", class_attributes={}, base_classes=bases)
    assert bases == [object]
