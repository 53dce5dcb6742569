# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Memberships: subscription checkout, premium group while paid, removal at period end, premium-only content."""

import time

import pytest

from tests.backend.conftest import session_id_of


@pytest.fixture
def fans(sign_up):
    """(ada, bob)."""
    return sign_up("ada@example.com"), sign_up("bob@example.com")


def groups_of(backend_aws, fan):
    """The pool's groups of the fan."""
    response = backend_aws.cognito.admin_list_groups_for_user(UserPoolId=backend_aws.user_pool_id, Username=fan.email)
    return sorted(group["GroupName"] for group in response["Groups"])


@pytest.fixture
def member(fans, call_membership, stripe_account, deliver):
    """(ada, subscription id): Ada subscribed monthly and paid; Stripe's events delivered in Stripe's order."""
    ada = fans[0]
    response = call_membership("POST", "/api/membership/checkout", ada, body={"tier": "fan", "interval": "month"})
    assert response.status == 200, response.body
    paid = stripe_account.pay(session_id_of(response.body["checkout_url"]))
    deliver_all(deliver, stripe_account.new_events())
    return ada, paid["subscription"]


def deliver_all(deliver, events):
    """Deliver Stripe's events in the order given; each must be accepted."""
    for event in events:
        assert deliver(event).status == 200, event["type"]


def test_tiers_are_public(call_membership):
    assert call_membership("GET", "/api/membership/tiers").body == {
        "tiers": [{"id": "fan", "name": "Fan", "monthly": 500, "yearly": 5000, "currency": "eur"}]
    }


def test_checkout_is_a_subscription_priced_from_the_tier(fans, call_membership, stripe_account):
    ada = fans[0]
    response = call_membership("POST", "/api/membership/checkout", ada, body={"tier": "fan", "interval": "year"})
    session = stripe_account.session(session_id_of(response.body["checkout_url"]))
    assert response.body == {"checkout_url": session["url"]}
    assert session["mode"] == "subscription"
    price = stripe_account.line_items(session["id"])[0]["price"]
    assert (price["unit_amount"], price["recurring"]["interval"]) == (5000, "year")
    expected = {"user_id": ada.user_id, "kind": "membership", "tier": "fan", "interval": "year"}
    assert session["metadata"] == expected
    # The subscription carries the fan too, so its own events name them
    paid = stripe_account.pay(session["id"])
    assert stripe_account.get(f"subscriptions/{paid['subscription']}")["metadata"] == expected
    unknown = call_membership("POST", "/api/membership/checkout", ada, body={"tier": "gold", "interval": "month"})
    assert (unknown.status, unknown.body["code"]) == (404, "tier_not_found")
    assert (
        call_membership("POST", "/api/membership/checkout", ada, body={"tier": "fan", "interval": "week"}).status == 422
    )
    assert call_membership("POST", "/api/membership/checkout", body={"tier": "fan", "interval": "month"}).status == 401


def test_a_paid_membership_makes_the_fan_premium(member, fans, call_membership, backend_aws, stripe_account):
    ada, bob = fans
    state = call_membership("GET", "/api/membership", ada).body
    assert (state["status"], state["tier"], state["premium"]) == ("active", "fan", True)
    assert state["current_period_end"] > time.time()
    assert "premium" in groups_of(backend_aws, ada)
    # Premium-only content: Ada gets it, Bob (signed in, not a member) and strangers do not
    assert call_membership("GET", "/api/membership/content", ada).status == 200
    refused = call_membership("GET", "/api/membership/content", bob)
    assert (refused.status, refused.body["code"]) == (403, "premium_required")
    assert call_membership("GET", "/api/membership/content").status == 401
    # A member cannot subscribe twice; they manage the membership in the portal
    again = call_membership("POST", "/api/membership/checkout", ada, body={"tier": "fan", "interval": "month"})
    assert (again.status, again.body["code"]) == (409, "already_member")
    assert call_membership("POST", "/api/membership/portal", ada).body["url"].startswith(f"{stripe_account.url}/p/")
    assert call_membership("POST", "/api/membership/portal", bob).body["code"] == "membership_not_found"


def test_a_cancelled_membership_ends_at_period_end(member, call_membership, stripe_account, deliver, backend_aws):
    ada, subscription_id = member
    # WHEN Ada cancels in the portal: Stripe keeps the subscription active to the end of the period
    stripe_account.local(f"subscriptions/{subscription_id}/cancel", {"at_period_end": True})
    deliver_all(deliver, stripe_account.new_events())
    # THEN she stays premium until then
    state = call_membership("GET", "/api/membership", ada).body
    assert (state["status"], state["cancel_at_period_end"], state["premium"]) == ("active", True, True)
    assert "premium" in groups_of(backend_aws, ada)
    # WHEN the period ends: Stripe deletes the subscription
    stripe_account.local(f"subscriptions/{subscription_id}/advance")
    deliver_all(deliver, stripe_account.new_events())
    # THEN the premium group and premium content are gone
    assert "premium" not in groups_of(backend_aws, ada)
    assert call_membership("GET", "/api/membership", ada).body["premium"] is False
    assert call_membership("GET", "/api/membership/content", ada).status == 403


def test_an_unpaid_membership_is_removed(member, call_membership, stripe_account, deliver, backend_aws):
    ada, subscription_id = member
    # WHEN the renewal fails: past_due while Stripe retries (still premium), then unpaid
    stripe_account.local(f"subscriptions/{subscription_id}/advance", {"fail": True})
    deliver_all(deliver, stripe_account.new_events())
    assert call_membership("GET", "/api/membership", ada).body["status"] == "past_due"
    assert "premium" in groups_of(backend_aws, ada)
    stripe_account.local(f"subscriptions/{subscription_id}/advance", {"fail": True})
    deliver_all(deliver, stripe_account.new_events())
    # THEN premium is gone
    assert call_membership("GET", "/api/membership", ada).body["status"] == "unpaid"
    assert "premium" not in groups_of(backend_aws, ada)
    assert call_membership("GET", "/api/membership/content", ada).status == 403


def test_subscription_events_out_of_order_end_in_the_right_state(
    fans, call_membership, stripe_account, deliver, backend_aws
):
    ada = fans[0]
    response = call_membership("POST", "/api/membership/checkout", ada, body={"tier": "fan", "interval": "month"})
    subscription_id = stripe_account.pay(session_id_of(response.body["checkout_url"]))["subscription"]
    stripe_account.local(f"subscriptions/{subscription_id}/cancel", {"at_period_end": True})
    stripe_account.local(f"subscriptions/{subscription_id}/advance")
    events = stripe_account.new_events()
    assert "customer.subscription.deleted" in [event["type"] for event in events]
    # WHEN Stripe's events (paid, created, invoice, cancel, end) arrive newest first
    deliver_all(deliver, reversed(events))
    # THEN the membership is cancelled and Ada is not premium: no older event brought it back
    state = call_membership("GET", "/api/membership", ada).body
    assert (state["status"], state["premium"]) == ("canceled", False)
    assert "premium" not in groups_of(backend_aws, ada)


def test_gdpr_export_and_erasure_cover_the_membership(member, call_api, call_membership, monetisation):
    ada, subscription_id = member
    exported = call_api("GET", "/api/me/export", ada).body["membership"]["membership"]
    assert (exported["subscriptionId"], exported["status"]) == (subscription_id, "active")
    assert "membership" in call_api("DELETE", "/api/me", ada).body["erased"]
    assert monetisation.dynamodb.scan(TableName="Memberships")["Items"] == []
