# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shipping address collection in Checkout: the countries Stripe ships to, the create parameter, the page's address.

`shipping_address_collection[allowed_countries][]` on POST /v1/checkout/sessions makes the hosted page ask for
a shipping address in one of those countries; paying stores it at `collected_information.shipping_details`
(where Stripe has it since API version 2025-03-31).
"""

from dataclasses import dataclass

from creatorcloud_stripe import params as read
from creatorcloud_stripe.api_errors import empty_string
from creatorcloud_stripe.api_errors import invalid_param
from creatorcloud_stripe.api_errors import missing_param

PARAM = "shipping_address_collection"
# The countries Stripe takes in allowed_countries (the list of the pinned library, stripe 16.1.0, in its order;
# Stripe leaves out AS, CC, CU, CX, FM, HM, IR, KP, MH, MP, NF, PW, SY, UM, VI) with the names the page shows.
COUNTRY_TABLE = """
AC Ascension Island
AD Andorra
AE United Arab Emirates
AF Afghanistan
AG Antigua & Barbuda
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina
AT Austria
AU Australia
AW Aruba
AX Åland Islands
AZ Azerbaijan
BA Bosnia & Herzegovina
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL St. Barthélemy
BM Bermuda
BN Brunei
BO Bolivia
BQ Caribbean Netherlands
BR Brazil
BS Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus
BZ Belize
CA Canada
CD Congo - Kinshasa
CF Central African Republic
CG Congo - Brazzaville
CH Switzerland
CI Côte d'Ivoire
CK Cook Islands
CL Chile
CM Cameroon
CN China
CO Colombia
CR Costa Rica
CV Cape Verde
CW Curaçao
CY Cyprus
CZ Czechia
DE Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
EH Western Sahara
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FJ Fiji
FK Falkland Islands
FO Faroe Islands
FR France
GA Gabon
GB United Kingdom
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece
GS South Georgia & South Sandwich Islands
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man
IN India
IO British Indian Ocean Territory
IQ Iraq
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN St. Kitts & Nevis
KR South Korea
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos
LB Lebanon
LC St. Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova
ME Montenegro
MF St. Martin
MG Madagascar
MK North Macedonia
ML Mali
MM Myanmar (Burma)
MN Mongolia
MO Macao
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NG Nigeria
NI Nicaragua
NL Netherlands
NO Norway
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PM St. Pierre & Miquelon
PN Pitcairn Islands
PR Puerto Rico
PS Palestinian Territories
PT Portugal
PY Paraguay
QA Qatar
RE Réunion
RO Romania
RS Serbia
RU Russia
RW Rwanda
SA Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SH St. Helena
SI Slovenia
SJ Svalbard & Jan Mayen
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST São Tomé & Príncipe
SV El Salvador
SX Sint Maarten
SZ Eswatini
TA Tristan da Cunha
TC Turks & Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand
TJ Tajikistan
TK Tokelau
TL Timor-Leste
TM Turkmenistan
TN Tunisia
TO Tonga
TR Türkiye
TT Trinidad & Tobago
TV Tuvalu
TW Taiwan
TZ Tanzania
UA Ukraine
UG Uganda
US United States
UY Uruguay
UZ Uzbekistan
VA Vatican City
VC St. Vincent & Grenadines
VE Venezuela
VG British Virgin Islands
VN Vietnam
VU Vanuatu
WF Wallis & Futuna
WS Samoa
XK Kosovo
YE Yemen
YT Mayotte
ZA South Africa
ZM Zambia
ZW Zimbabwe
ZZ Unknown Region
"""
COUNTRY_NAMES = dict(line.split(" ", 1) for line in COUNTRY_TABLE.strip().splitlines())
ALLOWED_COUNTRIES = tuple(COUNTRY_NAMES)


@dataclass(frozen=True)
class Field:
    """One input of the hosted page's address form: its form name, its key in shipping_details, how it reads."""

    name: str
    key: str
    label: str
    autocomplete: str
    missing: str | None  # what the page says when it is left empty; None: optional


FIELDS = (
    Field("shipping_name", "name", "Full name", "shipping name", "Enter the full name."),
    Field("shipping_line1", "line1", "Address line 1", "shipping address-line1", "Enter the address."),
    Field("shipping_line2", "line2", "Address line 2 (optional)", "shipping address-line2", None),
    Field("shipping_postal_code", "postal_code", "Postal code", "shipping postal-code", "Enter the postal code."),
    Field("shipping_city", "city", "City", "shipping address-level2", "Enter the city."),
    Field("shipping_state", "state", "State/region (optional)", "shipping address-level1", None),
    Field("shipping_country", "country", "Country", "shipping country", "Choose a country."),
)
# A valid Pay form for a session that ships to DE: what tests and scripts that pay without a browser POST.
EXAMPLE_FORM = {
    "shipping_name": "Erika Mustermann",
    "shipping_line1": "Heidestraße 17",
    "shipping_line2": "",
    "shipping_postal_code": "51147",
    "shipping_city": "Köln",
    "shipping_state": "",
    "shipping_country": "DE",
}


def collection_param(params):
    """The validated `shipping_address_collection` of a create request ({allowed_countries: [...]}), or None."""
    value = params.get(PARAM)
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        raise invalid_param(PARAM, f"Invalid object: {PARAM} must be a hash.", "parameter_invalid_object")
    read.reject_unknown(value, {"allowed_countries"}, PARAM)
    param = f"{PARAM}[allowed_countries]"
    countries = value.get("allowed_countries")
    if countries is None:
        raise missing_param(param)
    if countries == "":
        raise empty_string(param)
    if not isinstance(countries, list):
        raise invalid_param(param, "Invalid array", "parameter_invalid_array")
    for index, code in enumerate(countries):
        read.one_of({"code": code}, "code", ALLOWED_COUNTRIES, f"{param}[{index}]")
    return {"allowed_countries": countries}


def country_label(code):
    """How the page names a country: Germany (DE); a code that is none just as it is."""
    return f"{COUNTRY_NAMES[code]} ({code})" if code in COUNTRY_NAMES else code


def initial_values(session):
    """The form as the page first shows it: empty, the first of the session's countries chosen."""
    values = {field.name: "" for field in FIELDS}
    values["shipping_country"] = session["shipping_address_collection"]["allowed_countries"][0]
    return values


def address_from_form(form, allowed):
    """The address a Pay form carries: (shipping_details, values, problems by field name).

    shipping_details is None when a required field is empty or the country is not one of `allowed`;
    `values` are what was entered (to show again), `problems` what the page says about each wrong field.
    """
    values = {field.name: (form.get(field.name) or "").strip() for field in FIELDS}
    problems = {field.name: field.missing for field in FIELDS if field.missing and not values[field.name]}
    country = values["shipping_country"]
    if country and country not in allowed:
        choices = ", ".join(country_label(code) for code in dict.fromkeys(allowed))
        problems["shipping_country"] = f"This shop does not ship to {country_label(country)}: choose {choices}."
    if problems:
        return None, values, problems
    entered = {field.key: values[field.name] or None for field in FIELDS}
    name = entered.pop("name")
    return {"address": dict(sorted(entered.items())), "name": name}, values, {}
