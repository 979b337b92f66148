"""The server's side of streams and TTL: --stream-trigger and the background work it starts."""

import pytest

from emulator import Config, Regions, api
from server.cli import parse_args, start_background_work


def test_stream_trigger_flag_is_repeatable():
    args = parse_args(["--stream-trigger", "orders=http://127.0.0.1:9000/hook",
                       "--stream-trigger", "t.2=https://example.com/a=b"])
    assert args.stream_trigger == [("orders", "http://127.0.0.1:9000/hook"), ("t.2", "https://example.com/a=b")]
    assert parse_args([]).stream_trigger == []


@pytest.mark.parametrize("spec", ["orders", "=http://x", "orders=ftp://x", "orders="])
def test_stream_trigger_flag_rejects_malformed_specs(spec, capsys):
    with pytest.raises(SystemExit) as info:
        parse_args(["--stream-trigger", spec])
    assert info.value.code == 2
    assert "expected TABLE=URL" in capsys.readouterr().err


def test_background_work_delivers_triggers_over_http(collector):
    url, received = collector
    regions = Regions(Config(ttl_sweep_interval_seconds=0))
    start_background_work(regions, [("orders", url)])
    db = regions.get()
    api.call(db, "CreateTable", {
        "TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    })
    api.call(db, "PutItem", {"TableName": "orders", "Item": {"id": {"S": "o1"}}})
    assert received.arrived.wait(30)
    [(content_type, event)] = received.bodies
    assert content_type == "application/json"
    assert event["Records"][0]["dynamodb"]["NewImage"] == {"id": {"S": "o1"}}
