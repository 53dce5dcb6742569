# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The channel's stream key and the Secrets Manager secret that alone hands it to the operator.

Used by the ivs and shop slices. The key's value goes from IVS straight into the secret: it is never
returned, logged or put in a change description; `conceal` (the module's no_log values) is told
about it the moment it is known, so Ansible masks it should it ever reach any output. A run reads
the secret's content only to compare the key's ARN, channel and ingest server with the channel's;
it reads the value from IVS only when the secret is missing or stale.
"""

import json

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ivs
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import secretsmanager
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags

# The members of the secret that say which key it holds; "stream_key" (the value) is never kept.
RECORD_KEYS = ("stream_key_arn", "channel_arn", "ingest_server")


def stream_key_secret_name(creator):
    """The name of the secret holding the creator's stream key."""
    return f"creatorcloud/{creator}/stream-key"


def secret_state(secret, name):
    """What a slice compares of a described secret: ARN, name, KMS key, whether deletion is scheduled, tags."""
    return {
        "arn": secret["ARN"],
        "name": name,
        "kms_key_id": secret.get("KmsKeyId"),
        "deleted": bool(secret.get("DeletedDate")),
        "tags": secret["Tags"],
    }


def read_secret(client, name):
    """The secret's ARN, KMS key, tags and which key it holds (never the value); None when it is missing."""
    secret = secretsmanager.describe_secret(client, name)
    if secret is None:
        return None
    record = {}
    content = secretsmanager.get_secret_string(client, secret["ARN"])
    if content:
        try:
            stored = json.loads(content)
        except ValueError:
            stored = {}
        if isinstance(stored, dict) and stored.get("stream_key"):
            record = {key: stored.get(key) for key in RECORD_KEYS}
    return dict(secret_state(secret, name), record=record)


def plan_key(changes, client, channel_arn, key_arns, created_key, rotate):
    """Ensure the channel has one stream key (a new one when `rotate`); returns (arn, value or None).

    The value is None when the existing key is kept: the caller reads it only if the secret needs it.
    """
    if created_key is not None:  # CreateChannel made the channel's first key
        return created_key["arn"], created_key["value"]
    if key_arns and not rotate:
        return key_arns[0], None
    for arn in key_arns:
        changes.make(f"delete stream key {arn} (rotation)", ivs.delete_stream_key, client, arn)
    created = changes.make(
        f"create a stream key for channel {channel_arn or '(new)'}", ivs.create_stream_key, client, channel_arn, {}
    )
    if created is None:  # check mode
        return None, None
    return created["arn"], created["value"]


def ensure_stream_key(clients, changes, current_secret, request, conceal):
    """The key and the secret that holds it; returns what the result shows: key ARN, secret ARN and name.

    `clients` is (ivs client, secretsmanager client); `request` holds creator, channel_arn, key_arns,
    created_key, rotate, ingest_server, kms_key_arn, tags and purge_tags.
    """
    ivs_client, secrets_client = clients
    name = stream_key_secret_name(request["creator"])
    if current_secret is not None and current_secret["deleted"]:
        changes.fail(
            f"the secret {name} is scheduled for deletion: restore it (aws secretsmanager restore-secret "
            f"--secret-id {name}) and run again"
        )
    key_arn, value = plan_key(
        changes, ivs_client, request["channel_arn"], request["key_arns"], request["created_key"], request["rotate"]
    )
    if value:
        conceal(value)
    record = {
        "stream_key_arn": key_arn,
        "channel_arn": request["channel_arn"],
        "ingest_server": request["ingest_server"],
    }
    secret_arn = current_secret["arn"] if current_secret else None
    if current_secret is None or current_secret["record"] != record or value:
        if value is None and key_arn is not None and not changes.check_mode:
            value = ivs.get_stream_key(ivs_client, key_arn)["value"]
            conceal(value)
        content = json.dumps(dict(record, stream_key=value), sort_keys=True)
        if current_secret is None:
            secret_arn = changes.make(
                f"store the stream key in secret {name}",
                secretsmanager.create_secret,
                secrets_client,
                name,
                request["kms_key_arn"],
                content,
                request["tags"],
            )
        else:
            description = f"store stream key {key_arn or '(new)'} in secret {name}"
            changes.make(description, secretsmanager.put_secret_string, secrets_client, secret_arn, content)
    if current_secret is not None:
        ensure_secret_settings(secrets_client, changes, current_secret, request)
    return {"stream_key_arn": key_arn, "secret_arn": secret_arn, "secret_name": name}


def ensure_secret_settings(client, changes, current, request):
    """The secret's KMS key and tags."""
    name = current["name"]
    if current["kms_key_id"] != request["kms_key_arn"]:
        description = f"encrypt secret {name} with the creator's KMS key"
        changes.make(description, secretsmanager.update_secret_kms_key, client, current["arn"], request["kms_key_arn"])
    ensure_tags(
        changes,
        f"secret {name}",
        current["tags"],
        request["tags"],
        request["purge_tags"],
        lambda to_set: secretsmanager.tag_secret(client, current["arn"], to_set),
        lambda keys: secretsmanager.untag_secret(client, current["arn"], keys),
    )
