"""Partitions: sort-key order within a partition, a stable hash order across partitions."""

from decimal import Decimal

from emulator.partitions import TOKEN_SPACE, Partitions, hash_token


def item(p, c=None):
    return {"p": p, "c": c}


def test_put_get_delete_and_count():
    parts = Partitions()
    assert parts.put("a", 1, item("a", 1)) is None
    assert parts.put("a", 2, item("a", 2)) is None
    first = item("a", 1)
    assert parts.put("a", 1, first) == item("a", 1)  # replaced: the old item comes back
    assert len(parts) == 2 and parts.partition_count() == 1
    assert parts.get("a", 1) is first
    assert parts.get("a", 3) is None and parts.get("b", 1) is None
    assert parts.delete("a", 3) is None and parts.delete("b") is None
    assert parts.delete("a", 1) is first
    parts._check()
    assert parts.delete("a", 2) == item("a", 2)
    assert len(parts) == 0 and parts.partition_count() == 0
    parts._check()


def test_hash_only_items_use_the_sort_key_none():
    parts = Partitions()
    parts.put("a", None, item("a"))
    assert parts.get("a") == item("a")
    assert parts.delete("a") == item("a")
    parts._check()


def test_numbers_sort_numerically():
    parts = Partitions()
    for text in ("10", "9", "-1", "0.5", "1E+2", "-100", "0"):
        parts.put("p", Decimal(text), item("p", text))
    assert [i["c"] for i in parts.partition("p").values()] == ["-100", "-1", "0", "0.5", "9", "10", "1E+2"]
    parts._check()


def test_strings_sort_by_utf8_bytes():
    parts = Partitions()
    words = ["b", "a", "B", "\u00e9", "\U0001f600", "\uffff", "aa", ""]
    for word in words:
        parts.put("p", word, item("p", word))
    ordered = [i["c"] for i in parts.partition("p").values()]
    assert ordered == sorted(words, key=lambda w: w.encode("utf-8"))


def test_binaries_sort_as_unsigned_bytes():
    parts = Partitions()
    values = [b"\x80", b"\x00", b"\x7f", b"\xff\x00", b"", b"\x00\x00"]
    for value in values:
        parts.put("p", value, item("p", value))
    assert [i["c"] for i in parts.partition("p").values()] == [b"", b"\x00", b"\x00\x00", b"\x7f", b"\x80", b"\xff\x00"]


def test_hash_tokens_are_stable_and_equal_for_equal_numbers():
    assert hash_token("abc") == hash_token("abc")
    assert hash_token(Decimal("1")) == hash_token(Decimal("1.0")) == hash_token(Decimal("1E+0"))
    assert hash_token("1") != hash_token(Decimal("1")) != hash_token(b"1")
    assert 0 <= hash_token(b"\x00") < TOKEN_SPACE


def filled(n=50, per=3):
    parts = Partitions()
    for p in range(n):
        for c in range(per):
            parts.put(f"k{p}", c, item(f"k{p}", c))
    return parts


def test_scan_walks_every_item_once_in_token_order():
    parts = filled()
    seen = [(i["p"], i["c"]) for i in parts.scan()]
    assert sorted(seen) == sorted((f"k{p}", c) for p in range(50) for c in range(3))
    tokens = [hash_token(p) for p, _ in seen]
    assert tokens == sorted(tokens)
    assert list(parts.scan()) == list(parts.scan())


def test_scan_resumes_after_any_item():
    parts = filled(20, 2)
    everything = list(parts.scan())
    for position, last in enumerate(everything):
        assert list(parts.scan(start=(last["p"], last["c"]))) == everything[position + 1:]


def test_scan_resumes_after_a_deleted_start_item():
    parts = filled(20, 2)
    everything = list(parts.scan())
    last = everything[10]
    parts.delete(last["p"], last["c"])
    assert list(parts.scan(start=(last["p"], last["c"]))) == everything[11:]


def test_token_ranges_split_the_scan_into_disjoint_segments():
    parts = filled(100, 1)
    quarter = TOKEN_SPACE // 4
    segments = [list(parts.scan(token_range=(i * quarter, (i + 1) * quarter if i < 3 else TOKEN_SPACE)))
                for i in range(4)]
    assert sum(segments, []) == list(parts.scan())
    # a start key from another segment's range does not leak items into this one
    first_of_second = segments[1][0]
    assert list(parts.scan(start=(first_of_second["p"], None), token_range=(0, quarter))) == []


def test_items_yields_everything():
    parts = filled(5, 2)
    assert len(list(parts.items())) == 10
