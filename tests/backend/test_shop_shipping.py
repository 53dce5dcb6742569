# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shipping: Checkout asks for an address in the creator's countries, the paid order keeps it for the admins,
and erasing the fan removes it (and the e-mail address) from the order that tax law keeps."""

import json

import pytest
from creatorcloud_stripe.shipping import EXAMPLE_FORM

from tests.backend.conftest import session_id_of

COUNTRIES = ["DE", "AT", "CH"]


@pytest.fixture
def people(sign_up):
    """(admin, ada)."""
    return sign_up("admin@example.com", ("admin",)), sign_up("ada@example.com")


@pytest.fixture
def record(call_shop, people):
    """A product an admin added: 1999 cents, 5 in stock."""
    body = {"name": "Record", "price": 1999, "stock": 5}
    return call_shop("POST", "/api/admin/shop/products", people[0], body=body).body


def checkout(call_shop, fan, product):
    """The Checkout Session id of a fan's order of one product."""
    response = call_shop(
        "POST", "/api/shop/checkout", fan, body={"items": [{"product_id": product["product_id"], "quantity": 1}]}
    )
    assert response.status == 200, response.body
    return response.body["order_id"], session_id_of(response.body["checkout_url"])


def test_checkout_asks_for_an_address_the_paid_order_keeps_it_and_admins_see_who_to_ship_to(
    call_shop, people, record, stripe_account, deliver, monkeypatch
):
    admin, ada = people
    # GIVEN a shop that ships to three countries, as the api role sets it
    monkeypatch.setenv("SHIPPING_COUNTRIES", json.dumps(COUNTRIES))
    order_id, session_id = checkout(call_shop, ada, record)
    assert stripe_account.session(session_id)["shipping_address_collection"] == {"allowed_countries": COUNTRIES}

    # WHEN Ada pays with her address and Stripe reports the payment
    stripe_account.choose(session_id, "pay", form=EXAMPLE_FORM)
    assert deliver(stripe_account.event("checkout.session.completed")).body["changed"] is True

    # THEN her order carries the address; admins see it with her e-mail address, she sees no e-mail field
    expected = {
        "name": "Erika Mustermann",
        "address": {
            "line1": "Heidestraße 17",
            "line2": "",
            "postal_code": "51147",
            "city": "Köln",
            "state": "",
            "country": "DE",
        },
    }
    [own] = call_shop("GET", "/api/shop/orders", ada).body["orders"]
    assert (own["order_id"], own["status"], own["shipping"]) == (order_id, "paid", expected)
    assert "email" not in own
    [listed] = call_shop("GET", "/api/admin/shop/orders", admin).body["orders"]
    assert (listed["shipping"], listed["email"]) == (expected, "ada@example.com")
    shipped = call_shop("PUT", f"/api/admin/shop/orders/{order_id}/status", admin, body={"status": "shipped"})
    assert (shipped.body["status"], shipped.body["shipping"]) == ("shipped", expected)


def test_a_shop_without_countries_asks_for_no_address(call_shop, people, record, stripe_account, deliver, monkeypatch):
    unused_admin, ada = people
    monkeypatch.delenv("SHIPPING_COUNTRIES", raising=False)
    unused_order, session_id = checkout(call_shop, ada, record)
    assert stripe_account.session(session_id)["shipping_address_collection"] is None
    stripe_account.pay(session_id)
    assert deliver(stripe_account.event("checkout.session.completed")).body["changed"] is True
    assert call_shop("GET", "/api/shop/orders", ada).body["orders"][0]["shipping"] is None


def test_erasure_removes_the_address_and_the_email_from_the_kept_order(
    call_api, call_shop, people, record, stripe_account, deliver, monkeypatch, monetisation
):
    admin, ada = people
    monkeypatch.setenv("SHIPPING_COUNTRIES", json.dumps(COUNTRIES))
    order_id, session_id = checkout(call_shop, ada, record)
    stripe_account.choose(session_id, "pay", form=EXAMPLE_FORM)
    deliver(stripe_account.event("checkout.session.completed"))

    assert call_api("DELETE", "/api/me", ada).status == 200

    [kept] = call_shop("GET", "/api/admin/shop/orders", admin).body["orders"]
    assert kept["order_id"] == order_id and kept["status"] == "paid"
    assert kept["user_id"].startswith("erased-")
    assert (kept["shipping"], kept["email"]) == (None, None)
