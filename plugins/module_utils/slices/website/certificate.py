# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's ACM certificate in us-east-1 for the apex and www, validated through DNS.

Private to the website module. A certificate is found again by its names; a request carries an
idempotency token derived from the creator, account and domain, so a request repeated after an
interrupted run within the hour returns the same certificate.
"""

import functools
import hashlib

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import acm
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags

USABLE_STATUSES = ("ISSUED", "PENDING_VALIDATION")
FAILED_STATUSES = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE")
POLL_SECONDS = 10
# ACM adds the DNS validation records to a new certificate a few seconds after the request.
RECORDS_TIMEOUT_SECONDS = 120
RECORDS_POLL_SECONDS = 2


def certificate_names(domain):
    """The names the site's certificate covers."""
    return [domain, f"www.{domain}"]


def idempotency_token(creator, account_id, domain):
    """ACM's idempotency token (at most 32 word characters) for this creator's certificate."""
    return hashlib.sha256(f"{creator}|{account_id}|{domain}".encode()).hexdigest()[:32]


def validation_records(certificate):
    """The CNAME records that validate the certificate, one per distinct name."""
    records = {}
    for option in certificate.get("DomainValidationOptions", []):
        record = option.get("ResourceRecord")
        if record:
            records[record["Name"].lower()] = {
                "Name": record["Name"].lower(),
                "Type": record["Type"],
                "TTL": 300,
                "ResourceRecords": [{"Value": record["Value"]}],
            }
    return [records[name] for name in sorted(records)]


def _summary(certificate, tags):
    """A described certificate as the converge keeps it."""
    return {
        "arn": certificate["CertificateArn"],
        "status": certificate["Status"],
        "names": sorted(certificate.get("SubjectAlternativeNames", [])),
        "validation_records": validation_records(certificate),
        "failure_reason": certificate.get("FailureReason"),
        "tags": tags,
    }


def _preference(certificate):
    """Issued certificates first, then the newest."""
    return (certificate["Status"] != "ISSUED", -certificate["CreatedAt"].timestamp())


def read_certificate(client, domain):
    """The usable certificate for exactly the apex and www of `domain`, or None."""
    wanted = set(certificate_names(domain))
    summaries = [s for s in acm.list_certificates(client, USABLE_STATUSES) if s["DomainName"] == domain]
    candidates = [acm.describe_certificate(client, s["CertificateArn"]) for s in summaries]
    matching = [
        c
        for c in candidates
        if c.get("Type") == "AMAZON_ISSUED"
        and c["Status"] in USABLE_STATUSES
        and set(c.get("SubjectAlternativeNames", [])) == wanted
    ]
    if not matching:
        return None
    certificate = sorted(matching, key=_preference)[0]
    return _summary(certificate, acm.list_certificate_tags(client, certificate["CertificateArn"]))


def ensure_certificate(client, changes, current, request, sleep, clock):
    """Request the certificate when missing and converge its tags; returns it after (arn None in check mode).

    `request` holds domain, creator, account_id, tags and purge_tags.
    """
    domain, tags = request["domain"], request["tags"]
    if current is None:
        names = certificate_names(domain)
        token = idempotency_token(request["creator"], request["account_id"], domain)
        arn = changes.make(
            f"request certificate for {' and '.join(names)}",
            acm.request_certificate,
            client,
            domain,
            names[1:],
            token,
            tags,
        )
        if arn is None:
            return {
                "arn": None,
                "status": "PENDING_VALIDATION",
                "names": sorted(names),
                "validation_records": [],
                "tags": tags,
            }
        return _summary(_wait_for_validation_records(client, changes, arn, sleep, clock), tags)
    after_tags = ensure_tags(
        changes,
        f"certificate {current['arn']}",
        current["tags"],
        tags,
        request["purge_tags"],
        functools.partial(acm.add_certificate_tags, client, current["arn"]),
        functools.partial(acm.remove_certificate_tags, client, current["arn"]),
    )
    return dict(current, tags=after_tags)


def _wait_for_validation_records(client, changes, arn, sleep, clock):
    """The new certificate, described once ACM has published a validation record for every name."""
    deadline = clock() + RECORDS_TIMEOUT_SECONDS
    while True:
        certificate = acm.describe_certificate(client, arn)
        options = certificate.get("DomainValidationOptions", [])
        if options and all(option.get("ResourceRecord") for option in options):
            return certificate
        if clock() >= deadline:
            changes.fail(
                f"ACM has not published the DNS validation records of certificate {arn} after "
                f"{RECORDS_TIMEOUT_SECONDS} seconds: run again to go on"
            )
        sleep(RECORDS_POLL_SECONDS)


def wait_until_issued(client, changes, certificate, timeout, name_servers, sleep, clock):
    """Wait (at most `timeout` seconds) until the certificate is ISSUED; returns it after."""
    if certificate["arn"] is None or certificate["status"] == "ISSUED":
        return certificate
    deadline = clock() + timeout
    while True:
        described = acm.describe_certificate(client, certificate["arn"])
        status = described["Status"]
        if status == "ISSUED":
            return dict(certificate, status=status)
        if status in FAILED_STATUSES:
            changes.fail(
                f"certificate {certificate['arn']} is {status} ({described.get('FailureReason', 'no reason given')}): "
                "ACM will not issue it; see the ACM console in us-east-1, delete it, and run again to request a new one"
            )
        if clock() >= deadline:
            changes.fail(
                f"certificate {certificate['arn']} for {' and '.join(certificate['names'])} is still {status} after "
                f"{timeout} seconds. ACM validates it through the DNS records in the creator's hosted zone, which "
                f"only resolve once the domain's registrar lists the zone's name servers: "
                f"{', '.join(name_servers) or '(see the hosted zone)'}. Set them at the registrar, then run again"
            )
        sleep(POLL_SECONDS)
