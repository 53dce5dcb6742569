# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IVS Chat message review handler: ALLOW (and record in the history) or DENY every message.

IVS Chat invokes it for each SendMessage with {"Content", "MessageId", "RoomArn", "Attributes",
"Sender": {"UserId", "Attributes", "Ip"}} and expects {"ReviewResult": "ALLOW"|"DENY", "Content",
"Attributes"}. It never raises: an exception would make IVS apply the room's fallback result, so
an internal error is answered DENY here, with a log line, and a message is delivered only once it
is in the history. The content is stored and returned as sent; the site escapes it.
"""

import functools
import re

from aws_lambda_powertools import Logger

from creatorcloud_backend.domain import chat
from creatorcloud_backend.settings import current_settings

ALLOW = "ALLOW"
DENY = "DENY"
LINK = re.compile(r"https?://|\bwww\.", re.IGNORECASE)

logger = Logger(service="chat_review")


@functools.cache
def blocked_words_pattern(words):
    """One case-insensitive pattern matching any of the words as a whole word (not inside another word)."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def denial_reason(content, settings):
    """Why a message may not be delivered, or None."""
    if len(content) > settings.chat_max_message_length:
        return "too_long"
    if settings.chat_blocked_words and blocked_words_pattern(settings.chat_blocked_words).search(content):
        return "blocked_word"
    if not settings.chat_allow_links and LINK.search(content):
        return "link"
    return None


def review(event):
    """The review result of a message; an allowed one is written to the history first."""
    content = event.get("Content") or ""
    reason = denial_reason(content, current_settings())
    if reason:
        logger.info("message denied", extra={"reason": reason, "message_id": event.get("MessageId")})
        return {"ReviewResult": DENY, "Attributes": {"Reason": reason}}
    sender = event["Sender"]
    chat.record_message(
        event["RoomArn"],
        event["MessageId"],
        sender["UserId"],
        (sender.get("Attributes") or {}).get("displayName", ""),
        content,
    )
    return {"ReviewResult": ALLOW, "Content": content, "Attributes": event.get("Attributes") or {}}


@logger.inject_lambda_context
def handler(event, context):
    """The Lambda entry point: a review result for every event, whatever happens."""
    try:
        return review(event)
    except Exception:  # pylint: disable=broad-exception-caught
        # IVS would apply the room's fallback result to a raised error; deny explicitly instead.
        message_id = event.get("MessageId") if isinstance(event, dict) else None
        logger.exception("message review failed", extra={"message_id": message_id})
        return {"ReviewResult": DENY, "Attributes": {"Reason": "internal_error"}}
