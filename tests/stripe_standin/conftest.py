# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the Stripe stand-in's tests: the stand-in process, the official library on it, a webhook receiver.

The official `stripe` library is the client, configured as the backend configures it
(`stripe.api_base` from STRIPE_API_BASE); every test gets its own secret key, which is its own
Stripe account in the stand-in, so tests never see each other's objects or events.
"""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
import stripe
from creatorcloud_stripe import launcher

# Short retries so that a failed delivery is retried within the test.
RETRY_DELAYS = (0.3, 0.6, 1.2)
WEBHOOK_SECRET = "whsec_test_standin"


@pytest.fixture(scope="session")
def standin(tmp_path_factory):
    """A running stand-in on a free port, for the session (or per xdist worker)."""
    state = tmp_path_factory.mktemp("stripe")
    running = launcher.start(launcher.free_port(), log_path=state / "stripe.log", retry_delays=RETRY_DELAYS)
    yield running
    running.stop()


@pytest.fixture
def secret_key():
    """A secret key of its own for each test: a fresh test-mode account."""
    return f"sk_test_{uuid.uuid4().hex}"


@pytest.fixture
def stripe_api(standin, secret_key, monkeypatch):
    """The official library pointed at the stand-in as the backend points it (STRIPE_API_BASE)."""
    monkeypatch.setattr(stripe, "api_base", standin.url)
    monkeypatch.setattr(stripe, "api_key", secret_key)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    return stripe


class WebhookReceiver:
    """A local HTTP endpoint that records what the stand-in POSTs and answers with scripted statuses."""

    def __init__(self):
        self.received = []
        self.statuses = []
        self.condition = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.condition:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.received.append({"headers": dict(self.headers), "body": body.decode(), "status": status})
                    receiver.condition.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Quiet: the test reads `received`."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/stripe/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10):
        """The first `count` requests received, waiting for them."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    types = [json.loads(request["body"])["type"] for request in self.received]
                    raise AssertionError(f"{count} webhook requests expected, {len(self.received)} received: {types}")
                self.condition.wait(left)
            return list(self.received[:count])

    def events(self, count, timeout=10):
        """The first `count` events, verified as the backend verifies them (Stripe-Signature, webhook secret)."""
        return [
            stripe.Webhook.construct_event(request["body"], request["headers"]["Stripe-Signature"], WEBHOOK_SECRET)
            for request in self.wait_for(count, timeout)
        ]


@pytest.fixture
def receiver(standin, secret_key):
    """A webhook receiver the test account's events are forwarded to."""
    running = WebhookReceiver()
    local_call(standin, "/forward", {"secret_key": secret_key, "url": running.url, "webhook_secret": WEBHOOK_SECRET})
    yield running
    running.server.shutdown()
    running.server.server_close()


def local_call(standin, path, body=None, method="POST"):
    """A call to the stand-in's local endpoints under /_creatorcloud/stripe; its JSON answer."""
    request = urllib.request.Request(
        f"{standin.url}/_creatorcloud/stripe{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep redirects as answers, to check where the hosted page sends the browser."""

    def redirect_request(self, *args, **kwargs):
        return None


def page_post(url, form=None):
    """Press a button of a hosted page, posting `form`'s fields as a browser does: (status, Location, body)."""
    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode(form or {}).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers.get("Location"), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location"), e.read().decode()


def account_events(standin, secret_key):
    """The account's events as GET /_creatorcloud/stripe/events lists them."""
    query = urllib.parse.urlencode({"secret_key": secret_key})
    return local_call(standin, f"/events?{query}", method="GET")["data"]


def logged_events(standin, secret_key, attempts, timeout=5):
    """The account's event log once it holds `attempts` delivery attempts (a receiver sees one before it is logged)."""
    deadline = time.monotonic() + timeout
    while True:
        events = account_events(standin, secret_key)
        if sum(len(event["attempts"]) for event in events) >= attempts or time.monotonic() > deadline:
            return events
        time.sleep(0.05)


def product_session(stripe_module, **extra):
    """A payment-mode Checkout Session for two mugs, as the shop backend creates it."""
    params = dict(
        mode="payment",
        line_items=[
            {"price_data": {"currency": "eur", "unit_amount": 1250, "product_data": {"name": "Mug"}}, "quantity": 2}
        ],
        success_url="http://127.0.0.1:8080/shop/success?session={CHECKOUT_SESSION_ID}",
        cancel_url="http://127.0.0.1:8080/shop/cart",
        client_reference_id="order-1",
        metadata={"order_id": "order-1", "user_id": "user-1", "kind": "order"},
        payment_intent_data={"metadata": {"order_id": "order-1", "kind": "order"}},
        expires_at=int(time.time()) + 31 * 60,
    )
    return stripe_module.checkout.Session.create(**{**params, **extra})


def membership_session(stripe_module, interval="month"):
    """A subscription-mode Checkout Session for the fan tier, as the membership backend creates it."""
    return stripe_module.checkout.Session.create(
        mode="subscription",
        line_items=[
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 500,
                    "product_data": {"name": "Fan membership"},
                    "recurring": {"interval": interval},
                },
                "quantity": 1,
            }
        ],
        customer_email="fan@example.com",
        success_url="http://127.0.0.1:8080/membership?session={CHECKOUT_SESSION_ID}",
        cancel_url="http://127.0.0.1:8080/membership",
        metadata={"user_id": "user-1", "kind": "membership", "tier": "fan"},
        subscription_data={"metadata": {"user_id": "user-1", "tier": "fan"}},
    )
