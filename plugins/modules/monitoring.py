#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: monitoring
short_description: Ensure a creator's alert topics, e-mail subscriptions, CloudWatch alarms and dashboard
version_added: 0.1.0
description:
  - Converges the monitoring of a creator inside the creator's own AWS account, by assuming the creator role there.
  - An SNS topic C(creatorcloud-<creator>-alerts) in the module's region, encrypted with O(kms_key_id). When the
    region is not C(us-east-1) and there is a distribution or certificate to watch, a second topic of the same name in
    C(us-east-1), encrypted with O(global_kms_key_id), because CloudFront and ACM metrics are there and an alarm's
    actions must be in its own region.
  - One e-mail subscription per address of O(alert_emails) on each topic. Subscriptions of other addresses are
    removed; those still waiting for confirmation cannot be removed in AWS and are returned in
    RV(monitoring.pending_unwanted_subscriptions).
  - CloudWatch alarms C(creatorcloud-<creator>-<what>) with thresholds from O(tier) (overridden by O(thresholds)),
    notifying the topic of their region when they fire and when they are OK again; Errors and Throttles of every
    function of O(functions); the 5xx rate of the HTTP API O(api_id) in percent (metric math
    C(100 * 5xx / Count) over five minutes) and its p99 Latency in ms; the sum of read and write throttle events of
    every table of O(tables); the 5xxErrorRate of the distribution O(distribution_id) (C(us-east-1),
    C(Region=Global)); the DaysToExpiry of the certificate O(certificate_arn) (C(us-east-1)).
  - Alarms follow what exists. An alarm named with the creator's prefix and tagged as the creator's that the lists no
    longer call for (a function, table or distribution that is gone) is deleted; alarms hold no fan data.
  - A dashboard C(creatorcloud-<creator>) from the same lists; traffic, errors, latency, the site's 5xx rate,
    stream viewers and ingest (AWS/IVS C(ConcurrentViews) and C(IngestVideoBitrate) by C(Channel)), chat messages
    (AWS/IVSChat), and shop orders from the custom metric C(Orders) in the namespace C(CreatorCloud/<creator>), which
    the shop's backend puts. The body is compared as parsed JSON.
  - A second run makes no write call.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names every resource of the monitoring.
    type: str
    required: true
  tier:
    description:
      - Size of the creator's platform; it sets the alarm thresholds.
    type: str
    choices: [small, medium, large]
    default: small
  thresholds:
    description:
      - Thresholds that replace the tier's; an option left out keeps the tier's value. Each must be above 0.
    type: dict
    default: {}
    suboptions:
      function_errors:
        description: Errors of one function in five minutes.
        type: float
      function_throttles:
        description: Throttles of one function in five minutes.
        type: float
      api_5xx_percent:
        description: Share of the API's requests answered 5xx in five minutes, in percent.
        type: float
      api_latency_p99_ms:
        description: The API's p99 latency over five minutes, in milliseconds.
        type: float
      cdn_5xx_percent:
        description: The distribution's average 5xx error rate over five minutes, in percent.
        type: float
      table_throttles:
        description: Read and write throttle events of one table in five minutes.
        type: float
      certificate_days_to_expiry:
        description: The alarm fires when the certificate expires in fewer days than this.
        type: float
  alert_emails:
    description:
      - The addresses that receive the alerts (the creator's and the agency's operations address). Each must
        confirm the subscription e-mail AWS sends.
    type: list
    elements: str
    required: true
  kms_key_id:
    description:
      - The creator's KMS key (ARN, id or alias) that encrypts the topic in the module's region. Its key policy must
        let C(cloudwatch.amazonaws.com) use it (C(kms:Decrypt), C(kms:GenerateDataKey*)).
    type: str
    required: true
  global_kms_key_id:
    description:
      - A KMS key in C(us-east-1) for the second topic there (a key is regional). Without it that topic is
        encrypted by nothing and the module warns.
    type: str
  functions:
    description:
      - The names of the creator's backend functions (the api role's functions).
    type: list
    elements: str
    default: []
  tables:
    description:
      - The names of the creator's DynamoDB tables.
    type: list
    elements: str
    default: []
  api_id:
    description:
      - The id of the creator's HTTP API; no API alarms when empty.
    type: str
    default: ""
  distribution_id:
    description:
      - The id of the creator's CloudFront distribution; no distribution alarm when empty.
    type: str
    default: ""
  certificate_arn:
    description:
      - The ARN of the creator's certificate in C(us-east-1); no expiry alarm when empty.
    type: str
    default: ""
  channel_arn:
    description:
      - The ARN of the creator's IVS channel, for the dashboard's stream widget; none when empty.
    type: str
    default: ""
  chat_room_arn:
    description:
      - The ARN of the creator's IVS Chat room, for the dashboard's chat widget; none when empty.
    type: str
    default: ""
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
  - Malformed e-mail addresses and thresholds fail the run before any call, naming the option and its value.
  - The dashboard carries no tags; it is found by its name.
"""

EXAMPLES = r"""
- name: Ensure creator1's monitoring
  creatorcloud.platform.monitoring:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    tier: small
    alert_emails: [hello@creator1.example, ops@agency.example]
    kms_key_id: "{{ account_kms_key_arn }}"
    functions: [creatorcloud-creator1-profile, creatorcloud-creator1-chat-review]
    tables: [creatorcloud-creator1-users]
    api_id: "{{ api_id }}"
    distribution_id: "{{ website_distribution_id }}"
    certificate_arn: "{{ website_certificate_arn }}"
  register: monitoring_result

- name: Plan a stricter latency alarm
  creatorcloud.platform.monitoring:
    account_id: "123456789012"
    creator: creator1
    alert_emails: [ops@agency.example]
    kms_key_id: alias/creatorcloud/creator1
    api_id: "{{ api_id }}"
    thresholds:
      api_latency_p99_ms: 1000
  check_mode: true
  diff: true
"""

RETURN = r"""
monitoring:
  description: The monitoring after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    topic_arn:
      description: The alert topic in the module's region.
      type: str
      sample: arn:aws:sns:eu-central-1:123456789012:creatorcloud-creator1-alerts
    global_topic_arn:
      description: The alert topic in C(us-east-1) (the regional one when the region is C(us-east-1)).
      type: str
      sample: arn:aws:sns:us-east-1:123456789012:creatorcloud-creator1-alerts
    subscriptions:
      description: The e-mail addresses subscribed to the regional topic.
      type: list
      elements: str
      sample: [ops@agency.example]
    alarm_names:
      description: Every alarm of the creator, in both regions.
      type: list
      elements: str
      sample: [creatorcloud-creator1-api-5xx-rate, creatorcloud-creator1-cdn-5xx-rate]
    dashboard_name:
      description: The dashboard's name.
      type: str
      sample: creatorcloud-creator1
    pending_unwanted_subscriptions:
      description: Subscriptions no longer wanted that still wait for confirmation (AWS cannot remove them; they
        expire after three days).
      type: list
      elements: str
      sample: []
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create topic creatorcloud-creator1-alerts in eu-central-1
    - create alarm creatorcloud-creator1-api-5xx-rate
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import email_list_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import GLOBAL_REGION
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.converge import THRESHOLDS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.converge import Monitoring
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.converge import describe
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.converge import threshold_errors


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
        email_list_error("alert_emails", params["alert_emails"]),
        None if params["alert_emails"] else "alert_emails is empty: name at least the operations address",
        None if params["kms_key_id"] else "kms_key_id is empty: the topic is encrypted with the creator's key",
        None if params["region"] else "region is missing: set the creator's region",
    ]
    return [error for error in checks if error] + threshold_errors(params["thresholds"])


def desired_state(module):
    """The module's parameters as the converge takes them."""
    params = module.params
    watched = {key: params[key] for key in ("functions", "tables", "api_id", "distribution_id", "certificate_arn")}
    watched.update(channel_arn=params["channel_arn"], chat_room_arn=params["chat_room_arn"])
    return dict(
        params,
        region=module.region,
        **tag_parameters(params),
        emails=params["alert_emails"],
        watched=watched,
    )


def clients(session, region):
    """SNS, CloudWatch and tagging (the alarms' tags) clients of the creator's region and of us-east-1."""
    scopes = {"regional": region, "global": GLOBAL_REGION}
    services = ("sns", "cloudwatch", "resourcegroupstaggingapi")
    return {
        scope: {service: session.client(service, region=name) for service in services} for scope, name in scopes.items()
    }


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        tier=dict(type="str", choices=["small", "medium", "large"], default="small"),
        thresholds=dict(type="dict", default={}, options={key: dict(type="float") for key in THRESHOLDS}),
        alert_emails=dict(type="list", elements="str", required=True),
        kms_key_id=dict(type="str", required=True),
        global_kms_key_id=dict(type="str"),
        functions=dict(type="list", elements="str", default=[]),
        tables=dict(type="list", elements="str", default=[]),
        api_id=dict(type="str", default=""),
        distribution_id=dict(type="str", default=""),
        certificate_arn=dict(type="str", default=""),
        channel_arn=dict(type="str", default=""),
        chat_room_arn=dict(type="str", default=""),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    desired = desired_state(module)

    subject = f"creator {desired['creator']}"
    module.fail_on_errors(subject, validation_errors(desired))
    monitoring = module.run_converge(
        subject,
        lambda: Monitoring(clients(CreatorSession.from_params(module), desired["region"]), desired, module.check_mode),
    )
    changed, before, after = module.run_converge(subject, monitoring.converge)

    summary = monitoring.summary(after)
    if summary["global_topic_arn"] != summary["topic_arn"] and not desired["global_kms_key_id"]:
        module.warn(f"creator {desired['creator']}: the us-east-1 alert topic is not encrypted: set global_kms_key_id")
    module.exit_converged(monitoring.changes, changed, describe(before), describe(after), monitoring=summary)


if __name__ == "__main__":
    main()
