# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's backups: the role AWS Backup assumes, the vault, the plan, the tag selection,
the bucket for table exports, and the protection (PITR, versioning) of every data store of the creator.

Private to the backup module. Everything is found again by its deterministic name. The whole run is
read and planned before the first write: a vault encrypted with another key (which AWS cannot change,
and a vault is never deleted: it holds the backups) fails the run before anything is changed. The
steps run in dependency order: the role and vault before the plan and selection that name them.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import awsbackup
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import BACKUP_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import NAME_PREFIX
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import backup_bucket_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import PRIVATE_SETTINGS
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import VERSIONING
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import VERSIONING_SETTING
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import desired_expiry_rules
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import (
    desired_private_settings,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import ensure_expiring_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import read_expiring_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.role import backup_role_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.role import ensure_backup_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.role import read_backup_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.verify import ensure_protection
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.verify import read_protection

COMPONENT = "backup"
# AWS Backup: a selection name has at most 50 characters; retention at most 100 years.
SELECTION_NAME_LIMIT = 50
MAX_RETENTION_DAYS = 36500
# Daily at 03:00 UTC, weekly on Sunday at 04:00 UTC: outside the creators' evening streams.
SCHEDULES = {"daily": "cron(0 3 * * ? *)", "weekly": "cron(0 4 ? * SUN *)"}
EXPORTS_RULE_ID = "expire-exports"
BUCKET_SETTINGS = PRIVATE_SETTINGS + (VERSIONING_SETTING,)
# Every resource the other modules tag for backup: tables today, buckets when their spec asks.
TAG_CONDITION = {"ConditionType": "STRINGEQUALS", "ConditionKey": BACKUP_TAG, "ConditionValue": "true"}


def vault_name(creator):
    """The vault's (and the plan's) name: creatorcloud-<creator>."""
    return f"{NAME_PREFIX}-{creator}"


def vault_arn(region, account_id, name):
    """The ARN AWS Backup gives a vault: known before it exists."""
    return f"arn:aws:backup:{region}:{account_id}:backup-vault:{name}"


def selection_name(creator):
    """The selection's name, creatorcloud-<creator>-tagged, the slug shortened to AWS's 50 characters."""
    suffix = "-tagged"
    return vault_name(creator)[: SELECTION_NAME_LIMIT - len(suffix)].rstrip("-") + suffix


def retention_errors(daily, weekly, exports):
    """Each retention outside what AWS Backup and S3 accept, or a weekly one not longer than the daily one."""
    errors = [
        f"{field} {days!r} must be between 1 and {MAX_RETENTION_DAYS}"
        for field, days in (
            ("daily_retention_days", daily),
            ("weekly_retention_days", weekly),
            ("export_retention_days", exports),
        )
        if not 1 <= days <= MAX_RETENTION_DAYS
    ]
    if not errors and weekly <= daily:
        errors.append(
            f"weekly_retention_days {weekly!r} must be longer than daily_retention_days {daily!r}: "
            "the weekly backups are the ones kept longer"
        )
    return errors


def desired_rule(rule_name, vault, days, tags):
    """One rule of the plan, in CreateBackupPlan's request shape."""
    return {
        "RuleName": rule_name,
        "TargetBackupVaultName": vault,
        "ScheduleExpression": SCHEDULES[rule_name],
        "Lifecycle": {"DeleteAfterDays": days},
        "RecoveryPointTags": tags,
    }


def desired_plan(name, daily, weekly, tags):
    """The plan: a daily rule and a weekly one kept longer, both into the vault of the same name."""
    return {
        "BackupPlanName": name,
        "Rules": [desired_rule("daily", name, daily, tags), desired_rule("weekly", name, weekly, tags)],
    }


def plan_matches(current, desired):
    """True when the plan has exactly the desired rules (by name), each with the desired settings."""
    rules = {rule["RuleName"]: rule for rule in current.get("Rules", [])}
    wanted = {rule["RuleName"]: rule for rule in desired["Rules"]}
    return sorted(rules) == sorted(wanted) and all(matches(rules[name], wanted[name]) for name in wanted)


def desired_selection(creator, role_arn):
    """Every resource of the account tagged creatorcloud:backup=true, backed up through the backup role."""
    return {"SelectionName": selection_name(creator), "IamRoleArn": role_arn, "ListOfTags": [TAG_CONDITION]}


def read_vault(client, name):
    """The vault as {"name", "arn", "kms_key_arn", "tags"}, or None."""
    vault = awsbackup.describe_backup_vault(client, name)
    if vault is None:
        return None
    arn = vault["BackupVaultArn"]
    return {
        "name": name,
        "arn": arn,
        "kms_key_arn": vault.get("EncryptionKeyArn"),
        "tags": awsbackup.list_tags(client, arn),
    }


def read_plan(client, name):
    """The plan named `name` as {"id", "arn", "plan", "tags"}, or None."""
    found = sorted(
        (summary for summary in awsbackup.list_backup_plans(client) if summary.get("BackupPlanName") == name),
        key=lambda summary: summary["BackupPlanId"],
    )
    plan = found and awsbackup.get_backup_plan(client, found[0]["BackupPlanId"])
    if not plan:
        return None
    arn = plan["BackupPlanArn"]
    return {
        "id": plan["BackupPlanId"],
        "arn": arn,
        "plan": plan["BackupPlan"],
        "tags": awsbackup.list_tags(client, arn),
    }


def read_selection(client, plan_id, name):
    """The plan's selection named `name` as {"id", "selection"}, or None."""
    for summary in awsbackup.list_backup_selections(client, plan_id) if plan_id else []:
        if summary["SelectionName"] == name:
            selection = awsbackup.get_backup_selection(client, plan_id, summary["SelectionId"])
            return selection and {"id": summary["SelectionId"], "selection": selection}
    return None


def rules_view(plan):
    """The plan's rules as the module shows them: name -> schedule and retention."""
    return {
        rule["RuleName"]: {
            "schedule": rule.get("ScheduleExpression"),
            "delete_after_days": (rule.get("Lifecycle") or {}).get("DeleteAfterDays"),
            "vault": rule.get("TargetBackupVaultName"),
        }
        for rule in plan.get("Rules", [])
    }


def describe(state):
    """A state (from read or apply) as the module's diff shows it."""
    plan, selection, bucket = state["plan"], state["selection"], state["bucket"]
    return {
        "role": state["role"],
        "vault": state["vault"],
        "plan": plan and {"id": plan["id"], "name": plan["plan"]["BackupPlanName"], "rules": rules_view(plan["plan"])},
        "selection": selection and {"id": selection["id"], **selection["selection"]},
        "bucket": bucket
        and {key: bucket.get(key) for key in ("name", "versioning", "retention_days", "encryption", "tags")},
        "protection": state["protection"],
    }


class Backup:
    """The converge of one creator's backups. `clients` has backup, iam, s3 and dynamodb clients;
    `desired` holds the module's parameters (with region)."""

    def __init__(self, clients, desired, check_mode):
        self.clients = clients
        self.desired = desired
        self.changes = Changes(check_mode)
        creator = desired["creator"]
        self.tags = resource_tags(creator, COMPONENT, extra=desired["tags"])
        self.vault = vault_name(creator)
        self.role = backup_role_name(creator)
        self.bucket = backup_bucket_name(creator, desired["account_id"])

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after, fixed)."""
        with self.changes.reporting_failures():
            current = self.read()
            self.check_plan(current)
            after, fixed = self.apply(current)
        return bool(self.changes.made), current, after, fixed

    def read(self):
        """Every resource as it is now (None for each that is missing), and the protection of the data stores."""
        clients, desired = self.clients, self.desired
        plan = read_plan(clients.backup, self.vault)
        return {
            "role": read_backup_role(clients.iam, self.role),
            "vault": read_vault(clients.backup, self.vault),
            "plan": plan,
            "selection": read_selection(clients.backup, plan and plan["id"], selection_name(desired["creator"])),
            "bucket": read_expiring_bucket(
                clients.s3, self.bucket, EXPORTS_RULE_ID, desired["export_retention_days"], BUCKET_SETTINGS
            ),
            "protection": read_protection(clients, dict(desired, skip_buckets=(self.bucket,))),
        }

    def check_plan(self, current):
        """Fail before any write when the vault is encrypted with another key: AWS cannot change it."""
        vault, key = current["vault"], self.desired["kms_key_arn"]
        if vault and vault["kms_key_arn"] != key:
            self.changes.fail(
                f"backup vault {self.vault} is encrypted with {vault['kms_key_arn']}, not with the creator's key "
                f"{key}; AWS cannot change a vault's key and the vault is never deleted, since it holds the "
                "backups: set kms_key_arn to the vault's key, or copy the recovery points to a new vault and "
                "delete this one by hand"
            )

    def ensure_vault(self, current):
        """Create the vault with the creator's key and tags, or converge its tags; returns it after."""
        desired = self.desired
        if current is None:
            self.changes.make(
                f"create backup vault {self.vault} encrypted with {desired['kms_key_arn']}",
                awsbackup.create_backup_vault,
                self.clients.backup,
                self.vault,
                desired["kms_key_arn"],
                self.tags,
            )
            arn = vault_arn(desired["region"], desired["account_id"], self.vault)
            return {"name": self.vault, "arn": arn, "kms_key_arn": desired["kms_key_arn"], "tags": dict(self.tags)}
        return dict(current, tags=self.ensure_backup_tags(f"backup vault {self.vault}", current))

    def ensure_backup_tags(self, what, current):
        """The tags of a vault or plan (`current` has arn and tags); returns them after."""
        client, arn = self.clients.backup, current["arn"]
        return ensure_tags(
            self.changes,
            what,
            current["tags"],
            self.tags,
            self.desired["purge_tags"],
            lambda to_set: awsbackup.tag_resource(client, arn, to_set),
            lambda keys: awsbackup.untag_resource(client, arn, keys),
        )

    def ensure_plan(self, current):
        """Create the plan or update its rules; returns it after (id None when check mode would create it)."""
        desired = self.desired
        plan = desired_plan(self.vault, desired["daily_retention_days"], desired["weekly_retention_days"], self.tags)
        what = f"backup plan {self.vault}"
        if current is None:
            created = self.changes.make(
                f"create {what}: daily backups kept {desired['daily_retention_days']} days, weekly "
                f"{desired['weekly_retention_days']} days",
                awsbackup.create_backup_plan,
                self.clients.backup,
                plan,
                self.tags,
            )
            return {
                "id": created and created["BackupPlanId"],
                "arn": created and created["BackupPlanArn"],
                "plan": plan,
                "tags": dict(self.tags),
            }
        after = dict(current)
        if not plan_matches(current["plan"], plan):
            self.changes.make(
                f"update the rules of {what}", awsbackup.update_backup_plan, self.clients.backup, current["id"], plan
            )
            after["plan"] = plan
        after["tags"] = self.ensure_backup_tags(what, current)
        return after

    def ensure_selection(self, current, plan_id, role_arn):
        """Create the selection, or replace it when it differs (AWS cannot update one); returns it after."""
        selection = desired_selection(self.desired["creator"], role_arn)
        what = f"backup selection {selection['SelectionName']}"
        if current is not None and matches(current["selection"], selection):
            return current
        if current is not None:
            self.changes.make(
                f"delete {what} (it differs)",
                awsbackup.delete_backup_selection,
                self.clients.backup,
                plan_id,
                current["id"],
            )
        created = self.changes.make(
            f"create {what}: resources tagged {BACKUP_TAG}=true",
            awsbackup.create_backup_selection,
            self.clients.backup,
            plan_id,
            selection,
        )
        return {"id": created and created["SelectionId"], "selection": selection}

    def ensure_bucket(self, current):
        """The private, versioned bucket for table exports, which expire after the export retention."""
        desired = self.desired
        days = desired["export_retention_days"]
        request = dict(
            desired,
            bucket=self.bucket,
            # The bucket is the backup: AWS Backup must not back it up again.
            tags=dict(resource_tags(desired["creator"], COMPONENT, extra=desired["tags"]), **{BACKUP_TAG: "false"}),
            purge_tags=desired["purge_tags"],
            retention_days=days,
            what="table exports",
        )
        settings = dict(desired_private_settings(desired["kms_key_arn"]), versioning=VERSIONING)
        rules = desired_expiry_rules(EXPORTS_RULE_ID, days, days)
        return ensure_expiring_bucket(self.clients.s3, self.changes, current, request, rules, BUCKET_SETTINGS, settings)

    def apply(self, current):
        """Converge role, vault, plan, selection, bucket, then the protection; returns (after, fixed)."""
        desired = self.desired
        role = ensure_backup_role(
            self.clients.iam,
            self.changes,
            current["role"],
            desired["account_id"],
            self.role,
            self.tags,
            desired["purge_tags"],
        )
        vault = self.ensure_vault(current["vault"])
        plan = self.ensure_plan(current["plan"])
        selection = self.ensure_selection(current["selection"], plan["id"], role["arn"])
        bucket = self.ensure_bucket(current["bucket"])
        protection, fixed = ensure_protection(self.clients, self.changes, current["protection"])
        after = {
            "role": role,
            "vault": vault,
            "plan": plan,
            "selection": selection,
            "bucket": bucket,
            "protection": protection,
        }
        return after, fixed


def summary(after, desired, fixed):
    """What the module returns: the names and ids the playbooks (backup, restore, health check) need."""
    plan, selection = after["plan"], after["selection"]
    return {
        "vault_name": after["vault"]["name"],
        "vault_arn": after["vault"]["arn"],
        "kms_key_arn": after["vault"]["kms_key_arn"],
        "plan_id": plan["id"],
        "plan_arn": plan["arn"],
        "plan_name": plan["plan"]["BackupPlanName"],
        "rules": rules_view(plan["plan"]),
        "selection_id": selection["id"],
        "selection_name": selection["selection"]["SelectionName"],
        "role_arn": after["role"]["arn"],
        "bucket": after["bucket"]["name"],
        "export_retention_days": desired["export_retention_days"],
        "tables": sorted(after["protection"]["tables"]),
        "buckets": sorted(after["protection"]["buckets"]),
        "fixed": fixed,
    }
