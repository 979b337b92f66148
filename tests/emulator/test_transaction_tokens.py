"""Unit tests of the ClientRequestToken store (emulator/transactions.py)."""

import pytest

from emulator import limits
from emulator.errors import IdempotentParameterMismatchException
from emulator.transactions import TokenStore, TokenUse, fingerprint, token_store


def use(request, at=0.0):
    return TokenUse(fingerprint(request), {"answer": 1}, {"t": [10]}, at)


def test_fingerprint_ignores_member_order_token_and_capacity_mode():
    one = {"TransactItems": [{"Put": {"TableName": "t", "Item": {"a": {"S": "x"}, "b": {"N": "1"}}}}],
           "ClientRequestToken": "a", "ReturnConsumedCapacity": "TOTAL"}
    two = {"ClientRequestToken": "b",
           "TransactItems": [{"Put": {"Item": {"b": {"N": "1"}, "a": {"S": "x"}}, "TableName": "t"}}]}
    assert fingerprint(one) == fingerprint(two)
    assert fingerprint(one) != fingerprint({**two, "ReturnItemCollectionMetrics": "SIZE"})


def test_fingerprint_is_the_same_for_one_content_whichever_encoder_writes_it():
    """orjson writes it where it can; what it refuses (an integer past 64 bits: the
    wire's JSON decoder reads such digits as an int) the standard library writes, the
    same way every time, so a retry of either kind matches its first use and only it."""
    big = {"TransactItems": [{"Put": {"TableName": "t", "Item": {"a": {"N": "1"}}}}], "Extra": 2 ** 70}
    reordered = {"Extra": 2 ** 70, "TransactItems": [{"Put": {"Item": {"a": {"N": "1"}}, "TableName": "t"}}]}
    assert fingerprint(big) == fingerprint(reordered)
    assert fingerprint(big) != fingerprint({**big, "Extra": 2 ** 70 + 1})
    small = {**big, "Extra": 2}
    assert fingerprint(small) == fingerprint({**reordered, "Extra": 2}) != fingerprint(big)
    nested = {"TransactItems": [{"Put": {"Item": {"m": {"M": {"z": {"S": "1"}, "a": {"S": "2"}}}}}}]}
    swapped = {"TransactItems": [{"Put": {"Item": {"m": {"M": {"a": {"S": "2"}, "z": {"S": "1"}}}}}}]}
    assert fingerprint(nested) == fingerprint(swapped)
    assert fingerprint(nested) != fingerprint({"TransactItems": [{"Put": {"Item": {"m": {"L": []}}}}]})


def test_a_token_keeps_a_digest_of_the_request_not_its_text():
    """Every boto3 transaction carries a token, kept ten minutes: a 10-put transaction's
    sorted text held ~32 KB (orjson's buffer), its SHA-256 holds 32 bytes."""
    request = {"TransactItems": [{"Put": {"TableName": "t", "Item": {"pk": {"S": f"k{i}"}, "d": {"S": "x" * 1000}}}}
                                 for i in range(10)]}
    assert len(fingerprint(request)) == 32
    assert fingerprint(request) != fingerprint({**request, "TransactItems": request["TransactItems"][:9]})


def test_find_returns_the_earlier_use_of_the_same_request():
    store = TokenStore()
    request = {"TransactItems": [1]}
    assert store.find("tok", fingerprint(request), 0.0) is None
    store.remember("tok", use(request))
    assert store.find("tok", fingerprint(request), 10.0).response == {"answer": 1}


def test_find_refuses_another_request_with_the_token():
    store = TokenStore()
    store.remember("tok", use({"TransactItems": [1]}))
    with pytest.raises(IdempotentParameterMismatchException):
        store.find("tok", fingerprint({"TransactItems": [2]}), 1.0)


def test_tokens_expire_ten_minutes_after_first_use():
    store = TokenStore()
    request = {"TransactItems": [1]}
    store.remember("old", use(request, at=0.0))
    store.remember("new", use(request, at=300.0))
    window = limits.CLIENT_REQUEST_TOKEN_TTL_SECONDS
    assert store.find("old", fingerprint(request), window - 1) is not None
    assert store.find("old", fingerprint({"other": 1}), window) is None  # expired: free again
    assert len(store) == 1
    assert store.find("new", fingerprint(request), window + 299) is not None
    assert store.find("new", fingerprint(request), window + 300) is None
    assert len(store) == 0


def test_token_store_is_per_database_and_reset_drops_it(db):
    store = token_store(db)
    assert token_store(db) is store
    db.reset()
    assert token_store(db) is not store
