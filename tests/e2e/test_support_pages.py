# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The membership and donations pages in headless Chromium, against stubbed answers of Cognito and the API.

creator1's site, built with the features membership and donations, is served to the page by the test
(StubbedSite of stubbed_site.py), so no emulator or Stripe stand-in is needed: joining posts the tier,
the interval and the page's language; an active member sees their membership and opens the portal; back
from Checkout the page asks again until the webhook has made the membership active; the tip form refuses
an amount outside the limits before any call and posts cents; the wall shows markup as text; a signed-out
fan sees the tiers and the wall and is offered sign-in. Screenshots go to tests/output/screenshots/.
"""

import re
import time

import pytest

from e2e.creators import TIMEOUT_MS
from e2e.stubbed_site import CHECKOUT_URL
from e2e.stubbed_site import ORIGIN
from e2e.stubbed_site import PORTAL_URL
from e2e.stubbed_site import StubbedSite
from e2e.stubbed_site import sequence
from e2e.stubbed_site import signed_in

FEATURES = ("website", "auth", "membership", "donations")
TIERS = {
    "tiers": [
        {"id": "fan", "name": "Fan", "monthly": 500, "yearly": 5000, "currency": "eur"},
        {"id": "superfan", "name": "Superfan", "monthly": 1500, "yearly": 15000, "currency": "eur"},
    ]
}
NO_MEMBERSHIP = {
    "tier": None,
    "interval": None,
    "status": "none",
    "current_period_end": None,
    "cancel_at_period_end": False,
    "premium": False,
}
PERIOD_END = 1767225600  # 2026-01-01T00:00:00Z
ACTIVE = {
    "tier": "fan",
    "interval": "month",
    "status": "active",
    "current_period_end": PERIOD_END,
    "cancel_at_period_end": False,
    "premium": True,
}
PREMIUM_REQUIRED = (403, {"code": "premium_required", "message": "This is for members only."})
LIMITS = {"min": 100, "max": 100000, "currency": "eur"}
XSS_NAME = "<img src=x onerror=window.pwned=1>"
XSS_MESSAGE = "<script>window.pwned=2</script><b>bold?</b>"
WALL = {
    "donations": [
        {
            "donation_id": "a" * 32,
            "name": XSS_NAME,
            "amount": 1250,
            "currency": "eur",
            "message": XSS_MESSAGE,
            "created_at": "2026-01-05T10:00:00.000+00:00",
        },
        {
            "donation_id": "b" * 32,
            "name": "Anonymous",
            "amount": 500,
            "currency": "eur",
            "message": None,
            "created_at": "2026-01-04T09:00:00.000+00:00",
        },
    ],
    "limits": LIMITS,
}


def support_site(page, api=None):
    """creator1's site with the membership and donations pages, its API answered by `api`."""
    return StubbedSite(page, api=api, features=FEATURES)


def membership_api(membership=None, content=PREMIUM_REQUIRED, more=None):
    """The membership routes' answers: the tiers, the fan's membership (none), the members' area, and `more`."""
    membership = NO_MEMBERSHIP if membership is None else membership
    return {
        "GET /api/membership/tiers": (200, TIERS),
        "GET /api/membership": membership if callable(membership) else (200, membership),
        "GET /api/membership/content": content,
        **(more or {}),
    }


def status_text(page):
    return page.locator("[data-support-status]")


# --- membership ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "language"), [("/en/membership.html", "en"), ("/membership.html", None)])
def test_join_posts_the_tier_the_interval_and_the_pages_language(page, path, language):
    site = support_site(
        page,
        api=membership_api(more={"POST /api/membership/checkout": (200, {"checkout_url": CHECKOUT_URL})}),
    )
    signed_in(page)
    page.goto(f"{ORIGIN}{path}", wait_until="networkidle")

    name = "Join yearly Superfan" if language == "en" else "Jährlich beitreten Superfan"
    page.get_by_role("button", name=name).click()

    page.wait_for_url(CHECKOUT_URL, timeout=TIMEOUT_MS)
    [(_route, _query, body, authorization)] = site.api_calls("POST /api/membership/checkout")
    expected = {"tier": "superfan", "interval": "year"}
    assert body == ({**expected, "language": language} if language else expected)
    assert authorization.startswith("Bearer ")


def test_the_tiers_show_monthly_and_yearly_prices_in_the_pages_language(page, screenshot):
    support_site(page, api=membership_api())
    signed_in(page)

    page.goto(f"{ORIGIN}/en/membership.html", wait_until="networkidle")
    fan = page.locator('[data-tier="fan"]')
    assert fan.locator(".tier-price").inner_text() == "€5.00 a month"
    assert fan.locator(".tier-price-alt").inner_text() == "€50.00 a year"
    assert page.locator("[data-premium-state]").inner_text().startswith("The members' area is for paying members")
    assert page.locator("[data-membership-state]").is_hidden()
    screenshot(page, "membership-tiers")

    page.goto(f"{ORIGIN}/membership.html", wait_until="networkidle")
    fan = page.locator('[data-tier="fan"]')
    assert fan.locator(".tier-price").inner_text().replace("\u00a0", " ") == "5,00 € im Monat"


def test_an_active_member_sees_the_membership_and_manage_opens_the_portal(page, page_record, screenshot):
    site = support_site(
        page,
        api=membership_api(
            ACTIVE,
            content=(200, {"premium": True, "membership": ACTIVE}),
            more={"POST /api/membership/portal": (200, {"url": PORTAL_URL})},
        ),
    )
    signed_in(page)
    page.goto(f"{ORIGIN}/en/membership.html", wait_until="networkidle")

    state = page.locator("[data-membership-state]")
    assert state.is_visible()
    assert state.locator("[data-membership-summary]").inner_text() == "Fan, paid monthly: active"
    period = state.locator("[data-membership-period]").inner_text()
    assert period.startswith("Renews on") and "2026" in period
    assert page.locator('[data-tier="fan"] .badge').inner_text().lower() == "your membership"
    assert page.locator("[data-join]").count() == 0
    assert (
        page.locator("[data-premium-state]").inner_text()
        == "The members' area is unlocked. Thank you for your support!"
    )
    screenshot(page, "membership-active")
    page_record.assert_clean()

    page.get_by_role("button", name="Manage membership").click()

    page.wait_for_url(PORTAL_URL, timeout=TIMEOUT_MS)
    assert site.api_calls("POST /api/membership/portal")[0].body == {"language": "en"}


def test_a_cancelled_membership_says_when_it_ends(page):
    support_site(page, api=membership_api({**ACTIVE, "cancel_at_period_end": True}, content=(200, {"premium": True})))
    signed_in(page)
    page.goto(f"{ORIGIN}/en/membership.html", wait_until="networkidle")

    assert page.locator("[data-membership-period]").inner_text().startswith("Ends on")


def test_back_from_checkout_the_page_asks_until_the_membership_is_active(page):
    incomplete = {**NO_MEMBERSHIP, "tier": "fan", "interval": "month", "status": "incomplete"}
    site = support_site(
        page,
        api=membership_api(
            sequence((200, NO_MEMBERSHIP), (200, incomplete), (200, ACTIVE)),
            content=(200, {"premium": True, "membership": ACTIVE}),
        ),
    )
    signed_in(page)
    started = time.monotonic()

    page.goto(f"{ORIGIN}/en/membership.html?checkout=success")
    status_text(page).filter(has_text="being activated").wait_for(timeout=TIMEOUT_MS)
    status_text(page).filter(has_text="Your membership is active").wait_for(timeout=TIMEOUT_MS)

    assert len(site.api_calls("GET /api/membership")) == 3
    assert time.monotonic() - started >= 3.5  # two pauses of 2 s between the three answers
    page.locator('[data-premium-state][data-premium="unlocked"]').wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-membership-summary]").inner_text() == "Fan, paid monthly: active"


@pytest.mark.parametrize("feature", ["membership", "donations"])
def test_a_cancelled_checkout_says_nothing_was_charged(page, feature):
    support_site(page, api={**membership_api(), "GET /api/donations": (200, WALL)})
    signed_in(page)

    page.goto(f"{ORIGIN}/en/{feature}.html?checkout=cancelled", wait_until="networkidle")

    assert status_text(page).inner_text() == "The payment was cancelled: nothing was charged."


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        ((409, {"code": "already_member"}), "You are a member already"),
        ((404, {"code": "tier_not_found"}), "no longer offered"),
        ((502, {"code": "payment_provider_error"}), "Nothing was charged"),
        ((500, {"code": "internal_error"}), "Something went wrong"),
        ((401, {"message": "Unauthorized"}), "Your session has ended"),
    ],
)
def test_a_refused_join_is_explained_in_the_alert(page, answer, text):
    support_site(page, api=membership_api(more={"POST /api/membership/checkout": answer}))
    signed_in(page)
    page.goto(f"{ORIGIN}/en/membership.html", wait_until="networkidle")

    page.get_by_role("button", name="Join monthly Fan").click()

    alert = page.get_by_role("alert").filter(has_text=text)
    alert.wait_for(timeout=TIMEOUT_MS)
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    if answer[0] == 401:
        assert alert.get_by_role("link", name="Sign in").get_attribute("href") == "/en/login.html"
    else:
        assert page.get_by_role("button", name="Join monthly Fan").is_enabled()


def test_manage_without_a_membership_to_manage_is_explained(page):
    past = {**ACTIVE, "status": "canceled", "premium": False}
    support_site(
        page,
        api=membership_api(past, more={"POST /api/membership/portal": (404, {"code": "membership_not_found"})}),
    )
    signed_in(page)
    page.goto(f"{ORIGIN}/membership.html", wait_until="networkidle")

    assert page.locator("[data-membership-summary]").inner_text() == "Fan, monatlich bezahlt: beendet"
    page.get_by_role("button", name="Mitgliedschaft verwalten").click()

    page.get_by_role("alert").filter(has_text="keine Mitgliedschaft, die du verwalten kannst").wait_for()


def test_signed_out_fans_see_the_tiers_and_are_offered_sign_in(page, page_record, screenshot):
    site = support_site(page, api=membership_api())

    page.goto(f"{ORIGIN}/en/membership.html", wait_until="networkidle")

    assert page.locator('[data-tier="superfan"] .tier-price').inner_text() == "€15.00 a month"
    assert page.locator("[data-join]").count() == 0
    offer = page.locator("[data-support-signed-out]")
    assert offer.is_visible()
    assert offer.get_by_role("link", name="Sign in").get_attribute("href") == "/en/login.html"
    assert "Sign in as a member" in page.locator("[data-premium-state]").inner_text()
    assert site.api_calls() == [("GET /api/membership/tiers", "", None, None)]
    screenshot(page, "membership-signed-out")
    page_record.assert_clean()


# --- donations ----------------------------------------------------------------------------------------------


def donations_api(more=None):
    """The wall with its limits, and `more`."""
    return {"GET /api/donations": (200, WALL), **(more or {})}


def open_donations(page, site_path="/en/donations.html"):
    page.goto(f"{ORIGIN}{site_path}", wait_until="networkidle")
    page.locator("[data-donate-form] button[type=submit]:enabled").wait_for(timeout=TIMEOUT_MS)


@pytest.mark.parametrize("amount", ["0.50", "1000.01", "1.000,01", "abc", "-5", "5.5.5"])
def test_an_amount_outside_the_limits_is_refused_before_any_call(page, amount):
    site = support_site(page, api=donations_api())
    signed_in(page)
    open_donations(page)
    assert page.locator("[data-amount-hint]").inner_text() == "Between €1.00 and €1,000.00."

    page.get_by_label("Your amount").fill(amount)
    page.get_by_role("button", name="Continue to payment").click()

    error = page.locator('[data-field-error="amount"]').inner_text()
    if amount in ("0.50", "1000.01", "1.000,01"):
        assert error == "Enter an amount between €1.00 and €1,000.00."
    else:
        assert error == "Enter an amount like 5 or 12.50."
    assert page.get_by_label("Your amount").get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.id") == "donate-amount"
    assert site.api_calls("POST /api/donations/checkout") == []


@pytest.mark.parametrize(
    ("path", "amount", "language"),
    [("/en/donations.html", "12.50", "en"), ("/donations.html", "12,50", None)],
)
def test_a_tip_posts_cents_the_message_anonymity_and_the_pages_language(page, path, amount, language):
    checkout = (200, {"donation_id": "c" * 32, "checkout_url": CHECKOUT_URL})
    site = support_site(page, api=donations_api(more={"POST /api/donations/checkout": checkout}))
    signed_in(page)
    open_donations(page, path)

    page.locator("#donate-amount").fill(amount)
    page.locator("#donate-message").fill("  Thanks for the stream!  ")
    page.locator("#donate-anonymous").check()
    page.locator("[data-donate-form] button[type=submit]").click()

    page.wait_for_url(CHECKOUT_URL, timeout=TIMEOUT_MS)
    [(_route, _query, body, authorization)] = site.api_calls("POST /api/donations/checkout")
    expected = {"amount": 1250, "message": "Thanks for the stream!", "anonymous": True}
    assert body == ({**expected, "language": language} if language else expected)
    assert authorization.startswith("Bearer ")


def test_a_preset_fills_the_amount_and_the_counter_follows_the_message(page, screenshot):
    checkout = (200, {"donation_id": "c" * 32, "checkout_url": CHECKOUT_URL})
    site = support_site(page, api=donations_api(more={"POST /api/donations/checkout": checkout}))
    signed_in(page)
    open_donations(page)

    preset = page.get_by_role("button", name="€10.00")
    preset.click()
    assert preset.get_attribute("aria-pressed") == "true"
    assert page.get_by_label("Your amount").input_value() == "10"
    page.get_by_label("Message (optional)").fill("hello")
    assert page.locator("[data-message-counter]").inner_text() == "5 of 500 characters"
    screenshot(page, "donations-form")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url(CHECKOUT_URL, timeout=TIMEOUT_MS)
    assert site.api_calls("POST /api/donations/checkout")[0].body == {
        "amount": 1000,
        "message": "hello",
        "anonymous": False,
        "language": "en",
    }


@pytest.mark.parametrize(
    ("answer", "where", "text"),
    [
        ((400, {"code": "amount_out_of_range"}), '[data-field-error="amount"]', "between €1.00 and €1,000.00"),
        ((502, {"code": "payment_provider_error"}), "[data-support-alert]", "Nothing was charged"),
        ((422, {"code": "validation_error"}), "[data-support-alert]", "Please check your entries"),
        ((500, {"code": "internal_error"}), "[data-support-alert]", "Something went wrong"),
        ((401, {"message": "Unauthorized"}), "[data-support-alert]", "Your session has ended"),
    ],
)
def test_a_refused_tip_is_explained(page, answer, where, text):
    support_site(page, api=donations_api(more={"POST /api/donations/checkout": answer}))
    signed_in(page)
    open_donations(page)

    page.get_by_label("Your amount").fill("5")
    page.get_by_role("button", name="Continue to payment").click()

    page.locator(where).filter(has_text=text).wait_for(timeout=TIMEOUT_MS)
    if answer[0] == 401:
        assert page.locator("[data-support-alert] a").get_attribute("href") == "/en/login.html"


def test_the_wall_shows_markup_as_text_and_anonymous_in_the_pages_language(page, page_record):
    support_site(page, api=donations_api())

    page.goto(f"{ORIGIN}/en/donations.html", wait_until="networkidle")
    first = page.locator("[data-donation-wall] li").first
    first.wait_for(timeout=TIMEOUT_MS)

    assert first.locator(".donation-name").inner_text() == XSS_NAME
    assert first.locator(".donation-message").inner_text() == XSS_MESSAGE
    assert first.locator(".donation-amount").inner_text() == "€12.50"
    assert first.locator("time").get_attribute("datetime") == "2026-01-05T10:00:00.000Z"
    assert page.locator("[data-donation-wall] img, [data-donation-wall] script, [data-donation-wall] b").count() == 0
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("[data-donation-wall] li").nth(1).locator(".donation-name").inner_text() == "Anonymous"
    page_record.assert_clean()

    page.goto(f"{ORIGIN}/donations.html", wait_until="networkidle")
    german = page.locator("[data-donation-wall] li").nth(1)
    assert german.locator(".donation-name").inner_text() == "Anonym"
    assert german.locator(".donation-amount").inner_text().replace("\u00a0", " ") == "5,00 €"


def test_signed_out_fans_see_the_wall_and_are_offered_sign_in(page, page_record, screenshot):
    site = support_site(page, api=donations_api())

    page.goto(f"{ORIGIN}/en/donations.html", wait_until="networkidle")

    assert page.locator("[data-donate-form]").is_hidden()
    offer = page.locator("[data-support-signed-out]")
    assert offer.is_visible()
    assert offer.get_by_role("link", name="Sign in").get_attribute("href") == "/en/login.html"
    assert page.locator("[data-donation-wall] li").count() == 2
    assert site.api_calls() == [("GET /api/donations", "", None, None)]
    screenshot(page, "donations-signed-out")
    page_record.assert_clean()


def test_back_from_a_tip_the_page_thanks_and_names_the_moderation(page):
    support_site(page, api=donations_api())
    signed_in(page)

    page.goto(f"{ORIGIN}/en/donations.html?checkout=success", wait_until="networkidle")

    assert re.match(r"^Thank you for your tip! .*once it has been approved\.$", status_text(page).inner_text())


def test_an_empty_wall_says_so(page):
    support_site(page, api=donations_api(more={"GET /api/donations": (200, {"donations": [], "limits": LIMITS})}))

    page.goto(f"{ORIGIN}/en/donations.html", wait_until="networkidle")

    assert page.locator("[data-wall-state]").inner_text() == "No tips on the wall yet."
