# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who is calling: the claims of the JWT that API Gateway (or the local gateway) has already verified.

A user id is taken from the verified `sub` claim only, never from a body or a path.
"""

from dataclasses import dataclass

from creatorcloud_backend.errors import Forbidden
from creatorcloud_backend.errors import Unauthorized

ADMIN_GROUP = "admin"
MODERATOR_GROUP = "moderator"
DOOR_GROUP = "door"


@dataclass(frozen=True)
class Caller:
    """The verified identity of a request."""

    user_id: str
    email: str
    groups: frozenset

    @property
    def is_admin(self):
        """Whether the caller is in the admin group."""
        return ADMIN_GROUP in self.groups

    @property
    def is_moderator(self):
        """Whether the caller may moderate the chat: moderators and admins."""
        return self.is_admin or MODERATOR_GROUP in self.groups

    @property
    def role(self):
        """The caller's chat role: "admin", "moderator" or "fan"."""
        if self.is_admin:
            return ADMIN_GROUP
        return MODERATOR_GROUP if self.is_moderator else "fan"


def claim_groups(value):
    """cognito:groups as a set: a list in a raw token, the string "[admin member]" as HTTP APIs pass it."""
    if not value:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.strip("[]").replace(",", " ").split())
    return frozenset(value)


def caller_from_event(event):
    """The Caller of a Powertools APIGatewayProxyEventV2, or Unauthorized without a verified subject."""
    authorizer = (event.raw_event.get("requestContext") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims") or {}
    if not claims.get("sub"):
        raise Unauthorized("Sign in first.")
    return Caller(
        user_id=claims["sub"],
        email=claims.get("email", ""),
        groups=claim_groups(claims.get("cognito:groups")),
    )


def require_admin(caller):
    """The caller if an admin, Forbidden otherwise."""
    if not caller.is_admin:
        raise Forbidden("Only an admin may do this.")
    return caller


def require_door(caller):
    """The caller if door staff or an admin (who may check tickets in), Forbidden otherwise."""
    if not (caller.is_admin or DOOR_GROUP in caller.groups):
        raise Forbidden("Only the door staff may check tickets in.")
    return caller


def require_moderator(caller):
    """The caller if a moderator or an admin, Forbidden otherwise."""
    if not caller.is_moderator:
        raise Forbidden("Only a moderator may do this.")
    return caller
