# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's events slice: the ticket signing key and the declared events.

Private to the events module. Plan first: read the key's secret and every declared event's row,
and refuse, before any write, a change the sales do not allow (catalogue.plan_errors). Then apply
in order: the key (so a ticket sold the moment the first event is on sale can be signed), then
each event. In check mode the plan is the result.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import plan_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_after
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.events import catalogue
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.events.ticket_key import ensure_ticket_key
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.events.ticket_key import read_key_secret
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.events.ticket_key import (
    ticket_key_secret_name,
)

COMPONENT = "events"


def key_view(secret):
    """What the diff shows of the key's secret: never its value."""
    if secret is None:
        return {}
    return {"arn": secret["arn"], "name": secret["name"], "kms_key_id": secret["kms_key_id"], "tags": secret["tags"]}


class EventsSlice:
    """Plans and applies one creator's events slice; `changes` records every write."""

    def __init__(self, clients, desired, check_mode, conceal):
        self.dynamodb, self.secrets = clients
        self.desired = desired
        self.conceal = conceal
        self.changes = Changes(check_mode)
        self.tags = resource_tags(desired["creator"], COMPONENT, desired["tags"])
        self.wanted = {event["id"]: catalogue.desired_fields(event, desired["currency"]) for event in desired["events"]}

    def converge(self):
        """Read, plan and apply; returns (changed, state before, state after)."""
        desired = self.desired
        with self.changes.reporting_failures():
            secret = read_key_secret(self.secrets, ticket_key_secret_name(desired["creator"]))
            rows = catalogue.read_events(self.dynamodb, desired["events_table"], sorted(self.wanted))
            problems = [
                error
                for event_id, wanted in self.wanted.items()
                for error in catalogue.plan_errors(rows.get(event_id), wanted, event_id)
            ]
            if problems:
                self.changes.fail("; ".join(problems))
            request = {
                "creator": desired["creator"],
                "kms_key_arn": desired["kms_key_arn"],
                "tags": self.tags,
                "purge_tags": desired["purge_tags"],
            }
            arn = ensure_ticket_key(self.secrets, self.changes, secret, request, self.conceal)
            after_rows = catalogue.ensure_events(
                self.changes, self.dynamodb, desired["events_table"], rows, self.wanted
            )
        before = {
            "ticket_key": key_view(secret),
            "events": {event_id: catalogue.view(row) for event_id, row in rows.items()},
        }
        after = {
            "ticket_key": self.key_after(secret, arn),
            "events": {event_id: catalogue.view(row) for event_id, row in after_rows.items()},
        }
        return bool(self.changes.made), before, after

    def key_after(self, secret, arn):
        """The key's secret once the run is done, as planned."""
        name = ticket_key_secret_name(self.desired["creator"])
        if secret is None:
            return {"arn": arn, "name": name, "kms_key_id": self.desired["kms_key_arn"], "tags": self.tags}
        tags = tags_after(secret["tags"], *plan_tags(secret["tags"], self.tags, self.desired["purge_tags"]))
        return dict(key_view(secret), kms_key_id=self.desired["kms_key_arn"], tags=tags)
