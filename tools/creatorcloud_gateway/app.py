# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway's WSGI app: a router of in-process handlers in front of the creator's distribution.

A path under a bound prefix goes to its handler (`/api/` now answers API Gateway's 404 for
every route; the API issue binds the Lambda handlers there, called in-process with an API
Gateway v2 event). Every other path is the distribution's: root object, S3 origin, error
pages. Every response then gets what the edge adds for the matching cache behavior:
compression, conditional requests and the response headers policy.

Handlers stand in for API Gateway on its own, so the distribution's custom error responses
do not replace their errors (on CloudFront they apply to every origin; see the API issue).
"""

import json
import logging

from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from creatorcloud_gateway.creator_access import CreatorAccess
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_site import DEFAULT_CONFIG_TTL
from creatorcloud_gateway.creator_site import CreatorSite
from creatorcloud_gateway.edge import finish_viewer_response
from creatorcloud_gateway.edge import serve_site

STATUS_PATH = "/_creatorcloud/gateway"
API_PREFIX = "/api/"

log = logging.getLogger("creatorcloud_gateway")


class Router:
    """In-process handlers bound to path prefixes; the longest bound prefix of a path wins."""

    def __init__(self):
        self._routes = []

    def bind(self, prefix, handler):
        """Send every request whose path starts with `prefix` to `handler(request) -> Response`."""
        self._routes = sorted([*self._routes, (prefix, handler)], key=lambda route: len(route[0]), reverse=True)

    def handler_for(self, path):
        """The handler bound to the longest prefix of `path`, or None for the distribution's paths."""
        return next((handler for prefix, handler in self._routes if path.startswith(prefix)), None)


def json_response(body, status):
    """A JSON response, as API Gateway and the status endpoint answer."""
    return Response(json.dumps(body, sort_keys=True), status=status, content_type="application/json")


def api_not_found(request):
    """API Gateway's answer for a route it does not have: until the API issue, every `/api/` route."""
    return json_response({"code": "not_found", "message": f"No route for {request.method} {request.path}"}, 404)


class GatewayApp:
    """A WSGI app serving one creator's site from the emulator the way CloudFront serves it."""

    def __init__(self, site, router):
        self.site = site
        self.router = router

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
                response = serve_site(request, site_distribution, self.site.fetch)
        except SiteUnavailable as e:
            log.error("%s", e)
            return Response(f"{e}\n", status=502, content_type="text/plain")
        return finish_viewer_response(request, response, site_distribution.behavior_for(request.path))

    def status(self):
        """What the gateway serves (or why it cannot), for the launcher and for people."""
        access = self.site.access
        body = {"creator": access.creator, "endpoint_url": access.endpoint_url}
        try:
            body.update(self.site.distribution().summary(), account_id=access.account_id)
        except SiteUnavailable as e:
            return json_response({**body, "error": str(e)}, 503)
        return json_response(body, 200)


def not_found_api(unused_access):
    """The `/api/` handler until the API issue: API Gateway's 404 for every route."""
    return api_not_found


# prefix → factory(CreatorAccess) → handler: a handler gets the creator's account to reach its
# resources (the API's tables, the user pool's JWKS) with the creator role, like the gateway does.
DEFAULT_HANDLERS = {API_PREFIX: not_found_api}


def build_app(creator, endpoint_url, role_name=None, config_ttl=DEFAULT_CONFIG_TTL, handlers=None):
    """The gateway app of one creator, with `handlers` ({prefix: factory}) bound in its router."""
    access = CreatorAccess(creator, endpoint_url, **({"role_name": role_name} if role_name else {}))
    router = Router()
    for prefix, make_handler in (DEFAULT_HANDLERS if handlers is None else handlers).items():
        router.bind(prefix, make_handler(access))
    return GatewayApp(CreatorSite(access, config_ttl=config_ttl), router)
