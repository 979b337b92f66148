"""The secondary-index members of CreateTable and UpdateTable requests, checked in
DynamoDB's order.

CreateTable: ``LocalSecondaryIndexes`` and ``GlobalSecondaryIndexes``; UpdateTable:
``GlobalSecondaryIndexUpdates``. These hook into table_requests.py's pipeline:

1. member types: the index structures are added to the request type specs, so a wrong
   JSON type is the same SerializationException as for any other member;
2. shape: ``CREATE_SHAPE_CHECKS`` / ``UPDATE_SHAPE_CHECKS`` add the Coral constraint
   violations (index name pattern and length, key schema length, projection type enum,
   NonKeyAttributes 1-20 names, throughput at least 1) to the one collected message;
3. semantics: ``CREATE_CHECKS`` runs the LSI rules, then the GSI rules, in the order and
   with the messages dynalite recorded from DynamoDB (validations/createTable.js and its
   tests) and the ack-api-quirks catalogue (DDB-TABLE-442, 2026-10); ``UPDATE_CHECKS``
   runs the request-only GlobalSecondaryIndexUpdates rules (DDB-TABLE-159/160/174/359);
4. ``KEY_SCHEMA_SOURCES`` names the index key schemas, so that AttributeDefinitions used
   only by an index count as used, and unused ones are reported.

Rules that need the existing table (UpdateTable: does the index exist, is another one
being built) live in operations/indexes.py.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from .. import limits, validate
from ..errors import ValidationException
from ..types import INVALID
from . import table_requests
from .request_types import KEY_SCHEMA_ELEMENT, PROVISIONED_THROUGHPUT, List, Struct
from .table_requests import key_schema_shape, throughput_shape

_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
MAX_INDEX_NAME_LENGTH = 255
MIN_INDEX_NAME_LENGTH = 3
#: Per index, from the API model (NonKeyAttributeNameList); 100 is the table-wide total.
MAX_NON_KEY_ATTRIBUTES_PER_INDEX = 20
MAX_NON_KEY_ATTRIBUTE_NAME_LENGTH = 255

# ---------------------------------------------------------------- member types

PROJECTION = Struct("Projection", {"ProjectionType": "String", "NonKeyAttributes": List("String")})
LOCAL_SECONDARY_INDEX = Struct(
    "LocalSecondaryIndex",
    {"IndexName": "String", "KeySchema": List(KEY_SCHEMA_ELEMENT), "Projection": PROJECTION},
    element=True,
)
GLOBAL_SECONDARY_INDEX = Struct(
    "GlobalSecondaryIndex",
    {
        "IndexName": "String",
        "KeySchema": List(KEY_SCHEMA_ELEMENT),
        "Projection": PROJECTION,
        "ProvisionedThroughput": PROVISIONED_THROUGHPUT,
    },
    element=True,
)
CREATE_ACTION = Struct(
    "CreateGlobalSecondaryIndexAction",
    {
        "IndexName": "String",
        "KeySchema": List(KEY_SCHEMA_ELEMENT),
        "Projection": PROJECTION,
        "ProvisionedThroughput": PROVISIONED_THROUGHPUT,
    },
)
UPDATE_ACTION = Struct(
    "UpdateGlobalSecondaryIndexAction", {"IndexName": "String", "ProvisionedThroughput": PROVISIONED_THROUGHPUT}
)
DELETE_ACTION = Struct("DeleteGlobalSecondaryIndexAction", {"IndexName": "String"})
GLOBAL_SECONDARY_INDEX_UPDATE = Struct(
    "GlobalSecondaryIndexUpdate",
    {"Update": UPDATE_ACTION, "Create": CREATE_ACTION, "Delete": DELETE_ACTION},
    element=True,
)

ACTIONS = ("Update", "Create", "Delete")

# ---------------------------------------------------------------- shape


def _index_name_shape(shape: validate.Shape, name: Any, path: str) -> None:
    """Pattern first, then length: both are reported for 'h;' (dynalite, bad index names)."""
    if shape.required(name, path):
        shape.pattern(name, path, _NAME, "[a-zA-Z0-9_.-]+")
        shape.length(name, path, MIN_INDEX_NAME_LENGTH, MAX_INDEX_NAME_LENGTH)


def _projection_shape(shape: validate.Shape, projection: Any, path: str) -> None:
    if not shape.required(projection, path):
        return
    shape.enum(projection.get("ProjectionType"), path + ".projectionType", ("ALL", "INCLUDE", "KEYS_ONLY"))
    names = projection.get("NonKeyAttributes")
    shape.length(names, path + ".nonKeyAttributes", 1, MAX_NON_KEY_ATTRIBUTES_PER_INDEX)
    for position, name in enumerate(names or (), 1):
        shape.length(name, f"{path}.nonKeyAttributes.{position}.member", 1, MAX_NON_KEY_ATTRIBUTE_NAME_LENGTH)


def _index_shape(shape: validate.Shape, index: dict, path: str, *, is_global: bool) -> None:
    _index_name_shape(shape, index.get("IndexName"), path + ".indexName")
    key_schema_shape(shape, index.get("KeySchema"), path + ".keySchema")
    _projection_shape(shape, index.get("Projection"), path + ".projection")
    if is_global:
        throughput_shape(shape, index.get("ProvisionedThroughput"), path + ".provisionedThroughput")


def create_shape(shape: validate.Shape, request: dict) -> None:
    """LocalSecondaryIndexes, then GlobalSecondaryIndexes (the API model's order)."""
    for position, index in enumerate(request.get("LocalSecondaryIndexes") or (), 1):
        _index_shape(shape, index, f"localSecondaryIndexes.{position}.member", is_global=False)
    for position, index in enumerate(request.get("GlobalSecondaryIndexes") or (), 1):
        _index_shape(shape, index, f"globalSecondaryIndexes.{position}.member", is_global=True)


def update_shape(shape: validate.Shape, request: dict) -> None:
    for position, entry in enumerate(request.get("GlobalSecondaryIndexUpdates") or (), 1):
        base = f"globalSecondaryIndexUpdates.{position}.member"
        update, create, delete = entry.get("Update"), entry.get("Create"), entry.get("Delete")
        if update is not None:
            _index_name_shape(shape, update.get("IndexName"), base + ".update.indexName")
            throughput_shape(shape, update.get("ProvisionedThroughput"), base + ".update.provisionedThroughput")
        if create is not None:
            _index_shape(shape, create, base + ".create", is_global=True)
        if delete is not None:
            _index_name_shape(shape, delete.get("IndexName"), base + ".delete.indexName")


# ---------------------------------------------------------------- semantic rules, shared


def undefined_keys_message(keys: list[str], definitions: Any) -> str:
    return (
        INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
        f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(definitions)}]"
    )


def check_index_key_schema(elements: list) -> None:
    """The rules an index KeySchema shares with the table's (dynalite createTable.js)."""
    names = [element["AttributeName"] for element in elements]
    if len(names) == 2 and names[0] == names[1]:
        raise ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name")
    if elements[0]["KeyType"] != "HASH":
        raise ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(elements) == 2 and elements[1]["KeyType"] != "RANGE":
        raise ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")


def check_projection(projection: dict) -> None:
    """ProjectionType and NonKeyAttributes agree (dynalite; DDB-TABLE-442 catalogue)."""
    kind = projection.get("ProjectionType")
    names = projection.get("NonKeyAttributes")
    if kind is None:
        raise ValidationException(INVALID + "Unknown ProjectionType: null")
    if names is not None and kind != "INCLUDE":
        raise ValidationException(INVALID + f"ProjectionType is {kind}, but NonKeyAttributes is specified")
    if kind == "INCLUDE" and names is None:
        raise ValidationException(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
    seen: set[str] = set()
    for name in names or ():
        if name in seen:
            raise ValidationException(INVALID + f"Duplicate element in NonKeyAttributes: {name}")
        seen.add(name)


def check_projected_total(indexes: list[dict], already: int = 0) -> None:
    """At most 100 NonKeyAttributes across all indexes of a table (``already`` counts
    those of existing indexes), the same name in two indexes counting twice (Developer
    Guide, Service quotas: Secondary indexes). The message's wording is as a third-party
    CloudFormation policy rule quotes CreateTable's failure; no AWS response was found."""
    total = already + sum(len((index.get("Projection") or {}).get("NonKeyAttributes") or ()) for index in indexes)
    if total > limits.MAX_PROJECTED_NON_KEY_ATTRIBUTES:
        raise ValidationException(
            INVALID + "Number of projected attributes in all indexes exceeds limit of "
            f"{limits.MAX_PROJECTED_NON_KEY_ATTRIBUTES}"
        )


# ---------------------------------------------------------------- CreateTable


def _check_local_indexes(request: dict, definitions: dict[str, str]) -> None:
    """dynalite createTable.js's LSI block, in its order."""
    indexes = request["LocalSecondaryIndexes"]
    if not indexes:
        raise ValidationException(INVALID + "List of LocalSecondaryIndexes is empty")
    table_keys = request["KeySchema"]
    if len(table_keys) != 2:
        raise ValidationException(
            INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
            "LocalSecondaryIndex"
        )
    table_hash = table_keys[0]["AttributeName"]
    names: set[str] = set()
    for index in indexes:
        name, elements = index["IndexName"], index["KeySchema"]
        keys = [element["AttributeName"] for element in elements]
        if any(key not in definitions for key in keys):
            raise ValidationException(undefined_keys_message(keys, definitions))
        check_index_key_schema(elements)
        if len(elements) != 2:
            raise ValidationException(INVALID + f"Index KeySchema does not have a range key for index: {name}")
        if keys[0] != table_hash:
            raise ValidationException(
                INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                f"{name}. index hash key: {keys[0]}, table hash key: {table_hash}"
            )
        check_projection(index["Projection"])
        if name in names:
            raise ValidationException(INVALID + f"Duplicate index name: {name}")
        names.add(name)
    if len(indexes) > limits.MAX_LSIS_PER_TABLE:
        raise ValidationException(
            INVALID + f"Number of LocalSecondaryIndexes exceeds per-table limit of {limits.MAX_LSIS_PER_TABLE}"
        )


def _check_global_indexes(request: dict, definitions: dict[str, str]) -> None:
    """dynalite createTable.js's GSI block, in its order; index names must also differ
    from the LSIs' ("Duplicate index name" for an LSI and a GSI of the same name)."""
    indexes = request["GlobalSecondaryIndexes"]
    if not indexes:
        raise ValidationException(INVALID + "List of GlobalSecondaryIndexes is empty")
    on_demand = request.get("BillingMode") == "PAY_PER_REQUEST"
    names = {index["IndexName"] for index in request.get("LocalSecondaryIndexes") or ()}
    for index in indexes:
        name, elements = index["IndexName"], index["KeySchema"]
        keys = [element["AttributeName"] for element in elements]
        if any(key not in definitions for key in keys):
            raise ValidationException(undefined_keys_message(keys, definitions))
        check_index_key_schema(elements)
        check_projection(index["Projection"])
        throughput = index.get("ProvisionedThroughput")
        if on_demand and throughput is not None:
            raise ValidationException(
                INVALID + f"ProvisionedThroughput should not be specified for index: {name} when BillingMode is "
                "PAY_PER_REQUEST"
            )
        if not on_demand and throughput is None:
            raise ValidationException(INVALID + f"ProvisionedThroughput is not specified for index: {name}")
        if throughput is not None:
            table_requests.check_capacity_bounds(throughput)
        if name in names:
            raise ValidationException(INVALID + f"Duplicate index name: {name}")
        names.add(name)
    if len(indexes) > limits.MAX_GSIS_PER_TABLE:
        raise ValidationException(
            INVALID + f"GlobalSecondaryIndex count exceeds the per-table limit of {limits.MAX_GSIS_PER_TABLE}"
        )


def create_checks(request: dict, definitions: dict[str, str]) -> None:
    if request.get("LocalSecondaryIndexes") is not None:
        _check_local_indexes(request, definitions)
    if request.get("GlobalSecondaryIndexes") is not None:
        _check_global_indexes(request, definitions)
    indexes = [*(request.get("LocalSecondaryIndexes") or ()), *(request.get("GlobalSecondaryIndexes") or ())]
    check_projected_total(indexes)


def index_key_schemas(request: dict) -> list:
    """Every index KeySchema of a CreateTable request (a KEY_SCHEMA_SOURCES entry)."""
    indexes = [*(request.get("LocalSecondaryIndexes") or ()), *(request.get("GlobalSecondaryIndexes") or ())]
    return [index.get("KeySchema") or [] for index in indexes]


# ---------------------------------------------------------------- UpdateTable


def action_of(entry: dict) -> tuple[str, dict]:
    """The one action of a checked GlobalSecondaryIndexUpdate entry."""
    for action in ACTIONS:
        if entry.get(action) is not None:
            return action, entry[action]
    raise AssertionError("unchecked GlobalSecondaryIndexUpdate")


def _check_entries(updates: list) -> None:
    """One action per entry and one entry per index (DDB-TABLE-160)."""
    names: set[str] = set()
    for entry in updates:
        actions = [action for action in ACTIONS if entry.get(action) is not None]
        if not actions:
            raise ValidationException(
                INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                "GlobalSecondaryIndexUpdate.Delete must not be null"
            )
        if len(actions) > 1:
            raise ValidationException(
                INVALID + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"
            )
        name = entry[actions[0]]["IndexName"]
        if name in names:
            raise ValidationException(
                INVALID + "Only one global secondary index update per index is allowed simultaneously. "
                f"Index: {name}"
            )
        names.add(name)


def _check_combination(request: dict, updates: list) -> None:
    """A Create or Delete cannot share the request with a table throughput change, a
    stream change or a WarmThroughput change (DDB-TABLE-174)."""
    actions = {action_of(entry)[0] for entry in updates}
    if not actions & {"Create", "Delete"}:
        return
    if request.get("ProvisionedThroughput") is not None:
        raise ValidationException(INVALID + "You cannot create or delete index while updating table IOPS")
    if request.get("StreamSpecification") is not None:
        raise ValidationException(INVALID + "You cannot create or delete index while changing stream status")
    if "Create" in actions and request.get("WarmThroughput"):
        raise ValidationException(
            INVALID + "Create global secondary index cannot be specified when updating WarmThroughput"
        )


def update_checks(request: dict) -> None:
    """The request-only rules of GlobalSecondaryIndexUpdates (after the built-in ones)."""
    updates: Optional[list] = request.get("GlobalSecondaryIndexUpdates")
    if updates is None:
        return
    if not updates:
        # Alone, an empty list counts as no change at all (the built-in "At least one
        # of ..." message); next to another change it is refused (DDB-TABLE-359).
        raise ValidationException(INVALID + "List of GlobalSecondaryIndexUpdates is empty")
    _check_entries(updates)
    _check_combination(request, updates)
    for entry in updates:
        action, body = action_of(entry)
        if action != "Create":
            continue
        if request.get("AttributeDefinitions") is None:
            raise ValidationException(INVALID + f"AttributeDefinitions is not specified for index: {body['IndexName']}")
        check_index_key_schema(body["KeySchema"])
        check_projection(body["Projection"])
        throughput = body.get("ProvisionedThroughput")
        if throughput is not None:
            table_requests.check_capacity_bounds(throughput)


def register() -> None:
    """Plug the index members into table_requests' pipeline (idempotent)."""
    table_requests.CREATE_TABLE_MEMBERS.setdefault("LocalSecondaryIndexes", List(LOCAL_SECONDARY_INDEX))
    table_requests.CREATE_TABLE_MEMBERS.setdefault("GlobalSecondaryIndexes", List(GLOBAL_SECONDARY_INDEX))
    table_requests.UPDATE_TABLE_MEMBERS.setdefault("GlobalSecondaryIndexUpdates", List(GLOBAL_SECONDARY_INDEX_UPDATE))
    for hooks, hook in (
        (table_requests.CREATE_SHAPE_CHECKS, create_shape),
        (table_requests.UPDATE_SHAPE_CHECKS, update_shape),
        (table_requests.CREATE_CHECKS, create_checks),
        (table_requests.UPDATE_CHECKS, update_checks),
        (table_requests.KEY_SCHEMA_SOURCES, index_key_schemas),
    ):
        if hook not in hooks:
            hooks.append(hook)  # type: ignore[arg-type]
