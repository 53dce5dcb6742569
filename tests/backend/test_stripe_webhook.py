# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /api/stripe/webhook: signatures (real HMACs), exactly-once processing, unknown events."""

import json

import pytest
from creatorcloud_backend.domain import shop

from tests.backend.conftest import STRIPE_WEBHOOK_SECRET
from tests.backend.conftest import WebhookLambdaContext
from tests.backend.conftest import session_id_of
from tests.backend.conftest import signature_header
from tests.backend.conftest import stripe_event
from tests.backend.conftest import webhook_event


@pytest.fixture
def pending_order(call_shop, sign_up, stripe_account):
    """(fan, order id, session id): a fan's pending order of 1 of 2 mugs."""
    admin, fan = sign_up("admin@example.com", ("admin",)), sign_up("ada@example.com")
    product_id = call_shop(
        "POST", "/api/admin/shop/products", admin, body={"name": "Mug", "price": 900, "stock": 2}
    ).body["product_id"]
    response = call_shop("POST", "/api/shop/checkout", fan, body={"items": [{"product_id": product_id, "quantity": 1}]})
    return fan, response.body["order_id"], session_id_of(response.body["checkout_url"])


def order_status(call_shop, fan):
    """The status of the fan's only order."""
    return [order["status"] for order in call_shop("GET", "/api/shop/orders", fan).body["orders"]]


def test_a_bad_signature_is_rejected_and_nothing_is_processed(
    pending_order, stripe_account, deliver, call_shop, monetisation
):
    fan, unused_order_id, session_id = pending_order
    stripe_account.pay(session_id)
    event = stripe_account.event("checkout.session.completed")
    # WHEN the event is signed with another secret
    response = deliver(event, secret="whsec_somebody_else")
    # THEN 400, the order is still pending and no event was recorded
    assert (response.status, response.body["code"]) == (400, "invalid_signature")
    assert order_status(call_shop, fan) == ["pending"]
    assert monetisation.dynamodb.scan(TableName="Idempotency")["Items"] == []


def test_a_body_changed_after_signing_is_rejected(pending_order, stripe_account, monetisation):
    from creatorcloud_backend.handlers import stripe_webhook  # pylint: disable=import-outside-toplevel

    unused_fan, unused_order_id, session_id = pending_order
    stripe_account.local(f"sessions/{session_id}/expire_now")
    signed = json.dumps(stripe_account.event("checkout.session.expired"))
    tampered = signed.replace("checkout.session.expired", "checkout.session.completed")
    assert tampered != signed
    header = signature_header(signed, STRIPE_WEBHOOK_SECRET)
    for payload, signature in ((tampered, header), (signed, None), (signed, "t=1,v1=00")):
        event = webhook_event(payload, signature)
        if signature is None:
            del event["headers"]["stripe-signature"]
        assert stripe_webhook.handler(event, WebhookLambdaContext())["statusCode"] == 400


def test_a_replayed_event_is_processed_once(pending_order, stripe_account, deliver, monkeypatch):
    unused_fan, unused_order_id, session_id = pending_order
    releases = []
    original = shop.release
    monkeypatch.setattr(shop, "release", lambda *args: releases.append(args) or original(*args))
    stripe_account.local(f"sessions/{session_id}/expire_now")
    event = stripe_account.event("checkout.session.expired")
    # WHEN Stripe delivers the same event three times (a timeout on its side, a manual resend)
    responses = [deliver(event) for unused_delivery in range(3)]
    # THEN it was processed once; every delivery is answered with the first result
    assert len(releases) == 1
    assert [response.status for response in responses] == [200, 200, 200]
    assert {json.dumps(response.body, sort_keys=True) for response in responses} == {
        json.dumps({"received": True, "event_id": event["id"], "type": event["type"], "changed": True}, sort_keys=True)
    }


def test_an_event_that_failed_is_processed_again_on_retry(
    pending_order, stripe_account, deliver, call_shop, monkeypatch
):
    fan, unused_order_id, session_id = pending_order
    stripe_account.pay(session_id)
    event = stripe_account.event("checkout.session.completed")
    original = shop.mark_paid

    def fail_once(*args):
        """The first attempt fails (e.g. DynamoDB throttled)."""
        monkeypatch.setattr(shop, "mark_paid", original)
        raise RuntimeError("throttled")

    monkeypatch.setattr(shop, "mark_paid", fail_once)
    # WHEN the first delivery fails
    first = deliver(event)
    assert (first.status, first.body["code"]) == (500, "internal_error")
    assert order_status(call_shop, fan) == ["pending"]
    # THEN Stripe's retry of the same event is processed
    assert deliver(event).body["changed"] is True
    assert order_status(call_shop, fan) == ["paid"]


def test_events_the_backend_does_not_use_are_acknowledged(deliver):
    response = deliver(stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert (response.status, response.body["changed"]) == (200, False)
    # A session of another integration on the same account (no metadata of ours)
    foreign = deliver(stripe_event("checkout.session.completed", {"id": "cs_1", "payment_status": "paid"}))
    assert (foreign.status, foreign.body["changed"]) == (200, False)
