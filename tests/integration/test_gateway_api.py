# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local gateway serves the creator's HTTP API in-process, as API Gateway would, and forwards Cognito's calls.

Each test makes creator1's account in an emulated organization with its site and, with boto3,
the auth and api slices' resources as the API contract names them (gateway_fixtures), then asks
the gateway's WSGI app through werkzeug's test client. Tokens are real RS256 tokens of the
emulator's Cognito; the functions run from the repository's files/backend.
"""

import base64
import json
import time
import urllib.error
import urllib.request

import jwt
import pytest
from creatorcloud_gateway.api_events import api_event
from creatorcloud_gateway.api_events import proxy_response
from creatorcloud_gateway.http_api import HttpApi
from creatorcloud_gateway.http_api import Route
from creatorcloud_gateway.jwt_authorizer import claim_string
from gateway_fixtures import CreatorApiResources
from gateway_fixtures import gateway_for
from gateway_fixtures import organization_fixture  # noqa: F401  # pylint: disable=unused-import
from moto.utilities.utils import load_resource
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

DOMAIN = "creator1.example"
SITE_CONFIG = {
    "api_url": "https://abc123.execute-api.eu-central-1.amazonaws.com",
    "auth": {
        "region": "eu-central-1",
        "user_pool_id": "eu-central-1_placeholder",
        "client_id": "placeholder",
        "endpoint": "https://cognito-idp.eu-central-1.amazonaws.com/",
    },
    "features": ["auth"],
}
SITE = {
    "index.html": (b"<!doctype html><title>Creator One</title>", "text/html; charset=utf-8", "no-cache"),
    "config.json": (json.dumps(SITE_CONFIG).encode(), "application/json", "no-cache"),
}
COGNITO_PATH = "/_aws/cognito-idp/"
TARGET = "AWSCognitoIdentityProviderService."
UNAUTHORIZED = {"message": "Unauthorized"}


@pytest.fixture
def creator1(aws, organization):
    """creator1's account: the site, its distribution, and the auth and api slices' resources."""
    account = organization("creator1")
    account.upload(SITE)
    account.distribution()
    resources = CreatorApiResources(aws.endpoint_url, "creator1", account.account_id, DOMAIN).create()
    resources.website = account
    return resources


def bearer(token):
    """The Authorization header the site sends."""
    return {"Authorization": f"Bearer {token}"}


def cognito_call(client, operation, body):
    """A call of Cognito's user API through the gateway, as the site's Cognito client makes it."""
    return client.post(
        COGNITO_PATH,
        data=json.dumps(body),
        headers={"X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.1"},
    )


def confirmation_code(endpoint_url, email):
    """The latest code the emulator's mailbox holds for `email`.

    The emulator mails real confirmation codes (GET /_creatorcloud/mail); one without the mailbox
    is moto alone, which confirms a sign-up with any code.
    """
    try:
        with urllib.request.urlopen(f"{endpoint_url}/_creatorcloud/mail?to={email}", timeout=10) as response:
            mails = json.loads(response.read())
    except urllib.error.HTTPError:
        return "123456"
    return next(item["code"] for item in reversed(mails) if item.get("code")) if mails else "123456"


def signed_up_fan(aws, client, creator, email, password="Fan-passw0rd!"):
    """A fan who signed up and confirmed through the gateway's Cognito forward, as on the site."""
    signed_up = cognito_call(
        client,
        "SignUp",
        {
            "ClientId": creator.client_id,
            "Username": email,
            "Password": password,
            "UserAttributes": [{"Name": "email", "Value": email}],
        },
    )
    assert signed_up.status_code == 200, signed_up.data
    code = confirmation_code(aws.endpoint_url, email)
    confirmed = cognito_call(
        client, "ConfirmSignUp", {"ClientId": creator.client_id, "Username": email, "ConfirmationCode": code}
    )
    assert confirmed.status_code == 200, confirmed.data
    return creator.tokens(email, password)


def expired_id_token(creator, sub):
    """An ID token signed with the emulator's own key but expired an hour ago.

    moto issues tokens valid for an hour from now and offers no way to age them, so the test
    signs one itself with moto's private key (moto/cognitoidp/resources/jwks-private.json),
    which the emulator's JWKS publishes: only `exp` makes it invalid.
    """
    now = int(time.time())
    claims = {
        "iss": creator.issuer,
        "aud": creator.client_id,
        "sub": sub,
        "token_use": "id",
        "iat": now - 7200,
        "auth_time": now - 7200,
        "exp": now - 3600,
    }
    private_key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": "dummy"})


def test_health_is_public_and_me_needs_a_valid_token(aws, creator1):
    client = gateway_for(aws, "creator1")

    health = client.get("/api/health")
    missing = client.get("/api/me")
    garbage = client.get("/api/me", headers=bearer("not.a.token"))

    assert (health.status_code, health.json) == (200, {"status": "ok"})
    assert (missing.status_code, missing.json) == (401, UNAUTHORIZED)
    assert missing.headers["www-authenticate"] == "Bearer"
    assert (garbage.status_code, garbage.json) == (401, UNAUTHORIZED)
    assert 'error="invalid_token"' in garbage.headers["www-authenticate"]


def test_a_fan_who_signed_up_through_the_gateway_reads_and_changes_the_profile(aws, creator1):
    client = gateway_for(aws, "creator1")
    sub, id_token, unused_access_token = signed_up_fan(aws, client, creator1, "fan@example.com")

    profile = client.get("/api/me", headers=bearer(id_token))
    changed = client.put("/api/me", headers=bearer(id_token), json={"display_name": "Fan One", "username": "fan_one"})
    # API Gateway accepts the token without the Bearer prefix too.
    again = client.get("/api/me", headers={"Authorization": id_token})

    assert profile.status_code == 200, profile.data
    assert profile.json["user_id"] == sub
    assert profile.json["email"] == "fan@example.com"
    assert changed.status_code == 200, changed.data
    row = creator1.user_row(sub)
    assert row["displayName"] == {"S": "Fan One"}
    assert row["username"] == {"S": "fan_one"}
    assert again.json["username"] == "fan_one"


def test_the_post_confirmation_trigger_ran_with_the_functions_environment(aws, creator1):
    client = gateway_for(aws, "creator1")

    sub, unused_id_token, unused_access_token = signed_up_fan(aws, client, creator1, "new.fan@example.com")

    row = creator1.user_row(sub)
    assert row["email"] == {"S": "new.fan@example.com"}
    assert row["displayName"] == {"S": "new.fan"}
    assert row["kind"] == {"S": "user"}
    user = creator1.cognito.admin_get_user(UserPoolId=creator1.pool_id, Username="new.fan@example.com")
    assert user["UserStatus"] == "CONFIRMED"


def test_an_access_token_of_the_website_client_is_accepted(aws, creator1):
    client = gateway_for(aws, "creator1")
    unused_sub, unused_id_token, access_token = creator1.fan("fan@example.com")

    response = client.get("/api/me", headers=bearer(access_token))

    # The fan was made by AdminCreateUser, so no trigger made a row: the backend's own 404.
    assert (response.status_code, response.json["code"]) == (404, "profile_not_found")


def test_tokens_of_another_pool_another_client_or_expired_are_refused(aws, creator1, organization):
    client = gateway_for(aws, "creator1")
    creator2_account = organization("creator2")
    creator2 = CreatorApiResources(aws.endpoint_url, "creator2", creator2_account.account_id, "creator2.example")
    creator2.create_pool()
    unused_sub, other_pool_token, unused_access_token = creator2.fan("fan@example.com")
    sub, unused_id_token, unused_access_token = creator1.fan("fan@example.com")
    other_client_id = creator1.cognito.create_user_pool_client(
        UserPoolId=creator1.pool_id, ClientName="another-app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    unused_sub, other_client_token, other_client_access = creator1.tokens("fan@example.com", client_id=other_client_id)
    # Signed with a shared secret instead of the pool's RSA key: API Gateway accepts RS256 only.
    hs256 = jwt.encode(
        {"iss": creator1.issuer, "aud": creator1.client_id, "sub": sub, "token_use": "id", "exp": time.time() + 600},
        "a-shared-secret-of-at-least-32-bytes!",
        algorithm="HS256",
        headers={"kid": "dummy"},
    )

    refused = {
        "another pool": client.get("/api/me", headers=bearer(other_pool_token)),
        "another client (id)": client.get("/api/me", headers=bearer(other_client_token)),
        "another client (access)": client.get("/api/me", headers=bearer(other_client_access)),
        "expired": client.get("/api/me", headers=bearer(expired_id_token(creator1, sub))),
        "HS256": client.get("/api/me", headers=bearer(hs256)),
    }

    assert {case: (r.status_code, r.json) for case, r in refused.items()} == dict.fromkeys(refused, (401, UNAUTHORIZED))
    assert "the token has expired" in refused["expired"].headers["www-authenticate"]


def test_an_undefined_route_is_api_gateways_404_and_a_member_gets_the_backends_403(aws, creator1):
    client = gateway_for(aws, "creator1")
    unused_sub, member_token, unused_access_token = creator1.fan("member@example.com", groups=["member"])
    unused_sub, admin_token, unused_access_token = creator1.fan("admin@example.com", groups=["admin"])

    undefined = [client.get("/api/nothing"), client.post("/api/health"), client.get("/api/me/export/more")]
    member = client.get("/api/admin/users", headers=bearer(member_token))
    admin = client.get("/api/admin/users", headers=bearer(admin_token))

    assert [(r.status_code, r.json) for r in undefined] == [(404, {"message": "Not Found"})] * 3
    assert (member.status_code, member.json["code"]) == (403, "forbidden")
    assert admin.status_code == 200, admin.data
    assert admin.json["users"] == []


def test_the_handler_runs_with_the_functions_environment_read_again_after_the_ttl(aws, creator1):
    sub, id_token, unused_access_token = creator1.fan("fan@example.com")
    creator1.dynamodb.put_item(
        TableName=creator1.users_table,
        Item={"userId": {"S": sub}, "kind": {"S": "user"}, "email": {"S": "fan@example.com"}},
    )
    fresh = gateway_for(aws, "creator1")
    cached = gateway_for(aws, "creator1", config_ttl=300)
    assert fresh.get("/api/me", headers=bearer(id_token)).status_code == 200
    assert cached.get("/api/me", headers=bearer(id_token)).status_code == 200

    creator1.create_users_table("creatorcloud-creator1-users-v2")
    creator1.lambda_.update_function_configuration(
        FunctionName=creator1.function_name("profile"),
        Environment=creator1.environment("profile", users_table="creatorcloud-creator1-users-v2"),
    )

    moved = fresh.get("/api/me", headers=bearer(id_token))
    assert (moved.status_code, moved.json["code"]) == (404, "profile_not_found")
    assert cached.get("/api/me", headers=bearer(id_token)).status_code == 200


def test_a_function_that_cannot_run_is_api_gateways_500(aws, creator1):
    creator1.lambda_.update_function_configuration(
        FunctionName=creator1.function_name("profile"), Handler="creatorcloud_backend.handlers.missing.handler"
    )

    response = gateway_for(aws, "creator1").get("/api/health")

    assert (response.status_code, response.json) == (500, {"message": "Internal Server Error"})


def test_cors_preflight_and_responses_allow_only_the_creators_domains(aws, creator1):
    client = gateway_for(aws, "creator1")
    preflight = {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization,content-type"}

    allowed = client.options("/api/me", headers={"Origin": f"https://www.{DOMAIN}", **preflight})
    refused = client.options("/api/me", headers={"Origin": "https://evil.example", **preflight})
    get_allowed = client.get("/api/health", headers={"Origin": f"https://{DOMAIN}"})
    get_refused = client.get("/api/health", headers={"Origin": "https://evil.example"})

    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == f"https://www.{DOMAIN}"
    assert allowed.headers["Access-Control-Allow-Methods"] == "GET,PUT,POST,DELETE"
    assert allowed.headers["Access-Control-Allow-Headers"] == "authorization,content-type"
    assert allowed.headers["Access-Control-Max-Age"] == "600"
    assert refused.status_code == 204
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert get_allowed.headers["Access-Control-Allow-Origin"] == f"https://{DOMAIN}"
    assert "Access-Control-Allow-Origin" not in get_refused.headers


def test_the_runtime_config_points_at_the_gateway(aws, creator1):
    response = gateway_for(aws, "creator1").get("/config.json", base_url="http://127.0.0.1:8080")

    assert response.status_code == 200
    assert json.loads(response.data) == {
        **SITE_CONFIG,
        "api_url": "http://127.0.0.1:8080",
        "auth": {**SITE_CONFIG["auth"], "endpoint": "http://127.0.0.1:8080/_aws/cognito-idp/"},
    }
    assert response.headers["Content-Type"] == "application/json"


def test_the_cognito_forward_signs_up_into_the_pool_and_refuses_other_operations(aws, creator1):
    client = gateway_for(aws, "creator1")

    signed_up = cognito_call(
        client,
        "SignUp",
        {
            "ClientId": creator1.client_id,
            "Username": "fan@example.com",
            "Password": "Fan-passw0rd!",
            "UserAttributes": [{"Name": "email", "Value": "fan@example.com"}],
        },
    )
    admin_call = cognito_call(
        client, "AdminCreateUser", {"UserPoolId": creator1.pool_id, "Username": "intruder@example.com"}
    )
    unknown = cognito_call(client, "NoSuchOperation", {})

    assert signed_up.status_code == 200, signed_up.data
    assert json.loads(signed_up.data)["UserConfirmed"] is False
    user = creator1.cognito.admin_get_user(UserPoolId=creator1.pool_id, Username="fan@example.com")
    assert user["UserStatus"] == "UNCONFIRMED"
    for refused in (admin_call, unknown):
        assert refused.status_code == 400
        assert json.loads(refused.data)["__type"] == "UnknownOperationException"
    users = creator1.cognito.list_users(UserPoolId=creator1.pool_id)["Users"]
    assert [u["Username"] for u in users] == [user["Username"]]


def test_a_failing_trigger_is_cognitos_user_lambda_validation_error_and_the_sign_up_stays_confirmed(aws, creator1):
    creator1.lambda_.update_function_configuration(
        FunctionName=creator1.function_name("post-confirmation"), Handler="creatorcloud_backend.handlers.gone.handler"
    )
    client = gateway_for(aws, "creator1")
    cognito_call(
        client,
        "SignUp",
        {"ClientId": creator1.client_id, "Username": "fan@example.com", "Password": "Fan-passw0rd!"},
    )

    confirmed = cognito_call(
        client,
        "ConfirmSignUp",
        {
            "ClientId": creator1.client_id,
            "Username": "fan@example.com",
            "ConfirmationCode": confirmation_code(aws.endpoint_url, "fan@example.com"),
        },
    )

    assert confirmed.status_code == 400
    assert json.loads(confirmed.data)["__type"] == "UserLambdaValidationException"
    user = creator1.cognito.admin_get_user(UserPoolId=creator1.pool_id, Username="fan@example.com")
    assert user["UserStatus"] == "CONFIRMED"


def test_the_status_names_the_api_and_its_routes(aws, creator1):
    status = gateway_for(aws, "creator1").get("/_creatorcloud/gateway")

    assert status.json["api"] == {"api_id": creator1.api_id, "routes": 7}


ROUTES = HttpApi(
    api_id="abc123",
    api_endpoint="https://abc123.execute-api.eu-central-1.amazonaws.com",
    routes=tuple(
        sorted(
            (
                Route(key, "i1")
                for key in (
                    "GET /api/pets/dog/1",
                    "GET /api/pets/dog/{id}",
                    "GET /api/pets/{proxy+}",
                    "ANY /api/pets/dog/1",
                    "ANY /{proxy+}",
                    "PUT /api/admin/users/{userId}/groups",
                    "$default",
                )
            ),
            key=Route.precedence,
        )
    ),
    authorizers={},
    integrations={},
)


@pytest.mark.parametrize(
    ("method", "path", "route_key", "parameters"),
    [
        ("GET", "/api/pets/dog/1", "GET /api/pets/dog/1", {}),
        ("POST", "/api/pets/dog/1", "ANY /api/pets/dog/1", {}),
        ("GET", "/api/pets/dog/2", "GET /api/pets/dog/{id}", {"id": "2"}),
        ("GET", "/api/pets/cat/1", "GET /api/pets/{proxy+}", {"proxy": "cat/1"}),
        ("PATCH", "/api/pets/cat", "ANY /{proxy+}", {"proxy": "api/pets/cat"}),
        ("PUT", "/api/admin/users/abc/groups", "PUT /api/admin/users/{userId}/groups", {"userId": "abc"}),
        ("GET", "/", "$default", {}),
    ],
)
def test_routes_are_selected_like_api_gateway_selects_them(method, path, route_key, parameters):
    match = ROUTES.match(method, path)

    assert (match.route.route_key, match.path_parameters) == (route_key, parameters)


def test_the_event_is_payload_format_2_0():
    request = Request(
        EnvironBuilder(
            method="POST",
            path="/api/pets/dog/7",
            query_string="tag=a&tag=b&q=x",
            headers=[("X-Seen", "1,2"), ("Cookie", "a=1; b=2"), ("User-Agent", "test")],
            data=b"\x00\x01binary",
            content_type="application/octet-stream",
        ).get_environ()
    )
    match = ROUTES.match("POST", "/api/pets/dog/7")

    event = api_event(request, ROUTES, match, "111122223333", {"claims": {"sub": "s"}, "scopes": None}, now=1.5)

    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "ANY /{proxy+}"
    assert (event["rawPath"], event["rawQueryString"]) == ("/api/pets/dog/7", "tag=a&tag=b&q=x")
    assert event["queryStringParameters"] == {"tag": "a,b", "q": "x"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["headers"]["x-seen"] == "1,2"
    assert "cookie" not in event["headers"]
    assert event["pathParameters"] == {"proxy": "api/pets/dog/7"}
    assert (base64.b64decode(event["body"]), event["isBase64Encoded"]) == (b"\x00\x01binary", True)
    context = event["requestContext"]
    assert context["domainName"] == "abc123.execute-api.eu-central-1.amazonaws.com"
    assert (context["domainPrefix"], context["accountId"], context["apiId"]) == ("abc123", "111122223333", "abc123")
    assert (context["stage"], context["timeEpoch"], context["time"]) == ("$default", 1500, "01/Jan/1970:00:00:01 +0000")
    assert context["http"]["method"] == "POST"
    assert context["http"]["userAgent"] == "test"
    assert context["authorizer"] == {"jwt": {"claims": {"sub": "s"}, "scopes": None}}


@pytest.mark.parametrize(
    ("result", "status", "body", "headers"),
    [
        ({"status": "ok"}, 200, b'{"status": "ok"}', {"Content-Type": "application/json"}),
        ("plain", 200, b"plain", {"Content-Type": "application/json"}),
        (
            {
                "statusCode": 201,
                "headers": {"X-A": "1"},
                "body": base64.b64encode(b"\x00").decode(),
                "isBase64Encoded": True,
            },
            201,
            b"\x00",
            {"X-A": "1"},
        ),
        ({"statusCode": "teapot"}, 500, b'{"message": "Internal Server Error"}', {"Content-Type": "application/json"}),
    ],
)
def test_a_result_becomes_the_response_api_gateway_makes_of_it(result, status, body, headers):
    response = proxy_response(result)

    assert (response.status_code, response.get_data()) == (status, body)
    assert {name: response.headers.get(name) for name in headers} == headers


def test_cookies_of_a_result_are_set_cookie_headers_and_claims_are_strings():
    response = proxy_response({"statusCode": 200, "cookies": ["a=1; Secure", "b=2"], "body": "{}"})

    assert response.headers.getlist("Set-Cookie") == ["a=1; Secure", "b=2"]
    assert claim_string(["admin", "member"]) == "[admin member]"
    assert (claim_string(True), claim_string(1700000000)) == ("true", "1700000000")
