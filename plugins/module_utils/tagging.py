# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags of a slice's resources, planned with amazon.aws's compare_aws_tags: `purge_tags` removes the tags not
asked for, keys starting with ``aws:`` are never removed, tags are a dict.
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def plan_tags(current, desired, purge_tags):
    """Tags to set and keys to remove, leaving `aws:` tags alone."""
    to_set, to_remove = compare_aws_tags(current, desired, purge_tags=purge_tags)
    return to_set, sorted(to_remove)


def tags_after(current, to_set, to_remove):
    """The tags once `to_set` is set and `to_remove` removed."""
    after = {key: value for key, value in current.items() if key not in to_remove}
    after.update(to_set)
    return after


def ensure_tags(changes, what, current, desired, purge_tags, tag, untag):
    """Set and remove tags through `tag(client, to_set)` and `untag(client, keys)`; returns the tags after.

    `tag` and `untag` are service wrappers with their client and resource already bound.
    """
    to_set, to_remove = plan_tags(current, desired, purge_tags)
    if to_set:
        changes.make(f"tag {what}: set {', '.join(sorted(to_set))}", tag, to_set)
    if to_remove:
        changes.make(f"tag {what}: remove {', '.join(to_remove)}", untag, to_remove)
    return tags_after(current, to_set, to_remove)
