"""The Flask app: ``POST /`` speaks the DynamoDB JSON protocol, ``GET /`` is a health check.

Everything about the protocol lives in :mod:`server.protocol`; this view only moves bytes
between HTTP and :func:`protocol.handle`. Other methods and paths get DynamoDB's 404,
except a CORS preflight (OPTIONS with an Origin).
"""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from emulator.config import Config
from emulator.database import Regions

from . import protocol


def _status_line(status: int) -> str:
    # werkzeug would send "400 BAD REQUEST"; DynamoDB's reason phrases are capitalized.
    return f"{status} {HTTPStatus(status).phrase}"


_STATUS_LINES = {status: _status_line(status) for status in (200, 400, 404, 413, 500)}


def status_reason(status: int) -> str:
    """The reason phrase of the status line DynamoDB sends (e.g. "Bad Request")."""
    return (_STATUS_LINES.get(status) or _status_line(status)).partition(" ")[2]


def _response(answer: protocol.Response) -> Response:
    status, headers, body = answer
    return Response(body, status=_STATUS_LINES.get(status) or _status_line(status), headers=headers)


def create_app(regions: Regions | None = None, config: Config | None = None) -> Flask:
    app = Flask("dynamodb_emulator")
    app.config["REGIONS"] = regions = regions or Regions(config)
    # DynamoDB refuses a body over 16 MiB with a bare 413 (dynalite test/connection.js).
    app.config["MAX_CONTENT_LENGTH"] = protocol.MAX_REQUEST_BYTES
    app.register_error_handler(RequestEntityTooLarge, lambda error: Response(b"", status=_STATUS_LINES[413]))

    @app.route("/", methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    def dynamodb() -> Response:
        if request.method == "POST":
            return _response(protocol.handle(
                regions, request.headers.get("X-Amz-Target"), request.get_data(),
                request.headers, request.query_string.decode("latin-1"),
            ))
        if request.method == "GET":
            return _response(protocol.health(regions))
        if request.method == "OPTIONS" and request.headers.get("Origin"):
            return _response(protocol.preflight(request.headers))
        return _response(protocol.not_found())

    @app.after_request
    def allow_any_origin(response: Response) -> Response:
        if request.headers.get("Origin"):  # browsers may read DynamoDB's answers from any page
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    @app.errorhandler(404)
    @app.errorhandler(405)
    def not_found(error: Exception) -> Response:
        return _response(protocol.not_found())

    return app
