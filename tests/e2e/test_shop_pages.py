# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shop, the fan's orders and the admins' page in headless Chromium, against stubbed answers of the API.

creator1's site, built with the features shop and donations, is served to the page by the test (StubbedSite of
stubbed_site.py), so no emulator or Stripe stand-in is needed: the cart survives a reload, the checkout
posts the lines without prices and with the page's language, a refused checkout is explained, the orders page
asks again until the webhook has made the order paid, an admin marks an order shipped and creates a product,
a fan who is no admin sees that the page is for admins only. Screenshots go to tests/output/screenshots/.
"""

import json
import re
import time
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.creators import TIMEOUT_MS
from e2e.stubbed_site import CHECKOUT_URL
from e2e.stubbed_site import ORIGIN
from e2e.stubbed_site import StubbedSite
from e2e.stubbed_site import sequence
from e2e.stubbed_site import signed_in
from e2e.stubbed_site import site_files

FEATURES = ("website", "auth", "shop", "donations")
CART_KEY = "creatorcloud-cart"
SHIRT, RECORD, POSTER = "a" * 32, "b" * 32, "c" * 32
ORDER = "0123456789abcdef0123456789abcdef"
XSS_NAME = "<img src=x onerror=window.pwned=1>"


def logo_url():
    """An image of the site's own origin (the shop shows only those)."""
    [key] = [key for key in site_files(FEATURES) if key.startswith("assets/logo.")]
    return f"{ORIGIN}/{key}"


def product(product_id, name, price, stock, images=(), currency="eur"):
    return {
        "product_id": product_id,
        "name": name,
        "description": f"All about {name}.",
        "price": price,
        "currency": currency,
        "images": list(images),
        "stock": stock,
        "archived": False,
    }


def catalogue():
    """The shop's products by name: one sold out, one with an image of the site, one with an image elsewhere."""
    return {
        "products": [
            product(POSTER, "Poster", 1500, 0),
            product(RECORD, "Record", 1999, 3, [logo_url()]),
            product(SHIRT, "Tour shirt", 2500, 5, ["https://cdn.example/shirt.jpg"]),
        ]
    }


def order(status, refunded=0, email=None):
    answer = {
        "order_id": ORDER,
        "user_id": "sub-1",
        "items": [{"product_id": SHIRT, "name": "Tour shirt", "unit_amount": 2500, "quantity": 2}],
        "total_amount": 5000,
        "currency": "eur",
        "status": status,
        "created_at": "2026-03-01T12:00:00+00:00",
        "paid_at": None,
        "refunded_amount": refunded,
    }
    return {**answer, "email": email} if email else answer


def shop_site(page, api=None):
    """creator1's site with the shop and donations, its API answered by `api`."""
    return StubbedSite(page, api=api, features=FEATURES)


def stored_cart(page):
    return json.loads(page.evaluate(f"() => localStorage.getItem('{CART_KEY}')") or "null")


def put_in_cart(page, cart):
    page.goto(f"{ORIGIN}/en/index.html")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [CART_KEY, json.dumps(cart)])


def open_shop(page, path="/en/shop.html"):
    page.goto(f"{ORIGIN}{path}", wait_until="networkidle")
    page.locator("[data-products] .product-card").first.wait_for(timeout=TIMEOUT_MS)


def cart_line(page, product_id):
    return page.locator(f'[data-cart-line="{product_id}"]')


def shop_api(more=None):
    return {"GET /api/shop/products": (200, catalogue()), **(more or {})}


# --- the shop and the cart ----------------------------------------------------------------------------------


def test_the_products_show_price_stock_and_only_images_of_the_site(page, page_record, screenshot):
    site = shop_site(page, api=shop_api())

    open_shop(page)

    cards = page.locator("[data-products] .product-card")
    assert cards.count() == 3
    shirt = page.locator(f'[data-product-id="{SHIRT}"]')
    assert shirt.locator(".product-price").inner_text() == "€25.00"
    assert shirt.locator("img").count() == 0 and shirt.locator(".product-placeholder svg").count() == 1
    assert page.locator(f'[data-product-id="{RECORD}"] img').get_attribute("src") == logo_url()
    poster = page.locator(f'[data-product-id="{POSTER}"]')
    assert poster.locator(".product-sold-out").inner_text().lower() == "out of stock"
    assert poster.get_by_role("button").count() == 0
    assert page.get_by_role("button", name="Add to cart Tour shirt").is_visible()
    assert page.locator("[data-cart-empty]").inner_text() == "Your cart is empty."
    assert site.api_calls() == [("GET /api/shop/products", "", None, None)]  # public: no session, no token
    screenshot(page, "shop-products")
    page_record.assert_clean()  # the shirt's image on another host was never requested

    page.goto(f"{ORIGIN}/shop.html", wait_until="networkidle")
    price = page.locator(f'[data-product-id="{SHIRT}"] .product-price').inner_text()
    assert price.replace("\u00a0", " ") == "25,00 €"


def test_the_cart_adds_counts_removes_and_survives_a_reload(page, screenshot):
    shop_site(page, api=shop_api())
    open_shop(page)

    page.get_by_role("button", name="Add to cart Tour shirt").click()
    page.get_by_role("button", name="Add to cart Tour shirt").click()
    page.get_by_role("button", name="Add to cart Record").click()
    assert "Record is in your cart (1)" in page.locator("[data-shop-status]").inner_text()
    assert stored_cart(page) == {SHIRT: 2, RECORD: 1}
    assert cart_line(page, SHIRT).locator("[data-cart-quantity]").inner_text() == "2"
    assert page.locator("[data-cart-total]").inner_text() == "€69.99"

    page.reload(wait_until="networkidle")
    cart_line(page, RECORD).wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-cart-total]").inner_text() == "€69.99"
    screenshot(page, "shop-cart")

    cart_line(page, SHIRT).get_by_role("button", name="One more: Tour shirt").click()
    assert cart_line(page, SHIRT).locator("[data-cart-quantity]").inner_text() == "3"
    assert page.evaluate("() => document.activeElement.getAttribute('data-cart-action')") == "increase"
    cart_line(page, RECORD).get_by_role("button", name="Remove Record").click()
    assert cart_line(page, RECORD).count() == 0
    cart_line(page, SHIRT).get_by_role("button", name="One less: Tour shirt").click()
    assert stored_cart(page) == {SHIRT: 2}
    assert page.locator("[data-cart-total]").inner_text() == "€50.00"

    # The record's stock is 3: a fourth is refused with a word why.
    for _attempt in range(4):
        page.get_by_role("button", name="Add to cart Record").click()
    assert stored_cart(page) == {SHIRT: 2, RECORD: 3}
    assert "no more of Record in stock" in page.locator("[data-shop-status]").inner_text()

    cart_line(page, SHIRT).get_by_role("button", name="Remove Tour shirt").click()
    cart_line(page, RECORD).get_by_role("button", name="Remove Record").click()
    assert stored_cart(page) is None
    assert page.locator("[data-cart-empty]").is_visible()
    assert page.get_by_role("button", name="Go to checkout").is_disabled()


def test_products_that_left_the_shop_leave_the_cart(page):
    gone = "d" * 32
    shop_site(page, api=shop_api())
    put_in_cart(page, {SHIRT: 1, gone: 2, "not-an-id": 1, RECORD: 0})

    open_shop(page)

    cart_line(page, SHIRT).wait_for(timeout=TIMEOUT_MS)
    assert stored_cart(page) == {SHIRT: 1}
    assert "no longer available" in page.locator("[data-shop-status]").inner_text()


@pytest.mark.parametrize(("path", "language"), [("/en/shop.html", "en"), ("/shop.html", None)])
def test_checkout_posts_the_lines_without_prices_and_the_pages_language(page, path, language):
    site = shop_site(
        page, api=shop_api({"POST /api/shop/checkout": (200, {"order_id": ORDER, "checkout_url": CHECKOUT_URL})})
    )
    signed_in(page)
    put_in_cart(page, {SHIRT: 2, RECORD: 1})
    open_shop(page, path)

    page.locator("[data-checkout]").click()

    page.wait_for_url(CHECKOUT_URL, timeout=TIMEOUT_MS)
    [(_route, _query, body, authorization)] = site.api_calls("POST /api/shop/checkout")
    # The lines in the shop's order (by name), quantities only: the API takes every price from its table.
    items = [{"product_id": RECORD, "quantity": 1}, {"product_id": SHIRT, "quantity": 2}]
    assert body == ({"items": items, "language": language} if language else {"items": items})
    assert authorization.startswith("Bearer ")
    assert stored_cart(page) == {SHIRT: 2, RECORD: 1}  # emptied only once paid (orders.html?checkout=success)


def test_out_of_stock_is_explained_and_the_stock_is_read_again(page, screenshot):
    sold = {"products": [product(SHIRT, "Tour shirt", 2500, 0)]}
    site = shop_site(
        page,
        api={
            "GET /api/shop/products": sequence((200, catalogue()), (200, sold)),
            "POST /api/shop/checkout": (409, {"code": "out_of_stock", "message": "internal wording"}),
        },
    )
    signed_in(page)
    put_in_cart(page, {SHIRT: 2})
    open_shop(page)

    page.get_by_role("button", name="Go to checkout").click()

    alert = page.get_by_role("alert").filter(has_text="not enough of a product in your cart is in stock")
    alert.wait_for(timeout=TIMEOUT_MS)
    assert "internal wording" not in alert.inner_text()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    page.locator(f'[data-product-id="{SHIRT}"] .product-sold-out').wait_for(timeout=TIMEOUT_MS)
    assert len(site.api_calls("GET /api/shop/products")) == 2
    assert page.url == f"{ORIGIN}/en/shop.html"
    screenshot(page, "shop-out-of-stock")


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        ((409, {"code": "product_unavailable"}), "no longer for sale"),
        ((404, {"code": "product_not_found"}), "no longer exists"),
        ((502, {"code": "payment_provider_error"}), "Nothing was charged"),
        ((422, {"code": "validation_error"}), "Please check your entries"),
        ((500, {"code": "internal_error"}), "Something went wrong"),
        ((401, {"message": "Unauthorized"}), "Your session has ended"),
    ],
)
def test_a_refused_checkout_is_explained_by_its_code(page, answer, text):
    shop_site(page, api=shop_api({"POST /api/shop/checkout": answer}))
    signed_in(page)
    put_in_cart(page, {SHIRT: 1})
    open_shop(page)

    page.get_by_role("button", name="Go to checkout").click()

    alert = page.get_by_role("alert").filter(has_text=text)
    alert.wait_for(timeout=TIMEOUT_MS)
    if answer[0] == 401:
        assert alert.get_by_role("link", name="Sign in").get_attribute("href") == "/en/login.html"


def test_signed_out_the_checkout_offers_sign_in_and_calls_nothing(page):
    site = shop_site(page, api=shop_api())
    put_in_cart(page, {SHIRT: 1})
    open_shop(page)

    offer = page.locator("[data-cart-signed-out]")
    assert offer.is_visible()
    assert offer.get_by_role("link", name="Sign in").get_attribute("href") == "/en/login.html"
    page.get_by_role("button", name="Go to checkout").click()

    page.get_by_role("alert").filter(has_text="Please sign in to order").wait_for(timeout=TIMEOUT_MS)
    assert [call[0] for call in site.api_calls()] == ["GET /api/shop/products"]
    assert stored_cart(page) == {SHIRT: 1}


def test_a_cancelled_payment_keeps_the_cart(page):
    shop_site(page, api=shop_api())
    signed_in(page)
    put_in_cart(page, {SHIRT: 1})

    open_shop(page, "/en/shop.html?checkout=cancelled")

    status = page.locator("[data-shop-status]")
    assert status.inner_text() == "The payment was cancelled: nothing was charged, and your cart is kept."
    cart_line(page, SHIRT).wait_for(timeout=TIMEOUT_MS)


def test_product_texts_are_shown_as_text(page):
    hostile = {"products": [{**product(SHIRT, XSS_NAME, 2500, 5), "description": "<script>window.pwned=2</script>"}]}
    shop_site(page, api={"GET /api/shop/products": (200, hostile)})
    open_shop(page)

    page.get_by_role("button", name=f"Add to cart {XSS_NAME}").click()

    assert page.locator(f'[data-product-id="{SHIRT}"] .product-name').inner_text() == XSS_NAME
    assert cart_line(page, SHIRT).locator(".cart-name").inner_text() == XSS_NAME
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("[data-products] img").count() == 0


# --- the fan's orders ---------------------------------------------------------------------------------------


def test_back_from_checkout_the_orders_page_asks_until_the_order_is_paid(page, screenshot):
    site = shop_site(
        page,
        api={
            "GET /api/shop/orders": sequence(
                *[(200, {"orders": [order("pending")]})] * 2, (200, {"orders": [order("paid")]})
            )
        },
    )
    signed_in(page)
    put_in_cart(page, {SHIRT: 2})
    started = time.monotonic()

    page.goto(f"{ORIGIN}/en/orders.html?order={ORDER}&checkout=success")

    status = page.locator("[data-status]")
    status.filter(has_text="waiting for the payment confirmation of order 01234567").wait_for(timeout=TIMEOUT_MS)
    assert stored_cart(page) is None
    status.filter(has_text="Thank you! Order 01234567 is paid.").wait_for(timeout=TIMEOUT_MS)
    assert len(site.api_calls("GET /api/shop/orders")) == 3
    assert time.monotonic() - started >= 3.5  # two pauses of 2 s between the three answers
    highlighted = page.locator('[data-order-id][aria-current="true"]')
    expect(highlighted.locator("[data-order-status]")).to_have_text(re.compile("paid", re.IGNORECASE))
    assert "The order you just placed" in highlighted.inner_text()
    assert "2 × Tour shirt" in highlighted.inner_text() and "Total: €50.00" in highlighted.inner_text()
    screenshot(page, "orders-paid")
    time.sleep(2.5)
    assert len(site.api_calls("GET /api/shop/orders")) == 3  # paid: no more asking


def test_the_orders_list_shows_refunds_and_every_status(page):
    orders = [
        {**order("shipped", refunded=1000), "order_id": "1" * 32},
        {**order("completed"), "order_id": "2" * 32},
        {**order("cancelled"), "order_id": "3" * 32},
    ]
    shop_site(page, api={"GET /api/shop/orders": (200, {"orders": orders})})
    signed_in(page)

    page.goto(f"{ORIGIN}/orders.html", wait_until="networkidle")

    badges = page.locator("[data-order-status]")
    expect(badges).to_have_text(
        [re.compile(text, re.IGNORECASE) for text in ("Versandt", "Abgeschlossen", "Storniert")]
    )
    assert "Erstattet: 10,00" in page.locator(".order-refund").inner_text()
    assert "Bestellt am 1. März 2026" in page.locator(".order-date").first.inner_text()
    assert page.locator("[data-status]").inner_text() == ""


SHIPPING = {
    "name": "<b>Erika</b> Mustermann",
    "address": {
        "line1": "Heidestraße 17",
        "line2": "",
        "postal_code": "51147",
        "city": "Köln",
        "state": "",
        "country": "AT",
    },
}


@pytest.mark.parametrize(
    ("path", "label", "country"),
    [("/orders.html", "Lieferadresse", "Österreich"), ("/en/orders.html", "Ships to", "Austria")],
)
def test_an_order_shows_where_it_ships_to_as_text(page, path, label, country):
    shop_site(page, api={"GET /api/shop/orders": (200, {"orders": [{**order("paid"), "shipping": SHIPPING}]})})
    signed_in(page)

    page.goto(f"{ORIGIN}{path}", wait_until="networkidle")

    lines = page.locator(f'[data-order-id="{ORDER}"] [data-shipping-address] span').all_inner_texts()
    assert lines == [label, "<b>Erika</b> Mustermann", "Heidestraße 17", "51147 Köln", country]


def test_admins_see_where_to_ship_an_order(page):
    paid = {**order("paid", email="fan@example.org"), "shipping": SHIPPING}
    shop_site(page, api=admin_api({"GET /api/admin/shop/orders": (200, {"orders": [paid]})}))
    signed_in(page, groups=["admin"])

    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")

    shipment = page.locator(f'[data-admin-orders] [data-order-id="{ORDER}"]')
    shipment.locator("[data-shipping-address]").wait_for(timeout=TIMEOUT_MS)
    assert "fan@example.org" in shipment.inner_text()
    assert "Ships to\n<b>Erika</b> Mustermann\nHeidestraße 17\n51147 Köln\nAustria" in shipment.inner_text()


def test_signed_out_the_orders_page_offers_sign_in(page):
    site = shop_site(page)

    page.goto(f"{ORIGIN}/en/orders.html", wait_until="networkidle")

    page.get_by_role("heading", name="You are not signed in").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("link", name="Sign in").first.get_attribute("href") == "/en/login.html"
    assert site.api_calls() == []


# --- the admins' page ---------------------------------------------------------------------------------------


def admin_api(more=None):
    archived = {**product("e" * 32, "Old mug", 900, 0), "archived": True}
    return {
        "GET /api/admin/shop/products": (200, {"products": [*catalogue()["products"], archived], "currency": "eur"}),
        "GET /api/admin/shop/orders": (200, {"orders": []}),
        "GET /api/admin/donations": (200, {"donations": []}),
        **(more or {}),
    }


def test_a_fan_who_is_no_admin_sees_that_the_page_is_for_admins_only(page, page_record):
    site = shop_site(page, api=admin_api())
    signed_in(page, groups=["premium"])

    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")

    page.get_by_role("heading", name="For admins only").wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-admin]").is_hidden()
    assert site.api_calls() == []
    page_record.assert_clean()


def test_the_account_page_links_to_admin_only_for_admins(page):
    profile = {"user_id": "sub-1", "email": "fan@example.org", "display_name": "Fan", "username": "fan_one"}
    shop_site(page, api={"GET /api/me": (200, profile)})
    signed_in(page)
    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")
    page.locator("[data-profile-email]").filter(has_text="fan@example.org").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("link", name="My orders").get_attribute("href") == "/en/orders.html"
    assert page.get_by_role("link", name="Open the administration").count() == 0

    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")
    page.locator("[data-profile-email]").filter(has_text="fan@example.org").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("link", name="Open the administration").get_attribute("href") == "/en/admin.html"


def test_an_admin_marks_a_paid_order_shipped(page, screenshot):
    orders = sequence(
        (200, {"orders": [order("paid", email="fan@example.org")]}),
        (200, {"orders": [order("shipped", email="fan@example.org")]}),
    )
    site = shop_site(
        page,
        api=admin_api(
            {
                "GET /api/admin/shop/orders": orders,
                f"PUT /api/admin/shop/orders/{ORDER}/status": (200, order("shipped")),
            }
        ),
    )
    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")
    section = page.locator("[data-admin-orders]")
    section.locator(f'[data-order-id="{ORDER}"]').wait_for(timeout=TIMEOUT_MS)
    assert "fan@example.org" in section.inner_text()
    screenshot(page, "admin-orders")

    section.get_by_role("button", name="Mark shipped Order 01234567").click()

    page.locator("[data-status]").filter(has_text="Order 01234567 is now: Shipped.").wait_for(timeout=TIMEOUT_MS)
    [(_route, _query, body, authorization)] = site.api_calls(f"PUT /api/admin/shop/orders/{ORDER}/status")
    assert body == {"status": "shipped"} and authorization.startswith("Bearer ")
    assert section.get_by_role("button", name=re.compile("Mark completed")).is_visible()
    assert section.get_by_role("button", name=re.compile("Mark shipped")).count() == 0


def test_a_refused_status_step_and_the_status_filter(page):
    site = shop_site(
        page,
        api=admin_api(
            {
                "GET /api/admin/shop/orders": (200, {"orders": [order("paid")]}),
                f"PUT /api/admin/shop/orders/{ORDER}/status": (409, {"code": "invalid_status_transition"}),
            }
        ),
    )
    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")
    section = page.locator("[data-admin-orders]")

    section.get_by_role("button", name=re.compile("Mark shipped")).click()
    section.get_by_role("alert").filter(has_text="cannot take that step").wait_for(timeout=TIMEOUT_MS)

    section.get_by_label("Show").select_option("paid")
    expect(section.get_by_role("alert")).to_be_hidden()
    queries = [call[1] for call in site.api_calls("GET /api/admin/shop/orders")]
    assert queries == ["", "status=paid"]


def test_an_admin_creates_a_product_with_the_price_in_cents(page):
    created = product("f" * 32, "Sticker", 1250, 40)
    site = shop_site(page, api=admin_api({"POST /api/admin/shop/products": (201, created)}))
    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/admin.html", wait_until="networkidle")
    section = page.locator("[data-admin-products]")
    section.locator('[data-product-id="' + "e" * 32 + '"]').filter(has_text="Archiviert").wait_for(timeout=TIMEOUT_MS)

    section.get_by_label("Name", exact=True).fill("Sticker")
    section.get_by_label("Preis", exact=True).fill("12,5")
    section.get_by_label("Bestand", exact=True).fill("-1")
    section.get_by_role("button", name="Produkt anlegen").click()
    assert section.locator('[data-field-error="stock"]').inner_text().startswith("Gib den Bestand")
    assert page.evaluate("() => document.activeElement.id") == "product-stock"
    assert site.api_calls("POST /api/admin/shop/products") == []
    section.get_by_label("Bestand", exact=True).fill("40")
    section.get_by_role("button", name="Produkt anlegen").click()

    page.locator("[data-status]").filter(has_text="Sticker ist jetzt im Shop.").wait_for(timeout=TIMEOUT_MS)
    [(_route, _query, body, _authorization)] = site.api_calls("POST /api/admin/shop/products")
    assert body == {"name": "Sticker", "description": "", "price": 1250, "stock": 40}


def test_in_a_yen_shop_prices_have_no_decimals(page):
    """jpy has no minor unit: ¥1,500 is 1500 for the API (as for Stripe), typed as 1500 or 1.500, never 15.00."""
    mug = product("d" * 32, "Mug", 1500, 3, currency="jpy")
    created = product("f" * 32, "Sticker", 1500, 40, currency="jpy")
    site = shop_site(
        page,
        api={
            **admin_api(),
            "GET /api/admin/shop/products": (200, {"products": [mug], "currency": "jpy"}),
            "POST /api/admin/shop/products": (201, created),
        },
    )
    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")
    section = page.locator("[data-admin-products]")
    section.locator('[data-product-id="' + "d" * 32 + '"]').filter(has_text="¥1,500").wait_for(timeout=TIMEOUT_MS)

    section.get_by_role("button", name="Edit Mug").click()
    assert section.get_by_label("Price", exact=True).input_value() == "1500"
    section.get_by_role("button", name="Cancel editing").click()

    section.get_by_label("Name", exact=True).fill("Sticker")
    section.get_by_label("Price", exact=True).fill("15.50")
    section.get_by_label("Stock", exact=True).fill("40")
    section.get_by_role("button", name="Add product").click()
    assert section.locator('[data-field-error="price"]').inner_text()
    assert site.api_calls("POST /api/admin/shop/products") == []
    section.get_by_label("Price", exact=True).fill("1.500")
    section.get_by_role("button", name="Add product").click()

    page.locator("[data-status]").filter(has_text="Sticker").wait_for(timeout=TIMEOUT_MS)
    [(_route, _query, body, _authorization)] = site.api_calls("POST /api/admin/shop/products")
    assert body == {"name": "Sticker", "description": "", "price": 1500, "stock": 40}


def test_an_admin_edits_and_archives_a_product(page):
    site = shop_site(
        page,
        api=admin_api(
            {
                f"PUT /api/admin/shop/products/{SHIRT}": (200, product(SHIRT, "Tour shirt", 2700, 5)),
                f"DELETE /api/admin/shop/products/{SHIRT}": (
                    200,
                    {**product(SHIRT, "Tour shirt", 2700, 5), "archived": True},
                ),
            }
        ),
    )
    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")
    section = page.locator("[data-admin-products]")

    section.get_by_role("button", name="Edit Tour shirt").click()
    assert section.get_by_label("Price", exact=True).input_value() == "25.00"
    section.get_by_label("Price", exact=True).fill("27")
    section.get_by_role("button", name="Save changes").click()
    page.locator("[data-status]").filter(has_text="Tour shirt is saved.").wait_for(timeout=TIMEOUT_MS)
    [(_route, _query, body, _authorization)] = site.api_calls(f"PUT /api/admin/shop/products/{SHIRT}")
    assert body == {"name": "Tour shirt", "description": "All about Tour shirt.", "price": 2700, "stock": 5}

    section.get_by_role("button", name="Archive Tour shirt").click()
    page.locator("[data-status]").filter(has_text="Tour shirt is archived").wait_for(timeout=TIMEOUT_MS)
    assert len(site.api_calls(f"DELETE /api/admin/shop/products/{SHIRT}")) == 1


def test_an_admin_approves_a_tip_whose_message_is_shown_as_text(page):
    tip = {
        "donation_id": "9" * 32,
        "name": XSS_NAME,
        "amount": 500,
        "currency": "eur",
        "message": "<script>window.pwned=2</script>",
        "created_at": "2026-03-01T12:00:00+00:00",
        "status": "paid",
        "user_id": "sub-2",
    }

    def donations(request):
        status = parse_qs(urlsplit(request.url).query)["status"][0]
        return (200, {"donations": [tip] if status == "paid" else []})

    site = shop_site(
        page,
        api=admin_api(
            {
                "GET /api/admin/donations": donations,
                f"PUT /api/admin/donations/{'9' * 32}": (200, {**tip, "status": "approved"}),
            }
        ),
    )
    signed_in(page, groups=["admin"])
    page.goto(f"{ORIGIN}/en/admin.html", wait_until="networkidle")
    section = page.locator("[data-admin-donations]")
    section.locator(".admin-message").wait_for(timeout=TIMEOUT_MS)
    assert section.locator(".admin-message").inner_text() == tip["message"]
    assert section.locator(".admin-item-title").inner_text() == XSS_NAME

    section.get_by_role("button", name=f"Approve {XSS_NAME}").click()

    page.locator("[data-status]").filter(has_text="is approved").wait_for(timeout=TIMEOUT_MS)
    [(_route, _query, body, _authorization)] = site.api_calls(f"PUT /api/admin/donations/{'9' * 32}")
    assert body == {"visible": True}
    assert [call[1] for call in site.api_calls("GET /api/admin/donations")] == ["status=paid", "status=paid"]
    assert page.evaluate("() => window.pwned") is None
