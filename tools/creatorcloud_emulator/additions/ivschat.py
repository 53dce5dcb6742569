# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IVS Chat (moto has none): rooms, logging configurations, tags, chat tokens and moderation calls."""

import json
from datetime import UTC
from datetime import timedelta

from moto.core.base_backend import BackendDict
from moto.core.base_backend import BaseBackend
from moto.core.responses import ActionResult
from moto.core.responses import BaseResponse
from moto.core.responses import EmptyResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from .chat_tokens import issue_chat_token
from .chat_tokens import verify_chat_token
from .common import MotoUrls
from .common import ResourceNotFoundException
from .common import TaggedResources
from .common import TagResponses
from .common import ValidationException
from .common import check_enum
from .common import check_pattern
from .common import check_range
from .common import paginate
from .common import register_service

__all__ = ["MODERATION_LISTENERS", "ivschat_backends", "register", "verify_chat_token"]

URL_BASE = r"https?://ivschat\.(.+)\.amazonaws\.com"
ROOM_ARN = r"arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+"
LOGGING_ARN = r"arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9-]+"
LAMBDA_ARN = r"(arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+)?"
NAME = r"[a-zA-Z0-9-_]{0,128}"
MESSAGE_ID = r"[a-zA-Z0-9]{12}"
DESTINATION_PATTERNS = {
    "s3": ("bucketName", r"[a-z0-9-.]{3,63}"),
    "cloudWatchLogs": ("logGroupName", r"[\.\-_/#A-Za-z0-9]{1,512}"),
    "firehose": ("deliveryStreamName", r"[a-zA-Z0-9_.-]{1,64}"),
}
CAPABILITIES = ("SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE")
ROOM_SETTINGS = ("name", "maximumMessageLength", "maximumMessageRatePerSecond", "loggingConfigurationIdentifiers")
ROOM_DEFAULTS = {"name": "", "maximumMessageLength": 500, "maximumMessageRatePerSecond": 10}
LIST_ROOMS_FILTERS = ("name", "messageReviewHandlerUri", "loggingConfigurationIdentifier")
TOKEN_LIFETIME = timedelta(minutes=1)  # "The token is valid for one minute" (CreateChatToken)
OPERATIONS = (
    "CreateRoom",
    "GetRoom",
    "ListRooms",
    "UpdateRoom",
    "DeleteRoom",
    "CreateLoggingConfiguration",
    "GetLoggingConfiguration",
    "ListLoggingConfigurations",
    "UpdateLoggingConfiguration",
    "DeleteLoggingConfiguration",
    "CreateChatToken",
    "DeleteMessage",
    "DisconnectUser",
)
# Called with (operation, room ARN, request, operation id) after DeleteMessage and DisconnectUser:
# the chat messaging endpoint registers here to deliver their events to the connected clients.
MODERATION_LISTENERS = []


class IvsChatBackend(MotoUrls, TaggedResources, BaseBackend):
    """IVS Chat resources of one account and region; resources are dicts shaped like the API's."""

    urls_module = __name__

    def __init__(self, region_name, account_id):
        super().__init__(region_name, account_id)
        self.rooms = {}
        self.logging_configurations = {}

    def _new_resource(self, resource_type, tags):
        resource_id = mock_random.get_random_string(12)
        arn = f"arn:{self.partition}:ivschat:{self.region_name}:{self.account_id}:{resource_type}/{resource_id}"
        now = utcnow()
        return {"arn": arn, "id": resource_id, "createTime": now, "updateTime": now, "tags": dict(tags or {})}

    def create_room(self, request):
        room = {**self._new_resource("room", request.get("tags")), **ROOM_DEFAULTS}
        room["loggingConfigurationIdentifiers"] = []
        return self._set_room(room, request)

    def update_room(self, request):
        room = self._set_room(dict(self.get_room(request["identifier"])), request)
        room["updateTime"] = utcnow()
        return room

    def _set_room(self, room, request):
        """Validate the settings in a Create/UpdateRoom request, apply them to `room` and store it."""
        check_pattern("name", request.get("name"), NAME)
        check_range("maximumMessageLength", request.get("maximumMessageLength"), 1, 500)
        check_range("maximumMessageRatePerSecond", request.get("maximumMessageRatePerSecond"), 1, 100)
        for identifier in request.get("loggingConfigurationIdentifiers", ()):
            self.get_logging_configuration(identifier)
        room.update((key, request[key]) for key in ROOM_SETTINGS if key in request)
        if "messageReviewHandler" in request:
            handler = request["messageReviewHandler"]
            check_pattern("messageReviewHandler.uri", handler.get("uri"), LAMBDA_ARN)
            room["messageReviewHandler"] = {"fallbackResult": "ALLOW", "uri": "", **handler}
        self.rooms[room["arn"]] = room
        return room

    def get_room(self, identifier):
        check_pattern("identifier", identifier, ROOM_ARN)
        if identifier not in self.rooms:
            raise _not_found("Room", identifier, "ROOM")
        return self.rooms[identifier]

    def list_rooms(self, request):
        check_range("maxResults", request.get("maxResults"), 1, 50)
        filters = {key: request.get(key) for key in LIST_ROOMS_FILTERS}
        rooms = [room for room in self.rooms.values() if _room_matches(room, filters)]
        return paginate(rooms, request.get("maxResults"), request.get("nextToken"), 50, **filters)

    def delete_room(self, identifier):
        del self.rooms[self.get_room(identifier)["arn"]]

    def create_logging_configuration(self, request):
        configuration = {**self._new_resource("logging-configuration", request.get("tags")), "state": "ACTIVE"}
        return self._set_logging_configuration(configuration, {"name": "", **request})

    def update_logging_configuration(self, request):
        configuration = dict(self.get_logging_configuration(request["identifier"]))
        configuration["updateTime"] = utcnow()
        return self._set_logging_configuration(configuration, request)

    def _set_logging_configuration(self, configuration, request):
        check_pattern("name", request.get("name"), NAME)
        if "destinationConfiguration" in request:
            _check_destination(request["destinationConfiguration"])
        configuration.update((key, request[key]) for key in ("name", "destinationConfiguration") if key in request)
        self.logging_configurations[configuration["arn"]] = configuration
        return configuration

    def get_logging_configuration(self, identifier):
        check_pattern("identifier", identifier, LOGGING_ARN)
        if identifier not in self.logging_configurations:
            raise _not_found("Logging configuration", identifier)
        return self.logging_configurations[identifier]

    def list_logging_configurations(self, request):
        check_range("maxResults", request.get("maxResults"), 1, 50)
        configurations = self.logging_configurations.values()
        return paginate(configurations, request.get("maxResults"), request.get("nextToken"), 50)

    def delete_logging_configuration(self, identifier):
        del self.logging_configurations[self.get_logging_configuration(identifier)["arn"]]

    def create_chat_token(self, request):
        """A token for the room that verify_chat_token accepts for TOKEN_LIFETIME, and its expiry times."""
        room = self.get_room(request["roomIdentifier"])
        check_enum("capabilities", request.get("capabilities"), CAPABILITIES)
        check_range("sessionDurationInMinutes", request.get("sessionDurationInMinutes"), 1, 180)
        attributes = request.get("attributes", {})
        if len(json.dumps(attributes).encode()) > 1024:
            raise ValidationException("attributes must not exceed 1 KB in total", "attributes")
        now = utcnow()
        token_expires = now + TOKEN_LIFETIME
        session_expires = now + timedelta(minutes=request.get("sessionDurationInMinutes", 60))
        token = issue_chat_token(
            {
                "roomArn": room["arn"],
                "account": self.account_id,
                "region": self.region_name,
                "userId": request["userId"],
                "capabilities": request.get("capabilities", []),
                "attributes": attributes,
                "expiresAt": _epoch(token_expires),
                "sessionExpiresAt": _epoch(session_expires),
                "tokenId": mock_random.get_random_string(16),
            }
        )
        return {"token": token, "tokenExpirationTime": token_expires, "sessionExpirationTime": session_expires}

    def delete_message(self, request):
        """The ID of the deletion: messages are not stored, so any well-formed message ID is accepted."""
        room_arn = self.get_room(request["roomIdentifier"])["arn"]
        check_pattern("id", request["id"], MESSAGE_ID)
        deletion_id = mock_random.get_random_string(12)
        _notify_moderation("DeleteMessage", room_arn, request, deletion_id)
        return deletion_id

    def disconnect_user(self, request):
        room_arn = self.get_room(request["roomIdentifier"])["arn"]
        _notify_moderation("DisconnectUser", room_arn, request, mock_random.get_random_string(12))

    def _find_tagged(self, arn):
        resource = self.rooms.get(arn) or self.logging_configurations.get(arn)
        if resource is None:
            raise _not_found("Resource", arn)
        return resource


def _notify_moderation(operation, room_arn, request, operation_id):
    for listener in MODERATION_LISTENERS:
        listener(operation, room_arn, request, operation_id)


def _room_matches(room, filters):
    """ListRooms' filters (name, messageReviewHandlerUri, loggingConfigurationIdentifier): each given must match."""
    name, handler_uri, logging_configuration = (filters[key] for key in LIST_ROOMS_FILTERS)
    return (
        name in (None, room["name"])
        and handler_uri in (None, room.get("messageReviewHandler", {}).get("uri"))
        and (logging_configuration is None or logging_configuration in room["loggingConfigurationIdentifiers"])
    )


def _not_found(kind, arn, resource_type=None):
    return ResourceNotFoundException(f"{kind} {arn} not found", arn.rsplit("/", 1)[-1], resource_type)


def _check_destination(destination):
    """A logging destination is exactly one of s3, cloudWatchLogs and firehose, each with a valid name."""
    if len(destination) != 1 or next(iter(destination)) not in DESTINATION_PATTERNS:
        raise ValidationException(
            "destinationConfiguration must have exactly one of s3, cloudWatchLogs, firehose", "destinationConfiguration"
        )
    kind, settings = next(iter(destination.items()))
    member, pattern = DESTINATION_PATTERNS[kind]
    check_pattern(f"destinationConfiguration.{kind}.{member}", settings.get(member), pattern)


def _epoch(moment):
    """Seconds since the epoch of one of moto's naive UTC datetimes."""
    return int(moment.replace(tzinfo=UTC).timestamp())


ivschat_backends = BackendDict(IvsChatBackend, "ivschat")


class IvsChatResponse(TagResponses, BaseResponse):
    """IVS Chat requests: parameters are parsed from the service model, results serialized by it."""

    def __init__(self):
        super().__init__(service_name="ivschat")
        self.automated_parameter_parsing = True

    @property
    def backend(self):
        return ivschat_backends[self.current_account][self.region]

    _tags_backend = backend

    def create_room(self):
        return ActionResult(self.backend.create_room(self.params))

    def get_room(self):
        return ActionResult(self.backend.get_room(self._get_param("identifier")))

    def list_rooms(self):
        rooms, next_token = self.backend.list_rooms(self.params)
        return ActionResult({"rooms": rooms, "nextToken": next_token})

    def update_room(self):
        return ActionResult(self.backend.update_room(self.params))

    def delete_room(self):
        self.backend.delete_room(self._get_param("identifier"))
        return EmptyResult()

    def create_logging_configuration(self):
        return ActionResult(self.backend.create_logging_configuration(self.params))

    def get_logging_configuration(self):
        return ActionResult(self.backend.get_logging_configuration(self._get_param("identifier")))

    def list_logging_configurations(self):
        configurations, next_token = self.backend.list_logging_configurations(self.params)
        return ActionResult({"loggingConfigurations": configurations, "nextToken": next_token})

    def update_logging_configuration(self):
        return ActionResult(self.backend.update_logging_configuration(self.params))

    def delete_logging_configuration(self):
        self.backend.delete_logging_configuration(self._get_param("identifier"))
        return EmptyResult()

    def create_chat_token(self):
        return ActionResult(self.backend.create_chat_token(self.params))

    def delete_message(self):
        return ActionResult({"id": self.backend.delete_message(self.params)})

    def disconnect_user(self):
        self.backend.disconnect_user(self.params)
        return EmptyResult()


url_bases = [URL_BASE]
url_paths = {f"{{0}}/{operation}$": IvsChatResponse.dispatch for operation in OPERATIONS}
url_paths["{0}/tags/(?P<resourceArn>.+)$"] = IvsChatResponse.dispatch


def register():
    """Serve IVS Chat from ivschat_backends."""
    register_service("ivschat", ivschat_backends, URL_BASE)
