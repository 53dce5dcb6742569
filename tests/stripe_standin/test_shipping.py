# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shipping addresses in Checkout: shipping_address_collection, the address on the hosted page, shipping_details."""

import html.parser
import typing
import urllib.parse
import urllib.request

import pytest
import stripe
from creatorcloud_stripe import shipping

from tests.stripe_standin.conftest import account_events
from tests.stripe_standin.conftest import page_post
from tests.stripe_standin.conftest import product_session
from tests.stripe_standin.test_api import raw_call

ALLOWED = ["DE", "AT"]
ADDRESS = {**shipping.EXAMPLE_FORM, "shipping_line2": "Hinterhaus, 2. OG"}
NO_INFORMATION = {"business_name": None, "individual_name": None, "shipping_details": None}
SHIPS = {"shipping_address_collection": {"allowed_countries": ALLOWED}}
BASE_FORM = {
    "mode": "payment",
    "line_items[0][price_data][currency]": "eur",
    "line_items[0][price_data][unit_amount]": "700",
    "line_items[0][price_data][product_data][name]": "Poster",
    "line_items[0][quantity]": "1",
}


class PageControls(html.parser.HTMLParser):
    """The form controls of a page: labels by `for`, inputs and selects by id, options, buttons."""

    def __init__(self, page):
        super().__init__()
        self.labels, self.controls, self.options, self.buttons = {}, {}, [], []
        self._label = self._button = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._label = attrs["for"]
            self.labels[self._label] = ""
        elif tag in ("input", "select"):
            self.controls[attrs["id"]] = {"tag": tag, **attrs}
        elif tag == "option":
            self.options.append(attrs)
        elif tag == "button":
            self._button = attrs
            self.buttons.append(attrs)

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data
        if self._button is not None:
            self._button["text"] = self._button.get("text", "") + data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        elif tag == "button":
            self._button = None


def page_of(session):
    """The hosted checkout page of a session, as a browser gets it."""
    with urllib.request.urlopen(session.url, timeout=10) as response:
        return response.read().decode()


def test_the_countries_are_those_the_library_knows():
    # Stripe's list for allowed_countries, as the pinned library types it
    (union,) = typing.get_args(stripe.checkout.Session.ShippingAddressCollection.__annotations__["allowed_countries"])
    codes = typing.get_args(typing.get_args(union)[0])

    assert codes == shipping.ALLOWED_COUNTRIES


def test_session_with_allowed_countries_round_trips(stripe_api, standin, secret_key):
    # WHEN the shop creates a session that ships to DE and AT
    session = product_session(stripe_api, **SHIPS)

    # THEN it collects an address in those countries, and nothing is collected yet
    assert session.shipping_address_collection.allowed_countries == ALLOWED
    assert session.collected_information.to_dict() == NO_INFORMATION
    assert (session.shipping_cost, session.shipping_options) == (None, [])
    fetched = stripe_api.checkout.Session.retrieve(session.id)
    assert fetched.to_dict() == session.to_dict()
    # AND a session without the parameter collects nothing
    plain = product_session(stripe_api)
    assert plain.shipping_address_collection is None
    assert plain.collected_information.to_dict() == NO_INFORMATION
    # AND the `[]` form of the array, written by hand, works too
    form = [*BASE_FORM.items(), *(("shipping_address_collection[allowed_countries][]", code) for code in ALLOWED)]
    status, headers, body = raw_call(standin, "POST", "/v1/checkout/sessions", form, secret_key)
    assert status == 200 and body["shipping_address_collection"] == {"allowed_countries": ALLOWED}


def test_an_empty_list_through_the_library_collects_nothing(stripe_api):
    # the library sends no field for an empty list: Stripe, and the stand-in, see no shipping_address_collection
    session = product_session(stripe_api, shipping_address_collection={"allowed_countries": []})

    assert session.shipping_address_collection is None


@pytest.mark.parametrize(
    ("countries", "param"),
    [
        (["DE", "de"], "shipping_address_collection[allowed_countries][1]"),
        (["XX"], "shipping_address_collection[allowed_countries][0]"),
        (["US", "AS"], "shipping_address_collection[allowed_countries][1]"),  # Stripe does not ship to American Samoa
        (["DEU"], "shipping_address_collection[allowed_countries][0]"),
    ],
)
def test_unknown_countries_are_refused(stripe_api, countries, param):
    with pytest.raises(stripe.InvalidRequestError) as error:
        product_session(stripe_api, shipping_address_collection={"allowed_countries": countries})

    assert error.value.http_status == 400
    assert error.value.error.type == "invalid_request_error"
    assert (error.value.code, error.value.param) == ("parameter_invalid_empty", param)
    assert error.value.error.message.startswith(f"Invalid {param}: must be one of AC, AD, AE, ")


@pytest.mark.parametrize(
    ("fields", "param", "code"),
    [
        ({"shipping_address_collection[allowed_countries]": ""}, "[allowed_countries]", "parameter_invalid_empty"),
        ({"shipping_address_collection[allowed_countries]": "DE"}, "[allowed_countries]", "parameter_invalid_array"),
        (
            {"shipping_address_collection[allowed_countries][0]": ""},
            "[allowed_countries][0]",
            "parameter_invalid_empty",
        ),
        ({"shipping_address_collection[countries][0]": "DE"}, "[countries]", "parameter_unknown"),
        ({"shipping_address_collection[allowed_countries][0][code]": "DE"}, "[allowed_countries][0]", None),
        ({"shipping_address_collection": "DE"}, "", "parameter_invalid_object"),
    ],
)
def test_malformed_country_lists_are_refused(standin, secret_key, fields, param, code):
    status, headers, body = raw_call(standin, "POST", "/v1/checkout/sessions", {**BASE_FORM, **fields}, secret_key)

    assert status == 400 and body["error"]["type"] == "invalid_request_error"
    assert body["error"]["param"] == f"shipping_address_collection{param}"
    assert code is None or body["error"]["code"] == code


def test_empty_string_is_refused_as_stripe_says_it(standin, secret_key):
    form = {**BASE_FORM, "shipping_address_collection[allowed_countries]": ""}

    status, headers, body = raw_call(standin, "POST", "/v1/checkout/sessions", form, secret_key)

    assert body["error"]["message"].startswith(
        "You passed an empty string for 'shipping_address_collection[allowed_countries]'."
    )


def test_page_shows_the_address_fields_with_labels(stripe_api):
    session = product_session(stripe_api, **SHIPS)

    page = page_of(session)
    controls = PageControls(page)

    # every input has its label; the optional ones say so; the required ones are required
    assert controls.labels == {
        "shipping_name": "Full name",
        "shipping_line1": "Address line 1",
        "shipping_line2": "Address line 2 (optional)",
        "shipping_postal_code": "Postal code",
        "shipping_city": "City",
        "shipping_state": "State/region (optional)",
        "shipping_country": "Country",
    }
    assert set(controls.controls) == set(controls.labels)
    for name, control in controls.controls.items():
        assert control["name"] == name and control["autocomplete"].startswith("shipping ")
        assert ("required" in control) == ("optional" not in controls.labels[name])
    assert controls.controls["shipping_country"]["tag"] == "select"
    # the country is one of the session's, the first one chosen
    assert [(option["value"], "selected" in option) for option in controls.options] == [("AT", False), ("DE", True)]
    assert "Austria (AT)" in page and "Germany (DE)" in page
    # Pay and the declined card post the address; Cancel does not need it; still no script
    assert [button["text"] for button in controls.buttons] == [
        "Pay 25.00 EUR",
        "Pay with a declined card (4000 0000 0000 0002)",
        "Cancel",
    ]
    assert controls.buttons[1]["formaction"] == f"/c/pay/{session.id}/decline"
    assert "formnovalidate" in controls.buttons[2]
    assert f'<form method="post" action="/c/pay/{session.id}/pay"' in page
    assert "<script" not in page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({}, "shipping_name", "Enter the full name."),
        ({**ADDRESS, "shipping_name": " "}, "shipping_name", "Enter the full name."),
        ({**ADDRESS, "shipping_line1": ""}, "shipping_line1", "Enter the address."),
        ({**ADDRESS, "shipping_postal_code": ""}, "shipping_postal_code", "Enter the postal code."),
        ({**ADDRESS, "shipping_city": ""}, "shipping_city", "Enter the city."),
        ({**ADDRESS, "shipping_country": ""}, "shipping_country", "Choose a country."),
        ({**ADDRESS, "shipping_country": "CH"}, "shipping_country", "This shop does not ship to Switzerland (CH)"),
        ({**ADDRESS, "shipping_country": "de"}, "shipping_country", "ship to de: choose Germany (DE), Austria"),
    ],
)
def test_incomplete_address_or_other_country_shows_the_page_again(
    stripe_api, receiver, standin, secret_key, form, field, message
):
    session = product_session(stripe_api, **SHIPS)

    status, location, body = page_post(f"{session.url}/pay", form)

    # THEN the page comes again, saying what is wrong next to the field, with what was entered
    assert (status, location) == (400, None)
    assert 'role="alert"' in body and message in body
    assert f'aria-invalid="true" aria-describedby="{field}-error"' in body
    if form.get("shipping_city"):
        assert f'value="{form["shipping_city"]}"' in body
    # AND nothing was paid: the session is open, no PaymentIntent, no event
    fetched = stripe_api.checkout.Session.retrieve(session.id)
    assert (fetched.status, fetched.payment_intent) == ("open", None)
    assert fetched.collected_information.shipping_details is None
    assert account_events(standin, secret_key) == []


def test_valid_address_completes_the_session_and_the_event_carries_it(stripe_api, receiver):
    # GIVEN a session that ships to DE and AT and creates a customer
    session = product_session(stripe_api, customer_creation="always", **SHIPS)

    # WHEN the fan enters an address in Germany and pays
    status, location, body = page_post(f"{session.url}/pay", ADDRESS)

    # THEN the session is complete, its shipping_details the address (empty optional fields null)
    assert (status, location) == (303, f"http://127.0.0.1:8080/shop/success?session={session.id}")
    expected = {
        "name": "Erika Mustermann",
        "address": {
            "city": "Köln",
            "country": "DE",
            "line1": "Heidestraße 17",
            "line2": "Hinterhaus, 2. OG",
            "postal_code": "51147",
            "state": None,
        },
    }
    paid = stripe_api.checkout.Session.retrieve(session.id)
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    assert paid.collected_information.to_dict() == {**NO_INFORMATION, "shipping_details": expected}
    # AND the billing details are the shipping ones (the page's default), as are the new customer's
    assert (paid.customer_details.name, paid.customer_details.address.to_dict()) == (
        expected["name"],
        expected["address"],
    )
    # AND checkout.session.completed carries it, the PaymentIntent and charge ship there too
    events = receiver.events(5)
    assert [event.type for event in events] == [
        "customer.created",
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]
    completed = events[-1].data.object
    assert completed.collected_information.shipping_details.to_dict() == expected
    assert completed.shipping_address_collection.allowed_countries == ALLOWED
    customer = events[0].data.object
    assert customer.shipping.to_dict() == {**expected, "phone": None}
    assert customer.address.to_dict() == expected["address"] and customer.name == expected["name"]
    intent = events[3].data.object
    assert intent.shipping.name == expected["name"] and intent.shipping.address.to_dict() == expected["address"]
    assert events[2].data.object.shipping.address.postal_code == "51147"


def test_the_declined_card_takes_the_address_too(stripe_api, receiver, standin, secret_key):
    session = product_session(stripe_api, **SHIPS)

    # WHEN the declined card is pressed without an address THEN nothing is attempted
    status, location, body = page_post(f"{session.url}/decline")
    assert status == 400 and "Enter the full name." in body
    assert account_events(standin, secret_key) == []

    # WHEN it is pressed with one THEN the attempt fails as before, and the page keeps the address
    status, location, body = page_post(f"{session.url}/decline", ADDRESS)
    assert status == 402 and "Your card was declined." in body and 'value="Heidestraße 17"' in body
    events = receiver.events(2)
    assert [event.type for event in events] == ["payment_intent.created", "payment_intent.payment_failed"]
    assert events[1].data.object.shipping.address.country == "DE"
    assert stripe_api.checkout.Session.retrieve(session.id).status == "open"


def test_cancel_needs_no_address(stripe_api):
    session = product_session(stripe_api, **SHIPS)

    status, location, body = page_post(f"{session.url}/cancel")

    assert (status, location) == (303, "http://127.0.0.1:8080/shop/cart")
    assert stripe_api.checkout.Session.retrieve(session.id).status == "open"


def test_a_session_without_shipping_ignores_address_fields(stripe_api):
    session = product_session(stripe_api)

    status, location, body = page_post(f"{session.url}/pay", ADDRESS)

    paid = stripe_api.checkout.Session.retrieve(session.id)
    assert status == 303 and paid.status == "complete"
    assert paid.collected_information.shipping_details is None
    assert (paid.customer_details.name, paid.customer_details.address) == (None, None)


def test_subscription_mode_collects_an_address(stripe_api):
    session = stripe_api.checkout.Session.create(
        mode="subscription",
        line_items=[
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 500,
                    "product_data": {"name": "Fan box"},
                    "recurring": {"interval": "month"},
                },
                "quantity": 1,
            }
        ],
        shipping_address_collection={"allowed_countries": ["AT"]},
    )
    page = PageControls(page_of(session))
    assert [button["text"] for button in page.buttons] == ["Pay 5.00 EUR", "Cancel"]

    status, location, body = page_post(f"{session.url}/pay", {**ADDRESS, "shipping_country": "AT"})

    paid = stripe_api.checkout.Session.retrieve(session.id, expand=["customer"])
    assert status == 200 and paid.status == "complete"  # no success_url: the stand-in's own page
    assert paid.collected_information.shipping_details.address.country == "AT"
    assert paid.customer.shipping.name == "Erika Mustermann"
