# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The events function: the public events, ticket checkout (or a free RSVP), the fan's tickets, the door's check-in.

Handlers only route, validate and authorize; the work is in creatorcloud_backend.domain.events,
.tickets and .door.
"""

from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from creatorcloud_backend.auth import caller_from_event
from creatorcloud_backend.auth import require_door
from creatorcloud_backend.domain import door
from creatorcloud_backend.domain import events
from creatorcloud_backend.domain import tickets
from creatorcloud_backend.domain.payments import SITE_LANGUAGE
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"
# Event ids are the slugs of the creator's host_vars (creator_events[].id).
EVENT_ID = r"^[a-z0-9][a-z0-9-]{0,62}$"

logger = Logger(service="events")
router = APIGatewayHttpRouter()


class TicketOrder(BaseModel):
    """POST /api/events/{eventId}/checkout: how many tickets (the price comes from the table, never from here)."""

    model_config = ConfigDict(extra="forbid")

    quantity: Annotated[int, Field(ge=1, le=events.MAX_TICKETS_PER_ORDER)]
    # The language of the page the fan buys from ("en" for /en/events.html); omitted on the first language's pages.
    language: Annotated[str, Field(pattern=SITE_LANGUAGE)] | None = None


class DoorScan(BaseModel):
    """POST /api/admin/events/{eventId}/check-in: the code read from a ticket's QR code or typed in."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, Field(min_length=1, max_length=80)]


@router.get("/events")
def list_events():
    """The creator's events, upcoming first (public)."""
    return events.list_events()


# The API's route keys name the segment {eventId}; Powertools matches the raw path.
@router.get("/events/<event_id>")
def get_event(event_id: Annotated[str, Path(pattern=EVENT_ID)]):
    """One event with the tickets left (public)."""
    return events.get_event(event_id)


@router.post("/events/<event_id>/checkout")
def checkout(event_id: Annotated[str, Path(pattern=EVENT_ID)], order: TicketOrder):
    """Hold tickets and open a Stripe Checkout for them, or take a free event's tickets at once (a signed-in fan)."""
    caller = caller_from_event(router.current_event)
    result = tickets.checkout(caller, event_id, order.quantity, order.language)
    logger.info("ticket checkout", extra={"order_id": result["order_id"], "event_id": event_id})
    return result


@router.get("/tickets")
def own_tickets():
    """The caller's tickets, newest first, each paid one with its door code."""
    return tickets.own_tickets(caller_from_event(router.current_event))


@router.post("/admin/events/<event_id>/check-in")
def check_in(event_id: Annotated[str, Path(pattern=EVENT_ID)], scan: DoorScan):
    """Let a ticket in at the event's door, once (door staff and admins)."""
    caller = require_door(caller_from_event(router.current_event))
    result = door.check_in(caller, event_id, scan.code)
    logger.info("check-in", extra={"event_id": event_id, "order_id": result["order_id"], "door": caller.user_id})
    return result


app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app, logger)
app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
