"""Applying update expressions: semantics, runtime errors, immutability of the input."""

import copy

import pytest

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions
from emulator.types import item_size, normalize_item

VALUES = {
    ":one": {"N": "1"}, ":s": {"S": "new"}, ":l": {"L": [{"S": "z"}]}, ":ss": {"SS": ["c", "a"]},
    ":ns": {"NS": ["2"]}, ":big": {"N": "9" * 38}, ":huge": {"N": "9E+125"}, ":tiny": {"N": "0.1"},
    ":neg": {"N": "0.2"}, ":empty": {"L": []}, ":m": {"M": {}},
}


def apply(text, item, names=None):
    values = {k: v for k, v in VALUES.items() if k in text}
    update = RequestExpressions(names, values or None).update(text)
    before = copy.deepcopy(item)
    result = update.apply(item)
    assert item == before, "the input item must not change"
    assert result.size == item_size(dict(result)), "a hand-built item's result is measured whole"
    return result


def fails(text, item, message):
    with pytest.raises(ValidationException) as info:
        apply(text, item)
    assert info.value.message == message


def test_set_top_level_and_nested_values():
    item = {"p": {"S": "k"}, "m": {"M": {"a": {"N": "1"}}}, "l": {"L": [{"N": "1"}, {"N": "2"}]}}
    result = apply("SET x = :s, m.b = :one, l[0] = :s", item)
    assert result["x"] == {"S": "new"}
    assert result["m"] == {"M": {"a": {"N": "1"}, "b": {"N": "1"}}}
    assert result["l"] == {"L": [{"S": "new"}, {"N": "2"}]}


def test_set_values_are_read_from_the_old_item():
    result = apply("SET a = b, b = a", {"a": {"S": "A"}, "b": {"S": "B"}})
    assert result == {"a": {"S": "B"}, "b": {"S": "A"}}
    assert apply("REMOVE a SET b = a", {"a": {"S": "A"}}) == {"b": {"S": "A"}}


def test_set_past_end_of_list_appends_in_index_order():
    result = apply("SET l[10] = :s, l[5] = :one", {"l": {"L": [{"N": "0"}]}})
    assert result["l"] == {"L": [{"N": "0"}, {"N": "1"}, {"S": "new"}]}


def test_list_indexes_refer_to_the_original_list():
    item = {"a": {"L": [{"N": str(i)} for i in range(2, 8)]}}
    expected = {"L": [{"N": "2"}, {"N": "4"}, {"N": "1"}, {"N": "6"}, {"N": "7"}]}
    assert apply("REMOVE a[1] SET a[3] = :one", item)["a"] == expected
    assert apply("SET a[3] = :one REMOVE a[1]", item)["a"] == expected
    assert apply("REMOVE a[0], a[2]", item)["a"] == {"L": [{"N": "3"}, {"N": "5"}, {"N": "6"}, {"N": "7"}]}


def test_remove_of_absent_things_does_nothing():
    item = {"m": {"M": {"k": {"S": "v"}}}, "l": {"L": [{"N": "1"}]}}
    assert apply("REMOVE nope, m.zzz, l[17]", item) == item


def test_arithmetic_and_if_not_exists_and_list_append():
    item = {"n": {"N": "0.1"}, "l": {"L": [{"N": "1"}]}}
    result = apply("SET n = n + :neg, c = if_not_exists(c, :one) - :one, l = list_append(:l, l), "
                   "e = list_append(if_not_exists(e, :empty), :l)", item)
    assert result["n"] == {"N": "0.3"}
    assert result["c"] == {"N": "0"}
    assert result["l"] == {"L": [{"S": "z"}, {"N": "1"}]}
    assert result["e"] == {"L": [{"S": "z"}]}


def test_arithmetic_keeps_38_digits_and_reports_overflow():
    assert apply("SET n = :big - :big", {})["n"] == {"N": "0"}
    fails("SET n = :big + :tiny", {}, "Attempting to store more than 38 significant digits in a Number")
    fails("SET n = :huge + :huge", {},
          "Number overflow. Attempting to store a number with magnitude larger than supported range")


def test_add_creates_numbers_and_sets_and_merges_sets():
    item = {"n": {"N": "5"}, "ss": {"SS": ["a", "b"]}}
    result = apply("ADD n :one, fresh :one, ss :ss, ns :ns", item)
    assert result["n"] == {"N": "6"} and result["fresh"] == {"N": "1"}
    assert result["ss"] == {"SS": ["a", "b", "c"]} and result["ns"] == {"NS": ["2"]}


def test_delete_removes_members_and_the_empty_set():
    item = {"ss": {"SS": ["a", "b", "c"]}, "ns": {"NS": ["2"]}}
    result = apply("DELETE ss :ss, ns :ns, absent :ss", item)
    assert result == {"ss": {"SS": ["b"]}}


def test_set_members_match_by_value_whatever_their_spelling():
    """Members are matched by their canonical text (update._add/_delete): stored and bound
    numbers are normalized, so 1.00 is the stored 1 and 2.50 the stored 2.5; binaries
    are canonical base64. Sizes follow what was added and taken away."""
    stored = normalize_item({"pk": {"S": "k"}, "ns": {"NS": ["1", "2.5", "-7E+3"]}, "bs": {"BS": ["AQ==", "Ag=="]}})
    values = {":n": {"NS": ["1.00", "30"]}, ":gone": {"NS": ["2.50", "-7000", "4"]}, ":b": {"BS": ["Ag==", "Aw=="]}}
    added = RequestExpressions(None, {":n": values[":n"], ":b": values[":b"]}).update("ADD ns :n, bs :b").apply(stored)
    assert added["ns"] == {"NS": ["1", "2.5", "-7000", "30"]} and added["bs"] == {"BS": ["AQ==", "Ag==", "Aw=="]}
    assert added.size == item_size(dict(added)) > stored.size
    taken = RequestExpressions(None, {":gone": values[":gone"], ":b": values[":b"]}).update(
        "DELETE ns :gone, bs :b").apply(stored)
    assert taken["ns"] == {"NS": ["1"]} and taken["bs"] == {"BS": ["AQ=="]}
    assert taken.size == item_size(dict(taken))
    emptied = RequestExpressions(None, {":all": {"NS": ["1", "2.5", "-7000"]}}).update("DELETE ns :all").apply(stored)
    assert "ns" not in emptied and emptied.size == item_size(dict(emptied))


@pytest.mark.parametrize("text, item, message", [
    ("SET a = nope", {}, "The provided expression refers to an attribute that does not exist in the item"),
    ("SET a = nope + :one", {}, "The provided expression refers to an attribute that does not exist in the item"),
    ("SET a = s + :one", {"s": {"S": "x"}}, "An operand in the update expression has an incorrect data type"),
    ("SET a = list_append(s, :l)", {"s": {"S": "x"}}, "An operand in the update expression has an incorrect data type"),
    ("ADD s :one", {"s": {"S": "x"}}, "An operand in the update expression has an incorrect data type"),
    ("ADD ss :ns", {"ss": {"SS": ["x"]}}, "An operand in the update expression has an incorrect data type"),
    ("DELETE ss :ns", {"ss": {"SS": ["x"]}}, "An operand in the update expression has an incorrect data type"),
    ("SET a.b = :one", {}, "The document path provided in the update expression is invalid for update"),
    ("SET a.b = :one", {"a": {"S": "x"}}, "The document path provided in the update expression is invalid for update"),
    ("SET a[0] = :one", {"a": {"M": {}}}, "The document path provided in the update expression is invalid for update"),
    ("REMOVE a.b", {}, "The document path provided in the update expression is invalid for update"),
    ("ADD a.b :one", {}, "The document path provided in the update expression is invalid for update"),
])
def test_update_runtime_errors(text, item, message):
    fails(text, item, message)


def test_update_check_keys_covers_nested_paths():
    update = RequestExpressions(None, VALUES).update("ADD pk.x :one")
    with pytest.raises(ValidationException) as info:
        update.check_keys(["pk", "sk"])
    assert info.value.message == ("One or more parameter values were invalid: Cannot update attribute pk. "
                                  "This attribute is part of the key")
    assert update.top_level_names == {"pk"}


@pytest.mark.parametrize("text,cost", [
    ("SET a = :one", 3 + 19),
    ("SET a[0] = :one", 3 + 19 + 1),
    ("REMOVE a.b[1][2]", 3 + 2 + 2),
    ("ADD s :one DELETE t :ss", 3 + 19 + 2),
    ("SET a.b = :one, c = :one REMOVE d[0]", 3 + 19 + 19 + 2 + 1),
])
def test_statement_cost_counts_actions_and_list_indexes(text, cost):
    """What UpdateItem charges for the statement against the 400 KB limit: 3 bytes, 19 a
    SET or ADD action, 2 a REMOVE or DELETE, one more a list index in a path
    (conformance tier3/limits/itemSizeBySurface, bisected on AWS; update.STATEMENT_COST)."""
    update = RequestExpressions(None, VALUES).update(text)
    assert update.statement_cost == cost


def test_paths_and_top_level_names_are_the_written_ones_in_text_order():
    update = RequestExpressions({"#n": "name"}, VALUES).update("SET #n = :one, m.x[1] = :one REMOVE z ADD c :one")
    assert update.paths == (("name",), ("m", "x", 1), ("z",), ("c",))
    assert update.top_level_names == {"name", "m", "z", "c"}


@pytest.mark.parametrize("text", [
    "SET l = list_append(l, :added)",
    "SET l = list_append(:added, l)",
    "SET l = list_append(if_not_exists(l, :none), :added)",
    "SET l = list_append(:added, if_not_exists(l, :none))",
    "SET l = list_append(l, :none), n = n + :one",
    "SET l = list_append(:none, l)",
    "SET l2 = list_append(l, :added)",
    "SET nolist = list_append(if_not_exists(nolist, :none), :added)",
])
def test_appending_to_a_list_keeps_the_item_size_exact(text):
    """An append is measured by what it adds (update._apply_plain_sets), not by walking
    the old and new lists: the size it carries must equal a full count. The added
    elements differ in size from the list's own (non-ASCII strings, a nested map), so an
    off-by-one or the wrong end of the list shows."""
    values = {":added": {"L": [{"S": "\u00e9t\u00e9"}, {"M": {"k": {"S": "\U0001f600"}}}, {"N": "12.5"}]},
              ":none": {"L": []}, ":one": {"N": "1"}}
    stored = normalize_item({"pk": {"S": "k"}, "n": {"N": "1"},
                             "l": {"L": [{"S": "abcdefgh"}, {"N": "1"}, {"BOOL": True}, {"S": "x"}]}})
    update = RequestExpressions(None, {k: v for k, v in values.items() if k in text}).update(text)
    result = update.apply(stored)
    assert result.size == item_size(dict(result)), text
    assert (result.size == stored.size) == (":added" not in text), text


def test_a_nested_write_copies_only_the_containers_on_its_path():
    """Stored values are shared, so a nested write copies the maps and lists on its path
    and nothing else (update._Draft): a counter in a map of 10,000 entries costs one copy
    of that map's dict, not a copy of every entry and a walk of each to measure it."""
    entries = {f"k{i}": {"M": {"n": {"N": str(i)}, "tags": {"L": [{"S": "x"}]}}} for i in range(50)}
    stored = normalize_item({"pk": {"S": "k"}, "m": {"M": entries}, "other": {"L": [{"S": "y"}]}})
    update = RequestExpressions(None, VALUES).update("SET m.k5.n = m.k5.n + :one, m.k6.tags[1] = :s REMOVE m.k7")
    result = update.apply(stored)
    before, after = stored["m"]["M"], result["m"]["M"]
    assert after is not before and after["k5"] is not before["k5"] and after["k6"]["M"]["tags"] is not (
        before["k6"]["M"]["tags"])
    assert after["k5"]["M"]["n"] == {"N": "6"} and after["k6"]["M"]["tags"]["L"] == [{"S": "x"}, {"S": "new"}]
    assert "k7" not in after and "k7" in before
    assert all(after[name] is before[name] for name in after if name not in ("k5", "k6"))
    assert after["k5"]["M"]["tags"] is before["k5"]["M"]["tags"]
    assert result["other"] is stored["other"]
    assert result.size == item_size(dict(result))
