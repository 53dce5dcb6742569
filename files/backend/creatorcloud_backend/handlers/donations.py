# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The donations function: a signed-in fan's donation checkout, the public wall, and moderation.

Handlers only route, validate and authorize; the work is in creatorcloud_backend.domain.donations.
Donating needs a signed-in fan: the donation is theirs to export and erase, and the name shown is
their profile's (unless they give anonymously).
"""

from typing import Annotated
from typing import Literal

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
from creatorcloud_backend.auth import require_admin
from creatorcloud_backend.domain import donations
from creatorcloud_backend.domain.payments import SITE_LANGUAGE
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"
DONATION_ID = r"^[a-f0-9]{32}$"

logger = Logger(service="donations")
router = APIGatewayHttpRouter()


class Donation(BaseModel):
    """POST /api/donations/checkout: the amount in cents (DONATION_MIN..DONATION_MAX), a message, anonymity."""

    model_config = ConfigDict(extra="forbid")

    amount: Annotated[int, Field(ge=1)]
    message: Annotated[str, Field(max_length=500)] | None = None
    anonymous: bool = False
    # The language of the page the fan pays from ("en" for /en/shop.html); omitted on the first language's pages.
    language: Annotated[str, Field(pattern=SITE_LANGUAGE)] | None = None


class Moderation(BaseModel):
    """PUT /api/admin/donations/{donationId}: show the donation (and its message) on the site or hide it."""

    model_config = ConfigDict(extra="forbid")

    visible: bool


@router.post("/donations/checkout")
def checkout(donation: Donation):
    """A donation's Checkout (a signed-in fan)."""
    caller = caller_from_event(router.current_event)
    message = (donation.message or "").strip() or None
    return donations.checkout(caller, donation.amount, message, donation.anonymous, donation.language)


@router.get("/donations")
def approved_donations():
    """The approved donations, newest first, with names or "Anonymous" (public)."""
    return donations.approved_donations()


@router.get("/admin/donations")
def donations_to_moderate(status: Annotated[Literal["paid", "approved", "hidden"], Query()] = "paid"):
    """Donations of a status, newest first: "paid" ones await moderation (admins)."""
    require_admin(caller_from_event(router.current_event))
    return donations.donations_of_status(status)


# The API's route key names the segment {donationId}; Powertools matches the raw path.
@router.put("/admin/donations/<donation_id>")
def moderate(donation_id: Annotated[str, Path(pattern=DONATION_ID)], moderation: Moderation):
    """Approve or hide a paid donation (admins)."""
    caller = require_admin(caller_from_event(router.current_event))
    logger.info("moderate donation", extra={"donation_id": donation_id, "admin": caller.user_id})
    return donations.moderate(donation_id, moderation.visible)


app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app, logger)
app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
