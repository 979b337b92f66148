"""Secondary indexes in the control plane: created with the table, shown by DescribeTable,
added, changed and removed by UpdateTable, and waited for.

Plugs into tables.py's extension points (see its docstring): ``TABLE_FEATURES`` builds the
indexes of a new table, ``DESCRIPTION_PARTS`` lists them in every TableDescription,
``UPDATE_HANDLERS`` takes GlobalSecondaryIndexUpdates (and the GSI side of a billing
switch), ``DELETE_FEATURES`` refuses DeleteTable while an index is being built. Request
checks are in index_requests.py; storage and upkeep in emulator/indexes.py.

Life cycle of a GSI added by UpdateTable (ack-api-quirks DDB-TABLE-148/165): the response
shows it CREATING with Backfilling false; DescribeTable then shows it CREATING with
Backfilling true for ``Config.index_creation_delay_seconds`` (by ``db.clock``), then
ACTIVE. Its items are copied from the table at once (and kept current from then on);
only the status waits, so code that polls for ACTIVE can be tested. Query and Scan refuse
a backfilling index. A deleted GSI is shown DELETING in the UpdateTable response and is
gone afterwards. One index may be created or deleted at a time (DDB-TABLE-159).
"""

from __future__ import annotations

from typing import Any, Optional

from .. import limits
from ..database import Database
from ..errors import LimitExceededException, ResourceInUseException, ResourceNotFoundException, ValidationException
from ..indexes import GLOBAL, LOCAL, Index, Projection, TableIndexes, table_indexes
from ..table import KeySchema, Table
from ..types import INVALID
from . import index_requests, table_updates, tables
from .index_requests import action_of, undefined_keys_message
from .table_updates import Change

_PENDING = "indexes.pending"
ONE_AT_A_TIME = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"


# ---------------------------------------------------------------- building indexes


def _key_schema(elements: list, definitions: dict[str, str]) -> KeySchema:
    hash_name = elements[0]["AttributeName"]
    range_name = elements[1]["AttributeName"] if len(elements) == 2 else None
    return KeySchema(hash_name, definitions[hash_name], range_name, definitions[range_name] if range_name else None)


def _throughput_settings(throughput: Optional[dict]) -> dict[str, Any]:
    """A GSI's throughput, kept in the same keys as the table's (tables.provisioned_throughput)."""
    throughput = throughput or {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    return {
        "ReadCapacityUnits": throughput["ReadCapacityUnits"],
        "WriteCapacityUnits": throughput["WriteCapacityUnits"],
        "LastIncreaseDateTime": None,
        "LastDecreaseDateTime": None,
        "DecreaseDay": None,
        "DecreaseCount": 0,
    }


def build_index(table: Table, spec: dict, kind: str, definitions: dict[str, str]) -> Index:
    """An empty Index from a checked LocalSecondaryIndex / GlobalSecondaryIndex /
    CreateGlobalSecondaryIndexAction structure."""
    projection = spec["Projection"]
    index = Index(
        name=spec["IndexName"],
        kind=kind,
        schema=_key_schema(spec["KeySchema"], definitions),
        table_schema=table.schema,
        projection=Projection(projection["ProjectionType"], tuple(projection.get("NonKeyAttributes") or ())),
        arn=f"{table.arn}/index/{spec['IndexName']}",
    )
    if kind == GLOBAL:
        index.throughput = _throughput_settings(spec.get("ProvisionedThroughput"))
    return index


def _definitions(table: Table) -> dict[str, str]:
    return {d["AttributeName"]: d["AttributeType"] for d in table.settings["AttributeDefinitions"]}


def create_table_feature(db: Database, table: Table, request: dict) -> None:
    """TABLE_FEATURES entry: the indexes of a new table (empty, so nothing to backfill)."""
    local, global_ = request.get("LocalSecondaryIndexes"), request.get("GlobalSecondaryIndexes")
    if not local and not global_:
        return
    definitions = _definitions(table)
    state = TableIndexes.of(table)
    for spec in global_ or ():
        state.add(build_index(table, spec, GLOBAL, definitions))
    for spec in local or ():
        state.add(build_index(table, spec, LOCAL, definitions))


# ---------------------------------------------------------------- describing indexes


def _warm_throughput(table: Table, index: Index) -> dict[str, Any]:
    """Like the table's: the on-demand defaults, or the provisioned capacity."""
    if table.settings["BillingMode"] == "PAY_PER_REQUEST":
        read, write = table_updates.ON_DEMAND_WARM
    else:
        read, write = index.throughput["ReadCapacityUnits"], index.throughput["WriteCapacityUnits"]
    return {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write, "Status": "ACTIVE"}


def describe_global(table: Table, index: Index, table_status: str) -> dict[str, Any]:
    """One GlobalSecondaryIndexDescription, members in DynamoDB's order. While the table
    itself is CREATING so are its indexes (DDB-TABLE-148)."""
    status = "CREATING" if table_status == "CREATING" else index.status
    entry: dict[str, Any] = {
        "IndexName": index.name,
        "KeySchema": index.schema.to_wire(),
        "Projection": index.projection.to_wire(),
        "IndexStatus": status,
    }
    if index.online and status == "CREATING":
        entry["Backfilling"] = index.backfilling
    entry["ProvisionedThroughput"] = tables.provisioned_throughput(index.throughput, None)
    entry["IndexSizeBytes"] = index.size_bytes
    entry["ItemCount"] = len(index.items)
    entry["IndexArn"] = index.arn
    if table_status != "CREATING":
        entry["WarmThroughput"] = _warm_throughput(table, index)
    return entry


def describe_local(index: Index) -> dict[str, Any]:
    return {
        "IndexName": index.name,
        "KeySchema": index.schema.to_wire(),
        "Projection": index.projection.to_wire(),
        "IndexSizeBytes": index.size_bytes,
        "ItemCount": len(index.items),
        "IndexArn": index.arn,
    }


def description_part(table: Table, status: str) -> Optional[dict]:
    """DESCRIPTION_PARTS entry: the two index lists, each only when non-empty."""
    state = table_indexes(table)
    if state is None:
        return None
    part: dict[str, Any] = {}
    if state.locals:
        part[LOCAL] = [describe_local(index) for index in state.locals.values()]
    if state.globals:
        part[GLOBAL] = [describe_global(table, index, status) for index in state.globals.values()]
    return part


# ---------------------------------------------------------------- index life cycle


def settle(db: Database) -> None:
    """Turn CREATING indexes whose delay has passed ACTIVE (a before-operation hook,
    O(1) when none is pending)."""
    pending: Optional[list] = db.extensions.get(_PENDING)
    if not pending:
        return
    now = db.clock.now()
    for index in list(pending):
        if index.ready_at is not None and now >= index.ready_at:
            index.status, index.backfilling, index.ready_at = "ACTIVE", False, None
            pending.remove(index)


def _pend(db: Database, index: Index) -> None:
    db.extensions.setdefault(_PENDING, []).append(index)
    if settle not in db.before_operation:
        db.before_operation.append(settle)


def _in_flight(state: Optional[TableIndexes]) -> list[Index]:
    if state is None:
        return []
    return [index for index in state.globals.values() if index.status == "CREATING"]


def delete_table_feature(db: Database, table: Table) -> None:
    """DELETE_FEATURES entry: no DeleteTable while an index is being built (DDB-TABLE-376)."""
    state = table_indexes(table)
    if _in_flight(state):
        raise ResourceInUseException(
            "Attempt to change a resource which is still in use: Cannot delete table while indexes are being "
            "created, updated, or deleted."
        )
    pending = db.extensions.get(_PENDING)
    if pending and state is not None:
        for index in state.globals.values():
            if index in pending:
                pending.remove(index)


# ---------------------------------------------------------------- UpdateTable


def _index_not_found(table: Table, name: str) -> ResourceNotFoundException:
    """DDB-TABLE-375: "Requested resource not found: Index gsi1 for table <table>"."""
    return ResourceNotFoundException(f"Requested resource not found: Index {name} for table {table.name}")


def _effective_mode(table: Table, request: dict) -> str:
    return request.get("BillingMode") or table.settings["BillingMode"]


def _existing_global(table: Table, state: Optional[TableIndexes], name: str, verb: str) -> Index:
    index = state.get(name) if state is not None else None
    if index is None:
        raise _index_not_found(table, name)
    if not index.is_global:
        raise ValidationException(f"Cannot {verb} an index that is not a GlobalSecondaryIndex: {name}")
    return index


def _plan_create(db: Database, table: Table, request: dict, body: dict) -> Change:
    state = table_indexes(table)
    name = body["IndexName"]
    if state is not None and state.get(name) is not None:
        raise ValidationException("Attempting to create an index which already exists")
    if state is not None and len(state.globals) >= limits.MAX_GSIS_PER_TABLE:
        raise LimitExceededException(
            INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of "
            f"{limits.MAX_GSIS_PER_TABLE}"
        )
    existing = _definitions(table)
    sent = {d["AttributeName"]: d["AttributeType"] for d in request["AttributeDefinitions"]}
    keys = [element["AttributeName"] for element in body["KeySchema"]]
    if any(key not in existing and key not in sent for key in keys):
        raise ValidationException(undefined_keys_message(keys, sent))
    # Definitions only add new attributes; a conflicting or stale entry is ignored (DDB-TABLE-162).
    definitions = {**sent, **existing}
    throughput = body.get("ProvisionedThroughput")
    if _effective_mode(table, request) == "PAY_PER_REQUEST":
        if throughput is not None:
            raise ValidationException(
                INVALID + f"ProvisionedThroughput should not be specified for index: {name} when BillingMode is "
                "PAY_PER_REQUEST"
            )
    elif throughput is None:
        raise ValidationException(INVALID + f"ProvisionedThroughput must be specified for index: {name}")
    else:
        table_updates.check_table_capacity(db, throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"])
    already = sum(len(index.projection.non_key_attributes) for index in state.all()) if state is not None else 0
    index_requests.check_projected_total([body], already)
    index = build_index(table, body, GLOBAL, definitions)
    index.online = True
    index.status = "CREATING"
    new_definitions = [
        {"AttributeName": key, "AttributeType": definitions[key]} for key in dict.fromkeys(keys) if key not in existing
    ]

    def apply() -> None:
        table.settings["AttributeDefinitions"] = [*table.settings["AttributeDefinitions"], *new_definitions]
        TableIndexes.of(table).add(index)
        index.ready_at = db.clock.now() + db.config.index_creation_delay_seconds
        _pend(db, index)

    return _IndexChange(apply=apply, created=index)


def _unused_definitions(table: Table, removed: Index) -> list[dict]:
    """The table's AttributeDefinitions once ``removed`` is gone: only attributes some key
    schema still uses stay."""
    state = table_indexes(table)
    used = set(table.schema.names)
    for index in state.all() if state is not None else ():
        if index is not removed:
            used.update(index.schema.names)
    return [d for d in table.settings["AttributeDefinitions"] if d["AttributeName"] in used]


def _plan_delete(table: Table, body: dict) -> Change:
    state = table_indexes(table)
    index = _existing_global(table, state, body["IndexName"], "delete")

    def apply() -> None:
        table.settings["AttributeDefinitions"] = _unused_definitions(table, index)
        TableIndexes.of(table).remove(index.name)

    return _IndexChange(apply=apply, deleted=index)


def _plan_update(db: Database, table: Table, request: dict, body: dict, now: float) -> Optional[Change]:
    """A GSI throughput change (table PROVISIONED, or switching to it in this request)."""
    state = table_indexes(table)
    index = _existing_global(table, state, body["IndexName"], "update")
    throughput = body.get("ProvisionedThroughput")
    if throughput is None:
        return None
    name = index.name
    if _effective_mode(table, request) == "PAY_PER_REQUEST":
        raise ValidationException(
            INVALID + f"The only Updates for index: {name} when TableThroughputMode is PAY_PER_REQUEST can be "
            "to OnDemandThroughput, WarmThroughput"
        )
    read, write = throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]
    settings = index.throughput
    switching = table.settings["BillingMode"] == "PAY_PER_REQUEST"
    old_read, old_write = settings["ReadCapacityUnits"], settings["WriteCapacityUnits"]
    if not switching and (read, write) == (old_read, old_write):
        raise ValidationException(
            f"The provisioned throughput for the index {name} will not change. The requested value equals the "
            f"current value. Current ReadCapacityUnits provisioned for index {name}: {old_read}. Requested "
            f"ReadCapacityUnits: {read}. Current WriteCapacityUnits provisioned for index {name}: {old_write}. "
            f"Requested WriteCapacityUnits: {write}. Refer to the Amazon DynamoDB Developer Guide for current "
            "limits and how to request higher limits."
        )
    table_updates.check_table_capacity(db, read, write)
    increase = not switching and (read > old_read or write > old_write)
    decrease = not switching and (read < old_read or write < old_write)
    # The table's rule applies to each index: 4 decreases a UTC day, then one an hour.
    count = table_updates._check_decrease_budget(settings, now) if decrease else 0

    def apply() -> None:
        settings.update(ReadCapacityUnits=read, WriteCapacityUnits=write)
        if increase:
            settings["LastIncreaseDateTime"] = now
        if decrease:
            settings.update(LastDecreaseDateTime=now, DecreaseDay=int(now // 86400), DecreaseCount=count + 1)

    return _IndexChange(apply=apply, updated=index, show_old=not switching)


class _IndexChange(Change):
    """A GSI change as the UpdateTable response shows it (DDB-TABLE-165): a new index
    CREATING with Backfilling false, a deleted one DELETING, an updated one UPDATING with
    its old throughput."""

    def __init__(
        self,
        apply: Any,
        created: Optional[Index] = None,
        deleted: Optional[Index] = None,
        updated: Optional[Index] = None,
        show_old: bool = True,
    ) -> None:
        super().__init__(apply=apply)
        self.created, self.deleted, self.updated, self.show_old = created, deleted, updated, show_old

    def echo(self, before: dict, response: dict) -> None:
        entries = response.setdefault(GLOBAL, [])
        if self.created is not None:
            self.created.backfilling = True  # from now on DescribeTable says Backfilling
        if self.deleted is not None:
            for position, entry in enumerate(before.get(GLOBAL, ())):
                if entry["IndexName"] == self.deleted.name:
                    entries.insert(position, {**entry, "IndexStatus": "DELETING"})
        if self.updated is not None:
            old = {entry["IndexName"]: entry for entry in before.get(GLOBAL, ())}[self.updated.name]
            for entry in entries:
                if entry["IndexName"] == self.updated.name:
                    entry["IndexStatus"] = "UPDATING"
                    if self.show_old:
                        entry["ProvisionedThroughput"] = old["ProvisionedThroughput"]
        if not entries:
            response.pop(GLOBAL)


def update_global_indexes(db: Database, table: Table, request: dict) -> Optional[Change]:
    """UPDATE_HANDLERS["GlobalSecondaryIndexUpdates"]: every entry checked against the
    table before anything changes; one Create or Delete per call and per table at a time
    (LimitExceededException, DDB-TABLE-159)."""
    updates = request["GlobalSecondaryIndexUpdates"]
    now = db.clock.now()
    structural = [entry for entry in updates if action_of(entry)[0] in ("Create", "Delete")]
    if len(structural) > 1 or (structural and _in_flight(table_indexes(table))):
        raise LimitExceededException(ONE_AT_A_TIME)
    changes: list[Change] = []
    for entry in updates:
        action, body = action_of(entry)
        if action == "Create":
            changes.append(_plan_create(db, table, request, body))
        elif action == "Delete":
            changes.append(_plan_delete(table, body))
        else:
            change = _plan_update(db, table, request, body, now)
            if change is not None:
                changes.append(change)
    if not changes:
        return None
    # Throughput Updates alone leave the table ACTIVE; only the indexes are UPDATING (DDB-TABLE-148/165).
    others = [member for member in table_updates.UPDATING_MEMBERS if member != "GlobalSecondaryIndexUpdates"]
    only_updates = not structural and not any(request.get(member) is not None for member in others)
    return _Changes(changes, patch={"TableStatus": table.status} if only_updates else {})


class _Changes(Change):
    """Several changes applied and echoed in order, as one."""

    def __init__(self, changes: list[Change], patch: Optional[dict] = None) -> None:
        super().__init__(apply=self._apply, patch=patch or {})
        self.changes = changes

    def _apply(self) -> None:
        for change in self.changes:
            change.apply()

    def echo(self, before: dict, response: dict) -> None:
        for change in self.changes:
            change.echo(before, response)
        response.update(self.patch)


def switch_billing(db: Database, table: Table, request: dict) -> Optional[Change]:
    """UPDATE_HANDLERS["BillingMode"]: the GSI side of a billing switch. To on-demand,
    every GSI's capacity goes to 0/0; to provisioned, the request must give every GSI
    its capacity in a GlobalSecondaryIndexUpdates Update (dynalite updateTable.js;
    "ProvisionedThroughput must be specified for index: <names>", observed 2026-08 and
    in the DDB-TABLE-442 catalogue)."""
    state = table_indexes(table)
    if state is None or not state.globals:
        return None
    current, wanted = table.settings["BillingMode"], request["BillingMode"]
    if wanted == current:
        return None
    if wanted == "PROVISIONED":
        covered = {
            body["IndexName"]
            for action, body in (action_of(e) for e in request.get("GlobalSecondaryIndexUpdates") or ())
            if action == "Update" and body.get("ProvisionedThroughput") is not None
        }
        missing = [name for name in state.globals if name not in covered]
        if missing:
            raise ValidationException(
                INVALID + f"ProvisionedThroughput must be specified for index: {','.join(missing)}"
            )
        return None

    def to_on_demand() -> None:
        for index in state.globals.values():
            index.throughput.update(
                ReadCapacityUnits=0, WriteCapacityUnits=0, LastDecreaseDateTime=None, DecreaseCount=0
            )

    return Change(apply=to_on_demand)


# ---------------------------------------------------------------- registration


def register() -> None:
    """Plug indexes into the control plane (idempotent; runs at import)."""
    index_requests.register()
    for hooks, hook in (
        (tables.TABLE_FEATURES, create_table_feature),
        (tables.DESCRIPTION_PARTS, description_part),
        (tables.DELETE_FEATURES, delete_table_feature),
    ):
        if hook not in hooks:
            hooks.append(hook)  # type: ignore[arg-type]
    tables.UPDATE_HANDLERS.setdefault("BillingMode", switch_billing)
    tables.UPDATE_HANDLERS.setdefault("GlobalSecondaryIndexUpdates", update_global_indexes)


register()
