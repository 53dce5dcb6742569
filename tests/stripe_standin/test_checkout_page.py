# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hosted checkout page: what it shows, Pay, Cancel, a declined card, and the signed events it sends."""

import re
import urllib.request

from tests.stripe_standin.conftest import WEBHOOK_SECRET
from tests.stripe_standin.conftest import account_events
from tests.stripe_standin.conftest import logged_events
from tests.stripe_standin.conftest import page_post
from tests.stripe_standin.conftest import product_session


def test_page_shows_the_items_without_external_resources(stripe_api):
    session = product_session(stripe_api)

    with urllib.request.urlopen(session.url, timeout=10) as response:
        html = response.read().decode()
        content_type = response.headers["Content-Type"]

    assert content_type.startswith("text/html")
    assert '<html lang="en">' in html
    assert "Mug" in html and "25.00 EUR" in html and "4242 4242 4242 4242" in html
    assert re.findall(r"<button[^>]*>([^<]+)</button>", html) == [
        "Pay 25.00 EUR",
        "Pay with a declined card (4000 0000 0000 0002)",
        "Cancel",
    ]
    # no scripts, styles or images from elsewhere: the page works offline
    assert not re.search(r"""(src|href)=["']?https?://""", html)
    assert "<script" not in html


def test_pay_sends_signed_events_in_order_and_redirects(stripe_api, receiver, secret_key, standin):
    # GIVEN an open session of the shop
    session = product_session(stripe_api)

    # WHEN the fan presses Pay
    status, location, body = page_post(f"{session.url}/pay")

    # THEN the browser goes to the success URL with the session id
    assert status == 303
    assert location == f"http://127.0.0.1:8080/shop/success?session={session.id}"
    # AND the events arrive signed with the webhook secret, in Stripe's order
    events = receiver.events(4)
    assert [event.type for event in events] == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]
    completed = events[-1]
    assert completed.object == "event" and completed.id.startswith("evt_") and completed.livemode is False
    assert completed.api_version == "2026-10-28.endive" and completed.created > 0
    paid = completed.data.object
    assert (paid.id, paid.status, paid.payment_status) == (session.id, "complete", "paid")
    assert paid.client_reference_id == "order-1" and paid.metadata["order_id"] == "order-1"
    intent = events[2].data.object
    assert intent.id == paid.payment_intent and intent.id.startswith("pi_")
    assert intent.metadata.to_dict() == {"order_id": "order-1", "kind": "order"}
    charge = events[1].data.object
    assert charge.id.startswith("ch_") and charge.id == intent.latest_charge and charge.amount == 2500
    header = receiver.received[0]["headers"]["Stripe-Signature"]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)
    # AND the session reads as paid through the API
    assert stripe_api.checkout.Session.retrieve(session.id).payment_status == "paid"
    assert [event["status"] for event in logged_events(standin, secret_key, attempts=4)] == [200] * 4
    assert WEBHOOK_SECRET not in receiver.received[0]["body"]


def test_paid_session_cannot_be_paid_again(stripe_api):
    session = product_session(stripe_api)
    page_post(f"{session.url}/pay")

    status, location, body = page_post(f"{session.url}/pay")

    assert status == 409 and "already paid" in body
    assert stripe_api.checkout.Session.retrieve(session.id).payment_status == "paid"


def test_cancel_goes_back_and_leaves_the_session_open(stripe_api, receiver, secret_key, standin):
    session = product_session(stripe_api)

    status, location, body = page_post(f"{session.url}/cancel")

    assert (status, location) == (303, "http://127.0.0.1:8080/shop/cart")
    assert stripe_api.checkout.Session.retrieve(session.id).status == "open"
    assert account_events(standin, secret_key) == []


def test_declined_card_fails_the_payment_intent(stripe_api, receiver):
    # GIVEN an open session WHEN the fan pays with the declined test card
    session = product_session(stripe_api)
    status, location, body = page_post(f"{session.url}/decline")

    # THEN the page says so, the session stays open, and payment_intent.payment_failed is sent
    assert status == 402 and "Your card was declined." in body and 'role="alert"' in body
    events = receiver.events(2)
    assert [event.type for event in events] == ["payment_intent.created", "payment_intent.payment_failed"]
    failed = events[1].data.object
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.code == "card_declined"
    assert failed.metadata["order_id"] == "order-1"
    # AND paying afterwards succeeds with the same PaymentIntent
    page_post(f"{session.url}/pay")
    later = [event.type for event in receiver.events(5)][2:]
    assert later == ["charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"]
    assert stripe_api.checkout.Session.retrieve(session.id).payment_intent == failed.id


def test_session_without_success_url_shows_a_page(stripe_api):
    session = product_session(stripe_api, success_url=None, cancel_url=None)

    status, location, body = page_post(f"{session.url}/pay")

    assert status == 200 and location is None and "Payment complete" in body


def test_unknown_session_page_is_a_stripe_error(standin):
    status, location, body = page_post(f"{standin.url}/c/pay/cs_test_unknown/pay")

    assert status == 404 and "No such checkout.session" in body
