"""Stateful property: after any sequence of puts, updates, deletes, refused writes and
GSI creations/deletions, every index holds exactly the projection of the table's items
that have its key, in index order, as computed from scratch from a plain-dict model of
the table (independently of emulator/indexes.py's own code).

Updates are UpdateItem SET/REMOVE expressions (creating missing items); refused writes
(an index key of the wrong type, or empty) must change nothing.
"""

from decimal import Decimal

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from emulator import Database, ManualClock, api
from emulator.errors import DynamoDBError
from emulator.indexes import table_indexes

HASHES = ["h1", "h2", "h3"]
RANGES = [0, 1, 2, 3]
#: Index key attributes and their declared types; "z" is only ever indexed by UpdateTable.
KEY_TYPES = {"a": "S", "b": "N", "z": "S"}
STATIC = {
    # name: (kind, hash, range, projection type, non-key attributes)
    "g_all": ("GSI", "a", None, "ALL", ()),
    "g_keys": ("GSI", "a", "b", "KEYS_ONLY", ()),
    "g_incl": ("GSI", "b", None, "INCLUDE", ("x",)),
    "l_incl": ("LSI", "p", "b", "INCLUDE", ("y",)),
    "l_keys": ("LSI", "p", "a", "KEYS_ONLY", ()),
}

values = {
    "a": st.one_of(st.sampled_from([{"S": "A"}, {"S": "B"}, {"S": "C"}]), st.just({"N": "1"}), st.just({"S": ""})),
    "b": st.one_of(st.sampled_from([{"N": "1"}, {"N": "2"}, {"N": "-1.5"}]), st.just({"S": "1"})),
    "z": st.sampled_from([{"S": "Z1"}, {"S": "Z2"}, {"N": "3"}]),
    "x": st.sampled_from([{"S": "x"}, {"N": "9"}, {"L": [{"S": "l"}]}]),
    "y": st.sampled_from([{"S": "y"}, {"BOOL": True}]),
    "w": st.sampled_from([{"S": "w"}, {"NULL": True}]),
}
attributes = st.fixed_dictionaries({}, optional=values)


def order_value(value):
    kind, inner = next(iter(value.items()))
    return Decimal(inner) if kind == "N" else inner


class IndexMachine(RuleBasedStateMachine):
    @initialize()
    def create_table(self):
        self.db = Database(clock=ManualClock(1_700_000_000))
        definitions = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"},
                       {"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "N"}]
        request = {"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": definitions,
                   "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                   "GlobalSecondaryIndexes": [], "LocalSecondaryIndexes": []}
        for name, (kind, hash_name, range_name, projection, non_key) in STATIC.items():
            keys = [{"AttributeName": hash_name, "KeyType": "HASH"}]
            if range_name:
                keys.append({"AttributeName": range_name, "KeyType": "RANGE"})
            spec = {"IndexName": name, "KeySchema": keys, "Projection": {"ProjectionType": projection}}
            if non_key:
                spec["Projection"]["NonKeyAttributes"] = list(non_key)
            request["GlobalSecondaryIndexes" if kind == "GSI" else "LocalSecondaryIndexes"].append(spec)
        api.call(self.db, "CreateTable", request)
        self.indexes = dict(STATIC)
        self.model = {}  # (p, c) -> item

    # ------------------------------------------------------------ the model's rules

    def refused(self, item):
        """Whether DynamoDB refuses the item: an index key of another type, or empty."""
        for kind, hash_name, range_name, _projection, _non_key in self.indexes.values():
            for name in (hash_name, range_name):
                value = item.get(name)
                if name is None or name in ("p", "c") or value is None:
                    continue
                declared = KEY_TYPES[name]
                if declared not in value or value[declared] == "":
                    return True
        return False

    def write(self, key, item):
        try:
            api.call(self.db, "PutItem", {"TableName": "tbl", "Item": item})
        except DynamoDBError as error:
            assert self.refused(item), error.message
            assert error.code == "ValidationException"
            event("put refused")
            return
        assert not self.refused(item)
        self.model[key] = item

    # ------------------------------------------------------------ rules

    @rule(p=st.sampled_from(HASHES), c=st.sampled_from(RANGES), extra=attributes)
    def put(self, p, c, extra):
        self.write((p, c), {"p": {"S": p}, "c": {"N": str(c)}, **extra})

    @rule(p=st.sampled_from(HASHES), c=st.sampled_from(RANGES), changes=attributes,
          removals=st.sets(st.sampled_from(sorted(values))))
    def update(self, p, c, changes, removals):
        """UpdateItem SET/REMOVE (creating the item when it is missing)."""
        removals = sorted(removals - set(changes))
        if not changes and not removals:
            return
        names, clauses, expression_values = {}, [], {}
        sets = []
        for position, (name, value) in enumerate(sorted(changes.items())):
            names[f"#s{position}"] = name
            expression_values[f":v{position}"] = value
            sets.append(f"#s{position} = :v{position}")
        if sets:
            clauses.append("SET " + ", ".join(sets))
        if removals:
            for position, name in enumerate(removals):
                names[f"#r{position}"] = name
            clauses.append("REMOVE " + ", ".join(f"#r{position}" for position in range(len(removals))))
        request = {"TableName": "tbl", "Key": {"p": {"S": p}, "c": {"N": str(c)}},
                   "UpdateExpression": " ".join(clauses), "ExpressionAttributeNames": names}
        if expression_values:
            request["ExpressionAttributeValues"] = expression_values
        old = self.model.get((p, c), {"p": {"S": p}, "c": {"N": str(c)}})
        new = {name: value for name, value in old.items() if name not in removals}
        new.update(changes)
        try:
            api.call(self.db, "UpdateItem", request)
        except DynamoDBError as error:
            assert self.refused(new), error.message
            assert error.code == "ValidationException"
            event("update refused")
            return
        assert not self.refused(new)
        event("update applied")
        self.model[(p, c)] = new

    @rule(p=st.sampled_from(HASHES), c=st.sampled_from(RANGES))
    def delete(self, p, c):
        api.call(self.db, "DeleteItem", {"TableName": "tbl", "Key": {"p": {"S": p}, "c": {"N": str(c)}}})
        self.model.pop((p, c), None)

    @precondition(lambda self: "g_new" not in self.indexes)
    @rule(projection=st.sampled_from(["ALL", "KEYS_ONLY", "INCLUDE"]), with_range=st.booleans())
    def create_index(self, projection, with_range):
        keys = [{"AttributeName": "z", "KeyType": "HASH"}]
        if with_range:
            keys.append({"AttributeName": "c", "KeyType": "RANGE"})
        spec = {"IndexName": "g_new", "KeySchema": keys, "Projection": {"ProjectionType": projection}}
        if projection == "INCLUDE":
            spec["Projection"]["NonKeyAttributes"] = ["w", "x"]
        api.call(self.db, "UpdateTable", {
            "TableName": "tbl", "AttributeDefinitions": [{"AttributeName": "z", "AttributeType": "S"}],
            "GlobalSecondaryIndexUpdates": [{"Create": spec}]})
        self.indexes["g_new"] = ("GSI", "z", "c" if with_range else None, projection,
                                 ("w", "x") if projection == "INCLUDE" else ())

    @precondition(lambda self: "g_new" in self.indexes)
    @rule()
    def delete_index(self):
        api.call(self.db, "UpdateTable", {"TableName": "tbl", "GlobalSecondaryIndexUpdates": [
            {"Delete": {"IndexName": "g_new"}}]})
        del self.indexes["g_new"]

    # ------------------------------------------------------------ the property

    def expected(self, definition):
        """{index hash value: [(order, projected item)] sorted}, from the model alone."""
        _kind, hash_name, range_name, projection, non_key = definition
        keep = {"p", "c", hash_name, range_name, *non_key}
        partitions = {}
        for (p, c), item in self.model.items():
            if hash_name not in item or (range_name and range_name not in item):
                continue
            declared_ok = all(KEY_TYPES.get(name, "S" if name == "p" else "N") in item[name]
                              for name in (hash_name, range_name) if name)
            if not declared_ok:
                continue  # an item stored before the index existed, with another type
            entry = dict(item) if projection == "ALL" else {k: v for k, v in item.items() if k in keep}
            order = (order_value(item[range_name]),) if range_name else ()
            partitions.setdefault(order_value(item[hash_name]), []).append((order + (p, Decimal(c)), entry))
        return {key: sorted(rows, key=lambda row: row[0]) for key, rows in partitions.items()}

    @invariant()
    def indexes_equal_projections_of_the_table(self):
        table = self.db.tables["tbl"]
        table._check()
        state = table_indexes(table)
        assert sorted(index.name for index in state.all()) == sorted(self.indexes)
        for name, definition in self.indexes.items():
            index = state.get(name)
            expected = self.expected(definition)
            actual = {}
            for item in index.items.scan():
                hash_value = order_value(item[definition[1]])
                actual.setdefault(hash_value, []).append(item)
            assert actual == {key: [entry for _order, entry in rows] for key, rows in expected.items()}, name
        state._check()


test_index_state = IndexMachine.TestCase
