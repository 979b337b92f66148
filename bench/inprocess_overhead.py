#!/usr/bin/env python3
"""What the in-process transport costs on top of boto3 itself.

Two clients, configured as in /work/shared/bench/ddbbench.py:

- ``floor``: a ``before-send`` handler returns a canned response. The canned body is the
  emulator's own answer to the same request (captured once), so both clients parse the
  same bytes: the floor is pure boto3/botocore client cost.
- ``inprocess``: :mod:`server.inprocess`, the full emulator behind the same client.

Calls alternate between the two (a few hundred per round, many rounds), and the report
gives the median time per call and the ratio inprocess / floor per operation.

    python bench/inprocess_overhead.py [--rounds 15] [--calls 200]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import zlib

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from server.inprocess import ENDPOINT_URL, InProcessTransport, _RawBody
from emulator.database import Regions

TABLE = "bench"
PAYLOAD = "x" * 930


def _client() -> object:
    config = Config(region_name="us-east-1", retries={"mode": "standard", "total_max_attempts": 1},
                    parameter_validation=True)
    return boto3.session.Session().client(
        "dynamodb", endpoint_url=ENDPOINT_URL, region_name="us-east-1",
        aws_access_key_id="bench", aws_secret_access_key="bench", config=config)


class Floor:
    """A before-send handler replaying one canned (status, body) pair: the current workload's."""

    def __init__(self) -> None:
        self.canned: dict[str, tuple[int, bytes]] = {}
        self.current = ""

    def __call__(self, request, **kwargs):
        status, body = self.canned[self.current]
        headers = {"x-amzn-requestid": "FLOOR" * 10 + "00", "content-type": "application/x-amz-json-1.0",
                   "x-amz-crc32": str(zlib.crc32(body))}
        return AWSResponse(request.url, status, headers, _RawBody(body))


def _item(i: int) -> dict:
    return {"pk": {"S": f"p{i % 100:03d}"}, "sk": {"S": f"s{i:08d}"}, "n": {"N": str(i)},
            "data": {"S": PAYLOAD}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()

    regions = Regions()
    emulated = _client()
    InProcessTransport(regions).attach(emulated)
    floor_handler = Floor()
    floor = _client()
    floor.meta.events.register("before-send", floor_handler)

    emulated.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}])
    for i in range(2000):
        emulated.put_item(TableName=TABLE, Item=_item(i))

    workloads = {
        "GetItem": lambda c, i: c.get_item(TableName=TABLE, Key={"pk": _item(i)["pk"], "sk": _item(i)["sk"]}),
        "PutItem": lambda c, i: c.put_item(TableName=TABLE, Item=_item(i)),
        "DescribeTable": lambda c, i: c.describe_table(TableName=TABLE),
        "GetItem (missing table)": lambda c, i: _swallow(c.get_item, TableName="missing", Key={"pk": {"S": "a"}}),
    }
    # The floor replays the emulator's own answer to each workload's request.
    transport = InProcessTransport(regions)
    for name, call in workloads.items():
        answers = []
        recorder = _client()
        recorder.meta.events.register("before-send", lambda request, **kw: answers.append(transport(request)) or answers[-1])
        call(recorder, 7)
        floor_handler.canned[name] = (answers[-1].status_code, answers[-1].content)

    results: dict[str, dict[str, list[float]]] = {name: {"floor": [], "inprocess": []} for name in workloads}
    for round_number in range(args.rounds):
        for name, call in workloads.items():
            order = [("floor", floor), ("inprocess", emulated)]
            if round_number % 2:
                order.reverse()
            floor_handler.current = name
            for label, client in order:
                gc.collect()
                start = time.perf_counter()
                for i in range(args.calls):
                    call(client, i)
                results[name][label].append((time.perf_counter() - start) / args.calls)

    print(f"{'operation':<26}{'floor µs':>10}{'inprocess µs':>14}{'ratio':>8}")
    for name, per in results.items():
        f, e = statistics.median(per["floor"]) * 1e6, statistics.median(per["inprocess"]) * 1e6
        print(f"{name:<26}{f:>10.1f}{e:>14.1f}{e / f:>8.2f}")


def _swallow(call, **kwargs):
    try:
        call(**kwargs)
    except Exception:  # noqa: BLE001 - the error path is what is measured
        pass


if __name__ == "__main__":
    main()
