# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the backend's unit tests: moto in-process (mock_aws, not the emulator server).

The Users table is made the way the tables module makes it (partition key userId; GSIs
email-index and username-index); the pool has the groups the auth slice makes. Events are
API Gateway HTTP API payload 2.0 with the JWT claims the authorizer would pass.
"""

import functools
import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "files" / "backend"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from creatorcloud_backend import aws_clients  # noqa: E402
from creatorcloud_backend.handlers import chat  # noqa: E402
from creatorcloud_backend.handlers import post_confirmation  # noqa: E402
from creatorcloud_backend.handlers import profile  # noqa: E402

# moto has no IVS Chat; the emulator's addition registers in-process too (it only adds a service to moto's
# URL patterns and backend lookup), so the backend's tests keep in-process moto and need no server.
from creatorcloud_emulator.additions import ivschat as emulator_ivschat  # noqa: E402

emulator_ivschat.register()

REGION = "eu-central-1"
USERS_TABLE = "Users"
MESSAGES_TABLE = "Messages"
GROUPS = ("admin", "member", "moderator", "premium")
# One session for the whole run: loading the service models again for every case costs more than the case.
TEST_SESSION = boto3.session.Session()


def create_users_table(dynamodb):
    """The Users table as the tables module creates it."""
    dynamodb.create_table(
        TableName=USERS_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("userId", "email", "username")
        ],
        KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": f"{name}-index",
                "KeySchema": [{"AttributeName": name, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name in ("email", "username")
        ],
    )


def create_messages_table(dynamodb):
    """The Messages table as the tables module creates it (the seed in roles/tables/defaults)."""
    dynamodb.create_table(
        TableName=MESSAGES_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("streamId", "timestamp", "userId")
        ],
        KeySchema=[
            {"AttributeName": "streamId", "KeyType": "HASH"},
            {"AttributeName": "timestamp", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "userId-index",
                "KeySchema": [
                    {"AttributeName": "userId", "KeyType": "HASH"},
                    {"AttributeName": "timestamp", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


@dataclass
class BackendAws:
    """The mocked AWS a test runs against."""

    dynamodb: object
    cognito: object
    user_pool_id: str

    def table_items(self):
        """Every item of the Users table."""
        return self.dynamodb.scan(TableName=USERS_TABLE)["Items"]

    def message_rows(self):
        """Every item of the Messages table."""
        return self.dynamodb.scan(TableName=MESSAGES_TABLE)["Items"]


@pytest.fixture
def backend_aws(monkeypatch):
    """Mocked AWS with the Users table and a pool with its groups; the function's environment set."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "CREATORCLOUD_AWS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    with mock_aws():
        dynamodb = TEST_SESSION.client("dynamodb", region_name=REGION)
        cognito = TEST_SESSION.client("cognito-idp", region_name=REGION)
        create_users_table(dynamodb)
        create_messages_table(dynamodb)
        pool_id = cognito.create_user_pool(PoolName="fans", UsernameAttributes=["email"])["UserPool"]["Id"]
        for group in GROUPS:
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
        monkeypatch.setenv("USERS_TABLE", USERS_TABLE)
        monkeypatch.setenv("MESSAGES_TABLE", MESSAGES_TABLE)
        monkeypatch.setenv("USER_POOL_ID", pool_id)
        aws_clients.forget_clients()
        yield BackendAws(dynamodb, cognito, pool_id)
    aws_clients.forget_clients()
    # mock_aws resets moto's own services only; the emulator's IVS Chat keeps rooms until told.
    emulator_ivschat.ivschat_backends.reset()


@dataclass
class LambdaContext:
    """The attributes of a Lambda context that Powertools' Logger reads."""

    function_name: str = "creatorcloud-profile"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-central-1:123456789012:function:creatorcloud-profile"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def lambda_context():
    """A Lambda context."""
    return LambdaContext()


@dataclass
class Fan:
    """A signed-up fan: the pool's user and the claims of their token."""

    user_id: str
    email: str
    groups: tuple = ()

    @property
    def claims(self):
        """The JWT claims as an HTTP API passes them (cognito:groups as "[a b]")."""
        claims = {"sub": self.user_id, "email": self.email, "token_use": "id"}
        if self.groups:
            claims["cognito:groups"] = "[" + " ".join(self.groups) + "]"
        return claims


def post_confirmation_event(pool_id, sub, email, trigger="PostConfirmation_ConfirmSignUp"):
    """A Cognito post-confirmation trigger event."""
    return {
        "version": "1",
        "region": REGION,
        "userPoolId": pool_id,
        "userName": email,
        "triggerSource": trigger,
        "request": {"userAttributes": {"sub": sub, "email": email, "email_verified": "true"}},
        "response": {},
    }


@pytest.fixture
def confirmation_event(backend_aws):
    """confirmation_event(sub, email, trigger=...) -> a post-confirmation event of the test's pool."""
    return functools.partial(post_confirmation_event, backend_aws.user_pool_id)


@pytest.fixture
def sign_up(backend_aws, lambda_context):
    """sign_up(email, groups=()) -> Fan: the pool's user, in its groups, confirmed (row created)."""

    def create(email, groups=()):
        """Create, group and confirm one fan."""
        user = backend_aws.cognito.admin_create_user(
            UserPoolId=backend_aws.user_pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        )["User"]
        sub = next(item["Value"] for item in user["Attributes"] if item["Name"] == "sub")
        for group in groups:
            backend_aws.cognito.admin_add_user_to_group(
                UserPoolId=backend_aws.user_pool_id, Username=email, GroupName=group
            )
        post_confirmation.handler(post_confirmation_event(backend_aws.user_pool_id, sub, email), lambda_context)
        return Fan(sub, email, tuple(groups))

    return create


@pytest.fixture
def unconfirmed_fan(backend_aws):
    """Verified claims of a user without a Users row (the trigger never ran for them)."""
    return Fan(str(uuid.uuid4()), "ghost@example.com")


def http_event(method, path, body=None, claims=None, query=None):
    """An API Gateway HTTP API payload 2.0 event for the route key "<METHOD> <path>"."""
    request_context = {
        "accountId": "123456789012",
        "apiId": "api",
        "domainName": "fans.example",
        "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
        "requestId": str(uuid.uuid4()),
        "routeKey": f"{method} {path}",
        "stage": "$default",
        "time": "25/Nov/2026:10:00:00 +0000",
        "timeEpoch": 1795600000000,
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    query = query or {}
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{key}={value}" for key, value in query.items()),
        "headers": {"content-type": "application/json", "host": "fans.example"},
        "queryStringParameters": query or None,
        "requestContext": request_context,
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


@dataclass
class ApiResponse:
    """What the profile function answered."""

    status: int
    body: object
    headers: dict


def api_caller(handler, lambda_context):
    """call(method, path, fan=None, body=None, query=None) -> ApiResponse from `handler`."""

    def call(method, path, fan=None, body=None, query=None):
        """Invoke the handler with an event as API Gateway would send it."""
        event = http_event(method, path, body=body, claims=fan.claims if fan else None, query=query)
        response = handler(event, lambda_context)
        return ApiResponse(response["statusCode"], json.loads(response["body"] or "null"), response["headers"])

    return call


@pytest.fixture
def call_api(backend_aws, lambda_context):
    """call_api(method, path, fan=None, body=None, query=None) -> ApiResponse from the profile handler."""
    return api_caller(profile.handler, lambda_context)


@pytest.fixture
def chat_room(backend_aws, monkeypatch):
    """The creator's chat room in the mocked account; CHAT_ROOM_ARN set as the api role sets it."""
    client = TEST_SESSION.client("ivschat", region_name=REGION)
    room = client.create_room(name="creatorcloud-creator1-chat", maximumMessageLength=500)
    monkeypatch.setenv("CHAT_ROOM_ARN", room["arn"])
    return room


@pytest.fixture
def call_chat(chat_room, lambda_context):
    """call_chat(method, path, fan=None, body=None, query=None) -> ApiResponse from the chat handler."""
    return api_caller(chat.handler, lambda_context)


@pytest.fixture
def ivschat_calls(backend_aws):
    """The IVS Chat calls the backend makes, as moto answered them: [(operation, params)], in order.

    Recorded from botocore's after-call event of the backend's own client, so each call has
    really been sent to (and accepted by) moto; moto keeps no state for DeleteMessage or DisconnectUser.
    """
    calls = []

    def remember(model, params, context, **unused_kwargs):
        """Keep the request's operation and parameters with the call until moto has answered."""
        context["creatorcloud_test_call"] = (model.name, json.loads(params["body"] or b"{}"))

    def record(http_response, context, **unused_kwargs):
        """Log the call if moto accepted it."""
        if http_response.status_code < 300:
            calls.append(context["creatorcloud_test_call"])

    events = aws_clients.ivschat().meta.events
    events.register("before-call.ivschat", remember)
    events.register("after-call.ivschat", record)
    return calls
