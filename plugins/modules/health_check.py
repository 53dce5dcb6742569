#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: health_check
short_description: Check the health of a creator's platform, read-only
version_added: 0.1.0
description:
  - Runs, inside the creator's member account (by assuming O(role_name) there), one check per part of the
    creator's platform and returns one outcome per check in RV(checks), each C(ok), C(warning), C(failed) or
    C(skipped). The module only reads; it never writes, in check mode or not.
  - C(site) the home page at O(site_origin) answers 200 with the security headers C(Strict-Transport-Security),
    C(Content-Security-Policy), C(X-Content-Type-Options), C(X-Frame-Options) and C(Referrer-Policy).
  - C(api) C(GET /api/health) at O(api_origin) answers 200 (skipped for a creator without an HTTP API).
  - C(certificate) the site's ACM certificate in us-east-1 is C(ISSUED) and expires in more than
    O(certificate_min_days) days.
  - C(delegation) the name servers of the creator's Route 53 zone are the ones the parent zone delegates the
    domain to (a DNS NS lookup). A domain that is not delegated at all is a warning, not a failure.
  - C(alarms) no CloudWatch alarm named C(creatorcloud-<creator>-*) (in the region and in us-east-1) is in
    C(ALARM); a creator without alarms is fine.
  - C(tables) point-in-time recovery is on for every DynamoDB table C(creatorcloud-<creator>-*).
  - C(buckets) versioning is on for every S3 bucket C(creatorcloud-<creator>-*).
  - A creator with a failed check is returned with RV(healthy) false; the module itself does not fail, so the
    caller decides (the role health_check fails that host after printing every check).
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name.
    type: str
    required: true
  domain:
    description:
      - The creator's domain (the apex), which the certificate and the hosted zone are for.
    type: str
    required: true
  site_origin:
    description:
      - Scheme and host the site is checked at, like C(https://d111111abcdef8.cloudfront.net) or, locally, the
        gateway's C(http://127.0.0.1:8080).
      - Without it, C(https://) and the domain name of the creator's CloudFront distribution.
    type: str
  api_origin:
    description:
      - Scheme and host C(/api/health) is asked at.
      - Without it, the endpoint of the creator's HTTP API; an empty string skips the check.
    type: str
  certificate_min_days:
    description:
      - The certificate fails the check when it expires in this many days or fewer.
    type: int
    default: 21
  delegated_name_servers:
    description:
      - The name servers the parent zone delegates the domain to, instead of looking them up in DNS (needs
        C(dnspython) on the controller otherwise).
    type: list
    elements: str
  timeout:
    description:
      - Seconds to wait for each HTTP request and DNS lookup.
    type: int
    default: 10
  validate_certs:
    description:
      - Verify the TLS certificates of O(site_origin) and O(api_origin).
    type: bool
    default: true
attributes:
  check_mode:
    description: Reads only, so a run in check mode is the same run.
    support: full
  diff_mode:
    description: Reads only, so there is never a difference to show.
    support: full
extends_documentation_fragment:
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Check creator1's platform
  creatorcloud.platform.health_check:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    region: eu-central-1
  register: health_check_result

- name: Check a local creator through its gateway
  creatorcloud.platform.health_check:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    site_origin: http://127.0.0.1:8080
    api_origin: http://127.0.0.1:8080
"""

RETURN = r"""
checks:
  description: One outcome per check, in the order site, api, certificate, delegation, alarms, tables, buckets.
  returned: always
  type: list
  elements: dict
  sample:
    - {check: site, status: ok, message: "200, headers present"}
    - check: delegation
      status: warning
      message: "creator1.example is not delegated: set ns-1.example at the registrar"
healthy:
  description: True when no check failed (warnings and skipped checks are healthy).
  returned: always
  type: bool
failed_checks:
  description: "The checks that failed, as C(<check>: <message>)."
  returned: always
  type: list
  elements: str
  sample: ["site: http://127.0.0.1:8080/ answered 404, not 200"]
lines:
  description: One line per check, C(<creator>  <check>  <status>  <message>).
  returned: always
  type: list
  elements: str
  sample: ["creator1  site  ok  200, headers present"]
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    AnsibleCreatorSessionError,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.health_check.health_check import FAILED
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.health_check.health_check import WARNING
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.health_check.health_check import HealthCheck
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.health_check.health_check import report_lines


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        domain=dict(type="str", required=True),
        site_origin=dict(type="str"),
        api_origin=dict(type="str"),
        certificate_min_days=dict(type="int", default=21),
        delegated_name_servers=dict(type="list", elements="str"),
        timeout=dict(type="int", default=10),
        validate_certs=dict(type="bool", default=True),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    errors = [
        e for e in (slug_error("creator", params["creator"]), account_id_error("account_id", params["account_id"])) if e
    ]
    if errors:
        module.fail_json(msg=f"creator {params['creator']}: " + "; ".join(errors), errors=errors)

    try:
        checks = HealthCheck(CreatorSession.from_params(module), params).run()
    except AnsibleCreatorSessionError as e:
        module.fail_converge(f"creator {params['creator']}", e.message, [], e.exception)

    for check in checks:
        if check["status"] == WARNING:
            module.warn(f"creator {params['creator']}: {check['check']}: {check['message']}")
    failed = [f"{c['check']}: {c['message']}" for c in checks if c["status"] == FAILED]
    module.exit_json(
        changed=False,
        checks=checks,
        healthy=not failed,
        failed_checks=failed,
        lines=report_lines(params["creator"], checks),
    )


if __name__ == "__main__":
    main()
