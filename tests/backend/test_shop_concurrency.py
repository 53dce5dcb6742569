# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Concurrent buyers of the last items: exactly as many orders as items, stock never negative."""

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.backend.conftest import session_id_of

BUYERS = 20
IN_STOCK = 5


def test_twenty_concurrent_checkouts_for_five_items(
    call_shop, sign_up, stripe_account, deliver, monetisation, atomic_dynamodb
):
    admin = sign_up("admin@example.com", ("admin",))
    fans = [sign_up(f"fan{number}@example.com") for number in range(BUYERS)]
    product = call_shop(
        "POST", "/api/admin/shop/products", admin, body={"name": "Hoodie", "price": 4500, "stock": IN_STOCK}
    )
    product_id = product.body["product_id"]
    cart = {"items": [{"product_id": product_id, "quantity": 1}]}
    start = threading.Barrier(BUYERS)

    def buy(fan):
        """One fan's checkout, started together with all the others."""
        start.wait()
        return call_shop("POST", "/api/shop/checkout", fan, body=cart)

    # WHEN 20 fans check out one item each at the same moment
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        responses = list(pool.map(buy, fans))
    # THEN exactly 5 get a checkout and 15 are told it is sold out; the stock is 0, never below
    assert sorted(response.status for response in responses) == [200] * IN_STOCK + [409] * (BUYERS - IN_STOCK)
    assert {response.body["code"] for response in responses if response.status == 409} == {"out_of_stock"}
    row = monetisation.dynamodb.get_item(TableName="Products", Key={"productId": {"S": product_id}})["Item"]
    assert int(row["stock"]["N"]) == 0
    # AND exactly those 5 orders exist, and each can be paid
    orders = [response.body["order_id"] for response in responses if response.status == 200]
    assert len(monetisation.dynamodb.scan(TableName="ShopOrders")["Items"]) == IN_STOCK
    for response in responses:
        if response.status == 200:
            stripe_account.pay(session_id_of(response.body["checkout_url"]))
    for event in stripe_account.new_events("checkout.session.completed"):
        assert deliver(event).body["changed"] is True
    paid_orders = call_shop("GET", "/api/admin/shop/orders", admin, query={"status": "paid"}).body["orders"]
    assert sorted(order["order_id"] for order in paid_orders) == sorted(orders)
    assert (
        int(
            monetisation.dynamodb.get_item(TableName="Products", Key={"productId": {"S": product_id}})["Item"]["stock"][
                "N"
            ]
        )
        == 0
    )
