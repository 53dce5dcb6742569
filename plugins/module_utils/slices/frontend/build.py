# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build a creator's fan site from the theme in files/frontend: HTML per language, hashed assets, nothing external.

`build_site(theme_dir, site)` checks `site` with site_config.site_problems, then returns every object of the
site by its object key. The first language lives at the root (`index.html`, `live.html`), the others below
their code (`en/index.html`); every link names a file, because CloudFront maps only `/` to `index.html`.
The same theme and `site` give the same bytes: no timestamps, sorted iteration, stable JSON, and no path of
the controller in any output. With the `auth` feature every language also gets the fans' account pages
(ACCOUNT_PAGES) and the signed-in pages of the features that bring one (SIGNED_IN_PAGES: the fan's orders, the
admins' page), all kept out of the sitemap and the menu. files/frontend/README.md documents the URL scheme, the
account pages and their scripts, and the `site` keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import NamedTuple

try:
    import jinja2
except ImportError:
    HAS_JINJA2 = False
else:
    HAS_JINJA2 = True

from ansible_collections.creatorcloud.platform.plugins.module_utils.core import site_config
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import FEATURES
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import scripts

HTML_TYPE = "text/html; charset=utf-8"
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".html": HTML_TYPE,
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webp": "image/webp",
    ".xml": "application/xml",
}
# Features with a page of their own, and features the privacy policy describes, in FEATURES order.
PAGE_FEATURES = ("live", "shop", "membership", "donations", "sponsors", "events", "polls", "newsletter", "contact")
PRIVACY_FEATURES = ("auth", "chat", "analytics", *PAGE_FEATURES)
# The fans' account pages, built while the creator has `auth`; not in the sitemap, and marked noindex.
ACCOUNT_PAGES = ("signup", "confirm", "login", "account")
# Pages for signed-in fans that features bring, by the features of which any one builds them (with `auth`, like
# the account pages, and like them noindex and neither in the sitemap nor in the menu): the fan's orders, and
# the admins' page (products, orders, the moderation of tips), the fan's tickets and the door's check-in.
SIGNED_IN_PAGES = {"orders": ("shop",), "admin": ("shop", "donations"), "tickets": ("events",), "door": ("events",)}
PRIVATE_PAGES = (*ACCOUNT_PAGES, *SIGNED_IN_PAGES)
DEFAULT_BRANDING = {
    "primary_color": "#4f46e5",
    "accent_color": "#f59e0b",
    "background_color": "#ffffff",
    "font": "system-ui",
}
HASH_LENGTH = 10
# Where the npm bundles of the live and chat features are kept between builds (see scripts.py).
SCRIPTS_CACHE_DIR = "~/.cache/creatorcloud/site-scripts"
DARK_TEXT = "#16151d"
LIGHT_TEXT = "#ffffff"
DARK_BACKGROUND = "#111118"
# The red of errors and of the delete button, adjusted like the other colours to stay readable.
DANGER = "#c62828"


class SiteFile(NamedTuple):
    body: bytes
    content_type: str  # e.g. "text/html; charset=utf-8"
    cache_control: str  # "no-cache" for HTML and config.json, IMMUTABLE for hashed assets


class SiteBuildError(Exception):
    """The site cannot be built; `problems` lists every reason, each naming the field or file."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def build_site(theme_dir: str, site: dict, scripts_cache_dir: str = SCRIPTS_CACHE_DIR) -> dict[str, SiteFile]:
    """Every object of the creator's site by its key (no leading slash), sorted; raises SiteBuildError."""
    check_site(theme_dir, site)
    site = normalised_site(site)
    files = {}
    assets = {}
    bodies = asset_bodies(theme_dir, site["branding"])
    try:
        bodies.update(scripts.bundled_scripts(theme_dir, site["features"], scripts_cache_dir))
    except scripts.SiteScriptsError as e:
        raise SiteBuildError([str(e)]) from e
    for name, body in sorted(bodies.items()):
        key = hashed_key(name, body)
        assets[name] = "/" + key
        files[key] = SiteFile(body, content_type(name), IMMUTABLE)
    renderer = SiteRenderer(theme_dir, site, assets)
    for language in site["languages"]:
        for page in page_names(site):
            files[page_key(page, language, site)] = SiteFile(renderer.page(page, language), HTML_TYPE, NO_CACHE)
    files["404.html"] = SiteFile(renderer.page("404", site["languages"][0]), HTML_TYPE, NO_CACHE)
    files["sitemap.xml"] = SiteFile(renderer.sitemap(), CONTENT_TYPES[".xml"], NO_CACHE)
    files["robots.txt"] = SiteFile(renderer.render("robots.txt.j2"), CONTENT_TYPES[".txt"], NO_CACHE)
    files["config.json"] = SiteFile(stable_json(site["runtime"]), CONTENT_TYPES[".json"], NO_CACHE)
    return dict(sorted(files.items()))


def check_site(theme_dir, site):
    """Raises SiteBuildError naming every problem of the theme or of `site` that stops a build."""
    if not HAS_JINJA2:
        raise SiteBuildError(["the Python library jinja2 is required to build the site"])
    if not all(os.path.isdir(os.path.join(theme_dir, part)) for part in ("templates", "assets", "i18n")):
        raise SiteBuildError([f"theme_dir {theme_dir!r} is not a site theme: it needs templates/, assets/ and i18n/"])
    problems = site_config.site_problems(site, site_config.supported_languages(theme_dir))
    if problems:
        raise SiteBuildError(problems)


def normalised_site(site):
    """`site` with every key the templates read: branding defaults, legal keys (None when not given)."""
    branding = {**DEFAULT_BRANDING, **given(site.get("branding"))}
    branding.setdefault("heading_font", branding["font"])
    legal = {**dict.fromkeys(site_config.LEGAL_KEYS), "email": site["contact_email"], **given(site.get("legal"))}
    legal["content_responsible"] = with_keys(legal["content_responsible"], "name", "address")
    privacy = {**dict.fromkeys(site_config.PRIVACY_KEYS), "contact": legal["email"], **given(legal["privacy"])}
    privacy["data_protection_officer"] = with_keys(privacy["data_protection_officer"], "name", "email")
    return {**site, "branding": branding, "legal": {**legal, "privacy": privacy}, "runtime": site.get("runtime") or {}}


def with_keys(settings, *keys):
    """A nested setting with each of `keys` (None when not given), or None when the setting is not given."""
    return settings and {**dict.fromkeys(keys), **given(settings)}


def given(settings):
    """The settings that have a value, or {} when there are none."""
    return site_config.without_none(settings or {})


def stable_json(value):
    """The same JSON bytes for the same value: sorted keys, fixed indentation, a final newline."""
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()


def content_type(name):
    """The Content-Type of a file by its extension."""
    extension = os.path.splitext(name)[1].lower()
    if extension not in CONTENT_TYPES:
        raise SiteBuildError([f"the theme's asset {name!r} has a type the site does not serve ({extension})"])
    return CONTENT_TYPES[extension]


def hashed_key(name, body):
    """`assets/<stem>.<content hash><extension>`: a new name for new content, so it can be cached forever."""
    stem, extension = os.path.splitext(name)
    return f"assets/{stem}.{hashlib.sha256(body).hexdigest()[:HASH_LENGTH]}{extension}"


def asset_bodies(theme_dir, branding):
    """Every asset by its name: the theme's static files, the generated theme.css and the creator's logo."""
    assets_dir = os.path.join(theme_dir, "assets")
    bodies = {}
    for name in sorted(os.listdir(assets_dir)):
        path = os.path.join(assets_dir, name)
        if not name.startswith(".") and os.path.isfile(path):
            with open(path, "rb") as asset:
                bodies[name] = asset.read()
    bodies["theme.css"] = theme_css(branding).encode()
    if branding.get("logo"):
        with open(branding["logo"], "rb") as logo:
            bodies["logo" + os.path.splitext(branding["logo"])[1].lower()] = logo.read()
    return bodies


def page_names(site):
    """The pages of each language: home, one per enabled feature that has a page, the private pages, the legal pages."""
    features = [feature for feature in FEATURES if feature in PAGE_FEATURES and feature in site["features"]]
    impressum = ["impressum"] if site_config.has_impressum(site["legal"]) else []
    return ["index", *features, *private_page_names(site), *impressum, "privacy"]


def has_accounts(site):
    """Fans can sign up and sign in: the creator has the `auth` feature."""
    return "auth" in site["features"]


def private_page_names(site):
    """With `auth`: the account pages, and each signed-in page one of whose features is on."""
    if not has_accounts(site):
        return []
    signed_in = [page for page, features in SIGNED_IN_PAGES.items() if set(features) & set(site["features"])]
    return [*ACCOUNT_PAGES, *signed_in]


def indexed_page_names(site):
    """The pages search engines should find: every page but the private ones."""
    return [page for page in page_names(site) if page not in PRIVATE_PAGES]


def page_key(page, language, site):
    """The object key of a page: the first language at the root, the others below their code."""
    prefix = "" if language == site["languages"][0] else f"{language}/"
    return f"{prefix}{page}.html"


def page_href(page, language, site):
    """The link to a page; it names a file, except the root home page, which CloudFront serves for `/`."""
    if page == "index" and language == site["languages"][0]:
        return "/"
    return "/" + page_key(page, language, site)


# --- colours -----------------------------------------------------------------------------------------------------


def rgb(color):
    """(red, green, blue) of #rgb or #rrggbb."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return tuple(int(digits[index : index + 2], 16) for index in (0, 2, 4))


def hex_color(channels):
    """#rrggbb of (red, green, blue); also normalises #rgb with hex_color(rgb(color))."""
    return "#{:02x}{:02x}{:02x}".format(*channels)


def mix(color, other, amount):
    """`color` moved `amount` (0 to 1) of the way towards `other`, as #rrggbb."""
    start, end = rgb(color), rgb(other)
    return hex_color(round(start[index] + (end[index] - start[index]) * amount) for index in range(3))


def luminance(color):
    """The relative luminance of WCAG 2."""
    srgb = [channel / 255 for channel in rgb(color)]
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in srgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(color, other):
    """The WCAG 2 contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(color), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(background):
    """The text colour, near-black or white, that reads best on `background`."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast(text, background))


def with_contrast(color, others, ratio):
    """`color`, darkened or lightened in small steps until its contrast to each of `others` reaches `ratio`."""
    target = readable_on(others[0])
    for step in range(21):
        candidate = mix(color, target, step / 20)
        if all(contrast(candidate, other) >= ratio for other in others):
            return candidate
    return target


def colour_scheme(primary, accent, background):
    """The theme's colours on one background; every text colour reaches WCAG AA (4.5:1) where it is used."""
    text = readable_on(background)
    surface = mix(background, primary, 0.05)
    surfaces = (background, surface, mix(background, primary, 0.12))
    on_primary = readable_on(primary)
    primary = with_contrast(primary, (on_primary,), 4.5)
    on_accent = readable_on(accent)
    danger = with_contrast(DANGER, surfaces, 4.5)
    return {
        "bg": background,
        "surface": surface,
        "surface-strong": surfaces[2],
        "text": text,
        "muted": with_contrast(mix(text, background, 0.3), surfaces, 4.5),
        "border": mix(background, text, 0.16),
        "link": with_contrast(primary, surfaces, 4.5),
        "accent-text": with_contrast(accent, surfaces, 4.5),
        "focus": with_contrast(accent, surfaces, 3),
        "primary": primary,
        "primary-deep": mix(primary, readable_on(on_primary), 0.35),
        "on-primary": on_primary,
        "accent": with_contrast(accent, (on_accent,), 4.5),
        "on-accent": on_accent,
        "danger": danger,
        "on-danger": readable_on(danger),
    }


def theme_css(branding):
    """The creator's colours and fonts as CSS custom properties, with a dark scheme for light backgrounds."""
    primary, accent, background = (hex_color(rgb(branding[key])) for key in site_config.BRANDING_COLORS)
    light = colour_scheme(primary, accent, background)
    dark = None
    if luminance(background) > 0.2:
        dark = colour_scheme(primary, accent, mix(DARK_BACKGROUND, primary, 0.06))
    lines = [
        "/* Generated from the creator's branding by creatorcloud.platform; change host_vars, not this file. */",
        ":root {",
        f"  color-scheme: {'light dark' if dark else 'dark'};",
        f"  --font-body: {site_config.FONT_STACKS[branding['font']]};",
        f"  --font-heading: {site_config.FONT_STACKS[branding['heading_font']]};",
        *(f"  --color-{name}: {value};" for name, value in light.items()),
        "}",
    ]
    if dark:
        lines += ["@media (prefers-color-scheme: dark) {", "  :root {"]
        lines += [f"    --color-{name}: {value};" for name, value in dark.items()]
        lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


# --- pages -------------------------------------------------------------------------------------------------------


class Texts:
    """The texts of one language, from i18n/<language>.json; `texts(key, name=...)` fills the placeholders."""

    def __init__(self, theme_dir, language):
        self.language = language
        path = os.path.join(theme_dir, "i18n", f"{language}.json")
        try:
            with open(path, encoding="utf-8") as strings:
                self.strings = json.load(strings)
        except ValueError as error:
            raise SiteBuildError([f"the theme's i18n/{language}.json is not valid JSON: {error}"]) from None

    def get(self, key, default=None):
        """The raw text (a string or a list of paragraphs) at a dotted key, or `default`."""
        value = self.strings
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value

    def __call__(self, key, **values):
        value = self.get(key)
        if value is None:
            raise SiteBuildError([f"the theme's i18n/{self.language}.json has no text {key!r}"])
        if isinstance(value, list):
            return [self._filled(key, paragraph, values) for paragraph in value]
        return self._filled(key, value, values)

    def _filled(self, key, text, values):
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise SiteBuildError([f"i18n/{self.language}.json text {key!r} needs a value for {error}"]) from None


def localized(value, language):
    """A branding text for one language: the same text for all, or the language's own."""
    if isinstance(value, dict):
        return value.get(language) or ""
    return value or ""


class SiteRenderer:
    """Renders the theme's templates for one site; every page gets the same context shape."""

    def __init__(self, theme_dir, site, assets):
        self.site = site
        self.assets = assets
        self.texts = {language: Texts(theme_dir, language) for language in site["languages"]}
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(os.path.join(theme_dir, "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.environment.globals.update(site=site, asset=self.asset)

    def asset(self, name):
        """The URL path of an asset by its name before hashing, like `site.css`."""
        if name not in self.assets:
            raise SiteBuildError([f"the theme refers to an asset it does not have: {name!r}"])
        return self.assets[name]

    def url(self, page, language):
        """The canonical https URL of a page."""
        return f"https://{self.site['domain']}{page_href(page, language, self.site)}"

    def alternates(self, page):
        """The page in every language, for hreflang links, with the first language as x-default."""
        links = [{"hreflang": language, "url": self.url(page, language)} for language in self.site["languages"]]
        return [*links, {"hreflang": "x-default", "url": links[0]["url"]}]

    def render(self, template, **context):
        try:
            return self.environment.get_template(template).render(**context).encode()
        except jinja2.TemplateError as error:
            raise SiteBuildError([f"the theme's template {template} cannot be rendered: {error}"]) from None

    def sitemap(self):
        """sitemap.xml: every page in every language, with its alternates."""
        entries = [
            {"url": self.url(page, language), "alternates": self.alternates(page)}
            for language in self.site["languages"]
            for page in indexed_page_names(self.site)
        ]
        return self.render("sitemap.xml.j2", entries=entries)

    def page(self, page, language):
        """One HTML page in one language."""
        template = "pages/home.html.j2" if page == "index" else f"pages/{page}.html.j2"
        return self.render(template, **self.page_context(page, language))

    def page_context(self, page, language):
        """What a page template sees besides `site` and `asset`."""
        site, texts = self.site, self.texts[language]
        branding, legal = site["branding"], site["legal"]
        tagline = localized(branding.get("tagline"), language)
        home_page = "index" if page == "404" else page
        logo = next((href for name, href in self.assets.items() if name.startswith("logo.")), None)
        return {
            "lang": language,
            "page": page,
            "t": texts,
            "href": lambda target, target_language=language: page_href(target, target_language, site),
            "page_title": texts(f"pages.{page}.title", **names(site)),
            "description": tagline
            if page == "index" and tagline
            else texts(f"pages.{page}.description", **names(site)),
            "canonical": None if page == "404" else self.url(page, language),
            "noindex": page == "404" or page in PRIVATE_PAGES,
            "has_accounts": has_accounts(site),
            "site_pages": page_names(site),
            "alternates": [] if page == "404" else self.alternates(page),
            "nav_pages": [name for name in page_names(site) if name in PAGE_FEATURES],
            "has_impressum": site_config.has_impressum(legal),
            "tagline": tagline,
            "about": [
                text.strip()
                for text in re.split(r"\n\s*\n", localized(branding.get("about"), language))
                if text.strip()
            ],
            "logo": logo and {"href": logo, "type": content_type(logo), "url": f"https://{site['domain']}{logo}"},
            "social": self.social_links(texts),
            "languages": [
                {
                    "code": other,
                    "name": self.texts[other]("language_name"),
                    "href": page_href(home_page, other, site),
                    "suggest": self.texts[other]("nav.suggest"),
                    "current": other == language,
                }
                for other in site["languages"]
            ],
            "privacy_features": [
                feature for feature in FEATURES if feature in PRIVACY_FEATURES and feature in site["features"]
            ],
            "country_name": texts.get(f"countries.{legal.get('country')}", legal.get("country") or ""),
            "theme_color": hex_color(rgb(branding["primary_color"])),
            **names(site),
        }

    def social_links(self, texts):
        """The creator's social links in a fixed order of networks, with their labels."""
        social = self.site["branding"].get("social") or {}
        return [
            {"network": network, "url": social[network], "label": texts(f"social.{network}")}
            for network in site_config.SOCIAL_NETWORKS
            if social.get(network)
        ]


def names(site):
    """The placeholders every text may use: {name}, {domain} and {email}."""
    return {"name": site["display_name"], "domain": site["domain"], "email": site["contact_email"]}
