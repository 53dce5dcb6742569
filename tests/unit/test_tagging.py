# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tagging contract of every module (amazon.aws's): `tags` not set leaves the other tags alone,
`purge_tags` (default true) removes the tags not asked for, `aws:` tags are never removed, and the
module's own creatorcloud: tags are always set."""

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec

OWN = {"creatorcloud:creator": "creator1", "creatorcloud:component": "api"}
CURRENT = {**OWN, "owner": "finance", "aws:cloudformation:stack-name": "legacy"}


def converge(params, current=None):
    """The calls and the tags after, for a resource that has `current` (CURRENT) and a module given `params`."""
    current = CURRENT if current is None else current
    calls = []
    options = tag_parameters(params)
    after = ensure_tags(
        Changes(False),
        "function creatorcloud-creator1-profile",
        dict(current),
        {**options["tags"], **OWN},
        options["purge_tags"],
        lambda to_set: calls.append(("tag", to_set)),
        lambda keys: calls.append(("untag", keys)),
    )
    return calls, after


def test_tags_not_set_leave_the_other_tags_alone_even_with_purge():
    calls, after = converge({"tags": None, "purge_tags": True})

    assert calls == []
    assert after == CURRENT


def test_tags_not_set_still_set_the_modules_own_tags():
    calls, after = converge({"tags": None, "purge_tags": True}, current={"owner": "finance"})

    assert calls == [("tag", OWN)]
    assert after == {"owner": "finance", **OWN}


def test_tags_set_with_purge_remove_the_others_but_never_aws_tags():
    calls, after = converge({"tags": {"cost-center": "eu"}, "purge_tags": True})

    assert calls == [("tag", {"cost-center": "eu"}), ("untag", ["owner"])]
    assert after == {**OWN, "cost-center": "eu", "aws:cloudformation:stack-name": "legacy"}


def test_tags_set_without_purge_only_add():
    calls, after = converge({"tags": {"cost-center": "eu"}, "purge_tags": False})

    assert calls == [("tag", {"cost-center": "eu"})]
    assert after == {**CURRENT, "cost-center": "eu"}


def test_empty_tags_with_purge_remove_every_other_tag():
    calls, _after = converge({"tags": {}, "purge_tags": True})

    assert calls == [("untag", ["owner"])]


@pytest.mark.parametrize(
    ("tags", "purge", "expected"), [(None, True, False), ({}, True, True), ({"a": "b"}, False, False)]
)
def test_tag_parameters(tags, purge, expected):
    assert tag_parameters({"tags": tags, "purge_tags": purge}) == {"tags": tags or {}, "purge_tags": expected}


def test_the_options_are_amazon_aws_s():
    assert tags_argument_spec() == {
        "tags": {"type": "dict", "aliases": ["resource_tags"]},
        "purge_tags": {"type": "bool", "default": True},
    }
