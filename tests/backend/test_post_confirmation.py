# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The post-confirmation trigger creates the fan's Users row once, and leaves it alone on a retry."""

from creatorcloud_backend.handlers import post_confirmation


def test_confirmed_sign_up_creates_the_row(backend_aws, confirmation_event, lambda_context):
    # GIVEN a confirmed sign-up event
    event = confirmation_event("sub-1", "ada.lovelace@example.com")
    # WHEN the trigger runs
    answer = post_confirmation.handler(event, lambda_context)
    # THEN it returns the event, as Cognito requires, and the row exists
    assert answer == event
    [row] = backend_aws.table_items()
    assert row["userId"] == {"S": "sub-1"}
    assert row["email"] == {"S": "ada.lovelace@example.com"}
    assert row["displayName"] == {"S": "ada.lovelace"}


def test_a_retried_trigger_keeps_the_row(backend_aws, confirmation_event, lambda_context, call_api, sign_up):
    # GIVEN a fan who has set a profile since the trigger first ran
    fan = sign_up("ada@example.com")
    call_api("PUT", "/api/me", fan, body={"display_name": "Ada", "username": "ada"})
    before = call_api("GET", "/api/me", fan).body
    # WHEN Cognito delivers the trigger again
    post_confirmation.handler(confirmation_event(fan.user_id, fan.email), lambda_context)
    # THEN the row is unchanged and there is still one row for the fan
    assert call_api("GET", "/api/me", fan).body == before
    rows = [item for item in backend_aws.table_items() if item["userId"]["S"] == fan.user_id]
    assert len(rows) == 1


def test_a_confirmed_password_reset_creates_nothing(backend_aws, confirmation_event, lambda_context):
    # GIVEN a forgot-password confirmation event
    event = confirmation_event("sub-1", "ada@example.com", trigger="PostConfirmation_ConfirmForgotPassword")
    # WHEN the trigger runs THEN no row is made
    assert post_confirmation.handler(event, lambda_context) == event
    assert backend_aws.table_items() == []
