# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: creator_config_errors
short_description: List what is malformed in a creator's configuration
version_added: 0.1.0
description:
  - Checks the formats that a role argument spec cannot express (slug, domain, e-mail addresses, OU path, tags)
    with the same rules the modules apply, and returns one message per problem, naming the field and its value.
  - Checks the site settings with the rules the site build applies (module_utils C(site_config)), that is the
    languages against the theme's texts in C(files/frontend/i18n), the branding (colours, fonts, logo file, texts,
    social links) and the legal details (the Impressum fields a creator in the EU, the EEA or Switzerland must give).
  - An empty list means the configuration is well-formed.
positional: _input
options:
  _input:
    description: A dictionary of field names to values. Known keys are C(slug), C(domain), C(email), C(contact_email),
      C(display_name), C(ou_path), C(tags), C(admins), C(currency), C(membership_tiers), C(shipping_countries),
      C(donation_min), C(donation_max), C(languages), C(branding), C(legal); others are ignored. The branding's
      C(logo) must be an absolute path; C(branding) and C(legal) are checked against C(languages); the donation
      limits together.
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

import os

from ansible.errors import AnsibleFilterError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core import creator_config
from ansible_collections.creatorcloud.platform.plugins.module_utils.core import site_config

CHECKS = {
    "slug": ("inventory_hostname", creator_config.slug_error),
    "domain": ("creator_domain", creator_config.domain_error),
    "email": ("creator_email", creator_config.email_error),
    "contact_email": ("creator_contact_email", creator_config.email_error),
    "display_name": ("creator_display_name", creator_config.account_name_error),
    "ou_path": ("creator_ou_path", creator_config.ou_path_error),
    "tags": ("creator_tags", creator_config.tags_error),
    "admins": ("creator_admins", creator_config.email_list_error),
    "currency": ("creator_currency", creator_config.currency_error),
    "membership_tiers": ("creator_membership_tiers", creator_config.membership_tiers_error),
    "shipping_countries": ("creator_shop_shipping_countries", creator_config.shipping_countries_error),
}
# The donation limits are checked together (the minimum must stay below the maximum).
DONATION_FIELDS = ("creator_donation_min", "creator_donation_max")
# The fans' site theme of this collection, whose i18n files decide which languages a site may have.
THEME_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "files", "frontend")


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
    if "donation_min" in config or "donation_max" in config:
        problem = creator_config.donation_limits_error(
            DONATION_FIELDS, config.get("donation_min"), config.get("donation_max")
        )
        if problem:
            problems.append(problem)
    return problems + site_config_errors(config)


def site_config_errors(config):
    """Messages about the site settings, which depend on the site's languages: languages, branding, legal."""
    languages = config.get("languages")
    languages = [language for language in languages if isinstance(language, str)] if isinstance(languages, list) else []
    checks = {
        "languages": ("creator_languages", site_config.languages_error, site_config.supported_languages(THEME_DIR)),
        "branding": ("creator_branding", site_config.branding_error, languages),
        "legal": ("creator_legal", site_config.legal_error, languages),
    }
    problems = []
    for key, (variable, check, context) in checks.items():
        if key in config:
            problem = check(variable, config[key], context)
            if problem:
                problems.append(problem)
    return problems


class FilterModule:
    def filters(self):
        return {"creator_config_errors": creator_config_errors}
