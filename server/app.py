"""The Flask app: ``POST /`` speaks the DynamoDB JSON protocol, ``GET /`` is a health check."""

from __future__ import annotations

from flask import Flask, Response, request

from emulator.config import Config
from emulator.database import Regions

from . import protocol


def create_app(regions: Regions | None = None, config: Config | None = None) -> Flask:
    app = Flask("dynamodb_emulator")
    app.config["REGIONS"] = regions = regions or Regions(config)

    @app.post("/")
    def dynamodb() -> Response:
        status, headers, body = protocol.handle(
            regions, request.headers.get("X-Amz-Target"), request.get_data(), request.headers
        )
        return Response(body, status=status, headers=headers)

    @app.get("/")
    def health() -> Response:
        return Response('{"status":"ok"}', status=200, content_type="application/json")

    return app
