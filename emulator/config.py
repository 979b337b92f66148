"""Emulator settings, one dataclass; the CLI's flags map onto these fields one to one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Config:
    #: Region used when a request carries no SigV4 credential scope.
    region: str = "us-east-1"
    #: Account id shown in ARNs. An ARN naming any other account is refused with
    #: AccessDeniedException, as DynamoDB refuses another account's resources.
    account_id: str = "123456789012"
    #: Seconds a new table stays CREATING (0: ACTIVE at once, as most tests want).
    table_creation_delay_seconds: float = 0.0
    #: Seconds a deleted table stays visible as DELETING.
    table_deletion_delay_seconds: float = 0.0
    #: Seconds a new global secondary index stays CREATING while it backfills.
    index_creation_delay_seconds: float = 0.0
    #: How often the background TTL sweeper runs, in seconds (0 disables it).
    ttl_sweep_interval_seconds: float = 1.0
