# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shop: products, checkout with reserved stock, payment by webhook, fulfilment, releases."""

import time

import pytest
from creatorcloud_backend.domain import payments

from tests.backend.conftest import session_id_of


@pytest.fixture
def people(sign_up):
    """(admin, ada, bob)."""
    return sign_up("admin@example.com", ("admin",)), sign_up("ada@example.com"), sign_up("bob@example.com")


@pytest.fixture
def poster(call_shop, people):
    """A product an admin added: 1500 cents, 3 in stock."""
    body = {"name": "Poster", "description": "A2, signed", "price": 1500, "stock": 3}
    response = call_shop("POST", "/api/admin/shop/products", people[0], body=body)
    assert response.status == 201, response.body
    return response.body


def stock_of(call_shop, product_id):
    """The product's stock as the public list shows it (None when it is not listed)."""
    products = call_shop("GET", "/api/shop/products").body["products"]
    return next((item["stock"] for item in products if item["product_id"] == product_id), None)


def checkout(call_shop, fan, product, quantity):
    """(order id, Checkout Session id) of a fan's checkout of one product."""
    body = {"items": [{"product_id": product["product_id"], "quantity": quantity}]}
    response = call_shop("POST", "/api/shop/checkout", fan, body=body)
    assert response.status == 200, response.body
    return response.body["order_id"], session_id_of(response.body["checkout_url"])


def statuses(call_shop, fan):
    """The statuses of the fan's orders, newest first."""
    return [order["status"] for order in call_shop("GET", "/api/shop/orders", fan).body["orders"]]


def test_admins_manage_products_and_everyone_sees_them(call_shop, people, poster):
    admin, ada, unused_bob = people
    assert call_shop("GET", "/api/shop/products").body == {"products": [poster], "currency": "eur"}
    assert call_shop("POST", "/api/admin/shop/products", ada, body={"name": "X", "price": 1, "stock": 1}).status == 403
    changed = call_shop("PUT", f"/api/admin/shop/products/{poster['product_id']}", admin, body={"price": 1800})
    assert (changed.status, changed.body["price"], changed.body["name"]) == (200, 1800, "Poster")
    unchanged = call_shop("PUT", f"/api/admin/shop/products/{poster['product_id']}", admin, body={})
    assert (unchanged.status, unchanged.body["price"]) == (200, 1800)
    missing = call_shop("PUT", f"/api/admin/shop/products/{'0' * 32}", admin, body={"price": 1})
    assert (missing.status, missing.body["code"]) == (404, "product_not_found")
    bad = call_shop("POST", "/api/admin/shop/products", admin, body={"name": "X", "price": -5, "stock": 1})
    assert (bad.status, bad.body["code"]) == (422, "validation_error")
    # Deleting archives: the product leaves the shop but stays for admins (and its orders).
    assert call_shop("DELETE", f"/api/admin/shop/products/{poster['product_id']}", admin).body["archived"] is True
    assert call_shop("GET", "/api/shop/products").body["products"] == []
    listed = call_shop("GET", "/api/admin/shop/products", admin).body
    assert ([item["archived"] for item in listed["products"]], listed["currency"]) == ([True], "eur")


def test_checkout_prices_from_the_table_and_reserves_stock(call_shop, people, poster, stripe_account):
    unused_admin, ada, unused_bob = people
    # WHEN Ada checks out two posters (the same product on two lines)
    cart = {"items": [{"product_id": poster["product_id"], "quantity": 1}] * 2}
    response = call_shop("POST", "/api/shop/checkout", ada, body=cart)
    # THEN she gets the order and the hosted checkout; the stock is reserved
    assert response.status == 200, response.body
    session = stripe_account.session(session_id_of(response.body["checkout_url"]))
    assert response.body["checkout_url"] == session["url"]
    assert stock_of(call_shop, poster["product_id"]) == 1
    # AND the session is priced from the table, carries the order, and expires in 30 minutes
    assert (session["mode"], session["amount_total"], session["currency"]) == ("payment", 3000, "eur")
    assert [
        (item["description"], item["quantity"], item["price"]["unit_amount"])
        for item in stripe_account.line_items(session["id"])
    ] == [("Poster", 2, 1500)]
    order_id = response.body["order_id"]
    assert session["client_reference_id"] == order_id
    assert session["metadata"] == {"order_id": order_id, "user_id": ada.user_id, "kind": "order"}
    assert 29 * 60 <= session["expires_at"] - time.time() <= 30 * 60
    assert statuses(call_shop, ada) == ["pending"]
    # AND the PaymentIntent carries the order too (payment_intent.payment_failed and the charge name it)
    paid = stripe_account.pay(session["id"])
    assert stripe_account.get(f"payment_intents/{paid['payment_intent']}")["metadata"] == session["metadata"]


def test_a_client_cannot_set_prices_and_unknown_products_are_refused(call_shop, people, poster):
    unused_admin, ada, unused_bob = people
    priced = {"items": [{"product_id": poster["product_id"], "quantity": 1, "price": 1}]}
    assert call_shop("POST", "/api/shop/checkout", ada, body=priced).status == 422
    unknown = {"items": [{"product_id": "0" * 32, "quantity": 1}]}
    assert call_shop("POST", "/api/shop/checkout", ada, body=unknown).body["code"] == "product_not_found"
    assert call_shop("POST", "/api/shop/checkout", body={"items": []}).status in (401, 422)
    cart = {"items": [{"product_id": poster["product_id"], "quantity": 1}]}
    assert call_shop("POST", "/api/shop/checkout", body=cart).status == 401


def test_more_than_in_stock_is_refused_and_nothing_is_written(call_shop, people, poster, monetisation):
    unused_admin, ada, unused_bob = people
    response = call_shop(
        "POST", "/api/shop/checkout", ada, body={"items": [{"product_id": poster["product_id"], "quantity": 4}]}
    )
    assert (response.status, response.body["code"]) == (409, "out_of_stock")
    assert stock_of(call_shop, poster["product_id"]) == 3
    assert monetisation.dynamodb.scan(TableName="ShopOrders")["Items"] == []


def test_paid_orders_are_fulfilled_and_fans_see_only_their_own(call_shop, people, poster, stripe_account, deliver):
    admin, ada, bob = people
    order_id, session_id = checkout(call_shop, ada, poster, 1)
    # An admin cannot ship what is not paid
    early = call_shop("PUT", f"/api/admin/shop/orders/{order_id}/status", admin, body={"status": "shipped"})
    assert (early.status, early.body["code"]) == (409, "invalid_status_transition")
    # WHEN Ada pays and Stripe sends checkout.session.completed
    stripe_account.pay(session_id)
    assert deliver(stripe_account.event("checkout.session.completed")).body["changed"] is True
    # THEN her order is paid, Bob sees none of it, admins see it
    assert statuses(call_shop, ada) == ["paid"]
    assert call_shop("GET", "/api/shop/orders", bob).body["orders"] == []
    assert call_shop("GET", "/api/admin/shop/orders", ada).status == 403
    listed = call_shop("GET", "/api/admin/shop/orders", admin, query={"status": "paid"}).body["orders"]
    assert [order["order_id"] for order in listed] == [order_id]
    # AND an admin ships and completes it, in that order only
    path = f"/api/admin/shop/orders/{order_id}/status"
    assert call_shop("PUT", path, admin, body={"status": "completed"}).status == 409
    assert call_shop("PUT", path, admin, body={"status": "shipped"}).body["status"] == "shipped"
    assert call_shop("PUT", path, admin, body={"status": "completed"}).body["status"] == "completed"
    assert (
        call_shop("PUT", f"/api/admin/shop/orders/{'f' * 32}/status", admin, body={"status": "shipped"}).status == 404
    )
    # The stock stays sold
    assert stock_of(call_shop, poster["product_id"]) == 2


def test_an_expired_checkout_gives_the_stock_back_exactly_once(call_shop, people, poster, stripe_account, deliver):
    unused_admin, ada, unused_bob = people
    unused_order_id, session_id = checkout(call_shop, ada, poster, 2)
    stripe_account.local(f"sessions/{session_id}/expire_now")
    expired = stripe_account.event("checkout.session.expired")
    # WHEN the expiry is reported by two distinct events (e.g. a manual expire raced the timeout)
    for event in (expired, {**expired, "id": expired["id"] + "_again"}):
        assert deliver(event).status == 200
    # THEN the stock is back once, and the order is cancelled
    assert stock_of(call_shop, poster["product_id"]) == 3
    assert statuses(call_shop, ada) == ["cancelled"]


def test_a_failed_payment_closes_the_checkout_and_releases_the_stock(
    call_shop, people, poster, stripe_account, deliver
):
    unused_admin, ada, unused_bob = people
    unused_order_id, session_id = checkout(call_shop, ada, poster, 1)
    # WHEN the card is declined
    stripe_account.choose(session_id, "decline")
    response = deliver(stripe_account.event("payment_intent.payment_failed"))
    # THEN the session is expired at Stripe (it can no longer be paid), and the stock is back
    assert response.body["changed"] is True
    assert stripe_account.session(session_id)["status"] == "expired"
    assert stock_of(call_shop, poster["product_id"]) == 3
    assert statuses(call_shop, ada) == ["cancelled"]


def test_a_failure_reported_after_the_payment_changes_nothing(call_shop, people, poster, stripe_account, deliver):
    unused_admin, ada, unused_bob = people
    unused_order_id, session_id = checkout(call_shop, ada, poster, 1)
    # GIVEN a first card was declined, then a second one paid, and the events arrive: failure last
    stripe_account.choose(session_id, "decline")
    stripe_account.pay(session_id)
    failed = stripe_account.event("payment_intent.payment_failed")
    assert deliver(stripe_account.event("checkout.session.completed")).body["changed"] is True
    assert deliver(failed).body["changed"] is False
    # THEN the order stays paid and the stock sold
    assert statuses(call_shop, ada) == ["paid"]
    assert stock_of(call_shop, poster["product_id"]) == 2


def test_a_refund_is_recorded_even_before_the_payment_event(call_shop, people, poster, stripe_account, deliver):
    unused_admin, ada, unused_bob = people
    unused_order_id, session_id = checkout(call_shop, ada, poster, 1)
    paid = stripe_account.pay(session_id)
    charge_id = stripe_account.get(f"payment_intents/{paid['payment_intent']}")["latest_charge"]
    stripe_account.local(f"charges/{charge_id}/refund")
    completed, refunded = stripe_account.event("checkout.session.completed"), stripe_account.event("charge.refunded")
    # WHEN charge.refunded arrives before checkout.session.completed
    assert deliver(refunded).body["changed"] is True
    assert deliver(completed).body["changed"] is True
    # THEN the order is paid and refunded
    order = call_shop("GET", "/api/shop/orders", ada).body["orders"][0]
    assert (order["status"], order["refunded_amount"]) == ("paid", 1500)
    # AND a charge without the order's metadata is traced through its PaymentIntent
    bare = {**refunded, "id": refunded["id"] + "_bare"}
    bare["data"] = {"object": {**refunded["data"]["object"], "metadata": {}}}
    assert deliver(bare).body["changed"] is True


def test_a_checkout_stripe_refuses_gives_the_stock_back(call_shop, people, poster, monkeypatch):
    unused_admin, ada, unused_bob = people
    # GIVEN Stripe cannot be reached (nothing listens on the discard port)
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:9")
    payments.forget_stripe()
    # WHEN Ada checks out THEN 502, and the reservation is released
    response = call_shop(
        "POST", "/api/shop/checkout", ada, body={"items": [{"product_id": poster["product_id"], "quantity": 2}]}
    )
    assert (response.status, response.body["code"]) == (502, "payment_provider_error")
    assert stock_of(call_shop, poster["product_id"]) == 3
    assert statuses(call_shop, ada) == ["cancelled"]
