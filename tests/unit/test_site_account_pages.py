# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fans' account pages in the site build: only with `auth`, linked from the header, accessible, both languages.

Also the runtime settings the pages read from config.json, checked against the API contract's shape.
"""

import json

import pytest
from site_pages import stylesheets
from test_site_build import THEME
from test_site_build import Page
from test_site_build import demo_site
from test_site_build import html_pages

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build

ACCOUNT_PAGES = ("signup", "confirm", "login", "account")
SCRIPTS = ["srp", "cognito", "api", "page", "account"]
# The errors Cognito answers the site's calls with, each of which the fan must understand.
COGNITO_ERRORS = (
    "UsernameExistsException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "NotAuthorizedException",
    "UserNotConfirmedException",
    "InvalidPasswordException",
    "LimitExceededException",
    "TooManyRequestsException",
)
# The API's error codes the account page handles (files/backend/README.md).
API_ERRORS = ("username_taken", "validation_error", "unauthorized", "profile_not_found")
RUNTIME = {
    "api_url": "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com",
    "auth": {
        "region": "eu-central-1",
        "user_pool_id": "eu-central-1_AbC123xyz",
        "client_id": "4l1dkz2f0v2q0oj0pmh1n2eabc",
        "endpoint": "https://cognito-idp.eu-central-1.amazonaws.com/",
    },
}


@pytest.fixture(scope="module")
def site_files():
    return build.build_site(str(THEME), demo_site(runtime=RUNTIME))


def page_keys(page):
    """The object keys of a page in German (the root) and English."""
    return {f"{page}.html", f"en/{page}.html"}


def account_link(page):
    """The header's account link of a page, or None."""
    links = [attrs for tag, attrs in page.elements if tag == "a" and "data-account-link" in attrs]
    assert len(links) <= 1
    return links[0] if links else None


def messages(page):
    """The texts the page's scripts show, by code (the hidden list of data-code items)."""
    codes = [attrs["data-code"] for tag, attrs in page.elements if tag == "li" and "data-code" in attrs]
    return codes


def test_the_account_pages_exist_in_every_language_only_with_auth():
    with_auth = build.build_site(str(THEME), demo_site(features=["website", "auth"]))
    without = build.build_site(str(THEME), demo_site(features=["website", "live"]))

    for page in ACCOUNT_PAGES:
        assert page_keys(page) <= set(with_auth)
        assert not page_keys(page) & set(without)
    assert all(account_link(page) is None for page in html_pages(without).values())
    assert not any("login.html" in link for page in html_pages(without).values() for link in page.links())


def test_every_page_links_to_sign_in_and_names_the_account_page_for_the_script(site_files):
    for key, page in html_pages(site_files).items():
        link = account_link(page)
        english = key.startswith("en/")
        assert link is not None, key
        assert link["href"] == ("/en/login.html" if english else "/login.html"), key
        assert link["data-account-href"] == ("/en/account.html" if english else "/account.html"), key
        assert link["data-account-label"] == ("My account" if english else "Mein Konto"), key


def test_a_site_with_auth_but_no_feature_page_still_has_the_account_link():
    files = build.build_site(str(THEME), demo_site(features=["website", "auth"]))

    assert account_link(Page(files["index.html"]))["href"] == "/login.html"
    assert "Anmelden" in files["index.html"].body.decode()


def test_the_account_pages_load_their_scripts_in_order_from_the_site_and_nothing_inline(site_files):
    for page in ACCOUNT_PAGES:
        for key in page_keys(page):
            parsed = Page(site_files[key])
            scripts = [attrs["src"] for attrs in parsed.find("script")]
            # With the admins' page (the demo site has every feature), the account page also shows its link.
            extra = ["admin-link"] if page == "account" else []
            assert [src.split("/")[-1].split(".")[0] for src in scripts] == ["site", *SCRIPTS, *extra], key
            assert all(src.startswith("/assets/") and src.lstrip("/") in site_files for src in scripts), key
            assert all("defer" in attrs for attrs in parsed.find("script")[1:]), key
            assert [href.split(".")[0] for href in stylesheets(parsed)][-2:] == ["/assets/forms", "/assets/account"]
            assert parsed.inline == [], key
            assert not [
                attrs for tag, attrs in parsed.elements if "style" in attrs or any(a.startswith("on") for a in attrs)
            ]
    home = Page(site_files["index.html"])
    assert [attrs["src"].split("/")[-1].split(".")[0] for attrs in home.find("script")] == ["site"]


def test_the_scripts_need_no_import_paths(site_files):
    """Asset names are hashed at build, so a script that imported another by path would break."""
    for name in SCRIPTS:
        [key] = [key for key in site_files if key.startswith(f"assets/{name}.") and key.endswith(".js")]
        code = site_files[key].body.decode()
        assert "import " not in code and "import(" not in code, key
        assert f"root.creatorcloud.{name}" in code or name == "account", key


def test_the_account_pages_are_not_indexed_and_not_in_the_sitemap(site_files):
    sitemap = site_files["sitemap.xml"].body.decode()

    for page in ACCOUNT_PAGES:
        assert f"/{page}.html" not in sitemap
        for key in page_keys(page):
            assert Page(site_files[key]).find("meta", name="robots") == [{"name": "robots", "content": "noindex"}]
    assert Page(site_files["index.html"]).find("meta", name="robots") == []


def test_every_field_has_a_label_a_described_error_and_the_page_announces_changes(site_files):
    for page in ACCOUNT_PAGES:
        for key in page_keys(page):
            parsed = Page(site_files[key])
            ids = {attrs["id"] for tag, attrs in parsed.elements if "id" in attrs}
            labelled = {attrs["for"] for attrs in parsed.find("label")}
            for attrs in parsed.find("input"):
                assert attrs["id"] in labelled, (key, attrs)
                described = attrs["aria-describedby"].split()
                assert set(described) <= ids, (key, attrs)
                assert f"{attrs['id']}-error" in described, (key, attrs)
            assert parsed.find("p", role="status", **{"aria-live": "polite"}), key
            assert all(alert.get("tabindex") == "-1" for alert in parsed.find("div", role="alert")), key


@pytest.mark.parametrize(("language", "prefix"), [("de", ""), ("en", "en/")])
def test_every_error_has_a_text_in_both_languages(site_files, language, prefix):
    strings = json.loads((THEME / f"i18n/{language}.json").read_text())
    errors = strings["account"]["errors"]

    for code in (*COGNITO_ERRORS, *API_ERRORS, "generic", "email_invalid", "password_weak"):
        assert errors.get(code), (language, code)
    for page in ACCOUNT_PAGES:
        assert set(errors) <= set(messages(Page(site_files[f"{prefix}{page}.html"])))


def test_the_pages_speak_their_language(site_files):
    german, english = site_files["signup.html"].body.decode(), site_files["en/signup.html"].body.decode()

    assert "Konto anlegen" in german and "Mindestens 12 Zeichen" in german
    assert "Create an account" in english and "At least 12 characters" in english
    assert "Create an account" not in german and "Konto anlegen" not in english
    assert "Mein Konto" in site_files["account.html"].body.decode()
    assert "Download my data" in site_files["en/account.html"].body.decode()


def test_the_delete_button_only_opens_a_confirmation(site_files):
    page = Page(site_files["en/account.html"])

    [start] = page.find("button", **{"data-action": "delete-start"})
    [confirmation] = page.find("div", **{"data-delete-confirmation": None})
    assert start["aria-controls"] == confirmation["id"] and start["aria-expanded"] == "false"
    assert "hidden" in confirmation
    assert page.find("button", **{"data-action": "delete-confirm", "data-next": "/en/index.html"})


@pytest.mark.parametrize("page_name", ACCOUNT_PAGES)
def test_every_button_waits_for_the_scripts(site_files, page_name):
    # A form sent before its script handles it would be posted to the static page (CloudFront: 403).
    elements = Page(site_files[f"en/{page_name}.html"]).elements
    buttons = [attrs for tag, attrs in elements if tag == "button" and "nav-toggle" not in attrs.get("class", "")]

    assert buttons
    assert all("disabled" in attrs and "data-until-ready" in attrs for attrs in buttons)


def test_the_danger_colour_reads_well_on_the_demo_creators_backgrounds():
    for background in ("#ffffff", "#fffdf7", "#111118"):
        scheme = build.colour_scheme("#6d28d9", "#f59e0b", background)
        for surface in (scheme["bg"], scheme["surface"], scheme["surface-strong"]):
            assert build.contrast(scheme["danger"], surface) >= 4.5, (background, scheme)
        assert build.contrast(scheme["on-danger"], scheme["danger"]) >= 4.5


def test_the_runtime_settings_of_the_api_contract_become_config_json(site_files):
    assert json.loads(site_files["config.json"].body) == RUNTIME
    assert build.build_site(str(THEME), demo_site())["config.json"].body == b"{}\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"api_url": "http://a1.execute-api.eu-central-1.amazonaws.com"}, "site.runtime.api_url 'http://a1."),
        ({"api_url": "https://api.example/?x=1"}, "must be the HTTP API's endpoint as an https:// URL"),
        ({"auth": "eu-central-1_AbC"}, "site.runtime.auth must be a dictionary with region, user_pool_id"),
        ({"auth": {**RUNTIME["auth"], "client_id": None}}, "site.runtime.auth.client_id None is not valid"),
        ({"auth": {"region": "eu-central-1"}}, "site.runtime.auth is missing user_pool_id, client_id, endpoint"),
        ({"live": "https://x.live-video.net/a.m3u8"}, "site.runtime.live must be a dictionary with only playback_url"),
        ({"live": {"playback_url": "http://x.live-video.net/a.m3u8"}}, "site.runtime.live.playback_url 'http://x."),
        ({"chat": {"endpoint": "wss://edge.ivschat.eu-central-1.amazonaws.com", "room": "x"}}, "with only endpoint"),
        (
            {"chat": {"endpoint": "https://edge.ivschat.eu-central-1.amazonaws.com"}},
            "must be IVS Chat's messaging endpoint as an wss:// URL without query, like wss://edge.ivschat.",
        ),
        ({"auth": {**RUNTIME["auth"], "pool": "x"}}, "site.runtime.auth has unknown keys pool"),
        ({"auth": {**RUNTIME["auth"], "region": "us-east-1"}}, "is not a pool of site.runtime.auth.region"),
        ({"auth": {**RUNTIME["auth"], "endpoint": "cognito"}}, "site.runtime.auth.endpoint 'cognito' must be"),
        ({"auth": {**RUNTIME["auth"], "user_pool_id": "pool"}}, "site.runtime.auth.user_pool_id 'pool' is not"),
    ],
)
def test_runtime_settings_that_break_the_contract_are_named(change, message):
    with pytest.raises(build.SiteBuildError) as raised:
        build.build_site(str(THEME), demo_site(runtime={**RUNTIME, **change}))

    assert message in str(raised.value)


def test_the_live_and_chat_settings_become_config_json():
    live = {"playback_url": "https://a1b2.eu-central-1.playback.live-video.net/api/video/v1/x.m3u8"}
    chat = {"endpoint": "wss://edge.ivschat.eu-central-1.amazonaws.com"}

    files = build.build_site(str(THEME), demo_site(runtime={**RUNTIME, "live": live, "chat": chat}))

    assert json.loads(files["config.json"].body) == {**RUNTIME, "live": live, "chat": chat}


def test_an_empty_api_url_is_an_api_not_made_yet():
    files = build.build_site(str(THEME), demo_site(runtime={**RUNTIME, "api_url": ""}))

    assert json.loads(files["config.json"].body)["api_url"] == ""


def test_other_runtime_settings_pass_for_later_features():
    files = build.build_site(str(THEME), demo_site(runtime={**RUNTIME, "playback_url": "https://x.example/live"}))

    assert json.loads(files["config.json"].body)["playback_url"] == "https://x.example/live"
