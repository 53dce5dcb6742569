# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules of a creator's site (languages, branding, legal details), shared by role config and the site build.

Like creator_config, each `*_error` check returns None when the value is fine, or a message that names the
field and the value. Nested settings (branding, legal) have a `*_problems` function that returns every
problem, each naming its nested field like `creator_branding.primary_color`; their `*_error` joins them.
The keys are documented in files/frontend/README.md.
"""

import json
import os
import re
from urllib.parse import urlsplit

from ansible_collections.creatorcloud.platform.plugins.module_utils.core import creator_config

COLOR_PATTERN = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()/.-]{4,28}[0-9]$")
VAT_ID_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-[0-9]$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Cognito's own patterns for pool and app client ids.
USER_POOL_ID_PATTERN = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
CLIENT_ID_PATTERN = re.compile(r"^[\w+]{1,128}$")
# config.json's `auth`, as the API contract defines it.
RUNTIME_AUTH_KEYS = ("region", "user_pool_id", "client_id", "endpoint")
EXAMPLE_API_HOST = "abc123.execute-api.eu-central-1.amazonaws.com"
EXAMPLE_CHAT_HOST = "edge.ivschat.eu-central-1.amazonaws.com"

# Font stacks of fonts that are already on the fans' devices: the site loads no font file from anywhere.
FONT_STACKS = {
    "system-ui": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif',
    "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif',
    "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif',
    "rounded": 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", '
    "Calibri, source-sans-pro, sans-serif",
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, "DejaVu Serif", serif',
    "slab": 'Rockwell, "Rockwell Nova", "Roboto Slab", "DejaVu Serif", "Sitka Small", serif',
    "mono": 'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, "DejaVu Sans Mono", monospace',
}

# Known networks and the hosts their profile links live on; None: any host (federated or the creator's own).
SOCIAL_NETWORKS = {
    "youtube": ("youtube.com", "youtu.be"),
    "instagram": ("instagram.com",),
    "tiktok": ("tiktok.com",),
    "twitch": ("twitch.tv",),
    "x": ("x.com", "twitter.com"),
    "facebook": ("facebook.com", "fb.com"),
    "bluesky": ("bsky.app",),
    "threads": ("threads.net", "threads.com"),
    "linkedin": ("linkedin.com",),
    "spotify": ("spotify.com",),
    "soundcloud": ("soundcloud.com",),
    "bandcamp": ("bandcamp.com",),
    "patreon": ("patreon.com",),
    "discord": ("discord.gg", "discord.com"),
    "github": ("github.com",),
    "mastodon": None,
    "website": None,
}

LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".webp": "image/webp"}
LOGO_MAX_BYTES = 512 * 1024
# Markup that would run code, or load something from another site, when the logo is opened on its own.
SVG_FORBIDDEN = re.compile(
    r"<script|<foreignObject|<!ENTITY|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:|@import"
    r"|(?:href|src)\s*=\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//|url\(\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//",
    re.IGNORECASE,
)

BRANDING_COLORS = ("primary_color", "accent_color", "background_color")
BRANDING_FONTS = ("font", "heading_font")
BRANDING_TEXTS = {"tagline": 160, "about": 2000}
BRANDING_KEYS = (*BRANDING_COLORS, *BRANDING_FONTS, "logo", *BRANDING_TEXTS, "social")

# The EU and EEA (e-Commerce Directive, Art. 5) and Switzerland (UWG Art. 3): a provider established there
# must name itself with a postal address on its site.
EU_COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU")
EU_COUNTRIES += ("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
IMPRESSUM_COUNTRIES = frozenset((*EU_COUNTRIES, "IS", "LI", "NO", "CH"))
IMPRESSUM_FIELDS = ("name", "street", "postal_code", "city")
LEGAL_LINES = ("name", "representative", *IMPRESSUM_FIELDS[1:])
LEGAL_KEYS = (
    "country",
    *LEGAL_LINES,
    "email",
    "phone",
    "vat_id",
    "register",
    "content_responsible",
    "hosting_region",
    "privacy",
)
PRIVACY_KEYS = ("contact", "data_protection_officer", "supervisory_authority")
LINE_MAX = 200

SITE_KEYS = (
    "creator",
    "display_name",
    "domain",
    "contact_email",
    "languages",
    "features",
    "branding",
    "legal",
    "runtime",
)


def supported_languages(theme_dir):
    """The languages the theme has texts for: the names of its i18n/<language>.json files, sorted."""
    i18n_dir = os.path.join(theme_dir, "i18n")
    if not os.path.isdir(i18n_dir):
        return []
    return sorted(name[: -len(".json")] for name in os.listdir(i18n_dir) if name.endswith(".json"))


def languages_error(field, value, supported):
    """The site's languages: a non-empty list without repeats, each with texts in the theme."""
    if not isinstance(value, list) or not value:
        return f"{field} {value!r} must be a non-empty list of language codes, the first is the default"
    unknown = [language for language in value if language not in supported]
    if unknown:
        return (
            f"{field} {value!r} has languages the site has no texts for: {', '.join(map(str, unknown))} "
            f"(available: {', '.join(supported)}; add files/frontend/i18n/<language>.json for more)"
        )
    if len(set(value)) != len(value):
        return f"{field} {value!r} names a language twice"
    return None


def color_error(field, value):
    """A colour as CSS hex: #rgb or #rrggbb."""
    if not isinstance(value, str) or not COLOR_PATTERN.match(value):
        return f"{field} {value!r} is not a colour: use #rgb or #rrggbb, like #6d28d9"
    return None


def font_error(field, value):
    """One of the font stacks the theme knows."""
    if value not in FONT_STACKS:
        return f"{field} {value!r} is not a known font: use one of {', '.join(FONT_STACKS)}"
    return None


def logo_error(field, value):
    """An SVG, PNG or WebP file on the controller, given by its absolute path, small and self-contained."""
    if not isinstance(value, str) or not value:
        return f"{field} {value!r} must be the path of an SVG, PNG or WebP file"
    if not os.path.isabs(value):
        return (
            f"{field} {value!r} must be an absolute path on the controller "
            "(in host_vars it is relative to the inventory directory)"
        )
    if os.path.splitext(value)[1].lower() not in LOGO_TYPES:
        return f"{field} {value!r} is not an SVG, PNG or WebP file: its name must end in .svg, .png or .webp"
    if not os.path.isfile(value):
        return f"{field} {value!r} does not exist or is not a file"
    if not os.access(value, os.R_OK):
        return f"{field} {value!r} is not readable"
    size = os.path.getsize(value)
    if size > LOGO_MAX_BYTES:
        return f"{field} {value!r} has {size} bytes, more than the {LOGO_MAX_BYTES // 1024} KiB a logo may have"
    with open(value, "rb") as logo:
        return _logo_content_error(field, value, logo.read())


def _logo_content_error(field, path, content):
    """The file's content must match its name, and an SVG must neither run code nor load anything."""
    extension = os.path.splitext(path)[1].lower()
    if extension == ".png" and not content.startswith(b"\x89PNG\r\n\x1a\n"):
        return f"{field} {path!r} is not a PNG image"
    if extension == ".webp" and not (content[:4] == b"RIFF" and content[8:12] == b"WEBP"):
        return f"{field} {path!r} is not a WebP image"
    if extension == ".svg":
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return f"{field} {path!r} is not an SVG image (not UTF-8 text)"
        if "<svg" not in text:
            return f"{field} {path!r} is not an SVG image (no <svg> element)"
        forbidden = SVG_FORBIDDEN.search(text)
        if forbidden:
            return (
                f"{field} {path!r} contains {forbidden.group(0).strip()!r}: a logo may neither run scripts nor load "
                "anything from another site; remove it"
            )
    return None


def social_problems(field, value):
    """Social links: known networks to https profile URLs on that network's hosts."""
    if not isinstance(value, dict):
        return [f"{field} must be a dictionary of networks to profile URLs, got {value!r}"]
    problems = []
    for network, url in value.items():
        if network not in SOCIAL_NETWORKS:
            problems.append(f"{field} has an unknown network {network!r}: use one of {', '.join(SOCIAL_NETWORKS)}")
            continue
        problem = _profile_url_error(f"{field}.{network}", url, SOCIAL_NETWORKS[network])
        if problem:
            problems.append(problem)
    return problems


def _profile_url_error(field, url, hosts):
    """An https URL without credentials, on one of `hosts` (or any host when None)."""
    if not isinstance(url, str) or len(url) > 2048 or re.search(r"[\s\"'<>\\]", url):
        return f"{field} {url!r} is not a valid URL"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or "@" in parts.netloc:
        return f"{field} {url!r} must be an https:// URL of a profile, like https://www.example.com/name"
    host = parts.hostname.lower()
    if hosts and not any(host == known or host.endswith("." + known) for known in hosts):
        return f"{field} {url!r} is not on {' or '.join(hosts)}"
    return None


def localized_text_error(field, value, languages, limit):
    """A text for every language (a string) or per language (a dictionary of language codes to strings)."""
    texts = value if isinstance(value, dict) else {None: value}
    for language, text in texts.items():
        name = field if language is None else f"{field}.{language}"
        if language is not None and language not in languages:
            return f"{field} has a text for {language!r}, which is not one of the site's languages {languages!r}"
        if not isinstance(text, str) or len(text) > limit:
            return f"{name} {text!r} must be a text of at most {limit} characters"
    return None


def branding_problems(field, value, languages):
    """Every problem of a branding dictionary (colours, fonts, logo, texts, social links)."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{field} must be a dictionary, got {value!r}"]
    value = without_none(value)
    problems = [_unknown_keys_error(field, value, BRANDING_KEYS)]
    problems += [color_error(f"{field}.{key}", value[key]) for key in BRANDING_COLORS if key in value]
    problems += [font_error(f"{field}.{key}", value[key]) for key in BRANDING_FONTS if key in value]
    if "logo" in value:
        problems.append(logo_error(f"{field}.logo", value["logo"]))
    for key, limit in BRANDING_TEXTS.items():
        if key in value:
            problems.append(localized_text_error(f"{field}.{key}", value[key], languages, limit))
    if "social" in value:
        problems += social_problems(f"{field}.social", value["social"])
    return [problem for problem in problems if problem]


def branding_error(field, value, languages):
    """All problems of a branding dictionary in one message, or None."""
    return "; ".join(branding_problems(field, value, languages)) or None


def impressum_required(legal):
    """An Impressum is required when the creator is established in the EU, the EEA or Switzerland."""
    return (legal or {}).get("country") in IMPRESSUM_COUNTRIES


def has_impressum(legal):
    """The legal details name a provider with a postal address, so the site shows an Impressum."""
    return all((legal or {}).get(key) for key in IMPRESSUM_FIELDS)


def legal_problems(field, value, languages):
    """Every problem of the legal details, including the Impressum fields a creator in the EU/EEA/CH must give."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return [f"{field} must be a dictionary of legal details, got {value!r}"]
    value = without_none(value)
    problems = [_unknown_keys_error(field, value, LEGAL_KEYS), _country_error(field, value, languages)]
    for key in LEGAL_LINES:
        problems.append(_line_error(f"{field}.{key}", value.get(key)))
    problems.append(_impressum_fields_error(field, value))
    if value.get("email") is not None:
        problems.append(creator_config.email_error(f"{field}.email", value["email"]))
    problems.append(
        _pattern_error(f"{field}.phone", value.get("phone"), PHONE_PATTERN, "a phone number like +49 30 1234567")
    )
    problems.append(_pattern_error(f"{field}.vat_id", value.get("vat_id"), VAT_ID_PATTERN, "a VAT ID like DE123456789"))
    problems.append(
        _pattern_error(
            f"{field}.hosting_region", value.get("hosting_region"), REGION_PATTERN, "an AWS region like eu-central-1"
        )
    )
    problems += _register_problems(f"{field}.register", value.get("register"))
    problems += _person_problems(f"{field}.content_responsible", value.get("content_responsible"), "address")
    problems += _privacy_problems(f"{field}.privacy", value.get("privacy"))
    return [problem for problem in problems if problem]


def legal_error(field, value, languages):
    """All problems of the legal details in one message, or None."""
    return "; ".join(legal_problems(field, value, languages)) or None


def _country_error(field, legal, languages):
    """The country decides whether an Impressum is required; a German-language site must say where it is from."""
    country = legal.get("country")
    if country is None:
        if "de" in languages:
            return (
                f"{field}.country is missing: a site in German needs the creator's country (like DE, AT or CH) "
                "to decide whether an Impressum is required"
            )
        return None
    if not isinstance(country, str) or not COUNTRY_PATTERN.match(country):
        return f"{field}.country {country!r} is not a country code: use two upper-case letters (ISO 3166-1), like DE"
    return None


def _impressum_fields_error(field, legal):
    """In the EU/EEA/CH every Impressum field is required; elsewhere an address is optional but complete."""
    missing = [key for key in IMPRESSUM_FIELDS if not legal.get(key)]
    if not missing:
        return None
    if impressum_required(legal):
        return (
            f"{field} is missing {', '.join(missing)}: a creator in {legal['country']} must show an Impressum "
            "with name and postal address"
        )
    if any(legal.get(key) for key in IMPRESSUM_FIELDS[1:]):
        return f"{field} is missing {', '.join(missing)}: an address needs name, street, postal_code and city"
    return None


def _line_error(field, value, required=False):
    """A single line of text (a name, a street), at most LINE_MAX characters."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        hint = ' (quote numbers in YAML, like "01067")' if isinstance(value, int) else ""
        return f"{field} {value!r} must be a non-empty text{hint}"
    if len(value) > LINE_MAX or CONTROL_CHARACTERS.search(value):
        return f"{field} {value!r} must be one line of at most {LINE_MAX} characters"
    return None


def _pattern_error(field, value, pattern, example):
    """An optional value that must match `pattern`."""
    if value is None or (isinstance(value, str) and pattern.match(value)):
        return None
    return f"{field} {value!r} is not valid: use {example}"


def _register_problems(field, value):
    """Register entries: a list of {court, number}, like Amtsgericht Berlin-Charlottenburg, HRB 123456."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [f"{field} must be a list of entries with court and number, got {value!r}"]
    problems = []
    for index, entry in enumerate(value):
        name = f"{field}[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{name} must be a dictionary with court and number, got {entry!r}")
            continue
        problems += [_unknown_keys_error(name, entry, ("court", "number"))]
        problems += [_line_error(f"{name}.{key}", entry.get(key), required=True) for key in ("court", "number")]
    return problems


def _person_problems(field, value, contact_key):
    """A person named for a role: {name, and an address or e-mail as `contact_key`}, the name required."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{field} must be a dictionary with a name, got {value!r}"]
    problems = [_unknown_keys_error(field, value, ("name", contact_key))]
    problems.append(_line_error(f"{field}.name", value.get("name"), required=True))
    contact = value.get(contact_key)
    if contact_key == "email" and contact is not None:
        problems.append(creator_config.email_error(f"{field}.email", contact))
    elif contact_key != "email":
        problems.append(_line_error(f"{field}.{contact_key}", contact))
    return problems


def _privacy_problems(field, value):
    """The privacy policy's contact, data protection officer and supervisory authority."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{field} must be a dictionary, got {value!r}"]
    problems = [_unknown_keys_error(field, value, PRIVACY_KEYS)]
    if value.get("contact") is not None:
        problems.append(creator_config.email_error(f"{field}.contact", value["contact"]))
    problems += _person_problems(f"{field}.data_protection_officer", value.get("data_protection_officer"), "email")
    problems.append(_line_error(f"{field}.supervisory_authority", value.get("supervisory_authority")))
    return problems


def without_none(settings):
    """The settings that have a value: a module's nested options arrive with None for every key not given."""
    return {key: value for key, value in settings.items() if value is not None}


def _unknown_keys_error(field, value, known):
    """Unknown keys are most often typos: name them with the known ones."""
    unknown = sorted(str(key) for key in value if key not in known)
    if unknown:
        return f"{field} has unknown keys {', '.join(unknown)}: use {', '.join(known)}"
    return None


def site_problems(site, supported):
    """Every problem of the frontend module's `site` option, each naming its field under `site.`."""
    if not isinstance(site, dict):
        return [f"site must be a dictionary, got {site!r}"]
    languages = site.get("languages")
    problems = [
        _unknown_keys_error("site", site, SITE_KEYS),
        creator_config.slug_error("site.creator", site.get("creator")),
        _line_error("site.display_name", site.get("display_name"), required=True),
        creator_config.domain_error("site.domain", site.get("domain")),
        creator_config.email_error("site.contact_email", site.get("contact_email")),
        languages_error("site.languages", languages, supported),
        _features_error("site.features", site.get("features")),
        _runtime_error("site.runtime", site.get("runtime")),
    ]
    languages = [language for language in languages if isinstance(language, str)] if isinstance(languages, list) else []
    problems += branding_problems("site.branding", site.get("branding"), languages)
    problems += legal_problems("site.legal", site.get("legal"), languages)
    return [problem for problem in problems if problem]


def _features_error(field, value):
    """The creator's features, each one of creator_config.FEATURES."""
    if not isinstance(value, list) or any(feature not in creator_config.FEATURES for feature in value):
        return f"{field} {value!r} must be a list of features from: {', '.join(creator_config.FEATURES)}"
    return None


def _runtime_error(field, value):
    """Settings for the site's scripts: JSON values, with `api_url` and `auth` shaped as the API slice gives them."""
    if value is None:
        return None
    message = f"{field} must be a dictionary of JSON values (strings, numbers, lists, dictionaries), got {value!r}"
    if not isinstance(value, dict):
        return message
    try:
        json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return message
    problems = []
    # An empty api_url is an API not made yet (a first run in check mode): the pages then say accounts are unavailable.
    if value.get("api_url"):
        problems.append(_https_url_error(f"{field}.api_url", value["api_url"], "the HTTP API's endpoint"))
    if "auth" in value:
        problems += _runtime_auth_problems(f"{field}.auth", value["auth"])
    if "live" in value:
        problems += _runtime_url_problems(
            f"{field}.live", value["live"], "playback_url", "https", "the channel's playback URL"
        )
    if "chat" in value:
        problems += _runtime_url_problems(
            f"{field}.chat", value["chat"], "endpoint", "wss", "IVS Chat's messaging endpoint"
        )
    return "; ".join(problem for problem in problems if problem) or None


def _runtime_auth_problems(field, value):
    """The user pool the site's sign-in talks to: region, pool id, app client id and Cognito's endpoint."""
    if not isinstance(value, dict):
        return [f"{field} must be a dictionary with {', '.join(RUNTIME_AUTH_KEYS)}, got {value!r}"]
    missing = [key for key in RUNTIME_AUTH_KEYS if key not in value]
    problems = [_unknown_keys_error(field, value, RUNTIME_AUTH_KEYS)]
    if missing:
        problems.append(f"{field} is missing {', '.join(missing)}: the site's sign-in needs all of them")
    checks = {
        "region": (REGION_PATTERN, "an AWS region like eu-central-1"),
        "user_pool_id": (USER_POOL_ID_PATTERN, "a user pool id like eu-central-1_AbC123xyz"),
        "client_id": (CLIENT_ID_PATTERN, "an app client id like 4l1dkz2f0v2q0oj0pmh1n2eabc"),
    }
    for key, (pattern, example) in checks.items():
        if key in value and not (isinstance(value[key], str) and pattern.match(value[key])):
            problems.append(f"{field}.{key} {value[key]!r} is not valid: use {example}")
    if "endpoint" in value:
        problems.append(_https_url_error(f"{field}.endpoint", value["endpoint"], "Cognito's endpoint"))
    region, pool_id = value.get("region"), value.get("user_pool_id")
    if isinstance(region, str) and isinstance(pool_id, str) and not pool_id.startswith(f"{region}_"):
        problems.append(f"{field}.user_pool_id {pool_id!r} is not a pool of {field}.region {region!r}")
    return problems


def _runtime_url_problems(field, value, key, scheme, what):
    """A runtime section that holds one URL under `key` (the live section's playback URL, the chat's endpoint)."""
    if not isinstance(value, dict) or set(value) != {key}:
        return [f"{field} must be a dictionary with only {key}, got {value!r}"]
    return [_https_url_error(f"{field}.{key}", value[key], what, scheme)]


def _https_url_error(field, value, what, scheme="https"):
    """An https:// (or `scheme`://) URL of a host, without credentials, query or fragment."""
    if not isinstance(value, str) or re.search(r"[\s\"'<>\\]", value):
        return f"{field} {value!r} must be {what} as an {scheme}:// URL"
    parts = urlsplit(value)
    if parts.scheme != scheme or not parts.hostname or "@" in parts.netloc or parts.query or parts.fragment:
        example = EXAMPLE_API_HOST if scheme == "https" else EXAMPLE_CHAT_HOST
        return f"{field} {value!r} must be {what} as an {scheme}:// URL without query, like {scheme}://{example}"
    return None
