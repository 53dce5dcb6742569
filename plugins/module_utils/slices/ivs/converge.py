# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's live streaming: recordings bucket, recording configuration, IVS channel,
stream key and the secret that holds it.

Private to the ivs module. Every resource is found by its deterministic name. The run reads
everything first, then applies in dependency order (bucket, recording configuration, channel,
stream key and secret, then the replaced recording configurations); in check mode it stops
after planning. The stream key's value is never part of the state, the diff or the changes.
"""

import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ivs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import recordings_bucket_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import ensure_stream_key
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import read_secret
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import stream_key_secret_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.channel import desired_channel
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.channel import ensure_channel
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.channel import ingest_server
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.channel import shown
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.recordings import (
    ensure_recording_configuration,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.recordings import (
    ensure_recordings_bucket,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.recordings import read_recordings_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.recordings import (
    remove_stale_recording_configurations,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.recordings import wait_until_active

COMPONENT = "ivs"
# What the result and the diff show of a recording configuration.
RECORDING_SHOWN = ("arn", "name", "state", "destinationConfiguration", "thumbnailConfiguration", "tags")


class LiveStreamingClients:
    """The clients of the slice, inside the creator's account and the module's region."""

    def __init__(self, session):
        self.ivs = session.client("ivs")
        self.s3 = session.client("s3")
        self.secretsmanager = session.client("secretsmanager")


class LiveStreaming:
    """Plans and applies one creator's live streaming; `changes` records every write."""

    def __init__(self, clients, desired, check_mode, conceal, sleep=time.sleep, clock=time.monotonic):
        self.clients = clients
        self.desired = desired
        self.changes = Changes(check_mode)
        self.conceal = conceal
        self.sleep = sleep
        self.clock = clock
        creator = desired["creator"]
        self.tags = resource_tags(creator, COMPONENT, desired["tags"])
        self.bucket = recordings_bucket_name(creator, desired["account_id"])
        self.channel_name = resource_name(creator, "live")
        self.recording_name = resource_name(creator, "recordings")

    def converge(self):
        """Read, plan and apply; returns (changed, state before, state after)."""
        with self.changes.reporting_failures():
            current = self.read()
            after = self.apply(current)
        return bool(self.changes.made), current, after

    def read(self):
        """Every resource of the slice as it is now (None for each that is missing)."""
        clients = self.clients
        channel = ivs.find_channel(clients.ivs, self.channel_name)
        return {
            "bucket": read_recordings_bucket(clients.s3, self.bucket),
            "recording_configurations": ivs.find_recording_configurations(clients.ivs, self.recording_name),
            "channel": channel,
            "key_arns": ivs.list_stream_key_arns(clients.ivs, channel["arn"]) if channel else [],
            "secret": read_secret(clients.secretsmanager, stream_key_secret_name(self.desired["creator"])),
        }

    def apply(self, current):
        """Converge each resource in dependency order; returns the state after (predicted in check mode)."""
        clients, changes, desired = self.clients, self.changes, self.desired
        bucket = ensure_recordings_bucket(
            clients.s3,
            changes,
            current["bucket"],
            dict(desired, bucket=self.bucket, tags=self.tags, retention_days=desired["recordings_retention_days"]),
        )
        configurations = current["recording_configurations"]
        attached = (current["channel"] or {}).get("recordingConfigurationArn")
        recording = ensure_recording_configuration(
            clients.ivs,
            changes,
            configurations,
            dict(
                name=self.recording_name,
                bucket=self.bucket,
                tags=self.tags,
                purge_tags=desired["purge_tags"],
                wait=self._wait_until_active,
            ),
            attached,
        )
        channel, created_key = ensure_channel(
            clients.ivs,
            changes,
            current["channel"],
            desired_channel(self.channel_name, tier_settings(desired["tier"])["ivs_channel_type"], recording["arn"]),
            self.tags,
            desired["purge_tags"],
        )
        stream_key = ensure_stream_key(
            (clients.ivs, clients.secretsmanager),
            changes,
            current["secret"],
            dict(
                desired,
                channel_arn=channel["arn"],
                key_arns=current["key_arns"],
                created_key=created_key,
                rotate=desired["rotate_stream_key"],
                ingest_server=ingest_server(channel),
                tags=self.tags,
            ),
            self.conceal,
        )
        remove_stale_recording_configurations(clients.ivs, changes, configurations, recording["arn"])
        return {
            "bucket": bucket,
            "recording_configurations": [recording],
            "channel": channel,
            "stream_key": stream_key,
        }

    def _wait_until_active(self, configuration):
        """Wait for a new recording configuration, so the channel accepts it."""
        return wait_until_active(
            self.clients.ivs, self.changes, configuration, self.desired["wait_timeout"], self.sleep, self.clock
        )


def describe(state):
    """The diff's view of the slice: no stream key value, only which key and which secret."""
    configurations = state["recording_configurations"]
    recording = configurations[0] if configurations else None
    return {
        "recordings_bucket": state["bucket"],
        "recording_configuration": {key: recording.get(key) for key in RECORDING_SHOWN} if recording else None,
        "channel": shown(state["channel"]),
        "stream_key": state.get("stream_key")
        or ({"stream_key_arn": state["key_arns"][0]} if state.get("key_arns") else None),
    }


def summary(after):
    """What the module returns and the role exports as facts (predicted ARNs are None in check mode)."""
    channel = after["channel"]
    return {
        "channel_arn": channel["arn"],
        "playback_url": channel.get("playbackUrl"),
        "ingest_server": ingest_server(channel),
        "recording_configuration_arn": channel.get("recordingConfigurationArn"),
        "recordings_bucket": after["bucket"]["name"],
        "stream_key_arn": after["stream_key"]["stream_key_arn"],
        "stream_key_secret_arn": after["stream_key"]["secret_arn"],
        "stream_key_secret_name": after["stream_key"]["secret_name"],
    }
