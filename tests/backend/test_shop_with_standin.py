# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end with the Stripe stand-in: pay on its hosted page, and its own deliveries of the signed events.

The other tests deliver the stand-in's events themselves, in the order they choose. Here the
stand-in forwards the account's events, signed with the webhook secret, to a local HTTP receiver
that invokes the stripe-webhook handler in this process (as the local gateway does), so the
backend's tables are the test's in-process moto.
"""

import functools
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
import requests
from creatorcloud_backend.handlers import stripe_webhook

from tests.backend.conftest import STRIPE_WEBHOOK_SECRET
from tests.backend.conftest import WebhookLambdaContext
from tests.backend.conftest import webhook_event


class WebhookReceiver:
    """POST /api/stripe/webhook on a local port, answered by the stripe-webhook handler in this process."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            """Stripe's POST, as API Gateway would pass it to the function."""

            def do_POST(self):  # noqa: N802 (http.server's name)
                """Invoke the handler with the raw body and the signature."""
                payload = self.rfile.read(int(self.headers["Content-Length"])).decode()
                event = webhook_event(payload, self.headers.get("Stripe-Signature"))
                response = stripe_webhook.handler(event, WebhookLambdaContext())
                self.send_response(response["statusCode"])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/stripe/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def forwarded(stripe_account, monetisation):
    """The account's events forwarded, signed, to the webhook handler (like `stripe listen --forward-to`)."""
    receiver = WebhookReceiver()
    stripe_account.local(
        "forward",
        {"secret_key": stripe_account.secret_key, "url": receiver.url, "webhook_secret": STRIPE_WEBHOOK_SECRET},
    )
    yield stripe_account
    receiver.server.shutdown()
    receiver.server.server_close()


def pay(checkout_url):
    """Press "Pay" on the hosted checkout page (not following the redirect to the creator's site)."""
    response = requests.post(f"{checkout_url}/pay", allow_redirects=False, timeout=10)
    assert response.status_code == 303, response.text


def eventually(read, expected, timeout=15):
    """read() once it equals expected (the stand-in delivers events from its own thread), else the last value."""
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def test_a_fan_buys_pays_on_the_hosted_page_and_the_admin_ships(forwarded, call_shop, sign_up):
    admin, fan = sign_up("admin@example.com", ("admin",)), sign_up("ada@example.com")
    product = call_shop("POST", "/api/admin/shop/products", admin, body={"name": "Tee", "price": 2500, "stock": 4})
    cart = {"items": [{"product_id": product.body["product_id"], "quantity": 2}]}
    checkout = call_shop("POST", "/api/shop/checkout", fan, body=cart).body
    assert checkout["checkout_url"].startswith(f"{forwarded.url}/c/pay/cs_test_")
    # WHEN the fan pays on the stand-in's page
    pay(checkout["checkout_url"])
    # THEN its signed checkout.session.completed makes the order paid

    def statuses():
        """The fan's orders' statuses."""
        return [order["status"] for order in call_shop("GET", "/api/shop/orders", fan).body["orders"]]

    assert eventually(statuses, ["paid"]) == ["paid"]
    order = call_shop("GET", "/api/shop/orders", fan).body["orders"][0]
    assert order["total_amount"] == 5000
    shipped = call_shop("PUT", f"/api/admin/shop/orders/{order['order_id']}/status", admin, body={"status": "shipped"})
    assert shipped.body["status"] == "shipped"


def test_a_membership_is_premium_until_its_cancelled_period_ends(forwarded, call_membership, sign_up, monetisation):
    fan = sign_up("ada@example.com")
    checkout = call_membership("POST", "/api/membership/checkout", fan, body={"tier": "fan", "interval": "month"}).body
    pay(checkout["checkout_url"])

    def membership(field):
        """A field of the fan's membership, now."""
        return call_membership("GET", "/api/membership", fan).body[field]

    premium = functools.partial(membership, "premium")
    assert eventually(premium, True) is True
    assert call_membership("GET", "/api/membership/content", fan).status == 200
    # WHEN the fan cancels (at period end), the subscription stays active: still premium
    row = monetisation.dynamodb.get_item(TableName="Memberships", Key={"userId": {"S": fan.user_id}})["Item"]
    subscription_id = row["subscriptionId"]["S"]
    forwarded.local(f"subscriptions/{subscription_id}/cancel", {"at_period_end": True})
    cancelling = functools.partial(membership, "cancel_at_period_end")
    assert eventually(cancelling, True) is True
    assert premium() is True
    # THEN when the period ends, premium is gone
    forwarded.local(f"subscriptions/{subscription_id}/advance")
    assert eventually(premium, False) is False
    assert call_membership("GET", "/api/membership/content", fan).status == 403
