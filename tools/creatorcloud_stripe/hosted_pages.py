# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hosted checkout and billing portal pages: plain HTML, neutral theme, no external resources."""

import datetime
from html import escape

# Currencies Stripe counts in whole units (no cents).
ZERO_DECIMAL = {
    "bif",
    "clp",
    "djf",
    "gnf",
    "jpy",
    "kmf",
    "krw",
    "mga",
    "pyg",
    "rwf",
    "ugx",
    "vnd",
    "vuv",
    "xaf",
    "xof",
    "xpf",
}
TEST_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #f6f8fa; --card: #fff; --line: #d0d7de; --accent: #0b5cad;
  --on-accent: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --card: #161b22; --line: #30363d; --accent: #58a6ff;
    --on-accent: #0d1117; }
}
body { font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem; background: var(--card); border: 1px solid var(--line);
  border-radius: 8px; }
h1 { font-size: 1.4rem; margin-top: 0; }
table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem 0; border-bottom: 1px solid var(--line); }
td.amount, th.amount { text-align: right; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: 1.25rem; }
button, a.button { font: inherit; padding: .6rem 1.2rem; border-radius: 6px; border: 1px solid var(--line);
  background: var(--card); color: var(--fg); cursor: pointer; text-decoration: none; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
.card-number { white-space: nowrap; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.note { font-size: .9rem; opacity: .85; }
"""


def format_amount(amount, currency):
    """An amount in the smallest unit as people read it: 1250 eur -> 12.50 EUR."""
    if currency.lower() in ZERO_DECIMAL:
        return f"{amount} {currency.upper()}"
    return f"{amount / 100:.2f} {currency.upper()}"


def format_date(timestamp):
    """A timestamp as a date."""
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")


def page(title, body):
    """A complete, self-contained HTML page."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f'<body>\n<main aria-labelledby="title">\n<h1 id="title">{escape(title)}</h1>\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def form_button(action, label, primary=False):
    """A button that POSTs to `action`."""
    css = ' class="primary"' if primary else ""
    return f'<form method="post" action="{escape(action)}"><button type="submit"{css}>{escape(label)}</button></form>'


def line_items_table(items, total, currency):
    """The items with quantity and amount, and the total."""
    rows = "".join(
        f"<tr><td>{escape(item['description'])}</td><td>{item['quantity']}</td>"
        f'<td class="amount">{format_amount(item["amount_total"], item["currency"])}{interval_of(item)}</td></tr>'
        for item in items
    )
    return (
        '<table><caption class="note">Order summary</caption>'
        '<thead><tr><th scope="col">Item</th><th scope="col">Qty</th>'
        '<th scope="col" class="amount">Amount</th></tr></thead>'
        f'<tbody>{rows}</tbody><tfoot><tr><th scope="row" colspan="2">Total</th>'
        f'<td class="amount"><strong>{format_amount(total, currency)}</strong></td></tr></tfoot></table>'
    )


def interval_of(item):
    """' / month' for a recurring price, nothing for a one-time one."""
    recurring = item["price"]["recurring"]
    if not recurring:
        return ""
    count = recurring["interval_count"]
    return f" / {recurring['interval']}" if count == 1 else f" / {count} {recurring['interval']}s"


def checkout_page(session, items, notice=None):
    """The hosted checkout page of an open session: what is bought, Pay, Cancel (and why the last attempt failed)."""
    pay_path = f"/c/pay/{session['id']}"
    decline = ""
    if session["mode"] == "payment":
        decline = form_button(f"{pay_path}/decline", f"Pay with a declined card ({DECLINED_CARD})")
    alert = f'<p role="alert"><strong>{escape(notice)}</strong></p>' if notice else ""
    total = format_amount(session["amount_total"], session["currency"])
    body = (
        f"{alert}{line_items_table(items, session['amount_total'], session['currency'])}"
        '<p class="note">Test mode: no real payment. Paying uses the test card '
        f'<span class="card-number">{TEST_CARD}</span>.</p>'
        f'<div class="actions">{form_button(f"{pay_path}/pay", f"Pay {total}", primary=True)}'
        f"{decline}{form_button(f'{pay_path}/cancel', 'Cancel')}</div>"
    )
    return page("Checkout (test mode)", body)


def message_page(title, text, link=None):
    """A page saying what happened, with a link onwards when there is one."""
    onwards = f'<p><a class="button" href="{escape(link)}">Continue</a></p>' if link else ""
    return page(title, f"<p>{escape(text)}</p>{onwards}")


def portal_page(portal, subscriptions):
    """The billing portal: the customer's subscriptions, cancel at period end, back to the site."""
    rows = []
    for sub in subscriptions:
        item = sub["items"]["data"][0]
        state = sub["status"]
        if sub["cancel_at_period_end"]:
            state += f", ends on {format_date(item['current_period_end'])}"
        elif sub["status"] == "active":
            state += f", renews on {format_date(item['current_period_end'])}"
        action = ""
        if sub["status"] in ("active", "past_due") and not sub["cancel_at_period_end"]:
            action = form_button(f"/p/session/{portal['id']}/cancel/{sub['id']}", "Cancel plan")
        price = format_amount(item["price"]["unit_amount"] * item["quantity"], item["price"]["currency"])
        rows.append(f"<tr><td>{escape(price)}{interval_of(item)}</td><td>{escape(state)}</td><td>{action}</td></tr>")
    table = (
        '<table><thead><tr><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">'
        '<span class="note">Action</span></th></tr></thead>'
        f"<tbody>{''.join(rows) or '<tr><td colspan=3>No subscriptions.</td></tr>'}</tbody></table>"
    )
    back = f'<p><a class="button" href="{escape(portal["return_url"])}">Return</a></p>' if portal["return_url"] else ""
    return page("Manage your subscription (test mode)", table + back)
