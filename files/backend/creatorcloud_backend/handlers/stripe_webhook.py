# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stripe-webhook function: POST /api/stripe/webhook, Stripe's events for the creator's account.

A public route: the caller is authenticated by the Stripe-Signature header (an HMAC of the raw body
with the webhook secret), verified before anything else; a bad one is a 400 and nothing is processed.
Each event is then processed exactly once (creatorcloud_backend.domain.webhook).
"""

from http import HTTPStatus

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from creatorcloud_backend.domain import payments
from creatorcloud_backend.domain import webhook
from creatorcloud_backend.errors import ApiError
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"

logger = Logger(service="stripe_webhook")
router = APIGatewayHttpRouter()


class EventInProgress(ApiError):
    """The same event is being processed by another invocation: Stripe retries it later."""

    status = HTTPStatus.CONFLICT
    code = "event_in_progress"


@router.post("/stripe/webhook")
def receive_event():
    """Verify the event's signature on the raw body, then process it once."""
    request = router.current_event
    event = payments.verified_event(request.decoded_body or "", request.headers.get("stripe-signature"))
    try:
        result = webhook.process(event, router.lambda_context)
    except IdempotencyAlreadyInProgressError as error:
        raise EventInProgress("This event is being processed; retry later.") from error
    logger.info("stripe event", extra=result)
    return {"received": True, **result}


app = APIGatewayHttpResolver()
register_error_handlers(app, logger)
app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
