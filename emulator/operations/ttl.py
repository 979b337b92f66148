"""UpdateTimeToLive and DescribeTimeToLive.

Rules and messages, as observed on AWS (ack-api-quirks, 2026-10; DDB-TABLE-143..147,
-115, -453):

- The response of UpdateTimeToLive echoes the request's TimeToLiveSpecification
  (DDB-TABLE-145). DescribeTimeToLive shows ENABLED with the AttributeName, or DISABLED
  with no AttributeName, at once (no ENABLING/DISABLING was ever observed; DDB-TABLE-144).
- Content checks: enabling while enabled is "TimeToLive is already enabled" (same
  attribute) or "TimeToLive is active on a different AttributeName: current AttributeName
  is <name>"; disabling while disabled is "TimeToLive is already disabled"; disabling with
  another attribute is the "different AttributeName" message (DDB-TABLE-146/147). TTL on a
  key attribute is accepted.
- After a successful change, another UpdateTimeToLive within the cooldown is
  ValidationException "Time to live has been modified multiple times within a fixed
  interval"; the content checks come first. Observed: still refused 1811 s after the
  change, accepted at 1872 s (DDB-TABLE-143); the API reference says up to an hour.
- A CREATING table: UpdateTimeToLive is ResourceInUseException, DescribeTimeToLive is
  ValidationException "Cannot describe time to live while table is in CREATING state:
  Current table state is CREATING" (and likewise DELETING, where UpdateTimeToLive is still
  accepted: DDB-TABLE-115/453).
"""

from __future__ import annotations

from .. import ttl, validate
from ..database import Database
from ..errors import ResourceInUseException, ValidationException
from ..table import Table
from .request_types import Struct, conform
from .table_requests import check_table_name, table_name

#: Seconds after an accepted UpdateTimeToLive during which another one is refused (~31 min observed).
TTL_UPDATE_COOLDOWN_SECONDS = 1860
MAX_TTL_ATTRIBUTE_NAME_LENGTH = 255

_SPECIFICATION = Struct("TimeToLiveSpecification", {"Enabled": "Boolean", "AttributeName": "String"})


def _table(db: Database, request: dict) -> Table:
    """The named table (a table ARN is accepted), or ResourceNotFoundException naming it."""
    return db.get_table(table_name(db, request["TableName"]), named=True)


def _check_specification(request: dict) -> dict:
    spec = request.get("TimeToLiveSpecification")
    shape = validate.Shape()
    if shape.required(spec, "timeToLiveSpecification"):
        shape.required(spec.get("Enabled"), "timeToLiveSpecification.enabled")
        name = spec.get("AttributeName")
        if shape.required(name, "timeToLiveSpecification.attributeName"):
            shape.length(name, "timeToLiveSpecification.attributeName", 1, MAX_TTL_ATTRIBUTE_NAME_LENGTH)
    shape.check()
    return spec  # type: ignore[return-value]


def _check_change(state: ttl.TableTtl, enabled: bool, attribute: str, now: float) -> None:
    if state.enabled and (enabled or attribute != state.attribute):
        if attribute != state.attribute:
            raise ValidationException(
                f"TimeToLive is active on a different AttributeName: current AttributeName is {state.attribute}"
            )
        raise ValidationException("TimeToLive is already enabled")
    if not state.enabled and not enabled:
        raise ValidationException("TimeToLive is already disabled")
    if state.updated_at is not None and now < state.updated_at + TTL_UPDATE_COOLDOWN_SECONDS:
        raise ValidationException("Time to live has been modified multiple times within a fixed interval")


def update_time_to_live(db: Database, request: dict) -> dict:
    request = conform(request, {"TableName": "String", "TimeToLiveSpecification": _SPECIFICATION})
    check_table_name(request)
    spec = _check_specification(request)
    table = _table(db, request)
    if table.status == "CREATING":
        raise ResourceInUseException(
            f"Attempt to change a resource which is still in use: Table {table.name} is being created"
        )
    state = ttl.table_ttl(table)
    enabled, attribute = spec["Enabled"], spec["AttributeName"]
    now = db.clock.now()
    _check_change(state, enabled, attribute, now)
    if enabled:
        state.enable(table, attribute, now)
    else:
        state.disable(now)
    return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}


def describe_time_to_live(db: Database, request: dict) -> dict:
    request = conform(request, {"TableName": "String"})
    check_table_name(request)  # its errors alone, before anything else (as the control plane)
    table = _table(db, request)
    if table.status in ("CREATING", "DELETING"):
        raise ValidationException(
            f"Cannot describe time to live while table is in {table.status} state: "
            f"Current table state is {table.status}"
        )
    state = table.extensions.get(ttl.EXTENSION)
    if state is None or not state.enabled:
        return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
    return {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": state.attribute}}
