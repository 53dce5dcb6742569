# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The membership function: tiers, the fan's membership, subscription checkout, the billing portal, premium content.

Handlers only route, validate and authorize; the work is in creatorcloud_backend.domain.membership.
"""

from typing import Annotated
from typing import Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from creatorcloud_backend.auth import caller_from_event
from creatorcloud_backend.domain import membership
from creatorcloud_backend.domain.payments import SITE_LANGUAGE
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"

logger = Logger(service="membership")
router = APIGatewayHttpRouter()


class MembershipCheckout(BaseModel):
    """POST /api/membership/checkout: the tier and how often the fan pays."""

    model_config = ConfigDict(extra="forbid")

    tier: Annotated[str, Field(min_length=1, max_length=40)]
    interval: Literal["month", "year"]
    # The language of the page the fan pays from ("en" for /en/shop.html); omitted on the first language's pages.
    language: Annotated[str, Field(pattern=SITE_LANGUAGE)] | None = None


class PortalRequest(BaseModel):
    """POST /api/membership/portal: optionally the language of the page the portal returns to."""

    model_config = ConfigDict(extra="forbid")

    # The language of the page the fan pays from ("en" for /en/shop.html); omitted on the first language's pages.
    language: Annotated[str, Field(pattern=SITE_LANGUAGE)] | None = None


@router.get("/membership/tiers")
def list_tiers():
    """The creator's tiers and prices (public)."""
    return membership.list_tiers()


@router.get("/membership")
def own_membership():
    """The caller's membership."""
    return membership.own_membership(caller_from_event(router.current_event))


@router.post("/membership/checkout")
def checkout(choice: MembershipCheckout):
    """A subscription Checkout for the tier (a signed-in fan who is not a member yet)."""
    caller = caller_from_event(router.current_event)
    return membership.checkout(caller, choice.tier, choice.interval, choice.language)


@router.post("/membership/portal")
def portal(request: Annotated[PortalRequest | None, Body()] = None):
    """A link to Stripe's billing portal to change or cancel the membership (the body may be left out)."""
    return membership.portal(caller_from_event(router.current_event), request.language if request else None)


@router.get("/membership/content")
def premium_content():
    """The members-only gate: 200 for paying members and admins, 403 premium_required for everyone else."""
    return membership.premium_content(caller_from_event(router.current_event))


app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app, logger)
app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
