# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's chat room: tokens, history, moderation (delete, ban) and the fan's chat data.

History: the review handler writes every allowed message to the Messages table, one row per
message in the room's partition `room#<room id>`, sorted by `<ISO time with ms>#<message id>`
(unique even when two messages share a millisecond). The GSI userId-index finds a fan's rows
for export and erasure.

Bans: an item of its own in the Users table, `{"userId": "ban#<sub>", "kind": "chat_ban"}`,
like the username claims: one GetItem at token time, no write to the fan's profile row (whose
updates are guarded transactions), and a fan can be banned before their row exists.
"""

from datetime import UTC
from datetime import datetime

from creatorcloud_backend import aws_clients
from creatorcloud_backend import privacy
from creatorcloud_backend.domain import profile
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.errors import Forbidden
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

BAN_KIND = "chat_ban"
BAN_PREFIX = "ban#"
STREAM_PREFIX = "room#"
USER_INDEX = "userId-index"
FAN_CAPABILITIES = ("SEND_MESSAGE",)
MODERATOR_CAPABILITIES = ("SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER")
SESSION_MINUTES = 60
# A fan's page skips deleted rows after the Query's Limit applies: read at most this many pages to fill one.
MAX_PAGES = 5


def now_ms():
    """The current UTC time as ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def stream_id(room_arn):
    """The Messages partition of a room: room#<the room id, the last part of its ARN>."""
    return STREAM_PREFIX + room_arn.rsplit("/", 1)[-1]


def ban_key(user_id):
    """The Users-table key of a fan's ban item."""
    return BAN_PREFIX + user_id


def history_row(room_arn, message_id, user_id, display_name, text):
    """The Messages row of an allowed message, stored as sent (the site escapes it when it renders)."""
    return {
        "streamId": stream_id(room_arn),
        "timestamp": f"{now_ms()}#{message_id}",
        "messageId": message_id,
        "userId": user_id,
        "displayName": display_name,
        "message": text,
        "deleted": False,
    }


def record_message(room_arn, message_id, user_id, display_name, text):
    """Write an allowed message to the history."""
    aws_clients.messages_table().put_item(Item=history_row(room_arn, message_id, user_id, display_name, text))


def read_ban(user_id):
    """The fan's ban item (strongly consistent), or None."""
    return aws_clients.users_table().get_item(Key={"userId": ban_key(user_id)}, ConsistentRead=True).get("Item")


def display_name_of(caller):
    """The name other fans see: the profile's display name, else the e-mail's local part."""
    row = profile.read_row(caller.user_id) or {}
    return row.get("displayName") or caller.email.split("@")[0] or "fan"


def iso(moment):
    """An ISO 8601 string of a datetime boto3 returned."""
    return moment.isoformat() if hasattr(moment, "isoformat") else moment


def create_token(caller):
    """A chat token for the caller with their role's capabilities; Forbidden "banned" for a banned fan."""
    if read_ban(caller.user_id) is not None:
        raise Forbidden("You are banned from the chat.", code="banned")
    response = aws_clients.ivschat().create_chat_token(
        roomIdentifier=current_settings().chat_room_arn,
        userId=caller.user_id,
        capabilities=list(MODERATOR_CAPABILITIES if caller.is_moderator else FAN_CAPABILITIES),
        sessionDurationInMinutes=SESSION_MINUTES,
        attributes={"displayName": display_name_of(caller), "role": caller.role},
    )
    return {
        "token": response["token"],
        "sessionExpirationTime": iso(response["sessionExpirationTime"]),
        "tokenExpirationTime": iso(response["tokenExpirationTime"]),
        "endpoint": None,
    }


def public_message(row):
    """The API's view of a Messages row."""
    return {
        "message_id": row["messageId"],
        "user_id": row["userId"],
        "display_name": row.get("displayName"),
        "message": row["message"],
        "sent_at": row["timestamp"].split("#", 1)[0],
        "deleted": bool(row.get("deleted")),
    }


def room_query(**request):
    """A Query of the room's partition, newest first; request adds its filter and limit."""
    request.setdefault("ExpressionAttributeValues", {})[":stream"] = stream_id(current_settings().chat_room_arn)
    return {
        "KeyConditionExpression": "streamId = :stream",
        "ScanIndexForward": False,
        **request,
    }


def query_pages(request, enough, max_pages=None):
    """Rows of a Query's pages until `enough(rows)`, the last page or max_pages; request is updated in place."""
    rows = []
    pages = 0
    while True:
        response = aws_clients.messages_table().query(**request)
        rows.extend(response["Items"])
        pages += 1
        if enough(rows) or "LastEvaluatedKey" not in response or pages == max_pages:
            return rows
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def recent_rows(limit, include_deleted):
    """Up to `limit` rows of the room, newest first (deleted ones only if asked), from MAX_PAGES pages at most."""
    hide_deleted = {"FilterExpression": "deleted <> :true", "ExpressionAttributeValues": {":true": True}}
    request = room_query(Limit=limit, **({} if include_deleted else hide_deleted))
    return query_pages(request, lambda rows: len(rows) >= limit, MAX_PAGES)[:limit]


def recent_messages(caller, limit):
    """The room's latest messages, newest first: deleted ones left out for fans, flagged for moderators."""
    return {"messages": [public_message(row) for row in recent_rows(limit, include_deleted=caller.is_moderator)]}


def find_message(message_id):
    """The room's history row of a message, or None; searched from the newest (moderators delete recent ones)."""
    request = room_query(FilterExpression="messageId = :id", ExpressionAttributeValues={":id": message_id})
    rows = query_pages(request, bool)
    return rows[0] if rows else None


def delete_message(caller, message_id):
    """Remove a message from the room (IVS DeleteMessage) and mark it deleted in the history."""
    row = find_message(message_id)
    if row is None:
        raise NotFound("No such message in this room.", code="message_not_found")
    settings = current_settings()
    aws_clients.ivschat().delete_message(roomIdentifier=settings.chat_room_arn, id=message_id, reason="moderated")
    aws_clients.messages_table().update_item(
        Key={"streamId": row["streamId"], "timestamp": row["timestamp"]},
        UpdateExpression="SET deleted = :true, deletedBy = :by, deletedAt = :at",
        ExpressionAttributeValues={":true": True, ":by": caller.user_id, ":at": now_ms()},
    )
    return {"message_id": message_id, "deleted": True}


def ban_user(caller, user_id, reason):
    """Persist a ban of the fan and disconnect them from the room; banning again refreshes it."""
    if user_id == caller.user_id:
        raise Conflict("You cannot ban yourself.", code="cannot_ban_self")
    aws_clients.users_table().put_item(
        Item={
            "userId": ban_key(user_id),
            "kind": BAN_KIND,
            "bannedUserId": user_id,
            "bannedBy": caller.user_id,
            "bannedAt": now_ms(),
            "reason": reason,
        }
    )
    aws_clients.ivschat().disconnect_user(
        roomIdentifier=current_settings().chat_room_arn, userId=user_id, reason=reason or "banned"
    )
    return {"user_id": user_id, "banned": True}


def unban_user(user_id):
    """Lift a fan's ban (nothing to do when there is none); their next token request succeeds."""
    aws_clients.users_table().delete_item(Key={"userId": ban_key(user_id)})
    return {"user_id": user_id, "banned": False}


def fan_rows(user_id):
    """Every history row of the fan, through userId-index (eventually consistent: a retried erasure catches up)."""
    request = {
        "IndexName": USER_INDEX,
        "KeyConditionExpression": "userId = :user",
        "ExpressionAttributeValues": {":user": user_id},
    }
    return query_pages(request, lambda rows: False)


def export_chat(user_id):
    """The fan's messages (every room, oldest first, as stored) and their ban item, if any."""
    rows = sorted(fan_rows(user_id), key=lambda row: row["timestamp"])
    return {"messages": rows, "ban": read_ban(user_id)}


def erase_chat(user_id):
    """Delete the fan's messages and ban item; idempotent."""
    with aws_clients.messages_table().batch_writer() as batch:
        for row in fan_rows(user_id):
            batch.delete_item(Key={"streamId": row["streamId"], "timestamp": row["timestamp"]})
    aws_clients.users_table().delete_item(Key={"userId": ban_key(user_id)})


privacy.register("chat", export_chat, erase_chat)
