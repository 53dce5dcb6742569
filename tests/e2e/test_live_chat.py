# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""creator1's live page in headless Chromium against the real local stack: the player and the chat.

Fans sign up, confirm and sign in through the site (e2e/creators.py), each in a browser context of
their own, and chat through the official amazon-ivs-chat-messaging client (the site's bundle) with the
emulator's IVS Chat messaging endpoint, their tokens from the creator's API behind the gateway, the
room's review handler run by the emulator. Nothing is stubbed: no page.route anywhere in this file.
The channel has no local test stream, so its playlist answers 404 and the player shows the offline state.
"""

import json
import re
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

import boto3
import pytest
from playwright.sync_api import expect
from websockets.sync.client import connect

from e2e.creators import TIMEOUT_MS
from e2e.creators import confirm
from e2e.creators import host_vars
from e2e.creators import new_email
from e2e.creators import session
from e2e.creators import sign_in
from e2e.creators import sign_up
from e2e.site_resources import REGION
from e2e.site_resources import add_fan_to_group
from e2e.site_resources import creator_credentials

XSS = "<img src=x onerror=window.__xss=1>"
PLAYLIST_PATH = "/_creatorcloud/live/index.m3u8"
CONNECTED = "You are in the chat."
BANNED = "You are banned from this chat."
WARM_UP_ATTEMPTS = 5


@dataclass
class Fan:
    """A signed-in fan on creator1's English live page, in a browser context of their own."""

    page: object
    record: object
    email: str

    @property
    def log(self):
        return self.page.locator("[data-chat-log]")

    def message(self, text):
        """The fan's view of a chat message, found by its exact text."""
        return self.log.locator("li").filter(
            has=self.page.locator(".chat-text", has_text=re.compile(f"^{re.escape(text)}$"))
        )

    def send(self, text):
        self.page.get_by_label("Your message").fill(text)
        self.page.get_by_role("button", name="Send").click()

    def id_token(self):
        return session(self.page)["id_token"]


@pytest.fixture(scope="session")
def warm_review_handler(onboarded, site_emulator):
    """creator1's room once its review handler has answered a message in time.

    The emulator runs the handler in-process and gives it 2 s; the first call imports the backend and
    assumes the function's role, which on a loaded machine takes longer, and the room's fallback (DENY)
    then refuses that message. So one message goes first, straight to the messaging endpoint with a
    token from CreateChatToken, until it is delivered; fans see it in the history as "warm-up".
    """
    endpoint_url = site_emulator.endpoint_url
    credentials = creator_credentials(endpoint_url, onboarded["creator1"])
    ivschat = boto3.client("ivschat", region_name=REGION, endpoint_url=endpoint_url, **credentials)
    room_arn = ivschat.list_rooms()["rooms"][0]["arn"]
    with urllib.request.urlopen(endpoint_url + "/_creatorcloud/chat", timeout=10) as response:
        chat_endpoint = json.loads(response.read())["endpoint"]
    frames = []
    for _attempt in range(WARM_UP_ATTEMPTS):
        token = ivschat.create_chat_token(roomIdentifier=room_arn, userId="warm-up", capabilities=["SEND_MESSAGE"])
        with connect(chat_endpoint, subprotocols=[token["token"]]) as socket:
            socket.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "warm-up", "RequestId": "warm-up"}))
            frames.append(json.loads(socket.recv(timeout=10)))
        if frames[-1]["Type"] == "MESSAGE":
            return room_arn
    pytest.fail(f"creator1's review handler never delivered a message: {frames}")


@pytest.fixture
def fan_on_live_page(isolated_page, gateways, site_emulator, onboarded, warm_review_handler):
    """`fan_on_live_page(group=None)`: a new fan, signed in (in `group` of creator1's pool), connected to the chat."""
    site_url = gateways["creator1"].url

    def join(group=None):
        page, record = isolated_page()
        email = new_email()
        sign_up(page, site_url, email)
        confirm(page, site_emulator.endpoint_url, email)
        if group:
            # Before signing in, so the ID token carries the group (cognito:groups) that shows the controls.
            add_fan_to_group(site_emulator.endpoint_url, "creator1", email, group)
        sign_in(page, site_url, email)
        page.goto(site_url + "en/live.html", wait_until="domcontentloaded")
        expect(page.locator("[data-chat-state]")).to_have_text(CONNECTED, timeout=TIMEOUT_MS)
        return Fan(page, record, email)

    return join


def chat_token_answer(site_url, id_token):
    """(status, body) of POST /api/chat/token on a creator's gateway with `id_token` as the bearer."""
    request = urllib.request.Request(
        site_url + "api/chat/token", data=b"{}", method="POST", headers={"Authorization": f"Bearer {id_token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def unexpected_console_errors(record):
    """Console errors other than Chromium's line for each answered error status (the playlist's 404, a 403)."""
    return [error for error in record.console_errors if not re.search(r"status of (403|404)", error)]


def test_two_fans_chat_a_moderator_deletes_and_bans_and_markup_stays_text(fan_on_live_page, gateways, screenshot):
    alice = fan_on_live_page()
    moderator = fan_on_live_page(group="moderator")
    hello = f"Hello from Alice {uuid.uuid4().hex[:6]}"
    markup = f"{XSS} {uuid.uuid4().hex[:6]}"  # unique: the history of earlier tests is in the room too

    # A message from one fan appears at the other, and at the sender.
    alice.send(hello)
    expect(moderator.message(hello)).to_be_visible(timeout=TIMEOUT_MS)
    expect(alice.message(hello)).to_be_visible(timeout=TIMEOUT_MS)
    expect(alice.page.get_by_label("Your message")).to_have_value("")

    # Markup is shown as the text it is, and nothing of it runs.
    alice.send(markup)
    for fan in (alice, moderator):
        expect(fan.message(markup)).to_be_visible(timeout=TIMEOUT_MS)
        assert fan.log.locator("img").count() == 0
        assert fan.page.evaluate("() => window.__xss") is None
    screenshot(moderator.page, "live-chat-moderator")

    # Only the moderator has the controls; a deleted message disappears for everyone.
    assert alice.log.get_by_role("button").count() == 0
    moderator.message(hello).get_by_role("button", name=re.compile(r"^Delete")).click()
    for fan in (alice, moderator):
        expect(fan.message(hello)).to_have_count(0, timeout=TIMEOUT_MS)
    expect(alice.message(markup)).to_be_visible()

    # A ban disconnects the fan now: no input any more, and no new token.
    moderator.message(markup).get_by_role("button", name=re.compile(r"^Ban")).click()
    expect(alice.page.locator("[data-chat-banned]")).to_have_text(BANNED, timeout=TIMEOUT_MS)
    expect(alice.page.locator("[data-chat-banned]")).to_be_visible()
    expect(alice.page.get_by_label("Your message")).to_be_hidden()
    status, answer = chat_token_answer(gateways["creator1"].url, alice.id_token())
    assert (status, answer.get("code")) == (403, "banned")
    alice.page.reload(wait_until="domcontentloaded")
    expect(alice.page.locator("[data-chat-banned]")).to_have_text(BANNED, timeout=TIMEOUT_MS)
    expect(alice.page.locator("[data-chat-banned]")).to_be_visible()
    expect(alice.page.get_by_label("Your message")).to_be_hidden()
    expect(alice.log).to_be_hidden()
    screenshot(alice.page, "live-chat-banned")

    for fan in (alice, moderator):
        assert unexpected_console_errors(fan.record) == []
        assert fan.record.page_errors == [] and fan.record.foreign_hosts() == set()


def refused_message(rule):
    """A message that breaks one of creator1's chat rules; a rule creator1 does not set skips the test."""
    if rule == "link":
        return "see https://example.org/now"  # creator_chat_allow_links is off by default
    blocked_words = host_vars("creator1").get("creator_chat_blocked_words") or []
    if not blocked_words:
        pytest.skip("inventories/local/host_vars/creator1.yml sets no creator_chat_blocked_words")
    return f"well {blocked_words[0]} that"


@pytest.mark.parametrize("rule", ["blocked word", "link"])
def test_the_review_handler_refuses_a_message_and_the_page_says_so(fan_on_live_page, rule, screenshot):
    refused = refused_message(rule)
    fan = fan_on_live_page()

    fan.send(refused)

    expect(fan.page.locator("[data-chat-error]")).to_contain_text("refused", timeout=TIMEOUT_MS)
    expect(fan.page.get_by_label("Your message")).to_have_value(refused)  # given back to be changed
    assert fan.page.get_by_label("Your message").get_attribute("aria-invalid") == "true"
    allowed = f"a message within the rules {uuid.uuid4().hex[:6]}"
    fan.send(allowed)
    expect(fan.message(allowed)).to_be_visible(timeout=TIMEOUT_MS)
    expect(fan.page.locator("[data-chat-error]")).to_have_text("")
    assert fan.message(refused).count() == 0
    screenshot(fan.page, f"live-chat-refused-{rule.replace(' ', '-')}")


def test_the_player_shows_the_offline_state_while_the_channel_is_not_live(gateways, isolated_page, screenshot):
    page, record = isolated_page()

    with page.expect_request(lambda request: request.url.endswith(PLAYLIST_PATH)) as playlist:
        page.goto(gateways["creator1"].url + "en/live.html", wait_until="networkidle")

    # hls.js asked for the playlist (a fetch, not the video element's own request): 404, no local stream.
    assert playlist.value.resource_type in ("xhr", "fetch")
    stage = page.locator("#live-player")
    expect(stage).to_have_attribute("data-state", "offline")
    expect(stage.get_by_role("heading", name="The stream is offline right now")).to_be_visible()
    expect(stage.locator("video")).to_be_hidden()
    screenshot(page, "live-offline")

    # Back in a tab that was hidden, the player asks again at once rather than after its 30 seconds.
    with page.expect_request(lambda request: request.url.endswith(PLAYLIST_PATH), timeout=TIMEOUT_MS):
        page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(stage).to_have_attribute("data-state", "offline")
    assert unexpected_console_errors(record) == []
    assert record.page_errors == [] and record.foreign_hosts() == set()


@pytest.mark.parametrize(
    ("page_path", "link_text", "login_path"),
    [("live.html", "Anmelden und mitchatten", "/login.html"), ("en/live.html", "Sign in to chat", "/en/login.html")],
)
def test_signed_out_fans_are_offered_sign_in_instead_of_the_chat(
    gateways, isolated_page, page_path, link_text, login_path
):
    page, record = isolated_page()

    page.goto(gateways["creator1"].url + page_path, wait_until="networkidle")

    link = page.locator("#live-chat").get_by_role("link", name=link_text)
    expect(link).to_be_visible()
    assert link.get_attribute("href") == login_path
    expect(page.locator("[data-chat-form]")).to_be_hidden()
    expect(page.locator("[data-chat-log]")).to_be_hidden()
    assert not any("/api/chat/" in url for url in record.requests)


def test_on_a_phone_the_chat_sits_below_the_player_within_the_screen(gateways, isolated_page, screenshot):
    page, _record = isolated_page()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(gateways["creator1"].url + "en/live.html", wait_until="networkidle")

    stage = page.locator("#live-player").bounding_box()
    chat = page.locator("#live-chat").bounding_box()
    assert chat["y"] >= stage["y"] + stage["height"]
    assert chat["x"] >= 0 and chat["x"] + chat["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "live-phone")


def test_a_creator2_id_token_gets_no_chat_token_from_creator1(gateways, site_emulator, isolated_page):
    page, _record = isolated_page()
    email = new_email()
    # creator2's site is in English only, so its English pages are at the root.
    sign_up(page, gateways["creator2"].url, email, pages="")
    confirm(page, site_emulator.endpoint_url, email, pages="")
    sign_in(page, gateways["creator2"].url, email, pages="")
    token = session(page)["id_token"]

    assert chat_token_answer(gateways["creator2"].url, token)[0] == 200
    assert chat_token_answer(gateways["creator1"].url, token)[0] == 401
