# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP API step of the api slice on the emulator, through real boto3 clients in a creator's account.

Every property is read back from API Gateway; the call log proves that a second converge and check
mode write nothing, and that a tier change, a new route and a removed route each write exactly one call.
"""

import io
import json
import zipfile
from types import SimpleNamespace

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import KNOWN_AFTER_CREATION
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import desired_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import ensure_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import read_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import route_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import summarize_http_api

CREATOR = "creator1"
ACCOUNT_ID = "210987654321"
REGION = "eu-central-1"
DOMAIN = "creator1.example.com"
POOL_ID = "eu-central-1_AbCdEf123"
CLIENT_ID = "website-client-id"
NAME = f"creatorcloud-{CREATOR}-api"
LOG_GROUP = f"/aws/apigateway/{NAME}"
PROFILE_ROUTES = (
    {"route_key": "GET /api/health", "authorization": "none"},
    {"route_key": "GET /api/me", "authorization": "jwt"},
    {"route_key": "PUT /api/me", "authorization": "jwt"},
)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def writes(calls):
    """The write calls of the call log, as (service, operation)."""
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def function_zip():
    """A minimal deployment package: moto stores it, nothing runs it here."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


@pytest.fixture
def creator_clients(creator_client):
    """`make(service)`: a client in the creator's account, by assuming the creator role as CreatorSession does."""
    return lambda service: creator_client(ACCOUNT_ID, service, REGION)


@pytest.fixture
def apigw(creator_clients):
    return creator_clients("apigatewayv2")


@pytest.fixture
def clients(apigw):
    """What ensure_http_api takes: an object with the API Gateway v2 client."""
    return SimpleNamespace(apigatewayv2=apigw)


@pytest.fixture
def function_arns(creator_clients):
    """The profile and post-confirmation functions (and the access log group's ARN), made minimally."""
    role = creator_clients("iam").create_role(RoleName="test-lambda", AssumeRolePolicyDocument=json.dumps(TRUST))
    awslambda = creator_clients("lambda")
    arns = {}
    for function in ("profile", "post-confirmation", "videos"):
        arns[function] = awslambda.create_function(
            FunctionName=f"creatorcloud-{CREATOR}-{function}",
            Runtime="python3.12",
            Role=role["Role"]["Arn"],
            Handler="handler.handler",
            Code={"ZipFile": function_zip()},
        )["FunctionArn"]
    logs = creator_clients("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    arns["log_group"] = logs.describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"][0]["arn"].rstrip(":*")
    return arns


def desired(function_arns, tier="small", profile_routes=PROFILE_ROUTES, videos=False):
    """The creator's API with the profile function's routes (and, when `videos`, a videos function)."""
    functions = {
        "profile": {"function_arn": function_arns["profile"], "routes": profile_routes},
        "post-confirmation": {"function_arn": function_arns["post-confirmation"], "routes": []},
    }
    if videos:
        functions["videos"] = {
            "function_arn": function_arns["videos"],
            "routes": [{"route_key": "GET /api/videos", "authorization": "none"}],
        }
    return desired_http_api(
        CREATOR,
        DOMAIN,
        REGION,
        ACCOUNT_ID,
        POOL_ID,
        CLIENT_ID,
        tier,
        functions,
        function_arns["log_group"],
        {"cost-center": "creators-eu"},
    )


def converge(clients, wanted, check_mode=False):
    """One read and ensure, as the api module runs them: (result, changes)."""
    changes = Changes(check_mode)
    result = ensure_http_api(changes, clients, wanted, read_http_api(clients, CREATOR))
    return result, changes.made


@pytest.fixture
def created(aws, clients, function_arns):
    """The creator's API, converged once; the call log is empty afterwards."""
    result, _made = converge(clients, desired(function_arns))
    aws.reset_calls()
    return result


def test_the_api_has_every_property(created, apigw, function_arns):
    api = apigw.get_api(ApiId=created["api_id"])
    assert api["Name"] == NAME
    assert api["ProtocolType"] == "HTTP"
    assert api["ApiEndpoint"] == created["api_endpoint"] == f"https://{api['ApiId']}.execute-api.{REGION}.amazonaws.com"
    assert api["Tags"] == {
        "creatorcloud:creator": CREATOR,
        "creatorcloud:component": "api",
        "cost-center": "creators-eu",
    }
    assert api["CorsConfiguration"] == {
        "AllowOrigins": [f"https://{DOMAIN}", f"https://www.{DOMAIN}"],
        "AllowMethods": ["GET", "PUT", "POST", "DELETE"],
        "AllowHeaders": ["authorization", "content-type"],
        "MaxAge": 600,
        "AllowCredentials": False,
    }
    assert created["execution_arn"] == f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{api['ApiId']}/*"

    [authorizer] = apigw.get_authorizers(ApiId=api["ApiId"])["Items"]
    assert authorizer["AuthorizerId"] == created["authorizer_id"]
    assert authorizer["Name"] == "cognito"
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    assert authorizer["JwtConfiguration"] == {
        "Issuer": f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}",
        "Audience": [CLIENT_ID],
    }

    integrations = apigw.get_integrations(ApiId=api["ApiId"])["Items"]
    by_uri = {item["IntegrationUri"]: item for item in integrations}
    assert sorted(by_uri) == sorted([function_arns["profile"], function_arns["post-confirmation"]])
    assert len(integrations) == 2
    for item in integrations:
        assert (item["IntegrationType"], item["PayloadFormatVersion"], item["IntegrationMethod"]) == (
            "AWS_PROXY",
            "2.0",
            "POST",
        )

    routes = {route["RouteKey"]: route for route in apigw.get_routes(ApiId=api["ApiId"])["Items"]}
    assert sorted(routes) == sorted(route["route_key"] for route in PROFILE_ROUTES)
    assert created["routes"] == {key: route["RouteId"] for key, route in routes.items()}
    profile_target = f"integrations/{by_uri[function_arns['profile']]['IntegrationId']}"
    for route in routes.values():
        assert route["Target"] == profile_target
    assert routes["GET /api/health"]["AuthorizationType"] == "NONE"
    assert "AuthorizerId" not in routes["GET /api/health"]
    for key in ("GET /api/me", "PUT /api/me"):
        assert (routes[key]["AuthorizationType"], routes[key]["AuthorizerId"]) == ("JWT", created["authorizer_id"])

    stage = apigw.get_stage(ApiId=api["ApiId"], StageName="$default")
    assert created["stage"] == "$default"
    assert stage["AutoDeploy"] is True
    small = tier_settings("small")
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == small["api_throttle_rate"]
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == small["api_throttle_burst"]
    assert stage["AccessLogSettings"]["DestinationArn"] == function_arns["log_group"]
    access_log = json.loads(stage["AccessLogSettings"]["Format"])
    assert access_log == {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "integrationErrorMessage": "$context.integrationErrorMessage",
    }


def test_creation_writes_each_resource_once(aws, clients, function_arns):
    aws.reset_calls()
    result, made = converge(clients, desired(function_arns))
    assert made == [
        f"create HTTP API {NAME}",
        f"create authorizer cognito of HTTP API {NAME}",
        f"create integration of HTTP API {NAME} with function post-confirmation",
        f"create integration of HTTP API {NAME} with function profile",
        f"create route GET /api/health of HTTP API {NAME}",
        f"create route GET /api/me of HTTP API {NAME}",
        f"create route PUT /api/me of HTTP API {NAME}",
        f"create stage $default of HTTP API {NAME}",
    ]
    operations = [operation for _service, operation in writes(aws.calls())]
    assert operations == [
        "CreateApi",
        "CreateAuthorizer",
        "CreateIntegration",
        "CreateIntegration",
        "CreateRoute",
        "CreateRoute",
        "CreateRoute",
        "CreateStage",
    ]
    assert result["api_id"] != KNOWN_AFTER_CREATION


def test_second_converge_writes_nothing(created, aws, clients, function_arns):
    result, made = converge(clients, desired(function_arns))
    calls = aws.calls()
    assert made == []
    assert writes(calls) == []
    assert calls["writes"] == 0
    # GetApis, GetAuthorizers, GetIntegrations, GetRoutes, GetStage: one read each.
    assert calls["reads"] == 5, calls["calls"]
    assert result == created


def test_check_mode_plans_everything_and_writes_nothing(aws, clients, function_arns, apigw):
    aws.reset_calls()
    result, made = converge(clients, desired(function_arns), check_mode=True)
    assert made[0] == f"create HTTP API {NAME}"
    assert made[-1] == f"create stage $default of HTTP API {NAME}"
    assert len(made) == 8
    assert aws.calls()["writes"] == 0
    assert apigw.get_apis()["Items"] == []
    assert result["api_id"] == result["api_endpoint"] == result["authorizer_id"] == KNOWN_AFTER_CREATION
    assert result["execution_arn"] == KNOWN_AFTER_CREATION
    assert result["routes"] == {route["route_key"]: KNOWN_AFTER_CREATION for route in PROFILE_ROUTES}


def test_check_mode_of_a_change_lists_it_and_writes_nothing(created, aws, clients, function_arns):
    wanted = desired(function_arns, tier="medium", profile_routes=PROFILE_ROUTES[:2], videos=True)
    result, made = converge(clients, wanted, check_mode=True)
    assert made == [
        f"create integration of HTTP API {NAME} with function videos",
        f"create route GET /api/videos of HTTP API {NAME}",
        f"delete route PUT /api/me of HTTP API {NAME} (no longer in the spec)",
        f"update stage $default of HTTP API {NAME}: throttling 200/s burst 400",
    ]
    assert aws.calls()["writes"] == 0
    assert result["routes"]["GET /api/videos"] == KNOWN_AFTER_CREATION
    assert result["api_id"] == created["api_id"]


def test_a_tier_change_only_updates_the_stage(created, aws, clients, function_arns, apigw):
    _result, made = converge(clients, desired(function_arns, tier="large"))
    assert made == [f"update stage $default of HTTP API {NAME}: throttling 1000/s burst 2000"]
    assert writes(aws.calls()) == [("apigateway", "UpdateStage")]
    stage = apigw.get_stage(ApiId=created["api_id"], StageName="$default")
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == tier_settings("large")["api_throttle_rate"]
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == tier_settings("large")["api_throttle_burst"]
    assert stage["AccessLogSettings"]["DestinationArn"] == function_arns["log_group"]
    aws.reset_calls()
    assert converge(clients, desired(function_arns, tier="large"))[1] == []
    assert aws.calls()["writes"] == 0


def test_a_new_route_only_creates_it(created, aws, clients, function_arns, apigw):
    routes = [*PROFILE_ROUTES, {"route_key": "DELETE /api/me", "authorization": "jwt"}]
    result, made = converge(clients, desired(function_arns, profile_routes=routes))
    assert made == [f"create route DELETE /api/me of HTTP API {NAME}"]
    assert writes(aws.calls()) == [("apigateway", "CreateRoute")]
    route = next(
        item for item in apigw.get_routes(ApiId=created["api_id"])["Items"] if item["RouteKey"] == "DELETE /api/me"
    )
    assert route["RouteId"] == result["routes"]["DELETE /api/me"]
    assert (route["AuthorizationType"], route["AuthorizerId"]) == ("JWT", created["authorizer_id"])
    assert (
        route["Target"] == apigw.get_route(ApiId=created["api_id"], RouteId=created["routes"]["GET /api/me"])["Target"]
    )


def test_a_removed_route_is_deleted(created, aws, clients, function_arns, apigw):
    result, made = converge(clients, desired(function_arns, profile_routes=PROFILE_ROUTES[:2]))
    assert made == [f"delete route PUT /api/me of HTTP API {NAME} (no longer in the spec)"]
    assert writes(aws.calls()) == [("apigateway", "DeleteRoute")]
    assert sorted(item["RouteKey"] for item in apigw.get_routes(ApiId=created["api_id"])["Items"]) == [
        "GET /api/health",
        "GET /api/me",
    ]
    assert sorted(result["routes"]) == ["GET /api/health", "GET /api/me"]


def test_a_route_someone_else_made_is_left_alone(created, aws, clients, function_arns, apigw):
    integration = apigw.create_integration(
        ApiId=created["api_id"],
        IntegrationType="HTTP_PROXY",
        IntegrationUri="https://example.com",
        IntegrationMethod="GET",
    )
    apigw.create_route(
        ApiId=created["api_id"], RouteKey="GET /legacy", Target=f"integrations/{integration['IntegrationId']}"
    )
    aws.reset_calls()
    _result, made = converge(clients, desired(function_arns))
    assert made == []
    assert aws.calls()["writes"] == 0


def test_drift_is_put_right(created, aws, clients, function_arns, apigw):
    api_id = created["api_id"]
    apigw.update_api(
        ApiId=api_id,
        CorsConfiguration={"AllowOrigins": ["*"], "AllowMethods": ["GET"], "AllowHeaders": ["authorization"]},
    )
    apigw.update_authorizer(
        ApiId=api_id,
        AuthorizerId=created["authorizer_id"],
        JwtConfiguration={"Issuer": "https://evil.example.com", "Audience": [CLIENT_ID]},
    )
    apigw.update_route(ApiId=api_id, RouteId=created["routes"]["GET /api/me"], AuthorizationType="NONE")
    apigw.update_route(
        ApiId=api_id,
        RouteId=created["routes"]["GET /api/health"],
        AuthorizationType="JWT",
        AuthorizerId=created["authorizer_id"],
    )
    apigw.untag_resource(ResourceArn=f"arn:aws:apigateway:{REGION}::/apis/{api_id}", TagKeys=["cost-center"])
    [profile] = [
        item
        for item in apigw.get_integrations(ApiId=api_id)["Items"]
        if item["IntegrationUri"] == function_arns["profile"]
    ]
    apigw.update_integration(ApiId=api_id, IntegrationId=profile["IntegrationId"], PayloadFormatVersion="1.0")
    aws.reset_calls()

    _result, made = converge(clients, desired(function_arns))

    assert made == [
        f"update HTTP API {NAME}: set CORS to https://{DOMAIN}, https://www.{DOMAIN}",
        f"tag HTTP API {NAME}: set cost-center",
        f"update authorizer cognito of HTTP API {NAME}",
        f"update integration of HTTP API {NAME} with function profile",
        f"update route GET /api/health of HTTP API {NAME}",
        f"update route GET /api/me of HTTP API {NAME}",
    ]
    operations = [operation for _service, operation in writes(aws.calls())]
    assert operations == [
        "UpdateApi",
        "TagResource",
        "UpdateAuthorizer",
        "UpdateIntegration",
        "UpdateRoute",
        "UpdateRoute",
    ]
    assert apigw.get_api(ApiId=api_id)["CorsConfiguration"]["AllowOrigins"] == [
        f"https://{DOMAIN}",
        f"https://www.{DOMAIN}",
    ]
    route = apigw.get_route(ApiId=api_id, RouteId=created["routes"]["GET /api/me"])
    assert (route["AuthorizationType"], route["AuthorizerId"]) == ("JWT", created["authorizer_id"])
    integration = apigw.get_integration(ApiId=api_id, IntegrationId=profile["IntegrationId"])
    assert integration["PayloadFormatVersion"] == "2.0"
    health = apigw.get_route(ApiId=api_id, RouteId=created["routes"]["GET /api/health"])
    assert health["AuthorizationType"] == "NONE" and "AuthorizerId" not in health
    assert apigw.get_authorizer(ApiId=api_id, AuthorizerId=created["authorizer_id"])["JwtConfiguration"] == {
        "Issuer": f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}",
        "Audience": [CLIENT_ID],
    }
    aws.reset_calls()
    assert converge(clients, desired(function_arns))[1] == []
    assert aws.calls()["writes"] == 0


def test_a_refused_write_fails_naming_it_and_what_was_made(created, clients, function_arns, apigw):
    wanted = desired(function_arns, tier="large", profile_routes=PROFILE_ROUTES[:2])
    current = read_http_api(clients, CREATOR)
    # The stage goes between the read and the write, as when someone deletes it by hand during a run.
    apigw.delete_stage(ApiId=created["api_id"], StageName="$default")
    changes = Changes(False)

    with pytest.raises(ConvergeError) as failure:
        ensure_http_api(changes, clients, wanted, current)

    assert failure.value.message.startswith(f"could not update stage $default of HTTP API {NAME}")
    assert failure.value.changes == [f"delete route PUT /api/me of HTTP API {NAME} (no longer in the spec)"]


def test_an_api_of_the_same_name_without_the_creator_tag_is_not_ours(aws, clients, function_arns, apigw):
    stranger = apigw.create_api(Name=NAME, ProtocolType="HTTP", Tags={"creatorcloud:creator": "someone-else"})
    result, _made = converge(clients, desired(function_arns))
    assert result["api_id"] != stranger["ApiId"]
    aws.reset_calls()
    assert converge(clients, desired(function_arns))[0]["api_id"] == result["api_id"]
    assert aws.calls()["writes"] == 0


def test_two_apis_of_the_creator_fail_naming_both(created, clients, apigw):
    second = apigw.create_api(Name=NAME, ProtocolType="HTTP", Tags={"creatorcloud:creator": CREATOR})
    with pytest.raises(ConvergeError) as failure:
        read_http_api(clients, CREATOR)
    assert created["api_id"] in failure.value.message and second["ApiId"] in failure.value.message
    assert "delete all but one" in failure.value.message


def test_summary_of_what_was_read_matches_the_result(created, clients):
    assert summarize_http_api(read_http_api(clients, CREATOR), REGION, ACCOUNT_ID) == created
    assert summarize_http_api(None, REGION, ACCOUNT_ID) == {}


def test_route_errors_name_the_route_and_function():
    functions = {
        "profile": {"routes": [{"route_key": "GET /api/me"}, {"route_key": "fetch me", "authorization": "iam"}]},
        "videos": {"routes": [{"route_key": "GET /api/me", "authorization": "none"}]},
    }
    assert route_errors(functions) == [
        "function profile: route_key 'fetch me' is not '<METHOD> /<path>'",
        "function profile: route fetch me has authorization 'iam', not one of jwt, none",
        "route GET /api/me is declared by both function profile and function videos",
    ]
    assert route_errors({"profile": {"routes": PROFILE_ROUTES}}) == []
