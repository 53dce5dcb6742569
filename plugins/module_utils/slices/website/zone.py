# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's public hosted zone: found by its name, created when missing, tagged.

Private to the website module.
"""

import functools
import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import route53
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags


def fqdn(name):
    """A DNS name as Route53 writes it: lower case, with the trailing dot."""
    return name.lower().rstrip(".") + "."


def zone_comment(creator):
    """The comment that tells the zone's purpose in the Route53 console."""
    return f"CreatorCloud website of {creator}"


def read_zone(client, domain, creator):
    """The public zone of `domain` as {id, name, name_servers, tags}, or None.

    Several public zones of one name are legal in Route53; the one tagged for this creator wins,
    and without one the choice is left to the operator.
    """
    zones = [zone for zone in route53.list_zones_named(client, fqdn(domain)) if not zone["Config"].get("PrivateZone")]
    if not zones:
        return None
    tagged = [(zone, route53.list_zone_tags(client, zone["Id"])) for zone in zones]
    if len(tagged) > 1:
        tagged = [(zone, tags) for zone, tags in tagged if tags.get(CREATOR_TAG) == creator]
        if len(tagged) != 1:
            ids = ", ".join(route53.zone_id_of(zone["Id"]) for zone in zones)
            raise ConvergeError(
                f"the account has {len(zones)} public hosted zones named {domain} ({ids}) and not exactly one "
                f"tagged {CREATOR_TAG}={creator}: delete the extra zones or tag the one to use",
                [],
            )
    zone, tags = tagged[0]
    delegation = route53.get_zone(client, zone["Id"]).get("DelegationSet") or {}
    return {
        "id": route53.zone_id_of(zone["Id"]),
        "name": zone["Name"],
        "name_servers": list(delegation.get("NameServers", [])),
        "tags": tags,
    }


def ensure_zone(client, changes, current, domain, creator, tags, purge_tags):
    """Create the zone when missing and converge its tags; returns the zone after (id None in check mode)."""
    if current is None:
        # Route53 refuses a CallerReference it has seen before, even of a deleted zone; the zone is
        # found again by its name, so its reference only has to be new.
        reference = f"{resource_name(creator, 'zone')}-{time.time_ns()}"
        created = changes.make(
            f"create hosted zone {domain}", route53.create_zone, client, fqdn(domain), reference, zone_comment(creator)
        )
        current = {"id": None, "name": fqdn(domain), "name_servers": [], "tags": {}}
        if created:
            current["id"] = route53.zone_id_of(created["HostedZone"]["Id"])
            current["name_servers"] = list(created["DelegationSet"]["NameServers"])
    zone_id = current["id"]
    after_tags = ensure_tags(
        changes,
        f"hosted zone {domain}",
        current["tags"],
        tags,
        purge_tags,
        functools.partial(_set_zone_tags, client, zone_id),
        functools.partial(_remove_zone_tags, client, zone_id),
    )
    return dict(current, tags=after_tags)


def _set_zone_tags(client, zone_id, to_set):
    """Route53 adds and removes tags in one call: this one only adds."""
    route53.change_zone_tags(client, zone_id, to_set, [])


def _remove_zone_tags(client, zone_id, keys):
    """Route53 adds and removes tags in one call: this one only removes."""
    route53.change_zone_tags(client, zone_id, {}, keys)
