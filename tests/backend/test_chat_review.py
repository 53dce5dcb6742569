# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The message review handler: ALLOW writes exactly one history row, DENY writes none, it never raises."""

import json

import pytest
from creatorcloud_backend.handlers import chat_review


@pytest.fixture
def review(chat_room, backend_aws, lambda_context, monkeypatch):
    """review(content, **env) -> the handler's result for a fan's message with the chat function's environment."""
    monkeypatch.setenv("CHAT_BLOCKED_WORDS", json.dumps(["darn", "Heck"]))
    monkeypatch.setenv("CHAT_ALLOW_LINKS", "false")
    monkeypatch.setenv("CHAT_MAX_MESSAGE_LENGTH", "40")

    def run(content, message_id="AbCdEfGhIj01", **env):
        """Review one message."""
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        event = {
            "Content": content,
            "MessageId": message_id,
            "RoomArn": chat_room["arn"],
            "Attributes": {"kind": "text"},
            "Sender": {"UserId": "fan-1", "Attributes": {"displayName": "Ada", "role": "fan"}, "Ip": "192.0.2.1"},
        }
        return chat_review.handler(event, lambda_context)

    return run


def test_an_allowed_message_is_written_once_as_sent(review, backend_aws, chat_room):
    result = review("What a <b>great</b> stream!")
    assert result == {"ReviewResult": "ALLOW", "Content": "What a <b>great</b> stream!", "Attributes": {"kind": "text"}}
    [row] = backend_aws.message_rows()
    assert row["streamId"] == {"S": "room#" + chat_room["id"]}
    sent_at, message_id = row["timestamp"]["S"].split("#")
    assert message_id == "AbCdEfGhIj01"
    assert sent_at.endswith("+00:00") and len(sent_at.split(".")[1]) == len("123+00:00")
    assert {name: row[name] for name in ("messageId", "userId", "displayName", "message", "deleted")} == {
        "messageId": {"S": "AbCdEfGhIj01"},
        "userId": {"S": "fan-1"},
        "displayName": {"S": "Ada"},
        "message": {"S": "What a <b>great</b> stream!"},
        "deleted": {"BOOL": False},
    }


def test_markup_is_stored_and_passed_on_unchanged(review, backend_aws):
    attack = "<img src=x onerror=alert(1)>"
    assert review(attack)["Content"] == attack
    assert [row["message"]["S"] for row in backend_aws.message_rows()] == [attack]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("oh darn it", "blocked_word"),
        ("DARN!", "blocked_word"),
        ("what the heck", "blocked_word"),
        ("see https://spam.example", "link"),
        ("see http://spam.example", "link"),
        ("go to WWW.spam.example", "link"),
        ("x" * 41, "too_long"),
    ],
)
def test_a_denied_message_writes_nothing(review, backend_aws, content, reason):
    assert review(content) == {"ReviewResult": "DENY", "Attributes": {"Reason": reason}}
    assert backend_aws.message_rows() == []


@pytest.mark.parametrize("content", ["darning socks", "undarned", "heckle", "x" * 40])
def test_words_only_match_whole(review, backend_aws, content):
    assert review(content)["ReviewResult"] == "ALLOW"
    assert len(backend_aws.message_rows()) == 1


def test_links_pass_when_allowed(review, backend_aws):
    assert review("https://creator.example/shop", CHAT_ALLOW_LINKS="true")["ReviewResult"] == "ALLOW"
    assert len(backend_aws.message_rows()) == 1


def test_an_internal_error_denies_and_logs(review, backend_aws, monkeypatch, caplog):
    # GIVEN a history table that does not exist (a misconfigured function)
    monkeypatch.setenv("MESSAGES_TABLE", "NoSuchTable")
    # WHEN a message is reviewed THEN it is denied, not raised to IVS, and the failure is logged
    assert review("hello") == {"ReviewResult": "DENY", "Attributes": {"Reason": "internal_error"}}
    assert backend_aws.message_rows() == []
    assert "message review failed" in caplog.text


def test_a_broken_blocked_words_setting_denies(review, backend_aws):
    assert review("hello", CHAT_BLOCKED_WORDS="not json")["ReviewResult"] == "DENY"
    assert backend_aws.message_rows() == []
