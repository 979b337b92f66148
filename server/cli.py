"""The ``dynamodb-emulator`` command: argparse -> Config -> a threaded HTTP server.

Start-up time matters (the server is started by test runs and scripts), so this module
imports only the standard library; the engine, Flask and werkzeug are imported once the
arguments are parsed (``--help`` and argument errors never pay for them).
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from emulator.config import Config
    from emulator.database import Regions

    from .httpserver import EmulatorServer

LOG_LEVELS = ("debug", "info", "warning", "error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dynamodb-emulator", description="An in-memory emulator of Amazon DynamoDB."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    parser.add_argument("--region", default="us-east-1",
                        help="region for requests whose signature names none (default us-east-1)")
    parser.add_argument("--account-id", default="123456789012", metavar="ID",
                        help="account id in ARNs; ARNs of other accounts are refused (default 123456789012)")
    parser.add_argument(
        "--log-level", default="warning", type=str.lower, choices=LOG_LEVELS,
        help="logging verbosity (default warning); info logs every request",
    )
    parser.add_argument("--table-creation-delay", type=float, default=0.0, metavar="SECONDS",
                        help="seconds a new table stays CREATING (default 0)")
    parser.add_argument("--table-deletion-delay", type=float, default=0.0, metavar="SECONDS",
                        help="seconds a deleted table stays visible as DELETING (default 0)")
    parser.add_argument("--index-creation-delay", type=float, default=0.0, metavar="SECONDS",
                        help="seconds a new global secondary index stays CREATING (default 0)")
    parser.add_argument("--ttl-sweep-interval", type=float, default=1.0, metavar="SECONDS",
                        help="how often expired TTL items are deleted (default 1; 0 disables)")
    parser.add_argument("--read-cache-mb", type=_megabytes, default=64, metavar="MB",
                        help="MB of stored items' JSON text kept to answer later reads of them faster "
                             "(default 64; 0 keeps none)")
    parser.add_argument("--stream-trigger", action="append", default=[], type=_stream_trigger, metavar="TABLE=URL",
                        help="POST the stream records of TABLE to URL as Lambda events (repeatable)")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def _megabytes(text: str) -> float:
    value = float(text)
    if not 0 <= value < float("inf"):  # NaN too
        raise argparse.ArgumentTypeError(f"expected a number of MB, 0 or more, got {text!r}")
    return value


def _stream_trigger(spec: str) -> tuple[str, str]:
    """``TABLE=URL`` of --stream-trigger (see emulator/triggers.py)."""
    table_name, _, url = spec.partition("=")
    if not table_name or not url.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected TABLE=URL with an http(s) URL, got {spec!r}")
    return table_name, url


def start_background_work(regions: Regions, stream_triggers: Sequence[tuple[str, str]] = ()) -> None:
    """The server's background work: the TTL sweeper and the --stream-trigger deliveries
    (subscribed in the default region)."""
    from emulator import triggers, ttl

    for table_name, url in stream_triggers:
        triggers.subscribe(regions.get(), table_name, url)
    ttl.start_sweeper(regions)


def config_from(args: argparse.Namespace) -> Config:
    from emulator.config import Config

    return Config(
        region=args.region,
        account_id=args.account_id,
        table_creation_delay_seconds=args.table_creation_delay,
        table_deletion_delay_seconds=args.table_deletion_delay,
        index_creation_delay_seconds=args.index_creation_delay,
        ttl_sweep_interval_seconds=args.ttl_sweep_interval,
    )


def _configure_logging(level_name: str) -> None:
    import logging

    # At INFO, the HTTP server (logger dynamodb_emulator.http) logs every request line.
    logging.basicConfig(level=getattr(logging, level_name.upper()),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _stop_on_sigterm() -> None:
    """SIGTERM (``docker stop``, ``kill``) stops the server as Ctrl-C does."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def endpoint_url(host: str, port: int) -> str:
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1" if host != "::" else "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    _configure_logging(args.log_level)
    from emulator.database import Regions

    from . import stored_json
    from .httpserver import build_server

    stored_json.ANSWERS.set_budget(int(args.read_cache_mb * 1024 * 1024))
    regions = Regions(config_from(args))
    try:
        server = build_server(args.host, args.port, regions)
    except OSError as error:  # port taken, address not local, unknown host name, ...
        reason = error.strerror or error
        print(f"dynamodb-emulator: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 1
    start_background_work(regions, args.stream_trigger)
    _stop_on_sigterm()
    # What exists now (modules, classes, functions, the app: ~39k objects) lives as long
    # as the process, yet every full collection of the cyclic garbage collector walked
    # it again: 15-25 ms a collection on the bench machine. Frozen, it is left out of
    # collections (and is never collected, which it would not be anyway).
    gc.freeze()
    print(f"dynamodb-emulator listening on {endpoint_url(args.host, server.server_port)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("dynamodb-emulator stopped", flush=True)
    return 0


def serve_in_background(
    regions: Regions, host: str = "127.0.0.1", port: int = 0
) -> tuple[EmulatorServer, threading.Thread]:
    """Start a server on a daemon thread (port 0: a free one); see :mod:`server.httpserver`."""
    from .httpserver import serve_in_background as serve

    return serve(regions, host, port)


if __name__ == "__main__":
    sys.exit(main())
