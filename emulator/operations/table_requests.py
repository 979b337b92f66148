"""CreateTable and UpdateTable request checks, in DynamoDB's order.

Every check here looks at the request alone; checks against an existing table live in
tables.py. The order, for CreateTable (UpdateTable follows the same pattern):

1. member types (SerializationException, request_types.py);
2. a missing TableName: "The parameter 'TableName' is required but was not present in
   the request" (conformance suite tier3/error-messages/createTable; dynalite);
3. the Coral shape pass, every violation collected into one "N validation errors
   detected" message (validate.Shape), members in the API model's order, plus the
   shape checks registered by extensions (``CREATE_SHAPE_CHECKS``);
4. semantic rules, first failure wins: billing mode and throughput, attribute
   definitions and the key schema (dynalite validations/createTable.js, whose messages
   were recorded from DynamoDB and match the ack-api-quirks catalogue of 2026-10), the
   checks of extensions (``CREATE_CHECKS``), unused attribute definitions, streams,
   encryption, table class and tags;
5. (tables.py) whether the table exists.

Extension points (see also the docstring of tables.py):

- ``CREATE_SHAPE_CHECKS`` / ``UPDATE_SHAPE_CHECKS``: ``fn(shape, request)`` adds the
  shape violations of members this module does not know (e.g. GlobalSecondaryIndexes)
  to the same collected message. ``request`` has passed the type check of known members
  only; check the types of your own members with request_types.conform_value.
- ``CREATE_CHECKS``: ``fn(request, definitions)`` runs after the table's key-schema
  checks and before the unused-definitions check; ``definitions`` maps attribute name
  to type. Raise a DynamoDBError to refuse the request.
- ``UPDATE_CHECKS``: ``fn(request)`` runs after the built-in request-only UpdateTable
  checks, before the table is looked up.
- ``KEY_SCHEMA_SOURCES``: ``fn(request) -> list of KeySchema lists`` naming every key
  schema in a CreateTable request; together they decide which AttributeDefinitions are
  used. The first source is the table's own KeySchema; append index sources after it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .. import validate
from ..database import Database
from ..errors import ValidationException
from ..table import KeySchema
from ..types import INVALID
from . import tags as tag_rules
from .request_types import (
    ATTRIBUTE_DEFINITION,
    KEY_SCHEMA_ELEMENT,
    PROVISIONED_THROUGHPUT,
    TAG,
    List,
    Struct,
    conform,
)

BILLING_MODES = ("PROVISIONED", "PAY_PER_REQUEST")
KEY_TYPES = ("HASH", "RANGE")
ATTRIBUTE_TYPES = ("B", "N", "S")
#: In the order DynamoDB lists them in its message (ack-api-quirks DDB-TABLE-457).
STREAM_VIEW_TYPES = ("OLD_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES", "NEW_IMAGE")
SSE_TYPES = ("AES256", "KMS")
TABLE_CLASSES = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")
MAX_KEY_ATTRIBUTE_NAME_LENGTH = 255
MAX_TABLE_ARN_LENGTH = 1024
#: Above this DynamoDB answers "Given value N for ReadCapacityUnits is out of bounds" (dynalite).
MAX_CAPACITY_UNITS = 1_000_000_000_000

STREAM_SPECIFICATION = Struct("StreamSpecification", {"StreamEnabled": "Boolean", "StreamViewType": "String"})
SSE_SPECIFICATION = Struct(
    "SSESpecification", {"Enabled": "Boolean", "SSEType": "String", "KMSMasterKeyId": "String"}
)
ON_DEMAND_THROUGHPUT = Struct(
    "OnDemandThroughput", {"MaxReadRequestUnits": "Long", "MaxWriteRequestUnits": "Long"}
)
#: OnDemandThroughput's members, in the order DynamoDB checks and names them.
ON_DEMAND_MEMBERS = ("MaxReadRequestUnits", "MaxWriteRequestUnits")
_COMMON_MEMBERS = {
    "AttributeDefinitions": List(ATTRIBUTE_DEFINITION),
    "TableName": "String",
    "BillingMode": "String",
    "ProvisionedThroughput": PROVISIONED_THROUGHPUT,
    "StreamSpecification": STREAM_SPECIFICATION,
    "SSESpecification": SSE_SPECIFICATION,
    "TableClass": "String",
    "DeletionProtectionEnabled": "Boolean",
    "OnDemandThroughput": ON_DEMAND_THROUGHPUT,
}
CREATE_TABLE_MEMBERS = {**_COMMON_MEMBERS, "KeySchema": List(KEY_SCHEMA_ELEMENT), "Tags": List(TAG)}
UPDATE_TABLE_MEMBERS = dict(_COMMON_MEMBERS)

PAY_PER_REQUEST_THROUGHPUT = (
    INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
)

ShapeCheck = Callable[[validate.Shape, dict], None]
KeySchemaSource = Callable[[dict], list]

CREATE_SHAPE_CHECKS: list[ShapeCheck] = []
UPDATE_SHAPE_CHECKS: list[ShapeCheck] = []
CREATE_CHECKS: list[Callable[[dict, dict[str, str]], None]] = []
UPDATE_CHECKS: list[Callable[[dict], None]] = []


def _table_key_schema(request: dict) -> list:
    return [request.get("KeySchema") or []]


KEY_SCHEMA_SOURCES: list[KeySchemaSource] = [_table_key_schema]


@dataclass
class NewTable:
    """A checked CreateTable request, ready to become a Table."""

    name: str
    schema: KeySchema
    definitions: list[dict[str, str]]
    billing_mode: str
    read_units: int
    write_units: int
    deletion_protection: bool
    stream: Optional[dict]
    sse: Optional[dict]
    table_class: Optional[str]
    tags: dict[str, str] = field(default_factory=dict)
    #: The OnDemandThroughput maxima set (members absent: no maximum).
    on_demand: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- shared pieces


def check_table_name(request: dict) -> None:
    """The TableName of a table operation is checked before the other members, and its
    errors are reported alone: a missing one as "The parameter 'TableName' is required
    but was not present in the request" (conformance tier3/error-messages/createTable;
    dynalite for the other operations), a malformed one as the only constraint failures
    even when other members are wrong too (conformance
    tier3/validation-ordering/createTable: "empty TableName reports only tableName
    constraint", "invalid table name pattern reports only tableName")."""
    if request.get("TableName") is None:
        raise ValidationException("The parameter 'TableName' is required but was not present in the request")
    shape = validate.Shape()
    table_name_shape(shape, request["TableName"])
    shape.check()


def table_name_shape(shape: validate.Shape, name: Any, path: str = "tableName") -> None:
    """A table name: 3-255 characters of [a-zA-Z0-9_.-], length reported first (observed
    for DescribeTable '': ack-api-quirks DDB-TABLE-457). A table ARN is accepted in its
    place (up to 1024 characters) and checked when it is resolved."""
    if name is None:
        return
    if name.startswith("arn:"):
        shape.length(name, path, 1, MAX_TABLE_ARN_LENGTH)
        return
    validate.table_name(shape, name, path)


def table_name(db: Database, name: str) -> str:
    """The bare table name (a table ARN is resolved, see tags.table_name_from_arn)."""
    return tag_rules.table_name_from_arn(db, name) if name.startswith("arn:") else name


def _attribute_name_shape(shape: validate.Shape, name: Any, path: str) -> None:
    if shape.required(name, path):
        shape.length(name, path, 1, MAX_KEY_ATTRIBUTE_NAME_LENGTH)


def _render_key_schema(schema: list) -> str:
    """How Coral prints a KeySchema list (the friendlier of its two renderings, both seen
    on AWS: conformance tier3/error-messages/createTable)."""

    def show(value: Any) -> str:
        return "null" if value is None else str(value)

    elements = (
        f"KeySchemaElement(attributeName={show(e.get('AttributeName'))}, keyType={show(e.get('KeyType'))})"
        for e in schema
    )
    return "[" + ", ".join(elements) + "]"


def key_schema_shape(shape: validate.Shape, schema: Any, path: str = "keySchema") -> None:
    """A KeySchema list: 1-2 elements, each with an attribute name and HASH or RANGE."""
    if not shape.required(schema, path):
        return
    if len(schema) > 2:
        shape.fail(_render_key_schema(schema), path, "Member must have length less than or equal to 2")
    else:
        shape.length(schema, path, 1, 2)
    for position, element in enumerate(schema, 1):
        base = f"{path}.{position}.member"
        _attribute_name_shape(shape, element.get("AttributeName"), base + ".attributeName")
        if shape.required(element.get("KeyType"), base + ".keyType"):
            shape.enum(element["KeyType"], base + ".keyType", KEY_TYPES)


def _definitions_shape(shape: validate.Shape, definitions: Any, *, required: bool) -> None:
    path = "attributeDefinitions"
    if definitions is None:
        if required:
            shape.required(None, path)
        return
    for position, definition in enumerate(definitions, 1):
        base = f"{path}.{position}.member"
        # attributeType is reported before attributeName (DDB-TABLE-457).
        kind = definition.get("AttributeType")
        if shape.required(kind, base + ".attributeType"):
            shape.enum(kind, base + ".attributeType", ATTRIBUTE_TYPES)
        _attribute_name_shape(shape, definition.get("AttributeName"), base + ".attributeName")


def throughput_shape(shape: validate.Shape, throughput: Any, path: str = "provisionedThroughput") -> None:
    """Both capacities present and at least 1; write is reported first (DDB-TABLE-038)."""
    if throughput is None:
        return
    for member, name in (("WriteCapacityUnits", "writeCapacityUnits"), ("ReadCapacityUnits", "readCapacityUnits")):
        value = throughput.get(member)
        if shape.required(value, f"{path}.{name}"):
            shape.number(value, f"{path}.{name}", 1)


def _common_shape(shape: validate.Shape, request: dict) -> None:
    shape.enum(request.get("BillingMode"), "billingMode", BILLING_MODES)
    throughput_shape(shape, request.get("ProvisionedThroughput"))


def _feature_shape(shape: validate.Shape, request: dict) -> None:
    stream = request.get("StreamSpecification")
    if stream is not None:
        shape.required(stream.get("StreamEnabled"), "streamSpecification.streamEnabled")
        shape.enum(stream.get("StreamViewType"), "streamSpecification.streamViewType", STREAM_VIEW_TYPES)
    sse = request.get("SSESpecification")
    if sse is not None:
        shape.enum(sse.get("SSEType"), "sSESpecification.sSEType", SSE_TYPES)
        shape.length(sse.get("KMSMasterKeyId"), "sSESpecification.kMSMasterKeyId", 1)


# ---------------------------------------------------------------- semantic rules


def check_capacity_bounds(throughput: dict) -> None:
    for member in ("ReadCapacityUnits", "WriteCapacityUnits"):
        if throughput[member] > MAX_CAPACITY_UNITS:
            raise ValidationException(f"Given value {throughput[member]} for {member} is out of bounds")


def _check_create_billing(request: dict) -> str:
    """Billing mode and throughput (DDB-TABLE-024/038; dynalite createTable.js)."""
    mode = request.get("BillingMode") or "PROVISIONED"
    throughput = request.get("ProvisionedThroughput")
    if mode == "PAY_PER_REQUEST":
        if throughput is not None:
            raise ValidationException(PAY_PER_REQUEST_THROUGHPUT)
        return mode
    if throughput is None:
        raise ValidationException(
            INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
        )
    check_capacity_bounds(throughput)
    return mode


def on_demand_members(request: dict) -> dict[str, int]:
    """The OnDemandThroughput members a request sets, read first ({} when none)."""
    given = request.get("OnDemandThroughput") or {}
    return {member: given[member] for member in ON_DEMAND_MEMBERS if given.get(member) is not None}


def check_on_demand(members: dict[str, int], provisioned: bool, *, update: bool) -> None:
    """OnDemandThroughput maxima: only for on-demand tables, then each at least 1 (or,
    in UpdateTable, -1 to remove it). Messages recorded on AWS (ack-api-quirks
    DDB-TABLE-039/051/059; dynoxide, captured 2026-07-24): the first member present is
    named, read first; the provisioned message says "table ... PROVISIONED." in
    CreateTable and "the table ... PROVISIONED" (no full stop) in UpdateTable."""
    if not members:
        return
    if provisioned:
        first = next(iter(members))
        if update:
            raise ValidationException(
                INVALID + f"{first} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED")
        raise ValidationException(
            INVALID + f"{first} for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.")
    for member, value in members.items():
        if value < 1 and not (update and value == -1):
            raise ValidationException(
                INVALID + f"Requested {member} for OnDemandThroughput for table is outside of valid range")


def _check_keys(request: dict) -> tuple[KeySchema, dict[str, str]]:
    """Attribute definitions against the table's KeySchema, in dynalite's order (its
    messages match ack-api-quirks DDB-TABLE-042 and the conformance suite)."""
    definitions: dict[str, str] = {}
    for definition in request["AttributeDefinitions"]:
        name = definition["AttributeName"]
        if name in definitions:
            raise ValidationException(f"Attribute Name is duplicated: {name}")
        definitions[name] = definition["AttributeType"]
    elements = request["KeySchema"]
    keys = [element["AttributeName"] for element in elements]
    if len(keys) > len(definitions):
        raise ValidationException("Invalid KeySchema: Some index key attribute have no definition")
    if any(key not in definitions for key in keys):
        raise ValidationException(
            INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(definitions)}]"
        )
    if len(keys) == 2 and keys[0] == keys[1]:
        raise ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name")
    if elements[0]["KeyType"] != "HASH":
        raise ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(elements) == 2 and elements[1]["KeyType"] != "RANGE":
        raise ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
    range_name = keys[1] if len(keys) == 2 else None
    schema = KeySchema(keys[0], definitions[keys[0]], range_name, definitions.get(range_name) if range_name else None)
    return schema, definitions


def used_attributes(request: dict) -> tuple[list[str], bool]:
    """Names used by any key schema of the request (table first, then index sources),
    and whether any source besides the table's own contributed one."""
    used: dict[str, None] = {}
    from_indexes = False
    for position, source in enumerate(KEY_SCHEMA_SOURCES):
        for schema in source(request):
            from_indexes = from_indexes or (position > 0 and bool(schema))
            for element in schema:
                used.setdefault(element.get("AttributeName"), None)
    return list(used), from_indexes


def _check_definitions_used(request: dict, definitions: dict[str, str]) -> None:
    """Every definition must be a key of the table or an index (DDB-TABLE-042; the
    "Some AttributeDefinitions are not used" text from aws-cloudformation/cfn-lint#1037
    via moto, and the ack-api-quirks catalogue)."""
    used, has_indexes = used_attributes(request)
    missing = [name for name in used if name not in definitions]
    if missing:
        raise ValidationException(
            INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: [{', '.join(missing)}], AttributeDefinitions: [{', '.join(definitions)}]"
        )
    if len(definitions) == len(used):
        return
    if not has_indexes:
        raise ValidationException(
            INVALID + "Number of attributes in KeySchema does not exactly match number of attributes "
            "defined in AttributeDefinitions"
        )
    raise ValidationException(
        INVALID + f"Some AttributeDefinitions are not used. AttributeDefinitions: [{', '.join(definitions)}], "
        f"keys used: [{', '.join(used)}]"
    )


def check_create_stream(stream: Optional[dict]) -> Optional[dict]:
    """StreamSpecification on CreateTable, checked and echoed (streams.py builds the
    stream itself). Messages: ack-api-quirks DDB-TABLE-442 (2026-10)."""
    if stream is None:
        return None
    view_type = stream.get("StreamViewType")
    if stream["StreamEnabled"]:
        if view_type is None:
            raise ValidationException(
                INVALID + "Table is being created with a stream enabled, UpdateViewType is required"
            )
        return {"StreamEnabled": True, "StreamViewType": view_type}
    if view_type is not None:
        raise ValidationException(
            INVALID + "Table is being created with a stream disabled, UpdateViewType should not be specified"
        )
    return None


def _kms_key_arn(db: Database, key_id: Optional[str]) -> str:
    """The key ARN DynamoDB reports for ``KMSMasterKeyId`` (no real KMS behind it: an
    alias or bare key id maps to a stable made-up key of this account and region)."""
    if key_id is not None and key_id.startswith("arn:"):
        return key_id
    if key_id is None or key_id.startswith("alias/"):
        seed = f"{db.account_id}:{db.region}:{key_id or 'alias/aws/dynamodb'}"
        key_id = str(uuid.uuid5(uuid.NAMESPACE_URL, seed))
    return f"arn:aws:kms:{db.region}:{db.account_id}:key/{key_id}"


def check_sse(db: Database, sse: Optional[dict]) -> Optional[dict]:
    """SSESpecification -> the SSEDescription to show, or None for the default AWS-owned
    key (no SSEDescription at all). Rules and messages: ack-api-quirks DDB-TABLE-044 and
    DDB-TABLE-442 (2026-10)."""
    if sse is None:
        return None
    enabled, sse_type, key_id = sse.get("Enabled"), sse.get("SSEType"), sse.get("KMSMasterKeyId")
    if enabled is False:
        if sse_type is not None:
            raise ValidationException(INVALID + "SSEType can not be specified if Enabled is false")
        if key_id is not None:
            raise ValidationException(INVALID + "KMSMasterKeyId can not be specified if Enabled is false")
        return None
    if sse_type == "AES256":
        raise ValidationException(INVALID + "SSEType AES256 is not supported")
    if key_id is not None and sse_type != "KMS":
        raise ValidationException(INVALID + "SSEType KMS is required if KMSMasterKeyId is specified")
    if not enabled and sse_type is None:
        return None  # {} is accepted and means the default encryption
    return {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": _kms_key_arn(db, key_id)}


def check_table_class(table_class: Optional[str]) -> None:
    """Not the Coral enum message: DynamoDB answers in its own words (DDB-TABLE-442;
    scylladb test_tableclass.py quotes the same text)."""
    if table_class is not None and table_class not in TABLE_CLASSES:
        raise ValidationException(
            "Invalid table-class parameter provided. Please try again with a valid table-class value: "
            "[STANDARD, STANDARD_INFREQUENT_ACCESS]."
        )


# ---------------------------------------------------------------- CreateTable


def check_create_table(db: Database, request: dict) -> tuple[dict, NewTable]:
    """All request-only checks of CreateTable; returns the type-checked request and the
    table to build."""
    request = conform(request, CREATE_TABLE_MEMBERS)
    check_table_name(request)
    shape = validate.Shape()
    _definitions_shape(shape, request.get("AttributeDefinitions"), required=True)
    key_schema_shape(shape, request.get("KeySchema"))
    for check in CREATE_SHAPE_CHECKS:
        check(shape, request)
    _common_shape(shape, request)
    _feature_shape(shape, request)
    shape.check()

    billing_mode = _check_create_billing(request)
    on_demand = on_demand_members(request)
    check_on_demand(on_demand, billing_mode == "PROVISIONED", update=False)
    schema, definitions = _check_keys(request)
    for check in CREATE_CHECKS:
        check(request, definitions)
    _check_definitions_used(request, definitions)
    stream = check_create_stream(request.get("StreamSpecification"))
    sse = check_sse(db, request.get("SSESpecification"))
    check_table_class(request.get("TableClass"))
    tags = tag_rules.check_tags(request.get("Tags") or [])
    tag_rules.check_tag_count(tags)
    throughput = request.get("ProvisionedThroughput") or {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    return request, NewTable(
        name=table_name(db, request["TableName"]),
        schema=schema,
        definitions=[
            {"AttributeName": d["AttributeName"], "AttributeType": d["AttributeType"]}
            for d in request["AttributeDefinitions"]
        ],
        billing_mode=billing_mode,
        read_units=throughput["ReadCapacityUnits"],
        write_units=throughput["WriteCapacityUnits"],
        deletion_protection=bool(request.get("DeletionProtectionEnabled", False)),
        stream=stream,
        sse=sse,
        table_class=request.get("TableClass"),
        tags=tags,
        on_demand=on_demand,
    )


# ---------------------------------------------------------------- UpdateTable

#: The members that make an UpdateTable request do something, as DynamoDB lists them
#: (it omits the ones present in the request; ack-api-quirks DDB-TABLE-442/449, 2026-10).
_UPDATE_MEMBERS_NAMED = (
    "ProvisionedThroughput", "BillingMode", "UpdateStreamEnabled", "GlobalSecondaryIndexUpdates",
    "SSESpecification", "ReplicaUpdates", "MultiAccountReplicaReady", "ReplicaTransitRoleArn",
    "MultiRegionConsistency", "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput",
    "TableClass",
)
#: Request members that count as a change (``UpdateStreamEnabled`` is StreamSpecification).
UPDATE_MEMBERS = (
    "ProvisionedThroughput", "BillingMode", "StreamSpecification", "GlobalSecondaryIndexUpdates",
    "SSESpecification", "ReplicaUpdates", "DeletionProtectionEnabled", "OnDemandThroughput",
    "WarmThroughput", "TableClass",
)


def update_members(request: dict) -> list[str]:
    """The change-making members present; an empty OnDemandThroughput/WarmThroughput
    struct counts as absent (DDB-TABLE-456), and so does an empty
    GlobalSecondaryIndexUpdates list (DDB-TABLE-359; next to another change,
    operations/index_requests.py refuses it)."""
    present = []
    for member in UPDATE_MEMBERS:
        value = request.get(member)
        if value is None or (member in ("OnDemandThroughput", "WarmThroughput") and value == {}):
            continue
        if member == "GlobalSecondaryIndexUpdates" and value == []:
            continue
        present.append(member)
    return present


def _check_update_composition(request: dict, present: list[str]) -> None:
    """UpdateTable makes one kind of change per call (DDB-TABLE-382/433; messages from
    the DDB-TABLE-442 catalogue). Precedence: SSE, then TableClass, then DeletionProtection."""
    for member, what in (
        ("SSESpecification", "Server-Side Encryption modification"),
        ("TableClass", "TableClass modification"),
        ("DeletionProtectionEnabled", "DeletionProtection modification"),
    ):
        if member in present and len(present) > 1:
            raise ValidationException(INVALID + f"{what} must be the only operation in the request")
    if "StreamSpecification" in present and (
        "ProvisionedThroughput" in present or request.get("BillingMode") == "PROVISIONED"
    ):
        raise ValidationException(INVALID + "You cannot modify stream status while updating table IOPS")


def check_update_table(db: Database, request: dict) -> tuple[dict, list[str]]:
    """All request-only checks of UpdateTable; returns the type-checked request and the
    change-making members it has."""
    request = conform(request, UPDATE_TABLE_MEMBERS)
    check_table_name(request)
    shape = validate.Shape()
    _definitions_shape(shape, request.get("AttributeDefinitions"), required=False)
    _common_shape(shape, request)
    for check in UPDATE_SHAPE_CHECKS:
        check(shape, request)
    _feature_shape(shape, request)
    shape.check()

    present = update_members(request)
    if not present:
        named = [name for name in _UPDATE_MEMBERS_NAMED if name not in request]
        raise ValidationException(f"At least one of {', '.join(named[:-1])} or {named[-1]} is required")
    _check_update_composition(request, present)
    mode, throughput = request.get("BillingMode"), request.get("ProvisionedThroughput")
    if mode == "PROVISIONED" and throughput is None:
        raise ValidationException(INVALID + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
    if mode == "PAY_PER_REQUEST" and throughput is not None:
        raise ValidationException(PAY_PER_REQUEST_THROUGHPUT)
    if throughput is not None:
        check_capacity_bounds(throughput)
    check_table_class(request.get("TableClass"))
    check_sse(db, request.get("SSESpecification"))
    for check in UPDATE_CHECKS:
        check(request)
    return request, present
