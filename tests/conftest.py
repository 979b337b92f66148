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
