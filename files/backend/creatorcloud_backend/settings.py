# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment a deployed function gets: table names, the user pool, the region."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """What the api role passes to every function as environment variables."""

    users_table: str
    user_pool_id: str
    region: str


def current_settings():
    """Settings read from the environment now (cheap; tests change the environment between cases)."""
    return Settings(
        users_table=os.environ.get("USERS_TABLE", "Users"),
        user_pool_id=os.environ.get("USER_POOL_ID", ""),
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"),
    )
