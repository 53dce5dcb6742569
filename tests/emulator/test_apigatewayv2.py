# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API Gateway v2 GetAuthorizers and UpdateStage (moto has the singular GetAuthorizer and no UpdateStage),
GetApis, GetIntegrations, GetRoutes and GetStages in pages (moto answers all items at once, ignoring MaxResults),
and UpdateRoute to AuthorizationType NONE detaching the authorizer (moto keeps it).
"""

from datetime import datetime

import pytest

from . import aws_error
from . import clients_in_accounts

LOG_GROUP = "arn:aws:logs:eu-central-1:123456789012:log-group:/creator/api"


@pytest.fixture
def apigw(aws_client):
    return aws_client("apigatewayv2")


@pytest.fixture
def api(apigw):
    return apigw.create_api(Name="creator", ProtocolType="HTTP")["ApiId"]


def jwt_authorizer(apigw, api, name):
    return apigw.create_authorizer(
        ApiId=api,
        Name=name,
        AuthorizerType="JWT",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Audience": ["creator"], "Issuer": "https://issuer.example.com"},
    )


def test_get_authorizers_lists_them_all(apigw, api):
    created = [jwt_authorizer(apigw, api, name) for name in ("first", "second")]

    items = apigw.get_authorizers(ApiId=api)["Items"]

    assert [item["AuthorizerId"] for item in items] == [authorizer["AuthorizerId"] for authorizer in created]
    assert items[0] == {key: value for key, value in created[0].items() if key != "ResponseMetadata"}
    assert items[0]["JwtConfiguration"] == {"Audience": ["creator"], "Issuer": "https://issuer.example.com"}
    assert apigw.get_authorizers(ApiId=apigw.create_api(Name="bare", ProtocolType="HTTP")["ApiId"])["Items"] == []


def test_get_authorizers_pages(apigw, api):
    for name in ("a", "b", "c"):
        jwt_authorizer(apigw, api, name)

    first = apigw.get_authorizers(ApiId=api, MaxResults="2")
    second = apigw.get_authorizers(ApiId=api, MaxResults="2", NextToken=first["NextToken"])

    assert [item["Name"] for item in first["Items"] + second["Items"]] == ["a", "b", "c"]
    assert "NextToken" not in second
    with aws_error("BadRequestException", 400):
        apigw.get_authorizers(ApiId=api, NextToken="not-a-token")


def add_apis(apigw, api, count):
    """`count` more HTTP APIs; their names."""
    return [apigw.create_api(Name=f"api-{number}", ProtocolType="HTTP")["Name"] for number in range(count)]


def add_integrations(apigw, api, count):
    """`count` Lambda proxy integrations of `api`; their function ARNs."""
    uris = [f"arn:aws:lambda:eu-central-1:123456789012:function:fn-{number}" for number in range(count)]
    for uri in uris:
        apigw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=uri, PayloadFormatVersion="2.0")
    return uris


def add_routes(apigw, api, count):
    """`count` routes of `api`; their route keys."""
    keys = [f"GET /route-{number}" for number in range(count)]
    for key in keys:
        apigw.create_route(ApiId=api, RouteKey=key)
    return keys


def add_stages(apigw, api, count):
    """`count` stages of `api`; their names."""
    names = [f"stage-{number}" for number in range(count)]
    for name in names:
        apigw.create_stage(ApiId=api, StageName=name)
    return names


LISTS = {
    "get_apis": (add_apis, "Name", False),
    "get_integrations": (add_integrations, "IntegrationUri", True),
    "get_routes": (add_routes, "RouteKey", True),
    "get_stages": (add_stages, "StageName", True),
}


@pytest.mark.parametrize("operation", sorted(LISTS))
def test_lists_come_in_pages(apigw, api, operation):
    add, member, per_api = LISTS[operation]
    expected = add(apigw, api, 3)
    call = getattr(apigw, operation)
    arguments = {"ApiId": api} if per_api else {}
    if not per_api:
        expected = ["creator", *expected]

    first = call(MaxResults="2", **arguments)
    rest = call(MaxResults="2", NextToken=first["NextToken"], **arguments)
    everything = apigw.get_paginator(operation).paginate(PaginationConfig={"PageSize": 1}, **arguments)

    assert len(first["Items"]) == 2
    assert [item[member] for item in first["Items"] + rest["Items"]] == expected
    assert "NextToken" not in rest
    assert [item[member] for item in everything.build_full_result()["Items"]] == expected
    assert [item[member] for item in call(**arguments)["Items"]] == expected
    with aws_error("BadRequestException", 400):
        call(NextToken="not-a-token", **arguments)


def test_a_token_fits_only_its_api(apigw, api):
    add_routes(apigw, api, 3)
    other = apigw.create_api(Name="other", ProtocolType="HTTP")["ApiId"]
    add_routes(apigw, other, 3)

    token = apigw.get_routes(ApiId=api, MaxResults="1")["NextToken"]

    with aws_error("BadRequestException", 400):
        apigw.get_routes(ApiId=other, NextToken=token)


def test_a_route_without_authorization_has_no_authorizer(apigw, api):
    authorizer = jwt_authorizer(apigw, api, "cognito")["AuthorizerId"]
    route = apigw.create_route(
        ApiId=api, RouteKey="GET /me", AuthorizationType="JWT", AuthorizerId=authorizer, Target="integrations/x"
    )["RouteId"]

    updated = apigw.update_route(ApiId=api, RouteId=route, AuthorizationType="NONE")

    found = apigw.get_route(ApiId=api, RouteId=route)
    for answer in (updated, found):
        assert answer["AuthorizationType"] == "NONE"
        assert "AuthorizerId" not in answer
        assert answer["Target"] == "integrations/x"
    apigw.update_route(ApiId=api, RouteId=route, Target="integrations/y")
    assert apigw.get_route(ApiId=api, RouteId=route)["AuthorizationType"] == "NONE"
    apigw.update_route(ApiId=api, RouteId=route, AuthorizationType="JWT", AuthorizerId=authorizer)
    assert apigw.get_route(ApiId=api, RouteId=route)["AuthorizerId"] == authorizer


def test_stages_round_trip(apigw, api):
    created = apigw.create_stage(
        ApiId=api,
        StageName="live",
        DefaultRouteSettings={"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.0},
        StageVariables={"backend": "blue"},
    )

    assert isinstance(created["CreatedDate"], datetime) and isinstance(created["LastUpdatedDate"], datetime)
    found = apigw.get_stage(ApiId=api, StageName="live")
    assert found["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.0}
    assert found["StageVariables"] == {"backend": "blue"}
    assert [stage["StageName"] for stage in apigw.get_stages(ApiId=api)["Items"]] == ["live"]


def test_update_stage_round_trips_every_setting(apigw, api):
    apigw.create_stage(ApiId=api, StageName="live")
    settings = {
        "DefaultRouteSettings": {
            "ThrottlingBurstLimit": 20,
            "ThrottlingRateLimit": 7.5,
            "DetailedMetricsEnabled": True,
        },
        "RouteSettings": {"GET /videos": {"ThrottlingBurstLimit": 5, "ThrottlingRateLimit": 2.0}},
        "AccessLogSettings": {"DestinationArn": LOG_GROUP, "Format": "$context.requestId"},
        "StageVariables": {"backend": "green"},
        "AutoDeploy": True,
        "Description": "live traffic",
    }

    updated = apigw.update_stage(ApiId=api, StageName="live", **settings)

    found = apigw.get_stage(ApiId=api, StageName="live")
    for response in (updated, found):
        assert {key: response[key] for key in settings} == settings
    assert found["LastUpdatedDate"] >= found["CreatedDate"]


def test_update_stage_keeps_what_it_does_not_name(apigw, api):
    apigw.create_stage(
        ApiId=api,
        StageName="live",
        DefaultRouteSettings={"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.0},
        StageVariables={"backend": "blue"},
        Description="before",
    )

    apigw.update_stage(ApiId=api, StageName="live", DefaultRouteSettings={"ThrottlingBurstLimit": 10})

    found = apigw.get_stage(ApiId=api, StageName="live")
    assert found["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 50.0}
    assert (found["StageVariables"], found["Description"]) == ({"backend": "blue"}, "before")


@pytest.mark.parametrize(
    "call",
    [
        lambda apigw, api: apigw.update_stage(ApiId=api, StageName="missing", Description="x"),
        lambda apigw, api: apigw.update_stage(ApiId="missing", StageName="live", Description="x"),
        lambda apigw, api: apigw.get_authorizers(ApiId="missing"),
        lambda apigw, api: apigw.get_routes(ApiId="missing"),
        lambda apigw, api: apigw.get_integrations(ApiId="missing"),
        lambda apigw, api: apigw.get_stages(ApiId="missing"),
    ],
)
def test_unknown_ids_are_not_found(apigw, api, call):
    with aws_error("NotFoundException", 404):
        call(apigw, api)


def test_reset_forgets_everything(aws, apigw, api):
    jwt_authorizer(apigw, api, "first")

    aws.reset_state()

    assert apigw.get_apis()["Items"] == []
    with aws_error("NotFoundException"):
        apigw.get_authorizers(ApiId=api)


def test_accounts_are_isolated(aws_client):
    first, second = clients_in_accounts(aws_client, "apigatewayv2")
    api = first.create_api(Name="creator", ProtocolType="HTTP")["ApiId"]
    jwt_authorizer(first, api, "first")
    first.create_stage(ApiId=api, StageName="live")

    assert [item["Name"] for item in first.get_authorizers(ApiId=api)["Items"]] == ["first"]
    with aws_error("NotFoundException"):
        second.get_authorizers(ApiId=api)
    with aws_error("NotFoundException"):
        second.update_stage(ApiId=api, StageName="live", Description="x")
