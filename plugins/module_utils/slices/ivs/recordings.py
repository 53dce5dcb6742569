# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stream recordings: a private bucket that forgets them after the retention days, and the IVS
recording configuration that writes to it.

Private to the ivs module. AWS cannot update a recording configuration: a changed one is created
anew, the channel is switched to it, and the old one is deleted once no channel uses it.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ivs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import desired_expiry_rules
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import ensure_expiring_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import expiry_days
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import read_expiring_bucket

LIFECYCLE_RULE_ID = "expire-recordings"
# The backup module turns versioning on for every bucket of the creator; an expired recording then becomes a
# noncurrent version, which goes a day later. A rule with Expiration Days also removes the delete markers left
# behind (S3 refuses ExpiredObjectDeleteMarker next to Days), so one rule keeps the bucket from growing forever.
NONCURRENT_RECORDING_DAYS = 1
THUMBNAILS = {"recordingMode": "INTERVAL", "targetIntervalSeconds": 60, "storage": ["SEQUENTIAL", "LATEST"]}
POLL_SECONDS = 2


def desired_lifecycle_rules(retention_days):
    """The recordings expire `retention_days` after they were written."""
    return desired_expiry_rules(LIFECYCLE_RULE_ID, retention_days, NONCURRENT_RECORDING_DAYS)


def retention_of(rules):
    """The expiry days of the recordings rule, or None when it is missing or differs."""
    return expiry_days(rules, LIFECYCLE_RULE_ID, NONCURRENT_RECORDING_DAYS)


def read_recordings_bucket(client, bucket):
    """The bucket's settings, policy, retention days and tags; None when it is missing."""
    return read_expiring_bucket(client, bucket, LIFECYCLE_RULE_ID, NONCURRENT_RECORDING_DAYS)


def ensure_recordings_bucket(client, changes, current, request):
    """The private bucket, its TLS-only policy and its expiry rule; returns the bucket after.

    `request` holds bucket, region, kms_key_arn, tags, purge_tags and retention_days.
    """
    rules = desired_lifecycle_rules(request["retention_days"])
    return ensure_expiring_bucket(client, changes, current, dict(request, what="recordings"), rules)


def desired_recording_configuration(name, bucket):
    """CreateRecordingConfiguration's request but the tags: recordings and thumbnails into `bucket`."""
    return {
        "name": name,
        "destinationConfiguration": {"s3": {"bucketName": bucket}},
        "thumbnailConfiguration": THUMBNAILS,
    }


def pick_recording_configuration(configurations, desired, attached_arn):
    """The configuration to keep: one that matches `desired`, the channel's own first; None when none does."""
    fitting = [item for item in configurations if matches(item, desired) and item.get("state") != "CREATE_FAILED"]
    fitting.sort(key=lambda item: item["arn"] != attached_arn)
    return fitting[0] if fitting else None


def ensure_recording_configuration(client, changes, configurations, request, attached_arn):
    """Keep the matching configuration (tags converged) or create one; returns it (arn None when planned).

    `request` holds name, bucket, tags, purge_tags, wait (a callable that waits until a new one is ACTIVE).
    """
    desired = desired_recording_configuration(request["name"], request["bucket"])
    current = pick_recording_configuration(configurations, desired, attached_arn)
    if current is None:
        created = changes.make(
            f"create recording configuration {request['name']} into bucket {request['bucket']}",
            ivs.create_recording_configuration,
            client,
            dict(desired, tags=request["tags"]),
        )
        if created is None:  # check mode
            return dict(desired, arn=None, state="ACTIVE", tags=request["tags"])
        return request["wait"](created)
    tags = ensure_tags(
        changes,
        f"recording configuration {request['name']}",
        current.get("tags") or {},
        request["tags"],
        request["purge_tags"],
        lambda to_set: ivs.tag_resource(client, current["arn"], to_set),
        lambda keys: ivs.untag_resource(client, current["arn"], keys),
    )
    return dict(current, tags=tags)


def remove_stale_recording_configurations(client, changes, configurations, kept_arn):
    """Delete our configurations (by name) other than the kept one: the channel no longer uses them."""
    for item in configurations:
        if item["arn"] != kept_arn:
            changes.make(
                f"delete recording configuration {item['arn']} (replaced)",
                ivs.delete_recording_configuration,
                client,
                item["arn"],
            )


def wait_until_active(client, changes, configuration, timeout, sleep, clock):
    """Poll a new configuration until it is ACTIVE (a channel refuses it before); returns it."""
    deadline = clock() + timeout
    while configuration.get("state") != "ACTIVE":
        if configuration.get("state") == "CREATE_FAILED":
            changes.fail(
                f"recording configuration {configuration['arn']} failed to create: check that the bucket "
                f"{configuration['destinationConfiguration']['s3']['bucketName']} is in the channel's region"
            )
        if clock() >= deadline:
            changes.fail(
                f"waited {timeout} seconds for recording configuration {configuration['arn']} to become ACTIVE: "
                "run again later, the next run continues from there"
            )
        sleep(POLL_SECONDS)
        configuration = ivs.get_recording_configuration(client, configuration["arn"])
    return configuration
