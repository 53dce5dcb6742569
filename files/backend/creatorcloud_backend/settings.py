# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment a deployed function gets: table names, the user pool, the region, the chat room and its rules."""

import json
import os
from dataclasses import dataclass

DEFAULT_CHAT_MAX_MESSAGE_LENGTH = 500


@dataclass(frozen=True)
class Settings:
    """What the api role passes to every function as environment variables."""

    users_table: str
    user_pool_id: str
    region: str
    messages_table: str = "Messages"
    chat_room_arn: str = ""
    chat_blocked_words: tuple = ()
    chat_allow_links: bool = False
    chat_max_message_length: int = DEFAULT_CHAT_MAX_MESSAGE_LENGTH


def blocked_words(value):
    """CHAT_BLOCKED_WORDS: a JSON list of strings ("" means none); anything else is a configuration error."""
    words = json.loads(value or "[]")
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise ValueError("CHAT_BLOCKED_WORDS must be a JSON list of strings")
    return tuple(word.strip() for word in words if word.strip())


def current_settings():
    """Settings read from the environment now (cheap; tests change the environment between cases)."""
    return Settings(
        users_table=os.environ.get("USERS_TABLE", "Users"),
        user_pool_id=os.environ.get("USER_POOL_ID", ""),
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"),
        messages_table=os.environ.get("MESSAGES_TABLE", "Messages"),
        chat_room_arn=os.environ.get("CHAT_ROOM_ARN", ""),
        chat_blocked_words=blocked_words(os.environ.get("CHAT_BLOCKED_WORDS")),
        chat_allow_links=os.environ.get("CHAT_ALLOW_LINKS", "false").strip().lower() == "true",
        chat_max_message_length=int(os.environ.get("CHAT_MAX_MESSAGE_LENGTH") or DEFAULT_CHAT_MAX_MESSAGE_LENGTH),
    )
