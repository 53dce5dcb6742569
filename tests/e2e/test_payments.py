# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paying on creator1's local site, the whole way round, in headless Chromium.

Nothing is stubbed: the site comes from the emulated bucket through the gateway, the API runs the payment
functions in-process against the local Stripe stand-in (tests/e2e/conftest.py, as in `make demo`), a fan
pays on the stand-in's hosted checkout page, and the stand-in sends Stripe's signed events to the gateway's
webhook route, which the webhook function verifies and applies. An admin of creator1 adds the product and
ships the order through the admins' page; a member's premium area unlocks; an approved tip shows on the wall.
Screenshots go to tests/output/screenshots/.
"""

import json
import re
import urllib.request
import uuid

import pytest

from e2e.creators import TIMEOUT_MS
from e2e.creators import confirm
from e2e.creators import new_email
from e2e.creators import sign_in
from e2e.creators import sign_up
from e2e.site_resources import add_fan_to_group

CREATOR = "creator1"
# The webhook may reach the gateway a moment after the fan is back: the pages poll for up to 30 s.
PAYMENT_TIMEOUT_MS = 40_000
# creator1 ships to DE, AT and CH: the checkout page asks where to.
SHIPPING_ADDRESS = {
    "Full name": "Erika Mustermann",
    "Address line 1": "Heidestraße 17",
    "Postal code": "51147",
    "City": "Köln",
    "Country": "AT",
}


def signed_in_person(isolated_page, gateways, site_emulator, onboarded, group=None):
    """A new fan of creator1 in a browser of their own (signed up, confirmed, signed in): (page, record)."""
    page, record = isolated_page()
    site_url = gateways[CREATOR].url
    email = new_email()
    sign_up(page, site_url, email)
    confirm(page, site_emulator.endpoint_url, email)
    if group:
        # As an operator would, before the person signs in: the ID token then names the group.
        add_fan_to_group(site_emulator.endpoint_url, CREATOR, email, group)
    sign_in(page, site_url, email)
    return page, record


@pytest.fixture
def admin(isolated_page, gateways, site_emulator, onboarded):
    """creator1's admin on the admins' page: (page, record)."""
    page, record = signed_in_person(isolated_page, gateways, site_emulator, onboarded, group="admin")
    page.goto(gateways[CREATOR].url + "en/admin.html", wait_until="networkidle")
    return page, record


@pytest.fixture
def fan(isolated_page, gateways, site_emulator, onboarded):
    """A fan of creator1, signed in: (page, record)."""
    return signed_in_person(isolated_page, gateways, site_emulator, onboarded)


def pay_on_the_checkout_page(page, stripe_standin, ship_to=None):
    """On the stand-in's hosted checkout (another origin, as Stripe's is), give the address if asked, press Pay."""
    page.wait_for_url(re.compile(re.escape(stripe_standin.url) + r"/c/pay/cs_test_\w+$"), timeout=TIMEOUT_MS)
    for label, value in (ship_to or {}).items():
        field = page.get_by_label(label, exact=True)
        field.select_option(value) if label == "Country" else field.fill(value)
    page.get_by_role("button", name=re.compile(r"^Pay \d")).click()  # not "Pay with a declined card"


def public_products(site_url):
    """The shop's products as anyone sees them: {name: product}."""
    with urllib.request.urlopen(site_url + "api/shop/products", timeout=10) as response:
        return {item["name"]: item for item in json.loads(response.read())["products"]}


def awaiting_review(admin_page, tip, attempts=15):
    """Reload the admins' page until the tip is among those awaiting review (it is listed once its payment came)."""
    for _attempt in range(attempts):
        admin_page.reload(wait_until="networkidle")  # the lists are read before the network goes idle
        if tip.count():
            return
        admin_page.wait_for_timeout(2000)
    raise AssertionError("the paid tip never showed up for review on the admins' page")


def assert_stayed_local(*records):
    """No page sent a request off loopback, and none threw."""
    for record in records:
        assert record.foreign_hosts() == set()
        assert record.page_errors == []


def test_a_fan_buys_pays_on_the_local_checkout_and_sees_the_order_paid_then_shipped(
    admin, fan, gateways, stripe_standin, screenshot
):
    site_url = gateways[CREATOR].url
    admin_page, admin_record = admin
    fan_page, fan_record = fan
    name = f"Tour shirt {uuid.uuid4().hex[:6]}"

    # GIVEN a product the admin adds on the admins' page: 25.00, five in stock
    products = admin_page.locator("[data-admin-products]")
    products.get_by_label("Name", exact=True).fill(name)
    products.get_by_label("Price", exact=True).fill("25")
    products.get_by_label("Stock", exact=True).fill("5")
    products.get_by_role("button", name="Add product").click()
    admin_page.locator("[data-status]").filter(has_text=f"{name} is in the shop now.").wait_for(timeout=TIMEOUT_MS)
    assert public_products(site_url)[name]["price"] == 2500

    # WHEN a fan puts two in the cart, checks out and pays on the checkout page
    fan_page.goto(site_url + "en/shop.html", wait_until="networkidle")
    add = fan_page.get_by_role("button", name=f"Add to cart {name}")
    add.click()
    add.click()
    assert fan_page.locator("[data-cart-total]").inner_text() == "€50.00"
    fan_page.get_by_role("button", name="Go to checkout").click()
    pay_on_the_checkout_page(fan_page, stripe_standin, ship_to=SHIPPING_ADDRESS)

    # THEN the fan is back on the orders page of their language, which shows the order paid once the webhook came
    fan_page.wait_for_url(re.compile(r"/en/orders\.html\?order=[0-9a-f]{32}&checkout=success$"), timeout=TIMEOUT_MS)
    order_id = re.search(r"order=([0-9a-f]{32})", fan_page.url).group(1)
    reference = order_id[:8].upper()
    fan_page.locator("[data-status]").filter(has_text=f"Order {reference} is paid.").wait_for(
        timeout=PAYMENT_TIMEOUT_MS
    )
    order = fan_page.locator(f'[data-order-id="{order_id}"]')
    assert "2 × " + name in order.inner_text() and "Total: €50.00" in order.inner_text()
    assert "Heidestraße 17" in order.inner_text()
    assert fan_page.evaluate("() => localStorage.getItem('creatorcloud-cart')") is None
    assert public_products(site_url)[name]["stock"] == 3
    screenshot(fan_page, "payments-order-paid")

    # WHEN the admin marks it shipped
    admin_page.reload(wait_until="networkidle")
    orders = admin_page.locator("[data-admin-orders]")
    shipment = orders.locator(f'[data-order-id="{order_id}"]')
    shipment.wait_for(timeout=TIMEOUT_MS)
    assert "Erika Mustermann" in shipment.inner_text() and "51147" in shipment.inner_text()
    orders.get_by_role("button", name=f"Mark shipped Order {reference}").click()
    admin_page.locator("[data-status]").filter(has_text=f"Order {reference} is now: Shipped.").wait_for(
        timeout=TIMEOUT_MS
    )
    screenshot(admin_page, "payments-admin-shipped")

    # THEN the fan sees it shipped
    fan_page.goto(site_url + "en/orders.html", wait_until="networkidle")
    fan_page.locator(f'[data-order-id="{order_id}"] [data-order-status]').filter(has_text="Shipped").wait_for(
        timeout=TIMEOUT_MS
    )
    assert_stayed_local(admin_record, fan_record)


def test_a_fan_becomes_a_member_and_a_tip_appears_on_the_wall_once_approved(
    admin, fan, gateways, stripe_standin, screenshot
):
    site_url = gateways[CREATOR].url
    admin_page, admin_record = admin
    fan_page, fan_record = fan

    # A member: join monthly, pay; back on the membership page it turns active and the members' area unlocks.
    fan_page.goto(site_url + "en/membership.html", wait_until="networkidle")
    fan_page.locator("[data-premium-state]").filter(has_text="for paying members").wait_for(timeout=TIMEOUT_MS)
    fan_page.get_by_role("button", name="Join monthly Fan").click()
    pay_on_the_checkout_page(fan_page, stripe_standin)
    fan_page.wait_for_url(re.compile(r"/en/membership\.html\?checkout=success$"), timeout=TIMEOUT_MS)
    fan_page.locator("[data-support-status]").filter(has_text="Your membership is active").wait_for(
        timeout=PAYMENT_TIMEOUT_MS
    )
    fan_page.locator('[data-premium-state][data-premium="unlocked"]').wait_for(timeout=TIMEOUT_MS)
    assert fan_page.locator("[data-membership-summary]").inner_text() == "Fan, paid monthly: active"
    screenshot(fan_page, "payments-member")

    # A tip with a message: paid, then shown on the wall only after the admin approves it.
    message = f"Great show! {uuid.uuid4().hex[:6]}"
    fan_page.goto(site_url + "en/donations.html", wait_until="networkidle")
    fan_page.locator("[data-donate-form] button[type=submit]:enabled").wait_for(timeout=TIMEOUT_MS)
    fan_page.get_by_label("Your amount").fill("7")
    fan_page.get_by_label("Message (optional)").fill(message)
    fan_page.get_by_role("button", name="Continue to payment").click()
    pay_on_the_checkout_page(fan_page, stripe_standin)
    fan_page.wait_for_url(re.compile(r"/en/donations\.html\?checkout=success$"), timeout=TIMEOUT_MS)
    fan_page.locator("[data-support-status]").filter(has_text="Thank you for your tip").wait_for(timeout=TIMEOUT_MS)
    assert message not in fan_page.locator("[data-donation-wall]").inner_text()

    tip = admin_page.locator("[data-admin-donations] [data-donation-id]").filter(has_text=message)
    awaiting_review(admin_page, tip)
    tip.get_by_role("button", name=re.compile(r"^Approve ")).click()
    admin_page.locator("[data-status]").filter(has_text="is approved").wait_for(timeout=TIMEOUT_MS)

    fan_page.reload(wait_until="networkidle")
    wall = fan_page.locator("[data-donation-wall]")
    wall.filter(has_text=message).wait_for(timeout=TIMEOUT_MS)
    assert "€7.00" in wall.inner_text()
    screenshot(fan_page, "payments-tip-on-the-wall")
    assert_stayed_local(admin_record, fan_record)
