# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's IVS channel: type from the tier, low latency, public playback, its recordings.

Private to the ivs module. The channel is found by its deterministic name; only the settings that
differ are sent in one UpdateChannel.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ivs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags

# What the result and the diff show of a channel.
SHOWN = ("arn", "name", "type", "latencyMode", "authorized", "recordingConfigurationArn", "playbackUrl", "tags")


def desired_channel(name, channel_type, recording_configuration_arn):
    """CreateChannel's request but the tags: authorized false, so anyone may watch the stream."""
    return {
        "name": name,
        "type": channel_type,
        "latencyMode": "LOW",
        "authorized": False,
        "recordingConfigurationArn": recording_configuration_arn,
    }


def ingest_server(channel):
    """The RTMPS URL that OBS streams to (its stream key comes from the secret)."""
    endpoint = channel.get("ingestEndpoint")
    return f"rtmps://{endpoint}:443/app/" if endpoint else None


def shown(channel):
    """The part of a channel that the result and the diff show (never a stream key)."""
    if channel is None:
        return None
    return {key: channel.get(key) for key in SHOWN}


def ensure_channel(client, changes, current, desired, tags, purge_tags):
    """Create the channel, or update the settings that differ and its tags.

    Returns (channel after, the stream key that CreateChannel made or None); in check mode a new
    channel has arn None.
    """
    name = desired["name"]
    if current is None:
        created = changes.make(
            f"create IVS channel {name} ({desired['type']}, low latency)",
            ivs.create_channel,
            client,
            dict(desired, tags=tags),
        )
        if created is None:  # check mode
            return dict(desired, arn=None, playbackUrl=None, ingestEndpoint=None, tags=tags), None
        return created
    update = {key: value for key, value in desired.items() if current.get(key) != value}
    after = dict(current, **update)
    if update:
        settings = ", ".join(f"{key} {'(new)' if value is None else value}" for key, value in sorted(update.items()))
        changes.make(f"update IVS channel {name}: {settings}", ivs.update_channel, client, current["arn"], update)
    after["tags"] = ensure_tags(
        changes,
        f"IVS channel {name}",
        current.get("tags") or {},
        tags,
        purge_tags,
        lambda to_set: ivs.tag_resource(client, current["arn"], to_set),
        lambda keys: ivs.untag_resource(client, current["arn"], keys),
    )
    return after, None
