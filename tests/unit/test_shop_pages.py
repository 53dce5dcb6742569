# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shop, the fan's orders and the admins' page in the site build: which pages for which features, kept
out of search engines and the menu, their scripts in order, nothing inline, every text in German and English.

The scripts themselves run in tests/e2e/test_shop_pages.py (Chromium against stubbed answers); here the
build's output and the scripts' source are checked.
"""

import re

import pytest
from site_pages import assert_nothing_inline
from site_pages import page_keys
from site_pages import script_source
from site_pages import scripts
from site_pages import stylesheets
from site_pages import text_codes
from site_pages import texts
from test_site_build import THEME
from test_site_build import Page
from test_site_build import demo_site
from test_site_build import html_pages

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build

PAYMENT_SCRIPTS = ["site", "cognito", "api", "page", "money"]
SCRIPTS = ("shop.js", "orders.js", "admin.js", "admin-link.js", "money.js", "page.js")
# The API's error codes the pages show by name (files/backend/README.md, "Routes (function shop)" and "Errors").
API_ERRORS = (
    "out_of_stock",
    "product_unavailable",
    "product_not_found",
    "payment_provider_error",
    "unauthorized",
    "validation_error",
    "invalid_status_transition",
    "order_not_found",
    "donation_not_paid",
    "donation_not_found",
    "network_error",
    "generic",
)
ORDER_STATUSES = ("pending", "paid", "shipped", "completed", "cancelled")
# A literal text code a script passes to its text functions (not one it completes, like "status_" + status).
TEXT_CODE = re.compile(r"(?:text|showStatus|showError|actionButton|lineButton)\(\s*\"([a-z_]+)\"(?!\s*\+)")


def built(*features):
    return build.build_site(str(THEME), demo_site(features=["website", *features]))


@pytest.fixture(scope="module")
def site_files():
    return built("auth", "live", "chat", "shop", "donations")


@pytest.mark.parametrize(
    ("features", "orders", "admin"),
    [
        (["auth", "shop"], True, True),
        (["auth", "donations"], False, True),
        (["auth", "shop", "donations"], True, True),
        (["auth", "membership"], False, False),
        (["auth"], False, False),
        (["shop", "donations"], False, False),
    ],
)
def test_the_orders_and_admin_pages_exist_only_with_accounts_and_their_features(features, orders, admin):
    files = built(*features)

    for name, expected in (("orders", orders), ("admin", admin)):
        assert page_keys(name) <= set(files) if expected else not page_keys(name) & set(files), name
    assert build.private_page_names(demo_site(features=features)) == [
        *(build.ACCOUNT_PAGES if "auth" in features else []),
        *(["orders"] if orders else []),
        *(["admin"] if admin else []),
    ]
    for key, page in html_pages(files).items():
        for link in page.links():
            target = "index.html" if link == "/" else link.lstrip("/")
            assert not link.startswith("/") or target in files, f"{key} links to {link}"


def test_the_signed_in_pages_are_noindex_not_in_the_sitemap_and_not_in_the_menu(site_files):
    sitemap = site_files["sitemap.xml"].body.decode()
    for key in (*page_keys("orders"), *page_keys("admin")):
        page = Page(site_files[key])
        assert page.find("meta", name="robots", content="noindex"), key
        assert f"/{key}<" not in sitemap and f'/{key}"' not in sitemap, key
    for key, site_file in site_files.items():
        if key.endswith(".html"):
            menu = site_file.body.decode().split('id="site-nav"')[1].split("</nav>")[0]
            assert "orders.html" not in menu and "admin.html" not in menu, key
    assert not Page(site_files["en/shop.html"]).find("meta", name="robots")
    assert "https://creator1.example/en/shop.html" in sitemap


def test_the_pages_load_their_scripts_in_order_and_no_other_page_does(site_files):
    for key in page_keys("shop"):
        page = Page(site_files[key])
        assert scripts(page) == [*PAYMENT_SCRIPTS, "shop"], key
        assert [href.split(".")[0] for href in stylesheets(page)][-2:] == ["/assets/forms", "/assets/shop"], key
    for name in ("orders", "admin"):
        for key in page_keys(name):
            page = Page(site_files[key])
            assert scripts(page) == [*PAYMENT_SCRIPTS, name], key
            assert [href.split(".")[0] for href in stylesheets(page)][-3:] == [
                "/assets/forms",
                "/assets/account",
                "/assets/shop",
            ]
    for key in page_keys("account"):
        assert scripts(Page(site_files[key]))[-2:] == ["account", "admin-link"], key
    own = {"shop", "orders", "admin", "admin-link"}
    for key, page in html_pages(site_files).items():
        if key.rsplit("/", 1)[-1] in ("shop.html", "orders.html", "admin.html", "account.html"):
            continue
        assert not own & set(scripts(page)), key
    for tag, attrs in Page(site_files["en/admin.html"]).elements:
        if tag == "script" and "site." not in attrs["src"]:
            assert "defer" in attrs


def test_the_markup_is_clean_for_the_content_security_policy(site_files):
    for name in ("shop", "orders", "admin", "account"):
        for key in page_keys(name):
            page = Page(site_files[key])
            assert_nothing_inline(page, key)
            for tag, attrs in page.elements:
                # The logo only: product images are added by the script, and only those of the site's own origin.
                assert tag != "img" or attrs["src"].startswith("/assets/logo."), key


@pytest.mark.parametrize(("language", "key", "prefix"), [("de", "shop.html", ""), ("en", "en/shop.html", "/en")])
def test_the_shop_page_has_the_cart_and_links_in_its_language(site_files, language, key, prefix):
    page = Page(site_files[key])

    assert page.find("section", id="cart", **{"data-cart": None})
    assert page.find("ul", **{"data-products": None})
    assert page.find("p", role="status", **{"data-shop-status": None})
    assert page.find("div", role="alert", **{"data-form-error": None})
    assert page.find("button", **{"data-checkout": None, "disabled": None})
    assert f"{prefix}/login.html" in page.links()
    assert f"{prefix}/orders.html" in page.links()
    assert texts(language)["shop"]["my_orders"] in site_files[key].body.decode()


def test_without_accounts_the_shop_shows_products_but_offers_no_checkout():
    files = built("shop")
    page = Page(files["en/shop.html"])

    assert page.find("ul", **{"data-products": None})
    assert not page.find("button", **{"data-checkout": None})
    assert not [link for link in page.links() if "login.html" in link or "orders.html" in link]
    assert texts("en")["shop"]["no_accounts"] in files["en/shop.html"].body.decode()


def test_the_account_page_links_to_the_orders_and_hides_the_admin_link_for_the_script(site_files):
    page = Page(site_files["en/account.html"])

    assert "/en/orders.html" in page.links()
    assert "/en/admin.html" in page.links()
    [card] = page.find("section", **{"data-admin-link": None})
    assert "hidden" in card
    only_live = Page(built("auth", "live")["en/account.html"])
    assert not [link for link in only_live.links() if "orders.html" in link or "admin.html" in link]
    assert "admin-link" not in scripts(only_live)


def test_the_admin_page_has_the_sections_of_its_features():
    shop_only = Page(built("auth", "shop")["en/admin.html"])
    donations_only = Page(built("auth", "donations")["en/admin.html"])

    assert shop_only.find("section", **{"data-admin-products": None})
    assert shop_only.find("section", **{"data-admin-orders": None})
    assert not shop_only.find("section", **{"data-admin-donations": None})
    assert donations_only.find("section", **{"data-admin-donations": None})
    assert not donations_only.find("section", **{"data-admin-products": None})
    for page in (shop_only, donations_only):
        assert page.find("section", **{"data-not-admin": None, "hidden": None})
        assert page.find("section", **{"data-signed-out": None, "hidden": None})
        assert page.find("div", **{"data-admin": None, "hidden": None})
    form = shop_only.find("form", **{"data-product-form": None})
    assert form and "novalidate" in form[0]
    for field in ("product-name", "product-price", "product-stock", "product-description"):
        assert shop_only.find("label", **{"for": field}), field
    assert [attrs["value"] for tag, attrs in shop_only.elements if tag == "option"] == ["", *ORDER_STATUSES]
    assert [attrs["value"] for tag, attrs in donations_only.elements if tag == "option"] == [
        "paid",
        "approved",
        "hidden",
    ]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_script_text_is_on_the_pages_in_their_language(site_files, language):
    shop_texts = texts(language)["shop"]["texts"]
    prefix = "" if language == "de" else "en/"

    for name in ("shop", "orders", "admin"):
        page = Page(site_files[f"{prefix}{name}.html"])
        assert text_codes(page) == sorted(shop_texts), name
        body = site_files[f"{prefix}{name}.html"].body.decode()
        for text in shop_texts.values():
            assert text.replace("'", "&#39;").replace('"', "&#34;") in body, (name, text)
    for code in (*API_ERRORS, *(f"status_{status}" for status in ORDER_STATUSES)):
        assert shop_texts[code], code
    for key in ("orders", "admin"):
        assert texts(language)["pages"][key]["title"] in site_files[f"{prefix}{key}.html"].body.decode()


def test_every_text_code_the_scripts_use_exists():
    """A code without a text would show the generic error: each literal code of the scripts must be in the list."""
    shop_texts = texts("en")["shop"]["texts"]
    for script in ("shop.js", "orders.js", "admin.js"):
        source = (THEME / "assets" / script).read_text()
        used = set(TEXT_CODE.findall(source))
        assert used, script
        assert used <= set(shop_texts), (script, used - set(shop_texts))


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_scripts_render_text_as_text_only_and_need_no_import_paths(script):
    source = script_source(script)

    assert "eval(" not in source and "new Function" not in source


def test_the_cart_holds_no_personal_data_and_the_checkout_sends_no_price():
    source = (THEME / "assets" / "shop.js").read_text()
    checkout = source[source.index("ShopPage.prototype.checkoutBody") : source.index("ShopPage.prototype.checkout =")]

    assert 'var CART_KEY = "creatorcloud-cart"' in source
    assert "localStorage" in source and "sessionStorage" not in source
    assert "product_id: id, quantity: page.cart[id]" in checkout
    assert "price" not in checkout
    assert "withLanguage(" in checkout


def test_the_orders_page_polls_every_two_seconds_for_at_most_thirty():
    source = (THEME / "assets" / "orders.js").read_text()
    helpers = (THEME / "assets" / "page.js").read_text()

    assert ".poll(orders, " in source  # page.js's poll: every 2 s, for up to 30 s
    assert "var POLL_INTERVAL_MS = 2000;" in helpers
    assert "var POLL_LIMIT_MS = 30000;" in helpers
    assert "root.localStorage.removeItem(CART_KEY)" in source


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_privacy_policy_mentions_the_cart_in_the_browser(language):
    files = built("shop")
    privacy = files["privacy.html" if language == "de" else "en/privacy.html"].body.decode()
    shop_text = texts(language)["privacy"]["features"]["shop"]["text"]

    assert ("local storage" if language == "en" else "lokalen Speicher") in shop_text
    assert shop_text.replace("'", "&#39;") in privacy
