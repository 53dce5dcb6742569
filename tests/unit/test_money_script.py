# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""money.js in Node (the same V8 and ICU data as Chromium): amounts in each currency's smallest unit, as Stripe
counts them, shown and typed with as many decimals as the currency has."""

import json
import subprocess
from pathlib import Path

import pytest

MONEY_JS = Path(__file__).resolve().parents[2] / "files" / "frontend" / "assets" / "money.js"
PROBE = """
globalThis.window = globalThis;
globalThis.document = { documentElement: { lang: "en" } };
require(process.argv[1]);
const money = window.creatorcloud.money;
const [name, ...args] = JSON.parse(process.argv[2]);
console.log(JSON.stringify(money[name](...args)));
"""


def money(name, *args):
    """What creatorcloud.money[name](*args) returns."""
    command = ["node", "-e", PROBE, str(MONEY_JS), json.dumps([name, *args])]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


@pytest.mark.parametrize(("currency", "decimals"), [("eur", 2), ("JPY", 0), ("krw", 0), ("bhd", 3), ("xyz", 2)])
def test_each_currency_has_its_own_decimals(currency, decimals):
    assert money("decimals", currency) == decimals


@pytest.mark.parametrize(
    ("cents", "currency", "language", "shown"),
    [
        (1250, "eur", "en", "€12.50"),
        (1250, "eur", "de", "12,50\u00a0€"),
        (1500, "jpy", "en", "¥1,500"),  # 1500 yen, not ¥15
        (1234, "bhd", "en", "BHD\u00a01.234"),
        (1250, "xyz", "en", "XYZ\u00a012.50"),
    ],
)
def test_an_amount_is_shown_in_the_currency_and_language(cents, currency, language, shown):
    assert money("format", cents, currency, language) == shown


@pytest.mark.parametrize(
    ("typed", "currency", "cents"),
    [
        ("12.50", "eur", 1250),
        ("12,5", "eur", 1250),
        ("1.234,50", "eur", 123450),
        ("1,234.50", "eur", 123450),
        ("1 234,50", "eur", 123450),
        ("1.500", "eur", 150000),  # three digits after a mark group thousands where there are two decimals
        ("1500", "jpy", 1500),
        ("1.500", "jpy", 1500),
        ("15.50", "jpy", None),  # yen have no decimals
        ("1.234", "bhd", 1234),  # three decimals: 1.234 dinar
        ("1.234,500", "bhd", 1234500),
        ("12.345", "eur", 1234500),
        ("1.234.5", "eur", None),
        ("1.234,567.50", "eur", None),  # mixed thousands marks
        ("12.50.3", "eur", None),
        ("", "eur", None),
        ("-5", "eur", None),
    ],
)
def test_a_typed_amount_is_read_with_the_currencys_decimals(typed, currency, cents):
    assert money("toCents", typed, currency) == cents


@pytest.mark.parametrize(
    ("cents", "currency", "units"), [(1250, "eur", "12.50"), (1500, "jpy", "1500"), (1234, "bhd", "1.234")]
)
def test_an_amount_for_editing_reads_back_the_same(cents, currency, units):
    assert money("toUnits", cents, currency) == units
    assert money("toCents", units, currency) == cents
