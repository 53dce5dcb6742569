# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's monitoring: alert topics, their e-mail subscriptions, alarms, the dashboard.

Private to the monitoring module. Alarm actions must be in the alarm's region, so the CloudFront
and certificate alarms (their metrics are in us-east-1) notify a second topic there when the
creator's region is another. Topics are found by their deterministic ARN, alarms by name prefix
and the `creatorcloud:creator` tag. Check mode stops short of every write and predicts the state
after. A failing step raises ConvergeError with what had already changed.
"""

import functools

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import sns
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import GLOBAL_REGION
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.alarms import AlarmSet
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.alarms import alarm_view
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.alarms import desired_alarms
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.alarms import read_alarms
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.alarms import with_actions
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.dashboard import dashboard_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.dashboard import desired_dashboard
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.dashboard import ensure_dashboard
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.dashboard import read_dashboard

COMPONENT = "monitoring"
EMAIL = "email"
# What ListSubscriptionsByTopic shows instead of an ARN until the address confirmed: AWS cannot unsubscribe it.
PENDING = "PendingConfirmation"
THRESHOLDS = (
    "function_errors",
    "function_throttles",
    "api_5xx_percent",
    "api_latency_p99_ms",
    "cdn_5xx_percent",
    "table_throttles",
    "certificate_days_to_expiry",
)


def topic_name(creator):
    """The alert topic's name, the same in both regions: creatorcloud-<creator>-alerts."""
    return resource_name(creator, "alerts")


def topic_arn(region, account_id, creator):
    """The alert topic's ARN: known before it exists, so it is found without listing topics."""
    return f"arn:aws:sns:{region}:{account_id}:{topic_name(creator)}"


def thresholds_for(tier, overrides):
    """The tier's alarm thresholds with the operator's overrides (None keeps the tier's)."""
    settings = tier_settings(tier)
    thresholds = {key: settings[f"alarm_{key}"] for key in THRESHOLDS}
    thresholds.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return thresholds


def threshold_errors(overrides):
    """Each threshold override that is not a positive number, named with its value."""
    return [
        f"thresholds.{key} {value!r} must be a number above 0"
        for key, value in (overrides or {}).items()
        if value is not None and not value > 0
    ]


def email_subscriptions(subscriptions):
    """The e-mail subscriptions of a topic as {address (lower case): subscription ARN or PendingConfirmation}."""
    return {item["Endpoint"].lower(): item["SubscriptionArn"] for item in subscriptions if item["Protocol"] == EMAIL}


def topic_view(topic):
    """A topic as the module's diff shows it."""
    if topic is None:
        return None
    return {
        "arn": topic["arn"],
        "kms_master_key_id": topic["kms_master_key_id"],
        "tags": topic["tags"],
        "subscriptions": sorted(topic["subscriptions"]),
    }


def describe(state):
    """A state (from read or apply) as the module's diff shows it."""
    alarms = {**state["alarms"]["regional"], **state["alarms"]["global"]}
    return {
        "topics": {region: topic_view(topic) for region, topic in sorted(state["topics"].items())},
        "alarms": {name: alarm_view(alarm) for name, alarm in sorted(alarms.items())},
        "dashboard": state["dashboard"],
    }


class Monitoring:
    """The converge of one creator's monitoring. `clients` maps "regional"/"global" to {"sns", "cloudwatch",
    "resourcegroupstaggingapi"}."""

    def __init__(self, clients, desired, check_mode):
        self.clients = clients
        self.desired = desired
        self.changes = Changes(check_mode)
        self.tags = resource_tags(desired["creator"], COMPONENT, extra=desired["tags"])
        self.separate_global = desired["region"] != GLOBAL_REGION
        self.regions = {"regional": desired["region"], "global": GLOBAL_REGION}
        self.pending_unwanted = []

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after) in the shape of describe()."""
        with self.changes.reporting_failures():
            current = self.read()
            after = self.apply(current)
        return bool(self.changes.made), current, after

    def scopes(self):
        """The scopes whose clients differ: only "regional" when the creator's region is us-east-1."""
        return ("regional", "global") if self.separate_global else ("regional",)

    def read_topic(self, scope):
        """The alert topic of a scope as {arn, kms_master_key_id, tags, subscriptions}, or None."""
        client = self.clients[scope]["sns"]
        arn = topic_arn(self.regions[scope], self.desired["account_id"], self.desired["creator"])
        attributes = sns.get_topic_attributes(client, arn)
        if attributes is None:
            return None
        return {
            "arn": arn,
            "kms_master_key_id": attributes.get("KmsMasterKeyId") or None,
            "tags": sns.list_tags(client, arn),
            "subscriptions": email_subscriptions(sns.list_subscriptions_by_topic(client, arn)),
        }

    def read(self):
        """Every resource as it is now."""
        creator = self.desired["creator"]
        alarms = {
            scope: read_alarms(
                self.clients[scope]["cloudwatch"], self.clients[scope]["resourcegroupstaggingapi"], creator
            )
            for scope in self.scopes()
        }
        return {
            "topics": {self.regions[scope]: self.read_topic(scope) for scope in self.scopes()},
            "alarms": {"regional": alarms["regional"], "global": alarms.get("global", {})},
            "dashboard": read_dashboard(self.clients["regional"]["cloudwatch"], creator),
        }

    def ensure_topic(self, scope, current, kms_key_id):
        """Create the topic or set its key and tags; returns it after."""
        client = self.clients[scope]["sns"]
        region = self.regions[scope]
        name = topic_name(self.desired["creator"])
        what = f"topic {name} in {region}"
        if current is None:
            attributes = {"KmsMasterKeyId": kms_key_id} if kms_key_id else {}
            self.changes.make(f"create {what}", sns.create_topic, client, name, attributes, self.tags)
            arn = topic_arn(region, self.desired["account_id"], self.desired["creator"])
            return {"arn": arn, "kms_master_key_id": kms_key_id, "tags": dict(self.tags), "subscriptions": {}}
        after = dict(current)
        if kms_key_id and current["kms_master_key_id"] != kms_key_id:
            self.changes.make(
                f"encrypt {what} with {kms_key_id}",
                sns.set_topic_attribute,
                client,
                current["arn"],
                "KmsMasterKeyId",
                kms_key_id,
            )
            after["kms_master_key_id"] = kms_key_id
        tag = functools.partial(sns.tag_resource, client, current["arn"])
        untag = functools.partial(sns.untag_resource, client, current["arn"])
        purge = self.desired["purge_tags"]
        after["tags"] = ensure_tags(self.changes, what, current["tags"], self.tags, purge, tag, untag)
        return after

    def ensure_subscriptions(self, scope, topic):
        """Subscribe the wanted addresses and unsubscribe the others; returns the topic after."""
        client = self.clients[scope]["sns"]
        wanted = sorted({address.lower() for address in self.desired["emails"]})
        subscriptions = dict(topic["subscriptions"])
        for address in wanted:
            if address not in subscriptions:
                self.changes.make(
                    f"subscribe {address} to {topic['arn']}", sns.subscribe, client, topic["arn"], EMAIL, address
                )
                subscriptions[address] = PENDING
        for address, arn in sorted(topic["subscriptions"].items()):
            if address in wanted:
                continue
            if arn == PENDING:
                self.pending_unwanted.append(f"{address} on {topic['arn']}")
                continue
            self.changes.make(f"unsubscribe {address} from {topic['arn']}", sns.unsubscribe, client, arn)
            del subscriptions[address]
        return dict(topic, subscriptions=subscriptions)

    def ensure_alert_topic(self, scope, current):
        """The topic of a scope with its subscriptions; returns it after."""
        desired = self.desired
        kms_key_id = desired["kms_key_id"] if scope == "regional" else desired["global_kms_key_id"]
        topic = self.ensure_topic(scope, current, kms_key_id)
        return self.ensure_subscriptions(scope, topic)

    def apply(self, current):
        """Converge the topics, then the alarms that notify them, then the dashboard; returns the state after."""
        desired = self.desired
        creator = desired["creator"]
        alarms = desired_alarms(creator, desired["watched"], thresholds_for(desired["tier"], desired["thresholds"]))
        if not self.separate_global:
            alarms = {"regional": alarms["regional"] + alarms["global"], "global": []}
        topics = dict(current["topics"])
        region = self.regions["regional"]
        topics[region] = self.ensure_alert_topic("regional", current["topics"][region])
        targets = {"regional": topics[region]["arn"]}
        if alarms["global"]:
            topics[GLOBAL_REGION] = self.ensure_alert_topic("global", current["topics"][GLOBAL_REGION])
            targets["global"] = topics[GLOBAL_REGION]["arn"]
        after_alarms = {"regional": {}, "global": {}}
        for scope in self.scopes():
            wanted = [with_actions(alarm, targets[scope]) for alarm in alarms[scope]]
            alarm_set = AlarmSet(self.changes, self.clients[scope]["cloudwatch"], self.tags, self.desired["purge_tags"])
            after_alarms[scope] = alarm_set.ensure(current["alarms"][scope], wanted)
        dashboard = ensure_dashboard(
            self.changes,
            self.clients["regional"]["cloudwatch"],
            creator,
            current["dashboard"],
            desired_dashboard(creator, region, desired["watched"]),
        )
        return {"topics": topics, "alarms": after_alarms, "dashboard": dashboard}

    def summary(self, after):
        """What the module returns: the topics, the alarm names, the dashboard and what AWS could not remove."""
        region = self.regions["regional"]
        global_topic = after["topics"].get(GLOBAL_REGION) if self.separate_global else None
        return {
            "topic_arn": after["topics"][region]["arn"],
            "global_topic_arn": (global_topic or after["topics"][region])["arn"],
            "subscriptions": sorted(after["topics"][region]["subscriptions"]),
            "alarm_names": sorted({**after["alarms"]["regional"], **after["alarms"]["global"]}),
            "dashboard_name": dashboard_name(self.desired["creator"]),
            "pending_unwanted_subscriptions": sorted(self.pending_unwanted),
        }
