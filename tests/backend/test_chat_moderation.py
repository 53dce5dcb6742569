# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moderation: recent messages per role, deleting a message, banning and unbanning, who may do it, bad input."""

import pytest
from creatorcloud_backend.handlers import chat_review

MESSAGE_IDS = ("AbCdEfGhIj01", "AbCdEfGhIj02", "AbCdEfGhIj03")


@pytest.fixture
def people(sign_up):
    """A fan, a moderator and an admin."""
    return (
        sign_up("fan@example.com"),
        sign_up("mod@example.com", ("moderator",)),
        sign_up("boss@example.com", ("admin",)),
    )


@pytest.fixture
def history(chat_room, people, lambda_context):
    """Three messages of the fan, allowed by the review handler (so in the history), oldest first."""
    fan = people[0]
    for number, message_id in enumerate(MESSAGE_IDS):
        event = {
            "Content": f"hello {number}",
            "MessageId": message_id,
            "RoomArn": chat_room["arn"],
            "Attributes": {},
            "Sender": {"UserId": fan.user_id, "Attributes": {"displayName": "Fan", "role": "fan"}, "Ip": "192.0.2.1"},
        }
        assert chat_review.handler(event, lambda_context)["ReviewResult"] == "ALLOW"
    return MESSAGE_IDS


def test_recent_messages_are_newest_first(people, history, call_chat):
    response = call_chat("GET", "/api/chat/messages", people[0], query={"limit": "2"})
    assert response.status == 200
    assert [message["message_id"] for message in response.body["messages"]] == [history[2], history[1]]
    assert response.body["messages"][0]["message"] == "hello 2"
    assert response.body["messages"][0]["display_name"] == "Fan"


def test_deleting_a_message_calls_ivs_and_marks_it_in_the_history(
    people, history, call_chat, chat_room, backend_aws, ivschat_calls
):
    # GIVEN three messages in the history
    fan, moderator, unused_admin = people
    # WHEN a moderator deletes the middle one
    response = call_chat("DELETE", f"/api/chat/messages/{history[1]}", moderator)
    # THEN IVS removed it from the room and the history marks it deleted
    assert (response.status, response.body) == (200, {"message_id": history[1], "deleted": True})
    assert ivschat_calls == [
        ("DeleteMessage", {"roomIdentifier": chat_room["arn"], "id": history[1], "reason": "moderated"})
    ]
    rows = {row["messageId"]["S"]: row for row in backend_aws.message_rows()}
    assert rows[history[1]]["deleted"] == {"BOOL": True}
    assert rows[history[1]]["deletedBy"] == {"S": moderator.user_id}
    assert [rows[message_id]["deleted"] for message_id in (history[0], history[2])] == [{"BOOL": False}] * 2
    # AND fans no longer see it, moderators see it flagged
    for_fans = call_chat("GET", "/api/chat/messages", fan).body["messages"]
    assert [message["message_id"] for message in for_fans] == [history[2], history[0]]
    for_moderators = call_chat("GET", "/api/chat/messages", moderator).body["messages"]
    assert [(message["message_id"], message["deleted"]) for message in for_moderators] == [
        (history[2], False),
        (history[1], True),
        (history[0], False),
    ]


def test_deleting_an_unknown_message_is_404_without_an_ivs_call(people, history, call_chat, ivschat_calls):
    response = call_chat("DELETE", "/api/chat/messages/ZZZZZZZZZZZZ", people[2])
    assert (response.status, response.body["code"]) == (404, "message_not_found")
    assert ivschat_calls == []


def test_a_ban_persists_disconnects_and_blocks_the_next_token_until_unbanned(
    people, call_chat, chat_room, backend_aws, ivschat_calls
):
    fan, moderator, unused_admin = people
    # WHEN a moderator bans the fan
    response = call_chat("PUT", f"/api/chat/bans/{fan.user_id}", moderator, body={"reason": "spam"})
    # THEN the ban is stored, the fan is disconnected and gets no token
    assert (response.status, response.body) == (200, {"user_id": fan.user_id, "banned": True})
    [ban] = [item for item in backend_aws.table_items() if item["userId"]["S"] == f"ban#{fan.user_id}"]
    assert (ban["kind"], ban["bannedBy"], ban["reason"]) == ({"S": "chat_ban"}, {"S": moderator.user_id}, {"S": "spam"})
    assert ivschat_calls == [
        ("DisconnectUser", {"roomIdentifier": chat_room["arn"], "userId": fan.user_id, "reason": "spam"})
    ]
    assert call_chat("POST", "/api/chat/token", fan).status == 403
    # WHEN the moderator lifts the ban
    response = call_chat("DELETE", f"/api/chat/bans/{fan.user_id}", moderator)
    # THEN the ban is gone and the fan gets a token again
    assert (response.status, response.body) == (200, {"user_id": fan.user_id, "banned": False})
    assert not [item for item in backend_aws.table_items() if item["userId"]["S"].startswith("ban#")]
    assert call_chat("POST", "/api/chat/token", fan).status == 200


def test_an_admin_may_ban_and_nobody_bans_themselves(people, call_chat):
    fan, moderator, admin = people
    assert call_chat("PUT", f"/api/chat/bans/{fan.user_id}", admin, body={}).status == 200
    response = call_chat("PUT", f"/api/chat/bans/{moderator.user_id}", moderator, body={})
    assert (response.status, response.body["code"]) == (409, "cannot_ban_self")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("DELETE", "/api/chat/messages/AbCdEfGhIj01", None),
        ("PUT", "/api/chat/bans/someone", {"reason": "x"}),
        ("DELETE", "/api/chat/bans/someone", None),
    ],
)
def test_a_member_may_not_moderate(people, history, sign_up, call_chat, backend_aws, ivschat_calls, method, path, body):
    member = sign_up("member@example.com", ("member", "premium"))
    rows_before = backend_aws.message_rows()
    response = call_chat(method, path, member, body=body)
    assert (response.status, response.body["code"]) == (403, "forbidden")
    assert call_chat(method, path, body=body).status == 401
    assert ivschat_calls == []
    assert backend_aws.message_rows() == rows_before
    assert not [item for item in backend_aws.table_items() if item["userId"]["S"].startswith("ban#")]


@pytest.mark.parametrize(
    ("method", "path", "body", "query"),
    [
        ("PUT", "/api/chat/bans/someone", {"reason": "x" * 201}, None),
        ("PUT", "/api/chat/bans/someone", {"reason": "spam", "until": "forever"}, None),
        ("PUT", "/api/chat/bans/someone", ["spam"], None),
        ("PUT", "/api/chat/bans/someone", None, None),
        ("PUT", "/api/chat/bans/some%20one", {}, None),
        ("DELETE", "/api/chat/messages/short", None, None),
        ("GET", "/api/chat/messages", None, {"limit": "0"}),
        ("GET", "/api/chat/messages", None, {"limit": "many"}),
    ],
)
def test_bad_input_is_422(people, call_chat, ivschat_calls, method, path, body, query):
    response = call_chat(method, path, people[1], body=body, query=query)
    assert (response.status, response.body["code"]) == (422, "validation_error")
    assert ivschat_calls == []
