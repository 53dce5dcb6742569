# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IVS Chat, which moto lacks: rooms, logging configurations, tags, chat tokens and moderation."""

import base64
import json
import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from . import aws_error
from . import clients_in_accounts

REGION = "eu-central-1"
ACCOUNT = "123456789012"
HANDLER = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:review"
UNKNOWN_ROOM = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/AbCdEfGhIjKl"
UNKNOWN_LOGGING = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:logging-configuration/AbCdEfGhIjKl"


@pytest.fixture
def chat(aws_client):
    return aws_client("ivschat", REGION)


def logging_configuration(chat, name="logs"):
    return chat.create_logging_configuration(name=name, destinationConfiguration={"s3": {"bucketName": "chat-logs"}})


def without_metadata(response):
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def settings_of(room):
    return room["name"], room["maximumMessageLength"], room["maximumMessageRatePerSecond"]


def claims_of(token):
    """The claims in a chat token's payload (read, not verified: the emulator signed it, not this process)."""
    payload = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_room_round_trip(chat):
    logs = logging_configuration(chat)["arn"]
    room = without_metadata(
        chat.create_room(
            name="lobby",
            maximumMessageLength=200,
            maximumMessageRatePerSecond=5,
            messageReviewHandler={"uri": HANDLER},
            loggingConfigurationIdentifiers=[logs],
            tags={"creator": "ada"},
        )
    )

    assert re.fullmatch(rf"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/[a-zA-Z0-9]{{12}}", room["arn"])
    assert room["arn"].endswith("/" + room["id"])
    assert isinstance(room["createTime"], datetime) and room["updateTime"] == room["createTime"]
    assert room["messageReviewHandler"] == {"uri": HANDLER, "fallbackResult": "ALLOW"}
    assert settings_of(room) == ("lobby", 200, 5)
    assert (room["loggingConfigurationIdentifiers"], room["tags"]) == ([logs], {"creator": "ada"})
    assert without_metadata(chat.get_room(identifier=room["arn"])) == room

    updated = without_metadata(chat.update_room(identifier=room["arn"], name="hall", maximumMessageLength=500))
    assert settings_of(updated) == ("hall", 500, 5)
    assert updated["updateTime"] >= room["updateTime"] and updated["createTime"] == room["createTime"]

    chat.delete_room(identifier=room["arn"])
    with aws_error("ResourceNotFoundException", 404):
        chat.get_room(identifier=room["arn"])


def test_room_defaults(chat):
    room = chat.create_room()

    assert settings_of(room) == ("", 500, 10)
    assert (room["loggingConfigurationIdentifiers"], room["tags"]) == ([], {})


def test_list_rooms_pages_and_filters(chat):
    logs = logging_configuration(chat)["arn"]
    chat.create_room(name="reviewed", messageReviewHandler={"uri": HANDLER})
    chat.create_room(name="logged", loggingConfigurationIdentifiers=[logs])
    chat.create_room(name="plain")

    first = chat.list_rooms(maxResults=2)
    second = chat.list_rooms(maxResults=2, nextToken=first["nextToken"])
    assert [room["name"] for room in first["rooms"] + second["rooms"]] == ["reviewed", "logged", "plain"]
    assert "nextToken" not in second
    assert set(first["rooms"][0]) == {
        "arn",
        "id",
        "name",
        "messageReviewHandler",
        "createTime",
        "updateTime",
        "tags",
        "loggingConfigurationIdentifiers",
    }
    assert [room["name"] for room in chat.list_rooms(name="plain")["rooms"]] == ["plain"]
    assert [room["name"] for room in chat.list_rooms(messageReviewHandlerUri=HANDLER)["rooms"]] == ["reviewed"]
    assert [room["name"] for room in chat.list_rooms(loggingConfigurationIdentifier=logs)["rooms"]] == ["logged"]
    with aws_error("ValidationException", 400):
        chat.list_rooms(name="plain", nextToken=first["nextToken"])


@pytest.mark.parametrize(
    "request_",
    [
        {"name": "spaces are not allowed"},
        {"maximumMessageLength": 501},
        {"maximumMessageRatePerSecond": 101},
        {"messageReviewHandler": {"uri": "https://example.com/review"}},
    ],
)
def test_room_bad_input(chat, request_):
    with aws_error("ValidationException", 400) as excinfo:
        chat.create_room(**request_)
    field = excinfo.value.response["fieldList"][0]["name"]
    assert field.split(".")[0] in request_


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda chat: chat.get_room(identifier=UNKNOWN_ROOM), "ResourceNotFoundException"),
        (lambda chat: chat.update_room(identifier=UNKNOWN_ROOM, name="x"), "ResourceNotFoundException"),
        (lambda chat: chat.delete_room(identifier=UNKNOWN_ROOM), "ResourceNotFoundException"),
        (lambda chat: chat.create_room(loggingConfigurationIdentifiers=[UNKNOWN_LOGGING]), "ResourceNotFoundException"),
        (lambda chat: chat.get_logging_configuration(identifier=UNKNOWN_LOGGING), "ResourceNotFoundException"),
        (lambda chat: chat.delete_logging_configuration(identifier=UNKNOWN_LOGGING), "ResourceNotFoundException"),
        (lambda chat: chat.list_tags_for_resource(resourceArn=UNKNOWN_ROOM), "ResourceNotFoundException"),
        (lambda chat: chat.create_chat_token(roomIdentifier=UNKNOWN_ROOM, userId="u"), "ResourceNotFoundException"),
        (lambda chat: chat.delete_message(roomIdentifier=UNKNOWN_ROOM, id="AbCdEfGhIjKl"), "ResourceNotFoundException"),
        (lambda chat: chat.disconnect_user(roomIdentifier=UNKNOWN_ROOM, userId="u"), "ResourceNotFoundException"),
        (lambda chat: chat.get_room(identifier="AbCdEfGhIjKl"), "ValidationException"),
    ],
)
def test_unknown_or_malformed_identifiers(chat, call, code):
    with aws_error(code):
        call(chat)


def test_room_not_found_names_the_room(chat):
    with aws_error("ResourceNotFoundException", 404) as excinfo:
        chat.get_room(identifier=UNKNOWN_ROOM)
    assert (excinfo.value.response["resourceId"], excinfo.value.response["resourceType"]) == ("AbCdEfGhIjKl", "ROOM")


def test_logging_configuration_round_trip(chat):
    created = without_metadata(logging_configuration(chat))

    assert re.fullmatch(rf"arn:aws:ivschat:{REGION}:{ACCOUNT}:logging-configuration/[a-zA-Z0-9]{{12}}", created["arn"])
    assert (created["state"], created["name"]) == ("ACTIVE", "logs")
    assert created["destinationConfiguration"] == {"s3": {"bucketName": "chat-logs"}}
    assert without_metadata(chat.get_logging_configuration(identifier=created["arn"])) == created
    assert chat.list_logging_configurations()["loggingConfigurations"] == [created]

    updated = chat.update_logging_configuration(
        identifier=created["arn"], destinationConfiguration={"cloudWatchLogs": {"logGroupName": "/chat/lobby"}}
    )
    assert updated["destinationConfiguration"] == {"cloudWatchLogs": {"logGroupName": "/chat/lobby"}}
    assert updated["state"] == "ACTIVE" and updated["name"] == "logs"

    chat.delete_logging_configuration(identifier=created["arn"])
    assert chat.list_logging_configurations()["loggingConfigurations"] == []


def test_logging_configuration_bad_input(chat):
    with aws_error("ValidationException", 400):
        chat.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "Not_A_Bucket"}})


def test_tags(chat):
    resources = [chat.create_room(tags={"a": "1"})["arn"], logging_configuration(chat)["arn"]]
    for arn in resources:
        chat.tag_resource(resourceArn=arn, tags={"b": "2", "c": "3"})
        chat.untag_resource(resourceArn=arn, tagKeys=["a", "c"])
        assert chat.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert chat.get_room(identifier=resources[0])["tags"] == {"b": "2"}


def test_create_chat_token(chat):
    room = chat.create_room(name="lobby")["arn"]
    before = datetime.now(UTC)
    response = chat.create_chat_token(
        roomIdentifier=room,
        userId="viewer-1",
        capabilities=["SEND_MESSAGE", "DELETE_MESSAGE"],
        sessionDurationInMinutes=30,
        attributes={"displayName": "Ada"},
    )

    assert timedelta(seconds=50) < response["tokenExpirationTime"] - before < timedelta(minutes=2)
    assert timedelta(minutes=29) < response["sessionExpirationTime"] - before < timedelta(minutes=31)
    claims = claims_of(response["token"])
    assert claims["roomArn"] == room and claims["account"] == ACCOUNT and claims["userId"] == "viewer-1"
    assert claims["capabilities"] == ["SEND_MESSAGE", "DELETE_MESSAGE"]
    assert claims["attributes"] == {"displayName": "Ada"}
    assert claims["expiresAt"] == int(response["tokenExpirationTime"].timestamp())


@pytest.mark.parametrize(
    "request_",
    [{"capabilities": ["FLY"]}, {"sessionDurationInMinutes": 181}, {"attributes": {"big": "x" * 1100}}],
)
def test_create_chat_token_bad_input(chat, request_):
    room = chat.create_room()["arn"]
    with aws_error("ValidationException", 400):
        chat.create_chat_token(roomIdentifier=room, userId="viewer-1", **request_)


def test_verify_chat_token():
    from creatorcloud_emulator.additions.chat_tokens import InvalidChatToken
    from creatorcloud_emulator.additions.chat_tokens import issue_chat_token
    from creatorcloud_emulator.additions.ivschat import verify_chat_token

    token = issue_chat_token({"roomArn": UNKNOWN_ROOM, "userId": "u", "expiresAt": 2_000_000_000})

    assert verify_chat_token(token, now=1_999_999_999)["userId"] == "u"
    payload, signature = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"userId": "mallory", "expiresAt": 3_000_000_000}).encode())
    for bad in (f"{forged.decode().rstrip('=')}.{signature}", f"{payload}.{signature[:-4]}AAAA", "garbage", ""):
        with pytest.raises(InvalidChatToken):
            verify_chat_token(bad, now=1_999_999_999)
    with pytest.raises(InvalidChatToken, match="expired"):
        verify_chat_token(token, now=2_000_000_000)


def test_tokens_of_another_emulator_process_are_refused(chat):
    from creatorcloud_emulator.additions.ivschat import verify_chat_token

    room = chat.create_room()["arn"]
    with pytest.raises(ValueError, match="not issued by this emulator"):
        verify_chat_token(chat.create_chat_token(roomIdentifier=room, userId="u")["token"])


def test_delete_message_and_disconnect_user(chat):
    room = chat.create_room()["arn"]

    deletion = chat.delete_message(roomIdentifier=room, id="AbCdEfGhIjKl", reason="spam")["id"]
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", deletion)
    chat.disconnect_user(roomIdentifier=room, userId="viewer-1", reason="spam")
    with aws_error("ValidationException", 400):
        chat.delete_message(roomIdentifier=room, id="not-an-id!!!")


def test_reset_forgets_everything(aws, chat):
    room = chat.create_room()["arn"]
    logging_configuration(chat)

    aws.reset_state()

    assert chat.list_rooms()["rooms"] == []
    assert chat.list_logging_configurations()["loggingConfigurations"] == []
    with aws_error("ResourceNotFoundException"):
        chat.get_room(identifier=room)


def test_accounts_are_isolated(aws_client):
    first, second = clients_in_accounts(aws_client, "ivschat", REGION)
    room = first.create_room(name="lobby")["arn"]
    logs = logging_configuration(first)["arn"]
    second.create_room(name="other")

    assert room.split(":")[4] == "111111111111"
    assert [found["arn"] for found in first.list_rooms()["rooms"]] == [room]
    assert [found["name"] for found in second.list_rooms()["rooms"]] == ["other"]
    assert second.list_logging_configurations()["loggingConfigurations"] == []
    for call in (
        lambda: second.get_room(identifier=room),
        lambda: second.create_chat_token(roomIdentifier=room, userId="u"),
        lambda: second.get_logging_configuration(identifier=logs),
    ):
        with aws_error("ResourceNotFoundException"):
            call()


def test_regions_are_isolated(aws_client, chat):
    room = chat.create_room()["arn"]

    assert aws_client("ivschat", "us-east-1").list_rooms()["rooms"] == []
    with aws_error("ResourceNotFoundException"):
        aws_client("ivschat", "us-east-1").get_room(identifier=room)
