"""The ``dynamodb-emulator`` command: argparse -> Config -> a threaded HTTP server."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import Sequence

from werkzeug.serving import BaseWSGIServer, make_server

from emulator.config import Config
from emulator.database import Regions

from .app import create_app


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="dynamodb-emulator", description="An in-memory emulator of Amazon DynamoDB."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--region", default="us-east-1", help="region for requests that name none (default us-east-1)")
    parser.add_argument(
        "--log-level", default="warning", choices=["debug", "info", "warning", "error"],
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
    return parser.parse_args(argv)


def config_from(args: argparse.Namespace) -> Config:
    return Config(
        region=args.region,
        table_creation_delay_seconds=args.table_creation_delay,
        table_deletion_delay_seconds=args.table_deletion_delay,
        index_creation_delay_seconds=args.index_creation_delay,
        ttl_sweep_interval_seconds=args.ttl_sweep_interval,
    )


def build_server(host: str, port: int, regions: Regions) -> BaseWSGIServer:
    """A threaded WSGI server for the app (no development-server banner)."""
    return make_server(host, port, create_app(regions), threaded=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    level = getattr(logging, args.log_level.upper())
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(level if level <= logging.INFO else logging.ERROR)
    regions = Regions(config_from(args))
    try:
        server = build_server(args.host, args.port, regions)
    except OSError as error:
        print(f"dynamodb-emulator: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
              file=sys.stderr)
        return 1
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"dynamodb-emulator listening on http://{host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("dynamodb-emulator stopped", flush=True)
    return 0


def serve_in_background(regions: Regions, host: str = "127.0.0.1", port: int = 0) -> tuple[BaseWSGIServer, threading.Thread]:
    """Start a server on a daemon thread (port 0: a free one); used by the pytest plugin."""
    server = build_server(host, port, regions)
    thread = threading.Thread(target=server.serve_forever, name="dynamodb-emulator", daemon=True)
    thread.start()
    return server, thread


if __name__ == "__main__":
    sys.exit(main())
