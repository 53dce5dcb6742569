# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chat messaging endpoint: an asyncio WebSocket server in its own thread of the emulator process.

A client connects with its chat token (CreateChatToken) as the WebSocket subprotocol, as the
IVS Chat client library does; the token is verified by this process (its secret is per process)
and names the room, the user, their attributes and capabilities. Rooms are read from the
emulator's IVS Chat backend on every request, so UpdateRoom applies at once.
"""

import asyncio
import collections
import contextlib
import http
import json
import logging
import threading
import time
import weakref

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

from creatorcloud_emulator.additions import ivschat
from creatorcloud_emulator.additions.chat_tokens import InvalidChatToken
from creatorcloud_emulator.additions.chat_tokens import verify_chat_token
from creatorcloud_emulator.json_answer import json_response

from . import protocol
from .review import MessageReview
from .review import review_event

CHAT_PATH = "/_creatorcloud/chat"
# How long a control-plane DeleteMessage/DisconnectUser waits for its event to be sent.
PUBLISH_TIMEOUT_SECONDS = 5

log = logging.getLogger("creatorcloud_emulator.chat")


class Participant:
    """One connection: the token's claims (user, attributes, capabilities, room) and its socket."""

    def __init__(self, websocket, claims):
        self.websocket = websocket
        self.room_arn = claims["roomArn"]
        self.account = claims["account"]
        self.region = claims["region"]
        self.user_id = claims["userId"]
        self.attributes = claims.get("attributes", {})
        self.capabilities = frozenset(claims.get("capabilities", ()))
        self.session_expires_at = claims["sessionExpiresAt"]

    @property
    def ip(self):
        """The client's address, as the review event's Sender.Ip."""
        return self.websocket.remote_address[0]


class ChatRoom:
    """The participants connected to one room and the send times that its rate limit counts."""

    def __init__(self):
        self.participants = set()
        self.recent_sends = collections.deque()

    def take_send_slot(self, per_second, now):
        """True, and the send counted, when the room sent fewer than `per_second` messages in the last second."""
        while self.recent_sends and now - self.recent_sends[0] >= 1:
            self.recent_sends.popleft()
        if len(self.recent_sends) >= per_second:
            return False
        self.recent_sends.append(now)
        return True


def find_room(account, region, room_arn):
    """The room as the emulator's IVS Chat stores it, or None when it was deleted."""
    return ivschat.ivschat_backends[account][region].rooms.get(room_arn)


class ChatServer:
    """The WebSocket endpoint: started in a thread with its own event loop, stopped with the emulator."""

    def __init__(self, host, port, emulator_endpoint):
        self.host = host
        self.port = port
        self.review = MessageReview(emulator_endpoint)
        self.rooms = collections.defaultdict(ChatRoom)
        # Claims of verified handshakes until their connection starts; weak, so an aborted one is forgotten.
        self._handshakes = weakref.WeakKeyDictionary()
        self._loop = None
        self._thread = None
        self._stopped = None

    @property
    def endpoint(self):
        return f"ws://{self.host}:{self.port}"

    def start(self):
        """Serve in a daemon thread; returns once the port is bound (raises if it cannot be)."""
        started = threading.Event()
        failure = []
        self._thread = threading.Thread(target=self._run, args=(started, failure), name="chat-messaging", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise failure[0]
        ivschat.MODERATION_LISTENERS.append(self.publish_moderation)

    def stop(self):
        """Close every connection and the server, and end the thread."""
        if self.publish_moderation in ivschat.MODERATION_LISTENERS:
            ivschat.MODERATION_LISTENERS.remove(self.publish_moderation)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
            self._thread.join(timeout=10)

    def _run(self, started, failure):
        self._loop = asyncio.new_event_loop()
        self._stopped = asyncio.Event()
        try:
            self._loop.run_until_complete(self._serve(started))
        except OSError as error:
            failure.append(error)
            started.set()
        finally:
            self._loop.close()

    async def _serve(self, started):
        async with serve(
            self._converse,
            self.host,
            self.port,
            process_request=self._verify_token,
            select_subprotocol=self._select_token,
            ping_interval=None,
        ):
            started.set()
            await self._stopped.wait()

    def _verify_token(self, connection, request):
        """Refuse the handshake as IVS does: 401 without a token, 403 for an invalid one, 404 without the room."""
        token = request.headers.get("Sec-WebSocket-Protocol", "").split(",")[0].strip()
        if not token:
            return connection.respond(http.HTTPStatus.UNAUTHORIZED, "The chat token is missing\n")
        try:
            claims = verify_chat_token(token)
        except InvalidChatToken as error:
            return connection.respond(http.HTTPStatus.FORBIDDEN, f"{error}\n")
        if find_room(claims["account"], claims["region"], claims["roomArn"]) is None:
            return connection.respond(http.HTTPStatus.NOT_FOUND, f"Room {claims['roomArn']} not found\n")
        self._handshakes[connection] = claims
        return None

    def _select_token(self, connection, subprotocols):
        """Answer with the token the client offered, as IVS does, so browsers accept the handshake."""
        return subprotocols[0] if subprotocols and connection in self._handshakes else None

    async def _converse(self, websocket):
        participant = Participant(websocket, self._handshakes.pop(websocket))
        room = self.rooms[participant.room_arn]
        room.participants.add(participant)
        expiry = asyncio.get_running_loop().call_later(
            max(0, participant.session_expires_at - time.time()), self._expire, participant
        )
        try:
            async for text in websocket:
                await self._answer(participant, text)
        except ConnectionClosed:
            pass
        finally:
            expiry.cancel()
            room.participants.discard(participant)
            if not room.participants:
                self.rooms.pop(participant.room_arn, None)

    def _expire(self, participant):
        """The token's session is over: IVS closes the connection."""
        asyncio.ensure_future(participant.websocket.close(1000, "Session expired"))

    async def _answer(self, participant, text):
        """Carry out one request of a participant; a refused one is answered with an ERROR to them only."""
        request = {}
        try:
            request = protocol.decode_request(text)
            protocol.check_request(request, participant.capabilities)
            room = find_room(participant.account, participant.region, participant.room_arn)
            if room is None:
                raise protocol.ChatError(protocol.NOT_FOUND, f"Room {participant.room_arn} not found")
            await ACTIONS[request["Action"]](self, participant, room, request)
        except protocol.ChatError as error:
            frame = protocol.error_frame(error, request)
            await _send(participant, frame)

    async def _send_message(self, participant, room, request):
        if len(request["Content"]) > room["maximumMessageLength"]:
            raise protocol.ChatError(
                protocol.BAD_REQUEST, f"Messages must be at most {room['maximumMessageLength']} characters"
            )
        if not self.rooms[room["arn"]].take_send_slot(room["maximumMessageRatePerSecond"], time.monotonic()):
            raise protocol.ChatError(
                protocol.TOO_MANY_REQUESTS,
                f"The room allows {room['maximumMessageRatePerSecond']} messages per second",
            )
        message_id = protocol.new_id()
        event = review_event(
            room["arn"],
            message_id,
            request["Content"],
            request.get("Attributes", {}),
            participant.user_id,
            participant.attributes,
            participant.ip,
        )
        verdict = await self.review.review(room, event)
        if not verdict.allowed:
            raise protocol.ChatError(protocol.NOT_ACCEPTABLE, "The message was rejected during message review")
        frame = protocol.message_frame(
            message_id,
            verdict.content,
            verdict.attributes,
            participant.user_id,
            participant.attributes,
            request.get("RequestId"),
        )
        await self.broadcast(room["arn"], frame)

    async def _delete_message(self, participant, room, request):
        frame = protocol.delete_message_event(request["Id"], request.get("Reason"), request_id=request.get("RequestId"))
        await self.broadcast(room["arn"], frame)

    async def _disconnect_user(self, participant, room, request):
        frame = protocol.disconnect_user_event(
            request["UserId"], request.get("Reason"), request_id=request.get("RequestId")
        )
        await self.disconnect(room["arn"], request["UserId"], frame)

    async def broadcast(self, room_arn, frame):
        """Send `frame` to every participant connected to the room."""
        participants = list(self.rooms[room_arn].participants) if room_arn in self.rooms else []
        text = json.dumps(frame)
        await asyncio.gather(*(_send_text(participant, text) for participant in participants))

    async def disconnect(self, room_arn, user_id, frame):
        """Tell the room that the user is disconnected, then close every connection of theirs."""
        await self.broadcast(room_arn, frame)
        participants = list(self.rooms[room_arn].participants) if room_arn in self.rooms else []
        closing = [p.websocket.close(1000, "Disconnected") for p in participants if p.user_id == user_id]
        await asyncio.gather(*closing)

    def publish_moderation(self, action, room_arn, request, operation_id):
        """A control-plane DeleteMessage or DisconnectUser (called from an HTTP thread): its event, sent now."""
        if action == "DeleteMessage":
            frame = protocol.delete_message_event(request["id"], request.get("reason"), operation_id)
            publishing = self.broadcast(room_arn, frame)
        else:
            frame = protocol.disconnect_user_event(request["userId"], request.get("reason"), operation_id)
            publishing = self.disconnect(room_arn, request["userId"], frame)
        asyncio.run_coroutine_threadsafe(publishing, self._loop).result(PUBLISH_TIMEOUT_SECONDS)


ACTIONS = {
    "SEND_MESSAGE": ChatServer._send_message,  # pylint: disable=protected-access
    "DELETE_MESSAGE": ChatServer._delete_message,  # pylint: disable=protected-access
    "DISCONNECT_USER": ChatServer._disconnect_user,  # pylint: disable=protected-access
}


async def _send(participant, frame):
    await _send_text(participant, json.dumps(frame))


async def _send_text(participant, text):
    """Send to one participant; one that is going away does not stop the others' delivery."""
    with contextlib.suppress(ConnectionClosed):
        await participant.websocket.send(text)


class ChatEndpointRoute:
    """WSGI middleware that answers GET CHAT_PATH with the endpoint's URL and passes the rest on to `app`."""

    def __init__(self, app, endpoint):
        self.app = app
        self.endpoint = endpoint

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "") != CHAT_PATH:
            return self.app(environ, start_response)
        return json_response(start_response, "200 OK", {"endpoint": self.endpoint})
