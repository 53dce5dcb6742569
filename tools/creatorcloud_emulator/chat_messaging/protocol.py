# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IVS Chat Messaging API's frames: requests validated, and MESSAGE, EVENT and ERROR built as documented.

Field names and casing follow the Chat Messaging API reference (SendMessage, DeleteMessage and
DisconnectUser (Publish); Message, Event and Error (Subscribe)).
"""

import json
import re
from datetime import UTC
from datetime import datetime

from moto.moto_api._internal import mock_random

BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ACCEPTABLE = 406
PAYLOAD_TOO_LARGE = 413
TOO_MANY_REQUESTS = 429
INTERNAL_SERVER_ERROR = 500

DELETE_MESSAGE_EVENT = "aws:DELETE_MESSAGE"
DISCONNECT_USER_EVENT = "aws:DISCONNECT_USER"
# The capability each action needs (CreateChatToken's capabilities).
REQUIRED_CAPABILITY = {
    "SEND_MESSAGE": "SEND_MESSAGE",
    "DELETE_MESSAGE": "DELETE_MESSAGE",
    "DISCONNECT_USER": "DISCONNECT_USER",
}
MESSAGE_ID = re.compile(r"[a-zA-Z0-9]{12}")
MAX_REASON_LENGTH = 256


class ChatError(Exception):
    """A request the endpoint refuses: answered to the sender only, as an ERROR frame."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def new_id():
    """An identifier like IVS Chat's: 12 letters and digits."""
    return mock_random.get_random_string(12)


def send_time():
    """Now, as IVS Chat writes SendTime: RFC 3339 in UTC with milliseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def decode_request(text):
    """The JSON object in a client's frame; ChatError when it is not one."""
    try:
        request = json.loads(text)
    except (TypeError, ValueError):
        raise ChatError(BAD_REQUEST, "The request is not valid JSON") from None
    if not isinstance(request, dict):
        raise ChatError(BAD_REQUEST, "The request must be a JSON object")
    return request


def check_request(request, capabilities):
    """ChatError unless the request has a known Action, the capability it needs and valid fields."""
    action = request.get("Action")
    if action not in REQUIRED_CAPABILITY:
        raise ChatError(BAD_REQUEST, f"Action must be one of {', '.join(REQUIRED_CAPABILITY)}, not {action!r}")
    if REQUIRED_CAPABILITY[action] not in capabilities:
        raise ChatError(FORBIDDEN, f"The connection's capabilities do not permit {action}")
    _check_optional_string(request, "RequestId")
    FIELD_CHECKS[action](request)


def _check_send_message(request):
    content = request.get("Content")
    if not isinstance(content, str) or not content:
        raise ChatError(BAD_REQUEST, "Content is required and must be a non-empty string")
    attributes = request.get("Attributes", {})
    if not isinstance(attributes, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in attributes.items()
    ):
        raise ChatError(BAD_REQUEST, "Attributes must map strings to strings")


def _check_delete_message(request):
    if not isinstance(request.get("Id"), str) or not MESSAGE_ID.fullmatch(request["Id"]):
        raise ChatError(BAD_REQUEST, "Id is required: the 12-character Id of a message")
    _check_reason(request)


def _check_disconnect_user(request):
    if not isinstance(request.get("UserId"), str) or not request["UserId"]:
        raise ChatError(BAD_REQUEST, "UserId is required and must be a non-empty string")
    _check_reason(request)


def _check_reason(request):
    _check_optional_string(request, "Reason")
    if len(request.get("Reason", "")) > MAX_REASON_LENGTH:
        raise ChatError(PAYLOAD_TOO_LARGE, f"Reason must be at most {MAX_REASON_LENGTH} characters")


def _check_optional_string(request, field):
    if field in request and not isinstance(request[field], str):
        raise ChatError(BAD_REQUEST, f"{field} must be a string")


FIELD_CHECKS = {
    "SEND_MESSAGE": _check_send_message,
    "DELETE_MESSAGE": _check_delete_message,
    "DISCONNECT_USER": _check_disconnect_user,
}


def message_frame(message_id, content, attributes, sender_id, sender_attributes, request_id=None):
    """A MESSAGE (Subscribe) frame."""
    frame = {
        "Type": "MESSAGE",
        "Id": message_id,
        "Content": content,
        "Attributes": attributes,
        "Sender": {"UserId": sender_id, "Attributes": sender_attributes},
        "SendTime": send_time(),
    }
    return _with_request_id(frame, request_id)


def event_frame(event_name, attributes, event_id=None, request_id=None):
    """An EVENT (Subscribe) frame."""
    frame = {
        "Type": "EVENT",
        "Id": event_id or new_id(),
        "EventName": event_name,
        "Attributes": attributes,
        "SendTime": send_time(),
    }
    return _with_request_id(frame, request_id)


def delete_message_event(message_id, reason=None, event_id=None, request_id=None):
    """The aws:DELETE_MESSAGE event: MessageId, the deprecated MessageID and Reason."""
    attributes = {"MessageId": message_id, "MessageID": message_id, "Reason": reason or ""}
    return event_frame(DELETE_MESSAGE_EVENT, attributes, event_id, request_id)


def disconnect_user_event(user_id, reason=None, event_id=None, request_id=None):
    """The aws:DISCONNECT_USER event: UserId and Reason."""
    return event_frame(DISCONNECT_USER_EVENT, {"UserId": user_id, "Reason": reason or ""}, event_id, request_id)


def error_frame(error, request, operation_id=None):
    """An ERROR (Subscribe) frame for a ChatError, with the request's RequestId when it had a valid one."""
    frame = {"Type": "ERROR", "Id": operation_id or new_id(), "ErrorCode": error.code, "ErrorMessage": error.message}
    request_id = request.get("RequestId")
    return _with_request_id(frame, request_id if isinstance(request_id, str) else None)


def _with_request_id(frame, request_id):
    if request_id is not None:
        frame["RequestId"] = request_id
    return frame
