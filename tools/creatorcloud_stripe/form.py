# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stripe's form encoding: `line_items[0][price_data][unit_amount]=500` into nested dicts and lists."""

import re

KEY_PATTERN = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def key_path(key):
    """The parts of a bracketed key: `a[b][0]` -> ['a', 'b', '0']; `a[]` appends (''), as Rails-style forms do."""
    match = KEY_PATTERN.match(key)
    if not match:
        return [key]
    return [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]


def insert(tree, path, value):
    """Put `value` at `path` in the nested dicts of `tree`."""
    node = tree
    for part in path[:-1]:
        part = part or str(len(node))
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1] or str(len(node))] = value


def as_lists(node):
    """Dicts whose keys are all indexes become lists in index order (Stripe's arrays)."""
    if not isinstance(node, dict):
        return node
    converted = {key: as_lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def parse_params(pairs):
    """The request's parameters from (key, value) pairs, as Stripe reads a form body or a query string."""
    tree = {}
    for key, value in pairs:
        insert(tree, key_path(key), value)
    return as_lists(tree)
