# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Donations: limits, checkout, messages shown only after moderation, anonymous or named, GDPR."""

import pytest

from tests.backend.conftest import session_id_of
from tests.backend.conftest import stripe_event


@pytest.fixture
def people(sign_up, call_api):
    """(admin, ada, bob); Ada's display name is "Ada L."."""
    ada = sign_up("ada@example.com")
    assert call_api("PUT", "/api/me", ada, body={"display_name": "Ada L.", "username": "ada"}).status == 200
    return sign_up("admin@example.com", ("admin",)), ada, sign_up("bob@example.com")


def donate(call_donations, stripe_account, deliver, fan, body):
    """A fan donates and pays; returns the donation id."""
    response = call_donations("POST", "/api/donations/checkout", fan, body=body)
    assert response.status == 200, response.body
    session_id = session_id_of(response.body["checkout_url"])
    assert stripe_account.session(session_id)["client_reference_id"] == response.body["donation_id"]
    stripe_account.pay(session_id)
    assert deliver(stripe_account.event("checkout.session.completed")).body["changed"] is True
    return response.body["donation_id"]


def test_amounts_outside_the_limits_are_refused(people, call_donations, stripe_account):
    unused_admin, ada, unused_bob = people
    for amount in (99, 100001):
        response = call_donations("POST", "/api/donations/checkout", ada, body={"amount": amount})
        assert (response.status, response.body["code"]) == (400, "amount_out_of_range")
    assert call_donations("POST", "/api/donations/checkout", body={"amount": 500}).status == 401
    assert (
        call_donations("POST", "/api/donations/checkout", ada, body={"amount": 500, "message": "x" * 501}).status == 422
    )
    assert stripe_account.new_events() == []


def test_messages_appear_after_approval_named_or_anonymous(people, call_donations, stripe_account, deliver):
    admin, ada, bob = people
    named = donate(call_donations, stripe_account, deliver, ada, {"amount": 500, "message": "Keep going!"})
    anonymous = donate(
        call_donations, stripe_account, deliver, bob, {"amount": 2500, "message": "From me", "anonymous": True}
    )
    # Paid, but not shown before an admin approves
    assert call_donations("GET", "/api/donations").body["donations"] == []
    waiting = call_donations("GET", "/api/admin/donations", admin).body["donations"]
    assert sorted(item["donation_id"] for item in waiting) == sorted([named, anonymous])
    assert call_donations("PUT", f"/api/admin/donations/{named}", ada, body={"visible": True}).status == 403
    # WHEN the admin approves both
    for donation_id in (named, anonymous):
        assert call_donations("PUT", f"/api/admin/donations/{donation_id}", admin, body={"visible": True}).status == 200
    # THEN the wall shows them newest first, Bob's as Anonymous
    wall = call_donations("GET", "/api/donations").body["donations"]
    assert [(item["name"], item["amount"], item["message"]) for item in wall] == [
        ("Anonymous", 2500, "From me"),
        ("Ada L.", 500, "Keep going!"),
    ]
    assert "user_id" not in wall[0]
    # AND hiding one takes it off the wall
    call_donations("PUT", f"/api/admin/donations/{anonymous}", admin, body={"visible": False})
    assert [item["donation_id"] for item in call_donations("GET", "/api/donations").body["donations"]] == [named]


def test_unpaid_donations_cannot_be_approved_and_expire(people, call_donations, stripe_account, deliver):
    admin, ada, unused_bob = people
    response = call_donations("POST", "/api/donations/checkout", ada, body={"amount": 300})
    donation_id, session_id = response.body["donation_id"], session_id_of(response.body["checkout_url"])
    refused = call_donations("PUT", f"/api/admin/donations/{donation_id}", admin, body={"visible": True})
    assert (refused.status, refused.body["code"]) == (409, "donation_not_paid")
    assert call_donations("PUT", f"/api/admin/donations/{'0' * 32}", admin, body={"visible": True}).status == 404
    stripe_account.local(f"sessions/{session_id}/expire_now")
    expired = stripe_account.event("checkout.session.expired")
    assert deliver(expired).body["changed"] is True
    # A completion reported after the expiry (impossible at Stripe, but a confused or forged order) changes nothing
    late = {**expired["data"]["object"], "status": "complete", "payment_status": "paid"}
    assert deliver(stripe_event("checkout.session.completed", late)).body["changed"] is False


def test_gdpr_export_and_erasure_cover_donations(
    people, call_api, call_donations, stripe_account, deliver, monetisation
):
    admin, ada, unused_bob = people
    donation_id = donate(call_donations, stripe_account, deliver, ada, {"amount": 700, "message": "Hi from Ada"})
    call_donations("PUT", f"/api/admin/donations/{donation_id}", admin, body={"visible": True})
    exported = call_api("GET", "/api/me/export", ada).body["donations"]["donations"]
    assert [(row["donationId"], row["donorName"], row["message"]) for row in exported] == [
        (donation_id, "Ada L.", "Hi from Ada")
    ]
    # WHEN Ada erases her account
    assert "donations" in call_api("DELETE", "/api/me", ada).body["erased"]
    # THEN the donation keeps its amount and payment for the accounts, without her, her name or message
    row = monetisation.dynamodb.get_item(TableName="Donations", Key={"donationId": {"S": donation_id}})["Item"]
    assert not {"userId", "donorName", "message"} & set(row)
    assert (row["amount"]["N"], row["status"]["S"], row["anonymous"]["BOOL"]) == ("700", "hidden", True)
    assert row["stripePaymentId"]["S"].startswith("pi_")
    assert call_donations("GET", "/api/donations").body["donations"] == []
