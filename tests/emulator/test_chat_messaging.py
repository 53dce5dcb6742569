# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's IVS Chat messaging endpoint, through a WebSocket client as the IVS Chat client library connects.

Rooms and tokens come from the emulated IVS Chat (CreateRoom, CreateChatToken in a creator
account). The review handler is tests/emulator/fixtures/chat_review_fixture.py until
files/backend has creatorcloud_backend.handlers.chat_review: the fixtures directory is put on
the emulator's PYTHONPATH below, at collection, before any worker starts its emulator.
Token expiry and session expiry are tested on a ChatServer in this process, with tokens this
process signs: the emulator's tokens live a minute and its sessions at least one.
"""

import asyncio
import base64
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.exceptions import InvalidStatus

from creatorcloud_emulator.additions import ivschat
from creatorcloud_emulator.additions.chat_tokens import issue_chat_token
from creatorcloud_emulator.chat_messaging.server import ChatServer
from creatorcloud_emulator.launcher import free_port

from . import ACCOUNTS
from . import assumed_role

FIXTURES = Path(__file__).resolve().parent / "fixtures"
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FIXTURES), os.environ.get("PYTHONPATH")]))

REGION = "eu-central-1"
ACCOUNT = ACCOUNTS[0]
REVIEW_FUNCTION = "creatorcloud-creator1-chat-review"
RECEIVE_TIMEOUT = 5


@pytest.fixture
def chat_endpoint(aws):
    return aws.chat_endpoint()


@pytest.fixture
def ivschat_client(aws_client):
    """IVS Chat in the creator account."""
    return aws_client("ivschat", REGION, **assumed_role(aws_client, ACCOUNT))


@pytest.fixture
def room(ivschat_client):
    return ivschat_client.create_room(name="lobby", maximumMessageLength=20, maximumMessageRatePerSecond=50)


@pytest.fixture
def reviewed_room(aws_client, ivschat_client):
    """A room whose review handler is the fixture function (fallbackResult DENY), deployed in the creator account."""
    credentials = assumed_role(aws_client, ACCOUNT)
    lambda_service = {"Service": "lambda.amazonaws.com"}
    trust = {"Statement": [{"Effect": "Allow", "Principal": lambda_service, "Action": "sts:AssumeRole"}]}
    role = aws_client("iam", REGION, **credentials).create_role(
        RoleName=REVIEW_FUNCTION, AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]
    function = aws_client("lambda", REGION, **credentials).create_function(
        FunctionName=REVIEW_FUNCTION,
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="chat_review_fixture.handler",
        Code={"ZipFile": empty_zip()},
        Environment={"Variables": {"REVIEW_TAG": "reviewed-locally"}},
    )
    return ivschat_client.create_room(
        name="reviewed",
        maximumMessageRatePerSecond=50,
        messageReviewHandler={"uri": function["FunctionArn"], "fallbackResult": "DENY"},
    )


def empty_zip():
    """A deployment package: the code itself is run from the repository, as lambda_runtime does."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README", "run from the repository")
    return buffer.getvalue()


def token_for(ivschat_client, room, user_id, capabilities=("SEND_MESSAGE",), **extra):
    return ivschat_client.create_chat_token(
        roomIdentifier=room["arn"], userId=user_id, capabilities=list(capabilities), **extra
    )["token"]


async def receive(websocket):
    """The next frame the endpoint sends, decoded."""
    return json.loads(await asyncio.wait_for(websocket.recv(), RECEIVE_TIMEOUT))


async def send(websocket, **request):
    await websocket.send(json.dumps(request))


async def nothing_arrives(websocket, wait=0.3):
    """True when no frame arrives within `wait` seconds."""
    try:
        await asyncio.wait_for(websocket.recv(), wait)
    except TimeoutError:
        return True
    return False


def refusal_status(endpoint, token):
    """The HTTP status with which the endpoint refuses the handshake."""

    async def attempt():
        with pytest.raises(InvalidStatus) as refused:
            async with connect(endpoint, subprotocols=[token] if token else None):
                pass
        return refused.value.response.status_code

    return asyncio.run(attempt())


def test_the_emulator_reports_its_chat_endpoint(aws):
    assert aws.chat_endpoint() == f"ws://127.0.0.1:{aws.chat_port}"


def test_a_valid_token_connects_and_the_token_is_the_subprotocol(chat_endpoint, ivschat_client, room):
    token = token_for(ivschat_client, room, "fan-1")

    async def scenario():
        async with connect(chat_endpoint, subprotocols=[token]) as websocket:
            return websocket.subprotocol

    assert asyncio.run(scenario()) == token


def test_missing_forged_and_other_account_tokens_are_refused(chat_endpoint, ivschat_client, room):
    token = token_for(ivschat_client, room, "fan-1")
    payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged_payload = base64.urlsafe_b64encode(json.dumps({**claims, "userId": "admin"}).encode()).rstrip(b"=")

    assert refusal_status(chat_endpoint, None) == 401
    assert refusal_status(chat_endpoint, f"{forged_payload.decode()}.{signature}") == 403
    assert refusal_status(chat_endpoint, "not-a-token") == 403


def test_a_token_of_a_deleted_room_is_refused_with_404(chat_endpoint, ivschat_client, room):
    token = token_for(ivschat_client, room, "fan-1")
    ivschat_client.delete_room(identifier=room["arn"])

    assert refusal_status(chat_endpoint, token) == 404


def test_send_message_reaches_everyone_in_the_room_with_sender_and_request_id(chat_endpoint, ivschat_client, room):
    sender_token = token_for(ivschat_client, room, "fan-1", attributes={"displayName": "Ada"})
    reader_token = token_for(ivschat_client, room, "fan-2", capabilities=())

    async def scenario():
        async with (
            connect(chat_endpoint, subprotocols=[sender_token]) as sender,
            connect(chat_endpoint, subprotocols=[reader_token]) as reader,
        ):
            await send(sender, Action="SEND_MESSAGE", RequestId="req-1", Content="hello", Attributes={"k": "v"})
            return await receive(sender), await receive(reader)

    echoed, delivered = asyncio.run(scenario())
    assert echoed == delivered
    assert delivered["Type"] == "MESSAGE"
    assert delivered["Content"] == "hello"
    assert delivered["Attributes"] == {"k": "v"}
    assert delivered["Sender"] == {"UserId": "fan-1", "Attributes": {"displayName": "Ada"}}
    assert delivered["RequestId"] == "req-1"
    assert len(delivered["Id"]) == 12
    assert delivered["SendTime"].endswith("Z")


@pytest.mark.parametrize(
    ("request_fields", "code"),
    [
        ({"Action": "SEND_MESSAGE", "Content": "x" * 21}, 400),
        ({"Action": "SEND_MESSAGE"}, 400),
        ({"Action": "SEND_MESSAGE", "Content": "hi", "Attributes": {"n": 1}}, 400),
        ({"Action": "SHOUT", "Content": "hi"}, 400),
        ({"Action": "DELETE_MESSAGE", "Id": "AbCdEfGhIjKl"}, 403),
        ({"Action": "DISCONNECT_USER", "UserId": "fan-2"}, 403),
    ],
)
def test_refused_requests_answer_an_error_to_the_sender_only(chat_endpoint, ivschat_client, room, request_fields, code):
    sender_token = token_for(ivschat_client, room, "fan-1")
    reader_token = token_for(ivschat_client, room, "fan-2")

    async def scenario():
        async with (
            connect(chat_endpoint, subprotocols=[sender_token]) as sender,
            connect(chat_endpoint, subprotocols=[reader_token]) as reader,
        ):
            await send(sender, RequestId="req-9", **request_fields)
            return await receive(sender), await nothing_arrives(reader)

    error, reader_saw_nothing = asyncio.run(scenario())
    assert error["Type"] == "ERROR"
    assert error["ErrorCode"] == code
    assert error["RequestId"] == "req-9"
    assert error["ErrorMessage"]
    assert reader_saw_nothing


def test_the_rooms_rate_limit_answers_429(chat_endpoint, ivschat_client):
    room = ivschat_client.create_room(maximumMessageRatePerSecond=2)
    token = token_for(ivschat_client, room, "fan-1")

    async def scenario():
        async with connect(chat_endpoint, subprotocols=[token]) as websocket:
            for number in range(3):
                await send(websocket, Action="SEND_MESSAGE", Content=f"m{number}", RequestId=str(number))
            return [await receive(websocket) for number in range(3)]

    frames = asyncio.run(scenario())
    assert [frame["Type"] for frame in frames] == ["MESSAGE", "MESSAGE", "ERROR"]
    assert frames[2]["ErrorCode"] == 429


def test_moderators_delete_messages_and_disconnect_users(chat_endpoint, ivschat_client, room):
    moderator_token = token_for(ivschat_client, room, "mod", capabilities=("DELETE_MESSAGE", "DISCONNECT_USER"))
    fan_token = token_for(ivschat_client, room, "fan-1")

    async def scenario():
        async with (
            connect(chat_endpoint, subprotocols=[moderator_token]) as moderator,
            connect(chat_endpoint, subprotocols=[fan_token]) as fan,
        ):
            await send(moderator, Action="DELETE_MESSAGE", Id="AbCdEfGhIjKl", Reason="spam", RequestId="d1")
            deleted = await receive(fan), await receive(moderator)
            await send(moderator, Action="DISCONNECT_USER", UserId="fan-1", Reason="rude", RequestId="d2")
            disconnected = await receive(fan)
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(fan.recv(), RECEIVE_TIMEOUT)
            return deleted, disconnected, await receive(moderator)

    (deleted, deleted_for_moderator), disconnected, disconnected_for_moderator = asyncio.run(scenario())
    assert deleted == deleted_for_moderator
    assert deleted["Type"] == "EVENT"
    assert deleted["EventName"] == "aws:DELETE_MESSAGE"
    assert deleted["Attributes"] == {"MessageId": "AbCdEfGhIjKl", "MessageID": "AbCdEfGhIjKl", "Reason": "spam"}
    assert deleted["RequestId"] == "d1"
    assert disconnected == disconnected_for_moderator
    assert disconnected["EventName"] == "aws:DISCONNECT_USER"
    assert disconnected["Attributes"] == {"UserId": "fan-1", "Reason": "rude"}


def test_control_plane_delete_message_and_disconnect_user_reach_the_clients(chat_endpoint, ivschat_client, room):
    fan_token = token_for(ivschat_client, room, "fan-1")
    other_token = token_for(ivschat_client, room, "fan-2")

    async def scenario():
        async with (
            connect(chat_endpoint, subprotocols=[fan_token]) as fan,
            connect(chat_endpoint, subprotocols=[other_token]) as other,
        ):
            deletion = await asyncio.to_thread(
                ivschat_client.delete_message, roomIdentifier=room["arn"], id="AbCdEfGhIjKl", reason="spam"
            )
            deleted = await receive(fan), await receive(other)
            await asyncio.to_thread(ivschat_client.disconnect_user, roomIdentifier=room["arn"], userId="fan-1")
            disconnected = await receive(fan), await receive(other)
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(fan.recv(), RECEIVE_TIMEOUT)
            await send(other, Action="SEND_MESSAGE", Content="still here")
            return deletion["id"], deleted, disconnected, await receive(other)

    deletion_id, deleted, disconnected, after = asyncio.run(scenario())
    assert deleted[0] == deleted[1]
    assert deleted[0]["Id"] == deletion_id
    assert deleted[0]["EventName"] == "aws:DELETE_MESSAGE"
    assert deleted[0]["Attributes"]["MessageId"] == "AbCdEfGhIjKl"
    assert disconnected[0]["EventName"] == disconnected[1]["EventName"] == "aws:DISCONNECT_USER"
    assert disconnected[0]["Attributes"]["UserId"] == "fan-1"
    assert after["Content"] == "still here"


def test_two_rooms_are_isolated(chat_endpoint, aws_client, ivschat_client, room):
    other_account = aws_client("ivschat", REGION, **assumed_role(aws_client, ACCOUNTS[1]))
    other_room = other_account.create_room(name="lobby")
    here = token_for(ivschat_client, room, "fan-1")
    there = token_for(other_account, other_room, "fan-1")

    async def scenario():
        async with (
            connect(chat_endpoint, subprotocols=[here]) as first,
            connect(chat_endpoint, subprotocols=[there]) as second,
        ):
            await send(first, Action="SEND_MESSAGE", Content="only here")
            first_message = await receive(first)
            await asyncio.to_thread(other_account.delete_message, roomIdentifier=other_room["arn"], id="AbCdEfGhIjKl")
            second_frame = await receive(second)
            return first_message, second_frame, await nothing_arrives(first)

    first_message, second_frame, nothing_else_here = asyncio.run(scenario())
    assert first_message["Content"] == "only here"
    assert second_frame["EventName"] == "aws:DELETE_MESSAGE"  # not "only here": the other room's first frame
    assert nothing_else_here


def test_review_handler_allows_rewrites_denies_and_falls_back(chat_endpoint, ivschat_client, reviewed_room):
    sender_token = token_for(ivschat_client, reviewed_room, "fan-1")
    reader_token = token_for(ivschat_client, reviewed_room, "fan-2")

    async def scenario():
        async with (
            connect(chat_endpoint, subprotocols=[sender_token]) as sender,
            connect(chat_endpoint, subprotocols=[reader_token]) as reader,
        ):
            await send(sender, Action="SEND_MESSAGE", Content="hello", Attributes={"k": "v"})
            allowed = await receive(reader)
            await receive(sender)
            await send(sender, Action="SEND_MESSAGE", Content="shout it")
            rewritten = await receive(reader)
            await receive(sender)
            await send(sender, Action="SEND_MESSAGE", Content="deny me", RequestId="r3")
            denied = await receive(sender), await nothing_arrives(reader)
            await send(sender, Action="SEND_MESSAGE", Content="crash", RequestId="r4")
            fallback = await receive(sender), await nothing_arrives(reader)
            return allowed, rewritten, denied, fallback

    allowed, rewritten, denied, fallback = asyncio.run(scenario())
    assert allowed["Content"] == "hello"
    assert allowed["Attributes"] == {"k": "v", "reviewed": "reviewed-locally", "by": REVIEW_FUNCTION}
    assert rewritten["Content"] == "SHOUT IT"
    assert denied[0]["ErrorCode"] == 406
    assert denied[0]["RequestId"] == "r3"
    assert denied[1]
    assert fallback[0]["ErrorCode"] == 406  # the handler raised: fallbackResult DENY
    assert fallback[1]


def test_a_review_handler_that_times_out_gets_the_fallback(chat_endpoint, ivschat_client, reviewed_room):
    ivschat_client.update_room(
        identifier=reviewed_room["arn"],
        messageReviewHandler={**reviewed_room["messageReviewHandler"], "fallbackResult": "ALLOW"},
    )
    token = token_for(ivschat_client, reviewed_room, "fan-1")

    async def scenario():
        async with connect(chat_endpoint, subprotocols=[token]) as websocket:
            await send(websocket, Action="SEND_MESSAGE", Content="slow")
            return await receive(websocket)

    assert asyncio.run(scenario())["Content"] == "slow"


@pytest.fixture
def local_chat_server():
    """A ChatServer in this process, on a room of this process's IVS Chat backend, with tokens this process signs."""
    server = ChatServer("127.0.0.1", free_port(), "http://127.0.0.1:1")
    server.start()
    room = ivschat.ivschat_backends[ACCOUNT][REGION].create_room({"name": "local"})
    yield server, room
    server.stop()
    ivschat.ivschat_backends[ACCOUNT][REGION].rooms.clear()


def local_token(room, expires_in, session_expires_in):
    now = time.time()
    claims = {
        "roomArn": room["arn"],
        "account": ACCOUNT,
        "region": REGION,
        "userId": "fan-1",
        "capabilities": ["SEND_MESSAGE"],
        "attributes": {},
        "expiresAt": now + expires_in,
        "sessionExpiresAt": now + session_expires_in,
    }
    return issue_chat_token(claims)


def test_an_expired_token_is_refused(local_chat_server):
    server, room = local_chat_server

    assert refusal_status(server.endpoint, local_token(room, -1, 60)) == 403


def test_the_session_expiry_closes_the_connection(local_chat_server):
    server, room = local_chat_server
    token = local_token(room, 60, 1)

    async def scenario():
        async with connect(server.endpoint, subprotocols=[token]) as websocket:
            started = time.monotonic()
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(websocket.recv(), RECEIVE_TIMEOUT)
            return time.monotonic() - started

    assert asyncio.run(scenario()) < 3
