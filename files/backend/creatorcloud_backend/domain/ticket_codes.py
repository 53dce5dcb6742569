# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A ticket's door code: made from the creator's ticket key, checked at the door (domain.door).

A code is `<order id>-<ticket number>-<signature>`: the signature is the first 80 bits of an
HMAC-SHA256, under the creator's ticket key, of the event, the order and the ticket, in base32.
Nobody without the key can make a code, and a code names its event, so a forged code and the
code of another event's ticket are refused before any write. The key lives in the Secrets
Manager secret TICKET_KEY_SECRET_ARN (made once by the events slice), is read once per
execution environment and is never logged or sent to a page.
"""

import base64
import functools
import hashlib
import hmac
import re

from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.settings import current_settings

SIGNATURE_BYTES = 10
# What a code looks like once spaces are gone and letters upper-cased: order id, ticket number, signature.
CODE_PATTERN = re.compile(r"^([A-Z2-7]{16})-(\d{2})-([A-Z2-7]{16})$")


@functools.cache
def ticket_key(secret_arn):
    """The creator's ticket signing key (bytes), read once per execution environment."""
    from aws_lambda_powertools.utilities import parameters  # pylint: disable=import-outside-toplevel

    return base64.b64decode(parameters.get_secret(secret_arn, transform="json")["signing_key"])


def signature(event_id, order_id, ticket_id):
    """The code's signature of one ticket."""
    key = ticket_key(current_settings().ticket_key_secret_arn)
    digest = hmac.new(key, f"{event_id}|{order_id}|{ticket_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:SIGNATURE_BYTES]).decode()


def code_of(ticket):
    """The door code of a Tickets row."""
    order_id, ticket_id = ticket["orderId"], ticket["ticketId"]
    return f"{order_id}-{ticket_id}-{signature(ticket['eventId'], order_id, ticket_id)}"


def parsed(code):
    """(order id, ticket id, signature) of a code as typed or scanned; Conflict invalid_code if it is not one."""
    match = CODE_PATTERN.match(re.sub(r"\s+", "", code or "").upper())
    if not match:
        raise Conflict("This is not a ticket code.", code="invalid_code")
    return match.groups()


def signed(row, given):
    """Whether `given` is the signature of the Tickets row (compared in constant time)."""
    return hmac.compare_digest(given, signature(row["eventId"], row["orderId"], row["ticketId"]))


def forget_ticket_key():
    """Drop the cached key (tests, and a rotated key in a warm environment)."""
    ticket_key.cache_clear()
