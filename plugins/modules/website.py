#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: website
short_description: Ensure a creator's website on AWS, from DNS zone to CloudFront, in one run
version_added: 0.1.0
description:
  - Converges, inside the creator's member account (by assuming O(role_name) there), every resource of the
    creator's website, in dependency order.
  - A public Route53 hosted zone for O(domain), found by its name. Its name servers are returned for the registrar.
  - An ACM certificate in us-east-1 for O(domain) and C(www.<domain>), validated through DNS records that the module
    writes into the zone. Before the distribution is touched the module waits, at most O(certificate_timeout)
    seconds, until ACM has issued it; ACM can only do that once the registrar delegates the domain to the zone.
  - A private S3 bucket C(creatorcloud-<creator>-site-<account id>) with all four Block Public Access settings,
    object ownership C(BucketOwnerEnforced), versioning, default encryption with O(kms_key_arn) (SSE-KMS, bucket key)
    and a bucket policy that lets only the site's distribution read (C(cloudfront.amazonaws.com) with an
    C(AWS:SourceArn) condition) and refuses plain HTTP.
  - A CloudFront Origin Access Control and a response headers policy (HSTS, a C('self')-only
    Content-Security-Policy whose C(connect-src) adds only O(connect_sources), C(X-Content-Type-Options),
    C(X-Frame-Options DENY), C(Referrer-Policy), C(Permissions-Policy)).
  - A CloudFront distribution for the apex and C(www) with the certificate (SNI, TLSv1.2_2021), redirect to HTTPS,
    HTTP/2 and HTTP/3, IPv6, compression, C(index.html) as root object, the price class of O(tier), and
    C(/404.html) with status 404 for missing pages (S3 answers 403 for them through OAC). It is found again by its
    CallerReference, so a run after an interrupted create never makes a second distribution.
  - A and AAAA alias records of the apex and C(www) to the distribution.
  - Each setting is compared with what AWS returns and written only when it differs; a second run makes no write
    call. The distribution is updated with only the differing members replaced.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names the bucket, the OAC and the headers policy.
    type: str
    required: true
  domain:
    description:
      - The creator's apex domain, like C(creator1.example), without scheme, path or trailing dot.
    type: str
    required: true
  tier:
    description:
      - The creator's tier; it sets the distribution's price class (C(small) is C(PriceClass_100)).
    type: str
    choices: [small, medium, large]
    default: small
  kms_key_arn:
    description:
      - ARN of the creator's KMS key (see M(creatorcloud.platform.creator_key)), in the module's region and the
        creator's account. The bucket encrypts every object with it.
      - May be empty in check mode only, when the same run would create the key first.
    type: str
    required: true
  connect_sources:
    description:
      - The origins, besides the site's own, that the site's scripts may call (the CSP's C(connect-src)), that is
        the creator's HTTP API (C(https://<api id>.execute-api.<region>.amazonaws.com)) and Cognito's user API
        (C(https://cognito-idp.<region>.amazonaws.com)).
      - Each is C(https://host) with an optional port, without path or wildcard.
    type: list
    elements: str
    default: []
  certificate_timeout:
    description:
      - How many seconds to wait for ACM to issue a new certificate. On timeout the module fails with the name
        servers to set at the registrar; the next run goes on from there.
    type: int
    default: 600
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
  - The region (O(region)) is where the bucket and the KMS key are; the certificate is always in us-east-1.
  - In check mode, ids that AWS assigns on creation (zone, certificate, distribution) are returned as null.
  - Every resource is tagged C(creatorcloud:creator=<creator>) and C(creatorcloud:component=website) where AWS
    allows tags (the OAC and the headers policy have none; they are found by their names).
"""

EXAMPLES = r"""
- name: Ensure creator1's website
  creatorcloud.platform.website:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    tier: small
    kms_key_arn: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
    region: eu-central-1
  register: website_result

- name: Show the name servers to set at the registrar
  ansible.builtin.debug:
    msg: "{{ website_result.website.name_servers }}"

- name: Plan a change of tier
  creatorcloud.platform.website:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    tier: medium
    kms_key_arn: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
  check_mode: true
  diff: true
"""

RETURN = r"""
website:
  description: The site after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    zone_id:
      description: The id of the public hosted zone; null when check mode would create it.
      type: str
      sample: Z0123456789ABCDEFGHIJ
    name_servers:
      description: The zone's name servers, to set at the domain's registrar.
      type: list
      elements: str
      sample: [ns-2048.awsdns-64.com, ns-2049.awsdns-65.net, ns-2050.awsdns-66.org, ns-2051.awsdns-67.co.uk]
    certificate_arn:
      description: The ACM certificate (us-east-1) of the apex and www.
      type: str
    certificate_status:
      description: Its status, C(ISSUED) after a real run.
      type: str
      sample: ISSUED
    bucket:
      description: The site bucket's name.
      type: str
      sample: creatorcloud-creator1-site-123456789012
    kms_key_arn:
      description: The key that encrypts the bucket (empty when check mode plans it with a key not created yet).
      type: str
    origin_access_control_id:
      description: The id of the Origin Access Control.
      type: str
    response_headers_policy_id:
      description: The id of the response headers policy.
      type: str
    distribution_id:
      description: The CloudFront distribution id.
      type: str
      sample: E1A2B3C4D5E6F7
    distribution_arn:
      description: The distribution's ARN.
      type: str
    distribution_domain:
      description: The distribution's domain, the target of the alias records.
      type: str
      sample: d111111abcdef8.cloudfront.net
    distribution_status:
      description: C(InProgress) while CloudFront deploys a change, then C(Deployed).
      type: str
    aliases:
      description: The distribution's alternate domain names.
      type: list
      elements: str
      sample: [creator1.example, www.creator1.example]
    price_class:
      description: The distribution's price class.
      type: str
      sample: PriceClass_100
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample: ["create hosted zone creator1.example", "request certificate for creator1.example and www.creator1.example"]
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import domain_error
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
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import kms_key_arn_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.converge import Website
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.converge import WebsiteClients
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.converge import describe
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.converge import summary
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import connect_source_error


def validation_errors(params, check_mode):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        domain_error("domain", params["domain"]),
        tags_error("tags", params["tags"]),
        *(
            connect_source_error(f"connect_sources[{index}]", value)
            for index, value in enumerate(params["connect_sources"])
        ),
    ]
    if not params["region"]:
        checks.append("region is missing: set the region of the site bucket and the KMS key")
    elif not checks[1] and (params["kms_key_arn"] or not check_mode):
        # Empty in check mode: the run that plans this would create the creator's key first.
        checks.append(kms_key_arn_error("kms_key_arn", params["kms_key_arn"], params["region"], params["account_id"]))
    if params["certificate_timeout"] < 0:
        checks.append(f"certificate_timeout {params['certificate_timeout']!r} must not be negative")
    return [error for error in checks if error]


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        domain=dict(type="str", required=True),
        tier=dict(type="str", default="small", choices=list(TIERS)),
        kms_key_arn=dict(type="str", required=True, no_log=False),  # an ARN, not key material
        **tags_argument_spec(),
        certificate_timeout=dict(type="int", default=600),
        connect_sources=dict(type="list", elements="str", default=[]),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params, module.check_mode))

    website = Website(WebsiteClients(CreatorSession.from_params(module)), params, module.check_mode)
    changed, before, after = module.run_converge(f"creator {params['creator']}", website.converge)
    summarised = summary(after, params["kms_key_arn"])
    module.exit_converged(website.changes, changed, describe(before), describe(after), website=summarised)


if __name__ == "__main__":
    main()
