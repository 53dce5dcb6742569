#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: chat
short_description: Ensure a creator's IVS Chat room, its message review handler and its logging
version_added: 0.1.0
description:
  - Converges the chat of a creator's live stream inside the creator's own AWS account, by assuming the creator role
    there, in the module's region.
  - A CloudWatch Logs log group C(/creatorcloud/<creator>/chat), kept O(log_retention_days) days.
  - An IVS Chat logging configuration C(creatorcloud-<creator>-chat-logs) that writes the room's messages and events
    to that log group.
  - An IVS Chat room C(creatorcloud-<creator>-chat) with the limits O(max_message_length) and
    O(max_messages_per_second), the logging configuration, and as message review handler the creator's moderation
    function C(creatorcloud-<creator>-chat-review) with fallback C(DENY) (a message is rejected when the function
    fails). The function is created later in the run by the api module; the room names it by its fixed ARN.
  - Each resource is found again by its name and the tag C(creatorcloud:creator), compared with what AWS returns and
    written only when it differs; a second run makes no write call. Nothing is ever deleted.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names every resource of the chat.
    type: str
    required: true
  max_message_length:
    description:
      - The longest message the room accepts, in characters (IVS Chat allows 1 to 500).
    type: int
    default: 500
  max_messages_per_second:
    description:
      - How many messages per second the room accepts from all its users together (IVS Chat allows 1 to 100).
    type: int
    default: 5
  log_retention_days:
    description:
      - How many days the chat's log group keeps the messages and events (a value CloudWatch Logs accepts).
    type: int
    default: 30
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
  - Limits outside what IVS Chat accepts fail the run before any call, naming the option and its value.
  - In check mode the ARNs and ids that AWS assigns on creation are returned as C((known after creation)).
"""

EXAMPLES = r"""
- name: Ensure creator1's chat room
  creatorcloud.platform.chat:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    max_message_length: 300
    max_messages_per_second: 5
    log_retention_days: 30
  register: chat_result

- name: Plan a stricter rate limit
  creatorcloud.platform.chat:
    account_id: "123456789012"
    creator: creator1
    max_messages_per_second: 2
  check_mode: true
  diff: true
"""

RETURN = r"""
chat:
  description: The chat after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    room_arn:
      description: The room's ARN; C((known after creation)) when check mode would create it.
      type: str
      sample: arn:aws:ivschat:eu-central-1:123456789012:room/g1H2I3j4k5L6
    room_id:
      description: The room's id, the last part of its ARN.
      type: str
      sample: g1H2I3j4k5L6
    room_name:
      description: The room's name.
      type: str
      sample: creatorcloud-creator1-chat
    max_message_length:
      description: The longest message the room accepts.
      type: int
      sample: 500
    max_messages_per_second:
      description: The room's message rate limit.
      type: int
      sample: 5
    review_handler_uri:
      description: The ARN of the moderation function that reviews every message.
      type: str
      sample: arn:aws:lambda:eu-central-1:123456789012:function:creatorcloud-creator1-chat-review
    logging_configuration_arn:
      description: The logging configuration's ARN.
      type: str
      sample: arn:aws:ivschat:eu-central-1:123456789012:logging-configuration/a1B2c3D4e5F6
    log_group:
      description: The log group of the room's messages and events.
      type: str
      sample: /creatorcloud/creator1/chat
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create log group /creatorcloud/creator1/chat
    - create chat room creatorcloud-creator1-chat
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
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import retention_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.chat.converge import Chat
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.chat.converge import describe
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.chat.converge import limit_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.chat.converge import summary


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
        retention_error("log_retention_days", params["log_retention_days"]),
        None if params["region"] else "region is missing: set the region of the chat room",
    ]
    return [error for error in checks if error] + limit_errors(params)


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        max_message_length=dict(type="int", default=500),
        max_messages_per_second=dict(type="int", default=5),
        log_retention_days=dict(type="int", default=30),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    def make_chat():
        session = CreatorSession.from_params(module)
        clients = (session.client(service) for service in ("ivschat", "logs", "resourcegroupstaggingapi"))
        return Chat(*clients, params, module.check_mode)

    chat = module.run_converge(f"creator {params['creator']}", make_chat)
    changed, before, after = module.run_converge(f"creator {params['creator']}", chat.converge)
    module.exit_converged(chat.changes, changed, describe(before), describe(after), chat=summary(after))


if __name__ == "__main__":
    main()
