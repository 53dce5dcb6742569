# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway's WSGI app: a router of in-process handlers in front of the creator's distribution.

A path under a bound prefix goes to its handler: `/api/` is the creator's HTTP API (routes,
JWT authorizer, CORS, the Lambda handlers called in-process with an API Gateway v2 event) and
`/_aws/cognito-idp/` forwards the site's Cognito calls to the emulator. Every other path is
the distribution's: root object, S3 origin, error pages, and `/config.json` pointed at the
gateway. Every response then gets what the edge adds for the matching cache behavior:
compression, conditional requests and the response headers policy.

Handlers stand in for API Gateway on its own, so the distribution's custom error responses
do not replace their errors (on CloudFront they apply to every origin; see the API issue).
With a Stripe stand-in, the payment functions run against it and it forwards the creator's
events to the gateway (payments.py).
"""

import json
import logging

from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from creatorcloud_gateway.api_gateway import ApiGateway
from creatorcloud_gateway.cognito_forward import CognitoForward
from creatorcloud_gateway.creator_access import CreatorAccess
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_site import DEFAULT_CONFIG_TTL
from creatorcloud_gateway.creator_site import CreatorSite
from creatorcloud_gateway.edge import finish_viewer_response
from creatorcloud_gateway.edge import serve_site
from creatorcloud_gateway.http_api import DEFAULT_REGION
from creatorcloud_gateway.http_api import CreatorApi
from creatorcloud_gateway.jwt_authorizer import JwtAuthorizers
from creatorcloud_gateway.lambda_runtime import LambdaFunctions
from creatorcloud_gateway.live_stream import LocalLiveStream
from creatorcloud_gateway.payments import LocalPayments
from creatorcloud_gateway.runtime_config import COGNITO_PATH
from creatorcloud_gateway.runtime_config import LIVE_PATH
from creatorcloud_gateway.runtime_config import LocalEndpoints

STATUS_PATH = "/_creatorcloud/gateway"
API_PREFIX = "/api/"

log = logging.getLogger("creatorcloud_gateway")


class Router:
    """In-process handlers bound to path prefixes; the longest bound prefix of a path wins."""

    def __init__(self):
        self._routes = []

    def bind(self, prefix, handler):
        """Send every request whose path starts with `prefix` to `handler(request) -> Response` (rebinding replaces)."""
        routes = [route for route in self._routes if route[0] != prefix]
        self._routes = sorted([*routes, (prefix, handler)], key=lambda route: len(route[0]), reverse=True)

    def handler_for(self, path):
        """The handler bound to the longest prefix of `path`, or None for the distribution's paths."""
        return next((handler for prefix, handler in self._routes if path.startswith(prefix)), None)


def json_response(body, status):
    """A JSON response, as the status endpoint answers."""
    return Response(json.dumps(body, sort_keys=True), status=status, content_type="application/json")


class GatewayApp:
    """A WSGI app serving one creator's site from the emulator the way CloudFront serves it."""

    def __init__(self, site, router, creator_api=None, payments=None):
        self.site = site
        self.router = router
        self.creator_api = creator_api
        self.payments = payments
        self.local_endpoints = LocalEndpoints(site.access.endpoint_url)

    def __call__(self, environ, start_response):
        return self.respond(Request(environ))(environ, start_response)

    def respond(self, request):
        """The viewer's response to a request."""
        if request.path == STATUS_PATH:
            return self.status()
        try:
            site_distribution = self.site.distribution()
            handler = self.router.handler_for(request.path)
            if handler is not None:
                response = handler(request)
            else:
                site_response = serve_site(request, site_distribution, self.site.fetch)
                response = self.local_endpoints.rewrite_runtime_config(request, site_response)
        except SiteUnavailable as e:
            log.error("%s", e)
            return Response(f"{e}\n", status=502, content_type="text/plain")
        response = finish_viewer_response(request, response, site_distribution.behavior_for(request.path))
        return self.local_endpoints.allow_local_chat(response)

    def status(self):
        """What the gateway serves (or why it cannot), for the launcher and for people."""
        access = self.site.access
        body = {"creator": access.creator, "endpoint_url": access.endpoint_url}
        try:
            body.update(self.site.distribution().summary(), account_id=access.account_id)
        except SiteUnavailable as e:
            # Nothing more is asked of an account that cannot be reached: the launcher waits for this answer.
            return json_response({**body, "error": str(e), "payments": self.payments_status(live=False)}, 503)
        body["api"] = self.api_status()
        body["payments"] = self.payments_status()
        return json_response(body, 200)

    def payments_status(self, live=True):
        """The Stripe stand-in the payment functions use and whether the creator's events reach the gateway."""
        if self.payments is None:
            return {"stripe_url": None, "webhooks_forwarded": False, "error": None}
        return self.payments.status(live=live)

    def api_status(self):
        """The HTTP API's id and number of routes, or why there is none (the site is served either way)."""
        try:
            api = self.creator_api.api() if self.creator_api else None
        except SiteUnavailable as e:
            return {"error": str(e)}
        return api.summary() if api else {"error": f"creator {self.site.access.creator} has no HTTP API"}


def default_handlers(access, config_ttl, region, live_dir=None, payments=None):
    """The gateway's own handlers by prefix, and the API reader they share (for the status endpoint)."""
    creator_api = CreatorApi(access, config_ttl, region)
    functions = LambdaFunctions(access, config_ttl, environment=payments.environment if payments else None)
    api = ApiGateway(access, creator_api, functions, JwtAuthorizers(access.endpoint_url))
    handlers = {
        API_PREFIX: api.respond,
        COGNITO_PATH: CognitoForward(access, functions, region).respond,
        LIVE_PATH: LocalLiveStream(live_dir).respond,
    }
    return handlers, creator_api


def build_app(
    creator,
    endpoint_url,
    role_name=None,
    config_ttl=DEFAULT_CONFIG_TTL,
    handlers=None,
    region=None,
    live_dir=None,
    stripe_url=None,
    origin=None,
):
    """The gateway app of one creator; `handlers` ({prefix: factory(CreatorAccess)}) replace the default ones.

    A factory gets the creator's account, to reach its resources with the creator role as the
    gateway does. `region` is where the creator's API, pool and functions are (eu-central-1).
    `live_dir` holds a local HLS test stream served as the channel's playback URL (none: offline).
    `stripe_url` is the local Stripe stand-in the payment functions use, and `origin` the gateway's
    own (`http://127.0.0.1:8080`), where Checkout sends fans back and the stand-in sends the events;
    the app's `payments.start()` (the server calls it) has the stand-in forward them.
    """
    access = CreatorAccess(creator, endpoint_url, **({"role_name": role_name} if role_name else {}))
    region = region or DEFAULT_REGION
    payments = LocalPayments(access, region, stripe_url=stripe_url, origin=origin)
    bound, creator_api = default_handlers(access, config_ttl, region, live_dir, payments)
    router = Router()
    for prefix, handler in bound.items():
        router.bind(prefix, handler)
    for prefix, make_handler in (handlers or {}).items():
        router.bind(prefix, make_handler(access))
    return GatewayApp(CreatorSite(access, config_ttl=config_ttl), router, creator_api, payments)
