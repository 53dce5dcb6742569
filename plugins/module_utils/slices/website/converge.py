# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's website: zone, certificate, bucket, OAC, headers policy, distribution, records.

Private to the website module. The plan reads every resource first; then each step converges
one resource in dependency order (the certificate ARN goes into the distribution, the
distribution's ARN into the bucket policy and its domain into the alias records). Check mode
stops short of every write and predicts the state after. A failing step raises ConvergeError
with what had already changed.
"""

import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import route53
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import site_bucket_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import ensure_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import ensure_bucket_policy
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import origin_domain
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import read_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import ensure_certificate
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import read_certificate
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import wait_until_issued
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    desired_distribution_config,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    desired_origin_access_control_config,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    ensure_distribution,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    ensure_origin_access_control,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import read_distribution
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    read_origin_access_control,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import site_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import (
    desired_headers_policy_config,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import ensure_headers_policy
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import read_headers_policy
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.records import alias_records
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.records import ensure_records
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.zone import ensure_zone
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.zone import fqdn
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.zone import read_zone

COMPONENT = "website"


class WebsiteClients:
    """The clients of the website's services in the creator's account, made once each when first used."""

    def __init__(self, session):
        self._session = session
        self._clients = {}

    def _get(self, service, global_service):
        """The client of `service`, made on first use (the first one assumes the creator role)."""
        if service not in self._clients:
            make = self._session.global_client if global_service else self._session.client
            self._clients[service] = make(service)
        return self._clients[service]

    @property
    def route53(self):
        """Route53, a global service (its endpoint is in us-east-1)."""
        return self._get("route53", True)

    @property
    def acm(self):
        """ACM in us-east-1: CloudFront only uses certificates from there."""
        return self._get("acm", True)

    @property
    def cloudfront(self):
        """CloudFront, a global service (its endpoint is in us-east-1)."""
        return self._get("cloudfront", True)

    @property
    def s3(self):
        """S3 in the module's region, where the site bucket and the creator's KMS key are."""
        return self._get("s3", False)


def record_values(records):
    """Records as `TYPE name` -> value, for diffs."""
    described = {}
    for record in records:
        alias = record.get("AliasTarget")
        value = f"alias {alias['DNSName']}" if alias else ", ".join(v["Value"] for v in record["ResourceRecords"])
        described[f"{record['Type']} {fqdn(record['Name'])}"] = value
    return described


def describe(state):
    """A state of the site (from read or apply) as the module's diff shows it."""
    zone, certificate = state["zone"], state["certificate"]
    bucket, distribution = state["bucket"], state["distribution"]
    access_control, headers = state["origin_access_control"], state["headers_policy"]
    return {
        "zone": zone and {key: zone[key] for key in ("id", "name", "name_servers", "tags")},
        "certificate": certificate and {key: certificate[key] for key in ("arn", "status", "names", "tags")},
        "records": state["records"],
        "bucket": bucket,
        "origin_access_control": access_control and {"id": access_control["id"], **access_control["config"]},
        "response_headers_policy": headers and {"id": headers["id"], **headers["config"]},
        "distribution": distribution
        and {
            "id": distribution["id"],
            "arn": distribution["arn"],
            "domain_name": distribution["domain_name"],
            **site_settings(distribution["config"]),
            "tags": distribution["tags"],
        },
    }


def summary(after, kms_key_arn):
    """What the module returns about the site: the ids and names later roles need."""
    distribution, certificate, zone = after["distribution"], after["certificate"], after["zone"]
    settings = site_settings(distribution["config"])
    return {
        "zone_id": zone["id"],
        "name_servers": zone["name_servers"],
        "certificate_arn": certificate["arn"],
        "certificate_status": certificate["status"],
        "bucket": after["bucket"]["name"],
        "kms_key_arn": kms_key_arn,
        "origin_access_control_id": after["origin_access_control"]["id"],
        "response_headers_policy_id": after["headers_policy"]["id"],
        "distribution_id": distribution["id"],
        "distribution_arn": distribution["arn"],
        "distribution_domain": distribution["domain_name"],
        "distribution_status": distribution.get("status"),
        "aliases": settings["aliases"],
        "price_class": settings["price_class"],
    }


class Website:
    """The converge of one creator's website. `desired` holds the module's parameters and the region."""

    def __init__(self, clients, desired, check_mode, sleep=time.sleep, clock=time.monotonic):
        self.clients = clients
        self.desired = desired
        self.changes = Changes(check_mode)
        self.tags = resource_tags(desired["creator"], COMPONENT, extra=desired["tags"])
        self.bucket = site_bucket_name(desired["creator"], desired["account_id"])
        self._zone_records = []
        self._sleep = sleep
        self._clock = clock

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after) in the shape of describe()."""
        with self.changes.reporting_failures():
            current = self.read()
            after = self.apply(current)
        managed = record_values(self._zone_records)
        current["records"] = {key: managed[key] for key in after["records"] if key in managed}
        return bool(self.changes.made), current, after

    def read(self):
        """Every resource of the site as it is now (None for each that is missing)."""
        clients, creator, domain = self.clients, self.desired["creator"], self.desired["domain"]
        zone = read_zone(clients.route53, domain, creator)
        self._zone_records = route53.list_records(clients.route53, zone["id"]) if zone else []
        return {
            "zone": zone,
            "certificate": read_certificate(clients.acm, domain),
            "bucket": read_bucket(clients.s3, self.bucket),
            "origin_access_control": read_origin_access_control(clients.cloudfront, creator),
            "headers_policy": read_headers_policy(clients.cloudfront, creator),
            "distribution": read_distribution(clients.cloudfront, creator, self.desired["account_id"], domain),
            "records": {},
        }

    def apply(self, current):
        """Converge each resource in dependency order; returns the state after (predicted in check mode)."""
        clients, changes, desired = self.clients, self.changes, self.desired
        zone = ensure_zone(
            clients.route53,
            changes,
            current["zone"],
            desired["domain"],
            desired["creator"],
            self.tags,
            desired["purge_tags"],
        )
        certificate = ensure_certificate(
            clients.acm, changes, current["certificate"], dict(desired, tags=self.tags), self._sleep, self._clock
        )
        validation = certificate["validation_records"]
        if certificate["arn"] is None:  # check mode: ACM names the validation records once it has the request
            changes.make("write certificate validation records", route53.change_records)
        ensure_records(clients.route53, changes, zone, self._zone_records, validation, "certificate validation")
        bucket = ensure_bucket(
            clients.s3, changes, current["bucket"], dict(desired, bucket=self.bucket, tags=self.tags)
        )
        access_control = ensure_origin_access_control(
            clients.cloudfront,
            changes,
            current["origin_access_control"],
            desired_origin_access_control_config(desired["creator"]),
        )
        headers = ensure_headers_policy(
            clients.cloudfront,
            changes,
            current["headers_policy"],
            desired_headers_policy_config(desired["creator"], desired["domain"], desired["connect_sources"]),
        )
        if not changes.check_mode:
            certificate = wait_until_issued(
                clients.acm,
                changes,
                certificate,
                desired["certificate_timeout"],
                zone["name_servers"],
                self._sleep,
                self._clock,
            )
        distribution = ensure_distribution(
            clients.cloudfront,
            changes,
            current["distribution"],
            self._distribution_config(access_control["id"], certificate["arn"], headers["id"]),
            self.tags,
            desired["purge_tags"],
        )
        policy = ensure_bucket_policy(
            clients.s3, changes, self.bucket, (current["bucket"] or {}).get("policy"), distribution["arn"]
        )
        aliases = alias_records(desired["domain"], distribution["domain_name"])
        ensure_records(clients.route53, changes, zone, self._zone_records, aliases, "site alias")
        return {
            "zone": zone,
            "certificate": certificate,
            "bucket": dict(bucket, policy=policy),
            "origin_access_control": access_control,
            "headers_policy": headers,
            "distribution": distribution,
            "records": record_values(validation + aliases),
        }

    def _distribution_config(self, access_control_id, certificate_arn, headers_policy_id):
        """The distribution config, with the ids that the steps before it produced."""
        desired = self.desired
        return desired_distribution_config(
            {
                "creator": desired["creator"],
                "account_id": desired["account_id"],
                "domain": desired["domain"],
                "origin_domain": origin_domain(self.bucket, desired["region"]),
                "origin_access_control_id": access_control_id,
                "certificate_arn": certificate_arn,
                "headers_policy_id": headers_policy_id,
                "price_class": tier_settings(desired["tier"])["cloudfront_price_class"],
            }
        )
