# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The operators' admin users of the creator's user pool: invited by e-mail, never with a password.

Private to the auth module. An admin who is already a user is never invited again nor changed;
only a missing membership of the admin group is added (that is what an interrupted run leaves).
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cognito
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import ADMIN_GROUP


def user_email(user):
    """The e-mail attribute of a user, in lower case."""
    attributes = {item["Name"]: item["Value"] for item in user.get("Attributes", [])}
    return attributes.get("email", "").lower()


def distinct_emails(emails):
    """Each address once, as first written: e-mail sign-in ignores case, so A@x and a@x are one user."""
    first = {}
    for email in emails:
        first.setdefault(email.lower(), email)
    return list(first.values())


def read_admins(client, pool_id):
    """The e-mails of the admin group's members; none when the pool is new."""
    if pool_id is None:
        return []
    return sorted(user_email(user) for user in cognito.list_users_in_group(client, pool_id, ADMIN_GROUP))


def ensure_admins(client, changes, current, pool_id, emails):
    """Invite each admin who is not a user yet and add each to the admin group; returns those invited."""
    invited = []
    for email in distinct_emails(emails):
        if email.lower() in current:
            continue
        user = cognito.find_user_by_email(client, pool_id, email) if pool_id else None
        if user is None:
            user = changes.make(f"invite admin {email}", cognito.invite_user, client, pool_id, email)
            invited.append(email)
        # With e-mail sign-in Cognito names the user by a generated id, which the e-mail stands for until known.
        username = user["Username"] if user else email
        changes.make(
            f"add {email} to group {ADMIN_GROUP}", cognito.add_user_to_group, client, pool_id, username, ADMIN_GROUP
        )
    return invited
