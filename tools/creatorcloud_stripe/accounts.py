# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-mode Stripe accounts, one per secret key: their objects, events and webhook forward."""

import threading
from dataclasses import dataclass
from dataclasses import field

from creatorcloud_stripe.api_errors import no_such


@dataclass(frozen=True)
class Forward:
    """Where an account's events go and the secret they are signed with (`stripe listen --forward-to`)."""

    url: str
    webhook_secret: str


@dataclass
class Account:
    """One secret key's data: objects by id, events in the order they happened, idempotent responses."""

    secret_key: str
    objects: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    forward: Forward | None = None
    idempotent_responses: dict = field(default_factory=dict)
    session_line_items: dict = field(default_factory=dict)

    def add(self, obj):
        """Keep a new object (a dict with `id`) and return it."""
        self.objects[obj["id"]] = obj
        return obj

    def get(self, object_id, kind, param="id"):
        """The object with this id and `object` kind, or Stripe's resource_missing error."""
        obj = self.objects.get(object_id)
        if obj is None or obj.get("object") != kind:
            raise no_such(kind, object_id, param)
        return obj

    def record(self, event):
        """Keep an event; the app delivers the events a request recorded once it has answered."""
        self.events.append(event)
        return self.add(event)

    def of_kind(self, kind):
        """Every object of one kind, oldest first."""
        return [obj for obj in self.objects.values() if obj.get("object") == kind]


class Accounts:
    """Every account the stand-in has seen; one lock guards them all (a local server, a few requests a second)."""

    def __init__(self):
        self.lock = threading.RLock()
        self._by_key = {}

    def for_key(self, secret_key):
        """The account of a secret key, created on first use as a test-mode account is."""
        with self.lock:
            return self._by_key.setdefault(secret_key, Account(secret_key))

    def known(self, secret_key):
        """The account of a secret key, or None when that key was never used."""
        return self._by_key.get(secret_key)

    def all(self):
        """Every account, in the order their keys were first used."""
        with self.lock:
            return list(self._by_key.values())

    def owner_of(self, object_id, kind):
        """The account holding an object (ids are unique across accounts), and the object."""
        with self.lock:
            for account in self._by_key.values():
                obj = account.objects.get(object_id)
                if obj is not None and obj.get("object") == kind:
                    return account, obj
        raise no_such(kind, object_id)
