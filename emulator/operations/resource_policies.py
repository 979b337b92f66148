"""Resource-based policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy,
and CreateTable's ResourcePolicy.

The emulator has no IAM: a policy is stored and handed back, never enforced, and its
document is not checked against the IAM grammar (only for being a string of at most 20 KB,
DynamoDB's documented limit). What code sees is DynamoDB's: one policy slot per table and
one per stream of it (ack-api-quirks DDB-TABLE, 2026-10: a stream ARN's policy is
independent of the table's), revision ids that are timestamps (comparable as strings, the
same document put again keeps its revision), ExpectedRevisionId (and "NO_POLICY") guarding
writes, and these errors, each recorded on AWS (moto's aws_verified tests, ack-api-quirks):

- no policy: PolicyNotFoundException "Resource-based policy not found for the provided
  ResourceArn: <arn>";
- a revision that does not match: "... ResourceArn: Requested update for policy with
  revision id <expected>, but the policy associated to target table <table> has revision
  id <current>.", and for "NO_POLICY" when one exists "... ResourceArn: Requested policy
  update expecting none to be present for table <table>, but a policy exists with
  revision id <current>.";
- a missing table: ResourceNotFoundException "Requested resource not found: Table: <name>
  not found" (a stream ARN of a deleted table: PolicyNotFoundException);
- ARNs that name no table or stream: tags.parse_resource_arn's messages.

Not emulated: the eventual consistency of policy reads, and the throttling of policy
writes (one per slot every ~15 s on AWS).
"""

from __future__ import annotations

from typing import Any, Optional

from .. import validate
from ..database import Database
from ..errors import PolicyNotFoundException, ValidationException
from ..table import Table
from ..types import INVALID
from . import table_requests, tables
from .request_types import conform
from .tags import MAX_RESOURCE_ARN_LENGTH, parse_resource_arn

EXTENSION = "resource_policies"
#: DynamoDB's limit on a policy document, whitespace included (API_PutResourcePolicy).
MAX_POLICY_BYTES = 20 * 1024
NO_POLICY = "NO_POLICY"
MAX_REVISION_ID_LENGTH = 255
#: The emulator's words for an oversized policy (DynamoDB's are not recorded).
POLICY_TOO_LARGE = INVALID + "Resource-based policy size exceeds the maximum allowed size of 20 KB"


def _not_found(arn: str) -> PolicyNotFoundException:
    return PolicyNotFoundException(f"Resource-based policy not found for the provided ResourceArn: {arn}")


def _slots(table: Table) -> dict[str, tuple[str, str]]:
    """The table's policies by the ARN they are attached to: (document, revision id)."""
    slots: dict[str, tuple[str, str]] = table.extensions.setdefault(EXTENSION, {})
    return slots


def _table_of(db: Database, arn: str, *, reading: bool) -> Optional[Table]:
    """The table an ARN names; None for a stream ARN of a missing table when reading
    (its slot is simply empty)."""
    name, stream = parse_resource_arn(db, arn)
    if reading and stream and name not in db.tables:
        return None
    return db.get_table(name, named=True)


def _check_expected(table: Table, arn: str, expected: Optional[str]) -> None:
    current = _slots(table).get(arn)
    if expected is None:
        return
    if current is None:
        if expected != NO_POLICY:
            raise _not_found(arn)
        return
    if expected == NO_POLICY:
        raise PolicyNotFoundException(
            "Resource-based policy not found for the provided ResourceArn: Requested policy update expecting "
            f"none to be present for table {table.name}, but a policy exists with revision id {current[1]}.")
    if expected != current[1]:
        raise PolicyNotFoundException(
            "Resource-based policy not found for the provided ResourceArn: Requested update for policy with "
            f"revision id {expected}, but the policy associated to target table {table.name} has revision id "
            f"{current[1]}.")


def _next_revision(db: Database, table: Table, arn: str) -> str:
    """A millisecond timestamp, after any revision the slot had (same length for the
    next 250 years, so string order is time order)."""
    revision = int(db.clock.now() * 1000)
    current = _slots(table).get(arn)
    if current is not None:
        revision = max(revision, int(current[1]) + 1)
    return str(revision)


def _attach(db: Database, table: Table, arn: str, policy: str) -> str:
    current = _slots(table).get(arn)
    if current is not None and current[0] == policy:
        return current[1]  # the same document again changes nothing
    revision = _next_revision(db, table, arn)
    _slots(table)[arn] = (policy, revision)
    return revision


def _check_policy(policy: str) -> None:
    if len(policy.encode("utf-8")) > MAX_POLICY_BYTES:
        raise ValidationException(POLICY_TOO_LARGE)


def _arn_shape(shape: validate.Shape, request: dict) -> None:
    arn = request.get("ResourceArn")
    if shape.required(arn, "resourceArn"):
        shape.length(arn, "resourceArn", 1, MAX_RESOURCE_ARN_LENGTH)
    shape.length(request.get("ExpectedRevisionId"), "expectedRevisionId", 1, MAX_REVISION_ID_LENGTH)


# ---------------------------------------------------------------- operations


def put_resource_policy(db: Database, request: dict) -> dict:
    request = conform(request, {"ResourceArn": "String", "Policy": "String", "ExpectedRevisionId": "String",
                                "ConfirmRemoveSelfResourceAccess": "Boolean"})
    shape = validate.Shape()
    _arn_shape(shape, request)
    shape.required(request.get("Policy"), "policy")
    shape.check()
    arn, policy = request["ResourceArn"], request["Policy"]
    table = _table_of(db, arn, reading=False)
    assert table is not None
    _check_policy(policy)
    _check_expected(table, arn, request.get("ExpectedRevisionId"))
    return {"RevisionId": _attach(db, table, arn, policy)}


def get_resource_policy(db: Database, request: dict) -> dict:
    request = conform(request, {"ResourceArn": "String"})
    shape = validate.Shape()
    _arn_shape(shape, request)
    shape.check()
    arn = request["ResourceArn"]
    table = _table_of(db, arn, reading=True)
    current = _slots(table).get(arn) if table is not None else None
    if current is None:
        raise _not_found(arn)
    return {"Policy": current[0], "RevisionId": current[1]}


def delete_resource_policy(db: Database, request: dict) -> dict:
    """Without a policy the response has no RevisionId ("empty if you make a request
    against a resource without a policy", API_DeleteResourcePolicy)."""
    request = conform(request, {"ResourceArn": "String", "ExpectedRevisionId": "String"})
    shape = validate.Shape()
    _arn_shape(shape, request)
    shape.check()
    arn = request["ResourceArn"]
    table = _table_of(db, arn, reading=False)
    assert table is not None
    _check_expected(table, arn, request.get("ExpectedRevisionId"))
    removed = _slots(table).pop(arn, None)
    return {"RevisionId": removed[1]} if removed is not None else {}


# ---------------------------------------------------------------- CreateTable's ResourcePolicy


def _create_feature(db: Database, table: Table, request: dict) -> None:
    """A CreateTable's ResourcePolicy is the table's first policy."""
    policy: Any = request.get("ResourcePolicy")
    if policy is not None:
        _check_policy(policy)
        _attach(db, table, table.arn, policy)


def register() -> None:
    """Plug CreateTable's ResourcePolicy into the control plane (idempotent)."""
    table_requests.CREATE_TABLE_MEMBERS.setdefault("ResourcePolicy", "String")
    if _create_feature not in tables.TABLE_FEATURES:
        tables.TABLE_FEATURES.append(_create_feature)


register()
