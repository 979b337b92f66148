"""Isolation under concurrency, over the real HTTP server (issue 6, item 5).

Several threads, each with its own boto3 client, hammer one table at once:

* transfer threads move random amounts between accounts with TransactWriteItems (a
  conditional debit and a credit, each counting itself in ``txns``), sending every
  transfer twice under one ClientRequestToken as a client retry would;
* single-item threads bump a ``touches`` counter on random accounts with UpdateItem;
* a reader takes TransactGetItems snapshots of every account.

Transactions and single-item writes are serializable against each other (api.call holds
the Database lock), so: every snapshot, and the end state, holds the starting total; no
increment of ``txns`` or ``touches`` is lost or doubled. The loops are bounded, nothing
sleeps, nothing is timed.
"""

from __future__ import annotations

import random
import threading
import uuid
from decimal import Decimal

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from emulator.database import Regions
from server.cli import serve_in_background

TABLE = "accounts"
ACCOUNTS = [f"acct{i}" for i in range(5)]
START_BALANCE = 100
TRANSFER_THREADS, TRANSFERS = 3, 40
TOUCH_THREADS, TOUCHES = 2, 40
SNAPSHOTS = 40


@pytest.fixture(scope="module")
def endpoint():
    server, thread = serve_in_background(Regions())
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def make_client(endpoint):
    """One client per thread (no retries, so every request is sent exactly as written)."""
    session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1")
    return session.client("dynamodb", endpoint_url=endpoint,
                          config=Config(retries={"max_attempts": 0}, read_timeout=60))


def transfer_request(source, target, amount, token):
    value = {":a": {"N": str(amount)}, ":one": {"N": "1"}}
    return {"ClientRequestToken": token, "TransactItems": [
        {"Update": {"TableName": TABLE, "Key": {"p": {"S": source}},
                    "UpdateExpression": "SET bal = bal - :a ADD txns :one", "ConditionExpression": "bal >= :a",
                    "ExpressionAttributeValues": value}},
        {"Update": {"TableName": TABLE, "Key": {"p": {"S": target}},
                    "UpdateExpression": "SET bal = bal + :a ADD txns :one", "ExpressionAttributeValues": value}},
    ]}


def run_transfers(client, rng, applied, errors):
    for _ in range(TRANSFERS):
        source, target = rng.sample(ACCOUNTS, 2)
        request = transfer_request(source, target, rng.randint(1, 60), str(uuid.uuid4()))
        succeeded = False
        for _attempt in range(2):  # the same request and token twice: at most one write
            try:
                client.transact_write_items(**request)
                succeeded = True
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    errors.append(error)
        applied.append(succeeded)


def run_touches(client, rng, errors):
    for _ in range(TOUCHES):
        try:
            client.update_item(TableName=TABLE, Key={"p": {"S": rng.choice(ACCOUNTS)}},
                               UpdateExpression="ADD touches :one", ExpressionAttributeValues={":one": {"N": "1"}})
        except ClientError as error:  # pragma: no cover - reported by the test
            errors.append(error)


def run_snapshots(client, totals, errors):
    items = [{"Get": {"TableName": TABLE, "Key": {"p": {"S": name}}}} for name in ACCOUNTS]
    for _ in range(SNAPSHOTS):
        try:
            responses = client.transact_get_items(TransactItems=items)["Responses"]
            totals.append(sum(Decimal(entry["Item"]["bal"]["N"]) for entry in responses))
        except ClientError as error:  # pragma: no cover - reported by the test
            errors.append(error)


def test_transfers_keep_the_total_and_lose_no_update(endpoint):
    setup = make_client(endpoint)
    setup.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
                       BillingMode="PAY_PER_REQUEST")
    for name in ACCOUNTS:
        setup.put_item(TableName=TABLE, Item={"p": {"S": name}, "bal": {"N": str(START_BALANCE)},
                                              "txns": {"N": "0"}, "touches": {"N": "0"}})
    total = START_BALANCE * len(ACCOUNTS)
    applied: list[bool] = []
    totals: list[Decimal] = []
    errors: list[Exception] = []
    threads = []
    for seed in range(TRANSFER_THREADS):
        threads.append(threading.Thread(target=run_transfers,
                                        args=(make_client(endpoint), random.Random(seed), applied, errors)))
    for seed in range(TOUCH_THREADS):
        threads.append(threading.Thread(target=run_touches,
                                        args=(make_client(endpoint), random.Random(100 + seed), errors)))
    threads.append(threading.Thread(target=run_snapshots, args=(make_client(endpoint), totals, errors)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(applied) == TRANSFER_THREADS * TRANSFERS and len(totals) == SNAPSHOTS
    assert set(totals) == {total}
    final = setup.scan(TableName=TABLE, ConsistentRead=True)["Items"]
    assert sum(Decimal(item["bal"]["N"]) for item in final) == total
    assert all(Decimal(item["bal"]["N"]) >= 0 for item in final)
    assert sum(int(item["txns"]["N"]) for item in final) == 2 * sum(applied)
    assert sum(int(item["touches"]["N"]) for item in final) == TOUCH_THREADS * TOUCHES
    assert sum(applied) > 0  # transfers did go through
