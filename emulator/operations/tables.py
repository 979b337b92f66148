"""Control plane: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable.

Each operation checks the request first (types, then the collected shape errors, then
semantic rules; table_requests.py), then whether the table exists and is in a state
that allows the change, then acts. :func:`describe` is the one builder of a
TableDescription; every response that carries one goes through it.

Life cycle. A new table is ``CREATING`` for ``Config.table_creation_delay_seconds`` (by
``db.clock``) and a deleted one stays visible as ``DELETING`` for
``Config.table_deletion_delay_seconds``; with the default 0 both happen at once, though
the CreateTable and DeleteTable responses still say CREATING and DELETING, as
DynamoDB's do. :func:`settle` finishes due transitions; it runs as a
``db.before_operation`` hook (registered on first need) and at the start of every
operation here. Item operations cannot see a CREATING or DELETING table
(``Database.get_table``: "Requested resource not found"), while DescribeTable and
ListTables can.

Extension points (indexes.py, streams.py and others plug in here; each is a plain list
or dict, appended to at import time of the extension):

- Request checks, in table_requests.py and re-exported here: ``CREATE_SHAPE_CHECKS``,
  ``UPDATE_SHAPE_CHECKS``, ``CREATE_CHECKS``, ``UPDATE_CHECKS``, ``KEY_SCHEMA_SOURCES``
  (the attribute-definition usage rule: append a function returning the key schemas of
  a request's indexes).
- ``TABLE_FEATURES``: ``fn(db, table, request)`` after a CreateTable request passed
  every check, before the table becomes visible; build per-table state in
  ``table.extensions`` and add ``table.listeners`` / ``table.write_checks`` here.
  ``request`` is the type-checked request; raising refuses the CreateTable atomically.
- ``DESCRIPTION_PARTS``: ``fn(table, status) -> dict | None``, merged into every
  TableDescription (e.g. GlobalSecondaryIndexes, LatestStreamArn); ``status`` is the
  TableStatus being shown ("CREATING" in the CreateTable response).
- ``DELETION_OMITS``: members DeleteTable's description leaves out (DynamoDB omits the
  key schema and the indexes there); extend it for members of your own.
- ``UPDATE_HANDLERS``: ``{member: fn(db, table, request) -> Change | None}``. When an
  UpdateTable request carries ``member``, ``fn`` checks it against the table (raising
  a DynamoDBError refuses the whole request, nothing changed) and returns
  ``Change(apply=..., echo_old=(...), patch={...})``: ``apply()`` is called only after
  every check and handler has passed; ``echo_old`` names description members the
  response shows as they were before (DynamoDB echoes old values while UPDATING) and
  ``patch`` is merged into the response. The built-in "StreamSpecification" handler
  only records the specification; streams.py replaces it. Request-only rules that
  involve index updates ("You cannot create or delete index while updating table
  IOPS", ...) belong in ``UPDATE_CHECKS``. The response says UPDATING when the request
  has any of ``table_updates.UPDATING_MEMBERS``.
- ``DELETE_FEATURES``: ``fn(db, table)`` when DeleteTable is accepted.
"""

from __future__ import annotations

import bisect
import re
import uuid
from typing import Any, Callable, Optional

from .. import validate
from ..database import Database
from ..errors import ResourceInUseException
from ..table import Table
from . import table_updates
from .request_types import conform
from .table_requests import (  # noqa: F401  (re-exported extension points)
    CREATE_CHECKS,
    CREATE_SHAPE_CHECKS,
    KEY_SCHEMA_SOURCES,
    UPDATE_CHECKS,
    UPDATE_SHAPE_CHECKS,
    NewTable,
    check_create_table,
    check_update_table,
    check_table_name,
    table_name,
)
from .table_updates import Change, UPDATE_HANDLERS  # noqa: F401  (re-exported)
from .tags import TAGS_EXTENSION

TABLE_FEATURES: list[Callable[[Database, Table, dict], None]] = []
DESCRIPTION_PARTS: list[Callable[[Table, str], Optional[dict]]] = []
DELETE_FEATURES: list[Callable[[Database, Table], None]] = []
#: Left out of DeleteTable's TableDescription (scylladb test_table.py
#: test_delete_table_description*, checked against DynamoDB).
DELETION_OMITS: set[str] = {
    "AttributeDefinitions", "KeySchema", "CreationDateTime", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
}


_PENDING = "tables.pending"


def in_use_message(table: Table) -> str:
    """ResourceInUseException text for a table that is being created or deleted
    (ack-api-quirks DDB-TABLE-001/006, 2026-10)."""
    what = "created" if table.status == "CREATING" else "deleted"
    return f"Attempt to change a resource which is still in use: Table is being {what}: {table.name}"


# ---------------------------------------------------------------- life cycle


def settle(db: Database) -> None:
    """Finish the creations and deletions whose delay has passed. O(1) when none is
    pending, so it is cheap as a before-operation hook."""
    pending = db.extensions.get(_PENDING)
    if not pending:
        return
    now = db.clock.now()
    for name, (deadline, table) in list(pending.items()):
        if now < deadline:
            continue
        del pending[name]
        if db.tables.get(name) is not table:
            continue
        if table.status == "CREATING":
            table.status = "ACTIVE"
        elif table.status == "DELETING":
            del db.tables[name]


def _pend(db: Database, table: Table, deadline: float) -> None:
    db.extensions.setdefault(_PENDING, {})[table.name] = (deadline, table)
    if settle not in db.before_operation:
        db.before_operation.append(settle)


# ---------------------------------------------------------------- describe


def _decreases_today(settings: dict, now: Optional[float]) -> int:
    """NumberOfDecreasesToday counts from 00:00 UTC (ack-api-quirks DDB-TABLE-184)."""
    if now is not None and settings["DecreaseDay"] != int(now // 86400):
        return 0
    return settings["DecreaseCount"]


def provisioned_throughput(settings: dict, now: Optional[float]) -> dict[str, Any]:
    throughput: dict[str, Any] = {}
    if settings["LastIncreaseDateTime"] is not None:
        throughput["LastIncreaseDateTime"] = settings["LastIncreaseDateTime"]
    if settings["LastDecreaseDateTime"] is not None:
        throughput["LastDecreaseDateTime"] = settings["LastDecreaseDateTime"]
    throughput["NumberOfDecreasesToday"] = _decreases_today(settings, now)
    throughput["ReadCapacityUnits"] = settings["ReadCapacityUnits"]
    throughput["WriteCapacityUnits"] = settings["WriteCapacityUnits"]
    return throughput


def describe(table: Table, status: Optional[str] = None, now: Optional[float] = None) -> dict:
    """The TableDescription of ``table`` (DescribeTable's ``Table``), built fresh.

    ``status`` overrides the TableStatus shown (responses of CreateTable, UpdateTable and
    DeleteTable show the state the change starts in); ``now`` (the db clock) resets
    NumberOfDecreasesToday on a new UTC day. O(1) plus the extensions' parts.

    Shape as DynamoDB sends it: BillingModeSummary only once the table has been on
    demand (absent for tables created PROVISIONED), ProvisionedThroughput always (0/0 on
    demand), TableClassSummary only once a class was set, no SSEDescription for the
    default key, OnDemandThroughput only with a maximum set (DDB-TABLE-182), WarmThroughput always (ack-api-quirks DDB-TABLE-028/033/058/064; scylladb
    test_describe_table.py, test_tableclass.py).
    """
    settings = table.settings
    status = status or table.status
    description: dict[str, Any] = {
        "AttributeDefinitions": [dict(d) for d in settings["AttributeDefinitions"]],
        "TableName": table.name,
        "KeySchema": table.schema.to_wire(),
        "TableStatus": status,
        "CreationDateTime": table.created_at,
        "ProvisionedThroughput": provisioned_throughput(settings, now),
        "TableSizeBytes": table.size_bytes,
        "ItemCount": table.item_count,
        "TableArn": table.arn,
        "TableId": table.table_id,
    }
    pay_per_request_since = settings["LastUpdateToPayPerRequestDateTime"]
    if pay_per_request_since is not None:
        summary: dict[str, Any] = {"BillingMode": settings["BillingMode"]}
        if status != "CREATING":
            summary["LastUpdateToPayPerRequestDateTime"] = pay_per_request_since
        description["BillingModeSummary"] = summary
    if settings["StreamSpecification"] is not None:
        description["StreamSpecification"] = dict(settings["StreamSpecification"])
    if settings["SSEDescription"] is not None:
        description["SSEDescription"] = dict(settings["SSEDescription"])
    if settings["TableClass"] is not None:
        class_summary: dict[str, Any] = {"TableClass": settings["TableClass"]}
        if settings["TableClassUpdated"] is not None:
            class_summary["LastUpdateDateTime"] = settings["TableClassUpdated"]
        description["TableClassSummary"] = class_summary
    description["DeletionProtectionEnabled"] = settings["DeletionProtectionEnabled"]
    if settings["OnDemandThroughput"]:
        description["OnDemandThroughput"] = dict(settings["OnDemandThroughput"])
    description["WarmThroughput"] = {
        "ReadUnitsPerSecond": settings["WarmReadUnits"],
        "WriteUnitsPerSecond": settings["WarmWriteUnits"],
        "Status": "ACTIVE",
    }
    for part in DESCRIPTION_PARTS:
        extra = part(table, status)
        if extra:
            description.update(extra)
    return description


# ---------------------------------------------------------------- CreateTable


def initial_settings(new: NewTable, now: float) -> dict[str, Any]:
    """``Table.settings`` of a new table (the keys describe() reads; a restore builds a
    table with these too)."""
    on_demand = new.billing_mode == "PAY_PER_REQUEST"
    return {
        "AttributeDefinitions": new.definitions,
        "BillingMode": new.billing_mode,
        "ReadCapacityUnits": new.read_units,
        "WriteCapacityUnits": new.write_units,
        "LastIncreaseDateTime": None,
        "LastDecreaseDateTime": None,
        "DecreaseDay": None,
        "DecreaseCount": 0,
        "LastUpdateToPayPerRequestDateTime": now if on_demand else None,
        "WarmReadUnits": table_updates.ON_DEMAND_WARM[0] if on_demand else new.read_units,
        "WarmWriteUnits": table_updates.ON_DEMAND_WARM[1] if on_demand else new.write_units,
        "DeletionProtectionEnabled": new.deletion_protection,
        "StreamSpecification": new.stream,
        "SSEDescription": new.sse,
        "TableClass": new.table_class,
        "TableClassUpdated": None,
        "OnDemandThroughput": dict(new.on_demand),
    }


def add_table(db: Database, request: dict, new: NewTable, now: float) -> Table:
    """Build the table a checked CreateTable-shaped request describes, run the
    TABLE_FEATURES on it and make it visible (CREATING for the configured delay). The
    one way a table comes to be: CreateTable and the restores (operations/restores.py)
    both use it, so a restored table gets every feature a created one does."""
    table = Table(
        name=new.name,
        schema=new.schema,
        arn=db.table_arn(new.name),
        table_id=str(uuid.uuid4()),
        created_at=now,
        settings=initial_settings(new, now),
    )
    table.extensions[TAGS_EXTENSION] = new.tags
    for feature in TABLE_FEATURES:
        feature(db, table, request)
    delay = db.config.table_creation_delay_seconds
    if delay > 0:
        table.status = "CREATING"
        _pend(db, table, now + delay)
    db.tables[new.name] = table
    return table


def create_table(db: Database, request: dict) -> dict:
    settle(db)
    request, new = check_create_table(db, request)
    existing = db.tables.get(new.name)
    if existing is not None:
        # "Table already exists" even while DELETING; while CREATING the in-use text
        # (ack-api-quirks DDB-TABLE-005).
        if existing.status == "CREATING":
            raise ResourceInUseException(in_use_message(existing))
        raise ResourceInUseException(f"Table already exists: {new.name}")
    table_updates.check_table_capacity(db, new.read_units, new.write_units)
    now = db.clock.now()
    table = add_table(db, request, new, now)
    # The response shows the table as just created (CREATING) and, like DynamoDB's,
    # has no WarmThroughput (ack-api-quirks DDB-TABLE-033).
    description = describe(table, "CREATING", now)
    description.pop("WarmThroughput", None)
    return {"TableDescription": description}


# ---------------------------------------------------------------- DescribeTable / DeleteTable


def _named_table(db: Database, request: dict) -> tuple[dict, Table]:
    """Type check, the TableName, then the table (or ResourceNotFound)."""
    request = conform(request, {"TableName": "String"})
    check_table_name(request)
    return request, db.get_table(table_name(db, request["TableName"]), named=True)


def describe_table(db: Database, request: dict) -> dict:
    settle(db)
    _, table = _named_table(db, request)
    return {"Table": describe(table, now=db.clock.now())}


def delete_table(db: Database, request: dict) -> dict:
    settle(db)
    _, table = _named_table(db, request)
    if table.status in ("CREATING", "DELETING"):
        raise ResourceInUseException(in_use_message(table))
    if table.settings["DeletionProtectionEnabled"]:
        raise table_updates.deletion_protected()
    for feature in DELETE_FEATURES:
        feature(db, table)
    table.status = "DELETING"
    now = db.clock.now()
    description = describe(table, now=now)
    for member in DELETION_OMITS:
        description.pop(member, None)
    delay = db.config.table_deletion_delay_seconds
    if delay > 0:
        _pend(db, table, now + delay)
    else:
        del db.tables[table.name]
    return {"TableDescription": description}


# ---------------------------------------------------------------- ListTables

MAX_LIST_TABLES_LIMIT = 100
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")


def list_tables(db: Database, request: dict) -> dict:
    """Names in byte order (ack-api-quirks DDB-TABLE-012), DELETING tables included
    (DDB-TABLE-076); LastEvaluatedTableName only when more names follow the page
    (DDB-TABLE-400). ExclusiveStartTableName need not exist (DDB-TABLE-379)."""
    settle(db)
    request = conform(request, {"ExclusiveStartTableName": "String", "Limit": "Integer"})
    start, limit = request.get("ExclusiveStartTableName"), request.get("Limit")
    shape = validate.Shape()
    if start is not None:
        # pattern before length for this member (ack-api-quirks DDB-TABLE-457)
        shape.pattern(start, "exclusiveStartTableName", _TABLE_NAME, "[a-zA-Z0-9_.-]+")
        shape.length(start, "exclusiveStartTableName", 3, 255)
    shape.number(limit, "limit", 1, MAX_LIST_TABLES_LIMIT)
    shape.check()
    names = sorted(db.tables)  # names are ASCII: code-point order is byte order
    first = bisect.bisect_right(names, start) if start is not None else 0
    limit = limit or MAX_LIST_TABLES_LIMIT
    page = names[first:first + limit]
    response: dict[str, Any] = {"TableNames": page}
    if first + limit < len(names):
        response["LastEvaluatedTableName"] = page[-1]
    return response


# ---------------------------------------------------------------- UpdateTable


def update_table(db: Database, request: dict) -> dict:
    settle(db)
    request, present = check_update_table(db, request)
    table = db.get_table(table_name(db, request["TableName"]), named=True)
    if table.status in ("CREATING", "DELETING"):
        raise ResourceInUseException(in_use_message(table))
    now = db.clock.now()
    changes = table_updates.plan(db, table, request, present, now)
    for member, handler in UPDATE_HANDLERS.items():
        if member in request:
            change = handler(db, table, request)
            if change is not None:
                changes.append(change)
    before = describe(table, now=now)
    for change in changes:
        change.apply()
    status = "UPDATING" if any(m in table_updates.UPDATING_MEMBERS for m in present) else table.status
    response = describe(table, status, now)
    for change in changes:
        change.echo(before, response)
    return {"TableDescription": response}
