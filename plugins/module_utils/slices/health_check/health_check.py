# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health of one creator's platform: read-only checks, each returning an outcome.

Private to the health_check module. Every check reads; none writes. A check that cannot read
(an AWS error, a site that does not answer) is a failed outcome naming what it tried, so one
broken part does not hide the others.
"""

import datetime

from ansible.module_utils.urls import open_url
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import acm
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import apigatewayv2
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cloudwatch
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import s3
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import find_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import read_distribution
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.zone import read_zone

try:
    import dns.exception
    import dns.resolver

    HAS_DNSPYTHON = True
except ImportError:
    HAS_DNSPYTHON = False

OK = "ok"
WARNING = "warning"
FAILED = "failed"
SKIPPED = "skipped"
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
)
HEALTH_PATH = "/api/health"
# Every status ACM knows: a certificate that is no longer usable must show up as such, not as missing.
CERTIFICATE_STATUSES = (
    "PENDING_VALIDATION",
    "ISSUED",
    "INACTIVE",
    "EXPIRED",
    "VALIDATION_TIMED_OUT",
    "REVOKED",
    "FAILED",
)


def outcome(check, status, message):
    """One check's result as the module returns it."""
    return {"check": check, "status": status, "message": message}


def http_get(url, timeout, validate_certs):
    """(status, headers) of a GET of `url`; an HTTP error status is an answer too."""
    try:
        response = open_url(url, method="GET", timeout=timeout, validate_certs=validate_certs, follow_redirects="none")
        return response.status, response.headers
    except OSError as e:
        code = getattr(e, "code", None)
        if code is None:
            raise
        return code, e.headers


def check_site(origin, timeout, validate_certs):
    """The home page answers 200 with every security header."""
    if not origin:
        return outcome("site", FAILED, "no distribution found for the site")
    url = origin.rstrip("/") + "/"
    try:
        status, headers = http_get(url, timeout, validate_certs)
    except OSError as e:
        return outcome("site", FAILED, f"{url} does not answer: {e}")
    missing = [name for name in SECURITY_HEADERS if not headers.get(name)]
    if status != 200:
        return outcome("site", FAILED, f"{url} answered {status}, not 200")
    if missing:
        return outcome("site", FAILED, f"{status}, headers missing: {', '.join(missing)}")
    return outcome("site", OK, f"{status}, headers present")


def check_api(origin, timeout, validate_certs):
    """GET /api/health answers 200; a creator without an HTTP API has nothing to check."""
    if not origin:
        return outcome("api", SKIPPED, "the creator has no HTTP API")
    url = origin.rstrip("/") + HEALTH_PATH
    try:
        status = http_get(url, timeout, validate_certs)[0]
    except OSError as e:
        return outcome("api", FAILED, f"{url} does not answer: {e}")
    return outcome("api", OK if status == 200 else FAILED, f"{HEALTH_PATH} answered {status}")


def check_certificate(acm_client, domain, min_days, now):
    """The site's certificate (us-east-1) is ISSUED and expires in more than `min_days`."""
    summaries = [s for s in acm.list_certificates(acm_client, CERTIFICATE_STATUSES) if s["DomainName"] == domain]
    certificates = [acm.describe_certificate(acm_client, s["CertificateArn"]) for s in summaries]
    issued = sorted((c for c in certificates if c["Status"] == "ISSUED"), key=lambda c: c["NotAfter"], reverse=True)
    if not issued:
        statuses = ", ".join(sorted(c["Status"] for c in certificates)) or "none"
        return outcome("certificate", FAILED, f"no ISSUED certificate for {domain} in us-east-1 (found: {statuses})")
    days_left = (issued[0]["NotAfter"] - now).days
    if days_left <= min_days:
        return outcome("certificate", FAILED, f"ISSUED, expires in {days_left} days (at most {min_days})")
    return outcome("certificate", OK, f"ISSUED, expires in {days_left} days")


def delegated_name_servers(domain, timeout):
    """The name servers that the parent zone delegates `domain` to (a DNS NS lookup); [] when none."""
    resolver = dns.resolver.Resolver()
    resolver.lifetime = timeout
    try:
        answer = resolver.resolve(domain, "NS")
    except dns.exception.DNSException:
        return []
    return [record.target.to_text() for record in answer]


def compare_delegation(domain, zone_name_servers, delegated):
    """Compare the zone's name servers with the delegated ones; missing delegation is a warning."""
    if not zone_name_servers:
        return outcome("delegation", FAILED, f"no public hosted zone for {domain}")
    ours = sorted(server.lower().rstrip(".") for server in zone_name_servers)
    theirs = sorted(server.lower().rstrip(".") for server in delegated)
    if not theirs:
        return outcome("delegation", WARNING, f"{domain} is not delegated: set {', '.join(ours)} at the registrar")
    if ours != theirs:
        return outcome(
            "delegation",
            FAILED,
            f"the registrar delegates {domain} to {', '.join(theirs)}, the zone has {', '.join(ours)}",
        )
    return outcome("delegation", OK, f"delegated to the zone's {len(ours)} name servers")


def check_delegation(route53_client, domain, creator, delegated, timeout):
    """The zone's name servers are the ones the parent delegates to (`delegated`: None looks them up)."""
    zone = read_zone(route53_client, domain, creator)
    if delegated is None:
        if not HAS_DNSPYTHON:
            return outcome("delegation", WARNING, "cannot look up the delegation: dnspython is not installed")
        delegated = delegated_name_servers(domain, timeout)
    return compare_delegation(domain, (zone or {}).get("name_servers"), delegated)


def check_alarms(cloudwatch_clients, creator):
    """None of the creator's alarms (in the region and in us-east-1) is in ALARM."""
    prefix = resource_name(creator, "")
    alarms = [alarm for client in cloudwatch_clients for alarm in cloudwatch.describe_alarms(client, prefix)]
    firing = sorted(alarm["AlarmName"] for alarm in alarms if alarm.get("StateValue") == "ALARM")
    if firing:
        return outcome("alarms", FAILED, f"in ALARM: {', '.join(firing)}")
    return outcome("alarms", OK, f"{len(alarms)} alarms, none in ALARM" if alarms else "no alarms yet")


def check_tables(dynamodb_client, creator):
    """Point-in-time recovery is on for every table of the creator."""
    prefix = resource_name(creator, "")
    tables = [name for name in dynamodb.list_tables(dynamodb_client) if name.startswith(prefix)]
    off = [name for name in tables if not dynamodb.point_in_time_recovery_enabled(dynamodb_client, name)]
    if off:
        return outcome("tables", FAILED, f"point-in-time recovery off: {', '.join(off)}")
    return outcome("tables", OK, f"point-in-time recovery on for {len(tables)} tables")


def list_bucket_names(client, prefix):
    """Names of the account's buckets that start with `prefix`."""
    return sorted(bucket["Name"] for bucket in s3.list_buckets(client) if bucket["Name"].startswith(prefix))


def check_buckets(s3_client, creator):
    """Versioning is on for every bucket of the creator."""
    buckets = list_bucket_names(s3_client, resource_name(creator, ""))
    off = [name for name in buckets if s3.get_versioning(s3_client, name).get("Status") != "Enabled"]
    if off:
        return outcome("buckets", FAILED, f"versioning off: {', '.join(off)}")
    return outcome("buckets", OK, f"versioning on for {len(buckets)} buckets")


def read_site_origin(cloudfront_client, creator, account_id, domain):
    """https://<distribution domain> of the creator's distribution, or None."""
    distribution = read_distribution(cloudfront_client, creator, account_id, domain)
    return f"https://{distribution['domain_name']}" if distribution else None


def read_api_origin(apigatewayv2_client, creator):
    """The creator's HTTP API endpoint, or None."""
    api = find_api(apigatewayv2.get_apis(apigatewayv2_client), creator)
    return api["ApiEndpoint"] if api else None


def guarded(check, read):
    """Run `read`; an AWS error or an ambiguity becomes a failed outcome of `check`."""
    try:
        return read()
    except AnsibleAWSError as e:
        return outcome(check, FAILED, f"{e.message}: {e.exception}" if e.exception else e.message)
    except ConvergeError as e:
        return outcome(check, FAILED, e.message)


class HealthCheck:
    """Every check of one creator, with the clients of its account."""

    def __init__(self, session, params, now=None):
        self.session = session
        self.params = params
        self.now = now or datetime.datetime.now(datetime.UTC)

    def run(self):
        """The outcome of every check, in a fixed order."""
        p, session = self.params, self.session
        creator, domain, timeout, verify = p["creator"], p["domain"], p["timeout"], p["validate_certs"]
        site_origin = p["site_origin"] or self.origin_of_distribution()
        api_origin = p["api_origin"] if p["api_origin"] is not None else self.origin_of_api()
        return [
            site_origin if isinstance(site_origin, dict) else check_site(site_origin, timeout, verify),
            api_origin if isinstance(api_origin, dict) else check_api(api_origin, timeout, verify),
            guarded(
                "certificate",
                lambda: check_certificate(session.global_client("acm"), domain, p["certificate_min_days"], self.now),
            ),
            guarded(
                "delegation",
                lambda: check_delegation(
                    session.global_client("route53"), domain, creator, p["delegated_name_servers"], timeout
                ),
            ),
            guarded(
                "alarms",
                lambda: check_alarms([session.client("cloudwatch"), session.global_client("cloudwatch")], creator),
            ),
            guarded("tables", lambda: check_tables(session.client("dynamodb"), creator)),
            guarded("buckets", lambda: check_buckets(session.client("s3"), creator)),
        ]

    def origin_of_distribution(self):
        """https://<distribution domain>, or a failed site outcome."""
        p = self.params
        return guarded(
            "site",
            lambda: read_site_origin(
                self.session.global_client("cloudfront"), p["creator"], p["account_id"], p["domain"]
            ),
        )

    def origin_of_api(self):
        """The HTTP API's endpoint, or a failed api outcome."""
        return guarded("api", lambda: read_api_origin(self.session.client("apigatewayv2"), self.params["creator"]))


def report_lines(creator, outcomes):
    """One line per check: `creator1  site  ok  200, headers present`."""
    return [f"{creator}  {o['check']}  {o['status']}  {o['message']}" for o in outcomes]
