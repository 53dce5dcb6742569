# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where Stripe sends a fan back: the site's page of the feature, in the language the fan paid in, never elsewhere.

The site keeps its first language at the root (`/shop.html`) and the others below their code (`/en/shop.html`):
a checkout names the page's language, and a language is two letters, so a client cannot turn the return URL
into a link to another site or another path.
"""

import pytest
import requests

from tests.backend.conftest import SITE_URL
from tests.backend.conftest import session_id_of

BAD_LANGUAGES = ("EN", "en/../../evil", "//evil.example", "english", "")


@pytest.fixture
def ada(sign_up):
    return sign_up("ada@example.com")


@pytest.fixture
def admin(sign_up):
    return sign_up("admin@example.com", ("admin",))


@pytest.fixture
def poster(call_shop, admin):
    response = call_shop("POST", "/api/admin/shop/products", admin, body={"name": "Poster", "price": 1500, "stock": 3})
    assert response.status == 201, response.body
    return response.body["product_id"]


def return_urls(stripe_account, checkout_url):
    """(success_url, cancel_url) of the Checkout Session behind a checkout URL."""
    session = stripe_account.session(session_id_of(checkout_url))
    return session["success_url"], session["cancel_url"]


@pytest.mark.parametrize(("language", "prefix"), [(None, ""), ("en", "/en")])
def test_a_paid_order_returns_to_the_fans_orders_and_a_cancelled_one_to_the_shop(
    call_shop, stripe_account, ada, poster, language, prefix
):
    body = {"items": [{"product_id": poster, "quantity": 1}], **({"language": language} if language else {})}
    response = call_shop("POST", "/api/shop/checkout", ada, body=body)
    assert response.status == 200, response.body

    success, cancel = return_urls(stripe_account, response.body["checkout_url"])
    assert success == f"{SITE_URL}{prefix}/orders.html?order={response.body['order_id']}&checkout=success"
    assert cancel == f"{SITE_URL}{prefix}/shop.html?checkout=cancelled"


@pytest.mark.parametrize(("language", "prefix"), [(None, ""), ("en", "/en")])
def test_a_membership_checkout_and_the_portal_return_to_the_membership_page(
    call_membership, stripe_account, deliver, ada, language, prefix
):
    choice = {"tier": "fan", "interval": "month", **({"language": language} if language else {})}
    response = call_membership("POST", "/api/membership/checkout", ada, body=choice)
    assert response.status == 200, response.body
    success, cancel = return_urls(stripe_account, response.body["checkout_url"])
    assert (success, cancel) == (
        f"{SITE_URL}{prefix}/membership.html?checkout=success",
        f"{SITE_URL}{prefix}/membership.html?checkout=cancelled",
    )

    # The portal needs the fan's Stripe customer, which checkout.session.completed records.
    stripe_account.pay(session_id_of(response.body["checkout_url"]))
    assert deliver(stripe_account.event("checkout.session.completed")).status == 200
    portal = call_membership("POST", "/api/membership/portal", ada, body={"language": language} if language else None)
    assert portal.status == 200, portal.body
    # Stripe has no API to read a portal session back: its page links to the return URL.
    page = requests.get(portal.body["url"], timeout=10)
    assert f'href="{SITE_URL}{prefix}/membership.html"' in page.text


@pytest.mark.parametrize(("language", "prefix"), [(None, ""), ("en", "/en")])
def test_a_donation_returns_to_the_donations_page(call_donations, stripe_account, ada, language, prefix):
    body = {"amount": 500, **({"language": language} if language else {})}
    response = call_donations("POST", "/api/donations/checkout", ada, body=body)
    assert response.status == 200, response.body
    assert return_urls(stripe_account, response.body["checkout_url"]) == (
        f"{SITE_URL}{prefix}/donations.html?checkout=success",
        f"{SITE_URL}{prefix}/donations.html?checkout=cancelled",
    )


@pytest.mark.parametrize("language", BAD_LANGUAGES)
def test_a_language_that_is_not_a_language_code_is_refused_before_anything_is_written(
    call_shop, call_membership, call_donations, stripe_account, ada, poster, language
):
    cart = {"items": [{"product_id": poster, "quantity": 1}], "language": language}
    for response in (
        call_shop("POST", "/api/shop/checkout", ada, body=cart),
        call_membership(
            "POST", "/api/membership/checkout", ada, body={"tier": "fan", "interval": "month", "language": language}
        ),
        call_donations("POST", "/api/donations/checkout", ada, body={"amount": 500, "language": language}),
        call_membership("POST", "/api/membership/portal", ada, body={"language": language}),
    ):
        assert (response.status, response.body["code"]) == (422, "validation_error"), response.body
    assert stripe_account.new_events() == []
    assert call_shop("GET", "/api/shop/orders", ada).body["orders"] == []


def test_the_donation_wall_tells_the_form_its_limits(call_donations):
    assert call_donations("GET", "/api/donations").body == {
        "donations": [],
        "limits": {"min": 100, "max": 100000, "currency": "eur"},
    }
