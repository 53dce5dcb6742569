# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator configuration rules: each bad value is named with its field."""

import pytest

from ansible_collections.creatorcloud.platform.plugins.filter.creator_config_errors import creator_config_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.core import creator_config as rules


@pytest.mark.parametrize("slug", ["creator1", "abc", "the-creator-42", "a" * 32])
def test_good_slugs(slug):
    assert rules.slug_error("slug", slug) is None


@pytest.mark.parametrize("slug", ["Creator1", "ab", "a" * 33, "1creator", "creator-", "crea_tor", "", None, 42])
def test_bad_slugs_are_named(slug):
    assert rules.slug_error("slug", slug).startswith(f"slug {slug!r} is not a valid creator slug")


@pytest.mark.parametrize("domain", ["creator1.example", "www.creator-one.de", "a.io", "xn--bcher-kva.example"])
def test_good_domains(domain):
    assert rules.domain_error("creator_domain", domain) is None


@pytest.mark.parametrize(
    "domain",
    [
        "creator1",
        "Creator1.example",
        "https://creator1.example",
        "creator1.example.",
        "-x.example",
        "x..example",
        "creator1.example/path",
        "a" * 64 + ".example",
        "creator1.123",
        "",
        None,
    ],
)
def test_bad_domains_are_named(domain):
    assert rules.domain_error("creator_domain", domain).startswith(f"creator_domain {domain!r} is not a valid domain")


@pytest.mark.parametrize("email", ["a@b.co", "aws+creator1@agency.example", "first.last@sub.example.org"])
def test_good_emails(email):
    assert rules.email_error("creator_email", email) is None


@pytest.mark.parametrize("email", ["plain", "a@b", "a@@b.example", "a b@c.example", "x" * 60 + "@b.example", "@b.co"])
def test_bad_emails_are_named(email):
    assert rules.email_error("creator_email", email).startswith(f"creator_email {email!r} is not a valid e-mail")


@pytest.mark.parametrize("email", [None, ""])
def test_missing_email(email):
    assert rules.email_error("creator_email", email) == "creator_email is missing: an e-mail address is required"


@pytest.mark.parametrize("path", ["creators", "creators/eu", "/creators/eu/", "a/b/c/d/e"])
def test_good_ou_paths(path):
    assert rules.ou_path_error("ou_path", path) is None


@pytest.mark.parametrize("path", ["", "/", "a/b/c/d/e/f", "creators/eu?", "x" * 129])
def test_bad_ou_paths(path):
    assert rules.ou_path_error("ou_path", path).startswith(f"ou_path {path!r} is not a valid OU path")


def test_ou_paths_are_normalised():
    assert rules.normalise_ou_path("/creators//eu/") == "creators/eu"


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("x", "tags must be a dictionary of tag keys to values, got 'x'"),
        ({"aws:x": "1"}, "tags key 'aws:x' uses a reserved prefix (aws:, creatorcloud:)"),
        ({"creatorcloud:creator": "1"}, "tags key 'creatorcloud:creator' uses a reserved prefix (aws:, creatorcloud:)"),
        ({"team": 5}, "tags value 5 of tag 'team' must be a string of at most 256 characters"),
        ({"bad key!": "1"}, "tags has an invalid tag key 'bad key!'"),
    ],
)
def test_bad_tags(tags, message):
    assert rules.tags_error("tags", tags) == message


def test_filter_reports_every_problem_with_the_variable_name():
    problems = creator_config_errors(
        {"slug": "Bad", "domain": "creator1.example", "email": "nope", "display_name": "x" * 51, "unknown": 1}
    )

    assert problems == [
        rules.slug_error("inventory_hostname", "Bad"),
        rules.email_error("creator_email", "nope"),
        rules.account_name_error("creator_display_name", "x" * 51),
    ]


def test_filter_of_a_good_configuration_is_empty():
    assert creator_config_errors({"slug": "creator1", "domain": "creator1.example", "email": "a@b.example"}) == []


def test_admin_lists_name_the_bad_address():
    assert rules.email_list_error("creator_admins", ["a@b.example", "nope"]) == rules.email_error(
        "creator_admins[1]", "nope"
    )
    assert rules.email_list_error("creator_admins", "a@b.example").startswith("creator_admins must be a list")
    assert rules.email_list_error("creator_admins", ["a@b.example"]) is None


@pytest.mark.parametrize("countries", [[], ["DE"], ["DE", "AT", "CH"], None])
def test_good_shipping_countries(countries):
    assert creator_config_errors({"shipping_countries": countries}) == []


@pytest.mark.parametrize(
    ("countries", "message"),
    [
        (["de"], "creator_shop_shipping_countries[0] 'de' is not a country code: use two upper-case letters like DE"),
        (["DE", "DEU"], "creator_shop_shipping_countries[1] 'DEU' is not a country code"),
        (["DE", "AT", "DE"], "creator_shop_shipping_countries names 'DE' more than once"),
        ("DE", "creator_shop_shipping_countries must be a list of country codes like [DE, AT], got 'DE'"),
    ],
)
def test_bad_shipping_countries_are_named(countries, message):
    [problem] = creator_config_errors({"shipping_countries": countries})
    assert problem.startswith(message)
