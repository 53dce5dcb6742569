# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: creator_config_errors
short_description: List what is malformed in a creator's configuration
version_added: 0.1.0
description:
  - Checks the formats that a role argument spec cannot express (slug, domain, e-mail addresses, OU path, tags)
    with the same rules the modules apply, and returns one message per problem, naming the field and its value.
  - An empty list means the configuration is well-formed.
positional: _input
options:
  _input:
    description: A dictionary of field names to values. Known keys are C(slug), C(domain), C(email), C(contact_email),
      C(display_name), C(ou_path), C(tags); others are ignored.
    type: dict
    required: true
author:
  - CreatorCloud engineering (@creatorcloud)
"""

EXAMPLES = r"""
- name: Fail on a malformed creator configuration
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: >-
      {{ {'slug': inventory_hostname, 'domain': creator_domain} | creatorcloud.platform.creator_config_errors }}
"""

RETURN = r"""
_value:
  description: One message per malformed field, naming the field and the value.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.creatorcloud.platform.plugins.module_utils import creator_config

CHECKS = {
    "slug": ("inventory_hostname", creator_config.slug_error),
    "domain": ("creator_domain", creator_config.domain_error),
    "email": ("creator_email", creator_config.email_error),
    "contact_email": ("creator_contact_email", creator_config.email_error),
    "display_name": ("creator_display_name", creator_config.account_name_error),
    "ou_path": ("creator_ou_path", creator_config.ou_path_error),
    "tags": ("creator_tags", creator_config.tags_error),
}


def creator_config_errors(config):
    """One message per malformed field of `config`, naming the variable and its value."""
    if not isinstance(config, dict):
        raise AnsibleFilterError(f"creator_config_errors expects a dictionary, got {type(config).__name__}")
    problems = []
    for key, (variable, check) in CHECKS.items():
        if key in config:
            problem = check(variable, config[key])
            if problem:
                problems.append(problem)
    return problems


class FilterModule:
    def filters(self):
        return {"creator_config_errors": creator_config_errors}
