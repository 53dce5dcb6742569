# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deterministic names and tags of a creator's resources: found again without a state file.

S3 bucket names are global, so they carry the slug and the account id: two creators, or a
creator whose account was re-created, never collide. Every resource carries the tags
`creatorcloud:creator` and `creatorcloud:component`.
"""

CREATOR_TAG = "creatorcloud:creator"
COMPONENT_TAG = "creatorcloud:component"
BACKUP_TAG = "creatorcloud:backup"
NAME_PREFIX = "creatorcloud"
S3_NAME_LIMIT = 63


def site_bucket_name(creator, account_id):
    """The private bucket holding the creator's website (at most 63 characters)."""
    return f"{NAME_PREFIX}-{creator}-site-{account_id}"


def recordings_bucket_name(creator, account_id):
    """The private bucket holding the creator's stream recordings."""
    return f"{NAME_PREFIX}-{creator}-rec-{account_id}"


def backup_bucket_name(creator, account_id):
    """The private bucket holding the creator's table exports: creatorcloud-<creator>-backups-<account>.

    A slug longer than 29 characters is shortened so the name stays within S3's 63: the account id
    keeps it unique.
    """
    suffix = f"-backups-{account_id}"
    prefix = f"{NAME_PREFIX}-{creator}"[: S3_NAME_LIMIT - len(suffix)].rstrip("-")
    return prefix + suffix


def resource_name(creator, component):
    """A name for a per-account resource (OAC, policies, functions): unique inside the account."""
    return f"{NAME_PREFIX}-{creator}-{component}"


def kms_alias(creator):
    """The alias of the creator's customer managed KMS key."""
    return f"alias/{NAME_PREFIX}/{creator}"


def distribution_caller_reference(creator, account_id):
    """CloudFront's idempotency token: a re-run after an interrupted create finds the same distribution."""
    return f"{NAME_PREFIX}-{creator}-{account_id}-site"


def resource_tags(creator, component, extra=None, backup=False):
    """The tags every resource of a creator carries."""
    tags = dict(extra or {})
    tags[CREATOR_TAG] = creator
    tags[COMPONENT_TAG] = component
    if backup:
        tags[BACKUP_TAG] = "true"
    return tags
