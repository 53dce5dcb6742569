# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tickets on creator1's local site, the whole way round, in headless Chromium.

Nothing is stubbed: the events are creator1's host_vars, converged by the events slice; the API runs the
events function in-process against the local Stripe stand-in, whose signed events reach the webhook. A fan
buys two tickets and pays on the hosted checkout; their QR codes show on "my tickets"; the door checks one in
by its typed code, and a second scan is refused with when and by whom. Screenshots go to tests/output/screenshots/.
"""

import re

import pytest

from e2e.creators import TIMEOUT_MS
from e2e.test_payments import CREATOR
from e2e.test_payments import PAYMENT_TIMEOUT_MS
from e2e.test_payments import assert_stayed_local
from e2e.test_payments import pay_on_the_checkout_page
from e2e.test_payments import signed_in_person

SHOW = "Album release show"
MEETUP = "Fan meet-up"


@pytest.fixture
def fan(isolated_page, gateways, site_emulator, onboarded):
    """A fan of creator1, signed in: (page, record)."""
    return signed_in_person(isolated_page, gateways, site_emulator, onboarded)


@pytest.fixture
def door(isolated_page, gateways, site_emulator, onboarded):
    """A member of creator1's door staff on the check-in page: (page, record)."""
    page, record = signed_in_person(isolated_page, gateways, site_emulator, onboarded, group="door")
    page.goto(gateways[CREATOR].url + "en/door.html", wait_until="networkidle")
    return page, record


def event_card(page, title):
    return page.locator("[data-event-id]").filter(has=page.get_by_role("heading", name=title, exact=True))


def test_a_fan_buys_two_tickets_and_the_door_lets_one_in_once(fan, door, gateways, stripe_standin, screenshot):
    site_url = gateways[CREATOR].url
    fan_page, fan_record = fan
    door_page, door_record = door

    # WHEN the fan chooses two tickets for the show and pays on the checkout page
    fan_page.goto(site_url + "en/events.html", wait_until="networkidle")
    show = event_card(fan_page, SHOW)
    assert "tickets left" in show.locator(".event-left").inner_text()
    show.get_by_label("Tickets").select_option("2")
    show.get_by_role("button", name="Buy tickets").click()
    pay_on_the_checkout_page(fan_page, stripe_standin)

    # THEN they are back on "my tickets" with two valid tickets, each with a QR code and its code
    fan_page.wait_for_url(re.compile(r"/en/tickets\.html\?order=[A-Z2-7]{16}&checkout=success$"), timeout=TIMEOUT_MS)
    fan_page.locator("[data-status]").filter(has_text="Your payment arrived").wait_for(timeout=PAYMENT_TIMEOUT_MS)
    tickets = fan_page.locator(".ticket-highlight")
    assert tickets.count() == 2
    assert tickets.locator("[data-ticket-status]").all_text_contents() == ["Valid", "Valid"]
    assert tickets.locator("svg.ticket-qr path").count() == 2
    codes = tickets.locator("[data-ticket-code]").all_inner_texts()
    assert all(re.fullmatch(r"[A-Z2-7]{16}-0[12]-[A-Z2-7]{16}", code) for code in codes)
    screenshot(fan_page, "tickets-paid")

    # WHEN the door types the first code in (in lower case, as a hurried person might)
    door_page.get_by_label("Event").select_option("release-show")
    door_page.get_by_label("Ticket code").fill(codes[0].lower())
    door_page.get_by_role("button", name="Check in").click()
    result = door_page.locator("[data-door-result]")
    # THEN it is let in, and a second scan of the same ticket is refused, saying when and by whom
    result.filter(has_text="Checked in: welcome!").wait_for(timeout=TIMEOUT_MS)
    assert result.get_attribute("data-door-outcome") == "in"
    door_page.get_by_label("Ticket code").fill(codes[0])
    door_page.get_by_role("button", name="Check in").click()
    result.filter(has_text="Already checked in at").wait_for(timeout=TIMEOUT_MS)
    assert result.get_attribute("data-door-outcome") == "refused"
    assert "@example" in result.inner_text()
    screenshot(door_page, "door-second-scan")

    # AND the fan sees that ticket checked in, the other still valid
    fan_page.goto(site_url + "en/tickets.html", wait_until="networkidle")
    assert sorted(fan_page.locator("[data-ticket-status]").all_text_contents()) == ["Checked in", "Valid"]
    assert_stayed_local(fan_record, door_record)


def test_a_free_event_gives_the_tickets_at_once(fan, gateways):
    site_url = gateways[CREATOR].url
    fan_page, fan_record = fan
    fan_page.goto(site_url + "en/events.html", wait_until="networkidle")
    meetup = event_card(fan_page, MEETUP)
    meetup.get_by_role("button", name="Get free tickets").click()
    fan_page.locator("[data-events-status]").filter(has_text="Your tickets for Fan meet-up are ready").wait_for(
        timeout=TIMEOUT_MS
    )
    fan_page.goto(site_url + "en/tickets.html", wait_until="networkidle")
    assert fan_page.locator("[data-ticket-status]").all_text_contents() == ["Valid"]
    assert fan_page.locator("svg.ticket-qr").count() == 1
    assert_stayed_local(fan_record)
