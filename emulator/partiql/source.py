"""The FROM part of a statement: which table (and index) it names, with DynamoDB's checks.

Messages and their order (nubo-db/dynamodb-conformance tier3/error-messages/
partiqlIndexQualifier, observed on AWS eu-west-2): an empty component and a path of
three components are refused before the table is looked up; a qualifier naming no index
of the table is "The table does not have the specified index" with no name appended
(Query appends it). The table-name pattern message is DynamoDB Local's, unverified.
"""

from __future__ import annotations

import re
from typing import Optional

from ..database import Database
from ..errors import ValidationException
from ..indexes import Index, find_index
from ..table import Table
from .nodes import Source

EMPTY_COMPONENT = "Path component cannot be an empty string"
TOO_MANY_COMPONENTS = "A path may contain at most 2 components in the FROM clause"
NO_SUCH_INDEX = "The table does not have the specified index"
DML_ON_INDEX = "FROM clause may only contain a single table name in data manipulation statements"
#: UPDATE and DELETE parse a qualifier and refuse it afterwards, before looking the table
#: up (conformance tier2 partiql indexQualifier; dynoxide, captured on AWS 2026-08-15).
WRITE_ON_INDEX = "This operation is not supported on an index"
INVALID_TABLE_NAME = ("Table name should be within the length [3, 255] and only contain "
                      "'a-z', 'A-Z', '0-9', '-', '_', '.'.")
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")


def check_source(source: Source) -> None:
    """The checks that need no table."""
    if any(name == "" for name in source.names):
        raise ValidationException(EMPTY_COMPONENT)
    if len(source.names) > 2:
        raise ValidationException(TOO_MANY_COMPONENTS)
    if not _TABLE_NAME.fullmatch(source.table):
        raise ValidationException(INVALID_TABLE_NAME)


def table_of(db: Database, source: Source, *, refuse_index: Optional[str] = None) -> tuple[Table, Optional[Index]]:
    """The table (ResourceNotFoundException when absent) and the index the source names;
    ``refuse_index``: the message refusing any index (the writes)."""
    check_source(source)
    if source.index is not None and refuse_index is not None:
        raise ValidationException(refuse_index)
    table = db.get_table(source.table)
    if source.index is None:
        return table, None
    try:
        return table, find_index(table, source.index)
    except ValidationException as error:
        if error.message.startswith(NO_SUCH_INDEX):
            raise ValidationException(NO_SUCH_INDEX) from None
        raise
