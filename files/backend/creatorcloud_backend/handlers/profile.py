# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The profile function: /api/health, /api/me (+ export, erasure) and the admin routes.

Route keys carry the /api prefix the site calls on its own domain (the HTTP API's $default
stage adds nothing to rawPath). Handlers only route, validate and authorize; the work is in
creatorcloud_backend.domain and creatorcloud_backend.privacy.
"""

from typing import Annotated
from typing import Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from creatorcloud_backend import privacy
from creatorcloud_backend.auth import caller_from_event
from creatorcloud_backend.auth import require_admin
from creatorcloud_backend.domain import identity
from creatorcloud_backend.domain import profile
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"

logger = Logger(service="profile")
health_router = APIGatewayHttpRouter()
me_router = APIGatewayHttpRouter()
admin_router = APIGatewayHttpRouter()


class ProfileUpdate(BaseModel):
    """PUT /api/me: the fields a fan edits."""

    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, Field(min_length=1, max_length=50)]
    username: Annotated[str, Field(pattern=r"^[a-z0-9_]{3,20}$")]


class GroupChange(BaseModel):
    """PUT /api/admin/users/{userId}/groups: put the user in a group or take it out."""

    model_config = ConfigDict(extra="forbid")

    group: Literal["member", "premium", "admin"]
    member: bool


@health_router.get("/health")
def health():
    """Liveness, without auth and without touching AWS."""
    return {"status": "ok"}


@me_router.get("/me")
def read_me():
    """The caller's profile."""
    return profile.get_profile(caller_from_event(me_router.current_event).user_id)


@me_router.put("/me")
def update_me(change: ProfileUpdate):
    """Set the caller's display name and (unique) username."""
    caller = caller_from_event(me_router.current_event)
    return profile.update_profile(caller.user_id, change.display_name, change.username)


@me_router.get("/me/export")
def export_me():
    """Everything held about the caller, as JSON (GDPR Art. 15 and 20)."""
    return privacy.export_user(caller_from_event(me_router.current_event).user_id)


@me_router.delete("/me")
def erase_me():
    """Erase the caller from every feature's tables and from the pool (GDPR Art. 17)."""
    caller = caller_from_event(me_router.current_event)
    erased = privacy.erase_user(caller.user_id)
    logger.info("erased a fan", extra={"erased": erased})
    return {"erased": erased}


@admin_router.get("/admin/users")
def list_users(
    limit: Annotated[int, Query(ge=1, le=60)] = 50,
    next_token: Annotated[str | None, Query(alias="next", max_length=2048)] = None,
):
    """One page of fans' profiles, from the Users table."""
    require_admin(caller_from_event(admin_router.current_event))
    return profile.list_profiles(limit, next_token)


# The API's route key names the segment {userId}; Powertools matches the raw path, so the name here is ours.
@admin_router.put("/admin/users/<user_id>/groups")
def change_groups(user_id: str, change: GroupChange):
    """Add a user to a group or remove them; an admin cannot drop their own admin membership."""
    caller = require_admin(caller_from_event(admin_router.current_event))
    if user_id == caller.user_id and change.group == "admin" and not change.member:
        raise Conflict("Another admin must remove you from admin.", code="cannot_remove_own_admin")
    return {"user_id": user_id, "groups": identity.set_group_membership(user_id, change.group, change.member)}


app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app, logger)
for router in (health_router, me_router, admin_router):
    app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
