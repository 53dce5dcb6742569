# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /api/chat/token: capabilities and attributes per role, banned fans refused, no token without a fan."""

import pytest

from creatorcloud_emulator.additions.ivschat import verify_chat_token

FAN_CAPABILITIES = ["SEND_MESSAGE"]
MODERATOR_CAPABILITIES = ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]


@pytest.mark.parametrize(
    ("groups", "role", "caps"),
    [
        ((), "fan", FAN_CAPABILITIES),
        (("member",), "fan", FAN_CAPABILITIES),
        (("moderator",), "moderator", MODERATOR_CAPABILITIES),
        (("admin",), "admin", MODERATOR_CAPABILITIES),
    ],
)
def test_a_token_carries_the_role_and_its_capabilities(sign_up, call_api, call_chat, chat_room, groups, role, caps):
    # GIVEN a fan in the groups, with a display name
    fan = sign_up("ada@example.com", groups)
    assert call_api("PUT", "/api/me", fan, body={"display_name": "Ada L.", "username": "ada"}).status == 200
    # WHEN they ask for a chat token
    response = call_chat("POST", "/api/chat/token", fan)
    # THEN the token is for the room, the fan, their role's capabilities and their name
    assert response.status == 200
    assert set(response.body) == {"token", "sessionExpirationTime", "tokenExpirationTime", "endpoint"}
    assert response.body["endpoint"] is None
    claims = verify_chat_token(response.body["token"])
    assert claims["roomArn"] == chat_room["arn"]
    assert claims["userId"] == fan.user_id
    assert claims["capabilities"] == caps
    assert claims["attributes"] == {"displayName": "Ada L.", "role": role}
    assert response.body["sessionExpirationTime"] > response.body["tokenExpirationTime"]


def test_the_display_name_falls_back_to_the_email(sign_up, call_chat):
    fan = sign_up("grace@example.com")
    token = call_chat("POST", "/api/chat/token", fan).body["token"]
    assert verify_chat_token(token)["attributes"]["displayName"] == "grace"


def test_no_token_without_a_signed_in_fan(call_chat, ivschat_calls):
    response = call_chat("POST", "/api/chat/token")
    assert (response.status, response.body["code"]) == (401, "unauthorized")
    assert ivschat_calls == []


def test_a_banned_fan_gets_403_and_no_token(sign_up, call_chat, ivschat_calls):
    # GIVEN a fan a moderator has banned
    moderator = sign_up("mod@example.com", ("moderator",))
    fan = sign_up("troll@example.com")
    assert call_chat("PUT", f"/api/chat/bans/{fan.user_id}", moderator, body={"reason": "spam"}).status == 200
    ivschat_calls.clear()
    # WHEN the fan asks for a token
    response = call_chat("POST", "/api/chat/token", fan)
    # THEN 403 banned, and IVS was never asked for a token
    assert (response.status, response.body["code"]) == (403, "banned")
    assert "token" not in response.body
    assert ivschat_calls == []
