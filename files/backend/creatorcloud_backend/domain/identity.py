# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fan's user in the creator's Cognito pool: found by the token's sub, exported, deleted, grouped."""

from creatorcloud_backend import aws_clients
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

GROUPS = ("member", "premium", "admin")


def find_pool_user(user_id):
    """The pool's user record whose sub is user_id, or None (the pool's username need not be the sub)."""
    users = aws_clients.cognito().list_users(
        UserPoolId=current_settings().user_pool_id, Filter='sub = "%s"' % user_id.replace('"', ""), Limit=1
    )["Users"]
    return users[0] if users else None


def pool_username(user_id):
    """The pool's username of the user, or NotFound."""
    user = find_pool_user(user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user["Username"]


def user_groups(username):
    """The names of the groups the pool's user is in, sorted."""
    response = aws_clients.cognito().admin_list_groups_for_user(
        UserPoolId=current_settings().user_pool_id, Username=username
    )
    return sorted(group["GroupName"] for group in response["Groups"])


def export_identity(user_id):
    """What the pool holds about the fan: attributes, status, dates and groups ({} once erased)."""
    user = find_pool_user(user_id)
    if user is None:
        return {}
    return {
        "username": user["Username"],
        "attributes": {attribute["Name"]: attribute["Value"] for attribute in user.get("Attributes", [])},
        "status": user.get("UserStatus"),
        "enabled": user.get("Enabled"),
        "created": user["UserCreateDate"].isoformat() if user.get("UserCreateDate") else None,
        "groups": user_groups(user["Username"]),
    }


def delete_identity(user_id):
    """Delete the fan's user from the pool; nothing to do when it is already gone."""
    user = find_pool_user(user_id)
    if user is not None:
        aws_clients.cognito().admin_delete_user(UserPoolId=current_settings().user_pool_id, Username=user["Username"])


def set_group_membership(user_id, group, member):
    """Add the user to the group or remove it; returns the user's groups after."""
    username = pool_username(user_id)
    call = (
        aws_clients.cognito().admin_add_user_to_group if member else aws_clients.cognito().admin_remove_user_from_group
    )
    call(UserPoolId=current_settings().user_pool_id, Username=username, GroupName=group)
    return user_groups(username)
