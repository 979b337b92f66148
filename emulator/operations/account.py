"""Account-level operations: DescribeLimits and DescribeEndpoints.

Neither takes a member, and neither depends on any table: they describe the account and
the region the request was sent to. SDKs call them on their own (DescribeEndpoints for
endpoint discovery, DescribeLimits in capacity planners and some ORMs), so an emulator
that refuses them breaks code that never asked for them directly.
"""

from __future__ import annotations

from ..database import Database
from .table_updates import MAX_TABLE_CAPACITY_UNITS

#: The default quotas DescribeLimits reports (AWS CLI example "describe-limits":
#: 80000/80000 for the account, 40000/40000 per table; the per-table maximum is the
#: one CreateTable and UpdateTable enforce, table_updates.check_table_capacity).
ACCOUNT_MAX_CAPACITY_UNITS = 80000
#: How long a client may cache the discovered endpoint (AWS CLI example
#: "describe-endpoints": 1440 minutes, one day).
ENDPOINT_CACHE_MINUTES = 1440


def describe_limits(db: Database, request: dict) -> dict:
    """The provisioned-capacity quotas of the account in this region."""
    return {
        "AccountMaxReadCapacityUnits": ACCOUNT_MAX_CAPACITY_UNITS,
        "AccountMaxWriteCapacityUnits": ACCOUNT_MAX_CAPACITY_UNITS,
        "TableMaxReadCapacityUnits": MAX_TABLE_CAPACITY_UNITS,
        "TableMaxWriteCapacityUnits": MAX_TABLE_CAPACITY_UNITS,
    }


def describe_endpoints(db: Database, request: dict) -> dict:
    """The regional endpoint DynamoDB names for itself (not the emulator's own URL: a
    client doing endpoint discovery against the emulator keeps the endpoint_url it was
    given, as boto3 does unless discovery is switched on)."""
    return {"Endpoints": [{"Address": f"dynamodb.{db.region}.amazonaws.com",
                           "CachePeriodInMinutes": ENDPOINT_CACHE_MINUTES}]}
