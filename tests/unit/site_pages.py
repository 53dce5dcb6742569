# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the unit tests of the site's feature pages read from the build: texts, scripts, stylesheets, hidden lists."""

import json
import re

from test_site_build import THEME

SCRIPT_KEY = re.compile(r"^/assets/(?P<name>[a-z-]+)\.[0-9a-f]{10}\.js$")
# Every text a fan or admin wrote goes in with textContent: none of these may appear in the scripts that show it.
HTML_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "createContextualFragment")


def texts(language):
    """The theme's texts of a language (i18n/<language>.json)."""
    return json.loads((THEME / "i18n" / f"{language}.json").read_text(encoding="utf-8"))


def page_keys(page):
    """The object keys of a page in German (the root) and English."""
    return {f"{page}.html", f"en/{page}.html"}


def scripts(page):
    """The names (before hashing) of the scripts a page loads, in document order."""
    return [SCRIPT_KEY.match(attrs["src"]).group("name") for tag, attrs in page.elements if tag == "script"]


def stylesheets(page):
    return [attrs["href"] for tag, attrs in page.elements if tag == "link" and attrs.get("rel") == "stylesheet"]


def text_codes(page, list_attribute=None):
    """The codes of a page's hidden text lists (li[data-code]), in document order; only the list `list_attribute`."""
    in_list = list_attribute is None
    found = []
    for tag, attrs in page.elements:
        if tag == "ul" and list_attribute is not None:
            in_list = list_attribute in attrs
        elif tag == "li" and in_list and "data-code" in attrs:
            found.append(attrs["data-code"])
    return found


def assert_nothing_inline(page, key):
    """No inline script, <style>, style attribute or event handler: the Content-Security-Policy would block them."""
    assert page.inline == [], key
    assert not page.find("style"), key
    for tag, attrs in page.elements:
        assert "style" not in attrs, (key, tag)
        assert not [name for name in attrs if name.startswith("on")], (key, tag)
    assert [script for script in page.find("script") if "src" not in script] == [], key


def script_source(name):
    """A theme script's source, after checking that it puts text on the page as text only and imports nothing."""
    source = (THEME / "assets" / name).read_text()
    assert not [sink for sink in HTML_SINKS if sink in source], name
    assert "import " not in source and "import(" not in source, name
    return source
