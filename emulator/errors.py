"""DynamoDB's errors: one class per wire ``__type``, the message is data.

DynamoDB answers every failure with ``{"__type": "<namespace>#<Code>", "message": ...}``.
boto3 reports the part after ``#`` as ``Error.Code``, so the code must be exact; the
namespace is checked by some SDKs and by users reading raw responses, so it is exact too.
Validation errors come from the Coral framework (``com.amazon.coral.validate#``),
request-decoding errors from ``com.amazon.coral.service#``, the rest from the service
model (``com.amazonaws.dynamodb.v20120810#``).
"""

from __future__ import annotations

from typing import Any

_DYNAMODB = "com.amazonaws.dynamodb.v20120810"
_CORAL_SERVICE = "com.amazon.coral.service"
_CORAL_VALIDATE = "com.amazon.coral.validate"


class DynamoDBError(Exception):
    """Base of every error the emulator sends on the wire."""

    namespace = _DYNAMODB
    code = "InternalServerError"
    http_status = 400

    def __init__(self, message: str, **extras: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extras = extras

    @property
    def type_name(self) -> str:
        return f"{self.namespace}#{self.code}"

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"__type": self.type_name, "message": self.message}
        body.update(self.extras)
        return body


class ValidationException(DynamoDBError):
    namespace = _CORAL_VALIDATE
    code = "ValidationException"


class EmptyKeyValue(ValidationException):
    """A key attribute (of the table or of an index) given an empty string or binary.
    Its own class because a transaction refuses it as a whole, not as one action's
    cancellation reason (dynoxide's captures; conformance tier3 transactWriteItems)."""


class SerializationException(DynamoDBError):
    namespace = _CORAL_SERVICE
    code = "SerializationException"


class UnknownOperationException(DynamoDBError):
    namespace = _CORAL_SERVICE
    code = "UnknownOperationException"


class MissingAuthenticationTokenException(DynamoDBError):
    namespace = _CORAL_SERVICE
    code = "MissingAuthenticationTokenException"


class IncompleteSignatureException(DynamoDBError):
    # A SigV4 Authorization header or query string missing one of its parts
    # (dynalite test/connection.js, recorded from DynamoDB).
    namespace = _CORAL_SERVICE
    code = "IncompleteSignatureException"


class InvalidSignatureException(DynamoDBError):
    namespace = _CORAL_SERVICE
    code = "InvalidSignatureException"


class AccessDeniedException(DynamoDBError):
    # com.amazon.coral.service#AccessDeniedException in real responses
    # (sebdah/dynamic-dynamodb issue 321); e.g. another account's table ARN.
    namespace = _CORAL_SERVICE
    code = "AccessDeniedException"


class ResourceNotFoundException(DynamoDBError):
    code = "ResourceNotFoundException"


class ResourceInUseException(DynamoDBError):
    code = "ResourceInUseException"


class LimitExceededException(DynamoDBError):
    code = "LimitExceededException"


class ConditionalCheckFailedException(DynamoDBError):
    code = "ConditionalCheckFailedException"


class TransactionCanceledException(DynamoDBError):
    code = "TransactionCanceledException"


class TransactionConflictException(DynamoDBError):
    code = "TransactionConflictException"


class TransactionInProgressException(DynamoDBError):
    code = "TransactionInProgressException"


class IdempotentParameterMismatchException(DynamoDBError):
    code = "IdempotentParameterMismatchException"


class ItemCollectionSizeLimitExceededException(DynamoDBError):
    code = "ItemCollectionSizeLimitExceededException"


class DuplicateItemException(DynamoDBError):
    code = "DuplicateItemException"


class ExpiredIteratorException(DynamoDBError):
    code = "ExpiredIteratorException"


class TrimmedDataAccessException(DynamoDBError):
    code = "TrimmedDataAccessException"


class ProvisionedThroughputExceededException(DynamoDBError):
    code = "ProvisionedThroughputExceededException"


# Backups and point-in-time recovery (the errors the API model lists for CreateBackup,
# RestoreTableFromBackup, RestoreTableToPointInTime, ... ; operations/backups.py and
# operations/restores.py say when each is raised and with which words).
class TableNotFoundException(DynamoDBError):
    code = "TableNotFoundException"


class TableAlreadyExistsException(DynamoDBError):
    code = "TableAlreadyExistsException"


class TableInUseException(DynamoDBError):
    code = "TableInUseException"


class BackupNotFoundException(DynamoDBError):
    code = "BackupNotFoundException"


class BackupInUseException(DynamoDBError):
    code = "BackupInUseException"


class ContinuousBackupsUnavailableException(DynamoDBError):
    code = "ContinuousBackupsUnavailableException"


class PointInTimeRecoveryUnavailableException(DynamoDBError):
    code = "PointInTimeRecoveryUnavailableException"


class InvalidRestoreTimeException(DynamoDBError):
    code = "InvalidRestoreTimeException"


class PolicyNotFoundException(DynamoDBError):
    code = "PolicyNotFoundException"


class InternalServerError(DynamoDBError):
    code = "InternalServerError"
    http_status = 500


RESOURCE_NOT_FOUND_MESSAGE = "Requested resource not found"


def table_not_found(table_name: str | None = None) -> ResourceNotFoundException:
    """DynamoDB names the table in some operations and not in others."""
    if table_name is None:
        return ResourceNotFoundException(RESOURCE_NOT_FOUND_MESSAGE)
    return ResourceNotFoundException(f"{RESOURCE_NOT_FOUND_MESSAGE}: Table: {table_name} not found")
