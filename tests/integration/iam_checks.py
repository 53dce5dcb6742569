# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Least-privilege checks of IAM policy documents, for the tests of the roles CreatorCloud makes."""

import re


def as_list(value):
    """A policy element that may be one string or a list, as a list."""
    return [value] if isinstance(value, str) else list(value or [])


def policy_wildcards(document, allowed_patterns=()):
    """Every `*` of the document's Action, NotAction, Resource and NotResource not matching an allowed pattern.

    Returns (Sid, element, value) triples; `allowed_patterns` are regular expressions a whole value must match.
    """
    allowed = [re.compile(pattern) for pattern in allowed_patterns]
    found = []
    for statement in as_list_of_statements(document):
        for element in ("Action", "NotAction", "Resource", "NotResource"):
            for value in as_list(statement.get(element)):
                if "*" in value and not any(pattern.fullmatch(value) for pattern in allowed):
                    found.append((statement.get("Sid"), element, value))
    return found


def as_list_of_statements(document):
    """The statements of a policy document (IAM allows one statement without a list)."""
    statements = document["Statement"]
    return [statements] if isinstance(statements, dict) else statements


def granted(document):
    """{action: sorted resources} that the document's Allow statements grant."""
    grants = {}
    for statement in as_list_of_statements(document):
        if statement["Effect"] != "Allow":
            continue
        for action in as_list(statement["Action"]):
            grants.setdefault(action, set()).update(as_list(statement["Resource"]))
    return {action: sorted(resources) for action, resources in grants.items()}
