# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A CloudFront response headers policy, as the headers it adds to and removes from a response.

The header values are built from the policy's config the way CloudFront builds them
(Strict-Transport-Security from max-age, includeSubDomains and preload; X-XSS-Protection
from its flags). A header whose `Override` is false is added only when the origin's
response does not carry it already. CORS and Server-Timing settings are not emulated.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class HeaderRule:
    """One header the policy sets; `override` replaces the origin's value, else the origin's value wins."""

    name: str
    value: str
    override: bool


@dataclass(frozen=True)
class ResponseHeadersPolicy:
    """The headers a policy adds and the headers it removes."""

    rules: tuple = ()
    removed: tuple = ()

    @classmethod
    def from_config(cls, config):
        """The policy of a ResponseHeadersPolicyConfig (the shape GetResponseHeadersPolicy returns)."""
        rules = security_header_rules(config.get("SecurityHeadersConfig") or {})
        for item in (config.get("CustomHeadersConfig") or {}).get("Items") or ():
            rules.append(HeaderRule(item["Header"], item["Value"], item["Override"]))
        removed = tuple(item["Header"] for item in (config.get("RemoveHeadersConfig") or {}).get("Items") or ())
        return cls(tuple(rules), removed)

    def apply(self, headers):
        """Remove and add headers in place on a werkzeug Headers object."""
        for name in self.removed:
            headers.remove(name)
        for rule in self.rules:
            if rule.override or rule.name not in headers:
                headers.set(rule.name, rule.value)


def security_header_rules(security):
    """The header rules of a SecurityHeadersConfig, in the order AWS documents them."""
    rules = []
    builders = (
        ("StrictTransportSecurity", "Strict-Transport-Security", strict_transport_security),
        ("ContentSecurityPolicy", "Content-Security-Policy", lambda c: c["ContentSecurityPolicy"]),
        ("ContentTypeOptions", "X-Content-Type-Options", lambda c: "nosniff"),
        ("FrameOptions", "X-Frame-Options", lambda c: c["FrameOption"]),
        ("ReferrerPolicy", "Referrer-Policy", lambda c: c["ReferrerPolicy"]),
        ("XSSProtection", "X-XSS-Protection", xss_protection),
    )
    for key, name, build in builders:
        if key in security:
            rules.append(HeaderRule(name, build(security[key]), security[key]["Override"]))
    return rules


def strict_transport_security(config):
    """The Strict-Transport-Security value: max-age, then includeSubDomains and preload when set."""
    parts = [f"max-age={config['AccessControlMaxAgeSec']}"]
    if config.get("IncludeSubdomains"):
        parts.append("includeSubDomains")
    if config.get("Preload"):
        parts.append("preload")
    return "; ".join(parts)


def xss_protection(config):
    """The X-XSS-Protection value: 0, or 1 with mode=block or a report URI."""
    if not config["Protection"]:
        return "0"
    value = "1"
    if config.get("ModeBlock"):
        value += "; mode=block"
    if config.get("ReportUri"):
        value += f"; report={config['ReportUri']}"
    return value
