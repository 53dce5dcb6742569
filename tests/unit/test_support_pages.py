# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The membership and donations pages in the build: their scripts only with their features, accessible, both languages.

The scripts themselves run in tests/e2e/test_support_pages.py (Chromium against stubbed API answers); here
the build's output is checked: which scripts a page loads and in which order, the elements the scripts
find, labels and descriptions, no inline script or style, every text in German and English, and no HTML
sink in the scripts that put fans' texts on the page.
"""

import re

import pytest
from site_pages import assert_nothing_inline
from site_pages import script_source
from site_pages import scripts
from site_pages import stylesheets
from site_pages import text_codes
from site_pages import texts
from test_site_build import THEME
from test_site_build import Page
from test_site_build import demo_site
from test_site_build import html_pages

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build

FEATURES = ["website", "auth", "membership", "donations"]
PAGES = {"membership": ("membership.html", "en/membership.html"), "donations": ("donations.html", "en/donations.html")}
SCRIPTS = {page: ["site", "cognito", "api", "page", "money", page] for page in PAGES}
# The API's error codes each page turns into a text (files/backend/README.md).
ERRORS = {
    "membership": (
        "already_member",
        "tier_not_found",
        "membership_not_found",
        "payment_provider_error",
        "unauthorized",
        "premium_required",
        "generic",
    ),
    "donations": ("amount_out_of_range", "payment_provider_error", "unauthorized", "validation_error", "generic"),
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def site_files():
    return build.build_site(str(THEME), demo_site(features=FEATURES))


@pytest.mark.parametrize("feature", list(PAGES))
def test_each_page_exists_in_every_language_only_with_its_feature(feature):
    with_feature = build.build_site(str(THEME), demo_site(features=["website", "auth", feature]))
    other = next(name for name in PAGES if name != feature)

    assert set(PAGES[feature]) <= set(with_feature)
    assert not set(PAGES[other]) & set(with_feature)
    assert f"/en/{feature}.html" in Page(with_feature["en/index.html"]).links()


@pytest.mark.parametrize("feature", list(PAGES))
def test_each_page_loads_its_scripts_in_order_and_its_styles(site_files, feature):
    for key in PAGES[feature]:
        page = Page(site_files[key])
        assert scripts(page) == SCRIPTS[feature], key
        assert all("defer" in attrs for tag, attrs in page.elements if tag == "script" and "/site." not in attrs["src"])
        assert [href.split(".")[0] for href in stylesheets(page)][-2:] == ["/assets/forms", "/assets/support"], key


def test_no_other_page_loads_the_support_scripts_or_styles(site_files):
    support_keys = {key for keys in PAGES.values() for key in keys}
    for key, page in html_pages(site_files).items():
        if key in support_keys:
            continue
        assert not {"membership", "donations"} & set(scripts(page)), key
        assert not any("/assets/support." in href for href in stylesheets(page)), key


def test_the_scripts_need_no_import_paths_and_name_what_they_register(site_files):
    for name in ("page", "money", "membership", "donations"):
        [key] = [key for key in site_files if key.startswith(f"assets/{name}.") and key.endswith(".js")]
        code = site_files[key].body.decode()
        assert "import " not in code and "import(" not in code, key
    money = (THEME / "assets" / "money.js").read_text()
    assert "root.creatorcloud.money" in money and "Intl.NumberFormat" in money
    helpers = (THEME / "assets" / "page.js").read_text()
    assert "root.creatorcloud.page" in helpers and "languagePrefix" in helpers


@pytest.mark.parametrize("feature", list(PAGES))
def test_without_accounts_the_pages_say_what_they_will_be_and_load_no_script(feature):
    """Joining and tipping need a signed-in fan: without `auth` there is no API for them either."""
    files = build.build_site(str(THEME), demo_site(features=["website", feature]))

    page = Page(files[f"en/{feature}.html"])
    assert scripts(page) == ["site"]
    assert page.find("section", **{"class": "status-panel"})
    assert not page.find("div", **{f"data-{feature}": None})


def test_the_membership_page_has_what_its_script_looks_for(site_files):
    page = Page(site_files["en/membership.html"])

    assert page.find("div", **{"data-membership": None})
    assert page.find("p", role="status", **{"aria-live": "polite", "data-support-status": None})
    assert page.find("div", role="alert", tabindex="-1", **{"data-support-alert": None, "hidden": None})
    assert page.find("ul", **{"data-membership-tiers": None, "aria-labelledby": "membership-tiers-title"})
    assert page.find("h2", id="membership-tiers-title")
    state = page.find("section", **{"data-membership-state": None, "hidden": None})
    assert state and state[0]["aria-labelledby"] == "membership-state-title"
    portal = page.find("button", type="button", **{"data-membership-portal": None})
    assert portal and portal[0]["aria-describedby"] == "membership-manage-text"
    assert page.find("p", id="membership-manage-text")
    assert page.find("section", **{"data-membership-premium": None, "aria-labelledby": "membership-premium-title"})
    assert page.find("p", **{"data-premium-state": None})


def test_the_donate_form_has_labels_described_fields_and_announcements(site_files):
    page = Page(site_files["en/donations.html"])
    ids = {attrs["id"] for tag, attrs in page.elements if "id" in attrs}

    form = page.find("form", **{"novalidate": None, "data-donate-form": None, "hidden": None})
    assert form
    assert page.find("legend")
    for field_id, tag in (("donate-amount", "input"), ("donate-message", "textarea"), ("donate-anonymous", "input")):
        assert page.find("label", **{"for": field_id}), field_id
        [field] = page.find(tag, id=field_id)
        described = field["aria-describedby"].split()
        assert described and set(described) <= ids, field_id
    [amount] = page.find("input", id="donate-amount")
    assert amount["inputmode"] == "decimal" and "donate-amount-error" in amount["aria-describedby"]
    [message] = page.find("textarea", id="donate-message")
    assert message["maxlength"] == "500" and "donate-message-counter" in message["aria-describedby"]
    assert page.find("input", id="donate-anonymous", type="checkbox")
    presets = page.find("button", type="button", **{"aria-pressed": "false"})
    assert [attrs["data-amount-preset"] for attrs in presets] == ["5", "10", "25"]
    assert page.find("div", role="group", **{"aria-label": "Suggested amounts"})
    assert page.find("div", role="alert", tabindex="-1", **{"data-support-alert": None})
    assert page.find("p", role="status", **{"aria-live": "polite", "data-support-status": None})
    assert page.find("button", type="submit", **{"disabled": None, "data-until-ready": None})
    assert page.find("ol", **{"data-donation-wall": None, "aria-labelledby": "wall-title"})


@pytest.mark.parametrize("feature", list(PAGES))
@pytest.mark.parametrize(("key_prefix", "login"), [("", "/login.html"), ("en/", "/en/login.html")])
def test_signed_out_fans_are_offered_the_sign_in_page_of_their_language(site_files, feature, key_prefix, login):
    page = Page(site_files[f"{key_prefix}{feature}.html"])

    offer = page.find("p", **{"data-support-signed-out": None})
    assert offer and "hidden" in offer[0]
    assert login in page.links()


@pytest.mark.parametrize("feature", list(PAGES))
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_text_of_the_scripts_is_on_the_page_in_its_language(site_files, feature, language):
    key = f"{feature}.html" if language == "de" else f"en/{feature}.html"
    page = Page(site_files[key])
    script_texts = texts(language)[feature]["texts"]

    assert text_codes(page, f"data-{feature}-texts") == sorted(script_texts)
    assert set(ERRORS[feature]) <= set(script_texts)
    body = site_files[key].body.decode()
    for text in script_texts.values():
        assert text.replace("'", "&#39;").replace('"', "&#34;") in body


@pytest.mark.parametrize("feature", list(PAGES))
def test_the_texts_of_both_languages_have_the_same_placeholders(feature):
    german, english = texts("de")[feature], texts("en")[feature]

    assert german.keys() == english.keys()
    assert german["texts"].keys() == english["texts"].keys()
    for code, text in english["texts"].items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(german["texts"][code])), code


def test_the_pages_speak_their_language(site_files):
    assert "Monatlich beitreten" in site_files["membership.html"].body.decode()
    assert "Join monthly" in site_files["en/membership.html"].body.decode()
    assert "Weiter zur Zahlung" in site_files["donations.html"].body.decode()
    assert "Continue to payment" in site_files["en/donations.html"].body.decode()


def test_the_pages_have_no_inline_script_style_or_handler(site_files):
    for keys in PAGES.values():
        for key in keys:
            assert_nothing_inline(Page(site_files[key]), key)


@pytest.mark.parametrize("script", ["membership.js", "donations.js", "money.js", "page.js"])
def test_the_scripts_render_text_as_text_only(script):
    source = script_source(script)

    if script != "money.js":
        assert "textContent" in source


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_privacy_policy_names_stripe_and_what_the_wall_shows(language):
    files = build.build_site(str(THEME), demo_site(features=FEATURES))
    privacy = files["privacy.html" if language == "de" else "en/privacy.html"].body.decode()
    features = texts(language)["privacy"]["features"]

    for feature in PAGES:
        assert "Stripe Payments Europe" in features[feature]["text"]
        assert features[feature]["title"] in privacy
    wall = features["donations"]["text"]
    assert ("Pinnwand" if language == "de" else "wall") in wall
    for shown in {"de": ("Anzeigenamen", "Betrag", "Nachricht", "Datum"), "en": ("name", "amount", "message", "date")}[
        language
    ]:
        assert shown in wall
