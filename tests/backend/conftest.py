# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the backend's unit tests: moto in-process (mock_aws, not the emulator server).

The Users table is made the way the tables module makes it (partition key userId; GSIs
email-index and username-index); the pool has the groups the auth slice makes. Events are
API Gateway HTTP API payload 2.0 with the JWT claims the authorizer would pass.
"""

import functools
import hashlib
import hmac
import json
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests
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
GROUPS = ("admin", "door", "member", "moderator", "premium")
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
        # The profile function exports and erases every feature's data, so every feature's tables exist.
        create_monetisation_tables(dynamodb)
        without_monetisation_privacy_steps(monkeypatch)
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


# --- Monetisation (shop, membership, donations, the Stripe webhook) ---------------------------------------------

MONETISATION_TABLES = {
    "PRODUCTS_TABLE": ("Products", ["productId"]),
    "SHOPORDERS_TABLE": ("ShopOrders", ["orderId", "userId"]),
    "MEMBERSHIPS_TABLE": ("Memberships", ["userId"]),
    "DONATIONS_TABLE": ("Donations", ["donationId"]),
    "IDEMPOTENCY_TABLE": ("Idempotency", ["id"]),
}
MEMBERSHIP_TIERS = [{"id": "fan", "name": "Fan", "monthly": 500, "yearly": 5000}]
STRIPE_WEBHOOK_SECRET = "whsec_creator1"
SITE_URL = "https://fans.example"


def create_monetisation_tables(dynamodb):
    """Products, ShopOrders (seed schema, GSI userId-index), Memberships, Donations (GSI status-index), Idempotency."""
    for table_name, keys in MONETISATION_TABLES.values():
        request = {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for name in keys],
            "KeySchema": [
                {"AttributeName": name, "KeyType": kind} for name, kind in zip(keys, ("HASH", "RANGE"), strict=False)
            ],
        }
        if table_name == "ShopOrders":
            request["AttributeDefinitions"].append({"AttributeName": "createdAt", "AttributeType": "S"})
            request["GlobalSecondaryIndexes"] = [index("userId-index", "userId", "createdAt")]
        if table_name == "Donations":
            request["AttributeDefinitions"] += [
                {"AttributeName": name, "AttributeType": "S"} for name in ("status", "createdAt")
            ]
            request["GlobalSecondaryIndexes"] = [index("status-index", "status", "createdAt")]
        dynamodb.create_table(**request)


def index(name, partition_key, sort_key):
    """A global secondary index of all attributes, as the tables role makes them."""
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": partition_key, "KeyType": "HASH"},
            {"AttributeName": sort_key, "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


def without_monetisation_privacy_steps(monkeypatch):
    """Give the test its own privacy registry without the monetisation features' steps.

    Until privacy.FEATURE_MODULES lists creatorcloud_backend.domain.shop, .membership and .donations
    (asked of privacy.py's owner), their steps are registered whenever a test happens to import them;
    this keeps the other tests' worlds (and their expected export keys) as they were, and a test's own
    register/unregister from leaking into the next one. The `monetisation` fixture registers them.
    """
    from creatorcloud_backend import privacy  # pylint: disable=import-outside-toplevel

    steps = privacy._STEPS  # pylint: disable=protected-access
    kept = {name: step for name, step in steps.items() if name not in ("shop", "membership", "donations", "events")}
    monkeypatch.setattr(privacy, "_STEPS", kept)


@dataclass
class WebhookLambdaContext(LambdaContext):
    """A Lambda context with the remaining time, which Powertools' idempotency reads."""

    function_name: str = "creatorcloud-stripe-webhook"

    def get_remaining_time_in_millis(self):
        """As if the invocation had just started with a 30 s timeout."""
        return 30000


def signature_header(payload, secret, timestamp=None):
    """Stripe-Signature of a body: t=<ts>,v1=<HMAC-SHA256 of "<ts>.<body>" with the webhook secret>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def stripe_event(event_type, stripe_object, created=None):
    """An event as Stripe sends it, for objects the stand-in cannot make (another integration's, unknown types)."""
    return {
        "id": f"evt_test_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "type": event_type,
        "data": {"object": stripe_object},
    }


@pytest.fixture(scope="session")
def stripe_standin(tmp_path_factory):
    """The shared Stripe stand-in (tools/creatorcloud_stripe) as a process on a free port (per xdist worker)."""
    from creatorcloud_stripe import launcher  # pylint: disable=import-outside-toplevel

    log_path = tmp_path_factory.mktemp("stripe") / "stripe.log"
    running = launcher.start(launcher.free_port(), log_path=log_path, retry_delays=(0.3, 0.6))
    yield running
    running.stop()


class StripeAccount:
    """One creator's Stripe account on the stand-in (its own secret key), seen as Stripe's API and dashboard show it.

    Its events are NOT forwarded: tests take them (`new_events`) and deliver them, in any order they like.
    """

    def __init__(self, standin, secret_key):
        self.url = standin.url
        self.secret_key = secret_key
        self.seen_events = set()

    def get(self, path):
        """GET /v1/<path> with the account's key: the object as JSON."""
        response = requests.get(f"{self.url}/v1/{path}", auth=(self.secret_key, ""), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def local(self, path, body=None):
        """POST to the stand-in's own endpoints (the dashboard's and the test clocks' actions)."""
        response = requests.post(f"{self.url}/_creatorcloud/stripe/{path}", json=body or {}, timeout=10)
        assert response.status_code < 300, response.text
        return response.json()

    def session(self, session_id):
        """A Checkout Session as Stripe has it now."""
        return self.get(f"checkout/sessions/{session_id}")

    def line_items(self, session_id):
        """A Checkout Session's line items."""
        return self.get(f"checkout/sessions/{session_id}/line_items")["data"]

    def choose(self, session_id, choice, form=None):
        """Press "pay", "decline" (a declined test card) or "cancel" on the hosted page; `form`: the address fields."""
        response = requests.post(
            f"{self.url}/c/pay/{session_id}/{choice}", data=form, allow_redirects=False, timeout=10
        )
        assert response.status_code in (303, 402), response.text
        return self.session(session_id)

    def pay(self, session_id):
        """The fan pays on the hosted page: the session as Stripe has it after."""
        return self.choose(session_id, "pay")

    def new_events(self, event_type=None):
        """The account's events since the last call (of one type, if given), oldest first, as Stripe sends them."""
        listed = requests.get(
            f"{self.url}/_creatorcloud/stripe/events", params={"secret_key": self.secret_key}, timeout=10
        ).json()["data"]
        fresh = [
            item
            for item in sorted(listed, key=lambda item: item["created"])
            if item["id"] not in self.seen_events and event_type in (None, item["type"])
        ]
        self.seen_events.update(item["id"] for item in fresh)
        return [self.get(f"events/{item['id']}") for item in fresh]

    def event(self, event_type):
        """The one new event of that type."""
        events = self.new_events(event_type)
        assert len(events) == 1, [event["type"] for event in events]
        return events[0]


def session_id_of(checkout_url):
    """The Checkout Session id of a hosted checkout URL (<stand-in>/c/pay/<id>)."""
    return checkout_url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def stripe_account(stripe_standin):
    """A fresh Stripe account on the stand-in: a secret key of its own, so tests never see each other's objects."""
    return StripeAccount(stripe_standin, f"sk_test_{uuid.uuid4().hex}")


@pytest.fixture
def monetisation(backend_aws, stripe_account, monkeypatch):
    """The monetisation functions' environment: their tables, the Stripe secret, the site, tiers and limits."""
    from creatorcloud_backend import privacy  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import donations  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import membership  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import payments  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import shop  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import webhook  # pylint: disable=import-outside-toplevel

    for variable, table in MONETISATION_TABLES.items():
        monkeypatch.setenv(variable, table[0])
    secret = TEST_SESSION.client("secretsmanager", region_name=REGION).create_secret(
        Name="creatorcloud/creator1/stripe",
        SecretString=json.dumps({"secret_key": stripe_account.secret_key, "webhook_secret": STRIPE_WEBHOOK_SECRET}),
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("STRIPE_SECRET_ARN", secret["ARN"])
    monkeypatch.setenv("STRIPE_API_BASE", stripe_account.url)
    monkeypatch.setenv("SITE_URL", SITE_URL)
    monkeypatch.setenv("MEMBERSHIP_TIERS", json.dumps(MEMBERSHIP_TIERS))
    monkeypatch.setenv("DONATION_MIN", "100")
    monkeypatch.setenv("DONATION_MAX", "100000")
    # Registered for this test only (backend_aws gave it its own copy of the registry without them).
    privacy.register("shop", shop.export_orders, shop.erase_orders)
    privacy.register("membership", membership.export_membership, membership.erase_membership)
    privacy.register("donations", donations.export_donations, donations.erase_donations)
    payments.forget_stripe()
    webhook.idempotent_dispatch.cache_clear()
    yield backend_aws
    payments.forget_stripe()
    webhook.idempotent_dispatch.cache_clear()


@pytest.fixture
def call_shop(monetisation, lambda_context):
    """call_shop(method, path, fan=None, body=None, query=None) -> ApiResponse from the shop handler."""
    from creatorcloud_backend.handlers import shop  # pylint: disable=import-outside-toplevel

    return api_caller(shop.handler, lambda_context)


@pytest.fixture
def call_membership(monetisation, lambda_context):
    """call_membership(method, path, fan=None, body=None, query=None) -> ApiResponse from the membership handler."""
    from creatorcloud_backend.handlers import membership  # pylint: disable=import-outside-toplevel

    return api_caller(membership.handler, lambda_context)


@pytest.fixture
def call_donations(monetisation, lambda_context):
    """call_donations(method, path, fan=None, body=None, query=None) -> ApiResponse from the donations handler."""
    from creatorcloud_backend.handlers import donations  # pylint: disable=import-outside-toplevel

    return api_caller(donations.handler, lambda_context)


def webhook_event(payload, signature):
    """The HTTP API event of Stripe's POST to the webhook: the raw body as sent, the signature header."""
    event = http_event("POST", "/api/stripe/webhook")
    event["body"] = payload
    event["headers"] = {"content-type": "application/json; charset=utf-8", "stripe-signature": signature}
    return event


@pytest.fixture
def deliver(monetisation):
    """deliver(event, secret=the webhook secret, payload=None) -> ApiResponse: Stripe POSTs a signed event."""

    from creatorcloud_backend.handlers import stripe_webhook  # pylint: disable=import-outside-toplevel

    def send(event, secret=STRIPE_WEBHOOK_SECRET, payload=None):
        """Sign the body with the secret (a real HMAC) and invoke the webhook handler."""
        payload = payload if payload is not None else json.dumps(event, indent=2)
        response = stripe_webhook.handler(
            webhook_event(payload, signature_header(payload, secret)), WebhookLambdaContext()
        )
        return ApiResponse(response["statusCode"], json.loads(response["body"] or "null"), response["headers"])

    return send


@pytest.fixture
def atomic_dynamodb(monkeypatch):
    """moto's DynamoDB with DynamoDB's atomicity: one write (or transaction) at a time.

    In-process moto checks a condition and applies the write without a lock, so threads racing for
    the last items interleave there in a way DynamoDB never allows (each conditional write and each
    transaction is atomic). Concurrency tests serialise moto's writes to test the code, not moto.
    (The emulator's server did not show the race: 100 threads buying 30 items sold exactly 30.)
    """
    from moto.dynamodb.models import DynamoDBBackend  # pylint: disable=import-outside-toplevel

    lock = threading.RLock()
    for name in ("put_item", "update_item", "delete_item", "transact_write_items", "get_item"):
        original = getattr(DynamoDBBackend, name)
        monkeypatch.setattr(DynamoDBBackend, name, functools.partialmethod(serialised, original, lock))


def serialised(backend, original, lock, *args, **kwargs):
    """Call a moto backend method under the lock."""
    with lock:
        return original(backend, *args, **kwargs)


# --- Events and tickets --------------------------------------------------------------------------------------------

EVENTS_TABLE = "Events"
TICKETS_TABLE = "Tickets"


def create_event_tables(dynamodb):
    """Events (partition eventId) and Tickets (orderId, ticketId; GSIs userId-index, eventId-index)."""
    dynamodb.create_table(
        TableName=EVENTS_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "eventId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "eventId", "KeyType": "HASH"}],
    )
    dynamodb.create_table(
        TableName=TICKETS_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("orderId", "ticketId", "userId", "eventId", "createdAt")
        ],
        KeySchema=[
            {"AttributeName": "orderId", "KeyType": "HASH"},
            {"AttributeName": "ticketId", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            index("userId-index", "userId", "createdAt"),
            index("eventId-index", "eventId", "createdAt"),
        ],
    )


def event_item(event_id, capacity, price=2500, days_ahead=30, status="on_sale", **fields):
    """An Events row as the events slice writes it (times in Europe/Berlin and as UTC instants)."""
    from datetime import UTC  # pylint: disable=import-outside-toplevel
    from datetime import datetime  # pylint: disable=import-outside-toplevel
    from datetime import timedelta  # pylint: disable=import-outside-toplevel

    start = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(microsecond=0)
    end = start + timedelta(hours=3)
    row = {
        "eventId": {"S": event_id},
        "title": {"S": fields.pop("title", f"Show {event_id}")},
        "description": {"S": "A night of songs."},
        "date": {"S": start.date().isoformat()},
        "timeZone": {"S": "UTC"},
        "doorsAt": {"S": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
        "startsAt": {"S": start.strftime("%Y-%m-%dT%H:%M")},
        "endsAt": {"S": end.strftime("%Y-%m-%dT%H:%M")},
        "startsAtUtc": {"S": start.isoformat()},
        "endsAtUtc": {"S": end.isoformat()},
        "location": {"S": fields.pop("location", "Columbiahalle, Berlin")},
        "price": {"N": str(price)},
        "currency": {"S": "eur"},
        "capacity": {"N": str(capacity)},
        "ticketsAvailable": {"N": str(capacity)},
        "ticketsHeld": {"N": "0"},
        "ticketsSold": {"N": "0"},
        "status": {"S": status},
    }
    assert not fields, fields
    return row


@dataclass
class Ticketing:
    """The events function's world: the mocked AWS with the event tables, and a way to add events."""

    aws: BackendAws

    @property
    def dynamodb(self):
        """The mocked DynamoDB client."""
        return self.aws.dynamodb

    def add_event(self, event_id, capacity, **fields):
        """Put an event as the slice would."""
        self.aws.dynamodb.put_item(TableName=EVENTS_TABLE, Item=event_item(event_id, capacity, **fields))
        return event_id

    def counters(self, event_id):
        """(available, held, sold) of the event, read consistently."""
        row = self.aws.dynamodb.get_item(TableName=EVENTS_TABLE, Key={"eventId": {"S": event_id}}, ConsistentRead=True)
        item = row["Item"]
        return tuple(int(item[name]["N"]) for name in ("ticketsAvailable", "ticketsHeld", "ticketsSold"))

    def tickets(self):
        """Every Tickets row, as (orderId, ticketId, status)."""
        rows = self.aws.dynamodb.scan(TableName=TICKETS_TABLE, ConsistentRead=True)["Items"]
        return sorted((row["orderId"]["S"], row["ticketId"]["S"], row["status"]["S"]) for row in rows)


@pytest.fixture
def ticketing(monetisation, monkeypatch):
    """The event tables, the ticket signing key's secret and the events function's environment."""
    from creatorcloud_backend import privacy  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import ticket_codes  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import tickets  # pylint: disable=import-outside-toplevel

    create_event_tables(monetisation.dynamodb)
    secret = TEST_SESSION.client("secretsmanager", region_name=REGION).create_secret(
        Name="creatorcloud/creator1/tickets", SecretString=json.dumps({"signing_key": "c2VjcmV0LWtleS1vZi10ZXN0cw=="})
    )
    monkeypatch.setenv("EVENTS_TABLE", EVENTS_TABLE)
    monkeypatch.setenv("TICKETS_TABLE", TICKETS_TABLE)
    monkeypatch.setenv("TICKET_KEY_SECRET_ARN", secret["ARN"])
    privacy.register("events", tickets.export_tickets, tickets.erase_tickets)
    ticket_codes.forget_ticket_key()
    yield Ticketing(monetisation)
    ticket_codes.forget_ticket_key()


@pytest.fixture
def call_events(ticketing, lambda_context):
    """call_events(method, path, fan=None, body=None, query=None) -> ApiResponse from the events handler."""
    from creatorcloud_backend.handlers import events  # pylint: disable=import-outside-toplevel

    return api_caller(events.handler, lambda_context)
