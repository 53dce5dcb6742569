# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags of a slice's resources, planned with amazon.aws's compare_aws_tags, under amazon.aws's contract (the
doc fragment creatorcloud.platform.tags): ``tags`` None leaves the other tags alone, ``purge_tags`` (default
true) removes the tags not asked for, keys starting with ``aws:`` are never removed, tags are a dict. A
module's own tags (creatorcloud:creator, ...) are always set.
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def tags_argument_spec():
    """The `tags` and `purge_tags` options of every module that tags (as amazon.aws's modules have them)."""
    return dict(tags=dict(type="dict", aliases=["resource_tags"]), purge_tags=dict(type="bool", default=True))


def tag_parameters(params):
    """The module's `tags` ({} when not set) and whether to purge: never when `tags` is not set."""
    return {"tags": params["tags"] or {}, "purge_tags": bool(params["purge_tags"]) and params["tags"] is not None}


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
