# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's chat: the log group, the IVS Chat logging configuration, the room.

Private to the chat module. Each resource is found again by its deterministic name and the
`creatorcloud:creator` tag. The steps run in dependency order: the log group before the
logging configuration that writes to it, the logging configuration before the room that names
it. Check mode stops short of every write and predicts the state after. A failing step raises
ConvergeError with what had already changed.
"""

import functools

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ivschat
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import NAME_PREFIX
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import ensure_log_group
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import function_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import log_group_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import read_log_groups
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import read_tags

COMPONENT = "chat"
# A room whose review handler fails or times out rejects the message rather than publishing it unreviewed.
FALLBACK_RESULT = "DENY"
# What IVS Chat accepts (CreateRoom: maximumMessageLength 1-500, maximumMessageRatePerSecond 1-100).
LIMITS = {"max_message_length": (1, 500), "max_messages_per_second": (1, 100)}
ROOM_SETTINGS = ("name", "maximumMessageLength", "maximumMessageRatePerSecond", "messageReviewHandler")
UNKNOWN = "(known after creation)"


def room_name(creator):
    """The chat room's name: creatorcloud-<creator>-chat."""
    return resource_name(creator, "chat")


def logging_configuration_name(creator):
    """The logging configuration's name: creatorcloud-<creator>-chat-logs."""
    return resource_name(creator, "chat-logs")


def chat_log_group(creator):
    """The CloudWatch Logs log group of the room's messages and events."""
    return f"/{NAME_PREFIX}/{creator}/chat"


def review_handler_arn(region, account_id, creator):
    """The moderation function's ARN: known before the api slice creates it later in the run."""
    return function_arn(region, account_id, resource_name(creator, "chat-review"))


def limit_errors(params):
    """Each room limit outside what IVS Chat accepts, named with its value."""
    return [
        f"{field} {params[field]!r} must be between {low} and {high}"
        for field, (low, high) in LIMITS.items()
        if not low <= params[field] <= high
    ]


def ours(summaries, creator):
    """The one resource of `summaries` tagged as the creator's, or None."""
    found = [summary for summary in summaries if summary.get("tags", {}).get(CREATOR_TAG) == creator]
    return found[0] if found else None


def room_view(room):
    """A room as the module's diff shows it."""
    if room is None:
        return None
    return {key: room.get(key) for key in ("arn", *ROOM_SETTINGS, "loggingConfigurationIdentifiers", "tags")}


def logging_view(configuration):
    """A logging configuration as the module's diff shows it."""
    if configuration is None:
        return None
    return {key: configuration.get(key) for key in ("arn", "name", "destinationConfiguration", "tags")}


def describe(state):
    """A state (from read or apply) as the module's diff shows it."""
    return {
        "log_group": state["log_group"] and {key: state["log_group"][key] for key in ("name", "retention")},
        "logging_configuration": logging_view(state["logging_configuration"]),
        "room": room_view(state["room"]),
    }


class Chat:
    """The converge of one creator's chat. `desired` holds the module's parameters (with region)."""

    def __init__(self, ivschat_client, logs_client, tagging_client, desired, check_mode):
        self.ivschat = ivschat_client
        self.logs = logs_client
        self.tagging = tagging_client
        self.desired = desired
        self.changes = Changes(check_mode)
        self.tags = resource_tags(desired["creator"], COMPONENT, extra=desired["tags"])
        self.log_group = chat_log_group(desired["creator"])

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after) in the shape of describe()."""
        with self.changes.reporting_failures():
            current = self.read()
            after = self.apply(current)
        return bool(self.changes.made), current, after

    def read(self):
        """Every resource as it is now (None for each that is missing)."""
        creator = self.desired["creator"]
        name = logging_configuration_name(creator)
        configurations = [c for c in ivschat.list_logging_configurations(self.ivschat) if c.get("name") == name]
        room = ours(ivschat.list_rooms(self.ivschat, room_name(creator)), creator)
        return {
            "log_group": self.read_log_group(),
            "logging_configuration": ours(configurations, creator),
            # The summary lacks the limits: read the whole room.
            "room": room and ivschat.get_room(self.ivschat, room["arn"]),
        }

    def read_log_group(self):
        """The chat's log group as {"name", "arn", "retention", "tags"}, or None."""
        found = read_log_groups(self.logs, self.log_group, read_tags(self.tagging)).get(self.log_group)
        return found and dict(found, name=self.log_group)

    def desired_room(self, logging_arn):
        """The room's settings, in CreateRoom's request shape."""
        desired = self.desired
        return {
            "name": room_name(desired["creator"]),
            "maximumMessageLength": desired["max_message_length"],
            "maximumMessageRatePerSecond": desired["max_messages_per_second"],
            "messageReviewHandler": {
                "uri": review_handler_arn(desired["region"], desired["account_id"], desired["creator"]),
                "fallbackResult": FALLBACK_RESULT,
            },
            "loggingConfigurationIdentifiers": [logging_arn],
        }

    def ensure_resource_tags(self, what, current, arn):
        """The tags of a room or logging configuration; returns them after."""
        tag = functools.partial(ivschat.tag_resource, self.ivschat, arn)
        untag = functools.partial(ivschat.untag_resource, self.ivschat, arn)
        return ensure_tags(self.changes, what, current, self.tags, self.desired["purge_tags"], tag, untag)

    def ensure_logging_configuration(self, current):
        """Create the logging configuration or point it at the log group; returns it after."""
        request = {
            "name": logging_configuration_name(self.desired["creator"]),
            "destinationConfiguration": {"cloudWatchLogs": {"logGroupName": self.log_group}},
        }
        what = f"chat logging configuration {request['name']}"
        if current is None:
            created = self.changes.make(
                f"create {what}", ivschat.create_logging_configuration, self.ivschat, dict(request, tags=self.tags)
            )
            return dict(request, arn=created["arn"] if created else UNKNOWN, tags=dict(self.tags))
        after = dict(current)
        if current.get("destinationConfiguration") != request["destinationConfiguration"]:
            update = {"identifier": current["arn"], "destinationConfiguration": request["destinationConfiguration"]}
            self.changes.make(
                f"send the {what} to {self.log_group}", ivschat.update_logging_configuration, self.ivschat, update
            )
            after["destinationConfiguration"] = request["destinationConfiguration"]
        after["tags"] = self.ensure_resource_tags(what, current.get("tags", {}), current["arn"])
        return after

    def ensure_room(self, current, logging_arn):
        """Create the room or update the settings that differ; returns it after."""
        request = self.desired_room(logging_arn)
        what = f"chat room {request['name']}"
        if current is None:
            created = self.changes.make(
                f"create {what}", ivschat.create_room, self.ivschat, dict(request, tags=self.tags)
            )
            if created:
                return {key: value for key, value in created.items() if key != "ResponseMetadata"}
            return dict(request, arn=UNKNOWN, id=UNKNOWN, tags=dict(self.tags))
        different = [key for key in request if current.get(key) != request[key]]
        after = dict(current)
        if different:
            update = {"identifier": current["arn"], **{key: request[key] for key in different}}
            self.changes.make(f"update {what}: {', '.join(different)}", ivschat.update_room, self.ivschat, update)
            after.update(request)
        after["tags"] = self.ensure_resource_tags(what, current.get("tags", {}), current["arn"])
        return after

    def apply(self, current):
        """Converge the log group, the logging configuration, then the room; returns the state after."""
        desired = self.desired
        log_group = ensure_log_group(
            self.changes,
            self.logs,
            self.log_group,
            log_group_arn(desired["region"], desired["account_id"], self.log_group),
            desired["log_retention_days"],
            self.tags,
            current["log_group"],
            desired["purge_tags"],
        )
        configuration = self.ensure_logging_configuration(current["logging_configuration"])
        room = self.ensure_room(current["room"], configuration["arn"])
        return {"log_group": log_group, "logging_configuration": configuration, "room": room}


def summary(after):
    """What the module returns: the room and logging configuration the api and frontend slices need."""
    room = after["room"]
    return {
        "room_arn": room["arn"],
        "room_id": room.get("id") or room["arn"].rsplit("/", 1)[-1],
        "room_name": room["name"],
        "max_message_length": room["maximumMessageLength"],
        "max_messages_per_second": room["maximumMessageRatePerSecond"],
        "review_handler_uri": room["messageReviewHandler"]["uri"],
        "logging_configuration_arn": after["logging_configuration"]["arn"],
        "log_group": after["log_group"]["name"],
    }
