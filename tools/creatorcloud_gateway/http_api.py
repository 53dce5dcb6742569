# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's HTTP API in the emulator: routes, authorizers, integrations and CORS, and API Gateway's route match.

The API is found like the api module finds it, by its name `creatorcloud-<slug>-api` and the
creator tag, with the creator role. Its config is read again after `config_ttl` seconds, so a
changed route or authorizer shows within that time.
"""

import threading
import time
from dataclasses import dataclass
from dataclasses import field

from creatorcloud_gateway.collection import naming
from creatorcloud_gateway.creator_access import AWS_ERRORS
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_access import describe_aws_error

API_COMPONENT = "api"
DEFAULT_ROUTE = "$default"
ANY_METHOD = "ANY"
# The creators' region in inventories/local (creatorcloud_aws_region).
DEFAULT_REGION = "eu-central-1"


@dataclass(frozen=True)
class Route:
    """A route: its key, the integration it targets and how it is authorized."""

    route_key: str
    integration_id: str | None
    authorization_type: str = "NONE"
    authorizer_id: str | None = None
    scopes: tuple = ()

    @property
    def method(self):
        """The route's method (ANY for `$default`)."""
        return ANY_METHOD if self.route_key == DEFAULT_ROUTE else self.route_key.split(" ", 1)[0]

    @property
    def segments(self):
        """The route's path split at `/`; empty for `$default`."""
        return () if self.route_key == DEFAULT_ROUTE else tuple(self.route_key.split(" ", 1)[1].strip("/").split("/"))

    def path_parameters(self, path_segments):
        """The path variables when the route's path matches the request's segments, else None."""
        parameters = {}
        for index, segment in enumerate(self.segments):
            if segment.startswith("{") and segment.endswith("+}"):
                rest = path_segments[index:]
                if not rest or rest == ("",):
                    return None
                parameters[segment[1:-2]] = "/".join(rest)
                return parameters
            if index >= len(path_segments):
                return None
            if segment.startswith("{") and segment.endswith("}"):
                if not path_segments[index]:
                    return None
                parameters[segment[1:-1]] = path_segments[index]
            elif segment != path_segments[index]:
                return None
        return parameters if len(self.segments) == len(path_segments) else None

    def precedence(self):
        """Sort key, most specific first: a literal segment before `{param}` before `{proxy+}`, a method before ANY."""
        kinds = tuple(2 if s.endswith("+}") else 1 if s.startswith("{") else 0 for s in self.segments)
        return (kinds, self.method == ANY_METHOD)


@dataclass(frozen=True)
class Authorizer:
    """A JWT authorizer: where the token is, who issues it, whom it must be for."""

    authorizer_id: str
    name: str
    issuer: str
    audience: tuple
    identity_source: tuple = ("$request.header.Authorization",)


@dataclass(frozen=True)
class Integration:
    """An AWS_PROXY integration: the Lambda function it invokes and the payload version."""

    integration_id: str
    uri: str
    payload_format_version: str = "2.0"


@dataclass(frozen=True)
class Cors:
    """The API's CorsConfiguration."""

    allow_origins: tuple = ()
    allow_methods: tuple = ()
    allow_headers: tuple = ()
    expose_headers: tuple = ()
    max_age: int | None = None
    allow_credentials: bool = False

    def allows_origin(self, origin):
        """Whether a browser origin is allowed (case-insensitive, `*` allows any)."""
        return bool(origin) and any(allowed in ("*", origin.lower()) for allowed in self.allow_origins)


@dataclass(frozen=True)
class RouteMatch:
    """The route a request selects, with its path variables."""

    route: Route
    path_parameters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class HttpApi:
    """What serving the API needs: id, endpoint, routes (most specific first), authorizers, integrations, CORS."""

    api_id: str
    api_endpoint: str
    routes: tuple
    authorizers: dict
    integrations: dict
    cors: Cors | None = None

    @property
    def domain_name(self):
        """The host name of the API's endpoint, which the function sees in requestContext.domainName."""
        return self.api_endpoint.split("://", 1)[-1].split("/", 1)[0]

    def match(self, method, path):
        """The route API Gateway selects for a request, or None (API Gateway's 404)."""
        path_segments = tuple(path.strip("/").split("/"))
        default = None
        for route in self.routes:
            if route.route_key == DEFAULT_ROUTE:
                default = route
                continue
            if route.method not in (method, ANY_METHOD):
                continue
            parameters = route.path_parameters(path_segments)
            if parameters is not None:
                return RouteMatch(route, parameters)
        return RouteMatch(default) if default else None

    def summary(self):
        """The API's id and size, for the gateway's status endpoint."""
        return {"api_id": self.api_id, "routes": len(self.routes)}


def _items(client, operation, **parameters):
    pages = client.get_paginator(operation).paginate(**parameters)
    return [item for page in pages for item in page.get("Items") or ()]


def find_api_id(apigateway, creator):
    """The id of the creator's HTTP API, by its name and creator tag; None when it does not exist."""
    name = naming.resource_name(creator, API_COMPONENT)
    for api in _items(apigateway, "get_apis"):
        if api["Name"] == name and (api.get("Tags") or {}).get(naming.CREATOR_TAG) == creator:
            return api["ApiId"]
    return None


def read_api(apigateway, api_id):
    """The serving config of an API: routes, authorizers, integrations and CORS."""
    api = apigateway.get_api(ApiId=api_id)
    routes = [
        Route(
            route_key=route["RouteKey"],
            integration_id=(route.get("Target") or "").removeprefix("integrations/") or None,
            authorization_type=route.get("AuthorizationType") or "NONE",
            authorizer_id=route.get("AuthorizerId"),
            scopes=tuple(route.get("AuthorizationScopes") or ()),
        )
        for route in _items(apigateway, "get_routes", ApiId=api_id)
    ]
    authorizers = {}
    for item in _items(apigateway, "get_authorizers", ApiId=api_id):
        jwt = item.get("JwtConfiguration") or {}
        authorizers[item["AuthorizerId"]] = Authorizer(
            authorizer_id=item["AuthorizerId"],
            name=item.get("Name", ""),
            issuer=jwt.get("Issuer", ""),
            audience=tuple(jwt.get("Audience") or ()),
            identity_source=tuple(item.get("IdentitySource") or ()),
        )
    integrations = {
        item["IntegrationId"]: Integration(
            item["IntegrationId"], item.get("IntegrationUri", ""), item.get("PayloadFormatVersion", "2.0")
        )
        for item in _items(apigateway, "get_integrations", ApiId=api_id)
    }
    return HttpApi(
        api_id=api_id,
        api_endpoint=api.get("ApiEndpoint", ""),
        routes=tuple(sorted(routes, key=Route.precedence)),
        authorizers=authorizers,
        integrations=integrations,
        cors=cors_of(api.get("CorsConfiguration")),
    )


def cors_of(configuration):
    """The Cors of a CorsConfiguration, or None when the API has none (then API Gateway adds no CORS headers)."""
    if not configuration:
        return None
    return Cors(
        allow_origins=tuple(origin.lower() for origin in configuration.get("AllowOrigins") or ()),
        allow_methods=tuple(method.upper() for method in configuration.get("AllowMethods") or ()),
        allow_headers=tuple(header.lower() for header in configuration.get("AllowHeaders") or ()),
        expose_headers=tuple(configuration.get("ExposeHeaders") or ()),
        max_age=configuration.get("MaxAge"),
        allow_credentials=bool(configuration.get("AllowCredentials")),
    )


class CreatorApi:
    """The creator's HTTP API in `region` (None when it has none), read at most once per `config_ttl` seconds."""

    def __init__(self, access, config_ttl, region=DEFAULT_REGION, clock=time.monotonic):
        self.access = access
        self.region = region
        self.config_ttl = config_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._api = None
        self._read_at = None

    def api(self):
        """The API's serving config, or None when the creator has no HTTP API (yet)."""
        with self._lock:
            if self._read_at is None or self._clock() - self._read_at >= self.config_ttl:
                self._api = self._read()
                self._read_at = self._clock()
            return self._api

    def _read(self):
        creator = self.access.creator
        try:
            apigateway = self.access.client("apigatewayv2", self.region)
            api_id = find_api_id(apigateway, creator)
            return None if api_id is None else read_api(apigateway, api_id)
        except AWS_ERRORS as e:
            raise SiteUnavailable(
                f"Cannot read the HTTP API {naming.resource_name(creator, API_COMPONENT)} of creator {creator} "
                f"({describe_aws_error(e)})."
            ) from e
