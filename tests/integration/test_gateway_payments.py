# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fan pays on the local stack: the gateway runs the payment functions against the Stripe stand-in.

creator1 is a member account of an emulated organization with a site, a user pool (gateway_fixtures)
and, for the end-to-end purchase, the shop slice and its api functions deployed by the roles (shop,
tables, api through tests/integration/playbooks/shop.yml). The gateway and the stand-in run as the
processes `make demo` starts, on free ports: the gateway with --stripe-url reads the creator's Stripe
keys from their secret, tells the stand-in to forward the creator's events to its webhook route, and
runs the payment functions with the stand-in as Stripe and its own origin as the site. The deployed
functions stay as the api role made them. The keys must never appear in the gateway's log or status.
"""

import json
import time

import pytest
import requests
from creatorcloud_gateway import launcher as gateway_launcher
from creatorcloud_gateway.__main__ import main as gateway_cli
from creatorcloud_gateway.creator_access import CreatorAccess
from creatorcloud_gateway.lambda_runtime import LambdaFunctions
from creatorcloud_gateway.payments import LocalPayments
from creatorcloud_gateway.payments import origin_of
from creatorcloud_stripe import launcher as stripe_launcher
from creatorcloud_stripe.shipping import EXAMPLE_FORM
from gateway_fixtures import LAMBDA_TRUST
from gateway_fixtures import CreatorApiResources
from gateway_fixtures import function_zip
from gateway_fixtures import organization_fixture  # noqa: F401  # pylint: disable=unused-import

CREATOR = "creator1"
DOMAIN = "creator1.example"
REGION = "eu-central-1"
SHOP_PLAYBOOK = "tests/integration/playbooks/shop.yml"
SECRET_NAME = f"creatorcloud/{CREATOR}/stripe"
# Placeholders in the form of Stripe's test keys: the stand-in takes any sk_test_ key as an account of its own.
SECRET_KEY = "sk_test_51GatewayPaymentsNeverLogged0001"
WEBHOOK_SECRET = "whsec_GatewayPaymentsNeverLogged0001"
SITE = {"index.html": (b"<!doctype html><title>Creator One</title>", "text/html; charset=utf-8", "no-cache")}
SHOP_HANDLER = "creatorcloud_backend.handlers.shop.handler"
PAID_WITHIN_SECONDS = 15


def wait_for(probe, timeout, interval=0.2):
    """The first truthy result of `probe()` within `timeout` seconds, else the last one."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    """The Stripe stand-in as `make demo` starts it, on a free port (quick retries of failed deliveries)."""
    log_path = tmp_path_factory.mktemp("stripe") / "stripe.log"
    running = stripe_launcher.start(stripe_launcher.free_port(), log_path=log_path, retry_delays=(0.3, 1))
    yield running
    running.stop()


@pytest.fixture
def creator1(aws, organization, monkeypatch):
    """creator1's account: its site behind a distribution, and a user pool with the website client and groups."""
    # Whatever the person running the tests exported: a gateway has a stand-in only where a test gives it one.
    monkeypatch.delenv("CREATORCLOUD_STRIPE_URL", raising=False)
    account = organization(CREATOR)
    account.upload(SITE)
    account.distribution()
    resources = CreatorApiResources(aws.endpoint_url, CREATOR, account.account_id, DOMAIN)
    resources.create_pool()
    return resources


@pytest.fixture
def shop_creator(creator1, creator_client, run_playbook):
    """creator1 with the shop slice and its api functions as the roles deploy them, Stripe keys included."""
    key_arn = creator_client(creator1.account_id, "kms").create_key(Description="creator1's key")["KeyMetadata"]["Arn"]
    variables = {
        "account_id": creator1.account_id,
        "account_kms_key_arn": key_arn,
        "auth_user_pool_id": creator1.pool_id,
        "auth_client_id": creator1.client_id,
        "creator_features": ["website", "auth", "shop"],
        "creator_stripe_secret_key": SECRET_KEY,
        "creator_stripe_webhook_secret": WEBHOOK_SECRET,
        "shop_test_with_api": True,
    }
    run = run_playbook(SHOP_PLAYBOOK, "-e", json.dumps(variables))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    return creator1


@pytest.fixture
def start_gateway(aws, tmp_path):
    """`start_gateway(stripe_url=None)`: creator1's gateway as a process on a free port, stopped after the test."""
    started = []

    def start(stripe_url=None):
        log_path = tmp_path / f"gateway-{len(started)}.log"
        gateway = gateway_launcher.start(
            CREATOR,
            gateway_launcher.free_port(),
            endpoint_url=aws.endpoint_url,
            log_path=log_path,
            config_ttl=0,
            stripe_url=stripe_url,
        )
        started.append(gateway)
        return gateway, log_path

    yield start
    for gateway in started:
        gateway_launcher.stop(gateway.pid)


def store_stripe_keys(creator, creator_client):
    """The creator's Stripe keys in their secret, as the shop role stores them; returns its ARN."""
    secrets = creator_client(creator.account_id, "secretsmanager", REGION)
    value = json.dumps({"secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET})
    return secrets.create_secret(Name=SECRET_NAME, SecretString=value)["ARN"]


def create_function(creator, function, handler, environment):
    """A function of the creator with its execution role and this environment, as the api role names it."""
    name = creator.function_name(function)
    role = creator.iam.create_role(
        RoleName=name, Path="/creatorcloud/", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST)
    )["Role"]
    return creator.lambda_.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role["Arn"],
        Handler=handler,
        Code={"ZipFile": function_zip()},
        Environment={"Variables": environment},
    )["FunctionArn"]


def api_call(origin, method, path, token, body=None):
    """(status, JSON) of a call of the creator's API through the gateway, as the site makes it."""
    response = requests.request(
        method, f"{origin}{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return response.status_code, response.json()


def assert_no_key_in(*texts):
    for text in texts:
        assert SECRET_KEY not in text
        assert WEBHOOK_SECRET not in text


def test_a_fan_pays_on_the_stand_in_and_its_signed_webhook_marks_the_order_paid(
    shop_creator, standin, start_gateway, creator_client
):
    gateway, log_path = start_gateway(stripe_url=standin.url)
    origin = gateway.url.rstrip("/")

    status = gateway.status()
    assert status["payments"] == {
        "stripe_url": standin.url,
        "webhook_url": f"{origin}/api/stripe/webhook",
        "webhooks_forwarded": True,
        "error": None,
    }
    unused_sub, admin_token, unused_access = shop_creator.fan("admin@creator1.example", groups=["admin"])
    fan_sub, fan_token, unused_access = shop_creator.fan("fan@example.org")
    created, product = api_call(
        origin, "POST", "/api/admin/shop/products", admin_token, {"name": "Tour shirt", "price": 2500, "stock": 3}
    )
    assert created == 201, product

    cart = {"items": [{"product_id": product["product_id"], "quantity": 2}]}
    ordered, checkout = api_call(origin, "POST", "/api/shop/checkout", fan_token, cart)

    assert ordered == 200, checkout
    assert checkout["checkout_url"].startswith(f"{standin.url}/c/pay/cs_test_")
    session_id = checkout["checkout_url"].rsplit("/", 1)[-1]
    session = requests.get(f"{standin.url}/v1/checkout/sessions/{session_id}", auth=(SECRET_KEY, ""), timeout=10).json()
    assert session["success_url"].startswith(f"{origin}/")
    assert session["cancel_url"].startswith(f"{origin}/")
    assert session["amount_total"] == 5000
    assert session["metadata"]["order_id"] == checkout["order_id"]

    # creator1 ships to DE, AT and CH: Checkout asks for the address, which the paid order then carries.
    assert session["shipping_address_collection"] == {"allowed_countries": ["DE", "AT", "CH"]}
    paid = requests.post(f"{checkout['checkout_url']}/pay", data=EXAMPLE_FORM, allow_redirects=False, timeout=10)

    assert paid.status_code == 303
    assert paid.headers["Location"].startswith(f"{origin}/")

    def order_when_paid():
        listed, body = api_call(origin, "GET", "/api/shop/orders", fan_token)
        assert listed == 200, body
        # The list is an index, eventually consistent: the new order may show a moment later.
        return next((order for order in body["orders"] if order["status"] == "paid"), None)

    order = wait_for(order_when_paid, PAID_WITHIN_SECONDS)
    events = requests.get(
        f"{standin.url}/_creatorcloud/stripe/events", params={"secret_key": SECRET_KEY}, timeout=10
    ).json()["data"]
    assert order, f"the order is not paid after {PAID_WITHIN_SECONDS}s; the stand-in's deliveries: {events}"
    assert order["order_id"] == checkout["order_id"]
    assert order["user_id"] == fan_sub
    assert order["total_amount"] == 5000
    assert order["shipping"]["address"]["postal_code"] == EXAMPLE_FORM["shipping_postal_code"]
    completed = [event for event in events if event["type"] == "checkout.session.completed"]
    assert [attempt["url"] for event in completed for attempt in event["attempts"]] == [f"{origin}/api/stripe/webhook"]
    assert all(event["delivered"] for event in events), events
    # The deployed functions are as the api role made them: only the gateway's runs point at the stand-in.
    lambda_client = creator_client(shop_creator.account_id, "lambda", REGION)
    for function in ("shop", "stripe-webhook"):
        name = shop_creator.function_name(function)
        variables = lambda_client.get_function_configuration(FunctionName=name)["Environment"]["Variables"]
        assert variables["SITE_URL"] == f"https://{DOMAIN}"
        assert "STRIPE_API_BASE" not in variables
    assert_no_key_in(log_path.read_text(), json.dumps(gateway.status()))


def test_only_the_payment_functions_run_against_the_stand_in_and_only_with_a_stripe_url(creator1, creator_client, aws):
    secret_arn = store_stripe_keys(creator1, creator_client)
    deployed = {
        "STRIPE_SECRET_ARN": secret_arn,
        "SITE_URL": f"https://{DOMAIN}",
        "CURRENCY": "eur",
        "POWERTOOLS_SERVICE_NAME": "shop",
    }
    shop_arn = create_function(creator1, "shop", SHOP_HANDLER, deployed)
    profile_arn = create_function(creator1, "profile", "creatorcloud_backend.handlers.profile.handler", {"A": "1"})
    access = CreatorAccess(CREATOR, aws.endpoint_url)
    stripe_url, origin = "http://127.0.0.1:12111", "http://127.0.0.1:8080"

    def environments(payments):
        backend = RecordingBackend()
        functions = LambdaFunctions(access, 0, backend=backend, environment=payments.environment)
        for function_arn in (shop_arn, profile_arn):
            functions.invoke(function_arn, {"rawPath": "/api/health"})
        return backend.environments

    local = environments(LocalPayments(access, REGION, stripe_url=stripe_url, origin=origin))
    as_deployed = environments(LocalPayments(access, REGION))

    assert own_variables(local["shop"], deployed) == {
        **deployed,
        "STRIPE_API_BASE": stripe_url,
        "SITE_URL": origin,
    }
    assert own_variables(local["profile"], {"A": "1"}) == {"A": "1"}
    assert own_variables(as_deployed["shop"], deployed) == deployed
    assert own_variables(as_deployed["profile"], {"A": "1"}) == {"A": "1"}
    # What Lambda adds is there either way: the function's name, region, credentials and the emulator.
    assert local["shop"]["AWS_LAMBDA_FUNCTION_NAME"] == creator1.function_name("shop")
    assert as_deployed["shop"]["AWS_ENDPOINT_URL"] == aws.endpoint_url


class RecordingBackend:
    """Stands in for the backend package: records the environment of each call and answers 200."""

    def __init__(self):
        self.environments = {}

    def call(self, config, variables, event, context):
        self.environments[config.function_name.rsplit("-", 1)[-1]] = dict(variables)
        return {"statusCode": 200, "body": "{}"}


def own_variables(variables, deployed):
    """The function's variables without those Lambda adds (region, name, memory, handler, credentials, endpoint)."""
    lambda_added = ("AWS_", "_HANDLER")
    return {name: value for name, value in variables.items() if name in deployed or not name.startswith(lambda_added)}


def test_without_a_stripe_url_the_gateway_warns_once_that_checkouts_fail(creator1, creator_client, start_gateway):
    secret_arn = store_stripe_keys(creator1, creator_client)
    create_function(creator1, "shop", SHOP_HANDLER, {"STRIPE_SECRET_ARN": secret_arn, "SITE_URL": f"https://{DOMAIN}"})

    gateway, log_path = start_gateway()

    payments = gateway.status()["payments"]
    assert payments["stripe_url"] is None
    assert payments["webhooks_forwarded"] is False
    assert f"the gateway of creator {CREATOR} has no --stripe-url" in payments["error"]
    assert "payment_provider_error" in payments["error"]
    warned = wait_for(lambda: "no --stripe-url" in log_path.read_text(), 10)
    assert warned, log_path.read_text()
    gateway.status()
    assert log_path.read_text().count("no --stripe-url") == 1
    assert creator1.function_name("shop") in log_path.read_text()


def test_up_reports_the_forward_and_the_gateway_retries_it_until_the_stand_in_answers(
    creator1, creator_client, aws, tmp_path, capsys
):
    store_stripe_keys(creator1, creator_client)
    port, stripe_port = gateway_launcher.free_port(), stripe_launcher.free_port()
    stripe_url = f"http://127.0.0.1:{stripe_port}"
    webhook_url = f"http://127.0.0.1:{port}/api/stripe/webhook"
    state = tmp_path / "gateways"
    options = ["--creator", CREATOR, "--state-dir", str(state), "--endpoint-url", aws.endpoint_url]
    standin = None
    try:
        assert gateway_cli(["up", *options, "--port", str(port), "--stripe-url", stripe_url]) == 0
        before = capsys.readouterr().out
        standin = stripe_launcher.start(stripe_port, log_path=tmp_path / "stripe.log")
        answered = gateway_cli(["status", *options])
        after = capsys.readouterr().out
    finally:
        gateway_cli(["down", "--state-dir", str(state)])
        if standin is not None:
            standin.stop()

    assert f"payments: Stripe stand-in {stripe_url}, events not forwarded yet (the gateway retries)" in before
    assert f"no Stripe stand-in answers at {stripe_url}" in before
    assert answered == 0
    assert f"payments: Stripe stand-in {stripe_url}, the creator's events forwarded to {webhook_url}" in after
    assert_no_key_in(before, after, (state / f"{CREATOR}.log").read_text())


def test_a_creator_without_stripe_keys_is_told_so(creator1, standin, start_gateway):
    gateway, log_path = start_gateway(stripe_url=standin.url)

    payments = gateway.status()["payments"]

    assert payments["webhooks_forwarded"] is False
    assert payments["error"].startswith(f"creator {CREATOR} has no Stripe keys (no secret {SECRET_NAME} in {REGION})")


def test_a_gateway_listening_on_every_address_sends_fans_and_events_to_loopback():
    assert origin_of("127.0.0.1", 8080) == "http://127.0.0.1:8080"
    assert origin_of("0.0.0.0", 8081) == "http://127.0.0.1:8081"
    assert origin_of("::1", 8082) == "http://[::1]:8082"
