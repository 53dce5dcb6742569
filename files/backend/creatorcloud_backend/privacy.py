# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one mechanism for GDPR export (Art. 15/20) and erasure (Art. 17) across features.

Each feature's domain module calls `register(name, export, erase)` at import: `export(user_id)`
returns a JSON-ready dict of everything the feature holds about the fan, `erase(user_id)` deletes
it and must be idempotent (an erasure that failed half-way is finished by running it again).
A new feature adds its module to FEATURE_MODULES, so the profile function, which serves
GET /me/export and DELETE /me, loads every feature's steps without importing their handlers.
"""

import importlib
from dataclasses import dataclass

from creatorcloud_backend.domain import identity

FEATURE_MODULES = (
    "creatorcloud_backend.domain.profile",
    "creatorcloud_backend.domain.chat",
    "creatorcloud_backend.domain.shop",
    "creatorcloud_backend.domain.membership",
    "creatorcloud_backend.domain.donations",
    "creatorcloud_backend.domain.tickets",
)

_STEPS = {}


@dataclass(frozen=True)
class PrivacyStep:
    """A feature's export and erasure of one fan's data."""

    name: str
    export: object
    erase: object


def register(name, export, erase):
    """Register (or replace, on re-import) the export and erasure steps of a feature."""
    _STEPS[name] = PrivacyStep(name, export, erase)


def unregister(name):
    """Forget a feature's steps (tests of the mechanism itself)."""
    _STEPS.pop(name, None)


def registered_steps():
    """Every feature's steps, in registration order, after importing the feature modules."""
    for module in FEATURE_MODULES:
        importlib.import_module(module)
    return list(_STEPS.values())


def export_user(user_id):
    """{"userId", "account": what the pool knows, <feature>: what each feature holds}."""
    document = {"userId": user_id, "account": identity.export_identity(user_id)}
    for step in registered_steps():
        document[step.name] = step.export(user_id)
    return document


def erase_user(user_id):
    """Erase every feature's data, then the pool's user: last, so the fan can still sign in to retry."""
    erased = []
    for step in registered_steps():
        step.erase(user_id)
        erased.append(step.name)
    identity.delete_identity(user_id)
    return erased + ["account"]
