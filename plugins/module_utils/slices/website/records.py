# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS records of the site: the certificate's validation CNAMEs and the A/AAAA aliases to CloudFront.

Private to the website module. The zone's records are listed once; a record is written (UPSERT,
all in one change batch) only when it is missing or differs from the one wanted.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import route53
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import certificate_names
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.zone import fqdn

# The hosted zone id of every CloudFront distribution, for alias records.
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"
ALIAS_TYPES = ("A", "AAAA")


def alias_records(domain, distribution_domain):
    """A and AAAA alias records of the apex and www to the distribution (its domain None: not yet known)."""
    target = fqdn(distribution_domain) if distribution_domain else None
    return [
        {
            "Name": fqdn(name),
            "Type": record_type,
            "AliasTarget": {"HostedZoneId": CLOUDFRONT_ZONE_ID, "DNSName": target, "EvaluateTargetHealth": False},
        }
        for name in certificate_names(domain)
        for record_type in ALIAS_TYPES
    ]


def comparable(record):
    """A record reduced to what decides whether it must be written: case, dots and value order do not."""
    alias = record.get("AliasTarget")
    return (
        fqdn(record["Name"]),
        record["Type"],
        record.get("TTL"),
        tuple(sorted(value["Value"] for value in record.get("ResourceRecords", []))),
        None
        if alias is None
        else (alias["HostedZoneId"], fqdn(alias["DNSName"] or ""), alias.get("EvaluateTargetHealth", False)),
    )


def records_to_write(current, desired):
    """The desired records that are missing from `current` or differ from it."""
    existing = {(fqdn(record["Name"]), record["Type"]): comparable(record) for record in current}
    return [record for record in desired if existing.get((fqdn(record["Name"]), record["Type"])) != comparable(record)]


def conflicting_records(current, desired):
    """CNAME records at names where `desired` puts other types (DNS forbids a CNAME beside them)."""
    names = {fqdn(record["Name"]) for record in desired if record["Type"] != "CNAME"}
    return [record for record in current if record["Type"] == "CNAME" and fqdn(record["Name"]) in names]


def describe_records(records):
    """Records as the change log names them: `TYPE name, ...`."""
    return ", ".join(f"{record['Type']} {record['Name']}" for record in records)


def ensure_records(client, changes, zone, current, desired, what):
    """Write the desired records that differ, in one change batch; returns the records written."""
    conflicts = conflicting_records(current, desired)
    if conflicts:
        changes.fail(
            f"hosted zone {zone['name']} has {describe_records(conflicts)}, where the site needs "
            f"{what} records: delete those CNAME records and run again"
        )
    to_write = records_to_write(current, desired)
    if to_write:
        batch = [{"Action": "UPSERT", "ResourceRecordSet": record} for record in to_write]
        changes.make(
            f"write {what} records {describe_records(to_write)}",
            route53.change_records,
            client,
            zone["id"],
            batch,
            f"CreatorCloud website: {what}",
        )
    return to_write
