"""The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator, GetRecords.

Served on the DynamoDB endpoint under the target prefix ``DynamoDBStreams_20120810``
(boto3 client ``dynamodbstreams``); registered in ``api.STREAMS_OPERATIONS``. The streams
themselves are emulator/streams.py's; the control-plane side (StreamSpecification on
CreateTable/UpdateTable, LatestStreamArn in DescribeTable) is stream_tables.py's.

Order of checks, as for DynamoDB: member types (SerializationException), the collected
shape errors ("N validation errors detected"), the ARN/iterator syntax, then whether the
stream and shard exist, then the position (trimmed or expired data).

Messages and where they come from:

- ``Invalid StreamArn`` (ValidationException) for a malformed stream ARN: the AWS SDK for
  JavaScript integration test against AWS (``describeStream {StreamArn: 'fake-stream'}``,
  error matched by /Invalid StreamArn/); ScyllaDB's test_streams.py (checked against
  DynamoDB) gets ValidationException for garbage ARNs in DescribeStream,
  GetShardIterator and ListStreams' ExclusiveStartStreamArn.
- a well-formed ARN of no stream is ResourceNotFoundException (aws-sdk-php smoke test
  against AWS); the text "Requested resource not found: Stream: <arn> not found" is
  DynamoDB Local's (LocalStack issue 2543).
- "Requested resource not found: Shard does not exist" for GetShardIterator on an
  unknown shard: AWS responses quoted in opensearch-project/data-prepper issue 4401 and
  amazon-archives/logstash-input-dynamodb issue 4.
- a garbage ShardIterator is ValidationException (ScyllaDB test_streams.py); the text
  "Invalid ShardIterator" and the ResourceNotFoundException "Invalid ShardId in
  ShardIterator" are DynamoDB Local's (serverless-plugins issue 154).
- TrimmedDataAccessException "The data you are trying to access has been trimmed"
  (ironSource/node-dynamodb-stream issue 13); ExpiredIteratorException uses the API
  model's text for its message, "The provided iterator exceeds the maximum age allowed".
- Limit ranges (ListStreams and DescribeStream 1-100, GetRecords 1-1000) are Coral
  constraints (API reference; ScyllaDB: 0 and 101/1001 are ValidationException).
- The SequenceNumber rules of GetShardIterator are ValidationExceptions in ScyllaDB's
  DynamoDB-checked tests; their texts are not recorded anywhere we found, so ours only
  say what is wrong.
"""

from __future__ import annotations

import base64
import bisect
import binascii
import json
import re
from typing import Any, Optional

from .. import validate
from ..database import Database
from ..errors import (
    ExpiredIteratorException,
    ResourceNotFoundException,
    TrimmedDataAccessException,
    ValidationException,
    table_not_found,
)
from ..streams import Shard, Stream, StreamRegistry
from .request_types import conform

#: A shard iterator expires 15 minutes after it is issued (API reference, GetShardIterator).
ITERATOR_LIFETIME_SECONDS = 15 * 60
MAX_LIST_STREAMS = 100
MAX_DESCRIBE_SHARDS = 100
MAX_GET_RECORDS = 1000
#: "GetRecords can retrieve a maximum of 1 MB of data or 1000 stream records" (API reference).
MAX_GET_RECORDS_BYTES = 1024 * 1024
ITERATOR_TYPES = ("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")
_AT_POSITION = ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")

INVALID_STREAM_ARN = "Invalid StreamArn"
INVALID_ITERATOR = "Invalid ShardIterator"
SHARD_NOT_FOUND = "Requested resource not found: Shard does not exist"
TRIMMED_MESSAGE = "The data you are trying to access has been trimmed"
EXPIRED_MESSAGE = "The provided iterator exceeds the maximum age allowed"

STREAM_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:dynamodb:[a-z0-9-]+:\d{12}:table/[a-zA-Z0-9_.-]{3,255}"
    r"/stream/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}"
)
_SEQUENCE_NUMBER = re.compile(r"\d{1,40}")


def stream_not_found(arn: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Requested resource not found: Stream: {arn} not found")


def _registry(db: Database) -> StreamRegistry:
    """The streams of ``db``, trimmed to the retention window first."""
    registry = StreamRegistry.of(db)
    registry.expire(db.clock.now())
    return registry


def _stream(db: Database, arn: str) -> Stream:
    if not STREAM_ARN.fullmatch(arn):
        raise ValidationException(INVALID_STREAM_ARN)
    stream = _registry(db).streams.get(arn)
    if stream is None:
        raise stream_not_found(arn)
    return stream


# ---------------------------------------------------------------- ListStreams


def list_streams(db: Database, request: dict) -> dict:
    """Streams by ARN order (table name, then label), DISABLED ones and those of deleted
    tables included (ack-api-quirks DDB-TABLE-378); LastEvaluatedStreamArn only when more
    follow."""
    request = conform(request, {"TableName": "String", "Limit": "Integer", "ExclusiveStartStreamArn": "String"})
    table_name, limit = request.get("TableName"), request.get("Limit")
    start = request.get("ExclusiveStartStreamArn")
    shape = validate.Shape()
    shape.number(limit, "limit", 1, MAX_LIST_STREAMS)
    if table_name is not None:
        validate.table_name(shape, table_name)
    shape.check()
    if start is not None and not STREAM_ARN.fullmatch(start):
        raise ValidationException(INVALID_STREAM_ARN)
    streams = sorted(_registry(db).streams.values(), key=lambda s: s.arn)
    if table_name is not None:
        streams = [s for s in streams if s.table_name == table_name]
        if not streams and table_name not in db.tables:
            raise table_not_found(table_name)
    arns = [s.arn for s in streams]
    first = bisect.bisect_right(arns, start) if start is not None else 0
    limit = limit or MAX_LIST_STREAMS
    page = streams[first:first + limit]
    response: dict[str, Any] = {
        "Streams": [{"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label} for s in page]
    }
    if first + limit < len(streams):
        response["LastEvaluatedStreamArn"] = page[-1].arn
    return response


# ---------------------------------------------------------------- DescribeStream


def describe_stream(db: Database, request: dict) -> dict:
    """The stream and a page of its shards in id (= creation) order; shards after
    ExclusiveStartShardId, which need not exist (ScyllaDB test_streams.py: an unknown id
    gives an empty page on DynamoDB)."""
    request = conform(request, {"StreamArn": "String", "Limit": "Integer", "ExclusiveStartShardId": "String"})
    arn, limit, start = request.get("StreamArn"), request.get("Limit"), request.get("ExclusiveStartShardId")
    shape = validate.Shape()
    shape.required(arn, "streamArn")
    shape.number(limit, "limit", 1, MAX_DESCRIBE_SHARDS)
    shape.check()
    stream = _stream(db, arn)
    shards = stream.shards
    if start is not None:
        shards = [s for s in shards if s.shard_id > start]
    limit = limit or MAX_DESCRIBE_SHARDS
    description: dict[str, Any] = {
        "StreamArn": stream.arn,
        "StreamLabel": stream.label,
        "StreamStatus": stream.status,
        "StreamViewType": stream.view_type,
        "CreationRequestDateTime": stream.created_at,
        "TableName": stream.table_name,
        "KeySchema": [dict(element) for element in stream.key_schema],
        "Shards": [shard.describe() for shard in shards[:limit]],
    }
    if len(shards) > limit:
        description["LastEvaluatedShardId"] = shards[limit - 1].shard_id
    return {"StreamDescription": description}


# ---------------------------------------------------------------- shard iterators


def encode_iterator(arn: str, shard_id: str, position: int, issued_at: float) -> str:
    """An opaque iterator shaped like DynamoDB's ``<stream arn>|1|<blob>`` (API reference
    GetRecords example): the blob holds the shard, the next sequence number to read and
    the issue time (ms), which is how it expires."""
    payload = json.dumps([shard_id, position, int(issued_at * 1000)], separators=(",", ":"))
    return f"{arn}|1|{base64.urlsafe_b64encode(payload.encode()).decode()}"


def decode_iterator(iterator: str) -> tuple[str, str, int, int]:
    """(stream arn, shard id, position, issued at ms), or ValidationException."""
    parts = iterator.split("|")
    if len(parts) != 3 or parts[1] != "1" or not STREAM_ARN.fullmatch(parts[0]):
        raise ValidationException(INVALID_ITERATOR)
    try:
        shard_id, position, issued = json.loads(base64.urlsafe_b64decode(parts[2].encode()))
    except (ValueError, TypeError, binascii.Error):
        raise ValidationException(INVALID_ITERATOR) from None
    if not (isinstance(shard_id, str) and type(position) is int and type(issued) is int):
        raise ValidationException(INVALID_ITERATOR)
    return parts[0], shard_id, position, issued


def _check_sequence_rules(kind: str, sequence: Optional[str]) -> Optional[int]:
    if kind in _AT_POSITION and sequence is None:
        raise ValidationException(f"A SequenceNumber is required for ShardIteratorType {kind}")
    if kind not in _AT_POSITION and sequence is not None:
        raise ValidationException(f"A SequenceNumber must not be given for ShardIteratorType {kind}")
    if sequence is None:
        return None
    if not _SEQUENCE_NUMBER.fullmatch(sequence):
        raise ValidationException(f"Invalid SequenceNumber: {sequence}")
    return int(sequence)


def _start_position(registry: StreamRegistry, shard: Shard, kind: str, sequence: Optional[int]) -> int:
    """The first sequence number the new iterator reads."""
    if kind == "TRIM_HORIZON":
        return max(shard.starting, shard.trimmed_through + 1)
    if kind == "LATEST":
        return registry.last_sequence + 1 if shard.is_open else shard.ending + 1  # type: ignore[operator]
    assert sequence is not None
    if sequence < shard.starting or (shard.ending is not None and sequence > shard.ending):
        raise ValidationException(
            f"Invalid SequenceNumber: {sequence} is not in the range of shard {shard.shard_id}"
        )
    if sequence <= shard.trimmed_through:
        raise TrimmedDataAccessException(TRIMMED_MESSAGE)
    return sequence if kind == "AT_SEQUENCE_NUMBER" else sequence + 1


def get_shard_iterator(db: Database, request: dict) -> dict:
    request = conform(request, {
        "StreamArn": "String", "ShardId": "String", "ShardIteratorType": "String", "SequenceNumber": "String",
    })
    arn, shard_id = request.get("StreamArn"), request.get("ShardId")
    kind, sequence = request.get("ShardIteratorType"), request.get("SequenceNumber")
    shape = validate.Shape()
    shape.required(arn, "streamArn")
    shape.required(shard_id, "shardId")
    if shape.required(kind, "shardIteratorType"):
        shape.enum(kind, "shardIteratorType", ITERATOR_TYPES)
    shape.check()
    if not STREAM_ARN.fullmatch(arn):
        raise ValidationException(INVALID_STREAM_ARN)
    position = _check_sequence_rules(kind, sequence)
    stream = _stream(db, arn)
    shard = stream.shard(shard_id)
    if shard is None:
        raise ResourceNotFoundException(SHARD_NOT_FOUND)
    start = _start_position(StreamRegistry.of(db), shard, kind, position)
    return {"ShardIterator": encode_iterator(stream.arn, shard.shard_id, start, db.clock.now())}


# ---------------------------------------------------------------- GetRecords


def _read(shard: Shard, position: int, limit: int) -> tuple[list, int, bool]:
    """Up to ``limit`` records (and at most 1 MB, at least one) from ``position``: the
    records, the next position, and whether the shard is read to its end."""
    records = shard.records
    index = shard.index_of(position)
    batch, size = [], 0
    while index < len(records) and len(batch) < limit:
        record = records[index]
        if batch and size + record.size_bytes > MAX_GET_RECORDS_BYTES:
            break
        batch.append(record)
        size += record.size_bytes
        index += 1
    next_position = batch[-1].sequence + 1 if batch else position
    finished = not shard.is_open and index >= len(records)
    return batch, next_position, finished


def get_records(db: Database, request: dict) -> dict:
    """Records from the iterator's position. NextShardIterator is absent once a closed
    shard is read to its end (ScyllaDB test_streams_closed_read: "DynamoDB does this")
    and always present for an open shard, even when no record is there yet."""
    request = conform(request, {"ShardIterator": "String", "Limit": "Integer"})
    iterator, limit = request.get("ShardIterator"), request.get("Limit")
    shape = validate.Shape()
    shape.required(iterator, "shardIterator")
    shape.number(limit, "limit", 1, MAX_GET_RECORDS)
    shape.check()
    arn, shard_id, position, issued_ms = decode_iterator(iterator)
    now = db.clock.now()
    if now * 1000 - issued_ms > ITERATOR_LIFETIME_SECONDS * 1000:
        raise ExpiredIteratorException(EXPIRED_MESSAGE)
    stream = _registry(db).streams.get(arn)
    if stream is None:
        raise stream_not_found(arn)
    shard = stream.shard(shard_id)
    if shard is None:
        raise ResourceNotFoundException("Invalid ShardId in ShardIterator")
    if position <= shard.trimmed_through:
        raise TrimmedDataAccessException(TRIMMED_MESSAGE)
    batch, next_position, finished = _read(shard, position, limit or MAX_GET_RECORDS)
    response: dict[str, Any] = {"Records": [record.to_wire(db.region, stream.view_type) for record in batch]}
    if not finished:
        response["NextShardIterator"] = encode_iterator(arn, shard_id, next_position, now)
    return response
