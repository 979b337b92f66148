"""Streams in the control plane: StreamSpecification on CreateTable and UpdateTable,
LatestStreamArn/LatestStreamLabel in every TableDescription, streams closed by DeleteTable.

Plugs into tables.py's extension points (see its docstring). The request checks and their
messages ("Table already has an enabled stream", "Table has no stream to disable", ...)
stay in table_requests.py/table_updates.py; this module only creates and closes streams
once a request has passed them.

Facts pinned (ack-api-quirks, observed on AWS 2026-10): the CreateTable and UpdateTable
responses already carry the new LatestStreamArn (DDB-TABLE-362; ScyllaDB
test_latest_stream_arn); after a disable StreamSpecification is absent from DescribeTable
while LatestStreamArn/Label stay (DDB-TABLE-050); each enable mints a new stream
(DDB-TABLE-362/378); a deleted table's streams become DISABLED and stay listed
(DDB-TABLE-378, DDB-TABLE-386).
"""

from __future__ import annotations

from typing import Optional

from .. import streams
from ..database import Database
from ..table import Table
from . import table_updates, tables
from .table_updates import Change


def create_table_feature(db: Database, table: Table, request: dict) -> None:
    """TABLE_FEATURES: every table gets the stream writer; a stream when asked for."""
    streams.table_stream(db, table)
    spec = request.get("StreamSpecification") or {}
    if spec.get("StreamEnabled"):
        streams.enable(db, table, spec["StreamViewType"])


def description_part(table: Table, status: str) -> Optional[dict]:
    """DESCRIPTION_PARTS: the latest stream's label and ARN, if the table ever had one."""
    state = table.extensions.get(streams.EXTENSION)
    return state.description() if state is not None else None


def delete_table_feature(db: Database, table: Table) -> None:
    """DELETE_FEATURES: the table's stream is closed (DISABLED, still readable 24 h)."""
    streams.disable(db, table)


def update_stream_specification(db: Database, table: Table, request: dict) -> Optional[Change]:
    """UPDATE_HANDLERS["StreamSpecification"]: table_updates' checks and recorded
    specification, plus the stream itself once the whole UpdateTable is accepted."""
    change = table_updates.update_stream_specification(db, table, request)
    if change is None:
        return None
    spec = request["StreamSpecification"]
    record_specification = change.apply

    def apply() -> None:
        record_specification()
        if spec["StreamEnabled"]:
            streams.enable(db, table, spec["StreamViewType"])
        else:
            streams.disable(db, table)

    change.apply = apply
    return change


def register() -> None:
    """Plug streams into the control plane (idempotent; runs at import)."""
    for hooks, hook in (
        (tables.TABLE_FEATURES, create_table_feature),
        (tables.DESCRIPTION_PARTS, description_part),
        (tables.DELETE_FEATURES, delete_table_feature),
    ):
        if hook not in hooks:
            hooks.append(hook)  # type: ignore[arg-type]
    tables.UPDATE_HANDLERS["StreamSpecification"] = update_stream_specification


register()
