# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cognito post-confirmation trigger: create the fan's row in the Users table once.

Cognito retries a trigger that times out or fails, so creating the row is a conditional put
that leaves an existing row alone. Only a confirmed sign-up creates a row; a confirmed
password reset (PostConfirmation_ConfirmForgotPassword) is the same fan again.
"""

from aws_lambda_powertools import Logger

from creatorcloud_backend.domain import profile

SIGN_UP = "PostConfirmation_ConfirmSignUp"

logger = Logger(service="post_confirmation")


def display_name_of(attributes):
    """The name the fan gave, else the local part of the e-mail address."""
    return (attributes.get("name") or attributes.get("email", "").split("@")[0] or "fan")[:50]


@logger.inject_lambda_context
def handler(event, context):
    """The Lambda entry point: returns the event, as Cognito requires."""
    if event.get("triggerSource") == SIGN_UP:
        attributes = event["request"]["userAttributes"]
        created = profile.create_profile(attributes["sub"], attributes.get("email", ""), display_name_of(attributes))
        logger.info("post confirmation", extra={"row_created": created})
    return event
