# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GDPR: a fan's export has their orders; erasure keeps the orders for tax law, pseudonymised."""

from creatorcloud_backend.domain import shop

from tests.backend.conftest import session_id_of


def test_orders_are_exported_and_pseudonymised_on_erasure(
    call_api, call_shop, sign_up, stripe_account, deliver, monetisation
):
    admin, ada, bob = sign_up("admin@example.com", ("admin",)), sign_up("ada@example.com"), sign_up("bob@example.com")
    product_id = call_shop(
        "POST", "/api/admin/shop/products", admin, body={"name": "Cap", "price": 2000, "stock": 9}
    ).body["product_id"]
    cart = {"items": [{"product_id": product_id, "quantity": 1}]}
    ada_checkout = call_shop("POST", "/api/shop/checkout", ada, body=cart).body
    ada_order = ada_checkout["order_id"]
    bob_order = call_shop("POST", "/api/shop/checkout", bob, body=cart).body["order_id"]
    stripe_account.pay(session_id_of(ada_checkout["checkout_url"]))
    assert deliver(stripe_account.event("checkout.session.completed")).body["changed"] is True
    # The export has Ada's order as stored, and only hers
    exported = call_api("GET", "/api/me/export", ada).body["shop"]["orders"]
    assert [(row["orderId"], row["email"], row["status"]) for row in exported] == [
        (ada_order, "ada@example.com", "paid")
    ]
    # WHEN Ada erases her account
    assert "shop" in call_api("DELETE", "/api/me", ada).body["erased"]
    # THEN her order is still there for the accounts, under a pseudonym and without her e-mail
    rows = {row["orderId"]["S"]: row for row in monetisation.dynamodb.scan(TableName="ShopOrders")["Items"]}
    kept = rows[ada_order]
    assert kept["userId"]["S"].startswith("erased-") and "email" not in kept
    assert (kept["status"]["S"], kept["totalAmount"]["N"], kept["stripePaymentId"]["S"][:3]) == ("paid", "2000", "pi_")
    assert rows[bob_order]["userId"]["S"] == bob.user_id
    # AND nothing is left under her id; erasing again is a no-op
    assert shop.user_orders(ada.user_id) == []
    shop.erase_orders(ada.user_id)
    assert len(monetisation.dynamodb.scan(TableName="ShopOrders")["Items"]) == 2


def test_a_function_without_the_monetisation_tables_has_nothing_of_theirs(call_api, sign_up, monetisation, monkeypatch):
    # GIVEN a creator without the payment features: the profile function gets none of their tables
    for variable in ("SHOPORDERS_TABLE", "MEMBERSHIPS_TABLE", "DONATIONS_TABLE"):
        monkeypatch.delenv(variable)
    ada = sign_up("ada@example.com")
    # THEN export and erasure pass over them
    exported = call_api("GET", "/api/me/export", ada).body
    assert (exported["shop"], exported["membership"], exported["donations"]) == ({}, {}, {})
    assert call_api("DELETE", "/api/me", ada).body["erased"][-4:] == ["shop", "membership", "donations", "account"]
