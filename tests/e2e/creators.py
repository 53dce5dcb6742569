# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo creators of the local inventory, as the browser tests expect to see them, and their fans.

A fan is made the way a person makes one: sign up on the creator's site, confirm with the code from
the emulator's mailbox, sign in (the site's SRP against the emulated pool). The steps are shared by
the browser tests that need a signed-in fan (test_fan_account.py, test_live_chat.py).
"""

import json
import re
import urllib.request
import uuid

import yaml
from playbook_runner import REPO
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

CREATORS = ("creator1", "creator2")
PASSWORD = "Fan-Passw0rd!2026"
SESSION_KEY = "creatorcloud-session"
TIMEOUT_MS = 20_000
SIGN_IN_TIMEOUT_MS = 45_000


def host_vars(creator):
    """A creator's configuration from the local inventory."""
    return yaml.safe_load((REPO / f"inventories/local/host_vars/{creator}.yml").read_text())


def new_email():
    """An address no test has used, so each run signs up a new fan."""
    return f"fan-{uuid.uuid4().hex[:12]}@example.org"


def mailed_code(endpoint_url, email):
    """The latest code Cognito mailed to `email`, from the emulator's mailbox."""
    with urllib.request.urlopen(f"{endpoint_url}/_creatorcloud/mail?to={email}", timeout=10) as response:
        mails = json.loads(response.read())
    assert mails, f"no mail to {email} in the emulator's mailbox"
    latest = mails[-1]
    return latest.get("code") or re.search(r"\b\d{6}\b", latest["body"]).group(0)


def sign_up(page, site_url, email, password=PASSWORD, pages="en/"):
    """Fill in the sign-up form; the page moves on to the confirmation form.

    `pages` is where the English pages are: "en/" below a German first language, "" for an English-only site.
    """
    page.goto(f"{site_url}{pages}signup.html", wait_until="networkidle")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(rf"/{pages}confirm\.html\?"), timeout=TIMEOUT_MS)


def confirm(page, endpoint_url, email, pages="en/"):
    """Enter the mailed code; the page moves on to the sign-in form with the address filled in."""
    expect(page.get_by_label("E-mail address")).to_have_value(email)  # filled in once config.json is read
    page.get_by_label("Confirmation code").fill(mailed_code(endpoint_url, email))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(rf"/{pages}login\.html\?"), timeout=TIMEOUT_MS)
    assert "confirmed" in page.locator("[data-status]").inner_text()


def sign_in(page, site_url, email, password=PASSWORD, pages="en/"):
    """Sign in on the sign-in page; the account page shows the fan's e-mail address."""
    if f"/{pages}login.html" not in page.url:
        page.goto(f"{site_url}{pages}login.html", wait_until="networkidle")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with RequestTrail(page) as trail:
        page.get_by_role("button", name="Sign in").click()
        try:
            # SRP in the page and in the emulator, two Cognito round trips: slower than a page load under load.
            page.wait_for_url(re.compile(rf"/{pages}account\.html$"), timeout=SIGN_IN_TIMEOUT_MS)
        except PlaywrightTimeoutError as error:
            raise AssertionError(
                f"sign-in of {email} did not reach the account page; {page_state(page)}; requests {trail.lines()}"
            ) from error
    page.locator("[data-profile-email]").filter(has_text=email).wait_for(timeout=TIMEOUT_MS)


class RequestTrail:
    """The requests a page makes while the block runs, each with its status, its failure or "no answer" yet."""

    def __init__(self, page):
        self.page = page
        self.requests = []
        self.outcomes = {}

    def __enter__(self):
        self.page.on("request", self._sent)
        self.page.on("response", self._answered)
        self.page.on("requestfailed", self._failed)
        return self

    def __exit__(self, *exc_info):
        self.page.remove_listener("request", self._sent)
        self.page.remove_listener("response", self._answered)
        self.page.remove_listener("requestfailed", self._failed)

    def _sent(self, request):
        self.requests.append(request)

    def _answered(self, response):
        self.outcomes[id(response.request)] = str(response.status)

    def _failed(self, request):
        self.outcomes[id(request)] = f"failed: {request.failure}"

    def lines(self):
        """ "METHOD URL -> status" per request, as far as each got."""
        return [f"{r.method} {r.url} -> {self.outcomes.get(id(r), 'no answer')}" for r in self.requests]


def page_state(page):
    """What the page shows the fan: its URL, the status line, alerts and field errors."""
    status = page.locator("[data-status]").all_inner_texts()
    alerts = page.get_by_role("alert").all_inner_texts()
    invalid = page.locator("[aria-invalid=true]").evaluate_all("fields => fields.map(f => f.name)")
    return f"url {page.url}, status {status}, alerts {alerts}, invalid fields {invalid}"


def session(page):
    """The tokens the site keeps in this tab, or None."""
    stored = page.evaluate(f"() => sessionStorage.getItem({SESSION_KEY!r})")
    return json.loads(stored) if stored else None
