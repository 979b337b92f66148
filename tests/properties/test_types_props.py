"""Properties of number normalization, key ordering and item-size arithmetic."""

from decimal import Context, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from emulator.errors import ValidationException
from emulator.types import (
    item_size,
    key_value,
    normalize_number,
    normalize_value,
    number_size,
    value_size,
)

# A valid DynamoDB number: 1..38 significant digits, first digit's power in -130..125.
significands = st.integers(min_value=1, max_value=10**38 - 1).map(lambda n: str(n).rstrip("0") or "0")
numbers = st.builds(
    lambda negative, digits, first_power: (negative, digits, first_power),
    st.booleans(), significands, st.integers(min_value=-130, max_value=125),
)


EXACT = Context(prec=200, Emin=-999999, Emax=999999)


def decimal_of(number) -> Decimal:
    negative, digits, first_power = number
    value = Decimal(digits).scaleb(first_power - len(digits) + 1, context=EXACT)
    return value.copy_negate() if negative else value


@st.composite
def spellings(draw, number):
    """Ways of writing the same number: exponent forms, padding zeros, a plus sign."""
    negative, digits, first_power = number
    leading = "0" * draw(st.integers(0, 3))
    trailing = "0" * draw(st.integers(0, 3))
    shift = draw(st.integers(-5, 5))
    exponent = first_power - (len(digits) - 1) - shift  # value = digits * 10^exponent, digits shifted
    mantissa = digits + "0" * max(shift, 0)
    if shift < 0:
        point = len(mantissa) + shift
        if point > 0:
            mantissa = mantissa[:point] + "." + mantissa[point:]
        else:
            mantissa = "0." + "0" * (-point) + mantissa
        mantissa += trailing
    marker = draw(st.sampled_from(["e", "E"]))
    sign = "-" if negative else draw(st.sampled_from(["", "+"]))
    exponent_text = draw(st.sampled_from([f"{exponent}", f"{exponent:+d}", f"{'-' if exponent < 0 else ''}00{abs(exponent)}"]))
    return f"{sign}{leading}{mantissa}{marker}{exponent_text}"


def is_canonical(text: str) -> bool:
    body = text[1:] if text.startswith("-") else text
    if text == "0":
        return True
    if "e" in body.lower() or body.startswith("+") or text == "-0":
        return False
    whole, _, fraction = body.partition(".")
    if whole != "0" and whole.startswith("0"):
        return False
    return not fraction.endswith("0") and ("." not in body or fraction)


@given(numbers, st.data())
def test_every_spelling_normalizes_to_one_canonical_text(number, data):
    canonical = normalize_number(data.draw(spellings(number)))
    assert canonical == normalize_number(data.draw(spellings(number)))
    assert Decimal(canonical) == decimal_of(number)
    assert is_canonical(canonical)
    assert normalize_number(canonical) == canonical


@given(numbers)
def test_canonical_text_is_plain_decimal_notation(number):
    value = decimal_of(number)
    plain = format(value, "f")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    assert normalize_number(str(value)) == plain


@given(st.integers(min_value=10**38, max_value=10**60), st.integers(-90, 60))
def test_more_than_38_significant_digits_are_refused(digits, power):
    assume(digits % 10)  # 39 or more significant digits, magnitude within range
    try:
        normalize_number(f"{digits}e{power}")
    except ValidationException as error:
        assert error.message == "Attempting to store more than 38 significant digits in a Number"
    else:
        raise AssertionError(f"{digits}e{power} was accepted")


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=126, max_value=10**6), st.booleans())
def test_out_of_range_magnitudes_are_refused(digit, power, small):
    text = f"{digit}e{-power - 5 if small else power}"
    try:
        normalize_number(text)
    except ValidationException as error:
        assert error.message.startswith("Number underflow" if small else "Number overflow")
    else:
        raise AssertionError(f"{text} was accepted")


# ---------------------------------------------------------------- key order


@given(st.lists(st.text(), min_size=2, max_size=10))
def test_string_keys_order_like_utf8_bytes(words):
    by_key = sorted(words, key=lambda w: key_value({"S": w}))
    assert [w.encode("utf-8") for w in by_key] == sorted(w.encode("utf-8") for w in words)


@given(st.lists(st.binary(max_size=8), min_size=2, max_size=10))
def test_binary_keys_order_like_unsigned_bytes(blobs):
    import base64
    values = [{"B": base64.b64encode(b).decode()} for b in blobs]
    assert [key_value(v) for v in sorted(values, key=key_value)] == sorted(blobs)


@given(st.lists(numbers, min_size=2, max_size=10))
def test_number_keys_order_numerically(raw):
    values = [{"N": normalize_number(str(decimal_of(n)))} for n in raw]
    by_key = sorted(values, key=key_value)
    assert [Decimal(v["N"]) for v in by_key] == sorted(decimal_of(n) for n in raw)


# ---------------------------------------------------------------- sizes


def base_100_size(value: Decimal) -> int:
    """An independent model of DynamoDB's number storage: base-100 digits aligned on the
    decimal point, leading and trailing zero pairs dropped, one exponent byte, one more
    byte for a negative number."""
    if not value:
        return 1
    sign, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits))
    if exponent % 2:
        text += "0"
        exponent -= 1
    if len(text) % 2:
        text = "0" + text
    pairs = [text[i:i + 2] for i in range(0, len(text), 2)]
    while pairs and pairs[0] == "00":
        pairs.pop(0)
    while pairs and pairs[-1] == "00":
        pairs.pop()
    return 1 + len(pairs) + sign


@given(numbers)
def test_number_size_matches_the_base_100_model(number):
    value = decimal_of(number)
    assert number_size(normalize_number(str(value))) == base_100_size(value)


@given(numbers, st.data())
def test_size_does_not_depend_on_the_spelling(number, data):
    first = normalize_value({"N": data.draw(spellings(number))})
    second = normalize_value({"N": data.draw(spellings(number))})
    assert value_size(first) == value_size(second)


scalars = st.one_of(
    st.text(max_size=5).map(lambda s: {"S": s}),
    numbers.map(lambda n: {"N": normalize_number(str(decimal_of(n)))}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: {"L": items}),
        st.dictionaries(st.text(max_size=3), children, max_size=4).map(lambda entries: {"M": entries}),
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=4), values, max_size=5))
def test_item_size_adds_names_and_values(item):
    expected = sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())
    assert item_size(item) == expected


@given(st.lists(values, max_size=5), st.dictionaries(st.text(max_size=4), values, max_size=5))
def test_lists_and_maps_cost_three_bytes_plus_one_per_element(elements, entries):
    assert value_size({"L": elements}) == 3 + sum(1 + value_size(e) for e in elements)
    assert value_size({"M": entries}) == 3 + sum(
        1 + len(k.encode("utf-8")) + value_size(v) for k, v in entries.items())


# ---------------------------------------------------------------- the write path's one-walk parse

any_leaf = st.one_of(
    scalars,
    st.sampled_from([{"N": "01.50"}, {"N": "x"}, {"N": ""}, {"NULL": False}, {"BOOL": "yes"}, {"S": 5},
                     {"SS": []}, {"SS": ["a", "a"]}, {"SS": ["b", "a"]}, {"NS": ["1", "1.0"]}, {"B": "AQI="},
                     {"BS": ["AQI="]}, {}, {"S": "a", "N": "1"}, {"X": "y"}, None, "text", [], {"M": "x"},
                     {"L": {}}]),
)
any_values = st.recursive(
    any_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(lambda items: {"L": items}),
        st.dictionaries(st.text(max_size=2), children, max_size=3).map(lambda entries: {"M": entries}),
    ),
    max_leaves=8,
)


def outcome(function, *args):
    try:
        return "ok", function(*args)
    except Exception as error:  # noqa: BLE001 - compared below
        return type(error).__name__, getattr(error, "message", str(error))


@given(st.dictionaries(st.text(max_size=3), any_values, max_size=4))
def test_parse_item_agrees_with_normalize_then_size(raw):
    """parse_item's fast path gives what normalize_value and item_size give, errors included."""
    from emulator.types import parse_item

    def slow(raw_item):
        normalized = {}
        for name, value in raw_item.items():
            if value is None:
                raise ValidationException("Supplied AttributeValue is empty, must contain exactly one of the "
                                          "supported datatypes")
            normalized[name] = normalize_value(value)
        return normalized, item_size(normalized)

    def fast(raw_item):
        parsed = parse_item(raw_item)
        return parsed.check(), item_size(parsed.item)

    expected, got = outcome(slow, raw), outcome(fast, raw)
    if expected[0] == "ok" or got[0] == "ok":
        assert got == expected
    elif got[0] != expected[0]:
        # parse_item checks the rest of the item for serialization errors after the
        # first validation error; normalizing attribute by attribute stops at it.
        assert (got[0], expected[0]) == ("SerializationException", "ValidationException")
    else:
        assert got == expected


_EXACT = Context(prec=400, Emin=-999999, Emax=999999)


def _canonical(value):
    return normalize_number(str(value))


@given(st.one_of(st.integers(-10**20, 10**20), numbers.map(decimal_of)),
       st.one_of(st.integers(-10**20, 10**20), numbers.map(decimal_of)), st.booleans())
def test_update_arithmetic_matches_exact_decimal_arithmetic(a, b, negate):
    # add_numbers takes integers of up to 18 digits through int arithmetic: the result
    # must be the one exact decimal arithmetic gives, in canonical form.
    from emulator.expressions.update import add_numbers

    x, y = _canonical(a), _canonical(b)
    exact = _EXACT.subtract(Decimal(x), Decimal(y)) if negate else _EXACT.add(Decimal(x), Decimal(y))
    try:
        expected = _canonical(exact)
    except ValidationException as error:
        try:
            add_numbers(x, y, negate)
        except ValidationException as got:
            assert got.message == error.message
            return
        raise AssertionError(f"{x} {'-' if negate else '+'} {y} was not refused") from None
    assert add_numbers(x, y, negate) == expected


@given(st.one_of(st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
                 st.integers(min_value=0, max_value=10**6).map(lambda n: "0" + str(n)),
                 st.integers(min_value=1, max_value=10**6).map(lambda n: "+" + str(n))))
def test_integers_parse_to_their_canonical_text_and_size(number):
    """Parsing takes a shortcut for integers past the caches of the general path
    (numbers.is_canonical_integer, canonical_integer_size): what it gives must be what
    the general path gives, for every integer DynamoDB holds and for spellings that are
    not canonical (leading zero, plus sign)."""
    from emulator.numbers import canonical_integer_size, is_canonical_integer
    from emulator.types import _parse_value

    text = str(number)
    assert is_canonical_integer(text) == (normalize_number(text) == text)
    assert canonical_integer_size(text) in (0, number_size(normalize_number(text)))
    assert bool(canonical_integer_size(text)) == is_canonical_integer(text)
    stored, size = _parse_value({"N": text})
    assert stored == {"N": normalize_number(text)}
    assert size == number_size(normalize_number(text))
