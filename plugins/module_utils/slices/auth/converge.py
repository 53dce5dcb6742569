# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's sign-in: user pool, website app client, groups, first admins.

Private to the auth module. The plan reads every resource first; the steps then run in
dependency order (the pool's id goes into the client, groups and admins). Check mode stops
short of every write and predicts the state after. A failing step raises ConvergeError with
what had already changed.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.admins import ensure_admins
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.admins import read_admins
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import client_view
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import desired_client_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import ensure_client
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import read_client
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import desired_groups
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import ensure_groups
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import groups_view
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import read_groups
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import desired_pool_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import ensure_pool
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import pool_view
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import read_pool

COMPONENT = "auth"


def pool_name(creator):
    """The user pool's name, unique in the creator's account."""
    return resource_name(creator, "users")


def client_name(creator):
    """The website app client's name."""
    return resource_name(creator, "website")


def issuer(region, pool_id):
    """The issuer of the pool's tokens (the iss claim), or None while the pool is only planned."""
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}" if pool_id else None


def describe(state):
    """A state (from read or apply) as the module's diff shows it."""
    return {
        "user_pool": pool_view(state["pool"]),
        "app_client": client_view(state["client"]),
        "groups": groups_view(state["groups"]),
        "admins": sorted(state["admins"]),
    }


def summary(after, region, invited):
    """What the module returns: the ids and URLs the api and frontend slices need."""
    pool_id = after["pool"]["Id"]
    token_issuer = issuer(region, pool_id)
    return {
        "user_pool_id": pool_id,
        "user_pool_arn": after["pool"]["Arn"],
        "client_id": after["client"]["ClientId"],
        "issuer": token_issuer,
        "jwks_url": f"{token_issuer}/.well-known/jwks.json" if token_issuer else None,
        "groups": sorted(after["groups"]),
        "admins_invited": invited,
    }


class Auth:
    """The converge of one creator's sign-in. `desired` holds the module's parameters."""

    def __init__(self, client, desired, check_mode):
        self.client = client
        self.desired = desired
        self.changes = Changes(check_mode)
        self.name = pool_name(desired["creator"])
        self.invited = []

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after) in the shape of describe()."""
        with self.changes.reporting_failures():
            current = self.read()
            after = self.apply(current)
        return bool(self.changes.made), current, after

    def read(self):
        """Every resource as it is now (None, or empty, for each that is missing)."""
        pool = read_pool(self.client, self.name, self.desired["creator"])
        pool_id = pool and pool["Id"]
        return {
            "pool": pool,
            "client": read_client(self.client, pool_id, client_name(self.desired["creator"])),
            "groups": read_groups(self.client, pool_id),
            "admins": read_admins(self.client, pool_id),
        }

    def apply(self, current):
        """Converge the pool, then what lives in it; returns the state after (predicted in check mode)."""
        desired = self.desired
        tags = resource_tags(desired["creator"], COMPONENT, extra=desired["tags"])
        settings = desired_pool_settings(tags, desired["post_confirmation_lambda_arn"])
        pool = ensure_pool(
            self.client, self.changes, current["pool"], self.name, settings, desired["mfa"], desired["purge_tags"]
        )
        client_settings = desired_client_settings(
            client_name(desired["creator"]), desired["domain"], desired["token_lifetimes"]
        )
        app_client = ensure_client(self.client, self.changes, current["client"], pool["Id"], client_settings)
        ensure_groups(self.client, self.changes, current["groups"], pool["Id"])
        self.invited = ensure_admins(self.client, self.changes, current["admins"], pool["Id"], desired["admins"])
        admins = sorted(set(current["admins"]) | {email.lower() for email in desired["admins"]})
        return {"pool": pool, "client": app_client, "groups": desired_groups(), "admins": admins}
