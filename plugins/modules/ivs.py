#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ivs
short_description: Ensure a creator's live streaming on Amazon IVS (channel, recordings, stream key)
version_added: 0.1.0
description:
  - Ensures, inside the creator's member account (by assuming O(role_name) there) and in the module's region, the
    IVS channel C(creatorcloud-<creator>-live) with the type of O(tier) (C(BASIC) for small, C(STANDARD) for medium
    and large), low latency and public playback (not authorized), tagged C(creatorcloud:creator=<creator>) and
    C(creatorcloud:component=ivs).
  - Ensures the recordings bucket C(creatorcloud-<creator>-rec-<account id>) (all public access blocked,
    bucket-owner object ownership, SSE-KMS with O(kms_key_arn) and a bucket key, a policy denying plain HTTP, and
    the lifecycle rule C(expire-recordings) that deletes recordings after O(recordings_retention_days)), and the
    recording configuration C(creatorcloud-<creator>-recordings) that writes recordings and thumbnails (every 60
    seconds, sequential and latest) into it, attached to the channel. As AWS cannot change a recording
    configuration, a changed one is created anew, the channel switched to it, and the old one deleted.
  - Ensures the channel has one stream key, and the Secrets Manager secret C(creatorcloud/<creator>/stream-key),
    encrypted with O(kms_key_arn), holds it as JSON with the members C(stream_key), C(stream_key_arn),
    C(ingest_server) and C(channel_arn). The key's value is written only to that secret; it is never returned,
    shown in a diff or a change, or logged. The playbook C(creatorcloud.platform.show_stream_key) shows it to an
    operator who asks for it.
  - With O(rotate_stream_key), the channel's stream key is deleted, a new one created and stored in the secret;
    a stream that uses the old key stops.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names the channel, bucket, configuration and secret.
    type: str
    required: true
  tier:
    description:
      - Size of the creator's platform; its C(ivs_channel_type) is the channel's type. Changing it updates the
        channel in place.
    type: str
    choices: [small, medium, large]
    default: small
  kms_key_arn:
    description:
      - ARN of the creator's customer managed KMS key (module creator_key), in the module's region. It encrypts the
        recordings and the stream key's secret.
    type: str
    required: true
  recordings_retention_days:
    description:
      - Days after which a recording (and its thumbnails) is deleted from the recordings bucket.
    type: int
    default: 30
  rotate_stream_key:
    description:
      - Replace the channel's stream key with a new one and store it in the secret. Every run with this option
        rotates; an encoder must then use the new key.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for a new recording configuration to become C(ACTIVE) before failing.
    type: int
    default: 300
extends_documentation_fragment:
  - creatorcloud.platform.tags
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - IVS reads the stream key from the channel; CreatorCloud reads it from IVS only when the secret is missing or
    stale, and otherwise compares only the key's ARN stored next to it.
  - In check mode new resources are returned with null ARNs.
"""

EXAMPLES = r"""
- name: Ensure creator1's live streaming
  creatorcloud.platform.ivs:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    tier: medium
    kms_key_arn: "{{ account_kms_key_arn }}"
    recordings_retention_days: 14
  register: ivs_result

- name: Rotate creator1's stream key
  creatorcloud.platform.ivs:
    account_id: "123456789012"
    creator: creator1
    kms_key_arn: "{{ account_kms_key_arn }}"
    rotate_stream_key: true
"""

RETURN = r"""
ivs:
  description: The live streaming after the run (ARNs predicted as null in check mode). Never the stream key.
  returned: always
  type: dict
  contains:
    channel_arn:
      description: The channel's ARN.
      type: str
      sample: arn:aws:ivs:eu-central-1:123456789012:channel/AbCdEfGhIjKl
    playback_url:
      description: The HLS URL that viewers play.
      type: str
      sample: https://0123456789ab.eu-central-1.playback.live-video.net/api/video/v1/eu-central-1.123456789012.channel.AbCdEfGhIjKl.m3u8
    ingest_server:
      description: The RTMPS server that an encoder such as OBS streams to.
      type: str
      sample: rtmps://0123456789ab.global-contribute.live-video.net:443/app/
    recording_configuration_arn:
      description: The recording configuration attached to the channel.
      type: str
    recordings_bucket:
      description: The bucket holding the recordings.
      type: str
      sample: creatorcloud-creator1-rec-123456789012
    stream_key_arn:
      description: The ARN of the channel's stream key (not its value).
      type: str
    stream_key_secret_arn:
      description: The ARN of the Secrets Manager secret holding the stream key.
      type: str
    stream_key_secret_name:
      description: The name of that secret.
      type: str
      sample: creatorcloud/creator1/stream-key
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create bucket creatorcloud-creator1-rec-123456789012 in eu-central-1
    - create IVS channel creatorcloud-creator1-live (BASIC, low latency)
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import TIERS
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import kms_key_arn_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.converge import LiveStreaming
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.converge import LiveStreamingClients
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.converge import describe
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.ivs.converge import summary

# S3 lifecycle expiry takes 1 day at least; beyond ten years a recording is archived, not streamed content.
RETENTION_DAYS = (1, 3650)


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
    ]
    if not params["region"]:
        checks.append("region is missing: set the region of the channel, the recordings bucket and the KMS key")
    elif not checks[1]:
        checks.append(kms_key_arn_error("kms_key_arn", params["kms_key_arn"], params["region"], params["account_id"]))
    days = params["recordings_retention_days"]
    if not RETENTION_DAYS[0] <= days <= RETENTION_DAYS[1]:
        checks.append(f"recordings_retention_days {days!r} is not between {RETENTION_DAYS[0]} and {RETENTION_DAYS[1]}")
    if params["wait_timeout"] < 0:
        checks.append(f"wait_timeout {params['wait_timeout']!r} must not be negative")
    return [error for error in checks if error]


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        tier=dict(type="str", default="small", choices=list(TIERS)),
        kms_key_arn=dict(type="str", required=True, no_log=False),  # an ARN, not key material
        recordings_retention_days=dict(type="int", default=30),
        rotate_stream_key=dict(type="bool", default=False, no_log=False),  # a switch, not a key
        **tags_argument_spec(),
        wait_timeout=dict(type="int", default=300),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    def make_streaming():
        """The converger; every stream key value the run learns is masked by Ansible wherever it might appear."""
        clients = LiveStreamingClients(CreatorSession.from_params(module))
        return LiveStreaming(clients, params, module.check_mode, module.no_log_values.add)

    streaming = module.run_converge(f"creator {params['creator']}", make_streaming)
    changed, before, after = module.run_converge(f"creator {params['creator']}", streaming.converge)
    module.exit_converged(streaming.changes, changed, describe(before), describe(after), ivs=summary(after))


if __name__ == "__main__":
    main()
