"""Properties of PartiQL SELECT and of statement parsing (issue 9).

* A random ``SELECT * ... WHERE <condition>`` returns exactly the items a Scan with the
  equivalent FilterExpression returns: the two languages share one evaluator, and this
  pins that the translation (and the Query/Scan choice) loses nothing.
* Random statement text never escapes as anything but DynamoDB's errors (no 500s).
"""

from collections import Counter
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError

TABLE = "props"
ITEMS = [
    {"pk": {"S": f"p{i % 3}"}, "sk": {"N": str(i)}, "a": {"N": str(i % 5)}, "b": {"S": "xyz"[i % 3] * (i % 4)}}
    for i in range(12)
] + [{"pk": {"S": "p9"}, "sk": {"N": "99"}, "c": {"L": [{"N": "1"}]}, "a": {"S": "3"}}]


def _database():
    db = Database(clock=ManualClock(1_700_000_000))
    api.call(db, "CreateTable", {
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"}]})
    for item in ITEMS:
        api.call(db, "PutItem", {"TableName": TABLE, "Item": item})
    return db


DB = _database()

# A condition as (PartiQL text, FilterExpression text, values) built together.
_values = st.one_of(
    st.integers(0, 6).map(lambda n: ({"N": str(n)}, str(n))),
    st.sampled_from(["", "x", "yy", "p1", "3"]).map(lambda s: ({"S": s}, "'" + s + "'")),
)
_attributes = st.sampled_from(["pk", "sk", "a", "b", "c"])


@st.composite
def _atom(draw):
    name = draw(_attributes)
    kind = draw(st.sampled_from(["cmp", "between", "in", "begins", "exists", "missing", "size"]))
    (v1, t1), (v2, t2) = draw(_values), draw(_values)
    if kind == "cmp":
        op = draw(st.sampled_from(["=", "<>", "<", "<=", ">", ">="]))
        return f"{name} {op} {t1}", f"#{name} {op} :v", [v1]
    if kind == "between":
        return f"{name} BETWEEN {t1} AND {t2}", f"#{name} BETWEEN :v AND :v", [v1, v2]
    if kind == "in":
        return f"{name} IN [{t1}, {t2}]", f"#{name} IN (:v, :v)", [v1, v2]
    if kind == "begins":
        s = draw(st.sampled_from(["", "p", "x", "yy"]))
        return f"begins_with({name}, '{s}')", f"begins_with(#{name}, :v)", [{"S": s}]
    if kind == "exists":
        return f"{name} IS NOT MISSING", f"attribute_exists(#{name})", []
    if kind == "missing":
        return f"{name} IS MISSING", f"attribute_not_exists(#{name})", []
    return f"size({name}) > {t1}", f"size(#{name}) > :v", [v1]


def _combine(children):
    def build(parts):
        (l_pq, l_fe, l_v), (r_pq, r_fe, r_v) = parts[1], parts[2]
        op = parts[0]
        return f"({l_pq}) {op} ({r_pq})", f"({l_fe}) {op} ({r_fe})", l_v + r_v
    negate = children.map(lambda c: (f"NOT ({c[0]})", f"NOT ({c[1]})", c[2]))
    return st.one_of(negate, st.tuples(st.sampled_from(["AND", "OR"]), children, children).map(build))


_conditions = st.recursive(_atom(), _combine, max_leaves=5)


def _number_placeholders(text, values):
    out, index = "", 0
    parts = text.split(":v")
    for position, part in enumerate(parts):
        out += part
        if position < len(parts) - 1:
            out += f":v{index}"
            index += 1
    return out, {f":v{i}": v for i, v in enumerate(values)}


def _all(operation, request, token_member, start_member):
    items = []
    while True:
        response = api.call(DB, operation, request)
        items.extend(response["Items"])
        token = response.get(token_member)
        if not token:
            return items
        request = {**request, start_member: token}


def _key(item):
    return json.dumps(item, sort_keys=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_conditions, st.one_of(st.none(), st.integers(1, 4)), st.booleans())
def test_select_where_matches_scan_filter_expression(condition, limit, pin):
    partiql, filter_text, values = condition
    if pin:  # also exercise the Query path: pin the partition key
        partiql, filter_text = f"pk = 'p1' AND ({partiql})", f"#pk = :pin AND ({filter_text})"
        values = values  # :pin is added below
    filter_text, placeholders = _number_placeholders(filter_text, values)
    if pin:
        placeholders[":pin"] = {"S": "p1"}
    names = {f"#{n}": n for n in ("pk", "sk", "a", "b", "c") if f"#{n}" in filter_text}
    scan = {"TableName": TABLE, "FilterExpression": filter_text, "ExpressionAttributeNames": names}
    if placeholders:
        scan["ExpressionAttributeValues"] = placeholders
    try:
        expected = _all("Scan", scan, "LastEvaluatedKey", "ExclusiveStartKey")
    except DynamoDBError as error:  # e.g. ordering a BOOL: both must refuse alike
        expected = error.message.split(": ", 1)[-1]
    request = {"Statement": f'SELECT * FROM "{TABLE}" WHERE {partiql}'}
    if limit:
        request["Limit"] = limit
    try:
        got = _all("ExecuteStatement", request, "NextToken", "NextToken")
    except DynamoDBError as error:
        got = error.message
    if isinstance(expected, str) or isinstance(got, str):
        assert isinstance(expected, str) and isinstance(got, str), (expected, got)
        assert got.endswith(expected) or expected.endswith(got), (expected, got)
        return
    assert Counter(map(_key, got)) == Counter(map(_key, expected))


# ---------------------------------------------------------------- fuzz

_TOKENS = ["SELECT", "*", "FROM", '"props"', "props", "WHERE", "pk", "=", "'p1'", "AND", "OR", "NOT", "(", ")",
           "INSERT", "INTO", "VALUE", "{", "}", "'pk'", ":", ",", "UPDATE", "SET", "REMOVE", "DELETE", "a",
           "RETURNING", "ALL", "OLD", "NEW", "MODIFIED", "?", "<<", ">>", "[", "]", "1", "-", "+", "IS",
           "MISSING", "NULL", "IN", "BETWEEN", "size", "begins_with", "set_add", "list_append", ".", "sk",
           "EXISTS", "ORDER", "BY", "DESC", "'", '"', ";", "1e400", "--", "\\", "sk", "<", ">=", "<>", "!="]
_ALLOWED = {"ValidationException", "ResourceNotFoundException", "ConditionalCheckFailedException",
            "DuplicateItemException", "SerializationException"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=14),
       st.lists(st.sampled_from([{"S": "p1"}, {"N": "1"}, {"SS": ["a"]}, {"BOOL": True}]), max_size=3))
def test_random_statements_only_raise_dynamodb_errors(tokens, parameters):
    request = {"Statement": " ".join(tokens)}
    if parameters:
        request["Parameters"] = parameters
    for operation, body in (("ExecuteStatement", request),
                            ("BatchExecuteStatement", {"Statements": [request]}),
                            ("ExecuteTransaction", {"TransactStatements": [request]})):
        db = _database()
        try:
            api.call(db, operation, body)
        except DynamoDBError as error:
            assert error.code in _ALLOWED | {"TransactionCanceledException"}, (error.code, error.message)
            assert error.http_status == 400


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_random_text_only_raises_validation_errors(text):
    try:
        api.call(DB, "ExecuteStatement", {"Statement": "SELECT * FROM props WHERE " + text})
    except DynamoDBError as error:
        assert error.code in _ALLOWED, (error.code, error.message)
