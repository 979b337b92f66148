import http.server
import json
import threading

import pytest

from emulator import api


@pytest.fixture
def streams_call(db):
    """Run a DynamoDB Streams operation on the fixture database."""

    def run(operation, request):
        return api.call(db, operation, request, streams=True)

    return run


@pytest.fixture
def stream_table(call):
    """Create a table with a stream: stream_table("t", "NEW_AND_OLD_IMAGES", pk="S") -> stream ARN."""

    def create(name="tbl", view_type="NEW_AND_OLD_IMAGES", **keys):
        keys = keys or {"pk": "S"}
        definitions, schema = [], []
        for position, (attr, kind) in enumerate(keys.items()):
            definitions.append({"AttributeName": attr, "AttributeType": kind})
            schema.append({"AttributeName": attr, "KeyType": "HASH" if position == 0 else "RANGE"})
        response = call("CreateTable", {
            "TableName": name, "KeySchema": schema, "AttributeDefinitions": definitions,
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": view_type},
        })
        return response["TableDescription"]["LatestStreamArn"]

    return create


@pytest.fixture
def read_stream(streams_call):
    """Every record of a stream from TRIM_HORIZON, over all its shards."""

    def read(arn):
        records = []
        for shard in streams_call("DescribeStream", {"StreamArn": arn})["StreamDescription"]["Shards"]:
            iterator = streams_call("GetShardIterator", {
                "StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON",
            })["ShardIterator"]
            while iterator:
                page = streams_call("GetRecords", {"ShardIterator": iterator})
                records.extend(page["Records"])
                if not page["Records"]:
                    break
                iterator = page.get("NextShardIterator")
        return records

    return read


class _Collector(http.server.BaseHTTPRequestHandler):
    bodies: list = []
    arrived = threading.Event()

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).bodies.append((self.headers["Content-Type"], json.loads(self.rfile.read(length))))
        self.send_response(200)
        self.end_headers()
        type(self).arrived.set()

    def log_message(self, *args):
        pass


@pytest.fixture
def collector():
    _Collector.bodies = []
    _Collector.arrived = threading.Event()
    server = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/events", _Collector
    server.shutdown()
    thread.join(5)
