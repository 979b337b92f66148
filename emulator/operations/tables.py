"""Control plane: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable.

Each operation checks the request shape first (all violations together), then the
semantic rules in DynamoDB's order, then whether the table exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from .. import validate
from ..database import Database
from ..errors import ResourceInUseException, ValidationException
from ..table import KeySchema, Table
from ..types import INVALID


# ---------------------------------------------------------------- CreateTable


def _key_schema(request: dict) -> KeySchema:
    definitions = {
        d.get("AttributeName"): d.get("AttributeType")
        for d in request.get("AttributeDefinitions") or []
        if isinstance(d, dict)
    }
    hash_name = range_name = None
    for element in request.get("KeySchema") or []:
        if element.get("KeyType") == "HASH":
            hash_name = element.get("AttributeName")
        else:
            range_name = element.get("AttributeName")
    if hash_name is None:
        raise ValidationException(INVALID + "Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if hash_name not in definitions or (range_name is not None and range_name not in definitions):
        raise ValidationException(INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
                                  f"Keys: [{', '.join(n for n in (hash_name, range_name) if n)}], "
                                  f"AttributeDefinitions: [{', '.join(definitions)}]")
    return KeySchema(
        hash_name,
        definitions[hash_name],
        range_name,
        definitions.get(range_name) if range_name is not None else None,
    )


def create_table(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    validate.table_name(shape, request.get("TableName"))
    shape.required(request.get("KeySchema"), "keySchema")
    shape.required(request.get("AttributeDefinitions"), "attributeDefinitions")
    shape.check()
    name = request["TableName"]
    schema = _key_schema(request)
    if name in db.tables:
        raise ResourceInUseException(f"Table already exists: {name}")
    billing_mode = request.get("BillingMode") or "PROVISIONED"
    throughput = request.get("ProvisionedThroughput") or {}
    now = db.clock.now()
    settings: dict[str, Any] = {
        "AttributeDefinitions": request["AttributeDefinitions"],
        "BillingMode": billing_mode,
        "ProvisionedThroughput": {
            "NumberOfDecreasesToday": 0,
            "ReadCapacityUnits": throughput.get("ReadCapacityUnits", 0),
            "WriteCapacityUnits": throughput.get("WriteCapacityUnits", 0),
        },
        "DeletionProtectionEnabled": bool(request.get("DeletionProtectionEnabled", False)),
    }
    table = Table(
        name=name,
        schema=schema,
        arn=db.table_arn(name),
        table_id=str(uuid.uuid4()),
        created_at=now,
        settings=settings,
    )
    db.tables[name] = table
    return {"TableDescription": describe(table)}


def describe(table: Table) -> dict:
    """The TableDescription DynamoDB returns for ``table``."""
    settings = table.settings
    description: dict[str, Any] = {
        "AttributeDefinitions": settings["AttributeDefinitions"],
        "TableName": table.name,
        "KeySchema": table.schema.to_wire(),
        "TableStatus": table.status,
        "CreationDateTime": table.created_at,
        "ProvisionedThroughput": settings["ProvisionedThroughput"],
        "TableSizeBytes": table.size_bytes,
        "ItemCount": table.item_count,
        "TableArn": table.arn,
        "TableId": table.table_id,
        "DeletionProtectionEnabled": settings["DeletionProtectionEnabled"],
    }
    if settings["BillingMode"] == "PAY_PER_REQUEST":
        description["BillingModeSummary"] = {
            "BillingMode": "PAY_PER_REQUEST",
            "LastUpdateToPayPerRequestDateTime": table.created_at,
        }
    return description


# ---------------------------------------------------------------- the others


def describe_table(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    validate.table_name(shape, request.get("TableName"))
    shape.check()
    table = db.get_table(request["TableName"], named=True)
    return {"Table": describe(table)}


def list_tables(db: Database, request: dict) -> dict:
    limit = request.get("Limit")
    shape = validate.Shape()
    shape.number(limit, "limit", 1, 100)
    shape.check()
    names = sorted(db.tables)
    start = request.get("ExclusiveStartTableName")
    if start is not None:
        names = [n for n in names if n > start]
    limit = limit or 100
    response: dict[str, Any] = {"TableNames": names[:limit]}
    if len(names) > limit:
        response["LastEvaluatedTableName"] = names[limit - 1]
    return response


def delete_table(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    validate.table_name(shape, request.get("TableName"))
    shape.check()
    table = db.get_table(request["TableName"], named=True)
    if table.settings.get("DeletionProtectionEnabled"):
        raise ValidationException(
            f"Resource cannot be deleted as it is currently protected against deletion. "
            f"Disable deletion protection first."
        )
    del db.tables[table.name]
    table.status = "DELETING"
    return {"TableDescription": describe(table)}


def update_table(db: Database, request: dict) -> dict:
    shape = validate.Shape()
    validate.table_name(shape, request.get("TableName"))
    shape.check()
    table = db.get_table(request["TableName"], named=True)
    if "DeletionProtectionEnabled" in request:
        table.settings["DeletionProtectionEnabled"] = bool(request["DeletionProtectionEnabled"])
    return {"TableDescription": describe(table)}
