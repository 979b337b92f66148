"""UpdateTable's changes to an existing table: billing mode and throughput, on-demand
maxima, table class, deletion protection, encryption, and (minimally) the stream
specification.

Each ``plan_*`` function checks one member of the request against the table and
returns a :class:`Change`, or None for a no-op; nothing is applied until every check of
the request has passed, so a refused UpdateTable changes nothing.

DynamoDB applies most of these asynchronously: the table is UPDATING for seconds to
minutes, and the UpdateTable response shows the state the update starts from (old
throughput, old table class) with TableStatus UPDATING (ack-api-quirks DDB-TABLE-058,
-060, -064, -177, -370; dynalite test/updateTable.js). The emulator finishes every
change at once: the response looks like DynamoDB's, and the next DescribeTable already
shows the result, ACTIVE.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..database import Database
from ..errors import LimitExceededException, ValidationException
from ..table import Table
from ..types import INVALID
from .table_requests import ON_DEMAND_MEMBERS, PAY_PER_REQUEST_THROUGHPUT, check_on_demand, check_sse, on_demand_members

#: Members whose change leaves the table UPDATING; DeletionProtectionEnabled, encryption,
#: OnDemandThroughput and WarmThroughput keep it ACTIVE (DDB-TABLE-410).
UPDATING_MEMBERS = frozenset(
    {"BillingMode", "ProvisionedThroughput", "StreamSpecification", "TableClass",
     "GlobalSecondaryIndexUpdates", "ReplicaUpdates"}
)
#: WarmThroughput (read, write) of an on-demand table (ack-api-quirks DDB-TABLE-032/179).
ON_DEMAND_WARM = (12000, 4000)
#: After this many decreases in a UTC day, one more per hour (DDB-TABLE-184).
FREE_DECREASES_PER_DAY = 4
DECREASE_INTERVAL_SECONDS = 3600
#: LimitExceededException above this, per capacity dimension, per table (account default).
MAX_TABLE_CAPACITY_UNITS = 40000

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass
class Change:
    """One planned change: ``apply`` makes it; ``echo`` adjusts the UpdateTable response
    (given the description from before the change) where DynamoDB shows old values."""

    apply: Callable[[], None]
    echo_old: tuple[str, ...] = ()
    patch: dict[str, Any] = field(default_factory=dict)

    def echo(self, before: dict, response: dict) -> None:
        for member in self.echo_old:
            if member in before:
                response[member] = before[member]
            else:
                response.pop(member, None)
        response.update(self.patch)


def deletion_protected() -> ValidationException:
    """DeleteTable on a protected table (ack-api-quirks DDB-TABLE-442, observed in two regions)."""
    return ValidationException(
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
    )


def _utc_text(when: float) -> str:
    """e.g. "Friday, October 9, 2026 at 12:21:34 AM Coordinated Universal Time"."""
    moment = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return (
        f"{_DAYS[moment.weekday()]}, {_MONTHS[moment.month - 1]} {moment.day}, {moment.year} at "
        f"{hour}:{moment.minute:02d}:{moment.second:02d} {half} Coordinated Universal Time"
    )


def _check_decrease_budget(settings: dict, now: float) -> int:
    """Four decreases per UTC day, then one per hour after the last (DDB-TABLE-184/326,
    message as observed 2026-10-09). Returns today's count so far."""
    today = int(now // 86400)
    count = settings["DecreaseCount"] if settings["DecreaseDay"] == today else 0
    last = settings["LastDecreaseDateTime"]
    if count >= FREE_DECREASES_PER_DAY and last is not None and now < last + DECREASE_INTERVAL_SECONDS:
        raise LimitExceededException(
            "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "
            f"After the first {FREE_DECREASES_PER_DAY} decreases, each subsequent decrease in the same UTC day "
            f"can be performed at most once every {DECREASE_INTERVAL_SECONDS} seconds. "
            f"Number of decreases today: {count}. Last decrease at {_utc_text(last)}. "
            f"Next decrease can be made at {_utc_text(last + DECREASE_INTERVAL_SECONDS)}"
        )
    return count


def _raise_warm(settings: dict, read: int, write: int) -> None:
    """WarmThroughput follows the highest capacity ever provisioned and never drops."""
    settings["WarmReadUnits"] = max(settings["WarmReadUnits"], read)
    settings["WarmWriteUnits"] = max(settings["WarmWriteUnits"], write)


@dataclass
class _CapacityChange(Change):
    """A capacity change as the UpdateTable response shows it: the decrease count from
    before, the new increase/decrease times, and (``old_units``) the old RCU/WCU."""

    old_units: bool = True
    increase_at: Optional[float] = None
    decrease_at: Optional[float] = None

    def echo(self, before: dict, response: dict) -> None:
        super().echo(before, response)
        throughput = dict((before if self.old_units else response)["ProvisionedThroughput"])
        throughput["NumberOfDecreasesToday"] = before["ProvisionedThroughput"]["NumberOfDecreasesToday"]
        if self.increase_at is not None:
            throughput["LastIncreaseDateTime"] = self.increase_at
        if self.decrease_at is not None:
            throughput["LastDecreaseDateTime"] = self.decrease_at
        order = ("LastIncreaseDateTime", "LastDecreaseDateTime", "NumberOfDecreasesToday",
                 "ReadCapacityUnits", "WriteCapacityUnits")
        response["ProvisionedThroughput"] = {k: throughput[k] for k in order if k in throughput}


def _to_on_demand(table: Table, now: float) -> Change:
    settings = table.settings

    def apply() -> None:
        settings.update(BillingMode="PAY_PER_REQUEST", ReadCapacityUnits=0, WriteCapacityUnits=0,
                        LastUpdateToPayPerRequestDateTime=now, LastDecreaseDateTime=None, DecreaseCount=0)
        _raise_warm(settings, *ON_DEMAND_WARM)

    # The response already names the new mode but has no switch time yet, and shows the
    # capacity going to 0/0 as a decrease made now (DDB-TABLE-064).
    return _CapacityChange(
        apply=apply, patch={"BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"}},
        old_units=False, decrease_at=now,
    )


def check_table_capacity(db: Database, read_units: int, write_units: int) -> None:
    """The account's per-table maximum (40000 by default). Text: an AWS Auto Scaling
    notice quoting DynamoDB ("The requested WriteCapacityUnits, 45000, is above the per
    table maximum for the account in eu-west-1. Per table maximum: 40000.") and the
    ack-api-quirks LimitExceededException catalogue (DDB-TABLE-171)."""
    for member, value in (("ReadCapacityUnits", read_units), ("WriteCapacityUnits", write_units)):
        if value > MAX_TABLE_CAPACITY_UNITS:
            raise LimitExceededException(
                f"The requested {member}, {value}, is above the per table maximum for the account in "
                f"{db.region}. Per table maximum: {MAX_TABLE_CAPACITY_UNITS}."
            )


def plan_capacity(db: Database, table: Table, request: dict, now: float) -> Optional[Change]:
    """BillingMode and ProvisionedThroughput against the table's current mode
    (DDB-TABLE-057/058/059/064; conformance tier1/updateTable; dynalite updateTable.js)."""
    settings = table.settings
    current = settings["BillingMode"]
    mode = request.get("BillingMode") or current
    throughput = request.get("ProvisionedThroughput")
    if mode == "PAY_PER_REQUEST":
        if throughput is not None:
            raise ValidationException(PAY_PER_REQUEST_THROUGHPUT)
        # Re-sending PAY_PER_REQUEST is accepted and does nothing (DDB-TABLE-156).
        return None if current == "PAY_PER_REQUEST" else _to_on_demand(table, now)
    read, write = throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]
    if current == "PAY_PER_REQUEST":
        check_table_capacity(db, read, write)

        def provision() -> None:
            # On-demand maxima mean nothing to a provisioned table; they are dropped
            # (the emulator's choice: what DynamoDB keeps for a later switch back is
            # not recorded).
            settings.update(BillingMode="PROVISIONED", ReadCapacityUnits=read, WriteCapacityUnits=write,
                            OnDemandThroughput={})
            _raise_warm(settings, read, write)

        return Change(apply=provision)
    old_read, old_write = settings["ReadCapacityUnits"], settings["WriteCapacityUnits"]
    if (read, write) == (old_read, old_write):
        raise ValidationException(
            "The provisioned throughput for the table will not change. The requested value equals the current "
            f"value. Current ReadCapacityUnits provisioned for the table: {old_read}. Requested ReadCapacityUnits: "
            f"{read}. Current WriteCapacityUnits provisioned for the table: {old_write}. Requested "
            f"WriteCapacityUnits: {write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how "
            "to request higher limits."
        )
    check_table_capacity(db, read, write)
    increase = read > old_read or write > old_write
    decrease = read < old_read or write < old_write
    count = _check_decrease_budget(settings, now) if decrease else 0

    def apply() -> None:
        settings.update(ReadCapacityUnits=read, WriteCapacityUnits=write)
        if increase:
            settings["LastIncreaseDateTime"] = now
        if decrease:
            # one call lowering both dimensions is one decrease (DDB-TABLE-184)
            settings.update(LastDecreaseDateTime=now, DecreaseDay=int(now // 86400), DecreaseCount=count + 1)
        _raise_warm(settings, read, write)

    return _CapacityChange(
        apply=apply, increase_at=now if increase else None, decrease_at=now if decrease else None
    )


def plan_on_demand(table: Table, request: dict) -> Optional[Change]:
    """OnDemandThroughput: each member given sets its maximum, or with -1 removes it; the
    other member stays (ack-api-quirks DDB-TABLE-178). DescribeTable then shows only the
    maxima set, no struct when none is; the UpdateTable response also shows the members
    this call removed, as -1 (DDB-TABLE-182). The table stays ACTIVE."""
    members = on_demand_members(request)
    if not members:
        return None
    settings = table.settings
    mode = request.get("BillingMode") or settings["BillingMode"]
    check_on_demand(members, mode == "PROVISIONED", update=True)
    after = {**settings["OnDemandThroughput"], **members}
    shown = {member: after[member] for member in ON_DEMAND_MEMBERS if member in after}

    def apply() -> None:
        settings["OnDemandThroughput"] = {member: value for member, value in shown.items() if value != -1}

    return Change(apply=apply, patch={"OnDemandThroughput": shown})


def plan_table_class(table: Table, table_class: str, now: float) -> Optional[Change]:
    """The current class (STANDARD when never set) is a no-op that leaves
    TableClassSummary absent; a change shows in DescribeTable with LastUpdateDateTime,
    while the response still shows the old summary (DDB-TABLE-283/284; scylladb
    test_tableclass.py)."""
    settings = table.settings
    if (settings["TableClass"] or "STANDARD") == table_class:
        return None

    def apply() -> None:
        settings.update(TableClass=table_class, TableClassUpdated=now)

    return Change(apply=apply, echo_old=("TableClassSummary",))


def plan_deletion_protection(table: Table, enabled: bool) -> Change:
    """Synchronous; a same-value re-send is accepted (DDB-TABLE-017/047)."""

    def apply() -> None:
        table.settings["DeletionProtectionEnabled"] = enabled

    return Change(apply=apply)


def plan_sse(db: Database, table: Table, sse: dict) -> Change:
    """Encryption changes against the current key (DDB-TABLE-047/082, catalogue 442)."""
    settings = table.settings
    wanted = check_sse(db, sse)
    current = settings["SSEDescription"]
    if wanted is None and current is None:
        raise ValidationException(INVALID + "Table is already encrypted by default")
    key_id = sse.get("KMSMasterKeyId")
    if wanted is not None and current is not None and key_id == current["KMSMasterKeyArn"]:
        raise ValidationException(
            INVALID + "Table is already encrypted with given KMSMasterKeyId. "
            "Use KMSMasterKeyId parameter if you want to change Master Key"
        )

    def apply() -> None:
        settings["SSEDescription"] = wanted

    return Change(apply=apply)


def plan(db: Database, table: Table, request: dict, present: list[str], now: float) -> list[Change]:
    """The built-in changes of an UpdateTable request, checked, in request-member order."""
    changes: list[Optional[Change]] = []
    if "BillingMode" in present or "ProvisionedThroughput" in present:
        changes.append(plan_capacity(db, table, request, now))
    if "OnDemandThroughput" in present:
        changes.append(plan_on_demand(table, request))
    if "TableClass" in present:
        changes.append(plan_table_class(table, request["TableClass"], now))
    if "DeletionProtectionEnabled" in present:
        changes.append(plan_deletion_protection(table, request["DeletionProtectionEnabled"]))
    if "SSESpecification" in present:
        changes.append(plan_sse(db, table, request["SSESpecification"]))
    return [change for change in changes if change is not None]


# ---------------------------------------------------------------- streams (minimal)


def update_stream_specification(db: Database, table: Table, request: dict) -> Optional[Change]:
    """Record an enabled/disabled StreamSpecification (the stream itself is streams.py's).

    Rules and messages: ack-api-quirks DDB-TABLE-050 and the DDB-TABLE-442 catalogue.
    """
    spec = request["StreamSpecification"]
    view_type = spec.get("StreamViewType")
    current = table.settings["StreamSpecification"]
    if spec["StreamEnabled"]:
        if view_type is None:
            raise ValidationException(INVALID + "If stream is being enabled then UpdateViewType is required")
        if current is not None:
            raise ValidationException(f"Table already has an enabled stream: TableName: {table.name}")
        wanted: Optional[dict] = {"StreamEnabled": True, "StreamViewType": view_type}
    else:
        if view_type is not None:
            raise ValidationException(
                INVALID + "If stream is being disabled, then UpdateViewType must not be specified"
            )
        if current is None:
            raise ValidationException(f"Table has no stream to disable: TableName: {table.name}")
        wanted = None

    def apply() -> None:
        table.settings["StreamSpecification"] = wanted

    return Change(apply=apply)


#: Member -> handler; see tables.py's docstring. streams.py replaces "StreamSpecification",
#: indexes.py adds "GlobalSecondaryIndexUpdates".
UPDATE_HANDLERS: dict[str, Callable[[Database, Table, dict], Optional[Change]]] = {
    "StreamSpecification": update_stream_specification,
}
