"""CloudWatch Contributor Insights, control plane only: DescribeContributorInsights,
UpdateContributorInsights, ListContributorInsights.

DynamoDB keeps an insights setting per table and per global secondary index (an LSI has
none), and while it is on, CloudWatch rules collect the most accessed and most throttled
keys. The emulator keeps no CloudWatch data: it keeps the setting, reports it as
DynamoDB does and names the rules DynamoDB would create. The state lives in
``table.extensions[EXTENSION]`` and disappears with the table; an index's entry is tied
to the Index object, so a GSI deleted and created again under the same name starts
DISABLED, as DynamoDB leaves no orphan behind (DDB-TABLE-112).

Life cycle. In DynamoDB, ENABLE answers ENABLING and settles to ENABLED in 1-16 s;
DISABLE answers DISABLING and settles to DISABLED in about 2 s (DDB-TABLE-090). The
emulator settles at once, as it does for UpdateTable (table_updates.py): the
UpdateContributorInsights response says ENABLING or DISABLING, and the next Describe
already says ENABLED or DISABLED. The FAILED state (CloudWatch's quota of rules, or
missing permissions) cannot happen here.

Facts, all observed on AWS by ack-api-quirks (DynamoDB findings DDB-TABLE-nnn, 2026-10)
unless marked otherwise, and pinned in compat/test_contributor_insights.py and
tests/operations/test_contributor_insights_operations.py:

- A table or GSI never configured describes as {TableName, ContributorInsightsStatus:
  DISABLED}; after an enable/disable cycle it keeps LastUpdateDateTime and
  ContributorInsightsMode (089). ContributorInsightsRuleList is shown only while
  ENABLED (089, 112, 340).
- ENABLE without a mode means ACCESSED_AND_THROTTLED_KEYS (it reverts a THROTTLED_KEYS
  setting). ENABLE in the current mode is a no-op answering ENABLED; in another mode it
  re-enables (ENABLING). DISABLE on a DISABLED or never-configured entry answers
  DISABLED; DISABLE with a mode is accepted and answers the current mode (091, 092, 341).
- Rules: DynamoDBContributorInsights-<PKC|PKT|SKC|SKT>-<table>[-<index>]-<creation
  time in ms>; PKC and PKT for a hash key, SKC and SKT too with a range key,
  THROTTLED_KEYS keeps only the *T rules with the same suffix; a new enable after a
  disable gets a new suffix (092, 093, 112, 338, 341; names also in the developer guide,
  "CloudWatch Contributor Insights for DynamoDB: how it works").
- An unknown index, an LSI: ResourceNotFoundException "Requested resource not found:
  Index: <name> not found for table: <table>" (094, 161); a missing table (List with a
  TableName too): the usual "Requested resource not found: Table: <table> not found"
  (094, 097).
- While the table is CREATING, UpdateContributorInsights is ValidationException "Table or
  Index is not in a valid state to update Key Access Insights: TableStatus must be ACTIVE
  to enable ContributorInsights." (116; the observed text is cut after "ContributorIn",
  the end is taken from the IndexStatus variant); for a GSI still CREATING it says
  "IndexStatus must be ACTIVE ..." (116). Describe answers 200 in both cases (116). A
  DELETING table still answers 200 to all three (097), an UPDATING one too (116).
- ListContributorInsights lists every entry whose status is not DISABLED (095, 340, 343),
  a table before its GSIs (095), at most MaxResults (<= 100) a page with a NextToken only
  when more follow (095, 399).
- Degenerate requests (DDB-TABLE-457): ContributorInsightsAction '' is "1 validation error
  detected: Value '' at 'contributorInsightsAction' failed to satisfy constraint: Member
  must satisfy enum value set: [ENABLE, DISABLE]"; ContributorInsightsMode '' the same
  with [THROTTLED_KEYS, ACCESSED_AND_THROTTLED_KEYS] (that order); IndexName '' (Describe
  and Update) "IndexName must be at least 3 characters long and at most 255 characters
  long", without the "N validation errors" prefix.

Not verified (the emulator's choices, each marked where it is made): the order of the
request checks among themselves; IndexName's pattern check; a missing TableName's message
(the one the other table operations give); MaxResults below 1 (no minimum in the API
model; treated as absent); what an unknown NextToken does (any token is a position here);
the default page size (100); the order of several tables in the account-wide list (by
name here) and of a table's GSIs (by name); rule names for names too long for CloudWatch's
128 characters (the table/index part is shortened here); the RuleList order with a range
key; DISABLE on a CREATING table (a no-op here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .. import validate
from ..database import Database
from ..errors import ResourceNotFoundException, ValidationException
from ..indexes import Index, table_indexes
from ..table import KeySchema, Table
from . import tables
from .request_types import conform
from .table_requests import check_table_name, table_name, table_name_shape

EXTENSION = "contributor_insights"
ACTIONS = ("ENABLE", "DISABLE")
#: In the order DynamoDB lists them in its enum message (DDB-TABLE-457).
MODES = ("THROTTLED_KEYS", "ACCESSED_AND_THROTTLED_KEYS")
DEFAULT_MODE = "ACCESSED_AND_THROTTLED_KEYS"
MIN_INDEX_NAME_LENGTH = 3
MAX_INDEX_NAME_LENGTH = 255
MAX_LIST_RESULTS = 100
#: CloudWatch's rule-name pattern [A-Za-z0-9][A-Za-z0-9\-\_\.]{0,126}[A-Za-z0-9] (API
#: reference, DescribeContributorInsights ContributorInsightsRuleList).
MAX_RULE_NAME_LENGTH = 128
RULE_PREFIX = "DynamoDBContributorInsights"

_INDEX_NAME_PATTERN = validate._TABLE_NAME  # IndexName has TableName's pattern (API model)
_STATE_PREFIX = "Table or Index is not in a valid state to update Key Access Insights: "


@dataclass
class Insights:
    """The settled setting of one table or GSI (an entry exists once it was first enabled).

    ``status`` is ENABLED or DISABLED; ``rules_created_ms`` is the suffix of the rule
    names (the enable that created them); ``index`` is the GSI the entry belongs to."""

    status: str
    mode: str
    updated_at: float
    rules_created_ms: int
    index: Optional[Index] = None


# ---------------------------------------------------------------- state


def _entries(table: Table) -> dict[Optional[str], Insights]:
    """The table's entries: None for the table itself, the index name for a GSI."""
    return table.extensions.setdefault(EXTENSION, {})


def _entry(table: Table, index: Optional[Index]) -> Optional[Insights]:
    entries = table.extensions.get(EXTENSION)
    if not entries:
        return None
    entry = entries.get(index.name if index is not None else None)
    if entry is not None and entry.index is not index:
        return None  # left by a deleted GSI of the same name
    return entry


def _global_indexes(table: Table) -> list[Index]:
    """The table's GSIs, by name (the order among a table's GSIs is not verified)."""
    state = table_indexes(table)
    return sorted(state.globals.values(), key=lambda index: index.name) if state is not None else []


def rule_names(table: Table, index: Optional[Index], entry: Insights) -> list[str]:
    """The CloudWatch rules DynamoDB creates for an ENABLED entry (see module docstring)."""
    schema: KeySchema = index.schema if index is not None else table.schema
    kinds = ["PK"] + (["SK"] if schema.range_name is not None else [])
    suffixes = ("T",) if entry.mode == "THROTTLED_KEYS" else ("C", "T")
    resource = table.name if index is None else f"{table.name}-{index.name}"
    # Not verified: how DynamoDB fits names longer than CloudWatch allows; shortened here.
    room = MAX_RULE_NAME_LENGTH - len(f"{RULE_PREFIX}-PKC--{entry.rules_created_ms}")
    resource = resource[:room].rstrip("-_.") or resource[:1]
    return [f"{RULE_PREFIX}-{kind}{suffix}-{resource}-{entry.rules_created_ms}"
            for kind in kinds for suffix in suffixes]


# ---------------------------------------------------------------- request pieces

_TARGET_MEMBERS = {"TableName": "String", "IndexName": "String"}


def _check_index_name(request: dict, shape: validate.Shape) -> None:
    """IndexName's length is checked on its own, in words of its own (DDB-TABLE-457,
    IndexName ''); its pattern goes into the collected message (not verified)."""
    name = request.get("IndexName")
    if name is None:
        return
    if not MIN_INDEX_NAME_LENGTH <= len(name) <= MAX_INDEX_NAME_LENGTH:
        raise ValidationException(
            f"IndexName must be at least {MIN_INDEX_NAME_LENGTH} characters long and at most "
            f"{MAX_INDEX_NAME_LENGTH} characters long"
        )
    shape.pattern(name, "indexName", _INDEX_NAME_PATTERN, "[a-zA-Z0-9_.-]+")


def _index_not_found(name: str, table: Table) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Requested resource not found: Index: {name} not found for table: {table.name}")


def _target(db: Database, request: dict) -> tuple[Table, Optional[Index]]:
    """The table (a name or an ARN; CREATING and DELETING ones included) and the GSI the
    request names. An LSI has no insights: it is not found, like an unknown index."""
    table = db.get_table(table_name(db, request["TableName"]), named=True)
    name = request.get("IndexName")
    if name is None:
        return table, None
    state = table_indexes(table)
    index = state.globals.get(name) if state is not None else None
    if index is None:
        raise _index_not_found(name, table)
    return table, index


def _named(table: Table, index: Optional[Index]) -> dict[str, Any]:
    response: dict[str, Any] = {"TableName": table.name}
    if index is not None:
        response["IndexName"] = index.name
    return response


def _check_updatable(table: Table, index: Optional[Index]) -> None:
    """Only a CREATING table or GSI refuses an enable; UPDATING and DELETING tables take it
    (DDB-TABLE-097, -116)."""
    if table.status == "CREATING":
        raise ValidationException(_STATE_PREFIX + "TableStatus must be ACTIVE to enable ContributorInsights.")
    if index is not None and index.status == "CREATING":
        raise ValidationException(_STATE_PREFIX + "IndexStatus must be ACTIVE to enable ContributorInsights.")


# ---------------------------------------------------------------- operations


def describe_contributor_insights(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, _TARGET_MEMBERS)
    check_table_name(request)  # a missing TableName: the other table operations' words (not verified)
    shape = validate.Shape()
    _check_index_name(request, shape)
    shape.check()
    table, index = _target(db, request)
    response = _named(table, index)
    entry = _entry(table, index)
    if entry is None:
        response["ContributorInsightsStatus"] = "DISABLED"
        return response
    if entry.status == "ENABLED":
        response["ContributorInsightsRuleList"] = rule_names(table, index, entry)
    response["ContributorInsightsStatus"] = entry.status
    response["LastUpdateDateTime"] = entry.updated_at
    response["ContributorInsightsMode"] = entry.mode
    return response


def update_contributor_insights(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {**_TARGET_MEMBERS, "ContributorInsightsAction": "String",
                                "ContributorInsightsMode": "String"})
    check_table_name(request)
    shape = validate.Shape()
    _check_index_name(request, shape)
    action = request.get("ContributorInsightsAction")
    if shape.required(action, "contributorInsightsAction"):
        shape.enum(action, "contributorInsightsAction", ACTIONS)
    shape.enum(request.get("ContributorInsightsMode"), "contributorInsightsMode", MODES)
    shape.check()
    table, index = _target(db, request)
    entry = _entry(table, index)
    millis = int(db.clock.now() * 1000)
    now = millis / 1000
    response = _named(table, index)
    if action == "ENABLE":
        mode = request.get("ContributorInsightsMode") or DEFAULT_MODE
        if entry is not None and entry.status == "ENABLED" and entry.mode == mode:
            response.update(ContributorInsightsStatus="ENABLED", ContributorInsightsMode=mode)
            return response
        _check_updatable(table, index)
        if entry is not None and entry.status == "ENABLED":
            created = entry.rules_created_ms  # a mode change keeps the rules' suffix (DDB-TABLE-341)
        else:
            created = millis
        _entries(table)[index.name if index is not None else None] = Insights("ENABLED", mode, now, created, index)
        response.update(ContributorInsightsStatus="ENABLING", ContributorInsightsMode=mode)
        return response
    if entry is None:
        response["ContributorInsightsStatus"] = "DISABLED"
        return response
    shown = "DISABLED"
    if entry.status == "ENABLED":
        entry.status, entry.updated_at = "DISABLED", now
        shown = "DISABLING"
    response.update(ContributorInsightsStatus=shown, ContributorInsightsMode=entry.mode)
    return response


def _position(token: str) -> tuple[str, int, str]:
    """Where a NextToken resumes: "<table>" or "<table>/<index>" (names cannot hold "/").
    Any string is some position (what DynamoDB does with a foreign token is not verified)."""
    name, _, index = token.partition("/")
    return (name, 1, index) if index else (name, 0, "")


def _summaries(tables_: list[Table]) -> list[tuple[tuple[str, int, str], dict[str, Any]]]:
    """(position, summary) of every entry that is not DISABLED, table before its GSIs."""
    listed = []
    for table in tables_:
        targets: list[Optional[Index]] = [None, *_global_indexes(table)]
        for index in targets:
            entry = _entry(table, index)
            if entry is None or entry.status == "DISABLED":
                continue
            summary = _named(table, index)
            summary.update(ContributorInsightsStatus=entry.status, ContributorInsightsMode=entry.mode)
            position = (table.name, 0, "") if index is None else (table.name, 1, index.name)
            listed.append((position, summary))
    return listed


def list_contributor_insights(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"TableName": "String", "NextToken": "String", "MaxResults": "Integer"})
    shape = validate.Shape()
    table_name_shape(shape, request.get("TableName"))
    shape.number(request.get("MaxResults"), "maxResults", None, MAX_LIST_RESULTS)
    shape.check()
    if request.get("TableName") is not None:
        chosen = [db.get_table(table_name(db, request["TableName"]), named=True)]
    else:
        chosen = [db.tables[name] for name in sorted(db.tables)]
    listed = _summaries(chosen)
    token = request.get("NextToken")
    if token is not None:
        start = _position(token)
        listed = [(position, summary) for position, summary in listed if position > start]
    limit = request.get("MaxResults") or 0
    if limit < 1:
        limit = MAX_LIST_RESULTS  # no minimum in the API model; below 1 counts as absent (not verified)
    page = listed[:limit]
    response: dict[str, Any] = {"ContributorInsightsSummaries": [summary for _, summary in page]}
    if len(listed) > limit:
        last = page[-1][0]
        response["NextToken"] = last[0] if last[1] == 0 else f"{last[0]}/{last[2]}"
    return response


__all__ = [
    "describe_contributor_insights",
    "list_contributor_insights",
    "rule_names",
    "update_contributor_insights",
]
