# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hosted checkout and billing portal pages: plain HTML, neutral theme, no external resources."""

import datetime
from html import escape

from creatorcloud_stripe import shipping

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
  --on-accent: #fff; --error: #b42318; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --card: #161b22; --line: #30363d; --accent: #58a6ff;
    --on-accent: #0d1117; --error: #ff7b72; }
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
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 1rem 0 0; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
label { display: block; margin-top: .75rem; }
input, select { font: inherit; box-sizing: border-box; width: 100%; margin-top: .2rem; padding: .45rem .6rem;
  border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
[aria-invalid="true"] { border: 2px solid var(--error); }
.error { color: var(--error); }
.field-error { display: block; font-size: .9rem; margin-top: .2rem; }
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


def checkout_page(session, items, notice=None, values=None, problems=None):
    """The hosted checkout page of an open session: what is bought, Pay, Cancel (and why the last attempt failed).

    A session that collects a shipping address has one form: the address, and the buttons that post it (Pay and
    the declined card; Cancel skips the browser's checks). `values` are the address as entered, `problems` what is
    wrong with it, by field name.
    """
    pay_path = f"/c/pay/{session['id']}"
    total = format_amount(session["amount_total"], session["currency"])
    pay_label, decline_label = f"Pay {total}", f"Pay with a declined card ({DECLINED_CARD})"
    alert = f'<p role="alert"><strong>{escape(notice)}</strong></p>' if notice else ""
    summary = (
        f"{line_items_table(items, session['amount_total'], session['currency'])}"
        '<p class="note">Test mode: no real payment. Paying uses the test card '
        f'<span class="card-number">{TEST_CARD}</span>.</p>'
    )
    if session["shipping_address_collection"]:
        buttons = f'<button type="submit" class="primary">{escape(pay_label)}</button>'
        if session["mode"] == "payment":
            buttons += f'<button type="submit" formaction="{escape(pay_path)}/decline">{escape(decline_label)}</button>'
        buttons += f'<button type="submit" formaction="{escape(pay_path)}/cancel" formnovalidate>Cancel</button>'
        problems = problems or {}
        if problems and not notice:
            alert = (
                '<div role="alert"><p class="error"><strong>Check the shipping address:</strong></p><ul class="error">'
                + "".join(f"<li>{escape(text)}</li>" for text in problems.values())
                + "</ul></div>"
            )
        fields = address_fieldset(session, values or shipping.initial_values(session), problems)
        return page(
            "Checkout (test mode)",
            f'{alert}{summary}<form method="post" action="{escape(pay_path)}/pay" accept-charset="utf-8">'
            f'{fields}<div class="actions">{buttons}</div></form>',
        )
    decline = form_button(f"{pay_path}/decline", decline_label) if session["mode"] == "payment" else ""
    body = (
        f"{alert}{summary}"
        f'<div class="actions">{form_button(f"{pay_path}/pay", pay_label, primary=True)}'
        f"{decline}{form_button(f'{pay_path}/cancel', 'Cancel')}</div>"
    )
    return page("Checkout (test mode)", body)


def address_fieldset(session, values, problems):
    """The shipping address inputs, labelled, with what is wrong with each next to it."""
    allowed = dict.fromkeys(session["shipping_address_collection"]["allowed_countries"])
    rows = []
    for field in shipping.FIELDS:
        attributes = f'id="{field.name}" name="{field.name}" autocomplete="{field.autocomplete}"'
        if field.missing:
            attributes += " required"
        error = ""
        if field.name in problems:
            attributes += f' aria-invalid="true" aria-describedby="{field.name}-error"'
            error = f'<span class="error field-error" id="{field.name}-error">{escape(problems[field.name])}</span>'
        if field.name == "shipping_country":
            options = "".join(
                f'<option value="{escape(code)}"{" selected" if code == values[field.name] else ""}>'
                f"{escape(shipping.country_label(code))}</option>"
                for code in sorted(allowed, key=shipping.country_label)
            )
            control = f"<select {attributes}>{options}</select>"
        else:
            control = f'<input type="text" {attributes} value="{escape(values[field.name])}">'
        rows.append(f'<label for="{field.name}">{escape(field.label)}</label>{control}{error}')
    return f"<fieldset><legend>Shipping address</legend>{''.join(rows)}</fieldset>"


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
