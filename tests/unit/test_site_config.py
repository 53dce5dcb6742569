# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site settings rules (languages, branding, legal): each bad value is named with its field."""

import shutil
from pathlib import Path

import pytest
import yaml

from ansible_collections.creatorcloud.platform.plugins.filter.creator_config_errors import creator_config_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.core import site_config as rules

REPO = Path(__file__).resolve().parents[2]
THEME = str(REPO / "files/frontend")
LOGO = REPO / "inventories/local/files/creator1/logo.svg"
SPEC = yaml.safe_load((REPO / "roles/config/meta/argument_specs.yml").read_text())["argument_specs"]["main"]["options"]
GERMAN_IMPRESSUM = {"country": "DE", "name": "A", "street": "B 1", "postal_code": "10115", "city": "Berlin"}


@pytest.mark.parametrize("color", ["#fff", "#FFF", "#6d28d9", "#6D28D9"])
def test_good_colours(color):
    assert rules.color_error("primary_color", color) is None


@pytest.mark.parametrize("color", ["purple", "6d28d9", "#6d28d", "#ggg", "#6d28d9ff", "", None, 0x6D28D9, "red;}"])
def test_bad_colours_are_named(color):
    assert rules.color_error("primary_color", color) == (
        f"primary_color {color!r} is not a colour: use #rgb or #rrggbb, like #6d28d9"
    )


def test_fonts_are_one_of_the_stacks():
    assert rules.font_error("font", "humanist") is None
    assert rules.font_error("font", "Inter") == (
        "font 'Inter' is not a known font: use one of system-ui, humanist, geometric, rounded, serif, slab, mono"
    )


def test_a_good_logo():
    assert rules.logo_error("logo", str(LOGO)) is None


def write(path, content):
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32),
        ("logo.webp", b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 16),
        ("LOGO.SVG", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><use href="#a"/></svg>'),
    ],
)
def test_logo_types(tmp_path, name, content):
    assert rules.logo_error("logo", write(tmp_path / name, content)) is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.gif", b"GIF89a", "is not an SVG, PNG or WebP file: its name must end in .svg, .png or .webp"),
        ("logo.png", b"<svg></svg>", "is not a PNG image"),
        ("logo.webp", b"\x89PNG\r\n\x1a\n", "is not a WebP image"),
        ("logo.svg", b"\xff\xfe<svg>", "is not an SVG image (not UTF-8 text)"),
        ("logo.svg", b"<html></html>", "is not an SVG image (no <svg> element)"),
        ("logo.svg", b"<svg><script>alert(1)</script></svg>", "contains '<script'"),
        ("logo.svg", b'<svg onload="alert(1)"></svg>', "contains 'onload='"),
        ("logo.svg", b'<svg><image href="https://cdn.example/x.png"/></svg>', "contains 'href=\"https://'"),
        ("logo.svg", b'<svg><use xlink:href="//cdn.example/s.svg#a"/></svg>', "contains 'href=\"//'"),
        ("logo.svg", b"<svg><rect fill=\"url('https://x.example/p')\"/></svg>", 'contains "url(\'https://"'),
        ("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "contains '<!ENTITY'"),
        ("logo.svg", b"<svg>" + b" " * rules.LOGO_MAX_BYTES + b"</svg>", "more than the 512 KiB a logo may have"),
    ],
)
def test_bad_logos_are_named(tmp_path, name, content, message):
    path = write(tmp_path / name, content)

    problem = rules.logo_error("creator_branding.logo", path)

    assert problem.startswith(f"creator_branding.logo {path!r} ")
    assert message in problem


def test_a_missing_or_relative_logo(tmp_path):
    missing = str(tmp_path / "logo.svg")

    assert rules.logo_error("logo", missing) == f"logo {missing!r} does not exist or is not a file"
    assert rules.logo_error("logo", "files/logo.svg").startswith("logo 'files/logo.svg' must be an absolute path")
    assert rules.logo_error("logo", 42) == "logo 42 must be the path of an SVG, PNG or WebP file"


@pytest.mark.parametrize(
    "social",
    [
        {"youtube": "https://www.youtube.com/@c1", "x": "https://twitter.com/c1", "tiktok": "https://tiktok.com/@c"},
        {"mastodon": "https://social.example/@c1", "website": "https://c1.example/", "discord": "https://discord.gg/x"},
    ],
)
def test_good_social_links(social):
    assert rules.social_problems("social", social) == []


@pytest.mark.parametrize(
    ("social", "message"),
    [
        ({"myspace": "https://myspace.com/c1"}, "social has an unknown network 'myspace': use one of youtube,"),
        ({"youtube": "http://www.youtube.com/@c1"}, "social.youtube 'http://www.youtube.com/@c1' must be an https://"),
        (
            {"youtube": "https://evil.example/youtube.com"},
            "social.youtube 'https://evil.example/youtube.com' is not on",
        ),
        ({"instagram": "https://notinstagram.com/x"}, "social.instagram 'https://notinstagram.com/x' is not on"),
        ({"website": "javascript:alert(1)"}, "social.website 'javascript:alert(1)' must be an https:// URL"),
        ({"website": 'https://x.example/"><script>'}, "social.website 'https://x.example/\"><script>' is not a valid"),
        ({"website": "https://user@x.example/"}, "social.website 'https://user@x.example/' must be an https:// URL"),
        ("https://youtube.com", "social must be a dictionary of networks to profile URLs"),
    ],
)
def test_bad_social_links_are_named(social, message):
    [problem] = rules.social_problems("social", social)

    assert problem.startswith(message)


def test_texts_for_all_or_per_language():
    assert rules.localized_text_error("tagline", "Live music", ["de", "en"], 160) is None
    assert rules.localized_text_error("tagline", {"de": "Live-Musik", "en": "Live"}, ["de", "en"], 160) is None
    assert rules.localized_text_error("tagline", {"fr": "x"}, ["de", "en"], 160) == (
        "tagline has a text for 'fr', which is not one of the site's languages ['de', 'en']"
    )
    assert rules.localized_text_error("tagline", {"de": "x" * 161}, ["de"], 160) == (
        f"tagline.de {'x' * 161!r} must be a text of at most 160 characters"
    )
    assert (
        rules.localized_text_error("about", ["a"], ["de"], 10) == "about ['a'] must be a text of at most 10 characters"
    )


def test_branding_reports_every_problem_with_its_nested_field():
    problems = rules.branding_problems(
        "creator_branding",
        {"primary_color": "blue", "font": "Comic Sans", "colour": "#fff", "social": {"vine": "https://vine.co/x"}},
        ["en"],
    )

    assert problems == [
        "creator_branding has unknown keys colour: use " + ", ".join(rules.BRANDING_KEYS),
        rules.color_error("creator_branding.primary_color", "blue"),
        rules.font_error("creator_branding.font", "Comic Sans"),
        "creator_branding.social has an unknown network 'vine': use one of " + ", ".join(rules.SOCIAL_NETWORKS),
    ]
    assert rules.branding_error("creator_branding", {"primary_color": "blue", "font": "x"}, []) == "; ".join(
        [rules.color_error("creator_branding.primary_color", "blue"), rules.font_error("creator_branding.font", "x")]
    )
    assert rules.branding_error("creator_branding", {"logo": None, "primary_color": None}, []) is None


def test_languages_need_texts_in_the_theme():
    supported = rules.supported_languages(THEME)

    assert {"de", "en"} <= set(supported)
    assert rules.languages_error("creator_languages", ["de", "en"], supported) is None
    assert rules.languages_error("creator_languages", ["de", "xx"], supported).startswith(
        "creator_languages ['de', 'xx'] has languages the site has no texts for: xx (available: de, en"
    )
    assert rules.languages_error("creator_languages", [], supported).startswith("creator_languages [] must be")
    assert rules.languages_error("creator_languages", ["en", "en"], supported) == (
        "creator_languages ['en', 'en'] names a language twice"
    )


def test_a_creator_in_the_eu_needs_a_full_impressum():
    assert rules.legal_problems("creator_legal", GERMAN_IMPRESSUM, ["de"]) == []
    assert rules.legal_problems("creator_legal", {"country": "AT", "name": "A"}, ["en"]) == [
        "creator_legal is missing street, postal_code, city: a creator in AT must show an Impressum with name and "
        "postal address"
    ]
    assert rules.impressum_required({"country": "CH"})
    assert not rules.impressum_required({"country": "US"})


def test_a_german_language_site_must_say_where_the_creator_is():
    assert rules.legal_problems("creator_legal", {}, ["de", "en"]) == [
        "creator_legal.country is missing: a site in German needs the creator's country (like DE, AT or CH) to "
        "decide whether an Impressum is required"
    ]
    assert rules.legal_problems("creator_legal", None, ["en"]) == []


def test_outside_the_eu_an_address_is_optional_but_complete():
    assert rules.legal_problems("creator_legal", {"country": "US", "name": "Creator Two LLC"}, ["en"]) == []
    assert rules.legal_problems("creator_legal", {"country": "US", "name": "C", "city": "Austin"}, ["en"]) == [
        "creator_legal is missing street, postal_code: an address needs name, street, postal_code and city"
    ]
    assert not rules.has_impressum({"country": "US", "name": "Creator Two LLC"})
    assert rules.has_impressum(GERMAN_IMPRESSUM)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "Germany"}, "creator_legal.country 'Germany' is not a country code"),
        ({"postal_code": 1067}, "creator_legal.postal_code 1067 must be a non-empty text (quote numbers in YAML"),
        ({"street": "Line 1\nLine 2"}, "creator_legal.street 'Line 1\\nLine 2' must be one line of at most 200"),
        ({"email": "nope"}, "creator_legal.email 'nope' is not a valid e-mail address"),
        ({"phone": "call me"}, "creator_legal.phone 'call me' is not valid: use a phone number like +49 30 1234567"),
        ({"vat_id": "123"}, "creator_legal.vat_id '123' is not valid: use a VAT ID like DE123456789"),
        ({"hosting_region": "Frankfurt"}, "creator_legal.hosting_region 'Frankfurt' is not valid: use an AWS region"),
        ({"register": [{"court": "AG Berlin"}]}, "creator_legal.register[0].number None must be a non-empty text"),
        ({"register": {"court": "AG"}}, "creator_legal.register must be a list of entries with court and number"),
        ({"content_responsible": {"address": "x"}}, "creator_legal.content_responsible.name None must be a non-empty"),
        ({"privacy": {"contact": "x"}}, "creator_legal.privacy.contact 'x' is not a valid e-mail address"),
        ({"privacy": {"dpo": "x"}}, "creator_legal.privacy has unknown keys dpo: use contact, data_protection_officer"),
        (
            {"privacy": {"data_protection_officer": {"name": "D", "email": "d@"}}},
            "creator_legal.privacy.data_protection_officer.email 'd@' is not a valid e-mail address",
        ),
        ({"impressum": {}}, "creator_legal has unknown keys impressum: use country, name, representative"),
    ],
)
def test_bad_legal_details_are_named(change, message):
    problems = rules.legal_problems("creator_legal", {**GERMAN_IMPRESSUM, **change}, ["de"])

    assert len(problems) == 1, problems
    assert problems[0].startswith(message)


def test_site_problems_name_the_frontend_modules_option():
    problems = rules.site_problems(
        {
            "creator": "Creator1",
            "display_name": "",
            "domain": "creator1.example",
            "contact_email": "hello@creator1.example",
            "languages": ["en"],
            "features": ["website"],
            "branding": {"accent_color": "orange"},
            "extra": 1,
        },
        ["de", "en"],
    )

    assert problems == [
        "site has unknown keys extra: use " + ", ".join(rules.SITE_KEYS),
        "site.creator 'Creator1' is not a valid creator slug: use 3 to 32 lower-case letters, digits and hyphens, "
        "starting with a letter and not ending with a hyphen",
        "site.display_name '' must be a non-empty text",
        rules.color_error("site.branding.accent_color", "orange"),
    ]
    assert rules.site_problems("x", []) == ["site must be a dictionary, got 'x'"]


def test_the_filter_checks_the_site_settings_with_the_variable_names():
    problems = creator_config_errors(
        {
            "slug": "creator1",
            "languages": ["de", "xx"],
            "branding": {"primary_color": "purple", "logo": "/nowhere/logo.svg"},
            "legal": {"country": "DE"},
        }
    )

    assert problems[0].startswith("creator_languages ['de', 'xx'] has languages the site has no texts for: xx")
    assert problems[1] == "; ".join(
        [
            rules.color_error("creator_branding.primary_color", "purple"),
            "creator_branding.logo '/nowhere/logo.svg' does not exist or is not a file",
        ]
    )
    assert problems[2].startswith("creator_legal is missing name, street, postal_code, city: a creator in DE")
    assert creator_config_errors({"languages": ["de"], "branding": {}, "legal": GERMAN_IMPRESSUM}) == []


def test_the_role_argument_spec_declares_what_the_rules_know():
    """The spec and the rules list the same keys and choices, so neither rejects what the other accepts."""
    branding, legal = SPEC["creator_branding"]["options"], SPEC["creator_legal"]["options"]

    assert list(branding) == list(rules.BRANDING_KEYS)
    assert branding["font"]["choices"] == branding["heading_font"]["choices"] == list(rules.FONT_STACKS)
    assert list(branding["social"]["options"]) == list(rules.SOCIAL_NETWORKS)
    assert list(legal) == list(rules.LEGAL_KEYS)
    assert list(legal["privacy"]["options"]) == list(rules.PRIVACY_KEYS)
    assert set(SPEC["creator_languages"]["choices"]) >= set(rules.supported_languages(THEME))


@pytest.fixture
def config_playbook(tmp_path):
    """A play of only the config role: validation needs no AWS call."""
    playbook = tmp_path / "config.yml"
    play = {
        "hosts": "creators",
        "connection": "local",
        "gather_facts": False,
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "roles": ["creatorcloud.platform.config"],
    }
    playbook.write_text(yaml.safe_dump([play]))
    return str(playbook)


def test_the_demo_creators_pass_the_config_role(run_playbook, config_playbook):
    run = run_playbook(config_playbook)

    assert run.returncode == 0, run.stderr
    [resolved] = [r for r in run.results("creator1") if r.get("action") == "ansible.builtin.set_fact"]
    logo = REPO / "inventories/local/files/creator1/logo.svg"
    assert Path(resolved["ansible_facts"]["config_branding"]["logo"]).resolve() == logo


def test_the_config_role_resolves_the_logo_in_the_inventory_and_names_bad_branding(
    run_playbook, config_playbook, tmp_path
):
    inventory = tmp_path / "inventory"
    shutil.copytree(REPO / "inventories/local/group_vars", inventory / "group_vars")
    creator = yaml.safe_load((REPO / "inventories/local/host_vars/creator1.yml").read_text())
    creator["creator_branding"].update(primary_color="purple", logo="files/missing.svg")
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"creators": {"hosts": {"creator1": creator}}}))

    run = run_playbook(config_playbook, inventory=str(inventory))

    assert run.returncode != 0
    [message] = run.failure_messages("creator1")
    assert message.startswith("creator creator1: creator_branding.primary_color 'purple' is not a colour")
    assert f"creator_branding.logo '{inventory}/files/missing.svg' does not exist or is not a file" in message
