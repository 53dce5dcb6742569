# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The /v1 endpoints the backend calls, through the official library and through plain HTTP."""

import base64
import concurrent.futures
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import stripe

from tests.stripe_standin.conftest import membership_session
from tests.stripe_standin.conftest import page_post
from tests.stripe_standin.conftest import product_session


def raw_call(standin, method, path, form=None, secret_key=None, headers=None):
    """A plain HTTP call as any Stripe client sends it: (status, headers, JSON body)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(f"{standin.url}{path}", data=data, method=method, headers=dict(headers or {}))
    if secret_key:
        request.add_header("Authorization", f"Bearer {secret_key}")
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read())


def test_checkout_session_create_answers_as_stripe(stripe_api, standin):
    # GIVEN the shop's parameters WHEN the library creates the session
    session = product_session(stripe_api)

    # THEN the session is Stripe's object, open and unpaid, its URL the stand-in's hosted page
    assert session.object == "checkout.session"
    assert session.id.startswith("cs_test_")
    assert session.livemode is False
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert session.url == f"{standin.url}/c/pay/{session.id}"
    assert (session.amount_total, session.currency) == (2500, "eur")
    assert session.client_reference_id == "order-1"
    assert session.metadata.to_dict() == {"order_id": "order-1", "user_id": "user-1", "kind": "order"}
    assert session.customer is None and session.subscription is None and session.payment_intent is None
    assert session.expires_at > time.time() + 30 * 60


def test_retrieve_expand_and_line_items(stripe_api):
    session = product_session(stripe_api)

    fetched = stripe_api.checkout.Session.retrieve(session.id, expand=["line_items"])
    listed = stripe_api.checkout.Session.list_line_items(session.id)

    assert fetched.id == session.id
    item = fetched.line_items.data[0]
    assert (item.object, item.quantity, item.amount_total, item.description) == ("item", 2, 2500, "Mug")
    assert item.price.id.startswith("price_") and item.price.unit_amount == 1250 and item.price.type == "one_time"
    assert listed.data[0].id == item.id


def test_expire_closes_the_session(stripe_api):
    session = product_session(stripe_api)

    expired = stripe_api.checkout.Session.expire(session.id)

    assert expired.status == "expired" and expired.url is None
    with pytest.raises(stripe.InvalidRequestError) as again:
        stripe_api.checkout.Session.expire(session.id)
    assert again.value.http_status == 400


def test_customer_portal_and_subscription(stripe_api, standin):
    # GIVEN a paid membership (a subscription made through the hosted page)
    session = membership_session(stripe_api)
    page_post(f"{session.url}/pay")
    paid = stripe_api.checkout.Session.retrieve(session.id)

    # WHEN the backend reads the subscription and opens the portal for its customer
    subscription = stripe_api.Subscription.retrieve(paid.subscription)
    portal = stripe_api.billing_portal.Session.create(customer=paid.customer, return_url="http://127.0.0.1:8080/m")

    # THEN both are Stripe's objects; the period is on the subscription's items (API 2025-03-31 and later)
    assert subscription.object == "subscription" and subscription.id.startswith("sub_")
    assert subscription.status == "active" and subscription.customer == paid.customer
    assert subscription.metadata.to_dict() == {"user_id": "user-1", "tier": "fan"}
    item = subscription["items"].data[0]
    assert item.current_period_end > item.current_period_start
    assert item.price.recurring.interval == "month"
    assert portal.object == "billing_portal.session" and portal.id.startswith("bps_")
    assert portal.url == f"{standin.url}/p/session/{portal.id}"


def test_customer_create(stripe_api):
    customer = stripe_api.Customer.create(email="fan@example.com", metadata={"user_id": "user-1"})

    assert customer.id.startswith("cus_") and customer.object == "customer"
    assert stripe_api.Customer.retrieve(customer.id).email == "fan@example.com"


def test_plain_http_form_with_nested_keys(standin, secret_key):
    # GIVEN the form the library sends, written by hand
    form = {
        "mode": "payment",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "700",
        "line_items[0][price_data][product_data][name]": "Poster",
        "line_items[0][quantity]": "3",
        "metadata[order_id]": "order-9",
        "success_url": "http://127.0.0.1:8080/ok",
    }

    # WHEN it is POSTed with a Stripe-Version header
    status, headers, body = raw_call(
        standin, "POST", "/v1/checkout/sessions", form, secret_key, {"Stripe-Version": "2026-10-28.endive"}
    )

    # THEN Stripe's JSON answer, with its request id and the version echoed
    assert status == 200
    assert body["amount_total"] == 2100 and body["metadata"] == {"order_id": "order-9"}
    assert headers["Content-Type"] == "application/json"
    assert headers["Request-Id"].startswith("req_")
    assert headers["Stripe-Version"] == "2026-10-28.endive"
    status, headers, fetched = raw_call(standin, "GET", f"/v1/checkout/sessions/{body['id']}", secret_key=secret_key)
    assert status == 200 and fetched == body


def test_idempotency_key_replays_the_first_answer(standin, secret_key):
    form = {
        "mode": "payment",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "100",
        "line_items[0][price_data][product_data][name]": "Sticker",
        "line_items[0][quantity]": "1",
    }
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = raw_call(standin, "POST", "/v1/checkout/sessions", form, secret_key, key)
    again = raw_call(standin, "POST", "/v1/checkout/sessions", form, secret_key, key)
    other = raw_call(standin, "POST", "/v1/checkout/sessions", {**form, "mode": "subscription"}, secret_key, key)

    assert again[2]["id"] == first[2]["id"] and again[1]["Idempotent-Replayed"] == "true"
    assert other[0] == 400 and other[2]["error"]["type"] == "idempotency_error"


def test_missing_param_error(stripe_api):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_api.checkout.Session.create(mode="payment", success_url="http://127.0.0.1:8080/ok")

    assert error.value.http_status == 400
    assert (error.value.code, error.value.param) == ("parameter_missing", "line_items")
    assert error.value.error.message == "Missing required param: line_items."
    assert error.value.error.type == "invalid_request_error"


def test_unknown_session_error(standin, secret_key, stripe_api):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_api.checkout.Session.retrieve("cs_test_unknown")

    assert error.value.http_status == 404
    assert (error.value.code, error.value.param) == ("resource_missing", "session")
    assert error.value.error.message == "No such checkout.session: 'cs_test_unknown'"
    status, headers, body = raw_call(standin, "GET", "/v1/subscriptions/sub_unknown", secret_key=secret_key)
    assert status == 404 and body["error"]["code"] == "resource_missing"


@pytest.mark.parametrize(
    ("change", "param", "code"),
    [
        ({"mode": "subscription"}, "payment_intent_data", "checkout_session_mode_mismatch"),
        ({"mode": "subscription", "payment_intent_data": None}, "line_items", "checkout_session_mode_mismatch"),
        ({"expires_at": int(time.time()) + 60}, "expires_at", "parameter_invalid_empty"),
        ({"sucess_url": "http://127.0.0.1:8080/"}, "sucess_url", "parameter_unknown"),
        ({"customer": "cus_unknown"}, "customer", "resource_missing"),
    ],
)
def test_invalid_requests_fail_as_on_stripe(stripe_api, change, param, code):
    # a subscription needs a recurring price; expires_at at least 30 minutes ahead; typos are refused
    with pytest.raises(stripe.InvalidRequestError) as error:
        product_session(stripe_api, **change)

    assert error.value.code == code
    assert error.value.param == param


def test_recurring_price_in_payment_mode_is_refused(stripe_api):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_api.checkout.Session.create(
            mode="payment",
            line_items=[
                {
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 500,
                        "product_data": {"name": "Fan"},
                        "recurring": {"interval": "month"},
                    },
                    "quantity": 1,
                }
            ],
        )

    assert error.value.param == "line_items[0][price_data][recurring]"


def test_authentication_errors(standin, stripe_api):
    missing = raw_call(standin, "GET", "/v1/customers/cus_x")
    live = raw_call(standin, "GET", "/v1/customers/cus_x", secret_key="sk_live_abcdefgh1234")

    assert missing[0] == 401 and "did not provide an API key" in missing[2]["error"]["message"]
    assert live[0] == 401 and live[2]["error"]["message"] == "Invalid API Key provided: sk_live_****1234"
    with pytest.raises(stripe.AuthenticationError):
        stripe_api.Customer.retrieve("cus_x", api_key="sk_live_abcdefgh1234")


def test_unrecognized_url(standin, secret_key):
    status, headers, body = raw_call(standin, "GET", "/v1/teapots", secret_key=secret_key)

    assert status == 404
    assert body["error"]["message"].startswith("Unrecognized request URL (GET: /v1/teapots).")


def test_two_secret_keys_stay_apart(stripe_api, secret_key):
    # GIVEN a session and a customer in one account
    session = product_session(stripe_api)
    customer = stripe_api.Customer.create(email="fan@example.com")
    other_key = f"sk_test_{uuid.uuid4().hex}"

    # THEN another account sees neither
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_api.checkout.Session.retrieve(session.id, api_key=other_key)
    assert error.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError):
        stripe_api.billing_portal.Session.create(customer=customer.id, api_key=other_key)
    assert stripe_api.checkout.Session.retrieve(session.id, api_key=secret_key).id == session.id


def test_concurrent_checkouts_all_answer(stripe_api):
    # the shop's stock test starts 20 checkouts at once: each gets its own session
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        sessions = list(pool.map(lambda index: product_session(stripe_api, client_reference_id=f"o{index}"), range(20)))

    assert len({session.id for session in sessions}) == 20
    assert sorted(session.client_reference_id for session in sessions) == sorted(f"o{index}" for index in range(20))


def test_basic_auth_as_curl_sends_it(standin, secret_key, stripe_api):
    customer = stripe_api.Customer.create(email="fan@example.com")
    token = base64.b64encode(f"{secret_key}:".encode()).decode()

    basic = {"Authorization": f"Basic {token}"}
    status, headers, body = raw_call(standin, "GET", f"/v1/customers/{customer.id}", headers=basic)

    assert status == 200 and body["email"] == "fan@example.com"
