# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's ticket signing key: the Secrets Manager secret `creatorcloud/<creator>/tickets`.

Private to the events module. The key signs every ticket's door code (HMAC-SHA256 in the events
function), so it is made once, from 32 random bytes, and never replaced by a run: a new key would
void every ticket sold. A run only describes the secret (its value is never read back); the new
value is concealed (the module's no_log values) the moment it is made, and never returned.
"""

import base64
import json
import secrets

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import secretsmanager
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import ensure_secret_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import secret_state

KEY_BYTES = 32


def ticket_key_secret_name(creator):
    """The name of the secret holding the creator's ticket signing key."""
    return f"creatorcloud/{creator}/tickets"


def read_key_secret(client, name):
    """The secret's ARN, KMS key and tags (never its value); None when it is missing."""
    secret = secretsmanager.describe_secret(client, name)
    return None if secret is None else secret_state(secret, name)


def new_key_content(conceal):
    """A fresh key as the secret's JSON {"signing_key": base64}, concealed at once."""
    key = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
    conceal(key)
    return json.dumps({"signing_key": key})


def ensure_ticket_key(client, changes, current, request, conceal):
    """The secret with a key, its KMS key and tags; returns its ARN (None in check mode for a new one)."""
    name = ticket_key_secret_name(request["creator"])
    if current is None:
        return changes.make(
            f"create the ticket signing key in secret {name}",
            secretsmanager.create_secret,
            client,
            name,
            request["kms_key_arn"],
            new_key_content(conceal),
            request["tags"],
        )
    if current["deleted"]:
        changes.fail(
            f"the secret {name} is scheduled for deletion and signs every ticket sold: restore it "
            f"(aws secretsmanager restore-secret --secret-id {name}) and run again"
        )
    ensure_secret_settings(client, changes, current, request)
    return current["arn"]
