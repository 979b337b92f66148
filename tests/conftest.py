import pytest
from hypothesis import settings

from emulator import Database, ManualClock, api

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci")


@pytest.fixture
def db():
    return Database(clock=ManualClock(1_700_000_000))


@pytest.fixture
def call(db):
    """Run an operation on the fixture database: call("PutItem", {...})."""

    def run(operation, request):
        return api.call(db, operation, request)

    return run


@pytest.fixture
def table_factory(call):
    """Create a table from a compact key spec: table_factory("t", pk="S", sk="N")."""

    def create(name="tbl", **keys):
        definitions, schema = [], []
        for position, (attr, kind) in enumerate(keys.items()):
            definitions.append({"AttributeName": attr, "AttributeType": kind})
            schema.append({"AttributeName": attr, "KeyType": "HASH" if position == 0 else "RANGE"})
        call("CreateTable", {"TableName": name, "KeySchema": schema, "AttributeDefinitions": definitions,
                             "BillingMode": "PAY_PER_REQUEST"})
        return name

    return create


@pytest.fixture(scope="session", autouse=True)
def stored_items_never_change():
    """At the end of the run: every stored item whose JSON text the server kept
    (server.stored_json) still has that JSON, i.e. no test's operations changed a stored
    item in place, which would have answered later reads with the old text."""
    yield
    from server import stored_json

    assert stored_json.ANSWERS.stale() == []
