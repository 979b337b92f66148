"""A stateful test: PutItem/GetItem/DeleteItem against a Table and a plain-dict model.

After every step the table's invariants hold (``Table._check``: partitions, scan order,
running size) and its contents equal the model's, item for item, in DynamoDB's order.
Refused writes (bad values, wrong key types, too large) must leave everything unchanged.
"""

from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from emulator import Database, api
from emulator.errors import DynamoDBError
from emulator.types import item_size, normalize_number

TABLE = "state"

hash_keys = st.sampled_from(["a", "b", "\u00e9", "\U0001f600", "Z"])
range_spellings = st.sampled_from(["0", "-1", "1.5", "01.50", "1E2", "100", "-0.001", "2"])
values = st.one_of(
    st.text(max_size=5).map(lambda s: {"S": s}),
    st.sampled_from(["1", "-2.50", "3E3", "0"]).map(lambda n: {"N": n}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.lists(st.text(max_size=3), min_size=1, max_size=3, unique=True).map(lambda ss: {"SS": ss}),
    st.just({"L": [{"S": "x"}, {"M": {"k": {"N": "1"}}}]}),
)
bad_values = st.sampled_from([{"NS": []}, {"S": "a", "N": "1"}, {"BS": []}, {"N": "x"}, {"SS": ["a", "a"]}])


def canonical(item: dict) -> dict:
    """What DynamoDB stores for an item of this test's values."""
    result = {}
    for name, value in item.items():
        kind, inner = next(iter(value.items()))
        result[name] = {"N": normalize_number(inner)} if kind == "N" else value
    return result


class TableMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = Database()
        api.call(self.db, "CreateTable", {
            "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                     {"AttributeName": "c", "AttributeType": "N"}],
        })
        self.table = self.db.tables[TABLE]
        self.model: dict[tuple[str, Decimal], dict] = {}

    def call(self, operation: str, request: dict) -> dict:
        return api.call(self.db, operation, {"TableName": TABLE, **request})

    @staticmethod
    def key(p: str, c: str) -> dict:
        return {"p": {"S": p}, "c": {"N": c}}

    @rule(p=hash_keys, c=range_spellings, attributes=st.dictionaries(st.sampled_from(["x", "y", "z"]), values))
    def put(self, p, c, attributes):
        item = {**attributes, **self.key(p, c)}
        old = self.model.get((p, Decimal(c)))
        response = self.call("PutItem", {"Item": item, "ReturnValues": "ALL_OLD"})
        assert response.get("Attributes") == old
        self.model[(p, Decimal(c))] = canonical(item)

    @rule(p=hash_keys, c=range_spellings, bad=bad_values)
    def refused_put(self, p, c, bad):
        try:
            self.call("PutItem", {"Item": {**self.key(p, c), "bad": bad}})
        except DynamoDBError:
            return
        raise AssertionError(f"{bad} was stored")

    @rule(p=hash_keys, c=st.sampled_from(["1", "x"]))
    def refused_key_type(self, p, c):
        try:
            self.call("PutItem", {"Item": {"p": {"S": p}, "c": {"S": c}}})
        except DynamoDBError as error:
            assert error.message.endswith("Type mismatch for key c expected: N actual: S")
            return
        raise AssertionError("a string range key was stored")

    @rule(p=hash_keys)
    def refused_too_large(self, p):
        try:
            self.call("PutItem", {"Item": {**self.key(p, "0"), "big": {"S": "x" * 409600}}})
        except DynamoDBError as error:
            assert error.message == "Item size has exceeded the maximum allowed size"
            return
        raise AssertionError("an item over 400 KB was stored")

    @rule(p=hash_keys, c=range_spellings)
    def get(self, p, c):
        response = self.call("GetItem", {"Key": self.key(p, c), "ConsistentRead": True})
        assert response.get("Item") == self.model.get((p, Decimal(c)))

    @rule(p=hash_keys, c=range_spellings)
    def delete(self, p, c):
        response = self.call("DeleteItem", {"Key": self.key(p, c), "ReturnValues": "ALL_OLD"})
        assert response.get("Attributes") == self.model.pop((p, Decimal(c)), None)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete_existing(self, data):
        p, c = data.draw(st.sampled_from(sorted(self.model)))
        self.call("DeleteItem", {"Key": self.key(p, str(c))})
        del self.model[(p, c)]

    @invariant()
    def table_matches_model(self):
        self.table._check()
        assert self.table.item_count == len(self.model)
        assert self.table.size_bytes == sum(item_size(item) for item in self.model.values())
        for p in {p for p, _ in self.model}:
            partition = self.table.items.partition(p)
            expected = [self.model[key] for key in sorted(k for k in self.model if k[0] == p)]
            assert list(partition.values()) == expected


TestTable = TableMachine.TestCase
