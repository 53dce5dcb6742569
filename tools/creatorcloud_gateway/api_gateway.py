# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `/api/` handler: the creator's HTTP API in front of its functions, answering as API Gateway does.

In API Gateway's order: a CORS preflight is answered by the API itself when it has a
CorsConfiguration; then the route is selected (404 `Not Found`), the route's JWT authorizer
checks the token (401 `Unauthorized`), the integration's function runs with a payload 2.0
event (500 `Internal Server Error` when it fails), and the API's CORS headers replace any the
function set.
"""

import logging
import re

from werkzeug.wrappers import Response

from creatorcloud_gateway.api_events import api_event
from creatorcloud_gateway.api_events import gateway_error
from creatorcloud_gateway.api_events import proxy_response
from creatorcloud_gateway.collection import naming
from creatorcloud_gateway.http_api import API_COMPONENT
from creatorcloud_gateway.jwt_authorizer import Refused
from creatorcloud_gateway.lambda_runtime import FunctionError

# An AWS_PROXY integration names the function by its ARN, or by API Gateway's invocation URI around it.
FUNCTION_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?")
CORS_HEADER_PREFIX = "access-control-"

log = logging.getLogger("creatorcloud_gateway")


def is_preflight(request):
    """A browser's CORS preflight: OPTIONS with Origin and Access-Control-Request-Method."""
    return (
        request.method == "OPTIONS"
        and "Origin" in request.headers
        and "Access-Control-Request-Method" in request.headers
    )


def allowed_origin_value(cors, origin):
    """The Access-Control-Allow-Origin value for an allowed origin: `*` when any origin is, else the origin."""
    return "*" if "*" in cors.allow_origins and not cors.allow_credentials else origin


def preflight_response(cors, request):
    """API Gateway's 204 to a preflight: with the CORS headers when origin, method and headers are allowed."""
    response = Response(status=204)
    response.headers.remove("Content-Type")
    origin = request.headers["Origin"]
    method = request.headers["Access-Control-Request-Method"].upper()
    requested = {h.strip().lower() for h in request.headers.get("Access-Control-Request-Headers", "").split(",")}
    requested.discard("")
    allowed = (
        cors.allows_origin(origin)
        and ("*" in cors.allow_methods or method in cors.allow_methods)
        and ("*" in cors.allow_headers or requested <= set(cors.allow_headers))
    )
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = allowed_origin_value(cors, origin)
        response.headers["Access-Control-Allow-Methods"] = ",".join(cors.allow_methods)
        if cors.allow_headers:
            response.headers["Access-Control-Allow-Headers"] = ",".join(cors.allow_headers)
        if cors.max_age is not None:
            response.headers["Access-Control-Max-Age"] = str(cors.max_age)
        if cors.allow_credentials:
            response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


def apply_cors(cors, request, response):
    """Replace the function's CORS headers by the API's, for an allowed Origin."""
    for name in {name for name, unused_value in response.headers if name.lower().startswith(CORS_HEADER_PREFIX)}:
        response.headers.remove(name)
    origin = request.headers.get("Origin", "")
    if not cors.allows_origin(origin):
        return response
    response.headers["Access-Control-Allow-Origin"] = allowed_origin_value(cors, origin)
    if cors.expose_headers:
        response.headers["Access-Control-Expose-Headers"] = ",".join(cors.expose_headers)
    if cors.allow_credentials:
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


def refusal_response(refused):
    """The authorizer's 401 (with its www-authenticate challenge) or 403."""
    headers = {"www-authenticate": refused.challenge} if refused.status == 401 else None
    return gateway_error(refused.status, refused.message, headers)


class ApiGateway:
    """The creator's HTTP API as API Gateway serves it, with the functions run in-process."""

    def __init__(self, access, creator_api, functions, authorizers):
        self.access = access
        self.creator_api = creator_api
        self.functions = functions
        self.authorizers = authorizers

    def respond(self, request):
        """The API's answer to a request under `/api/`."""
        api = self.creator_api.api()
        if api is None:
            log.warning(
                "creator %s has no HTTP API %s: run ansible-playbook playbooks/onboard.yml -l %s",
                self.access.creator,
                naming.resource_name(self.access.creator, API_COMPONENT),
                self.access.creator,
            )
            return gateway_error(404, "Not Found")
        if api.cors is not None and is_preflight(request):
            return preflight_response(api.cors, request)
        response = self._route(request, api)
        return response if api.cors is None else apply_cors(api.cors, request, response)

    def _route(self, request, api):
        match = api.match(request.method, request.path)
        if match is None:
            return gateway_error(404, "Not Found")
        jwt_context = None
        if match.route.authorization_type == "JWT":
            authorizer = api.authorizers.get(match.route.authorizer_id)
            if authorizer is None:
                log.error("route %s names authorizer %s, which does not exist", match.route.route_key, authorizer)
                return gateway_error(500, "Internal Server Error")
            try:
                jwt_context = self.authorizers.authorize(request, authorizer, match.route.scopes)
            except Refused as e:
                log.info("%s %s refused: %s", request.method, request.path, e)
                return refusal_response(e)
        elif match.route.authorization_type != "NONE":
            route = match.route
            log.error("route %s: %s authorization is not emulated", route.route_key, route.authorization_type)
            return gateway_error(500, "Internal Server Error")
        return self._integrate(request, api, match, jwt_context)

    def _integrate(self, request, api, match, jwt_context):
        integration = api.integrations.get(match.route.integration_id)
        function_arn = FUNCTION_ARN.search(integration.uri) if integration else None
        if function_arn is None:
            log.error("route %s has no Lambda integration the gateway can run", match.route.route_key)
            return gateway_error(500, "Internal Server Error")
        event = api_event(request, api, match, self.access.account_id, jwt_context)
        try:
            result = self.functions.invoke(function_arn.group(0), event)
        except FunctionError as e:
            log.error("%s %s: %s", request.method, request.path, e)
            return gateway_error(500, "Internal Server Error")
        return proxy_response(result)
