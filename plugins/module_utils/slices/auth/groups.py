# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The groups of the creator's user pool: admin, moderator, door, premium and member.

Private to the auth module. Groups not named here are the operator's and are left alone.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cognito
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches

ADMIN_GROUP = "admin"
# Cognito puts the group of the lowest precedence into a token's cognito:preferred_role:
# an admin who is also premium is seen as admin.
GROUPS = (
    (ADMIN_GROUP, "Operators of the creator's platform", 0),
    ("moderator", "Fans who may delete chat messages and ban fans from the chat", 5),
    ("door", "Staff who check tickets in at an event's door", 7),
    ("premium", "Fans with a paid membership", 10),
    ("member", "Fans with an account", 20),
)


def desired_groups():
    """CreateGroup requests of every group, by name."""
    return {
        name: {"GroupName": name, "Description": description, "Precedence": precedence}
        for name, description, precedence in GROUPS
    }


def read_groups(client, pool_id):
    """The pool's groups by name; none when the pool is new."""
    if pool_id is None:
        return {}
    return {group["GroupName"]: group for group in cognito.list_groups(client, pool_id)}


def ensure_groups(client, changes, current, pool_id):
    """Create missing groups and correct their description and precedence; returns the group names."""
    for name, request in desired_groups().items():
        if name not in current:
            changes.make(f"create group {name}", cognito.create_group, client, pool_id, request)
        elif not matches(current[name], request):
            changes.make(f"update group {name}", cognito.update_group, client, pool_id, request)
    return sorted(desired_groups())


def groups_view(groups):
    """Groups as the diff shows them: name -> precedence."""
    return {name: group.get("Precedence") for name, group in sorted(groups.items())}
