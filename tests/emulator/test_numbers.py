"""Numbers: DynamoDB's grammar, canonical text, limits (with its messages) and sizes."""

from decimal import Decimal

import pytest

from emulator.errors import ValidationException
from emulator.numbers import format_number, normalize_number, number_size, parse_number


@pytest.mark.parametrize("text, canonical", [
    ("42", "42"),
    ("01.50", "1.5"),
    ("00042", "42"),
    ("1.0", "1"),
    ("3.1400", "3.14"),
    ("1.5E2", "150"),
    ("1E2", "100"),
    ("1e+2", "100"),
    ("-0", "0"),
    ("+0.000", "0"),
    ("0e999999999999999999999", "0"),
    ("+5", "5"),
    (".5", "0.5"),
    ("-.50", "-0.5"),
    ("5.", "5"),
    ("-0015.789e6", "-15789000"),
    ("1E-130", "0." + "0" * 129 + "1"),
    ("-0001.000e-130", "-0." + "0" * 129 + "1"),
    ("0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("-00001.23456789012345678901234567890123456780000", "-1.2345678901234567890123456789012345678"),
    ("0009.99999999999999999999999999999999999990000e125", "9" * 38 + "0" * 88),
    ("9.9999999999999999999999999999999999999E+125", "9" * 38 + "0" * 88),
    ("1e-0000000000000000000000000000000000005", "0.00001"),
    ("-1e0", "-1"),
    ("7E+000", "7"),
])
def test_normalize_number_gives_dynamodbs_canonical_form(text, canonical):
    # dynalite test/putItem.js "should put really long numbers", conformance numberPrecision
    assert normalize_number(text) == canonical


@pytest.mark.parametrize("text, message", [
    ("", "The parameter cannot be converted to a numeric value"),
    ("b", "The parameter cannot be converted to a numeric value: b"),
    (" 1", "The parameter cannot be converted to a numeric value:  1"),
    ("1 ", "The parameter cannot be converted to a numeric value: 1 "),
    ("NaN", "The parameter cannot be converted to a numeric value: NaN"),
    ("Infinity", "The parameter cannot be converted to a numeric value: Infinity"),
    ("1e", "The parameter cannot be converted to a numeric value: 1e"),
    (".", "The parameter cannot be converted to a numeric value: ."),
    ("1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3"),
    ("0x10", "The parameter cannot be converted to a numeric value: 0x10"),
    ("1_000", "The parameter cannot be converted to a numeric value: 1_000"),
    ("\u0661", "The parameter cannot be converted to a numeric value: \u0661"),  # Arabic-Indic one
    ("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number"),
    ("-1.23456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number"),
    ("1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("-1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1e99999999999999999999999", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1e-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("-1e-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    # overflow is checked before precision (dynalite validations/index.js checkNum)
    ("1" * 39 + "e100", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
])
def test_normalize_number_refuses_with_dynamodbs_messages(text, message):
    with pytest.raises(ValidationException) as info:
        normalize_number(text)
    assert info.value.message == message


def test_trailing_zeros_do_not_count_as_significant_digits():
    assert normalize_number("1" * 38 + "0" * 50) == "1" * 38 + "0" * 50
    assert normalize_number("1" * 38 + ".000") == "1" * 38


def test_parse_and_format_number_round_trip():
    assert parse_number("01.50") == Decimal("1.5")
    assert format_number(Decimal("1.5E+2")) == "150"
    assert format_number(Decimal("-0.00")) == "0"
    assert format_number(Decimal("1E-130")) == "0." + "0" * 129 + "1"


@pytest.mark.parametrize("text, size", [
    # Byte-exact on AWS (dynoxide src/types.rs test_size_number_matches_dynamodb, PR #195)
    ("1", 2), ("12", 2), ("123", 3), ("1234", 3), ("12345", 4), ("123456", 4), ("1234567", 5),
    ("12345678", 5), ("123456789", 6), ("1234567891", 6), ("12345678912", 7),
    ("123456789123", 7), ("1234567890123456789", 11), ("12345678901234567890123456789012345678", 20),
    ("42", 2), ("100", 2), ("1010", 3), ("0.0000001", 2), ("0", 1), ("1" + "0" * 125, 2),
    ("0." + "0" * 99 + "1", 2), ("1.5", 3), ("1.2", 3), ("1.234", 4), ("3.14159", 5), ("100.5", 4),
    ("0.15", 2), ("15", 2), ("-42", 3), ("-12345", 5), ("-1" + "0" * 125, 3), ("-0.15", 3),
    # dynalite's capacity tests (recorded on AWS) need 12.3456 to be 4 bytes
    ("12.3456", 4),
])
def test_number_size_is_base_100_digits_aligned_on_the_point(text, size):
    assert number_size(text) == size
