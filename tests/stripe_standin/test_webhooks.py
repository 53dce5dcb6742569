# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Webhook delivery and the test controls: retries, replay, refunds, failed payments, expiry, the event log."""

import json
import urllib.error

import pytest
import stripe
from creatorcloud_stripe import checkout
from creatorcloud_stripe.accounts import Account
from creatorcloud_stripe.webhooks import signature_header

from tests.stripe_standin.conftest import WEBHOOK_SECRET
from tests.stripe_standin.conftest import account_events
from tests.stripe_standin.conftest import local_call
from tests.stripe_standin.conftest import logged_events
from tests.stripe_standin.conftest import page_post
from tests.stripe_standin.conftest import product_session

PAY_EVENTS = 4


def paid_session(stripe_api, receiver):
    """A paid shop session and its checkout.session.completed event's session."""
    session = product_session(stripe_api)
    page_post(f"{session.url}/pay")
    return receiver.events(PAY_EVENTS)[-1].data.object


def test_failed_delivery_is_retried(stripe_api, receiver, standin, secret_key):
    # GIVEN a receiver that answers 500 to the first request
    receiver.statuses = [500]

    # WHEN an event is sent
    session = product_session(stripe_api)
    stripe_api.checkout.Session.expire(session.id)

    # THEN the same event comes again, with a new signature, and the log shows both answers
    first, second = receiver.wait_for(2)
    assert (first["status"], second["status"]) == (500, 200)
    assert json.loads(first["body"])["id"] == json.loads(second["body"])["id"]
    stripe.Webhook.construct_event(second["body"], second["headers"]["Stripe-Signature"], WEBHOOK_SECRET)
    [logged] = logged_events(standin, secret_key, attempts=2)
    assert logged["type"] == "checkout.session.expired" and logged["delivered"] is True
    assert [attempt["status"] for attempt in logged["attempts"]] == [500, 200]


def test_replay_sends_the_same_event_again(stripe_api, receiver, standin, secret_key):
    session = product_session(stripe_api)
    stripe_api.checkout.Session.expire(session.id)
    [original] = receiver.events(1)

    answer = local_call(standin, f"/events/{original.id}/resend", {})

    replayed = receiver.events(2)[1]
    assert answer == {"id": original.id, "resent": True}
    assert replayed.id == original.id and replayed.to_dict() == original.to_dict()
    assert logged_events(standin, secret_key, attempts=2)[0]["attempts"][-1]["replay"] is True


def test_refund(stripe_api, receiver, standin):
    # GIVEN a paid order
    paid = paid_session(stripe_api, receiver)
    charge_id = stripe_api.PaymentIntent.retrieve(paid.payment_intent).latest_charge

    # WHEN part, then the rest is refunded
    partial = local_call(standin, f"/charges/{charge_id}/refund", {"amount": 1000})
    full = local_call(standin, f"/charges/{charge_id}/refund", {})

    # THEN charge.refunded tells how much, and whether all of it
    assert (partial["amount_refunded"], partial["refunded"]) == (1000, False)
    assert (full["amount_refunded"], full["refunded"]) == (2500, True)
    sent = receiver.events(PAY_EVENTS + 4)[PAY_EVENTS:]
    assert [event.type for event in sent] == ["charge.refunded", "refund.created"] * 2
    assert sent[2].data.object.refunded is True and sent[2].data.previous_attributes["amount_refunded"] == 1000
    assert sent[1].data.object.id.startswith("re_") and sent[1].data.object.payment_intent == paid.payment_intent
    with pytest.raises(urllib.error.HTTPError) as error:
        local_call(standin, f"/charges/{charge_id}/refund", {"amount": 1})
    assert json.loads(error.value.read())["error"]["code"] == "amount_too_large"


def test_payment_intent_fail_control(stripe_api, receiver, standin):
    # GIVEN a payment attempt that was declined once (the session's PaymentIntent exists)
    session = product_session(stripe_api)
    page_post(f"{session.url}/decline")
    intent_id = receiver.events(2)[1].data.object.id

    # WHEN the control fails it again
    failed = local_call(standin, f"/payment_intents/{intent_id}/fail", {})

    assert failed["status"] == "requires_payment_method"
    assert receiver.events(3)[-1].type == "payment_intent.payment_failed"


def test_succeeded_payment_cannot_fail(stripe_api, receiver, standin):
    paid = paid_session(stripe_api, receiver)

    with pytest.raises(urllib.error.HTTPError) as error:
        local_call(standin, f"/payment_intents/{paid.payment_intent}/fail", {})

    assert error.value.code == 400
    assert json.loads(error.value.read())["error"]["code"] == "payment_intent_unexpected_state"


def test_expire_now_sends_checkout_session_expired(stripe_api, receiver, standin):
    session = product_session(stripe_api)

    expired = local_call(standin, f"/sessions/{session.id}/expire_now", {})

    assert expired["status"] == "expired"
    [event] = receiver.events(1)
    assert event.type == "checkout.session.expired" and event.data.object.metadata["order_id"] == "order-1"
    status, location, body = page_post(f"{session.url}/pay")
    assert status == 409 and "expired" in body


def test_events_without_forward_are_logged_not_sent(stripe_api, standin, secret_key):
    session = product_session(stripe_api)
    stripe_api.checkout.Session.expire(session.id)

    [logged] = account_events(standin, secret_key)

    assert logged["type"] == "checkout.session.expired" and logged["object_id"] == session.id
    assert (logged["delivered"], logged["status"], logged["attempts"]) == (False, None, [])


def test_events_are_retrievable_through_the_api(stripe_api, standin, secret_key):
    session = product_session(stripe_api)
    stripe_api.checkout.Session.expire(session.id)
    [logged] = account_events(standin, secret_key)

    event = stripe_api.Event.retrieve(logged["id"])

    assert event.type == "checkout.session.expired" and event.data.object.id == session.id


def test_forward_needs_its_fields(standin):
    with pytest.raises(urllib.error.HTTPError) as error:
        local_call(standin, "/forward", {"secret_key": "sk_test_x", "url": "http://127.0.0.1:1/"})

    assert error.value.code == 400
    assert json.loads(error.value.read())["error"]["param"] == "webhook_secret"


def test_unknown_control_target(standin):
    with pytest.raises(urllib.error.HTTPError) as error:
        local_call(standin, "/subscriptions/sub_unknown/cancel", {})

    assert error.value.code == 404


def test_signature_is_stripes_scheme():
    # the scheme Stripe documents: v1 = HMAC-SHA256 of "<t>.<payload>" with the endpoint secret
    header = signature_header('{"id": "evt_1"}', "whsec_x", 1700000000)

    assert header == "t=1700000000,v1=" + stripe.WebhookSignature._compute_signature(
        '1700000000.{"id": "evt_1"}', "whsec_x"
    )


def test_due_sessions_expire_on_their_own():
    # the stand-in's sweeper calls expire_due every few seconds; here its clock is passed in
    account = Account("sk_test_sweep")
    fields = {"mode": "payment", "expires_at": 1000, "success_url": None}
    session = account.add({"id": "cs_test_1", "object": "checkout.session", "status": "open", **fields})

    checkout.expire_due(account, at=999)
    assert session["status"] == "open"
    checkout.expire_due(account, at=1000)

    assert session["status"] == "expired"
    assert [event["type"] for event in account.events] == ["checkout.session.expired"]
