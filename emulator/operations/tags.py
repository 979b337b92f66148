"""Table tags: TagResource, UntagResource, ListTagsOfResource; and table ARNs.

Tags live on the table (``table.extensions["tags"]``, key -> value in insertion order)
and disappear with it. CreateTable's ``Tags`` go through the same :func:`check_tags`.

Order of checks (each source is cited where the rule is applied):

1. member types (SerializationException), then the Coral shape pass ("Value null at
   'resourceArn' ..."), collected;
2. the ARN: "ARNs must start with 'arn:'", not a DynamoDB table/stream ARN, an index
   ARN, another account (AccessDeniedException), another region;
3. the tag list: empty, each key and value (length, character set, ``aws:`` prefix),
   duplicates - all before anything is looked up, so a bad tag changes nothing;
4. the table: missing (ResourceNotFoundException naming the ARN), being created or
   deleted (ResourceInUseException), then the 50-tag limit on the merged set.

Real DynamoDB applies tag changes asynchronously (ListTagsOfResource lags 1-3 s and a
second write within ~1.5 s is LimitExceededException "Table tags are being updated").
The emulator applies them at once and has no write lock, which is the state real
DynamoDB converges to.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .. import limits, validate
from ..database import Database
from ..errors import (
    AccessDeniedException,
    ResourceInUseException,
    ResourceNotFoundException,
    ValidationException,
)
from ..table import Table
from ..types import INVALID
from .request_types import TAG, List, conform

TAGS_EXTENSION = "tags"
MAX_TAG_KEY_CHARS = 128
MAX_TAG_VALUE_CHARS = 256
MAX_RESOURCE_ARN_LENGTH = 1283

#: Punctuation allowed in tag keys and values besides letters, digits and spaces
#: (the AWS tag pattern ``^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$``).
_TAG_PUNCTUATION = frozenset("_.:/=+-@")


# ---------------------------------------------------------------- ARNs


def table_name_from_arn(db: Database, arn: str) -> str:
    """The table name in a table ARN given as a ``TableName`` (DescribeTable, ...).

    DynamoDB accepts the table's ARN wherever a TableName goes (2024). Observed
    (ack-api-quirks DDB-TABLE-011, 2026-10): another account's ARN is
    AccessDeniedException "Access is denied"; another region's is ValidationException
    "1 validation error detected: Invalid AWS region in '<arn>'"; index and stream ARNs
    are ValidationException. A missing table is ResourceNotFound naming the bare name.
    """
    parts = arn.split(":", 5)
    resource = parts[5].split("/") if len(parts) == 6 else []
    if len(resource) != 2 or resource[0] != "table" or parts[2] != "dynamodb" or not resource[1]:
        raise ValidationException(f"1 validation error detected: Invalid resource type in '{arn}'")
    if parts[4] != db.account_id:
        raise AccessDeniedException("Access is denied")
    if parts[3] != db.region or parts[1] != "aws":
        raise ValidationException(f"1 validation error detected: Invalid AWS region in '{arn}'")
    return resource[1]


def parse_resource_arn(db: Database, arn: str) -> tuple[str, bool]:
    """The table name in a tagging ``ResourceArn`` and whether it is a stream ARN.

    Checks in DynamoDB's order, messages observed on AWS (ack-api-quirks DDB-TABLE-071
    and DDB-TABLE-442, 2026-10-09).
    """
    if not arn.startswith("arn:"):
        raise ValidationException(INVALID + f"ARNs must start with 'arn:': {arn}")
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "dynamodb" or not parts[5].startswith("table/"):
        raise ValidationException(INVALID + f"Provided Arn is not a DynamoDB resource arn: {arn}")
    path = parts[5].split("/")
    stream = len(path) == 4 and path[2] == "stream"
    if len(path) != 2 and not stream:
        if len(path) >= 3 and path[2] == "index":
            raise ValidationException(
                INVALID + "Invalid resource arn provided, only table or stream is accepted. "
                f"Provided resource arn: {arn}"
            )
        raise ValidationException(INVALID + f"Provided Arn is not a DynamoDB resource arn: {arn}")
    if parts[4] != db.account_id:
        raise AccessDeniedException("Access is denied")
    if parts[3] != db.region or parts[1] != "aws":
        raise ValidationException(f"Invalid TableArn: Invalid ResourceArn provided as input {arn}")
    return path[1], stream


def resource_table(db: Database, arn: str) -> Table:
    """The table a tagging ``ResourceArn`` names, or ResourceNotFoundException.

    The message names the ARN: "Requested resource not found: ResourceArn: <arn> not
    found" (DDB-TABLE-070, 2026; turbot/steampipe-plugin-aws issue 1516 shows the older
    spelling "ResourcArn"). Tags belong to tables, so a stream ARN is not found
    (DDB-TABLE-071).
    """
    name, stream = parse_resource_arn(db, arn)
    table = db.tables.get(name)
    if table is None or stream:
        raise ResourceNotFoundException(f"Requested resource not found: ResourceArn: {arn} not found")
    return table


# ---------------------------------------------------------------- tag rules


def _allowed(text: str) -> bool:
    for char in text:
        if char in _TAG_PUNCTUATION:
            continue
        if unicodedata.category(char)[0] not in ("L", "N", "Z"):
            return False
    return True


def check_tag_key(key: Any) -> None:
    """DynamoDB's rules for one tag key (1-128 characters, AWS tag characters, no ``aws:``).

    Messages: ack-api-quirks DDB-TABLE-105/106/107/372 (2026-10), all ValidationException.
    """
    if not isinstance(key, str) or not key or len(key) > MAX_TAG_KEY_CHARS or not _allowed(key):
        shown = "null" if key is None else key
        raise ValidationException(f"The Tag Key provided is invalid, Key: {shown}")
    if key[:4].lower() == "aws:":
        raise ValidationException(f"Tag Key cannot be prefixed with aws:, Key: {key}")


def _check_tag_value(value: Any) -> None:
    if not isinstance(value, str) or len(value) > MAX_TAG_VALUE_CHARS or not _allowed(value):
        shown = "null" if value is None else value
        raise ValidationException(f"The Tag Value provided is invalid, Value: {shown}")


def check_tags(tags: list[dict]) -> dict[str, str]:
    """Validate a ``Tags`` list (keys, values, duplicates) and return it as a dict."""
    result: dict[str, str] = {}
    for tag in tags:
        check_tag_key(tag.get("Key"))
        _check_tag_value(tag.get("Value"))
    for tag in tags:
        key = tag["Key"]
        if key in result:
            raise ValidationException(
                f"Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}"
            )
        result[key] = tag["Value"]
    return result


def _too_many_tags() -> ValidationException:
    # A ValidationException, not LimitExceededException (DDB-TABLE-108).
    return ValidationException("Number of Tags exceed the current limit for the provided ResourceArn")


def check_tag_count(tags: dict[str, str]) -> None:
    if len(tags) > limits.MAX_TAGS_PER_RESOURCE:
        raise _too_many_tags()


def table_tags(table: Table) -> dict[str, str]:
    """The table's tags (created on first use)."""
    return table.extensions.setdefault(TAGS_EXTENSION, {})


def _check_writable(table: Table) -> None:
    # While CREATING every change is ResourceInUse (DDB-TABLE-001); right after DeleteTable
    # TagResource is ResourceInUse "Table is being deleted" (DDB-TABLE-104).
    if table.status == "CREATING":
        raise ResourceInUseException(
            f"Attempt to change a resource which is still in use: Table is being created: {table.name}"
        )
    if table.status == "DELETING":
        raise ResourceInUseException(
            f"Attempt to change a resource which is still in use: Table is being deleted: {table.name}"
        )


# ---------------------------------------------------------------- operations


def _arn_shape(shape: validate.Shape, arn: Any) -> None:
    if shape.required(arn, "resourceArn"):
        shape.length(arn, "resourceArn", 1, MAX_RESOURCE_ARN_LENGTH)


def tag_resource(db: Database, request: dict) -> dict:
    request = conform(request, {"ResourceArn": "String", "Tags": List(TAG)})
    shape = validate.Shape()
    _arn_shape(shape, request.get("ResourceArn"))
    shape.required(request.get("Tags"), "tags")
    shape.check()
    arn = request["ResourceArn"]
    parse_resource_arn(db, arn)
    if not request["Tags"]:
        raise ValidationException("Atleast one Tag needs to be provided as Input.")
    new_tags = check_tags(request["Tags"])
    table = resource_table(db, arn)
    _check_writable(table)
    merged = dict(table_tags(table))
    merged.update(new_tags)
    check_tag_count(merged)  # on the merged set (DDB-TABLE-108)
    table.extensions[TAGS_EXTENSION] = merged
    return {}


def untag_resource(db: Database, request: dict) -> dict:
    request = conform(request, {"ResourceArn": "String", "TagKeys": List("String")})
    shape = validate.Shape()
    _arn_shape(shape, request.get("ResourceArn"))
    shape.required(request.get("TagKeys"), "tagKeys")
    shape.check()
    arn = request["ResourceArn"]
    parse_resource_arn(db, arn)
    keys = request["TagKeys"]
    if not keys:
        raise ValidationException("Atleast one Tag Key needs to be provided as Input.")
    for key in keys:
        check_tag_key(key)
    if len(keys) > limits.MAX_TAGS_PER_RESOURCE:
        raise _too_many_tags()
    table = resource_table(db, arn)
    _check_writable(table)
    removed = set(keys)
    # Removing a key that is not there is not an error (DDB-TABLE-105).
    table.extensions[TAGS_EXTENSION] = {k: v for k, v in table_tags(table).items() if k not in removed}
    return {}


def list_tags_of_resource(db: Database, request: dict) -> dict:
    """All tags at once: at 50 tags DynamoDB returns no NextToken (DDB-TABLE-108), and an
    unknown NextToken is ignored (DDB-TABLE-073)."""
    request = conform(request, {"ResourceArn": "String", "NextToken": "String"})
    shape = validate.Shape()
    _arn_shape(shape, request.get("ResourceArn"))
    shape.check()
    table = resource_table(db, request["ResourceArn"])
    return {"Tags": [{"Key": key, "Value": value} for key, value in table_tags(table).items()]}


__all__ = [
    "check_tag_count",
    "check_tags",
    "list_tags_of_resource",
    "parse_resource_arn",
    "resource_table",
    "table_name_from_arn",
    "table_tags",
    "tag_resource",
    "untag_resource",
]
