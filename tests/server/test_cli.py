"""The ``dynamodb-emulator`` command, run as a real process (``python -m server``)."""

from __future__ import annotations

import json
import re
import selectors
import signal
import socket
import subprocess
import sys
import urllib.request
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from server import wire_json
from server.cli import build_parser, endpoint_url, main, parse_args

URL_LINE = re.compile(r"^dynamodb-emulator listening on (http://127\.0\.0\.1:(\d+))$")
# Protection against a hung child only; no test measures time.
HANG_GUARD_SECONDS = 30


def _read_line(stream) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(HANG_GUARD_SECONDS):
            raise AssertionError("the emulator printed nothing")
    return stream.readline().rstrip("\n")


def _start(*args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = _read_line(process.stdout)
    match = URL_LINE.match(line)
    if not match:
        process.kill()
        raise AssertionError(f"unexpected first line {line!r}; stderr: {process.stderr.read()}")
    return process, match.group(1)


def _stop(process: subprocess.Popen, signum: int) -> tuple[int, str, str]:
    process.send_signal(signum)
    try:
        out, err = process.communicate(timeout=HANG_GUARD_SECONDS)
    finally:
        process.kill()
    return process.returncode, out, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_cli_prints_url_serves_and_stops_cleanly(signum):
    process, url = _start()
    with urllib.request.urlopen(url + "/", timeout=HANG_GUARD_SECONDS) as response:
        assert response.status == 200
        assert response.read() == b"healthy: dynamodb.us-east-1.amazonaws.com "
    returncode, out, err = _stop(process, signum)
    assert returncode == 0
    assert out == "dynamodb-emulator stopped\n"
    assert err == ""  # no banner, no request log at the default level, no traceback


def test_cli_answers_dynamodb_requests_through_boto3():
    import boto3

    process, url = _start("--region", "eu-west-3")
    try:
        client = boto3.client("dynamodb", endpoint_url=url, region_name="ap-southeast-2",
                              aws_access_key_id="any", aws_secret_access_key="any")
        assert client.list_tables()["TableNames"] == []
        with urllib.request.urlopen(url + "/", timeout=HANG_GUARD_SECONDS) as response:
            assert response.read() == b"healthy: dynamodb.eu-west-3.amazonaws.com "
    finally:
        assert _stop(process, signal.SIGINT)[0] == 0


def test_cli_log_level_info_logs_each_request():
    process, url = _start("--log-level", "INFO")
    urllib.request.urlopen(url + "/", timeout=HANG_GUARD_SECONDS).read()
    returncode, out, err = _stop(process, signal.SIGINT)
    assert returncode == 0
    assert '"GET / HTTP/1.1" 200' in err
    assert "Traceback" not in err


def test_cli_busy_port_is_a_one_line_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "server", "--port", str(port)],
                                capture_output=True, text=True, timeout=HANG_GUARD_SECONDS)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"dynamodb-emulator: cannot listen on 127.0.0.1:{port}: ")
    assert "in use" in lines[0]


def test_cli_address_that_is_not_local_is_a_one_line_error():
    # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to this machine.
    result = subprocess.run([sys.executable, "-m", "server", "--host", "192.0.2.1", "--port", "0"],
                            capture_output=True, text=True, timeout=HANG_GUARD_SECONDS)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("dynamodb-emulator: cannot listen on 192.0.2.1:0: ")


def test_cli_rejects_an_unknown_log_level():
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--log-level", "loud"])
    assert exit_info.value.code == 2


def test_cli_defaults():
    args = parse_args([])
    assert (args.host, args.port, args.region, args.log_level) == ("127.0.0.1", 8000, "us-east-1", "warning")


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "lots"])
def test_cli_read_cache_must_be_a_size(value):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--read-cache-mb", value])
    assert exit_info.value.code == 2


def test_cli_read_cache_sets_the_bytes_of_item_text_kept(monkeypatch):
    from server import httpserver, stored_json

    def no_server(*args):
        raise OSError("not this time")

    monkeypatch.setattr(httpserver, "build_server", no_server)
    before = stored_json.ANSWERS.budget
    assert parse_args([]).read_cache_mb == 64
    try:
        assert main(["--port", "0", "--read-cache-mb", "0.5"]) == 1
        expected = 512 * 1024 if wire_json.ACCELERATED else 0
        assert stored_json.ANSWERS.budget == expected
    finally:
        stored_json.ANSWERS.set_budget(before)


def test_cli_freezes_what_exists_before_it_serves(monkeypatch, capsys):
    """The objects made while starting (~39k) are left out of garbage collections."""
    import gc

    from server import httpserver

    frozen_while_serving = []

    class Server:
        server_port = 1

        def serve_forever(self):
            frozen_while_serving.append(gc.get_freeze_count())
            raise KeyboardInterrupt

        def server_close(self):
            pass

    monkeypatch.setattr(httpserver, "build_server", lambda *args: Server())
    monkeypatch.setattr("server.cli.start_background_work", lambda *args: None)
    monkeypatch.setattr("server.cli._stop_on_sigterm", lambda: None)
    try:
        assert gc.get_freeze_count() == 0
        assert main(["--port", "0"]) == 0
    finally:
        gc.unfreeze()
    assert frozen_while_serving and frozen_while_serving[0] > 10_000


def test_cli_endpoint_url_for_wildcard_and_ipv6_hosts():
    assert endpoint_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert endpoint_url("::1", 8000) == "http://[::1]:8000"
    assert endpoint_url("localhost", 9) == "http://localhost:9"


def test_cli_console_script_is_registered():
    scripts = {entry.name: entry.value for entry in entry_points(group="console_scripts")}
    assert scripts["dynamodb-emulator"] == "server.cli:main"


def test_cli_module_imports_no_heavy_dependency():
    # Start-up speed: parsing arguments needs neither the engine nor Flask nor boto3.
    code = ("import json, sys, server.cli; "
            "print(json.dumps(sorted(m for m in ('flask', 'werkzeug', 'emulator', 'boto3', 'botocore') "
            "if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def _options() -> list[str]:
    return [option for action in build_parser()._actions for option in action.option_strings
            if option.startswith("--") and option != "--help"]


def test_cli_help_lists_every_option():
    result = subprocess.run([sys.executable, "-m", "server", "--help"], capture_output=True, text=True,
                            check=True, timeout=HANG_GUARD_SECONDS)
    for option in _options():
        assert option in result.stdout


def test_cli_readme_section_documents_every_option():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("<!-- cli:start -->")[1].split("<!-- cli:end -->")[0]
    documented = set(re.findall(r"^\| `(--[a-z-]+)", section, flags=re.M))
    assert documented == set(_options())
