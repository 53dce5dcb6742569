# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fans' site build: pages per feature and language, nothing inline or external, hashed assets, same bytes."""

import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.site_config import SOCIAL_NETWORKS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build

REPO = Path(__file__).resolve().parents[2]
THEME = REPO / "files/frontend"
LOGO = REPO / "inventories/local/files/creator1/logo.svg"
# The stems of the npm bundles of the live, chat and events features (plugins/module_utils/slices/frontend/scripts.py).
NPM_BUNDLES = ("chat-client", "hls", "qrcode")
ASSET_KEY = re.compile(r"^assets/(?P<stem>[a-z]+(?:-[a-z]+)*)\.(?P<hash>[0-9a-f]{10})\.(?:css|js|svg|png|webp)$")


def demo_site(**overrides):
    """A German creator with every feature that has a page, a logo, social links and an Impressum."""
    site = {
        "creator": "creator1",
        "display_name": "Creator One",
        "domain": "creator1.example",
        "contact_email": "hello@creator1.example",
        "languages": ["de", "en"],
        "features": ["website", "auth", *build.PAGE_FEATURES, "chat"],
        "branding": {
            "primary_color": "#6d28d9",
            "accent_color": "#f59e0b",
            "font": "humanist",
            "logo": str(LOGO),
            "tagline": {"de": "Live-Musik", "en": "Live music"},
            "about": "First paragraph.\n\nSecond paragraph.",
            "social": {"youtube": "https://www.youtube.com/@creator1", "mastodon": "https://social.example/@c1"},
        },
        "legal": {
            "country": "DE",
            "name": "Creator One Media GmbH",
            "street": "Musterstraße 1",
            "postal_code": "10115",
            "city": "Berlin",
        },
    }
    return {**site, **overrides}


def site_from_inventory(inventory, host):
    """The frontend module's `site` for a demo creator, built from host_vars like the frontend role would."""
    host_vars = yaml.safe_load((REPO / inventory / "host_vars" / f"{host}.yml").read_text())
    branding = dict(host_vars["creator_branding"])
    branding["logo"] = str(REPO / inventory / branding["logo"])
    return {
        "creator": host,
        "display_name": host_vars["creator_display_name"],
        "domain": host_vars["creator_domain"],
        "contact_email": host_vars["creator_contact_email"],
        "languages": host_vars["creator_languages"],
        "features": host_vars["creator_features"],
        "branding": branding,
        "legal": host_vars["creator_legal"],
    }


class Page(HTMLParser):
    """The elements of an HTML page as (tag, attributes) and the text inside <script> and <style>."""

    def __init__(self, site_file):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.inline = []
        self._open = None
        self.feed(site_file.body.decode())

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open = tag

    def handle_data(self, data):
        if self._open in ("script", "style") and data.strip():
            self.inline.append((self._open, data))

    def handle_endtag(self, tag):
        self._open = None

    def find(self, tag, **attributes):
        return [attrs for name, attrs in self.elements if name == tag and attributes.items() <= attrs.items()]

    def links(self):
        return [attrs["href"] for name, attrs in self.elements if name == "a" and "href" in attrs]


@pytest.fixture(scope="module")
def site_files():
    return build.build_site(str(THEME), demo_site())


def html_pages(files):
    return {key: Page(site_file) for key, site_file in files.items() if key.endswith(".html")}


@pytest.mark.parametrize("feature", build.PAGE_FEATURES)
def test_a_feature_has_a_page_in_every_language_only_while_it_is_on(feature):
    site = demo_site(features=["website", feature])
    on = build.build_site(str(THEME), site)
    off = build.build_site(str(THEME), {**site, "features": ["website"]})

    assert {f"{feature}.html", f"en/{feature}.html"} <= set(on)
    assert f"/{feature}.html" in Page(on["index.html"]).links()
    assert not {f"{feature}.html", f"en/{feature}.html"} & set(off)
    assert all(f"{feature}.html" not in link for page in html_pages(off).values() for link in page.links())


def test_the_pages_of_the_first_language_are_at_the_root_and_the_others_below_their_code(site_files):
    pages = sorted(key for key in site_files if key.endswith(".html"))
    expected = ["index", *build.PAGE_FEATURES, *build.ACCOUNT_PAGES, *build.SIGNED_IN_PAGES, "impressum", "privacy"]

    assert pages == sorted(["404.html", *(f"{p}.html" for p in expected), *(f"en/{p}.html" for p in expected)])
    assert Page(site_files["index.html"]).find("html") == [{"lang": "de"}]
    assert Page(site_files["en/live.html"]).find("html") == [{"lang": "en"}]
    assert b"Livestream" in site_files["live.html"].body
    assert b"Live stream" in site_files["en/live.html"].body


def test_every_page_names_its_canonical_url_and_its_language_versions(site_files):
    live = Page(site_files["en/live.html"])

    assert live.find("link", rel="canonical") == [{"rel": "canonical", "href": "https://creator1.example/en/live.html"}]
    assert {link["hreflang"]: link["href"] for link in live.find("link", rel="alternate")} == {
        "de": "https://creator1.example/live.html",
        "en": "https://creator1.example/en/live.html",
        "x-default": "https://creator1.example/live.html",
    }
    assert Page(site_files["index.html"]).find("link", rel="canonical")[0]["href"] == "https://creator1.example/"


def test_every_link_names_a_file_of_the_site(site_files):
    """CloudFront maps only / to index.html, so /en/ would be a 404: every internal link must name a file."""
    for key, page in html_pages(site_files).items():
        internal = [urlsplit(link) for link in page.links() if link.startswith("/")]
        for link in internal:
            target = "index.html" if link.path == "/" else link.path.lstrip("/")
            assert target in site_files, f"{key} links to {link.path}, which the site does not have"


def test_no_resource_is_loaded_from_anywhere_but_the_site(site_files):
    social = set(demo_site()["branding"]["social"].values())
    for key, page in html_pages(site_files).items():
        for tag, attrs in page.elements:
            for name in ("src", "href", "srcset", "poster", "data", "action"):
                value = attrs.get(name)
                if value is None or (tag == "a" and name == "href"):
                    continue
                if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                    continue  # the page's own addresses, not loaded
                assert value.startswith("/") and not value.startswith("//"), f"{key}: <{tag} {name}={value!r}>"
        external_links = {link for link in page.links() if "://" in link}
        assert external_links <= social, f"{key} links to {external_links - social}"
    for key, site_file in site_files.items():
        # The npm bundles (the IVS Chat client, hls.js) hold the AWS endpoints they connect to, which the
        # CSP's connect-src allows one by one; they load nothing by themselves.
        if key.endswith((".css", ".js")) and ASSET_KEY.match(key)["stem"] not in NPM_BUNDLES:
            code = re.sub(rb"/\*.*?\*/", b"", site_file.body, flags=re.DOTALL)  # the licence header names a URL
            # The SVG namespace names an XML vocabulary (the tickets' QR codes are SVG elements); nothing loads it.
            code = code.replace(b"http://www.w3.org/2000/svg", b"")
            assert not re.search(rb"url\(\s*['\"]?\s*(?:[a-z]+:)?//|@import|https?://", code), key


def test_no_inline_script_style_or_event_handler(site_files):
    """The Content-Security-Policy has no 'unsafe-inline': all of these would be blocked."""
    for key, page in html_pages(site_files).items():
        assert page.inline == [], key
        assert page.find("style") == [], key
        for tag, attrs in page.elements:
            assert "style" not in attrs, f"{key}: <{tag} style=...>"
            assert not [name for name in attrs if name.startswith("on")], f"{key}: <{tag}> has an event handler"
            assert not str(attrs.get("href", "")).startswith("javascript:"), key
        assert [script for script in page.find("script") if "src" not in script] == [], key


def test_assets_have_content_hashed_names_and_the_pages_refer_to_exactly_those(site_files):
    assets = {key: site_file for key, site_file in site_files.items() if key.startswith("assets/")}

    stems = {ASSET_KEY.match(key)["stem"] for key in assets}
    theme_assets = {path.name.split(".")[0] for path in (THEME / "assets").iterdir() if not path.name.startswith(".")}
    assert stems == {*theme_assets, "theme", "logo", *NPM_BUNDLES}
    assert {"site", "srp", "cognito", "api", "account", "live", "chat", "shop", "orders", "admin"} <= stems
    for key, site_file in assets.items():
        assert ASSET_KEY.match(key)["hash"] == hashlib.sha256(site_file.body).hexdigest()[:10]
        assert site_file.cache_control == "public, max-age=31536000, immutable"
    referenced = set()
    for page in html_pages(site_files).values():
        for _tag, attrs in page.elements:
            referenced |= {value.lstrip("/") for value in attrs.values() if str(value).startswith("/assets/")}
    assert referenced == set(assets)
    index = Page(site_files["index.html"])
    assert [link["href"].split(".")[0] for link in index.find("link", rel="stylesheet")] == [
        "/assets/site",
        "/assets/theme",
    ]


def test_content_types_and_caching(site_files):
    assert site_files["index.html"] == (site_files["index.html"].body, "text/html; charset=utf-8", "no-cache")
    assert site_files["config.json"].cache_control == "no-cache"
    assert site_files["sitemap.xml"].content_type == "application/xml"
    assert site_files["robots.txt"].body.decode().endswith("Sitemap: https://creator1.example/sitemap.xml\n")
    types = {key.rsplit(".", 1)[1]: site_file.content_type for key, site_file in site_files.items()}
    assert types["css"] == "text/css; charset=utf-8"
    assert types["js"] == "text/javascript; charset=utf-8"
    assert types["svg"] == "image/svg+xml"


def test_the_same_input_gives_the_same_bytes_from_a_copy_of_the_theme_elsewhere(site_files, tmp_path):
    theme_copy = shutil.copytree(THEME, tmp_path / "somewhere" / "else" / "theme")
    logo_copy = shutil.copy(LOGO, tmp_path / "logo.svg")
    site = demo_site()
    again = build.build_site(str(THEME), site)
    elsewhere = build.build_site(str(theme_copy), {**site, "branding": {**site["branding"], "logo": str(logo_copy)}})

    assert list(again) == list(site_files) == sorted(site_files)
    assert again == site_files
    assert elsewhere == site_files


def test_a_new_colour_changes_the_theme_file_and_the_pages_that_name_it_nothing_else(site_files):
    site = demo_site()
    recoloured = build.build_site(str(THEME), {**site, "branding": {**site["branding"], "accent_color": "#0ea5e9"}})

    changed = {key for key in set(site_files) | set(recoloured) if site_files.get(key) != recoloured.get(key)}
    themes = {key for key in changed if key.startswith("assets/")}
    assert len(themes) == 2 and all(key.startswith("assets/theme.") for key in themes)
    assert changed - themes == {key for key in site_files if key.endswith(".html")}


def test_the_creator_name_is_escaped_everywhere():
    attack = "<script>alert(1)</script>"
    files = build.build_site(str(THEME), demo_site(display_name=attack))

    for key, site_file in files.items():
        assert b"<script>alert" not in site_file.body, key
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in files["index.html"].body
    assert Page(files["index.html"]).inline == []


def test_runtime_settings_become_a_stable_config_json():
    runtime = {"user_pool_id": "eu-central-1_abc", "api_url": "https://api.creator1.example", "features": ["live"]}
    files = build.build_site(str(THEME), demo_site(runtime=runtime))

    assert files["config.json"].body == (json.dumps(runtime, sort_keys=True, indent=2) + "\n").encode()
    assert files["config.json"].content_type == "application/json"
    assert build.build_site(str(THEME), demo_site())["config.json"].body == b"{}\n"


def test_a_creator_outside_the_eu_without_an_address_has_no_impressum():
    files = build.build_site(
        str(THEME),
        demo_site(languages=["en"], branding={}, legal={"country": "US", "name": "Creator Two LLC"}, features=[]),
    )

    assert sorted(key for key in files if key.endswith(".html")) == ["404.html", "index.html", "privacy.html"]
    assert "/impressum.html" not in Page(files["index.html"]).links()
    assert b"Creator Two LLC" in files["privacy.html"].body


def test_the_impressum_shows_every_legal_detail(site_files):
    site = demo_site()
    legal = {
        **site["legal"],
        "representative": "Anna Beispiel",
        "phone": "+49 30 1234567",
        "vat_id": "DE123456789",
        "register": [{"court": "Amtsgericht Berlin-Charlottenburg", "number": "HRB 123456 B"}],
        "content_responsible": {"name": "Anna Beispiel"},
        "privacy": {"contact": "privacy@creator1.example", "supervisory_authority": "Berliner Beauftragte"},
    }
    files = build.build_site(str(THEME), {**site, "legal": legal})
    impressum = files["impressum.html"].body.decode()

    for text in ("Angaben gemäß § 5 DDG", "Vertreten durch Anna Beispiel", "10115 Berlin", "Deutschland",
                 'href="tel:+49301234567"', "HRB 123456 B", "DE123456789", "§ 18 Abs. 2 MStV",
                 'href="mailto:hello@creator1.example"'):  # fmt: skip
        assert text in impressum
    privacy = files["en/privacy.html"].body.decode()
    assert "privacy@creator1.example" in privacy
    assert "Berliner Beauftragte" in privacy
    assert "Amazon Web Services EMEA SARL" in privacy


def test_the_privacy_policy_describes_exactly_the_enabled_features():
    files = build.build_site(str(THEME), demo_site(features=["website", "shop", "newsletter"]))
    headings = re.findall(r"<h3>([^<]+)</h3>", files["en/privacy.html"].body.decode())

    assert headings == ["Shop", "Newsletter"]


def test_the_live_page_shows_the_offline_stream_and_the_chat_only_with_chat():
    with_chat = build.build_site(str(THEME), demo_site(features=["live", "chat"]))
    without = build.build_site(str(THEME), demo_site(features=["live"]))

    stage = Page(with_chat["en/live.html"]).find("section", id="live-player")
    assert stage == [
        {"class": "live-stage", "id": "live-player", "data-state": "offline", "aria-labelledby": "live-status-title"}
    ]
    assert Page(with_chat["en/live.html"]).find("aside", id="live-chat")
    assert not Page(without["en/live.html"]).find("aside", id="live-chat")


def test_pages_are_accessible_by_structure(site_files):
    for key, page in html_pages(site_files).items():
        assert page.find("a", **{"class": "skip-link", "href": "#main"}), key
        assert page.find("main", id="main"), key
        assert page.find("header") and page.find("footer") and page.find("nav"), key
        assert len(page.find("h1")) == 1, key
        assert all("alt" in img for img in page.find("img")), key
        assert all(svg.get("aria-hidden") == "true" for svg in page.find("svg")), key
    assert Page(site_files["index.html"]).find("img", alt="Logo von Creator One")
    assert Page(site_files["en/shop.html"]).find("a", href="/en/shop.html", **{"aria-current": "page"})


def test_social_links_follow_a_fixed_order_of_networks():
    site = demo_site()
    social = {"website": "https://creator1.example", "youtube": "https://youtu.be/x", "x": "https://x.com/c1"}
    files = build.build_site(str(THEME), {**site, "branding": {**site["branding"], "social": social}})

    links = [link for link in Page(files["index.html"]).links() if link.startswith("https://")]
    assert links[:3] == [social[network] for network in SOCIAL_NETWORKS if network in social]


@pytest.mark.parametrize(
    ("primary", "accent", "background"),
    [("#6d28d9", "#f59e0b", "#ffffff"), ("#ffff00", "#00ffff", "#ffffff"), ("#777777", "#888888", "#111111")]
    + [("#0f766e", "#e11d48", "#fffdf7"), ("#fff", "#000", "#808080")],
)
def test_every_text_colour_of_the_theme_reads_well(primary, accent, background):
    for scheme in (build.colour_scheme(primary, accent, background), build.colour_scheme(primary, accent, "#111118")):
        surfaces = (scheme["bg"], scheme["surface"], scheme["surface-strong"])
        for text in ("text", "muted", "link", "accent-text"):
            assert min(build.contrast(scheme[text], surface) for surface in surfaces) >= 4.5, (text, scheme)
        assert build.contrast(scheme["on-primary"], scheme["primary"]) >= 4.5
        assert build.contrast(scheme["on-accent"], scheme["accent"]) >= 4.5
        assert build.contrast(scheme["focus"], scheme["bg"]) >= 3


def test_the_theme_css_holds_the_brand_colours_and_fonts(site_files):
    [theme] = [site_file.body.decode() for key, site_file in site_files.items() if key.startswith("assets/theme.")]

    assert "--color-primary: #6d28d9;" in theme
    assert "--font-body: Seravek," in theme
    assert "@media (prefers-color-scheme: dark)" in theme
    dark_site = demo_site(branding={"background_color": "#101010"})
    [dark] = [f.body for k, f in build.build_site(str(THEME), dark_site).items() if k.startswith("assets/theme.")]
    assert b"prefers-color-scheme" not in dark
    assert b"color-scheme: dark;" in dark


def test_every_language_has_every_text():
    def keys(value, prefix=""):
        if isinstance(value, dict):
            return {key for name, item in value.items() for key in keys(item, f"{prefix}{name}.")}
        return {prefix.rstrip(".")}

    texts = {path.stem: json.loads(path.read_text()) for path in (THEME / "i18n").glob("*.json")}
    assert set(texts) >= {"de", "en"}
    for language, strings in texts.items():
        assert keys(strings) == keys(texts["en"]), language


@pytest.mark.parametrize(
    ("inventory", "host"),
    [("inventories/local", "creator1"), ("inventories/local", "creator2"), ("inventories/example", "jane-doe")],
)
def test_the_demo_creators_build(inventory, host):
    files = build.build_site(str(THEME), site_from_inventory(inventory, host))

    assert "index.html" in files
    assert any(key.startswith("assets/logo.") for key in files)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"branding": {"logo": "/nowhere/logo.svg"}}, "site.branding.logo '/nowhere/logo.svg' does not exist"),
        ({"branding": {"primary_color": "purple"}}, "site.branding.primary_color 'purple' is not a colour"),
        ({"languages": ["de", "xx"]}, "site.languages ['de', 'xx'] has languages the site has no texts for: xx"),
        ({"legal": {"country": "DE", "name": "X"}}, "site.legal is missing street, postal_code, city"),
        ({"features": ["casino"]}, "site.features ['casino'] must be a list of features"),
        ({"domain": "https://x.example"}, "site.domain 'https://x.example' is not a valid domain name"),
        ({"runtime": {"api": float("nan")}}, "site.runtime must be a dictionary of JSON values"),
    ],
)
def test_bad_input_fails_before_anything_is_built(change, message):
    with pytest.raises(build.SiteBuildError) as failure:
        build.build_site(str(THEME), demo_site(**change))

    assert any(problem.startswith(message) for problem in failure.value.problems), failure.value.problems


def test_every_problem_is_reported_at_once():
    with pytest.raises(build.SiteBuildError) as failure:
        build.build_site(str(THEME), demo_site(branding={"logo": "logo.svg", "accent_color": "#12"}))

    assert len(failure.value.problems) == 2
    assert "must be an absolute path" in str(failure.value)


def test_module_options_left_unset_arrive_as_none_and_mean_the_default():
    site = demo_site()
    branding = dict.fromkeys(["primary_color", "accent_color", "background_color", "heading_font", "about"])
    legal = {**dict.fromkeys(["phone", "vat_id", "register", "privacy", "content_responsible"]), **site["legal"]}
    files = build.build_site(str(THEME), {**site, "branding": {**site["branding"], **branding}, "legal": legal})

    assert "impressum.html" in files


def test_a_theme_text_missing_in_a_language_is_named(tmp_path):
    theme = shutil.copytree(THEME, tmp_path / "theme")
    strings = json.loads((theme / "i18n/en.json").read_text())
    del strings["pages"]["shop"]["title"]
    (theme / "i18n/en.json").write_text(json.dumps(strings))

    with pytest.raises(build.SiteBuildError, match=r"i18n/en.json has no text 'pages.shop.title'"):
        build.build_site(str(theme), demo_site())


def test_a_directory_that_is_not_a_theme_is_named(tmp_path):
    with pytest.raises(build.SiteBuildError, match=f"theme_dir '{tmp_path}' is not a site theme"):
        build.build_site(str(tmp_path), demo_site())


def test_without_jinja2_the_build_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(build, "HAS_JINJA2", False)

    with pytest.raises(build.SiteBuildError, match="jinja2 is required"):
        build.build_site(str(THEME), demo_site())
