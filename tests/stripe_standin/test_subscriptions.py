# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Memberships: a subscription Checkout, then cancel, advance (paid or failed) and the portal."""

import urllib.request

import pytest

from tests.stripe_standin.conftest import local_call
from tests.stripe_standin.conftest import membership_session
from tests.stripe_standin.conftest import page_post

SUBSCRIBE_EVENTS = [
    "customer.created",
    "checkout.session.completed",
    "customer.subscription.created",
    "invoice.paid",
    "invoice.payment_succeeded",
]


@pytest.fixture
def membership(stripe_api, receiver):
    """A paid membership: the subscription's id and the events its checkout sent."""
    session = membership_session(stripe_api)
    status, location, body = page_post(f"{session.url}/pay")
    assert (status, location) == (303, f"http://127.0.0.1:8080/membership?session={session.id}")
    events = receiver.events(len(SUBSCRIBE_EVENTS))
    return events[2].data.object.id, events


def period_end(subscription):
    """The current period's end, on the subscription's first item."""
    return subscription["items"]["data"][0]["current_period_end"]


def test_subscription_checkout_sends_stripes_events(membership, stripe_api):
    subscription_id, events = membership

    assert [event.type for event in events] == SUBSCRIBE_EVENTS
    completed, created, paid = events[1].data.object, events[2].data.object, events[3].data.object
    assert completed.subscription == subscription_id and completed.customer == events[0].data.object.id
    assert completed.metadata["kind"] == "membership"
    assert created.status == "active" and created.metadata["user_id"] == "user-1"
    assert paid.id.startswith("in_") and paid.status == "paid" and paid.amount_paid == 500
    assert paid.billing_reason == "subscription_create"
    assert paid.parent.subscription_details.subscription == subscription_id
    assert paid.parent.subscription_details.metadata["tier"] == "fan"
    assert stripe_api.Customer.retrieve(completed.customer).email == "fan@example.com"


def test_cancel_at_period_end_then_advance_ends_it(membership, standin, receiver):
    subscription_id, events = membership

    cancelled = local_call(standin, f"/subscriptions/{subscription_id}/cancel", {"at_period_end": True})
    ended = local_call(standin, f"/subscriptions/{subscription_id}/advance", {})

    assert cancelled["status"] == "active" and cancelled["cancel_at_period_end"] is True
    assert cancelled["cancel_at"] == period_end(cancelled)
    assert ended["status"] == "canceled" and ended["ended_at"]
    updated, deleted = receiver.events(len(SUBSCRIBE_EVENTS) + 2)[-2:]
    assert updated.type == "customer.subscription.updated"
    assert updated.data.previous_attributes["cancel_at_period_end"] is False
    assert deleted.type == "customer.subscription.deleted" and deleted.data.object.status == "canceled"


def test_cancel_now(membership, standin, receiver, stripe_api):
    subscription_id, events = membership

    local_call(standin, f"/subscriptions/{subscription_id}/cancel", {"at_period_end": False})

    deleted = receiver.events(len(SUBSCRIBE_EVENTS) + 1)[-1]
    assert deleted.type == "customer.subscription.deleted"
    assert stripe_api.Subscription.retrieve(subscription_id).status == "canceled"


def test_advance_renews_and_pays(membership, standin, receiver):
    subscription_id, events = membership
    first_end = period_end(events[2].data.object)

    renewed = local_call(standin, f"/subscriptions/{subscription_id}/advance", {})

    assert renewed["status"] == "active" and period_end(renewed) > first_end
    updated, paid, succeeded = receiver.events(len(SUBSCRIBE_EVENTS) + 3)[-3:]
    assert updated.type == "customer.subscription.updated" and "items" in updated.data.previous_attributes
    assert (paid.type, paid.data.object.billing_reason) == ("invoice.paid", "subscription_cycle")
    assert paid.data.object.id == renewed["latest_invoice"]
    assert succeeded.type == "invoice.payment_succeeded"


def test_failed_renewals_make_it_past_due_then_unpaid(membership, standin, receiver):
    subscription_id, events = membership

    past_due = local_call(standin, f"/subscriptions/{subscription_id}/advance", {"fail": True})
    unpaid = local_call(standin, f"/subscriptions/{subscription_id}/advance", {"fail": True})

    assert past_due["status"] == "past_due" and unpaid["status"] == "unpaid"
    sent = receiver.events(len(SUBSCRIBE_EVENTS) + 4)[len(SUBSCRIBE_EVENTS) :]
    assert [event.type for event in sent] == [
        "customer.subscription.updated",
        "invoice.payment_failed",
        "customer.subscription.updated",
        "invoice.payment_failed",
    ]
    assert sent[1].data.object.status == "open" and sent[3].data.object.attempt_count == 2
    assert sent[2].data.previous_attributes["status"] == "past_due"


def test_retry_after_a_failure_makes_it_active_again(membership, standin):
    subscription_id, events = membership
    local_call(standin, f"/subscriptions/{subscription_id}/advance", {"fail": True})

    recovered = local_call(standin, f"/subscriptions/{subscription_id}/advance", {})

    assert recovered["status"] == "active"


def test_cancelled_subscription_cannot_change(membership, standin):
    subscription_id, events = membership
    local_call(standin, f"/subscriptions/{subscription_id}/cancel", {})

    with pytest.raises(urllib.error.HTTPError) as error:
        local_call(standin, f"/subscriptions/{subscription_id}/advance", {})

    assert error.value.code == 400


def test_portal_page_cancels_at_period_end(membership, stripe_api, receiver):
    subscription_id, events = membership
    customer_id = events[0].data.object.id
    portal = stripe_api.billing_portal.Session.create(customer=customer_id, return_url="http://127.0.0.1:8080/m")

    with urllib.request.urlopen(portal.url, timeout=10) as response:
        page = response.read().decode()
    status, location, body = page_post(f"{portal.url}/cancel/{subscription_id}")

    assert "Cancel plan" in page and 'href="http://127.0.0.1:8080/m"' in page
    assert (status, location) == (303, f"/p/session/{portal.id}")
    assert stripe_api.Subscription.retrieve(subscription_id).cancel_at_period_end is True
    assert receiver.events(len(SUBSCRIBE_EVENTS) + 1)[-1].type == "customer.subscription.updated"


def test_library_cancel_deletes_now(membership, stripe_api, receiver):
    subscription_id, events = membership

    cancelled = stripe_api.Subscription.cancel(subscription_id)

    assert cancelled.status == "canceled" and cancelled.canceled_at
    assert receiver.events(len(SUBSCRIBE_EVENTS) + 1)[-1].type == "customer.subscription.deleted"
