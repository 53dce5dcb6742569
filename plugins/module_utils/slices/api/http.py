# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's API Gateway HTTP API: the API with CORS for the creator's domain only, the Cognito
JWT authorizer, one Lambda proxy integration per function, the routes, and the $default stage.

Private to the api module, which makes the functions and the access log group first. The API is found
again by its name and creator tag (never a second one); inside it the authorizer is found by its name,
an integration by its function ARN, a route by its route key. read_http_api does every read; then
ensure_http_api sends only the writes that make a difference, each through `Changes.make`, so check
mode records the same list and predicts ids it cannot know as KNOWN_AFTER_CREATION.
"""

import functools
import json
import re

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import apigatewayv2
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings

COMPONENT = "api"
STAGE_NAME = "$default"
AUTHORIZER_NAME = "cognito"
KNOWN_AFTER_CREATION = "(known after creation)"
AUTHORIZATION_TYPES = {"jwt": "JWT", "none": "NONE"}
ROUTE_KEY_PATTERN = re.compile(r"^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|ANY) /\S*$")
# What the site sends and reads: the ID token in Authorization, JSON bodies.
CORS_METHODS = ["GET", "PUT", "POST", "DELETE"]
CORS_HEADERS = ["authorization", "content-type"]
CORS_MAX_AGE_SECONDS = 600
# One JSON object per request in the access log; API Gateway fills in the $context variables.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "integrationErrorMessage": "$context.integrationErrorMessage",
    },
    separators=(",", ":"),
)


def api_name(creator):
    """The HTTP API's name: creatorcloud-<creator>-api."""
    return resource_name(creator, COMPONENT)


def function_arn_prefix(creator):
    """What every IntegrationUri of the creator's own functions contains: a route targeting one is ours."""
    return f":function:{resource_name(creator, '')}"


def desired_cors(domain):
    """CORS for the creator's site only: the domain and its www name."""
    return {
        "AllowOrigins": [f"https://{domain}", f"https://www.{domain}"],
        "AllowMethods": list(CORS_METHODS),
        "AllowHeaders": list(CORS_HEADERS),
        "MaxAge": CORS_MAX_AGE_SECONDS,
        "AllowCredentials": False,
    }


def desired_authorizer(region, user_pool_id, client_id):
    """The JWT authorizer that accepts the tokens the creator's user pool issues to the site's app client."""
    return {
        "Name": AUTHORIZER_NAME,
        "AuthorizerType": "JWT",
        "IdentitySource": ["$request.header.Authorization"],
        "JwtConfiguration": {
            "Issuer": f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
            "Audience": [client_id],
        },
    }


def desired_integration(function_arn):
    """A Lambda proxy integration with the 2.0 event format."""
    return {
        "IntegrationType": "AWS_PROXY",
        "IntegrationUri": function_arn,
        "PayloadFormatVersion": "2.0",
        "IntegrationMethod": "POST",
    }


def desired_stage(tier, access_log_group_arn):
    """The $default stage's settings (without its name): deployed on every change, throttled by tier, logged."""
    settings = tier_settings(tier)
    return {
        "AutoDeploy": True,
        "DefaultRouteSettings": {
            "ThrottlingRateLimit": float(settings["api_throttle_rate"]),
            "ThrottlingBurstLimit": settings["api_throttle_burst"],
        },
        "AccessLogSettings": {"DestinationArn": access_log_group_arn, "Format": ACCESS_LOG_FORMAT},
    }


def route_errors(functions):
    """What is wrong with the routes of `functions` (as desired_http_api takes them): each message names it."""
    errors = []
    owners = {}
    for function, spec in sorted(functions.items()):
        for route in spec.get("routes") or []:
            key, authorization = route["route_key"], route.get("authorization", "jwt")
            if not ROUTE_KEY_PATTERN.match(key):
                errors.append(f"function {function}: route_key {key!r} is not '<METHOD> /<path>'")
            if authorization not in AUTHORIZATION_TYPES:
                errors.append(
                    f"function {function}: route {key} has authorization {authorization!r}, not one of "
                    f"{', '.join(AUTHORIZATION_TYPES)}"
                )
            if key in owners:
                errors.append(f"route {key} is declared by both function {owners[key]} and function {function}")
            owners.setdefault(key, function)
    return errors


def desired_routes(functions):
    """{route key: {"function": name, "authorization_type": "JWT"|"NONE"}} of every function's routes."""
    return {
        route["route_key"]: {
            "function": function,
            "authorization_type": AUTHORIZATION_TYPES[route.get("authorization", "jwt")],
        }
        for function, spec in sorted(functions.items())
        for route in spec.get("routes") or []
    }


def desired_http_api(
    creator, domain, region, account_id, user_pool_id, client_id, tier, functions, access_log_group_arn, tags
):
    """The HTTP API the creator should have, as ensure_http_api takes it.

    `functions` maps each function name to {"function_arn": ..., "routes": [{"route_key": ..., "authorization":
    "jwt"|"none"}]}; `tags` are extra tags (the creator and component tags are added). Check route_errors first.
    """
    return {
        "creator": creator,
        "name": api_name(creator),
        "region": region,
        "account_id": account_id,
        "function_arn_prefix": function_arn_prefix(creator),
        "tags": resource_tags(creator, COMPONENT, extra=tags),
        "cors": desired_cors(domain),
        "authorizer": desired_authorizer(region, user_pool_id, client_id),
        "integrations": {name: desired_integration(spec["function_arn"]) for name, spec in functions.items()},
        "routes": desired_routes(functions),
        "stage": desired_stage(tier, access_log_group_arn),
    }


def find_api(apis, creator):
    """The creator's API among `apis` (by name and creator tag), or None; more than one fails the run."""
    name = api_name(creator)
    found = [api for api in apis if api["Name"] == name and (api.get("Tags") or {}).get(CREATOR_TAG) == creator]
    if len(found) > 1:
        ids = ", ".join(sorted(api["ApiId"] for api in found))
        raise ConvergeError(
            f"creator {creator} has {len(found)} HTTP APIs named {name} ({ids}): delete all but one and run again", []
        )
    return found[0] if found else None


def read_http_api(clients, creator):
    """The creator's API (found by name and creator tag) with its authorizers, integrations, routes and
    $default stage, or None. `clients.apigatewayv2` is an API Gateway v2 client in the creator's account.
    """
    client = clients.apigatewayv2
    api = find_api(apigatewayv2.get_apis(client), creator)
    if api is None:
        return None
    api_id = api["ApiId"]
    return {
        "api": api,
        "authorizers": apigatewayv2.get_authorizers(client, api_id),
        "integrations": apigatewayv2.get_integrations(client, api_id),
        "routes": apigatewayv2.get_routes(client, api_id),
        "stage": apigatewayv2.get_stage(client, api_id, STAGE_NAME),
    }


def execution_arn(region, account_id, api_id):
    """What a Lambda permission's SourceArn names: every stage, method and path of the API."""
    if api_id == KNOWN_AFTER_CREATION:
        return KNOWN_AFTER_CREATION
    return f"arn:aws:execute-api:{region}:{account_id}:{api_id}/*"


def summarize_http_api(current, region, account_id):
    """The API as read_http_api found it, in the shape ensure_http_api returns (for a diff's before), or {}."""
    if current is None:
        return {}
    api_id = current["api"]["ApiId"]
    authorizer = next((item for item in current["authorizers"] if item["Name"] == AUTHORIZER_NAME), None)
    return {
        "api_id": api_id,
        "api_endpoint": current["api"]["ApiEndpoint"],
        "execution_arn": execution_arn(region, account_id, api_id),
        "authorizer_id": authorizer["AuthorizerId"] if authorizer else None,
        "stage": STAGE_NAME if current["stage"] else None,
        "routes": {route["RouteKey"]: route["RouteId"] for route in current["routes"]},
    }


def created_id(answer, key):
    """The id AWS gave a new resource, or KNOWN_AFTER_CREATION in check mode (no answer)."""
    return answer[key] if answer else KNOWN_AFTER_CREATION


def ensure_api(changes, client, desired, current_api):
    """Create the API (with CORS and tags) or put its name, CORS and tags right; returns (api id, endpoint)."""
    name = desired["name"]
    settings = {"Name": name, "CorsConfiguration": desired["cors"]}
    if current_api is None:
        request = dict(settings, ProtocolType="HTTP", Tags=desired["tags"])
        created = changes.make(f"create HTTP API {name}", apigatewayv2.create_api, client, request)
        return created_id(created, "ApiId"), created_id(created, "ApiEndpoint")
    api_id = current_api["ApiId"]
    differences = [key for key, value in settings.items() if not matches(current_api.get(key), value)]
    if differences:
        what = {"Name": f"name to {name}", "CorsConfiguration": f"CORS to {', '.join(desired['cors']['AllowOrigins'])}"}
        description = f"update HTTP API {name}: set {' and '.join(what[key] for key in differences)}"
        changes.make(description, apigatewayv2.update_api, client, api_id, settings)
    arn = apigatewayv2.api_arn(desired["region"], api_id)
    ensure_tags(
        changes,
        f"HTTP API {name}",
        current_api.get("Tags") or {},
        desired["tags"],
        desired.get("purge_tags", True),
        functools.partial(apigatewayv2.tag_resource, client, arn),
        functools.partial(apigatewayv2.untag_resource, client, arn),
    )
    return api_id, current_api["ApiEndpoint"]


def ensure_authorizer(changes, client, api_id, desired, authorizers):
    """Create the Cognito JWT authorizer or put its settings right; returns its id."""
    wanted = desired["authorizer"]
    what = f"authorizer {AUTHORIZER_NAME} of HTTP API {desired['name']}"
    current = next((item for item in authorizers if item["Name"] == AUTHORIZER_NAME), None)
    if current is None:
        return created_id(
            changes.make(f"create {what}", apigatewayv2.create_authorizer, client, api_id, wanted), "AuthorizerId"
        )
    if not matches(current, wanted):
        changes.make(f"update {what}", apigatewayv2.update_authorizer, client, api_id, current["AuthorizerId"], wanted)
    return current["AuthorizerId"]


def ensure_integrations(changes, client, api_id, desired, integrations):
    """One Lambda proxy integration per function, found by its function ARN; returns {function: integration id}."""
    by_uri = {}
    for integration in sorted(integrations, key=lambda item: item["IntegrationId"], reverse=True):
        by_uri[integration.get("IntegrationUri")] = integration  # the lowest id wins when someone made two
    ids = {}
    for function, wanted in sorted(desired["integrations"].items()):
        what = f"integration of HTTP API {desired['name']} with function {function}"
        current = by_uri.get(wanted["IntegrationUri"])
        if current is None:
            answer = changes.make(f"create {what}", apigatewayv2.create_integration, client, api_id, wanted)
            ids[function] = created_id(answer, "IntegrationId")
            continue
        if not matches(current, wanted):
            changes.make(
                f"update {what}", apigatewayv2.update_integration, client, api_id, current["IntegrationId"], wanted
            )
        ids[function] = current["IntegrationId"]
    return ids


def route_request(route_key, route, integration_ids, authorizer_id):
    """The route's settings: target the function's integration; JWT routes name the authorizer."""
    request = {
        "RouteKey": route_key,
        "Target": f"integrations/{integration_ids[route['function']]}",
        "AuthorizationType": route["authorization_type"],
    }
    if route["authorization_type"] == "JWT":
        request["AuthorizerId"] = authorizer_id
    return request


def is_ours(route, integrations, prefix):
    """True when the route targets an integration with one of the creator's own functions."""
    target = (route.get("Target") or "").split("/", 1)[-1]
    return any(
        item["IntegrationId"] == target and prefix in (item.get("IntegrationUri") or "") for item in integrations
    )


def ensure_routes(changes, client, api_id, desired, current, integration_ids, authorizer_id):
    """Create or put right every route of the spec, delete ours that left it; returns {route key: route id}."""
    existing = {route["RouteKey"]: route for route in (current or {}).get("routes", [])}
    ids = {}
    for route_key, route in sorted(desired["routes"].items()):
        wanted = route_request(route_key, route, integration_ids, authorizer_id)
        what = f"route {route_key} of HTTP API {desired['name']}"
        found = existing.get(route_key)
        if found is None:
            answer = changes.make(f"create {what}", apigatewayv2.create_route, client, api_id, wanted)
            ids[route_key] = created_id(answer, "RouteId")
            continue
        if not matches(found, wanted):
            changes.make(f"update {what}", apigatewayv2.update_route, client, api_id, found["RouteId"], wanted)
        ids[route_key] = found["RouteId"]
    integrations = (current or {}).get("integrations", [])
    for route_key, found in sorted(existing.items()):
        # Routes hold no data: one of ours that left the spec goes; one someone else made stays.
        if route_key not in desired["routes"] and is_ours(found, integrations, desired["function_arn_prefix"]):
            description = f"delete route {route_key} of HTTP API {desired['name']} (no longer in the spec)"
            changes.make(description, apigatewayv2.delete_route, client, api_id, found["RouteId"])
    return ids


def stage_change(current, wanted):
    """What an update of the stage changes, for the change log."""
    names = {
        "AutoDeploy": "auto deploy",
        "DefaultRouteSettings": "throttling {ThrottlingRateLimit:g}/s burst {ThrottlingBurstLimit}",
        "AccessLogSettings": "access logs to {DestinationArn}",
    }
    parts = []
    for key, text in names.items():
        if not matches(current.get(key), wanted[key]):
            parts.append(text.format(**wanted[key]) if isinstance(wanted[key], dict) else text)
    return ", ".join(parts)


def ensure_stage(changes, client, api_id, desired, current_stage):
    """Create the $default stage or put its auto deploy, throttling and access logs right; returns its name."""
    wanted = desired["stage"]
    what = f"stage {STAGE_NAME} of HTTP API {desired['name']}"
    if current_stage is None:
        request = dict(wanted, StageName=STAGE_NAME, Tags=desired["tags"])
        changes.make(f"create {what}", apigatewayv2.create_stage, client, api_id, request)
    elif not matches(current_stage, wanted):
        description = f"update {what}: {stage_change(current_stage, wanted)}"
        changes.make(description, apigatewayv2.update_stage, client, api_id, STAGE_NAME, wanted)
    return STAGE_NAME


def ensure_http_api(changes, clients, desired, current):
    """Make the API look like `desired` (from desired_http_api), `current` being read_http_api's answer.

    Every write goes through `changes.make`. Returns {"api_id", "api_endpoint", "execution_arn", "authorizer_id",
    "stage", "routes": {route_key: route_id}}; in check mode ids not created yet are KNOWN_AFTER_CREATION.
    """
    client = clients.apigatewayv2
    current = current or {}
    api_id, endpoint = ensure_api(changes, client, desired, current.get("api"))
    authorizer_id = ensure_authorizer(changes, client, api_id, desired, current.get("authorizers", []))
    integration_ids = ensure_integrations(changes, client, api_id, desired, current.get("integrations", []))
    routes = ensure_routes(changes, client, api_id, desired, current, integration_ids, authorizer_id)
    stage = ensure_stage(changes, client, api_id, desired, current.get("stage"))
    return {
        "api_id": api_id,
        "api_endpoint": endpoint,
        "execution_arn": execution_arn(desired["region"], desired["account_id"], api_id),
        "authorizer_id": authorizer_id,
        "stage": stage,
        "routes": routes,
    }
