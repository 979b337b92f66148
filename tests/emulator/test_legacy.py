"""Engine tests of emulator/legacy.py: the legacy parameters' checks and messages, and
their translation into the expression AST (evaluated by expressions.evaluate, applied by
expressions.update). DynamoDB's behaviour and sources are pinned in
compat/test_legacy_api.py."""

import pytest

from emulator import legacy
from emulator.errors import SerializationException, ValidationException
from emulator.expressions.evaluate import matches
from emulator.expressions.update import Update

INVALID = "One or more parameter values were invalid: "
ITEM = {"p": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "cat"}, "b": {"B": "AQI="}, "ns": {"NS": ["2", "7"]},
        "l": {"L": [{"S": "x"}, {"N": "1"}]}, "nul": {"NULL": True}}


def message(call):
    with pytest.raises(ValidationException) as info:
        call()
    return info.value.message


def holds(name, operator, *values):
    node = legacy.condition_node(name, (operator, list(values)))
    return matches(node, ITEM)


@pytest.mark.parametrize("name, operator, values, expected", [
    ("n", "EQ", [{"N": "5"}], True), ("n", "EQ", [{"S": "5"}], False), ("ns", "EQ", [{"NS": ["7", "2"]}], True),
    ("n", "NE", [{"N": "4"}], True), ("n", "NE", [{"N": "5"}], False), ("zz", "NE", [{"N": "5"}], True),
    ("n", "NE", [{"S": "5"}], True),
    ("n", "LT", [{"N": "6"}], True), ("n", "LE", [{"N": "5"}], True), ("n", "GT", [{"N": "5"}], False),
    ("s", "GE", [{"S": "cat"}], True), ("b", "GT", [{"B": "AQE="}], True), ("zz", "LT", [{"N": "9"}], False),
    ("n", "LT", [{"S": "9"}], False),
    ("n", "NOT_NULL", [], True), ("nul", "NOT_NULL", [], True), ("zz", "NOT_NULL", [], False), ("zz", "NULL", [], True),
    ("nul", "NULL", [], False),
    ("s", "CONTAINS", [{"S": "at"}], True), ("ns", "CONTAINS", [{"N": "7"}], True), ("l", "CONTAINS", [{"S": "x"}], True),
    # A binary contains a run of its bytes (scylla test_update_condition_contains:
    # contains(d, :arg) on a binary, observed on AWS).
    ("b", "CONTAINS", [{"B": "Ag=="}], True), ("b", "CONTAINS", [{"B": "Bwc="}], False),
    ("zz", "CONTAINS", [{"S": "x"}], False),
    ("s", "NOT_CONTAINS", [{"S": "dog"}], True), ("ns", "NOT_CONTAINS", [{"N": "2"}], False),
    ("zz", "NOT_CONTAINS", [{"S": "x"}], False), ("s", "NOT_CONTAINS", [{"N": "1"}], True),
    ("s", "BEGINS_WITH", [{"S": "ca"}], True), ("n", "BEGINS_WITH", [{"S": "5"}], False),
    ("b", "BEGINS_WITH", [{"B": "AQ=="}], True),
    ("n", "IN", [{"N": "1"}, {"N": "5"}], True), ("ns", "IN", [{"N": "2"}], False),
    ("n", "BETWEEN", [{"N": "5"}, {"N": "6"}], True), ("zz", "BETWEEN", [{"N": "0"}, {"N": "9"}], False),
])
def test_each_operator_means_what_dynamodb_means(name, operator, values, expected):
    assert holds(name, operator, *values) is expected


def test_conditions_join_with_the_conditional_operator():
    conditions = {"n": ("EQ", [{"N": "5"}]), "zz": ("NOT_NULL", [])}
    assert not matches(legacy.conditions_node(conditions, None), ITEM)
    assert not matches(legacy.conditions_node(conditions, "AND"), ITEM)
    assert matches(legacy.conditions_node(conditions, "OR"), ITEM)
    assert legacy.conditions_node({}, "OR") is None
    assert legacy.condition_filter(conditions, "OR").matches(ITEM)


@pytest.mark.parametrize("condition, expected", [
    ({"ComparisonOperator": "EQ"}, INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"ComparisonOperator": "NOT_NULL", "AttributeValueList": [{"S": "a"}]},
     INVALID + "Invalid number of argument(s) for the NOT_NULL ComparisonOperator"),
    ({"ComparisonOperator": "IN", "AttributeValueList": [{"S": "a"}, {"N": "1"}]},
     INVALID + "AttributeValues inside AttributeValueList must be of same type"),
    ({"ComparisonOperator": "GT", "AttributeValueList": [{"BOOL": True}]},
     INVALID + "ComparisonOperator GT is not valid for BOOL AttributeValue type"),
    ({"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]},
     INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    ({"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "b"}, {"S": "a"}]},
     "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"),
    ({"ComparisonOperator": "EQ", "AttributeValueList": [{}]},
     "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
])
def test_condition_checks(condition, expected):
    assert message(lambda: legacy.normalize_conditions({"a": condition})) == expected


def test_conditions_are_normalized():
    checked = legacy.normalize_conditions({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "01.50"}]}})
    assert checked == {"a": ("EQ", [{"N": "1.5"}])}
    assert legacy.normalize_conditions(None) is None


@pytest.mark.parametrize("entry, condition", [
    ({"Value": {"S": "x"}}, ("EQ", [{"S": "x"}])),
    ({"Exists": True, "Value": {"S": "x"}}, ("EQ", [{"S": "x"}])),
    ({"Exists": False}, ("NULL", [])),
    ({"ComparisonOperator": "NOT_NULL"}, ("NOT_NULL", [])),
    ({"ComparisonOperator": "GT", "Value": {"N": "3"}}, ("GT", [{"N": "3"}])),
    ({"ComparisonOperator": "IN", "AttributeValueList": [{"N": "3"}, {"N": "4"}]}, ("IN", [{"N": "3"}, {"N": "4"}])),
])
def test_expected_entries_become_conditions(entry, condition):
    assert legacy.normalize_expected({"a": entry}) == {"a": condition}


@pytest.mark.parametrize("entry, expected", [
    ({}, INVALID + "Value must be provided when Exists is null for Attribute: a"),
    ({"Exists": True}, INVALID + "Value must be provided when Exists is true for Attribute: a"),
    ({"Exists": False, "Value": {"S": "x"}}, INVALID + "Value cannot be used when Exists is false for Attribute: a"),
    ({"Exists": True, "ComparisonOperator": "EQ", "Value": {"S": "x"}},
     INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ({"Value": {"S": "x"}, "AttributeValueList": [{"S": "x"}]},
     INVALID + "Value and AttributeValueList cannot be used together for Attribute: a"),
    ({"ComparisonOperator": "LT"}, INVALID + "Value or AttributeValueList must be used with ComparisonOperator: LT "
                                             "for Attribute: a"),
    ({"AttributeValueList": [{"S": "x"}]},
     INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
])
def test_expected_checks(entry, expected):
    assert message(lambda: legacy.normalize_expected({"a": entry})) == expected


def test_parameter_rules():
    legacy.check_parameters({"KeyConditions": {}, "FilterExpression": "a = :v"},
                            ("FilterExpression", "KeyConditionExpression"), ("QueryFilter", "KeyConditions"))
    assert message(lambda: legacy.check_parameters(
        {"KeyConditions": {}, "KeyConditionExpression": "p = :v"}, ("KeyConditionExpression",), ("KeyConditions",))
    ) == ("Can not use both expression and non-expression parameters in the same request: Non-expression "
          "parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}")
    assert message(lambda: legacy.check_conditional_operator({"ConditionalOperator": "OR", "Expected": {}},
                                                             ("Expected",))) == (
        "ConditionalOperator cannot be used without Filter or Expected")
    assert message(lambda: legacy.check_conditional_operator({"ConditionalOperator": "OR", "Expected": {"a": {}}},
                                                             ("Expected",))) == (
        "ConditionalOperator can only be used when Filter or Expected has two or more elements")
    legacy.check_conditional_operator({"ConditionalOperator": "OR", "ScanFilter": {"a": {}, "b": {}}}, ("ScanFilter",))
    assert legacy.check_attribute_names(["a", "b"]) == ["a", "b"]
    assert message(lambda: legacy.check_attribute_names(["a", "a"])) == (
        INVALID + "Duplicate value in attribute name: a")


@pytest.mark.parametrize("request_, error", [
    ({"QueryFilter": ["a"]}, "Unexpected field type"),
    ({"QueryFilter": {"a": "x"}}, "Unexpected value type in payload"),
    ({"QueryFilter": {"a": {"ComparisonOperator": 5}}}, "NUMBER_VALUE cannot be converted to String"),
    ({"QueryFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": 5}}}, "Unexpected field type"),
    ({"Expected": {"a": {"Exists": []}}}, "Unrecognized collection type class java.lang.Boolean"),
    ({"AttributesToGet": "a"}, "Unexpected field type"),
])
def test_member_types(request_, error):
    with pytest.raises(SerializationException) as info:
        legacy.conform_legacy(request_)
    assert info.value.message == error


def test_member_nulls_count_as_absent():
    assert legacy.conform_legacy({"Expected": {"a": {"Exists": False, "Value": None}}}) == {
        "Expected": {"a": {"Exists": False}}}


# ---------------------------------------------------------------- AttributeUpdates


def apply(updates, item):
    checked = legacy.normalize_attribute_updates(updates)
    legacy.check_update_types(checked, item)
    return Update(legacy.update_node(checked)).apply(item)


def test_attribute_update_actions():
    item = {"p": {"S": "k"}, "n": {"N": "1"}, "ss": {"SS": ["a", "b"]}, "l": {"L": [{"S": "a"}]}, "x": {"S": "x"}}
    new = apply({"n": {"Action": "ADD", "Value": {"N": "2"}}, "ss": {"Action": "DELETE", "Value": {"SS": ["a", "z"]}},
                 "l": {"Action": "ADD", "Value": {"L": [{"N": "1"}]}}, "x": {"Action": "DELETE"},
                 "y": {"Value": {"BOOL": True}}, "z": {"Action": "ADD", "Value": {"NS": ["3"]}}}, item)
    assert new == {"p": {"S": "k"}, "n": {"N": "3"}, "ss": {"SS": ["b"]}, "l": {"L": [{"S": "a"}, {"N": "1"}]},
                   "y": {"BOOL": True}, "z": {"NS": ["3"]}}
    assert item["n"] == {"N": "1"}  # the stored item is not changed
    fresh = apply({"l": {"Action": "ADD", "Value": {"L": [{"S": "b"}]}}, "n": {"Action": "ADD", "Value": {"N": "4"}},
                   "gone": {"Action": "DELETE", "Value": {"SS": ["q"]}}}, {"p": {"S": "k"}})
    assert fresh == {"p": {"S": "k"}, "l": {"L": [{"S": "b"}]}, "n": {"N": "4"}}
    emptied = apply({"ss": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}}}, item)
    assert "ss" not in emptied


@pytest.mark.parametrize("updates, expected", [
    ({"a": {"Action": "PUT"}}, INVALID + "Only DELETE action is allowed when no attribute value is specified"),
    ({"a": {"Value": {"S": "x"}, "Action": "DELETE"}}, INVALID + "DELETE action with value is not supported for the "
                                                                 "type S"),
    ({"a": {"Value": {"BOOL": True}, "Action": "ADD"}}, INVALID + "ADD action is not supported for the type BOOL"),
])
def test_attribute_update_checks(updates, expected):
    assert message(lambda: legacy.normalize_attribute_updates(updates)) == expected


@pytest.mark.parametrize("updates", [
    {"ss": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
    {"n": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
    {"ss": {"Action": "ADD", "Value": {"NS": ["1"]}}},
    {"n": {"Action": "ADD", "Value": {"L": []}}},
])
def test_attribute_update_type_mismatch(updates):
    item = {"p": {"S": "k"}, "n": {"N": "1"}, "ss": {"SS": ["a"]}}
    assert message(lambda: apply(updates, item)) == "Type mismatch for attribute to update"
    legacy.check_update_types(legacy.normalize_attribute_updates(updates), None)  # nothing stored: fine
