# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GDPR: a fan's export has their chat messages and ban; erasure removes them, and only theirs."""

import pytest
from creatorcloud_backend.domain import chat
from creatorcloud_backend.handlers import chat_review


@pytest.fixture
def chatted(sign_up, call_api, call_chat, chat_room, lambda_context):
    """Ada and Bob each sent two messages; a moderator banned Ada. Returns (ada, bob, moderator)."""
    ada, bob = sign_up("ada@example.com"), sign_up("bob@example.com")
    moderator = sign_up("mod@example.com", ("moderator",))
    for number, fan in enumerate((ada, bob, ada, bob)):
        event = {
            "Content": f"message {number} of {fan.email}",
            "MessageId": f"AbCdEfGhIj{number:02d}",
            "RoomArn": chat_room["arn"],
            "Attributes": {},
            "Sender": {"UserId": fan.user_id, "Attributes": {"displayName": fan.email}, "Ip": "192.0.2.1"},
        }
        assert chat_review.handler(event, lambda_context)["ReviewResult"] == "ALLOW"
    assert call_chat("PUT", f"/api/chat/bans/{ada.user_id}", moderator, body={"reason": "spam"}).status == 200
    return ada, bob, moderator


def test_the_export_has_the_fans_messages_and_ban(chatted, call_api):
    ada, unused_bob, moderator = chatted
    exported = call_api("GET", "/api/me/export", ada).body["chat"]
    assert [row["message"] for row in exported["messages"]] == [
        "message 0 of ada@example.com",
        "message 2 of ada@example.com",
    ]
    assert {row["userId"] for row in exported["messages"]} == {ada.user_id}
    assert (exported["ban"]["bannedBy"], exported["ban"]["reason"]) == (moderator.user_id, "spam")


def test_erasure_removes_the_fans_messages_and_ban_only(chatted, call_api, call_chat, backend_aws):
    ada, bob, moderator = chatted
    # WHEN Ada erases her data
    response = call_api("DELETE", "/api/me", ada)
    # THEN her messages and ban are gone; Bob's messages stay
    assert response.status == 200 and "chat" in response.body["erased"]
    assert sorted(row["message"]["S"] for row in backend_aws.message_rows()) == [
        "message 1 of bob@example.com",
        "message 3 of bob@example.com",
    ]
    assert not [item for item in backend_aws.table_items() if item["userId"]["S"].startswith("ban#")]
    assert [message["user_id"] for message in call_chat("GET", "/api/chat/messages", moderator).body["messages"]] == [
        bob.user_id,
        bob.user_id,
    ]
    # AND erasing Ada's chat data again is a no-op (an interrupted erasure is finished by running it again)
    rows_after = backend_aws.message_rows()
    chat.erase_chat(ada.user_id)
    assert backend_aws.message_rows() == rows_after
