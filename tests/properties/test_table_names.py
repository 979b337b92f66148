"""Properties of table names and ListTables: any name is either accepted (3-255 characters
of [a-zA-Z0-9_.-]) or refused with a ValidationException, never anything else; and the
pages of ListTables, for any Limit, add up to every name once in byte order."""

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError

NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
NAME_CHARS = string.ascii_letters + string.digits + "_.-"
HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = [{"AttributeName": "p", "AttributeType": "S"}]


def create(db, name):
    api.call(db, "CreateTable", {"TableName": name, "KeySchema": HASH_P, "AttributeDefinitions": DEF_P,
                                 "BillingMode": "PAY_PER_REQUEST"})


@given(st.one_of(st.text(max_size=260), st.text(NAME_CHARS, min_size=0, max_size=260)))
def test_any_name_is_accepted_or_refused_by_validation(name):
    db = Database(clock=ManualClock(0))
    if name.startswith("arn:"):
        return  # table ARNs are resolved, tested in tests/operations
    try:
        create(db, name)
    except DynamoDBError as error:
        assert error.code == "ValidationException"
        assert not NAME.fullmatch(name)
        assert "at 'tableName' failed to satisfy constraint" in error.message
    else:
        assert NAME.fullmatch(name)
        assert api.call(db, "DescribeTable", {"TableName": name})["Table"]["TableName"] == name


@given(st.sets(st.text(NAME_CHARS, min_size=3, max_size=12), max_size=25), st.integers(1, 100))
def test_list_tables_pages_add_up(names, limit):
    db = Database(clock=ManualClock(0))
    for name in names:
        create(db, name)
    seen, start = [], None
    while True:
        request = {"Limit": limit} if start is None else {"Limit": limit, "ExclusiveStartTableName": start}
        page = api.call(db, "ListTables", request)
        assert len(page["TableNames"]) <= limit
        seen.extend(page["TableNames"])
        start = page.get("LastEvaluatedTableName")
        if start is None:
            break
        assert start == page["TableNames"][-1]
    assert seen == sorted(names, key=str.encode)
