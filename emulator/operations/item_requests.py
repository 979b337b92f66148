"""Checks of PutItem, GetItem, DeleteItem and UpdateItem requests that need no table.

DynamoDB's order (dynalite validations/putItem.js, getItem.js, deleteItem.js and
test/*.js, recorded from DynamoDB; conformance tier3/validation-ordering):

1. member types, the Item's or Key's AttributeValues included (SerializationException);
2. a TableName that is present but malformed, reported alone;
3. the other members' constraints, collected ("N validation errors detected: ...");
4. mixing of expression and legacy parameters (``expressions.check_parameters``);
5. the first invalid AttributeValue of the Item or Key;
6. PutItem and DeleteItem: a ReturnValues other than NONE or ALL_OLD;
7. PutItem: the 400 KB item size (``types.check_item_size``: dynalite test/putItem.js
   "ResourceNotFoundException if item is just small enough");

then the legacy conditions, the expressions, the table's existence, the key schema
(``Table.check_new_item``, ``Table.check_key``) and the condition. Because a table that
does not exist is only looked up after all of this, a bad value in an Item is reported
even for a missing table, while a Key that does not fit the schema is not.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Union

from .. import legacy, limits, validate
from ..types import Item, ParsedItem, parse_item
from .request_types import List, conform

try:
    import orjson
except ImportError:  # no wheel for this interpreter: repr keeps the templates
    _dumps = None
else:
    _dumps = orjson.dumps
    #: Subclasses of str, int, dict and list are refused rather than written as their base.
    _PLAIN_JSON = orjson.OPT_PASSTHROUGH_SUBCLASS

#: A template's text: orjson's bytes, or a repr where orjson is not installed.
TemplateText = Union[bytes, str]

RETURN_ITEM_COLLECTION_METRICS = ("SIZE", "NONE")
MAX_TABLE_ARN_LENGTH = 1024

#: Scalar and list members of the three operations; Item/Key are parsed by types.py and
#: the expression and legacy maps by their owners.
MEMBER_TYPES = {
    "TableName": "String", "ReturnConsumedCapacity": "String", "ReturnValues": "String",
    "ReturnItemCollectionMetrics": "String", "ReturnValuesOnConditionCheckFailure": "String",
    "ConditionExpression": "String", "ConditionalOperator": "String", "ProjectionExpression": "String",
    "ConsistentRead": "Boolean", "AttributesToGet": List("String"),
}
#: UpdateItem's members: the three operations' plus its UpdateExpression.
UPDATE_MEMBER_TYPES = {**MEMBER_TYPES, "UpdateExpression": "String"}
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")


def prepare(request: dict, member: str, member_types: dict = MEMBER_TYPES) -> tuple[dict, Optional[ParsedItem]]:
    """Step 1: the request with its member types checked (nulls dropped, "true" read as a
    Boolean, ...) and its ``member`` ("Item" or "Key") parsed, or None when absent (the
    shape pass reports it). Validation errors in the values are kept for step 5."""
    request = legacy.conform_legacy(conform(request, member_types))  # Expected, AttributeUpdates
    raw = request.get(member)
    return request, (parse_item(raw) if raw is not None else None)


def check_table_name(request: dict) -> None:
    """Step 2: a malformed TableName is reported alone, even when other members are wrong
    too (conformance tier3/validation-ordering/putItem, deleteItem). For the item
    operations the minimum length is 1, not 3 (conformance tier3/error-messages/putItem:
    ``''`` gets only "Member must have length greater than or equal to 1"), since a table
    ARN may stand in the name's place; a missing TableName is collected with the rest."""
    name = request.get("TableName")
    if name is None or (len(name) <= limits.MAX_TABLE_NAME_LENGTH and _TABLE_NAME.fullmatch(name)):
        return
    shape = validate.Shape()
    if name.startswith("arn:"):
        shape.length(name, "tableName", 1, MAX_TABLE_ARN_LENGTH)
    elif not name:
        shape.length(name, "tableName", 1)
    else:
        shape.pattern(name, "tableName", _TABLE_NAME, "[a-zA-Z0-9_.-]+")
        shape.length(name, "tableName", 1, limits.MAX_TABLE_NAME_LENGTH)
    shape.check()


def metrics_shape(request: dict, shape: validate.Shape) -> None:
    """ReturnItemCollectionMetrics' enum (PutItem, DeleteItem, UpdateItem)."""
    shape.enum(request.get("ReturnItemCollectionMetrics"), "returnItemCollectionMetrics",
               RETURN_ITEM_COLLECTION_METRICS)


def values(parsed: Optional[ParsedItem]) -> Item:
    """Step 5: the normalized Item or Key, or its first invalid value's error."""
    assert parsed is not None, "the shape pass refuses a missing Item or Key"
    return parsed.check()


# ---------------------------------------------------------------- templates
#
# Programs send the same request again and again with another key or item: the same
# table, expressions, placeholders and options. An operation may keep the outcome of
# its checks of everything but the key or item, keyed by those members' text, and check
# only the key or item of a request it recognises.

#: The member a template may hold loosely (``loose_values``): the expressions'
#: placeholder values, new on most requests (a key, a counter, a bound each time). Such
#: a template is kept by whether a request has a map of them, not by what the map holds;
#: the operation binds each request's own values again (expressions keep their own
#: caches), the one step of its checks that reads what they are.
VALUES = "ExpressionAttributeValues"
#: What stands for a map of values in a loosely kept template. A tuple: its JSON is an
#: array, and a request sending that very array still does not match, as the members
#: are compared too (a list is not a tuple).
_A_MAP = ("a map of placeholder values",)

#: Requests whose members but the key or item print longer than this are not kept.
MAX_TEMPLATE_CHARS = 2048
#: Templates an operation keeps; its table is cleared when full.
MAX_TEMPLATES = 1024


def _without(request: dict, member: str, loose_values: bool = False) -> dict:
    """``request`` without ``member`` (``request`` itself when it has none), and with
    only whether it has a map of placeholder values when ``loose_values`` (anything else
    in their place, null included, is kept as it is)."""
    if loose_values and type(request.get(VALUES)) is dict:
        others = request.copy()
        others.pop(member, None)
        others[VALUES] = _A_MAP
        return others
    if member not in request:
        return request
    others = request.copy()
    del others[member]
    return others


def _text(others: dict) -> Optional[TemplateText]:
    """The text a template is kept by: orjson's JSON of ``others`` where orjson is
    installed, their repr elsewhere; None when too long to keep or not plain JSON data
    (orjson refuses subclasses, integers beyond 64 bits, non-string keys).

    Why JSON: on a template hit this is most of the work, and the server has just run
    orjson's decoder, so its encoder runs warm (measured in the server's conditions,
    a Query's members print in ~1 us this way and ~20 us by repr). JSON blurs what
    repr keeps apart, NaN and None, a tuple and a list; :func:`recall` compares the
    members themselves too, which tells those apart.
    """
    if _dumps is not None:
        try:
            text: TemplateText = _dumps(others, option=_PLAIN_JSON)
        except TypeError:
            return None
    else:
        text = repr(others)
    return text if len(text) <= MAX_TEMPLATE_CHARS else None


def recall(templates: dict, request: dict, member: str, *, optional: bool = False,
           loose_values: bool = False) -> tuple[Any, Any]:
    """The template kept for requests like ``request`` (None if there is none, or if
    ``request`` has no ``member`` and it is not ``optional``: that fault is the full
    checks' to report), and the key to keep one by (None: not to be kept).

    A template is the one for ``request`` when its text matches and its members equal
    ``request``'s: text alone could mistake NaN for None or a tuple for a list, equality
    alone 1 for 1.0 or True. With ``loose_values`` (:data:`VALUES`) the template is
    (members, products, current): the members carry ``request``'s placeholder values,
    and ``current`` says whether they are the values the products were made from (same
    text, and equal); if not, the caller makes again what it made from them."""
    others = _without(request, member, loose_values)
    text = _text(others)
    if text is None:
        return None, None
    key = (text, others)
    if not optional and request.get(member) is None:
        return key, None
    entry = templates.get(text)
    if entry is None or entry[0] != others:
        return key, None
    if not loose_values:
        return key, entry[1]
    members, products = entry[1]
    values = request.get(VALUES)
    made_from = members.get(VALUES)
    if values is made_from:
        return key, (members, products, True)
    # Equality first (new values mostly differ), then the text, which tells apart what
    # equality does not ({"BOOL": 1} and {"BOOL": True}); the products' own text was
    # kept with them.
    if values == made_from and entry[2] is not None and _text(values) == entry[2]:
        return key, (members, products, True)
    return key, ({**members, VALUES: values}, products, False)


def remember(templates: dict, key: Any, request: dict, member: str, products: Any) -> None:
    """Keep the checked ``request``'s members other than ``member``, and what its checks
    made (``products``), by ``key`` (from :func:`recall`; None keeps nothing)."""
    if key is None:
        return
    if len(templates) >= MAX_TEMPLATES:
        templates.clear()
    text, others = key
    values = request.get(VALUES)
    values_text = _text(values) if type(values) is dict else None
    templates[_exact(text)] = (others, ({name: value for name, value in request.items() if name != member}, products),
                               _exact(values_text))


def _exact(text: Optional[TemplateText]) -> Optional[TemplateText]:
    """A kept copy of a text: orjson's output holds its whole buffer, 4 KB at least
    (a store of 1,024 templates held 8 MB for texts of a few hundred bytes)."""
    return bytes(memoryview(text)) if type(text) is bytes else text
