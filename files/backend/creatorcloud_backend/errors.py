# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed HTTP errors and the handlers that turn every failure into JSON {"code", "message"}.

The codes are a stable contract with the site: change a message freely, never a code.
No stack trace or exception text of an unexpected error reaches a client; it goes to the log.
"""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler import content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError


class ApiError(Exception):
    """An error a client may see: an HTTP status, a stable code and a message."""

    status = HTTPStatus.BAD_REQUEST
    code = "bad_request"

    def __init__(self, message, code=None, **details):
        super().__init__(message)
        self.message = message
        # Members of the JSON answer beside code and message, for a page to show in its own words.
        self.details = details
        if code:
            self.code = code


class Unauthorized(ApiError):
    """No verified identity on the request."""

    status = HTTPStatus.UNAUTHORIZED
    code = "unauthorized"


class Forbidden(ApiError):
    """A verified identity that may not do this."""

    status = HTTPStatus.FORBIDDEN
    code = "forbidden"


class NotFound(ApiError):
    """The thing asked for does not exist (or is not the caller's to see)."""

    status = HTTPStatus.NOT_FOUND
    code = "not_found"


class Conflict(ApiError):
    """The request contradicts the current state, e.g. a username someone else holds."""

    status = HTTPStatus.CONFLICT
    code = "conflict"


def error_response(status, code, message, **extra):
    """The one JSON shape of every error."""
    return Response(
        status_code=int(status),
        content_type=content_types.APPLICATION_JSON,
        body={"code": code, "message": message, **extra},
    )


def register_error_handlers(app, logger):
    """Make every failure of the app's routes a JSON error; log the unexpected ones with their trace."""

    @app.exception_handler(ApiError)
    def api_error(error):
        """A typed error: its own status and code."""
        return error_response(error.status, error.code, error.message, **error.details)

    @app.exception_handler(RequestValidationError)
    def validation_error(error):
        """A body, path or query that does not match its model: 422 with where and what, no Python detail."""
        details = [{"loc": list(item["loc"]), "type": item["type"]} for item in error.errors()]
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error", "The request is invalid.", details=details
        )

    @app.not_found
    def route_not_found(unused_error):
        """A path or method the API does not have."""
        return error_response(HTTPStatus.NOT_FOUND, "route_not_found", "No such route.")

    @app.exception_handler(Exception)
    def unexpected_error(unused_error):
        """Anything else: logged with its trace, answered with a bare 500."""
        logger.exception("unexpected error")
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong.")

    return app
