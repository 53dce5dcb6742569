# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fan's account on creator1's local site, in headless Chromium, through the gateway and the emulator.

Sign up with a new e-mail address, confirm with the code from the emulator's mailbox, sign in (SRP, the
site's own srp.js against the emulator's verifier), edit the profile and see it after a reload, sign out,
sign in again, download the export, delete the account; then signing in fails. A creator1 ID token is
refused by creator2's API. The forms check what they can before any call: a weak password or a bad
username never reaches Cognito or the API. Screenshots go to tests/output/screenshots/.
"""

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.creators import PASSWORD
from e2e.creators import TIMEOUT_MS
from e2e.creators import confirm
from e2e.creators import new_email
from e2e.creators import session
from e2e.creators import sign_in
from e2e.creators import sign_up
from e2e.stubbed_site import COGNITO_PATH
from e2e.stubbed_site import ORIGIN
from e2e.stubbed_site import StubbedSite
from e2e.stubbed_site import fake_token
from e2e.stubbed_site import signed_in


def cognito_requests(page_record):
    """How many requests the page sent to Cognito (through the gateway)."""
    return sum(COGNITO_PATH in url for url in page_record.requests)


def api_status(site_url, token):
    """The status of GET /api/me on a creator's gateway with `token` as the bearer."""
    request = urllib.request.Request(site_url + "api/me", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def expected_console_errors(errors):
    """Chromium logs every answered error status of a fetch; the flow expects those of the failed sign-in."""
    return [error for error in errors if "status of 400" not in error]


def test_a_fan_signs_up_edits_the_profile_exports_signs_out_and_deletes_the_account(
    gateways, site_emulator, page, page_record, screenshot
):
    site_url = gateways["creator1"].url
    email = new_email()

    # A weak password is explained before any call, and the focus goes to it.
    page.goto(site_url + "en/signup.html", wait_until="networkidle")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    password_error = page.locator('[data-field-error="password"]').inner_text()
    assert "at least 12 characters" in password_error and "an upper-case letter" in password_error
    assert page.evaluate("() => document.activeElement.name") == "password"
    assert cognito_requests(page_record) == 0
    screenshot(page, "fan-signup-weak-password")

    sign_up(page, site_url, email)
    screenshot(page, "fan-confirm")
    confirm(page, site_emulator.endpoint_url, email)
    sign_in(page, site_url, email)
    assert page.locator("[data-account-link]").inner_text() == "My account"
    screenshot(page, "fan-account")

    # Profile: saved, and still there after a reload.
    page.get_by_label("Display name").fill("Fan Number One")
    page.get_by_label("Username").fill("Not Valid!")
    page.get_by_role("button", name="Save profile").click()
    assert "3 to 20 characters" in page.locator('[data-field-error="username"]').inner_text()
    page.get_by_label("Username").fill("fan_number_one")
    page.get_by_role("button", name="Save profile").click()
    page.locator("[data-status]").filter(has_text="saved").wait_for(timeout=TIMEOUT_MS)
    page.reload(wait_until="networkidle")
    page.locator("[data-profile-email]").filter(has_text=email).wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_label("Display name").input_value() == "Fan Number One"
    assert page.get_by_label("Username").input_value() == "fan_number_one"

    # The export is a JSON file with the profile in it.
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename == "creator1-my-data.json"
    exported = json.loads(Path(download.value.path()).read_text())
    assert "Fan Number One" in json.dumps(exported) and "fan_number_one" in json.dumps(exported)

    # Sign out: the tokens are gone and the header offers to sign in again.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/en/login\.html\?status=signed_out$"), timeout=TIMEOUT_MS)
    assert session(page) is None
    assert page.locator("[data-account-link]").inner_text() == "Sign in"

    sign_in(page, site_url, email)

    # Delete, in two steps; then the fan is gone and signing in fails.
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("button", name="Yes, delete for good").click()
    page.wait_for_url(re.compile(r"/en/index\.html$"), timeout=TIMEOUT_MS)
    assert session(page) is None
    page.goto(site_url + "en/login.html", wait_until="networkidle")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert").filter(has_text="not correct")
    alert.wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "fan-deleted-sign-in-fails")
    assert expected_console_errors(page_record.console_errors) == []
    assert page_record.page_errors == [] and page_record.foreign_hosts() == set()


def test_a_creator1_token_is_refused_by_creator2s_api(gateways, site_emulator, page):
    email = new_email()
    sign_up(page, gateways["creator1"].url, email)
    confirm(page, site_emulator.endpoint_url, email)
    sign_in(page, gateways["creator1"].url, email)
    token = session(page)["id_token"]

    assert api_status(gateways["creator1"].url, token) == 200
    assert api_status(gateways["creator2"].url, token) == 401


@pytest.mark.parametrize(("page_path", "link_text"), [("", "Anmelden"), ("en/index.html", "Sign in")])
def test_the_header_offers_sign_in_without_a_session_in_each_language(gateways, page, page_path, link_text):
    page.goto(gateways["creator1"].url + page_path, wait_until="networkidle")

    link = page.locator("[data-account-link]")
    assert link.inner_text() == link_text
    assert link.get_attribute("href").endswith("login.html")


def test_the_account_page_without_a_session_offers_sign_in(gateways, page, page_record):
    page.goto(gateways["creator1"].url + "en/account.html", wait_until="networkidle")

    page.get_by_role("heading", name="You are not signed in").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("link", name="Create an account").is_visible()
    page_record.assert_clean()


# --- the pages against stubbed answers: every error text, without depending on the emulator's ---------------

PROFILE = {"user_id": "sub-1", "email": "fan@example.org", "display_name": "Fan", "username": "fan_one"}


def submit(page, path, fields, button):
    """Open a form page, fill in `fields` by label and press `button`."""
    page.goto(f"{ORIGIN}{path}", wait_until="networkidle")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=button).click()


SIGN_UP = ("/en/signup.html", {"E-mail address": "fan@example.org", "Password": PASSWORD}, "Create account")
CONFIRM = ("/en/confirm.html?email=fan%40example.org", {"Confirmation code": "123456"}, "Confirm")
SIGN_IN = ("/en/login.html", {"E-mail address": "fan@example.org", "Password": PASSWORD}, "Sign in")


@pytest.mark.parametrize(
    ("form", "operation", "exception", "text"),
    [
        (SIGN_UP, "SignUp", "UsernameExistsException", "There already is an account with this e-mail address"),
        (SIGN_UP, "SignUp", "InvalidPasswordException", "The password does not meet the rules"),
        (SIGN_UP, "SignUp", "TooManyRequestsException", "Too many requests right now"),
        (CONFIRM, "ConfirmSignUp", "CodeMismatchException", "That code is not right"),
        (CONFIRM, "ConfirmSignUp", "ExpiredCodeException", "That code has expired"),
        (CONFIRM, "ConfirmSignUp", "LimitExceededException", "Too many attempts"),
        (SIGN_IN, "InitiateAuth", "NotAuthorizedException", "E-mail address or password is not correct"),
        (SIGN_IN, "InitiateAuth", "UserNotFoundException", "E-mail address or password is not correct"),
    ],
)
def test_cognitos_errors_become_texts_a_fan_understands(page, form, operation, exception, text):
    site = StubbedSite(page, cognito={operation: (400, {"__type": exception, "message": "internal wording"})})

    submit(page, *form)

    alert = page.get_by_role("alert").filter(has_text=text)
    alert.wait_for(timeout=TIMEOUT_MS)
    assert "internal wording" not in alert.inner_text()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    assert site.operations() == [operation]


def test_a_namespaced_error_type_is_understood_in_german(page):
    error = {"__type": "com.amazonaws.cognito#NotAuthorizedException", "message": "Incorrect username or password."}
    StubbedSite(page, cognito={"InitiateAuth": (400, error)})

    submit(page, "/login.html", {"E-Mail-Adresse": "fan@example.org", "Passwort": PASSWORD}, "Anmelden")

    page.get_by_role("alert").filter(has_text="E-Mail-Adresse oder Passwort ist nicht richtig").wait_for()


def test_an_unconfirmed_fan_is_offered_the_confirmation_page_with_a_new_code(page):
    site = StubbedSite(
        page,
        cognito={
            "InitiateAuth": (400, {"__type": "UserNotConfirmedException"}),
            "ResendConfirmationCode": (200, {"CodeDeliveryDetails": {"DeliveryMedium": "EMAIL"}}),
        },
    )

    submit(page, *SIGN_IN)
    page.get_by_role("link", name=re.compile("Confirm your e-mail address")).click()
    page.wait_for_url(re.compile(r"/en/confirm\.html\?email=fan%40example\.org$"))
    page.get_by_role("button", name="Send a new code").click()

    page.locator("[data-status]").filter(has_text="new code").wait_for()
    assert site.operations() == ["InitiateAuth", "ResendConfirmationCode"]
    assert site.calls[1][1] == {"ClientId": "stubclient", "Username": "fan@example.org"}


@pytest.mark.parametrize("path", ["/en/login.html?status=signed_out", "/en/confirm.html?email=link%40example.org"])
def test_an_address_typed_before_the_page_is_ready_is_kept(page, path):
    """The forms are set up once the site's configuration has loaded; what a fan typed before stays (CI saw a
    sign-in after sign-out refused as "invalid e-mail" because set-up emptied the field)."""
    site = StubbedSite(page, cognito={"InitiateAuth": (400, {"__type": "NotAuthorizedException"})})
    held = []

    def hold(route):
        """Keep the request for config.json unanswered until the test fulfils it."""
        held.append(route)

    page.route(f"{ORIGIN}/config.json", hold)  # registered last, so it answers config.json before the stub does
    page.goto(f"{ORIGIN}{path}", wait_until="domcontentloaded")
    page.get_by_label("E-mail address").fill("typed@example.org")
    while not held:  # the page asks for its configuration on DOMContentLoaded
        page.wait_for_timeout(20)
    held[0].fulfill(status=200, content_type="application/json", body=json.dumps(site.runtime))

    expect(page.locator("[data-until-ready]").first).to_be_enabled(timeout=TIMEOUT_MS)
    expect(page.get_by_label("E-mail address")).to_have_value("typed@example.org")


def test_sign_up_sends_the_address_as_username_and_attribute_and_moves_on_to_confirm(page):
    site = StubbedSite(page, cognito={"SignUp": (200, {"UserConfirmed": False, "UserSub": "sub-1"})})

    submit(page, *SIGN_UP)

    page.wait_for_url(re.compile(r"/en/confirm\.html\?email=fan%40example\.org&status=code_sent$"))
    expect(page.get_by_label("E-mail address")).to_have_value("fan@example.org")
    assert "e-mailed you a confirmation code" in page.locator("[data-status]").inner_text()
    assert site.calls == [
        (
            "SignUp",
            {
                "ClientId": "stubclient",
                "Username": "fan@example.org",
                "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": "fan@example.org"}],
            },
        )
    ]


@pytest.mark.parametrize(
    ("password", "missing"),
    [("alllowercase-but-long1", "an upper-case letter"), ("NoSymbolsHere123", "a symbol"), ("Sh0rt!", "12")],
)
def test_the_password_rules_are_checked_before_the_call(page, password, missing):
    site = StubbedSite(page)

    submit(page, SIGN_UP[0], {**SIGN_UP[1], "Password": password}, SIGN_UP[2])

    assert missing in page.locator('[data-field-error="password"]').inner_text()
    assert page.get_by_label("Password", exact=True).get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.id") == "signup-password"
    assert site.calls == []


def test_a_taken_username_is_shown_at_its_field_and_a_rejected_body_in_the_alert(page):
    answers = iter([(409, {"code": "username_taken", "message": "x"}), (422, {"code": "validation_error"})])
    site = StubbedSite(page, api={"GET /api/me": (200, PROFILE), "PUT /api/me": lambda request: next(answers)})
    signed_in(page)
    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")
    page.locator("[data-profile-email]").filter(has_text="fan@example.org").wait_for()

    page.get_by_label("Username").fill("taken_name")
    page.get_by_role("button", name="Save profile").click()
    page.locator('[data-field-error="username"]').filter(has_text="This username is taken").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "profile-username"
    page.get_by_role("button", name="Save profile").click()

    page.get_by_role("alert").filter(has_text="Please check your entries").wait_for()
    assert site.operations() == ["GET /api/me", "PUT /api/me", "PUT /api/me"]
    assert all(call[1].startswith("Bearer ") for call in site.calls)


def test_an_expiring_id_token_is_refreshed_before_the_api_call(page):
    fresh = fake_token(3600)
    site = StubbedSite(
        page,
        cognito={"InitiateAuth": (200, {"AuthenticationResult": {"IdToken": fresh, "AccessToken": fake_token(3600)}})},
        api={"GET /api/me": (200, PROFILE)},
    )
    signed_in(page, id_token_lifetime=60)

    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")

    page.locator("[data-profile-email]").filter(has_text="fan@example.org").wait_for()
    assert site.operations() == ["InitiateAuth", "GET /api/me"]
    assert site.calls[0][1]["AuthFlow"] == "REFRESH_TOKEN_AUTH"
    assert site.calls[0][1]["AuthParameters"] == {"REFRESH_TOKEN": "refresh-1"}
    assert site.calls[1][1] == f"Bearer {fresh}"
    assert session(page)["refresh_token"] == "refresh-1"


def test_the_export_is_saved_as_a_json_file(page):
    export = {"userId": "sub-1", "profile": {"row": {"displayName": "Fan"}}}
    StubbedSite(page, api={"GET /api/me": (200, PROFILE), "GET /api/me/export": (200, export)})
    signed_in(page)
    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()

    assert download.value.suggested_filename == "creator1-my-data.json"
    assert json.loads(Path(download.value.path()).read_text()) == export
    page.locator("[data-status]").filter(has_text="Your data is downloaded").wait_for()


def test_a_refresh_token_that_cognito_refuses_ends_the_session(page):
    StubbedSite(page, cognito={"InitiateAuth": (400, {"__type": "NotAuthorizedException"})})
    signed_in(page, id_token_lifetime=10)

    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")

    page.get_by_role("heading", name="You are not signed in").wait_for()
    assert session(page) is None
    assert page.locator("[data-status]").inner_text() == "Your session has ended. Please sign in again."


def test_a_rejected_session_shows_the_sign_in_offer(page):
    StubbedSite(page, api={"GET /api/me": (401, {"message": "Unauthorized"})})
    signed_in(page)

    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")

    page.get_by_role("heading", name="You are not signed in").wait_for()
    assert session(page) is None
    assert "session has ended" in page.locator("[data-status]").inner_text()


def test_sign_out_is_global_and_drops_the_tokens_even_when_cognito_refuses(page):
    site = StubbedSite(
        page,
        cognito={"GlobalSignOut": (400, {"__type": "NotAuthorizedException"})},
        api={"GET /api/me": (200, PROFILE)},
    )
    signed_in(page)
    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(re.compile(r"/en/login\.html\?status=signed_out$"))
    assert session(page) is None
    assert site.operations()[-1] == "GlobalSignOut"
    assert page.locator("[data-account-link]").inner_text() == "Sign in"


def test_cancel_keeps_the_account_and_only_the_confirm_button_deletes(page):
    site = StubbedSite(page, api={"GET /api/me": (200, PROFILE), "DELETE /api/me": (200, {"erased": ["account"]})})
    signed_in(page)
    page.goto(f"{ORIGIN}/en/account.html", wait_until="networkidle")

    page.get_by_role("button", name="Delete my account").click()
    assert page.evaluate("() => document.activeElement.textContent") == "Yes, delete for good"
    page.get_by_role("button", name="Cancel").click()
    assert not page.get_by_role("button", name="Yes, delete for good").is_visible()
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("button", name="Yes, delete for good").click()

    page.wait_for_url(re.compile(r"/en/index\.html$"))
    assert site.operations() == ["GET /api/me", "DELETE /api/me"]
    assert session(page) is None


def test_without_sign_in_settings_the_pages_say_so_and_call_nothing(page, screenshot):
    site = StubbedSite(page, runtime={})

    page.goto(f"{ORIGIN}/en/login.html", wait_until="networkidle")

    notice = page.locator("[data-unavailable]")
    assert notice.is_visible() and "Fan accounts are not available on this site right now" in notice.inner_text()
    assert page.get_by_role("button", name="Sign in").is_disabled()
    assert site.calls == []
    screenshot(page, "fan-login-unavailable")
