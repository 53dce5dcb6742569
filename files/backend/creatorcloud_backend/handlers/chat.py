# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chat function: chat tokens, the room's recent messages and moderation (delete, ban, unban).

Handlers only route, validate and authorize; the work is in creatorcloud_backend.domain.chat.
"""

from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from creatorcloud_backend.auth import caller_from_event
from creatorcloud_backend.auth import require_moderator
from creatorcloud_backend.domain import chat
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"
# IVS Chat message ids are 12 letters and digits; Cognito subs are UUIDs.
MESSAGE_ID = r"^[a-zA-Z0-9]{12}$"
USER_ID = r"^[a-zA-Z0-9-]{1,128}$"

logger = Logger(service="chat")
router = APIGatewayHttpRouter()


class Ban(BaseModel):
    """PUT /api/chat/bans/{userId}: why the fan is banned (shown to them when they are disconnected)."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=200)] = ""


@router.post("/chat/token")
def create_token():
    """A chat token for the signed-in, not banned fan."""
    return chat.create_token(caller_from_event(router.current_event))


@router.get("/chat/messages")
def list_messages(limit: Annotated[int, Query(ge=1, le=100)] = 50):
    """The room's recent messages, newest first."""
    return chat.recent_messages(caller_from_event(router.current_event), limit)


# The API's route keys name the segments {messageId} and {userId}; Powertools matches the raw path.
@router.delete("/chat/messages/<message_id>")
def delete_message(message_id: Annotated[str, Path(pattern=MESSAGE_ID)]):
    """Delete a message from the room and mark it deleted in the history (moderators)."""
    caller = require_moderator(caller_from_event(router.current_event))
    logger.info("delete message", extra={"message_id": message_id, "moderator": caller.user_id})
    return chat.delete_message(caller, message_id)


@router.put("/chat/bans/<user_id>")
def ban_user(user_id: Annotated[str, Path(pattern=USER_ID)], ban: Ban):
    """Ban a fan from the chat and disconnect them (moderators)."""
    caller = require_moderator(caller_from_event(router.current_event))
    logger.info("ban", extra={"user_id": user_id, "moderator": caller.user_id})
    return chat.ban_user(caller, user_id, ban.reason)


@router.delete("/chat/bans/<user_id>")
def unban_user(user_id: Annotated[str, Path(pattern=USER_ID)]):
    """Lift a fan's ban (moderators)."""
    caller = require_moderator(caller_from_event(router.current_event))
    logger.info("unban", extra={"user_id": user_id, "moderator": caller.user_id})
    return chat.unban_user(user_id)


app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app, logger)
app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
