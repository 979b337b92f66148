"""Kinesis Data Streams destinations of a table, control plane only:
EnableKinesisStreamingDestination, DisableKinesisStreamingDestination,
DescribeKinesisStreamingDestination, UpdateKinesisStreamingDestination.

DynamoDB can copy every item change of a table into a Kinesis data stream. The emulator
has no Kinesis and sends no records anywhere: it keeps, per table, the destinations code
configures (stream ARN, status, ApproximateCreationDateTimePrecision, the reason an
enable failed) and reports them as DynamoDB does. The state lives in
``table.extensions[EXTENSION]`` and disappears with the table, so a table created again
under the same name starts with none (ack-api-quirks DDB-TABLE-271). The destinations are
independent of DynamoDB Streams: DescribeTable shows nothing of them (DDB-TABLE-303).

Life cycle. In DynamoDB, Enable answers ENABLING and settles to ACTIVE in 2-7 s, Disable
answers DISABLING and settles to DISABLED in 1-2 s, a precision Update answers UPDATING
and settles to ACTIVE in about 2-2.5 minutes (DDB-TABLE-299, -300, -301). The emulator
settles at once, as it does for UpdateTable (table_updates.py): the response says
ENABLING, DISABLING or UPDATING, and the next Describe already shows ACTIVE, DISABLED or
ENABLE_FAILED. There being no Kinesis, a well-formed stream ARN of this account and
region ("arn:aws:kinesis:<region>:<account>:stream/<name>") stands for an existing
stream; any other ARN fails the way DynamoDB's asynchronous check fails (below).

Facts, all observed on AWS by ack-api-quirks (DynamoDB findings DDB-TABLE-nnn, 2026-10)
unless marked otherwise, and pinned in compat/test_kinesis_destinations.py and
tests/operations/test_kinesis_destination_operations.py:

- Describe of a table never configured: {TableName, KinesisDataStreamDestinations: []}
  (299). An entry has StreamArn and DestinationStatus; ApproximateCreationDateTimePrecision
  only once set (absent means MILLISECOND: an Update to MILLISECOND is "already set",
  300, 460); DestinationStatusDescription only for a failed enable (268, 318). The most
  recently enabled entry comes first (268).
- A table has at most one live entry (ENABLING, ACTIVE, UPDATING, DISABLING); DISABLED and
  ENABLE_FAILED entries stay listed (301: still there after 171 s; the emulator keeps them
  until the table goes) and accumulate, one per stream ARN. Enabling an ARN that has an
  entry flips that entry (no duplicate) and resets its precision to the request's (268,
  300, 301).
- Enable answers {TableName, StreamArn, ENABLING, EnableKinesisStreamingConfiguration}, the
  configuration echoed ({} without one: 299, 235; the AWS sample output of the
  change-data-capture lab agrees). It never checks the stream synchronously: a missing
  stream, a table ARN, a consumer ARN, another region or account, a Firehose ARN all
  answer ENABLING and end ENABLE_FAILED with a description (318; texts in
  ``_failure_reason``).
- State errors are ValidationException "Table is not in a valid state to enable Kinesis
  Streaming Destination: " followed by (299, 300, 301, 302, 268, 442):
  Enable with a live entry: "EnableKinesisStreamingDestination must be DISABLED or
  ENABLE_FAILED to perform ENABLE operation."; Disable of anything not ACTIVE, never
  enabled or malformed included: "KinesisStreamingDestination must be ACTIVE to perform
  DISABLE operation."; Update of an entry not ACTIVE: "Kinesis streaming is not in ACTIVE
  state. Updates are only allowed in ACTIVE state. TableName: <table>, kdsArn: <arn>";
  Update of an ARN with no entry: "No streaming destination with streamArn: <arn> found
  for table with tableName: <table>" (recorded up to "streamArn: arn:aws:kinesis:..."; the
  rest as LocalStack writes it, not verified). Never ResourceNotFoundException for a
  destination (302).
- Disable with an EnableKinesisStreamingConfiguration: "Stream cannot be disabled using
  EnableKinesisStreamingConfiguration parameters" (301). Update without a configuration or
  with an empty one: "Streaming destination cannot be updated with given parameters:
  UpdateKinesisStreamingConfiguration cannot be null or contain only null values"; to the
  precision in force: "Invalid Request: Precision is already set to the desired value of
  <P> for tableId: <table id>, kdsArn: <arn>" (300, 442). Update answers UPDATING with the
  configuration echoed, and Describe shows the new precision (300).
- A missing table: ResourceNotFoundException "Requested resource not found: Table: <name>
  not found", for all four (014, 236). In the first seconds of CREATING all four answer
  that too (234); later in CREATING Describe answers 200 with an empty list (233). While
  the table is UPDATING everything works (234, 460). While DELETING, Describe answers 200
  and shows the ACTIVE entry as UPDATING; Enable and Disable are refused with the state
  messages (235, 236).

Not verified (the emulator's choices, each marked where it is made): the order of the
request checks among themselves and against the table lookup; a missing TableName's
message (the other table operations'); StreamArn's length: the API model says 37-1024,
but DynamoDB answered a 10-character StreamArn on Disable with the state message (302),
so no length is checked here, for any of the three; what Enable does with a string that
is not an ARN at all (an ENABLE_FAILED entry here, like an unusable ARN); Describe and the
mutators during the later part of CREATING (Describe answers, the mutators do not find
the table, as in its first seconds); Disable's response member
EnableKinesisStreamingConfiguration ({} here: Enable echoes the request's configuration,
and a Disable request has none); whether an empty EnableKinesisStreamingConfiguration refuses a Disable (it does
not here); whether DISABLED and ENABLE_FAILED entries show their precision (they do here);
where a re-enabled entry is listed (first, as the newest enable); Update on a DELETING
table (DynamoDB answered 200 while the entry still read ACTIVE; here the entry already
reads UPDATING, so the state message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from .. import validate
from ..database import Database
from ..errors import ValidationException, table_not_found
from ..table import Table
from . import tables
from .request_types import Struct, conform
from .table_requests import check_table_name, table_name

EXTENSION = "kinesis_destinations"
PRECISIONS = ("MILLISECOND", "MICROSECOND")
#: What an entry without ApproximateCreationDateTimePrecision streams with (DDB-TABLE-460).
DEFAULT_PRECISION = "MILLISECOND"
#: Statuses of an entry that block another Enable (DDB-TABLE-268, -299).
LIVE_STATUSES = ("ENABLING", "ACTIVE", "UPDATING", "DISABLING")

STATE_PREFIX = "Table is not in a valid state to enable Kinesis Streaming Destination: "
ENABLE_REFUSED = STATE_PREFIX + (
    "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.")
DISABLE_REFUSED = STATE_PREFIX + "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation."
DISABLE_WITH_CONFIGURATION = "Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters"
UPDATE_WITHOUT_CONFIGURATION = (
    "Streaming destination cannot be updated with given parameters: "
    "UpdateKinesisStreamingConfiguration cannot be null or contain only null values")

#: DestinationStatusDescription of a failed enable (DDB-TABLE-318): the words DynamoDB
#: uses for a stream it cannot find or use, for one in another region, and for another
#: account's stream or a Firehose ARN.
NO_PERMISSION = "User does not have a permission to use kinesis stream"
OTHER_REGION = (
    "The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region")
NOT_ACTIVE = "The kinesis Arn used to enable kinesis replication belongs to a stream which is not in Active state"

#: A Kinesis stream name (Kinesis API reference, CreateStream StreamName).
_STREAM_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,128}")

_ENABLE_CONFIGURATION = Struct("EnableKinesisStreamingConfiguration",
                               {"ApproximateCreationDateTimePrecision": "String"})
_UPDATE_CONFIGURATION = Struct("UpdateKinesisStreamingConfiguration",
                               {"ApproximateCreationDateTimePrecision": "String"})


@dataclass
class Destination:
    """One entry of a table's list, in its settled status (ACTIVE, DISABLED or
    ENABLE_FAILED). ``precision`` is None until a request sets it; ``order`` is the
    sequence number of the enable that made the entry what it is (newest listed first)."""

    stream_arn: str
    status: str
    precision: Optional[str]
    order: int
    description: Optional[str] = None


# ---------------------------------------------------------------- state


def _destinations(table: Table) -> dict[str, Destination]:
    """The table's entries by stream ARN."""
    return table.extensions.setdefault(EXTENSION, {})


def _shown_status(table: Table, entry: Destination) -> str:
    """The status DynamoDB reports: a DELETING table's ACTIVE entry reads UPDATING
    (DDB-TABLE-235, -236)."""
    if table.status == "DELETING" and entry.status == "ACTIVE":
        return "UPDATING"
    return entry.status


def _failure_reason(db: Database, stream_arn: str) -> Optional[str]:
    """Why DynamoDB's asynchronous check would fail this ARN, or None for a usable
    stream (any well-formed stream ARN of this account and region: there is no Kinesis
    to ask). Recorded (DDB-TABLE-318): another region's stream -> OTHER_REGION; another
    account's stream and a Firehose ARN -> NOT_ACTIVE; a missing stream, a DynamoDB table
    ARN, a stream consumer ARN -> NO_PERMISSION. The order of these checks, other
    services' ARNs and strings that are not ARNs (NO_PERMISSION) are not verified."""
    parts = stream_arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return NO_PERMISSION
    _, partition, service, region, account, resource = parts
    if region != db.region:
        return OTHER_REGION
    if account != db.account_id or service == "firehose":
        return NOT_ACTIVE
    name = resource[len("stream/"):] if resource.startswith("stream/") else ""
    if partition != "aws" or service != "kinesis" or not _STREAM_NAME.fullmatch(name):
        return NO_PERMISSION
    return None


def _configuration(entry: Destination) -> dict[str, str]:
    return {"ApproximateCreationDateTimePrecision": entry.precision} if entry.precision else {}


def _described(table: Table, entry: Destination) -> dict[str, Any]:
    shown: dict[str, Any] = {"StreamArn": entry.stream_arn, "DestinationStatus": _shown_status(table, entry)}
    if entry.precision is not None:
        shown["ApproximateCreationDateTimePrecision"] = entry.precision
    if entry.description is not None:
        shown["DestinationStatusDescription"] = entry.description
    return shown


# ---------------------------------------------------------------- request pieces


def _checked(request: dict, configuration: Struct) -> dict:
    """Member types, then TableName on its own (table_requests.check_table_name; a missing
    one in the other table operations' words, not verified), then StreamArn's presence and
    the configuration's precision as one collected message. ``configuration`` is the
    operation's configuration member, named as its structure. No StreamArn length is
    checked (see the module docstring)."""
    member = configuration.name
    request = conform(request, {"TableName": "String", "StreamArn": "String", member: configuration})
    check_table_name(request)
    shape = validate.Shape()
    shape.required(request.get("StreamArn"), "streamArn")
    path = member[0].lower() + member[1:] + ".approximateCreationDateTimePrecision"
    shape.enum(_precision(request, member), path, PRECISIONS)
    shape.check()
    return request


def _precision(request: dict, member: str) -> Optional[str]:
    """The ApproximateCreationDateTimePrecision a configuration member carries, if any."""
    return (request.get(member) or {}).get("ApproximateCreationDateTimePrecision")


def _table(db: Database, request: dict, *, changing: bool) -> Table:
    """The table a TableName (or table ARN) names. A CREATING table is not found by the
    three changing operations (DDB-TABLE-234 observed that in its first seconds; later in
    CREATING not verified) while Describe answers (DDB-TABLE-233)."""
    table = db.get_table(table_name(db, request["TableName"]), named=True)
    if changing and table.status == "CREATING":
        raise table_not_found(table.name)
    return table


def _output(table: Table, stream_arn: str, status: str, member: str, configuration: dict) -> dict:
    return {"TableName": table.name, "StreamArn": stream_arn, "DestinationStatus": status, member: configuration}


# ---------------------------------------------------------------- operations


def describe_kinesis_streaming_destination(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = conform(request, {"TableName": "String"})
    check_table_name(request)
    table = _table(db, request, changing=False)
    entries = sorted(table.extensions.get(EXTENSION, {}).values(), key=lambda entry: -entry.order)
    return {"TableName": table.name, "KinesisDataStreamDestinations": [_described(table, e) for e in entries]}


def enable_kinesis_streaming_destination(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = _checked(request, _ENABLE_CONFIGURATION)
    table = _table(db, request, changing=True)
    destinations = _destinations(table)
    if any(_shown_status(table, entry) in LIVE_STATUSES for entry in destinations.values()):
        raise ValidationException(ENABLE_REFUSED)
    stream_arn = request["StreamArn"]
    precision = _precision(request, _ENABLE_CONFIGURATION.name)
    reason = _failure_reason(db, stream_arn)
    order = max((entry.order for entry in destinations.values()), default=0) + 1
    entry = Destination(stream_arn, "ENABLE_FAILED" if reason else "ACTIVE", precision, order, reason)
    destinations[stream_arn] = entry  # an earlier DISABLED/ENABLE_FAILED entry is replaced
    return _output(table, stream_arn, "ENABLING", "EnableKinesisStreamingConfiguration", _configuration(entry))


def disable_kinesis_streaming_destination(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = _checked(request, _ENABLE_CONFIGURATION)
    # Request-only, so before the table lookup (order not verified); an empty
    # configuration is let through (not verified).
    if _precision(request, _ENABLE_CONFIGURATION.name) is not None:
        raise ValidationException(DISABLE_WITH_CONFIGURATION)
    table = _table(db, request, changing=True)
    entry = _destinations(table).get(request["StreamArn"])
    if entry is None or _shown_status(table, entry) != "ACTIVE":
        raise ValidationException(DISABLE_REFUSED)
    entry.status = "DISABLED"
    # Enable echoes the request's configuration ({} without one); Disable's has none, so
    # {} here too (not verified for Disable).
    return _output(table, entry.stream_arn, "DISABLING", "EnableKinesisStreamingConfiguration", {})


def update_kinesis_streaming_destination(db: Database, request: dict) -> dict:
    tables.settle(db)
    request = _checked(request, _UPDATE_CONFIGURATION)
    precision = _precision(request, _UPDATE_CONFIGURATION.name)
    if precision is None:  # request-only, so before the table lookup (order not verified)
        raise ValidationException(UPDATE_WITHOUT_CONFIGURATION)
    table = _table(db, request, changing=True)
    stream_arn = request["StreamArn"]
    entry = _destinations(table).get(stream_arn)
    if entry is None:
        raise ValidationException(
            STATE_PREFIX + f"No streaming destination with streamArn: {stream_arn} found for table with "
            f"tableName: {table.name}")
    if _shown_status(table, entry) != "ACTIVE":
        raise ValidationException(
            STATE_PREFIX + "Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. "
            f"TableName: {table.name}, kdsArn: {stream_arn}")
    if precision == (entry.precision or DEFAULT_PRECISION):
        raise ValidationException(
            f"Invalid Request: Precision is already set to the desired value of {precision} for tableId: "
            f"{table.table_id}, kdsArn: {stream_arn}")
    entry.precision = precision
    return _output(table, stream_arn, "UPDATING", "UpdateKinesisStreamingConfiguration",
                   {"ApproximateCreationDateTimePrecision": precision})


__all__ = [
    "describe_kinesis_streaming_destination",
    "disable_kinesis_streaming_destination",
    "enable_kinesis_streaming_destination",
    "update_kinesis_streaming_destination",
]
