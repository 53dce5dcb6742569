# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live page in the site build: the player and the chat, their scripts only with their features, both languages.

The scripts themselves run in tests/e2e/test_live_chat.py (Chromium against the emulator); here the
build's output is checked: which scripts a page loads and in which order, the stage and chat elements
the scripts find, no inline script or style, and every text in German and English.
"""

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

LIVE_PAGES = ("live.html", "en/live.html")
PLAYER_SCRIPTS = ["hls", "live"]
CHAT_SCRIPTS = ["cognito", "api", "chat-client", "chat"]


def live_page(files, key="en/live.html"):
    return Page(files[key])


@pytest.fixture(scope="module")
def site_files():
    return build.build_site(str(THEME), demo_site(features=["website", "auth", "live", "chat", "shop"]))


def test_the_live_page_loads_the_player_and_the_chat_scripts_in_order(site_files):
    for key in LIVE_PAGES:
        page = live_page(site_files, key)
        assert scripts(page) == ["site", *PLAYER_SCRIPTS, *CHAT_SCRIPTS], key
        assert all("defer" in attrs for tag, attrs in page.elements if tag == "script" and "site." not in attrs["src"])
        assert [href.split(".")[0] for href in stylesheets(page)][-2:] == ["/assets/forms", "/assets/live"], key


def test_no_other_page_loads_the_live_scripts_or_styles(site_files):
    for key, page in html_pages(site_files).items():
        if key in LIVE_PAGES:
            continue
        assert not {*PLAYER_SCRIPTS, "chat-client", "chat"} & set(scripts(page)), key
        assert not any("/assets/live." in href for href in stylesheets(page)), key


def test_without_chat_the_page_has_the_player_only_and_no_chat_bundle():
    files = build.build_site(str(THEME), demo_site(features=["website", "auth", "live"]))

    page = live_page(files)
    assert scripts(page) == ["site", *PLAYER_SCRIPTS]
    assert not any("/assets/forms." in href for href in stylesheets(page))
    assert not page.find("aside", id="live-chat")
    assert not any(key.startswith("assets/chat-client.") for key in files)


def test_chat_without_accounts_shows_the_panel_without_scripts():
    """The chat needs a signed-in fan: without `auth` there is no sign-in, so the panel only says what it is."""
    files = build.build_site(str(THEME), demo_site(features=["website", "live", "chat"]))

    page = live_page(files)
    assert scripts(page) == ["site", *PLAYER_SCRIPTS]
    assert page.find("aside", id="live-chat")
    assert not page.find("form", **{"data-chat-form": None})
    assert texts("en")["features"]["live"]["chat_text"] in files["en/live.html"].body.decode()


def test_the_stage_and_the_chat_have_what_the_scripts_look_for(site_files):
    page = live_page(site_files)

    assert page.find("section", id="live-player", **{"data-state": "offline"})
    video = page.find("video", **{"data-live-video": None})
    assert len(video) == 1 and "muted" in video[0] and "playsinline" in video[0] and video[0]["aria-label"]
    sound = page.find("button", **{"data-live-sound": None})
    assert sound and sound[0]["aria-pressed"] == "false" and sound[0]["data-label-muted"] == "Turn sound on"
    assert page.find("aside", id="live-chat", **{"data-chat": None})
    assert page.find("ol", role="log", **{"aria-live": "polite", "data-chat-log": None})
    assert page.find("p", role="status", **{"data-chat-state": None})
    assert page.find("form", **{"data-chat-form": None, "hidden": None})
    assert page.find("label", **{"for": "chat-input"})
    assert page.find("input", id="chat-input", name="message", **{"aria-describedby": "chat-input-error"})
    assert page.find("p", id="chat-input-error", **{"data-chat-error": None})


@pytest.mark.parametrize(("key", "login"), [("live.html", "/login.html"), ("en/live.html", "/en/login.html")])
def test_signed_out_fans_are_offered_the_sign_in_page_of_their_language(site_files, key, login):
    page = live_page(site_files, key)

    offer = page.find("p", **{"data-chat-signed-out": None})
    assert offer and "hidden" in offer[0]
    assert login in page.links()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_chat_text_is_on_the_page_in_its_language(site_files, language):
    page = live_page(site_files, "live.html" if language == "de" else "en/live.html")
    chat_texts = texts(language)["chat"]["texts"]

    assert text_codes(page) == sorted(chat_texts)
    body = site_files["live.html" if language == "de" else "en/live.html"].body.decode()
    for text in [*chat_texts.values(), texts(language)["chat"]["input_label"], texts(language)["chat"]["send"]]:
        assert text.replace("'", "&#39;") in body


def test_the_live_page_has_no_inline_script_style_or_handler(site_files):
    for key in LIVE_PAGES:
        assert_nothing_inline(live_page(site_files, key), key)


def test_the_chat_script_renders_fans_text_as_text_only():
    source = script_source("chat.js")

    assert "textContent" in source


def test_the_player_runs_hls_js_without_a_worker():
    """The site's Content-Security-Policy has no worker-src: hls.js must not start one."""
    assert "enableWorker: false" in (THEME / "assets" / "live.js").read_text()
