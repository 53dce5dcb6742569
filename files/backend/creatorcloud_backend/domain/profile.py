# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fan's profile: one row per fan in the Users table, and a unique username.

Uniqueness: a GSI is eventually consistent and cannot refuse a duplicate, so each username is
claimed by an item of its own in the Users table (userId "username#<name>", ownerId the fan).
Changing a username is ONE TransactWriteItems: update the fan's row, put the new claim only if
no claim exists, delete the old claim only if the fan owns it. Two fans racing for one name:
exactly one transaction puts the claim, the other is cancelled (409 username_taken), and no
fan is ever left with a name whose claim is someone else's.
"""

import base64
import binascii
import contextlib
import json
from datetime import UTC
from datetime import datetime

from creatorcloud_backend import aws_clients
from creatorcloud_backend import privacy
from creatorcloud_backend.errors import ApiError
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

USER_KIND = "user"
CLAIM_KIND = "username_claim"
CLAIM_PREFIX = "username#"
# Table attribute -> API field: the table's names are the tables module's, the API's are the site's.
PUBLIC_FIELDS = {
    "userId": "user_id",
    "email": "email",
    "displayName": "display_name",
    "username": "username",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}


def now():
    """The current UTC time as an ISO 8601 string to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def public_profile(row):
    """The API's view of a Users row."""
    return {field: row.get(attribute) for attribute, field in PUBLIC_FIELDS.items()}


def claim_key(username):
    """The Users-table key of a username's claim item."""
    return CLAIM_PREFIX + username


def read_row(user_id):
    """The fan's Users row (strongly consistent), or None."""
    return aws_clients.users_table().get_item(Key={"userId": user_id}, ConsistentRead=True).get("Item")


def create_profile(user_id, email, display_name):
    """Create the fan's row unless it exists (a retried trigger must not overwrite); True if created."""
    row = {"userId": user_id, "kind": USER_KIND, "email": email, "displayName": display_name, "createdAt": now()}
    table = aws_clients.users_table()
    try:
        table.put_item(Item=row, ConditionExpression="attribute_not_exists(userId)")
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def get_profile(user_id):
    """The fan's profile, or NotFound."""
    row = read_row(user_id)
    if row is None:
        raise NotFound("No profile yet.", code="profile_not_found")
    return public_profile(row)


def profile_update_transaction(user_id, old_username, display_name, username):
    """The TransactItems of an update: the row (guarded against a concurrent change) and the claims."""
    table = current_settings().users_table
    row_guard = "attribute_exists(userId) AND " + (
        "username = :old" if old_username else "attribute_not_exists(username)"
    )
    values = {":name": {"S": display_name}, ":username": {"S": username}, ":now": {"S": now()}}
    if old_username:
        values[":old"] = {"S": old_username}
    items = [
        {
            "Update": {
                "TableName": table,
                "Key": {"userId": {"S": user_id}},
                "UpdateExpression": "SET displayName = :name, username = :username, updatedAt = :now",
                "ConditionExpression": row_guard,
                "ExpressionAttributeValues": values,
            }
        }
    ]
    if username != old_username:
        items.append(
            {
                "Put": {
                    "TableName": table,
                    "Item": {
                        "userId": {"S": claim_key(username)},
                        "kind": {"S": CLAIM_KIND},
                        "ownerId": {"S": user_id},
                    },
                    "ConditionExpression": "attribute_not_exists(userId)",
                }
            }
        )
        if old_username:
            items.append(
                {
                    "Delete": {
                        "TableName": table,
                        "Key": {"userId": {"S": claim_key(old_username)}},
                        "ConditionExpression": "ownerId = :me",
                        "ExpressionAttributeValues": {":me": {"S": user_id}},
                    }
                }
            )
    return items


def cancellation_error(reasons):
    """The ApiError for a cancelled update transaction, from which of its items failed."""
    failed = [index for index, reason in enumerate(reasons) if reason.get("Code") == "ConditionalCheckFailed"]
    if failed and failed[0] == 1:
        return Conflict("That username is taken.", code="username_taken")
    return Conflict("The profile changed meanwhile; try again.", code="profile_changed")


def update_profile(user_id, display_name, username):
    """Set the fan's display name and username; Conflict username_taken if another fan holds the name."""
    row = read_row(user_id)
    if row is None:
        raise NotFound("No profile yet.", code="profile_not_found")
    client = aws_clients.dynamodb()
    try:
        client.transact_write_items(
            TransactItems=profile_update_transaction(user_id, row.get("username"), display_name, username)
        )
    except client.exceptions.TransactionCanceledException as error:
        raise cancellation_error(error.response.get("CancellationReasons", [])) from error
    return get_profile(user_id)


def encode_page_token(last_key):
    """An opaque page token for a DynamoDB LastEvaluatedKey."""
    return base64.urlsafe_b64encode(json.dumps(last_key).encode()).decode()


def decode_page_token(token):
    """The ExclusiveStartKey of a page token, or a 422-like ApiError for a token we did not make."""
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError) as error:
        raise ApiError("Bad page token.", code="invalid_page_token") from error
    if not isinstance(key, dict) or set(key) != {"userId"}:
        raise ApiError("Bad page token.", code="invalid_page_token")
    return key


def list_profiles(limit, page_token=None):
    """One page of fans' profiles: {"users": [...], "next": token or None}.

    A Scan page of `limit` items, filtered to fans' rows: a page may hold fewer than `limit`
    users (claims are skipped) and the list ends only when "next" is None.
    """
    request = {
        "Limit": limit,
        "FilterExpression": "#kind = :user",
        "ExpressionAttributeNames": {"#kind": "kind"},
        "ExpressionAttributeValues": {":user": USER_KIND},
    }
    if page_token:
        request["ExclusiveStartKey"] = decode_page_token(page_token)
    response = aws_clients.users_table().scan(**request)
    last_key = response.get("LastEvaluatedKey")
    return {
        "users": [public_profile(row) for row in response["Items"]],
        "next": encode_page_token(last_key) if last_key else None,
    }


def export_profile(user_id):
    """The fan's Users row and username claim as stored, every attribute (None where absent)."""
    row = read_row(user_id)
    claim = None
    if row and row.get("username"):
        claim = aws_clients.users_table().get_item(Key={"userId": claim_key(row["username"])}).get("Item")
    return {"row": row, "username_claim": claim}


def erase_profile(user_id):
    """Delete the fan's username claim and row; nothing to do when they are already gone."""
    row = read_row(user_id)
    if row is None:
        return
    table = aws_clients.users_table()
    if row.get("username"):
        # A failed condition means the claim is gone or someone else's: this fan's claim is released either way.
        with contextlib.suppress(table.meta.client.exceptions.ConditionalCheckFailedException):
            table.delete_item(
                Key={"userId": claim_key(row["username"])},
                ConditionExpression="ownerId = :me",
                ExpressionAttributeValues={":me": user_id},
            )
    table.delete_item(Key={"userId": user_id})


privacy.register("profile", export_profile, erase_profile)
