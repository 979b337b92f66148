# Numbers (issue 2, item 4): up to 38 significant digits, magnitudes from 1E-130 to
# below 1E+126, stored and returned in one canonical decimal form, DynamoDB's messages for
# everything else, and numeric order for number keys.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier3/limits/numberPrecision,
#                 tier1/putItem/numericKeys, tier1/putItem/dataTypes), run against AWS.
#   dynalite    - mhart/dynalite test/putItem.js and test/getItem.js, recorded from DynamoDB.
#   dynoxide    - nubo-db/dynoxide src/types.rs, number grammar verified against AWS.
#   aws-docs    - HowItWorks.NamingRulesDataTypes.html (Number).
#
# `unchecked_client` sends the wire format as written (numbers are strings there).

from decimal import Decimal

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"
MALFORMED = "The parameter cannot be converted to a numeric value"
TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"


def round_trip(client, table, text):
    key = {"p": {"S": random_string()}}
    client.put_item(TableName=table.name, Item={**key, "n": {"N": text}})
    return client.get_item(TableName=table.name, Key=key, ConsistentRead=True)["Item"]["n"]["N"]


# A number comes back in plain decimal notation: leading zeros, trailing fractional zeros,
# exponents and the sign of zero are gone. Sources: conformance numberPrecision ("00042" ->
# "42", "1.0" -> "1", "3.1400" -> "3.14", "1.5E2" -> "150", "-0" -> "0"); dynalite
# putItem.js "should put really long numbers" (the 38-digit and 1E-130 forms) and
# "should return correct old values" ("-0015.789e6" -> "-15789000").
@pytest.mark.parametrize("text, stored", [
    ("00042", "42"),
    ("1.0", "1"),
    ("3.1400", "3.14"),
    ("1.5E2", "150"),
    ("1E2", "100"),
    ("-0", "0"),
    ("01.50", "1.5"),
    ("-0015.789e6", "-15789000"),
    ("0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("-00001.23456789012345678901234567890123456780000", "-1.2345678901234567890123456789012345678"),
    ("0009.99999999999999999999999999999999999990000e125", "9" * 38 + "0" * 88),
    ("-0009.99999999999999999999999999999999999990000e125", "-" + "9" * 38 + "0" * 88),
    ("0001.000e-130", "0." + "0" * 129 + "1"),
    ("-0001.000e-130", "-0." + "0" * 129 + "1"),
])
def test_number_is_stored_in_canonical_form(unchecked_client, table_s, text, stored):
    assert round_trip(unchecked_client, table_s, text) == stored


# Signs and bare points are part of the number grammar. Source: dynoxide
# is_well_formed_dynamo_number (accepts +5, +.5, 5., 1e+2, verified against AWS).
@pytest.mark.parametrize("text, stored", [("+5", "5"), ("+.5", "0.5"), ("5.", "5"), ("1e+2", "100")])
def test_number_grammar_accepts_signs_and_bare_points(unchecked_client, table_s, text, stored):
    assert round_trip(unchecked_client, table_s, text) == stored


# A malformed number is refused with its text in the message; an empty one without.
# Sources: dynalite putItem.js "empty/invalid numbers"; dynoxide (no surrounding spaces,
# no NaN, no Infinity).
@pytest.mark.parametrize("text", ["b", "NaN", "Infinity", " 1", "1 ", "1e", ".", "1.2.3", "0x10", "--1"])
def test_malformed_number_is_refused(unchecked_client, table_s, text):
    with assert_error(VALIDATION, f"{MALFORMED}: {text}"):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"N": text}})


def test_empty_number_is_refused(unchecked_client, table_s):
    with assert_error(VALIDATION, MALFORMED):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"N": ""}})


# 38 significant digits fit, 39 do not; trailing and leading zeros do not count.
# Sources: conformance numberPrecision ("accepts a number with 38 significant digits",
# "rejects ... 39"); dynalite putItem.js for the message.
def test_38_significant_digits_fit_and_39_do_not(unchecked_client, table_s):
    assert round_trip(unchecked_client, table_s, "1" * 38 + "0" * 10) == "1" * 38 + "0" * 10
    for text in ("1" * 39, "-1." + "2" * 38, "0.00" + "3" * 39):
        with assert_error(VALIDATION, TOO_PRECISE):
            unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"N": text}})


# The range: 1E-130 up to 9.99...E+125 in magnitude. Sources: conformance numberPrecision
# (boundaries); dynalite putItem.js (messages); aws-docs Number.
@pytest.mark.parametrize("text, message", [
    ("1E+126", OVERFLOW), ("-1E+126", OVERFLOW), ("1E-131", UNDERFLOW), ("-1E-131", UNDERFLOW),
])
def test_number_out_of_range_is_refused(unchecked_client, table_s, text, message):
    with assert_error(VALIDATION, message):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"N": text}})


def test_number_range_boundaries_are_accepted(unchecked_client, table_s):
    for text in ("9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125",
                 "1E-130", "-1E-130"):
        assert round_trip(unchecked_client, table_s, text)


# Number sets hold canonical members, and two spellings of one number are duplicates
# ("Input collection contains duplicates", without the usual prefix). Sources: dynalite
# putItem.js ({NS: ['1', '1']}) and validations/index.js (duplicates found after
# normalizing).
def test_number_set_duplicates_by_value_are_refused(unchecked_client, table_s):
    for members in (["1", "1"], ["1", "1.0"], ["1E2", "100"], ["-0", "0"]):
        with assert_error(VALIDATION, "Input collection contains duplicates"):
            unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"NS": members}})


def test_number_set_members_are_canonical(unchecked_client, table_s):
    key = {"p": {"S": random_string()}}
    unchecked_client.put_item(TableName=table_s.name, Item={**key, "n": {"NS": ["01", "2.50", "3E1"]}})
    stored = unchecked_client.get_item(TableName=table_s.name, Key=key, ConsistentRead=True)["Item"]["n"]["NS"]
    assert sorted(stored) == ["1", "2.5", "30"]


def test_number_set_member_errors(unchecked_client, table_s):
    with assert_error(VALIDATION, f"{MALFORMED}: b"):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"NS": ["1", "b"]}})
    with assert_error(VALIDATION, "One or more parameter values were invalid: An number set  may not be empty"):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}, "n": {"NS": []}})


# A number key matches whatever its spelling, and comes back canonical. Source:
# conformance tier1/putItem/numericKeys (3.14 and -100 as hash keys); the numeric value is
# the key (aws-docs: numbers are compared by value).
def test_number_key_matches_any_spelling(unchecked_client, table_nn):
    key = {"p": {"N": "1.50"}, "c": {"N": str(len(random_string(7)) * 1000 + 7)}}
    unchecked_client.put_item(TableName=table_nn.name, Item={**key, "v": {"S": "x"}})
    spelled = {"p": {"N": "015E-1"}, "c": key["c"]}
    got = unchecked_client.get_item(TableName=table_nn.name, Key=spelled, ConsistentRead=True)["Item"]
    assert got["p"] == {"N": "1.5"} and got["v"] == {"S": "x"}
    unchecked_client.delete_item(TableName=table_nn.name, Key=spelled)
    assert "Item" not in unchecked_client.get_item(TableName=table_nn.name, Key=key, ConsistentRead=True)


# Number sort keys are ordered by value, not as text, down to the range's ends.
# Source: conformance numberPrecision ("numeric sort key preserves ordering at precision
# boundaries"); aws-docs Query (sort key order). (The wire client: boto3's resource cannot
# turn 126-digit numbers into Decimals with its 38-digit context.)
def test_number_sort_keys_are_ordered_numerically(unchecked_client, table_sn):
    p = {"S": random_string()}
    texts = ["10", "9", "-1", "0.5", "1E+2", "-100", "0", "1E-130", "99999999999999999999999999999999999999",
             "-9.9999999999999999999999999999999999999E+125"]
    for text in texts:
        unchecked_client.put_item(TableName=table_sn.name, Item={"p": p, "c": {"N": text}})
    got = unchecked_client.query(TableName=table_sn.name, KeyConditionExpression="p = :p",
                                 ExpressionAttributeValues={":p": p}, ConsistentRead=True)["Items"]
    assert [Decimal(item["c"]["N"]) for item in got] == sorted(Decimal(t) for t in texts)
