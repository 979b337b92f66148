"""The operations the emulator answers: DynamoDB API name -> plain function.

This table is the single registry: the protocol layer dispatches through it and the
README's table of supported operations is generated from it.
"""

from __future__ import annotations

from typing import Any, Callable

from .database import Database
from .errors import SerializationException, UnknownOperationException
from .operations import batch, items, partiql, query, scan, tables, tags, transactions
from .operations import account, backups, point_in_time, resource_policies
from .operations import contributor_insights
from .operations import kinesis_destinations
from .operations import indexes as _indexes  # noqa: F401  (registers GSI/LSI table features)
from .operations import stream_tables as _stream_tables  # noqa: F401  (registers stream table features)
from .operations import streams as _streams
from .operations import ttl as _ttl

Operation = Callable[[Database, dict], dict]

OPERATIONS: dict[str, Operation] = {
    # tables
    "CreateTable": tables.create_table,
    "DescribeTable": tables.describe_table,
    "ListTables": tables.list_tables,
    "DeleteTable": tables.delete_table,
    "UpdateTable": tables.update_table,
    "TagResource": tags.tag_resource,
    "UntagResource": tags.untag_resource,
    "ListTagsOfResource": tags.list_tags_of_resource,
    "UpdateTimeToLive": _ttl.update_time_to_live,
    "DescribeTimeToLive": _ttl.describe_time_to_live,
    # account
    "DescribeLimits": account.describe_limits,
    "DescribeEndpoints": account.describe_endpoints,
    # contributor insights
    "DescribeContributorInsights": contributor_insights.describe_contributor_insights,
    "UpdateContributorInsights": contributor_insights.update_contributor_insights,
    "ListContributorInsights": contributor_insights.list_contributor_insights,
    # Kinesis streaming destinations
    "EnableKinesisStreamingDestination": kinesis_destinations.enable_kinesis_streaming_destination,
    "DisableKinesisStreamingDestination": kinesis_destinations.disable_kinesis_streaming_destination,
    "DescribeKinesisStreamingDestination": kinesis_destinations.describe_kinesis_streaming_destination,
    "UpdateKinesisStreamingDestination": kinesis_destinations.update_kinesis_streaming_destination,
    # resource-based policies
    "PutResourcePolicy": resource_policies.put_resource_policy,
    "GetResourcePolicy": resource_policies.get_resource_policy,
    "DeleteResourcePolicy": resource_policies.delete_resource_policy,
    # backups and point-in-time recovery
    "CreateBackup": backups.create_backup,
    "DescribeBackup": backups.describe_backup,
    "ListBackups": backups.list_backups,
    "DeleteBackup": backups.delete_backup,
    "RestoreTableFromBackup": backups.restore_table_from_backup,
    "DescribeContinuousBackups": point_in_time.describe_continuous_backups,
    "UpdateContinuousBackups": point_in_time.update_continuous_backups,
    "RestoreTableToPointInTime": point_in_time.restore_table_to_point_in_time,
    # items
    "PutItem": items.put_item,
    "GetItem": items.get_item,
    "DeleteItem": items.delete_item,
    "UpdateItem": items.update_item,
    # batches
    "BatchWriteItem": batch.batch_write_item,
    "BatchGetItem": batch.batch_get_item,
    # transactions
    "TransactWriteItems": transactions.transact_write_items,
    "TransactGetItems": transactions.transact_get_items,
    # reads
    "Query": query.query,
    "Scan": scan.scan,
    # PartiQL
    "ExecuteStatement": partiql.execute_statement,
    "BatchExecuteStatement": partiql.batch_execute_statement,
    "ExecuteTransaction": partiql.execute_transaction,
}

#: Operations of the separate DynamoDB Streams API (target prefix DynamoDBStreams_20120810).
STREAMS_OPERATIONS: dict[str, Operation] = {
    "ListStreams": _streams.list_streams,
    "DescribeStream": _streams.describe_stream,
    "GetShardIterator": _streams.get_shard_iterator,
    "GetRecords": _streams.get_records,
}


def call(db: Database, operation: str, request: Any, *, streams: bool = False) -> dict:
    """Run one operation atomically: the Database lock is held throughout."""
    registry = STREAMS_OPERATIONS if streams else OPERATIONS
    handler = registry.get(operation)
    if handler is None:
        raise UnknownOperationException("")
    if not isinstance(request, dict):
        raise SerializationException("Start of structure or map found where not expected.")
    with db.lock:
        for hook in db.before_operation:
            hook(db)
        return handler(db, request)
