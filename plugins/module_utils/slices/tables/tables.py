# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's DynamoDB tables from a declarative spec.

Private to the tables module. A table is found by its physical name, derived from the creator
and the table's logical name, so no state file is needed. Every table gets point-in-time
recovery, deletion protection and encryption with the creator's KMS key. Data is removed only
on explicit request: a table or index missing from the spec is left alone (and reported),
unless the spec names it for removal and sets delete_data.

The whole run is planned before the first write: a key schema or index that AWS cannot change
in place fails the run before anything is changed.

A restore (module table_restore) switches a logical table to a restored table under another
name. It records the switch in the creator's account, in the SSM parameter
/creatorcloud/<creator>/tables ({logical name: physical name}); this converge reads it and
converges (and names in `names`) the switched table, so later runs keep serving the restored data.
"""

import functools
import json
import re
import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import resourcegroupstaggingapi
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ssm
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings

COMPONENT = "tables"
LOGICAL_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,63}$")
POLL_SECONDS = 2

# no_log=False: "key" in these names means a table key, not a secret.
KEY_OPTIONS = dict(name=dict(type="str", required=True), type=dict(type="str", choices=["S", "N", "B"], default="S"))
INDEX_OPTIONS = dict(
    name=dict(type="str", required=True),
    partition_key=dict(type="dict", required=True, no_log=False, options=KEY_OPTIONS),
    sort_key=dict(type="dict", no_log=False, options=KEY_OPTIONS),
    projection=dict(type="str", choices=["ALL", "KEYS_ONLY", "INCLUDE"], default="ALL"),
    non_key_attributes=dict(type="list", elements="str", default=[], no_log=False),
)
TABLE_OPTIONS = dict(
    name=dict(type="str", required=True),
    partition_key=dict(type="dict", required=True, no_log=False, options=KEY_OPTIONS),
    sort_key=dict(type="dict", no_log=False, options=KEY_OPTIONS),
    global_secondary_indexes=dict(type="list", elements="dict", default=[], options=INDEX_OPTIONS),
    ttl_attribute=dict(type="str"),
    stream=dict(type="str", choices=["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]),
    backup=dict(type="bool", default=False),
)


def physical_table_name(creator, logical_name):
    """The table's name in the creator's account: creatorcloud-<creator>-<logical name in lower case>."""
    return resource_name(creator, logical_name.lower())


def active_tables_parameter(creator):
    """The SSM parameter that names the table a restore switched each logical table to."""
    return f"/creatorcloud/{creator}/tables"


def read_active_tables(ssm_client, creator):
    """{logical name: physical name} of the tables a restore switched; {} when none was."""
    name = active_tables_parameter(creator)
    value = ssm.get_parameter_value(ssm_client, name)
    if value is None:
        return {}
    try:
        active = json.loads(value)
    except ValueError:
        active = None
    if not isinstance(active, dict):
        raise ConvergeError(
            f"SSM parameter {name} is {value!r}, not a JSON object of logical to physical table names: "
            "restore its last version (aws ssm get-parameter-history) or delete it to use the standard names",
            [],
        )
    return active


def billing_of(params):
    """The billing mode and capacities: the parameters where given, else the tier's."""
    tier = tier_settings(params["tier"])
    return {
        "billing_mode": params["billing_mode"] or tier["dynamodb_billing_mode"],
        "read_capacity": params["read_capacity"] or tier.get("dynamodb_read_capacity"),
        "write_capacity": params["write_capacity"] or tier.get("dynamodb_write_capacity"),
    }


def key_attributes(item):
    """The (name, type) of the partition key and, if any, the sort key of a table or index spec."""
    return [(key["name"], key["type"]) for key in (item["partition_key"], item.get("sort_key")) if key]


def key_schema(item):
    """The KeySchema of a table or index spec."""
    roles = ("HASH", "RANGE")
    return [
        {"AttributeName": pair[0], "KeyType": roles[position]} for position, pair in enumerate(key_attributes(item))
    ]


def attribute_definitions(items):
    """The AttributeDefinitions for the keys of `items` (table and index specs), each attribute once, sorted."""
    types = {}
    for item in items:
        types.update(key_attributes(item))
    return [{"AttributeName": name, "AttributeType": types[name]} for name in sorted(types)]


def provisioned_throughput(billing):
    """The ProvisionedThroughput of PROVISIONED billing, None for PAY_PER_REQUEST."""
    if billing["mode"] != "PROVISIONED":
        return None
    return {"ReadCapacityUnits": billing["read_capacity"], "WriteCapacityUnits": billing["write_capacity"]}


def desired_projection(index):
    """The Projection of an index spec."""
    projection = {"ProjectionType": index["projection"]}
    if index["projection"] == "INCLUDE":
        projection["NonKeyAttributes"] = sorted(index["non_key_attributes"])
    return projection


def desired_index(index, billing):
    """The GlobalSecondaryIndex request of an index spec."""
    request = {"IndexName": index["name"], "KeySchema": key_schema(index), "Projection": desired_projection(index)}
    throughput = provisioned_throughput(billing)
    if throughput:
        request["ProvisionedThroughput"] = throughput
    return request


def desired_stream(spec):
    """The StreamSpecification of a table spec."""
    if spec.get("stream"):
        return {"StreamEnabled": True, "StreamViewType": spec["stream"]}
    return {"StreamEnabled": False}


def desired_sse(kms_key_arn):
    """Encryption at rest with the creator's customer managed key."""
    return {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": kms_key_arn}


def desired_table_tags(creator, spec, extra):
    """The table's tags: the creator's, the component's, the backup plan's when the spec asks for backups."""
    return resource_tags(creator, COMPONENT, extra=extra, backup=spec["backup"])


def create_table_request(name, spec, billing, kms_key_arn, tags):
    """The CreateTable request of a table spec: keys, indexes, billing, stream, encryption, protection, tags."""
    indexes = spec["global_secondary_indexes"]
    request = {
        "TableName": name,
        "KeySchema": key_schema(spec),
        "AttributeDefinitions": attribute_definitions([spec, *indexes]),
        "BillingMode": billing["mode"],
        "SSESpecification": desired_sse(kms_key_arn),
        "DeletionProtectionEnabled": True,
        "Tags": [{"Key": key, "Value": value} for key, value in sorted(tags.items())],
    }
    if indexes:
        request["GlobalSecondaryIndexes"] = [desired_index(index, billing) for index in indexes]
    throughput = provisioned_throughput(billing)
    if throughput:
        request["ProvisionedThroughput"] = throughput
    if spec.get("stream"):
        request["StreamSpecification"] = desired_stream(spec)
    return request


def duplicates(names):
    """The names that occur more than once, sorted."""
    return sorted({name for name in names if names.count(name) > 1})


def table_spec_errors(spec):
    """What is wrong with one table spec: name, conflicting attribute types, duplicate or malformed indexes."""
    errors = []
    name = spec["name"]
    if not LOGICAL_NAME_PATTERN.match(name):
        errors.append(f"table name {name!r} must be letters and digits, starting with a letter (at most 64)")
    indexes = spec["global_secondary_indexes"]
    for duplicate in duplicates([index["name"] for index in indexes]):
        errors.append(f"table {name}: index {duplicate!r} is declared more than once")
    types = {}
    for attribute, attribute_type in (pair for item in [spec, *indexes] for pair in key_attributes(item)):
        if types.setdefault(attribute, attribute_type) != attribute_type:
            errors.append(
                f"table {name}: attribute {attribute!r} is declared with types {types[attribute]} and {attribute_type}"
            )
    for index in indexes:
        if (index["projection"] == "INCLUDE") != bool(index["non_key_attributes"]):
            errors.append(
                f"table {name}: index {index['name']!r} needs non_key_attributes exactly when projection is INCLUDE"
            )
    return errors


def spec_errors(tables, absent_tables, delete_data):
    """Every mistake in the spec, before anything is read or written."""
    names = [spec["name"] for spec in tables]
    errors = [f"table {duplicate!r} is declared more than once" for duplicate in duplicates(names)]
    for spec in tables:
        errors.extend(table_spec_errors(spec))
    for name in absent_tables:
        if name in names:
            errors.append(f"table {name!r} is both in tables and in absent_tables")
    if absent_tables and not delete_data:
        errors.append(
            f"absent_tables {', '.join(absent_tables)}: removing a table deletes its data; "
            "set delete_data: true to confirm"
        )
    return errors


def read_table(client, name, tags_by_arn=None):
    """The table with its recovery, time to live and tags, in the form the steps compare, or None.

    `tags_by_arn` holds the tags of the region's tables, read at once (resourcegroupstaggingapi); without
    it the table's tags are read on their own.
    """
    table = dynamodb.describe_table(client, name)
    if table is None:
        return None
    throughput = table.get("ProvisionedThroughput", {})
    stream = table.get("StreamSpecification") or {}
    sse = table.get("SSEDescription") or {}
    return {
        "name": name,
        "arn": table["TableArn"],
        "status": table["TableStatus"],
        "key_schema": table["KeySchema"],
        "attributes": {item["AttributeName"]: item["AttributeType"] for item in table["AttributeDefinitions"]},
        "billing_mode": table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
        "throughput": {key: throughput.get(key) for key in ("ReadCapacityUnits", "WriteCapacityUnits")},
        "indexes": {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes") or []},
        "stream": stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
        "stream_arn": table.get("LatestStreamArn") if stream.get("StreamEnabled") else None,
        "kms_key_arn": sse.get("KMSMasterKeyArn") if sse.get("Status") in ("ENABLED", "UPDATING") else None,
        "deletion_protection": table.get("DeletionProtectionEnabled", False),
        "point_in_time_recovery": dynamodb.point_in_time_recovery_enabled(client, name),
        "ttl_attribute": dynamodb.time_to_live(client, name),
        "tags": (
            dynamodb.list_tags(client, table["TableArn"])
            if tags_by_arn is None
            else tags_by_arn.get(table["TableArn"], {})
        ),
    }


def predicted_table(name, spec, billing, kms_key_arn, tags):
    """What a table that check mode would create looks like, as read_table returns it."""
    return {
        "name": name,
        "arn": None,
        "status": "ACTIVE",
        "key_schema": key_schema(spec),
        "attributes": dict(pair for item in [spec, *spec["global_secondary_indexes"]] for pair in key_attributes(item)),
        "billing_mode": billing["mode"],
        "throughput": provisioned_throughput(billing) or {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "indexes": {index["name"]: desired_index(index, billing) for index in spec["global_secondary_indexes"]},
        "stream": spec.get("stream"),
        "stream_arn": None,
        "kms_key_arn": kms_key_arn,
        "deletion_protection": True,
        "point_in_time_recovery": False,
        "ttl_attribute": None,
        "tags": tags,
    }


def index_differences(current, spec):
    """The indexes of `spec` whose keys or projection differ from the table's index of the same name."""
    changed = []
    for index in spec["global_secondary_indexes"]:
        existing = current["indexes"].get(index["name"])
        if existing is None:
            continue
        same_keys = existing["KeySchema"] == key_schema(index) and all(
            current["attributes"].get(attribute) == attribute_type
            for attribute, attribute_type in key_attributes(index)
        )
        if not (same_keys and matches(existing.get("Projection"), desired_projection(index))):
            changed.append(index["name"])
    return changed


def plan_errors(current, spec):
    """What AWS cannot change in place on an existing table; the run fails before any write when there is any."""
    name = current["name"]
    errors = []
    same_types = all(current["attributes"].get(a) == t for a, t in key_attributes(spec))
    if current["key_schema"] != key_schema(spec) or not same_types:
        errors.append(
            f"table {name}: its keys differ from the spec and AWS cannot change a table's keys: "
            "create a table under a new name and copy the data"
        )
    for index in index_differences(current, spec):
        errors.append(
            f"table {name}: index {index} differs from the spec and AWS cannot change an index: remove it "
            "(leave it out of the spec and set delete_data: true), then add it back"
        )
    wanted, ttl = spec.get("ttl_attribute"), current["ttl_attribute"]
    if wanted and ttl and wanted != ttl:
        errors.append(
            f"table {name}: time to live is on attribute {ttl}, not {wanted}: AWS allows one TTL change per hour; "
            "remove ttl_attribute, run, and set the new one an hour later"
        )
    return errors


def describe_table(table):
    """The table as the module returns it (snake_case keys); {} for no table."""
    if table is None:
        return {}
    return {
        "name": table["name"],
        "arn": table["arn"],
        "status": table["status"],
        "billing_mode": table["billing_mode"],
        "indexes": sorted(table["indexes"]),
        "stream_arn": table["stream_arn"],
        "kms_key_arn": table["kms_key_arn"],
        "deletion_protection": table["deletion_protection"],
        "point_in_time_recovery": table["point_in_time_recovery"],
        "ttl_attribute": table["ttl_attribute"],
        "tags": table["tags"],
        "unmanaged_indexes": table.get("unmanaged_indexes", []),
    }


def table_active(table):
    """True when a described table is ACTIVE."""
    return table["TableStatus"] == "ACTIVE"


def index_active(table, index_name):
    """True when a described table is ACTIVE and its index `index_name` is ACTIVE."""
    indexes = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes") or []}
    return table_active(table) and indexes.get(index_name, {}).get("IndexStatus") == "ACTIVE"


def index_gone(table, index_name):
    """True when a described table is ACTIVE and has no index `index_name` any more."""
    names = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes") or []}
    return table_active(table) and index_name not in names


class Tables:
    """The converge of one creator's tables. `desired` holds the module's parameters."""

    def __init__(
        self,
        client,
        desired,
        check_mode,
        sleep=time.sleep,
        clock=time.monotonic,
        active=None,
        changes=None,
        tagging=None,
    ):
        self.client = client
        # The tagging API's client reads every table's tags in one call; a restore, which reads one table, has none.
        self.tagging = tagging
        self.desired = desired
        self.active = active or {}
        # A restore shares its Changes, so a failure reports everything the restore already did.
        self.changes = changes or Changes(check_mode)
        self.sleep = sleep
        self.clock = clock
        self.billing = {key: desired[key] for key in ("read_capacity", "write_capacity")}
        self.billing["mode"] = desired["billing_mode"]

    def name_of(self, logical_name):
        """The physical name of a logical table name: the table a restore switched to, else the standard name."""
        return self.active.get(logical_name) or physical_table_name(self.desired["creator"], logical_name)

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after, unmanaged)."""
        with self.changes.reporting_failures():
            tags = resourcegroupstaggingapi.tags_by_arn(self.tagging, "dynamodb:table") if self.tagging else None
            current = {
                spec["name"]: read_table(self.client, self.name_of(spec["name"]), tags)
                for spec in self.desired["tables"]
            }
            absent = {name: read_table(self.client, self.name_of(name), tags) for name in self.desired["absent_tables"]}
            self._check_plan(current)
            after = {spec["name"]: self._ensure_table(current[spec["name"]], spec) for spec in self.desired["tables"]}
            for table in absent.values():
                if table:
                    self._remove_table(table)
            unmanaged = self._unmanaged_tables()
        before = {name: describe_table(table) for name, table in {**current, **absent}.items() if table}
        return bool(self.changes.made), before, {name: describe_table(t) for name, t in after.items()}, unmanaged

    def _check_plan(self, current):
        """Fail before any write when an existing table would need a change that AWS cannot make in place."""
        specs = [spec for spec in self.desired["tables"] if current[spec["name"]]]
        errors = [error for spec in specs for error in plan_errors(current[spec["name"]], spec)]
        if errors:
            self.changes.fail("; ".join(errors))

    def _unmanaged_tables(self):
        """The tables of the account (in this region) that the spec neither declares nor removes."""
        known = {self.name_of(name) for name in self.desired["absent_tables"]}
        known.update(self.name_of(spec["name"]) for spec in self.desired["tables"])
        return sorted(name for name in dynamodb.list_tables(self.client) if name not in known)

    def _ensure_table(self, current, spec):
        """Create or update one table, then its indexes, recovery, time to live and tags; returns it after."""
        name = self.name_of(spec["name"])
        tags = desired_table_tags(self.desired["creator"], spec, self.desired["tags"])
        if current is None:
            table = self._create_table(name, spec, tags)
        else:
            table = dict(current)
            self._update_table(table, spec)
            self._ensure_indexes(table, spec)
            table["tags"] = ensure_tags(
                self.changes,
                f"table {name}",
                table["tags"],
                tags,
                self.desired["purge_tags"],
                functools.partial(dynamodb.tag_resource, self.client, table["arn"]),
                functools.partial(dynamodb.untag_resource, self.client, table["arn"]),
            )
        self._ensure_recovery(table)
        self._ensure_time_to_live(table, spec.get("ttl_attribute"))
        return table

    def _create_table(self, name, spec, tags):
        """Create the table with everything CreateTable takes and wait until it is ACTIVE."""
        request = create_table_request(name, spec, self.billing, self.desired["kms_key_arn"], tags)
        self.changes.make(f"create table {name}", dynamodb.create_table, self.client, request)
        if self.changes.check_mode:
            return predicted_table(name, spec, self.billing, self.desired["kms_key_arn"], tags)
        self._wait(name, "the new table to be ACTIVE", table_active)
        return read_table(self.client, name)

    def _update_table(self, table, spec):
        """Billing, deletion protection, stream and encryption: one UpdateTable each, as AWS changes one at a time."""
        name = table["name"]
        throughput = provisioned_throughput(self.billing)
        if table["billing_mode"] != self.billing["mode"] or (throughput and table["throughput"] != throughput):
            request = {"BillingMode": self.billing["mode"]}
            if throughput:
                request["ProvisionedThroughput"] = throughput
                # Switching an existing table to PROVISIONED needs the capacity of every index too.
                request["GlobalSecondaryIndexUpdates"] = [
                    {"Update": {"IndexName": index, "ProvisionedThroughput": throughput}} for index in table["indexes"]
                ]
            self._update(table, f"set the billing of table {name} to {self.billing['mode']}", request)
            table["billing_mode"] = self.billing["mode"]
            table["throughput"] = throughput or table["throughput"]
        if not table["deletion_protection"]:
            self._update(table, f"turn on deletion protection of table {name}", {"DeletionProtectionEnabled": True})
            table["deletion_protection"] = True
        if table["stream"] != spec.get("stream"):
            self._update(
                table,
                f"set the stream of table {name} to {spec.get('stream')}",
                {"StreamSpecification": desired_stream(spec)},
            )
            table["stream"] = spec.get("stream")
        if table["kms_key_arn"] != self.desired["kms_key_arn"]:
            sse = desired_sse(self.desired["kms_key_arn"])
            self._update(
                table, f"encrypt table {name} with key {self.desired['kms_key_arn']}", {"SSESpecification": sse}
            )
            table["kms_key_arn"] = self.desired["kms_key_arn"]

    def _ensure_indexes(self, table, spec):
        """Remove the indexes that delete_data lets go, then create the missing ones, one UpdateTable each."""
        name = table["name"]
        wanted = {index["name"]: index for index in spec["global_secondary_indexes"]}
        extra = sorted(set(table["indexes"]) - set(wanted))
        table["unmanaged_indexes"] = [] if self.desired["delete_data"] else extra
        for index in extra if self.desired["delete_data"] else []:
            request = {"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": index}}]}
            ready = functools.partial(index_gone, index_name=index)
            self._update(table, f"remove index {index} of table {name}", request, f"index {index} to be removed", ready)
            del table["indexes"][index]
        for index_name in sorted(set(wanted) - set(table["indexes"])):
            index = wanted[index_name]
            table["attributes"].update(key_attributes(index))
            request = {
                "AttributeDefinitions": attribute_definitions([index]),
                "GlobalSecondaryIndexUpdates": [{"Create": desired_index(index, self.billing)}],
            }
            ready = functools.partial(index_active, index_name=index_name)
            what = f"index {index_name} to be ACTIVE"
            self._update(table, f"add index {index_name} to table {name}", request, what, ready)
            table["indexes"][index_name] = desired_index(index, self.billing)

    def _ensure_recovery(self, table):
        """Point-in-time recovery on: the last 35 days can be restored."""
        if not table["point_in_time_recovery"]:
            description = f"turn on point-in-time recovery of table {table['name']}"
            self.changes.make(description, dynamodb.enable_point_in_time_recovery, self.client, table["name"])
            table["point_in_time_recovery"] = True

    def _ensure_time_to_live(self, table, attribute):
        """Expire items by `attribute` (epoch seconds), or turn expiry off when the spec names none."""
        name, current = table["name"], table["ttl_attribute"]
        if attribute and current is None:
            description = f"expire items of table {name} by attribute {attribute}"
            self.changes.make(description, dynamodb.update_time_to_live, self.client, name, attribute, True)
        elif attribute is None and current:
            description = f"stop expiring items of table {name} by attribute {current}"
            self.changes.make(description, dynamodb.update_time_to_live, self.client, name, current, False)
        table["ttl_attribute"] = attribute

    def _remove_table(self, table):
        """Delete a table that absent_tables names (delete_data was checked before): protection off, then delete."""
        name = table["name"]
        if table["deletion_protection"]:
            request = {"DeletionProtectionEnabled": False}
            self._update(table, f"turn off deletion protection of table {name} to remove it", request)
        self.changes.make(f"delete table {name} and its data", dynamodb.delete_table, self.client, name)

    def _update(self, table, description, request, what="the table to be ACTIVE", ready=table_active):
        """One UpdateTable call, then (unless in check mode) wait until `ready`, so the next change is accepted."""
        name = table["name"]
        self.changes.make(description, dynamodb.update_table, self.client, dict(request, TableName=name))
        if not self.changes.check_mode:
            self._wait(name, what, ready)

    def _wait(self, name, what, ready):
        """Poll the table until `ready(description)`; fail with a clear message after wait_timeout seconds."""
        wait_for_table(self, name, what, ready, self.desired["wait_timeout"])


def wait_for_table(converge, name, what, ready, timeout):
    """Poll table `name` until `ready(description)`, with the client, changes, sleep and clock of `converge`.

    Fails with a clear message, and what the run already changed, after `timeout` seconds.
    """
    deadline = converge.clock() + timeout
    while True:
        table = dynamodb.describe_table(converge.client, name)
        if table is not None and ready(table):
            return
        if converge.clock() >= deadline:
            status = table["TableStatus"] if table else "missing"
            converge.changes.fail(
                f"waited {timeout} seconds for {what} (table {name} is {status}): AWS is still working on it; "
                "run again later, the next run continues from there"
            )
        converge.sleep(POLL_SECONDS)
