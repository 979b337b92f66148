"""Start-up costs. Targets (issue 8): the server ready in under 1 s; the pytest plugin
adding under 0.3 s to a session. Also what each further test using the ``dynamodb``
fixture costs, which is what a suite of thousands of small tests pays.

    python -m bench startup [--runs 5]

- server ready: from spawning ``python -m server --port 0`` until its first answer to a
  (signed) ListTables over HTTP;
- pytest plugin: the wall time of a pytest session (a subprocess, in an empty directory)
  whose one test uses the ``dynamodb`` fixture (create a table, put and get an item),
  minus that of a session with the plugin disabled (``-p no:dynamodb_emulator``) whose
  test makes a boto3 client itself: what the plugin adds beyond boto3, which a user of
  the fixtures imports anyway. Also shown: an idle session (plugin installed, unused).
- per test: a session of :data:`MANY` such tests (each with its own client, table, put
  and get) minus the session of one, divided by the tests added;
- a small test's boto3 work in process (a new client, CreateTable, PutItem, GetItem,
  then emptying the emulator), in one process and interleaved: through an
  :class:`~server.inprocess.EmulatedSession`, whose clients share botocore's
  translations of event names (:mod:`server.client_events`), and through a plain boto3
  session routed to the same emulator, whose clients each translate their own.

Each figure is the median of ``--runs`` runs (the sessions take turns, one of each kind
a round; an added time is the median of the rounds' differences), after one untimed run
of each that leaves the bytecode cache (``__pycache__``) written, as it is on any
machine that has imported the emulator once. The subprocesses run without ``PYTHONDONTWRITEBYTECODE``, which some CI
images set: with it every start compiles the emulator's modules from source again
(measured here: server ready 0.46 s instead of 0.25, the plugin adding 0.44 s instead of
0.05), which is not what a user's session pays.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Sequence

from .stats import render
from .targets import REPO

#: The environment of the measured processes: bytecode caching on (see above).
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

_SIGNED = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables",
           "X-Amz-Date": "20240101T000000Z",
           "Authorization": "AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
                            "SignedHeaders=host, Signature=0"}

FIXTURE_TEST = '''
def test_put_get(dynamodb):
    dynamodb.create_table(TableName="users", BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    dynamodb.put_item(TableName="users", Item={"id": {"S": "1"}})
    assert dynamodb.get_item(TableName="users", Key={"id": {"S": "1"}})["Item"]
'''
BOTO3_TEST = '''
import boto3

def test_client():
    assert boto3.client("dynamodb", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                        aws_access_key_id="x", aws_secret_access_key="x")
'''
#: Tests in the session that measures the cost of one more test.
MANY = 200
MANY_TESTS = "import pytest\n\n@pytest.mark.parametrize('n', range(%d))" % MANY + FIXTURE_TEST.replace(
    "test_put_get(dynamodb)", "test_put_get(dynamodb, n)")
IDLE_TEST = '''
def test_nothing():
    pass
'''


def server_ready_seconds() -> float:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "server", "--port", "0"], cwd=REPO, env=_ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()  # "dynamodb-emulator listening on http://127.0.0.1:PORT"
        port = int(line.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("POST", "/", body=b"{}", headers=_SIGNED)
        response = connection.getresponse()
        assert response.status == 200, response.read()
        response.read()
        elapsed = time.perf_counter() - start
        connection.close()
        return elapsed
    finally:
        process.terminate()
        process.wait()


def pytest_seconds(directory: str, source: str, *options: str) -> float:
    path = os.path.join(directory, "test_startup_probe.py")
    with open(path, "w") as out:
        out.write(source)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, path],
                   cwd=directory, env=_ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def small_test_seconds(rounds: int = 300) -> dict[str, float]:
    """Median seconds of a small test's boto3 work, by kind of session (see above)."""
    import boto3

    from server.inprocess import ENDPOINT_URL, EmulatedSession, InProcessTransport

    emulated = EmulatedSession()
    plain = boto3.session.Session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    InProcessTransport(emulated.emulator).register(plain.events)
    sessions = {"small test in process, clients sharing event names": emulated.client,
                "small test in process, each client on its own": plain.client}

    def small_test(make_client: Any) -> float:
        start = time.perf_counter()
        client = make_client("dynamodb", endpoint_url=ENDPOINT_URL)
        client.create_table(TableName="users", BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        client.put_item(TableName="users", Item={"id": {"S": "1"}})
        assert client.get_item(TableName="users", Key={"id": {"S": "1"}})["Item"]
        emulated.emulator.reset()
        return time.perf_counter() - start

    times: dict[str, list[float]] = {name: [] for name in sessions}
    for round_number in range(rounds + 20):
        for name, make_client in sessions.items():
            seconds = small_test(make_client)
            if round_number >= 20:  # the first rounds warm both sessions' caches
                times[name].append(seconds)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def measure(runs: int) -> dict[str, float]:
    server_ready_seconds()  # untimed: writes the bytecode cache
    results = {"server ready": statistics.median(server_ready_seconds() for _ in range(runs))}
    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "pytest.ini"), "w") as ini:
            ini.write("[pytest]\n")
        sessions = {
            "pytest, no plugin, boto3 client": (BOTO3_TEST, "-p", "no:dynamodb_emulator"),
            "pytest, plugin idle": (IDLE_TEST,),
            "pytest, no plugin, idle": (IDLE_TEST, "-p", "no:dynamodb_emulator"),
            "pytest, dynamodb fixture": (FIXTURE_TEST,),
            f"pytest, dynamodb fixture, {MANY} tests": (MANY_TESTS,),
        }
        for source, *options in sessions.values():
            pytest_seconds(directory, source, *options)  # warm the file system and bytecode caches
        # Round after round, one session of each kind: the machine's drifts (a pytest
        # session took 0.7 s and 0.9 s minutes apart here) fall on all kinds alike.
        times: dict[str, list[float]] = {name: [] for name in sessions}
        for _ in range(runs):
            for name, (source, *options) in sessions.items():
                times[name].append(pytest_seconds(directory, source, *options))
    results.update((name, statistics.median(seconds)) for name, seconds in times.items())
    results["plugin adds (fixture session - boto3 session)"] = _median_difference(
        times["pytest, dynamodb fixture"], times["pytest, no plugin, boto3 client"])
    results["plugin adds when unused (idle - idle without)"] = _median_difference(
        times["pytest, plugin idle"], times["pytest, no plugin, idle"])
    results["per test with the dynamodb fixture"] = _median_difference(
        times[f"pytest, dynamodb fixture, {MANY} tests"], times["pytest, dynamodb fixture"]) / (MANY - 1)
    results.update(small_test_seconds())
    return results


def _median_difference(with_plugin: list[float], without: list[float]) -> float:
    """The median of the rounds' differences: each pair ran seconds apart."""
    return statistics.median(a - b for a, b in zip(with_plugin, without))


TARGETS = {"server ready": 1.0, "plugin adds (fixture session - boto3 session)": 0.3,
           "plugin adds when unused (idle - idle without)": 0.3}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = measure(args.runs)
    rows = [[name, f"{seconds:.3f}" if seconds >= 0.1 else f"{seconds:.4f}", f"< {TARGETS[name]}" if name in TARGETS else "",
             ("met" if seconds < TARGETS[name] else "MISSED") if name in TARGETS else ""]
            for name, seconds in results.items()]
    print(render("Start-up (seconds, median)", ["what", "s", "target", ""], rows))
    return 0
