"""What RestoreTableFromBackup and RestoreTableToPointInTime share: a new table built
from a :class:`~emulator.backups.TableImage` and the request's overrides.

A restore is a CreateTable in disguise: the image's description and the overrides are
turned into a CreateTable request, which goes through the same checks
(``check_create_table``) and the same construction (``tables.add_table``, with every
TABLE_FEATURE: indexes, the stream writer, ...), then the image's items are written
through ``Table.put`` so the indexes fill as they would for any write. The new table
follows the CREATING -> ACTIVE rule of ``Config.table_creation_delay_seconds``, and its
description carries a RestoreSummary (``RestoreInProgress`` while CREATING).

What a restore copies, per the API reference of both operations: key schema and
attribute definitions, the indexes (or the ones the overrides keep), billing mode and
provisioned throughput, encryption. What it does not (same pages: "You must manually set
up the following on the restored table"): tags, streams, TTL, point-in-time recovery,
auto scaling; deletion protection and the table class are not copied either.

Overrides are applied as DynamoDB documents them; an override index list replaces the
image's list (an empty list drops them all). GSIs of a table restored as PROVISIONED
that had no throughput of their own (on demand in the image) get the table's.
"""

from __future__ import annotations

from typing import Any, Optional

from ..database import Database
from ..errors import TableAlreadyExistsException, TableInUseException
from ..backups import TableImage
from ..table import Table
from . import table_updates, tables
from .index_requests import GLOBAL_SECONDARY_INDEX, LOCAL_SECONDARY_INDEX
from .request_types import PROVISIONED_THROUGHPUT, List
from .table_requests import ON_DEMAND_THROUGHPUT, SSE_SPECIFICATION, check_create_table

RESTORE_EXTENSION = "restore"
#: The override members both restores take, with their types.
OVERRIDE_MEMBERS = {
    "BillingModeOverride": "String",
    "GlobalSecondaryIndexOverride": List(GLOBAL_SECONDARY_INDEX),
    "LocalSecondaryIndexOverride": List(LOCAL_SECONDARY_INDEX),
    "ProvisionedThroughputOverride": PROVISIONED_THROUGHPUT,
    "OnDemandThroughputOverride": ON_DEMAND_THROUGHPUT,
    "SSESpecificationOverride": SSE_SPECIFICATION,
}
#: Members of an index description that are not part of a CreateTable index spec.
_INDEX_SPEC_MEMBERS = ("IndexName", "KeySchema", "Projection")


def check_target_free(db: Database, name: str) -> None:
    """The target name must be free: TableAlreadyExistsException "Table already exists:
    <name>" (moto's text for both restores), TableInUseException while a table of that
    name is being created or deleted (the API model's meaning of that error; the
    wording is the emulator's, not verified)."""
    existing = db.tables.get(name)
    if existing is None:
        return
    if existing.status in ("CREATING", "DELETING"):
        raise TableInUseException(tables.in_use_message(existing))
    raise TableAlreadyExistsException(f"Table already exists: {name}")


def _throughput(described: Optional[dict]) -> Optional[dict]:
    if not described or not described.get("ReadCapacityUnits"):
        return None
    return {"ReadCapacityUnits": described["ReadCapacityUnits"], "WriteCapacityUnits": described["WriteCapacityUnits"]}


def _index_specs(described: list, overrides: Optional[list], *, global_: bool) -> list[dict]:
    if overrides is not None:
        keep = _INDEX_SPEC_MEMBERS + (("ProvisionedThroughput",) if global_ else ())
        return [{k: v for k, v in spec.items() if k in keep} for spec in overrides]
    specs = []
    for index in described:
        spec = {k: index[k] for k in _INDEX_SPEC_MEMBERS}
        if global_:
            throughput = _throughput(index.get("ProvisionedThroughput"))
            if throughput is not None:
                spec["ProvisionedThroughput"] = throughput
        specs.append(spec)
    return specs


def _sse_of(description: dict) -> Optional[dict]:
    sse = description.get("SSEDescription")
    if not sse or sse.get("Status") != "ENABLED":
        return None
    return {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": sse["KMSMasterKeyArn"]}


def create_request(image: TableImage, target: str, request: dict) -> dict:
    """The CreateTable request a restore of ``image`` as ``target`` amounts to."""
    source = image.description
    mode = request.get("BillingModeOverride") or (source.get("BillingModeSummary") or {}).get(
        "BillingMode", "PROVISIONED")
    throughput = request.get("ProvisionedThroughputOverride") or _throughput(source.get("ProvisionedThroughput"))
    globals_ = _index_specs(source.get("GlobalSecondaryIndexes") or [],
                            request.get("GlobalSecondaryIndexOverride"), global_=True)
    locals_ = _index_specs(source.get("LocalSecondaryIndexes") or [],
                           request.get("LocalSecondaryIndexOverride"), global_=False)
    for spec in globals_:
        if mode == "PAY_PER_REQUEST":
            spec.pop("ProvisionedThroughput", None)
        elif "ProvisionedThroughput" not in spec and throughput is not None:
            spec["ProvisionedThroughput"] = dict(throughput)
    used = {element["AttributeName"] for element in source["KeySchema"]}
    for spec in globals_ + locals_:
        used.update(element.get("AttributeName") for element in spec.get("KeySchema") or ())
    created: dict[str, Any] = {
        "TableName": target,
        # only the definitions some kept key uses: CreateTable refuses unused ones
        "AttributeDefinitions": [d for d in source["AttributeDefinitions"] if d["AttributeName"] in used],
        "KeySchema": source["KeySchema"],
        "BillingMode": mode,
    }
    if mode == "PROVISIONED" and throughput is not None:
        created["ProvisionedThroughput"] = throughput
    elif mode == "PAY_PER_REQUEST" and request.get("ProvisionedThroughputOverride") is not None:
        created["ProvisionedThroughput"] = request["ProvisionedThroughputOverride"]  # refused as CreateTable would
    if globals_:
        created["GlobalSecondaryIndexes"] = globals_
    if locals_:
        created["LocalSecondaryIndexes"] = locals_
    on_demand = request.get("OnDemandThroughputOverride")
    if on_demand is None and mode == "PAY_PER_REQUEST":
        on_demand = source.get("OnDemandThroughput")
    if on_demand:
        created["OnDemandThroughput"] = on_demand  # refused as CreateTable would on a provisioned one
    sse = request.get("SSESpecificationOverride") if "SSESpecificationOverride" in request else _sse_of(source)
    if sse is not None:
        created["SSESpecification"] = sse
    return created


def restore(db: Database, image: TableImage, target: str, request: dict, summary: dict) -> dict:
    """Check and build the restored table; the operation's TableDescription.

    ``summary`` is the RestoreSummary without RestoreInProgress. Raises (and changes
    nothing) if the overrides make an invalid table.
    """
    created, new = check_create_table(db, create_request(image, target, request))
    table_updates.check_table_capacity(db, new.read_units, new.write_units)
    now = db.clock.now()
    table = tables.add_table(db, created, new, now)
    for item in image.items:
        table.put(item)
    table.extensions[RESTORE_EXTENSION] = dict(summary)
    description = tables.describe(table, "CREATING", now)
    description.pop("WarmThroughput", None)
    # The response shows the restore just started: nothing copied yet (AWS CLI examples
    # restore-table-from-backup / restore-table-to-point-in-time: ItemCount 0,
    # TableSizeBytes 0, RestoreInProgress true).
    description.update(ItemCount=0, TableSizeBytes=0)
    for member in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for index in description.get(member, ()):
            index.update(IndexSizeBytes=0, ItemCount=0)
    return description


def restore_summary_part(table: Table, status: str) -> Optional[dict]:
    """DESCRIPTION_PARTS entry: a restored table's RestoreSummary, in progress while the
    table is CREATING."""
    summary = table.extensions.get(RESTORE_EXTENSION)
    if summary is None:
        return None
    return {"RestoreSummary": {**summary, "RestoreInProgress": status == "CREATING"}}


def register() -> None:
    """Plug the RestoreSummary into every TableDescription (idempotent; runs at import)."""
    if restore_summary_part not in tables.DESCRIPTION_PARTS:
        tables.DESCRIPTION_PARTS.append(restore_summary_part)


register()
